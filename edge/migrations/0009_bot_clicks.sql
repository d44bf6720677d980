-- Machines' clicks are not report clicks. A click whose user agent is a machine's (a link
-- preview, crawler, monitor, HTTP library or headless browser: inflow_core::click::bots) is still
-- recorded, with ua_bot = 1, so a conversion quoting it is held as known_bot; but the rollups
-- (0006, and through them 0007's daily rollup and the bank rollup) count only clicks with
-- ua_bot = 0. Changing ua_bot moves a click in or out of the counts like any other correction.

DROP TRIGGER report_click_insert;
DROP TRIGGER report_click_update;
DROP TRIGGER report_click_delete;

CREATE TRIGGER report_click_insert AFTER INSERT ON clicks WHEN NEW.ua_bot = 0
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (NEW.partner_id, NEW.created_at / 1800 * 1800, NEW.bank_id, NEW.scene, NEW.product_id,
        NEW.campaign_id, '', 1);
END;

CREATE TRIGGER report_click_update
AFTER UPDATE OF partner_id, bank_id, scene, product_id, campaign_id, created_at, ua_bot ON clicks
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    SELECT OLD.partner_id, OLD.created_at / 1800 * 1800, OLD.bank_id, OLD.scene, OLD.product_id,
        OLD.campaign_id, '', -1
    WHERE OLD.ua_bot = 0;
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    SELECT NEW.partner_id, NEW.created_at / 1800 * 1800, NEW.bank_id, NEW.scene, NEW.product_id,
        NEW.campaign_id, '', 1
    WHERE NEW.ua_bot = 0;
END;

CREATE TRIGGER report_click_delete AFTER DELETE ON clicks WHEN OLD.ua_bot = 0
BEGIN
    INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
        clicks)
    VALUES (OLD.partner_id, OLD.created_at / 1800 * 1800, OLD.bank_id, OLD.scene, OLD.product_id,
        OLD.campaign_id, '', -1);
END;

-- Bot clicks recorded before this migration were counted: take them back.
INSERT INTO report_delta (partner_id, bucket, bank_id, scene, product_id, campaign_id, event,
    clicks)
SELECT partner_id, created_at / 1800 * 1800 AS b, bank_id, scene, product_id, campaign_id, '',
    -COUNT(*)
FROM clicks
WHERE ua_bot != 0
GROUP BY partner_id, b, bank_id, scene, product_id, campaign_id;
