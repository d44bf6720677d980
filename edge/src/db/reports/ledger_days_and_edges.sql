-- A report by scene, product, campaign or partner with payouts by ledger date
-- (payout_date=ledger; migration 0025): the ledger rollup's whole UTC days [?5, ?6) and the
-- buckets of the partial days before and after them ([?2, ?5) and [?6, ?3)), as
-- days_and_edges.sql reads the other rollups. {rows}, {group}, {sums} as there. One SELECT
-- over a UNION of the three, because it is appended to days_and_edges.sql's three and D1
-- allows at most five terms in a compound SELECT.
SELECT {group} AS grp, '' AS event, {sums}
FROM (
    SELECT * FROM report_ledger_rollup
    WHERE {rows} AND span = 86400 AND start >= ?5 AND start < ?6
    UNION ALL
    SELECT * FROM report_ledger_rollup
    WHERE {rows} AND span = 1800 AND start >= ?2 AND start < ?5
    UNION ALL
    SELECT * FROM report_ledger_rollup
    WHERE {rows} AND span = 1800 AND start >= ?6 AND start < ?3
)
GROUP BY grp
