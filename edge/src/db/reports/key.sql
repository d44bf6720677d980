-- Whose report key this is (?1: its SHA-256, hex): a partner's or a bank's.
SELECT 'partner' AS kind, id FROM partners WHERE report_key_hash = ?1
UNION ALL
SELECT 'bank', id FROM banks WHERE report_key_hash = ?1
