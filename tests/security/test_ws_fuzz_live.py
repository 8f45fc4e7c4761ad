"""The room socket fuzzed against a live server (issue 11, "a suite that keeps the walls closed").

Generated messages are sent as every room role: Yjs updates from clients that declare the roots as other types
and write hostile shapes (the guard's own strategies, tests/support/hostile_updates.py), random bytes and frames
with lying types, lengths and numbers, garbled updates, presence with forged client ids or outsized JSON,
messages around the size limit, and socket paths that try to reach another room. After every message
`tests.support.ws_fuzz.Fuzz.check` holds the server to the walls: refused with a 44xx close and a reason, the
room and its log untouched; or taken, and then only within what the role may write and what each section may
hold; never a change to another room; and the server still up, taking a fresh client's edit.

One server per test (a fresh room per example, so that a failing example replays); each test runs in well under
a minute on two cores, once per database.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import hypothesis.core
import pytest
import websockets
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.vendor import pretty
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from tests.support.hostile_frames import PRESENCE, Frame, Presence, clean_frame, frame, var_bytes, var_uint
from tests.support.hostile_updates import Hostile, hostile_change
from tests.support.room_checks import strict_awareness
from tests.support.server import LiveServer
from tests.support.ws_fuzz import Fuzz, Target, person_name, processed
from tests.support.yclient import YClient, wait_until
from workspace.rooms.models import RoomRole
from workspace.server import FRAME_LIMIT_FACTOR
from workspace.sync import protocol
from workspace.sync.documents import DocName
from workspace.sync.guard import WriteContext

CUSTOMER, REP, LEGAL, APPROVER, VIEWER = (RoomRole.CUSTOMER, RoomRole.REP, RoomRole.LEGAL, RoomRole.APPROVER,
                                          RoomRole.VIEWER)  # fmt: skip
DEAL_FIELDS = ["startDate", "title", "paymentTermsDays"]
# A smaller message limit than the default (1 MiB) for the size test: the same code paths, an eighth of the bytes.
SMALL_LIMIT = 64 * 1024
# The live server's thread draws websocket ping payloads from `random` (uvicorn) while hypothesis generates.
pytestmark = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")


def fuzzed(examples: int) -> Callable[[Callable[..., object]], Callable[..., object]]:
    return settings(
        max_examples=examples,
        deadline=None,
        # Explaining a failure reruns it hundreds of times against the live server; the shrunk example is enough.
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@contextlib.asynccontextmanager
async def _harness(server: LiveServer) -> AsyncIterator[Fuzz]:
    harness = Fuzz(server)
    try:
        await harness.build_walls()
        yield harness
    finally:
        await harness.close()


@pytest.fixture(autouse=True)
def _print_failing_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schemathesis pytest plugin swaps hypothesis' printer for one that prints nothing (for its own speed), so
    that a failing example would print as `case=,`; these tests need theirs printed."""
    monkeypatch.setattr(hypothesis.core, "RepresentationPrinter", pretty.RepresentationPrinter)


@pytest.fixture
async def fuzz(make_server: Callable[..., LiveServer]) -> AsyncIterator[Fuzz]:
    async with _harness(make_server()) as harness:
        yield harness


@pytest.fixture
async def small_fuzz(make_server: Callable[..., LiveServer]) -> AsyncIterator[Fuzz]:
    async with _harness(make_server(max_message_bytes=SMALL_LIMIT)) as harness:
        yield harness


@dataclass
class Seat:
    """Who sends, to which document, in a room opened to customers how."""

    role: RoomRole
    pricing: bool
    deal_fields: frozenset[str]
    name: DocName

    async def take(self, fuzz: Fuzz) -> Target:
        room_id = fuzz.fresh_room(self.pricing, self.deal_fields)
        rights = WriteContext(self.role, self.pricing, self.deal_fields)
        return await fuzz.target(self.role, self.name, room_id, rights)


@st.composite
def seat(draw: st.DrawFn, roles: list[RoomRole], internal: bool = True) -> Seat:
    role = draw(st.sampled_from(roles))
    name = DocName.SHARED
    if internal and role.is_internal and draw(st.integers(0, 3)) == 0:
        name = DocName.INTERNAL
    return Seat(role, draw(st.booleans()), frozenset(draw(st.sets(st.sampled_from(DEAL_FIELDS)))), name)


async def _attack(fuzz: Fuzz, seat: Seat, messages: list[Callable[[bytes], bytes]]) -> None:
    """Connect as the seat's person and send each message (built against the room as it is then) until one is
    refused; `Fuzz.check` checks each."""
    target = await seat.take(fuzz)
    client = await fuzz.connect(target)
    event(f"as {seat.role.value} in the {seat.name.value} document")
    try:
        for build in messages:
            await fuzz.settle(target.room_id)
            event(await fuzz.check(target, client, build(await fuzz.stored(target.room_id, target.name))))
            if client.closed.is_set():
                break
    finally:
        await client.close()
        await target.witness.close()


# --- updates of every shape, from every role -----------------------------------------------------------------


@st.composite
def updates(draw: st.DrawFn) -> tuple[Seat, list[tuple[Hostile, bool]]]:
    place = draw(seat([CUSTOMER, CUSTOMER, CUSTOMER, REP, REP, LEGAL, APPROVER, VIEWER]))
    changes = draw(st.lists(st.tuples(hostile_change(place.name), st.booleans()), min_size=1, max_size=3))
    return place, changes


def _update(change: Hostile, as_step2: bool) -> Callable[[bytes], bytes]:
    def build(base: bytes) -> bytes:
        update = change.build(base)
        return protocol.sync_step2(update) if as_step2 else protocol.sync_update(update)

    return build


@fuzzed(examples=150)
@given(case=updates())
async def test_generated_updates_from_every_role_are_refused_or_stay_within_it(
    fuzz: Fuzz, case: tuple[Seat, list[tuple[Hostile, bool]]]
) -> None:
    place, changes = case
    await _attack(fuzz, place, [_update(change, as_step2) for change, as_step2 in changes])


# --- frames: random bytes, lying types, lengths and numbers, garbled updates ---------------------------------


def _frame(message: Frame | bytes) -> Callable[[bytes], bytes]:
    return lambda base: message if isinstance(message, bytes) else message.build(base)


@fuzzed(examples=80)
@given(place=seat([CUSTOMER, CUSTOMER, REP, VIEWER], internal=False), lead=st.lists(clean_frame(), max_size=2),
       frames=st.lists(frame(), min_size=1, max_size=3))  # fmt: skip
async def test_garbled_frames_are_refused_with_a_reason_and_change_nothing(
    fuzz: Fuzz, place: Seat, lead: list[Frame], frames: list[Frame | bytes]
) -> None:
    """Well-formed messages first (none to two), then damaged ones."""
    await _attack(fuzz, place, [_frame(message) for message in [*lead, *frames]])


# --- presence: forged client ids, outsized or deep JSON -----------------------------------------------------


@fuzzed(examples=50)
@given(place=seat([CUSTOMER, CUSTOMER, REP, VIEWER, APPROVER], internal=False),
       messages=st.lists(PRESENCE, min_size=1, max_size=3))  # fmt: skip
async def test_presence_cannot_be_forged_or_overgrown(fuzz: Fuzz, place: Seat, messages: list[Presence]) -> None:
    """Nobody's presence but one's own changes, what the server relays names the sender as the server knows them,
    and everything relayed is something a browser can read."""
    target = await place.take(fuzz)
    await target.witness.set_awareness({"user": {"name": "Rita"}, "cursor": None})
    observer = await fuzz.connect(target, fuzz.people[LEGAL])
    witness_id = target.witness.doc.client_id
    await observer.wait_for(lambda: witness_id in observer.awareness, what="the witness's presence")
    witness_state = observer.awareness[witness_id]
    attacker = await fuzz.connect(target)
    person = fuzz.people[place.role]
    ids = {"own": attacker.doc.client_id, "witness": witness_id, "observer": observer.doc.client_id}
    try:
        for presence in messages:
            heard = len(observer.received)
            event(await fuzz.check(target, attacker, presence.build(ids)))
            presence_messages = [m for m in observer.received[heard:] if m[0] == protocol.MessageType.AWARENESS]
            relayed = [entry for message in presence_messages for entry in strict_awareness(message)]
            for client_id, _clock, state in relayed:
                assert client_id != witness_id, "the witness's presence changed"
                if state is not None:  # (an id nobody holds, the observer's, say, is the sender's to take)
                    assert not attacker.closed.is_set(), "a refused presence was relayed"
                    user = state["user"]
                    assert (user["id"], user["role"]) == (person.user_id, place.role.value), user
                    assert user["name"] == person_name(place.role), user
            assert observer.awareness[witness_id] == witness_state
            if attacker.closed.is_set():
                break
        await attacker.close()
        # A closed connection leaves no presence behind (and the witness's stays).
        await observer.wait_for(lambda: set(observer.awareness) == {witness_id}, what="the sender's presence to go")
        assert observer.awareness[witness_id] == witness_state
    finally:
        for client in (attacker, observer, target.witness):
            await client.close()


# --- sizes around the limit ---------------------------------------------------------------------------------


def _sized(kind: str, size: int) -> Callable[[bytes], bytes]:
    """A message of exactly `size` bytes: junk in a sync update, a paragraph of the terms, a comment or a presence
    state, padded to fit."""

    def of_length(n: int, base: bytes) -> bytes:
        if kind == "junk":
            return protocol.sync_update(b"\x00" * n)
        if kind == "presence":
            state = b'{"s":"' + b"x" * n + b'"}'
            return var_uint(protocol.MessageType.AWARENESS) + var_bytes(var_uint(1) + var_uint(7) + var_uint(1)
                                                                        + var_bytes(state))  # fmt: skip
        doc: Doc = Doc()
        doc.get("terms", type=XmlFragment)
        doc.get("comments", type=Map)
        doc.apply_update(base)
        state = doc.get_state()
        if kind == "terms":
            doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("x" * n)]))
        else:
            doc.get("comments", type=Map)["long"] = "x" * n
        return protocol.sync_update(doc.get_update(state))

    def build(base: bytes) -> bytes:
        n = max(0, size - len(of_length(0, base)))
        message = of_length(n, base)
        for _ in range(4):  # a length's own varint grows with it: step to the exact size
            if len(message) == size or n == 0:
                break
            n = max(0, n + size - len(message))
            message = of_length(n, base)
        if len(message) != size:  # two nested lengths crossing a varint boundary at once: look around
            nearby = (of_length(m, base) for m in range(max(0, n - 8), n + 9))
            message = min((message, *nearby), key=lambda candidate: abs(len(candidate) - size))
        assert abs(len(message) - size) <= 2, (len(message), size)
        return message

    return build


SIZES = [SMALL_LIMIT + d for d in (-2, -1, 0, 1, 2, 100)] + [SMALL_LIMIT * FRAME_LIMIT_FACTOR + d for d in (-1, 0, 1)]


@fuzzed(examples=40)
@given(place=seat([CUSTOMER, REP, LEGAL, VIEWER], internal=False), kind=st.sampled_from(
    ["junk", "terms", "comment", "presence"]), size=st.sampled_from(SIZES))  # fmt: skip
async def test_messages_around_the_size_limit(small_fuzz: Fuzz, place: Seat, kind: str, size: int) -> None:
    """Past the limit: 4413 with the size (past 8x the limit the protocol layer cuts the frame off: 1009); at or
    under it, the message is judged on what it holds, like any other."""
    target = await place.take(small_fuzz)
    client = await small_fuzz.connect(target)
    try:
        message = _sized(kind, size)(await small_fuzz.stored(target.room_id, target.name))
        limit = SMALL_LIMIT * FRAME_LIMIT_FACTOR
        event(await small_fuzz.check(target, client, message, allow=frozenset({1009} if len(message) > limit else ())))
        if len(message) > SMALL_LIMIT:
            assert client.closed.is_set(), "a message past the limit was taken"
        if SMALL_LIMIT < len(message) <= limit:
            assert (client.close_code, client.close_reason) == (
                4413, f"message of {len(message)} bytes exceeds the limit of {SMALL_LIMIT} bytes")  # fmt: skip
        elif len(message) > limit:
            assert client.close_code == 1009
    finally:
        await client.close()
        await target.witness.close()


# --- paths: no socket reaches another room --------------------------------------------------------------------

# A socket's path names a room and a document; these try to name another room in one, in the other, or in both.
ROOMS = ["{wall}", "{wall}", "{home}", "{home}", "{wall_upper}", "{home}%2F..%2F{wall}", "{home}/..%2F{wall}",
         "..%2F{wall}", "%2e%2e%2f{wall}", "{wall}%00", "{home};{wall}", "{home}?room={wall}", "%20{wall}",
         "{wall}%20", "{home}%23{wall}", "{home}\\..\\{wall}", "", ".", "..", "{home}/{wall}",
         "{home}/../{wall}"]  # fmt: skip
DOCS = ["shared", "shared", "internal", "shared?room={wall}", "shared#{wall}", "shared/../../{wall}/shared",
        "%73hared", "SHARED", "shared%00", "shared/", "../{wall}/shared", "", "shared;{wall}"]  # fmt: skip


@fuzzed(examples=60)
@given(room=st.sampled_from(ROOMS), doc=st.sampled_from(DOCS), outsider=st.booleans())
@example(room="{home}", doc="shared", outsider=False)  # the paths that do open a room: the person's own
@example(room="{home}", doc="shared?room={wall}", outsider=True)
async def test_no_socket_path_reaches_another_room(fuzz: Fuzz, room: str, doc: str, outsider: bool) -> None:
    """The customer aims at a room they are not in (and the outsider at the customer's): whatever the path, the
    socket is refused or opens a room of their own, and a paragraph sent on it lands nowhere else."""
    if outsider:
        person, wall, home = fuzz.outsider, fuzz.home, fuzz.outsider_home
    else:
        person, wall, home = fuzz.people[CUSTOMER], fuzz.walls[0].room_id, fuzz.home
    await fuzz.settle(wall)
    aimed = await fuzz.content(wall)
    path = f"{room}/{doc}".format(wall=wall, home=home, wall_upper=wall.upper())
    client = YClient(f"ws://127.0.0.1:{fuzz.server.port}/ws/rooms/{path}", person.bearer)
    try:
        await client.connect(handshake=False)
    except (websockets.InvalidURI, websockets.InvalidHandshake) as refused:
        event(f"refused at the upgrade: {type(refused).__name__}")
        return
    try:
        with contextlib.suppress(websockets.ConnectionClosed):  # refused at once, maybe before this is sent
            await client.send_raw(protocol.sync_step1(client.doc.get_state()))
        await wait_until(lambda: client.synced.is_set() or client.closed.is_set(), 10, "the socket to open or close")
        if client.closed.is_set():
            assert client.close_code in (4403, 4404), (client.close_code, client.close_reason)
            event(f"closed {client.close_code}")
        else:
            title = client.doc.get("deal", type=Map).get("title")
            assert title == f"Room {home}", f"{path!r} opened {title!r}, not a room of this person's"
            event("opened the person's own room")
            await client.edit(lambda d: d.get("terms", type=XmlFragment).children.append(
                XmlElement("paragraph", {}, [XmlText(f"via {path}")])))  # fmt: skip
            await processed(client)  # stored, and derived from, before the next example looks
            await fuzz.settle(home)
    finally:
        await client.close()
        assert await fuzz.content(wall) == aimed, f"{path!r} changed {wall}"
        await fuzz.walls_hold()
