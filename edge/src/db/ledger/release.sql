-- Releases the approved conversion ?1's hold, dated ?2 (unix seconds: the run writing it, never
-- a day that is over), booked into ?3 (that date's month in the bank's zone) or the first open month after the bank's last
-- close. Nothing when it has no accrual, is already released, or was reversed meanwhile (its
-- void is there).
INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
                    amount_minor, currency, created_at, period)
SELECT l.conversion_id, 'release', l.bank_id, l.partner_id, l.campaign_id, l.amount_minor,
       l.currency, ?2,
       max(?3, COALESCE((SELECT MAX(p.next_period) FROM settlement_periods p
                         WHERE p.bank_id = l.bank_id), ?3))
FROM ledger l
JOIN conversions c ON c.id = l.conversion_id
WHERE l.conversion_id = ?1 AND l.kind = 'accrual' AND c.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM ledger x WHERE x.conversion_id = l.conversion_id
                  AND x.kind IN ('release', 'void', 'clawback'))
ON CONFLICT (conversion_id, kind) DO NOTHING
