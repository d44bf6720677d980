-- Idempotency bound to the request, one payment per event and click, and one rule for how
-- reversed conversions count in reports (issue 10).

-- An Idempotency-Key is bound to the fingerprint of the lead it first came with
-- (inflow_core::api::LeadRequest::fingerprint, SHA-256 hex): the same key with another
-- fingerprint is refused with 422 idempotency_key_reused. Leads stored before this migration have
-- none, so their keys are never replayed (a retry gets 422 and resends with a new key).
ALTER TABLE leads ADD COLUMN request_fingerprint TEXT;

-- Events a campaign pays for every time (a JSON array, e.g. '["funded"]' for top-ups). Every
-- other event pays once per click: a second one under another external id is recorded as
-- rejected, reason duplicate_event_for_click (inflow_core::conversion::attribution::decide).
ALTER TABLE campaigns ADD COLUMN repeatable_events TEXT NOT NULL DEFAULT '[]';

-- pays_once = 1 marks the conversion that took its click's one payment for its event (paid on
-- arrival, event not repeatable; inflow_core::conversion::attribution::pays_once_per_click). It stays set
-- when the conversion is reversed, so a reversed payment is not paid again on the same click.
-- The partial unique index makes that hold under concurrency: a second insert is not stored
-- and the edge decides it again as a duplicate.
ALTER TABLE conversions ADD COLUMN pays_once INTEGER NOT NULL DEFAULT 0 CHECK (pays_once IN (0, 1));
CREATE INDEX conversions_by_click_event ON conversions (click_id, event);
-- Before this migration, each click's first paid conversion of an event took the payment.
UPDATE conversions SET pays_once = 1
WHERE (status IN ('pending', 'approved', 'held')
        OR (status = 'reversed' AND reversed_from IN ('pending', 'approved', 'held')))
    AND id = (SELECT c.id FROM conversions c
        WHERE c.click_id = conversions.click_id AND c.event = conversions.event
            AND (c.status IN ('pending', 'approved', 'held')
                OR (c.status = 'reversed' AND c.reversed_from IN ('pending', 'approved', 'held')))
        ORDER BY c.received_at, c.id LIMIT 1);
CREATE UNIQUE INDEX conversions_paid_once ON conversions (click_id, event) WHERE pays_once = 1;

-- Reports: a conversion counts in `conversions`, `conversion_value_minor` and
-- `conversions_by_event` unless it is rejected or reversed
-- (inflow_core::conversion::attribution::Status::counts_in_reports). A reversed conversion leaves them; its
-- clawed-back payout is reported in payout_reversed_minor. The rollups' `rejected` column now
-- counts every recorded conversion left out of `conversions` (rejected or reversed): reports use
-- it only to show a group in which something happened.
DROP TRIGGER report_conversion_insert;
DROP TRIGGER report_conversion_update;
DROP TRIGGER report_conversion_delete;

CREATE TRIGGER report_conversion_insert AFTER INSERT ON conversions
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.occurred_at / 1800 * 1800, NEW.bank_id, NEW.scene,
        NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.status NOT IN ('rejected', 'reversed'),
        NEW.status IN ('rejected', 'reversed'),
        iif(NEW.status NOT IN ('rejected', 'reversed'), NEW.amount_minor, 0),
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
        -(OLD.status NOT IN ('rejected', 'reversed')),
        -(OLD.status IN ('rejected', 'reversed')),
        -iif(OLD.status NOT IN ('rejected', 'reversed'), OLD.amount_minor, 0),
        -iif(OLD.status = 'pending', OLD.payout_minor, 0),
        -iif(OLD.status = 'approved', OLD.payout_minor, 0),
        -iif(OLD.status = 'held', OLD.payout_minor, 0),
        -iif(OLD.status = 'reversed', OLD.payout_minor, 0));
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        conversions, rejected, value_minor, payout_pending_minor, payout_approved_minor,
        payout_held_minor, payout_reversed_minor)
    VALUES (NEW.partner_id, NEW.occurred_at / 1800 * 1800, NEW.bank_id, NEW.scene,
        NEW.product_id, NEW.campaign_id, NEW.event,
        NEW.status NOT IN ('rejected', 'reversed'),
        NEW.status IN ('rejected', 'reversed'),
        iif(NEW.status NOT IN ('rejected', 'reversed'), NEW.amount_minor, 0),
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
        -(OLD.status NOT IN ('rejected', 'reversed')),
        -(OLD.status IN ('rejected', 'reversed')),
        -iif(OLD.status NOT IN ('rejected', 'reversed'), OLD.amount_minor, 0),
        -iif(OLD.status = 'pending', OLD.payout_minor, 0),
        -iif(OLD.status = 'approved', OLD.payout_minor, 0),
        -iif(OLD.status = 'held', OLD.payout_minor, 0),
        -iif(OLD.status = 'reversed', OLD.payout_minor, 0));
END;

-- Reversed conversions already in the rollups were counted as conversions with their value:
-- move them to the uncounted column.
INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    conversions, rejected, value_minor)
SELECT partner_id, occurred_at / 1800 * 1800 AS b, bank_id, scene, product_id, campaign_id, event,
    -COUNT(*), COUNT(*), -SUM(amount_minor)
FROM conversions
WHERE status = 'reversed'
GROUP BY partner_id, b, bank_id, scene, product_id, campaign_id, event;
