"""Where each item of a document sits: in which shared type (a root or a nested type) and under which key.

A Yjs item says where it goes only when it has no neighbour; otherwise it goes next to its origin (or
right origin), into that item's parent and under its key. The `Layout` remembers this for every item a
document holds, so that the items of a new update can be placed before they are accepted (`place`), the
way Yjs will place them. It is built once per loaded room from its stored updates and then kept up to date
with each accepted one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workspace.errors import InvalidInput
from workspace.sync.documents import merged_log
from workspace.sync.structs import ID, Content, Struct, decode_update

UNDECLARED = -1
"""The kind of a root the document does not declare."""

MISSING = "update depends on changes the server does not have; resync first"

# (parent, key): the parent is a root's name, or the id of the item that created a nested type.
Place = tuple[str | ID, str | None]


@dataclass(frozen=True, slots=True)
class Node:
    """A shared type of the document: a root (depth 0) or a type nested under one."""

    kind: int  # a TypeRef, or UNDECLARED
    root: str
    tag: str | None = None  # an XML element's node name
    depth: int = 0
    key: str | None = None  # its key in its parent, when that is a map
    parent: Node | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """A new item and where it lands: in `parent` under `key`. `parent` is None when Yjs will drop the item
    (its parent was deleted and collected); `created` is the type the item makes, if it makes one."""

    struct: Struct
    place: Place | None
    parent: Node | None
    created: Node | None = None

    @property
    def key(self) -> str | None:
        return self.place[1] if self.place is not None else None


class Layout:
    """The place of every item a document holds, and every nested type it holds."""

    def __init__(self, roots: Mapping[str, int]) -> None:
        self._roots = {name: Node(kind, name) for name, kind in roots.items()}
        self.state: dict[int, int] = {}  # client -> the next clock the document expects
        self._starts: dict[int, list[int]] = {}  # per client: the first clock of each run, ascending
        self._runs: dict[int, list[tuple[Place | None, Content]]] = {}  # the place and content of each run
        self.types: dict[ID, Node] = {}

    @classmethod
    def build(cls, roots: Mapping[str, int], updates: Iterable[bytes]) -> Layout:
        """The layout of the document these updates make (a snapshot and the log after it, in order)."""
        layout = cls(roots)
        for update in updates:
            layout.add(layout.place(decode_update(update)))
        return layout

    @classmethod
    def from_log(cls, roots: Mapping[str, int], updates: list[bytes]) -> Layout:
        """The same layout as `build`, from the updates merged into one first (a room's load): decoding one
        update of merged items costs a fraction of decoding thousands of keystrokes, and the merge keeps
        every item's place and content (tests/workspace/sync/test_placement.py)."""
        return cls.build(roots, merged_log(updates))

    def root(self, name: str) -> Node:
        return self._roots.get(name) or Node(UNDECLARED, name)

    def place(self, structs: list[Struct]) -> list[Placed]:
        """Where each item of `structs` that the document does not hold yet lands. Items it holds already are
        left out (Yjs skips them); one it holds in part is cut to its new part. Raise InvalidInput for an
        update Yjs could not place (it would park it as pending)."""
        return _Placing(self, structs).run()

    def add(self, placed: Iterable[Placed]) -> None:
        """Remember accepted items, as `place` returned them."""
        for item in placed:
            struct = item.struct
            client = struct.client
            self._starts.setdefault(client, []).append(struct.clock)
            self._runs.setdefault(client, []).append((item.place if item.parent else None, struct.content))
            self.state[client] = struct.end
            if item.created is not None:
                self.types[(client, struct.clock)] = item.created

    def run_at(self, at: ID) -> tuple[Place | None, Content]:
        """The place (None: garbage) and content of the held item that holds `at`."""
        client, clock = at
        if clock >= self.state.get(client, 0):
            raise InvalidInput(MISSING)
        index = bisect_right(self._starts[client], clock) - 1
        return self._runs[client][index]

    def holds(self, at: ID) -> bool:
        return at[1] < self.state.get(at[0], 0)

    def segments(self) -> dict[int, list[tuple[int, int, Place | None, Content]]]:
        """Per client, what it holds as (first clock, end, place, content), neighbours of the same place and
        content joined: two layouts that place every item alike have the same segments, however their updates
        cut the items into runs."""
        found: dict[int, list[tuple[int, int, Place | None, Content]]] = {}
        for client, starts in self._starts.items():
            ends = [*starts[1:], self.state[client]]
            joined: list[tuple[int, int, Place | None, Content]] = []
            for start, end, (place, content) in zip(starts, ends, self._runs[client], strict=True):
                if end == start:
                    continue  # an empty item (yrs writes empty strings so): no clock of it is ever looked up
                if joined and joined[-1][2] == place and joined[-1][3] is content and joined[-1][1] == start:
                    joined[-1] = (joined[-1][0], end, place, content)
                else:
                    joined.append((start, end, place, content))
            found[client] = joined
        return found


class _Placing:
    """One update being placed: its items may name each other, in any order, and the held document."""

    def __init__(self, layout: Layout, structs: list[Struct]) -> None:
        self.layout = layout
        self.items: list[Struct] = []
        self._starts: dict[int, list[int]] = {}
        self._indexes: dict[int, list[int]] = {}
        for struct in structs:
            if struct.content is Content.SKIP or struct.end <= layout.state.get(struct.client, 0):
                continue  # a gap, or something the document holds already
            self._starts.setdefault(struct.client, []).append(struct.clock)
            self._indexes.setdefault(struct.client, []).append(len(self.items))
            self.items.append(struct)
        self._places: dict[int, Place | None] = {}
        self._nodes: dict[int, Node | None] = {}
        self._containers: dict[str | ID, Node | None] = {}

    def run(self) -> list[Placed]:
        placed: list[Placed] = []
        expected = dict(self.layout.state)
        for index, struct in enumerate(self.items):
            held = expected.get(struct.client, 0)
            if struct.clock > held:
                raise InvalidInput(MISSING)
            place = self._place(index)
            right = struct.right_origin
            if right is not None and struct.origin is not None and self._neighbour_place(right) != place:
                raise InvalidInput("an item is placed between two items of different places")
            if struct.clock < held:
                # Yjs integrates the new part only, after the sender's own previous item: both must be one place.
                if self.layout.run_at((struct.client, held - 1))[0] != place:
                    raise InvalidInput("an update re-sends part of a change and puts the rest somewhere else")
                struct = _cut(struct, held)
            expected[struct.client] = struct.end
            parent = self._container(place[0]) if place is not None else None
            created = self._node(index) if struct.content is Content.TYPE and parent is not None else None
            placed.append(Placed(struct, place, parent, created))
        return placed

    def _find(self, at: ID) -> int | None:
        """The index of the new item holding `at`; None when the document holds `at` already."""
        client, clock = at
        if self.layout.holds(at):
            return None
        starts = self._starts.get(client)
        if starts:
            position = bisect_right(starts, clock) - 1
            if position >= 0 and clock < self.items[self._indexes[client][position]].end:
                return self._indexes[client][position]
        raise InvalidInput(MISSING)

    def _place(self, index: int) -> Place | None:
        """Follow neighbours to an item that names its place, or to a held one. Iterative: a crafted update
        may chain a hundred thousand items."""
        chain: list[int] = []
        seen: set[int] = set()
        result: Place | None
        while True:
            if index in self._places:
                result = self._places[index]
                break
            struct = self.items[index]
            if struct.content is Content.GC:
                result = None
                break
            if struct.explicit:
                assert struct.parent is not None
                result = (struct.parent, struct.key)
                break
            neighbour = struct.origin if struct.origin is not None else struct.right_origin
            assert neighbour is not None
            before = self.items[index - 1] if index else None
            if before is not None and before.client == neighbour[0] and before.clock <= neighbour[1] < before.end:
                found: int | None = index - 1  # typing: the item before, by far the most common neighbour
            else:
                found = self._find(neighbour)
            if found is None:
                result = self.layout.run_at(neighbour)[0]
                break
            if found in seen or found == index:
                raise InvalidInput("malformed update: items placed next to each other in a circle")
            seen.add(index)
            chain.append(index)
            index = found
        for step in chain:
            self._places[step] = result
        self._places[index] = result
        return result

    def _neighbour_place(self, at: ID) -> Place | None:
        found = self._find(at)
        return self.layout.run_at(at)[0] if found is None else self._place(found)

    def _container(self, ref: str | ID) -> Node | None:
        """The shared type a place names; None when Yjs will drop what goes there (a deleted, collected type)."""
        if ref in self._containers:
            return self._containers[ref]
        if isinstance(ref, str):
            node: Node | None = self.layout.root(ref)
        else:
            found = self._type_item(ref)
            node = found if found is None or isinstance(found, Node) else self._node(found)
        self._containers[ref] = node
        return node

    def _type_item(self, at: ID) -> Node | int | None:
        """A held type's node, the index of the new item that creates the type, or None for a dropped one."""
        if at in self.layout.types:
            return self.layout.types[at]
        if self.layout.holds(at):
            place, content = self.layout.run_at(at)
            if place is None or content in (Content.DELETED, Content.GC):
                return None
            raise InvalidInput("an item names as its parent something that is not a shared type")
        index = self._find(at)
        assert index is not None
        struct = self.items[index]
        if struct.content in (Content.DELETED, Content.GC):
            return None
        if struct.content is not Content.TYPE or struct.clock != at[1]:
            raise InvalidInput("an item names as its parent something that is not a shared type")
        return index

    def _node(self, index: int) -> Node | None:
        """The type new item `index` creates, worked out from the outermost new type in. Iterative."""
        waiting: list[int] = []
        on_path: set[int] = set()
        current = index
        while True:
            if current in self._nodes:
                node = self._nodes[current]
                break
            place = self._place(current)
            outer = None if place is None else (self.layout.root(place[0]) if isinstance(place[0], str) else
                                                self._type_item(place[0]))  # fmt: skip
            if isinstance(outer, int):  # nested in another type of this update: that one first
                if outer in on_path or outer == current:
                    raise InvalidInput("malformed update: shared types nested in a circle")
                on_path.add(current)
                waiting.append(current)
                current = outer
                continue
            node = self._make(current, outer)
            break
        for inner in reversed(waiting):
            node = self._make(inner, node)
        return self._nodes[index]

    def _make(self, index: int, outer: Node | None) -> Node | None:
        struct = self.items[index]
        place = self._places.get(index)
        node = None
        if outer is not None and place is not None and struct.type_ref is not None:
            node = Node(struct.type_ref, outer.root, struct.tag, outer.depth + 1, place[1], outer)
        self._nodes[index] = node
        return node


def _cut(struct: Struct, clock: int) -> Struct:
    """The part of `struct` from `clock` on (its values are kept whole: checks then see at least as much)."""
    offset = clock - struct.clock
    return Struct(struct.client, clock, struct.length - offset, struct.content, (struct.client, clock - 1),
                  struct.right_origin, False, None, None, struct.type_ref, struct.tag, struct.values,
                  struct.size)  # fmt: skip
