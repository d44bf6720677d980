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

-- Where each product's click-out lands: Demo Bank's are the built-in catalogue's
-- (core/catalogue/demo-bank.json, its English names; core/tests/seed_products.rs keeps them
-- equal), seeded here rather than written on the lead path; applying it again brings an
-- older database in step.
INSERT INTO products (bank_id, id, name, url) VALUES
    ('demo-bank', 'demand-plus', 'Demand Plus savings', 'https://bank.example.com/products/demand-plus'),
    ('demo-bank', 'notice-7d', '7-day notice deposit', 'https://bank.example.com/products/notice-7d'),
    ('demo-bank', 'td-3m', '3-month time deposit', 'https://bank.example.com/products/td-3m'),
    ('demo-bank', 'td-12m', '12-month time deposit', 'https://bank.example.com/products/td-12m'),
    ('demo-bank', 'td-36m', '3-year time deposit', 'https://bank.example.com/products/td-36m'),
    ('demo-bank', 'lcd-3y', '3-year large certificate of deposit', 'https://bank.example.com/products/lcd-3y'),
    ('demo-bank', 'sd-6m', '6-month structured deposit', 'https://bank.example.com/products/sd-6m'),
    ('demo-bank', 'cash-daily', 'Daily cash management', 'https://bank.example.com/products/cash-daily'),
    ('demo-bank', 'bond-steady', 'Steady bond select', 'https://bank.example.com/products/bond-steady'),
    ('demo-bank', 'balanced-plus', 'Balanced Plus fund', 'https://bank.example.com/products/balanced-plus'),
    ('demo-bank', 'equity-growth', 'Growth equity fund', 'https://bank.example.com/products/equity-growth'),
    ('demo-bank', 'credit-plus-2y', 'Enhanced credit 2-year (qualified investors)', 'https://bank.example.com/products/credit-plus-2y'),
    ('demo-bank', 'pe-select-5y', 'Private equity select 5-year (qualified investors)', 'https://bank.example.com/products/pe-select-5y'),
    ('harbor-bank', 'harbor-td-6m', 'Harbor 6-month deposit', 'https://harbor.example.com/td-6m')
ON CONFLICT (bank_id, id) DO UPDATE SET name = excluded.name, url = excluded.url;

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
