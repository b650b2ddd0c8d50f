"""Every public function, one bad value at a time: a `CaseworkError`, and nothing stored.

Each case starts from a call known to succeed (`test_the_good_calls_succeed` proves it) and
spoils exactly one argument, so the refusal can only be about that value. The store is a
small world built once per store kind and rebuilt only when a bad value got through.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from casework import Casework, CaseworkError, StoreError
from casework.statistics.readmodel import ROW_TABLES

HUGE = "x" * 100_000
FUTURE = datetime(2999, 1, 1)
GOOD_AT = "2023-06-01T10:00"  # after every event of the world
EARLY_AT = "2023-01-01T08:00"  # before every record's latest event

# Bad values by the kind of argument they spoil: (label, value).
WRONG_TYPES = [("list", ["wages"]), ("dict", {"a": 1}), ("object", object()),
               ("float_nan", math.nan)]
TEXT = [("empty", ""), ("blank", "   "), ("huge", HUGE), ("int", 42), ("none", None),
        *WRONG_TYPES]
OPTIONAL_TEXT = [("empty", ""), ("huge", HUGE), ("int", 42), *WRONG_TYPES]
LONG_TEXT = [("huge", HUGE), ("int", 42), ("none", None), *WRONG_TYPES]
CODE = [("empty", ""), ("spaces", "a b"), ("huge", HUGE), ("slash", "../etc"),
        ("int", 7), ("none", None), *WRONG_TYPES]
ENUM = [("unknown", "salary"), ("case", "WAGES"), ("huge", HUGE), ("int", 1),
        ("none", None), *WRONG_TYPES]
MONEY = [("negative", "-1"), ("nan", "NaN"), ("decimal_nan", Decimal("NaN")),
         ("float_nan", math.nan), ("inf", math.inf), ("minus_inf", -math.inf),
         ("str_inf", "Infinity"), ("too_big", "1e13"), ("fraction_of_cent", "0.001"),
         ("words", "twelve"), ("huge", "9" * 100_000), ("none", None), ("list", [1]),
         ("bool", True)]
POSITIVE_MONEY = [("zero", "0"), *MONEY]
COUNT = [("zero", 0), ("negative", -3), ("too_many", 10**7), ("float", 2.0),
         ("nan", math.nan), ("inf", math.inf), ("str", "3"), ("bool", True), ("none", None)]
AT = [("future", FUTURE), ("future_str", "2999-01-01T00:00"), ("words", "yesterday"),
      ("bad_month", "2023-13-01"), ("huge", HUGE), ("int", 20230301), ("nan", math.nan),
      ("list", [2023, 3, 1])]
CHANGE_AT = [("before_previous_event", EARLY_AT), *AT]
CASE = [("unknown", "LD-2023-9999"), ("other_kind", "HA-2023-0001"), *CODE]
DAY = [("words", "soon"), ("int", 20230301), ("bad_month", "2023-13-01"), ("huge", HUGE),
       ("none", None)]
#: A notice given before the petition was received, or after the move that records it.
NOTICE = [("before_receipt", date(2023, 2, 1)), ("after_the_move", date(2023, 6, 2)), *DAY]
EC_AT = "2023-03-06T09:00"  # within the enterprise committee case's period
AID_CASE = [("unknown", "HA-2023-9999"), ("other_kind", "LD-2023-0001"), *CODE]


@dataclass
class World:
    """Records in the states the commands need; numbers are filled in as they are made."""

    cw: Casework
    received: str = ""  # a dispute just received
    accepted: str = ""
    mediating: str = ""
    resolved: str = ""
    ec_mediating: str = ""  # at an enterprise committee: its rule allows an extension
    aid_received: str = ""
    aid_accepted: str = ""
    aid_approved: str = ""  # one-off, 500 from F-1
    aid_implemented: str = ""
    aid_feedback: str = ""


def build(cw: Casework) -> World:
    w = World(cw)
    cw.funds.open("F-1", name="Aid fund", at="2023-01-02T09:00", actor="a-01")
    cw.funds.contribute("F-1", amount="10000", source="drive", at="2023-01-03T09:00",
                        actor="a-01")
    cw.register.enrol("W-1", reason="illness", at="2023-01-04T09:00", actor="a-01")

    cw.bodies.register("ec", name="Acme mediation committee", kind="enterprise_committee",
                       at="2023-01-05T09:00", actor="s-01")
    cw.bodies.register("aid-centre", name="Hardship-aid centre", kind="aid_centre",
                       at="2023-01-05T09:00", actor="s-01")

    def dispute(day: int, org: str | None = None) -> str:
        return cw.disputes.receive(category="wages", workers=2, amount="1000",
                                   channel="visit", employer="Acme", org=org,
                                   at=f"2023-03-{day:02d}T09:00", actor="m-01")

    w.received, w.accepted, w.mediating = dispute(1), dispute(2), dispute(3)
    w.ec_mediating, w.resolved = dispute(3, "ec"), dispute(3)
    for case in (w.accepted, w.mediating, w.ec_mediating, w.resolved):
        cw.disputes.accept(case, at="2023-03-04T09:00", actor="m-01")
    for case in (w.mediating, w.ec_mediating, w.resolved):
        cw.disputes.start_mediation(case, mediator="m-02", at="2023-03-05T09:00",
                                    actor="m-01")
    cw.disputes.resolve(w.resolved, settled_amount="900", at="2023-03-05T10:00", actor="m-02")
    aid = [cw.aid.receive(channel="phone", worker="W-1", at=f"2023-04-0{d}T09:00",
                          actor="a-01") for d in range(1, 6)]
    (w.aid_received, w.aid_accepted, w.aid_approved, w.aid_implemented,
     w.aid_feedback) = aid
    for case in aid[1:]:
        cw.aid.accept(case, at="2023-04-06T09:00", actor="a-01")
    for case in aid[2:]:
        cw.aid.approve(case, kind="one_off", fund="F-1", amount="500",
                       at="2023-04-07T09:00", actor="a-01")
    for case in aid[3:]:
        cw.aid.implement(case, at="2023-04-08T09:00", actor="a-01")
    cw.aid.record_feedback(w.aid_feedback, feedback="thanks", at="2023-04-09T09:00",
                           actor="a-01")
    cw.project()
    return w


# Each public function: how to call it well, and which of its arguments to spoil how.
Call = Callable[[World, dict[str, Any]], object]


@dataclass(frozen=True)
class Api:
    call: Call
    good: Callable[[World], dict[str, Any]]
    bad: dict[str, list[tuple[str, Any]]]


def _command(path: str) -> Call:
    service, method = path.split(".")

    def call(w: World, kw: dict[str, Any]) -> object:
        target = w.cw if service == "cw" else getattr(w.cw, service)
        return getattr(target, method)(**kw)

    return call


def _api(path: str, good: Callable[[World], dict[str, Any]],
         **bad: list[tuple[str, Any]]) -> tuple[str, Api]:
    return path, Api(_command(path), good, bad)


def _change(**kw: Any) -> dict[str, Any]:
    return {"at": GOOD_AT, "actor": "m-01", **kw}


WHO = {"actor": CODE}
API: dict[str, Api] = dict([
    _api("disputes.receive", lambda w: _change(
        category="wages", workers=3, amount="1200", channel="visit", employer="Acme",
        summary="wages unpaid", petitioner="Wang", contact="138", org="subdistrict"),
        category=ENUM, workers=COUNT, amount=MONEY, channel=ENUM, employer=TEXT,
        summary=LONG_TEXT, petitioner=OPTIONAL_TEXT, contact=OPTIONAL_TEXT,
        org=[("spaces", "a b"), ("huge", HUGE), ("int", 5),
             ("does_not_mediate", "aid-centre")],
        common_claim=[("text", "yes"), ("int", 1)],
        representatives=[("text", "Wang"), ("none_named", []), ("blank", [" "])],
        at=[("before_the_law", "2008-04-30T09:00"), *AT],
        **WHO),
    _api("disputes.accept", lambda w: _change(case=w.received),
         case=CASE, at=CHANGE_AT, **WHO),
    _api("disputes.decline", lambda w: _change(case=w.received, reason="not ours",
                                               notice_on=date(2023, 6, 1)),
         case=CASE, reason=TEXT, notice_on=NOTICE, at=CHANGE_AT, **WHO),
    _api("disputes.answer", lambda w: _change(case=w.received, reply="told about art. 50"),
         case=CASE, reply=LONG_TEXT, at=CHANGE_AT, **WHO),
    _api("disputes.refer", lambda w: _change(case=w.received, to="labour inspection"),
         case=CASE, to=TEXT, reason=OPTIONAL_TEXT, at=CHANGE_AT, **WHO),
    _api("disputes.extend", lambda w: _change(case=w.ec_mediating, days=7, consent=True,
                                              at=EC_AT),
         case=[("rule_allows_none", "LD-2023-0003"), *CASE],
         days=[("over_the_cap", 16), *COUNT], consent=[("refused", False), ("text", "yes"),
                                                        ("int", 1), ("none", None)],
         note=LONG_TEXT, at=[("after_the_period", "2023-04-01T09:00"), *CHANGE_AT], **WHO),
    _api("disputes.terminate", lambda w: _change(case=w.ec_mediating, reason="party_refused",
                                                 notice_on=date(2023, 3, 6), at=EC_AT),
         case=CASE, reason=[("not_expired", "expired"), *ENUM], notice_on=NOTICE,
         at=CHANGE_AT, **WHO),
    _api("disputes.arbitration_applied", lambda w: _change(case=w.mediating,
                                                           commission="District LDAC"),
         case=CASE, commission=TEXT,
         at=[("before_the_period_ran_out", "2023-03-10T09:00"), *CHANGE_AT], **WHO),
    _api("disputes.follow_up", lambda w: _change(case=w.resolved, performed="partly"),
         case=[("no_agreement", "LD-2023-0003"), *CASE], performed=ENUM, note=LONG_TEXT,
         at=CHANGE_AT, **WHO),
    _api("disputes.review_applied", lambda w: _change(case=w.resolved,
                                                      review="arbitration_review",
                                                      to="District LDAC"),
         case=[("no_agreement", "LD-2023-0003"), *CASE], review=ENUM, to=TEXT,
         at=CHANGE_AT, **WHO),
    _api("disputes.start_mediation", lambda w: _change(case=w.accepted, mediator="m-02"),
         case=CASE, mediator=CODE, at=CHANGE_AT, **WHO),
    _api("disputes.resolve", lambda w: _change(
        case=w.mediating, settled_amount="900", parties=["Acme", "Wang"], claims="wages",
        due_on=date(2023, 6, 30), method="bank transfer", signed_on=date(2023, 6, 1)),
         case=CASE, settled_amount=MONEY,
         parties=[("one", ["Acme"]), ("text", "Acme and Wang"), ("blank", ["Acme", " "]),
                  ("huge", ["Acme", HUGE]), ("int", 2)],
         claims=[("huge", HUGE), ("int", 3), *WRONG_TYPES],
         due_on=[("before_signing", date(2023, 5, 1)), *DAY[:-1]],
         method=OPTIONAL_TEXT,
         signed_on=[("before_receipt", date(2023, 2, 1)), ("after_the_move", date(2023, 6, 2)),
                    *DAY[:-1]],
         at=CHANGE_AT, **WHO),
    _api("disputes.escalate", lambda w: _change(case=w.mediating, to="labour_inspection",
                                                reason="wages unpaid to 30 workers"),
         case=CASE, to=[("on_a_partys_behalf", "arbitration"), ("to_court", "court"), *ENUM],
         reason=[("huge", HUGE), ("int", 3), *WRONG_TYPES], at=CHANGE_AT, **WHO),
    _api("disputes.withdraw", lambda w: _change(case=w.mediating, reason="settled"),
         case=CASE, reason=TEXT, at=CHANGE_AT, **WHO),
    _api("disputes.get", lambda w: {"case": w.received}, case=CASE),
    _api("disputes.list", lambda w: {"state": "received", "org": "default",
                                     "overdue_on": date(2023, 6, 1), "mediator": "m-02",
                                     "due_within": 7, "on": date(2023, 3, 10)},
         state=[("unknown", "pending"), ("huge", HUGE), ("int", 1), *WRONG_TYPES],
         org=[("spaces", "a b"), ("huge", HUGE), ("int", 1), *WRONG_TYPES],
         overdue_on=[("words", "soon"), ("int", 1),
                     ("nan", math.nan)],
         mediator=[("spaces", "a b"), ("huge", HUGE), ("int", 1), *WRONG_TYPES],
         due_within=[("negative", -1), ("text", "7"), ("float", 7.0), ("too_far", 10**6),
                     ("bool", True)],
         on=[("words", "soon"), ("int", 1), ("nan", math.nan)]),
    _api("bodies.register", lambda w: _change(code="sd-1", name="Sub-district centre",
                                              kind="street_centre", parent="ec"),
         code=[("already_registered", "ec"), *CODE], name=TEXT, kind=ENUM,
         parent=[("unknown", "nowhere"), ("itself", "sd-1"), ("spaces", "a b"),
                 ("huge", HUGE), ("int", 1)],
         at=AT, **WHO),
    _api("bodies.get", lambda w: {"code": "ec"}, code=[("unknown", "nowhere"), *CODE]),
    _api("bodies.descendants", lambda w: {"code": "ec"}, code=CODE),
    _api("aid.receive", lambda w: _change(channel="phone", worker="W-1", summary="rent",
                                          petitioner="Li", contact="139",
                                          id_number="110101"),
         channel=ENUM, worker=[("spaces", "a b"), ("huge", HUGE), ("int", 3), *WRONG_TYPES],
         summary=LONG_TEXT, petitioner=OPTIONAL_TEXT, contact=OPTIONAL_TEXT,
         id_number=OPTIONAL_TEXT, at=AT, **WHO),
    _api("aid.accept", lambda w: _change(case=w.aid_received),
         case=AID_CASE, at=CHANGE_AT, **WHO),
    _api("aid.decline", lambda w: _change(case=w.aid_received, reason="no hardship"),
         case=AID_CASE, reason=TEXT, at=CHANGE_AT, **WHO),
    _api("aid.approve", lambda w: _change(case=w.aid_accepted, kind="one_off", fund="F-1",
                                          amount="300", note="rent"),
         case=AID_CASE, kind=ENUM, fund=[("unknown", "F-404"), *CODE],
         amount=POSITIVE_MONEY, note=LONG_TEXT, at=CHANGE_AT, **WHO),
    _api("aid.implement", lambda w: _change(case=w.aid_approved),
         case=AID_CASE, at=CHANGE_AT, **WHO),
    _api("aid.record_feedback", lambda w: _change(case=w.aid_implemented,
                                                  feedback="paid the rent"),
         case=AID_CASE, feedback=LONG_TEXT, at=CHANGE_AT, **WHO),
    _api("aid.close", lambda w: _change(case=w.aid_feedback),
         case=AID_CASE, at=CHANGE_AT, **WHO),
    _api("aid.escalate", lambda w: _change(case=w.aid_accepted, to="civil_affairs",
                                           reason="allowance"),
         case=AID_CASE, to=ENUM, reason=LONG_TEXT, at=CHANGE_AT, **WHO),
    _api("aid.withdraw", lambda w: _change(case=w.aid_accepted, reason="moved away"),
         case=AID_CASE, reason=TEXT, at=CHANGE_AT, **WHO),
    _api("aid.get", lambda w: {"case": w.aid_received}, case=AID_CASE),
    _api("aid.list", lambda w: {"state": "accepted", "org": "default"},
         state=[("unknown", "pending"), ("huge", HUGE), ("int", 1), *WRONG_TYPES],
         org=[("spaces", "a b"), ("huge", HUGE), ("int", 1), *WRONG_TYPES]),
    _api("aid.pay_quarter", lambda w: _change(quarter="2023Q2", org="default"),
         quarter=[("q5", "2023Q5"), ("month", "2023-04"), ("huge", HUGE), ("int", 2023),
                  ("none", None), ("future", "2999Q1")],
         org=[("spaces", "a b"), ("huge", HUGE), ("int", 1)],
         at=[("before_the_quarter", "2023-03-31T09:00"), *AT], **WHO),
    _api("aid.run_campaign", lambda w: _change(campaign="spring", fund="F-1",
                                               workers=["W-1"], amount="100"),
         campaign=CODE, fund=[("unknown", "F-404"), *CODE], amount=POSITIVE_MONEY,
         workers=[("one_string", "W-1"), ("unknown", ["W-404"]), ("twice", ["W-1", "W-1"]),
                  ("bad_code", ["a b"]), ("huge", [HUGE]), ("int", 1), ("none", None)],
         at=CHANGE_AT, **WHO),
    _api("register.enrol", lambda w: _change(worker="W-2", reason="illness", name="Zhao",
                                             id_number="110102"),
         worker=[("already_enrolled", "W-1"), *CODE], reason=ENUM, name=OPTIONAL_TEXT,
         id_number=OPTIONAL_TEXT, org=[("spaces", "a b"), ("huge", HUGE), ("int", 1)],
         at=AT, **WHO),
    _api("register.review", lambda w: _change(worker="W-1", reason="disability",
                                              note="checked"),
         worker=[("unknown", "W-404"), *CODE], reason=ENUM, note=LONG_TEXT,
         at=CHANGE_AT, **WHO),
    _api("register.exit", lambda w: _change(worker="W-1", reason="employed"),
         worker=[("unknown", "W-404"), *CODE], reason=ENUM, at=CHANGE_AT, **WHO),
    _api("register.get", lambda w: {"worker": "W-1"},
         worker=[("unknown", "W-404"), *CODE]),
    _api("funds.open", lambda w: _change(code="F-2", name="Second fund"),
         code=[("already_open", "F-1"), *CODE], name=TEXT,
         org=[("spaces", "a b"), ("huge", HUGE), ("int", 1)], at=AT, **WHO),
    _api("funds.contribute", lambda w: _change(code="F-1", amount="100", source="drive"),
         code=[("unknown", "F-404"), *CODE], amount=POSITIVE_MONEY, source=TEXT,
         at=CHANGE_AT, **WHO),
    _api("funds.balance", lambda w: {"code": "F-1"}, code=[("unknown", "F-404"), *CODE]),
    _api("funds.get", lambda w: {"code": "F-1"}, code=[("unknown", "F-404"), *CODE]),
    _api("cw.report", lambda w: {"start": date(2023, 1, 1), "end": date(2023, 6, 30),
                                 "as_of": date(2023, 6, 30), "known_at": GOOD_AT,
                                 "org": "default"},
         start=[("str", "2023-01-01"), ("datetime", datetime(2023, 1, 1)),
                ("after_end", date(2023, 7, 1)), ("int", 2023), ("none", None)],
         end=[("str", "2023-06-30"), ("before_start", date(2022, 12, 31)), ("int", 2023),
              ("none", None)],
         as_of=[("str", "2023-06-30"), ("datetime", datetime(2023, 6, 30)),
                ("before_start", date(2022, 1, 1)), ("int", 1)],
         known_at=[("future", FUTURE), ("words", "soon"), ("int", 1), ("nan", math.nan)],
         org=[("spaces", "a b"), ("huge", HUGE), ("int", 1), *WRONG_TYPES]),
])

def cases() -> list[Any]:
    out = []
    for name, api in API.items():
        for arg, values in api.bad.items():
            for label, value in values:
                out.append(pytest.param(name, arg, value, id=f"{name}-{arg}-{label}"))
    return out


@pytest.mark.parametrize(("name", "arg"), [
    ("disputes.receive", "employer"), ("disputes.accept", "actor"),
    ("aid.record_feedback", "feedback"), ("funds.open", "code"), ("cw.report", "org"),
])
def test_bytes_are_not_text(world: World, name: str, arg: str) -> None:
    api = API[name]
    before = snapshot(world.cw)
    with pytest.raises(CaseworkError):
        api.call(world, api.good(world) | {arg: api.good(world)[arg].encode()})
    assert snapshot(world.cw) == before


# ---- the store: one world per store kind, rebuilt when a bad value changed it ------------

def _postgres_database(admin: str) -> tuple[str, Callable[[], None]]:
    import psycopg

    name = f"cw_bad_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}")), drop


class Worlds:
    """Hands out the current world of one store kind; a spoilt one is dropped at once."""

    def __init__(self, kind: str, folder: Path, admin: str | None) -> None:
        self.kind, self.folder, self.admin = kind, folder, admin
        self.world: World | None = None
        self.cleanups: list[Callable[[], None]] = []

    def current(self) -> World:
        if self.world is None:
            if self.kind == "sqlite":
                url = f"sqlite:///{self.folder / f'{uuid.uuid4().hex}.db'}"
            else:
                assert self.admin is not None
                url, drop = _postgres_database(self.admin)
                self.cleanups.append(drop)
            cw = Casework(store=url)
            self.cleanups.insert(0, cw.close)
            self.world = build(cw)
        return self.world

    def close(self) -> None:
        self.world = None
        while self.cleanups:
            self.cleanups.pop(0)()


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def worlds(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worlds]:
    admin = None
    if request.param == "postgres":
        from conftest import ADMIN_URL, _postgres_unavailable

        reason = _postgres_unavailable()
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI needs PostgreSQL: {reason}")
            pytest.skip(reason)
        admin = ADMIN_URL
    w = Worlds(request.param, tmp_path_factory.mktemp("bad-input"), admin)
    yield w
    w.close()


Snapshot = tuple[int, int, dict[str, list[Any]]]


def snapshot(cw: Casework) -> Snapshot:
    """The last notification id, the read model's position and every read-model row."""
    tables = cw.summaries.tables
    rows = {t: sorted(tables.select(t), key=lambda r: tuple(map(str, _values(r))))
            for t in ROW_TABLES}
    return cw.log.recorder.max_notification_id() or 0, cw.summaries.position, rows


def _values(row: Any) -> tuple[Any, ...]:
    return tuple(getattr(row, f.name) for f in fields(row))


@pytest.fixture
def world(worlds: Worlds) -> Iterator[World]:
    w = worlds.current()
    before = snapshot(w.cw)
    yield w
    if snapshot(w.cw) != before:
        worlds.close()


@pytest.mark.parametrize("name", list(API))
def test_the_good_call_succeeds(name: str) -> None:
    """Each case's baseline is valid, so its refusal is its bad value's (any store will do)."""
    with Casework(store="memory://") as cw:
        w = build(cw)
        API[name].call(w, API[name].good(w))


@pytest.mark.parametrize(("name", "arg", "value"), cases())
def test_a_bad_value_is_refused_and_stores_nothing(world: World, name: str, arg: str,
                                                   value: Any) -> None:
    api = API[name]
    kw = api.good(world) | {arg: value}
    before = snapshot(world.cw)
    with pytest.raises(CaseworkError):
        api.call(world, kw)
    assert world.cw.project() == 0
    assert snapshot(world.cw) == before


# ---- opening a store --------------------------------------------------------------------

BAD_STORES = [
    ("unknown_scheme", "mysql://host/db"), ("no_scheme", "casework.db"),
    ("sqlite_with_host", "sqlite://host/x.db"), ("sqlite_no_path", "sqlite:///"),
    ("sqlite_missing_folder", "sqlite:///no/such/folder/x.db"),
    ("postgres_no_db", "postgresql://postgres@127.0.0.1:5432/"),
    ("postgres_no_host", "postgresql:///casework"),
    ("postgres_bad_port", "postgresql://postgres@127.0.0.1:port/db"),
    ("postgres_port_out_of_range", "postgresql://postgres@127.0.0.1:99999/db"),
    ("postgres_nobody_there", "postgresql://postgres@127.0.0.1:1/db?connect_timeout=1"),
    ("huge", "sqlite:///" + HUGE), ("int", 5), ("list", ["memory://"]),
    ("bytes", b"memory://"),
]


@pytest.mark.parametrize("store", [pytest.param(v, id=k) for k, v in BAD_STORES])
def test_a_malformed_store_is_a_store_error(store: Any, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError):
        Casework(store=store)
    assert list(tmp_path.iterdir()) == []  # nothing created on the way


@pytest.mark.parametrize(("arg", "value"), [
    ("tz", "Mars/Olympus_Mons"), ("tz", "../../etc/passwd"), ("tz", HUGE),
    ("org", "a b"), ("org", HUGE), ("org", 5),
])
def test_bad_facade_settings_are_refused(arg: str, value: Any) -> None:
    with pytest.raises(CaseworkError):
        Casework(store="memory://", **{arg: value})


def _populated(path: Path) -> None:
    with Casework(store=f"sqlite:///{path}") as cw:
        build(cw)


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """A populated SQLite file this process may read but not write (as root: immutable)."""
    path = tmp_path / "ro.db"
    _populated(path)
    if os.geteuid() != 0:
        path.chmod(0o444)
        tmp_path.chmod(0o555)
        yield path
        tmp_path.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    locked = [path, tmp_path]
    if subprocess.run(["chattr", "+i", *map(str, locked)], capture_output=True).returncode:
        pytest.skip("this file system does not support immutable files")
    yield path
    subprocess.run(["chattr", "-i", *map(str, locked)], check=True)


def test_a_read_only_store_reads_but_refuses_writes(read_only_store: Path) -> None:
    before = read_only_store.read_bytes()
    try:
        cw = Casework(store=f"sqlite:///{read_only_store}")
    except StoreError:
        return  # refusing to open at all is also a clear answer
    with cw:
        assert cw.funds.balance("F-1") == Decimal("9000")
        with pytest.raises(StoreError):
            cw.funds.contribute("F-1", amount="1", source="drive", actor="a-01")
    assert read_only_store.read_bytes() == before


@pytest.mark.parametrize("damage", ["random_bytes", "truncated", "text"])
def test_a_corrupt_store_is_a_store_error(damage: str, tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    if damage == "random_bytes":
        path.write_bytes(os.urandom(64 * 1024))
    elif damage == "text":
        path.write_text("these are not the droids\n" * 100)
    else:
        _populated(path)
        for extra in tmp_path.glob("corrupt.db-*"):
            extra.unlink()
        path.write_bytes(path.read_bytes()[: 4096 + 100])
    before = path.read_bytes()
    with pytest.raises(StoreError), Casework(store=f"sqlite:///{path}") as cw:
        cw.disputes.receive(category="wages", workers=1, amount="1", channel="visit",
                            employer="Acme", actor="m-01")
        cw.report(date(2023, 1, 1), date(2023, 6, 30))
    assert path.read_bytes() == before
