-- A report by scene, product, campaign or partner: the whole UTC days [?5, ?6) from the daily
-- rollup, and the buckets of the partial days before and after them ([?2, ?5) and [?6, ?3));
-- core adds up a group's parts. {rows} is the scope's rows (?1, and ?4 for a bank narrowed to a
-- partner), {group} the grouping column, {sums} every summed rollup column.
SELECT {group} AS grp, event, {sums}
FROM report_daily_rollup
WHERE {rows} AND day >= ?5 AND day < ?6
GROUP BY grp, event
UNION ALL
SELECT {group} AS grp, event, {sums}
FROM report_rollup
WHERE {rows} AND bucket >= ?2 AND bucket < ?5
GROUP BY grp, event
UNION ALL
SELECT {group} AS grp, event, {sums}
FROM report_rollup
WHERE {rows} AND bucket >= ?6 AND bucket < ?3
GROUP BY grp, event
