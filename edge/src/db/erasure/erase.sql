-- Erases lead ?1 at ?2 (unix seconds) if it is not erased yet: the answers and attribution
-- emptied (its tracking tags too: their report counts move to '(none)', totals stay), the contact hash gone, and what was derived from them with it — the stored answer
-- (it held the erasure token and the profile) and the request's fingerprint (a plain SHA-256
-- of the answers, attribution and consent: 13 multiple-choice answers are found from it by
-- trying them all). A replay of the lead's idempotency key is then `idempotency_key_reused`.
-- Its changes count (1 or 0) tells whether this call erased it.
UPDATE leads
SET answers = '{}', attribution = '{}', contact_hash = NULL, request_fingerprint = NULL,
    response = NULL, sub_id = '', utm_source = '', utm_campaign = '', erased_at = ?2
WHERE id = ?1 AND erased_at IS NULL
