//! A partner's site on another origin: a tiny HTTP server on a free port serving fixed files,
//! so the widget can be embedded cross-origin as banks really embed it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use anyhow::Result;

pub struct File {
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: String,
}

/// Serves `files` (and the extra `headers` on every answer) until the test process ends.
pub fn serve(files: Vec<File>, headers: Vec<(String, String)>) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let origin = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Drain the headers; the bodies of GETs are empty.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split('?').next().unwrap_or("/");
            let found = files.iter().find(|f| f.path == path);
            let (status, ctype, body) = match found {
                Some(f) => ("200 OK", f.content_type, f.body.as_str()),
                None => ("404 Not Found", "text/plain", "not found"),
            };
            let mut out = format!(
                "HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in &headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(body);
            let _ = (&stream).write_all(out.as_bytes());
        }
    });
    Ok(origin)
}

/// The strict Content-Security-Policy the README gives integrators, as the header a partner
/// site serves: its own scripts and styles, the edge's script and connections, wasm compiled
/// (`'wasm-unsafe-eval'`), nothing inline.
pub fn strict_csp(edge: &str) -> (String, String) {
    (
        "content-security-policy".into(),
        format!(
            "default-src 'self'; script-src 'self' {edge} 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' {edge}"
        ),
    )
}
