-- A report by day with payouts by ledger date (payout_date=ledger; migration 0025): the ledger
-- rollup's 30-minute buckets over [?2, ?3), each in the local day {group} puts it in (a
-- bucket's start read as `bucket`). {rows} is the scope's rows, {sums} every summed column
-- (the ledger's four; the others 0).
SELECT {group} AS grp, event, {sums}
FROM (SELECT start AS bucket, * FROM report_ledger_rollup
      WHERE {rows} AND span = 1800 AND start >= ?2 AND start < ?3)
GROUP BY grp, event
