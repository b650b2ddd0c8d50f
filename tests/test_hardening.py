"""Issue 16's store and input findings, one regression test each (both stores where it applies).

5. control characters in text are refused; 6. every store fault is a one-line StoreError;
7. dates outside the supported years are InvalidInput; 9. no URL error shows a password.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from casework import Casework, InvalidInput, StoreError
from casework.cli import main
from casework.faults import LIMIT, one_line
from casework.periods import period
from casework.store import redact, resolve
from conftest import pg_conninfo
from domain.disputes import LabourDispute
from domain.values import FIRST_YEAR, LAST_YEAR

T0 = datetime(2023, 3, 1, 9)


def receive(cw: Casework, **kw: Any) -> str:
    args: dict[str, Any] = {"category": "wages", "workers": 2, "amount": 100,
                            "channel": "visit", "employer": "Acme", "at": T0, "actor": "m-01"}
    return cw.disputes.receive(**{**args, **kw})


def assert_one_line(message: str, *, secret: str | None = None) -> None:
    """What an operator may be shown: one printable line, capped, no secret, no raw bytes
    (a refused input is shown escaped, as Python writes it: 'Acme\\x00Ltd')."""
    assert message and message.isprintable(), repr(message)
    assert "\ufffd" not in message, message
    assert len(message) <= 400, message
    if secret:
        assert secret not in message


# 5. Control characters ---------------------------------------------------------------------

def test_a_nul_in_the_employer_is_refused_and_nothing_is_stored(cw: Casework) -> None:
    before = cw.log.last_position()
    with pytest.raises(InvalidInput) as refused:
        receive(cw, employer="Acme\x00Ltd")
    assert set(refused.value.fields) == {"employer"}
    assert "U+0000" in str(refused.value)
    assert_one_line(str(refused.value))
    assert cw.log.last_position() == before
    assert cw.disputes.list() == []  # the read model still answers
    cw.report(date(2023, 1, 1), date(2023, 6, 30))


BAD_TEXT: list[tuple[str, Callable[[Casework, str], object]]] = [
    ("employer", lambda cw, v: receive(cw, employer=v)),
    ("petitioner", lambda cw, v: receive(cw, petitioner=v)),
    ("summary", lambda cw, v: receive(cw, summary=v)),
    ("org", lambda cw, v: receive(cw, org=v)),
    ("name", lambda cw, v: cw.funds.open("F-1", name=v, actor="a-01")),
    ("reason", lambda cw, v: cw.register.enrol("W-1", reason="illness", name=v, actor="a-01")),
    ("contact", lambda cw, v: cw.aid.receive(channel="phone", contact=v, actor="a-01")),
]
CONTROLS = ["\x00", "\x1b[2J", "\x7f", "\x85", "\u2028", "\u202e"]


@pytest.mark.parametrize("field", [f for f, _ in BAD_TEXT])
def test_control_characters_are_refused_in_every_text_field(cw: Casework, field: str) -> None:
    command = dict(BAD_TEXT)[field]
    before = cw.log.last_position()
    for char in CONTROLS:
        with pytest.raises(InvalidInput) as refused:
            command(cw, f"Acme{char}Ltd")
        assert_one_line(str(refused.value))
    assert cw.log.last_position() == before


def test_line_breaks_and_tabs_only_in_multi_line_fields(cw: Casework) -> None:
    case = receive(cw, summary="May wages unpaid.\n\tThree workers.\r\nNo contract.")
    assert cw.disputes.get(case).summary.startswith("May wages unpaid.\n\t")
    for field in ("employer", "petitioner"):
        with pytest.raises(InvalidInput):
            receive(cw, **{field: "Acme\nLtd"})
    with pytest.raises(InvalidInput):
        cw.disputes.decline(case, reason="no\tjurisdiction", notice_on=T0.date(), at=T0,
                            actor="m-01")
    cw.disputes.decline(case, reason="no jurisdiction", notice_on=T0.date(), at=T0,
                        actor="m-01")


def test_a_nul_stored_before_the_check_does_not_stop_the_read_model(cw: Casework) -> None:
    """A store written before commands refused NUL may hold one: listings and reports
    (PostgreSQL's text columns cannot) still work."""
    old = LabourDispute("LD-2020-0001", "default", "wages", 2, Decimal(100), "visit",
                        "Acme\x00Ltd", "", None, None, datetime(2020, 1, 1, tzinfo=UTC), "m-01")
    cw.log.save(old)
    assert [line.number for line in cw.disputes.list()] == ["LD-2020-0001"]
    assert cw.report(date(2020, 1, 1), date(2020, 6, 30)).disputes.received == 1
    assert cw.disputes.get("LD-2020-0001").employer == "Acme\x00Ltd"  # the log keeps it


# 6. Store faults -------------------------------------------------------------------------

def _sqlite_world(path: Path) -> tuple[str, list[str]]:
    url = f"sqlite:///{path}"
    with Casework(store=url) as cw:
        cw.funds.open("F-1", name="Aid fund", at=T0, actor="a-01")
        cw.funds.contribute("F-1", amount="100000", source="drive", at=T0, actor="a-01")
        cases = [receive(cw, employer="Acme " * 30, summary="x" * 400) for _ in range(200)]
        cw.project()
    return url, cases


def _calls(cases: list[str]) -> dict[str, Callable[[Casework], object]]:
    return {
        "get": lambda cw: [cw.disputes.get(c) for c in cases[::7]],
        "list": lambda cw: cw.disputes.list(),
        "report": lambda cw: cw.report(date(2023, 1, 1), date(2023, 6, 30)),
        "balance": lambda cw: cw.funds.balance("F-1"),
        "receive": lambda cw: receive(cw),
        "accept": lambda cw: cw.disputes.accept(cases[-1], actor="m-01"),
    }


def _each_fails_cleanly(url: str, calls: dict[str, Callable[[Casework], object]]) -> list[str]:
    """Open the store and run each call: it works, or it is a one-line StoreError.
    Returns the StoreErrors' messages."""
    try:
        cw = Casework(store=url)
    except StoreError as e:
        assert_one_line(str(e))
        return [str(e)]
    seen = []
    with cw:
        for name, call in calls.items():
            try:
                call(cw)
            except StoreError as e:
                assert_one_line(str(e))
                assert "\\x" not in str(e), e  # no bytes quoted from the damaged page
                seen.append(f"{name}: {e}")
    return seen


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_corrupted_sqlite_page_is_a_one_line_store_error(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "damaged.db"
    url, cases = _sqlite_world(path)
    size, page = path.stat().st_size, 4096
    rng = random.Random(seed)
    with path.open("r+b") as f:  # garbage over every third page past the schema
        for n in range(2, size // page - 1, 3):
            f.seek(n * page)
            f.write(rng.randbytes(page))
    failures = _each_fails_cleanly(url, _calls(cases))
    assert failures, "garbage over a third of the pages went unnoticed"
    assert any("restore it from a backup" in f for f in failures)


def test_undecodable_bytes_in_a_page_never_reach_the_message(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 where a topic was: the driver quotes them; we do not."""
    path = tmp_path / "damaged.db"
    url, cases = _sqlite_world(path)
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for m in list(re.finditer(rb"domain\.disputes:LabourDispute", data))[10:60]:
        data[m.start() + 3:m.start() + 12] = bytes(rng.randrange(0x80, 0x100) for _ in range(9))
    path.write_bytes(bytes(data))
    failures = _each_fails_cleanly(url, _calls(cases))
    assert failures


def test_one_line_strips_what_an_operator_should_not_see() -> None:
    raw = "Could not decode 'dom\ufffd\ufffdc\x1b\x00es' b'\\x93\\x00' password=s3cret\nDETAIL: x"
    line = one_line(Exception(raw), secrets=["s3cret"])
    assert line == "Could not decode 'dom?c?es' <bytes> password=***"
    assert len(one_line("x" * 10_000)) == LIMIT


def test_a_full_disk_is_a_one_line_store_error_and_stores_nothing(tmp_path: Path) -> None:
    """SQLite's max_page_count on the store's connection stands in for a full disk."""
    with Casework(store=f"sqlite:///{tmp_path / 'full.db'}") as cw:
        for _ in range(60):
            receive(cw, employer="Acme " * 39)
        aid = cw.aid.receive(channel="phone", at=T0, actor="a-01")
        cw.aid.accept(aid, at=T0, actor="a-01")
        cw.aid.approve(aid, kind="legal_aid", at=T0, actor="a-01")
        cw.aid.implement(aid, at=T0, actor="a-01")
        with cw.log.recorder.datastore.transaction(commit=False) as c:
            c.execute("PRAGMA page_count")
            pages = c.fetchone()[0]
            c.execute(f"PRAGMA max_page_count = {pages}")
        before = cw.log.last_position()
        for call in (cw.project, cw.disputes.list,
                     lambda: cw.report(date(2023, 1, 1), date(2023, 6, 30)),
                     lambda: receive(cw, summary="x" * 3000),
                     lambda: cw.aid.record_feedback(aid, feedback="x" * 4000, at=T0,
                                                    actor="a-01")):
            with pytest.raises(StoreError) as full:
                call()
            assert_one_line(str(full.value))
            assert "disk is full" in str(full.value)
        assert cw.log.last_position() == before
        assert cw.summaries.position == 0


@pytest.fixture
def pg_admin(postgres_url: str) -> Iterator[Any]:
    import psycopg

    from conftest import ADMIN_URL

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        yield admin


def _terminate(admin: Any, db: str) -> int:
    rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", (db,)).fetchall()
    return len(rows)


@pytest.mark.postgres
def test_a_terminated_postgres_connection_is_survived_or_a_one_line_store_error(
        postgres_url: str, pg_admin: Any) -> None:
    secret = "s3cret-pw"  # trust auth ignores it; it must not show in any message
    url = postgres_url.replace("postgres@", f"postgres:{secret}@") + "&connect_timeout=1"
    db = urlsplit(pg_conninfo(postgres_url)[0]).path.lstrip("/")
    with Casework(store=url) as cw:
        case = receive(cw)
        cw.disputes.list()
        calls: dict[str, Callable[[], object]] = {
            "get": lambda: cw.disputes.get(case),
            "list": lambda: cw.disputes.list(),
            "report": lambda: cw.report(date(2023, 1, 1), date(2023, 6, 30)),
            "receive": lambda: receive(cw),
        }
        # Terminated between two calls: the library reconnects, or it is a StoreError.
        for call in calls.values():
            assert _terminate(pg_admin, db) >= 1
            try:
                call()
            except StoreError as e:
                assert_one_line(str(e), secret=secret)
        # Terminated, and the server takes no new connection: every call a StoreError.
        pool = cw.log.recorder.datastore.pool
        timeout, pool.timeout = pool.timeout, 0.1  # the library's 10 retries, quickly
        pg_admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false')
        try:
            _terminate(pg_admin, db)
            for name, call in calls.items():
                with pytest.raises(StoreError) as lost:
                    call()
                assert_one_line(str(lost.value), secret=secret)
                assert "connection" in str(lost.value), name
        finally:
            pg_admin.execute(f'ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')
            pool.timeout = timeout
        assert cw.disputes.get(case).state == "received"  # and back once it answers


# 7. Extreme dates -------------------------------------------------------------------------

@pytest.mark.parametrize("at", [
    "0001-01-01T00:00+14:00", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    datetime(1, 1, 1), "1899-12-31T23:59", date(1, 1, 1), "9999-12-31T23:59:59-14:00",
    datetime.max,
])
def test_a_time_outside_the_supported_years_is_invalid_input(cw: Casework, at: Any) -> None:
    before = cw.log.last_position()
    with pytest.raises(InvalidInput) as refused:
        receive(cw, at=at)
    assert set(refused.value.fields) == {"at"}
    assert_one_line(str(refused.value))
    assert cw.log.last_position() == before


def test_the_years_are_read_where_reports_and_case_numbers_read_them(cw: Casework) -> None:
    """In $CASEWORK_TZ (UTC here): 1 January 1900 at +14:00 is still 1899 there. (An aid
    request: a dispute needs a mediation rule in force, and the first came in 2008.)"""
    with pytest.raises(InvalidInput):
        cw.aid.receive(channel="visit", at=f"{FIRST_YEAR}-01-01T00:00+14:00", actor="a-01")
    case = cw.aid.receive(channel="visit", at=f"{FIRST_YEAR}-01-01T00:00", actor="a-01")
    assert case == f"HA-{FIRST_YEAR}-0001"
    assert cw.report(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)).aid.received == 1
    assert cw.report(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31),
                     replay=True).aid.received == 1


@pytest.mark.parametrize("args", [
    {"start": date(2023, 1, 1), "end": date(9999, 12, 31)},
    {"start": date(1, 1, 1), "end": date(2023, 6, 30)},
    {"start": date(2023, 1, 1), "end": date(2023, 6, 30), "as_of": date(9999, 12, 31)},
    {"start": date(2023, 1, 1), "end": date(LAST_YEAR + 1, 1, 1)},
    {"start": date(2023, 1, 1), "end": date(2023, 6, 30), "known_at": "0001-01-01T00:00+14:00"},
    {"start": date(2023, 1, 1), "end": date(9999, 12, 31), "replay": True},
])
def test_a_report_outside_the_supported_years_is_invalid_input(cw: Casework,
                                                               args: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        cw.report(**args)
    assert_one_line(str(refused.value))


@pytest.mark.parametrize("quarter", ["0000Q1", "9999Q4", "1899Q4", "2200Q1", "٢٠٢٣Q1"])
def test_a_payout_for_a_quarter_outside_the_supported_years_is_invalid_input(
        cw: Casework, quarter: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cw.aid.pay_quarter(quarter, actor="a-01")
    assert set(refused.value.fields) == {"quarter"}


def test_a_subsidy_starting_outside_the_supported_years_is_invalid_input(cw: Casework) -> None:
    cw.funds.open("F-1", name="Aid fund", at=T0, actor="a-01")
    case = cw.aid.receive(channel="phone", at=T0, actor="a-01")
    cw.aid.accept(case, at=T0, actor="a-01")
    for month in ("0000-01", "9999-12"):
        with pytest.raises(InvalidInput) as refused:
            cw.aid.approve(case, kind="monthly_subsidy", fund="F-1", monthly_amount=200,
                           first_month=month, at=T0, actor="a-01")
        assert set(refused.value.fields) == {"first_month"}


@pytest.mark.parametrize("name", ["0000", "0000Q1", "9999H2", "1899-12", "2200", "٢٠٢٣"])
def test_a_period_outside_the_supported_years_is_invalid_input(name: str) -> None:
    with pytest.raises(InvalidInput):
        period(name)


def test_period_names_within_the_years_still_work() -> None:
    assert period(f"{FIRST_YEAR}") == (date(FIRST_YEAR, 1, 1), date(FIRST_YEAR, 12, 31))
    assert period(f"{LAST_YEAR}Q4") == (date(LAST_YEAR, 10, 1), date(LAST_YEAR, 12, 31))


@pytest.mark.parametrize("argv", [
    ["report", "--period", "0000"],
    ["report", "--period", "9999H2", "--format", "json"],
    ["aid", "pay-quarter", "0000Q1"],
    ["dispute", "receive", "--category", "wages", "--workers", "2", "--amount", "100",
     "--channel", "visit", "--employer", "Acme", "--at", "0001-01-01T00:00+14:00"],
])
def test_the_cli_says_one_line_for_an_extreme_date(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", f"sqlite:///{tmp_path / 'cli.db'}", "--as", "a-01", *argv])
    captured = capsys.readouterr()
    assert code != 0
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert "supported years" in lines[0] or "outside" in lines[0], lines[0]


# 9. Passwords in store URLs --------------------------------------------------------------

SECRET = "hunter2-Pw"
LEAKY_URLS = [
    f"postgresql://casework:{SECRET}@db:port/casework",
    f"postgresql://casework:{SECRET}@db:99999/casework",
    f"postgresql://casework:{SECRET}@db:5432/casework?connect_timeout=soon",
    f"postgresql://casework:{SECRET}@db:5432/casework?connect_timeout=-1",
    f"postgresql://casework:{SECRET}@db:5432/",
    f"postgresql://casework:{SECRET}@[::1/casework",
    f"postgresql://casework:{SECRET}/x@db:port/casework",
    f"postgresql://casework:{SECRET}?x@db:port/casework",
    f"postgresql://casework:{SECRET}@db:port/casework?password={SECRET}",
    f"postgresql://db:port/casework?password={SECRET}",
    f"mysql://root:{SECRET}@localhost/casework",
    f"sqlite://root:{SECRET}@localhost/casework.db",
    f"host=db password={SECRET} dbname=casework",
    f"root:{SECRET}@localhost/casework",
    f"postgresql://casework:{SECRET}@db:5432/case\nwork",
    f"postgresql://casework:{SECRET}@db:5432/case\x00work",
]


@pytest.mark.parametrize("url", LEAKY_URLS)
def test_a_malformed_store_url_never_shows_the_password(url: str) -> None:
    with pytest.raises(StoreError) as refused:
        Casework(store=url)
    assert_one_line(str(refused.value), secret=SECRET)
    assert_one_line(redact(url), secret=SECRET)


@pytest.mark.parametrize("password", [SECRET, "p%40ss%2Fw%3Ard"])
def test_a_failed_connection_never_shows_the_password(password: str) -> None:
    url = f"postgresql://casework:{password}@127.0.0.1:1/casework?connect_timeout=1"
    with pytest.raises(StoreError) as refused:
        Casework(store=url)
    message = str(refused.value)
    assert_one_line(message, secret=password)
    assert "p@ss/w:rd" not in message and "p@ss" not in message
    assert "postgresql://casework:***@127.0.0.1:1/casework" in message


def test_the_cli_never_shows_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    for url in LEAKY_URLS[:4]:
        assert main(["--store", url, "dispute", "list"]) != 0
        captured = capsys.readouterr()
        assert SECRET not in captured.err + captured.out
        assert len(captured.err.strip().splitlines()) == 1


def test_an_explicit_key_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library reads CASEWORK_CIPHER_KEY itself; a rekey must open two stores with two
    keys (or none) regardless."""
    from eventsourcing.cipher import AESCipher

    monkeypatch.setenv("CASEWORK_CIPHER_KEY", AESCipher.create_key(num_bytes=32))
    other = AESCipher.create_key(num_bytes=32)
    assert resolve("memory://", cipher_key=other).env["CASEWORK_CIPHER_KEY"] == other
    assert resolve("memory://", cipher_key=None).env["CASEWORK_CIPHER_KEY"] == ""
    assert os.environ["CASEWORK_CIPHER_KEY"] == resolve("memory://").env["CIPHER_KEY"]
