-- The bank ?1's entries booked into its open periods (after its last close), summed by partner
-- (?2, or every partner when NULL), period and kind: one row per open month and kind, read
-- from ledger_by_bank_period alone.
SELECT partner_id, period, kind, SUM(amount_minor) AS amount_minor, COUNT(*) AS entries
FROM ledger
WHERE bank_id = ?1
  AND period > COALESCE((SELECT MAX(period) FROM settlement_periods WHERE bank_id = ?1), '')
  AND (?2 IS NULL OR partner_id = ?2)
GROUP BY partner_id, period, kind
