"""What a thread is: its kinds, states, visibility, limits, and how it is read back as plain data.

A thread is stored as a Y map under its id in a document's `comments` map:

    {id, kind, state, visibility, anchor, createdBy: {id, name, role}, createdAt,
     messages: Y array of {id, author: {id, name, role}, at, text}, resolvedBy, resolvedAt}
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pycrdt import Doc, Map

from workspace.sync.documents import DocName


class Kind(StrEnum):
    QUESTION = "question"
    DISPUTE = "dispute"  # an objection to a term or a price: blocks export until resolved
    NOTE = "note"


class State(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"  # someone other than the opener replied
    RESOLVED = "resolved"


class Visibility(StrEnum):
    EXTERNAL = "external"  # the shared document: everyone in the room, customers included
    INTERNAL = "internal"  # the internal document: the vendor's people only

    @property
    def doc(self) -> DocName:
        return DocName.SHARED if self is Visibility.EXTERNAL else DocName.INTERNAL


MAX_TEXT = 10_000
"""One message is a few paragraphs; a contract goes in the terms."""
MAX_QUOTE = 500
"""The selected words a range thread quotes: a sentence or two, enough to recognise it."""
MAX_MESSAGES = 200
"""A negotiation of one point that runs past this belongs in a call, and its thread stays readable on a phone."""
MAX_THREADS = 500
"""Per document: a long negotiation has tens of threads; this bounds what every join downloads."""
MAX_THREAD_BYTES = 3 * 1024 * 1024
"""All threads of a document together (their JSON), under the 4 MiB `sync/schema.py` declares for `comments`."""


@dataclass(frozen=True)
class Author:
    """Who wrote something, as the server knows them (never as the client says)."""

    id: int
    name: str
    role: str

    def plain(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role}


def threads_of(doc: Doc) -> Map:
    return doc.get("comments", type=Map)


def plain(value: object) -> Any:
    """Yjs numbers come back as floats: whole ones as ints (ids compare exactly)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def thread_view(thread: object) -> dict[str, Any] | None:
    """A stored thread as plain data, or None for anything in `comments` that is not a thread (an older room's
    free-form comments, from before threads were the server's)."""
    if not isinstance(thread, Map):
        return None
    view = plain(thread.to_py())
    if not isinstance(view, dict) or not isinstance(view.get("id"), str) or view.get("kind") not in set(Kind):
        return None
    return view


def all_threads(doc: Doc) -> list[dict[str, Any]]:
    """Every thread of a document, oldest first."""
    found = [view for view in (thread_view(value) for value in threads_of(doc).values()) if view is not None]
    return sorted(found, key=lambda view: (str(view.get("createdAt", "")), view["id"]))
