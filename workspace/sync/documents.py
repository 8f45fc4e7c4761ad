"""The two Y documents of a room and the root types each declares (DESIGN.md, "Documents of a room")."""

from __future__ import annotations

import logging
from enum import StrEnum

from pycrdt import Array, Doc, Map, XmlFragment

log = logging.getLogger(__name__)


class DocName(StrEnum):
    SHARED = "shared"  # everyone in the room, customers included
    INTERNAL = "internal"  # internal roles only: a customer cannot open its socket


ROOT_TYPES: dict[DocName, dict[str, type]] = {
    DocName.SHARED: {
        "terms": XmlFragment,
        "deal": Map,
        "lines": Array,
        "computed": Map,
        "comments": Map,
    },
    DocName.INTERNAL: {
        "notes": XmlFragment,
        "computed": Map,
        # Internal threads (questions, disputes, notes among the vendor's people): written by the server
        # through the threads API, like the shared `comments`; a customer cannot even open this document.
        "comments": Map,
    },
}


def new_doc(name: DocName) -> Doc:
    """An empty document with its roots declared (pycrdt needs them declared before reading)."""
    doc: Doc = Doc()
    for root, kind in ROOT_TYPES[name].items():
        doc.get(root, type=kind)
    return doc


def doc_from_updates(name: DocName, updates: list[bytes]) -> Doc:
    """The document a snapshot and the log after it make, applied in order."""
    doc = new_doc(name)
    # One transaction: yrs tidies up after each transaction (merging neighbours, collecting deleted
    # content); once for a log of 10,000 keystrokes instead of 10,000 times takes a third off a cold load.
    with doc.transaction():
        for update in updates:
            doc.apply_update(update)
    return doc


def merged_update(updates: list[bytes]) -> bytes:
    """One update holding every item of `updates`, each as it was sent: its place and its content, deleted or
    not (no garbage collection), so that it decodes to the same items as the pieces, merged where Yjs merges
    neighbours. pycrdt's `merge_updates` gives the same but takes 30 times as long on a log of keystrokes."""
    if len(updates) == 1:
        return updates[0]
    doc: Doc = Doc(skip_gc=True)
    with doc.transaction():
        for update in updates:
            doc.apply_update(update)
    return doc.get_update()


def merged_log(updates: list[bytes]) -> list[bytes]:
    """The log as one merged update (`merged_update`), or as it is should yrs panic merging it (pyo3 raises
    a Rust panic as a BaseException): either makes the same document and the same layout."""
    try:
        return [merged_update(updates)]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        log.exception("merging a log of %d updates failed: it is used update by update", len(updates))
        return updates


def to_json(doc: Doc, name: DocName) -> dict[str, object]:
    """A plain JSON view of a document: maps and arrays as JSON, XML fragments as XML strings."""
    view: dict[str, object] = {}
    for root, kind in ROOT_TYPES[name].items():
        value = doc.get(root, type=kind)
        view[root] = str(value) if kind is XmlFragment else _plain(value.to_py())
    return view


def _plain(value: object) -> object:
    """Yjs numbers arrive as floats; whole ones read better (and compare exactly) as ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
