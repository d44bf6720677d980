//! Microseconds per lead for the whole decision: profile, propensity, suitability and ranking
//! over the demo catalogue. `cargo xtask bench` reads the estimate criterion writes.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use inflow_core::engine::{self, Context};
use inflow_core::{catalogue, Lang, LeadRequest, Scene};

fn lead() -> LeadRequest {
    let answers = [
        ("age", "30_44"),
        ("goal", "tuition"),
        ("horizon", "3_5y"),
        ("amount", "50k_200k"),
        ("liquidity", "maybe"),
        ("region", "east"),
        ("assets", "500k_3m"),
        ("experience", "funds_short"),
        ("knowledge", "good"),
        ("income", "stable"),
        ("objective", "balanced"),
        ("max_loss", "up_to_15"),
        ("loss", "hold"),
    ]
    .iter()
    .map(|(q, a)| (q.to_string(), a.to_string()))
    .collect();
    LeadRequest {
        partner: "edu-demo".into(),
        scene: Scene::Education,
        lang: Lang::ZhHans,
        answers,
        attribution: Default::default(),
        consent: None,
    }
}

fn decide(c: &mut Criterion) {
    let lead = lead();
    let cat = catalogue::demo();
    let ctx = Context::default();
    // Parse the embedded model and catalogue before timing, as a warm Worker isolate has.
    let _ = engine::decide(&lead, cat, &ctx);
    c.bench_function("decide_lead", |b| {
        b.iter(|| engine::decide(black_box(&lead), cat, &ctx))
    });
}

criterion_group!(benches, decide);
criterion_main!(benches);
