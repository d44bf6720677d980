-- The accrual of the conversion ?1 if it pays. Only the row the insert before it stored has
-- this fresh id, so a duplicate accrues nothing.
INSERT INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
                    amount_minor, currency, created_at)
SELECT id, 'accrual', bank_id, partner_id, campaign_id, payout_minor, payout_currency, received_at
FROM conversions
WHERE id = ?1 AND payout_minor > 0 AND status IN ('pending', 'approved', 'held')
ON CONFLICT (conversion_id, kind) DO NOTHING
