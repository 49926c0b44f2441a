"""The HTML UI: server-rendered pages over the same service and read models as the API.

Thin like the API: it parses forms, checks who is signed in, calls ``hub`` or
``projections`` and renders. Every form carries a CSRF token (Flask-WTF). One
blueprint per concern, nested under ``ui``: ``signin`` (links, sign-out,
language), ``pages`` (dashboard, records), ``lists``, ``graph``, ``map``, ``audit``,
``desk``, ``manage`` (the manager's forms) and ``imports`` (spreadsheets); what they share is ``web.ui.common``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for

from web.context import current_principal
from web.ui import accounts, audit, desk, graph, imports, lists, manage, pages, regions_map, signin
from web.ui.common import template_helpers
from web.ui.labels import region_name

bp = Blueprint("ui", __name__)
for child in (signin.bp, pages.bp, lists.bp, graph.bp, regions_map.bp, audit.bp, desk.bp, manage.bp, imports.bp,
              accounts.bp):
    bp.register_blueprint(child)

PUBLIC_ENDPOINTS = {"ui.signin.signin", "ui.signin.language", "static"}


@bp.before_app_request
def require_sign_in() -> Any:
    if request.path.startswith("/api") or request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_principal() is None and not current_app.config["HUB_PUBLIC_READ"]:
        return redirect(url_for("ui.signin.signin", next=request.full_path.rstrip("?")))
    return None


bp.app_context_processor(template_helpers)


bp.app_template_filter("region_name")(region_name)
