-- A click on a signed link: stored only if its lead, campaign and product still exist and
-- belong to the token's partner. The burst count (this client's clicks in the hour before) is
-- taken in the same statement as the insert. The click carries its lead's tracking tags (0024),
-- and so do the conversions that quote it.
-- ?1 click id, ?2 lead, ?3 campaign, ?4 product, ?5 keyed client hash, ?6 machine flag (0/1),
-- ?7 now (unix seconds), ?8 the token's partner.
INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id,
                    scene, client_hash, ua_bot, clicks_in_hour, created_at,
                    sub_id, utm_source, utm_campaign)
SELECT ?1, l.id, m.bank_id, m.partner_id, m.id, ?4, l.scene, ?5, ?6,
       1 + (SELECT COUNT(*) FROM clicks WHERE client_hash = ?5 AND created_at > ?7 - 3600),
       ?7, l.sub_id, l.utm_source, l.utm_campaign
FROM leads l
JOIN campaigns m ON m.id = ?3
JOIN products p ON p.bank_id = m.bank_id AND p.id = ?4
WHERE l.id = ?2 AND l.partner_id = ?8 AND m.partner_id = ?8
