"""One store fixture for every test and spec that touches a store: SQLite and PostgreSQL.

PostgreSQL: $CASEWORK_TEST_POSTGRES (a URL to a server, any database) or, failing that,
postgresql://postgres@127.0.0.1:5432/postgres. Each test gets a fresh, empty schema of one
database made for the test session (a schema costs about 2 ms, a database 500 ms), dropped
afterwards; `pg_conninfo` turns a store URL into what psycopg takes, and names its schema.
Where no server answers, PostgreSQL tests are skipped with the reason, except under
CI=true, where a skip is a failure.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

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


def pg_conninfo(url: str) -> tuple[str, str]:
    """A store URL as psycopg takes it (without casework's `schema` parameter), and the
    schema it names ("public" where none)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    schema = query.pop("schema", ["public"])[0]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True))), schema


@pytest.fixture(scope="session")
def postgres_database(postgres_reason: str | None) -> Iterator[str]:
    """One database for the session's tests, each of which takes a schema of its own."""
    if postgres_reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {postgres_reason}")
        pytest.skip(postgres_reason)
    name = f"cw_test_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'CREATE DATABASE "{name}"')
        # A test's commit need not wait for the disk: the server crashing mid-test is not
        # a case the tests make (the crash tests kill clients), and it halves their time.
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    yield urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
    with _admin() as conn:  # type: ignore[attr-defined]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_schema(database: str) -> Iterator[str]:
    """A store URL on a fresh, empty PostgreSQL schema of `database`, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{database}?schema={schema}"
    finally:
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """A store URL on a fresh, empty PostgreSQL schema, dropped after the test."""
    with fresh_schema(postgres_database) as url:
        yield url


#: Both stores, as a fixture's params: every store test runs on each.
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def fresh_store(request: pytest.FixtureRequest, directory: Path) -> Iterator[str]:
    """A fresh store URL of the kind `request.param` names: an SQLite file in
    `directory`, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{directory / 'casework.db'}"
    else:
        with fresh_schema(request.getfixturevalue("postgres_database")) as url:
            yield url


@pytest.fixture(params=STORES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh store URL: an SQLite file, or a fresh PostgreSQL schema."""
    with fresh_store(request, tmp_path) as url:
        yield url


@pytest.fixture
def cw(store_url: str) -> Iterator[Casework]:
    """A Casework on a fresh store, with $CASEWORK_TZ's default (UTC)."""
    with Casework(store=store_url) as app:
        yield app


def run_together(target: Callable[..., None], processes: int,
                 args: Callable[[int], tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Start `processes` fresh interpreters on `target(*args(me), start, results)`, released
    together by the barrier `start`; each puts one report (a dict) on `results`. Returns the
    reports once every process has ended."""
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args(me), start, results))
             for me in range(processes)]
    for p in procs:
        p.start()
    reports: list[dict[str, Any]] = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [r.get("error") for r in reports] == [None] * processes
    assert all(p.exitcode == 0 for p in procs)
    return reports
