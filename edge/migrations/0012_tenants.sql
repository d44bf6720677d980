-- Tenants as data (issue 13): banks, catalogues, partners and campaigns as the admin API writes
-- them from tenant files (inflow_core::tenant), API keys, rotating postback secrets and an
-- append-only audit log. Existing tables are extended; the rows the demo seed and earlier
-- deployments wrote keep working (their report keys and postback secrets included).

-- A bank's record as its tenant file gives it: names (JSON {"zh-Hans","zh-Hant","en"}), brand
-- colour, currency and consent (JSON {"version","zh-Hans","zh-Hant","en"}). `version` grows with
-- every change of the record, `catalogue_version` with every apply that changes a product: the
-- lead path caches a catalogue per isolate keyed by it (issue 13, item 4).
-- `postback_secret` (0003) is superseded by postback_secrets below; banks created by the
-- admin API store ''.
ALTER TABLE banks ADD COLUMN names TEXT;
ALTER TABLE banks ADD COLUMN brand_color TEXT;
ALTER TABLE banks ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE banks ADD COLUMN consent TEXT;
ALTER TABLE banks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE banks ADD COLUMN catalogue_version INTEGER NOT NULL DEFAULT 0;

-- A product's full terms as core's catalogue `Product` (JSON), beside the name and URL that
-- clicks already read. NULL: a row written before tenants were data (seed, click-outs).
ALTER TABLE products ADD COLUMN spec TEXT;
ALTER TABLE products ADD COLUMN updated_at INTEGER;

-- A campaign's commissions as its tenant file gives them (JSON array of {event, flat_minor,
-- percent_bps, cap_minor}); commission_rules keeps the rows the ledger reads. `version` grows
-- with every change.
ALTER TABLE campaigns ADD COLUMN commissions TEXT;
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Which campaign serves a (partner, scene): the lead path's lookup (issue 13, items 4 and 5),
-- kept by the triggers below from campaigns.scenes, so no writer can forget it.
CREATE TABLE campaign_scenes (
    partner_id  TEXT NOT NULL,
    scene       TEXT NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    bank_id     TEXT NOT NULL,
    PRIMARY KEY (partner_id, scene, campaign_id)
);
INSERT INTO campaign_scenes (partner_id, scene, campaign_id, bank_id)
    SELECT c.partner_id, j.value, c.id, c.bank_id FROM campaigns c, json_each(c.scenes) j;
CREATE TRIGGER campaign_scenes_on_insert AFTER INSERT ON campaigns BEGIN
    INSERT OR IGNORE INTO campaign_scenes (partner_id, scene, campaign_id, bank_id)
        SELECT NEW.partner_id, value, NEW.id, NEW.bank_id FROM json_each(NEW.scenes);
END;
CREATE TRIGGER campaign_scenes_on_update AFTER UPDATE OF scenes, partner_id, bank_id ON campaigns BEGIN
    DELETE FROM campaign_scenes WHERE campaign_id = OLD.id;
    INSERT OR IGNORE INTO campaign_scenes (partner_id, scene, campaign_id, bank_id)
        SELECT NEW.partner_id, value, NEW.id, NEW.bank_id FROM json_each(NEW.scenes);
END;

-- Bank admin, bank report and partner report keys (inflow_core::admin::keys). The token is
-- never stored: `hash` is SHA-256 hex of it, `id` its public part. The operator key is the
-- Worker secret ADMIN_KEY, not a row. Legacy report keys (banks/partners.report_key_hash)
-- keep working beside these.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('bank_admin', 'bank_report', 'partner_report')),
    bank_id      TEXT REFERENCES banks(id),
    partner_id   TEXT REFERENCES partners(id),
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER,
    CHECK ((kind = 'partner_report') = (partner_id IS NOT NULL)),
    CHECK ((kind = 'partner_report') = (bank_id IS NULL))
);
CREATE INDEX api_keys_by_bank ON api_keys (bank_id);
CREATE INDEX api_keys_by_partner ON api_keys (partner_id);

-- Several postback secrets per bank, each accepted until it expires (NULL: until rotated),
-- so a bank rotates without downtime (inflow_core::admin::secrets). The value is stored:
-- HMAC needs it. Each bank's secret from before becomes its `legacy` secret.
CREATE TABLE postback_secrets (
    bank_id    TEXT NOT NULL REFERENCES banks(id),
    id         TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (bank_id, id)
);
INSERT INTO postback_secrets (bank_id, id, secret, created_at)
    SELECT id, 'legacy', postback_secret, created_at FROM banks WHERE postback_secret <> '';

-- Every admin write: which key (its public id, or 'operator'), when, which object, and the
-- object before and after as JSON (never a secret or a key hash). Append-only: the triggers
-- refuse any change or removal.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    key_id      TEXT NOT NULL,
    bank_id     TEXT,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    before      TEXT NOT NULL DEFAULT 'null',
    after       TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX audit_log_by_bank ON audit_log (bank_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
