"""The OpenAPI document of the HTTP API (`openapi.yaml` beside this file), served as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SOURCE = Path(__file__).resolve().parent / "openapi.yaml"

# Parsed once: the document is part of the code and never changes while the process runs.
DOCUMENT: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


async def openapi_json(request: Request) -> Response:
    return JSONResponse(DOCUMENT)


routes = [Route("/api/openapi.json", openapi_json, methods=["GET"])]
