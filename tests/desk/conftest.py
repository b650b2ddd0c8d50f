"""Fixtures of the desk's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from casework.desk.app import create_app
from tests.desk.helpers import Clock, add_staff, desk_of


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(store_url: str, clock: Clock) -> Iterator[Starlette]:
    """The desk on a fresh store (SQLite and PostgreSQL), with STAFF's accounts."""
    application = create_app(store_url, tz="Asia/Shanghai", now=clock)
    add_staff(application)
    yield application
    desk_of(application).close()


@pytest.fixture
def client(app: Starlette) -> TestClient:
    return TestClient(app, base_url="http://testserver")
