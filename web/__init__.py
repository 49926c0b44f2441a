"""The web entrypoint: a Flask app factory. Thin: parse, authorise, call hub/projections, render."""

from __future__ import annotations

import atexit
import os
from typing import Any

from flask import Flask, jsonify, render_template

from hub.application import HubApplication
from hub.storage import database_url, describe


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; one HubApplication per process, made here (after a server forks)."""
    app = Flask(__name__)
    app.config.update(
        HUB_DATABASE_URL=database_url(),
        SECRET_KEY=os.environ.get("HUB_SECRET_KEY") or os.urandom(32),
    )
    app.config.update(config or {})
    app.json.ensure_ascii = False  # Polish text stays readable in every response

    hub_app = HubApplication(app.config["HUB_DATABASE_URL"])
    app.extensions["hub"] = hub_app
    atexit.register(hub_app.close)

    @app.get("/api/health")
    def health() -> Any:
        return jsonify(
            status="ok",
            store=describe(app.config["HUB_DATABASE_URL"]),
            events=hub_app.log_length(),
        )

    @app.get("/")
    def index() -> str:
        return render_template("index.html", events=hub_app.log_length())

    return app
