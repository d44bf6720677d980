//! `inflow admin validate|plan FILE…`: tenant files (TOML, see `inflow_core::tenant`) checked
//! and planned locally. Applying a plan to an edge (`inflow admin apply`, `--dry-run`) needs the
//! admin API and comes with it (issue 13).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use inflow_core::tenant::{self, TenantFile, TenantState};

/// Reads and parses each tenant file, in the order given.
///
/// # Errors
/// An unreadable file, or TOML that does not parse into a tenant file (unknown fields, wrong
/// types and unknown scenes or kinds included), with the file's path and the parser's line.
pub fn load(paths: &[PathBuf]) -> Result<Vec<(PathBuf, TenantFile)>> {
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let file: TenantFile =
                toml::from_str(&text).with_context(|| format!("{} is not a tenant file", p.display()))?;
            Ok((p.clone(), file))
        })
        .collect()
}

/// Validates every file. A campaign may name a partner declared in any of the files or one of
/// `partners` (partners that exist elsewhere).
///
/// # Errors
/// Every problem of every file, one per line, each `path: object "id": reason`.
pub fn validate(files: &[(PathBuf, TenantFile)], partners: &[String]) -> Result<String> {
    let known: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, f)| f.partners.iter().map(|p| p.id.clone()))
        .chain(partners.iter().cloned())
        .collect();
    let mut problems = Vec::new();
    let mut out = String::new();
    for (path, file) in files {
        match tenant::validate(file, &known) {
            Ok(()) => {
                let _ = writeln!(
                    out,
                    "{}: valid — bank {}, {} products, {} partners, {} campaigns",
                    path.display(),
                    file.bank.id,
                    file.products.len(),
                    file.partners.len(),
                    file.campaigns.len()
                );
            }
            Err(all) => problems.extend(all.iter().map(|e| format!("{}: {e}", path.display()))),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} problem(s); a file with any problem is refused whole:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok(out)
}

/// Validates, then plans each file in turn against an empty state (as on an edge with no
/// tenants): partners created by an earlier file are known to later ones.
///
/// # Errors
/// As [`validate`]: nothing is planned while any file has a problem.
pub fn plan(files: &[(PathBuf, TenantFile)], partners: &[String]) -> Result<String> {
    validate(files, partners)?;
    let mut existing_partners = BTreeMap::new();
    let mut out = String::new();
    for (path, file) in files {
        let mut state = TenantState {
            partners: existing_partners,
            ..TenantState::default()
        };
        let plan = tenant::plan(&state, file);
        let _ = writeln!(out, "{} (bank {}):\n{plan}", path.display(), file.bank.id);
        state.apply(&plan);
        existing_partners = state.partners;
    }
    Ok(out)
}
