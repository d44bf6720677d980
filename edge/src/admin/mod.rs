//! `/v1/admin/`: tenants, keys, postback secrets, webhook endpoints and the audit log (issues
//! 13, 14). Every request
//! names its caller by key ([`caller`]); every decision — who may do what, whether a tenant
//! file is valid, what it changes — is core's (`inflow_core::admin`, `inflow_core::tenant`).
//! Every write goes to D1 in one batch with its audit rows.

mod audit;
mod keys;
mod secrets;
mod tenants;
mod webhooks;

use inflow_core::admin::{authorize, keys as core_keys, KeyRefused, Operation, Principal, Resource};
use inflow_core::api::bearer_token;
use inflow_core::routes::AdminRoute;
use inflow_core::webhook::OwnerKind;
use inflow_core::Problem;
use worker::{D1Database, Env, Request, Response};

use crate::error::Result;
use crate::{db, http, runtime};

/// Largest admin request body: a tenant file with a few hundred products.
pub const MAX_ADMIN_BYTES: usize = 512 * 1024;

/// Who calls, and the id the audit log names it by. The reports route resolves its report keys
/// through [`caller`] too, so a key's validity is decided in one place (`KeyRecord::authenticate`).
pub struct Caller {
    pub principal: Principal,
    /// `operator`, or the key's public id.
    pub key_id: String,
}

impl Caller {
    /// [`authorize`], as a 403 naming the reason.
    fn may(&self, access: Operation, what: Resource<'_>) -> Result<()> {
        Ok(authorize(&self.principal, access, what).map_err(Problem::from)?)
    }
}

/// The caller of `req`: the operator (`ADMIN_KEY`), an API key that is neither revoked nor
/// expired, or a report key (which every admin route then refuses with 403).
///
/// # Errors
/// 401 `unauthorized` without a key, with an unknown key, or with a revoked or expired one
/// (saying which).
pub async fn caller(req: &Request, env: &Env, db: &D1Database, now: i64) -> Result<Caller> {
    let header = req.headers().get("authorization")?.unwrap_or_default();
    let unknown = || Problem::from(KeyRefused::Unknown);
    let token = bearer_token(&header).ok_or_else(unknown)?;
    // No ADMIN_KEY set: no operator (operator_matches refuses short and empty keys).
    let admin_key = env.secret("ADMIN_KEY").map(|s| s.to_string()).unwrap_or_default();
    if core_keys::operator_matches(token, &admin_key) {
        return Ok(Caller {
            principal: Principal::Operator,
            key_id: "operator".into(),
        });
    }
    let hash = core_keys::token_hash(token);
    if core_keys::token_id(token).is_some() {
        let record = db::keys::by_hash(db, &hash).await?.ok_or_else(unknown)?;
        let principal = record.authenticate(token, now).map_err(Problem::from)?;
        db::keys::touch(db, &record.id, now).await?;
        return Ok(Caller {
            principal,
            key_id: record.id,
        });
    }
    match db::keys::legacy_report_key(db, &hash).await? {
        Some((kind, owner)) => Ok(Caller {
            principal: match kind {
                core_keys::KeyKind::PartnerReport => Principal::PartnerReport(owner),
                core_keys::KeyKind::BankReport => Principal::BankReport(owner),
                // Legacy keys are report keys only (db::keys::legacy_report_key).
                core_keys::KeyKind::BankAdmin => return Err(unknown().into()),
            },
            key_id: "legacy-report-key".into(),
        }),
        None => Err(unknown().into()),
    }
}

/// Answers `route` for `method` (GET, HEAD or POST; the router has checked it is allowed).
pub async fn serve(req: &mut Request, env: &Env, route: &AdminRoute, method: &str) -> Result<Response> {
    let now = runtime::now();
    let db = db::open(env)?;
    let who = caller(req, env, &db, now).await?;
    let post = method == "POST";
    match route {
        AdminRoute::Tenants => tenants::apply(req, &db, &who, now).await,
        AdminRoute::Bank(b) => tenants::read(&db, &who, b).await,
        AdminRoute::BankKeys(b) if post => keys::create(req, &db, &who, keys::owner_bank(b), now).await,
        AdminRoute::BankKeys(b) => keys::list(&db, &who, keys::owner_bank(b)).await,
        AdminRoute::PartnerKeys(p) if post => keys::create(req, &db, &who, keys::owner_partner(p), now).await,
        AdminRoute::PartnerKeys(p) => keys::list(&db, &who, keys::owner_partner(p)).await,
        AdminRoute::RevokeKey(id) => keys::revoke(&db, &who, id, now).await,
        AdminRoute::Secrets(b) if post => secrets::rotate(req, &db, &who, b, now).await,
        AdminRoute::Secrets(b) => secrets::list(&db, &who, b).await,
        AdminRoute::BankAudit(b) => audit::read(req, &db, &who, Some(b)).await,
        AdminRoute::Audit => audit::read(req, &db, &who, None).await,
        AdminRoute::BankWebhooks(b) if post => webhooks::register(req, &db, &who, OwnerKind::Bank, b, now).await,
        AdminRoute::BankWebhooks(b) => webhooks::list(&db, &who, OwnerKind::Bank, b).await,
        AdminRoute::PartnerWebhooks(p) if post => webhooks::register(req, &db, &who, OwnerKind::Partner, p, now).await,
        AdminRoute::PartnerWebhooks(p) => webhooks::list(&db, &who, OwnerKind::Partner, p).await,
        AdminRoute::WebhookSecrets(w) => webhooks::rotate(req, &db, &who, w, now).await,
        AdminRoute::EnableWebhook(w) => webhooks::enable(&db, &who, w, now).await,
        AdminRoute::WebhookDeliveries(w) => webhooks::deliveries(req, &db, &who, w).await,
    }
}

/// A JSON request body, parsed as an object into `T` (400/413/415 problems otherwise).
async fn body<T: serde::de::DeserializeOwned>(req: &mut Request, accepts: http::Accepts) -> Result<Option<T>> {
    let bytes = http::json_body(req, MAX_ADMIN_BYTES, accepts).await?;
    if bytes.is_empty() {
        return Ok(None);
    }
    Ok(Some(inflow_core::api::parse_object(&bytes)?))
}

/// Random bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
fn random<const N: usize>() -> worker::Result<[u8; N]> {
    use worker::js_sys;
    use worker::wasm_bindgen::{JsCast, JsValue};
    let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?;
    let f: js_sys::Function = js_sys::Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))?
        .dyn_into()
        .map_err(|_| worker::Error::RustError("crypto.getRandomValues is missing".into()))?;
    let buf = js_sys::Uint8Array::new_with_length(N as u32);
    f.call1(&crypto, &buf)?;
    let mut out = [0u8; N];
    buf.copy_to(&mut out);
    Ok(out)
}
