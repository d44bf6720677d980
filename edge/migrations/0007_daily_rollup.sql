-- report_daily_rollup: report_rollup summed by UTC day (day = bucket / 86400 * 86400), so a
-- report by scene, product, campaign or partner reads one row per day for the whole UTC days in
-- its range, and report_rollup's half-hour buckets only for the partial days at its edges.
--
-- Kept by triggers on report_rollup itself: a new row adds its metrics to its day, an update
-- (report_delta_add's upsert: SQLite fires UPDATE triggers for DO UPDATE) adds the difference,
-- a delete takes the row back. A row's key never changes: only report_delta_add writes it.

CREATE TABLE report_daily_rollup (
    partner_id            TEXT NOT NULL,
    day                   INTEGER NOT NULL,
    bank_id               TEXT NOT NULL,
    scene                 TEXT NOT NULL,
    product_id            TEXT NOT NULL,
    campaign_id           TEXT NOT NULL,
    event                 TEXT NOT NULL,
    impressions           INTEGER NOT NULL DEFAULT 0,
    opens                 INTEGER NOT NULL DEFAULT 0,
    recommendations       INTEGER NOT NULL DEFAULT 0,
    leads                 INTEGER NOT NULL DEFAULT 0,
    q_age                 INTEGER NOT NULL DEFAULT 0,
    q_goal                INTEGER NOT NULL DEFAULT 0,
    q_horizon             INTEGER NOT NULL DEFAULT 0,
    q_amount              INTEGER NOT NULL DEFAULT 0,
    q_liquidity           INTEGER NOT NULL DEFAULT 0,
    q_region              INTEGER NOT NULL DEFAULT 0,
    q_assets              INTEGER NOT NULL DEFAULT 0,
    q_experience          INTEGER NOT NULL DEFAULT 0,
    q_knowledge           INTEGER NOT NULL DEFAULT 0,
    q_income              INTEGER NOT NULL DEFAULT 0,
    q_objective           INTEGER NOT NULL DEFAULT 0,
    q_max_loss            INTEGER NOT NULL DEFAULT 0,
    q_loss                INTEGER NOT NULL DEFAULT 0,
    clicks                INTEGER NOT NULL DEFAULT 0,
    conversions           INTEGER NOT NULL DEFAULT 0,
    rejected              INTEGER NOT NULL DEFAULT 0,
    value_minor           INTEGER NOT NULL DEFAULT 0,
    payout_pending_minor  INTEGER NOT NULL DEFAULT 0,
    payout_approved_minor INTEGER NOT NULL DEFAULT 0,
    payout_held_minor     INTEGER NOT NULL DEFAULT 0,
    payout_reversed_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, day, bank_id, scene, product_id, campaign_id, event)
) WITHOUT ROWID;
CREATE INDEX report_daily_rollup_by_bank ON report_daily_rollup (bank_id, day);

-- Differences are written into this view; its trigger adds them up. A metric left out adds
-- nothing.
CREATE VIEW report_daily_delta AS SELECT * FROM report_daily_rollup WHERE 0;

CREATE TRIGGER report_daily_delta_add INSTEAD OF INSERT ON report_daily_delta
BEGIN
    INSERT INTO report_daily_rollup (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount,
        q_liquidity, q_region, q_assets, q_experience, q_knowledge, q_income, q_objective,
        q_max_loss, q_loss, clicks, conversions, rejected, value_minor, payout_pending_minor,
        payout_approved_minor, payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.day, NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.q_age, 0), ifnull(NEW.q_goal, 0), ifnull(NEW.q_horizon, 0),
        ifnull(NEW.q_amount, 0), ifnull(NEW.q_liquidity, 0), ifnull(NEW.q_region, 0),
        ifnull(NEW.q_assets, 0), ifnull(NEW.q_experience, 0), ifnull(NEW.q_knowledge, 0),
        ifnull(NEW.q_income, 0), ifnull(NEW.q_objective, 0), ifnull(NEW.q_max_loss, 0),
        ifnull(NEW.q_loss, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
    ON CONFLICT (partner_id, day, bank_id, scene, product_id, campaign_id, event)
    DO UPDATE SET
        impressions = impressions + excluded.impressions,
        opens = opens + excluded.opens,
        recommendations = recommendations + excluded.recommendations,
        leads = leads + excluded.leads,
        q_age = q_age + excluded.q_age,
        q_goal = q_goal + excluded.q_goal,
        q_horizon = q_horizon + excluded.q_horizon,
        q_amount = q_amount + excluded.q_amount,
        q_liquidity = q_liquidity + excluded.q_liquidity,
        q_region = q_region + excluded.q_region,
        q_assets = q_assets + excluded.q_assets,
        q_experience = q_experience + excluded.q_experience,
        q_knowledge = q_knowledge + excluded.q_knowledge,
        q_income = q_income + excluded.q_income,
        q_objective = q_objective + excluded.q_objective,
        q_max_loss = q_max_loss + excluded.q_max_loss,
        q_loss = q_loss + excluded.q_loss,
        clicks = clicks + excluded.clicks,
        conversions = conversions + excluded.conversions,
        rejected = rejected + excluded.rejected,
        value_minor = value_minor + excluded.value_minor,
        payout_pending_minor = payout_pending_minor + excluded.payout_pending_minor,
        payout_approved_minor = payout_approved_minor + excluded.payout_approved_minor,
        payout_held_minor = payout_held_minor + excluded.payout_held_minor,
        payout_reversed_minor = payout_reversed_minor + excluded.payout_reversed_minor;
END;

CREATE TRIGGER report_rollup_insert AFTER INSERT ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.q_age, NEW.q_goal,
        NEW.q_horizon, NEW.q_amount, NEW.q_liquidity, NEW.q_region, NEW.q_assets,
        NEW.q_experience, NEW.q_knowledge, NEW.q_income, NEW.q_objective, NEW.q_max_loss,
        NEW.q_loss, NEW.clicks, NEW.conversions, NEW.rejected, NEW.value_minor,
        NEW.payout_pending_minor, NEW.payout_approved_minor, NEW.payout_held_minor,
        NEW.payout_reversed_minor);
END;

CREATE TRIGGER report_rollup_update AFTER UPDATE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions - OLD.impressions, NEW.opens - OLD.opens,
        NEW.recommendations - OLD.recommendations, NEW.leads - OLD.leads,
        NEW.q_age - OLD.q_age, NEW.q_goal - OLD.q_goal, NEW.q_horizon - OLD.q_horizon,
        NEW.q_amount - OLD.q_amount, NEW.q_liquidity - OLD.q_liquidity,
        NEW.q_region - OLD.q_region, NEW.q_assets - OLD.q_assets,
        NEW.q_experience - OLD.q_experience, NEW.q_knowledge - OLD.q_knowledge,
        NEW.q_income - OLD.q_income, NEW.q_objective - OLD.q_objective,
        NEW.q_max_loss - OLD.q_max_loss, NEW.q_loss - OLD.q_loss, NEW.clicks - OLD.clicks,
        NEW.conversions - OLD.conversions, NEW.rejected - OLD.rejected,
        NEW.value_minor - OLD.value_minor,
        NEW.payout_pending_minor - OLD.payout_pending_minor,
        NEW.payout_approved_minor - OLD.payout_approved_minor,
        NEW.payout_held_minor - OLD.payout_held_minor,
        NEW.payout_reversed_minor - OLD.payout_reversed_minor);
END;

CREATE TRIGGER report_rollup_delete AFTER DELETE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (OLD.partner_id, OLD.bucket / 86400 * 86400,
        OLD.bank_id, OLD.scene, OLD.product_id, OLD.campaign_id, OLD.event,
        -OLD.impressions, -OLD.opens, -OLD.recommendations, -OLD.leads, -OLD.q_age, -OLD.q_goal,
        -OLD.q_horizon, -OLD.q_amount, -OLD.q_liquidity, -OLD.q_region, -OLD.q_assets,
        -OLD.q_experience, -OLD.q_knowledge, -OLD.q_income, -OLD.q_objective, -OLD.q_max_loss,
        -OLD.q_loss, -OLD.clicks, -OLD.conversions, -OLD.rejected, -OLD.value_minor,
        -OLD.payout_pending_minor, -OLD.payout_approved_minor, -OLD.payout_held_minor,
        -OLD.payout_reversed_minor);
END;

-- What report_rollup held before this migration.
INSERT INTO report_daily_rollup
SELECT partner_id, bucket / 86400 * 86400 AS d, bank_id, scene, product_id, campaign_id, event,
    SUM(impressions), SUM(opens), SUM(recommendations), SUM(leads), SUM(q_age), SUM(q_goal),
    SUM(q_horizon), SUM(q_amount), SUM(q_liquidity), SUM(q_region), SUM(q_assets),
    SUM(q_experience), SUM(q_knowledge), SUM(q_income), SUM(q_objective), SUM(q_max_loss),
    SUM(q_loss), SUM(clicks), SUM(conversions), SUM(rejected), SUM(value_minor),
    SUM(payout_pending_minor), SUM(payout_approved_minor), SUM(payout_held_minor),
    SUM(payout_reversed_minor)
FROM report_rollup
GROUP BY partner_id, d, bank_id, scene, product_id, campaign_id, event;
