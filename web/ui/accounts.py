"""People's accounts in the UI, for managers: the list, one account's page, and sign-in links.

Creating an account and changing its roles or disabling it are the workbench's generic forms
(:mod:`web.ui.manage`, from the commands' declarations). What is particular to accounts lives
here: a page that shows roles, organisation, state and live tokens by label — never a secret or
its hash — and a button that makes a one-time sign-in link and shows it once, on a page no
browser or proxy keeps (``no-store``). Until this page a manager needed the command line to let
a person in.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, make_response, render_template, request
from werkzeug.wrappers import Response

from hub import commands as cmd
from hub.account import Account
from web.context import hub_app
from web.ui.common import may, record, require
from web.ui.manage import names_of_records

bp = Blueprint("accounts", __name__)


def _people() -> list[dict[str, Any]]:
    name_of = names_of_records(("organisations",))
    return [{"account": a, "organisation": name_of(a.organisation_id) if a.organisation_id else "",
             "tokens": len(a.api_token_labels)} for a in hub_app().accounts()]


@bp.get("/accounts")
def accounts() -> str:
    require(cmd.CREATE_ACCOUNT)
    return render_template("accounts.html", people=_people())


@bp.get("/accounts/<uuid:record_id>")
def account(record_id: UUID) -> str:
    require(cmd.CREATE_ACCOUNT)
    return _page(record(Account, record_id))


@bp.post("/accounts/<uuid:record_id>/sign-in-link")
def sign_in_link(record_id: UUID) -> Response:
    """A new one-time link, shown once: the token follows ``#`` so no server log keeps it."""
    who = require(cmd.ISSUE_TOKEN)
    found = record(Account, record_id)
    issued = hub_app().issue_sign_in_link(found.id, by=who)
    link = f"{request.host_url.rstrip('/')}/signin#token={issued.token}"
    response = make_response(_page(record(Account, record_id), link=link))
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(found: Account, link: str | None = None) -> str:
    name_of = names_of_records(("organisations",))
    return render_template("account.html", r=found, kind="accounts", link=link,
                           tokens=[label or "—" for label in found.api_token_labels], links=found.open_sign_in_links,
                           organisation=name_of(found.organisation_id) if found.organisation_id else "",
                           may_issue=may(cmd.ISSUE_TOKEN))
