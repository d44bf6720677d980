//! Delivering one event to one endpoint: what counts as delivered, when to try again
//! (exponential back-off with jitter, through the queue's `retry` delay), when an endpoint is
//! disabled, and the delivery log's rows.

use serde::{Deserialize, Serialize};

/// Delay before the second attempt when the operator sets none (`WEBHOOK_RETRY_BASE_SECS`).
pub const DEFAULT_RETRY_BASE_SECS: u32 = 30;
/// Longest delay a Queues retry may ask for: 12 hours.
pub const MAX_RETRY_DELAY_SECS: u32 = 43_200;

/// Seconds before attempt `failed + 1`, after `failed` (≥ 1) failed attempts: `base`, doubled
/// per failure, capped at [`MAX_RETRY_DELAY_SECS`], then "equal jitter" — half of it fixed,
/// the other half uniform from `random` — so endpoints that failed together are not all
/// retried in the same second.
pub fn retry_delay(failed: u32, base: u32, random: u32) -> u32 {
    let doubled = 1u32.checked_shl(failed.saturating_sub(1)).unwrap_or(u32::MAX);
    let full = base.saturating_mul(doubled).min(MAX_RETRY_DELAY_SECS);
    let half = full / 2;
    half + random % (full - half + 1)
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The endpoint answered 2xx.
    Delivered(u16),
    /// Any other status, or no answer (`status` `None`); `why` is logged, never the body.
    Failed { status: Option<u16>, why: String },
}

impl Attempt {
    /// The attempt from the endpoint's status, or the fetch's failure.
    pub fn from_status(status: Result<u16, &str>) -> Attempt {
        match status {
            Ok(s) if (200..300).contains(&s) => Attempt::Delivered(s),
            Ok(s) => Attempt::Failed {
                status: Some(s),
                why: format!("HTTP {s}"),
            },
            Err(e) => Attempt::Failed {
                status: None,
                why: format!("no answer: {}", e.chars().take(200).collect::<String>()),
            },
        }
    }
}

/// The reason an endpoint is disabled after its `failures`-th consecutive failure, or `None`
/// while `failures < disable_after`.
pub fn disable_reason(failures: u32, disable_after: u32, last: &str) -> Option<String> {
    (failures >= disable_after).then(|| format!("{failures} consecutive failed deliveries; last: {last}"))
}

/// A row of the delivery log (`GET /v1/admin/webhooks/{id}/deliveries`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Increasing; `?after=` takes the last one read.
    pub seq: i64,
    pub endpoint_id: String,
    /// The `webhook-id`.
    pub message_id: String,
    pub event_type: String,
    /// 1 for the first attempt of this message to this endpoint.
    pub attempt: u32,
    /// Unix seconds.
    pub at: i64,
    /// `delivered`, `failed`, `dead` (the queue gave up: it is in the dead-letter queue) or
    /// `skipped` (the endpoint was disabled or removed).
    pub outcome: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// A page of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliveries {
    pub deliveries: Vec<DeliveryView>,
    /// The `seq` to pass as `?after=` for the next page; `None` when this page is the last.
    pub next: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_within_jitter_and_stops_at_the_cap() {
        for failed in 1..=20u32 {
            let full = (30u64 << (failed - 1)).min(u64::from(MAX_RETRY_DELAY_SECS)) as u32;
            let (lo, hi) = (retry_delay(failed, 30, 0), retry_delay(failed, 30, full - full / 2));
            assert_eq!((lo, hi), (full / 2, full), "{failed}");
            for r in [1, 7, 1_000_003, u32::MAX] {
                let d = retry_delay(failed, 30, r);
                assert!((lo..=hi).contains(&d), "{failed} {r} {d}");
            }
        }
        assert!(retry_delay(u32::MAX, u32::MAX, u32::MAX) <= MAX_RETRY_DELAY_SECS);
        assert_eq!(retry_delay(1, 0, 5), 0, "a zero base retries at once (tests)");
        assert!((1..=2).contains(&retry_delay(2, 1, 12345)));
    }

    #[test]
    fn only_2xx_delivers_and_the_nth_failure_disables() {
        assert_eq!(Attempt::from_status(Ok(204)), Attempt::Delivered(204));
        for s in [199, 301, 404, 500] {
            assert!(matches!(Attempt::from_status(Ok(s)), Attempt::Failed { status: Some(x), .. } if x == s));
        }
        assert!(matches!(
            Attempt::from_status(Err("refused")),
            Attempt::Failed { status: None, .. }
        ));
        assert_eq!(disable_reason(2, 3, "HTTP 500"), None);
        assert_eq!(
            disable_reason(3, 3, "HTTP 500").as_deref(),
            Some("3 consecutive failed deliveries; last: HTTP 500")
        );
    }
}
