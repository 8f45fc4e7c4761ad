"""A database per test module (SQLite, and PostgreSQL when the test command provides one): the matrix builds
one world and asks it hundreds of questions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import migrated_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the whole module, once on SQLite and once on PostgreSQL."""
    yield from migrated_database(request.param, tmp_path_factory.mktemp("security"))
