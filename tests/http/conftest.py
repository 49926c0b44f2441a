"""An app on a real SQLite file or PostgreSQL, its test client, and a token for each role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hub.application import HubApplication
from hub.authorisation import Principal
from web import create_app


@dataclass
class World:
    client: Any
    hub: HubApplication
    tokens: dict[str, str]
    ids: dict[str, Any]

    def headers(self, who: str | None, **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return headers

    def get(self, path: str, who: str | None = "manager", headers: dict[str, str] | None = None, **kw: Any):
        return self.client.get(path, headers={**self.headers(who), **(headers or {})}, **kw)

    def post(self, path: str, body: Any = None, who: str | None = "manager", headers: dict[str, str] | None = None):
        return self.client.post(path, json=body, headers={**self.headers(who), **(headers or {})})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def world(world_url):
    flask_app = create_app({"HUB_DATABASE_URL": world_url, "TESTING": True, "HUB_HEAD_EVERY_SECONDS": 0.2})
    hub: HubApplication = flask_app.extensions["hub"]
    ids: dict[str, Any] = {}
    for key, name, region in (("a", "Instytut Badań Edukacyjnych", "14"), ("b", "Kuratorium Oświaty w Rzeszowie", "18"),
                              ("c", "Podkarpackie Centrum Mediacji", "18")):
        ids[key] = hub.register_organisation(by=Principal.operator("setup"), name=name, kind="other", region=region, city="Rzeszów")
    ids["p"] = hub.sign_partnership(
        by=Principal.operator("setup"), name="Podkarpackie partnerstwo", regions=["18"], scope="regional", purpose="ZSK",
        signed_on="2020-12-08", signed_at="Rzeszów", valid_until="2022-06-30",
        members=[{"organisation_id": str(ids["a"]), "role": "leader"}, {"organisation_id": str(ids["b"]), "role": "partner"}])
    tokens = {}
    for who, role, org in (("manager", "manager", None), ("auditor", "auditor", None),
                           ("partner_a", "partner", ids["a"]), ("partner_b", "partner", ids["b"])):
        account = hub.create_account(by=Principal.operator("setup"), name=who, role=role, organisation_id=str(org) if org else None)
        ids[who] = account
        tokens[who] = hub.issue_token(account, by=Principal.operator("setup")).token
    yield World(flask_app.test_client(), hub, tokens, ids)
    flask_app.extensions["hub_live_graph"].close()
    hub.close()
