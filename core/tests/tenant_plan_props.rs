//! Properties of `tenant::plan`: applying a plan and planning again leaves nothing to do; a
//! plan lists each object of the file once, in kind-then-id order, creating exactly those that
//! do not exist; it never removes anything.

use inflow_core::lead::catalogue::{Incentive, Product, ProductKind, RiskLevel};
use inflow_core::support::i18n::Localized;
use inflow_core::tenant::{
    self, Action, Bank, Campaign, CampaignStatus, Commission, Consent, Partner, TenantFile, TenantState,
};
use inflow_core::Scene;
use proptest::prelude::*;

const IDS: [&str; 4] = ["a", "b", "c", "d"];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["x", "y", "莲花", "蓮花"]).prop_map(String::from)
}

fn localized() -> impl Strategy<Value = Localized> {
    (word(), word(), word()).prop_map(|(zh_hans, zh_hant, en)| Localized { zh_hans, zh_hant, en })
}

fn ids() -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(IDS.to_vec(), 0..=IDS.len()).prop_map(|v| v.into_iter().map(String::from).collect())
}

fn bank() -> impl Strategy<Value = Bank> {
    (localized(), prop::sample::select(vec!["#000000", "#7a1f5c"]), word()).prop_map(|(name, color, text)| Bank {
        id: "bank".into(),
        name,
        brand_color: color.into(),
        currency: "CNY".into(),
        consent: Consent {
            version: "v1".into(),
            zh_hans: text.clone(),
            zh_hant: text.clone(),
            en: text,
        },
        contact_key: None,
        retention_days: None,
        timezone: None,
        min_payout_minor: None,
    })
}

fn product(id: String) -> impl Strategy<Value = Product> {
    let kinds = vec![
        ProductKind::DemandDeposit,
        ProductKind::TimeDeposit,
        ProductKind::Equity,
    ];
    (
        localized(),
        prop::sample::select(kinds),
        1u8..=5,
        0u64..3,
        0u16..3,
        any::<bool>(),
        0u32..3,
        prop::sample::subsequence(vec!["east", "west"], 0..=2),
        0u8..=2,
        prop::option::of((1u32..3, 1u16..3)),
    )
        .prop_map(
            move |(name, kind, risk, min, term, early, y, regions, priority, inc)| Product {
                id: id.clone(),
                name,
                kind,
                risk: RiskLevel(risk),
                min_amount_cny: min,
                term_months: term,
                early_redemption: early,
                yield_bps: y,
                qualified_only: false,
                regions: regions.into_iter().map(String::from).collect(),
                priority,
                url: "https://bank.example/p".into(),
                incentive: inc.map(|(bonus_bps, within_days)| Incentive { bonus_bps, within_days }),
            },
        )
}

fn partner(id: String) -> impl Strategy<Value = Partner> {
    (
        word(),
        prop::sample::subsequence(vec!["https://a.example", "https://b.example"], 0..=2),
    )
        .prop_map(move |(name, origins)| Partner {
            id: id.clone(),
            name,
            origins: origins.into_iter().map(String::from).collect(),
        })
}

fn campaign(id: String) -> impl Strategy<Value = Campaign> {
    (
        prop::sample::select(IDS.to_vec()),
        prop::sample::subsequence(Scene::ALL.to_vec(), 1..=3),
        1u16..4,
        0u16..2,
        prop::option::of(0u64..2),
        any::<bool>(),
    )
        .prop_map(move |(partner, scenes, window, approval, cap, paused)| Campaign {
            id: id.clone(),
            partner: partner.into(),
            scenes,
            products: vec!["*".into()],
            window_days: window,
            approval_days: approval,
            commissions: vec![Commission {
                event: "funded".into(),
                flat_minor: 1,
                percent_bps: 10,
                cap_minor: cap,
            }],
            repeat_events: Vec::new(),
            max_clicks_per_hour: 20,
            status: if paused {
                CampaignStatus::Paused
            } else {
                CampaignStatus::Active
            },
        })
}

fn each<S: Strategy>(ids: Vec<String>, f: impl Fn(String) -> S) -> Vec<S> {
    ids.into_iter().map(f).collect()
}

fn tenant_file() -> impl Strategy<Value = TenantFile> {
    (ids(), ids(), ids()).prop_flat_map(|(p, q, c)| {
        (bank(), each(p, product), each(q, partner), each(c, campaign)).prop_map(
            |(bank, products, partners, campaigns)| TenantFile {
                bank,
                products,
                partners,
                campaigns,
                webhooks: Vec::new(),
            },
        )
    })
}

/// What exists: nothing, or some earlier file applied.
fn state() -> impl Strategy<Value = TenantState> {
    prop::option::of(tenant_file()).prop_map(|earlier| {
        let mut s = TenantState::default();
        if let Some(f) = earlier {
            let p = tenant::plan(&s, &f);
            s.apply(&p);
        }
        s
    })
}

proptest! {
    #[test]
    fn applying_a_plan_leaves_nothing_to_do(current in state(), desired in tenant_file()) {
        let plan = tenant::plan(&current, &desired);
        let mut after = current.clone();
        after.apply(&plan);
        let again = tenant::plan(&after, &desired);
        prop_assert!(again.is_empty(), "{}", again);
        prop_assert_eq!(again.unchanged(), plan.changes.len());
        // An empty plan changes nothing when applied.
        let mut twice = after.clone();
        twice.apply(&again);
        prop_assert_eq!(&twice, &after);
        // Nothing is removed.
        prop_assert!(current.products.keys().all(|k| after.products.contains_key(k)));
        prop_assert!(current.partners.keys().all(|k| after.partners.contains_key(k)));
        prop_assert!(current.campaigns.keys().all(|k| after.campaigns.contains_key(k)));
    }

    #[test]
    fn a_plan_lists_every_object_once_in_order(current in state(), desired in tenant_file()) {
        let plan = tenant::plan(&current, &desired);
        let n = 1 + desired.products.len() + desired.partners.len() + desired.campaigns.len();
        prop_assert_eq!(plan.changes.len(), n);
        let keys: Vec<_> = plan.changes.iter().map(|c| (c.object.kind(), c.object.id().to_string())).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(&keys, &sorted);
        for c in &plan.changes {
            let exists = match c.object.kind() {
                tenant::Kind::Bank => current.bank.as_ref().is_some_and(|b| b.id == c.object.id()),
                tenant::Kind::Partner => current.partners.contains_key(c.object.id()),
                tenant::Kind::Product => current.products.contains_key(c.object.id()),
                tenant::Kind::Campaign => current.campaigns.contains_key(c.object.id()),
                tenant::Kind::Webhook => current.webhooks.contains_key(c.object.id()),
            };
            prop_assert_eq!(c.action == Action::Create, !exists);
            if let Action::Update(fields) = &c.action {
                prop_assert!(!fields.is_empty());
                prop_assert!(fields.iter().all(|f| f.before != f.after));
            }
        }
        // Same inputs, same plan, same text.
        prop_assert_eq!(tenant::plan(&current, &desired).to_string(), plan.to_string());
    }
}
