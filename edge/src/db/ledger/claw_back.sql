-- Claws back the accrual of the bank's (?2) reversed conversion ?1 at ?3 (unix seconds),
-- once: a second reversal finds the clawback already there.
INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
                    amount_minor, currency, created_at)
SELECT l.conversion_id, 'clawback', l.bank_id, l.partner_id, l.campaign_id,
       -l.amount_minor, l.currency, ?3
FROM ledger l
JOIN conversions c ON c.id = l.conversion_id
WHERE l.conversion_id = ?1 AND l.kind = 'accrual' AND c.bank_id = ?2 AND c.status = 'reversed'
ON CONFLICT (conversion_id, kind) DO NOTHING
