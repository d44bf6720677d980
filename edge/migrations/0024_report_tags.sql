-- Partners' own tracking tags (issue 15 item 5; inflow_core::report::tags): sub_id, utm_source
-- and utm_campaign, from the script tag's data-* attributes or the page URL, sent with funnel
-- events and leads. A click copies its lead's tags, and a conversion is counted under its
-- click's, so everything that descends from a lead carries the tags it came with. Rows from
-- before this migration have none ('', reported as "(none)").
ALTER TABLE funnel_events ADD COLUMN sub_id TEXT NOT NULL DEFAULT '';
ALTER TABLE funnel_events ADD COLUMN utm_source TEXT NOT NULL DEFAULT '';
ALTER TABLE funnel_events ADD COLUMN utm_campaign TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN sub_id TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN utm_source TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN utm_campaign TEXT NOT NULL DEFAULT '';
ALTER TABLE clicks ADD COLUMN sub_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clicks ADD COLUMN utm_source TEXT NOT NULL DEFAULT '';
ALTER TABLE clicks ADD COLUMN utm_campaign TEXT NOT NULL DEFAULT '';

-- report_tag_rollup: report_rollup's metrics (0006, 0011), and the ledger's by entry date
-- (accrued, released, voided, clawed back: written by 0025's trigger on ledger), per partner,
-- tag, span (a 30-minute bucket, 1800, or a UTC day, 86400), start, bank ('' for the funnel,
-- as in report_rollup),
-- the tag's value and conversion event. A report by a tag reads the whole UTC days in its range
-- and the buckets of the partial days at its edges, as reports by scene read report_rollup and
-- report_daily_rollup. Every row is written three times, once per tag.
--
-- Values are bounded (inflow_core::report::tags): per partner, tag and UTC day the first 20
-- distinct values are registered in report_tag_values and kept; a later one of that day is
-- counted under '(other)' (a value the edge refuses from partners). The registry only grows, so
-- a row's label never changes and a change taken back later (a conversion approved or reversed
-- days after) is taken from the row it was added to. '' is no value.
CREATE TABLE report_tag_rollup (
    partner_id            TEXT NOT NULL,
    tag                   TEXT NOT NULL CHECK (tag IN ('sub_id', 'utm_source', 'utm_campaign')),
    span                  INTEGER NOT NULL CHECK (span IN (1800, 86400)),
    start                 INTEGER NOT NULL,
    bank_id               TEXT NOT NULL,
    value                 TEXT NOT NULL,
    event                 TEXT NOT NULL,
    impressions           INTEGER NOT NULL DEFAULT 0,
    opens                 INTEGER NOT NULL DEFAULT 0,
    recommendations       INTEGER NOT NULL DEFAULT 0,
    leads                 INTEGER NOT NULL DEFAULT 0,
    clicks                INTEGER NOT NULL DEFAULT 0,
    conversions           INTEGER NOT NULL DEFAULT 0,
    rejected              INTEGER NOT NULL DEFAULT 0,
    value_minor           INTEGER NOT NULL DEFAULT 0,
    payout_pending_minor  INTEGER NOT NULL DEFAULT 0,
    payout_approved_minor INTEGER NOT NULL DEFAULT 0,
    payout_held_minor     INTEGER NOT NULL DEFAULT 0,
    payout_reversed_minor INTEGER NOT NULL DEFAULT 0,
    accrued_minor         INTEGER NOT NULL DEFAULT 0,
    released_minor        INTEGER NOT NULL DEFAULT 0,
    voided_minor          INTEGER NOT NULL DEFAULT 0,
    clawed_back_minor     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, tag, span, start, bank_id, value, event)
) WITHOUT ROWID;
CREATE INDEX report_tag_rollup_by_bank ON report_tag_rollup (bank_id, tag, span, start);

CREATE TABLE report_tag_values (
    partner_id TEXT NOT NULL,
    tag        TEXT NOT NULL,
    day        INTEGER NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (partner_id, tag, day, value)
) WITHOUT ROWID;

-- Changes are written into this view as differences, with the time they happened (`at`, unix
-- seconds) and the raw tags; its trigger registers new values, labels each tag's value and
-- adds the metrics to both spans. A metric left out adds nothing.
CREATE VIEW report_tag_delta AS
SELECT partner_id, bank_id, 0 AS at, '' AS sub_id, '' AS utm_source, '' AS utm_campaign, event,
    impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
    payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor,
    accrued_minor, released_minor, voided_minor, clawed_back_minor
FROM report_tag_rollup WHERE 0;

CREATE TRIGGER report_tag_delta_add INSTEAD OF INSERT ON report_tag_delta
BEGIN
    INSERT OR IGNORE INTO report_tag_values (partner_id, tag, day, value)
    SELECT NEW.partner_id, t.tag, NEW.at / 86400 * 86400, t.value
    FROM (SELECT 'sub_id' AS tag, NEW.sub_id AS value UNION ALL SELECT 'utm_source', NEW.utm_source
            UNION ALL SELECT 'utm_campaign', NEW.utm_campaign) AS t
    WHERE t.value != '' AND (SELECT COUNT(*) FROM report_tag_values v
        WHERE v.partner_id = NEW.partner_id AND v.tag = t.tag AND v.day = NEW.at / 86400 * 86400)
        < 20;
    INSERT INTO report_tag_rollup (partner_id, tag, span, start, bank_id, value, event,
        impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
        payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor,
        accrued_minor, released_minor, voided_minor, clawed_back_minor)
    SELECT NEW.partner_id, t.tag, s.span, NEW.at / s.span * s.span, NEW.bank_id,
        CASE WHEN t.value = '' THEN ''
            WHEN EXISTS (SELECT 1 FROM report_tag_values v WHERE v.partner_id = NEW.partner_id
                AND v.tag = t.tag AND v.day = NEW.at / 86400 * 86400 AND v.value = t.value)
            THEN t.value
            ELSE '(other)' END,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0),
        ifnull(NEW.payout_pending_minor, 0), ifnull(NEW.payout_approved_minor, 0),
        ifnull(NEW.payout_held_minor, 0), ifnull(NEW.payout_reversed_minor, 0),
        ifnull(NEW.accrued_minor, 0), ifnull(NEW.released_minor, 0),
        ifnull(NEW.voided_minor, 0), ifnull(NEW.clawed_back_minor, 0)
    FROM (SELECT 'sub_id' AS tag, NEW.sub_id AS value UNION ALL SELECT 'utm_source', NEW.utm_source
            UNION ALL SELECT 'utm_campaign', NEW.utm_campaign) AS t,
        (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
    WHERE 1
    ON CONFLICT (partner_id, tag, span, start, bank_id, value, event) DO UPDATE SET
        impressions = impressions + excluded.impressions,
        opens = opens + excluded.opens,
        recommendations = recommendations + excluded.recommendations,
        leads = leads + excluded.leads,
        clicks = clicks + excluded.clicks,
        conversions = conversions + excluded.conversions,
        rejected = rejected + excluded.rejected,
        value_minor = value_minor + excluded.value_minor,
        payout_pending_minor = payout_pending_minor + excluded.payout_pending_minor,
        payout_approved_minor = payout_approved_minor + excluded.payout_approved_minor,
        payout_held_minor = payout_held_minor + excluded.payout_held_minor,
        payout_reversed_minor = payout_reversed_minor + excluded.payout_reversed_minor,
        accrued_minor = accrued_minor + excluded.accrued_minor,
        released_minor = released_minor + excluded.released_minor,
        voided_minor = voided_minor + excluded.voided_minor,
        clawed_back_minor = clawed_back_minor + excluded.clawed_back_minor;
END;

-- Every write to the raw tables, as report_rollup's triggers (0008, 0009, 0011): an insert adds
-- the new row, an update takes the old row back and adds the new one, a delete takes it back.
-- The funnel's impressions, opens and recommendations (answers are not by tag).

CREATE TRIGGER report_tag_funnel_event_insert AFTER INSERT ON funnel_events
WHEN NEW.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', NEW.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        impressions, opens, recommendations)
    SELECT NEW.partner_id, '', CAST(strftime('%s', NEW.received_at) AS INTEGER),
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        NEW.kind = 'impression', NEW.kind = 'open', NEW.kind = 'recommendation';
END;

CREATE TRIGGER report_tag_funnel_event_update
AFTER UPDATE OF partner_id, kind, received_at, sub_id, utm_source, utm_campaign ON funnel_events
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        impressions, opens, recommendations)
    SELECT OLD.partner_id, '', CAST(strftime('%s', OLD.received_at) AS INTEGER),
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -(OLD.kind = 'impression'), -(OLD.kind = 'open'), -(OLD.kind = 'recommendation')
    WHERE OLD.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', OLD.received_at) IS NOT NULL;
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        impressions, opens, recommendations)
    SELECT NEW.partner_id, '', CAST(strftime('%s', NEW.received_at) AS INTEGER),
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        NEW.kind = 'impression', NEW.kind = 'open', NEW.kind = 'recommendation'
    WHERE NEW.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', NEW.received_at) IS NOT NULL;
END;

CREATE TRIGGER report_tag_funnel_event_delete AFTER DELETE ON funnel_events
WHEN OLD.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', OLD.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        impressions, opens, recommendations)
    SELECT OLD.partner_id, '', CAST(strftime('%s', OLD.received_at) AS INTEGER),
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -(OLD.kind = 'impression'), -(OLD.kind = 'open'), -(OLD.kind = 'recommendation');
END;

-- Leads, with the tags they were sent with.

CREATE TRIGGER report_tag_lead_insert AFTER INSERT ON leads
WHEN strftime('%s', NEW.created_at) IS NOT NULL
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        leads)
    SELECT NEW.partner_id, '', CAST(strftime('%s', NEW.created_at) AS INTEGER),
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        1;
END;

CREATE TRIGGER report_tag_lead_update
AFTER UPDATE OF partner_id, created_at, sub_id, utm_source, utm_campaign ON leads
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        leads)
    SELECT OLD.partner_id, '', CAST(strftime('%s', OLD.created_at) AS INTEGER),
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -1
    WHERE strftime('%s', OLD.created_at) IS NOT NULL;
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        leads)
    SELECT NEW.partner_id, '', CAST(strftime('%s', NEW.created_at) AS INTEGER),
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        1
    WHERE strftime('%s', NEW.created_at) IS NOT NULL;
END;

CREATE TRIGGER report_tag_lead_delete AFTER DELETE ON leads
WHEN strftime('%s', OLD.created_at) IS NOT NULL
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        leads)
    SELECT OLD.partner_id, '', CAST(strftime('%s', OLD.created_at) AS INTEGER),
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -1;
END;

-- People's clicks (not machines': 0009), with their lead's tags.

CREATE TRIGGER report_tag_click_insert AFTER INSERT ON clicks
WHEN NEW.ua_bot = 0
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        clicks)
    SELECT NEW.partner_id, NEW.bank_id, NEW.created_at,
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        1;
END;

CREATE TRIGGER report_tag_click_update
AFTER UPDATE OF partner_id, bank_id, created_at, ua_bot, sub_id, utm_source, utm_campaign ON clicks
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        clicks)
    SELECT OLD.partner_id, OLD.bank_id, OLD.created_at,
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -1
    WHERE OLD.ua_bot = 0;
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        clicks)
    SELECT NEW.partner_id, NEW.bank_id, NEW.created_at,
        NEW.sub_id, NEW.utm_source, NEW.utm_campaign, '',
        1
    WHERE NEW.ua_bot = 0;
END;

CREATE TRIGGER report_tag_click_delete AFTER DELETE ON clicks
WHEN OLD.ua_bot = 0
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        clicks)
    SELECT OLD.partner_id, OLD.bank_id, OLD.created_at,
        OLD.sub_id, OLD.utm_source, OLD.utm_campaign, '',
        -1;
END;

-- Conversions, as 0008 counts them, under their click's tags (a click's tags never change).

CREATE TRIGGER report_tag_conversion_insert AFTER INSERT ON conversions
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    SELECT NEW.partner_id, NEW.bank_id, NEW.occurred_at,
        ifnull(k.sub_id, ''), ifnull(k.utm_source, ''), ifnull(k.utm_campaign, ''), NEW.event,
        NEW.status NOT IN ('rejected', 'reversed'), NEW.status IN ('rejected', 'reversed'),
        iif(NEW.status NOT IN ('rejected', 'reversed'), NEW.amount_minor, 0),
        iif(NEW.status = 'pending', NEW.payout_minor, 0),
        iif(NEW.status = 'approved', NEW.payout_minor, 0),
        iif(NEW.status = 'held', NEW.payout_minor, 0),
        iif(NEW.status = 'reversed', NEW.payout_minor, 0)
    FROM (SELECT 1) LEFT JOIN clicks k ON k.id = NEW.click_id;
END;

CREATE TRIGGER report_tag_conversion_update
AFTER UPDATE OF partner_id, bank_id, event, status, amount_minor, payout_minor, occurred_at,
    click_id ON conversions
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    SELECT OLD.partner_id, OLD.bank_id, OLD.occurred_at,
        ifnull(k.sub_id, ''), ifnull(k.utm_source, ''), ifnull(k.utm_campaign, ''), OLD.event,
        -(OLD.status NOT IN ('rejected', 'reversed')),
        -(OLD.status IN ('rejected', 'reversed')),
        -(iif(OLD.status NOT IN ('rejected', 'reversed'), OLD.amount_minor, 0)),
        -(iif(OLD.status = 'pending', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'approved', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'held', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'reversed', OLD.payout_minor, 0))
    FROM (SELECT 1) LEFT JOIN clicks k ON k.id = OLD.click_id;
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    SELECT NEW.partner_id, NEW.bank_id, NEW.occurred_at,
        ifnull(k.sub_id, ''), ifnull(k.utm_source, ''), ifnull(k.utm_campaign, ''), NEW.event,
        NEW.status NOT IN ('rejected', 'reversed'), NEW.status IN ('rejected', 'reversed'),
        iif(NEW.status NOT IN ('rejected', 'reversed'), NEW.amount_minor, 0),
        iif(NEW.status = 'pending', NEW.payout_minor, 0),
        iif(NEW.status = 'approved', NEW.payout_minor, 0),
        iif(NEW.status = 'held', NEW.payout_minor, 0),
        iif(NEW.status = 'reversed', NEW.payout_minor, 0)
    FROM (SELECT 1) LEFT JOIN clicks k ON k.id = NEW.click_id;
END;

CREATE TRIGGER report_tag_conversion_delete AFTER DELETE ON conversions
BEGIN
    INSERT INTO report_tag_delta (partner_id, bank_id, at, sub_id, utm_source, utm_campaign, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    SELECT OLD.partner_id, OLD.bank_id, OLD.occurred_at,
        ifnull(k.sub_id, ''), ifnull(k.utm_source, ''), ifnull(k.utm_campaign, ''), OLD.event,
        -(OLD.status NOT IN ('rejected', 'reversed')),
        -(OLD.status IN ('rejected', 'reversed')),
        -(iif(OLD.status NOT IN ('rejected', 'reversed'), OLD.amount_minor, 0)),
        -(iif(OLD.status = 'pending', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'approved', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'held', OLD.payout_minor, 0)),
        -(iif(OLD.status = 'reversed', OLD.payout_minor, 0))
    FROM (SELECT 1) LEFT JOIN clicks k ON k.id = OLD.click_id;
END;

-- What report_rollup held before this migration: all of it without tags.
INSERT INTO report_tag_rollup (partner_id, tag, span, start, bank_id, value, event,
    impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
    payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor)
SELECT r.partner_id, t.tag, s.span, r.bucket / s.span * s.span AS st, r.bank_id, '', r.event,
    SUM(r.impressions), SUM(r.opens), SUM(r.recommendations), SUM(r.leads), SUM(r.clicks),
    SUM(r.conversions), SUM(r.rejected), SUM(r.value_minor), SUM(r.payout_pending_minor),
    SUM(r.payout_approved_minor), SUM(r.payout_held_minor), SUM(r.payout_reversed_minor)
FROM report_rollup r,
    (SELECT 'sub_id' AS tag UNION ALL SELECT 'utm_source' UNION ALL SELECT 'utm_campaign') AS t,
    (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
GROUP BY r.partner_id, t.tag, s.span, st, r.bank_id, r.event;
