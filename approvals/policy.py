"""The approval policy: a versioned document of rules, each a condition over deal facts and the step it
requires. `load_policy` validates the plain data (`approvals.policy_text` reads YAML or JSON text) and
reports every problem by path:

    version: 3
    rules:
      - id: discount-20                    # unique; what requests and carried-over approvals refer to
        name: Sales manager approval       # optional, defaults to id
        reason: Discount over 20%          # optional, defaults to name
        when: max_line_discount_pct > 20   # a condition, see approvals.grammar
        step: {approvers: {role: sales_manager}, order: 1, mode: any}   # role | group | user; any | unanimous
        covers: {max_line_discount_pct: lower}   # optional, per fact: lower | higher | equal

Steps of one order run in parallel; orders run one after another. `covers` overrides the fact's default
direction (approvals.facts); a rule whose condition fires in the direction its approvals would cover is
refused, since an approval of "6 months" must not cover "3 months" under a rule against short terms."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from approvals import _values
from approvals._limits import MAX_RULES
from approvals.conditions import fires_on, referenced, to_data
from approvals.errors import PolicyInvalid
from approvals.facts import CATALOGUE, Covers, FactSpec, Kind
from approvals.grammar import Condition, parse_condition


class Mode(StrEnum):
    """How many of a step's approvers must approve: any one of them, or every one."""

    ANY = "any"
    UNANIMOUS = "unanimous"


class ApproverKind(StrEnum):
    """Who a step names: everyone holding a role, the members of a group, or one user."""

    ROLE = "role"
    GROUP = "group"
    USER = "user"


@dataclass(frozen=True, slots=True)
class Approvers:
    """The approvers a step names; the workspace resolves them to user ids."""

    kind: ApproverKind
    value: str | int

    @property
    def label(self) -> str:
        """In words for a rep: "sales manager", "deal desk", "ann@example.com"."""
        return self.value.replace("_", " ") if isinstance(self.value, str) else str(self.value)


@dataclass(frozen=True, slots=True)
class StepSpec:
    """The step a rule requires."""

    approvers: Approvers
    order: int
    mode: Mode


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated rule. `directions` holds, for every fact the rule tests (those its condition reads and
    the facts they bind), which later values an approval covers; `fingerprint` changes when the condition,
    approvers, mode or directions do, and an approval carries over only to a rule with the same one."""

    id: str
    name: str
    reason: str
    when: Condition
    step: StepSpec
    directions: Mapping[str, Covers]
    fingerprint: str

    @property
    def tested(self) -> tuple[str, ...]:
        """The facts a request records for this rule."""
        return tuple(self.directions)


@dataclass(frozen=True, slots=True)
class Policy:
    """A validated policy; `fingerprint` identifies this exact content. `catalogue` is the one it was
    validated against (it names the facts' words and units in reasons)."""

    version: int
    rules: tuple[Rule, ...]
    fingerprint: str
    catalogue: Mapping[str, FactSpec] = field(default_factory=lambda: CATALOGUE, compare=False, repr=False)

    def rule(self, rule_id: str) -> Rule | None:
        """The rule with `rule_id`, or None."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)


_POLICY_KEYS = {"version", "name", "description", "rules"}
_RULE_KEYS = {"id", "name", "reason", "when", "step", "covers"}
_STEP_KEYS = {"approvers", "order", "mode"}
_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
# Sets are ordered by inclusion; admins think of them as subsets and supersets.
_ALIASES = {"subset": Covers.LOWER, "superset": Covers.HIGHER}
_COVERS_NAMES = frozenset(covers.value for covers in Covers)


def load_policy(data: object, catalogue: Mapping[str, FactSpec] = CATALOGUE) -> Policy:
    """A validated `Policy` from plain data; raise `PolicyInvalid` listing every problem with its path,
    e.g. `rules[2].when.all[0].op: unknown operator "=>"`."""
    if not isinstance(data, Mapping):
        raise PolicyInvalid(["policy: expected a mapping with version and rules"])
    errors: list[str] = [
        f"{key}: unexpected key; use one of {', '.join(sorted(_POLICY_KEYS))}" for key in _unknown(data, _POLICY_KEYS)
    ]
    version = data.get("version")
    if not _positive_int(version):
        errors.append(f"version: must be an integer of at least 1; got {version!r}")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        errors.append("rules: expected a list")
        raw_rules = []
    elif len(raw_rules) > MAX_RULES:
        errors.append(f"rules: more than {MAX_RULES} rules")
        raw_rules = []
    rules: list[Rule] = []
    first_seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        path = f"rules[{index}]"
        rule_id = raw.get("id") if isinstance(raw, Mapping) else None
        if isinstance(rule_id, str) and rule_id in first_seen:
            errors.append(f'{path}.id: duplicate rule id "{rule_id}" (also rules[{first_seen[rule_id]}])')
        elif isinstance(rule_id, str):
            first_seen[rule_id] = index
        rule = _rule(raw, path, catalogue, errors)
        if rule is not None:
            rules.append(rule)
    if errors:
        raise PolicyInvalid(errors)
    assert isinstance(version, int)
    canonical = {"version": version, "rules": [_canonical(rule, full=True) for rule in rules]}
    return Policy(version, tuple(rules), _digest(canonical), catalogue)


def _rule(raw: object, path: str, catalogue: Mapping[str, FactSpec], errors: list[str]) -> Rule | None:
    if not isinstance(raw, Mapping):
        errors.append(f"{path}: expected a mapping with id, when and step")
        return None
    before = len(errors)
    errors.extend(f"{path}.{key}: unexpected key" for key in _unknown(raw, _RULE_KEYS))
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.fullmatch(rule_id):
        errors.append(f"{path}.id: required: letters, digits and _ . : - (at most 64); got {rule_id!r}")
    name = _text(raw, "name", path, errors, default=rule_id if isinstance(rule_id, str) else "")
    reason = _text(raw, "reason", path, errors, default=name)
    when: Condition | None = None
    if "when" not in raw:
        errors.append(f"{path}.when: required")
    else:
        when = parse_condition(raw["when"], f"{path}.when", catalogue, errors)
    step = _step(raw.get("step"), f"{path}.step", errors)
    directions = _directions(raw.get("covers"), when, path, catalogue, errors) if when is not None else None
    if len(errors) > before or when is None or step is None or directions is None:
        return None
    assert isinstance(rule_id, str)
    rule = Rule(rule_id, name, reason, when, step, directions, "")
    return Rule(rule_id, name, reason, when, step, directions, _digest(_canonical(rule, full=False)))


def _step(raw: object, path: str, errors: list[str]) -> StepSpec | None:
    if not isinstance(raw, Mapping):
        errors.append(f"{path}: required: a mapping with approvers, order and mode")
        return None
    before = len(errors)
    errors.extend(f"{path}.{key}: unexpected key" for key in _unknown(raw, _STEP_KEYS))
    approvers = _approvers(raw.get("approvers"), f"{path}.approvers", errors)
    order = raw.get("order", 1)
    if not _positive_int(order):
        errors.append(f"{path}.order: must be an integer of at least 1; got {order!r}")
    mode = raw.get("mode", "any")
    if mode not in (Mode.ANY, Mode.UNANIMOUS):
        errors.append(f'{path}.mode: must be "any" or "unanimous"; got {mode!r}')
    if len(errors) > before or approvers is None:
        return None
    assert isinstance(order, int) and isinstance(mode, str)
    return StepSpec(approvers, order, Mode(mode))


def _approvers(raw: object, path: str, errors: list[str]) -> Approvers | None:
    kinds = [kind for kind in ApproverKind if isinstance(raw, Mapping) and kind in raw]
    if not isinstance(raw, Mapping) or len(kinds) != 1 or len(raw) != 1:
        errors.append(f"{path}: name exactly one of role, group or user, e.g. {{role: sales_manager}}")
        return None
    kind = kinds[0]
    value = raw[kind]
    valid_user = kind is ApproverKind.USER and _positive_int(value)
    if not valid_user and not (isinstance(value, str) and value.strip()):
        errors.append(f"{path}.{kind}: expected a non-empty name; got {value!r}")
        return None
    assert isinstance(value, str | int)
    return Approvers(kind, value.strip() if isinstance(value, str) else value)


def _directions(
    raw: object, when: Condition, path: str, catalogue: Mapping[str, FactSpec], errors: list[str]
) -> dict[str, Covers] | None:
    reads = referenced(when)
    tested = list(dict.fromkeys([*reads, *(bound for fact in reads for bound in catalogue[fact].binds)]))
    directions = {fact: catalogue[fact].covers for fact in tested}
    overridden: set[str] = set()
    before = len(errors)
    if raw is not None and not isinstance(raw, Mapping):
        errors.append(f"{path}.covers: expected a mapping of fact to lower, higher or equal")
    for fact, value in raw.items() if isinstance(raw, Mapping) else ():
        at = f"{path}.covers.{fact}"
        if fact not in directions:
            errors.append(f"{at}: the rule does not test {fact}")
            continue
        kind = catalogue[fact].kind
        covers: Covers | None = None
        if isinstance(value, str):
            covers = _ALIASES.get(value) if kind is Kind.CATEGORIES else None
            covers = covers or (Covers(value) if value in _COVERS_NAMES else None)
        if covers is None or (kind is Kind.TEXT and covers is not Covers.EQUAL):
            allowed = "equal" if kind is Kind.TEXT else "lower, higher or equal"
            errors.append(f"{at}: expected {allowed}; got {value!r}")
            continue
        directions[fact] = covers
        overridden.add(fact)
    for fact, fires in fires_on(when, catalogue).items():
        covers = directions[fact]
        clash = "higher" if covers is Covers.HIGHER else "lower" if covers is Covers.LOWER else None
        if clash in fires:
            where = f"{path}.covers.{fact}" if fact in overridden else f"{path}.when"
            fix = "equal" if len(fires) > 1 else ("higher" if clash == "lower" else "lower")
            default = "" if fact in overridden else f" (the default for {fact})"
            errors.append(
                f"{where}: the condition fires on {clash} {fact}, but an approval would cover {clash} values{default}; "
                f"set covers: {{{fact}: {fix}}}"
            )
    return directions if len(errors) == before else None


def _canonical(rule: Rule, *, full: bool) -> dict[str, object]:
    content: dict[str, object] = {
        "when": to_data(rule.when),
        "approvers": {str(rule.step.approvers.kind): rule.step.approvers.value},
        "mode": str(rule.step.mode),
        "covers": {fact: str(covers) for fact, covers in rule.directions.items()},
    }
    if full:
        content.update(id=rule.id, name=rule.name, reason=rule.reason, order=rule.step.order)
    return content


def _digest(content: object) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return _values.plain(value)
    raise TypeError(f"not JSON: {value!r}")


def _text(raw: Mapping[object, object], key: str, path: str, errors: list[str], default: str) -> str:
    if key not in raw:
        return default
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{path}.{key}: expected a non-empty text; got {value!r}")
        return default
    return value.strip()


def _unknown(data: Mapping[object, object], known: set[str]) -> list[str]:
    return sorted(str(key) for key in data if key not in known)


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000
