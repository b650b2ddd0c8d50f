"""Shared by the desk's tests: a desk on a fresh store, its accounts, signing in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from casework.desk.app import Desk

PASSWORD = "correct horse 1"
#: account → (role, bodies)
STAFF = {
    "m-chen": ("mediator", ["subdistrict"]),
    "m-li": ("mediator", ["subdistrict"]),
    "m-county": ("mediator", ["county"]),
    "a-subd": ("aid_officer", ["subdistrict"]),
    "boss": ("supervisor", ["subdistrict"]),
    "audit": ("auditor", ["*"]),
}


class Clock:
    """A clock the test moves: real time plus an offset."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def desk_of(app: Starlette) -> Desk:
    desk: Desk = app.state.desk
    return desk


def add_staff(app: Starlette) -> None:
    accounts = desk_of(app).accounts
    for ident, (role, orgs) in STAFF.items():
        accounts.add(ident, role=role, orgs=orgs, password=PASSWORD, name=ident, actor="admin")


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "no csrf_token in the page"
    return found.group(1)


def sign_in(client: TestClient, user: str, password: str = PASSWORD) -> str:
    """Sign in; returns the session's CSRF token."""
    page = client.get("/login")
    r = client.post("/login", data={"username": user, "password": password,
                                    "csrf_token": token(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return token(client.get("/account").text)


def errors(html: str) -> list[str]:
    return re.findall(r'<p class="error" id="[^"]*">([^<]+)</p>', html)


def receive(client: TestClient, csrf: str, **fields: str) -> str:
    data = {"csrf_token": csrf, "org": "subdistrict", "category": "wages", "workers": "3",
            "amount": "12000", "channel": "visit", "employer": "Acme Textiles",
            "petitioner": "王伟", "contact": "138-0000-0000", **fields}
    r = client.post("/disputes/new", data=data, follow_redirects=False)
    assert r.status_code == 303, errors(r.text) or r.text
    return r.headers["location"].split("/")[-1].split("?")[0]
