"""The server's changes to a document's threads, as functions of the document (`RoomDoc.server_write` runs
them on the guard's twin, then stores and broadcasts what they changed).

Each checks everything before it writes anything: a refusal raises and leaves the document as it was. The
checks run on the document as it will be, inside the write, so two requests racing for one thread (two
resolves, a reply and a resolve) are decided in the order they reach the room.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pycrdt import Array, Doc, Map

from workspace.errors import Conflict, NotFound, TooLarge
from workspace.threads.model import (
    MAX_MESSAGES,
    MAX_THREAD_BYTES,
    MAX_THREADS,
    Author,
    Kind,
    State,
    Visibility,
    thread_view,
    threads_of,
)

Change = Callable[[Doc], None]


def _room_for(doc: Doc, adding: int) -> None:
    threads = threads_of(doc)
    size = len(json.dumps(threads.to_py(), ensure_ascii=False, separators=(",", ":")).encode())
    if size + adding > MAX_THREAD_BYTES:
        raise TooLarge(
            f"this room's threads hold {size:,} bytes, at most {MAX_THREAD_BYTES:,}: resolve and start fewer threads"
        )


def _message(message_id: str, author: Author, text: str, at: str) -> dict[str, Any]:
    return {"id": message_id, "author": author.plain(), "at": at, "text": text}


def create(thread_id: str, kind: Kind, visibility: Visibility, anchor: dict[str, Any], author: Author,
           message_id: str, text: str, at: str) -> Change:  # fmt: skip
    """Open a thread with its first message."""

    def change(doc: Doc) -> None:
        threads = threads_of(doc)
        if len(threads) >= MAX_THREADS:
            raise Conflict(f"this room has {MAX_THREADS} threads, the most it may hold; resolve and reuse them")
        if thread_id in threads:
            raise Conflict("a thread with this id exists")
        _room_for(doc, len(text.encode()) + 1024)
        threads[thread_id] = Map({
            "id": thread_id, "kind": kind.value, "state": State.OPEN.value, "visibility": visibility.value,
            "anchor": anchor, "createdBy": author.plain(), "createdAt": at,
            "messages": Array([_message(message_id, author, text, at)]),
            "resolvedBy": None, "resolvedAt": None, "updatedAt": at,
        })  # fmt: skip

    return change


def _thread(doc: Doc, thread_id: str) -> tuple[Map, dict[str, Any]]:
    found = threads_of(doc).get(thread_id)
    view = thread_view(found)
    if view is None or not isinstance(found, Map):
        raise NotFound("no such thread in this room")
    return found, view


def reply(thread_id: str, author: Author, message_id: str, text: str, at: str) -> Change:
    """Add a message. A reply by someone other than the opener answers an open thread."""

    def change(doc: Doc) -> None:
        thread, view = _thread(doc, thread_id)
        if view["state"] == State.RESOLVED:
            raise Conflict("this thread is resolved; reopen it to reply")
        messages = thread.get("messages")
        if not isinstance(messages, Array):
            raise Conflict("this thread cannot take replies")
        if len(messages) >= MAX_MESSAGES:
            raise Conflict(f"this thread has {MAX_MESSAGES} messages, the most one holds; start a new thread")
        _room_for(doc, len(text.encode()) + 256)
        messages.append(_message(message_id, author, text, at))
        if view["state"] == State.OPEN and view["createdBy"].get("id") != author.id:
            thread["state"] = State.ANSWERED.value
        thread["updatedAt"] = at

    return change


def resolve(thread_id: str, author: Author, at: str) -> Change:
    def change(doc: Doc) -> None:
        thread, view = _thread(doc, thread_id)
        if view["state"] == State.RESOLVED:
            raise Conflict("this thread is resolved already")
        thread["state"] = State.RESOLVED.value
        thread["resolvedBy"] = author.plain()
        thread["resolvedAt"] = at
        thread["updatedAt"] = at

    return change


def reopen(thread_id: str, author: Author, at: str) -> Change:
    def change(doc: Doc) -> None:
        thread, view = _thread(doc, thread_id)
        if view["state"] != State.RESOLVED:
            raise Conflict(f"this thread is {view['state']}, not resolved")
        thread["state"] = State.OPEN.value
        thread["resolvedBy"] = None
        thread["resolvedAt"] = None
        thread["updatedAt"] = at

    return change
