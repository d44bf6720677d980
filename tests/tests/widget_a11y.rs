//! Keyboard-only use from the bubble to the results, and axe-core (from npm, injected into the
//! page) finding no violations inside the widget at each stage of the chat.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use inflow_tests::{paths, Browser, Worker};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

async fn press(b: &Browser, key: Key) {
    let k = char::from(key);
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: k })
        .then(KeyAction::Up { value: k });
    b.client.perform_actions(actions).await.expect("key press");
}

/// The element that has focus, looking through the widget's shadow root.
async fn focused(b: &Browser) -> Value {
    b.client
        .execute(
            "const a = document.activeElement; const h = document.querySelector('[data-inflow-widget]');\
             if (a !== h) return null; const e = h.shadowRoot.activeElement;\
             return e ? [e.className, e.dataset.choice || ''] : null;",
            vec![],
        )
        .await
        .expect("script")
}

async fn axe_violations(b: &Browser) -> Vec<String> {
    let v = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document.querySelector('[data-inflow-widget]'), { resultTypes: ['violations'] })\
               .then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.map(n => n.target.join(' ') + ': ' + (n.any[0] ? n.any[0].message : '')).join('; ') + ')')))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    serde_json::from_value(v).expect("list")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_only_and_no_axe_violations() {
    let worker = Worker::start().expect("wrangler dev starts");
    let b = Browser::start().await.expect("chromium starts");
    b.client
        .goto(&worker.url("/scenes/telehealth/"))
        .await
        .expect("open scene");
    let axe = std::fs::read_to_string(paths::root().join("node_modules/axe-core/axe.min.js"))
        .expect("npm ci installed axe-core");
    b.widget_element(".bubble", WAIT).await.expect("bubble");

    // Tab from the page into the widget until the bubble has focus, then open it with Enter.
    b.client
        .execute(
            "document.activeElement && document.activeElement.blur(); return true",
            vec![],
        )
        .await
        .expect("blur");
    let mut tabs = 0;
    while focused(&b).await != json!(["bubble", ""]) {
        press(&b, Key::Tab).await;
        tabs += 1;
        assert!(tabs < 200, "the bubble is reachable with Tab");
    }
    press(&b, Key::Enter).await;
    b.widget_element(".replies .reply", WAIT).await.expect("chat opens");

    // Answer every question with Tab and Enter/Space alone: focus follows the conversation.
    for i in 0..13 {
        let mut guard = 0;
        loop {
            let f = focused(&b).await;
            // Any reply will do, except declaring oneself a minor, which ends the chat.
            if f.get(0) == Some(&json!("reply")) && f.get(1) != Some(&json!("under_18")) {
                break;
            }
            press(&b, Key::Tab).await;
            guard += 1;
            assert!(guard < 20, "a reply is reachable by Tab at step {}", i + 1);
        }
        press(&b, if i % 2 == 0 { Key::Enter } else { Key::Space }).await;
        let start = std::time::Instant::now();
        while b.widget_count(".msg.me").await.expect("count") < i + 1 {
            assert!(start.elapsed() < WAIT, "answer {} registered", i + 1);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if i == 0 {
            b.client
                .execute(&format!("{axe}\nreturn true"), vec![])
                .await
                .expect("inject axe");
            assert_eq!(axe_violations(&b).await, Vec::<String>::new(), "questions");
        }
    }
    // Consent: the focus lands on "agree"; Tab reaches "decline".
    b.widget_element(".consent", WAIT).await.expect("consent step");
    let png = b.client.screenshot().await.expect("screenshot");
    std::fs::create_dir_all(paths::root().join("target/e2e-artifacts")).expect("dir");
    std::fs::write(paths::root().join("target/e2e-artifacts/consent.png"), png).expect("save");
    assert_eq!(axe_violations(&b).await, Vec::<String>::new(), "consent step");
    let mut guard = 0;
    while focused(&b).await.get(0) != Some(&json!("reply decline")) {
        press(&b, Key::Tab).await;
        guard += 1;
        assert!(guard < 20, "decline reachable");
    }
    press(&b, Key::Enter).await;
    b.widget_element(".card", WAIT).await.expect("results");
    assert_eq!(axe_violations(&b).await, Vec::<String>::new(), "results");

    // Escape closes and focus goes back to the bubble.
    press(&b, Key::Escape).await;
    assert_eq!(focused(&b).await, json!(["bubble", ""]));
    let log = b.widget_element(".log", WAIT).await.expect("log");
    assert_eq!(log.attr("aria-live").await.expect("attr").as_deref(), Some("polite"));
    b.close().await.expect("close browser");
}
