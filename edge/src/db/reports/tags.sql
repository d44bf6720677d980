-- A report by a partner's tracking tag (?7: sub_id, utm_source or utm_campaign) from the tag
-- rollup (migration 0024): the whole UTC days [?5, ?6) and the buckets of the partial days
-- before and after them ([?2, ?5) and [?6, ?3)); core adds up a value's parts and folds the
-- values past its top into "(other)" (inflow_core::report::tags::finish). {rows} is the scope's
-- rows (?1, and ?4 for a bank narrowed to a partner), {sums} every summed rollup column.
SELECT value AS grp, event, {sums}
FROM report_tag_rollup
WHERE {rows} AND tag = ?7 AND span = 86400 AND start >= ?5 AND start < ?6
GROUP BY grp, event
UNION ALL
SELECT value AS grp, event, {sums}
FROM report_tag_rollup
WHERE {rows} AND tag = ?7 AND span = 1800 AND start >= ?2 AND start < ?5
GROUP BY grp, event
UNION ALL
SELECT value AS grp, event, {sums}
FROM report_tag_rollup
WHERE {rows} AND tag = ?7 AND span = 1800 AND start >= ?6 AND start < ?3
GROUP BY grp, event
