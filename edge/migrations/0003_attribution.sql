-- Tenancy and the attribution ledger. Times are unix seconds (INTEGER), so windows are
-- arithmetic and reports can bucket days in any timezone; money is INTEGER minor units.

-- A bank signs its postbacks with `postback_secret` (HMAC needs the secret itself, so it is
-- stored, not hashed); report keys are stored only as SHA-256 hex.
CREATE TABLE banks (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    postback_secret TEXT NOT NULL,
    report_key_hash TEXT UNIQUE,
    created_at      INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
);

ALTER TABLE partners ADD COLUMN report_key_hash TEXT;
ALTER TABLE partners ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
CREATE UNIQUE INDEX partners_by_report_key ON partners (report_key_hash);

-- Where a click lands. Kept in step with the served catalogue when leads are answered.
CREATE TABLE products (
    bank_id TEXT NOT NULL REFERENCES banks(id),
    id      TEXT NOT NULL,
    name    TEXT NOT NULL DEFAULT '',
    url     TEXT NOT NULL,
    PRIMARY KEY (bank_id, id)
);

-- What a bank pays one partner for: scenes and products (JSON arrays, "*" = every product of
-- the bank), the events it pays, its attribution window and fraud threshold.
CREATE TABLE campaigns (
    id                  TEXT PRIMARY KEY,
    bank_id             TEXT NOT NULL REFERENCES banks(id),
    partner_id          TEXT NOT NULL REFERENCES partners(id),
    scenes              TEXT NOT NULL DEFAULT '["education","gaming","telehealth"]',
    products            TEXT NOT NULL DEFAULT '["*"]',
    events              TEXT NOT NULL DEFAULT '["lead_qualified","account_opened","funded"]',
    window_days         INTEGER NOT NULL DEFAULT 30 CHECK (window_days > 0),
    approval_days       INTEGER NOT NULL DEFAULT 0 CHECK (approval_days >= 0),
    max_clicks_per_hour INTEGER NOT NULL DEFAULT 20 CHECK (max_clicks_per_hour > 0),
    currency            TEXT NOT NULL DEFAULT 'CNY',
    active              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaigns_by_partner ON campaigns (partner_id, active);

-- A bank's payout per event; partner_id '' is its default, a partner id an override.
CREATE TABLE commission_rules (
    bank_id     TEXT NOT NULL REFERENCES banks(id),
    event       TEXT NOT NULL,
    partner_id  TEXT NOT NULL DEFAULT '',
    flat_minor  INTEGER NOT NULL DEFAULT 0 CHECK (flat_minor >= 0),
    percent_bps INTEGER NOT NULL DEFAULT 0 CHECK (percent_bps BETWEEN 0 AND 10000),
    cap_minor   INTEGER CHECK (cap_minor >= 0),
    PRIMARY KEY (bank_id, event, partner_id)
);

-- One row per click-out. client_hash is HMAC(CLIENT_HASH_KEY, ip, user agent): bursts can be
-- counted without keeping an IP address. clicks_in_hour is that count when the click happened.
CREATE TABLE clicks (
    id             TEXT PRIMARY KEY,
    lead_id        TEXT NOT NULL,
    bank_id        TEXT NOT NULL,
    partner_id     TEXT NOT NULL,
    campaign_id    TEXT NOT NULL,
    product_id     TEXT NOT NULL,
    scene          TEXT NOT NULL,
    client_hash    TEXT NOT NULL,
    ua_bot         INTEGER NOT NULL,
    clicks_in_hour INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX clicks_by_client_time ON clicks (client_hash, created_at);
CREATE INDEX clicks_by_partner_time ON clicks (partner_id, created_at);
CREATE INDEX clicks_by_bank_time ON clicks (bank_id, created_at);

-- Every postback that was attributed, paid or not. The UNIQUE constraint is the exactly-once
-- guarantee: a retry, however concurrent, cannot insert a second row.
CREATE TABLE conversions (
    id              TEXT PRIMARY KEY,
    bank_id         TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    event           TEXT NOT NULL,
    click_id        TEXT NOT NULL REFERENCES clicks(id),
    campaign_id     TEXT NOT NULL,
    partner_id      TEXT NOT NULL,
    product_id      TEXT NOT NULL,
    scene           TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT NOT NULL,
    occurred_at     INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN
                        ('pending', 'approved', 'held', 'out_of_window', 'reversed', 'rejected')),
    reason          TEXT,
    payout_minor    INTEGER NOT NULL CHECK (payout_minor >= 0),
    payout_currency TEXT NOT NULL,
    approve_at      INTEGER,
    reversed_at     INTEGER,
    reversed_from   TEXT,
    reversal_reason TEXT,
    UNIQUE (bank_id, external_id, event)
);
CREATE INDEX conversions_by_partner_time ON conversions (partner_id, occurred_at);
CREATE INDEX conversions_by_bank_time ON conversions (bank_id, occurred_at);
CREATE INDEX conversions_pending ON conversions (status, approve_at);

-- Money movements, append-only: an accrual when a paid conversion arrives, a clawback when it
-- is reversed. UNIQUE (conversion_id, kind) makes each happen at most once.
CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY,
    conversion_id TEXT NOT NULL REFERENCES conversions(id),
    kind          TEXT NOT NULL CHECK (kind IN ('accrual', 'clawback')),
    bank_id       TEXT NOT NULL,
    partner_id    TEXT NOT NULL,
    campaign_id   TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (conversion_id, kind)
);
CREATE INDEX ledger_by_partner_time ON ledger (partner_id, created_at);
CREATE INDEX ledger_by_bank_time ON ledger (bank_id, created_at);
