"""Staff accounts as events: who could do what, when; the password never stored; the
access rules of the library applied to the signed-in account."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from casework import Casework
from casework.cli import main
from casework.desk.accounts import AccountBook, Accounts, SignInRefused
from casework.errors import AlreadyExists, InvalidInput, PermissionDenied
from tests.desk.helpers import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(store_url: str, clock: Clock) -> tuple[Casework, Accounts]:
    cw = Casework(store=store_url, now=clock)
    return cw, Accounts(cw)


def test_an_account_is_its_events_and_holds_no_password(
        world: tuple[Casework, Accounts]) -> None:
    cw, accounts = world
    accounts.add("m-01", role="mediator", orgs=["subdistrict"], password="first password",
                 name="陈敏", actor="admin")
    accounts.change_role("m-01", role="supervisor", actor="admin")
    accounts.grant("m-01", orgs=["county"], actor="admin")
    accounts.revoke_bodies("m-01", orgs=["subdistrict"], actor="admin")
    accounts.change_password("m-01", password="second password", actor="m-01")
    accounts.close("m-01", reason="left the office", actor="admin")
    a = accounts.get("m-01")
    assert (a.role, a.orgs, a.active) == ("supervisor", ("county",), False)
    assert [(what, who) for what, _, who in a.history] == [
        ("add", "admin"), ("change_role", "admin"), ("grant", "admin"),
        ("revoke_bodies", "admin"), ("set_password", "m-01"), ("close", "admin")]
    stored = b"".join(state for _, _, _, state in cw.log.stored())
    assert b"first password" not in stored and b"second password" not in stored
    assert b"$argon2id$" in stored
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in("m-01", "second password")
    assert refused.value.reason == "closed"


def test_bad_accounts_are_refused(world: tuple[Casework, Accounts]) -> None:
    _, accounts = world
    with pytest.raises(InvalidInput, match="role"):
        accounts.add("x", role="king", orgs=["a"], password="long enough", actor="admin")
    with pytest.raises(InvalidInput, match="password"):
        accounts.add("x", role="mediator", orgs=["a"], password="short", actor="admin")
    with pytest.raises(InvalidInput, match="org"):
        accounts.add("x", role="mediator", orgs=[], password="long enough", actor="admin")
    accounts.add("x", role="mediator", orgs=["a"], password="long enough", actor="admin")
    with pytest.raises(AlreadyExists):
        accounts.add("x", role="mediator", orgs=["a"], password="long enough", actor="admin")


def test_a_lock_holds_15_minutes_and_an_unlock_lifts_it(
        world: tuple[Casework, Accounts], clock: Clock) -> None:
    _, accounts = world
    accounts.add("m-01", role="mediator", orgs=["s"], password="the password", actor="admin")
    for attempt in range(5):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("m-01", "not it at all")
        assert refused.value.reason == ("locked" if attempt == 4 else "wrong")
    clock.offset = timedelta(minutes=14)
    with pytest.raises(SignInRefused, match="locked"):
        accounts.sign_in("m-01", "the password")
    accounts.unlock("m-01", actor="admin")
    assert accounts.sign_in("m-01", "the password")
    history = [what for what, _, _ in accounts.get("m-01").history]
    assert history == ["add", "lock", "unlock"]


def test_the_directory_is_the_accounts_and_the_library_applies_it(
        world: tuple[Casework, Accounts]) -> None:
    cw, accounts = world
    accounts.add("m-01", role="mediator", orgs=["subdistrict"], password="long enough",
                 actor="admin")
    book = AccountBook(cw)
    assert book.refresh()
    cw.access.directory = book.directory
    case = cw.disputes.receive(category="wages", workers=3, amount=100, channel="visit",
                               employer="Acme", org="subdistrict", actor="m-01")
    with pytest.raises(PermissionDenied):
        cw.disputes.receive(category="wages", workers=3, amount=100, channel="visit",
                            employer="Acme", org="county", actor="m-01")
    accounts.close("m-01", actor="admin")
    assert book.refresh() and not book.refresh()  # only what changed since the last look
    cw.access.directory = book.directory
    with pytest.raises(PermissionDenied):
        cw.disputes.accept(case, actor="m-01")


def test_accounts_on_the_terminal(store_url: str, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert main(["--store", store_url, "--as", "admin", "account", "add", "m-01", "--role",
                 "mediator", "--org", "subdistrict", "--org", "county", "--name", "陈敏",
                 "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "--json", "account", "list"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"account": "m-01", "name": "陈敏", "role": "mediator",
                       "orgs": ["subdistrict", "county"], "active": True, "locked": False}]
    monkeypatch.setattr("sys.stdin", io.StringIO("another password\n"))
    assert main(["--store", store_url, "--as", "admin", "account", "change-password", "m-01",
                 "--password-stdin"]) == 0
    assert main(["--store", store_url, "--as", "admin", "account", "revoke", "m-01",
                 "--org", "county"]) == 0
    assert main(["--store", store_url, "--as", "admin", "account", "revoke", "m-01"]) == 0
    capsys.readouterr()
    assert main(["--store", store_url, "--json", "account", "show", "m-01"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [h["what"] for h in shown["history"]] == ["add", "set_password", "revoke_bodies",
                                                     "close"]
    assert shown["active"] is False
    assert main(["--store", store_url, "account", "add", "x", "--role", "king", "--org", "a",
                 "--password-stdin"]) == 1
