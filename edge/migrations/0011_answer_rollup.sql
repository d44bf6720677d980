-- Answers per question as a long rollup (issue 12): one row per owner, span, start and
-- question, instead of a `q_<question id>` column per question in each of the three rollups
-- (0006, 0007). The triggers take the question id from the funnel event itself, so a new
-- question is counted without a migration: adding one is a change to core/src/lead/questionnaire
-- only. The counts the old columns held move here, and the columns go.
--
-- report_answer_rollup: answers to `question` in [start, start + span), `span` being a
-- 30-minute bucket (1800) or a UTC day (86400). A partner's own rows have bank_id '' (the
-- funnel carries no bank, as in report_rollup); a bank's rows have partner_id '' and hold the
-- answers of every partner it has a campaign with (the reports' bank scope, as
-- report_bank_rollup), kept so as campaigns come and go. A report's drop-off is a total over its
-- range, so it reads the whole UTC days in it and the buckets of the partial days at its edges
-- (inflow_core::report::utc_days): about 13 rows a day however many answers there are.

CREATE TABLE report_answer_rollup (
    bank_id    TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    span       INTEGER NOT NULL CHECK (span IN (1800, 86400)),
    start      INTEGER NOT NULL,
    question   TEXT NOT NULL,
    answered   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bank_id, partner_id, span, start, question)
) WITHOUT ROWID;

-- Differences are written into this view; its trigger adds them up.
CREATE VIEW report_answer_delta AS SELECT * FROM report_answer_rollup WHERE 0;

CREATE TRIGGER report_answer_delta_add INSTEAD OF INSERT ON report_answer_delta
BEGIN
    INSERT INTO report_answer_rollup (bank_id, partner_id, span, start, question, answered)
    VALUES (NEW.bank_id, NEW.partner_id, NEW.span, NEW.start, NEW.question, NEW.answered)
    ON CONFLICT (bank_id, partner_id, span, start, question)
    DO UPDATE SET answered = answered + excluded.answered;
END;

-- What the question columns held: the partners' buckets and UTC days, the banks' buckets, and
-- the banks' UTC days summed from their buckets.
INSERT INTO report_answer_rollup (bank_id, partner_id, span, start, question, answered)
SELECT '', partner_id, 1800, bucket, q.key, SUM(q.value)
FROM report_rollup, json_each(json_object('age', q_age, 'goal', q_goal, 'horizon', q_horizon,
    'amount', q_amount, 'liquidity', q_liquidity, 'region', q_region, 'assets', q_assets,
    'experience', q_experience, 'knowledge', q_knowledge, 'income', q_income,
    'objective', q_objective, 'max_loss', q_max_loss, 'loss', q_loss)) AS q
WHERE bank_id = '' AND q.value != 0
GROUP BY partner_id, bucket, q.key;

INSERT INTO report_answer_rollup (bank_id, partner_id, span, start, question, answered)
SELECT '', partner_id, 86400, day, q.key, SUM(q.value)
FROM report_daily_rollup, json_each(json_object('age', q_age, 'goal', q_goal,
    'horizon', q_horizon, 'amount', q_amount, 'liquidity', q_liquidity, 'region', q_region,
    'assets', q_assets, 'experience', q_experience, 'knowledge', q_knowledge,
    'income', q_income, 'objective', q_objective, 'max_loss', q_max_loss, 'loss', q_loss)) AS q
WHERE bank_id = '' AND q.value != 0
GROUP BY partner_id, day, q.key;

INSERT INTO report_answer_rollup (bank_id, partner_id, span, start, question, answered)
SELECT bank_id, '', s.span, bucket / s.span * s.span AS st, q.key, SUM(q.value)
FROM report_bank_rollup, (SELECT 1800 AS span UNION ALL SELECT 86400) AS s,
    json_each(json_object('age', q_age, 'goal', q_goal, 'horizon', q_horizon,
    'amount', q_amount, 'liquidity', q_liquidity, 'region', q_region, 'assets', q_assets,
    'experience', q_experience, 'knowledge', q_knowledge, 'income', q_income,
    'objective', q_objective, 'max_loss', q_max_loss, 'loss', q_loss)) AS q
WHERE q.value != 0
GROUP BY bank_id, s.span, st, q.key
HAVING SUM(q.value) != 0;

-- The triggers that name the question columns go; those without them are made again below.
DROP TRIGGER report_delta_add;
DROP TRIGGER report_bank_delta_add;
DROP TRIGGER report_daily_delta_add;
DROP TRIGGER report_rollup_insert;
DROP TRIGGER report_rollup_update;
DROP TRIGGER report_rollup_delete;
DROP TRIGGER report_funnel_event_insert;
DROP TRIGGER report_funnel_event_update;
DROP TRIGGER report_funnel_event_delete;
DROP TRIGGER report_campaign_insert;
DROP TRIGGER report_campaign_update;
DROP TRIGGER report_campaign_delete;

ALTER TABLE report_rollup DROP COLUMN q_age;
ALTER TABLE report_rollup DROP COLUMN q_goal;
ALTER TABLE report_rollup DROP COLUMN q_horizon;
ALTER TABLE report_rollup DROP COLUMN q_amount;
ALTER TABLE report_rollup DROP COLUMN q_liquidity;
ALTER TABLE report_rollup DROP COLUMN q_region;
ALTER TABLE report_rollup DROP COLUMN q_assets;
ALTER TABLE report_rollup DROP COLUMN q_experience;
ALTER TABLE report_rollup DROP COLUMN q_knowledge;
ALTER TABLE report_rollup DROP COLUMN q_income;
ALTER TABLE report_rollup DROP COLUMN q_objective;
ALTER TABLE report_rollup DROP COLUMN q_max_loss;
ALTER TABLE report_rollup DROP COLUMN q_loss;
ALTER TABLE report_bank_rollup DROP COLUMN q_age;
ALTER TABLE report_bank_rollup DROP COLUMN q_goal;
ALTER TABLE report_bank_rollup DROP COLUMN q_horizon;
ALTER TABLE report_bank_rollup DROP COLUMN q_amount;
ALTER TABLE report_bank_rollup DROP COLUMN q_liquidity;
ALTER TABLE report_bank_rollup DROP COLUMN q_region;
ALTER TABLE report_bank_rollup DROP COLUMN q_assets;
ALTER TABLE report_bank_rollup DROP COLUMN q_experience;
ALTER TABLE report_bank_rollup DROP COLUMN q_knowledge;
ALTER TABLE report_bank_rollup DROP COLUMN q_income;
ALTER TABLE report_bank_rollup DROP COLUMN q_objective;
ALTER TABLE report_bank_rollup DROP COLUMN q_max_loss;
ALTER TABLE report_bank_rollup DROP COLUMN q_loss;
ALTER TABLE report_daily_rollup DROP COLUMN q_age;
ALTER TABLE report_daily_rollup DROP COLUMN q_goal;
ALTER TABLE report_daily_rollup DROP COLUMN q_horizon;
ALTER TABLE report_daily_rollup DROP COLUMN q_amount;
ALTER TABLE report_daily_rollup DROP COLUMN q_liquidity;
ALTER TABLE report_daily_rollup DROP COLUMN q_region;
ALTER TABLE report_daily_rollup DROP COLUMN q_assets;
ALTER TABLE report_daily_rollup DROP COLUMN q_experience;
ALTER TABLE report_daily_rollup DROP COLUMN q_knowledge;
ALTER TABLE report_daily_rollup DROP COLUMN q_income;
ALTER TABLE report_daily_rollup DROP COLUMN q_objective;
ALTER TABLE report_daily_rollup DROP COLUMN q_max_loss;
ALTER TABLE report_daily_rollup DROP COLUMN q_loss;

-- Rows that only counted answers now count nothing: reports skip them, but would read them.
DELETE FROM report_rollup WHERE impressions = 0 AND opens = 0 AND recommendations = 0
    AND leads = 0 AND clicks = 0 AND conversions = 0 AND rejected = 0 AND value_minor = 0
    AND payout_pending_minor = 0 AND payout_approved_minor = 0 AND payout_held_minor = 0
    AND payout_reversed_minor = 0;
DELETE FROM report_bank_rollup WHERE impressions = 0 AND opens = 0 AND recommendations = 0
    AND leads = 0 AND clicks = 0 AND conversions = 0 AND rejected = 0 AND value_minor = 0
    AND payout_pending_minor = 0 AND payout_approved_minor = 0 AND payout_held_minor = 0
    AND payout_reversed_minor = 0;
DELETE FROM report_daily_rollup WHERE impressions = 0 AND opens = 0 AND recommendations = 0
    AND leads = 0 AND clicks = 0 AND conversions = 0 AND rejected = 0 AND value_minor = 0
    AND payout_pending_minor = 0 AND payout_approved_minor = 0 AND payout_held_minor = 0
    AND payout_reversed_minor = 0;

-- 0006's and 0007's triggers, without the question columns.
CREATE TRIGGER report_delta_add INSTEAD OF INSERT ON report_delta
BEGIN
    INSERT INTO report_rollup (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
        payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.bucket, NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
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
        payout_reversed_minor = payout_reversed_minor + excluded.payout_reversed_minor;
    -- A click or conversion belongs to its bank; the funnel to every bank with a campaign for
    -- the partner.
    INSERT INTO report_bank_delta
    SELECT bank_id, NEW.bucket, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.clicks,
        NEW.conversions, NEW.rejected, NEW.value_minor, NEW.payout_pending_minor,
        NEW.payout_approved_minor, NEW.payout_held_minor, NEW.payout_reversed_minor
    FROM (SELECT NEW.bank_id AS bank_id WHERE NEW.bank_id != ''
        UNION SELECT bank_id FROM campaigns WHERE NEW.bank_id = '' AND partner_id = NEW.partner_id);
END;

CREATE TRIGGER report_bank_delta_add INSTEAD OF INSERT ON report_bank_delta
BEGIN
    INSERT INTO report_bank_rollup (bank_id, bucket, event,
        impressions, opens, recommendations, leads, clicks, conversions, rejected, value_minor,
        payout_pending_minor, payout_approved_minor, payout_held_minor, payout_reversed_minor)
    VALUES (NEW.bank_id, NEW.bucket, NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
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
        payout_reversed_minor = payout_reversed_minor + excluded.payout_reversed_minor;
END;

CREATE TRIGGER report_daily_delta_add INSTEAD OF INSERT ON report_daily_delta
BEGIN
    INSERT INTO report_daily_rollup (partner_id, day, bank_id, scene, product_id, campaign_id,
        event, impressions, opens, recommendations, leads, clicks, conversions, rejected,
        value_minor, payout_pending_minor, payout_approved_minor, payout_held_minor,
        payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.day, NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id,
        NEW.event,
        ifnull(NEW.impressions, 0), ifnull(NEW.opens, 0), ifnull(NEW.recommendations, 0),
        ifnull(NEW.leads, 0), ifnull(NEW.clicks, 0), ifnull(NEW.conversions, 0),
        ifnull(NEW.rejected, 0), ifnull(NEW.value_minor, 0), ifnull(NEW.payout_pending_minor, 0),
        ifnull(NEW.payout_approved_minor, 0), ifnull(NEW.payout_held_minor, 0),
        ifnull(NEW.payout_reversed_minor, 0))
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
        payout_reversed_minor = payout_reversed_minor + excluded.payout_reversed_minor;
END;

CREATE TRIGGER report_rollup_insert AFTER INSERT ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions, NEW.opens, NEW.recommendations, NEW.leads, NEW.clicks, NEW.conversions,
        NEW.rejected, NEW.value_minor, NEW.payout_pending_minor, NEW.payout_approved_minor,
        NEW.payout_held_minor, NEW.payout_reversed_minor);
END;

CREATE TRIGGER report_rollup_update AFTER UPDATE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (NEW.partner_id, NEW.bucket / 86400 * 86400,
        NEW.bank_id, NEW.scene, NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.impressions - OLD.impressions, NEW.opens - OLD.opens,
        NEW.recommendations - OLD.recommendations, NEW.leads - OLD.leads,
        NEW.clicks - OLD.clicks, NEW.conversions - OLD.conversions,
        NEW.rejected - OLD.rejected, NEW.value_minor - OLD.value_minor,
        NEW.payout_pending_minor - OLD.payout_pending_minor,
        NEW.payout_approved_minor - OLD.payout_approved_minor,
        NEW.payout_held_minor - OLD.payout_held_minor,
        NEW.payout_reversed_minor - OLD.payout_reversed_minor);
END;

CREATE TRIGGER report_rollup_delete AFTER DELETE ON report_rollup
BEGIN
    INSERT INTO report_daily_delta VALUES (OLD.partner_id, OLD.bucket / 86400 * 86400,
        OLD.bank_id, OLD.scene, OLD.product_id, OLD.campaign_id, OLD.event,
        -OLD.impressions, -OLD.opens, -OLD.recommendations, -OLD.leads, -OLD.clicks,
        -OLD.conversions, -OLD.rejected, -OLD.value_minor, -OLD.payout_pending_minor,
        -OLD.payout_approved_minor, -OLD.payout_held_minor, -OLD.payout_reversed_minor);
END;

-- The funnel's impressions, opens and recommendations go to report_rollup as before; answers
-- go to report_answer_rollup, for the partner and each bank it has a campaign with, by bucket
-- and by UTC day. An update takes the old row back and adds the new one.
CREATE TRIGGER report_funnel_event_insert AFTER INSERT ON funnel_events
WHEN NEW.kind IN ('impression', 'open', 'recommendation')
    AND strftime('%s', NEW.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations)
    VALUES (NEW.partner_id, CAST(strftime('%s', NEW.received_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '',
        NEW.kind = 'impression', NEW.kind = 'open', NEW.kind = 'recommendation');
END;

CREATE TRIGGER report_answer_insert AFTER INSERT ON funnel_events
WHEN NEW.kind = 'answer' AND NEW.question IS NOT NULL
    AND strftime('%s', NEW.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT o.bank_id, o.partner_id, s.span,
        CAST(strftime('%s', NEW.received_at) AS INTEGER) / s.span * s.span, NEW.question, 1
    FROM (SELECT '' AS bank_id, NEW.partner_id AS partner_id
            UNION SELECT bank_id, '' FROM campaigns WHERE partner_id = NEW.partner_id) AS o,
        (SELECT 1800 AS span UNION ALL SELECT 86400) AS s;
END;

CREATE TRIGGER report_funnel_event_update
AFTER UPDATE OF partner_id, scene, kind, question, received_at ON funnel_events
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations)
    SELECT OLD.partner_id, CAST(strftime('%s', OLD.received_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '',
        -(OLD.kind = 'impression'), -(OLD.kind = 'open'), -(OLD.kind = 'recommendation')
    WHERE OLD.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', OLD.received_at) IS NOT NULL;
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations)
    SELECT NEW.partner_id, CAST(strftime('%s', NEW.received_at) AS INTEGER) / 1800 * 1800, '',
        NEW.scene, '', '', '',
        NEW.kind = 'impression', NEW.kind = 'open', NEW.kind = 'recommendation'
    WHERE NEW.kind IN ('impression', 'open', 'recommendation')
        AND strftime('%s', NEW.received_at) IS NOT NULL;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT o.bank_id, o.partner_id, s.span,
        CAST(strftime('%s', OLD.received_at) AS INTEGER) / s.span * s.span, OLD.question, -1
    FROM (SELECT '' AS bank_id, OLD.partner_id AS partner_id
            UNION SELECT bank_id, '' FROM campaigns WHERE partner_id = OLD.partner_id) AS o,
        (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
    WHERE OLD.kind = 'answer' AND OLD.question IS NOT NULL
        AND strftime('%s', OLD.received_at) IS NOT NULL;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT o.bank_id, o.partner_id, s.span,
        CAST(strftime('%s', NEW.received_at) AS INTEGER) / s.span * s.span, NEW.question, 1
    FROM (SELECT '' AS bank_id, NEW.partner_id AS partner_id
            UNION SELECT bank_id, '' FROM campaigns WHERE partner_id = NEW.partner_id) AS o,
        (SELECT 1800 AS span UNION ALL SELECT 86400) AS s
    WHERE NEW.kind = 'answer' AND NEW.question IS NOT NULL
        AND strftime('%s', NEW.received_at) IS NOT NULL;
END;

CREATE TRIGGER report_funnel_event_delete AFTER DELETE ON funnel_events
WHEN OLD.kind IN ('impression', 'open', 'recommendation')
    AND strftime('%s', OLD.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        impressions, opens, recommendations)
    VALUES (OLD.partner_id, CAST(strftime('%s', OLD.received_at) AS INTEGER) / 1800 * 1800, '',
        OLD.scene, '', '', '',
        -(OLD.kind = 'impression'), -(OLD.kind = 'open'), -(OLD.kind = 'recommendation'));
END;

CREATE TRIGGER report_answer_delete AFTER DELETE ON funnel_events
WHEN OLD.kind = 'answer' AND OLD.question IS NOT NULL
    AND strftime('%s', OLD.received_at) IS NOT NULL
BEGIN
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT o.bank_id, o.partner_id, s.span,
        CAST(strftime('%s', OLD.received_at) AS INTEGER) / s.span * s.span, OLD.question, -1
    FROM (SELECT '' AS bank_id, OLD.partner_id AS partner_id
            UNION SELECT bank_id, '' FROM campaigns WHERE partner_id = OLD.partner_id) AS o,
        (SELECT 1800 AS span UNION ALL SELECT 86400) AS s;
END;

-- A bank's first campaign with a partner brings the partner's whole funnel, answers included,
-- into the bank's rollups; when its last one goes, the funnel leaves.
CREATE TRIGGER report_campaign_insert AFTER INSERT ON campaigns
WHEN NOT EXISTS (SELECT 1 FROM campaigns c
    WHERE c.bank_id = NEW.bank_id AND c.partner_id = NEW.partner_id AND c.id != NEW.id)
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event, impressions, opens, recommendations,
        leads)
    SELECT NEW.bank_id, bucket, '', SUM(impressions), SUM(opens), SUM(recommendations),
        SUM(leads)
    FROM report_rollup
    WHERE partner_id = NEW.partner_id AND bank_id = ''
    GROUP BY bucket;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT NEW.bank_id, '', span, start, question, answered
    FROM report_answer_rollup
    WHERE bank_id = '' AND partner_id = NEW.partner_id;
END;

CREATE TRIGGER report_campaign_update AFTER UPDATE OF bank_id, partner_id ON campaigns
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event, impressions, opens, recommendations,
        leads)
    SELECT OLD.bank_id, bucket, '', -SUM(impressions), -SUM(opens), -SUM(recommendations),
        -SUM(leads)
    FROM report_rollup
    WHERE partner_id = OLD.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = OLD.bank_id AND c.partner_id = OLD.partner_id)
    GROUP BY bucket;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT OLD.bank_id, '', span, start, question, -answered
    FROM report_answer_rollup
    WHERE bank_id = '' AND partner_id = OLD.partner_id AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = OLD.bank_id AND c.partner_id = OLD.partner_id);
    INSERT INTO report_bank_delta (bank_id, bucket, event, impressions, opens, recommendations,
        leads)
    SELECT NEW.bank_id, bucket, '', SUM(impressions), SUM(opens), SUM(recommendations),
        SUM(leads)
    FROM report_rollup
    WHERE partner_id = NEW.partner_id AND bank_id = '' AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = NEW.bank_id AND c.partner_id = NEW.partner_id AND c.id != NEW.id)
    GROUP BY bucket;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT NEW.bank_id, '', span, start, question, answered
    FROM report_answer_rollup
    WHERE bank_id = '' AND partner_id = NEW.partner_id AND NOT EXISTS (SELECT 1 FROM campaigns c
        WHERE c.bank_id = NEW.bank_id AND c.partner_id = NEW.partner_id AND c.id != NEW.id);
END;

CREATE TRIGGER report_campaign_delete AFTER DELETE ON campaigns
WHEN NOT EXISTS (SELECT 1 FROM campaigns c
    WHERE c.bank_id = OLD.bank_id AND c.partner_id = OLD.partner_id)
BEGIN
    INSERT INTO report_bank_delta (bank_id, bucket, event, impressions, opens, recommendations,
        leads)
    SELECT OLD.bank_id, bucket, '', -SUM(impressions), -SUM(opens), -SUM(recommendations),
        -SUM(leads)
    FROM report_rollup
    WHERE partner_id = OLD.partner_id AND bank_id = ''
    GROUP BY bucket;
    INSERT INTO report_answer_delta (bank_id, partner_id, span, start, question, answered)
    SELECT OLD.bank_id, '', span, start, question, -answered
    FROM report_answer_rollup
    WHERE bank_id = '' AND partner_id = OLD.partner_id;
END;
