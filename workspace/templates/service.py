"""Checking, storing and applying room templates.

A template names clauses of the library and SKUs of the price book; both are checked when it is saved (so
the admin sees the mistake next to the field) and again when a room starts from it: a clause retired since
is left out of the room rather than pinned to nothing, and so is a product no longer sold.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clauses.library import ClauseLibrary
from workspace.audit import chain as audit
from workspace.errors import Conflict, InvalidInput, NotFound, Unprocessable
from workspace.pricing import PriceBook
from workspace.pricing.entry import discount_problem, qty_problem
from workspace.rooms.content import StartLine, starting_content
from workspace.storage.base import utcnow
from workspace.templates.models import RoomTemplate

MAX_NAME = 120
MAX_DEAL_TYPE = 60
MAX_DESCRIPTION = 500
# A template is a starting point, not a contract: a few dozen clauses and lines at most.
MAX_CLAUSES = 40
MAX_LINES = 40
FIELDS = frozenset({"name", "deal_type", "description", "clauses", "lines", "revision"})


def template_view(template: RoomTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "name": template.name,
        "deal_type": template.deal_type,
        "description": template.description,
        "clauses": list(template.clauses),
        "lines": [dict(line) for line in template.lines],
        "revision": template.revision,
        "updated_at": template.updated_at.isoformat(),
    }


def _text(data: dict[str, Any], name: str, limit: int, problems: dict[str, str], *, required: bool = True) -> str:
    value = data.get(name, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()):
        problems[name] = f"'{name}' is required text"
        return ""
    if len(value.strip()) > limit:
        problems[name] = f"'{name}' may have at most {limit} characters"
    return value.strip()


def checked(data: dict[str, Any], library: ClauseLibrary, book: PriceBook | None) -> dict[str, Any]:
    """The template's fields from a request body, or Unprocessable with a problem per field (`fields`)."""
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    problems: dict[str, str] = {}
    name = _text(data, "name", MAX_NAME, problems)
    deal_type = _text(data, "deal_type", MAX_DEAL_TYPE, problems)
    description = _text(data, "description", MAX_DESCRIPTION, problems, required=False)
    clauses = data.get("clauses", [])
    if not isinstance(clauses, list) or not all(isinstance(c, str) for c in clauses) or len(clauses) > MAX_CLAUSES:
        problems["clauses"] = f"'clauses' is a list of at most {MAX_CLAUSES} clause ids"
        clauses = []
    for index, clause_id in enumerate(clauses):
        clause = library.get(clause_id)
        if clause is None or clause.latest_published is None:
            problems[f"clauses.{index}"] = f"{clause_id[:80]!r} is not a published clause of the library"
        elif clauses.index(clause_id) != index:
            problems[f"clauses.{index}"] = f"{clause_id!r} is in the template twice"
    lines = data.get("lines", [])
    if not isinstance(lines, list) or len(lines) > MAX_LINES:
        problems["lines"] = f"'lines' is a list of at most {MAX_LINES} lines"
        lines = []
    kept: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict) or set(line) - {"sku", "qty", "discountPct"}:
            problems[f"lines.{index}"] = "a line has 'sku', 'qty' and optionally 'discountPct'"
            continue
        sku, qty, discount = line.get("sku"), line.get("qty"), line.get("discountPct", 0)
        product = book.product(sku) if book is not None and isinstance(sku, str) else None
        if not isinstance(sku, str) or not sku:
            problems[f"lines.{index}.sku"] = "a line needs a SKU"
        elif book is not None and (product is None or not product.active):
            problems[f"lines.{index}.sku"] = f"{sku[:40]!r} is not sold in the current price book"
        for key, problem in (("qty", qty_problem(qty)), ("discountPct", discount_problem(discount))):
            if problem:
                problems[f"lines.{index}.{key}"] = problem
        kept.append({"sku": sku, "qty": qty, "discountPct": discount})
    if problems:
        raise Unprocessable(
            f"{len(problems)} problem(s) in the template; nothing was saved",
            fields=problems,
            errors=[f"{field} {problem}" for field, problem in problems.items()],
        )
    return {"name": name, "deal_type": deal_type, "description": description, "clauses": clauses, "lines": kept}


def _name_taken(db: Session, name: str, but: int | None = None) -> None:
    found = db.execute(select(RoomTemplate.id).where(func.lower(RoomTemplate.name) == name.lower())).scalar()
    if found is not None and found != but:
        raise Conflict(f"there is already a template named {name!r}", fields={"name": "this name is taken"})


def create(db: Session, fields: dict[str, Any], actor: int | None) -> RoomTemplate:
    _name_taken(db, fields["name"])
    template = RoomTemplate(**fields, created_by=actor, updated_at=utcnow())
    db.add(template)
    db.flush()
    audit.append(db, "template.created", actor_id=actor, room_id=None, at=utcnow(),
                 data={"template_id": template.id, "name": template.name})  # fmt: skip
    return template


def get(db: Session, template_id: int) -> RoomTemplate:
    template = db.get(RoomTemplate, template_id)
    if template is None:
        raise NotFound("no such template")
    return template


def change(db: Session, template_id: int, revision: object, fields: dict[str, Any], actor: int) -> RoomTemplate:
    """Replace the template's fields; 409 when `revision` is not the one stored (someone saved meanwhile)."""
    template = get(db, template_id)
    if not isinstance(revision, int) or isinstance(revision, bool):
        raise InvalidInput("'revision' is required: the revision of the template as you read it")
    if revision != template.revision:
        raise Conflict("someone changed this template meanwhile: reload it and make your change again",
                       revision=template.revision)  # fmt: skip
    _name_taken(db, fields["name"], but=template.id)
    for key, value in fields.items():
        setattr(template, key, value)
    template.updated_at = utcnow()
    db.flush()
    audit.append(db, "template.changed", actor_id=actor, room_id=None, at=utcnow(),
                 data={"template_id": template.id, "name": template.name, "revision": template.revision})  # fmt: skip
    return template


def delete(db: Session, template_id: int, actor: int) -> None:
    template = get(db, template_id)
    audit.append(db, "template.deleted", actor_id=actor, room_id=None, at=utcnow(),
                 data={"template_id": template.id, "name": template.name})  # fmt: skip
    db.delete(template)


def room_start(template: RoomTemplate, library: ClauseLibrary, book: PriceBook | None) -> bytes:
    """The first terms and lines of a room opened from `template`, priced from `book` (the room's)."""
    clauses = []
    for clause_id in template.clauses:
        clause = library.get(clause_id)
        if clause is not None and clause.latest_published is not None:
            clauses.append((clause, clause.latest_published))
    lines = []
    for number, line in enumerate(template.lines, start=1):
        product = book.product(line["sku"]) if book is not None else None
        if product is not None and product.active:
            lines.append(StartLine(f"t{number}", line["sku"], int(line["qty"]), line.get("discountPct", 0)))
    return starting_content(clauses, lines)
