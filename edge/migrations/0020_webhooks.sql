-- Signed webhooks (issue 14 item 3): endpoints a bank or partner registers, their rotating
-- signing secrets, and the delivery log the queue consumer writes (inflow_core::webhook).

-- `events`: JSON array of event types. `consecutive_failures` counts failed deliveries since
-- the last success; at `disable_after` the endpoint is disabled (`disabled_at`, with why).
CREATE TABLE webhook_endpoints (
    id                   TEXT PRIMARY KEY,
    owner_kind           TEXT NOT NULL CHECK (owner_kind IN ('bank', 'partner')),
    owner_id             TEXT NOT NULL,
    url                  TEXT NOT NULL,
    events               TEXT NOT NULL,
    disable_after        INTEGER NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_at          INTEGER,
    disabled_reason      TEXT,
    created_at           INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_kind, owner_id);

-- Like postback_secrets: every live one signs each delivery, so a receiver rotates without
-- downtime; the value is needed to sign, shown once when made, never listed.
CREATE TABLE webhook_secrets (
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id),
    id          TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    PRIMARY KEY (endpoint_id, id)
);

-- One row per attempt (and one when the queue gives a message up: outcome 'dead'). Never the
-- body sent or answered: the log holds ids, statuses and the reason of a failure only.
CREATE TABLE webhook_deliveries (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'dead', 'skipped')),
    status      INTEGER,
    error       TEXT
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);
CREATE INDEX webhook_deliveries_message ON webhook_deliveries (endpoint_id, message_id);
