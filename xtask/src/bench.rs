//! `cargo xtask bench`: prints one `name: value` line per figure so runs can be compared, and
//! checks the budgets the issues set.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use inflow_tests::{paths, Worker};

/// Budgets from the issues: the loader a host page pays up front, and the whole widget.
const LOADER_BUDGET: u64 = 3 * 1024;
const WIDGET_BUDGET: u64 = 100 * 1024;
/// Issue 12: `/v1/leads` requests per second over the empty route's in the same run (so the
/// machine cancels out); a lead is one D1 write with its answer. 0.252 before that change.
const LEADS_TO_EMPTY_BUDGET: f64 = 0.4;
/// Issue 10: report budgets on what does not vary by machine — the rows D1 reads for each bench
/// report at the seeded volume (`meta.rows_read`, summed over the request's statements), and
/// its median latency as a multiple of a trivial D1 read's in the same run (a report request
/// with an unknown key: one indexed lookup). Milliseconds are printed, not budgeted. Rows-read
/// budgets are the measured rows plus about 25 % (README, "Measure it"); the ratio budgets are
/// coarse guards against a scan (which costs 10–100×), wide enough for a loaded or an idle
/// machine (measured 2.7 and 6.3 on a loaded one).
struct ReportBench {
    name: &'static str,
    key: &'static str,
    group_by: &'static str,
    /// Rows a 90-day report by day has (one per day); `None`: some rows.
    rows: Option<usize>,
    rows_read_budget: u64,
    ratio_budget: f64,
}

const REPORTS: [ReportBench; 4] = [
    ReportBench {
        name: "report_partner_90d",
        key: "rk_vol-01_local",
        group_by: "day",
        rows: Some(90),
        // Issue 15: payouts by ledger date (the default) are columns of the same rollups
        // (migration 0026): 30,463 rows read with 0025's ledger rollups beside them, 26,086 after.
        // The three budgets below are back to what they were before 0025 (the issue: "kept in
        // the rollups so the report bench budgets still hold"), 11–17 % over what is measured.
        rows_read_budget: 29_000,
        ratio_budget: 8.0,
    },
    ReportBench {
        name: "report_bank_90d",
        key: "rk_bank_demo_local",
        group_by: "day",
        rows: Some(90),
        // The ledger's amounts in report_bank_rollup (0026): 35,215 rows before, 28,692 after.
        rows_read_budget: 32_000,
        ratio_budget: 8.0,
    },
    ReportBench {
        name: "report_partner_90d_by_sub_id",
        key: "rk_vol-01_local",
        group_by: "sub_id",
        rows: None,
        // The tag rollup (0024): 3,398 rows measured, 3,480 with 0026 (the volume has no tags:
        // all "(none)").
        rows_read_budget: 4_300,
        ratio_budget: 16.0,
    },
    ReportBench {
        name: "report_bank_90d_by_scene",
        key: "rk_bank_demo_local",
        group_by: "scene",
        rows: None,
        // The ledger's amounts in report_daily_rollup and report_rollup (0026): 51,840 rows
        // before, 40,123 after.
        rows_read_budget: 47_000,
        ratio_budget: 16.0,
    },
];

/// The header the report route adds when the Worker runs with `BENCH_ROUTES=1`
/// (edge/src/reports.rs).
const ROWS_READ_HEADER: &str = "inflow-d1-rows-read";

fn gzip_len(path: &Path) -> Result<u64> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&bytes)?;
    Ok(enc.finish()?.len() as u64)
}

fn figure(name: &str, value: impl std::fmt::Display) {
    println!("{name}: {value}");
}

pub fn run() -> Result<()> {
    let mut over_budget = Vec::new();
    let www = paths::root().join("www");
    let loader = gzip_len(&www.join("widget.js"))?;
    let wasm = gzip_len(&www.join("w/inflow_widget_bg.wasm"))?;
    let glue = gzip_len(&www.join("w/inflow_widget.js"))?;
    let widget = loader + wasm + glue;
    figure("loader_gzip_bytes", loader);
    figure("widget_wasm_gzip_bytes", wasm);
    figure("widget_js_gzip_bytes", glue);
    figure("widget_gzip_bytes", widget);
    if loader > LOADER_BUDGET {
        over_budget.push(format!("loader {loader} B > {LOADER_BUDGET} B"));
    }
    if widget > WIDGET_BUDGET {
        over_budget.push(format!("widget {widget} B > {WIDGET_BUDGET} B"));
    }

    let model = crate::model::train()?;
    figure("model_artifact_bytes", model.artifact_bytes);
    figure("model_cv_auc", format!("{:.4}", model.cv_auc));
    figure("model_train_seconds", format!("{:.1}", model.seconds));
    figure(
        "engine_native_us_per_lead",
        format!("{:.2}", crate::model::native_us_per_lead()?),
    );

    let (upload, gzip) = worker_bundle()?;
    figure("worker_upload_kib", upload);
    figure("worker_gzip_kib", gzip);

    edge(&mut over_budget)?;
    reports(&mut over_budget)?;

    if !over_budget.is_empty() {
        bail!("over budget: {}", over_budget.join("; "));
    }
    Ok(())
}

/// `cargo xtask bench edge`: the Worker's throughput figures alone, budgets checked.
pub fn edge_only() -> Result<()> {
    let mut over_budget = Vec::new();
    edge(&mut over_budget)?;
    if !over_budget.is_empty() {
        bail!("over budget: {}", over_budget.join("; "));
    }
    Ok(())
}

/// The Worker under load: the engine's time per lead in workerd, then leads and postbacks per
/// second each over the empty route's measured in the same run.
fn edge(over_budget: &mut Vec<String>) -> Result<()> {
    let worker = Worker::start_with(&["--var", "BENCH_ROUTES:1"])?;
    figure(
        "engine_worker_us_per_lead",
        format!("{:.2}", crate::model::worker_us_per_lead(&worker)?),
    );
    let empty = wrk(&worker.url("/healthz"), None)?;
    let lead = serde_json::to_string(&inflow_core::LeadRequest {
        partner: "edu-demo".into(),
        scene: inflow_core::Scene::Education,
        lang: inflow_core::Lang::En,
        answers: inflow_core::lead::questionnaire::example_answers(),
        attribution: Default::default(),
        consent: None,
    })?;
    let leads = wrk(&worker.url("/v1/leads"), Some(&lead))?;
    figure("empty_route_rps", format!("{empty:.0}"));
    figure("leads_rps", format!("{leads:.0}"));
    figure("leads_to_empty_ratio", format!("{:.3}", leads / empty));
    if leads / empty < LEADS_TO_EMPTY_BUDGET {
        over_budget.push(format!(
            "leads_to_empty_ratio {:.3} < {LEADS_TO_EMPTY_BUDGET}",
            leads / empty
        ));
    }
    // Postbacks must each be freshly signed, which wrk's Lua cannot do: a Rust closed loop
    // with as many connections drives both routes, so this ratio is like for like.
    let loop_empty = inflow_tests::load::empty_rps(&worker, 16, 10)?;
    let postbacks = inflow_tests::load::postbacks_rps(&worker, 16, 10)?;
    figure("empty_route_loop_rps", format!("{loop_empty:.0}"));
    figure("postbacks_rps", format!("{postbacks:.0}"));
    figure("postbacks_to_empty_ratio", format!("{:.3}", postbacks / loop_empty));
    Ok(())
}

/// `cargo xtask bench reports`: the report figures alone, budgets checked.
pub fn reports_only() -> Result<()> {
    let mut over_budget = Vec::new();
    reports(&mut over_budget)?;
    if !over_budget.is_empty() {
        bail!("over budget: {}", over_budget.join("; "));
    }
    Ok(())
}

/// Report cost at volume: `cargo xtask seed-volume`'s data in a fresh D1, then 90-day reports,
/// warm, for a seeded partner's key and Demo Bank's key (all 13 partners) by day, and Demo
/// Bank's by scene: the rows D1 read for each, its latency, and that latency as a multiple of a
/// trivial D1 read's measured alongside.
fn reports(over_budget: &mut Vec<String>) -> Result<()> {
    let state = inflow_tests::worker::fresh_d1()?;
    let seconds = crate::seed::load(Some(&state))?;
    figure("report_seed_seconds", format!("{seconds:.1}"));
    let worker = Worker::start_on(state, &["--var", "BENCH_ROUTES:1"])?;
    let counts = worker.d1("SELECT (SELECT COUNT(*) FROM funnel_events) AS funnel_events, \
         (SELECT COUNT(*) FROM conversions) AS conversions, \
         (SELECT COUNT(*) FROM report_rollup) AS report_rollup_rows, \
         (SELECT COUNT(*) FROM report_bank_rollup) AS report_bank_rollup_rows, \
         (SELECT COUNT(*) FROM report_daily_rollup) AS report_daily_rollup_rows, \
         date('now', '+8 hours', '-89 days') AS first_day, date('now', '+8 hours') AS last_day")?;
    let counts = counts.first().context("no counts from D1")?;
    for name in [
        "funnel_events",
        "conversions",
        "report_rollup_rows",
        "report_bank_rollup_rows",
        "report_daily_rollup_rows",
    ] {
        figure(name, &counts[name]);
    }
    // The last 90 days in Asia/Shanghai, the reports' default zone (UTC+8).
    let (first, last) = (counts["first_day"].as_str(), counts["last_day"].as_str());
    let (Some(first), Some(last)) = (first, last) else {
        bail!("no dates from D1: {counts}");
    };
    let url = |group_by: &str| worker.url(&format!("/v1/reports?from={first}&to={last}&group_by={group_by}"));
    // The trivial read: the same route with a key nobody has, answered 401 after one lookup.
    let trivial = latency(&url("day"), "rk_bench_no_such_key", 401, None)?;
    figure("d1_trivial_read_ms", format!("{:.1}", trivial.median));
    figure("d1_trivial_read_rows_read", trivial.rows_read);
    for r in REPORTS {
        let m = latency(&url(r.group_by), r.key, 200, Some(r.rows))?;
        let ratio = m.median / trivial.median;
        figure(&format!("{}_rows_read", r.name), m.rows_read);
        figure(&format!("{}_ms", r.name), format!("{:.1}", m.median));
        figure(&format!("{}_p95_ms", r.name), format!("{:.1}", m.p95));
        figure(&format!("{}_to_d1_read_ratio", r.name), format!("{ratio:.2}"));
        if m.rows_read > r.rows_read_budget {
            over_budget.push(format!("{} read {} rows > {}", r.name, m.rows_read, r.rows_read_budget));
        }
        if ratio > r.ratio_budget {
            over_budget.push(format!(
                "{} took {ratio:.2} trivial D1 reads > {}",
                r.name, r.ratio_budget
            ));
        }
    }
    Ok(())
}

/// What [`latency`] measured.
struct Measured {
    median: f64,
    p95: f64,
    /// D1's rows read for one request (the same for every one of them).
    rows_read: u64,
}

/// Median and 95th percentile in ms of 40 requests after 5 to warm up, one at a time on one
/// connection, each answered `status`; for a report (`rows: Some`), each with `rows` rows (by
/// day: every day in it) or some rows when that is `None`. D1's rows read come from the
/// response header, and must not change from one request to the next.
fn latency(url: &str, key: &str, status: u16, rows: Option<Option<usize>>) -> Result<Measured> {
    let agent = ureq::agent();
    let auth = format!("Bearer {key}");
    let mut ms = Vec::new();
    let mut rows_read = None;
    for i in 0..45 {
        let start = std::time::Instant::now();
        let resp = match agent.get(url).set("authorization", &auth).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.into()),
        };
        let got_status = resp.status();
        let read: u64 = resp
            .header(ROWS_READ_HEADER)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no {ROWS_READ_HEADER} from {url}: is BENCH_ROUTES on?"))?;
        let body: serde_json::Value = resp.into_json()?;
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        if got_status != status {
            bail!("{url} with {key} answered {got_status}, not {status}: {body}");
        }
        if let Some(rows) = rows {
            let got = body["rows"].as_array().map_or(0, Vec::len);
            if rows.map_or(got == 0, |want| got != want) {
                bail!("{url} with {key} gave {got} rows, not {rows:?}: {body}");
            }
        }
        match rows_read {
            Some(before) if before != read => bail!("{url} read {before} rows, then {read}"),
            _ => rows_read = Some(read),
        }
        if i >= 5 {
            ms.push(elapsed);
        }
    }
    ms.sort_by(f64::total_cmp);
    Ok(Measured {
        median: ms[ms.len() / 2],
        p95: ms[ms.len() * 95 / 100 - 1],
        rows_read: rows_read.unwrap_or(0),
    })
}

/// The Worker's upload size as wrangler reports it for a dry-run deploy (KiB, KiB gzip).
fn worker_bundle() -> Result<(f64, f64)> {
    let out_dir = paths::scratch("deploy");
    let out = Command::new(paths::node_bin("wrangler"))
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(&out_dir)
        .current_dir(paths::root())
        .env("INFLOW_PREBUILT", "1")
        .env("WRANGLER_SEND_METRICS", "false")
        .output()?;
    let _ = std::fs::remove_dir_all(&out_dir);
    let text = String::from_utf8_lossy(&out.stdout);
    // "Total Upload: 262.13 KiB / gzip: 101.41 KiB"
    let line = text
        .lines()
        .find(|l| l.contains("Total Upload:"))
        .with_context(|| format!("no size in wrangler's output:\n{text}"))?;
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|s| s.parse().ok())
        .collect();
    match numbers[..] {
        [upload, gzip, ..] => Ok((upload, gzip)),
        _ => bail!("cannot read sizes from '{line}'"),
    }
}

/// Requests per second over 10 s with 16 connections; non-2xx answers fail the bench.
fn wrk(url: &str, json_body: Option<&str>) -> Result<f64> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c16", "-d10s"]);
    let script = paths::scratch("wrk.lua");
    if let Some(body) = json_body {
        std::fs::create_dir_all(script.parent().unwrap_or(Path::new(".")))?;
        std::fs::write(
            &script,
            format!(
                "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
            ),
        )?;
        cmd.arg("-s").arg(&script);
    }
    let out = cmd.arg(url).output().context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        bail!("{url} answered errors under load:\n{text}");
    }
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    Ok(rps)
}
