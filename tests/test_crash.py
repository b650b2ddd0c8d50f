"""Crashes and restarts: SIGKILL a process mid-work, start again, compare with a clean run.

Each victim runs in a subprocess on an SQLite file and prints a line after each unit of
work it committed; the test kills it after a random number of lines plus a random few
milliseconds (so some kills land inside a transaction), then restarts or inspects.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from casework import Casework
from casework.statistics.readmodel import ROW_TABLES

TZ = ZoneInfo("Asia/Shanghai")
RUNS = 12 if os.environ.get("CASEWORK_DEEP") == "1" else 4
JAN = datetime(2023, 1, 5, 9, tzinfo=TZ)
APR = datetime(2023, 4, 10, 9, tzinfo=TZ)

#: Prints after every committed write, so the parent knows how far the victim got.
TELL = """
import sys
from casework.log import CaseLog
_record = CaseLog.record
def record(self, *records):
    _record(self, *records)
    print("saved", flush=True)
CaseLog.record = record
"""
CATCH_UP = """
from casework import Casework
with Casework(store=sys.argv[1]) as cw:
    while cw.summaries.catch_up(batch=5, limit=5):
        print("batch", flush=True)
"""
WRITE = """
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from casework import Casework
at = datetime(2023, 2, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
with Casework(store=sys.argv[1], tz="Asia/Shanghai") as cw:
    for i in range(400):
        n = cw.aid.receive(channel="phone", worker=f"W-{i % 40:02d}", org="county", at=at,
                           actor="a-01")
        cw.aid.accept(n, at=at, actor="a-01")
        cw.aid.approve(n, kind="one_off", fund="relief", amount=100 + i, at=at, actor="a-01")
        cw.aid.implement(n, at=at, actor="a-01")
        cw.aid.run_campaign(f"drive-{i}", fund="relief", workers=[f"W-{i % 40:02d}"],
                            amount=10, at=at, actor="a-01")
"""
PAY = """
from casework import Casework
with Casework(store=sys.argv[1], tz="Asia/Shanghai") as cw:
    if sys.argv[2] == "quarter":
        cw.aid.pay_quarter("2023Q2", at="2023-04-10T09:00", actor="a-01")
    else:
        cw.aid.run_campaign("spring-festival", fund="relief", amount=55,
                            workers=[f"W-{i:03d}" for i in range(120)],
                            at="2023-04-10T09:00", actor="a-01")
"""


def kill_after(script: str, *args: str, lines: int) -> int:
    """Run `script`, SIGKILL it after `lines` lines and a random pause; lines it printed."""
    proc = subprocess.Popen([sys.executable, "-c", TELL + script, *args],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen = 0
    for _ in proc.stdout:
        seen += 1
        if seen >= lines:
            time.sleep(random.uniform(0, 0.004))
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the victim finished before it was killed"
    return seen


def run(script: str, *args: str) -> None:
    subprocess.run([sys.executable, "-c", TELL + script, *args], check=True,
                   stdout=subprocess.DEVNULL)


def read_model(url: str) -> dict[str, list[object]]:
    with Casework(store=url) as cw:
        return {t: sorted(map(repr, cw.summaries.tables.select(t))) for t in ROW_TABLES}


def figures(url: str) -> list[dict[str, object]]:
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        return [cw.report(date(2023, 1, 1), date(2023, 6, 30), as_of=as_of,
                          replay=replay).model_dump()
                for as_of in (None, date(2023, 3, 1)) for replay in (False, True)]


def history(url: str) -> None:
    """A half-year of events, none of them projected yet (no command here catches up)."""
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        cw.funds.open("relief", name="Relief", org="county", at=JAN, actor="a-01")
        cw.funds.contribute("relief", amount=100000, source="drive", at=JAN, actor="a-01")
        for i in range(60):
            at = JAN + timedelta(days=2 * i, hours=i % 7)
            n = cw.disputes.receive(category="wages", workers=1 + i % 5, amount=1000 * i,
                                    channel="visit", employer=f"E{i % 4}", org="subdistrict",
                                    at=at, actor="m-01")
            cw.disputes.accept(n, at=at, actor="m-01")
            if i % 3:
                cw.disputes.start_mediation(n, mediator="m-02", at=at, actor="m-01")
                cw.disputes.resolve(n, settled_amount=900 * i, at=at, actor="m-02")
            cw.register.enrol(f"W-{i:03d}", reason="illness", org="county", at=at, actor="a-01")
            a = cw.aid.receive(channel="phone", worker=f"W-{i:03d}", org="county", at=at,
                               actor="a-01")
            cw.aid.accept(a, at=at, actor="a-01")
            cw.aid.approve(a, kind="one_off", fund="relief", amount=300, at=at, actor="a-01")
            cw.aid.implement(a, at=at, actor="a-01")


@pytest.fixture(scope="module")
def unprojected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An event store nobody has projected, and the read model of one clean catch-up."""
    folder = tmp_path_factory.mktemp("crash")
    history(f"sqlite:///{folder / 'events.db'}")
    shutil.copy(folder / "events.db", folder / "clean.db")
    run(CATCH_UP, f"sqlite:///{folder / 'clean.db'}")
    return folder / "events.db", f"sqlite:///{folder / 'clean.db'}"


@pytest.mark.parametrize("attempt", range(RUNS))
def test_a_killed_projection_resumes_to_the_same_read_model(
    unprojected: tuple[Path, str], tmp_path: Path, attempt: int
) -> None:
    events, clean = unprojected
    db = tmp_path / "victim.db"
    shutil.copy(events, db)
    url = f"sqlite:///{db}"
    random.seed(attempt)
    for _ in range(1 + attempt % 3):  # killed once, twice or three times before finishing
        kill_after(CATCH_UP, url, lines=random.randint(1, 60))
    run(CATCH_UP, url)
    assert read_model(url) == read_model(clean)
    assert figures(url) == figures(clean)


@pytest.mark.parametrize("attempt", range(RUNS))
def test_a_process_killed_while_writing_leaves_no_partial_case(tmp_path: Path,
                                                               attempt: int) -> None:
    url = f"sqlite:///{tmp_path / 'cw.db'}"
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        cw.funds.open("relief", name="Relief", org="county", at=JAN, actor="a-01")
        cw.funds.contribute("relief", amount=10**6, source="drive", at=JAN, actor="a-01")
        for i in range(40):
            cw.register.enrol(f"W-{i:02d}", reason="illness", org="county", at=JAN,
                              actor="a-01")
    random.seed(attempt)
    kill_after(WRITE, url, lines=random.randint(5, 300))
    with sqlite3.connect(tmp_path / "cw.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        cases = [cw.aid.get(line.number) for line in cw.aid.list()]
        assert cases, "the victim was killed before it wrote anything"
        one_offs = sum((c.paid for c in cases), Decimal(0))
        for c in cases:  # implemented ⇔ its money left the fund, in the same transaction
            assert c.paid == (Decimal(c.help["amount"]) if c.state == "implemented"
                              else 0), c.number
        campaigns = sum(len(cw.register.get(f"W-{i:02d}").campaigns) for i in range(40)) * 10
        fund = cw.funds.get("relief")
        assert fund.disbursed == one_offs + campaigns
        assert fund.balance == fund.contributed - fund.disbursed
        assert figures(url)[0] == figures(url)[1]


@pytest.mark.parametrize("attempt", range(RUNS))
@pytest.mark.parametrize("run_kind", ["quarter", "campaign"])
def test_a_payout_killed_half_way_and_rerun_pays_everyone_once(tmp_path: Path, attempt: int,
                                                               run_kind: str) -> None:
    url = f"sqlite:///{tmp_path / 'cw.db'}"
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        cw.funds.open("relief", name="Relief", org="county", at=JAN, actor="a-01")
        cw.funds.contribute("relief", amount=200000, source="drive", at=JAN, actor="a-01")
        for i in range(120):
            cw.register.enrol(f"W-{i:03d}", reason="illness", org="county", at=JAN,
                              actor="a-01")
            if run_kind == "quarter":
                n = cw.aid.receive(channel="visit", worker=f"W-{i:03d}", org="county", at=JAN,
                                   actor="a-01")
                cw.aid.accept(n, at=JAN, actor="a-01")
                cw.aid.approve(n, kind="monthly_subsidy", fund="relief",
                               monthly_amount=150 + i % 51, first_month="2023-01", at=JAN,
                               actor="a-01")
    random.seed(attempt)
    paid_before_kill = kill_after(PAY, url, run_kind, lines=random.randint(1, 110))
    run(PAY, url, run_kind)
    with Casework(store=url, tz="Asia/Shanghai") as cw:
        fund = cw.funds.get("relief")
        if run_kind == "quarter":
            cases = [cw.aid.get(line.number) for line in cw.aid.list()]
            assert all(c.paid_quarters == ("2023Q2",) for c in cases)
            assert all(c.paid == 3 * Decimal(c.help["monthly_amount"]) for c in cases)
            owed = sum((c.paid for c in cases), Decimal(0))
        else:
            entries = [cw.register.get(f"W-{i:03d}") for i in range(120)]
            assert all(e.campaigns == ("spring-festival",) for e in entries)
            owed = Decimal(55 * 120)
        assert fund.disbursed == owed and fund.balance == 200000 - owed
        report = cw.report(date(2023, 1, 1), date(2023, 6, 30))
        paid = report.aid.subsidies_paid if run_kind == "quarter" else report.aid.campaigns_paid
        assert paid == owed
    assert 1 <= paid_before_kill < 120
