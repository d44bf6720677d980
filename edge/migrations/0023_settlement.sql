-- Settlement (issue 15): the ledger dated by when money moved, booked into monthly periods in
-- the bank's time zone, and the statements a bank closes and pays (inflow_core::settlement).

-- The bank's settlement time zone (IANA; NULL: Asia/Shanghai, core's report::zone::DEFAULT_ZONE)
-- and its minimum payout (minor units of its currency; NULL: 0, any positive balance is paid).
ALTER TABLE banks ADD COLUMN timezone TEXT;
ALTER TABLE banks ADD COLUMN min_payout_minor INTEGER CHECK (min_payout_minor >= 0);

-- The ledger, rebuilt for four kinds of entry (inflow_core::settlement::entry::EntryKind):
-- accrual (earned, held), release (payable: approval date, or arrival when approved on
-- arrival), void (reversed before release), clawback (reversed after release). Amounts are
-- signed minor units (accrual/release +, void/clawback −); created_at is when the money moved;
-- period (YYYY-MM) is the month it was booked into, fixed at insert: its own month in the bank's
-- zone, or the first open month after the bank's last closed one (settlement::booking_period).
-- UNIQUE (conversion_id, kind): each happens at most once however often a postback, approval
-- or reversal is retried. Net commission of a conversion = every entry but its release.
CREATE TABLE ledger_v2 (
    id            INTEGER PRIMARY KEY,
    conversion_id TEXT NOT NULL REFERENCES conversions(id),
    kind          TEXT NOT NULL CHECK (kind IN ('accrual', 'release', 'void', 'clawback')),
    bank_id       TEXT NOT NULL,
    partner_id    TEXT NOT NULL,
    campaign_id   TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor <> 0),
    currency      TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    UNIQUE (conversion_id, kind)
);

-- Existing entries, in the order they happened. Every bank is in Asia/Shanghai until its file
-- says otherwise (a fixed UTC+8 since 1991), so a month there is the UTC month of t + 8 h.
-- Accruals stay; a conversion approved (now or before its reversal) gets its release at its
-- approval date (approve_at, or arrival when approved on arrival); a clawback of a conversion
-- reversed before approval becomes a void.
INSERT INTO ledger_v2 (conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor,
                       currency, created_at, period)
SELECT conversion_id, kind, bank_id, partner_id, campaign_id, amount_minor, currency, at,
       strftime('%Y-%m', at + 28800, 'unixepoch')
FROM (
    SELECT l.conversion_id, 'accrual' AS kind, l.bank_id, l.partner_id, l.campaign_id,
           l.amount_minor, l.currency, l.created_at AS at, 0 AS step
    FROM ledger l WHERE l.kind = 'accrual'
    UNION ALL
    SELECT l.conversion_id, 'release', l.bank_id, l.partner_id, l.campaign_id, l.amount_minor,
           l.currency, COALESCE(c.approve_at, c.received_at), 1
    FROM ledger l JOIN conversions c ON c.id = l.conversion_id
    WHERE l.kind = 'accrual'
      AND (c.status = 'approved' OR (c.status = 'reversed' AND c.reversed_from = 'approved'))
    UNION ALL
    SELECT l.conversion_id, iif(c.reversed_from = 'approved', 'clawback', 'void'), l.bank_id,
           l.partner_id, l.campaign_id, l.amount_minor, l.currency, l.created_at, 2
    FROM ledger l JOIN conversions c ON c.id = l.conversion_id
    WHERE l.kind = 'clawback'
)
ORDER BY at, step, conversion_id;

DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;
-- The feeds (GET /v1/ledger by bank or partner, after a cursor) and a statement's open periods
-- (sums by partner, period and kind, read from the index alone).
CREATE INDEX ledger_by_bank ON ledger (bank_id, id);
CREATE INDEX ledger_by_partner ON ledger (partner_id, id);
CREATE INDEX ledger_by_bank_period ON ledger (bank_id, period, partner_id, kind, amount_minor);
-- The approval job: approved conversions whose release is not written yet.
CREATE INDEX conversions_approved_by_time ON conversions (approve_at) WHERE status = 'approved';

-- A bank's closed periods, in order: every entry inserted after a close is booked into
-- next_period or later. close_id marks the close that wrote the row, so the statements written
-- in the same batch are written only by the close that won.
CREATE TABLE settlement_periods (
    bank_id     TEXT NOT NULL REFERENCES banks(id),
    period      TEXT NOT NULL,
    next_period TEXT NOT NULL,
    closed_at   INTEGER NOT NULL,
    close_id    TEXT NOT NULL,
    PRIMARY KEY (bank_id, period)
);

-- Statements frozen at close, one per partner with an entry or a balance (minor units of
-- currency; inflow_core::settlement::statement::Figures); paid_at and reference once the bank
-- marks it paid. Open periods are not stored: they are computed from the ledger on read.
CREATE TABLE statements (
    bank_id           TEXT NOT NULL REFERENCES banks(id),
    partner_id        TEXT NOT NULL,
    period            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    zone              TEXT NOT NULL,
    start_at          INTEGER NOT NULL,
    end_at            INTEGER NOT NULL,
    opening_minor     INTEGER NOT NULL,
    accrued_minor     INTEGER NOT NULL,
    released_minor    INTEGER NOT NULL,
    voided_minor      INTEGER NOT NULL,
    clawed_back_minor INTEGER NOT NULL,
    closing_minor     INTEGER NOT NULL,
    payable_minor     INTEGER NOT NULL CHECK (payable_minor >= 0),
    carry_minor       INTEGER NOT NULL,
    held_minor        INTEGER NOT NULL,
    entries           INTEGER NOT NULL,
    closed_at         INTEGER NOT NULL,
    paid_at           INTEGER,
    reference         TEXT,
    PRIMARY KEY (bank_id, partner_id, period)
);
CREATE INDEX statements_by_partner ON statements (partner_id, period);
