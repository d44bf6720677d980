//! The edge's public routes, in one table that the Worker dispatches on and the tests check
//! against the OpenAPI document, so a route cannot exist without being documented.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Health,
    OpenApi,
    Leads,
    Events,
    Reports,
    Click(String),
    Conversions,
    Reversal(String),
}

/// (method, OpenAPI path template) of every public route.
pub const ROUTES: [(&str, &str); 8] = [
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("POST", "/v1/leads"),
    ("POST", "/v1/events"),
    ("GET", "/v1/reports"),
    ("GET", "/c/{token}"),
    ("POST", "/v1/conversions"),
    ("POST", "/v1/conversions/{id}/reversal"),
];

impl Route {
    /// The route a path names, whatever the method; `None` is a 404.
    pub fn parse(path: &str) -> Option<Route> {
        match path {
            "/healthz" => return Some(Route::Health),
            "/openapi.json" => return Some(Route::OpenApi),
            "/v1/leads" => return Some(Route::Leads),
            "/v1/events" => return Some(Route::Events),
            "/v1/reports" => return Some(Route::Reports),
            "/v1/conversions" => return Some(Route::Conversions),
            _ => {}
        }
        if let Some(token) = path.strip_prefix("/c/") {
            return (!token.is_empty() && !token.contains('/')).then(|| Route::Click(token.into()));
        }
        let id = path.strip_prefix("/v1/conversions/")?.strip_suffix("/reversal")?;
        (!id.is_empty() && !id.contains('/')).then(|| Route::Reversal(id.into()))
    }

    /// The method each route is documented with: GET routes also answer HEAD, and the routes a
    /// partner's page calls cross-origin also answer a CORS preflight (OPTIONS).
    pub fn method(&self) -> &'static str {
        match self {
            Route::Health | Route::OpenApi | Route::Click(_) | Route::Reports => "GET",
            Route::Leads | Route::Events | Route::Conversions | Route::Reversal(_) => "POST",
        }
    }

    /// Every method the route answers, as the `Allow` header of its 405 lists them (RFC 9110
    /// §15.5.6): `GET, HEAD` for GET routes (HEAD answers GET's headers without a body).
    pub fn allow(&self) -> &'static str {
        match self {
            Route::Health | Route::OpenApi | Route::Click(_) | Route::Reports => "GET, HEAD",
            Route::Leads | Route::Events => "POST, OPTIONS",
            Route::Conversions | Route::Reversal(_) => "POST",
        }
    }

    /// Whether the route answers `method` (upper case); anything else is a 405 with [`Route::allow`].
    pub fn answers(&self, method: &str) -> bool {
        self.allow().split(", ").any(|m| m == method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_to_a_route_with_its_method() {
        for (method, template) in ROUTES {
            let path = template.replace("{token}", "abc").replace("{id}", "x-1");
            let route = Route::parse(&path).unwrap_or_else(|| panic!("{template}"));
            assert_eq!(route.method(), method, "{template}");
            assert!(route.answers(method), "{template}");
            assert_eq!(
                route.answers("HEAD"),
                method == "GET",
                "{template}: HEAD answers every GET"
            );
            assert!(!route.answers("PUT") && !route.answers("DELETE"), "{template}");
        }
        for bad in [
            "/",
            "/c/",
            "/c/a/b",
            "/v1/conversions//reversal",
            "/v1/conversions/x",
            "/v1/leadsx",
        ] {
            assert_eq!(Route::parse(bad), None, "{bad}");
        }
    }
}
