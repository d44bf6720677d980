use std::rc::Rc;

use inflow_core::report::zone::{Zone, DEFAULT_ZONE};
use yew::prelude::*;

use crate::services::{page, session};

/// What the form starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// A key kept earlier in this tab, if the user asked for that.
    pub key: Option<String>,
    pub from: String,
    pub to: String,
    pub tz: String,
}

/// The last 30 days in the default zone (Asia/Shanghai), read once per page.
#[hook]
pub fn use_defaults() -> Rc<Defaults> {
    use_memo((), |_| {
        let (from, to) = match Zone::parse(DEFAULT_ZONE) {
            Ok(zone) => page::last_30_days(&zone),
            Err(_) => (String::new(), String::new()),
        };
        Defaults {
            key: session::load(),
            from,
            to,
            tz: DEFAULT_ZONE.into(),
        }
    })
}
