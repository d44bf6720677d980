-- A page of the ledger for a bank (?1 = 'bank') or a partner (?1 = 'partner') with id ?2, after
-- the entry id ?3, narrowed to the other side ?4 (NULL: all), ?5 rows. The indexes
-- ledger_by_bank / ledger_by_partner (owner, id) give the page in order.
SELECT id, period, conversion_id, bank_id, partner_id, campaign_id, kind, amount_minor,
       currency, created_at AS at
FROM ledger
WHERE ((?1 = 'bank' AND bank_id = ?2 AND (?4 IS NULL OR partner_id = ?4))
    OR (?1 = 'partner' AND partner_id = ?2 AND (?4 IS NULL OR bank_id = ?4)))
  AND id > ?3
ORDER BY id
LIMIT ?5
