//! `inflow admin …`: tenant files (TOML, see `inflow_core::tenant`) checked and planned
//! locally (`validate`, `plan`), and applied to an edge over the admin API (`apply`), with
//! keys, postback secrets and the audit log (`keys`, `secrets`, `audit`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use inflow_core::admin::api::{
    ApplyResponse, AuditEntry, CreateKeyRequest, CreatedKey, KeyView, RotateRequest, Rotated, SecretView,
};
use inflow_core::admin::KeyKind;
use inflow_core::tenant::{self, TenantFile, TenantState};

use crate::edge::Edge;
use crate::when::{self, rfc3339};

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
        // These commands are local: a partner that exists only on the edge is unknown here.
        let hint = if problems.iter().any(|p| p.contains("nor an existing partner")) {
            "\n(validate and plan are local: name partners that exist on the edge with --partner ID, or ask the edge with apply --dry-run)"
        } else {
            ""
        };
        bail!(
            "{} problem(s); a file with any problem is refused whole:\n{}{hint}",
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

/// Applies each file in turn through `POST /v1/admin/tenants` (the edge validates, plans and
/// writes in one batch) and returns each plan as the edge answered it, with the secret of each
/// webhook endpoint it created (shown once). `dry_run`: plans only.
/// The edge checks each file whole with core's rules, against the partners it knows.
///
/// # Errors
/// The edge's problem (`422 invalid_tenant: products[3] …`,
/// `403 forbidden: …`) for the first file it refuses; files before it stay applied.
pub fn apply(edge: &Edge, files: &[(PathBuf, TenantFile)], dry_run: bool) -> Result<String> {
    let query = if dry_run { "?dry_run=true" } else { "" };
    let mut out = String::new();
    for (path, file) in files {
        let r: ApplyResponse = edge
            .post(&format!("/v1/admin/tenants{query}"), file)
            .with_context(|| format!("applying {}", path.display()))?;
        let note = if dry_run { " (dry run: nothing written)" } else { "" };
        let _ = writeln!(
            out,
            "{} (bank {}, catalogue version {}){note}:\n{}",
            path.display(),
            file.bank.id,
            r.catalogue_version,
            r.text
        );
        // A new webhook's signing secret is answered this once.
        for s in &r.secrets {
            let _ = writeln!(out, "webhook {} ({}) secret: {}", s.webhook, s.endpoint_id, s.secret);
        }
    }
    Ok(out)
}

/// Whose keys: a bank's or a partner's.
pub enum Owner {
    Bank(String),
    Partner(String),
}

impl Owner {
    fn path(&self) -> String {
        match self {
            Owner::Bank(b) => format!("/v1/admin/banks/{b}/keys"),
            Owner::Partner(p) => format!("/v1/admin/partners/{p}/keys"),
        }
    }
}

/// Creates a key and returns the lines that show its token (once).
pub fn create_key(edge: &Edge, owner: &Owner, kind: KeyKind, name: &str, expires_at: Option<i64>) -> Result<String> {
    let req = CreateKeyRequest {
        kind,
        name: name.to_string(),
        expires_at,
    };
    let k: CreatedKey = edge.post(&owner.path(), &req)?;
    Ok(format!(
        "created {} key {} ({}){}\ntoken (shown once; store it now): {}\n",
        k.key.kind.as_str(),
        k.key.id,
        k.key.name,
        k.key
            .expires_at
            .map(|t| format!(", expires at {t}"))
            .unwrap_or_default(),
        k.token
    ))
}

/// One line per key: id, kind, state (active, expired or revoked, as the edge decides it now),
/// name, times (RFC 3339, UTC).
pub fn list_keys(edge: &Edge, owner: &Owner) -> Result<String> {
    let keys: Vec<KeyView> = edge.get(&owner.path())?;
    let now = when::now();
    let mut out = String::new();
    for k in &keys {
        let state = match (k.revoked_at, k.expires_at) {
            (Some(_), _) => "revoked",
            (None, Some(t)) if t <= now => "expired",
            _ => "active",
        };
        let opt = |t: Option<i64>| t.map_or("-".to_string(), rfc3339);
        let _ = writeln!(
            out,
            "{} {} {state} {:?} created {} expires {} last used {}",
            k.id,
            k.kind.as_str(),
            k.name,
            rfc3339(k.created_at),
            opt(k.expires_at),
            opt(k.last_used_at)
        );
    }
    if keys.is_empty() {
        out.push_str("no keys\n");
    }
    Ok(out)
}

/// Revokes key `id`: refused from this moment.
pub fn revoke_key(edge: &Edge, id: &str) -> Result<String> {
    let k: KeyView = edge.post(&format!("/v1/admin/keys/{id}/revoke"), &serde_json::json!({}))?;
    Ok(format!(
        "revoked key {} at {}\n",
        k.id,
        k.revoked_at.map_or("-".to_string(), rfc3339)
    ))
}

/// One line per postback secret: id, created, until when it is accepted (never the value).
fn secret_lines(secrets: &[SecretView], now: i64, out: &mut String) {
    for s in secrets {
        let until = match s.expires_at {
            None => "accepted until rotated".to_string(),
            Some(t) if t <= now => format!("expired {}", rfc3339(t)),
            Some(t) => format!("accepted until {}", rfc3339(t)),
        };
        let _ = writeln!(out, "  secret {} created {} {until}", s.id, rfc3339(s.created_at));
    }
}

/// Rotates a bank's postback secret: prints the new secret (once) and every secret's expiry.
pub fn rotate_secret(edge: &Edge, bank: &str, overlap_secs: Option<i64>) -> Result<String> {
    let r: Rotated = edge.post(
        &format!("/v1/admin/banks/{bank}/secrets"),
        &RotateRequest { overlap_secs },
    )?;
    let mut out = format!(
        "new postback secret {} (shown once; store it now): {}\n",
        r.id, r.secret
    );
    secret_lines(&r.secrets, when::now(), &mut out);
    Ok(out)
}

/// A bank's postback secrets, oldest first: ids and expiries, never values.
pub fn list_secrets(edge: &Edge, bank: &str) -> Result<String> {
    let secrets: Vec<SecretView> = edge.get(&format!("/v1/admin/banks/{bank}/secrets"))?;
    let mut out = format!("bank {bank}: {} postback secrets\n", secrets.len());
    secret_lines(&secrets, when::now(), &mut out);
    Ok(out)
}

/// The audit log, a bank's or (operator) everyone's: one line per write, oldest first, every
/// page of it.
pub fn audit(edge: &Edge, bank: Option<&str>) -> Result<String> {
    let path = bank.map_or("/v1/admin/audit".to_string(), |b| format!("/v1/admin/banks/{b}/audit"));
    // The edge answers a page at a time (`?after=SEQ`): read on until a page comes back empty,
    // so the newest rows are never cut off.
    let mut rows: Vec<AuditEntry> = Vec::new();
    loop {
        let page: Vec<AuditEntry> = match rows.last() {
            Some(last) => edge.get(&format!("{path}?after={}", last.seq))?,
            None => edge.get(&path)?,
        };
        if page.is_empty() {
            break;
        }
        rows.extend(page);
    }
    let mut out = String::new();
    for r in &rows {
        let _ = writeln!(
            out,
            "#{} at {} key {} bank {}: {} {} {}",
            r.seq,
            rfc3339(r.at),
            r.key_id,
            r.draft.bank_id.as_deref().unwrap_or("-"),
            r.draft.action,
            r.draft.object_kind,
            r.draft.object_id
        );
        // What the write changed, as a plan shows it: each field before → after.
        for c in tenant::field_changes(&r.draft.before, &r.draft.after) {
            let field = if c.field.is_empty() { "" } else { &c.field };
            let sep = if field.is_empty() { "" } else { ": " };
            let _ = writeln!(out, "    {field}{sep}{} → {}", c.before, c.after);
        }
    }
    if rows.is_empty() {
        out.push_str("no audit rows\n");
    }
    Ok(out)
}
