-- A bank's report by day, not narrowed to a partner: its own rollup (bank ?1), 30-minute buckets
-- over [?2, ?3), each in the local day {group} puts it in.
SELECT {group} AS grp, event, {sums}
FROM report_bank_rollup
WHERE bank_id = ?1 AND bucket >= ?2 AND bucket < ?3
GROUP BY grp, event
