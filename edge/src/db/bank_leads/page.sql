-- Bank ?1's feed entries after position ?2, at most ?3, in feed order (bank_leads_by_bank):
-- the lead's fields a bank receives and the contact sealed for this bank, if any. The contact
-- hash is read only as "was a contact given" (has_contact), never returned.
SELECT f.seq, f.kind, f.lead_id, l.created_at, l.partner_id, l.scene, l.risk_tolerance, l.tags,
       f.products, l.consent_version, l.consent_at, (l.contact_hash IS NOT NULL) AS has_contact,
       (l.erased_at IS NOT NULL) AS erased, c.key_id, c.sealed
FROM bank_leads f
JOIN leads l ON l.id = f.lead_id
LEFT JOIN lead_contacts c ON c.lead_id = f.lead_id AND c.bank_id = f.bank_id
WHERE f.bank_id = ?1 AND f.seq > ?2
ORDER BY f.seq
LIMIT ?3
