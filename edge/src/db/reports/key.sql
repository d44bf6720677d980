-- Whose report key this is (?1: its SHA-256, hex; ?2: now, unix seconds): a partner's or a
-- bank's. Keys are the legacy hashes of `partners`/`banks` and the report keys the admin API
-- made (`api_keys`) that are neither revoked nor expired.
SELECT 'partner' AS kind, id FROM partners WHERE report_key_hash = ?1
UNION ALL
SELECT 'bank', id FROM banks WHERE report_key_hash = ?1
UNION ALL
SELECT CASE kind WHEN 'partner_report' THEN 'partner' ELSE 'bank' END, COALESCE(partner_id, bank_id)
FROM api_keys
WHERE hash = ?1 AND kind IN ('bank_report', 'partner_report') AND revoked_at IS NULL
  AND (expires_at IS NULL OR expires_at > ?2)
