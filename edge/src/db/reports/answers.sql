-- The drop-off's answers per question over a report's range [?2, ?3) (migration 0011): the
-- whole UTC days [?5, ?6) and the buckets of the partial days at the edges. {owner} is the
-- scope's rows: a partner's own (?1), a bank's (?1), or one partner (?4) of bank ?1.
SELECT question, SUM(answered) AS answered
FROM (
    SELECT question, answered FROM report_answer_rollup
    WHERE {owner} AND span = 86400 AND start >= ?5 AND start < ?6
    UNION ALL
    SELECT question, answered FROM report_answer_rollup
    WHERE {owner} AND span = 1800 AND start >= ?2 AND start < ?5
    UNION ALL
    SELECT question, answered FROM report_answer_rollup
    WHERE {owner} AND span = 1800 AND start >= ?6 AND start < ?3
)
GROUP BY question
