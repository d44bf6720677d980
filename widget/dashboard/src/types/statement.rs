//! The statements view's data: core's `Statement` (`GET /v1/statements`), who is reading, the
//! order rows are shown in and the columns, each named by its JSON field (the browser test
//! reads the cells by these names).

use inflow_core::settlement::{Figures, PeriodState, Statement};

/// Which side of the statements the key is on: a bank sees a row per partner, a partner a row
/// per bank that pays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Bank,
    Partner,
}

impl Side {
    /// The other party of a statement, as the reader names it.
    pub fn counterparty(self, s: &Statement) -> &str {
        match self {
            Side::Bank => &s.partner_id,
            Side::Partner => &s.bank_id,
        }
    }
}

/// A money column of the table: its field in `Figures` (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Opening,
    Released,
    ClawedBack,
    Closing,
    Payable,
    Carry,
}

/// The money columns, in the order of the statement's formula: opening + released − clawed
/// back = closing = payable + carry.
pub const AMOUNTS: [Amount; 6] = [
    Amount::Opening,
    Amount::Released,
    Amount::ClawedBack,
    Amount::Closing,
    Amount::Payable,
    Amount::Carry,
];

impl Amount {
    /// The JSON field of `GET /v1/statements` (and its CSV column).
    pub fn name(self) -> &'static str {
        match self {
            Amount::Opening => "opening_minor",
            Amount::Released => "released_minor",
            Amount::ClawedBack => "clawed_back_minor",
            Amount::Closing => "closing_minor",
            Amount::Payable => "payable_minor",
            Amount::Carry => "carry_minor",
        }
    }

    /// Minor units of the statement's currency.
    pub fn value(self, f: &Figures) -> i64 {
        match self {
            Amount::Opening => f.opening_minor,
            Amount::Released => f.released_minor,
            Amount::ClawedBack => f.clawed_back_minor,
            Amount::Closing => f.closing_minor,
            Amount::Payable => f.payable_minor,
            Amount::Carry => f.carry_minor,
        }
    }
}

/// The period's state as the API names it (`open`, `closed`, `paid`).
pub fn state(s: &PeriodState) -> &'static str {
    match s {
        PeriodState::Open => "open",
        PeriodState::Closed { .. } => "closed",
        PeriodState::Paid { .. } => "paid",
    }
}

/// The bank's payment reference of a paid period.
pub fn reference(s: &PeriodState) -> Option<&str> {
    match s {
        PeriodState::Paid { reference, .. } => Some(reference),
        _ => None,
    }
}

/// The rows as the view shows them: the newest month first (what is being paid now is on
/// top), then by the other party's id.
pub fn ordered(mut rows: Vec<Statement>, side: Side) -> Vec<Statement> {
    rows.sort_by(|a, b| {
        b.period
            .cmp(&a.period)
            .then_with(|| side.counterparty(a).cmp(side.counterparty(b)))
    });
    rows
}

/// How many decimals the currency's minor unit has (ISO 4217: 2 for CNY, 0 for JPY, 3 for
/// KWD); 2 for a code the table does not know, as the report prints money.
pub fn decimals(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map_or(2, u32::from)
}

#[cfg(test)]
mod tests {
    use inflow_core::settlement::Period;

    use super::*;

    fn statement(bank: &str, partner: &str, period: &str, f: Figures, state: PeriodState) -> Statement {
        Statement {
            bank_id: bank.into(),
            partner_id: partner.into(),
            period: Period::parse(period).expect("period"),
            currency: "CNY".into(),
            zone: "Asia/Shanghai".into(),
            start: 0,
            end: 1,
            figures: f,
            state,
        }
    }

    #[test]
    fn newest_month_first_then_the_other_party() {
        let rows = vec![
            statement(
                "demo-bank",
                "game-demo",
                "2026-11",
                Figures::default(),
                PeriodState::Open,
            ),
            statement(
                "demo-bank",
                "edu-demo",
                "2026-10",
                Figures::default(),
                PeriodState::Open,
            ),
            statement(
                "demo-bank",
                "edu-demo",
                "2026-11",
                Figures::default(),
                PeriodState::Open,
            ),
        ];
        let shown: Vec<(String, String)> = ordered(rows, Side::Bank)
            .iter()
            .map(|s| (s.period.to_string(), Side::Bank.counterparty(s).to_string()))
            .collect();
        assert_eq!(
            shown,
            [
                ("2026-11".into(), "edu-demo".into()),
                ("2026-11".into(), "game-demo".into()),
                ("2026-10".into(), "edu-demo".into())
            ]
        );
    }

    #[test]
    fn columns_read_the_figures_and_the_state() {
        let f = Figures::settle_totals(
            500,
            0,
            [inflow_core::settlement::Totals {
                kind: inflow_core::settlement::EntryKind::Clawback,
                amount_minor: -2_000,
                entries: 1,
            }],
            0,
        );
        let values: Vec<i64> = AMOUNTS.iter().map(|a| a.value(&f)).collect();
        assert_eq!(values, [500, 0, 2_000, -1_500, 0, -1_500]);
        let json = serde_json::to_value(f).expect("json");
        for a in AMOUNTS {
            assert_eq!(json[a.name()], a.value(&f), "{}", a.name());
        }
        let paid = PeriodState::Paid {
            closed_at: 1,
            paid_at: 2,
            reference: "TX-1".into(),
        };
        assert_eq!((state(&paid), reference(&paid)), ("paid", Some("TX-1")));
        assert_eq!(
            (state(&PeriodState::Open), reference(&PeriodState::Open)),
            ("open", None)
        );
        let s = statement("demo-bank", "edu-demo", "2026-11", f, paid);
        assert_eq!(
            (Side::Bank.counterparty(&s), Side::Partner.counterparty(&s)),
            ("edu-demo", "demo-bank")
        );
    }

    #[test]
    fn decimals_follow_the_currency() {
        assert_eq!((decimals("CNY"), decimals("JPY"), decimals("KWD")), (2, 0, 3));
        assert_eq!(decimals("???"), 2);
    }
}
