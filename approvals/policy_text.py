"""Reading a policy document's text: YAML (which JSON also is) or JSON with exact Decimal numbers. Syntax
errors and keys given twice are reported by line and column; the content is then checked by `load_policy`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal

import yaml

from approvals._limits import MAX_POLICY_CHARS
from approvals.errors import PolicyInvalid
from approvals.facts import CATALOGUE, FactSpec
from approvals.policy import Policy, load_policy


def load_policy_yaml(text: str, catalogue: Mapping[str, FactSpec] = CATALOGUE) -> Policy:
    """A validated policy from YAML text (JSON text is YAML too); raise `PolicyInvalid`."""
    _check_length(text)
    try:
        duplicates = _duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise PolicyInvalid([f"policy: not valid YAML: {where}{getattr(error, 'problem', None) or error}"]) from None
    if duplicates:
        raise PolicyInvalid(duplicates)
    return load_policy(data, catalogue)


def _duplicate_keys(root: object) -> list[str]:
    """A key given twice in one mapping, which PyYAML silently resolves to the last (a second `when:` would
    quietly replace the first)."""
    found: list[tuple[int, int, str]] = []
    seen: set[int] = set()  # aliases share nodes: visit each once
    pending = [root]
    while pending:
        node = pending.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        mark = key.start_mark
                        found.append((mark.line + 1, mark.column + 1, key.value))
                    keys.add(key.value)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return [f'policy: line {line}, column {column}: duplicate key "{key}"' for line, column, key in sorted(found)]


def load_policy_json(text: str, catalogue: Mapping[str, FactSpec] = CATALOGUE) -> Policy:
    """A validated policy from JSON text, its numbers read exactly as Decimal; raise `PolicyInvalid`."""
    _check_length(text)
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise PolicyInvalid(
            [f"policy: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    return load_policy(data, catalogue)


def _check_length(text: str) -> None:
    if len(text) > MAX_POLICY_CHARS:
        raise PolicyInvalid([f"policy: longer than {MAX_POLICY_CHARS} characters"])
