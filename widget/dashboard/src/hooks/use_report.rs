use std::cell::RefCell;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::services::{api, session};
use crate::types::{Filters, Load, LoadError};

/// What the form sends: the query and whether to keep the key for this tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submit {
    pub filters: Filters,
    pub remember: bool,
}

/// The loaded report and the callback that loads one. A newer load wins over an older one
/// that answers late.
#[hook]
pub fn use_report() -> (Load, Callback<Submit>) {
    let state = use_state(|| Load::Idle);
    let latest: Rc<RefCell<u64>> = use_mut_ref(|| 0);
    let load = {
        let state = state.clone();
        use_callback((), move |submit: Submit, _| {
            let mine = {
                let mut n = latest.borrow_mut();
                *n += 1;
                *n
            };
            if submit.filters.from > submit.filters.to {
                state.set(Load::Failed(LoadError::Range));
                return;
            }
            session::keep(&submit.filters.key, submit.remember);
            state.set(Load::Loading);
            let (state, latest) = (state.clone(), latest.clone());
            spawn_local(async move {
                let result = api::dashboard(submit.filters).await;
                if *latest.borrow() != mine {
                    return;
                }
                state.set(match result {
                    Ok(d) => Load::Ready(Rc::new(d)),
                    Err(e) => {
                        if e == LoadError::Unauthorized {
                            // A key the edge does not know is not worth keeping.
                            session::keep("", false);
                        }
                        Load::Failed(e)
                    }
                });
            });
        })
    };
    ((*state).clone(), load)
}
