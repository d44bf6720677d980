//! `POST /v1/admin/tenants[?dry_run=true]` applies a tenant file (its `[[webhooks]]` too: a new
//! endpoint's secret is answered once); `GET /v1/admin/banks/{id}` reads one back.

use std::collections::{BTreeMap, BTreeSet};

use inflow_core::admin::api::{audit_for_plan, ApplyResponse, BankView, WebhookSecret};
use inflow_core::admin::{authorize, Operation, Principal, Resource};
use inflow_core::tenant::{self, Action, Object, TenantFile};
use inflow_core::Problem;
use worker::{D1Database, Request, Response};

use super::{body, webhooks, Caller};
use crate::db::tenants as store;
use crate::error::Result;
use crate::http;

/// Validates the file whole (core's rules, against the partners that exist), plans it against
/// what D1 holds, checks that the caller may write each object it creates or changes, and —
/// unless `dry_run=true` or nothing changes — writes it all in one batch with an audit row per
/// object. Answers the plan ([`ApplyResponse`]).
///
/// Refusals: 403 for a bank admin key of another bank, or for an object it may not change (a
/// partner, its bank's record); 422 `invalid_tenant` naming every object and reason, including
/// a campaign id another bank owns, a consent text changed under the same version, a consent
/// version another bank uses, or a currency other than the bank's; 409 `apply_conflict` when another apply of the bank wrote between
/// this one's read and its write (nothing of this one is written).
pub async fn apply(req: &mut Request, db: &D1Database, who: &Caller, now: i64) -> Result<Response> {
    let dry_run = dry_run(req)?;
    let file: TenantFile = body(req, http::Accepts::Json)
        .await?
        .ok_or_else(Problem::no_tenant_file)?;
    let bank_id = file.bank.id.as_str();
    // Bank-scoped first: another bank's admin key learns nothing about this bank.
    who.may(Operation::Write, Resource::Catalogue(bank_id))?;
    let campaign_ids: Vec<&str> = file.campaigns.iter().map(|c| c.id.as_str()).collect();
    let partner_ids: BTreeSet<&str> = file
        .partners
        .iter()
        .map(|p| p.id.as_str())
        .chain(file.campaigns.iter().map(|c| c.partner.as_str()))
        .collect();
    let partner_ids: Vec<&str> = partner_ids.into_iter().collect();
    // Before the file is validated, so a bank admin learns nothing of partners it is not
    // linked to (validation would say which ones exist).
    if matches!(who.principal, Principal::BankAdmin(_)) {
        let campaign_partners: BTreeSet<&str> = file.campaigns.iter().map(|c| c.partner.as_str()).collect();
        for partner in campaign_partners {
            let partner_banks = store::partner_banks(db, partner).await?;
            who.may(
                Operation::Write,
                Resource::CampaignWith {
                    bank: bank_id,
                    partner_banks: &partner_banks,
                },
            )?;
        }
        // A partner the file declares must be one the bank works with, changed or not: were an
        // unchanged copy accepted and a changed one refused, a bank admin could confirm another
        // bank's partner's stored name and origins guess by guess.
        for p in &file.partners {
            let banks = store::partner_banks(db, &p.id).await?;
            who.may(
                Operation::Read,
                Resource::Partner {
                    id: &p.id,
                    banks: &banks,
                },
            )?;
        }
    }
    let loaded = store::load(db, bank_id, &campaign_ids, &partner_ids).await?;
    let known: BTreeSet<String> = loaded.state.partners.keys().cloned().collect();
    let mut invalid = tenant::validate(&file, &known).err().unwrap_or_default();
    invalid.extend(tenant::foreign_campaigns(&file, bank_id, &loaded.campaign_banks));
    let stored_consent = loaded.state.bank.as_ref().map(|b| &b.consent);
    invalid.extend(tenant::consent_conflicts(&file, stored_consent, &loaded.consent_banks));
    invalid.extend(tenant::currency_change(&file, loaded.state.bank.as_ref()));
    invalid.extend(tenant::timezone_change(
        &file,
        loaded.state.bank.as_ref(),
        loaded.booked,
    ));
    if !invalid.is_empty() {
        return Err(Problem::invalid_tenant(&invalid).into());
    }
    let plan = tenant::plan(&loaded.state, &file);
    // Partner id → the banks working with it once this file is applied: its audit rows go to them.
    let mut partner_banks: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in plan.changes.iter().filter(|c| c.action != Action::Unchanged) {
        let banks;
        let what = match &c.object {
            Object::Bank(b) => Resource::Bank(&b.id),
            Object::Product(_) => Resource::Catalogue(bank_id),
            Object::Campaign(_) => Resource::Campaigns(bank_id),
            Object::Webhook(_) => Resource::BankWebhooks(bank_id),
            Object::Partner(p) => {
                banks = store::partner_banks(db, &p.id).await?;
                let mut with: BTreeSet<String> = banks.iter().cloned().collect();
                if file.campaigns.iter().any(|k| k.partner == p.id) {
                    with.insert(bank_id.to_string());
                }
                partner_banks.insert(p.id.clone(), with);
                Resource::Partner {
                    id: &p.id,
                    banks: &banks,
                }
            }
        };
        authorize(&who.principal, Operation::Write, what).map_err(|why| Problem::object_denied(&c.object, why))?;
    }
    let changes_catalogue = plan
        .changes
        .iter()
        .any(|c| c.action != Action::Unchanged && matches!(c.object, Object::Product(_)));
    if dry_run || plan.is_empty() {
        return Ok(http::json(
            200,
            &ApplyResponse::new(&plan, false, loaded.catalogue_version),
        )?);
    }
    let audit = audit_for_plan(&plan, &loaded.state, bank_id, &partner_banks);
    let mut new_secrets = BTreeMap::new();
    for c in plan.changes.iter().filter(|c| c.action == Action::Create) {
        if let Object::Webhook(w) = &c.object {
            new_secrets.insert(w.id.clone(), webhooks::new_secret(now)?);
        }
    }
    let written = store::write(
        db,
        bank_id,
        loaded.applies,
        &plan,
        &audit,
        &new_secrets,
        store::By {
            key_id: &who.key_id,
            now,
        },
    )
    .await?;
    if written == store::Written::Conflict {
        return Err(Problem::apply_conflict().into());
    }
    let version = loaded.catalogue_version + i64::from(changes_catalogue);
    let mut answer = ApplyResponse::new(&plan, true, version);
    answer.secrets = new_secrets
        .into_iter()
        .map(|(id, s)| WebhookSecret {
            endpoint_id: format!("{bank_id}.{id}"),
            webhook: id,
            secret: s.secret,
        })
        .collect();
    Ok(http::json(200, &answer)?)
}

/// The bank's objects as a tenant file: 403 for another bank's key, 404 for no such bank.
pub async fn read(db: &D1Database, who: &Caller, bank_id: &str) -> Result<Response> {
    who.may(Operation::Read, Resource::Bank(bank_id))?;
    let loaded = store::load(db, bank_id, &[], &[]).await?;
    let Some(bank) = loaded.state.bank else {
        return Err(if loaded.bank_exists {
            Problem::bank_predates_tenant_files()
        } else {
            Problem::no_such_bank()
        }
        .into());
    };
    let view = BankView {
        tenant: TenantFile {
            bank,
            products: loaded.state.products.into_values().collect(),
            partners: loaded.state.partners.into_values().collect(),
            campaigns: loaded.state.campaigns.into_values().collect(),
            webhooks: loaded.state.webhooks.into_values().collect(),
        },
        catalogue_version: loaded.catalogue_version,
    };
    Ok(http::json(200, &view)?)
}

/// `?dry_run=true|false` (absent: false). Any other value, another parameter or `dry_run`
/// twice is refused rather than read as "apply": a caller who meant to look must not write.
fn dry_run(req: &Request) -> Result<bool> {
    match http::single_param(req, "dry_run")?.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(Problem::invalid_dry_run().into()),
    }
}
