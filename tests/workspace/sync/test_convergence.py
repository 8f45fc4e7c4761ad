"""Convergence: 5 real clients make random concurrent edits to text, map and array; every replica
and the server end with the same state vector and the same content (the server writes its own sections too)."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.yclient import YClient, replica

CLIENTS = 5

_text_op = st.tuples(st.just("text"), st.integers(0, 40), st.text(alphabet="abcdefgh ", min_size=1, max_size=6))
_delete_op = st.tuples(st.just("delete"), st.integers(0, 40), st.integers(1, 5))
# Index arithmetic on text is in code units, so multi-byte characters go in map values instead.
_map_value = st.one_of(st.integers(0, 99), st.text(alphabet="é€😀ab", max_size=4))
_map_op = st.tuples(st.just("map"), st.sampled_from(["title", "currency", "termMonths", "billing"]), _map_value)
# Quantities the write guard takes (a whole number from 1): a refused edit would be a refusal, not a fork.
_array_op = st.tuples(st.just("array"), st.integers(0, 10), st.integers(1, 999))
_line_op = st.tuples(st.just("line"), st.integers(0, 10), st.integers(1, 999))
operations = st.lists(
    st.tuples(st.integers(0, CLIENTS - 1), st.one_of(_text_op, _delete_op, _map_op, _array_op, _line_op)),
    min_size=5,
    max_size=40,
)


def _paragraph_text(doc: Doc) -> XmlText:
    terms = doc.get("terms", type=XmlFragment)
    if len(terms.children) == 0:
        terms.children.append(XmlElement("paragraph", {}, [XmlText("")]))
    element = terms.children[0]
    assert isinstance(element, XmlElement)
    text = element.children[0]
    assert isinstance(text, XmlText)
    return text


def _apply(doc: Doc, op: tuple) -> None:  # type: ignore[type-arg]
    kind = op[0]
    lines = doc.get("lines", type=Array)
    if kind == "text":
        text = _paragraph_text(doc)
        text.insert(min(op[1], len(text)), op[2])
    elif kind == "delete":
        text = _paragraph_text(doc)
        start = min(op[1], len(text))
        del text[start : min(len(text), start + op[2])]
    elif kind == "map":
        doc.get("deal", type=Map)[op[1]] = op[2]
    elif kind == "array":
        lines.insert(min(op[1], len(lines)), Map({"id": f"n{op[2]}", "qty": op[2]}))
    elif kind == "line" and len(lines):
        lines[op[1] % len(lines)]["qty"] = op[2]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_concurrent_edits_converge(world: World, ops: list[tuple[int, tuple]]) -> None:  # type: ignore[type-arg]
    room_id = world.rep.http.post("/api/rooms", json={"title": "Fuzz", "customer_name": "C"}).json()["id"]

    async def scenario() -> None:
        clients = [YClient(world.server.ws_url(room_id), world.rep.bearer) for _ in range(CLIENTS)]
        await asyncio.gather(*(client.connect() for client in clients))

        async def typist(index: int) -> None:
            for who, op in ops:
                if who == index:
                    await clients[index].edit(lambda doc, op=op: _apply(doc, op))
                    await asyncio.sleep(0)  # let the other typists interleave

        # The clients type at the same time: the server sees their edits interleaved.
        await asyncio.gather(*(typist(index) for index in range(CLIENTS)))
        server_state = None

        async def converged() -> bool:
            nonlocal server_state
            server_state = await world.server.doc_state(room_id)
            return all(replica(client.doc) == replica(server_state) for client in clients)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while not await converged():
            assert loop.time() < deadline, "replicas did not converge within 20 s"
            await asyncio.sleep(0.02)  # poll the replicas until the deadline
        assert all(not client.closed.is_set() for client in clients), "a legitimate edit was refused"
        await asyncio.gather(*(client.close() for client in clients))

    asyncio.run(scenario())
