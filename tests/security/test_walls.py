"""Small walls the matrix and the fuzzer ran into: what a refused method, an id past the database's integers and
a throttled operation answer. Bugs in code that is not ours to change are strict xfails naming the file."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml

from tests.support.accounts import add_user, sign_in
from tests.support.server import LiveServer
from workspace import openapi

DOCUMENT: dict[str, Any] = yaml.safe_load(openapi.SOURCE.read_text(encoding="utf-8"))


def test_a_405_names_every_method_of_the_path(server: LiveServer) -> None:
    for method, path, allowed in [
        ("TRACE", "/api/rooms", "GET, HEAD, POST"),  # two routes share the path: both are named
        ("DELETE", "/api/rooms/some-room", "GET, HEAD, PATCH"),
        ("PUT", "/api/tokens/3", "DELETE"),
    ]:
        response = httpx.request(method, server.url + path, timeout=10)
        assert response.status_code == 405, (method, path)
        assert response.headers["Allow"] == allowed, (method, path)
        assert response.json()["error"] == "method_not_allowed"


def test_reading_the_import_route_is_405_not_a_missing_clause(server: LiveServer) -> None:
    response = httpx.get(server.url + "/api/clauses/import", timeout=10)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


# Past PostgreSQL's INTEGER (the ids' columns) and past SQLite's integers: neither may reach the database.
OUT_OF_RANGE = [2**31, 2**63, 99999999999999999999]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("DELETE", "/api/tokens/{id}", None, id="token"),
        pytest.param("PATCH", "/api/users/{id}", {}, id="person"),
        pytest.param("DELETE", "/api/approvals/delegations/{id}", None, id="delegation"),
    ],
)
def test_an_id_out_of_range_is_not_found(server: LiveServer, method: str, path: str, body: Any) -> None:
    add_user(server.services.sessions, "admin@example.test", "admin")
    admin = sign_in(server.url, "admin@example.test")
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    answers = {number: admin.http.request(method, path.format(id=number), **kwargs) for number in OUT_OF_RANGE}
    admin.http.close()
    assert {number: response.status_code for number, response in answers.items()} == dict.fromkeys(OUT_OF_RANGE, 404)
    assert {response.json()["error"] for response in answers.values()} == {"not_found"}


def test_a_price_book_version_out_of_range_is_not_found(server: LiveServer) -> None:
    add_user(server.services.sessions, "admin@example.test", "admin")
    admin = sign_in(server.url, "admin@example.test")
    answers = {number: admin.http.get("/api/pricebook", params={"version": number}) for number in OUT_OF_RANGE}
    admin.http.close()
    assert {number: response.status_code for number, response in answers.items()} == dict.fromkeys(OUT_OF_RANGE, 404)


THROTTLED = ["sign_in", "accept_invitation", "show_invitation", "approval_link_decide"]


@pytest.mark.parametrize("operation_id", THROTTLED)
def test_throttled_operations_document_their_429(operation_id: str) -> None:
    [operation] = [
        operation
        for item in DOCUMENT["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and operation.get("operationId") == operation_id
    ]
    assert "429" in operation["responses"]
