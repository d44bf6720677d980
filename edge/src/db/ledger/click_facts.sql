-- The click a conversion quotes, with its campaign's terms — its own commissions too (NULL for
-- a campaign seeded before tenant files, paid by commission_rules); only when it is the bank's
-- own (?2), so a bank cannot probe others' click ids. ?1 click id.
SELECT k.partner_id, k.campaign_id, k.product_id, k.scene, k.created_at, k.ua_bot,
       k.clicks_in_hour, m.window_days, m.approval_days, m.max_clicks_per_hour, m.events,
       m.repeatable_events, m.currency, m.commissions, b.timezone
FROM clicks k
JOIN campaigns m ON m.id = k.campaign_id
JOIN banks b ON b.id = k.bank_id
WHERE k.id = ?1 AND k.bank_id = ?2
