"""Spreadsheet onboarding in the browser: upload, see what would happen, then import all of it or nothing.

The upload is checked at once as a dry run (``hub.tables.import_tables``) and shown as a preview:
counts per kind, the rows to create or change, and every bad cell with its row and column. The
file waits on the server under its SHA-256 (the preview's form names only the digest), so
"Import" runs exactly the file that was checked; it is deleted once imported, and files older
than a day are swept at the next upload.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from hub import commands as cmd
from hub import tables
from projections.catalogue import resolver
from web.context import hub_app, read_models
from web.ui.common import require

bp = Blueprint("imports", __name__)

#: The largest file the import page takes (a network of thousands of records is a few MB as CSV).
MAX_UPLOAD = 20 * 1024 * 1024
DIGEST = re.compile(r"^[0-9a-f]{64}$")
KEEP_SECONDS = 24 * 3600


def _waiting_room() -> Path:
    folder = Path(current_app.config.get("HUB_UPLOAD_DIR") or Path(tempfile.gettempdir()) / "partnership-hub-uploads")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    for old in folder.glob("*.upload"):
        if time.time() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)


def upload_limit() -> None:
    """The import page takes files up to :data:`MAX_UPLOAD`; every other request keeps the app's 1 MB.
    Registered on the app ahead of CSRF protection, which parses the form before any view runs."""
    if request.endpoint == "ui.imports.upload":
        request.max_content_length = MAX_UPLOAD


@bp.route("/import", methods=["GET", "POST"])
def upload() -> Any:
    who = require(cmd.REGISTER_ORGANISATION)
    if request.method == "GET":
        return render_template("import.html", report=None, problems=[], kinds=list(tables.SHEETS))
    kind = request.form.get("kind") or None
    digest = request.form.get("upload") or ""
    if digest:  # "Import" after a clean preview: the very file that was checked
        if not DIGEST.match(digest) or not (_waiting_room() / f"{digest}.upload").exists():
            flash(_("The checked file is no longer on the server: upload it again."), "error")
            return redirect(url_for("ui.imports.upload"))
        stored = _waiting_room() / f"{digest}.upload"
        data, filename = stored.read_bytes(), request.form.get("filename") or "upload"
    else:
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            return render_template("import.html", report=None, kinds=list(tables.SHEETS),
                                   problems=[tables.Problem(_("Choose a file to upload."))]), 422
        data, filename = sent.read(), sent.filename
    sheets, problems = tables.read_file(data, filename, kind if kind in tables.SHEETS else None)
    if problems:
        return render_template("import.html", report=None, kinds=list(tables.SHEETS), filename=filename,
                               problems=problems), 422
    apply = bool(digest) and request.form.get("action") == "import"
    report = tables.import_tables(hub_app(), who, sheets, resolver(read_models()), dry_run=not apply)
    if apply and report.applied:
        (_waiting_room() / f"{digest}.upload").unlink(missing_ok=True)
        flash(_("Imported from %(file)s: %(created)s created, %(changed)s changed, %(same)s already recorded.",
                file=filename, created=report.count("create"), changed=report.count("change"),
                same=report.count("unchanged")), "success")
        return redirect(url_for("ui.imports.upload"))
    if not report.problems:
        digest = hashlib.sha256(data).hexdigest()
        folder = _waiting_room()
        _sweep(folder)
        stash = folder / f"{digest}.upload"
        stash.write_bytes(data)
    return render_template("import.html", report=report, problems=[], kinds=list(tables.SHEETS), filename=filename,
                           digest=digest, kind=kind), 422 if report.problems else 200


@bp.get("/import/template.xlsx")
def template() -> Response:
    """An empty workbook: a sheet per kind with its columns, and a sheet that explains each column."""
    return Response(tables.template(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="partnership-hub-template.xlsx"'})
