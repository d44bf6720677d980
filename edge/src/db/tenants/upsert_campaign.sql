-- A campaign of bank ?2, created or replaced whole; a campaign id owned by another bank is left
-- alone (the WHERE of the update), and its currency is its bank's.
INSERT INTO campaigns (id, bank_id, partner_id, scenes, products, events, window_days,
    approval_days, max_clicks_per_hour, currency, active, repeatable_events, commissions, version)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT currency FROM banks WHERE id = ?2),
    ?10, ?11, ?12, 1)
ON CONFLICT (id) DO UPDATE SET partner_id = excluded.partner_id, scenes = excluded.scenes,
    products = excluded.products, events = excluded.events, window_days = excluded.window_days,
    approval_days = excluded.approval_days, max_clicks_per_hour = excluded.max_clicks_per_hour,
    currency = excluded.currency, active = excluded.active,
    repeatable_events = excluded.repeatable_events, commissions = excluded.commissions,
    version = campaigns.version + 1
WHERE campaigns.bank_id = excluded.bank_id
