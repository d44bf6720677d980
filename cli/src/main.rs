//! `inflow`: train, batch-score and evaluate the conversion propensity model.
//!
//! ```text
//! inflow train [--data PATH] [--out PATH] [--seed N]
//! inflow score FILE [--model PATH]
//! inflow eval FILE [--model PATH]
//! ```
//!
//! FILE is in the UCI Bank Marketing format (`;`-separated, quoted strings, header row); `y` is
//! optional for `score` and `duration`, if present, is ignored. Without `--model` the model
//! compiled into inflow-core is used, the same one the Worker runs.

mod data;
mod train;

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use inflow_core::propensity::{self, metrics, Model};

const USAGE: &str = "usage:
  inflow train [--data PATH] [--out PATH] [--seed N]
  inflow score FILE [--model PATH]
  inflow eval FILE [--model PATH]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inflow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Positional arguments and `--flag value` pairs, in any order.
struct Args {
    positional: Vec<String>,
    flags: Vec<(String, String)>,
}

impl Args {
    fn parse(args: Vec<String>, known: &[&str]) -> Result<Args> {
        let mut out = Args {
            positional: Vec::new(),
            flags: Vec::new(),
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    bail!("unknown option --{name}\n{USAGE}");
                }
                let value = it.next().with_context(|| format!("--{name} needs a value"))?;
                out.flags.push((name.to_string(), value));
            } else {
                out.positional.push(a);
            }
        }
        Ok(out)
    }

    fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn one_file(&self) -> Result<PathBuf> {
        match self.positional.as_slice() {
            [file] => Ok(PathBuf::from(file)),
            _ => bail!("expected exactly one FILE\n{USAGE}"),
        }
    }
}

fn run(mut args: Vec<String>) -> Result<()> {
    if args.is_empty() {
        bail!("{USAGE}");
    }
    let command = args.remove(0);
    match command.as_str() {
        "train" => {
            let a = Args::parse(args, &["data", "out", "seed"])?;
            if !a.positional.is_empty() {
                bail!("train takes no positional arguments\n{USAGE}");
            }
            let seed = match a.flag("seed") {
                Some(s) => s.parse().with_context(|| format!("--seed {s:?} is not an integer"))?,
                None => propensity::Params::default().seed,
            };
            let data = a.flag("data").map_or_else(train::default_data, PathBuf::from);
            let out = a.flag("out").map_or_else(train::default_out, PathBuf::from);
            train::run(&data, &out, seed)
        }
        "score" => {
            let a = Args::parse(args, &["model"])?;
            let model = load_model(a.flag("model"))?;
            let rows = data::read(&a.one_file()?)?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            for (f, _) in &rows {
                writeln!(out, "{:.6}", propensity::score(&model, f))?;
            }
            out.flush()?;
            Ok(())
        }
        "eval" => {
            let a = Args::parse(args, &["model"])?;
            let model = load_model(a.flag("model"))?;
            let (scores, labels) = data::scored_labelled(&model, &a.one_file()?)?;
            let show = |v: Option<f64>| v.map_or("undefined (needs both classes)".to_string(), |v| format!("{v:.4}"));
            println!("auc: {}", show(metrics::auc(&scores, &labels)));
            println!("alift: {}", show(metrics::alift(&scores, &labels)));
            Ok(())
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n{USAGE}"),
    }
}

/// The embedded model unless a path is given; returned owned so both cases look the same.
fn load_model(path: Option<&str>) -> Result<Model> {
    match path {
        None => Ok(propensity::embedded().clone()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading model {p}"))?;
            Model::from_json(&text).with_context(|| format!("loading model {p}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_and_positionals_in_any_order() {
        let a = Args::parse(strings(&["--model", "m.json", "rows.csv"]), &["model"]).expect("parses");
        assert_eq!(a.flag("model"), Some("m.json"));
        assert_eq!(a.one_file().expect("one file"), PathBuf::from("rows.csv"));
    }

    #[test]
    fn refuses_unknown_flags_and_missing_values() {
        assert!(Args::parse(strings(&["--modle", "m.json"]), &["model"]).is_err());
        assert!(Args::parse(strings(&["--model"]), &["model"]).is_err());
        let none = Args::parse(Vec::new(), &["model"]).expect("parses");
        assert!(none.one_file().is_err());
        assert!(run(strings(&["frob"])).is_err());
    }

    #[test]
    fn embedded_model_loads() {
        assert!(load_model(None).expect("embedded").n_trees() > 0);
        assert!(load_model(Some("/nonexistent/model.json")).is_err());
    }
}
