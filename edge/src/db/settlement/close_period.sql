-- Closes the bank ?1's period ?2 (next ?3) at ?4 under close id ?5 — only if nothing was booked
-- into ?2 or earlier since the statements were computed (the last such entry is still ?6) and
-- the bank's last closed period is still ?7 ('' for none): otherwise nothing is written and
-- the close is computed again. A concurrent close of the same period writes nothing either.
INSERT INTO settlement_periods (bank_id, period, next_period, closed_at, close_id)
SELECT ?1, ?2, ?3, ?4, ?5
WHERE (SELECT COALESCE(MAX(id), 0) FROM ledger WHERE bank_id = ?1 AND period <= ?2) = ?6
  AND COALESCE((SELECT MAX(period) FROM settlement_periods WHERE bank_id = ?1), '') = ?7
ON CONFLICT (bank_id, period) DO NOTHING
