"""What a condition means: whether it holds on some facts, which facts it reads, which direction of a fact
makes it fire, why it holds (in plain words), and its canonical data and compact text."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from approvals import _values
from approvals.facts import FactSpec, FactValue, Kind, format_item, format_value
from approvals.grammar import AllOf, AnyOf, Compare, Condition, Not, Op


def holds(condition: Condition, facts: Mapping[str, FactValue]) -> bool:
    """Whether `condition` is true of `facts`. An unknown fact, or one of another kind than the comparison
    expects, makes its comparison false; nothing here raises on any facts."""
    if isinstance(condition, Compare):
        return _compare(condition, facts.get(condition.fact))
    if isinstance(condition, AllOf):
        return all(holds(item, facts) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(holds(item, facts) for item in condition.items)
    return not holds(condition.item, facts)


def _compare(compare: Compare, actual: FactValue | None) -> bool:
    op, value = compare.op, compare.value
    if op is None:
        return actual is True or (isinstance(actual, frozenset) and bool(actual))
    if op is Op.CONTAINS:
        return isinstance(actual, frozenset) and value in actual
    if op is Op.IN:
        return isinstance(value, tuple) and _same_kind(actual, value[0]) and actual in value
    if not _same_kind(actual, value):
        return False
    if op is Op.EQ:
        return actual == value
    if op is Op.NE:
        return actual != value
    assert isinstance(actual, Decimal) and isinstance(value, Decimal)  # the grammar allows < > on numbers only
    if op is Op.GT:
        return actual > value
    if op is Op.GE:
        return actual >= value
    if op is Op.LT:
        return actual < value
    return actual <= value


def _same_kind(actual: object, expected: object) -> bool:
    # bool is an int but never a Decimal, so a bool fact never passes for a number and vice versa.
    return actual is not None and type(actual) is type(expected)


def referenced(condition: Condition) -> tuple[str, ...]:
    """The facts `condition` reads, in first-use order, without repeats."""
    seen: dict[str, None] = {}
    _collect(condition, seen)
    return tuple(seen)


def _collect(condition: Condition, seen: dict[str, None]) -> None:
    if isinstance(condition, Compare):
        seen.setdefault(condition.fact, None)
    elif isinstance(condition, Not):
        _collect(condition.item, seen)
    else:
        for item in condition.items:
            _collect(item, seen)


def fires_on(condition: Condition, catalogue: Mapping[str, FactSpec]) -> dict[str, set[str]]:
    """For each fact, the directions ("higher", "lower") in which a change can make `condition` true:
    `x > 20` fires on higher x, `not x > 20` on lower. Equality and `in` tests name no direction."""
    found: dict[str, set[str]] = {}
    _directions(condition, catalogue, True, found)
    return found


def _directions(
    condition: Condition, catalogue: Mapping[str, FactSpec], positive: bool, found: dict[str, set[str]]
) -> None:
    if isinstance(condition, Not):
        _directions(condition.item, catalogue, not positive, found)
    elif isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            _directions(item, catalogue, positive, found)
    else:
        up = _fires_up(condition, catalogue[condition.fact].kind)
        if up is not None:
            found.setdefault(condition.fact, set()).add("higher" if up == positive else "lower")


def _fires_up(compare: Compare, kind: Kind) -> bool | None:
    """True when higher values make `compare` true, False when lower ones do, None when neither."""
    op = compare.op
    if kind is Kind.CATEGORIES:
        return True  # contains / not empty: more categories can only make it true
    if kind is Kind.BOOL:
        # Bools order no < yes: `== true` (or the bare form) fires on higher, `== false` on lower.
        wanted = True if op is None else compare.value
        return wanted == (op is not Op.NE)
    if op in (Op.GT, Op.GE):
        return True
    if op in (Op.LT, Op.LE):
        return False
    return None


_WORDS: Mapping[Op, tuple[str, str]] = {
    Op.GT: ("is over", "is not over"),
    Op.GE: ("is at least", "is under"),
    Op.LT: ("is under", "is not under"),
    Op.LE: ("is at most", "is over"),
    Op.EQ: ("is", "is not"),
    Op.NE: ("is not", "is"),
    Op.IN: ("is one of", "is none of"),
    Op.CONTAINS: ("include", "do not include"),
}


def explain(condition: Condition, facts: Mapping[str, FactValue], catalogue: Mapping[str, FactSpec]) -> list[str]:
    """Plain-words reasons `condition` holds on `facts`, one per comparison that made it so:
    ["max line discount 32% is over 20%", "non-standard clauses: Data protection"]: facts by their labels,
    categories by their names, never by their keys. Empty when it does not hold."""
    return _explain(condition, facts, catalogue, True) if holds(condition, facts) else []


def _explain(
    condition: Condition, facts: Mapping[str, FactValue], catalogue: Mapping[str, FactSpec], want: bool
) -> list[str]:
    """Phrases for the parts of `condition` whose truth is `want` and that decide the outcome."""
    if isinstance(condition, Not):
        return _explain(condition.item, facts, catalogue, not want)
    if isinstance(condition, AllOf | AnyOf):
        # An all that holds, or an any that fails, is decided by every item; otherwise by those that agree.
        every = isinstance(condition, AllOf) == want
        items = [item for item in condition.items if every or holds(item, facts) == want]
        return [phrase for item in items for phrase in _explain(item, facts, catalogue, want)]
    return [_phrase(condition, catalogue[condition.fact], facts.get(condition.fact), want)]


def _phrase(compare: Compare, spec: FactSpec, actual: FactValue | None, positive: bool) -> str:
    if actual is None:
        return f"{spec.label} is unknown"
    if spec.kind is Kind.BOOL:
        return spec.label if actual is True else f"no {spec.label}"
    if compare.op is None:
        return f"{spec.label}: {format_value(spec, actual)}" if positive else f"no {spec.label}"
    words = _WORDS[compare.op][0 if positive else 1]
    if compare.op is Op.CONTAINS:
        return f"{spec.label} {words} {format_item(spec, str(compare.value))}"
    return f"{spec.label} {format_value(spec, actual)} {words} {_operand_text(spec, compare.value)}"


def _operand_text(spec: FactSpec, value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(_operand_text(spec, item) for item in value)
    if isinstance(value, Decimal | bool | str):
        return format_value(spec, value)
    return str(value)


def to_data(condition: Condition) -> object:
    """The canonical structured form (numbers as plain strings): what a rule's fingerprint hashes, and what
    an API shows. Compact strings and their structured spelling give the same data."""
    if isinstance(condition, Compare):
        if condition.op is None:
            return {"fact": condition.fact}
        return {"fact": condition.fact, "op": str(condition.op), "value": _plain(condition.value)}
    if isinstance(condition, Not):
        return {"not": to_data(condition.item)}
    return {"all" if isinstance(condition, AllOf) else "any": [to_data(item) for item in condition.items]}


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return _values.plain(value) if isinstance(value, Decimal) else value


def to_compact(condition: Condition) -> str:
    """The compact text of `condition`; `approvals.compact.parse_compact` reads it back to the same tree."""
    if isinstance(condition, Compare):
        if condition.op is None:
            return condition.fact
        return f"{condition.fact} {condition.op} {_literal(condition.value)}"
    if isinstance(condition, Not):
        return f"not {_grouped(condition.item)}"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return joiner.join(_grouped(item) for item in condition.items)


def _grouped(condition: Condition) -> str:
    text = to_compact(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text


def _literal(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _values.plain(value)
    text = str(value)
    return f"'{text}'" if '"' in text else f'"{text}"'
