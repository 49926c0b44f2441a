"""The global log in pages, oldest first, with stable positions (managers and auditors)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from web import schemas
from web.context import hub_app, require_reader_of_everything

blp = Blueprint("log", __name__, url_prefix="/api/log", description="The global event log.")


@blp.route("", methods=["GET"], endpoint="page")
@blp.arguments(schemas.LogArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.LogPage)
def log_page(after: int, limit: int) -> dict[str, Any]:
    """Events after position ``after``, at most ``limit``; ``next_after`` continues."""
    require_reader_of_everything()
    app = hub_app()
    events = app.read_log(after=after, limit=limit)
    return {"events": events, "next_after": events[-1].position if events else None,
            "last_position": app.log_length()}
