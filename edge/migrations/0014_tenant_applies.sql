-- One row per tenant-file apply that wrote, numbered per bank (1, 2, …). An apply reads the
-- bank's last seq with the bank's state and inserts seq + 1 as the first statement of its write
-- batch: two applies that read the same state both insert the same (bank_id, seq), the second
-- fails on the primary key and D1 rolls its whole batch back (a batch is one transaction), so
-- it is answered 409 apply_conflict instead of writing a plan made against a stale read.
CREATE TABLE tenant_applies (
    bank_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    PRIMARY KEY (bank_id, seq)
);
