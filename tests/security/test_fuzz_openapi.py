"""The HTTP API fuzzed from its OpenAPI document (schemathesis): requests that fit the document and requests that
do not, signed in as the demo rep with an API token. No answer may be a server error, and every answer must be
one the document lists, with the content type and body schema it gives.

SQLite only: the fuzzer looks for unhandled inputs, which do not depend on the database; the matrix and the rest
of the suite run on both. A bounded number of examples per operation keeps this near a minute on two cores.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
)

from tests.conftest import _migrate
from tests.conftest import test_settings as settings_for
from tests.support.server import LiveServer
from workspace import openapi
from workspace.auth.models import ApiToken, User
from workspace.auth.secrets import digest, new_token
from workspace.auth.signin_guard import SignInGuard
from workspace.auth.throttle import Throttle
from workspace.demo import DEMO_CLAUSES, DEMO_ROOM_ID, seed_demo

EXAMPLES_PER_OPERATION = 8

# Checks left out, and why:
# - ignored_auth sends the request again with the document's security schemes broken, but the Bearer token goes
#   along in the call's headers, so it "succeeds"; who may call what is the matrix's job (test_authz_matrix).
# - positive_data_acceptance and negative_data_rejection hold the server to the schemas alone, but the document
#   also states rules in prose that a schema does not hold: "an empty or whitespace-only text field is 400",
#   "a field given as null counts as absent", `format` values other than the enum give JSON.
EXCLUDED_CHECKS = [ignored_auth, positive_data_acceptance, negative_data_rejection]
# `?format=yaml` answers YAML text (documented as `type: string`), which schemathesis parses before validating.
EXCLUDED_FOR = {"GET /api/approvals/policy": [response_schema_conformance]}
# Revoking a token by id would sooner or later revoke the fuzzer's own (ids are small integers); the matrix covers it.
NOT_FUZZED = ["revoke_token"]


def _document() -> dict[str, Any]:
    """The document, with the ids of the demo data offered beside random ones, so that bodies reach the room."""
    document = copy.deepcopy(openapi.DOCUMENT)
    document["components"]["parameters"]["RoomId"]["schema"] = {"type": "string", "enum": [DEMO_ROOM_ID, "no-room"]}
    known = {"clause_id": [*DEMO_CLAUSES[:3], "no-clause"], "sku": ["PLAT-ENT", "SUP-PREM", "NO-SKU"]}
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path" and parameter.get("name") in known:
                    parameter["schema"] = {"type": "string", "enum": known[parameter["name"]]}
    return document


class FuzzServer:
    def __init__(self, database_url: str) -> None:
        self.server = LiveServer(settings_for(database_url, metrics_public=True)).start()
        self.tokens: dict[str, str] = {}
        with self.server.services.sessions.begin() as db:
            seed_demo(db)
            for email in ("rep@demo.test", "admin@demo.test"):
                user = db.query(User).filter_by(email=email).one()
                self.tokens[email] = new_token("drt")
                db.add(ApiToken(user_id=user.id, name="fuzz", token_hash=digest(self.tokens[email])))

    def fresh_throttles(self) -> None:
        """Throttled endpoints (sign-in, secret links) answer 429 after a few tries; the fuzzer tries thousands."""
        services = self.server.services
        services.attempts = Throttle()
        services.signin = SignInGuard(self.server.settings.secret_key)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'dealroom.sqlite3'}"
    _migrate(url)
    built = FuzzServer(url)
    yield built
    built.server.stop()


schema = schemathesis.openapi.from_dict(_document())
# What only admins (and legal) may change parses the largest bodies: price books, plans, policies, clause libraries.
ADMIN_WRITES = ["put_pricebook", "put_plan", "put_approval_policy", "put_sso_settings", "create_delegation",
                "create_clause", "add_clause_version", "publish_clause_version", "retire_clause_version",
                "import_clause_library", "create_enablement_card", "update_enablement_card"]  # fmt: skip


@schema.exclude(operation_id=NOT_FUZZED).parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_only_documented_answers(case: schemathesis.Case, fuzzed: FuzzServer) -> None:
    _call_and_check(case, fuzzed, "rep@demo.test")


@schema.include(operation_id=ADMIN_WRITES).parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_admin_writes_answer_without_server_errors(case: schemathesis.Case, fuzzed: FuzzServer) -> None:
    _call_and_check(case, fuzzed, "admin@demo.test")


def _call_and_check(case: schemathesis.Case, fuzzed: FuzzServer, email: str) -> None:
    fuzzed.fresh_throttles()
    headers = {"Authorization": f"Bearer {fuzzed.tokens[email]}"}
    response = case.call(base_url=fuzzed.server.url, headers=headers, timeout=60)
    if _known_version_overflow(case, response.status_code):
        return  # a known bug, held by test_walls.test_a_price_book_version_out_of_range_is_not_found (strict xfail)
    excluded = EXCLUDED_CHECKS + EXCLUDED_FOR.get(case.operation.label, [])
    case.validate_response(response, excluded_checks=excluded, headers=headers)


# `GET /api/pricebook?version=` past the database's integers (PostgreSQL: 2**31, SQLite: 2**63) is a 500.
def _known_version_overflow(case: schemathesis.Case, status: int) -> bool:
    value = (case.query or {}).get("version") if case.operation.label == "GET /api/pricebook" else None
    return status == 500 and isinstance(value, int) and not -(2**31) <= value < 2**31
