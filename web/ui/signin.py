"""Signing in with a one-time link, signing out, and the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from hub.errors import InvalidCommand, NotFound, Unauthenticated
from web.context import hub_app
from web.i18n import LANGUAGES

bp = Blueprint("signin", __name__)


def _local(target: str | None, fallback: str) -> str:
    """Only a path on this site is a place to go back to."""
    return target if target and target.startswith("/") and not target.startswith("//") else fallback


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    error = None
    token = request.values.get("token", "").strip()
    if request.method == "POST":
        try:
            principal = hub_app().redeem_sign_in_link(token)
        except (Unauthenticated, InvalidCommand, NotFound):
            error = _("This sign-in link is not valid or was already used. Ask a manager for a new one.")
        else:
            session.clear()
            session["account_id"] = str(principal.account_id)
            return redirect(_local(request.form.get("next"), url_for("ui.pages.dashboard")))
    page = render_template("signin.html", token=token, error=error, next=request.values.get("next", ""))
    return page, 401 if error else 200


@bp.post("/signout")
def signout() -> Any:
    session.pop("account_id", None)
    return redirect(url_for("ui.signin.signin"))


@bp.get("/lang/<code>")
def language(code: str) -> Any:
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(_local(request.args.get("next"), "/"))
