//! Retrying a send that failed for want of a network: a timer with exponential back-off, and the
//! browser's `online` event, whichever fires first.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Keeps the timer and the listener alive; dropping it cancels both.
pub struct Scheduled {
    timer: i32,
    on_timer: Closure<dyn FnMut()>,
    on_online: Closure<dyn FnMut()>,
}

impl Drop for Scheduled {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.timer);
            let _ = w.remove_event_listener_with_callback("online", self.on_online.as_ref().unchecked_ref());
        }
        let _ = &self.on_timer;
    }
}

/// Seconds to wait before retry number `attempts`: 1, 2, 4 … capped at 30.
pub fn backoff_ms(attempts: u32) -> i32 {
    1000 * (1i32 << attempts.saturating_sub(1).min(5)).min(30)
}

pub fn schedule(active: bool, attempts: u32, retry: impl Fn() + 'static) -> Option<Scheduled> {
    if !active {
        return None;
    }
    let window = web_sys::window()?;
    let retry = Rc::new(retry);
    let fired = Rc::new(Cell::new(false));
    let once = {
        let fired = fired.clone();
        move || {
            if !fired.replace(true) {
                retry();
            }
        }
    };
    let on_timer = Closure::<dyn FnMut()>::new({
        let once = once.clone();
        move || once()
    });
    let on_online = Closure::<dyn FnMut()>::new(once);
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(on_timer.as_ref().unchecked_ref(), backoff_ms(attempts))
        .ok()?;
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    Some(Scheduled {
        timer,
        on_timer,
        on_online,
    })
}
