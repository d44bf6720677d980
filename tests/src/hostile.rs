//! The hostile-host kit (`tests/hostile/`): partner pages on another origin that carry the
//! scripts and styles real sites do, loaded before the widget's loader as a host's own are.

use anyhow::Result;

use crate::fixture::{self, File};
use crate::{Browser, Worker};

/// One page of the kit: its path, the kit files its head loads, and whether it embeds the
/// widget (`data-lang` when given, else the browser's languages decide).
pub struct Page {
    pub path: &'static str,
    pub kit: &'static [&'static str],
    pub widget: bool,
    pub lang: Option<&'static str>,
}

/// The kit's files, served under `/hostile/`.
const KIT: [(&str, &str, &str); 6] = [
    (
        "/hostile/prototype.js",
        "text/javascript",
        include_str!("../hostile/prototype.js"),
    ),
    (
        "/hostile/fetch-wrapper.js",
        "text/javascript",
        include_str!("../hostile/fetch-wrapper.js"),
    ),
    (
        "/hostile/shortcuts.js",
        "text/javascript",
        include_str!("../hostile/shortcuts.js"),
    ),
    (
        "/hostile/root-font.css",
        "text/css",
        include_str!("../hostile/root-font.css"),
    ),
    (
        "/hostile/network.js",
        "text/javascript",
        include_str!("../hostile/network.js"),
    ),
    (
        "/hostile/console.js",
        "text/javascript",
        include_str!("../hostile/console.js"),
    ),
];

/// Serves `pages` (and the kit) on a new origin; the widget's loader comes from `edge` for the
/// demo partner `edu-demo`. Returns the origin.
pub fn serve(edge: &str, pages: &[Page]) -> Result<String> {
    let mut files: Vec<File> = KIT
        .iter()
        .map(|&(path, content_type, body)| File {
            path,
            content_type,
            body: body.to_string(),
        })
        .collect();
    for p in pages {
        let head: String = p
            .kit
            .iter()
            .map(|k| match k.rsplit_once('.') {
                Some((_, "css")) => format!("<link rel=\"stylesheet\" href=\"/hostile/{k}\">"),
                _ => format!("<script src=\"/hostile/{k}\"></script>"),
            })
            .collect();
        let lang = p.lang.map(|l| format!(" data-lang=\"{l}\"")).unwrap_or_default();
        let widget = if p.widget {
            format!("<script async src=\"{edge}/widget.js\" data-partner=\"edu-demo\" data-scene=\"education\"{lang}></script>")
        } else {
            String::new()
        };
        files.push(File {
            path: p.path,
            content_type: "text/html; charset=utf-8",
            body: format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Partner</title>{head}</head>\
                 <body><main><p id=\"host-text\">A partner's page.</p></main>{widget}</body></html>"
            ),
        });
    }
    // A page of the same origin without the widget: where a test forgets the session with no
    // widget alive to write it back (see `forget_session`).
    files.push(File {
        path: BLANK,
        content_type: "text/html; charset=utf-8",
        body: "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Blank</title></head><body></body></html>".into(),
    });
    fixture::serve(files, vec![])
}

const BLANK: &str = "/blank-without-widget";

/// Forgets the widget's session on `site` (sessionStorage is per tab and origin), from a page
/// of that origin with no widget on it: a live widget could write its state back between a
/// clear and the next navigation (its retry timer firing, say), and the next page would then
/// open the old chat. The caller navigates to its page next.
pub async fn forget_session(b: &Browser, site: &str) -> Result<()> {
    b.client.goto(&format!("{site}{BLANK}")).await?;
    b.client.execute("sessionStorage.clear(); return true", vec![]).await?;
    Ok(())
}

/// One English page at `/` that loads `kit` before the widget, on a new origin registered for
/// the demo partner `edu-demo` (so the widget may call the edge from it). Returns the origin.
pub fn registered_page(worker: &Worker, kit: &'static [&'static str]) -> Result<String> {
    let site = serve(
        &worker.base,
        &[Page {
            path: "/",
            kit,
            widget: true,
            lang: Some("en"),
        }],
    )?;
    worker.d1(&format!(
        "INSERT INTO partner_origins (partner_id, origin) VALUES ('edu-demo', '{site}')"
    ))?;
    Ok(site)
}

/// How many leads the edge has stored.
pub fn leads(worker: &Worker) -> u64 {
    worker
        .d1("SELECT COUNT(*) AS n FROM leads")
        .map_or(0, |rows| rows[0]["n"].as_u64().unwrap_or(0))
}
