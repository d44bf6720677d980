-- A report by day with payouts by ledger date (payout_date=ledger; migration 0025): the ledger's
-- 30-minute buckets over [?2, ?3), each in the local day {group} puts it in. {rows} is the
-- scope's rows of report_ledger_bucket_rollup (a partner's, a bank's whole, or one partner's
-- of a bank), {sums} every summed column (the ledger's four; the others 0).
SELECT {group} AS grp, '' AS event, {sums}
FROM report_ledger_bucket_rollup
WHERE {rows} AND bucket >= ?2 AND bucket < ?3
GROUP BY grp
