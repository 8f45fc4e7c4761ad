"""Two workers, one room: each room lives in the worker holding its lease; the other relays to it.

Every test runs two real `dealroom serve` processes on PostgreSQL and Redis, with clients spread over both.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest
from pycrdt import Map
from websockets.exceptions import WebSocketException

from tests.support.accounts import seed_room
from tests.support.marks import add_mark, marks
from tests.support.process import ServerProcess
from tests.support.yclient import YClient, edit_until_closed, replica
from tests.workspace.cluster.conftest import LOAD_TEST_RATES, Cluster, MakeCluster, Redis
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker

INTEROP = Path(__file__).resolve().parents[2] / "interop"


async def _connected(url: str, headers: dict[str, str], timeout: float = 15) -> YClient:
    """A synced client, retrying while the room moves between workers (a refused or closed try is retried)."""
    deadline = time.monotonic() + timeout
    while True:
        client = YClient(url, headers)
        try:
            await client.connect()
            if client.synced.is_set():
                return client
        except (OSError, WebSocketException):  # refused, or told to reconnect (1012) while the room moves
            pass
        await client.close()
        if time.monotonic() > deadline:
            raise TimeoutError(f"could not sync with {url} within {timeout} s (last close {client.close_code})")
        await asyncio.sleep(0.1)


async def test_clients_on_two_workers_converge_and_see_each_others_presence(cluster: Cluster) -> None:
    rep = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    owner = cluster.owner_pid()
    assert owner == cluster.a.process.pid  # type: ignore[union-attr]
    customer = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    try:
        await rep.edit(lambda doc: add_mark(doc, "rep on worker a"))
        await customer.edit(lambda doc: add_mark(doc, "customer on worker b"))
        both = {"rep on worker a", "customer on worker b"}
        await rep.wait_for(lambda: both <= marks(rep.doc), what="the customer's paragraph at the rep")
        await customer.wait_for(lambda: both <= marks(customer.doc), what="the rep's paragraph at the customer")

        await customer.set_awareness({"user": {"name": "relayed"}})
        await rep.wait_for(lambda: any(s.get("role") == "customer" for s in _users(rep)), what="presence")
        await rep.set_awareness({"user": {"name": "local"}})
        await customer.wait_for(lambda: any(s.get("role") == "rep" for s in _users(customer)), what="presence")
    finally:
        await rep.close()
        await customer.close()
    # The room never loaded in worker b: one process guards, stores and derives it.
    assert _rooms_loaded(cluster.b.port) == 0
    assert _rooms_loaded(cluster.a.port) >= 1
    async with YClient(cluster.b.ws_url(cluster.room_id), cluster.rep) as fresh:
        assert both <= marks(fresh.doc)


def _users(client: YClient) -> list[dict[str, object]]:
    return [state["user"] for state in client.awareness.values() if isinstance(state, dict) and "user" in state]


def _rooms_loaded(port: int) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    for line in text.splitlines():
        if line.startswith("dealroom_room_docs_loaded "):
            return float(line.split()[1])
    raise AssertionError("no dealroom_room_docs_loaded metric")


async def test_a_relayed_customer_is_refused_with_the_reason_and_the_room_is_unchanged(cluster: Cluster) -> None:
    rep = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    try:
        customer = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
        before = replica(rep.doc)
        await customer.edit(lambda doc: doc.get("computed", type=Map).__setitem__("total", "0.00"))
        await customer.wait_closed()
        assert customer.close_code == 4403
        assert customer.close_reason == "a customer may not write 'computed' in the shared document"
        assert customer.denied == ["a customer may not write 'computed' in the shared document"]
        async with YClient(cluster.b.ws_url(cluster.room_id), cluster.rep) as fresh:
            assert replica(fresh.doc) == before  # the refusal left no trace, in the room's one true state
            # The gateway itself refuses a frame past the size limit: it never crosses Redis to the owner.
            await fresh.send_raw(b"\x00\x02" + b"\x00" * (1024 * 1024))
            await fresh.wait_closed()
            assert fresh.close_code == 4413
            assert fresh.close_reason == f"message of {1024 * 1024 + 2} bytes exceeds the limit of {1024 * 1024} bytes"
        async with YClient(cluster.b.ws_url(cluster.room_id), cluster.rep) as fresh:
            assert replica(fresh.doc) == before
    finally:
        await rep.close()


async def test_http_on_another_worker_reaches_the_room_where_it_lives(cluster: Cluster) -> None:
    rep = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    try:
        # Threads are written by the server into the room: a call on worker b must land in worker a's room.
        response = httpx.post(
            f"http://127.0.0.1:{cluster.b.port}/api/rooms/{cluster.room_id}/threads",
            headers=cluster.customer,
            json={"kind": "question", "anchor": {"type": "room"}, "text": "Can we pay quarterly?"},
        )
        assert response.status_code == 201, response.text
        thread_id = response.json()["id"]

        def seen() -> bool:
            return thread_id in json.dumps(rep.doc.get("comments", type=Map).to_py())

        await rep.wait_for(seen, what="the thread, live at the rep on worker a")
        listed = httpx.get(f"http://127.0.0.1:{cluster.b.port}/api/rooms/{cluster.room_id}/threads",
                           headers=cluster.rep)  # fmt: skip
        assert [t["id"] for t in listed.json()["threads"]] == [thread_id]
        assert _rooms_loaded(cluster.b.port) == 0
    finally:
        await rep.close()


async def test_a_revoked_token_closes_its_socket_on_every_worker(cluster: Cluster) -> None:
    rep_on_a = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    customer_on_a = await _connected(cluster.a.ws_url(cluster.room_id), cluster.customer)
    customer_on_b = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    try:
        tokens = httpx.get(f"http://127.0.0.1:{cluster.b.port}/api/tokens", headers=cluster.customer).json()
        token_id = tokens["tokens"][0]["id"]
        revoked = httpx.delete(f"http://127.0.0.1:{cluster.b.port}/api/tokens/{token_id}", headers=cluster.customer)
        assert revoked.status_code == 204
        for client in (customer_on_a, customer_on_b):
            await client.wait_closed()
            assert client.close_code == 4401
        assert not rep_on_a.closed.is_set()
    finally:
        for client in (rep_on_a, customer_on_a, customer_on_b):
            await client.close()


async def test_sigkill_of_the_owner_loses_nothing_anyone_saw_and_the_other_worker_takes_the_room(
    cluster: Cluster,
) -> None:
    on_a = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    on_b = [await _connected(cluster.b.ws_url(cluster.room_id), h) for h in (cluster.rep, cluster.customer)]
    assert cluster.owner_pid() == cluster.a.process.pid  # type: ignore[union-attr]
    editors = [asyncio.create_task(edit_until_closed(c, n)) for c, n in zip(on_b, ("rep-b", "buyer-b"), strict=True)]
    await on_a.wait_for(lambda: len(marks(on_a.doc)) >= 100, timeout=30, what="100 relayed edits")
    os.kill(cluster.a.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
    killed_at = time.monotonic()
    for client in (on_a, *on_b):
        await client.wait_closed(timeout=10)  # the relayed ones are told to reconnect (1012)
    await asyncio.gather(*editors)
    assert [c.close_code for c in on_b] == [1012, 1012]
    seen = marks(on_a.doc) | {m for c, n in zip(on_b, ("rep-b", "buyer-b"), strict=True) for m in marks(c.doc)
                              if not m.startswith(n)}  # fmt: skip
    back = await _connected(cluster.b.ws_url(cluster.room_id), cluster.rep, timeout=15)
    moved_in = time.monotonic() - killed_at
    try:
        lost = seen - marks(back.doc)
        assert lost == set(), f"{len(lost)} edits that clients had received were lost, e.g. {sorted(lost)[:5]}"
        assert cluster.owner_pid() == cluster.b.process.pid  # type: ignore[union-attr]
        assert moved_in < 10
    finally:
        await back.close()


async def test_a_redis_restart_tells_clients_who_resync_and_nothing_acknowledged_is_lost(cluster: Cluster) -> None:
    on_a = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    on_b = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    editors = [
        asyncio.create_task(edit_until_closed(on_a, "rep-a")),
        asyncio.create_task(edit_until_closed(on_b, "b")),
    ]
    await on_a.wait_for(lambda: sum(m.startswith("b-") for m in marks(on_a.doc)) >= 30, timeout=30)
    cluster.redis.restart()
    for client in (on_a, on_b):
        await client.wait_closed(timeout=10)
        assert client.close_code in (1012, 1013)
    await asyncio.gather(*editors)
    seen = {m for m in marks(on_a.doc) if m.startswith("b-")} | {m for m in marks(on_b.doc) if m.startswith("rep-a")}
    again = await _connected(cluster.b.ws_url(cluster.room_id), cluster.rep, timeout=20)
    try:
        lost = seen - marks(again.doc)
        assert lost == set(), f"{len(lost)} acknowledged edits were lost, e.g. {sorted(lost)[:5]}"
    finally:
        await again.close()


@pytest.mark.skipif(
    shutil.which("node") is None or not (INTEROP / "node_modules" / "y-websocket").is_dir(),
    reason="needs node and `npm ci` in tests/interop (the README's test command does both)",
)
async def test_a_yjs_client_relayed_through_another_worker_syncs_both_ways(cluster: Cluster) -> None:
    python = await _connected(cluster.a.ws_url(cluster.room_id), cluster.customer)
    try:
        token = cluster.rep["Authorization"].split()[1]
        node = await asyncio.create_subprocess_exec(
            "node", str(INTEROP / "interop.mjs"), "roundtrip", f"ws://127.0.0.1:{cluster.b.port}/ws/rooms/{cluster.room_id}",
            token, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        await python.wait_for(lambda: "from node" in marks(python.doc), what="the node client's paragraph")
        await python.wait_for(lambda: any(u.get("role") == "rep" for u in _users(python)), what="the node presence")
        await python.set_awareness({"user": {"name": "python", "color": "#00f"}})
        await python.edit(lambda doc: add_mark(doc, "from python"))
        stdout, stderr = await asyncio.wait_for(node.communicate(), 30)
        assert node.returncode == 0, stderr.decode()
        result = json.loads(stdout.decode().strip().splitlines()[-1])
        assert "from node" in result["terms"] and "from python" in result["terms"]
        assert [p["role"] for p in result["presence"]] == ["customer"]
    finally:
        await python.close()


async def test_one_persons_limit_counts_their_connections_on_every_worker(make_cluster: MakeCluster) -> None:
    cluster = make_cluster(max_connections_per_person="2")
    held = [await _connected(cluster.a.ws_url(cluster.room_id), cluster.customer),
            await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)]  # fmt: skip
    try:
        third = YClient(cluster.b.ws_url(cluster.room_id), cluster.customer)
        await third.connect(handshake=False)  # the refusal comes before any sync
        await third.wait_closed()
        assert third.close_code == 4529, (third.close_code, third.close_reason)
        assert "already have 2 connections" in third.close_reason
    finally:
        for client in held:
            await client.close()


async def test_a_killed_gateways_clients_leave_the_room_and_their_presence_goes(cluster: Cluster) -> None:
    rep = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    customer = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    try:
        await customer.set_awareness({"user": {"name": "on b"}})
        await rep.wait_for(lambda: any(u.get("role") == "customer" for u in _users(rep)), what="customer's presence")
        os.kill(cluster.b.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
        await rep.wait_for(lambda: not any(u.get("role") == "customer" for u in _users(rep)), timeout=10,
                           what="the customer's presence to go")  # fmt: skip
        assert not rep.closed.is_set()  # the room stays where it is
        await rep.edit(lambda doc: add_mark(doc, "still here"))
        async with YClient(cluster.a.ws_url(cluster.room_id), cluster.rep) as fresh:
            assert "still here" in marks(fresh.doc)
    finally:
        await rep.close()
        await customer.close()


async def test_dealroom_serve_with_two_workers_on_one_port_survives_killing_the_rooms_worker(
    pg_url: str, redis: Redis, tmp_path: Path
) -> None:
    engine = make_engine(Settings(database_url=pg_url))
    room_id, rep_token, customer_token = seed_room(make_sessionmaker(engine))
    engine.dispose()
    server = ServerProcess(pg_url, tmp_path, workers=2, redis_url=redis.url, **LOAD_TEST_RATES).start()
    headers = [{"Authorization": f"Bearer {t}"} for t in (rep_token, customer_token)]
    try:
        # The kernel spreads the connections of one port over both workers.
        clients = [await _connected(server.ws_url(room_id), headers[i % 2]) for i in range(6)]
        names = [f"c{i}" for i in range(6)]
        editors = [asyncio.create_task(edit_until_closed(c, n)) for c, n in zip(clients, names, strict=True)]
        await clients[0].wait_for(lambda: len(marks(clients[0].doc)) >= 150, timeout=30, what="150 edits")
        holder = redis.get(f"dealroom:room:{room_id}")
        os.kill(int(holder.rsplit("-", 2)[1]), signal.SIGKILL)
        for client in clients:
            await client.wait_closed(timeout=10)  # every client: on the killed worker, or relayed to it
        await asyncio.gather(*editors)
        seen = set().union(
            *({m for m in marks(c.doc) if not m.startswith(f"{n}-")} for c, n in zip(clients, names, strict=True))
        )
        back = await _connected(server.ws_url(room_id), headers[0], timeout=20)
        try:
            lost = seen - marks(back.doc)
            assert lost == set(), f"{len(lost)} edits that clients had received were lost, e.g. {sorted(lost)[:5]}"
        finally:
            await back.close()
    finally:
        server.stop()


async def test_database_connections_cut_under_load_lose_nothing_acknowledged(cluster: Cluster, pg_url: str) -> None:
    from sqlalchemy import create_engine, text

    rep = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    customer = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    editors = [asyncio.create_task(edit_until_closed(c, n)) for c, n in ((rep, "rep"), (customer, "buyer"))]
    await rep.wait_for(lambda: sum(m.startswith("buyer-") for m in marks(rep.doc)) >= 50, timeout=30)
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:  # a failover: every connection of the workers is cut at once
        cut = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE application_name = 'dealroom'")).scalar_one()  # fmt: skip
    admin.dispose()
    assert cut >= 1
    await asyncio.sleep(0.5)  # let the editors run into the cut: some commits fail, their clients are closed
    for editor in editors:
        editor.cancel()
    await asyncio.gather(*editors, return_exceptions=True)
    seen = {m for m in marks(rep.doc) if m.startswith("buyer-")} | {
        m for m in marks(customer.doc) if m.startswith("rep-")
    }
    await rep.close()
    await customer.close()
    # The workers carry on with new connections: an edit after the cut is stored and seen.
    again = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    watcher = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    try:
        await again.edit(lambda doc: add_mark(doc, "after the failover"))
        await watcher.wait_for(lambda: "after the failover" in marks(watcher.doc), what="an edit after the cut")
        lost = seen - marks(watcher.doc)
        assert lost == set(), f"{len(lost)} acknowledged edits were lost, e.g. {sorted(lost)[:5]}"
    finally:
        await again.close()
        await watcher.close()


def test_failed_sign_ins_spread_over_workers_spend_one_budget(cluster: Cluster) -> None:
    statuses = []
    for i in range(11):
        server = (cluster.a, cluster.b)[i % 2]
        response = httpx.post(f"http://127.0.0.1:{server.port}/api/session",
                              json={"email": "rep@seed.test", "password": f"wrong-{i}-password"})  # fmt: skip
        statuses.append(response.status_code)
    assert statuses == [401] * 10 + [429]


async def test_a_worker_stopped_for_a_deploy_hands_its_rooms_over_at_once(cluster: Cluster) -> None:
    on_a = await _connected(cluster.a.ws_url(cluster.room_id), cluster.rep)
    on_b = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    await on_b.edit(lambda doc: add_mark(doc, "before the deploy"))
    await on_a.wait_for(lambda: "before the deploy" in marks(on_a.doc))
    cluster.a.stop()  # SIGTERM: a graceful stop
    stopped_at = time.monotonic()
    await on_b.wait_closed()
    assert on_b.close_code in (1001, 1012)
    back = await _connected(cluster.b.ws_url(cluster.room_id), cluster.customer)
    try:
        assert "before the deploy" in marks(back.doc)
        # Given up at the stop, not after the heartbeat expired: the room is this worker's at once.
        assert time.monotonic() - stopped_at < 4
        assert cluster.owner_pid() == cluster.b.process.pid  # type: ignore[union-attr]
    finally:
        await back.close()
        await on_a.close()
