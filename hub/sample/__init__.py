"""The built-in sample: the Podkarpackie partnership signed in Rzeszów on 2020-12-08.

The data file records what the article states; dates the article does not
give (when the qualification was drafted and submitted) are set to the
signing date, by which the article says it had already been submitted.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from uuid import UUID

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.initiative import QualificationInitiative
from hub.vocabulary import STANDARD_AREAS

SAMPLE_ACTOR = "sample-loader"


def sample_data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("podkarpackie-2020.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_sample(app: HubApplication, by: Principal | None = None) -> dict[str, UUID]:
    """Load the sample through the application's commands; running it again adds nothing.

    Returns the ids of what it loaded, by the keys in the data file.
    """
    by = by or Principal.operator(SAMPLE_ACTOR)
    data = sample_data()
    ids: dict[str, UUID] = {}
    for org in data["organisations"]:
        fields = {k: v for k, v in org.items() if k != "key"}
        ids[org["key"]] = app.register_organisation(by=by, client_key=f"sample:{org['key']}", **fields)

    project = data["project"]
    ids[project["key"]] = app.register_project(
        by=by, client_key=f"sample:{project['key']}", name=project["name"], programme=project["programme"],
        operator_id=str(ids[project["operator"]]))

    p = data["partnership"]
    fields = {k: v for k, v in p.items() if k not in ("key", "members", "areas")}
    fields["project_id"] = str(ids[project["key"]])
    fields["members"] = [
        {"organisation_id": str(ids[m["organisation"]]), "role": m["role"], "signatory": m["signatory"]}
        for m in p["members"]
    ]
    fields["areas"] = [
        {"code": code, "label_pl": STANDARD_AREAS[code][0], "label_en": STANDARD_AREAS[code][1]}
        for code in p["areas"]
    ]
    ids[p["key"]] = app.sign_partnership(by=by, client_key=f"sample:{p['key']}", **fields)

    for q in data["initiatives"]:
        initiative_id = app.draft_initiative(
            by=by, client_key=f"sample:{q['key']}", title=q["title"],
            partnership_id=str(ids[p["key"]]), drafted_on=q["drafted_on"], description=q["description"],
        )
        ids[q["key"]] = initiative_id
        initiative = app.get(initiative_id)
        if isinstance(initiative, QualificationInitiative) and initiative.status == "drafted":
            app.submit_initiative(initiative_id, by=by, submitted_on=q["submitted_on"])
    return ids
