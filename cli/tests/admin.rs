//! `inflow admin validate|plan`, run as the built binary on the repository's tenant files and
//! core's fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn inflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_inflow"))
        .args(args)
        .current_dir(repo(""))
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const LOTUS: &str = "core/tests/fixtures/tenant/lotus-bank.toml";

#[test]
fn validates_the_demo_tenants_together() {
    let out = inflow(&[
        "admin",
        "validate",
        "tenants/demo-bank.toml",
        "tenants/harbor-bank.toml",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "tenants/demo-bank.toml: valid — bank demo-bank, 13 products, 3 partners, 3 campaigns\n\
         tenants/harbor-bank.toml: valid — bank harbor-bank, 1 products, 0 partners, 1 campaigns\n"
    );
}

#[test]
fn an_unknown_partner_is_refused_unless_named_as_existing() {
    let alone = inflow(&["admin", "validate", "tenants/harbor-bank.toml"]);
    assert!(!alone.status.success());
    assert!(alone.stdout.is_empty());
    assert_eq!(
        text(&alone.stderr),
        "inflow: 1 problem(s); a file with any problem is refused whole:\n\
         tenants/harbor-bank.toml: campaigns[0] \"cmp-harbor-edu\": partner \"edu-demo\" is neither in this file nor an existing partner\n\
         (validate and plan are local: name partners that exist on the edge with --partner ID, or ask the edge with apply --dry-run)\n"
    );
    let known = inflow(&["admin", "validate", "--partner", "edu-demo", "tenants/harbor-bank.toml"]);
    assert!(known.status.success(), "{}", text(&known.stderr));
}

#[test]
fn prints_every_problem_of_a_broken_file() {
    let out = inflow(&[
        "admin",
        "validate",
        "core/tests/fixtures/tenant/broken-bank.toml",
        LOTUS,
    ]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.starts_with("inflow: 15 problem(s); a file with any problem is refused whole:\n"),
        "{err}"
    );
    assert!(
        err.contains("broken-bank.toml: products[1] \"risky-deposit\": deposits are R1\n"),
        "{err}"
    );
    assert!(err.contains("broken-bank.toml: partners[0] \"shop\": origin \"http://shop.example\": http is allowed only for localhost and 127.0.0.1; use https\n"), "{err}");
    assert!(!err.contains("lotus-bank.toml"), "the valid file has no problem: {err}");
    // Nothing is planned while a file has a problem.
    let plan = inflow(&["admin", "plan", "core/tests/fixtures/tenant/broken-bank.toml"]);
    assert!(!plan.status.success());
    assert!(plan.stdout.is_empty());
}

#[test]
fn a_file_that_does_not_parse_names_the_file_and_the_field() {
    let dir = std::env::temp_dir().join(format!("inflow-admin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("typo.toml");
    let lotus = std::fs::read_to_string(repo(LOTUS)).expect("fixture");
    std::fs::write(&path, lotus.replacen("brand_color", "brand_colour", 1)).expect("written");
    let out = inflow(&["admin", "validate", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("typo.toml is not a tenant file"), "{err}");
    assert!(err.contains("unknown field `brand_colour`"), "{err}");
    let missing = inflow(&["admin", "validate", "tenants/no-such-bank.toml"]);
    assert!(text(&missing.stderr).contains("reading tenants/no-such-bank.toml"));
}

#[test]
fn plans_the_lotus_example_against_an_empty_state() {
    let out = inflow(&["admin", "plan", LOTUS]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{LOTUS} (bank lotus-bank):\n\
             + bank lotus-bank\n\
             + partner mathcamp\n\
             + partner pixelquest\n\
             + product lotus-bond\n\
             + product lotus-demand\n\
             + product lotus-equity\n\
             + product lotus-lcd-3y\n\
             + product lotus-td-12m\n\
             + campaign lotus-mathcamp\n\
             + campaign lotus-pixelquest\n\
             + campaign lotus-pixelquest-edu\n\
             Plan: 11 to create, 0 to update, 0 unchanged.\n"
        )
    );
}

#[test]
fn later_files_see_the_partners_of_earlier_ones() {
    // Lotus declares mathcamp; planned a second time in the same run, its partners are unchanged.
    let out = inflow(&[
        "admin",
        "plan",
        "tenants/demo-bank.toml",
        "tenants/harbor-bank.toml",
        LOTUS,
        LOTUS,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Plan: 20 to create, 0 to update, 0 unchanged.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "tenants/harbor-bank.toml (bank harbor-bank):\n+ bank harbor-bank\n+ product harbor-td-6m\n+ campaign cmp-harbor-edu\nPlan: 3 to create, 0 to update, 0 unchanged.\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Plan: 9 to create, 0 to update, 2 unchanged.\n"),
        "{stdout}"
    );
}

#[test]
fn help_says_plan_is_local_and_apply_dry_run_asks_the_edge() {
    let out = inflow(&["admin", "--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.contains("validate") && help.contains("plan"), "{help}");
    // It said the admin API was still to come, long after it came (a reviewer's find).
    let plan = text(&inflow(&["admin", "plan", "--help"]).stdout);
    assert!(plan.contains("nothing is sent anywhere"), "{plan}");
    assert!(plan.contains("apply --dry-run"), "{plan}");
    assert!(!plan.contains("comes with the admin API"), "{plan}");
    let secrets = text(&inflow(&["admin", "secrets", "--help"]).stdout);
    assert!(secrets.contains("rotate") && secrets.contains("list"), "{secrets}");
}
