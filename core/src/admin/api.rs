//! What crosses the wire under `/v1/admin/`: the answer to applying a tenant file, keys,
//! postback secrets and audit rows. Shared by the edge (which answers) and the CLI (which
//! asks), so both read the same shapes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::authz::Denied;
use super::keys::{KeyKind, KeyRecord};
use super::secrets::PostbackSecret;
use crate::api::{Problem, ProblemCode};
use crate::tenant::{Action, Invalid, Object, Plan, TenantFile, TenantState};

/// Latest unix time (seconds) the admin API accepts: 9999-12-31T23:59:59Z. Later instants do
/// not fit D1's exact-integer range on the way in and mean "never" anyway (leave the field out).
pub const MAX_UNIX_SECS: i64 = 253_402_300_799;

/// Largest audit `seq` a cursor may name: 2^53 - 1, the last integer D1 (a JavaScript number)
/// binds exactly.
const MAX_SEQ: i64 = (1 << 53) - 1;

/// The admin API's refusals, worded once (the edge names them; `authorize`'s [`Denied`] and a
/// refused key convert with `From`).
impl Problem {
    /// 400 `malformed_json`: `POST /v1/admin/{banks,partners}/{id}/keys` with an empty body.
    pub fn no_key_request() -> Self {
        Problem::new(ProblemCode::MalformedJson, "send {\"kind\", \"name\"} as JSON")
    }

    /// 400 `malformed_json`: `POST /v1/admin/tenants` with an empty body.
    pub fn no_tenant_file() -> Self {
        Problem::new(ProblemCode::MalformedJson, "send a tenant file as JSON")
    }

    /// 400 `invalid_field`: `?dry_run=` other than `true` or `false` (never read as "apply").
    pub fn invalid_dry_run() -> Self {
        Problem::invalid_field("dry_run must be true or false")
    }

    /// 404: a key is asked for under a bank or partner that does not exist.
    pub fn no_such_owner() -> Self {
        Problem::not_found("no such bank or partner")
    }

    /// 404: revoking a key that does not exist or that the caller may not see (the same
    /// answer, so key ids cannot be probed).
    pub fn no_such_key() -> Self {
        Problem::not_found("no such key")
    }

    /// 404: a bank's secrets or tenant file asked for a bank that does not exist.
    pub fn no_such_bank() -> Self {
        Problem::not_found("no such bank")
    }

    /// 404: `GET /v1/admin/banks/{id}` for a bank made before tenant files (it has no names,
    /// colour or consent to read back).
    pub fn bank_predates_tenant_files() -> Self {
        Problem::not_found("this bank predates tenant files: apply one to give it names, colour and consent")
    }

    /// 422 `invalid_tenant`: a tenant file refused whole, naming every object and reason.
    pub fn invalid_tenant(invalid: &[Invalid]) -> Self {
        let all: Vec<String> = invalid.iter().map(ToString::to_string).collect();
        Problem::new(
            ProblemCode::InvalidTenant,
            format!("refused whole, nothing written: {}", all.join("; ")),
        )
    }

    /// 409 `apply_conflict`: another write of the same bank (a tenant-file apply or a secret
    /// rotation) landed first (its counter in `tenant_applies` moved since this write read the
    /// bank); nothing of this one is written.
    pub fn apply_conflict() -> Self {
        Problem::new(
            ProblemCode::ApplyConflict,
            "another change of this bank landed first; read the bank again and retry",
        )
    }

    /// 403: a tenant file creates or changes `object`, which the caller may not (`why`); the
    /// detail names the object (`partner "acme": partners are changed by the operator`).
    pub fn object_denied(object: &Object, why: Denied) -> Self {
        Problem::forbidden(&format!("{} {}: {}", object.kind().as_str(), object.id(), why.0))
    }

    /// 400 `invalid_field`: the audit log's `?after=` is not a row's seq.
    pub fn invalid_audit_cursor() -> Self {
        Problem::invalid_field("after is the seq of the last row read (an integer 0-9007199254740991)")
    }
}

/// The audit row to read after, from `?after=` (absent: from the first row).
///
/// # Errors
/// [`Problem::invalid_audit_cursor`] for anything but an integer 0–2^53-1.
pub fn audit_after(param: Option<&str>) -> Result<i64, Problem> {
    match param {
        None => Ok(0),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_SEQ).contains(n))
            .ok_or_else(Problem::invalid_audit_cursor),
    }
}

/// The answer to `POST /v1/admin/tenants` (`?dry_run=true`: the plan only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyResponse {
    /// False for a dry run, and when nothing needed changing.
    pub applied: bool,
    pub changes: Vec<ChangeView>,
    pub creates: usize,
    pub updates: usize,
    pub unchanged: usize,
    /// The plan as `inflow admin plan` prints it (`+ product id`, `~ campaign id: field a → b`,
    /// `Plan: …` or `No changes: …`).
    pub text: String,
    /// The bank's catalogue version after the request (it grows by one with every apply that
    /// creates or changes a product).
    pub catalogue_version: i64,
    /// The signing secret of each webhook endpoint this apply created, shown this once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<WebhookSecret>,
}

/// A new webhook endpoint's signing secret, in an [`ApplyResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSecret {
    /// The file's webhook id.
    pub webhook: String,
    /// Its id under `/v1/admin/webhooks/{id}` (`<bank>.<webhook>`).
    pub endpoint_id: String,
    /// `whsec_…`.
    pub secret: String,
}

/// One object of the file and what applying did (or would do) to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    /// `bank`, `partner`, `product` or `campaign`.
    pub kind: String,
    pub id: String,
    /// `create`, `update` or `unchanged`.
    pub action: String,
    /// For updates: each changed field with both values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldView>,
}

/// One changed field: its dotted path and both values as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldView {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

impl ApplyResponse {
    /// The answer for `plan`, `applied` or not.
    pub fn new(plan: &Plan, applied: bool, catalogue_version: i64) -> ApplyResponse {
        let changes = plan
            .changes
            .iter()
            .map(|c| {
                let (action, fields) = match &c.action {
                    Action::Create => ("create", vec![]),
                    Action::Unchanged => ("unchanged", vec![]),
                    Action::Update(f) => (
                        "update",
                        f.iter()
                            .map(|x| FieldView {
                                field: x.field.clone(),
                                before: serde_json::from_str(&x.before).unwrap_or(Value::Null),
                                after: serde_json::from_str(&x.after).unwrap_or(Value::Null),
                            })
                            .collect(),
                    ),
                };
                ChangeView {
                    kind: c.object.kind().as_str().into(),
                    id: c.object.id().into(),
                    action: action.into(),
                    fields,
                }
            })
            .collect();
        ApplyResponse {
            applied,
            changes,
            creates: plan.creates(),
            updates: plan.updates(),
            unchanged: plan.unchanged(),
            text: plan.to_string(),
            catalogue_version,
            secrets: Vec::new(),
        }
    }
}

/// One bank's objects as `GET /v1/admin/banks/{bank}` answers them: the tenant file that would
/// reproduce them (partners: those with a campaign of the bank), and the catalogue version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankView {
    #[serde(flatten)]
    pub tenant: TenantFile,
    pub catalogue_version: i64,
}

/// An audit row to append, before the edge adds who and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditDraft {
    /// The bank the object belongs to or was written for (a partner declared in a bank's file
    /// is audited under that bank, so the bank can read what its file did).
    pub bank_id: Option<String>,
    /// `bank`, `partner`, `product`, `campaign`, `key` or `postback_secret`.
    pub object_kind: String,
    pub object_id: String,
    /// `create`, `update`, `revoke` or `rotate`.
    pub action: String,
    /// The object before the write (`null` when created); never a secret or a key hash.
    pub before: Value,
    /// The object after the write.
    pub after: Value,
}

/// One audit row as `GET …/audit` answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log (ascending: the order of writes).
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// `operator` or the public id of the key that wrote.
    pub key_id: String,
    #[serde(flatten)]
    pub draft: AuditDraft,
}

/// The audit rows for applying `plan` to `current`, one per created or updated object, in
/// plan order, under `bank_id` — except a partner's: a partner belongs to no one bank, so its
/// change is audited under each bank that works with it once the plan is applied
/// (`partner_banks`: partner id → those banks), where each reads it, and under none (the
/// operator's log only) when no bank does. A bank that merely declared the partner in its file
/// does not read what changed about another bank's partner.
pub fn audit_for_plan(
    plan: &Plan,
    current: &TenantState,
    bank_id: &str,
    partner_banks: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<AuditDraft> {
    fn value<T: Serialize>(v: Option<&T>) -> Value {
        v.and_then(|v| serde_json::to_value(v).ok()).unwrap_or(Value::Null)
    }
    let mut out = Vec::new();
    for c in plan.changes.iter().filter(|c| c.action != Action::Unchanged) {
        let (before, after) = match &c.object {
            Object::Bank(b) => (value(current.bank.as_ref().filter(|x| x.id == b.id)), value(Some(b))),
            Object::Partner(p) => (value(current.partners.get(&p.id)), value(Some(p))),
            Object::Product(p) => (value(current.products.get(&p.id)), value(Some(p))),
            Object::Campaign(k) => (value(current.campaigns.get(&k.id)), value(Some(k))),
            Object::Webhook(w) => (value(current.webhooks.get(&w.id)), value(Some(w))),
        };
        let banks: Vec<Option<String>> = match &c.object {
            Object::Partner(p) => match partner_banks.get(&p.id).filter(|b| !b.is_empty()) {
                Some(banks) => banks.iter().cloned().map(Some).collect(),
                None => vec![None],
            },
            _ => vec![Some(bank_id.into())],
        };
        for bank in banks {
            out.push(AuditDraft {
                bank_id: bank,
                object_kind: c.object.kind().as_str().into(),
                object_id: c.object.id().into(),
                action: if c.action == Action::Create { "create" } else { "update" }.into(),
                before: before.clone(),
                after: after.clone(),
            });
        }
    }
    out
}

/// Body of `POST /v1/admin/banks/{bank}/keys` and `POST /v1/admin/partners/{partner}/keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateKeyRequest {
    /// `bank_admin` or `bank_report` under a bank; `partner_report` under a partner.
    pub kind: KeyKind,
    /// 1–100 characters, e.g. `ci-deploy`.
    pub name: String,
    /// Unix seconds after which the key is refused, in the future and at most
    /// [`MAX_UNIX_SECS`]; absent: never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

impl CreateKeyRequest {
    /// Checks the request for an owner of kind `partner_owner` (true: a partner) at `now`.
    ///
    /// # Errors
    /// 400 `invalid_field` saying which rule the request breaks (naming the field).
    pub fn check(&self, partner_owner: bool, now: i64) -> Result<(), Problem> {
        let refuse = |why: &str| Err(Problem::invalid_field(why));
        if self.kind.is_partner_key() != partner_owner {
            return refuse(if partner_owner {
                "a partner's key is of kind partner_report"
            } else {
                "a bank's key is of kind bank_admin or bank_report"
            });
        }
        if let Err(e) = crate::support::text::check(&self.name, 100, crate::support::text::Lines::One) {
            return Err(Problem::invalid_field(format!(
                "name {} (1-100 characters of readable text)",
                e.reason()
            )));
        }
        if self.expires_at.is_some_and(|t| t > MAX_UNIX_SECS) {
            return refuse("expires_at is unix seconds, at most 253402300799 (9999-12-31T23:59:59Z)");
        }
        if self.expires_at.is_some_and(|t| t <= now) {
            return refuse("expires_at is a unix time in the future");
        }
        Ok(())
    }
}

/// A key as lists show it: everything but its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyView {
    pub id: String,
    pub kind: KeyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<&KeyRecord> for KeyView {
    fn from(r: &KeyRecord) -> KeyView {
        KeyView {
            id: r.id.clone(),
            kind: r.kind,
            bank_id: r.bank_id.clone(),
            partner_id: r.partner_id.clone(),
            name: r.name.clone(),
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// The answer to creating a key: the token, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedKey {
    #[serde(flatten)]
    pub key: KeyView,
    /// `ik_<id>_<secret>`: send as `Authorization: Bearer <token>`. Not stored; not shown again.
    pub token: String,
}

/// Body of `POST /v1/admin/banks/{bank}/secrets` (rotate).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateRequest {
    /// How long the older secrets stay accepted, in seconds (0 – 30 days; default one day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlap_secs: Option<i64>,
}

/// A postback secret as lists show it: without its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretView {
    pub id: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

impl From<&PostbackSecret> for SecretView {
    fn from(s: &PostbackSecret) -> SecretView {
        SecretView {
            id: s.id.clone(),
            created_at: s.created_at,
            expires_at: s.expires_at,
        }
    }
}

/// The answer to a rotation: the new secret's id and value (shown this once) and every secret
/// of the bank afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotated {
    pub id: String,
    pub secret: String,
    pub secrets: Vec<SecretView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::plan;

    fn harbor() -> TenantFile {
        toml::from_str(include_str!("../../../tenants/harbor-bank.toml")).expect("parses")
    }

    #[test]
    fn a_plan_answers_with_its_changes_and_audits_only_writes() {
        let file = harbor();
        let empty = TenantState::default();
        let p = plan(&empty, &file);
        let r = ApplyResponse::new(&p, true, 1);
        assert_eq!((r.creates, r.updates, r.unchanged), (3, 0, 0));
        assert!(r.text.starts_with("+ bank harbor-bank\n"), "{}", r.text);
        let audit = audit_for_plan(&p, &empty, "harbor-bank", &BTreeMap::new());
        assert_eq!(audit.len(), 3);
        assert!(audit.iter().all(|a| a.action == "create" && a.before.is_null()));
        assert_eq!(audit[1].object_kind, "product");
        assert_eq!(audit[1].after["yield_bps"], 130);

        let mut state = empty.clone();
        state.apply(&p);
        let mut changed = file.clone();
        changed.products[0].yield_bps = 140;
        let p2 = plan(&state, &changed);
        let r = ApplyResponse::new(&p2, false, 1);
        assert_eq!((r.creates, r.updates, r.unchanged), (0, 1, 2));
        let update = r.changes.iter().find(|c| c.action == "update").expect("an update");
        assert_eq!(update.fields[0].field, "yield_bps");
        assert_eq!(
            (update.fields[0].before.clone(), update.fields[0].after.clone()),
            (130.into(), 140.into())
        );
        let audit = audit_for_plan(&p2, &state, "harbor-bank", &BTreeMap::new());
        assert_eq!(audit.len(), 1);
        assert_eq!(
            (
                audit[0].before["yield_bps"].clone(),
                audit[0].after["yield_bps"].clone()
            ),
            (130.into(), 140.into())
        );
        state.apply(&p2);
        assert!(
            audit_for_plan(&plan(&state, &changed), &state, "x", &BTreeMap::new()).is_empty(),
            "a second apply writes nothing"
        );
    }

    #[test]
    fn a_partners_change_is_audited_for_the_banks_that_work_with_it() {
        let file: TenantFile = toml::from_str(include_str!("../../../tests/tenants/lotus-bank.toml")).expect("parses");
        let empty = TenantState::default();
        let mut state = empty.clone();
        state.apply(&plan(&empty, &file));
        let mut moved = file.clone();
        moved.partners[0].name = "MathCamp tutoring".into();
        let p = plan(&state, &moved);
        let shared: BTreeMap<String, BTreeSet<String>> = [(
            "mathcamp".to_string(),
            ["demo-bank".to_string(), "lotus-bank".to_string()].into(),
        )]
        .into();
        let rows = audit_for_plan(&p, &state, "lotus-bank", &shared);
        let banks: Vec<Option<&str>> = rows.iter().map(|r| r.bank_id.as_deref()).collect();
        assert_eq!(
            banks,
            [Some("demo-bank"), Some("lotus-bank")],
            "each bank working with it"
        );
        assert!(rows
            .iter()
            .all(|r| r.object_id == "mathcamp" && r.before["name"] == "MathCamp online tutoring"));
        let rows = audit_for_plan(&p, &state, "orchid-bank", &BTreeMap::new());
        assert_eq!(
            rows.iter().map(|r| r.bank_id.as_deref()).collect::<Vec<_>>(),
            [None],
            "a bank that only declared it does not read it; the operator does"
        );
    }

    #[test]
    fn tenant_refusals_name_the_object() {
        let file = harbor();
        let denied = Problem::object_denied(
            &Object::Bank(file.bank.clone()),
            Denied("only the operator key may do this"),
        );
        assert_eq!(denied.code, ProblemCode::Forbidden);
        assert_eq!(denied.detail, "bank harbor-bank: only the operator key may do this");
        let mut owners = std::collections::BTreeMap::new();
        owners.insert("cmp-harbor-edu".to_string(), "harbor-bank".to_string());
        assert!(crate::tenant::foreign_campaigns(&file, "harbor-bank", &owners).is_empty());
        owners.insert("cmp-harbor-edu".to_string(), "lotus-bank".to_string());
        let foreign = crate::tenant::foreign_campaigns(&file, "harbor-bank", &owners);
        assert_eq!(
            Problem::invalid_tenant(&foreign).detail,
            "refused whole, nothing written: campaigns[0] \"cmp-harbor-edu\": the id belongs to another bank's campaign"
        );
    }

    #[test]
    fn audit_cursor_is_a_seq() {
        assert_eq!(audit_after(None), Ok(0));
        assert_eq!(audit_after(Some("42")), Ok(42));
        assert_eq!(audit_after(Some("9007199254740991")), Ok(MAX_SEQ));
        for bad in ["-1", "x", "1.5", "", "9007199254740992", "9223372036854775807"] {
            assert_eq!(audit_after(Some(bad)), Err(Problem::invalid_audit_cursor()), "{bad}");
        }
    }

    #[test]
    fn key_requests_are_checked() {
        let ok = CreateKeyRequest {
            kind: KeyKind::BankAdmin,
            name: "ci".into(),
            expires_at: Some(200),
        };
        assert_eq!(ok.check(false, 100), Ok(()));
        assert!(ok.check(true, 100).is_err(), "a bank kind under a partner");
        assert!(ok.check(false, 200).is_err(), "already expired");
        let partner = CreateKeyRequest {
            kind: KeyKind::PartnerReport,
            ..ok.clone()
        };
        assert_eq!(partner.check(true, 100), Ok(()));
        assert!(partner.check(false, 100).is_err());
        let unnamed = CreateKeyRequest {
            name: " ".into(),
            ..ok.clone()
        };
        assert!(unnamed.check(false, 100).is_err());
        let last = CreateKeyRequest {
            expires_at: Some(MAX_UNIX_SECS),
            ..ok.clone()
        };
        assert_eq!(last.check(false, 100), Ok(()), "9999-12-31T23:59:59Z");
        for far in [MAX_UNIX_SECS + 1, 9_007_199_254_740_993, i64::MAX] {
            let r = CreateKeyRequest {
                expires_at: Some(far),
                ..ok.clone()
            };
            let p = r.check(false, 100).expect_err("beyond the year 9999");
            assert_eq!(p.code, ProblemCode::InvalidField);
            assert!(
                p.detail.contains("expires_at") && p.detail.contains("253402300799"),
                "{}",
                p.detail
            );
        }
        assert!(serde_json::from_str::<CreateKeyRequest>(r#"{"kind":"operator","name":"x"}"#).is_err());
        assert!(serde_json::from_str::<CreateKeyRequest>(r#"{"kind":"bank_admin","name":"x","bank":"b"}"#).is_err());
    }
}
