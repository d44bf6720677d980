-- The entries of the conversion ?1 on arrival if it pays: its accrual, and its release too when
-- it is approved on arrival (?3 = 'release'; ?3 = 'accrual' writes the accrual alone). Both are
-- dated at arrival and booked into ?2 (its month in the bank's zone) or, when that is closed,
-- the first open month after the bank's last close. Only the row the insert before it stored
-- has this fresh id, so a duplicate writes nothing; UNIQUE (conversion_id, kind) keeps each once.
INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
                    amount_minor, currency, created_at, period)
SELECT c.id, k.kind, c.bank_id, c.partner_id, c.campaign_id, c.payout_minor, c.payout_currency,
       c.received_at,
       max(?2, COALESCE((SELECT MAX(p.next_period) FROM settlement_periods p
                         WHERE p.bank_id = c.bank_id), ?2))
FROM conversions c
JOIN (SELECT 'accrual' AS kind, 0 AS step UNION ALL SELECT 'release', 1) k
    ON k.kind = 'accrual' OR (?3 = 'release' AND c.status = 'approved')
WHERE c.id = ?1 AND c.payout_minor > 0 AND c.status IN ('pending', 'approved', 'held')
ORDER BY k.step
ON CONFLICT (conversion_id, kind) DO NOTHING
