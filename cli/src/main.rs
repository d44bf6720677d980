//! `inflow`: train, batch-score and evaluate the conversion propensity model.
//!
//! ```text
//! inflow train [--data PATH] [--out PATH] [--seed N]
//! inflow score FILE [--model PATH]
//! inflow eval FILE [--model PATH]
//! inflow admin validate FILE… [--partner ID]…
//! inflow admin plan FILE… [--partner ID]…
//! ```
//!
//! FILE is in the UCI Bank Marketing format (`;`-separated, quoted strings, header row); `y` is
//! optional for `score` and `duration`, if present, is ignored. Without `--model` the model
//! compiled into inflow-core is used, the same one the Worker runs.
//!
//! `admin` reads tenant files (TOML: a bank, its products, partners and campaigns; see
//! `tenants/` and `inflow_core::tenant`), validates them and prints the plan against an empty
//! state. Applying to an edge comes with the admin API.

mod admin;
mod data;
mod train;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use inflow_core::propensity::{self, metrics, Model};

/// inflow's command line: the propensity model's learner, scorer and evaluator.
#[derive(Debug, Parser)]
#[command(name = "inflow", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cross-validate the learner (5 stratified folds), then fit on all rows and write the
    /// artifact inflow-core embeds.
    Train {
        /// UCI Bank Marketing training file (default: ../shared/data/bank-marketing/train.csv).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Where to write the model JSON (default: core/model/propensity.json).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Seed for folds, subsampling and the holdout; the same seed gives the same bytes.
        #[arg(long, default_value_t = propensity::Params::default().seed)]
        seed: u64,
    },
    /// Print one probability per row of FILE, in input order.
    Score {
        file: PathBuf,
        /// A model JSON written by `inflow train` (default: the embedded model).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Print `auc:` and `alift:` (area under the gains curve) of the model on a labelled FILE.
    Eval {
        file: PathBuf,
        /// A model JSON written by `inflow train` (default: the embedded model).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Tenant files: validate them, or print what applying them would create and change (the
    /// plan against an empty state; `apply` to an edge comes with the admin API).
    Admin {
        #[command(subcommand)]
        command: Admin,
    },
}

/// `inflow admin …`. Only local commands so far: `apply` (and `--dry-run`) against an edge come
/// with the admin API (issue 13).
#[derive(Debug, Subcommand)]
enum Admin {
    /// Check tenant files whole and print every problem (`file: products[3] "id": reason`);
    /// exits non-zero if any file has one.
    Validate(TenantArgs),
    /// Validate, then print the plan of each file against an empty state (`+ product id`,
    /// `~ campaign id: field before → after`). Applying it to an edge (`apply`, `--dry-run`)
    /// comes with the admin API; nothing is sent anywhere.
    Plan(TenantArgs),
}

#[derive(Debug, clap::Args)]
struct TenantArgs {
    /// Tenant files (TOML), e.g. `tenants/*.toml`; partners declared in one are known to all.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// A partner id that exists already (not declared in FILE), e.g. `--partner edu-demo`.
    #[arg(long = "partner", value_name = "ID")]
    partners: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inflow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Train { data, out, seed } => {
            let data = data.unwrap_or_else(train::default_data);
            let out = out.unwrap_or_else(train::default_out);
            train::run(&data, &out, seed)
        }
        Command::Score { file, model } => {
            let model = load_model(model.as_deref())?;
            let rows = data::read(&file)?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            for (f, _) in &rows {
                writeln!(out, "{:.6}", propensity::score(&model, f))?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Eval { file, model } => {
            let model = load_model(model.as_deref())?;
            let (scores, labels) = data::scored_labelled(&model, &file)?;
            let show = |v: Option<f64>| v.map_or("undefined (needs both classes)".to_string(), |v| format!("{v:.4}"));
            println!("auc: {}", show(metrics::auc(&scores, &labels)));
            println!("alift: {}", show(metrics::alift(&scores, &labels)));
            Ok(())
        }
        Command::Admin { command } => {
            let out = match command {
                Admin::Validate(a) => admin::validate(&admin::load(&a.files)?, &a.partners)?,
                Admin::Plan(a) => admin::plan(&admin::load(&a.files)?, &a.partners)?,
            };
            print!("{out}");
            Ok(())
        }
    }
}

/// The embedded model unless a path is given; returned owned so both cases look the same.
fn load_model(path: Option<&Path>) -> Result<Model> {
    match path {
        None => Ok(propensity::embedded().clone()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading model {}", p.display()))?;
            Model::from_json(&text).with_context(|| format!("loading model {}", p.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("inflow").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_and_positionals_in_any_order() {
        let cli = parse(&["score", "--model", "m.json", "rows.csv"]).expect("parses");
        let Command::Score { file, model } = cli.command else {
            panic!("not score: {cli:?}");
        };
        assert_eq!(file, PathBuf::from("rows.csv"));
        assert_eq!(model, Some(PathBuf::from("m.json")));
        let cli = parse(&["train"]).expect("parses");
        assert!(matches!(
            cli.command,
            Command::Train {
                seed: 42,
                data: None,
                out: None
            }
        ));
    }

    #[test]
    fn refuses_unknown_flags_missing_values_and_commands() {
        assert!(parse(&["score", "--modle", "m.json", "rows.csv"]).is_err());
        assert!(parse(&["score", "rows.csv", "--model"]).is_err());
        assert!(parse(&["eval"]).is_err());
        assert!(parse(&["train", "--seed", "forty-two"]).is_err());
        assert!(parse(&["frob"]).is_err());
        assert!(parse(&["admin", "validate"]).is_err(), "a file is required");
        assert!(
            parse(&["admin", "apply", "t.toml"]).is_err(),
            "apply comes with the admin API"
        );
    }

    #[test]
    fn admin_takes_files_and_known_partners() {
        let cli = parse(&["admin", "plan", "a.toml", "--partner", "edu-demo", "b.toml"]).expect("parses");
        let Command::Admin {
            command: Admin::Plan(a),
        } = cli.command
        else {
            panic!("not admin plan: {cli:?}");
        };
        assert_eq!(a.files, [PathBuf::from("a.toml"), PathBuf::from("b.toml")]);
        assert_eq!(a.partners, ["edu-demo"]);
    }

    #[test]
    fn embedded_model_loads() {
        assert!(load_model(None).expect("embedded").n_trees() > 0);
        assert!(load_model(Some(Path::new("/nonexistent/model.json"))).is_err());
    }
}
