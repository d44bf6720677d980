//! The offer of a (partner, scene) for the lead path and the widget route, kept per isolate:
//! catalogues and campaigns change rarely and leads arrive often, so an isolate re-reads an
//! offer at most every [`CACHE_SECS`] (one D1 statement) and rebuilds it only when its version
//! changed. A warm lead reads nothing from D1 for its products, consent or links; a catalogue
//! or campaign change is served within a minute, without a redeploy.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use inflow_core::lead::offer::{self, Offer};
use inflow_core::Scene;
use worker::Env;

use crate::db;
use crate::error::Result;
use crate::runtime;

/// How long an isolate serves an offer before re-reading its version, in seconds; the
/// `OFFER_CACHE_SECS` variable may shorten it (tests do), never lengthen it. Browsers keep the
/// widget's configuration as long (`max-age`), so a change reaches every visitor within twice
/// this: one minute, as the issue promises (it was 60 + 60 s).
pub const CACHE_SECS: i64 = 30;

/// Past this many cached (partner, scene) pairs the cache starts again: partner ids come from
/// requests, and an isolate's memory is not theirs to fill.
const MAX_ENTRIES: usize = 1_000;

/// What an isolate serves for a (partner, scene).
#[derive(Debug)]
pub struct Served {
    /// Whether the partner exists (a lead from one that does not is `unknown_partner`).
    pub partner_known: bool,
    /// `None`: nothing is offered there (`no_campaign`).
    pub offer: Option<Offer>,
    /// The offer's widget configuration as its JSON body.
    pub config_json: Option<String>,
}

struct Entry {
    checked_at: i64,
    version: String,
    served: Rc<Served>,
}

thread_local! {
    static OFFERS: RefCell<HashMap<(String, Scene), Entry>> = RefCell::new(HashMap::new());
}

/// The offer of (`partner`, `scene`), from this isolate's cache when it was checked less than
/// [`CACHE_SECS`] ago, else read again from D1 (and rebuilt only if its version changed).
pub async fn of(env: &Env, partner: &str, scene: Scene) -> Result<Rc<Served>> {
    let now = runtime::now();
    let ttl = cache_secs(env);
    let key = (partner.to_string(), scene);
    let fresh = OFFERS.with(|c| {
        c.borrow()
            .get(&key)
            .filter(|e| now - e.checked_at < ttl)
            .map(|e| e.served.clone())
    });
    if let Some(served) = fresh {
        return Ok(served);
    }
    let (version, rows) = db::offer::read(env, partner, scene.as_str()).await?;
    let unchanged = OFFERS.with(|c| {
        c.borrow()
            .get(&key)
            .filter(|e| e.version == version)
            .map(|e| e.served.clone())
    });
    let served = match unchanged {
        Some(served) => served,
        None => {
            let built = offer::build(partner, scene, &rows);
            for why in &built.skipped {
                worker::console_warn!("offer {partner}/{}: {why}", scene.as_str());
            }
            let config_json = match &built.offer {
                Some(o) => Some(serde_json::to_string(&o.config)?),
                None => None,
            };
            Rc::new(Served {
                partner_known: rows.partner_known,
                offer: built.offer,
                config_json,
            })
        }
    };
    OFFERS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= MAX_ENTRIES && !c.contains_key(&key) {
            c.clear();
        }
        c.insert(
            key,
            Entry {
                checked_at: now,
                version,
                served: served.clone(),
            },
        );
    });
    Ok(served)
}

/// [`CACHE_SECS`], or `OFFER_CACHE_SECS` when set to a number from 0 to it.
fn cache_secs(env: &Env) -> i64 {
    env.var("OFFER_CACHE_SECS")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .map_or(CACHE_SECS, |s| s.clamp(0, CACHE_SECS))
}
