"""Experience exchanges: post (with a receipt), confirm, dispute, correct, retract (partners, for their own
organisation)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from hub import commands as cmd
from web import schemas
from web.api.common import Annotated, RecordBlueprint, expected_version, idempotency_key, record_of, with_receipt
from web.context import hub_app, principal

blp = RecordBlueprint("exchanges", schemas.Exchange,
                      "Exchanges: list, create, read at any moment, history and commands.")
blp.add_reads(schemas.ExchangeFilters)


@blp.creates(cmd.POST_EXCHANGE, out=with_receipt(schemas.Exchange))
def post(data: dict[str, Any]) -> Any:
    """Post an experience exchange for your organisation; the answer carries a receipt."""
    app = hub_app()
    new_id = app.post_exchange(by=principal(), client_key=idempotency_key(), **data)
    position = app.position_of(new_id, 1)
    if position is None:  # the record was just stored: its first event has a position
        raise LookupError(f"the exchange {new_id} has no position in the log")
    # Checkpoints are signed once a second, not per post: the receipt is ready then (or already, if one covers it).
    return Annotated(record_of("exchanges", new_id, written=True), receipt=app.ledger.receipt_if_ready(position),
                     receipt_url=url_for("audit.proof", position=position))


@blp.command("confirm", cmd.CONFIRM_EXCHANGE)
def confirm(record_id: UUID, data: dict[str, Any]) -> None:
    """Confirm an exchange that names your organisation."""
    hub_app().confirm_exchange(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("dispute", cmd.DISPUTE_EXCHANGE)
def dispute(record_id: UUID, data: dict[str, Any]) -> None:
    """Dispute an exchange that names your organisation, with a reason: it then counts as confirmed nowhere
    (until your organisation confirms it)."""
    hub_app().dispute_exchange(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("correct", cmd.CORRECT_EXCHANGE)
def correct(record_id: UUID, data: dict[str, Any]) -> None:
    """Correct your organisation's exchange."""
    hub_app().correct_exchange(record_id, by=principal(), expected_version=expected_version(), **data)


@blp.command("retract", cmd.RETRACT_EXCHANGE)
def retract(record_id: UUID, data: dict[str, Any]) -> None:
    """Retract your organisation's exchange, with a reason."""
    hub_app().retract_exchange(record_id, by=principal(), expected_version=expected_version(), **data)
