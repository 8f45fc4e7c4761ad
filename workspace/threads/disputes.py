"""Disputes that are not settled: a fact for the approval policy (`open_disputes`) and the export gate's list."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map

from workspace.threads.model import Kind, State, all_threads, threads_of


def unsettled_disputes(shared: Doc) -> list[dict[str, Any]]:
    """The room's external disputes that are open or answered (not resolved): what each is about and who
    opened it, as the export refusal lists them. Internal threads are the vendor's own and block nothing."""
    skus = {line.get("id"): line.get("sku") for line in shared.get("lines", type=Array) if isinstance(line, Map)}
    found = []
    for thread in all_threads(shared):
        if thread.get("kind") != Kind.DISPUTE or thread.get("state") == State.RESOLVED:
            continue
        first = (thread.get("messages") or [{}])[0]
        found.append({
            "id": thread["id"], "kind": thread["kind"], "state": thread.get("state"),
            "about": describe_anchor(thread.get("anchor"), skus), "anchor": thread.get("anchor"),
            "opened_by": thread.get("createdBy"), "opened_at": thread.get("createdAt"),
            "text": str(first.get("text", ""))[:200],
        })  # fmt: skip
    return found


def open_disputes(shared: Doc) -> int:
    """How many external disputes are open or answered: the approval fact `open_disputes`. Read at every
    re-pricing, so it counts from two keys of each thread instead of reading whole threads."""
    return sum(
        1 for thread in threads_of(shared).values()
        if isinstance(thread, Map) and thread.get("kind") == Kind.DISPUTE and thread.get("state") != State.RESOLVED
    )  # fmt: skip


def describe_anchor(anchor: object, skus: dict[object, object] | None = None) -> str:
    """What a thread is about, in words: 'the words "net 60"', 'the pricing line PLAT-ENT', 'the deal field
    billing' (`skus`: each line id's SKU, when known)."""
    if not isinstance(anchor, dict):
        return "the room"
    kind = anchor.get("type")
    if kind == "range":
        return f'the words "{anchor.get("quote", "")}"'
    if kind == "clause":
        return f"the clause {anchor.get('clauseId')}"
    if kind == "line":
        line = anchor.get("lineId")
        sku = (skus or {}).get(line)
        return f"the pricing line {sku}" if isinstance(sku, str) and sku else f"the pricing line {line}"
    if kind == "field":
        return f"the deal field {anchor.get('field')}"
    return "the room"
