"""The ASGI application a `casework serve` worker process runs, configured by the
environment its parent set ($CASEWORK_STORE, $CASEWORK_TZ, $CASEWORK_ORG)."""

from __future__ import annotations

import os

from starlette.applications import Starlette

from casework.desk.app import create_app


def app() -> Starlette:
    return create_app(os.environ.get("CASEWORK_STORE"), tz=os.environ.get("CASEWORK_TZ"),
                      org=os.environ.get("CASEWORK_ORG"))
