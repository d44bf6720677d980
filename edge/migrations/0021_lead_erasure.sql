-- Erasure (issue 14, item 4): when the lead was erased (unix seconds), NULL while it is not.
-- An erased lead keeps its row — id, partner, scene, time, what it was recommended — so the
-- ledger's conversions and the reports' counts stay (accounting hold); its contact hash is
-- NULL, its answers and attribution '{}', its sealed contacts (lead_contacts) gone, and each
-- bank it was shown gets a tombstone in its feed (bank_leads kind 'erased').
ALTER TABLE leads ADD COLUMN erased_at INTEGER;
