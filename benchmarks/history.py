"""Realistic case histories of a chosen size, written fast through the application's `save`.

Each record is a real aggregate (disputes, aid cases, funds, register entries) driven through
its own command methods, so every stored event is what the services would have stored; only
the services' per-command validation and one-transaction-per-command are skipped. Records are
saved in batches, many records to a transaction.

A history has a fixed density (DENSITY events a year) and ends on END, so a longer history
reaches further back: the report on 2023H1 sees the same cohort in a 100,000-event history
as in a 1,000,000-event one, and only what is older grows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from eventsourcing.domain import Aggregate

from casework import Casework
from domain.aid import HardshipAidCase
from domain.disputes import LabourDispute
from domain.funds import AidFund
from domain.register import RegisteredWorker
from domain.values import CATEGORIES, CHANNELS, ESCALATION_TARGETS

ORGS = ("county", "subdistrict", "city")
END = datetime(2023, 7, 1, tzinfo=UTC)
DENSITY = 200_000
ACTOR = "bench"


@dataclass
class Writer:
    """Drives aggregates and saves them in batches; counts the events it stored."""

    cw: Casework
    rng: random.Random
    batch: int = 400
    pending: dict[int, Aggregate] = field(default_factory=dict)
    events: int = 0
    cases: int = 0
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)

    def number(self, prefix: str, at: datetime) -> str:
        n = self.numbers.get((prefix, at.year), 0) + 1
        self.cases += 1
        self.numbers[(prefix, at.year)] = n
        return f"{prefix}-{at.year}-{n:04d}"

    def add(self, *records: Aggregate) -> None:
        for r in records:
            self.pending[id(r)] = r
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.events += sum(len(r.pending_events) for r in self.pending.values())
            self.cw.log.save(*self.pending.values())
            self.pending.clear()


def _dispute(w: Writer, org: str, at: datetime) -> LabourDispute:
    rng = w.rng
    d = LabourDispute(
        number=w.number("LD", at), org=org, category=rng.choice(CATEGORIES),
        workers=rng.randint(1, 40), amount=Decimal(rng.randrange(1000, 500000)),
        channel=rng.choice(CHANNELS), employer=f"employer-{rng.randrange(300)}",
        summary="wages unpaid", petitioner=None, contact=None, at=at, actor=ACTOR,
    )
    roll = rng.random()
    t = at + timedelta(days=1)
    if roll < 0.05:
        d.decline(reason="not a labour dispute", notice_on=t.astimezone(UTC).date(), at=t,
                  actor=ACTOR)
        return d
    if roll < 0.08:
        d.withdraw(reason="settled privately", at=t, actor=ACTOR)
        return d
    d.accept(at=t, actor=ACTOR)
    if roll < 0.10:
        return d  # still waiting
    t += timedelta(days=1)
    d.start_mediation(mediator=f"m-{rng.randrange(12):02d}", at=t, actor=ACTOR)
    t += timedelta(days=rng.randint(1, 25))
    if roll < 0.80:
        d.resolve(settled_amount=d.amount * Decimal("0.8"), at=t, actor=ACTOR)
    elif roll < 0.95:
        to = rng.choice(ESCALATION_TARGETS)
        if to in ("labour_inspection", "higher_union"):
            d.escalate(to=to, reason="wages owed to many", at=t, actor=ACTOR)
        else:  # no agreement: terminated, and the party applies for arbitration itself
            d.terminate(reason="party_refused", notice_on=t.astimezone(UTC).date(), at=t,
                        actor=ACTOR)
            d.arbitration_applied(commission="District LDAC", at=t + timedelta(days=1),
                                  actor=ACTOR)
    return d


def _aid(w: Writer, org: str, at: datetime, fund: AidFund, worker: str | None) -> None:
    rng = w.rng
    c = HardshipAidCase(
        number=w.number("HA", at), org=org, channel=rng.choice(CHANNELS), summary="illness",
        worker=worker, petitioner=None, contact=None, id_number=None, at=at, actor=ACTOR,
    )
    roll, t = rng.random(), at + timedelta(days=1)
    if roll < 0.05:
        c.decline(reason="not eligible", at=t, actor=ACTOR)
        w.add(c)
        return
    c.accept(at=t, actor=ACTOR)
    t += timedelta(days=2)
    help: dict[str, Any]
    if roll < 0.12 and worker is not None:
        help = {"kind": "monthly_subsidy", "fund": fund.key,
                "monthly_amount": Decimal(rng.choice((200, 300, 400))),
                "first_month": f"{t.year}-{t.month:02d}", "months": 12, "note": ""}
    elif roll < 0.25:
        help = {"kind": "referral", "note": ""}
    else:
        help = {"kind": "one_off", "fund": fund.key,
                "amount": Decimal(rng.randrange(200, 3000)), "note": ""}
    c.approve(help=help, at=t, actor=ACTOR)
    t += timedelta(days=3)
    amount = help.get("amount")
    if isinstance(amount, Decimal):  # one-off relief leaves the fund
        if fund.balance < amount:
            fund.contribute(amount=Decimal(1_000_000), source="allocation", at=t, actor=ACTOR)
        fund.disburse(amount=amount, purpose="one_off", ref=c.beneficiary, at=t, actor=ACTOR)
        c.implement(paid=amount, at=t, actor=ACTOR)
        w.add(fund)
    else:
        c.implement(paid=Decimal(0), at=t, actor=ACTOR)
    t += timedelta(days=10)
    c.record_feedback(feedback="thankful", at=t, actor=ACTOR)
    c.close(at=t + timedelta(days=1), actor=ACTOR)
    w.add(c)


def times(events: int, years: float, start: datetime) -> Iterator[datetime]:
    """Evenly spaced start times, about one per five events."""
    span = timedelta(days=365 * years) / max(1, events // 5)
    t = start
    while True:
        yield t
        t += span


def generate(path: Path, events: int, *, years: float | None = None, seed: int = 6,
             cases: int | None = None) -> int:
    """Write a history of at least `events` events (or of `cases` cases) to the SQLite file
    `path`; returns how many events were written (a record's events are saved together, so
    it overshoots a little). Register ids, funds and numbers are fixed by `seed`.
    """
    if path.exists():
        path.unlink()
    cw = Casework(store=f"sqlite:///{path}")
    w = Writer(cw, random.Random(seed))
    if cases is not None:
        events = cases * 5
    years = years or events / DENSITY
    start = END - timedelta(days=365 * years)
    funds = {}
    workers: dict[str, list[str]] = {org: [] for org in ORGS}
    for org in ORGS:
        f = AidFund(code=f"{org}-aid", org=org, name=f"{org} aid fund", at=start, actor=ACTOR)
        f.contribute(amount=Decimal(1_000_000), source="allocation", at=start, actor=ACTOR)
        funds[org] = f
        w.add(f)
    clock = times(events, years, start)
    while (w.cases < cases) if cases is not None else (w.events < events):
        at = next(clock)
        org = w.rng.choice(ORGS)
        if w.rng.random() < 0.55:
            w.add(_dispute(w, org, at))
        else:
            if w.rng.random() < 0.3:
                key = f"W-{org}-{len(workers[org]) + 1:05d}"
                w.add(RegisteredWorker(worker=key, org=org, name=None, id_number=None,
                                       reason="illness", at=at, actor=ACTOR))
                workers[org].append(key)
            pool = workers[org]
            worker = w.rng.choice(pool) if pool and w.rng.random() < 0.7 else None
            _aid(w, org, at, funds[org], worker)
    w.flush()
    cw.close()
    return w.events


def extend(cw: Casework, events: int, round_: int) -> int:
    """Append about `events` events of new disputes (numbers from a year no history uses),
    as a burst of new work after a history; returns how many were written."""
    at = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(days=round_)
    w = Writer(cw, random.Random(round_), numbers={("LD", at.year): round_ * 100_000})
    while w.events < events:
        w.add(_dispute(w, w.rng.choice(ORGS), at))
        if len(w.pending) * 4 + w.events >= events:
            w.flush()
    w.flush()
    return w.events
