-- Ledger-dated payouts folded into the report rollups (issue 15: reports "kept in the rollups
-- so the report bench budgets still hold"). 0025 kept the ledger's entries in two rollups of
-- their own, which every report by ledger date (the default) read beside the others: ~30 % more
-- rows read. Here the entries' amounts (accrued, released, voided, clawed back: positive, named
-- after the entry kinds, as 0025 and inflow_core::settlement::statement::Figures have them)
-- become four columns of report_rollup, report_daily_rollup and report_bank_rollup, and each
-- entry is added to the row of its own created_at bucket (and, through 0007's triggers, UTC
-- day; through report_bank_delta, its bank's bucket), keyed as its conversion's row is: the
-- entry's partner, bank and campaign, the conversion's scene and product, and the
-- conversion's event. A report reads each row once for both kinds of payout; which it shows is
-- the `payout_date` query's choice (inflow_core::report::PayoutDate), not another table.
--
-- Why the conversion's event and not '' (the clicks' and funnel's rows): an entry adds a row
-- only where its key has none in that bucket. An accrual — one per paying conversion, the most
-- common entry — is dated at the conversion's arrival (edge/src/db/ledger/accrue.sql), and so
-- is a release on arrival and, most often, a reversal's void or clawback: their conversion's own
-- row (its occurred_at bucket, which a prompt postback shares, and its UTC day almost always)
-- is there already under its event, while a click row of that scene, product and campaign
-- would be there only if a click came in the same half hour. A release after a hold lands days
-- later, where either key may have a row; the conversion's event is no worse there.
--
-- report_tag_rollup (0024) has held these four columns since 0025 and keeps them; the trigger
-- below writes it as 0025's did.

-- The triggers that name the rollups' columns in order, or insert into report_delta's and
-- report_daily_delta's views without a column list, go before the columns are added and are made
-- again below with them (as 0011 did); so does 0025's ledger trigger.
DROP TRIGGER report_ledger_insert;
DROP TRIGGER report_delta_add;
DROP TRIGGER report_bank_delta_add;
DROP TRIGGER report_daily_delta_add;
DROP TRIGGER report_rollup_insert;
DROP TRIGGER report_rollup_update;
DROP TRIGGER report_rollup_delete;

ALTER TABLE report_rollup ADD COLUMN accrued_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollup ADD COLUMN released_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollup ADD COLUMN voided_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_rollup ADD COLUMN clawed_back_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_daily_rollup ADD COLUMN accrued_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_daily_rollup ADD COLUMN released_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_daily_rollup ADD COLUMN voided_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_daily_rollup ADD COLUMN clawed_back_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_bank_rollup ADD COLUMN accrued_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_bank_rollup ADD COLUMN released_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_bank_rollup ADD COLUMN voided_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_bank_rollup ADD COLUMN clawed_back_minor INTEGER NOT NULL DEFAULT 0;

-- 0011's triggers (0006's and 0007's), with the ledger's four columns.
CREATE TRIGGER report_delta_add INSTEAD OF INSERT ON report_delta
BEGIN
    INSERT INTO report_rollup (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
        payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor,
        accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (NEW.partner_id, NEW.bucket, NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0), ifnull(NEW.accrued_minor, 0),
        ifnull(NEW.released_minor, 0), ifnull(NEW.voided_minor, 0),
        ifnull(NEW.clawed_back_minor, 0))
    ON CONFLICT (partner_id, bucket, bank_id, scene, product_id, campaign_id, event)
    DO UPDATE SET
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
    -- A click, conversion or ledger entry belongs to its bank; the funnel to every bank with a
    -- campaign for the partner.
    INSERT INTO report_bank_delta (bank_id, bucket, event, impressions, opens, recommendations,
        leads, clicks, conversions, rejected, value_minor, payout_pending_minor,
        payout_approved_minor, payout_held_minor, payout_reversed_minor, accrued_minor,
        released_minor, voided_minor, clawed_back_minor)
    SELECT bank_id, NEW.bucket, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.clicks,
        NEW.conversions, NEW.rejected, NEW.value_minor, NEW.payout_pending_minor,
        NEW.payout_approved_minor, NEW.payout_held_minor, NEW.payout_reversed_minor,
        NEW.accrued_minor, NEW.released_minor, NEW.voided_minor, NEW.clawed_back_minor
    FROM (SELECT NEW.bank_id AS bank_id WHERE NEW.bank_id != ''
        UNION SELECT bank_id FROM campaigns WHERE NEW.bank_id = '' AND partner_id = NEW.partner_id);
END;

CREATE TRIGGER report_bank_delta_add INSTEAD OF INSERT ON report_bank_delta
BEGIN
    INSERT INTO report_bank_rollup (bank_id, bucket, event,
        impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
        payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor,
        accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (NEW.bank_id, NEW.bucket, NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0), ifnull(NEW.accrued_minor, 0),
        ifnull(NEW.released_minor, 0), ifnull(NEW.voided_minor, 0),
        ifnull(NEW.clawed_back_minor, 0))
    ON CONFLICT (bank_id, bucket, event) DO UPDATE SET
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

CREATE TRIGGER report_daily_delta_add INSTEAD OF INSERT ON report_daily_delta
BEGIN
    INSERT INTO report_daily_rollup (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, clicks, conversions, rejected,
        value_minor, payout_pending_minor, payout_approved_minor, payout_held_minor,
        payout_reversed_minor, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (NEW.partner_id, NEW.day, NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0), ifnull(NEW.accrued_minor, 0),
        ifnull(NEW.released_minor, 0), ifnull(NEW.voided_minor, 0),
        ifnull(NEW.clawed_back_minor, 0))
    ON CONFLICT (partner_id, day, bank_id, scene, product_id, campaign_id, event)
    DO UPDATE SET
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

CREATE TRIGGER report_rollup_insert AFTER INSERT ON report_rollup
BEGIN
    INSERT INTO report_daily_delta (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, clicks, conversions, rejected,
        value_minor, payout_pending_minor, payout_approved_minor, payout_held_minor,
        payout_reversed_minor, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.clicks, NEW.conversions,
        NEW.rejected, NEW.value_minor, NEW.payout_pending_minor, NEW.payout_approved_minor,
        NEW.payout_held_minor, NEW.payout_reversed_minor, NEW.accrued_minor, NEW.released_minor,
        NEW.voided_minor, NEW.clawed_back_minor);
END;

CREATE TRIGGER report_rollup_update AFTER UPDATE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, clicks, conversions, rejected,
        value_minor, payout_pending_minor, payout_approved_minor, payout_held_minor,
        payout_reversed_minor, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions - OLD.impressions, NEW.opens - OLD.opens,
        NEW.recommendations - OLD.recommendations, NEW.leads - OLD.leads,
        NEW.clicks - OLD.clicks, NEW.conversions - OLD.conversions,
        NEW.rejected - OLD.rejected, NEW.value_minor - OLD.value_minor,
        NEW.payout_pending_minor - OLD.payout_pending_minor,
        NEW.payout_approved_minor - OLD.payout_approved_minor,
        NEW.payout_held_minor - OLD.payout_held_minor,
        NEW.payout_reversed_minor - OLD.payout_reversed_minor,
        NEW.accrued_minor - OLD.accrued_minor, NEW.released_minor - OLD.released_minor,
        NEW.voided_minor - OLD.voided_minor, NEW.clawed_back_minor - OLD.clawed_back_minor);
END;

CREATE TRIGGER report_rollup_delete AFTER DELETE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, clicks, conversions, rejected,
        value_minor, payout_pending_minor, payout_approved_minor, payout_held_minor,
        payout_reversed_minor, accrued_minor, released_minor, voided_minor, clawed_back_minor)
    VALUES (OLD.partner_id, OLD.bucket / 86400 * 86400,
        OLD.bank_id, OLD.scene, OLD.product_id, OLD.campaign_id, OLD.event,
        -OLD.impressions, -OLD.opens, -OLD.recommendations, -OLD.leads, -OLD.clicks,
        -OLD.conversions, -OLD.rejected, -OLD.value_minor, -OLD.payout_pending_minor,
        -OLD.payout_approved_minor, -OLD.payout_held_minor, -OLD.payout_reversed_minor,
        -OLD.accrued_minor, -OLD.released_minor, -OLD.voided_minor, -OLD.clawed_back_minor);
END;

-- Ledger rows are only ever inserted (0023), so an insert trigger keeps the rollups: the entry
-- in report_rollup (and so report_daily_rollup and report_bank_rollup), and by its click's
-- tags in report_tag_rollup, as 0025 wrote it.
CREATE TRIGGER report_ledger_insert AFTER INSERT ON ledger
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        accrued_minor, released_minor, voided_minor, clawed_back_minor)
    SELECT NEW.partner_id, NEW.created_at / 1800 * 1800, NEW.bank_id, ifnull(c.scene, ''),
        ifnull(c.product_id, ''), NEW.campaign_id, ifnull(c.event, ''),
        iif(NEW.kind = 'accrual', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'release', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'void', abs(NEW.amount_minor), 0),
        iif(NEW.kind = 'clawback', abs(NEW.amount_minor), 0)
    FROM (SELECT 1) LEFT JOIN conversions c ON c.id = NEW.conversion_id;
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

-- The entries written before this migration, from the ledger itself (the ledger rollups have
-- no event): the same amounts on the same buckets and days, with the same partner, bank,
-- campaign, scene and product, as 0025's backfill and trigger gave them. The tag rollup has
-- them already.
INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    accrued_minor, released_minor, voided_minor, clawed_back_minor)
SELECT l.partner_id, l.created_at / 1800 * 1800 AS b, l.bank_id, ifnull(c.scene, '') AS sc,
    ifnull(c.product_id, '') AS pr, l.campaign_id, ifnull(c.event, '') AS ev,
    SUM(iif(l.kind = 'accrual', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'release', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'void', abs(l.amount_minor), 0)),
    SUM(iif(l.kind = 'clawback', abs(l.amount_minor), 0))
FROM ledger l LEFT JOIN conversions c ON c.id = l.conversion_id
GROUP BY l.partner_id, b, l.bank_id, sc, pr, l.campaign_id, ev;

DROP TABLE report_ledger_rollup;
DROP TABLE report_ledger_bucket_rollup;
