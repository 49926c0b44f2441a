"""Signing in with a one-time link, signing out, and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from hub.errors import InvalidCommand, NotFound, Unauthenticated
from web import security
from web.context import hub_app
from web.i18n import LANGUAGES

bp = Blueprint("signin", __name__)


def _local(target: str | None, fallback: str) -> str:
    """Only a path on this site is a place to go back to.

    Browsers drop tabs and newlines inside URLs and read ``\\`` as ``/``, so ``/\t/evil.example`` would
    become ``//evil.example``: a target holding any of them, or naming a host or scheme, is refused.
    A target with CR or LF is a bad request (400) before anything is used up.

    >>> _local("/graph?as_of=2021", "/"), _local("/\t/evil.example", "/"), _local("/\\evil.example", "/")
    ('/graph?as_of=2021', '/', '/')
    """
    if not target:
        return fallback
    if "\r" in target or "\n" in target:
        abort(400, "the return address holds a line break")
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target or parts.scheme or parts.netloc
            or any(ord(c) < 0x20 or c.isspace() for c in target)):
        return fallback
    return target


@bp.route("/signin", methods=["GET", "POST"])
@security.per_address
@security.per_account
def signin() -> Any:
    error = None
    token = request.values.get("token", "").strip()
    if request.method == "POST":
        _local(request.form.get("next"), "/")  # a line break in it is refused before the link is used up
        try:
            principal, epoch = hub_app().redeem_sign_in_link(token, current_app.config["HUB_SIGN_IN_LINK_HOURS"])
        except (Unauthenticated, InvalidCommand, NotFound):
            error = _("This sign-in link is not valid, has expired or was already used. Ask a manager for a new one.")
        else:
            session.clear()
            session["account_id"] = str(principal.account_id)
            session["epoch"] = epoch
            return _private(redirect(_local(request.form.get("next"), url_for("ui.pages.dashboard"))))
    page = render_template("signin.html", token=token, error=error, next=request.values.get("next", ""))
    return _private(make_response(page, 401 if error else 200))


def _private(response: WerkzeugResponse) -> WerkzeugResponse:
    """Pages that carry or consume a sign-in token are never stored by a browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/signout")
def signout() -> Any:
    principal = g.get("principal")
    if principal is not None and principal.account_id is not None:
        hub_app().end_sessions(principal.account_id, by=principal)  # a copy of the cookie stops working too
    session.clear()
    return redirect(url_for("ui.signin.signin"))


@bp.get("/lang/<code>")
def language(code: str) -> Any:
    target = _local(request.args.get("next"), "/")  # a line break: 400 before anything changes
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(target)
