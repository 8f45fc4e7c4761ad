"""Security-relevant events leave a trace: failed and throttled sign-ins and refused calls in the metrics, a
throttled sign-in in the audit log (once per address and window, not per guess), write-guard refusals in the
websocket metrics, creating and revoking an API token in the audit log."""

from __future__ import annotations

import re

import httpx
import pytest
from pycrdt import Map
from sqlalchemy import select

from tests.conftest import World
from tests.support.accounts import PASSWORD, add_user, sign_in
from tests.support.server import LiveServer
from tests.support.yclient import YClient
from workspace.audit.chain import verify
from workspace.audit.models import AuditEvent
from workspace.audit.security import THROTTLED_EVENT

METRICS_TOKEN = "scrape-me"


@pytest.fixture
def watched(make_server: object) -> LiveServer:
    return make_server(metrics_token=METRICS_TOKEN)  # type: ignore[operator, no-any-return]


def _metric(server: LiveServer, name: str, **labels: str) -> float:
    text = httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10).text
    for line in text.splitlines():
        found = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if found and dict(re.findall(r'(\w+)="([^"]*)"', found[1])) == labels:
            return float(found[2])
    return 0.0


def _events(server: LiveServer, kind: str) -> list[AuditEvent]:
    with server.services.sessions() as db:
        return list(db.execute(select(AuditEvent).where(AuditEvent.kind == kind)).scalars())


def test_failed_and_throttled_sign_ins_are_counted_and_the_throttling_audited(watched: LiveServer) -> None:
    add_user(watched.services.sessions, "target@example.test", "rep")
    with httpx.Client(base_url=watched.url, timeout=10) as client:
        codes = [
            client.post("/api/session", json={"email": "target@example.test", "password": f"guess-{i}"}).status_code
            for i in range(13)
        ]
    # Ten quick tries, then one every six seconds (a slow machine may earn one more try meanwhile).
    assert codes[:10] == [401] * 10 and codes[10] == 429 and set(codes) == {401, 429}
    failed = _metric(watched, "dealroom_http_refused_total", reason="not_signed_in", endpoint="sign_in")
    throttled = _metric(watched, "dealroom_http_refused_total", reason="rate_limited", endpoint="sign_in")
    assert (failed, throttled) == (codes.count(401), codes.count(429))
    [event] = _events(watched, THROTTLED_EVENT)  # one per address and window, not one per guess
    assert event.data["address"] == "127.0.0.1" and "too many wrong passwords" in event.data["detail"]
    with watched.services.sessions() as db:
        assert verify(db).intact


def test_refused_calls_are_counted_by_reason_and_route(watched: LiveServer) -> None:
    add_user(watched.services.sessions, "buyer@example.test", "customer")
    buyer = sign_in(watched.url, "buyer@example.test")
    assert buyer.http.get("/api/pricebook").status_code == 403
    assert httpx.get(f"{watched.url}/api/me", timeout=10).status_code == 401
    assert _metric(watched, "dealroom_http_refused_total", reason="forbidden", endpoint="get_pricebook") == 1
    assert _metric(watched, "dealroom_http_refused_total", reason="not_signed_in", endpoint="me") == 1
    buyer.http.close()


async def test_write_guard_refusals_are_counted(watched: LiveServer) -> None:
    world = World(watched)
    before = _metric(watched, "dealroom_ws_refused_total", reason="forbidden")
    async with YClient(world.ws(), world.customer.bearer) as customer:
        await customer.edit(lambda doc: doc.get("computed", type=Map).__setitem__("total", "0.00"))
        await customer.wait_closed()
    assert customer.close_code == 4403
    assert _metric(watched, "dealroom_ws_refused_total", reason="forbidden") == before + 1
    for api in (world.rep, world.customer, world.outsider, world.legal):
        api.http.close()


def test_creating_and_revoking_an_api_token_is_audited(server: LiveServer) -> None:
    rep_id = add_user(server.services.sessions, "rep@example.test", "rep")
    rep = sign_in(server.url, "rep@example.test", PASSWORD)  # creates one token
    [token] = rep.http.get("/api/tokens").json()["tokens"]
    assert rep.http.delete(f"/api/tokens/{token['id']}").status_code == 204
    assert rep.http.delete(f"/api/tokens/{token['id']}").status_code == 204  # again: nothing new happened
    rep.http.close()
    events = _events(server, "token.created") + _events(server, "token.revoked")
    assert [event.kind for event in events] == ["token.created", "token.revoked"]
    expected = {"token_id": token["id"], "name": token["name"]}  # never the token itself
    assert [(event.actor_id, event.data) for event in events] == [(rep_id, expected), (rep_id, expected)]
    assert rep.token not in str([event.data for event in events])
    with server.services.sessions() as db:
        assert verify(db).intact
