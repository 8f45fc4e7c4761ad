"""Operations endpoints: liveness, readiness, metrics, and JSON errors for unknown routes."""

from __future__ import annotations

import httpx
import pytest

from tests import conftest
from tests.support.server import LiveServer


def _get(server: LiveServer, path: str, **kwargs: object) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]


def test_healthz_answers_without_a_sign_in(server: LiveServer) -> None:
    response = _get(server, "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_database(server: LiveServer) -> None:
    response = _get(server, "/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok"}


def test_readyz_is_503_while_healthz_is_200_when_the_database_does_not_answer() -> None:
    server = LiveServer(conftest.test_settings("postgresql://dealroom@127.0.0.1:1/nowhere")).start()
    try:
        assert _get(server, "/healthz").status_code == 200
        response = _get(server, "/readyz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable" and response.json()["database"]
    finally:
        server.stop()


def test_metrics_are_not_public_unless_asked_for(make_server) -> None:  # type: ignore[no-untyped-def]
    off = make_server()
    assert _get(off, "/metrics").status_code == 404
    with_token = make_server(metrics_token="scrape-me")
    assert _get(with_token, "/metrics").status_code == 401
    assert _get(with_token, "/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert _get(with_token, "/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200
    assert _get(make_server(metrics_public=True), "/metrics").status_code == 200


def test_metrics_are_prometheus_text_with_the_sync_figures(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server(metrics_public=True)
    response = _get(server, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    # Counters are exposed as NAME_total; the family is still NAME.
    declared = {
        line.split()[2].removesuffix("_total") for line in response.text.splitlines() if line.startswith("# TYPE ")
    }
    assert {
        "dealroom_ws_connections",
        "dealroom_updates_accepted",
        "dealroom_update_seconds",
        "dealroom_room_docs_loaded",
    } <= declared
    samples = dict(line.rsplit(" ", 1) for line in response.text.splitlines() if line and not line.startswith("#"))
    assert float(samples["dealroom_ws_connections"]) == 0
    assert float(samples["dealroom_updates_accepted_total"]) == 0


@pytest.mark.parametrize("path", ["/nope", "/api/nope", "/api/rooms/x/nope"])
def test_an_unknown_route_is_a_json_404(server: LiveServer, path: str) -> None:
    response = _get(server, path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "not_found"
    assert "detail" in response.json()


def test_a_wrong_method_is_a_json_405(server: LiveServer) -> None:
    response = httpx.put(server.url + "/api/session", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_the_app_is_served_compressed_with_cacheable_assets(server: LiveServer) -> None:
    from workspace.frontend import DIST

    page = httpx.get(f"{server.url}/rooms/any-room", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.headers["cache-control"] == "no-cache"
    assets = sorted((DIST / "assets").glob("*.js")) if (DIST / "assets").is_dir() else []
    if not assets:
        pytest.skip("frontend/dist is not built (the README's test command builds it)")
    script = httpx.get(f"{server.url}/assets/{assets[0].name}", headers={"Accept-Encoding": "gzip"})
    assert script.status_code == 200
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]
