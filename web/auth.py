"""Bearer tokens → the acting principal, and who may read what.

Anonymous requests may read only the health check and the API's description,
unless the operator sets ``HUB_PUBLIC_READ=1``. Writes are authorised in the
service layer (``hub.authorisation``); here only reading is gated.
"""

from __future__ import annotations

from flask import current_app, g, request, session

from hub.application import HubApplication
from hub.errors import Unauthenticated

OPEN_PATHS = ("/api/health", "/api/openapi.json", "/api/docs", "/api/audit/key", "/api/vocabulary")


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
            g.principal = hub_app.principal(session["account_id"], session.get("epoch", -1))
        except Unauthenticated:
            session.clear()
    public_read = current_app.config["HUB_PUBLIC_READ"] and request.method in ("GET", "HEAD")
    closed = request.path.startswith("/api") and not request.path.startswith(OPEN_PATHS)
    if g.principal is None and closed and not public_read:
        raise Unauthenticated("a valid bearer token is required", "Authorization")
