-- Volume for the report benchmark (`cargo xtask seed-volume`, `cargo xtask bench`): ten more
-- Demo Bank partners and, over the 90 days before now, 1,000,000 funnel events, 60,000 leads,
-- 100,000 clicks and 50,000 conversions (all statuses, with their ledger entries), spread over
-- the 13 partners. Apply after demo.sql. Values are pseudo-random but deterministic: each is
-- (i * a large prime) modulo a range. Safe to apply more than once: each insert skips when its
-- first row is already there. The report triggers fill the rollups as the rows go in.
--
-- Report key of partner vol-01: "rk_vol-01_local" (SHA-256 hex below); Demo Bank's key sees all.

INSERT OR IGNORE INTO partners (id, name, report_key_hash)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
SELECT printf('vol-%02d', i), printf('Volume partner %02d', i),
    iif(i = 1, '55d35e71f64cd6f53597cffe2911fd96a0d080954cbc2c51ce16e366c95c1708', NULL)
FROM n;

INSERT OR IGNORE INTO campaigns (id, bank_id, partner_id, scenes, products)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
SELECT printf('cmp-vol-%02d', i), 'demo-bank', printf('vol-%02d', i),
    '["' || (CASE i % 3 WHEN 0 THEN 'education' WHEN 1 THEN 'gaming' ELSE 'telehealth' END) || '"]',
    '["*"]'
FROM n;

-- Funnel events: sessions of 20 events; per event 45 % impressions, 12 % opens, 33 % answers
-- (early questions more often, as visitors drop off), 6 % recommendations, 2.5 % leads, 1.5 %
-- clicks.
INSERT INTO funnel_events (partner_id, scene, session, kind, question, received_at)
WITH RECURSIVE
    -- Demo Bank's 13 partners numbered from 0, with the scene of their campaign.
    p(n, id, scene) AS (SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, partner_id,
        json_extract(scenes, '$[0]') FROM campaigns WHERE bank_id = 'demo-bank'),
    t0(now) AS (SELECT CAST(strftime('%s', 'now') AS INTEGER)),
    g(i) AS (
        SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM funnel_events WHERE session = 'vol-0000000')
        UNION ALL SELECT i + 1 FROM g WHERE i < 999999
    ),
    e(i, s, r) AS (SELECT i, i / 20, (i * 7919) % 1000 FROM g)
SELECT p.id, p.scene, printf('vol-%07d', e.s),
    CASE WHEN r < 450 THEN 'impression' WHEN r < 570 THEN 'open' WHEN r < 900 THEN 'answer'
        WHEN r < 960 THEN 'recommendation' WHEN r < 985 THEN 'lead' ELSE 'click' END,
    CASE WHEN r >= 570 AND r < 900 THEN
        CASE (r - 570) * (r - 570) * 13 / (330 * 330)
            WHEN 0 THEN 'age' WHEN 1 THEN 'goal' WHEN 2 THEN 'horizon' WHEN 3 THEN 'amount'
            WHEN 4 THEN 'liquidity' WHEN 5 THEN 'region' WHEN 6 THEN 'assets'
            WHEN 7 THEN 'experience' WHEN 8 THEN 'knowledge' WHEN 9 THEN 'income'
            WHEN 10 THEN 'objective' WHEN 11 THEN 'max_loss' ELSE 'loss' END
    END,
    strftime('%Y-%m-%dT%H:%M:%fZ', t0.now - (e.s * 104729) % 7776000 - (e.i % 20) * 7, 'unixepoch')
FROM e JOIN p ON p.n = (e.s * 31) % 13, t0;

-- Leads: 60,000, at least ten minutes before now so their clicks are in the past too.
INSERT INTO leads (id, partner_id, scene, lang, answers, risk_tolerance, recommended,
    attribution, created_at, propensity, tier, tags)
WITH RECURSIVE
    -- Demo Bank's 13 partners numbered from 0, with the scene of their campaign.
    p(n, id, scene) AS (SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, partner_id,
        json_extract(scenes, '$[0]') FROM campaigns WHERE bank_id = 'demo-bank'),
    t0(now) AS (SELECT CAST(strftime('%s', 'now') AS INTEGER)),
    g(i) AS (
        SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM leads WHERE id = 'vol-lead-000000')
        UNION ALL SELECT i + 1 FROM g WHERE i < 59999
    )
SELECT printf('vol-lead-%06d', g.i), p.id, p.scene, 'zh-Hans',
    '{"age":"30_44","goal":"tuition","horizon":"3_5y","amount":"50k_200k","liquidity":"maybe","region":"east","assets":"500k_3m","experience":"funds_short","knowledge":"good","income":"stable","objective":"balanced","max_loss":"up_to_15","loss":"hold"}',
    'C3', '["td-12m","bond-steady","demand-plus"]', '{}',
    strftime('%Y-%m-%dT%H:%M:%fZ', t0.now - 600 - (g.i * 104723) % 7775000, 'unixepoch'),
    0.1 + (g.i % 7) / 100.0, CASE g.i % 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END, '{}'
FROM g JOIN p ON p.n = (g.i * 7) % 13, t0;

-- Clicks: 100,000, one to five minutes after their lead (leads 0–39,999 have two). One in ten of
-- the education partner's goes to Harbor Bank's deposit, the rest to a Demo Bank product.
INSERT INTO clicks (id, lead_id, bank_id, partner_id, campaign_id, product_id, scene,
    client_hash, ua_bot, clicks_in_hour, created_at)
WITH RECURSIVE g(j) AS (
    SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM clicks WHERE id = 'vol-click-000000')
    UNION ALL SELECT j + 1 FROM g WHERE j < 99999
),
c(j, lead_id, partner_id, scene, created_at, harbor) AS (
    SELECT g.j, l.id, l.partner_id, l.scene,
        CAST(strftime('%s', l.created_at) AS INTEGER) + 60 + (g.j % 5) * 60,
        l.partner_id = 'edu-demo' AND g.j % 10 = 0
    FROM g JOIN leads l ON l.id = printf('vol-lead-%06d', g.j % 60000)
)
SELECT printf('vol-click-%06d', j), lead_id, iif(harbor, 'harbor-bank', 'demo-bank'), partner_id,
    iif(harbor, 'cmp-harbor-edu', 'cmp-' || partner_id),
    iif(harbor, 'harbor-td-6m', CASE (j * 3) % 5 WHEN 0 THEN 'demand-plus' WHEN 1 THEN 'td-12m'
        WHEN 2 THEN 'td-36m' WHEN 3 THEN 'cash-daily' ELSE 'bond-steady' END),
    scene, printf('vol-client-%05d', j % 40000), 0, 1, created_at
FROM c;

-- Conversions: 50,000, on every other click, up to two days later (never after now): half
-- lead_qualified, 30 % account_opened, 20 % funded (Harbor's all account_opened); 60 %
-- approved, 18 % pending, 6 % held, 10 % reversed, 3 % out of window, 3 % rejected. Payouts
-- follow demo.sql's commission rules.
INSERT INTO conversions (id, bank_id, external_id, event, click_id, campaign_id, partner_id,
    product_id, scene, amount_minor, currency, occurred_at, received_at, status, reason,
    payout_minor, payout_currency, approve_at, reversed_at, reversed_from, reversal_reason)
WITH RECURSIVE
    t0(now) AS (SELECT CAST(strftime('%s', 'now') AS INTEGER)),
    g(k) AS (
        SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM conversions WHERE id = 'vol-conv-000000')
        UNION ALL SELECT k + 1 FROM g WHERE k < 49999
    ),
    c(k, click, bank_id, partner_id, campaign_id, product_id, scene, event, amount_minor,
        occurred_at, s) AS (
        SELECT g.k, k.id, k.bank_id, k.partner_id, k.campaign_id, k.product_id, k.scene,
            CASE WHEN k.bank_id = 'harbor-bank' THEN 'account_opened'
                WHEN g.k % 10 < 5 THEN 'lead_qualified'
                WHEN g.k % 10 < 8 THEN 'account_opened' ELSE 'funded' END,
            iif(g.k % 10 >= 8 AND k.bank_id = 'demo-bank', (1 + (g.k * 7919) % 500) * 100000, 0),
            min(k.created_at + 900 + (g.k * 104729) % 172800, t0.now - 60),
            (g.k * 7) % 100
        FROM g JOIN clicks k ON k.id = printf('vol-click-%06d', g.k * 2), t0
    ),
    d(k, click, bank_id, partner_id, campaign_id, product_id, scene, event, amount_minor,
        occurred_at, status, payout) AS (
        SELECT k, click, bank_id, partner_id, campaign_id, product_id, scene, event,
            amount_minor, occurred_at,
            CASE WHEN s < 60 THEN 'approved' WHEN s < 78 THEN 'pending' WHEN s < 84 THEN 'held'
                WHEN s < 94 THEN 'reversed' WHEN s < 97 THEN 'out_of_window'
                ELSE 'rejected' END,
            CASE WHEN s >= 94 THEN 0
                WHEN bank_id = 'harbor-bank' THEN 3000
                WHEN event = 'lead_qualified' THEN 500
                WHEN event = 'account_opened' THEN iif(partner_id = 'edu-demo', 8000, 5000)
                ELSE min(amount_minor * 50 / 10000, 20000) END
        FROM c
    )
SELECT printf('vol-conv-%06d', k), bank_id, printf('VOL-%06d', k), event, click, campaign_id,
    partner_id, product_id, scene, amount_minor, 'CNY', occurred_at, occurred_at + 5, status,
    CASE status WHEN 'held' THEN 'click_burst' WHEN 'out_of_window' THEN 'out_of_window'
        WHEN 'rejected' THEN 'event_not_in_campaign' END,
    payout, 'CNY', iif(status = 'pending', occurred_at + 5 + 30 * 86400, NULL),
    iif(status = 'reversed', occurred_at + 60, NULL), iif(status = 'reversed', 'approved', NULL),
    iif(status = 'reversed', 'seeded reversal', NULL)
FROM d;

-- The ledger (migration 0023): an accrual per paid conversion, a release per approved one (at
-- its approval, here its arrival), a clawback per reversed one (reversed after approval), each
-- booked into its month in Demo Bank's zone (Asia/Shanghai, UTC+8).
INSERT OR IGNORE INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
    amount_minor, currency, created_at, period)
SELECT id, 'accrual', bank_id, partner_id, campaign_id, payout_minor, payout_currency, received_at,
    strftime('%Y-%m', received_at + 28800, 'unixepoch')
FROM conversions
WHERE id LIKE 'vol-conv-%' AND payout_minor > 0
    AND status IN ('pending', 'approved', 'held', 'reversed');

INSERT OR IGNORE INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
    amount_minor, currency, created_at, period)
SELECT id, 'release', bank_id, partner_id, campaign_id, payout_minor, payout_currency, received_at,
    strftime('%Y-%m', received_at + 28800, 'unixepoch')
FROM conversions
WHERE id LIKE 'vol-conv-%' AND payout_minor > 0
    AND (status = 'approved' OR (status = 'reversed' AND reversed_from = 'approved'));

INSERT OR IGNORE INTO ledger (conversion_id, kind, bank_id, partner_id, campaign_id,
    amount_minor, currency, created_at, period)
SELECT id, 'clawback', bank_id, partner_id, campaign_id, -payout_minor, payout_currency,
    reversed_at, strftime('%Y-%m', reversed_at + 28800, 'unixepoch')
FROM conversions
WHERE id LIKE 'vol-conv-%' AND payout_minor > 0 AND status = 'reversed';
