"""Reading a policy document from a request body: YAML (by content type) or JSON, size- and depth-limited."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from workspace.approval_policy.service import parse_yaml
from workspace.errors import InvalidInput
from workspace.json_checks import MAX_JSON_DEPTH, check_json
from workspace.web import json_body, read_body

# A policy is a few dozen rules; this leaves room for hundreds with long reasons.
MAX_POLICY_BYTES = 256 * 1024
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}


def is_yaml(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() in YAML_TYPES


async def policy_body(request: Request) -> dict[str, Any]:
    """The policy sent: YAML is checked by the core's YAML reader (Unprocessable listing its problems)."""
    if is_yaml(request):
        body = await read_body(request, MAX_POLICY_BYTES)
        try:
            data = parse_yaml(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InvalidInput("the policy is not UTF-8 text") from exc
        except RecursionError as exc:  # PyYAML composes recursively: a hostile document is refused, not a 500
            raise InvalidInput(f"the policy nests deeper than {MAX_JSON_DEPTH} levels") from exc
        check_json(data)
        return data
    return await json_body(request, MAX_POLICY_BYTES)
