"""Several OS processes working one store at once, then an audit of what it holds.

Each process receives and carries its own disputes to the end, contributes to a shared fund,
pays one-off relief from it, advances disputes that every process races on, and runs the
projection now and then. Each reports what it saved; the audit checks the store against
the sum of those reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from casework import Casework, InsufficientFunds, InvalidTransition, retry
from conftest import run_together
from domain.funds import AidFund

PROCESSES, ROUNDS, SHARED = 4, 12, 6
FUND, SEED, GIFT, RELIEF = "shared-fund", Decimal(2000), Decimal(100), Decimal(150)
NEXT_MOVE = {"received": "accept", "accepted": "start_mediation", "mediating": "resolve"}


def _counting(cw: Casework) -> list[int]:
    """Count the events this Casework saves (every write goes through `log.save`)."""
    saved, real = [0], cw.log.save

    def save(*records: Any, **kw: Any) -> Any:
        recordings = real(*records, **kw)
        saved[0] += len(recordings)
        return recordings

    cw.log.save = save  # type: ignore[method-assign]
    return saved


def _advance(cw: Casework, case: str, actor: str) -> str | None:
    """Make the shared case's next move, if any is left once reloaded; which move it was."""
    made: list[str] = []

    def move() -> None:
        state = cw.disputes.get(case).state
        step = NEXT_MOVE.get(state)
        if step == "accept":
            cw.disputes.accept(case, actor=actor)
        elif step == "start_mediation":
            cw.disputes.start_mediation(case, mediator=actor, actor=actor)
        elif step == "resolve":
            cw.disputes.resolve(case, settled_amount=500, actor=actor)
        if step:
            made.append(step)

    try:
        retry(move, attempts=10)
    except InvalidTransition:
        return None  # another process made that move between our read and our check
    return made[-1] if made else None


def _work(url: str, me: int, shared: list[str], start: Any, results: Any) -> None:
    actor = f"m-{me:02d}"
    try:
        with Casework(store=url) as cw:
            saved = _counting(cw)
            moves: list[tuple[str, str]] = []
            disputes, aid, given, paid, refused = [], [], Decimal(0), Decimal(0), 0
            start.wait()
            for i in range(ROUNDS):
                case = cw.disputes.receive(category="wages", workers=2, amount=3000,
                                           channel="visit", employer=f"Employer {me}",
                                           actor=actor)
                cw.disputes.accept(case, actor=actor)
                cw.disputes.start_mediation(case, mediator=actor, actor=actor)
                cw.disputes.resolve(case, settled_amount=2500, actor=actor)
                disputes.append(case)
                moves += [(case, m) for m in ("receive", "accept", "start_mediation", "resolve")]

                retry(lambda: cw.funds.contribute(FUND, amount=GIFT, source=f"drive {me}",
                                                  actor=actor), attempts=20)
                given += GIFT

                relief = cw.aid.receive(channel="phone", summary="hospital bills", actor=actor)
                cw.aid.accept(relief, actor=actor)
                cw.aid.approve(relief, kind="one_off", fund=FUND, amount=RELIEF, actor=actor)
                aid.append(relief)
                try:
                    retry(lambda r=relief: cw.aid.implement(r, actor=actor), attempts=20)
                    paid += RELIEF
                except InsufficientFunds:
                    refused += 1

                target = shared[(me + i) % len(shared)]
                made = _advance(cw, target, actor)
                if made:
                    moves.append((target, made))
                if i % 4 == 3:
                    cw.project()  # projections running in several processes at once
            results.put({"me": me, "saved": saved[0], "moves": moves, "disputes": disputes,
                         "aid": aid, "given": given, "paid": paid, "refused": refused})
    except Exception as e:  # the parent names the failure
        results.put({"me": me, "error": f"{type(e).__name__}: {e}"})


def test_many_processes_lose_nothing_and_duplicate_nothing(store_url: str) -> None:
    with Casework(store=store_url) as cw:
        setup = _counting(cw)
        cw.funds.open(FUND, name="Shared relief fund", actor="a-01")
        cw.funds.contribute(FUND, amount=SEED, source="city allocation", actor="a-01")
        shared = [cw.disputes.receive(category="wages", workers=5, amount=9000,
                                      channel="phone", employer="Shared Ltd", actor="a-01")
                  for _ in range(SHARED)]
        setup_saved = setup[0]

    reports = run_together(_work, PROCESSES, lambda me: (store_url, me, shared))

    with Casework(store=store_url) as cw:
        notes = cw.log.recorder.select_notifications(start=None, limit=100_000)
        # Every event accounted for: what the processes saved is what the store holds.
        assert len(notes) == setup_saved + sum(r["saved"] for r in reports)
        assert len({n.id for n in notes}) == len(notes)
        # No gap and no duplicate in any record's versions.
        versions: dict[Any, list[int]] = defaultdict(list)
        for n in notes:
            versions[n.originator_id].append(n.originator_version)
        assert all(sorted(v) == list(range(1, len(v) + 1)) for v in versions.values())

        # No lost update: each case's history is exactly the moves reported as made.
        reported: dict[str, Counter[str]] = defaultdict(Counter)
        for case in shared:
            reported[case]["receive"] += 1
        for r in reports:
            for case, move in r["moves"]:
                reported[case][move] += 1
        for case, made in reported.items():
            assert Counter(s.type for s in cw.disputes.get(case).history) == made, case
        assert any(cw.disputes.get(case).state != "received" for case in shared)

        # Case numbers unique and dense, per kind and year.
        for kind in ("disputes", "aid"):
            numbers = [n for r in reports for n in r[kind]]
            if kind == "disputes":
                numbers += shared
            assert len(set(numbers)) == len(numbers)
            year = numbers[0].split("-")[1]
            prefix = numbers[0].split("-")[0]
            assert sorted(numbers) == [f"{prefix}-{year}-{n:04d}"
                                       for n in range(1, len(numbers) + 1)]

        # The fund: contributions minus payments, and never below zero on the way.
        given = SEED + sum(r["given"] for r in reports)
        paid = sum((r["paid"] for r in reports), Decimal(0))
        fund = cw.funds.get(FUND)
        assert (fund.contributed, fund.disbursed) == (given, paid)
        assert fund.balance == given - paid >= 0
        assert paid == RELIEF * (PROCESSES * ROUNDS - sum(r["refused"] for r in reports))
        balance = Decimal(0)
        for event in cw.log.events.get(AidFund.id_for(FUND)):
            amount = getattr(event, "amount", Decimal(0))
            balance += -amount if type(event).__name__ == "Disbursed" else amount
            assert balance >= 0
        assert balance == fund.balance

        # The projection, written by several processes at once, equals a replay.
        y = int(year)
        projected = cw.report(date(y, 1, 1), date(y, 12, 31))
        assert projected == cw.report(date(y, 1, 1), date(y, 12, 31), replay=True)
        assert projected.disputes.received == len(reported)
