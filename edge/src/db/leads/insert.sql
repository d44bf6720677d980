-- A lead with its answer, stored if its partner exists and its Idempotency-Key (?13) is new
-- for the partner (the unique index leads_by_idempotency_key); otherwise nothing is written.
-- The partner's tracking tags are copied out of the attribution (?8, checked by
-- inflow_core::report::tags) into their columns (0024), '' when absent.
INSERT OR IGNORE INTO leads (id, partner_id, scene, lang, answers, risk_tolerance,
                             recommended, attribution, created_at, propensity, tier, tags,
                             idempotency_key, consent_version, consent_at, consent_recorded_at,
                             contact_hash, request_fingerprint, response,
                             sub_id, utm_source, utm_campaign)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
       ifnull(json_extract(?8, '$.sub_id'), ''), ifnull(json_extract(?8, '$.utm_source'), ''),
       ifnull(json_extract(?8, '$.utm_campaign'), '')
WHERE EXISTS (SELECT 1 FROM partners WHERE id = ?2)
