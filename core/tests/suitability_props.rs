//! Property tests of the hard rules: for any valid adult visitor and any catalogue, nothing
//! recommended breaks a rule, and deposits stay available.

use inflow_core::lead::catalogue::{self, Incentive, Product, ProductKind, RiskLevel};
use inflow_core::lead::offer::Shelved;
use inflow_core::lead::profile::{self, RiskProfile};
use inflow_core::lead::questionnaire::{self, Answer, Answers};
use inflow_core::lead::recommend::{recommend, MAX_RECOMMENDATIONS};
use inflow_core::lead::suitability;
use inflow_core::support::i18n::{Lang, Localized};
use proptest::prelude::*;

/// Any complete set of answers from an adult: one valid choice per question.
fn adult_answers() -> impl Strategy<Value = Answers> {
    let picks: Vec<_> = questionnaire::ALL
        .iter()
        .map(|q| {
            let first = usize::from(q.id == "age"); // skip "under_18"
            (first..q.choices.len()).prop_map(move |i| (q.id.to_string(), q.choices[i].id.to_string()))
        })
        .collect();
    picks.prop_map(|pairs| pairs.into_iter().collect())
}

const KINDS: [ProductKind; 8] = [
    ProductKind::DemandDeposit,
    ProductKind::TimeDeposit,
    ProductKind::LargeCd,
    ProductKind::StructuredDeposit,
    ProductKind::CashManagement,
    ProductKind::FixedIncome,
    ProductKind::Balanced,
    ProductKind::Equity,
];
const REGIONS: [&str; 6] = ["north", "northeast", "east", "south", "central", "west"];

fn name(s: &str) -> Localized {
    Localized {
        zh_hans: s.into(),
        zh_hant: s.into(),
        en: s.into(),
    }
}

fn product() -> impl Strategy<Value = Product> {
    (
        0..KINDS.len(),
        1u8..=5,
        prop_oneof![Just(0u64), 1u64..2_000_000],
        prop_oneof![Just(0u16), 1u16..=120],
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(REGIONS.to_vec(), 0..=3),
        0u8..=100,
        proptest::option::of((1u32..100, 1u16..30)),
        0u32..1_000,
    )
        .prop_map(
            |(k, risk, min, term, early, qualified, regions, priority, inc, yield_bps)| {
                let kind = KINDS[k];
                Product {
                    id: String::new(),
                    name: name("product"),
                    kind,
                    // A catalogue cannot rate a deposit above R1 (Catalogue::from_json refuses it).
                    risk: RiskLevel(if kind.is_deposit() { 1 } else { risk }),
                    min_amount_cny: min,
                    term_months: term,
                    early_redemption: early,
                    yield_bps,
                    qualified_only: qualified,
                    regions: regions.into_iter().map(String::from).collect(),
                    priority,
                    url: "https://bank.example.com/p".into(),
                    incentive: inc.map(|(bonus_bps, within_days)| Incentive { bonus_bps, within_days }),
                }
            },
        )
}

/// The brief's rules, written out again independently of `suitability::check`.
fn breaks_a_rule(v: &RiskProfile, p: &Product) -> bool {
    p.risk.0 > v.tolerance.level()
        || p.min_amount_cny > v.amount_min_cny
        || (!p.early_redemption && p.term_months > v.horizon_months)
        || (p.qualified_only && !v.qualified_investor)
        || (!p.regions.is_empty() && !p.regions.iter().any(|r| r == v.region.id()))
}

/// Products with unique ids, as `Catalogue::from_json` guarantees.
fn catalogue_of(max: usize) -> impl Strategy<Value = Vec<Product>> {
    proptest::collection::vec(product(), 0..max).prop_map(|mut ps| {
        for (i, p) in ps.iter_mut().enumerate() {
            p.id = format!("p{i}");
        }
        ps
    })
}

fn lang() -> impl Strategy<Value = Lang> {
    prop_oneof![Just(Lang::ZhHans), Just(Lang::ZhHant), Just(Lang::En)]
}

/// The products as one bank's shelf.
fn shelf(products: &[Product]) -> Vec<Shelved> {
    products
        .iter()
        .map(|p| Shelved {
            bank_id: "demo-bank".into(),
            bank_name: catalogue::builtin().name.clone(),
            product: p.clone(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn nothing_recommended_breaks_a_rule(
        answers in adult_answers(),
        products in catalogue_of(24),
        propensity in 0.0f32..1.0,
        lang in lang(),
    ) {
        let visitor = profile::assess(&answers).expect("adult answers are valid");
        let recs = recommend(&visitor, &shelf(&products), propensity, lang);
        prop_assert!(recs.len() <= MAX_RECOMMENDATIONS);
        for r in &recs {
            let p = products.iter().find(|p| p.id == r.product_id).expect("recommended from the catalogue");
            prop_assert!(!breaks_a_rule(&visitor, p), "{:?} recommended {:?}", visitor, p);
            prop_assert!((1..=3).contains(&r.reasons.len()));
        }
        // The screen agrees with the independent rules on every product, with a reason.
        for (p, verdict) in suitability::screen(&visitor, &products) {
            prop_assert_eq!(verdict.is_err(), breaks_a_rule(&visitor, p));
            if let Err(e) = verdict {
                prop_assert!(!suitability::explain(e, lang).is_empty());
            }
        }
    }

    #[test]
    fn deposits_stay_available_to_every_adult(answers in adult_answers(), lang in lang()) {
        let visitor = profile::assess(&answers).expect("adult answers are valid");
        let demo = catalogue::builtin();
        let demand = demo.product("demand-plus").expect("demo has a demand deposit");
        prop_assert!(suitability::check(&visitor, demand).is_ok());
        let recs = recommend(&visitor, &demo.shelf(), 0.1, lang);
        prop_assert!(!recs.is_empty());
    }

    #[test]
    fn minors_are_never_profiled(answers in adult_answers()) {
        let mut minor = answers;
        minor.insert("age".into(), "under_18".into());
        prop_assert_eq!(profile::assess(&minor), Err(profile::AnswerError::Underage));
    }
}
