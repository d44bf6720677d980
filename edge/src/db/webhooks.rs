//! D1 for webhooks (migration 0020): endpoints, their signing secrets, and the delivery log.

use inflow_core::admin::api::SecretView;
use inflow_core::admin::secrets::PostbackSecret;
use inflow_core::webhook::delivery::DeliveryView;
use inflow_core::webhook::endpoint::{CheckedEndpoint, EndpointView};
use inflow_core::webhook::{EventType, OwnerKind};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, Result};

use super::query;

/// Most delivery rows one read answers.
pub const PAGE: i64 = 100;

/// An endpoint with its secrets (values included: the consumer signs with them).
pub struct Endpoint {
    pub view: EndpointView,
    pub secrets: Vec<PostbackSecret>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    owner_kind: String,
    owner_id: String,
    url: String,
    events: String,
    disable_after: u32,
    consecutive_failures: u32,
    disabled_at: Option<i64>,
    disabled_reason: Option<String>,
    created_at: i64,
}

#[derive(Deserialize)]
struct SecretRow {
    endpoint_id: String,
    id: String,
    secret: String,
    created_at: i64,
    expires_at: Option<i64>,
}

const COLUMNS: &str = "id, owner_kind, owner_id, url, events, disable_after, consecutive_failures, \
     disabled_at, disabled_reason, created_at";

fn owner_kind(s: &str) -> OwnerKind {
    if s == "partner" {
        OwnerKind::Partner
    } else {
        OwnerKind::Bank
    }
}

async fn with_secrets(db: &D1Database, rows: Vec<Row>) -> Result<Vec<Endpoint>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let ids = serde_json::to_string(&ids)?;
    let secrets: Vec<SecretRow> = query(
        db,
        "SELECT endpoint_id, id, secret, created_at, expires_at FROM webhook_secrets \
         WHERE endpoint_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at, id",
        &[(&ids).into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let secrets: Vec<PostbackSecret> = secrets
                .iter()
                .filter(|s| s.endpoint_id == r.id)
                .map(|s| PostbackSecret {
                    id: s.id.clone(),
                    secret: s.secret.clone(),
                    created_at: s.created_at,
                    expires_at: s.expires_at,
                })
                .collect();
            Endpoint {
                view: EndpointView {
                    owner_kind: owner_kind(&r.owner_kind),
                    events: serde_json::from_str(&r.events).unwrap_or_default(),
                    secrets: secrets.iter().map(SecretView::from).collect(),
                    id: r.id,
                    owner_id: r.owner_id,
                    url: r.url,
                    disable_after: r.disable_after,
                    consecutive_failures: r.consecutive_failures,
                    disabled_at: r.disabled_at,
                    disabled_reason: r.disabled_reason,
                    created_at: r.created_at,
                },
                secrets,
            }
        })
        .collect())
}

/// Every endpoint of an owner, oldest first.
pub async fn of_owner(db: &D1Database, kind: OwnerKind, owner: &str) -> Result<Vec<Endpoint>> {
    let rows: Vec<Row> = query(
        db,
        format!(
            "SELECT {COLUMNS} FROM webhook_endpoints WHERE owner_kind = ?1 AND owner_id = ?2 ORDER BY created_at, id"
        ),
        &[kind.as_str().into(), owner.into()],
    )?
    .all()
    .await?
    .results()?;
    with_secrets(db, rows).await
}

/// The endpoint `id`, whoever owns it (callers check the owner).
pub async fn by_id(db: &D1Database, id: &str) -> Result<Option<Endpoint>> {
    let row: Option<Row> = query(
        db,
        format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE id = ?1"),
        &[id.into()],
    )?
    .first(None)
    .await?;
    Ok(with_secrets(db, row.into_iter().collect()).await?.pop())
}

/// The ids of the owner's enabled endpoints that subscribe to `event`.
pub async fn subscribed(db: &D1Database, kind: OwnerKind, owner: &str, event: EventType) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let rows: Vec<Id> = query(
        db,
        "SELECT id FROM webhook_endpoints WHERE owner_kind = ?1 AND owner_id = ?2 AND disabled_at IS NULL \
         AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = ?3) ORDER BY created_at, id",
        &[kind.as_str().into(), owner.into(), event.as_str().into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The statement registering endpoint `id` for an owner.
pub fn insert(
    db: &D1Database,
    id: &str,
    kind: OwnerKind,
    owner: &str,
    e: &CheckedEndpoint,
    now: i64,
) -> Result<D1PreparedStatement> {
    let events: Vec<&str> = e.events.iter().map(|t| t.as_str()).collect();
    let events = serde_json::to_string(&events)?;
    query(
        db,
        "INSERT INTO webhook_endpoints (id, owner_kind, owner_id, url, events, disable_after, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            id.into(),
            kind.as_str().into(),
            owner.into(),
            (&e.url).into(),
            (&events).into(),
            i64::from(e.disable_after).into(),
            now.into(),
        ],
    )
}

/// The statement adding secret `s` to endpoint `endpoint_id`.
pub fn insert_secret(db: &D1Database, endpoint_id: &str, s: &PostbackSecret) -> Result<D1PreparedStatement> {
    query(
        db,
        "INSERT INTO webhook_secrets (endpoint_id, id, secret, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            endpoint_id.into(),
            (&s.id).into(),
            (&s.secret).into(),
            s.created_at.into(),
            s.expires_at.into(),
        ],
    )
}

/// The statement setting a secret's expiry.
pub fn expire_secret(db: &D1Database, endpoint_id: &str, id: &str, at: i64) -> Result<D1PreparedStatement> {
    query(
        db,
        "UPDATE webhook_secrets SET expires_at = ?3 WHERE endpoint_id = ?1 AND id = ?2",
        &[endpoint_id.into(), id.into(), at.into()],
    )
}

/// The statement enabling an endpoint again, its failures forgotten.
pub fn enable(db: &D1Database, id: &str) -> Result<D1PreparedStatement> {
    query(
        db,
        "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, consecutive_failures = 0 \
         WHERE id = ?1",
        &[id.into()],
    )
}

/// One row of the delivery log.
pub struct Logged<'a> {
    pub endpoint_id: &'a str,
    /// The `webhook-id`.
    pub message_id: &'a str,
    pub event: EventType,
    /// `delivered`, `failed`, `dead` or `skipped`.
    pub outcome: &'a str,
    pub status: Option<u16>,
    pub error: Option<&'a str>,
}

/// Logs one attempt (or a give-up: `dead`, `skipped`) at `now` and answers its number, 1 for
/// the first row of this message to this endpoint.
pub async fn log(db: &D1Database, l: &Logged<'_>, now: i64) -> Result<u32> {
    #[derive(Deserialize)]
    struct Attempt {
        attempt: u32,
    }
    let row: Option<Attempt> = query(
        db,
        include_str!("webhooks/deliveries.sql"),
        &[
            l.endpoint_id.into(),
            l.message_id.into(),
            l.event.as_str().into(),
            now.into(),
            l.outcome.into(),
            l.status.map(i64::from).into(),
            l.error.into(),
        ],
    )?
    .first(None)
    .await?;
    Ok(row.map_or(1, |r| r.attempt))
}

/// Counts a failure; answers the endpoint's consecutive failures and its `disable_after`
/// (`None`: it no longer exists). One statement, so concurrent consumers do not lose a count.
pub async fn failed(db: &D1Database, id: &str) -> Result<Option<(u32, u32)>> {
    #[derive(Deserialize)]
    struct Counts {
        consecutive_failures: u32,
        disable_after: u32,
    }
    let row: Option<Counts> = query(
        db,
        "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = ?1 \
         RETURNING consecutive_failures, disable_after",
        &[id.into()],
    )?
    .first(None)
    .await?;
    Ok(row.map(|r| (r.consecutive_failures, r.disable_after)))
}

/// A success: the run of failures is over.
pub async fn succeeded(db: &D1Database, id: &str) -> Result<()> {
    query(
        db,
        "UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ?1 AND consecutive_failures != 0",
        &[id.into()],
    )?
    .run()
    .await?;
    Ok(())
}

/// Disables an enabled endpoint, saying why.
pub async fn disable(db: &D1Database, id: &str, reason: &str, now: i64) -> Result<()> {
    query(
        db,
        "UPDATE webhook_endpoints SET disabled_at = ?2, disabled_reason = ?3 WHERE id = ?1 AND disabled_at IS NULL",
        &[id.into(), now.into(), reason.into()],
    )?
    .run()
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct DeliveryRow {
    seq: i64,
    endpoint_id: String,
    message_id: String,
    event_type: String,
    attempt: u32,
    at: i64,
    outcome: String,
    status: Option<u16>,
    error: Option<String>,
}

/// Up to [`PAGE`] log rows of an endpoint with `seq > after`, oldest first.
pub async fn deliveries(db: &D1Database, endpoint_id: &str, after: i64) -> Result<Vec<DeliveryView>> {
    let rows: Vec<DeliveryRow> = query(
        db,
        "SELECT seq, endpoint_id, message_id, event_type, attempt, at, outcome, status, error \
         FROM webhook_deliveries WHERE endpoint_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        &[endpoint_id.into(), after.into(), PAGE.into()],
    )?
    .all()
    .await?
    .results()?;
    Ok(rows
        .into_iter()
        .map(|r| DeliveryView {
            seq: r.seq,
            endpoint_id: r.endpoint_id,
            message_id: r.message_id,
            event_type: r.event_type,
            attempt: r.attempt,
            at: r.at,
            outcome: r.outcome,
            status: r.status,
            error: r.error,
        })
        .collect())
}
