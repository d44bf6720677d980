//! Driving the chat the way a visitor does, shared by the browser tests.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use serde_json::{json, Value};

use crate::Browser;

/// How long any one step of a browser test may take.
pub const WAIT: Duration = Duration::from_secs(30);

/// One choice for each question, from core's reference lead; choice ids are unique across
/// questions, so the same list answers every scene's order.
pub const PICKS: [&str; 13] = {
    let mut picks = [""; 13];
    let mut i = 0;
    while i < picks.len() {
        picks[i] = inflow_core::lead::questionnaire::EXAMPLE[i].1;
        i += 1;
    }
    picks
};

pub async fn js(b: &Browser, script: &str) -> Result<Value> {
    Ok(b.client.execute(script, vec![]).await?)
}

/// Waits until `script` returns `true`.
pub async fn wait_for(b: &Browser, script: &str, what: &str) -> Result<()> {
    let start = Instant::now();
    while js(b, script).await? != json!(true) {
        if start.elapsed() > WAIT {
            bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Answers `n` more questions, whichever the widget is asking, and waits for each answer to
/// show in the log.
pub async fn answer(b: &Browser, n: usize) -> Result<()> {
    for _ in 0..n {
        let before = b.widget_count(".msg.me").await?;
        b.widget_element(".replies .reply", WAIT).await?;
        let mut clicked = false;
        for pick in PICKS {
            let sel = format!(".replies .reply[data-choice='{pick}']");
            if b.widget_count(&sel).await? == 1 {
                b.click_widget(&sel).await?;
                clicked = true;
                break;
            }
        }
        ensure!(clicked, "no known choice offered after {before} answers");
        let start = Instant::now();
        while b.widget_count(".msg.me").await? <= before {
            ensure!(start.elapsed() < WAIT, "answer {} not shown", before + 1);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Ok(())
}

/// After a lead is answered, the visitor presses "Delete my details" and the widget says
/// it is done ("Your details have been deleted."); the button is gone then.
pub async fn erase_from_widget(b: &Browser) -> Result<()> {
    let erase = b.widget_element(".erase", WAIT).await?;
    ensure!(erase.text().await? == "Delete my details", "the erase button's label");
    b.click_widget(".erase").await?;
    wait_for(
        b,
        "const r = document.querySelector('[data-inflow-widget]').shadowRoot;\
         const s = r.querySelector('.tools [role=status]'); return !!s && s.textContent === 'Your details have been deleted.'",
        "the widget says it is done",
    )
    .await?;
    ensure!(b.widget_count(".erase").await? == 0, "the erase button is gone");
    Ok(())
}

/// On the partner page at `site`: opens the widget, answers every question, agrees to be
/// contacted, types `contact` and sends it (Enter), and waits for the recommendations.
pub async fn consent_with_contact(b: &Browser, site: &str, contact: &str) -> Result<()> {
    b.client.goto(&format!("{site}/")).await?;
    b.click_widget(".bubble").await?;
    answer(b, PICKS.len()).await?;
    b.click_widget(".consent .agree").await?;
    let input = b.widget_element(".contact-input", WAIT).await?;
    input.send_keys(&format!("{contact}\n")).await?;
    b.widget_element(".card", WAIT).await?;
    Ok(())
}
