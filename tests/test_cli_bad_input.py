"""Every CLI command with bad values: exit non-zero, one line on stderr, no traceback, and
nothing stored. The library's own refusals are walked in test_bad_input.py; here the
question is what a terminal user sees."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.cli import main
from tests.test_bad_input import HUGE, World, Worlds, snapshot
from tests.test_bad_input import worlds as worlds  # the fixture: one world per store kind


@pytest.fixture
def world(worlds: Worlds, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, World]]:
    monkeypatch.setenv("CASEWORK_ACTOR", "m-01")
    w = worlds.current()
    before = snapshot(w.cw)
    yield w.cw.store.url, w
    if snapshot(w.cw) != before:
        worlds.close()


# Each command with one bad value; {received} etc. are numbers from the world.
BAD_COMMANDS: list[tuple[str, list[str]]] = [
    ("receive-category", ["dispute", "receive", "--category", "salary", "--workers", "1",
                          "--amount", "1", "--channel", "visit", "--employer", "Acme"]),
    ("receive-workers-zero", ["dispute", "receive", "--category", "wages", "--workers", "0",
                              "--amount", "1", "--channel", "visit", "--employer", "Acme"]),
    ("receive-workers-word", ["dispute", "receive", "--category", "wages", "--workers",
                              "three", "--amount", "1", "--channel", "visit",
                              "--employer", "Acme"]),
    ("receive-amount-nan", ["dispute", "receive", "--category", "wages", "--workers", "1",
                            "--amount", "NaN", "--channel", "visit", "--employer", "Acme"]),
    ("receive-amount-inf", ["dispute", "receive", "--category", "wages", "--workers", "1",
                            "--amount", "-inf", "--channel", "visit", "--employer", "Acme"]),
    ("receive-employer-huge", ["dispute", "receive", "--category", "wages", "--workers",
                               "1", "--amount", "1", "--channel", "visit",
                               "--employer", HUGE]),
    ("receive-future", ["dispute", "receive", "--category", "wages", "--workers", "1",
                        "--amount", "1", "--channel", "visit", "--employer", "Acme",
                        "--at", "2999-01-01T00:00"]),
    ("receive-missing-option", ["dispute", "receive", "--category", "wages"]),
    ("accept-unknown", ["dispute", "accept", "LD-2023-9999"]),
    ("accept-before-previous", ["dispute", "accept", "{received}", "--at",
                                "2023-01-01T08:00"]),
    ("accept-bad-at", ["dispute", "accept", "{received}", "--at", "yesterday"]),
    ("accept-twice", ["dispute", "accept", "{accepted}"]),
    ("decline-blank", ["dispute", "decline", "{received}", "--reason", "  "]),
    ("mediate-bad-mediator", ["dispute", "mediate", "{accepted}", "--mediator", "a b"]),
    ("resolve-negative", ["dispute", "resolve", "{mediating}", "--settled-amount", "-5"]),
    ("escalate-unknown-target", ["dispute", "escalate", "{mediating}", "--to", "police"]),
    ("withdraw-huge", ["dispute", "withdraw", "{mediating}", "--reason", HUGE]),
    ("show-unknown", ["dispute", "show", "LD-2023-9999"]),
    ("show-malformed", ["dispute", "show", "../etc/passwd"]),
    ("list-bad-date", ["dispute", "list", "--overdue-on", "2023-02-30"]),
    ("aid-receive-channel", ["aid", "receive", "--channel", "fax"]),
    ("aid-accept-kind", ["aid", "accept", "{received}"]),
    ("aid-approve-kind", ["aid", "approve", "{aid_accepted}", "--kind", "cash"]),
    ("aid-approve-missing-fund", ["aid", "approve", "{aid_accepted}", "--kind", "one_off",
                                  "--amount", "100"]),
    ("aid-approve-unknown-fund", ["aid", "approve", "{aid_accepted}", "--kind", "one_off",
                                  "--fund", "F-404", "--amount", "100"]),
    ("aid-approve-months", ["aid", "approve", "{aid_accepted}", "--kind",
                            "monthly_subsidy", "--fund", "F-1", "--monthly-amount", "100",
                            "--first-month", "2023-13"]),
    ("aid-implement-twice", ["aid", "implement", "{aid_implemented}"]),
    ("aid-feedback-huge", ["aid", "feedback", "{aid_implemented}", "--feedback", HUGE]),
    ("aid-close-early", ["aid", "close", "{aid_received}"]),
    ("aid-escalate-target", ["aid", "escalate", "{aid_accepted}", "--to", "court"]),
    ("aid-withdraw-blank", ["aid", "withdraw", "{aid_accepted}", "--reason", ""]),
    ("aid-show-unknown", ["aid", "show", "HA-2023-9999"]),
    ("pay-quarter-malformed", ["aid", "pay-quarter", "2023Q5"]),
    ("pay-quarter-early", ["aid", "pay-quarter", "2023Q2", "--at", "2023-03-01T09:00"]),
    ("campaign-overdraw", ["aid", "campaign", "spring", "--fund", "F-1", "--amount",
                           "1000000", "--worker", "W-1"]),
    ("campaign-unknown-worker", ["aid", "campaign", "spring", "--fund", "F-1", "--amount",
                                 "10", "--worker", "W-404"]),
    ("enrol-twice", ["register", "enrol", "W-1", "--reason", "illness"]),
    ("enrol-reason", ["register", "enrol", "W-2", "--reason", "bored"]),
    ("review-unknown", ["register", "review", "W-404", "--reason", "illness"]),
    ("exit-reason", ["register", "exit", "W-1", "--reason", "bored"]),
    ("register-show-unknown", ["register", "show", "W-404"]),
    ("fund-open-twice", ["fund", "open", "F-1", "--name", "Again"]),
    ("fund-contribute-zero", ["fund", "contribute", "F-1", "--amount", "0",
                              "--source", "drive"]),
    ("fund-contribute-nan", ["fund", "contribute", "F-1", "--amount", "nan",
                             "--source", "drive"]),
    ("fund-show-unknown", ["fund", "show", "F-404"]),
    ("report-no-period", ["report"]),
    ("report-bad-period", ["report", "--period", "2023H3"]),
    ("report-backwards", ["report", "--from", "2023-06-30", "--to", "2023-01-01"]),
    ("report-bad-format", ["report", "--period", "2023H1", "--format", "pdf"]),
    ("report-future-known-at", ["report", "--period", "2023H1", "--known-at",
                                "2999-01-01T00:00"]),
    ("lifecycle-unknown", ["lifecycle", "fund"]),
    ("unknown-command", ["dispute", "frobnicate"]),
    ("bad-tz", ["--tz", "Mars/Olympus_Mons", "dispute", "list"]),
    ("bad-org", ["--org", "a b", "dispute", "list"]),
]


def one_line_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    code = main(args)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code != 0, captured.out
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("args", [pytest.param(a, id=k) for k, a in BAD_COMMANDS])
def test_a_bad_command_says_one_line_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], world: tuple[str, World], args: list[str]
) -> None:
    store, w = world
    numbers = {k: getattr(w, k) for k in vars(w) if k != "cw"}
    argv = [a.format(**numbers) if "{" in a else a for a in args]
    before = snapshot(w.cw)
    one_line_error(capsys, ["--store", store, *argv])
    assert w.cw.project() == 0
    assert snapshot(w.cw) == before


BAD_STORES = [
    ("unknown-scheme", "mysql://host/db"), ("sqlite-with-host", "sqlite://host/x.db"),
    ("missing-folder", "sqlite:///no/such/folder/x.db"),
    ("postgres-bad-port", "postgresql://postgres@127.0.0.1:port/db"),
    ("postgres-nobody-there", "postgresql://postgres@127.0.0.1:1/db?connect_timeout=1"),
]


@pytest.mark.parametrize("store", [pytest.param(v, id=k) for k, v in BAD_STORES])
def test_a_bad_store_says_one_line(capsys: pytest.CaptureFixture[str], store: str,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_line_error(capsys, ["--store", store, "dispute", "list"])
    assert line.startswith("error: ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", ["random", "text"])
def test_a_corrupt_store_says_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       content: str) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(os.urandom(8192) if content == "random" else b"not a database\n" * 99)
    before = path.read_bytes()
    for args in (["dispute", "list"], ["report", "--period", "2023H1"],
                 ["fund", "open", "F-1", "--name", "Fund"]):
        line = one_line_error(capsys, ["--store", f"sqlite:///{path}", *args])
        assert line.startswith("error: ")
    assert path.read_bytes() == before
