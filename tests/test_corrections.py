"""Corrections, voids and reopenings beyond the feature: every kind, the register, records
the replay had forgotten, the terminal's `--format json` reproduced byte for byte."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from casework import Casework, InvalidInput, InvalidTransition
from casework.cli import main

Q1 = (date(2023, 1, 1), date(2023, 3, 31))


def dispute(cw: Casework, **changes: object) -> str:
    facts = {"category": "wages", "workers": 3, "amount": Decimal(12000), "channel": "visit",
             "employer": "Acme", "at": "2023-02-01T09:00", "actor": "m-01"} | changes
    return str(cw.disputes.receive(**facts))


def both(cw: Casework) -> tuple[str, str]:
    """The Q1 return from the read model and from the replay, which must agree."""
    projected = cw.report(*Q1, cohort=True).model_dump_json()
    replayed = cw.report(*Q1, cohort=True, replay=True).model_dump_json()
    assert projected == replayed
    return projected, replayed


def test_a_correction_of_a_case_the_replay_forgot(cw: Casework) -> None:
    """A withdrawn dispute is forgotten by the replay (nothing moves it after); its
    correction folds it again from its events."""
    case = dispute(cw)
    cw.disputes.withdraw(case, reason="settled privately", at="2023-02-02T09:00",
                         actor="m-01")
    cw.disputes.correct(case, reason="typed wrongly", employer="Acme Textiles",
                        channel="phone", at="2023-04-01T09:00", actor="m-01")
    both(cw)
    r = cw.report(*Q1, replay=True).disputes
    assert set(r.by_employer) == {"Acme Textiles"} and r.by_channel == {"phone": 1}


def test_aid_corrections_and_voids(cw: Casework) -> None:
    cw.funds.open("fund-a", name="Hardship fund", at="2023-01-02T09:00", actor="a-01")
    cw.funds.contribute("fund-a", amount=Decimal(5000), source="drive", at="2023-01-02T10:00",
                        actor="a-01")
    paid = cw.aid.receive(channel="visit", worker="w-01", at="2023-02-01T09:00", actor="a-01")
    cw.aid.accept(paid, at="2023-02-01T10:00", actor="a-01")
    cw.aid.approve(paid, kind="one_off", fund="fund-a", amount=Decimal(800),
                   at="2023-02-01T11:00", actor="a-01")
    cw.aid.implement(paid, at="2023-02-01T12:00", actor="a-01")
    with pytest.raises(InvalidInput) as e:
        cw.aid.correct(paid, reason="wrong worker", worker="w-02", actor="a-01")
    assert "fund movement" in e.value.fields["worker"]
    with pytest.raises(InvalidInput) as e:
        cw.aid.void(paid, reason="entered twice", actor="a-01")
    assert "cw.funds.correct" in e.value.fields["case"]
    cw.aid.correct(paid, reason="came by phone", channel="phone", actor="a-01")
    subsidy = cw.aid.receive(channel="visit", worker="w-03", at="2023-02-02T09:00",
                             actor="a-01")
    cw.aid.accept(subsidy, at="2023-02-02T10:00", actor="a-01")
    cw.aid.approve(subsidy, kind="monthly_subsidy", fund="fund-a", monthly_amount=200,
                   first_month="2023-02", months=6, at="2023-02-02T11:00", actor="a-01")
    assert cw.report(*Q1).aid.subsidy_households == 1
    cw.aid.correct(subsidy, reason="the decision said 180", monthly_amount=180, actor="a-01")
    assert cw.report(*Q1).aid.subsidy_monthly_max == Decimal(180)
    cw.aid.void(subsidy, reason="entered twice", duplicate_of=paid, actor="a-01")
    both(cw)
    r = cw.report(*Q1).aid
    assert (r.subsidy_households, r.received, r.received_by_channel) == (0, 1, {"phone": 1})
    assert [line.number for line in cw.aid.list()] == [paid]
    assert cw.aid.subsidies(None) == []
    with pytest.raises(InvalidInput, match="not reopened"):
        cw.aid.reopen(paid, reason="hardship again", actor="a-01")


def test_warnings_are_corrected_voided_and_reopened(cw: Casework) -> None:
    case = cw.warnings.report(enterprise="Acme", risk="wage_arrears", workers=40,
                              officer="o-01", at="2023-02-01T09:00", actor="o-01")
    cw.warnings.verify(case, at="2023-02-02T09:00", actor="m-01")
    cw.warnings.resolve(case, how="wages paid", at="2023-02-03T09:00", actor="m-01")
    cw.warnings.correct(case, reason="counted again", workers=45, at="2023-02-20T09:00",
                        actor="m-01")
    cw.warnings.reopen(case, reason="arrears again", at="2023-03-01T09:00", actor="m-01")
    assert cw.warnings.get(case).state == "verified"
    with pytest.raises(InvalidTransition):
        cw.warnings.reopen(case, reason="again", actor="m-01")
    other = cw.warnings.report(enterprise="Acme", risk="wage_arrears", workers=40,
                               officer="o-01", at="2023-02-01T09:00", actor="o-01")
    cw.warnings.void(other, reason="entered twice", duplicate_of=case, actor="m-01")
    both(cw)
    r = cw.report(*Q1).warnings
    assert (r.received, r.workers_at_risk, r.resolved_at_source, r.reopened) == (1, 45, 1, 1)
    assert r.opening + r.received + r.reopened - r.concluded == r.closing == 1
    e = cw.explain("warnings.resolved_at_source", *Q1)
    assert [c.number for c in e.numerator] == [case]


def test_the_register_is_corrected(cw: Casework) -> None:
    cw.register.enrol("w-01", reason="illness", name="Wang Wei", at="2023-01-02T09:00",
                      actor="a-01")
    cw.register.correct("w-01", reason="typed wrongly", name="Wang Wu",
                        enrol_reason="disability", actor="a-01")
    entry = cw.register.get("w-01")
    assert (entry.name, entry.reason) == ("Wang Wu", "disability")
    assert entry.history[-1].changes == {"name": ("Wang Wei", "Wang Wu"),
                                         "reason": ("illness", "disability")}
    for bad in ({}, {"enrol_reason": "boredom"}, {"name": "Wang Wu"}):
        with pytest.raises(InvalidInput):
            cw.register.correct("w-01", reason="again", actor="a-01", **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        cw.register.correct("w-01", reason=" ", name="Li", actor="a-01")
    assert len(cw.register.get("w-01").history) == 2


def test_days_to_resolution_count_the_time_spent(cw: Casework) -> None:
    """Accepted on 2 Feb, resolved on 10 Feb (8 days), reopened on 1 March, resolved again
    on 5 March (4 days): 12 days, not 31 from acceptance."""
    case = dispute(cw)
    for move, at, fields in (("accept", "02-02", {}), ("start_mediation", "02-03",
                                                       {"mediator": "m-02"}),
                             ("resolve", "02-10", {"settled_amount": 9000}),
                             ("reopen", "03-01", {"reason": "not paid"}),
                             ("resolve", "03-05", {"settled_amount": 9500})):
        getattr(cw.disputes, move)(case, at=f"2023-{at}T09:00", actor="m-01", **fields)
    both(cw)
    r = cw.report(*Q1).disputes
    assert (r.resolved, r.concluded, r.reopened, r.settled_amount) == (2, 2, 1, 18500)
    assert sorted(cw.report(date(2023, 3, 1), date(2023, 3, 31)).disputes
                  .days_to_resolution.model_dump().values()) == [12, 12.0]
    assert cw.report(*Q1, cohort=True).disputes.cohort.days_to_resolution.median == 12.0  # type: ignore[union-attr]
    view = cw.disputes.get(case)
    assert (view.state, view.settled_amount, view.closed_on) == (
        "resolved", 9500, date(2023, 3, 5))


def test_a_concluded_case_the_replay_forgot_is_folded_again_by_its_later_moves(
        cw: Casework) -> None:
    """The replay forgets a resolved dispute (its memory follows the open caseload); the
    follow-up and the reopening that come later fold it again from its own events, so each
    month's replay is the projection's, its 调处率 counting the reopening."""
    case = dispute(cw)
    for move, at, fields in (("accept", "02-02", {}), ("start_mediation", "02-03",
                                                       {"mediator": "m-02"}),
                             ("resolve", "02-10", {"settled_amount": 9000}),
                             ("follow_up", "02-20", {"performed": "no"}),
                             ("reopen", "03-01", {"reason": "not paid"}),
                             ("resolve", "03-05", {"settled_amount": 9500})):
        getattr(cw.disputes, move)(case, at=f"2023-{at}T09:00", actor="m-01", **fields)
    for month in (2, 3):
        window = (date(2023, month, 1), date(2023, month, 28))
        assert cw.report(*window, replay=True) == cw.report(*window)
    march = cw.report(date(2023, 3, 1), date(2023, 3, 31), replay=True).disputes
    assert (march.opening, march.reopened, march.mediation_concluded, march.handling_rate,
            march.settled_amount) == (0, 1, 1, 1.0, 9500)
    assert cw.report(date(2023, 2, 1), date(2023, 2, 28), replay=True).disputes.performance[
        "no"] == 1


def test_the_terminal_reproduces_a_report_known_at_byte_for_byte(
        capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    def run(*args: str) -> str:
        assert main(["--store", store_url, "--actor", "m-01", *args]) == 0
        return capsys.readouterr().out

    run("dispute", "receive", "--category", "wages", "--workers", "3", "--amount", "12000",
        "--channel", "visit", "--employer", "Acme", "--at", "2023-03-01T09:30")
    run("dispute", "receive", "--category", "wages", "--workers", "3", "--amount", "12000",
        "--channel", "visit", "--employer", "Acme", "--at", "2023-03-01T09:30")
    for args in (["accept", "LD-2023-0001", "--at", "2023-03-02T09:00"],
                 ["mediate", "LD-2023-0001", "--mediator", "m-02", "--at", "2023-03-03T09:00"],
                 ["resolve", "LD-2023-0001", "--settled-amount", "9000", "--at",
                  "2023-03-10T09:00"]):
        run("dispute", *args)
    time.sleep(0.01)
    known = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    report = ("report", "--period", "2023-03", "--format", "json", "--known-at", known)
    before = run(*report)
    run("dispute", "correct", "LD-2023-0001", "--reason", "typed wrongly", "--amount",
        "13000", "--employer", "Acme Textiles", "--settled-amount", "9500")
    run("dispute", "void", "LD-2023-0002", "--reason", "entered twice", "--duplicate-of",
        "LD-2023-0001")
    run("dispute", "reopen", "LD-2023-0001", "--reason", "the employer did not pay")
    assert run(*report).encode() == before.encode()
    now = json.loads(run("report", "--period", "2023-03", "--format", "json"))
    assert now["disputes"]["received"] == 1
    assert now["disputes"]["amount_involved"] == "13000.00"
    shown = json.loads(run("--json", "dispute", "show", "LD-2023-0001"))
    assert shown["history"][-2]["changes"]["amount"] == ["12000", "13000"]
    assert main(["--store", store_url, "--actor", "m-01", "dispute", "correct",
                 "LD-2023-0002", "--reason", "x", "--workers", "4"]) == 1
    assert "voided" in capsys.readouterr().err
