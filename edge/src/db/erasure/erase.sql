-- Erases lead ?1 at ?2 (unix seconds) if it is not erased yet: the answers and attribution
-- emptied, the contact hash gone. Its changes count (1 or 0) tells whether this call erased it.
UPDATE leads
SET answers = '{}', attribution = '{}', contact_hash = NULL, erased_at = ?2
WHERE id = ?1 AND erased_at IS NULL
