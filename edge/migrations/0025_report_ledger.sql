-- Ledger-dated payouts in reports (issue 15 item 1): `GET /v1/reports?payout_date=ledger` (the
-- default; inflow_core::report::PayoutDate) reads payouts by the date the money moved — each
-- ledger entry (0023: accrual, release, void, clawback) on its own created_at — so a reversal
-- today changes today's row, never the conversion's day, and a day that is over never changes.
-- `payout_date=conversion` reads the status columns by conversion date as before (0006, 0008).
--
-- report_ledger_rollup: the entries' amounts per partner, span (a 30-minute bucket, 1800, or a
-- UTC day, 86400), start, bank and the conversion's scene, product and campaign, as
-- report_rollup and report_daily_rollup are kept, so a report by scene, product, campaign or
-- partner reads it over the same days and edge buckets. Not by conversion event: payouts are
-- not counted by event, and the rows a report reads stay fewer.
--
-- report_ledger_bucket_rollup: the same amounts per 30-minute bucket only, for reports by day
-- (local days need buckets): a row per bank, partner and bucket, and one per bank and bucket
-- with partner_id '' for a bank's whole report, as report_bank_rollup is for the rest of it. Named after the entry kinds; voided and clawed back as positive amounts, as
-- statements show them (inflow_core::settlement::statement::Figures). The same four columns
-- by tag are in report_tag_rollup (0024), written through report_tag_delta with the
-- conversion's click's tags.
--
-- Ledger rows are only ever inserted (0023), so an insert trigger keeps both rollups.
CREATE TABLE report_ledger_rollup (
    partner_id        TEXT NOT NULL,
    span              INTEGER NOT NULL CHECK (span IN (1800, 86400)),
    start             INTEGER NOT NULL,
    bank_id           TEXT NOT NULL,
    scene             TEXT NOT NULL,
    product_id        TEXT NOT NULL,
    campaign_id       TEXT NOT NULL,
    accrued_minor     INTEGER NOT NULL DEFAULT 0,
    released_minor    INTEGER NOT NULL DEFAULT 0,
    voided_minor      INTEGER NOT NULL DEFAULT 0,
    clawed_back_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, span, start, bank_id, scene, product_id, campaign_id)
) WITHOUT ROWID;
CREATE INDEX report_ledger_rollup_by_bank ON report_ledger_rollup (bank_id, span, start);

CREATE TABLE report_ledger_bucket_rollup (
    bank_id           TEXT NOT NULL,
    partner_id        TEXT NOT NULL,
    bucket            INTEGER NOT NULL,
    accrued_minor     INTEGER NOT NULL DEFAULT 0,
    released_minor    INTEGER NOT NULL DEFAULT 0,
    voided_minor      INTEGER NOT NULL DEFAULT 0,
    clawed_back_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bank_id, partner_id, bucket)
) WITHOUT ROWID;
CREATE INDEX report_ledger_bucket_rollup_by_partner
    ON report_ledger_bucket_rollup (partner_id, bucket);

CREATE TRIGGER report_ledger_insert AFTER INSERT ON ledger
BEGIN
    INSERT INTO report_ledger_rollup (partner_id, span, start, bank_id, scene, product_id,
        campaign_id, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    SELECT NEW.partner_id, s.span, NEW.created_at / s.span * s.span, NEW.bank_id,
        ifnull(c.scene, ''), ifnull(c.product_id, ''), NEW.campaign_id,
        iif(NEW.kind = 'accrual', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'release', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'void', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'clawback', abs(NEW.amount_minor), 0)
    FROM (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
        LEFT JOIN conversions c ON c.id = NEW.conversion_id
    WHERE 1
    ON CONFLICT (partner_id, span, start, bank_id, scene, product_id, campaign_id)
    DO UPDATE SET
        accrued_minor = accrued_minor + excluded.accrued_minor,
        released_minor = released_minor + excluded.released_minor,
        voided_minor = voided_minor + excluded.voided_minor,
        clawed_back_minor = clawed_back_minor + excluded.clawed_back_minor;
    INSERT INTO report_ledger_bucket_rollup (bank_id, partner_id, bucket, accrued_minor,
        released_minor, voided_minor, clawed_back_minor)
    SELECT NEW.bank_id, o.partner_id, NEW.created_at / 1800 * 1800,
        iif(NEW.kind = 'accrual', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'release', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'void', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'clawback', abs(NEW.amount_minor), 0)
    FROM (SELECT NEW.partner_id AS partner_id UNION ALL SELECT '') AS o
    WHERE 1
    ON CONFLICT (bank_id, partner_id, bucket) DO UPDATE SET
        accrued_minor = accrued_minor + excluded.accrued_minor,
        released_minor = released_minor + excluded.released_minor,
        voided_minor = voided_minor + excluded.voided_minor,
        clawed_back_minor = clawed_back_minor + excluded.clawed_back_minor;
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign,
        event, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    SELECT NEW.partner_id, NEW.bank_id, NEW.created_at, ifnull(k.sub_id, ''),
        ifnull(k.utm_source, ''), ifnull(k.utm_campaign, ''), '',
        iif(NEW.kind = 'accrual', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'release', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'void', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'clawback', abs(NEW.amount_minor), 0)
    FROM (SELECT 1) LEFT JOIN conversions c ON c.id = NEW.conversion_id
        LEFT JOIN clicks k ON k.id = c.click_id;
END;

-- The entries written before this migration.
INSERT INTO report_ledger_rollup (partner_id, span, start, bank_id, scene, product_id,
    campaign_id, accrued_minor, released_minor, voided_minor, clawed_back_minor)
SELECT l.partner_id, s.span, l.created_at / s.span * s.span AS st, l.bank_id,
    ifnull(c.scene, '') AS sc, ifnull(c.product_id, '') AS pr, l.campaign_id,
    SUM(iif(l.kind = 'accrual', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'release', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'void', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'clawback', abs(l.amount_minor), 0))
FROM ledger l, (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
    LEFT JOIN conversions c ON c.id = l.conversion_id
GROUP BY l.partner_id, s.span, st, l.bank_id, sc, pr, l.campaign_id;

INSERT INTO report_ledger_bucket_rollup (bank_id, partner_id, bucket, accrued_minor,
    released_minor, voided_minor, clawed_back_minor)
SELECT l.bank_id, iif(w.whole, '', l.partner_id) AS p, l.created_at / 1800 * 1800 AS b,
    SUM(iif(l.kind = 'accrual', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'release', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'void', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'clawback', abs(l.amount_minor), 0))
FROM ledger l, (SELECT 0 AS whole UNION ALL SELECT 1) AS w
GROUP BY l.bank_id, p, b;

INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
    accrued_minor, released_minor, voided_minor, clawed_back_minor)
SELECT l.partner_id, l.bank_id, l.created_at, ifnull(k.sub_id, ''), ifnull(k.utm_source, ''),
    ifnull(k.utm_campaign, ''), '',
    iif(l.kind = 'accrual', abs(l.amount_minor), 0),
    iif(l.kind = 'release', abs(l.amount_minor), 0),
    iif(l.kind = 'void', abs(l.amount_minor), 0),
    iif(l.kind = 'clawback', abs(l.amount_minor), 0)
FROM ledger l LEFT JOIN conversions c ON c.id = l.conversion_id
    LEFT JOIN clicks k ON k.id = c.click_id;
