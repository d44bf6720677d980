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
    /// `GET /v1/widget/{partner}/{scene}`: the widget's configuration for a partner's scene
    /// (`lead::offer::WidgetConfig`). The scene is checked by the handler (400, not 404).
    Widget {
        partner: String,
        scene: String,
    },
    /// `GET /v1/bank/leads?after=&limit=`: the calling bank's lead feed (`lead::feed`).
    BankLeads,
    /// `POST /v1/leads/{id}/erasure`: the visitor erases their lead with its erasure token.
    LeadErasure(String),
    /// `DELETE /v1/bank/leads/{id}`: a bank erases a lead it was shown.
    BankLead(String),
    /// `GET /v1/ledger`: the caller's ledger entries (`settlement::api::LedgerQuery`).
    Ledger,
    /// `GET /v1/statements`: the caller's statements (`settlement::api::StatementsQuery`).
    Statements,
    /// `POST /v1/statements/{period}/close`: a bank closes a period.
    CloseStatements(String),
    /// `POST /v1/statements/{period}/paid`: a bank marks a partner's statement paid.
    PayStatement(String),
    /// Everything under `/v1/admin/` (issue 13).
    Admin(AdminRoute),
}

/// The admin API's routes. `{id}` is a bank's, a partner's or a key's id as the path says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminRoute {
    /// `POST /v1/admin/tenants[?dry_run=true]`: apply a tenant file (JSON), answer its plan.
    Tenants,
    /// `GET /v1/admin/banks/{id}`: the bank's objects as a tenant file.
    Bank(String),
    /// `GET|POST /v1/admin/banks/{id}/keys`: list or create a bank's keys.
    BankKeys(String),
    /// `GET|POST /v1/admin/partners/{id}/keys`: list or create a partner's report keys.
    PartnerKeys(String),
    /// `POST /v1/admin/keys/{id}/revoke`.
    RevokeKey(String),
    /// `GET|POST /v1/admin/banks/{id}/secrets`: list postback secrets, or rotate.
    Secrets(String),
    /// `GET /v1/admin/banks/{id}/audit`: the bank's audit rows.
    BankAudit(String),
    /// `GET /v1/admin/audit`: every audit row (operator).
    Audit,
    /// `GET|POST /v1/admin/banks/{id}/webhooks`: list or register a bank's webhook endpoints.
    BankWebhooks(String),
    /// `GET|POST /v1/admin/partners/{id}/webhooks`: a partner's (operator only).
    PartnerWebhooks(String),
    /// `POST /v1/admin/webhooks/{id}/secrets`: rotate an endpoint's signing secret.
    WebhookSecrets(String),
    /// `POST /v1/admin/webhooks/{id}/enable`: enable a disabled endpoint again.
    EnableWebhook(String),
    /// `GET /v1/admin/webhooks/{id}/deliveries[?after=<seq>]`: the endpoint's delivery log.
    WebhookDeliveries(String),
}

/// (method, OpenAPI path template) of every public route.
pub const ROUTES: [(&str, &str); 34] = [
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("POST", "/v1/leads"),
    ("POST", "/v1/events"),
    ("GET", "/v1/reports"),
    ("GET", "/c/{token}"),
    ("POST", "/v1/conversions"),
    ("POST", "/v1/conversions/{id}/reversal"),
    ("GET", "/v1/widget/{partner}/{scene}"),
    ("POST", "/v1/admin/tenants"),
    ("GET", "/v1/admin/banks/{id}"),
    ("GET", "/v1/admin/banks/{id}/keys"),
    ("POST", "/v1/admin/banks/{id}/keys"),
    ("GET", "/v1/admin/partners/{id}/keys"),
    ("POST", "/v1/admin/partners/{id}/keys"),
    ("POST", "/v1/admin/keys/{id}/revoke"),
    ("GET", "/v1/admin/banks/{id}/secrets"),
    ("POST", "/v1/admin/banks/{id}/secrets"),
    ("GET", "/v1/admin/banks/{id}/audit"),
    ("GET", "/v1/admin/audit"),
    ("GET", "/v1/bank/leads"),
    ("POST", "/v1/leads/{id}/erasure"),
    ("DELETE", "/v1/bank/leads/{id}"),
    ("GET", "/v1/admin/banks/{id}/webhooks"),
    ("POST", "/v1/admin/banks/{id}/webhooks"),
    ("GET", "/v1/admin/partners/{id}/webhooks"),
    ("POST", "/v1/admin/partners/{id}/webhooks"),
    ("POST", "/v1/admin/webhooks/{id}/secrets"),
    ("POST", "/v1/admin/webhooks/{id}/enable"),
    ("GET", "/v1/admin/webhooks/{id}/deliveries"),
    ("GET", "/v1/ledger"),
    ("GET", "/v1/statements"),
    ("POST", "/v1/statements/{period}/close"),
    ("POST", "/v1/statements/{period}/paid"),
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
            "/v1/bank/leads" => return Some(Route::BankLeads),
            "/v1/ledger" => return Some(Route::Ledger),
            "/v1/statements" => return Some(Route::Statements),
            _ => {}
        }
        if let Some(rest) = path.strip_prefix("/v1/admin/") {
            return AdminRoute::parse(rest).map(Route::Admin);
        }
        if let Some(rest) = path.strip_prefix("/v1/widget/") {
            let (partner, scene) = rest.split_once('/')?;
            let ok = |s: &str| !s.is_empty() && !s.contains('/');
            return (ok(partner) && ok(scene)).then(|| Route::Widget {
                partner: partner.into(),
                scene: scene.into(),
            });
        }
        if let Some(token) = path.strip_prefix("/c/") {
            return (!token.is_empty() && !token.contains('/')).then(|| Route::Click(token.into()));
        }
        let one = |id: &str| !id.is_empty() && !id.contains('/');
        if let Some(id) = path.strip_prefix("/v1/bank/leads/") {
            return one(id).then(|| Route::BankLead(id.into()));
        }
        if let Some(rest) = path.strip_prefix("/v1/statements/") {
            if let Some(period) = rest.strip_suffix("/close") {
                return one(period).then(|| Route::CloseStatements(period.into()));
            }
            let period = rest.strip_suffix("/paid")?;
            return one(period).then(|| Route::PayStatement(period.into()));
        }
        if let Some(rest) = path.strip_prefix("/v1/leads/") {
            let id = rest.strip_suffix("/erasure")?;
            return one(id).then(|| Route::LeadErasure(id.into()));
        }
        let id = path.strip_prefix("/v1/conversions/")?.strip_suffix("/reversal")?;
        (!id.is_empty() && !id.contains('/')).then(|| Route::Reversal(id.into()))
    }

    /// Every method the route answers, as the `Allow` header of its 405 lists them (RFC 9110
    /// §15.5.6): `GET, HEAD` for GET routes (HEAD answers GET's headers without a body).
    pub fn allow(&self) -> &'static str {
        match self {
            Route::Health
            | Route::OpenApi
            | Route::Click(_)
            | Route::Reports
            | Route::Widget { .. }
            | Route::BankLeads
            | Route::Ledger
            | Route::Statements => "GET, HEAD",
            Route::Leads | Route::Events | Route::LeadErasure(_) => "POST, OPTIONS",
            Route::Conversions | Route::Reversal(_) | Route::CloseStatements(_) | Route::PayStatement(_) => "POST",
            Route::BankLead(_) => "DELETE",
            Route::Admin(a) => a.allow(),
        }
    }

    /// Whether the route answers `method` (upper case); anything else is a 405 with [`Route::allow`].
    pub fn answers(&self, method: &str) -> bool {
        self.allow().split(", ").any(|m| m == method)
    }
}

impl AdminRoute {
    /// The route `rest` (the path after `/v1/admin/`) names; `None` is a 404.
    fn parse(rest: &str) -> Option<AdminRoute> {
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let id = |s: &str| s.to_string();
        Some(match parts.as_slice() {
            ["tenants"] => AdminRoute::Tenants,
            ["audit"] => AdminRoute::Audit,
            ["banks", b] => AdminRoute::Bank(id(b)),
            ["banks", b, "keys"] => AdminRoute::BankKeys(id(b)),
            ["banks", b, "secrets"] => AdminRoute::Secrets(id(b)),
            ["banks", b, "audit"] => AdminRoute::BankAudit(id(b)),
            ["partners", p, "keys"] => AdminRoute::PartnerKeys(id(p)),
            ["keys", k, "revoke"] => AdminRoute::RevokeKey(id(k)),
            ["banks", b, "webhooks"] => AdminRoute::BankWebhooks(id(b)),
            ["partners", p, "webhooks"] => AdminRoute::PartnerWebhooks(id(p)),
            ["webhooks", w, "secrets"] => AdminRoute::WebhookSecrets(id(w)),
            ["webhooks", w, "enable"] => AdminRoute::EnableWebhook(id(w)),
            ["webhooks", w, "deliveries"] => AdminRoute::WebhookDeliveries(id(w)),
            _ => return None,
        })
    }

    fn allow(&self) -> &'static str {
        match self {
            AdminRoute::Tenants
            | AdminRoute::RevokeKey(_)
            | AdminRoute::WebhookSecrets(_)
            | AdminRoute::EnableWebhook(_) => "POST",
            AdminRoute::Bank(_) | AdminRoute::BankAudit(_) | AdminRoute::Audit | AdminRoute::WebhookDeliveries(_) => {
                "GET, HEAD"
            }
            AdminRoute::BankKeys(_)
            | AdminRoute::PartnerKeys(_)
            | AdminRoute::Secrets(_)
            | AdminRoute::BankWebhooks(_)
            | AdminRoute::PartnerWebhooks(_) => "GET, HEAD, POST",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_to_a_route_with_its_method() {
        for (method, template) in ROUTES {
            let path = template
                .replace("{token}", "abc")
                .replace("{id}", "x-1")
                .replace("{partner}", "edu-demo")
                .replace("{scene}", "education");
            let route = Route::parse(&path).unwrap_or_else(|| panic!("{template}"));
            assert!(route.answers(method), "{template}");
            assert_eq!(
                route.answers("HEAD"),
                route.answers("GET"),
                "{template}: HEAD answers every GET"
            );
            // Every method a route answers (but HEAD and a preflight) is documented.
            for m in route.allow().split(", ").filter(|m| !matches!(*m, "HEAD" | "OPTIONS")) {
                assert!(
                    ROUTES.iter().any(|(rm, rt)| *rm == m && *rt == template),
                    "{m} {template} is answered but not in ROUTES"
                );
            }
            assert!(!route.answers("PUT"), "{template}");
            // DELETE only where the table documents it (a bank's erasure).
            assert_eq!(
                route.answers("DELETE"),
                ROUTES.contains(&("DELETE", template)),
                "{template}"
            );
        }
        for bad in [
            "/",
            "/c/",
            "/c/a/b",
            "/v1/conversions//reversal",
            "/v1/conversions/x",
            "/v1/leadsx",
            "/v1/leads/",
            "/v1/leads/x",
            "/v1/leads//erasure",
            "/v1/leads/x/y/erasure",
            "/v1/bank/leads/",
            "/v1/bank/leads/x/y",
            "/v1/admin/",
            "/v1/admin/banks",
            "/v1/admin/banks//keys",
            "/v1/admin/banks/x/keys/",
            "/v1/admin/banks/x/other",
            "/v1/admin/keys/x",
            "/v1/admin/webhooks/x",
            "/v1/admin/webhooks/x/other",
            "/v1/widget/edu-demo",
            "/v1/widget/edu-demo/",
            "/v1/widget//education",
            "/v1/widget/edu-demo/education/x",
        ] {
            assert_eq!(Route::parse(bad), None, "{bad}");
        }
    }
}
