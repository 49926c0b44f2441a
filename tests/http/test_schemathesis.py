"""Schemathesis against /api/openapi.json, in-process: no server error, every response matches its schema.

Driven through hypothesis directly (one property per operation), not through
schemathesis' pytest plugin, which does not load under this pytest version.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from hub.application import HubApplication
from hub.authorisation import Principal
from hub.sample import load_sample
from web import create_app

EXAMPLES = int(os.environ.get("HUB_FUZZ_EXAMPLES", "25"))


@schemathesis.check
def schema_valid_data_is_accepted_unless_a_business_rule_refuses_it(ctx, response, case):
    """Schemathesis' positive-data acceptance, knowing the one 422 the document cannot rule out.

    Business rules (a counterpart that exists, dates in order, a log at least this long, a partner account's
    organisation) cannot be said in OpenAPI; the server marks those refusals ``refused_by: rule``. A 422 marked
    ``schema`` for data the document calls valid is a disagreement between the two, and fails.
    """
    if response.status_code == 422 and (response.json() or {}).get("refused_by") == "rule":
        return None
    return checks.positive_data_acceptance(ctx, response, case)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
    schema_valid_data_is_accepted_unless_a_business_rule_refuses_it,
]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}"
    setup = HubApplication(url)
    load_sample(setup)
    account = setup.create_account(by=Principal.operator("setup"), name="Fuzzer", role="manager")
    token = setup.issue_token(account, by=Principal.operator("setup")).token
    setup.close()
    app = create_app({"HUB_DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False})
    return app, token


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_conforms_to_the_openapi_document(fuzzed):
    app, token = fuzzed
    ops = operations(app)
    assert len(ops) > 40
    failures = []
    for operation in ops:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            # identity: the in-process WSGI client does not undo gzip (gzip has its own tests in test_api_graph)
            case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
                                   checks=CHECKS)

        try:
            check()
        except Exception as error:  # collect all, report together
            failures.append(f"{operation.label}: {str(error).strip()[:1500]}")
    assert not failures, "\n\n".join(failures)


def test_chains_of_calls_with_links_inferred_from_the_schema(fuzzed):
    """Stateful: schemathesis chains operations through ids it finds in responses (its own link inference)."""
    app, token = fuzzed
    hub_app = app.extensions["hub"]
    before = hub_app.log_length()
    Machine = schemathesis.openapi.from_wsgi("/api/openapi.json", app).as_state_machine()

    class Authenticated(Machine):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=(), **kwargs):
            case.validate_response(response, checks=CHECKS[:-1])

    Authenticated.run(settings=settings(max_examples=max(EXAMPLES, 60), deadline=None, stateful_step_count=6,
                                        suppress_health_check=list(HealthCheck), database=None))
    assert hub_app.log_length() > before  # the chains reached real writes
    assert hub_app.verify_log(sign_pending=True).ok  # and nothing half-written or out of the ledger
