SELECT
    (SELECT json_object('id', id, 'names', json(names), 'brand_color', brand_color,
        'currency', currency, 'consent', json(consent), 'contact_key', contact_key, 'retention_days', retention_days, 'timezone', timezone, 'min_payout_minor', min_payout_minor,
        'catalogue_version', catalogue_version)
        FROM banks WHERE id = ?1) AS bank,
    (SELECT json_group_array(spec) FROM products WHERE bank_id = ?1 AND spec IS NOT NULL) AS products,
    (SELECT json_group_array(json_object('id', c.id, 'bank_id', c.bank_id, 'partner', c.partner_id,
        'scenes', json(c.scenes), 'products', json(c.products), 'events', json(c.events),
        'window_days', c.window_days, 'approval_days', c.approval_days,
        'max_clicks_per_hour', c.max_clicks_per_hour, 'repeat_events', json(c.repeatable_events),
        'active', c.active, 'commissions', json(c.commissions)))
        FROM campaigns c WHERE c.bank_id = ?1 OR c.id IN (SELECT value FROM json_each(?2))) AS campaigns,
    (SELECT json_group_array(json_object('id', p.id, 'name', p.name, 'origins',
        json((SELECT json_group_array(origin) FROM (SELECT origin FROM partner_origins o
            WHERE o.partner_id = p.id ORDER BY rowid)))))
        FROM partners p WHERE p.id IN (SELECT value FROM json_each(?3))
            OR p.id IN (SELECT partner_id FROM campaigns WHERE bank_id = ?1)) AS partners,
    (SELECT json_group_array(json_object('event', event, 'partner_id', partner_id,
        'flat_minor', flat_minor, 'percent_bps', percent_bps, 'cap_minor', cap_minor))
        FROM commission_rules WHERE bank_id = ?1) AS rules,
    (SELECT json_group_array(json_object('version', json_extract(consent, '$.version'), 'bank_id', id))
        FROM banks WHERE id <> ?1 AND consent IS NOT NULL) AS consents,
    (SELECT COALESCE(MAX(seq), 0) FROM tenant_applies WHERE bank_id = ?1) AS applies,
    -- Whether a month's money is fixed in the bank's zone: an entry booked or a month closed.
    EXISTS (SELECT 1 FROM ledger WHERE bank_id = ?1)
        OR EXISTS (SELECT 1 FROM settlement_periods WHERE bank_id = ?1) AS booked,
    -- The bank's file-declared webhook endpoints: ids `<bank>.<file id>` (inflow_core::tenant::Webhook).
    (SELECT json_group_array(json_object('id', substr(id, length(?1) + 2), 'url', url,
        'events', json(events), 'disable_after', disable_after))
        FROM webhook_endpoints WHERE owner_kind = 'bank' AND owner_id = ?1
            AND substr(id, 1, length(?1) + 1) = ?1 || '.') AS webhooks
