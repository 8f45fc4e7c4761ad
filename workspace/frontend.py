"""Serving the browser app: the built files of frontend/ (Vite), with the app's page for its routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "frontend" / "dist"
PLACEHOLDER = Path(__file__).resolve().parent / "static" / "index.html"

# Paths the browser app routes itself; each gets the app's page.
APP_PATHS = (
    "/",
    "/signin",
    "/rooms/{room_id}",
    "/invite/{token}",
    "/inbox",
    "/approve/{token}",
    "/library",
    "/people",
    "/admin/pricebook",
    "/admin/policy",
    "/admin/templates",
    "/welcome/{token}",
    "/enablement",
    "/pipeline",
    "/plan",
    "/insights",
)


async def _page(request: Request) -> Response:
    index = DIST / "index.html"
    # The page is tiny and names hashed assets: never cache it, so a deploy is seen at once.
    headers = {"Cache-Control": "no-cache"}
    return FileResponse(index if index.is_file() else PLACEHOLDER, headers=headers)


class HashedAssets(StaticFiles):
    """Vite names assets by their content hash: a file at a path never changes, so cache it for good."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def routes() -> list[BaseRoute]:
    found: list[BaseRoute] = [Route(path, _page) for path in APP_PATHS]
    assets = DIST / "assets"
    if assets.is_dir():
        found.append(Mount("/assets", HashedAssets(directory=assets), name="assets"))
    return found
