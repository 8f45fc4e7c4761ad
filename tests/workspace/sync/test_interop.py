"""Interop with the real npm `yjs` and `y-websocket` packages (WebsocketProvider, Bearer header)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from pycrdt import XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.yclient import YClient, replica

INTEROP = Path(__file__).resolve().parents[2] / "interop"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (INTEROP / "node_modules" / "y-websocket").is_dir(),
    reason="needs node and `npm ci` in tests/interop (the README's test command does both)",
)


async def _node(mode: str, base: str, token: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        "node",
        str(INTEROP / "interop.mjs"),
        mode,
        base,
        token,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _result(process: asyncio.subprocess.Process) -> dict[str, object]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    return json.loads(stdout.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]


async def test_yjs_client_syncs_both_ways_and_sees_presence(world: World) -> None:
    base = f"ws://127.0.0.1:{world.server.port}/ws/rooms/{world.room_id}"
    async with YClient(world.ws(), world.customer.bearer) as python:
        node = await _node("roundtrip", base, world.rep.token)
        terms = python.doc.get("terms", type=XmlFragment)
        await python.wait_for(lambda: "from node" in str(terms), what="the node client's paragraph")
        await python.wait_for(lambda: any(s["user"]["name"] == "Rita Rep" for s in python.awareness.values()))
        await python.set_awareness({"user": {"name": "python", "color": "#00f"}})

        def reply(doc):  # type: ignore[no-untyped-def]
            doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("from python")]))

        await python.edit(reply)
        result = await _result(node)
    assert result["title"] == "Deal"
    assert "from node" in result["terms"] and "from python" in result["terms"]  # type: ignore[operator]
    assert result["presence"] == [
        {"name": "Bo Buyer", "color": "#00f", "id": world.customer.user_id, "role": "customer"}
    ]


async def test_yjs_client_is_told_why_a_forbidden_write_was_refused(world: World) -> None:
    base = f"ws://127.0.0.1:{world.server.port}/ws/rooms/{world.room_id}"
    async with YClient(world.ws(), world.rep.bearer) as rep:
        before = await world.server.doc_state(world.room_id)
        result = await _result(await _node("forbidden", base, world.customer.token))
        assert await world.server.doc_state(world.room_id) == before
        assert replica(rep.doc) == replica(before)
    assert result["close"] == {"code": 4403, "reason": "a customer may not write 'computed' in the shared document"}
