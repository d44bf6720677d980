//! `inflow`: train, batch-score and evaluate the conversion propensity model.
//!
//! ```text
//! inflow train [--data PATH] [--out PATH] [--seed N]
//! inflow score FILE [--model PATH]
//! inflow eval FILE [--model PATH]
//! inflow admin validate FILE… [--partner ID]…
//! inflow admin plan FILE… [--partner ID]…
//! inflow admin [--edge URL] apply FILE… [--dry-run]
//! inflow admin [--edge URL] keys create (--bank ID | --partner ID) --kind KIND --name NAME [--expires-at TIME|DURATION]
//! inflow admin [--edge URL] keys list (--bank ID | --partner ID)
//! inflow admin [--edge URL] keys revoke KEY_ID
//! inflow admin [--edge URL] secrets rotate --bank ID [--overlap DURATION]
//! inflow admin [--edge URL] secrets list --bank ID
//! inflow admin [--edge URL] audit [--bank ID]
//! inflow bank keygen --out PATH
//! inflow bank open --key PATH [FILE|-]
//! ```
//!
//! FILE is in the UCI Bank Marketing format (`;`-separated, quoted strings, header row); `y` is
//! optional for `score` and `duration`, if present, is ignored. Without `--model` the model
//! compiled into inflow-core is used, the same one the Worker runs.
//!
//! `admin validate|plan` read tenant files (TOML: a bank, its products, partners and campaigns;
//! see `tenants/` and `inflow_core::tenant`), validate them and print the plan against an empty
//! state, locally. The other `admin` commands talk to an edge's admin API (`--edge`, default
//! the local `cargo xtask dev` one) with the key in `INFLOW_ADMIN_KEY`.

mod admin;
mod bank;
mod data;
mod edge;
mod train;
mod when;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use edge::Edge;
use inflow_core::admin::KeyKind;
use inflow_core::lead::propensity::{self, metrics, Model};

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
    /// Tenants: validate and plan tenant files locally; apply them, manage keys and postback
    /// secrets and read the audit log over an edge's admin API.
    Admin {
        /// The edge's base URL.
        #[arg(long, global = true, default_value = edge::LOCAL_EDGE)]
        edge: String,
        #[command(subcommand)]
        command: Admin,
    },
    /// A bank's side of its leads: the contact key pair, and opening a lead export.
    Bank {
        #[command(subcommand)]
        command: Bank,
    },
}

/// `inflow bank …`: runs on the bank's machine; the private key never leaves it.
#[derive(Debug, Subcommand)]
enum Bank {
    /// Write a new contact key pair's private key to `--out` (mode 0600; an existing file is
    /// never overwritten) and print the `contact_key` line for the bank's tenant file.
    Keygen {
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Print each lead of a lead export (`GET /v1/bank/leads` answers saved to FILE, or `-`
    /// for standard input) with its contact opened by the private key in `--key`. A lead that
    /// does not open (another key, moved, altered) is an error line; the exit status is then 1.
    Open {
        #[arg(long, value_name = "PATH")]
        key: PathBuf,
        file: Option<PathBuf>,
    },
}

/// `inflow admin …`: `validate` and `plan` are local; the rest call the admin API with the key
/// in `INFLOW_ADMIN_KEY`.
#[derive(Debug, Subcommand)]
enum Admin {
    /// Check tenant files whole and print every problem (`file: products[3] "id": reason`);
    /// exits non-zero if any file has one.
    Validate(TenantArgs),
    /// Validate, then print the plan of each file against an empty state (`+ product id`,
    /// `~ campaign id: field before → after`), locally: nothing is sent anywhere. The plan
    /// against what an edge holds is `apply --dry-run`.
    Plan(TenantArgs),
    /// Apply tenant files to the edge, in order, and print each plan; a second apply prints
    /// `No changes`. The edge refuses a file whole (naming each object and reason) or applies
    /// it in one batch, auditing every write.
    Apply {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the plan only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// API keys: create (the token is printed once), list, revoke.
    Keys {
        #[command(subcommand)]
        command: Keys,
    },
    /// Postback secrets: rotate, list.
    Secrets {
        #[command(subcommand)]
        command: Secrets,
    },
    /// The audit log: a bank's (`--bank`), or every row (operator key).
    Audit {
        #[arg(long, value_name = "ID")]
        bank: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum Keys {
    /// Create a key: bank_admin or bank_report under `--bank`, partner_report under `--partner`.
    Create {
        #[command(flatten)]
        owner: OwnerArgs,
        /// bank_admin, bank_report or partner_report.
        #[arg(long, value_parser = parse_kind)]
        kind: KeyKind,
        /// A label, 1-100 characters.
        #[arg(long)]
        name: String,
        /// When the key starts being refused: an RFC 3339 time (`2027-01-01T00:00:00Z`) or a
        /// duration from now (`30d`, `12h`); default never.
        #[arg(long, value_name = "TIME|DURATION", value_parser = when::parse_when)]
        expires_at: Option<when::When>,
    },
    /// List the keys of a bank or a partner (never their tokens).
    List {
        #[command(flatten)]
        owner: OwnerArgs,
    },
    /// Revoke a key by its id: refused from this moment.
    Revoke { id: String },
}

#[derive(Debug, Subcommand)]
enum Secrets {
    /// Add a new postback secret (printed once) and let the older ones expire after
    /// `--overlap` (a duration: `12h`, `7d`, or seconds; default one day, at most 30 days).
    Rotate {
        #[arg(long, value_name = "ID")]
        bank: String,
        #[arg(long, value_name = "DURATION", value_parser = when::parse_duration)]
        overlap: Option<i64>,
    },
    /// List a bank's postback secrets: ids, creation and expiry (never the values).
    List {
        #[arg(long, value_name = "ID")]
        bank: String,
    },
}

#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
struct OwnerArgs {
    #[arg(long, value_name = "ID")]
    bank: Option<String>,
    #[arg(long, value_name = "ID")]
    partner: Option<String>,
}

impl OwnerArgs {
    fn owner(self) -> admin::Owner {
        match (self.bank, self.partner) {
            (Some(b), _) => admin::Owner::Bank(b),
            (None, p) => admin::Owner::Partner(p.unwrap_or_default()),
        }
    }
}

fn parse_kind(s: &str) -> Result<KeyKind, String> {
    KeyKind::parse(s).ok_or_else(|| "bank_admin, bank_report or partner_report".to_string())
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
        Command::Admin { edge, command } => {
            let out = match command {
                Admin::Validate(a) => admin::validate(&admin::load(&a.files)?, &a.partners)?,
                Admin::Plan(a) => admin::plan(&admin::load(&a.files)?, &a.partners)?,
                Admin::Apply { files, dry_run } => {
                    let files = admin::load(&files)?;
                    admin::apply(&Edge::from_env(&edge)?, &files, dry_run)?
                }
                Admin::Keys { command } => {
                    let e = Edge::from_env(&edge)?;
                    match command {
                        Keys::Create {
                            owner,
                            kind,
                            name,
                            expires_at,
                        } => {
                            let expires_at = expires_at.map(|t| t.resolve(when::now()));
                            admin::create_key(&e, &owner.owner(), kind, &name, expires_at)?
                        }
                        Keys::List { owner } => admin::list_keys(&e, &owner.owner())?,
                        Keys::Revoke { id } => admin::revoke_key(&e, &id)?,
                    }
                }
                Admin::Secrets { command } => match command {
                    Secrets::Rotate { bank, overlap } => admin::rotate_secret(&Edge::from_env(&edge)?, &bank, overlap)?,
                    Secrets::List { bank } => admin::list_secrets(&Edge::from_env(&edge)?, &bank)?,
                },
                Admin::Audit { bank } => admin::audit(&Edge::from_env(&edge)?, bank.as_deref())?,
            };
            print!("{out}");
            Ok(())
        }
        Command::Bank {
            command: Bank::Keygen { out },
        } => {
            print!("{}", bank::keygen(&out)?);
            Ok(())
        }
        Command::Bank {
            command: Bank::Open { key, file },
        } => {
            let (out, failed) = bank::open(&bank::read_key(&key)?, file.as_deref())?;
            print!("{out}");
            if failed > 0 {
                anyhow::bail!("{failed} lead(s) did not open");
            }
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
        assert!(parse(&["admin", "apply"]).is_err(), "a file is required");
        assert!(parse(&["admin", "keys", "list"]).is_err(), "a bank or a partner");
        assert!(parse(&["admin", "keys", "list", "--bank", "a", "--partner", "b"]).is_err());
        assert!(parse(&["admin", "keys", "create", "--bank", "a", "--kind", "operator", "--name", "x"]).is_err());
        assert!(parse(&["admin", "secrets", "rotate"]).is_err(), "a bank is required");
    }

    #[test]
    fn admin_takes_files_and_known_partners() {
        let cli = parse(&["admin", "plan", "a.toml", "--partner", "edu-demo", "b.toml"]).expect("parses");
        let Command::Admin {
            command: Admin::Plan(a),
            ..
        } = cli.command
        else {
            panic!("not admin plan: {cli:?}");
        };
        assert_eq!(a.files, [PathBuf::from("a.toml"), PathBuf::from("b.toml")]);
        assert_eq!(a.partners, ["edu-demo"]);
    }

    #[test]
    fn admin_api_commands_parse() {
        let cli = parse(&["admin", "apply", "t.toml", "--dry-run", "--edge", "http://e:1"]).expect("parses");
        let Command::Admin {
            edge,
            command: Admin::Apply { files, dry_run },
        } = cli.command
        else {
            panic!("not admin apply: {cli:?}");
        };
        assert_eq!(
            (edge.as_str(), files, dry_run),
            ("http://e:1", vec![PathBuf::from("t.toml")], true)
        );
        let cli = parse(&[
            "admin",
            "keys",
            "create",
            "--bank",
            "b",
            "--kind",
            "bank_report",
            "--name",
            "n",
        ])
        .expect("parses");
        let Command::Admin {
            edge,
            command: Admin::Keys {
                command: Keys::Create { kind, owner, .. },
            },
        } = cli.command
        else {
            panic!("not keys create: {cli:?}");
        };
        assert_eq!(edge, edge::LOCAL_EDGE);
        assert_eq!(kind, KeyKind::BankReport);
        assert_eq!(owner.bank.as_deref(), Some("b"));
    }

    #[test]
    fn embedded_model_loads() {
        assert!(load_model(None).expect("embedded").n_trees() > 0);
        assert!(load_model(Some(Path::new("/nonexistent/model.json"))).is_err());
    }
}
