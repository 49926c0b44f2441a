"""Bearer tokens → the acting principal, and who may read what.

Anonymous requests may read only the health check and the API's description,
unless the operator sets ``HUB_PUBLIC_READ=1``. Writes are authorised in the
service layer (``hub.authorisation``); here only reading is gated.
"""

from __future__ import annotations

from flask import current_app, g, request, session

from hub.application import HubApplication, Principal
from hub.errors import Forbidden, Unauthenticated

OPEN_PATHS = ("/api/health", "/api/openapi.json", "/api/docs", "/api/audit/key")


def identify(hub_app: HubApplication) -> None:
    """Set ``g.principal`` from the Authorization header, or a signed-in person's session.

    A session authenticates the UI and the API's *reads* (the graph page fetches
    JSON); writes to the API need a bearer token, so no other site can make a
    signed-in browser change the record.
    """
    header = request.headers.get("Authorization", "")
    g.principal = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("use Authorization: Bearer <token>", "Authorization")
        g.principal = hub_app.authenticate(token.strip())
    elif session.get("account_id") and (not request.path.startswith("/api") or request.method in ("GET", "HEAD")):
        try:
            g.principal = hub_app.principal(session["account_id"])
        except Unauthenticated:
            session.pop("account_id", None)
    if g.principal is None and request.path.startswith("/api") and not request.path.startswith(OPEN_PATHS):
        if not (current_app.config["HUB_PUBLIC_READ"] and request.method in ("GET", "HEAD")):
            raise Unauthenticated("a valid bearer token is required", "Authorization")


def principal() -> Principal:
    """The authenticated principal of a writing request."""
    if g.principal is None:
        raise Unauthenticated("a valid bearer token is required", "Authorization")
    return g.principal


def require_reader_of_everything() -> None:
    """History, the log and accounts are for managers and auditors."""
    p = g.principal
    if p is not None and not ({"manager", "auditor"} & set(p.roles)):
        raise Forbidden("only managers and auditors read the history, the log and accounts", "role")
    if p is None:  # even with public read: the record's history and accounts need an account
        raise Unauthenticated("a valid bearer token is required", "Authorization")
