//! Microseconds per lead for the whole decision: profile, propensity, suitability and ranking
//! over the demo catalogue. `cargo xtask bench` reads the estimate criterion writes.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use inflow_core::lead::engine::{self, Context};
use inflow_core::{lead::catalogue, lead::questionnaire, Lang, LeadRequest, Scene};

fn lead() -> LeadRequest {
    let answers = questionnaire::example_answers();
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
    let cat = &catalogue::builtin().shelf();
    let ctx = Context::default();
    // Parse the embedded model and catalogue before timing, as a warm Worker isolate has.
    let _ = engine::decide(&lead, cat, &ctx);
    c.bench_function("decide_lead", |b| {
        b.iter(|| engine::decide(black_box(&lead), cat, &ctx))
    });
}

criterion_group!(benches, decide);
criterion_main!(benches);
