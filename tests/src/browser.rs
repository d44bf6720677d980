//! Headless Chromium driven by chromedriver over W3C WebDriver (fantoccini).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

use crate::{free_port, paths};

/// The key WebDriver uses to serialise an element returned from a script.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    pub client: Client,
    /// chromedriver's address, for the Chromium-only commands fantoccini does not wrap.
    driver_url: String,
    driver: Child,
    profile: std::path::PathBuf,
}

impl Browser {
    pub async fn start() -> Result<Browser> {
        let port = free_port()?;
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Its own process group, so that ending it ends the Chromium it started too.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting chromedriver (apt-get install chromium-driver)")?;
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while ureq::get(&format!("{url}/status")).call().is_err() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = driver.kill();
                bail!("chromedriver did not start");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = paths::scratch(&format!("chrome-{port}"));
        std::fs::create_dir_all(&profile)?;
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .context("opening a WebDriver session")?;
        Ok(Browser {
            client,
            driver_url: url,
            driver,
            profile,
        })
    }

    /// Runs `script` in the page and returns the element it returns, so that shadow-DOM
    /// elements can be clicked and read with real WebDriver commands.
    pub async fn element_by_script(&self, script: &str, args: Vec<Value>) -> Result<Option<Element>> {
        let v = self.client.execute(script, args).await?;
        match v.get(ELEMENT_KEY).and_then(Value::as_str) {
            Some(id) => Ok(Some(Element::from_element_id(
                self.client.clone(),
                ElementRef::from(id.to_string()),
            ))),
            None if v.is_null() => Ok(None),
            None => Err(anyhow!("script returned {v}, not an element")),
        }
    }

    /// Waits until `selector` matches inside the widget's shadow root, and returns the match.
    pub async fn widget_element(&self, selector: &str, timeout: Duration) -> Result<Element> {
        let script = "const h = document.querySelector('[data-inflow-widget]');\
                      return h && h.shadowRoot ? h.shadowRoot.querySelector(arguments[0]) : null;";
        let start = Instant::now();
        loop {
            if let Some(e) = self.element_by_script(script, vec![json!(selector)]).await? {
                return Ok(e);
            }
            if start.elapsed() > timeout {
                bail!("no '{selector}' in the widget after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for `selector` inside the widget and clicks it with a real WebDriver click.
    pub async fn click_widget(&self, selector: &str) -> Result<()> {
        // As a visitor would: wait until the element is there and can be clicked. One found
        // while the panel is still being drawn (hidden, or replaced by the next render) is
        // looked up again, never clicked through JavaScript.
        let limit = Duration::from_secs(30);
        let start = std::time::Instant::now();
        loop {
            let e = self.widget_element(selector, limit).await?;
            match e.click().await {
                Ok(()) => return Ok(()),
                Err(err) if start.elapsed() < limit && is_not_ready(&err) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }

    /// Counts matches of `selector` inside the widget's shadow root.
    pub async fn widget_count(&self, selector: &str) -> Result<usize> {
        let script = "const h = document.querySelector('[data-inflow-widget]');\
                      return h && h.shadowRoot ? h.shadowRoot.querySelectorAll(arguments[0]).length : 0;";
        let v = self.client.execute(script, vec![json!(selector)]).await?;
        Ok(v.as_u64().unwrap_or(0) as usize)
    }

    /// Runs a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`), e.g.
    /// `Input.dispatchKeyEvent` for trusted key events WebDriver cannot describe (an input
    /// method's keyCode 229).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let session = self.client.session_id().await?.ok_or_else(|| anyhow!("no session"))?;
        let url = format!("{}/session/{session}/goog/cdp/execute", self.driver_url);
        let body = json!({ "cmd": cmd, "params": params });
        let resp = tokio::task::spawn_blocking(move || ureq::post(&url).send_json(body).map_err(Box::new)).await??;
        Ok(resp.into_json::<Value>()?["value"].take())
    }

    /// Ends the WebDriver session; dropping the browser then stops chromedriver.
    pub async fn close(self) -> Result<()> {
        let closed = self.client.clone().close().await;
        drop(self);
        closed.map_err(Into::into)
    }
}

/// A test that panics never reaches `close`: chromedriver and its Chromium are stopped here
/// either way, so a failed test leaves no browser running.
impl Drop for Browser {
    fn drop(&mut self) {
        crate::stop_group(&mut self.driver);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A click refused because the element is not ready for it yet (not displayed, or replaced).
fn is_not_ready(err: &fantoccini::error::CmdError) -> bool {
    let text = err.to_string();
    text.contains("element not interactable") || text.contains("stale element")
}
