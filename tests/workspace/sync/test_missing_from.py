"""A newcomer's sync step 2 when yrs cannot compute the difference from their state vector."""

from __future__ import annotations

from pycrdt import Doc, Text

from workspace.sync.room import missing_from


class _Panic(BaseException):
    """pyo3 raises a Rust panic as a BaseException (pyo3_runtime.PanicException)."""


class _PanickingDoc(Doc):  # type: ignore[misc]
    def get_update(self, state: bytes | None = None) -> bytes:
        if state is not None:
            raise _Panic("attempt to divide by zero")
        return super().get_update()


def _doc(text: str, doc: Doc | None = None) -> Doc:
    doc = doc or Doc()
    doc.get("terms", type=Text).insert(0, text)
    return doc


def test_the_difference_is_what_the_client_lacks() -> None:
    server, client = _doc("agreed terms"), Doc()
    client.apply_update(server.get_update())
    server.get("terms", type=Text).insert(0, "new ")
    diff = missing_from(server, client.get_state())
    client.apply_update(diff)
    assert str(client.get("terms", type=Text)) == "new agreed terms"
    assert len(diff) < len(server.get_update())


def test_a_panic_sends_the_whole_document_and_the_client_still_converges() -> None:
    server = _doc("agreed terms", _PanickingDoc())
    client = Doc()
    client.apply_update(Doc().get_update())
    diff = missing_from(server, client.get_state())
    assert diff == server.get_update()
    client.apply_update(diff)
    client.apply_update(diff)  # a client that held part of it already skips what it has
    assert str(client.get("terms", type=Text)) == "agreed terms"
