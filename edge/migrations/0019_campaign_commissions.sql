-- A campaign pays what it says (the ledger reads campaigns.commissions since 0019). Campaigns
-- written before tenant files have none: give them the terms they were paid by until now — per
-- event they pay, the partner's own commission_rules row, else the bank's default ('') —
-- so a later apply that rewrites a (bank, event, partner) row cannot change what they pay.
-- edge/seed/demo.sql ends with the same statement for the campaigns it seeds.
UPDATE campaigns SET commissions = (
    SELECT json_group_array(json(k)) FROM (
        SELECT json_object('event', e.value, 'flat_minor', r.flat_minor,
            'percent_bps', r.percent_bps, 'cap_minor', r.cap_minor) AS k
        FROM json_each(campaigns.events) e
        JOIN commission_rules r ON r.bank_id = campaigns.bank_id AND r.event = e.value
            AND r.partner_id = (SELECT max(p.partner_id) FROM commission_rules p
                WHERE p.bank_id = campaigns.bank_id AND p.event = e.value
                    AND p.partner_id IN ('', campaigns.partner_id))
        ORDER BY e.key)
)
WHERE commissions IS NULL;
