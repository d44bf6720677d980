-- Demo partners for the local default; safe to apply more than once.
INSERT OR IGNORE INTO partners (id, name) VALUES
    ('edu-demo', 'LearnBright online school'),
    ('game-demo', 'NeonArcade game community'),
    ('health-demo', 'CareLink telehealth clinic');

-- Two banks with local-only postback secrets (see .dev.vars.example and docs/integration.md).
-- Report keys: demo-bank "rk_bank_demo_local", harbor-bank "rk_bank_harbor_local",
-- partners "rk_<partner id>_local"; stored as SHA-256 hex.
INSERT OR IGNORE INTO banks (id, name, postback_secret, report_key_hash) VALUES
    ('demo-bank', 'Demo Bank', 'whsec_demo_bank_local_only',
     '80aa3eec44db4bd7439ed120c5f953c005899387815042926e1acac5ea5ba20b'),
    ('harbor-bank', 'Harbor Bank', 'whsec_harbor_bank_local_only',
     '3ad042fd0cc5987f6b57128219488edfc93ff21fe2c154567542d7ee44d46714');

UPDATE partners SET report_key_hash = CASE id
    WHEN 'edu-demo' THEN '30a5fa17c64fa955765c9e9aabec212c76f0dd69317b8c68a8e99832183732c8'
    WHEN 'game-demo' THEN '40fc785655930e2ea2d890925370c01e9d45406c91eb35774fa0e3a594779220'
    WHEN 'health-demo' THEN 'd39f8a7cf6820337bf79798cc4aecd31611ae16743ec33df5421e69f27a9bf26'
    END
WHERE report_key_hash IS NULL;

-- Demo Bank's catalogue as data: where each product's click-out lands (clicks read name and url)
-- and its full terms (`spec`, core's catalogue Product as JSON), which leads are decided
-- against (edge/src/offer.rs). They are the built-in catalogue's (core/catalogue/demo-bank.json;
-- core/tests/seed_products.rs keeps them equal); applying the seed again brings an older
-- database in step. Harbor Bank's one product has no spec: Harbor is a bank from before
-- tenants were data (no names, colour or consent), so its campaign attributes clicks but
-- offers nothing (the offer skips it).
INSERT INTO products (bank_id, id, name, url, spec) VALUES
    ('demo-bank', 'demand-plus', 'Demand Plus savings', 'https://bank.example.com/products/demand-plus',
     '{"id":"demand-plus","name":{"zh-Hans":"活期宝","zh-Hant":"活期寶","en":"Demand Plus savings"},"kind":"demand_deposit","risk":1,"min_amount_cny":0,"term_months":0,"early_redemption":true,"yield_bps":35,"qualified_only":false,"regions":[],"priority":40,"url":"https://bank.example.com/products/demand-plus"}'),
    ('demo-bank', 'notice-7d', '7-day notice deposit', 'https://bank.example.com/products/notice-7d',
     '{"id":"notice-7d","name":{"zh-Hans":"七天通知存款","zh-Hant":"七天通知存款","en":"7-day notice deposit"},"kind":"demand_deposit","risk":1,"min_amount_cny":50000,"term_months":0,"early_redemption":true,"yield_bps":100,"qualified_only":false,"regions":[],"priority":55,"url":"https://bank.example.com/products/notice-7d"}'),
    ('demo-bank', 'td-3m', '3-month time deposit', 'https://bank.example.com/products/td-3m',
     '{"id":"td-3m","name":{"zh-Hans":"三个月定期存款","zh-Hant":"三個月定期存款","en":"3-month time deposit"},"kind":"time_deposit","risk":1,"min_amount_cny":50,"term_months":3,"early_redemption":true,"yield_bps":105,"qualified_only":false,"regions":[],"priority":60,"url":"https://bank.example.com/products/td-3m"}'),
    ('demo-bank', 'td-12m', '12-month time deposit', 'https://bank.example.com/products/td-12m',
     '{"id":"td-12m","name":{"zh-Hans":"一年期定期存款","zh-Hant":"一年期定期存款","en":"12-month time deposit"},"kind":"time_deposit","risk":1,"min_amount_cny":50,"term_months":12,"early_redemption":true,"yield_bps":145,"qualified_only":false,"regions":[],"priority":80,"url":"https://bank.example.com/products/td-12m","incentive":{"bonus_bps":10,"within_days":7}}'),
    ('demo-bank', 'td-36m', '3-year time deposit', 'https://bank.example.com/products/td-36m',
     '{"id":"td-36m","name":{"zh-Hans":"三年期定期存款","zh-Hant":"三年期定期存款","en":"3-year time deposit"},"kind":"time_deposit","risk":1,"min_amount_cny":50,"term_months":36,"early_redemption":true,"yield_bps":175,"qualified_only":false,"regions":[],"priority":75,"url":"https://bank.example.com/products/td-36m"}'),
    ('demo-bank', 'lcd-3y', '3-year large certificate of deposit', 'https://bank.example.com/products/lcd-3y',
     '{"id":"lcd-3y","name":{"zh-Hans":"三年期大额存单","zh-Hant":"三年期大額存單","en":"3-year large certificate of deposit"},"kind":"large_cd","risk":1,"min_amount_cny":200000,"term_months":36,"early_redemption":true,"yield_bps":215,"qualified_only":false,"regions":["north","east","south"],"priority":85,"url":"https://bank.example.com/products/lcd-3y","incentive":{"bonus_bps":15,"within_days":14}}'),
    ('demo-bank', 'sd-6m', '6-month structured deposit', 'https://bank.example.com/products/sd-6m',
     '{"id":"sd-6m","name":{"zh-Hans":"六个月结构性存款","zh-Hant":"六個月結構性存款","en":"6-month structured deposit"},"kind":"structured_deposit","risk":1,"min_amount_cny":10000,"term_months":6,"early_redemption":false,"yield_bps":200,"qualified_only":false,"regions":[],"priority":65,"url":"https://bank.example.com/products/sd-6m"}'),
    ('demo-bank', 'cash-daily', 'Daily cash management', 'https://bank.example.com/products/cash-daily',
     '{"id":"cash-daily","name":{"zh-Hans":"天天利现金管理","zh-Hant":"天天利現金管理","en":"Daily cash management"},"kind":"cash_management","risk":1,"min_amount_cny":1,"term_months":0,"early_redemption":true,"yield_bps":170,"qualified_only":false,"regions":[],"priority":50,"url":"https://bank.example.com/products/cash-daily"}'),
    ('demo-bank', 'bond-steady', 'Steady bond select', 'https://bank.example.com/products/bond-steady',
     '{"id":"bond-steady","name":{"zh-Hans":"稳享债券精选","zh-Hant":"穩享債券精選","en":"Steady bond select"},"kind":"fixed_income","risk":2,"min_amount_cny":10000,"term_months":12,"early_redemption":false,"yield_bps":290,"qualified_only":false,"regions":[],"priority":55,"url":"https://bank.example.com/products/bond-steady"}'),
    ('demo-bank', 'balanced-plus', 'Balanced Plus fund', 'https://bank.example.com/products/balanced-plus',
     '{"id":"balanced-plus","name":{"zh-Hans":"平衡增利混合","zh-Hant":"平衡增利混合","en":"Balanced Plus fund"},"kind":"balanced","risk":3,"min_amount_cny":1000,"term_months":0,"early_redemption":true,"yield_bps":400,"qualified_only":false,"regions":[],"priority":45,"url":"https://bank.example.com/products/balanced-plus"}'),
    ('demo-bank', 'equity-growth', 'Growth equity fund', 'https://bank.example.com/products/equity-growth',
     '{"id":"equity-growth","name":{"zh-Hans":"成长精选股票","zh-Hant":"成長精選股票","en":"Growth equity fund"},"kind":"equity","risk":4,"min_amount_cny":1000,"term_months":0,"early_redemption":true,"yield_bps":600,"qualified_only":false,"regions":[],"priority":40,"url":"https://bank.example.com/products/equity-growth"}'),
    ('demo-bank', 'credit-plus-2y', 'Enhanced credit 2-year (qualified investors)', 'https://bank.example.com/products/credit-plus-2y',
     '{"id":"credit-plus-2y","name":{"zh-Hans":"增强信用两年期（合格投资者）","zh-Hant":"增強信用兩年期（合格投資者）","en":"Enhanced credit 2-year (qualified investors)"},"kind":"fixed_income","risk":3,"min_amount_cny":1000000,"term_months":24,"early_redemption":false,"yield_bps":420,"qualified_only":true,"regions":[],"priority":50,"url":"https://bank.example.com/products/credit-plus-2y"}'),
    ('demo-bank', 'pe-select-5y', 'Private equity select 5-year (qualified investors)', 'https://bank.example.com/products/pe-select-5y',
     '{"id":"pe-select-5y","name":{"zh-Hans":"私募股权精选五年期（合格投资者）","zh-Hant":"私募股權精選五年期（合格投資者）","en":"Private equity select 5-year (qualified investors)"},"kind":"equity","risk":5,"min_amount_cny":1000000,"term_months":60,"early_redemption":false,"yield_bps":800,"qualified_only":true,"regions":[],"priority":35,"url":"https://bank.example.com/products/pe-select-5y"}'),
    ('harbor-bank', 'harbor-td-6m', 'Harbor 6-month deposit', 'https://harbor.example.com/td-6m', NULL)
ON CONFLICT (bank_id, id) DO UPDATE SET name = excluded.name, url = excluded.url, spec = excluded.spec;

-- Demo Bank's record as a tenant file would give it: names, the widget's brand colour and the
-- consent the visitor agrees to (core/src/lead/consent.rs keeps CONSENT_TEXT and
-- CONSENT_VERSION as its reference; core/tests/seed_products.rs checks them equal). The
-- versions grow so that a running Worker's cached offers are rebuilt (edge/src/offer.rs).
UPDATE banks SET
    names = '{"zh-Hans":"示范银行","zh-Hant":"示範銀行","en":"Demo Bank"}',
    brand_color = '#0b6e4f',
    consent = '{"version":"contact-2026-11","zh-Hans":"我同意示范银行就上述产品通过电话或电子邮件联系我。我的联系方式仅用于此目的，我可以随时要求删除。","zh-Hant":"我同意示範銀行就上述產品通過電話或電子郵件聯繫我。我的聯繫方式僅用於此目的，我可以隨時要求刪除。","en":"I agree that Demo Bank may contact me by phone or e-mail about these products. My contact details are used for nothing else, and I can ask for them to be deleted at any time."}',
    contact_key = 'Z_DT31c1W6dGSBSQDZOApwun0WkaRzHhLkqYucw-d10',
    version = version + 1,
    catalogue_version = catalogue_version + 1
WHERE id = 'demo-bank';

-- Each demo partner promotes every Demo Bank product in its scene; Harbor Bank runs one
-- campaign with the education partner for its own deposit only. Demo Bank pays every `funded`
-- top-up (a repeatable event); every other event pays once per click.
INSERT OR IGNORE INTO campaigns (id, bank_id, partner_id, scenes, products, repeatable_events) VALUES
    ('cmp-edu-demo', 'demo-bank', 'edu-demo', '["education"]', '["*"]', '["funded"]'),
    ('cmp-game-demo', 'demo-bank', 'game-demo', '["gaming"]', '["*"]', '["funded"]'),
    ('cmp-health-demo', 'demo-bank', 'health-demo', '["telehealth"]', '["*"]', '["funded"]'),
    ('cmp-harbor-edu', 'harbor-bank', 'edu-demo', '["education"]', '["harbor-td-6m"]', '[]');

-- Payouts: a lead is worth 5.00, an opened account 50.00 (80.00 for the education partner), a
-- funded account 0.5 % of the deposit capped at 200.00. Harbor pays 30.00 per opened account.
INSERT OR IGNORE INTO commission_rules (bank_id, event, partner_id, flat_minor, percent_bps, cap_minor) VALUES
    ('demo-bank', 'lead_qualified', '', 500, 0, NULL),
    ('demo-bank', 'account_opened', '', 5000, 0, NULL),
    ('demo-bank', 'account_opened', 'edu-demo', 8000, 0, NULL),
    ('demo-bank', 'funded', '', 0, 50, 20000),
    ('harbor-bank', 'account_opened', '', 3000, 0, NULL);

-- Each bank's postback secret above is its `legacy` secret (migration 0012): accepted until the
-- bank rotates (POST /v1/admin/banks/{id}/secrets).
INSERT OR IGNORE INTO postback_secrets (bank_id, id, secret, created_at)
    SELECT id, 'legacy', postback_secret, created_at FROM banks WHERE postback_secret <> '';

-- Each seeded campaign pays what it says: its terms from the rules above, as migration 0019
-- gives campaigns written before tenant files (the same statement).
UPDATE campaigns SET commissions = (
    SELECT json_group_array(json(k)) FROM (
        SELECT json_object('event', e.value, 'flat_minor', r.flat_minor,
            'percent_bps', r.percent_bps, 'cap_minor', r.cap_minor) AS k
        FROM json_each(campaigns.events) e
        JOIN commission_rules r ON r.bank_id = campaigns.bank_id AND r.event = e.value
            AND r.partner_id = (SELECT max(p.partner_id) FROM commission_rules p
                WHERE p.bank_id = campaigns.bank_id AND p.event = e.value
                    AND p.partner_id IN ('', campaigns.partner_id))
        ORDER BY e.key)
)
WHERE commissions IS NULL;
