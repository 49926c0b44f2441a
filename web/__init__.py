"""The web entrypoint: a Flask app factory. Thin: parse, authorise, call hub/projections, render.

Flask, the application and the read side are imported when an app is made, not when the package
is: ``hub`` loads ``web.serve`` to build its parser on every run (``hub log`` started in 1.0 s,
0.5 s of it for the server's and the graph's modules).
"""

from __future__ import annotations

import atexit
import os
from typing import TYPE_CHECKING, Any

from hub.errors import InvalidCommand
from hub.storage import database_url, describe

if TYPE_CHECKING:
    from flask import Flask


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; one HubApplication and one graph follower per process, made here (after a fork)."""
    from flask import Flask, jsonify, request, session
    from flask_wtf.csrf import CSRFProtect

    from hub.application import HubApplication
    from projections import checkpoint
    from projections.follower import LiveGraph
    from web import auth, i18n, problems, query, security, ui
    from web.api import (
        accounts,
        audit,
        exchanges,
        graph,
        initiatives,
        log,
        meetings,
        organisations,
        partnerships,
        projects,
        vocabulary,
    )

    app = Flask(__name__)
    app.config.update(
        HUB_DATABASE_URL=database_url(),
        HUB_PUBLIC_READ=_flag("HUB_PUBLIC_READ"),
        HUB_BEHIND_HTTPS=_flag("HUB_BEHIND_HTTPS"),
        HUB_SIGN_IN_LINK_HOURS=float(os.environ.get("HUB_SIGN_IN_LINK_HOURS") or 24),
        HUB_HEAD_EVERY_SECONDS=float(os.environ.get("HUB_HEAD_EVERY_SECONDS") or 1),
        SECRET_KEY=os.environ.get("HUB_SECRET_KEY") or os.urandom(32),
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        API_TITLE="Partnership Hub API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/static/vendor/swagger-ui/",
    )
    app.config.update(config or {})
    app.json = security.HubJSONProvider(app)
    security.init(app)

    hub_app = HubApplication(app.config["HUB_DATABASE_URL"])
    # `hub serve` builds or loads the read model once and hands it down to its workers (shared memory).
    live = LiveGraph(hub_app, graph=checkpoint.inherited(app.config["HUB_DATABASE_URL"]),
                     saved=checkpoint.path_for(app.config["HUB_DATABASE_URL"]))
    app.extensions["hub"] = hub_app
    app.extensions["hub_live_graph"] = live
    atexit.register(hub_app.close)
    atexit.register(live.close)

    api = problems.HubApi(app, spec_kwargs={"info": {"description": (
        "An event-sourced networking hub for regional partnerships. Authenticate with "
        "`Authorization: Bearer <token>` (tokens come from `hub accounts create`). Errors are "
        "RFC 9457 problem details.")},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}]})
    app.extensions["hub_api"] = api
    problems.register(app)
    app.before_request(ui.imports.upload_limit)  # before CSRF protection, which reads the form first
    csrf = CSRFProtect(app)
    for module in (organisations, partnerships, projects, meetings, exchanges, initiatives, accounts, audit, graph,
                   log, vocabulary):
        blueprint = module.blp
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # bearer tokens, never cookies, authorise API writes

    query.refuse_unknown_parameters(app)  # before identification: a misspelt filter is the client's error either way
    @app.before_request
    def follow_and_identify() -> None:
        if request.endpoint == "static":
            return  # files need neither the log nor an identity
        hub_app.forget_saved()  # a command's answer may use only what this request saved
        # Another worker may have written, or someone erased a person: the read models follow,
        # at least up to this client's last write (read-your-writes across workers). An API write reads
        # no read model (the service checks against the log), so it does not wait for them: the next read does.
        if not (request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH", "DELETE")):
            live.refresh(at_least=_position_to_read())
        auth.identify(hub_app)

    @app.after_request
    def tell_the_position(response: Any) -> Any:
        # A write answers with the log position to read after; a signed-in person's session keeps it.
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400 and hub_app.last_written:
            response.headers[POSITION_HEADER] = str(hub_app.last_written)
            if session.get("account_id"):
                session["hub_position"] = hub_app.last_written
        return response

    hub_app.ledger.every_seconds = app.config["HUB_HEAD_EVERY_SECONDS"]
    if not app.config.get("TESTING") and describe(app.config["HUB_DATABASE_URL"]) != "memory":
        # what a stopped or killed server wrote after its last checkpoint gets signed (a store in memory holds
        # nothing from before this process)
        hub_app.ledger.sign_soon()

    @app.after_request
    def sign_soon(response: Any) -> Any:
        # A checkpoint covers every write within HUB_HEAD_EVERY_SECONDS: one per interval, never one per post.
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 300 and hub_app.last_written:
            hub_app.ledger.sign_soon()
        return response

    i18n.init(app)
    app.register_blueprint(ui.bp)  # after follow_and_identify: its sign-in check needs g.principal

    @app.after_request
    def name_the_worker(response: Any) -> Any:
        response.headers["X-Hub-Worker"] = str(os.getpid())  # which process answered (multi-worker deployments)
        return response

    @app.get("/api/health")
    def health() -> Any:
        following = "subscription" if live.subscribed else "polling"
        problem = live.problem  # answers stay right (each request reads the log), but an operator should know
        return jsonify(status="degraded" if problem else "ok", store=describe(app.config["HUB_DATABASE_URL"]),
                       events=hub_app.log_length(), following=following, read_model_at=live.graph.position,
                       **({"problem": problem} if problem else {}))

    return app


POSITION_HEADER = "X-Hub-Position"  # sent with every write's answer
READ_AFTER_HEADER = "X-Hub-Min-Position"  # a client sends it to read what it wrote through another worker


def _position_to_read() -> int:
    """The lowest log position this request must see: from its header or the signed-in session."""
    from flask import request, session

    sent = request.headers.get(READ_AFTER_HEADER, "").strip()
    position = int(session.get("hub_position") or 0)
    if sent:
        if not sent.isdigit() or len(sent) > 18:
            raise InvalidCommand("a log position is a whole number, as sent in X-Hub-Position", READ_AFTER_HEADER)
        position = max(position, int(sent))
    return position
