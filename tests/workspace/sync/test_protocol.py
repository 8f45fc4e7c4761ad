"""Parsing and building y-websocket messages: every type, truncations, malformed varints, unknowns."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycrdt import Doc, Map, create_sync_message, create_update_message, write_var_uint

from workspace.errors import InvalidInput
from workspace.sync import protocol
from workspace.sync.wire import Reader, read_state_vector


def test_sync_step1_from_pycrdt_parses_to_its_state_vector() -> None:
    doc = Doc()
    doc.get("m", type=Map)["a"] = 1
    message = protocol.parse_message(create_sync_message(doc))
    assert message == protocol.SyncStep1(doc.get_state())


def test_updates_and_step2_carry_the_update() -> None:
    doc = Doc()
    doc.get("m", type=Map)["a"] = 1
    update = doc.get_update()
    assert protocol.parse_message(create_update_message(update)) == protocol.SyncUpdate(update, is_step2=False)
    assert protocol.parse_message(protocol.sync_step2(update)) == protocol.SyncUpdate(update, is_step2=True)


def test_awareness_round_trips() -> None:
    entries = (protocol.AwarenessEntry(7, 3, {"user": {"name": "Ann"}}), protocol.AwarenessEntry(9, 1, None))
    assert protocol.parse_message(protocol.awareness(entries)) == protocol.AwarenessUpdate(entries)


def test_query_awareness_and_keepalive() -> None:
    assert protocol.parse_message(b"\x03") == protocol.QueryAwareness()
    assert protocol.parse_message(protocol.KEEPALIVE) == protocol.AwarenessUpdate(())


def test_permission_denied_is_the_auth_message() -> None:
    reader = Reader(protocol.permission_denied("no"))
    assert (reader.var_uint(), reader.var_uint(), reader.var_string()) == (2, 0, "no")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "truncated message: a number ends before its last byte"),
        (b"\x80", "truncated message: a number ends before its last byte"),
        (b"\xff" * 9 + b"\x01", "malformed message: a number is longer than 53 bits"),
        (b"\x07", "unknown message type 7"),
        (b"\x00\x05\x00", "unknown sync message type 5"),
        (b"\x00\x02\x05ab", "truncated message: 5 bytes announced, 2 present"),
        (b"\x00\x02\x00", "malformed message: empty update"),
        (b"\x00\x00\x01\x01", "truncated message: a number ends before its last byte"),
        (b"\x00\x00\x02\x00\x00", "malformed message: 1 unexpected bytes after the state vector"),
        (b"\x00\x02\x02\x00\x00\xff", "malformed message: 1 unexpected bytes after the sync message"),
        (b"\x02\x00\x02no", "auth messages go from the server to clients, not the other way"),
        (b"\x03\x00", "malformed message: 1 unexpected bytes after the query-awareness message"),
        (b"\x01\x05\x01\x01\x01\x01{", "malformed awareness state: not JSON, or nested too deeply"),
        (b"\x01\x06\x01\x01\x01\x02[]", "malformed awareness state: not a JSON object"),
        (b"\x01\x05\x01\x01\x01\x01\xff", "malformed message: a string is not valid UTF-8"),
    ],
)
def test_malformed_messages_are_refused_with_a_precise_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as error:
        protocol.parse_message(data)
    assert error.value.detail == reason


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("NaN", "malformed awareness state: NaN is not JSON"),
        ("-Infinity", "malformed awareness state: -Infinity is not JSON"),
        ("1e400", "malformed awareness state: a number past what JSON carries"),
    ],
)
def test_a_presence_state_with_a_number_json_has_no_words_for_is_refused(number: str, reason: str) -> None:
    """Python's json reads these; relayed, they are written back as NaN or Infinity, which a browser cannot parse
    (found by tests/security/test_ws_fuzz_live.py: every newcomer's presence message failed to parse)."""
    state = f'{{"cursor":{{"x":{number}}}}}'.encode()
    entry = write_var_uint(1) + write_var_uint(1) + write_var_uint(1) + write_var_uint(len(state)) + state
    with pytest.raises(InvalidInput) as error:
        protocol.parse_message(write_var_uint(1) + write_var_uint(len(entry)) + entry)
    assert error.value.detail == reason


def test_oversized_awareness_state_is_refused() -> None:
    big = protocol.awareness([protocol.AwarenessEntry(1, 1, {"x": "a" * 5000})])
    with pytest.raises(InvalidInput, match="awareness state of 5008 bytes exceeds 4096"):
        protocol.parse_message(big)


def test_state_vector_decoding() -> None:
    doc = Doc(client_id=300)
    doc.get("m", type=Map)["a"] = 1
    assert read_state_vector(doc.get_state()) == {300: 1}


@given(st.binary(max_size=64))
def test_arbitrary_bytes_parse_or_raise_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        protocol.parse_message(data)


@given(st.integers(min_value=0, max_value=2**53 - 1))
def test_varuint_round_trip(number: int) -> None:

    assert Reader(write_var_uint(number)).var_uint() == number
