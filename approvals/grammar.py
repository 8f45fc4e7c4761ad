"""The condition language of approval rules: its syntax tree, and reading it from policy data with precise errors.

A condition is plain data, never code:

    {"fact": "max_line_discount_pct", "op": ">", "value": 20}
    {"fact": "below_floor"}                               # a bool is true / a category set is not empty
    {"all": [CONDITION, ...]}  {"any": [CONDITION, ...]}  {"not": CONDITION}
    "max_line_discount_pct > 20 and not below_floor"      # the compact form, see `approvals.compact`

Which operators apply depends on the fact's kind: numbers `> >= < <= == != in`, bools `== !=`, texts
`== != in`, category sets `contains`. Evaluation and explanation live in `approvals.conditions`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from approvals import _values
from approvals._limits import MAX_CONDITION_CHARS, MAX_CONDITIONS_PER_RULE, MAX_DEPTH, MAX_LIST_ITEMS
from approvals.compact import CompactSyntaxError, parse_compact
from approvals.facts import FactSpec, Kind, describe_kind


class Op(StrEnum):
    """A comparison operator."""

    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="
    IN = "in"
    CONTAINS = "contains"


OPS_BY_KIND: Mapping[Kind, tuple[Op, ...]] = {
    Kind.NUMBER: (Op.GT, Op.GE, Op.LT, Op.LE, Op.EQ, Op.NE, Op.IN),
    Kind.BOOL: (Op.EQ, Op.NE),
    Kind.TEXT: (Op.EQ, Op.NE, Op.IN),
    Kind.CATEGORIES: (Op.CONTAINS,),
}

_OP_NAMES = frozenset(op.value for op in Op)

Operand = Decimal | bool | str | tuple[Decimal, ...] | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Compare:
    """`fact op value`; `op` None is the bare form (a bool is true, a category set is not empty)."""

    fact: str
    op: Op | None = None
    value: Operand = None


@dataclass(frozen=True, slots=True)
class AllOf:
    """True when every item is."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """True when at least one item is."""

    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """True when its item is not."""

    item: Condition


Condition = Compare | AllOf | AnyOf | Not


def parse_condition(raw: object, path: str, catalogue: Mapping[str, FactSpec], errors: list[str]) -> Condition | None:
    """The condition `raw` (data or compact string) describes; append an error per problem, each starting
    with its path, and return None when there was any."""
    before = len(errors)
    condition = _Reader(catalogue, errors).condition(raw, path, depth=1)
    return condition if len(errors) == before else None


class _Reader:
    def __init__(self, catalogue: Mapping[str, FactSpec], errors: list[str]) -> None:
        self.catalogue = catalogue
        self.errors = errors
        # Inside a compact string every error is reported at the string's own path.
        self.flat = False
        self.budget = MAX_CONDITIONS_PER_RULE

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def sub(self, path: str, key: str) -> str:
        return path if self.flat else f"{path}{key}"

    def condition(self, raw: object, path: str, depth: int) -> Condition | None:
        if depth > MAX_DEPTH:
            self.fail(path, f"nested deeper than {MAX_DEPTH} levels")
            return None
        self.budget -= 1
        if self.budget < 0:
            if self.budget == -1:
                self.fail(path, f"more than {MAX_CONDITIONS_PER_RULE} conditions in one rule")
            return None
        if isinstance(raw, str) and not self.flat:
            return self.compact(raw, path, depth)
        if not isinstance(raw, Mapping):
            self.fail(
                path, f"expected a condition (a string, or a mapping with fact, all, any or not), got {_show(raw)}"
            )
            return None
        if "fact" in raw:
            return self.compare(raw, path)
        keys = [key for key in ("all", "any", "not") if key in raw]
        extra = sorted(str(key) for key in raw if key not in ("all", "any", "not"))
        if len(keys) != 1 or extra:
            found = ", ".join(f'"{key}"' for key in [*keys, *extra]) or "nothing"
            self.fail(path, f"a condition needs exactly one of fact, all, any, not; found {found}")
            return None
        key = keys[0]
        inner = self.sub(path, f".{key}")
        if key == "not":
            item = self.condition(raw["not"], inner, depth + 1)
            return None if item is None else Not(item)
        listed = raw[key]
        if not isinstance(listed, list) or not listed:
            self.fail(inner, f"expected a non-empty list of conditions, got {_show(listed)}")
            return None
        items = [self.condition(item, self.sub(inner, f"[{i}]"), depth + 1) for i, item in enumerate(listed)]
        if any(item is None for item in items):
            return None
        checked = tuple(item for item in items if item is not None)
        return AllOf(checked) if key == "all" else AnyOf(checked)

    def compact(self, source: str, path: str, depth: int) -> Condition | None:
        if len(source) > MAX_CONDITION_CHARS:
            self.fail(path, f"longer than {MAX_CONDITION_CHARS} characters; use the structured form")
            return None
        try:
            data = parse_compact(source)
        except CompactSyntaxError as error:
            self.fail(path, f'{error} in "{source}"')
            return None
        self.flat = True
        try:
            return self.condition(data, path, depth)
        finally:
            self.flat = False

    def compare(self, raw: Mapping[object, object], path: str) -> Compare | None:
        def at(key: str) -> str:
            return self.sub(path, f".{key}")

        extra = sorted(str(key) for key in raw if key not in ("fact", "op", "value"))
        if extra:
            self.fail(path, "unexpected " + ", ".join(f'"{key}"' for key in extra) + " next to fact")
        fact = raw["fact"]
        spec = self.catalogue.get(fact) if isinstance(fact, str) else None
        if spec is None:
            self.fail(at("fact"), self._unknown_fact(fact))
        op = self._op(raw["op"], at("op")) if "op" in raw else None
        if spec is None or extra or (op is None and "op" in raw):
            return None
        if op is None:
            if "value" in raw:
                self.fail(at("op"), "required when a value is given")
            elif spec.kind in (Kind.BOOL, Kind.CATEGORIES):
                return Compare(spec.name)
            else:
                self.fail(path, f"{spec.name} is {describe_kind(spec.kind)}: give an op and a value")
            return None
        if op not in OPS_BY_KIND[spec.kind]:
            allowed = " ".join(OPS_BY_KIND[spec.kind])
            self.fail(at("op"), f'"{op}" does not apply to {spec.name} ({describe_kind(spec.kind)}; use {allowed})')
            return None
        if "value" not in raw:
            self.fail(at("value"), "required")
            return None
        value = self._operand(spec, op, raw["value"], at("value"))
        return None if value is None else Compare(spec.name, op, value)

    def _unknown_fact(self, fact: object) -> str:
        if not isinstance(fact, str):
            return f"expected a fact name, got {_show(fact)}"
        close = difflib.get_close_matches(fact, list(self.catalogue), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f'unknown fact "{fact}"{hint}'

    def _op(self, raw: object, path: str) -> Op | None:
        if isinstance(raw, str) and raw in _OP_NAMES:
            return Op(raw)
        shown = f'"{raw}"' if isinstance(raw, str) else _show(raw)
        hint = ' (did you mean "=="?)' if raw == "=" else ""
        self.fail(path, f"unknown operator {shown}{hint}; use one of {' '.join(Op)}")
        return None

    def _operand(self, spec: FactSpec, op: Op, raw: object, path: str) -> Operand:
        if op is Op.IN:
            if not isinstance(raw, list) or not raw or len(raw) > MAX_LIST_ITEMS:
                self.fail(path, f'"in" needs a list of 1 to {MAX_LIST_ITEMS} values, got {_show(raw)}')
                return None
            items = [self._scalar(spec, item, self.sub(path, f"[{i}]")) for i, item in enumerate(raw)]
            if any(item is None for item in items):
                return None
            if spec.kind is Kind.NUMBER:
                return tuple(item for item in items if isinstance(item, Decimal))
            return tuple(item for item in items if isinstance(item, str))
        return self._scalar(spec, raw, path)

    def _scalar(self, spec: FactSpec, raw: object, path: str) -> Decimal | bool | str | None:
        value: Decimal | bool | str | None
        if spec.kind is Kind.NUMBER:
            value = _values.to_decimal(raw, allow_text=False)
            wanted = "a number"
        elif spec.kind is Kind.BOOL:
            value = raw if isinstance(raw, bool) else None
            wanted = "true or false"
        else:
            # A text equals a text; a category set contains one category name.
            value = raw if isinstance(raw, str) and raw else None
            wanted = "a text" if spec.kind is Kind.TEXT else "a category name"
        if value is None:
            self.fail(path, f"{spec.name} is compared with {wanted}; got {_show(raw)}")
        return value


def _show(raw: object) -> str:
    """A raw policy value in words, for error messages."""
    if raw is None:
        return "nothing"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f'the text "{raw}"' if len(raw) <= 60 else f'the text "{raw[:57]}..."'
    if isinstance(raw, int | float | Decimal):
        return f"the number {raw}"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, Mapping):
        return "a mapping"
    return f"a {type(raw).__name__}"
