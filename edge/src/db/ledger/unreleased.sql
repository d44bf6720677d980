-- Approved conversions with an accrual but no release, void or clawback yet (the approval job
-- flipped them, or a run stopped before releasing them), oldest approval first, with their
-- bank's zone.
-- Only those due since ?2 (unix seconds; the job looks back a month, or further to the oldest
-- approval date it just approved), so a run reads the month's approvals, not every approval
-- ever; one approved on arrival was released with its accrual in the same batch. ?1 at most
-- this many.
SELECT c.id, b.timezone
FROM conversions c
JOIN banks b ON b.id = c.bank_id
WHERE c.status = 'approved' AND c.approve_at >= ?2
  AND EXISTS (SELECT 1 FROM ledger a WHERE a.conversion_id = c.id AND a.kind = 'accrual')
  AND NOT EXISTS (SELECT 1 FROM ledger x WHERE x.conversion_id = c.id
                  AND x.kind IN ('release', 'void', 'clawback'))
ORDER BY c.approve_at
LIMIT ?1
