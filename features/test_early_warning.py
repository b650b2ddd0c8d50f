"""Steps of early_warning.feature (in Simplified Chinese): the lifecycle, numbering, the
turn into a labour dispute, the figures, who may report, bad input."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

import casework
from casework import Actor, Casework, CaseworkError, Directory, InvalidInput
from features.support import (
    DATE,
    WARNING_MOVES,
    WARNING_PATHS,
    Desk,
    assert_allowed_now,
    assert_outcome,
    cell,
    day,
    move,
    names,
    not_allowed,
    path,
)

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("early_warning.feature")

RISKS = {"拖欠工资": "wage_arrears", "即将裁员": "layoffs", "关停": "closure"}


def report(desk: Desk, at: datetime, **changes: Any) -> str:
    facts = {"enterprise": "华光纺织", "risk": "wage_arrears", "workers": 40,
             "officer": "o-01", "summary": "三月工资可能拖欠", "actor": "o-01"} | changes
    desk.case = desk.cw.warnings.report(**facts, at=at)
    desk.cases.append(desk.case)
    return desk.case


def walk(desk: Desk, moves: tuple[str, ...]) -> None:
    for name in moves:
        move(WARNING_MOVES, name)(desk.cw, desk.case, desk.tick())


# --- the lifecycle -------------------------------------------------------------------


@given(parsers.re(r"一条预警信息处于 (?P<state>\w+)"))
def warning_in_state(desk: Desk, state: str) -> None:
    report(desk, desk.tick())
    walk(desk, path(WARNING_PATHS, state))
    assert desk.cw.warnings.get(desk.case).state == state


@when(parsers.re(r"尝试对它 (?P<name>\w+)"))
def try_move(desk: Desk, name: str) -> None:
    desk.before = desk.cw.warnings.get(desk.case)
    desk.tried = {"move": name}
    make = move(WARNING_MOVES, name)
    desk.attempt(lambda: make(desk.cw, desk.case, desk.tick()))


@then(parsers.re(r"结果是 (?P<outcome>\w+)"))
def outcome_is(desk: Desk, outcome: str) -> None:
    assert_outcome(desk, desk.cw.warnings.get(desk.case), outcome)


@when(parsers.re(r"尝试一个 (?P<state>\w+) 时不允许的动作"))
def try_forbidden(desk: Desk, state: str) -> None:
    desk.before = desk.cw.warnings.get(desk.case)
    name = not_allowed(WARNING_MOVES, desk.before.allowed)
    desk.attempt(lambda: WARNING_MOVES[name](desk.cw, desk.case, desk.tick()))


@then(parsers.re(r"被拒绝，现在可做的动作是: (?P<allowed>.+)"))
def refused_allowed_now(desk: Desk, allowed: str) -> None:
    assert_allowed_now(desk, desk.cw.warnings.get(desk.case), allowed)


# --- numbering, history, the turn into a dispute ---------------------------------------


@given(parsers.re(rf"预警员 (?P<officer>[\w-]+) 于 (?P<on>{DATE}) 报告 (?P<enterprise>\S+) "
                  r"(?P<risk>\S+)，涉及 (?P<workers>\d+) 名职工"),
       converters={"on": day, "workers": int})
def reported(desk: Desk, officer: str, on: date, enterprise: str, risk: str,
             workers: int) -> None:
    report(desk, desk.tick(on), enterprise=enterprise, risk=RISKS[risk], workers=workers,
           officer=officer, actor=officer)


@then(parsers.re(r"预警信息依次编号为 (?P<numbers>.+)"))
def numbered(desk: Desk, numbers: str) -> None:
    assert desk.cases == names(numbers)


@then(parsers.re(rf"(?P<case>YJ-\d+-\d+) 的历史是: (?P<what>\w+) by (?P<who>[\w-]+) on "
                 rf"(?P<on>{DATE})"), converters={"on": day})
def history_is(desk: Desk, case: str, what: str, who: str, on: date) -> None:
    (step,) = desk.cw.warnings.get(case).history
    assert (step.type, step.actor, step.at.date()) == (what, who, on)


@given(parsers.re(rf"工会于 (?P<on>{DATE}) 核实了它"), converters={"on": day})
def verified(desk: Desk, on: date) -> None:
    desk.cw.warnings.verify(desk.case, at=desk.tick(on), actor="m-01")


@when(parsers.re(rf"调解员 (?P<who>[\w-]+) 于 (?P<on>{DATE}) 将它转为劳动争议，类别 "
                 r"(?P<category>\w+)，涉案金额 (?P<amount>\d+)(?:，涉及 (?P<workers>\d+) 名职工)?"),
      converters={"on": day})
def to_dispute(desk: Desk, who: str, on: date, category: str, amount: str,
               workers: str | None) -> None:
    extra = {"workers": int(workers)} if workers else {}
    desk.tried = {"category": category}
    desk.attempt(lambda: desk.cw.warnings.to_dispute(
        desk.case, category=category, amount=Decimal(amount), at=desk.tick(on), actor=who,
        **extra))


@then(parsers.re(r"预警信息处于 became_dispute，并指向新的争议案件"))
def points_to_dispute(desk: Desk) -> None:
    assert desk.refusal is None, desk.refusal
    w = desk.cw.warnings.get(desk.case)
    assert (w.state, w.dispute) == ("became_dispute", desk.result)


@then(parsers.re(r"新的争议案件的用人单位是 (?P<employer>\S+)，涉及 (?P<workers>\d+) 名职工，"
                 r"渠道 (?P<channel>\w+)，来处是这条预警信息"), converters={"workers": int})
def dispute_carries(desk: Desk, employer: str, workers: int, channel: str) -> None:
    assert desk.refusal is None, desk.refusal
    d = desk.cw.disputes.get(desk.result)
    assert (d.employer, d.workers, d.channel, d.origin) == (employer, workers, channel,
                                                            desk.case)
    assert d.summary == desk.cw.warnings.get(desk.case).summary


@then(parsers.re(r"被拒绝，错误是 (?P<error>\w+)(?:，指明 (?P<field>\w+))?"))
def refused_with(desk: Desk, error: str, field: str | None) -> None:
    kind = getattr(casework, error)
    err = desk.refused(kind)
    if field is not None:
        assert isinstance(err, InvalidInput) and err.fields.get(field), err


@then("没有任何争议案件")
def no_disputes(desk: Desk) -> None:
    assert desk.cw.disputes.list() == []


@then(parsers.re(r"预警信息处于 (?P<state>\w+)$"))
def warning_state(desk: Desk, state: str) -> None:
    assert desk.cw.warnings.get(desk.case).state == state


# --- figures ------------------------------------------------------------------------------


@given("2023 年上半年报告了这些预警信息")
def reported_these(desk: Desk, datatable: list[list[str]]) -> None:
    head, *rows = datatable
    for row in rows:
        r = dict(zip(head, row, strict=True))
        report(desk, desk.tick(), officer=r["officer"], enterprise=r["enterprise"],
               workers=int(r["workers"]), actor=r["officer"])
        walk(desk, WARNING_PATHS[r["outcome"]])


def both(desk: Desk) -> Any:
    """The H1 warning figures, from the read model and by replaying the log: the same."""
    projected = desk.cw.report(date(2023, 1, 1), date(2023, 6, 30)).warnings
    replayed = desk.cw.report(date(2023, 1, 1), date(2023, 6, 30), replay=True).warnings
    assert projected == replayed
    return projected


@then(parsers.re(r"2023 年上半年的预警统计是: 报告 (?P<reported>\d+)，核实 (?P<verified>\d+)，"
                 r"源头化解 (?P<resolved>\d+)，转为争议 (?P<became>\d+)，驳回 (?P<dismissed>\d+)，"
                 r"在办 (?P<open>\d+)"))
def warning_figures(desk: Desk, reported: str, verified: str, resolved: str, became: str,
                    dismissed: str, open: str) -> None:
    f = both(desk)
    assert (f.received, f.verified, f.resolved_at_source, f.became_disputes,
            f.concluded_by_outcome["dismissed"], f.closing) == tuple(
        map(int, (reported, verified, resolved, became, dismissed, open)))


@then(parsers.re(r"源头化解率是 (?P<share>[\d.]+)%，涉及职工 (?P<workers>\d+) 人"))
def share(desk: Desk, share: str, workers: str) -> None:
    f = both(desk)
    assert f.resolved_at_source_share is not None
    assert f"{f.resolved_at_source_share * 100:.1f}" == share
    assert f.workers_at_risk == int(workers)


@then(parsers.re(r"预警员 (?P<officer>[\w-]+) 报告 (?P<n>\d+) 条，源头化解 (?P<resolved>\d+) 条"))
def by_officer(desk: Desk, officer: str, n: str, resolved: str) -> None:
    tally = both(desk).by_officer[officer]
    assert (tally.received, tally.resolved) == (int(n), int(resolved))


# --- who may report -------------------------------------------------------------------------


@given("这些人员", target_fixture="office")
def these_people(desk: Desk, datatable: list[list[str]]) -> Casework:
    head, *rows = datatable
    actors = {}
    for row in rows:
        r = dict(zip(head, row, strict=True))
        actors[r["actor"]] = Actor(r["actor"], r["role"], tuple(r["bodies"].split(",")))
    office = Casework(store=desk.cw.store.url, actors=Directory(actors))
    desk.named["office"] = "open"
    return office


@when(parsers.re(r"(?P<actor>[\w-]+) 为 (?P<org>\w+) 报告一条预警信息"))
def report_as(desk: Desk, office: Casework, actor: str, org: str) -> None:
    desk.attempt(lambda: office.warnings.report(
        enterprise="华光纺织", risk="closure", workers=25, officer=actor, org=org,
        at=desk.tick(), actor=actor))
    office.close()


@then(parsers.re(r"命令被 (?P<outcome>made|refused)"))
def command_was(desk: Desk, outcome: str) -> None:
    if outcome == "made":
        assert desk.refusal is None, desk.refusal
        assert desk.cw.warnings.get(str(desk.result)).org == "subdistrict"
    else:
        desk.refused(casework.PermissionDenied)
        assert desk.cw.warnings.list() == []


# --- bad input ------------------------------------------------------------------------------


@when(parsers.re(r"预警员报告一条预警信息，其中 (?P<field>\w+) 为 (?P<value>.+)"))
def report_bad(desk: Desk, field: str, value: str) -> None:
    desk.attempt(lambda: report(desk, desk.tick(), **{field: cell(value)}))


@then("没有任何预警信息")
def no_warnings(desk: Desk) -> None:
    assert isinstance(desk.refusal, CaseworkError)
    assert desk.cw.warnings.list() == []
