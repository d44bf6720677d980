//! The whole product in a real browser: each demo scene embeds the widget with one script tag;
//! a visitor opens it, answers every question and sees recommendation cards with reasons; the
//! lead lands in D1 exactly once with the page's partner and scene.

use inflow_tests::{paths, Browser, Worker};

/// The choice to click for each question, whatever order the scene asks them in.
use inflow_tests::chat::{self, WAIT};

/// Answers every question, then either declines contact or agrees and gives a phone number
/// (after one invalid try, which must be refused in the chat).
async fn complete_chat(b: &Browser, contact: Option<&str>) -> anyhow::Result<()> {
    b.click_widget(".bubble").await?;
    chat::answer(b, chat::PICKS.len()).await?;
    match contact {
        None => b.widget_element(".consent .decline", WAIT).await?.click().await?,
        Some(phone) => {
            b.click_widget(".consent .agree").await?;
            let input = b.widget_element(".contact-input", WAIT).await?;
            input.send_keys("not a phone").await?;
            b.click_widget(".contact .send").await?;
            b.widget_element(".contact-error", WAIT).await?;
            input.clear().await?;
            input.send_keys(phone).await?;
            b.click_widget(".contact .send").await?;
        }
    }
    b.widget_element(".card", WAIT).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scene_turns_a_chat_into_one_stored_lead() {
    let worker = Worker::start().expect("wrangler dev starts");
    let browser = Browser::start().await.expect("chromium starts");
    let artifacts = paths::root().join("target/e2e-artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifact dir");

    let scenes = [
        ("education", "edu-demo"),
        ("gaming", "game-demo"),
        ("telehealth", "health-demo"),
    ];
    for (scene, _) in scenes {
        let c = &browser.client;
        c.goto(&worker.url(&format!("/scenes/{scene}/")))
            .await
            .expect("open scene");
        // The page embeds the widget with exactly one script tag.
        let tags = c
            .execute(
                "return document.querySelectorAll('script[src$=\"/widget.js\"]').length",
                vec![],
            )
            .await
            .expect("count script tags");
        assert_eq!(tags, 1, "{scene}");
        let contact = (scene == "education").then_some("138 0013 8000");
        complete_chat(&browser, contact)
            .await
            .unwrap_or_else(|e| panic!("{scene}: {e:#}"));

        let cards = browser.widget_count(".card").await.expect("cards");
        assert!((1..=3).contains(&cards), "{scene}: {cards} cards");
        let reasons = browser.widget_count(".card .reason").await.expect("reasons");
        assert!(reasons >= cards, "{scene}: every card has reasons");
        let step = browser
            .widget_element(".step", WAIT)
            .await
            .expect("step counter")
            .text()
            .await
            .expect("step text");
        assert_eq!(step, "Step 16 of 16", "{scene}: the result is the last step");
        // Each card's apply link goes through the edge's signed click-out to the bank.
        let href = browser
            .widget_element(".card a.apply", WAIT)
            .await
            .expect("apply link")
            .attr("href")
            .await
            .expect("href")
            .unwrap_or_default();
        assert!(href.starts_with(&worker.url("/c/")), "{scene}: {href}");
        let clicked = inflow_tests::bank::click(&href, "Mozilla/5.0 widget-flow");
        assert_eq!(clicked.status, 302, "{scene}: {clicked:?}");
        assert!(inflow_tests::bank::click_id(&clicked).len() >= 32, "{scene}");
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(artifacts.join(format!("{scene}.png")), png).expect("save screenshot");
    }
    browser.close().await.expect("close browser");

    let rows = worker
        .d1("SELECT partner_id, scene, COUNT(*) AS n FROM leads GROUP BY partner_id, scene ORDER BY scene")
        .expect("query D1");
    let got: Vec<(String, String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["partner_id"].as_str().unwrap_or_default().to_string(),
                r["scene"].as_str().unwrap_or_default().to_string(),
                r["n"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> = scenes
        .iter()
        .map(|(scene, partner)| (partner.to_string(), scene.to_string(), 1))
        .collect();
    assert_eq!(got, want);
    let clicks = worker
        .d1("SELECT COUNT(DISTINCT partner_id) AS n FROM clicks")
        .expect("query D1");
    assert_eq!(clicks[0]["n"].as_u64(), Some(3), "one click-out per scene's partner");
}
