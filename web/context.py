"""Where a request finds this process's application, its read models, and who is asking.

One home for these accessors: the API's and the UI's blueprints import them
from here (and never from each other).
"""

from __future__ import annotations

from typing import cast

from flask import current_app, g

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.authorisation import require_reader_of_everything as _require_reader
from hub.errors import Unauthenticated
from projections.follower import LiveGraph
from projections.graph import PartnerGraph


def hub_app() -> HubApplication:
    """The process's one application (made in the app factory, after the server forked)."""
    return cast(HubApplication, current_app.extensions["hub"])


def read_models() -> PartnerGraph:
    """The partner graph and the lists, as caught up before this request."""
    return cast(LiveGraph, current_app.extensions["hub_live_graph"]).graph


def current_principal() -> Principal | None:
    """Who is asking (set by ``web.auth.identify``); None when nobody is signed in."""
    return cast("Principal | None", g.get("principal"))


def principal() -> Principal:
    """The authenticated principal of a writing request."""
    found = current_principal()
    if found is None:
        raise Unauthenticated("a valid bearer token is required", "Authorization")
    return found


def require_reader_of_everything() -> None:
    """History, the log and accounts: managers and auditors (``hub.authorisation``)."""
    _require_reader(current_principal())
