"""The OpenAPI document: valid OpenAPI 3.1, in step with the routes the app serves, and served as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
import yaml
from starlette.routing import Route, WebSocketRoute

from tests.support.server import LiveServer
from workspace import openapi
from workspace.sync import closecodes

OPS_PATHS = {"/healthz", "/readyz", "/metrics"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
STATE_CHANGING = {"post", "put", "patch", "delete"}


def _document() -> dict[str, Any]:
    """Parsed afresh from the file, so that a test cannot be fooled by the module's copy."""
    return yaml.safe_load(openapi.SOURCE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are used: {ref}"
    node: Any = document
    for raw in ref[2:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, path item, operation) for every documented operation."""
    return [
        (path, method, item, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def _app_operations(server: LiveServer) -> set[tuple[str, str]]:
    """(path, method) for every HTTP route the app serves under /api and the ops paths (HEAD aside)."""
    found: set[tuple[str, str]] = set()
    for route in server.app.routes:
        if not isinstance(route, Route):
            continue
        path = route.path_format  # "/api/tokens/{token_id}", without the ":int" convertor
        if not (path.startswith("/api/") or path in OPS_PATHS):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                found.add((path, method.lower()))
    return found


# --- (1) a valid OpenAPI 3.1 document ------------------------------------------------------------


def test_the_document_has_the_required_parts_and_every_ref_resolves() -> None:
    document = _document()
    assert str(document["openapi"]).startswith("3.1."), document["openapi"]
    assert document["info"]["title"] and document["info"]["version"]
    assert document["paths"]
    refs = _refs(document)
    assert refs, "the document uses shared components"
    for ref in refs:
        _resolve(document, ref)
    # Plain JSON types only (YAML would happily give dates or integer keys).
    assert json.loads(json.dumps(document)) == document


def test_the_document_validates_as_openapi_3_1() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(_document(), cls=validator.OpenAPIV31SpecValidator)


def test_every_operation_declares_exactly_its_path_parameters_and_its_responses() -> None:
    document = _document()
    for path, method, item, operation in _operations(document):
        declared = {
            parameter["name"]
            for raw in [*item.get("parameters", []), *operation.get("parameters", [])]
            if (parameter := _resolve(document, raw["$ref"]) if "$ref" in raw else raw)["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), f"{method.upper()} {path}"
        assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"
        assert operation.get("responses"), f"{method.upper()} {path} has no responses"
        assert "security" in operation, f"{method.upper()} {path} does not say how it is authenticated"


def test_cookie_authenticated_writes_require_the_csrf_header() -> None:
    document = _document()
    for path, method, _, operation in _operations(document):
        for requirement in operation["security"]:
            if "cookieSession" in requirement and method in STATE_CHANGING:
                assert "csrfHeader" in requirement, f"{method.upper()} {path}"
            if method not in STATE_CHANGING:
                assert "csrfHeader" not in requirement, f"{method.upper()} {path}"


# --- (2) drift: the document and the app's routes agree ------------------------------------------


def test_every_route_the_app_serves_is_documented_and_nothing_else(server: LiveServer) -> None:
    served = _app_operations(server)
    documented = {(path, method) for path, method, _, _ in _operations(_document())}
    assert served, "the app serves API routes"
    undocumented = sorted(served - documented)
    not_served = sorted(documented - served)
    assert not undocumented, f"served but not in workspace/openapi.yaml: {undocumented}"
    assert not not_served, f"in workspace/openapi.yaml but not served: {not_served}"


def test_the_websocket_routes_and_their_close_codes_are_documented(server: LiveServer) -> None:
    document = _document()
    sockets = {route.path_format for route in server.app.routes if isinstance(route, WebSocketRoute)}
    assert sockets == set(document["x-websockets"]), "WebSocket routes and x-websockets differ"
    codes = {name: value for name, value in vars(closecodes).items() if name.isupper() and isinstance(value, int)}
    for path, socket in document["x-websockets"].items():
        documented = {entry["name"]: entry["code"] for entry in socket["closeCodes"]}
        assert documented == codes, f"close codes of {path} differ from workspace/sync/closecodes.py"
        assert set(socket["parameters"]) == set(re.findall(r"{(\w+)}", path))


# --- (3) served as JSON --------------------------------------------------------------------------


def test_the_document_is_served_as_json(server: LiveServer) -> None:
    response = httpx.get(server.url + "/api/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == _document()
