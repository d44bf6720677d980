-- Leads reach the bank that pays for them (issue 14, items 1 and 2).

-- The bank's X25519 public key (unpadded base64url, inflow_core::tenant::contact_key_bytes),
-- from its tenant file's `[bank] contact_key`. NULL: nothing is sealed for the bank.
ALTER TABLE banks ADD COLUMN contact_key TEXT;

-- A consenting visitor's contact sealed to one bank's key (inflow_core::lead::seal, HPKE base
-- mode; the HPKE info names the lead and the bank). Only ciphertext: the plaintext contact is
-- never stored; `leads.contact_hash` stays for de-duplication. `key_id` names the public key
-- it was sealed to. Written in the lead's own D1 batch.
CREATE TABLE lead_contacts (
    lead_id TEXT NOT NULL REFERENCES leads(id),
    bank_id TEXT NOT NULL REFERENCES banks(id),
    key_id  TEXT NOT NULL,
    sealed  TEXT NOT NULL,
    PRIMARY KEY (lead_id, bank_id)
);

-- Each bank's feed of leads, the order `GET /v1/bank/leads` pulls in: one row per (lead, bank
-- whose products the lead was shown), appended in the lead's batch. `seq` is the cursor: an
-- AUTOINCREMENT key is never reused and grows with every committed write, and D1 commits one
-- write at a time, so a bank reading `seq > cursor` never skips nor repeats a row, whatever
-- the clock says. `kind` is 'lead'; erasure (issue 14, item 4) appends its tombstones to the
-- same sequence. `products`: the bank's recommended product ids (JSON array), best first.
CREATE TABLE bank_leads (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id  TEXT NOT NULL REFERENCES banks(id),
    lead_id  TEXT NOT NULL REFERENCES leads(id),
    kind     TEXT NOT NULL DEFAULT 'lead',
    products TEXT NOT NULL DEFAULT '[]',
    UNIQUE (bank_id, lead_id, kind)
);
CREATE INDEX bank_leads_by_bank ON bank_leads (bank_id, seq);
