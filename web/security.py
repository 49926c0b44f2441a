"""The web surface's defences: security headers, cookies behind HTTPS, rate limits, and input that cannot break us.

- **Headers** on every response, by flask-talisman (maintained, and it already
  knows the header set): a Content Security Policy with no inline script
  (scripts only from this site; JSON data blocks are not scripts), ``frame-
  ancestors 'none'`` so the desk's buttons cannot be clickjacked, ``nosniff``,
  ``Referrer-Policy: same-origin``. Styles may be inline (the map's SVG).
- **Behind HTTPS** (``HUB_BEHIND_HTTPS=1``): the session cookie is ``Secure``,
  HSTS is sent, and the proxy's ``X-Forwarded-For/-Proto`` are believed (one hop).
- **Rate limits** by flask-limiter: refused sign-ins are limited per address and per
  account (``HUB_SIGNIN_LIMIT``, default 10 a minute), and failed bearer tokens
  per address and per account named (``HUB_TOKEN_FAILURE_LIMIT``, default 30 a minute); past the limit
  the answer is 429 with ``Retry-After``. Counts are kept per process unless
  ``HUB_RATE_LIMIT_STORAGE`` names a shared store (``redis://…``).
- **JSON that cannot be stored is refused before anything runs**: nesting too
  deep (400), and strings holding NUL bytes or lone surrogates (422 naming the
  field) — they used to pass validation and fail in the database.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from limits import parse
from werkzeug.exceptions import BadRequest, TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from hub.errors import InvalidCommand

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
MAX_DEPTH = 64

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[],
                  storage_uri=os.environ.get("HUB_RATE_LIMIT_STORAGE") or "memory://")


class HubJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with Polish kept readable, and input the store could not hold refused up front."""

    ensure_ascii = False  # Polish text stays readable in every response
    sort_keys = False  # fields in the order the schemas declare them

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            data = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
        problems: dict[str, list[str]] = {}
        _check(data, "", 0, problems)
        if problems:
            raise InvalidCommand(problems)
        return data


def _check(value: Any, path: str, depth: int, problems: dict[str, list[str]]) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"the JSON is nested more than {MAX_DEPTH} deep")
    if isinstance(value, str):
        if "\x00" in value:
            problems[path or "_schema"] = ["must not contain NUL characters"]
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                problems[path or "_schema"] = ["is not valid Unicode text (a lone surrogate)"]
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, path, depth + 1, problems)
            _check(item, f"{path}.{key}" if path else str(key), depth + 1, problems)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, f"{path}.{i}" if path else str(i), depth + 1, problems)


def _account_in_token() -> str:
    """Rate-limit key for signing in: the account a sign-in token names (or the address without one)."""
    token = (request.form.get("token") or "").split(".")
    return f"account:{token[1]}" if len(token) == 4 else get_remote_address()


SIGNIN_LIMIT = os.environ.get("HUB_SIGNIN_LIMIT") or "10 per minute"
# Only refused attempts count (401): an office behind one address signing in at nine is not an attack.
per_address = limiter.limit(SIGNIN_LIMIT, methods=["POST"], deduct_when=lambda response: response.status_code == 401)
per_account = limiter.limit(SIGNIN_LIMIT, methods=["POST"], key_func=_account_in_token,
                            deduct_when=lambda response: response.status_code == 401)


def init(app: Flask) -> None:
    behind_https = app.config["HUB_BEHIND_HTTPS"]
    if behind_https:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    Talisman(app, force_https=False, strict_transport_security=behind_https, session_cookie_secure=behind_https,
             content_security_policy=CSP, frame_options="DENY", referrer_policy="same-origin",
             x_content_type_options=True)
    @app.before_request
    def refuse_json_the_store_cannot_hold() -> None:
        # Every JSON body is read once here, whichever parser the view uses later (webargs reads it again).
        if request.method in ("POST", "PUT", "PATCH") and request.is_json and request.content_length != 0:
            try:
                app.json.loads(request.get_data(cache=True))
            except ValueError as error:
                raise BadRequest(f"the body is not JSON this API can read: {error}") from None

    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    failures = parse(os.environ.get("HUB_TOKEN_FAILURE_LIMIT") or "30 per minute")

    def bearer_keys() -> list[str]:
        """Who a bearer token attempt counts against: its address, and the account it names (if it names one)."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return []
        parts = header.removeprefix("Bearer ").strip().split(".")
        named = [f"account:{parts[1]}"] if len(parts) == 4 and len(parts[1]) <= 64 else []
        return [f"address:{get_remote_address()}", *named]

    @app.before_request
    def refuse_after_failed_tokens() -> None:
        if not app.config["RATELIMIT_ENABLED"]:
            return
        for key in bearer_keys():
            if not limiter.limiter.test(failures, "tokens", key):
                reset, _ = limiter.limiter.get_window_stats(failures, "tokens", key)
                raise TooManyRequests(f"too many failed tokens for this {key.split(':')[0]}: limit {failures}",
                                      retry_after=max(1, int(reset - time.time())))

    @app.after_request
    def count_failed_tokens(response: Any) -> Any:
        if response.status_code == 401 and app.config["RATELIMIT_ENABLED"]:
            for key in bearer_keys():
                limiter.limiter.hit(failures, "tokens", key)
        return response
