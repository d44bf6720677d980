-- A conversion, once per (bank, external id, event) and once per paid event on a click
-- (the pays_once unique index): a duplicate inserts nothing.
INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id,
                         partner_id, product_id, scene, amount_minor, currency, occurred_at,
                         received_at, status, reason, payout_minor, payout_currency, approve_at,
                         pays_once)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
ON CONFLICT DO NOTHING
