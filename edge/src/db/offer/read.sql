-- The offer of (partner ?1, scene ?2) in one statement (inflow_core::lead::offer::OfferRows):
-- whether the partner exists, its active campaigns for the scene (campaign_scenes, 0012), their
-- banks and those banks' product specs, as JSON arrays whose JSON-typed columns stay text (core
-- parses them, skipping a broken row rather than failing the statement), and a version that
-- changes with any of them: campaigns.version, banks.version and banks.catalogue_version grow
-- with every admin write, so a cached offer is rebuilt only when it changed.
WITH live AS (
    SELECT c.id, c.bank_id, c.products, c.version
    FROM campaign_scenes s JOIN campaigns c ON c.id = s.campaign_id
    WHERE s.partner_id = ?1 AND s.scene = ?2 AND c.active = 1
),
live_banks AS (
    SELECT id, names, brand_color, consent, contact_key, version, catalogue_version
    FROM banks WHERE id IN (SELECT bank_id FROM live)
)
SELECT
    EXISTS (SELECT 1 FROM partners WHERE id = ?1) AS partner_known,
    coalesce((SELECT group_concat(v, ',') FROM
        (SELECT id || ':' || version AS v FROM live ORDER BY id)), '') || ';' ||
    coalesce((SELECT group_concat(v, ',') FROM
        (SELECT id || ':' || version || ':' || catalogue_version AS v FROM live_banks ORDER BY id)), '')
        AS version,
    (SELECT json_group_array(json_object('id', id, 'bank_id', bank_id, 'products', products))
        FROM live) AS campaigns,
    (SELECT json_group_array(json_object('id', id, 'names', names, 'brand_color', brand_color,
        'consent', consent, 'contact_key', contact_key)) FROM live_banks) AS banks,
    (SELECT json_group_array(json_object('bank_id', bank_id, 'id', id, 'spec', spec))
        FROM products WHERE bank_id IN (SELECT id FROM live_banks) AND spec IS NOT NULL) AS products
