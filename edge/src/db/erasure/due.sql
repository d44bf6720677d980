-- Leads not yet erased that are past their retention at ?1 (unix seconds), oldest first, at
-- most ?2: a lead goes at the shortest `retention_days` of the banks it was shown (NULL: ?3
-- days, the default), a lead shown no bank at ?3 days. No retention is shorter than a day, so
-- only leads older than that are looked at (leads_unerased_by_time).
SELECT l.id
FROM leads l
WHERE l.erased_at IS NULL
  AND l.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ?1 - 86400, 'unixepoch')
  AND l.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', ?1 - 86400 * ifnull(
        (SELECT MIN(ifnull(b.retention_days, ?3)) FROM bank_leads f JOIN banks b ON b.id = f.bank_id
         WHERE f.lead_id = l.id AND f.kind = 'lead'), ?3), 'unixepoch')
ORDER BY l.created_at
LIMIT ?2
