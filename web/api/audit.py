"""The tamper-evident log over HTTP: public key, signed heads, proofs, verification."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from hub.errors import InvalidCommand, NotFound
from web import schemas
from web.context import hub_app, require_reader_of_everything

blp = Blueprint("audit", __name__, url_prefix="/api/audit",
                description="Verify the log: signed tree heads, inclusion and consistency proofs (RFC 6962).")


class ProofArgs(Schema):
    position = fields.Integer(required=True, validate=validate.Range(min=1, max=schemas.MAX_INT))


class ConsistencyArgs(Schema):
    from_ = fields.Integer(required=True, data_key="from", validate=validate.Range(min=1, max=schemas.MAX_INT))
    to = fields.Integer(required=True, validate=validate.Range(min=1, max=schemas.MAX_INT))


@blp.route("/key", methods=["GET"], endpoint="key")
@blp.doc(security=[])  # open to anyone: the OpenAPI document says so
@blp.response(200, content_type="application/x-pem-file")
def public_key() -> Response:
    """The Ed25519 public key that checks checkpoints and receipts (PEM). Public."""
    return Response(hub_app().ledger.published_key().pem(), mimetype="application/x-pem-file")


@blp.route("/head", methods=["GET"], endpoint="head")
@blp.response(200, schemas.TreeHead)
def head() -> Any:
    """The newest signed checkpoint (one is signed within a second of every write)."""
    ledger = hub_app().ledger
    head = ledger.sign_if_due() or ledger.latest_head() or ledger.sign_head()
    return ledger.with_cosignatures(head).as_head()


@blp.route("/proof", methods=["GET"], endpoint="proof")
@blp.arguments(ProofArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.Receipt)
def proof(position: int) -> Any:
    """A receipt for the event at ``position``: its leaf, a signed head and the inclusion proof."""
    try:
        return hub_app().ledger.receipt(position)
    except LookupError as error:
        raise NotFound(str(error), "position") from None


@blp.route("/consistency", methods=["GET"], endpoint="consistency")
@blp.arguments(ConsistencyArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.Consistency)
def consistency(from_: int, to: int) -> Any:
    """Proof that the log of ``from`` events is a prefix of the log of ``to`` events."""
    ledger = hub_app().ledger
    ledger.catch_up()
    if not from_ <= to <= ledger.tree.size:
        raise InvalidCommand(f"need from ≤ to ≤ {ledger.tree.size} (the log's size)", "to")

    def signed(size: int) -> Any:
        try:
            return ledger.head_of_size(size).as_head()
        except LookupError:
            return None

    return {"from_": from_, "to": to, "from_head": signed(from_), "to_head": signed(to),
            "proof": ledger.consistency(from_, to)}


@blp.route("/verify", methods=["GET"], endpoint="verify")
@blp.response(200, schemas.VerificationOut)
def verify() -> Any:
    """Recompute the whole Merkle log and check every signed head (managers and auditors)."""
    require_reader_of_everything()
    report = hub_app().verify_log(sign_pending=True)
    return {"ok": report.ok, "events": report.events, "heads": report.heads, "root": report.root,
            "first_problem": str(report.first) if report.first else None,
            "problems": [{"position": p.position, "what": p.what} for p in report.problems[:100]]}
