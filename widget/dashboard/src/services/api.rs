//! `GET /v1/reports` and `GET /v1/statements` on the page's own origin. The key travels only
//! in the Authorization header, never in a URL.

use inflow_core::report::tags::Tag;
use inflow_core::report::{GroupBy, ReportResponse, ReportRow};
use inflow_core::settlement::api::Statements;
use inflow_core::settlement::Statement;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::types::{CsvFile, Dashboard, Filters, LoadError};

/// Every month with a statement, through the current one (the route's default range).
const STATEMENTS: &str = "/v1/statements?format=";

fn query(f: &Filters, group_by: GroupBy, format: &str) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "/v1/reports?from={}&to={}&tz={}&group_by={}&format={format}",
        enc(&f.from),
        enc(&f.to),
        enc(&f.tz),
        group_by.as_str()
    )
}

async fn fetch(url: &str, key: &str) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method("GET");
    let req = Request::new_with_str_and_init(url, &init)?;
    req.headers().set("authorization", &format!("Bearer {key}"))?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.fetch_with_request(&req))
        .await?
        .dyn_into::<Response>()
}

async fn text(resp: &Response) -> Result<String, LoadError> {
    let promise = resp.text().map_err(|_| LoadError::Network)?;
    let body = JsFuture::from(promise).await.map_err(|_| LoadError::Network)?;
    body.as_string().ok_or(LoadError::Network)
}

/// The body of a successful answer, or what went wrong in the dashboard's terms.
async fn get(url: &str, key: &str) -> Result<String, LoadError> {
    let resp = fetch(url, key).await.map_err(|_| LoadError::Network)?;
    let body = text(&resp).await?;
    match resp.status() {
        200 => Ok(body),
        s => Err(problem(s, &body)),
    }
}

/// A refusal in the dashboard's terms.
fn problem(status: u16, body: &str) -> LoadError {
    match status {
        401 => LoadError::Unauthorized,
        403 => LoadError::Forbidden,
        400 => {
            let detail = serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|p| p["detail"].as_str().map(String::from))
                .unwrap_or_default();
            LoadError::Invalid(detail)
        }
        s => LoadError::Server(s),
    }
}

pub async fn report(f: &Filters, group_by: GroupBy) -> Result<ReportResponse, LoadError> {
    let body = get(&query(f, group_by, "json"), &f.key).await?;
    // A 200 that is not a report (a proxy's page, say) is as good as no answer.
    serde_json::from_str(&body).map_err(|_| LoadError::Network)
}

/// The key's statements: a bank's with each of its partners, a partner's with each bank.
pub async fn statements(key: &str) -> Result<Vec<Statement>, LoadError> {
    let body = get(&format!("{STATEMENTS}json"), key).await?;
    let answer: Statements = serde_json::from_str(&body).map_err(|_| LoadError::Network)?;
    Ok(answer.statements)
}

/// The report's CSV for the range on screen, rows by `group_by`.
pub fn report_csv(f: &Filters, group_by: GroupBy) -> CsvFile {
    CsvFile {
        url: query(f, group_by, "csv"),
        key: f.key.clone(),
        name: format!("inflow-report-{}-{}-{}.csv", f.from, f.to, group_by.as_str()),
    }
}

/// The statements' CSV, under the name the edge gives it.
pub fn statements_csv(key: &std::rc::Rc<str>) -> CsvFile {
    CsvFile {
        url: format!("{STATEMENTS}csv"),
        key: key.clone(),
        name: "inflow-statements.csv".into(),
    }
}

/// The CSV exactly as the edge sent it, byte for byte: read as text, the browser would drop
/// its UTF-8 byte order mark, which Excel needs to read the file as UTF-8.
pub async fn csv(file: &CsvFile) -> Result<js_sys::Uint8Array, LoadError> {
    let resp = fetch(&file.url, &file.key).await.map_err(|_| LoadError::Network)?;
    if resp.status() != 200 {
        let body = text(&resp).await?;
        return Err(problem(resp.status(), &body));
    }
    let promise = resp.array_buffer().map_err(|_| LoadError::Network)?;
    let buffer = JsFuture::from(promise).await.map_err(|_| LoadError::Network)?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

async fn rows(f: &Filters, group_by: GroupBy) -> Result<Vec<ReportRow>, LoadError> {
    Ok(report(f, group_by).await?.rows)
}

/// Everything the dashboard shows, in one go. The five reports and the statements are asked
/// for together; a partner key's 403 on the by-partner report only means it has no partners to
/// compare.
pub async fn dashboard(f: Filters) -> Result<Dashboard, LoadError> {
    let (by_day, by_scene, by_product, by_partner, by_sub_id, statements) = futures::join!(
        report(&f, GroupBy::Day),
        rows(&f, GroupBy::Scene),
        rows(&f, GroupBy::Product),
        rows(&f, GroupBy::Partner),
        rows(&f, GroupBy::Tag(Tag::SubId)),
        statements(&f.key),
    );
    let by_partner = match by_partner {
        Ok(rows) => Some(rows),
        Err(LoadError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    Ok(Dashboard {
        by_day: by_day?,
        by_scene: by_scene?,
        by_product: by_product?,
        by_partner,
        by_sub_id: by_sub_id?,
        statements,
        filters: f,
    })
}
