-- Partners publish the widget; leads are the qualified visitors they send.
CREATE TABLE partners (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE leads (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners(id),
    scene          TEXT NOT NULL CHECK (scene IN ('education', 'gaming', 'telehealth')),
    lang           TEXT NOT NULL,
    answers        TEXT NOT NULL,
    risk_tolerance TEXT NOT NULL,
    recommended    TEXT NOT NULL,
    attribution    TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE INDEX leads_by_partner_time ON leads (partner_id, created_at);
