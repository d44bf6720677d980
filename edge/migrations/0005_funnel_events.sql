-- Funnel events from the widget (impression → open → answers → lead → recommendation → click).
CREATE TABLE funnel_events (
    id          INTEGER PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    scene       TEXT NOT NULL,
    session     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('impression', 'open', 'answer', 'lead', 'recommendation', 'click')),
    question    TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX funnel_events_by_partner_time ON funnel_events (partner_id, received_at);
