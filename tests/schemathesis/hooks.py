"""Schemathesis hooks for inflow's edge (tests/tests/schemathesis.rs loads this file).

- Bank routes (`POST /v1/conversions`, `POST /v1/conversions/{id}/reversal`) are signed as a
  bank signs them (docs/integration.md, "Signing"): `Inflow-Bank: demo-bank` and
  `Inflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` over the
  exact bytes sent, with the demo bank's local-only secret (.dev.vars.example).
- Reports (`GET /v1/reports`) and the lead pull (`GET /v1/bank/leads`) carry Demo Bank's
  local-only report key.
- Half of the schema-valid postbacks quote a real click (a lead's first click-out, followed once
  per run) in the campaign's currency, so the happy path, its answer's schema and the stateful
  link to the reversal are exercised too, not only `422 unknown_click`.

Both are registered as auth providers, so Schemathesis knows them for what they are: its
`ignored_auth` check sends the same requests without them and expects a refusal.
"""

import hashlib
import hmac
import os
import time

import schemathesis
from requests.compat import json as requests_json

BANK_ID = os.environ.get("INFLOW_BANK_ID", "demo-bank")
BANK_SECRET = os.environ.get("INFLOW_BANK_SECRET", "whsec_demo_bank_local_only")
REPORT_KEY = os.environ.get("INFLOW_REPORT_KEY", "rk_bank_demo_local")


def raw_body(case):
    """The bytes the requests transport will send for this case's body."""
    if case.body is None or type(case.body).__name__ == "NotSet":
        return b""
    kwargs = case.as_transport_kwargs(base_url="http://localhost")
    if "json" in kwargs:
        # requests serialises `json=` with this module and these options (requests/models.py).
        return requests_json.dumps(kwargs["json"], allow_nan=False).encode("utf-8")
    data = kwargs.get("data")
    if data is None:
        return b""
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


_CLICKS = {}


def real_click(base_url):
    """A click id of Demo Bank's, made once per run through the public API."""
    if base_url not in _CLICKS:
        import requests

        lead = {
            "partner": "edu-demo",
            "scene": "education",
            "lang": "en",
            "answers": {
                "age": "30_44", "goal": "tuition", "horizon": "3_5y", "amount": "50k_200k",
                "liquidity": "maybe", "region": "east", "assets": "500k_3m",
                "experience": "funds_short", "knowledge": "good", "income": "stable",
                "objective": "balanced", "max_loss": "up_to_15", "loss": "hold",
            },
        }
        answer = requests.post(f"{base_url}/v1/leads", json=lead, timeout=30).json()
        url = answer["recommendations"][0]["url"]
        redirect = requests.get(url, allow_redirects=False, timeout=30, headers={"User-Agent": "Mozilla/5.0 (schemathesis)"})
        _CLICKS[base_url] = redirect.headers["Location"].split("inflow_click=")[1]
    return _CLICKS[base_url]


def signature(body, t=None):
    t = int(time.time()) if t is None else t
    mac = hmac.new(BANK_SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def is_signed_here(case):
    return case.headers is not None and case.headers.get("Inflow-Bank") == BANK_ID and str(
        case.headers.get("Inflow-Signature", "")
    ).startswith("t=")


@schemathesis.auth(refresh_interval=None).apply_to(path_regex=r"^/v1/conversions")
class BankSignature:
    """Signs bank postbacks and reversals as Demo Bank."""

    def get(self, case, context):
        return BANK_ID

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Inflow-Bank"] = data
        case.headers["Inflow-Signature"] = signature(raw_body(case))


@schemathesis.auth(refresh_interval=None).apply_to(path_regex=r"^/v1/(reports|bank/leads)$")
class ReportKey:
    """Demo Bank's report key."""

    def get(self, case, context):
        return REPORT_KEY

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def before_call(context, case, kwargs):
    # Re-sign over the body as it is now (stateful links and mutations may have changed it since
    # the auth provider ran) and with a fresh time, so a valid request is never refused as stale.
    if is_signed_here(case):
        body = case.body
        if isinstance(body, dict) and isinstance(body.get("occurred_at"), str):
            # A time the schema allows may lie in the edge's future (refused: 400); keep
            # positive postbacks in the past, negative ones as generated.
            try:
                from datetime import datetime, timezone

                at = datetime.fromisoformat(body["occurred_at"].replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
                if at.timestamp() > time.time():
                    body["occurred_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            except (ValueError, OverflowError):
                pass
        if (
            case.operation.path == "/v1/conversions"
            and isinstance(body, dict)
            and isinstance(body.get("external_id"), str)
            and isinstance(body.get("click_id"), str)
            and body.get("currency") is not None
            and hashlib.sha256(body["external_id"].encode()).digest()[0] % 2 == 0
        ):
            body["click_id"] = real_click(case.operation.schema.get_base_url())
            body["currency"] = "CNY"
        case.headers["Inflow-Signature"] = signature(raw_body(case))


