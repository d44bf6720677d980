-- Report rollups, kept up to date by triggers on every write to the raw tables, so
-- `GET /v1/reports` reads thousands of rows for 90 days instead of scanning millions of events.
--
-- Time is bucketed by 30 minutes: an event at unix time t is in bucket t / 1800 * 1800. Every
-- report timezone's offset is a whole number of half hours (core/src/report/zone.rs tests it),
-- so every local day is a whole number of buckets and a report's range falls on bucket edges.
--
-- report_rollup: per partner, bucket, bank, scene, product, campaign and conversion event.
-- Funnel rows (events and leads, which carry no bank) have bank_id, product_id, campaign_id and
-- event ''; click rows have event ''. `q_<id>` counts answers to question <id> (the drop-off);
-- `conversions` and `value_minor` leave out rejected conversions, which `rejected` counts;
-- payouts are by each conversion's current status. Funnel events and leads whose time does not
-- parse are left out, as reports always did.
--
-- report_bank_rollup: the same metrics per bank, bucket and event, for a bank's report by day:
-- the bank's clicks and conversions, and the funnel of every partner it has a campaign with
-- (the reports' bank scope), kept so as campaigns come and go.

CREATE TABLE report_rollup (
    partner_id            TEXT NOT NULL,
    bucket                INTEGER NOT NULL,
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
    PRIMARY KEY (partner_id, bucket, bank_id, scene, product_id, campaign_id, event)
) WITHOUT ROWID;
CREATE INDEX report_rollup_by_bank ON report_rollup (bank_id, bucket);

CREATE TABLE report_bank_rollup (
    bank_id               TEXT NOT NULL,
    bucket                INTEGER NOT NULL,
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
    PRIMARY KEY (bank_id, bucket, event)
) WITHOUT ROWID;

-- Changes are written as differences into these views; their triggers add them up, in
-- report_rollup and, for each bank the row belongs to, in report_bank_rollup. A metric left
-- out of an insert adds nothing.
CREATE VIEW report_delta AS SELECT * FROM report_rollup WHERE 0;
CREATE VIEW report_bank_delta AS SELECT * FROM report_bank_rollup WHERE 0;

CREATE TRIGGER report_delta_add INSTEAD OF INSERT ON report_delta
BEGIN
    INSERT INTO report_rollup (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss,
        clicks, conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.bucket, NEW.bank_id, NEW.scene,
        NEW.product_id, NEW.campaign_id, NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.q_age, 0), ifnull(NEW.q_goal, 0), ifnull(NEW.q_horizon, 0),
        ifnull(NEW.q_amount, 0), ifnull(NEW.q_liquidity, 0), ifnull(NEW.q_region, 0),
        ifnull(NEW.q_assets, 0), ifnull(NEW.q_experience, 0), ifnull(NEW.q_knowledge, 0),
        ifnull(NEW.q_income, 0), ifnull(NEW.q_objective, 0), ifnull(NEW.q_max_loss, 0),
        ifnull(NEW.q_loss, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
    ON CONFLICT (partner_id, bucket, bank_id, scene, product_id, campaign_id, event)
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
    -- A click or conversion belongs to its bank; the funnel to every bank with a campaign for
    -- the partner.
    INSERT INTO report_bank_delta
    SELECT bank_id, NEW.bucket, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.q_age, NEW.q_goal,
        NEW.q_horizon, NEW.q_amount, NEW.q_liquidity, NEW.q_region, NEW.q_assets, NEW.q_experience,
        NEW.q_knowledge, NEW.q_income, NEW.q_objective, NEW.q_max_loss, NEW.q_loss, NEW.clicks,
        NEW.conversions, NEW.rejected, NEW.value_minor, NEW.payout_pending_minor,
        NEW.payout_approved_minor, NEW.payout_held_minor, NEW.payout_reversed_minor
    FROM (SELECT NEW.bank_id AS bank_id WHERE NEW.bank_id != ''
        UNION SELECT bank_id FROM campaigns WHERE NEW.bank_id = '' AND partner_id = NEW.partner_id);
END;

CREATE TRIGGER report_bank_delta_add INSTEAD OF INSERT ON report_bank_delta
BEGIN
    INSERT INTO report_bank_rollup (bank_id, bucket, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss,
        clicks, conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.bank_id, NEW.bucket, NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.q_age, 0), ifnull(NEW.q_goal, 0), ifnull(NEW.q_horizon, 0),
        ifnull(NEW.q_amount, 0), ifnull(NEW.q_liquidity, 0), ifnull(NEW.q_region, 0),
        ifnull(NEW.q_assets, 0), ifnull(NEW.q_experience, 0), ifnull(NEW.q_knowledge, 0),
        ifnull(NEW.q_income, 0), ifnull(NEW.q_objective, 0), ifnull(NEW.q_max_loss, 0),
        ifnull(NEW.q_loss, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
    ON CONFLICT (bank_id, bucket, event) DO UPDATE SET
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

-- Every write to the raw tables: an insert adds the new row, an update takes the old row back
-- and adds the new one (a conversion approved, held or reversed; any correction), a delete takes
-- the old row back.
CREATE TRIGGER report_funnel_event_insert AFTER INSERT ON funnel_events
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT NEW.partner_id, CAST(strftime('%s', NEW.received_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '',
        NEW.kind = 'impression',
        NEW.kind = 'open',
        NEW.kind = 'recommendation',
        NEW.kind = 'answer' AND NEW.question = 'age',
        NEW.kind = 'answer' AND NEW.question = 'goal',
        NEW.kind = 'answer' AND NEW.question = 'horizon',
        NEW.kind = 'answer' AND NEW.question = 'amount',
        NEW.kind = 'answer' AND NEW.question = 'liquidity',
        NEW.kind = 'answer' AND NEW.question = 'region',
        NEW.kind = 'answer' AND NEW.question = 'assets',
        NEW.kind = 'answer' AND NEW.question = 'experience',
        NEW.kind = 'answer' AND NEW.question = 'knowledge',
        NEW.kind = 'answer' AND NEW.question = 'income',
        NEW.kind = 'answer' AND NEW.question = 'objective',
        NEW.kind = 'answer' AND NEW.question = 'max_loss',
        NEW.kind = 'answer' AND NEW.question = 'loss'
    WHERE NEW.kind IN ('impression', 'open', 'recommendation', 'answer')
        AND strftime('%s', NEW.received_at) IS NOT NULL;
END;

CREATE TRIGGER report_funnel_event_update
AFTER UPDATE OF partner_id, scene, kind, question, received_at ON funnel_events
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT OLD.partner_id, CAST(strftime('%s', OLD.received_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '',
        -(OLD.kind = 'impression'),
        -(OLD.kind = 'open'),
        -(OLD.kind = 'recommendation'),
        -(OLD.kind = 'answer' AND OLD.question = 'age'),
        -(OLD.kind = 'answer' AND OLD.question = 'goal'),
        -(OLD.kind = 'answer' AND OLD.question = 'horizon'),
        -(OLD.kind = 'answer' AND OLD.question = 'amount'),
        -(OLD.kind = 'answer' AND OLD.question = 'liquidity'),
        -(OLD.kind = 'answer' AND OLD.question = 'region'),
        -(OLD.kind = 'answer' AND OLD.question = 'assets'),
        -(OLD.kind = 'answer' AND OLD.question = 'experience'),
        -(OLD.kind = 'answer' AND OLD.question = 'knowledge'),
        -(OLD.kind = 'answer' AND OLD.question = 'income'),
        -(OLD.kind = 'answer' AND OLD.question = 'objective'),
        -(OLD.kind = 'answer' AND OLD.question = 'max_loss'),
        -(OLD.kind = 'answer' AND OLD.question = 'loss')
    WHERE OLD.kind IN ('impression', 'open', 'recommendation', 'answer')
        AND strftime('%s', OLD.received_at) IS NOT NULL;
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT NEW.partner_id, CAST(strftime('%s', NEW.received_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '',
        NEW.kind = 'impression',
        NEW.kind = 'open',
        NEW.kind = 'recommendation',
        NEW.kind = 'answer' AND NEW.question = 'age',
        NEW.kind = 'answer' AND NEW.question = 'goal',
        NEW.kind = 'answer' AND NEW.question = 'horizon',
        NEW.kind = 'answer' AND NEW.question = 'amount',
        NEW.kind = 'answer' AND NEW.question = 'liquidity',
        NEW.kind = 'answer' AND NEW.question = 'region',
        NEW.kind = 'answer' AND NEW.question = 'assets',
        NEW.kind = 'answer' AND NEW.question = 'experience',
        NEW.kind = 'answer' AND NEW.question = 'knowledge',
        NEW.kind = 'answer' AND NEW.question = 'income',
        NEW.kind = 'answer' AND NEW.question = 'objective',
        NEW.kind = 'answer' AND NEW.question = 'max_loss',
        NEW.kind = 'answer' AND NEW.question = 'loss'
    WHERE NEW.kind IN ('impression', 'open', 'recommendation', 'answer')
        AND strftime('%s', NEW.received_at) IS NOT NULL;
END;

CREATE TRIGGER report_funnel_event_delete AFTER DELETE ON funnel_events
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT OLD.partner_id, CAST(strftime('%s', OLD.received_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '',
        -(OLD.kind = 'impression'),
        -(OLD.kind = 'open'),
        -(OLD.kind = 'recommendation'),
        -(OLD.kind = 'answer' AND OLD.question = 'age'),
        -(OLD.kind = 'answer' AND OLD.question = 'goal'),
        -(OLD.kind = 'answer' AND OLD.question = 'horizon'),
        -(OLD.kind = 'answer' AND OLD.question = 'amount'),
        -(OLD.kind = 'answer' AND OLD.question = 'liquidity'),
        -(OLD.kind = 'answer' AND OLD.question = 'region'),
        -(OLD.kind = 'answer' AND OLD.question = 'assets'),
        -(OLD.kind = 'answer' AND OLD.question = 'experience'),
        -(OLD.kind = 'answer' AND OLD.question = 'knowledge'),
        -(OLD.kind = 'answer' AND OLD.question = 'income'),
        -(OLD.kind = 'answer' AND OLD.question = 'objective'),
        -(OLD.kind = 'answer' AND OLD.question = 'max_loss'),
        -(OLD.kind = 'answer' AND OLD.question = 'loss')
    WHERE OLD.kind IN ('impression', 'open', 'recommendation', 'answer')
        AND strftime('%s', OLD.received_at) IS NOT NULL;
END;

CREATE TRIGGER report_lead_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        leads)
    SELECT NEW.partner_id, CAST(strftime('%s', NEW.created_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '', 1
    WHERE strftime('%s', NEW.created_at) IS NOT NULL;
END;

CREATE TRIGGER report_lead_update
AFTER UPDATE OF partner_id, scene, created_at ON leads
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        leads)
    SELECT OLD.partner_id, CAST(strftime('%s', OLD.created_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '', -1
    WHERE strftime('%s', OLD.created_at) IS NOT NULL;
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        leads)
    SELECT NEW.partner_id, CAST(strftime('%s', NEW.created_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '', 1
    WHERE strftime('%s', NEW.created_at) IS NOT NULL;
END;

CREATE TRIGGER report_lead_delete AFTER DELETE ON leads
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        leads)
    SELECT OLD.partner_id, CAST(strftime('%s', OLD.created_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '', -1
    WHERE strftime('%s', OLD.created_at) IS NOT NULL;
END;

CREATE TRIGGER report_click_insert AFTER INSERT ON clicks
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (NEW.partner_id, NEW.created_at / 1800 * 1800, NEW.bank_id, NEW.scene, NEW.product_id,
        NEW.campaign_id, '', 1);
END;

CREATE TRIGGER report_click_update
AFTER UPDATE OF partner_id, bank_id, scene, product_id, campaign_id, created_at ON clicks
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (OLD.partner_id, OLD.created_at / 1800 * 1800, OLD.bank_id, OLD.scene, OLD.product_id,
        OLD.campaign_id, '', -1);
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (NEW.partner_id, NEW.created_at / 1800 * 1800, NEW.bank_id, NEW.scene, NEW.product_id,
        NEW.campaign_id, '', 1);
END;

CREATE TRIGGER report_click_delete AFTER DELETE ON clicks
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (OLD.partner_id, OLD.created_at / 1800 * 1800, OLD.bank_id, OLD.scene, OLD.product_id,
        OLD.campaign_id, '', -1);
END;

CREATE TRIGGER report_conversion_insert AFTER INSERT ON conversions
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.occurred_at / 1800 * 1800, NEW.bank_id, NEW.scene,
        NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.status != 'rejected',
        NEW.status = 'rejected',
        iif(NEW.status != 'rejected', NEW.amount_minor, 0),
        iif(NEW.status = 'pending', NEW.payout_minor, 0),
        iif(NEW.status = 'approved', NEW.payout_minor, 0),
        iif(NEW.status = 'held', NEW.payout_minor, 0),
        iif(NEW.status = 'reversed', NEW.payout_minor, 0));
END;

CREATE TRIGGER report_conversion_update
AFTER UPDATE OF partner_id, bank_id, scene, product_id, campaign_id, event, status, amount_minor,
    payout_minor, occurred_at ON conversions
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (OLD.partner_id, OLD.occurred_at / 1800 * 1800, OLD.bank_id, OLD.scene,
        OLD.product_id, OLD.campaign_id, OLD.event,
        -(OLD.status != 'rejected'),
        -(OLD.status = 'rejected'),
        -iif(OLD.status != 'rejected', OLD.amount_minor, 0),
        -iif(OLD.status = 'pending', OLD.payout_minor, 0),
        -iif(OLD.status = 'approved', OLD.payout_minor, 0),
        -iif(OLD.status = 'held', OLD.payout_minor, 0),
        -iif(OLD.status = 'reversed', OLD.payout_minor, 0));
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.occurred_at / 1800 * 1800, NEW.bank_id, NEW.scene,
        NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.status != 'rejected',
        NEW.status = 'rejected',
        iif(NEW.status != 'rejected', NEW.amount_minor, 0),
        iif(NEW.status = 'pending', NEW.payout_minor, 0),
        iif(NEW.status = 'approved', NEW.payout_minor, 0),
        iif(NEW.status = 'held', NEW.payout_minor, 0),
        iif(NEW.status = 'reversed', NEW.payout_minor, 0));
END;

CREATE TRIGGER report_conversion_delete AFTER DELETE ON conversions
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (OLD.partner_id, OLD.occurred_at / 1800 * 1800, OLD.bank_id, OLD.scene,
        OLD.product_id, OLD.campaign_id, OLD.event,
        -(OLD.status != 'rejected'),
        -(OLD.status = 'rejected'),
        -iif(OLD.status != 'rejected', OLD.amount_minor, 0),
        -iif(OLD.status = 'pending', OLD.payout_minor, 0),
        -iif(OLD.status = 'approved', OLD.payout_minor, 0),
        -iif(OLD.status = 'held', OLD.payout_minor, 0),
        -iif(OLD.status = 'reversed', OLD.payout_minor, 0));
END;

-- A bank's first campaign with a partner brings the partner's whole funnel into the bank's
-- rollup; when its last one goes, the funnel leaves.
CREATE TRIGGER report_campaign_insert AFTER INSERT ON campaigns
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT NEW.bank_id, bucket, '',
        SUM(impressions), SUM(opens), SUM(recommendations), SUM(leads), SUM(q_age), SUM(q_goal),
        SUM(q_horizon), SUM(q_amount), SUM(q_liquidity), SUM(q_region), SUM(q_assets),
        SUM(q_experience), SUM(q_knowledge), SUM(q_income), SUM(q_objective), SUM(q_max_loss),
        SUM(q_loss)
    FROM report_rollup
    WHERE partner_id = NEW.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = NEW.bank_id AND c.partner_id = NEW.partner_id AND c.id != NEW.id)
    GROUP BY bucket;
END;

CREATE TRIGGER report_campaign_update AFTER UPDATE OF bank_id, partner_id ON campaigns
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT OLD.bank_id, bucket, '',
        -SUM(impressions), -SUM(opens), -SUM(recommendations), -SUM(leads), -SUM(q_age),
        -SUM(q_goal), -SUM(q_horizon), -SUM(q_amount), -SUM(q_liquidity), -SUM(q_region),
        -SUM(q_assets), -SUM(q_experience), -SUM(q_knowledge), -SUM(q_income), -SUM(q_objective),
        -SUM(q_max_loss), -SUM(q_loss)
    FROM report_rollup
    WHERE partner_id = OLD.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = OLD.bank_id AND c.partner_id = OLD.partner_id)
    GROUP BY bucket;
    INSERT INTO report_bank_delta (bank_id, bucket, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT NEW.bank_id, bucket, '',
        SUM(impressions), SUM(opens), SUM(recommendations), SUM(leads), SUM(q_age), SUM(q_goal),
        SUM(q_horizon), SUM(q_amount), SUM(q_liquidity), SUM(q_region), SUM(q_assets),
        SUM(q_experience), SUM(q_knowledge), SUM(q_income), SUM(q_objective), SUM(q_max_loss),
        SUM(q_loss)
    FROM report_rollup
    WHERE partner_id = NEW.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = NEW.bank_id AND c.partner_id = NEW.partner_id AND c.id != NEW.id)
    GROUP BY bucket;
END;

CREATE TRIGGER report_campaign_delete AFTER DELETE ON campaigns
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event,
        impressions, opens, recommendations, leads, q_age, q_goal, q_horizon, q_amount, q_liquidity,
        q_region, q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
    SELECT OLD.bank_id, bucket, '',
        -SUM(impressions), -SUM(opens), -SUM(recommendations), -SUM(leads), -SUM(q_age),
        -SUM(q_goal), -SUM(q_horizon), -SUM(q_amount), -SUM(q_liquidity), -SUM(q_region),
        -SUM(q_assets), -SUM(q_experience), -SUM(q_knowledge), -SUM(q_income), -SUM(q_objective),
        -SUM(q_max_loss), -SUM(q_loss)
    FROM report_rollup
    WHERE partner_id = OLD.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = OLD.bank_id AND c.partner_id = OLD.partner_id)
    GROUP BY bucket;
END;

-- What was written before this migration.
INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    impressions, opens, recommendations, q_age, q_goal, q_horizon, q_amount, q_liquidity, q_region,
    q_assets, q_experience, q_knowledge, q_income, q_objective, q_max_loss, q_loss)
SELECT partner_id, CAST(strftime('%s', received_at) AS INTEGER) / 1800 * 1800 AS b, '', scene,
    '', '', '',
    SUM(kind = 'impression'),
    SUM(kind = 'open'),
    SUM(kind = 'recommendation'),
    SUM(kind = 'answer' AND question = 'age'),
    SUM(kind = 'answer' AND question = 'goal'),
    SUM(kind = 'answer' AND question = 'horizon'),
    SUM(kind = 'answer' AND question = 'amount'),
    SUM(kind = 'answer' AND question = 'liquidity'),
    SUM(kind = 'answer' AND question = 'region'),
    SUM(kind = 'answer' AND question = 'assets'),
    SUM(kind = 'answer' AND question = 'experience'),
    SUM(kind = 'answer' AND question = 'knowledge'),
    SUM(kind = 'answer' AND question = 'income'),
    SUM(kind = 'answer' AND question = 'objective'),
    SUM(kind = 'answer' AND question = 'max_loss'),
    SUM(kind = 'answer' AND question = 'loss')
FROM funnel_events
WHERE kind IN ('impression', 'open', 'recommendation', 'answer')
    AND strftime('%s', received_at) IS NOT NULL
GROUP BY partner_id, b, scene;

INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    leads)
SELECT partner_id, CAST(strftime('%s', created_at) AS INTEGER) / 1800 * 1800 AS b, '', scene,
    '', '', '', COUNT(*)
FROM leads
WHERE strftime('%s', created_at) IS NOT NULL
GROUP BY partner_id, b, scene;

INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    clicks)
SELECT partner_id, created_at / 1800 * 1800 AS b, bank_id, scene, product_id, campaign_id, '',
    COUNT(*)
FROM clicks
GROUP BY partner_id, b, bank_id, scene, product_id, campaign_id;

INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
    payout_held_minor, payout_reversed_minor)
SELECT partner_id, occurred_at / 1800 * 1800 AS b, bank_id, scene, product_id, campaign_id,
    event,
    SUM(status != 'rejected'),
    SUM(status = 'rejected'),
    SUM(iif(status != 'rejected', amount_minor, 0)),
    SUM(iif(status = 'pending', payout_minor, 0)),
    SUM(iif(status = 'approved', payout_minor, 0)),
    SUM(iif(status = 'held', payout_minor, 0)),
    SUM(iif(status = 'reversed', payout_minor, 0))
FROM conversions
GROUP BY partner_id, b, bank_id, scene, product_id, campaign_id, event;
