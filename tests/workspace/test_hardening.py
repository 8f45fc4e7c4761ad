"""Small walls (issue 11.7): hostile JSON is a 400 that changes nothing, pages carry security
headers, and an awareness state nested too deeply closes the socket with a reason."""

from __future__ import annotations

import httpx

from tests.conftest import World
from tests.support.server import LiveServer
from tests.support.yclient import YClient


def _deep(levels: int) -> bytes:
    return b'{"email": ' + b"[" * levels + b"1" + b"]" * levels + b', "password": "x"}'


def test_deeply_nested_json_is_refused_not_a_500(server: LiveServer) -> None:
    for levels in (40, 100_000):  # past our depth limit, and past Python's own parser
        response = httpx.post(
            server.url + "/api/session", content=_deep(levels), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"] == "invalid_input"
        assert "nests deeper than 32 levels" in response.json()["detail"]


def test_a_lone_surrogate_in_a_title_is_refused_and_nothing_is_made(world: World) -> None:
    before = world.rep.http.get("/api/rooms").json()["rooms"]
    body = b'{"title": "Deal \\ud800", "customer_name": "Acme"}'
    response = world.rep.http.post("/api/rooms", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert "not valid Unicode" in response.json()["detail"]
    assert world.rep.http.get("/api/rooms").json()["rooms"] == before
    renamed = world.rep.http.patch(
        f"/api/rooms/{world.room_id}", content=b'{"title": "\\udfff"}', headers={"Content-Type": "application/json"}
    )
    assert renamed.status_code == 400


def test_pages_and_answers_carry_security_headers(server: LiveServer) -> None:
    for path in ("/", "/signin", "/healthz", "/api/me", "/api/openapi.json"):
        headers = httpx.get(server.url + path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "object-src 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


async def test_an_awareness_state_nested_too_deeply_is_refused(world: World) -> None:
    deep: object = "cursor"
    for _ in range(20):
        deep = {"a": deep}
    client = YClient(world.ws(), world.customer.bearer)
    await client.connect()
    await client.set_awareness({"user": deep})
    await client.wait_closed()
    assert client.close_code == 4400
    assert "nests deeper than 8 levels" in (client.close_reason or "")
