-- Consent records, idempotent lead submission, registered embedding origins, funnel events.

-- The consent a visitor gave (text version, their clock, ours) and their contact, kept only as
-- a keyed hash.
ALTER TABLE leads ADD COLUMN consent_version TEXT;
ALTER TABLE leads ADD COLUMN consent_at TEXT;
ALTER TABLE leads ADD COLUMN consent_recorded_at TEXT;
ALTER TABLE leads ADD COLUMN contact_hash TEXT;

-- A retried submission (same partner, same Idempotency-Key) finds the first one and gets its
-- answer back; NULL keys never collide.
ALTER TABLE leads ADD COLUMN idempotency_key TEXT;
ALTER TABLE leads ADD COLUMN response TEXT;
CREATE UNIQUE INDEX leads_by_idempotency_key ON leads (partner_id, idempotency_key);

-- Origins allowed to embed the widget for a partner and call the API cross-origin.
CREATE TABLE partner_origins (
    partner_id TEXT NOT NULL REFERENCES partners(id),
    origin     TEXT NOT NULL,
    PRIMARY KEY (partner_id, origin)
);
CREATE INDEX partner_origins_by_origin ON partner_origins (origin);
