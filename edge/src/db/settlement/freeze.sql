-- One partner's statement (?2) of the bank ?1's period ?3, frozen at close (?18 closed_at):
-- written only by the close whose settlement_periods row (close id ?19) won.
INSERT INTO statements (bank_id, partner_id, period, currency, zone, start_at, end_at,
    opening_minor, accrued_minor, released_minor, voided_minor, clawed_back_minor,
    closing_minor, payable_minor, carry_minor, held_minor, entries, closed_at)
SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18
WHERE EXISTS (SELECT 1 FROM settlement_periods WHERE bank_id = ?1 AND period = ?3
              AND close_id = ?19)
