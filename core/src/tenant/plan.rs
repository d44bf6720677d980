//! What applying a tenant file would change: a deterministic list of creates, updates (with
//! the fields that change) and unchanged objects. Nothing is ever deleted (see the module
//! docs).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::{Bank, Campaign, Partner, TenantFile, Webhook};
use crate::lead::catalogue::Product;

/// What exists for one bank: the state a tenant file is planned against. Products are keyed by
/// id within the bank; `partners` holds the partners the bank's file may declare or update;
/// campaigns are the bank's own. (That a campaign or partner id is not taken by another bank is
/// the admin API's check, not the plan's.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TenantState {
    /// The bank, if it exists (a bank with another id counts as absent).
    pub bank: Option<Bank>,
    /// The bank's products by id.
    pub products: BTreeMap<String, Product>,
    /// Partners by id.
    pub partners: BTreeMap<String, Partner>,
    /// The bank's campaigns by id.
    pub campaigns: BTreeMap<String, Campaign>,
    /// The bank's file-declared webhook endpoints by their file id.
    pub webhooks: BTreeMap<String, Webhook>,
}

impl TenantState {
    /// Makes every create and update of `plan` (unchanged objects are left alone; nothing is
    /// removed). Planning the same file again afterwards gives an empty plan.
    pub fn apply(&mut self, plan: &Plan) {
        for change in plan.changes.iter().filter(|c| c.action != Action::Unchanged) {
            match &change.object {
                Object::Bank(b) => self.bank = Some(b.clone()),
                Object::Partner(p) => {
                    self.partners.insert(p.id.clone(), p.clone());
                }
                Object::Product(p) => {
                    self.products.insert(p.id.clone(), p.clone());
                }
                Object::Campaign(c) => {
                    self.campaigns.insert(c.id.clone(), c.clone());
                }
                Object::Webhook(w) => {
                    self.webhooks.insert(w.id.clone(), w.clone());
                }
            }
        }
    }
}

/// The kinds of object in a tenant file, in the order a plan lists and applies them (a
/// campaign needs its partner and products first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Bank,
    Partner,
    Product,
    Campaign,
    Webhook,
}

impl Kind {
    /// The word the CLI prints: `bank`, `partner`, `product`, `campaign`, `webhook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bank => "bank",
            Kind::Partner => "partner",
            Kind::Product => "product",
            Kind::Campaign => "campaign",
            Kind::Webhook => "webhook",
        }
    }
}

/// An object as the file wants it.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Bank(Bank),
    Partner(Partner),
    Product(Product),
    Campaign(Campaign),
    Webhook(Webhook),
}

impl Object {
    /// Which kind of object this is.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Bank(_) => Kind::Bank,
            Object::Partner(_) => Kind::Partner,
            Object::Product(_) => Kind::Product,
            Object::Campaign(_) => Kind::Campaign,
            Object::Webhook(_) => Kind::Webhook,
        }
    }

    /// The object's id as the file gives it.
    pub fn id(&self) -> &str {
        match self {
            Object::Bank(b) => &b.id,
            Object::Partner(p) => &p.id,
            Object::Product(p) => &p.id,
            Object::Campaign(c) => &c.id,
            Object::Webhook(w) => &w.id,
        }
    }
}

/// One field that an update changes: its dotted path (`name.en`, `window_days`) and both
/// values as compact JSON (`30`, `"Lotus Bank"`, `["education"]`, `null` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What happens to one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The object does not exist yet.
    Create,
    /// The fields that change, in alphabetical order of their paths (never empty).
    Update(Vec<FieldChange>),
    /// The object exists exactly as the file wants it.
    Unchanged,
}

/// One object of the file and what applying it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The object as the file wants it (what [`TenantState::apply`] writes).
    pub object: Object,
    pub action: Action,
}

/// Every object of a file with its action, ordered by kind ([`Kind`]'s order) then id. Its
/// `Display` is what `inflow admin plan` prints:
///
/// ```text
/// + product lotus-demand
/// ~ campaign lotus-mathcamp: window_days 30 → 45
/// Plan: 1 to create, 1 to update, 7 unchanged.
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    /// True when applying would change nothing (every object unchanged).
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.action == Action::Unchanged)
    }

    fn count(&self, f: impl Fn(&Action) -> bool) -> usize {
        self.changes.iter().filter(|c| f(&c.action)).count()
    }

    /// Objects to create.
    pub fn creates(&self) -> usize {
        self.count(|a| *a == Action::Create)
    }

    /// Objects to update.
    pub fn updates(&self) -> usize {
        self.count(|a| matches!(a, Action::Update(_)))
    }

    /// Objects already as the file wants them.
    pub fn unchanged(&self) -> usize {
        self.count(|a| *a == Action::Unchanged)
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.changes {
            let (kind, id) = (c.object.kind().as_str(), c.object.id());
            match &c.action {
                Action::Create => writeln!(f, "+ {kind} {id}")?,
                Action::Update(fields) => {
                    let fields: Vec<String> = fields
                        .iter()
                        .map(|x| format!("{} {} → {}", x.field, x.before, x.after))
                        .collect();
                    writeln!(f, "~ {kind} {id}: {}", fields.join(", "))?;
                }
                Action::Unchanged => {}
            }
        }
        if self.is_empty() {
            write!(f, "No changes: {} unchanged.", self.unchanged())
        } else {
            write!(
                f,
                "Plan: {} to create, {} to update, {} unchanged.",
                self.creates(),
                self.updates(),
                self.unchanged()
            )
        }
    }
}

/// Compares what exists with what `desired` wants. Expects a validated file (with duplicate
/// ids, each occurrence is planned). Objects in `current` but not in the file are not listed:
/// a plan never deletes.
pub fn plan(current: &TenantState, desired: &TenantFile) -> Plan {
    let mut changes = Vec::new();
    let current_bank = current.bank.as_ref().filter(|b| b.id == desired.bank.id);
    changes.push(change(current_bank, &desired.bank, Object::Bank));
    for p in &desired.partners {
        changes.push(change(current.partners.get(&p.id), p, Object::Partner));
    }
    for p in &desired.products {
        changes.push(change(current.products.get(&p.id), p, Object::Product));
    }
    for c in &desired.campaigns {
        changes.push(change(current.campaigns.get(&c.id), c, Object::Campaign));
    }
    for w in &desired.webhooks {
        changes.push(change(current.webhooks.get(&w.id), w, Object::Webhook));
    }
    // Stable: equal (kind, id) keep file order.
    changes.sort_by(|a, b| (a.object.kind(), a.object.id()).cmp(&(b.object.kind(), b.object.id())));
    Plan { changes }
}

fn change<T: Serialize + Clone>(current: Option<&T>, desired: &T, wrap: fn(T) -> Object) -> Change {
    let action = match current {
        None => Action::Create,
        Some(now) => {
            let mut fields = Vec::new();
            diff("", &to_value(now), &to_value(desired), &mut fields);
            if fields.is_empty() {
                Action::Unchanged
            } else {
                Action::Update(fields)
            }
        }
    };
    Change {
        object: wrap(desired.clone()),
        action,
    }
}

fn to_value<T: Serialize>(v: &T) -> Value {
    // The tenant types are plain structs, enums and strings: serialising cannot fail.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// What changed from `before` to `after` (JSON, e.g. an audit row's), field by field as a plan
/// lists it: dotted paths into objects, anything else (numbers, strings, lists) compared whole,
/// values as JSON text; the path is empty when the two are not both objects.
pub fn field_changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    diff("", before, after, &mut out);
    out
}

/// Field-by-field differences, descending into objects (maps) and comparing anything else
/// (numbers, strings, lists) whole.
fn diff(path: &str, before: &Value, after: &Value, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff(
                    &sub,
                    b.get(k).unwrap_or(&Value::Null),
                    a.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ if before != after => out.push(FieldChange {
            field: path.to_string(),
            before: before.to_string(),
            after: after.to_string(),
        }),
        _ => {}
    }
}
