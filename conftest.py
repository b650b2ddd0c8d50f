"""One store fixture for every test and spec that touches a store: SQLite and PostgreSQL.

PostgreSQL: $CASEWORK_TEST_POSTGRES (a URL to a server, any database) or, failing that,
postgresql://postgres@127.0.0.1:5432/postgres. Each test gets a fresh database that is
dropped afterwards. Where no server answers, PostgreSQL tests are skipped with the reason,
except under CI=true, where a skip is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from casework import Casework

ADMIN_URL = os.environ.get("CASEWORK_TEST_POSTGRES") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin() -> object:
    import psycopg

    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def _postgres_unavailable() -> str | None:
    try:
        with _admin():  # type: ignore[attr-defined]
            return None
    except Exception as e:
        return f"no PostgreSQL server at {ADMIN_URL}: {str(e).splitlines()[0]}"


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_unavailable()


@pytest.fixture
def postgres_url(postgres_reason: str | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    if postgres_reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {postgres_reason}")
        pytest.skip(postgres_reason)
    name = f"cw_test_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(ADMIN_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'casework.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def cw(store_url: str) -> Iterator[Casework]:
    """A Casework on a fresh store, with $CASEWORK_TZ's default (UTC)."""
    with Casework(store=store_url) as app:
        yield app
