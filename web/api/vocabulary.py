"""The domain's closed lists with their Polish and English labels (public: they are not the record)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from hub.regions import REGIONS
from hub.vocabulary import vocabularies
from web import schemas

blp = Blueprint("vocabulary", __name__, url_prefix="/api/vocabulary",
                description="Codes and their Polish and English labels: kinds, roles, formats, statuses, areas.")


@blp.route("", methods=["GET"], endpoint="all")
@blp.doc(security=[])  # open to anyone: the OpenAPI document says so
@blp.response(200, schemas.Vocabularies)
def all_vocabularies() -> dict[str, Any]:
    """Every vocabulary as a list of ``{code, pl, en}``, in the order forms show them; regions by TERYT code."""
    lists = {name: [{"code": code, "pl": pl, "en": en} for code, (pl, en) in vocabulary.items()]
             for name, vocabulary in vocabularies().items()}
    lists["regions"] = [{"code": code, "pl": name, "en": name} for code, name in REGIONS.items()]
    return lists
