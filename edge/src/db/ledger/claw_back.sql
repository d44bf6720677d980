-- Takes back the bank's (?2) reversed conversion ?1 at ?3 (unix seconds), once: a clawback of
-- payable money when its release is written, else a void of the hold (nothing payable moved).
-- Booked into ?4 (the month of ?3 in the bank's zone) or the first open month after the bank's
-- last close. A second reversal finds the entry there.
INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
                    amount_minor, currency, created_at, period)
SELECT l.conversion_id,
       iif(EXISTS (SELECT 1 FROM ledger r WHERE r.conversion_id = l.conversion_id
                   AND r.kind = 'release'), 'clawback', 'void'),
       l.bank_id, l.partner_id, l.campaign_id, -l.amount_minor, l.currency, ?3,
       max(?4, COALESCE((SELECT MAX(p.next_period) FROM settlement_periods p
                         WHERE p.bank_id = l.bank_id), ?4))
FROM ledger l
JOIN conversions c ON c.id = l.conversion_id
WHERE l.conversion_id = ?1 AND l.kind = 'accrual' AND c.bank_id = ?2 AND c.status = 'reversed'
  AND NOT EXISTS (SELECT 1 FROM ledger x WHERE x.conversion_id = l.conversion_id
                  AND x.kind IN ('void', 'clawback'))
