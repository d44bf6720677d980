-- One attempt of message ?2 to endpoint ?1, numbered after the earlier ones; answers its number.
INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, attempt, at, outcome, status, error)
SELECT ?1, ?2, ?3, COALESCE(MAX(attempt), 0) + 1, ?4, ?5, ?6, ?7
FROM webhook_deliveries
WHERE endpoint_id = ?1 AND message_id = ?2
RETURNING attempt
