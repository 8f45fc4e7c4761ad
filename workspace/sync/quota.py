"""How big a room's document and each of its roots may grow, checked on every client update.

Measuring a document exactly costs a full encode, and a root a full read: too much for every keystroke.
Each is therefore measured when the guard's twin is built, then estimated upwards by what each accepted
update adds (deletions are not subtracted), and measured again only when the estimate passes a limit. An
update is refused when the exact size after it is past the limit and larger than before it, so a room
already past its quota (an older room, or a lowered setting) can still shrink.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pycrdt import Doc

from workspace.errors import TooLarge
from workspace.sync.documents import ROOT_TYPES, DocName
from workspace.sync.placement import Placed
from workspace.sync.schema import SCHEMAS, visible_bytes


class Quota:
    """The size budget of one document (`max_bytes`) and of each of its roots (`schema.SCHEMAS`)."""

    def __init__(self, name: DocName, doc: Doc, max_bytes: int) -> None:
        self.name = name
        self.max_bytes = max_bytes
        self._doc_exact = self._doc_estimate = len(doc.get_update())
        self._roots_exact = {root: visible_bytes(doc, root, kind) for root, kind in ROOT_TYPES[name].items()}
        self._roots_estimate = dict(self._roots_exact)
        self._pending: tuple[int, int, dict[str, int], dict[str, int]] | None = None

    def check(self, doc: Doc, placed: Iterable[Placed], delta: bytes) -> None:
        """Raise TooLarge when the change just applied to `doc` takes a root or the document past its limit.
        What it measured is kept by `accept`, once the whole update is accepted."""
        added: Counter[str] = Counter()
        for item in placed:
            if item.parent is not None:
                added[item.parent.root] += item.struct.size
        roots_estimate, roots_exact = dict(self._roots_estimate), dict(self._roots_exact)
        for root, size in added.items():
            schema = SCHEMAS[self.name].get(root)
            if root not in roots_estimate or schema is None:
                continue
            roots_estimate[root] += size
            if roots_estimate[root] > schema.max_bytes:
                exact = visible_bytes(doc, root, ROOT_TYPES[self.name][root])
                if exact > schema.max_bytes and exact > roots_exact[root]:
                    raise TooLarge(f"'{root}' would hold {amount(exact)}; it holds at most {amount(schema.max_bytes)}")
                roots_estimate[root] = roots_exact[root] = exact
        doc_estimate, doc_exact = self._doc_estimate + len(delta), self._doc_exact
        if doc_estimate > self.max_bytes:
            doc_estimate = len(doc.get_update())
            if doc_estimate > self.max_bytes and doc_estimate > doc_exact:
                raise TooLarge(
                    f"this room's {self.name} document would grow to {amount(doc_estimate)}, past the room's quota "
                    f"of {amount(self.max_bytes)}"
                )
            doc_exact = doc_estimate
        self._pending = (doc_estimate, doc_exact, roots_estimate, roots_exact)

    def accept(self) -> None:
        """Keep what the last `check` measured: its update was accepted."""
        if self._pending is not None:
            self._doc_estimate, self._doc_exact, self._roots_estimate, self._roots_exact = self._pending
            self._pending = None

    def grew(self, delta: bytes) -> None:
        """A change by the server (not held to the quota, but it takes room all the same)."""
        self._doc_estimate += len(delta)


def amount(size: int) -> str:
    """Bytes as people read them: 900 bytes, 37.25 KB, 16 MB (units of 1024)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"
