-- A report's parts from 30-minute buckets over its whole range [?2, ?3): a report by day, each
-- bucket in the local day {group} puts it in. {rows} is the scope's rows (?1, and ?4 for a bank
-- narrowed to a partner), {sums} every summed rollup column (inflow_core::report::Metric).
SELECT {group} AS grp, event, {sums}
FROM report_rollup
WHERE {rows} AND bucket >= ?2 AND bucket < ?3
GROUP BY grp, event
