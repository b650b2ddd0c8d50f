"""Steps of corrections.feature (in Simplified Chinese): correcting a case's facts, voiding
a case entered by mistake, reopening a concluded mediation, reports as known at a moment,
and who may do each. Every step calls the public API only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from casework import Actor, Casework, Directory
from casework.statistics.render import render
from features.conftest import refused_naming
from features.support import DATE, Desk, day

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("corrections.feature")


def petition(at: datetime, amount: str, employer: str) -> dict[str, Any]:
    return {"category": "wages", "workers": 3, "amount": Decimal(amount), "channel": "visit",
            "employer": employer, "summary": "拖欠三个月工资", "petitioner": "王小明",
            "at": at, "actor": "m-01"}


def month(text: str) -> tuple[date, date]:
    first = date.fromisoformat(f"{text}-01")
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last


def report(desk: Desk, period: str, **kw: Any) -> Any:
    return desk.cw.report(*month(period), **kw)


def figure(desk: Desk, period: str, path: str) -> Any:
    value: Any = report(desk, period)
    for part in path.split("."):
        value = getattr(value, part)
    return value


def value(text: str) -> Any:
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def facts(text: str) -> dict[str, Any]:
    """`amount = 13000，employer = 华光纺织有限公司`: each field's new value."""
    out = {}
    for part in text.split("，"):
        name, _, v = part.partition(" = ")
        out[name.strip()] = value(v)
    return out


# --- the cases ------------------------------------------------------------------------------


@given(parsers.re(rf"一件争议于 (?P<on>{DATE}) 收到，涉案金额 (?P<amount>\d+) 元，用人单位 "
                  r"(?P<employer>\S+)"), converters={"on": day})
def dispute_received(desk: Desk, on: date, amount: str, employer: str) -> None:
    desk.case = desk.cw.disputes.receive(**petition(desk.tick(on), amount, employer))
    desk.cases.append(desk.case)
    desk.named["petition"] = f"{on}|{amount}|{employer}"


@given(parsers.re(rf"它于 (?P<a>{DATE}) 受理，(?P<m>{DATE}) 开始调解，(?P<r>{DATE}) 达成协议，"
                  r"协议金额 (?P<settled>\d+) 元"), converters={"a": day, "m": day, "r": day})
def mediated(desk: Desk, a: date, m: date, r: date, settled: str) -> None:
    desk.cw.disputes.accept(desk.case, at=desk.tick(a), actor="m-01")
    desk.cw.disputes.start_mediation(desk.case, mediator="m-02", at=desk.tick(m), actor="m-01")
    desk.cw.disputes.resolve(desk.case, settled_amount=Decimal(settled), at=desk.tick(r),
                             actor="m-02")


@given(parsers.re(rf"同一份申请于 (?P<on>{DATE}) 又录入了一次"), converters={"on": day})
def entered_twice(desk: Desk, on: date) -> None:
    _, amount, employer = desk.named["petition"].split("|")
    at = datetime.combine(on, desk.now.time())  # the petition's own day, typed up later
    desk.cases.append(desk.cw.disputes.receive(**petition(at, amount, employer)))


# --- correcting ---------------------------------------------------------------------------


@when(parsers.re(rf"(?P<actor>[\w-]+) 于 (?P<on>{DATE}) 更正它，理由 \"(?P<why>[^\"]*)\"："
                 r"(?P<given>.+)"), converters={"on": day})
def correct(desk: Desk, actor: str, on: date, why: str, given: str) -> None:
    desk.before = desk.cw.disputes.get(desk.case)
    desk.tried = facts(given)
    at = desk.tick(on)
    desk.attempt(lambda: desk.cw.disputes.correct(desk.case, reason=why, at=at, actor=actor,
                                                  **desk.tried))


@then(parsers.re(r"案件显示 (?P<given>.+)"))
def case_shows(desk: Desk, given: str) -> None:
    assert desk.refusal is None, desk.refusal
    view = desk.cw.disputes.get(desk.case)
    for name, expected in facts(given).items():
        assert str(getattr(view, name)).removesuffix(".00") == str(expected), name


@then(parsers.re(r"历史最后一步是 (?P<actor>[\w-]+) 的 (?P<what>\w+)，理由 \"(?P<why>[^\"]+)\"，"
                 r"(?P<name>\w+) 由 (?P<old>\S+) 改为 (?P<new>\S+)"))
def last_step(desk: Desk, actor: str, what: str, why: str, name: str, old: str,
              new: str) -> None:
    step = desk.cw.disputes.get(desk.case).history[-1]
    assert (step.type, step.actor, step.reason) == (what, actor, why)
    assert step.changes is not None
    assert tuple(str(v) for v in step.changes[name]) == (old, new)


@then("案件的历史没有变化")
def history_unchanged(desk: Desk) -> None:
    assert desk.cw.disputes.get(desk.case).history == desk.before.history


@then(parsers.re(r"被拒绝: (?P<error>\w+)，指明 (?P<field>[\w-]+)"))
def refused_with(desk: Desk, error: str, field: str) -> None:
    refused_naming(desk, error, field)


# --- reports --------------------------------------------------------------------------------


@then(parsers.re(r"(?P<period>\d{4}-\d{2}) 的报表中 (?P<path>[\w.]+) 是 (?P<n>\d+)"))
def report_figure(desk: Desk, period: str, path: str, n: str) -> None:
    assert figure(desk, period, path) == Decimal(n), path


@then(parsers.re(r"(?P<period>\d{4}-\d{2}) 的报表中用人单位 (?P<now>\S+) 调解成功 (?P<n>\d+) 件，"
                 r"(?P<was>\S+) 不再出现"))
def by_employer(desk: Desk, period: str, now: str, n: str, was: str) -> None:
    employers = figure(desk, period, "disputes.by_employer")
    assert employers[now].resolved == int(n)
    assert was not in employers


@then(parsers.re(r"(?P<period>\d{4}-\d{2}) 的报表中上期未结 \+ 本期受理 \+ 本期恢复 − 本期结案 = "
                 r"期末未结"))
def flow_identity(desk: Desk, period: str) -> None:
    f = report(desk, period).disputes
    assert f.opening + f.received + f.reopened - f.concluded == f.closing


@then(parsers.re(r"(?P<period>\d{4}-\d{2}) 的报表中调解用时的中位数是 (?P<n>\d+) 天"))
def days_median(desk: Desk, period: str, n: str) -> None:
    assert figure(desk, period, "disputes.days_to_resolution.median") == float(n)


@then(parsers.re(r"(?P<period>\d{4}-\d{2}) 的报表中调处率是 (?P<pct>\d+)%，"
                 r"恢复调解的案件计入本期调处工作量"))
def handling_rate_counts_the_reopened(desk: Desk, period: str, pct: str) -> None:
    """调处率 = 本期调处结案 ÷ 本期调处工作量 (上期结转 + 本期受理 + 本期恢复)."""
    assert figure(desk, period, "disputes.handling_rate") == int(pct) / 100
    e = desk.cw.explain("disputes.handling_rate", *month(period))
    number = desk.cw.disputes.get(desk.case).number
    assert number in {c.number for c in e.denominator or []}


@given(parsers.re(r"记下此刻的 (?P<period>\d{4}-\d{2}) 报表\(JSON\)"))
def note_report(desk: Desk, period: str) -> None:
    desk.named["known_at"] = datetime.now(UTC).isoformat()
    desk.named["json"] = render(report(desk, period, known_at=desk.named["known_at"]), "json")
    desk.named["period"] = period


@then(parsers.re(r"按记下的时刻查询的 (?P<period>\d{4}-\d{2}) 报表\(JSON\)与记下的逐字节相同"))
def same_bytes(desk: Desk, period: str) -> None:
    again = render(report(desk, period, known_at=desk.named["known_at"]), "json")
    assert again.encode() == desk.named["json"].encode()


@then(parsers.re(r"现在的 (?P<period>\d{4}-\d{2}) 报表与记下的不同"))
def now_differs(desk: Desk, period: str) -> None:
    now = report(desk, period)
    assert now.disputes.received == 1 and now.disputes.amount_involved == Decimal(13000)


# --- voiding ----------------------------------------------------------------------------------


@given(parsers.re(rf"(?P<actor>[\w-]+) 于 (?P<on>{DATE}) 作废第二件，理由 \"(?P<why>[^\"]+)\"，"
                  r"与第一件重复"), converters={"on": day})
@when(parsers.re(rf"(?P<actor>[\w-]+) 于 (?P<on>{DATE}) 作废第二件，理由 \"(?P<why>[^\"]+)\"，"
                 r"与第一件重复"), converters={"on": day})
def void_second(desk: Desk, actor: str, on: date, why: str) -> None:
    first, second = desk.cases[:2]
    desk.cw.disputes.void(second, reason=why, duplicate_of=first, at=desk.tick(on),
                          actor=actor)


@then("第二件仍可查看，标明已作废，与第一件重复，不能再做任何动作")
def second_voided(desk: Desk) -> None:
    view = desk.cw.disputes.get(desk.cases[1])
    assert view.voided is not None and view.voided["duplicate_of"] == desk.cases[0]
    assert view.allowed == ()
    assert (view.history[-1].type, view.history[-1].duplicate_of) == ("void", desk.cases[0])


@then("争议案件名单中只有第一件")
def listed_first_only(desk: Desk) -> None:
    assert [line.number for line in desk.cw.disputes.list()] == desk.cases[:1]


@then("对第二件 accept、void、correct 都被拒绝: InvalidTransition，说明它已作废")
def nothing_on_a_void(desk: Desk) -> None:
    from casework import InvalidTransition

    second, at = desk.cases[1], desk.tick()
    for command in (
        lambda: desk.cw.disputes.accept(second, at=at, actor="m-01"),
        lambda: desk.cw.disputes.void(second, reason="再次作废", at=at, actor="m-01"),
        lambda: desk.cw.disputes.correct(second, reason="录入错误", amount=1, at=at,
                                         actor="m-01"),
    ):
        desk.attempt(command)
        assert "voided" in str(desk.refused(InvalidTransition))


@given(parsers.re(r"基金 (?P<code>[\w-]+) 有 (?P<amount>\d+) 元"))
def fund_with(desk: Desk, code: str, amount: str) -> None:
    desk.cw.funds.open(code, name="帮扶资金", at=desk.tick(), actor="a-01")
    desk.cw.funds.contribute(code, amount=Decimal(amount), source="一日捐", at=desk.tick(),
                             actor="a-01")


@given(parsers.re(r"职工 (?P<worker>[\w-]+) 的帮扶案件已批准一次性救助 (?P<amount>\d+) 元，由 "
                  r"(?P<fund>[\w-]+) 支付，并已落实"))
def aid_paid(desk: Desk, worker: str, amount: str, fund: str) -> None:
    desk.case = desk.cw.aid.receive(channel="visit", worker=worker, at=desk.tick(),
                                    actor="a-01")
    for move, fields in (("accept", {}), ("approve", {"kind": "one_off", "fund": fund,
                                                      "amount": Decimal(amount)}),
                         ("implement", {})):
        getattr(desk.cw.aid, move)(desk.case, at=desk.tick(), actor="a-01", **fields)


@given(parsers.re(r"职工 (?P<worker>[\w-]+) 有一件帮扶案件"))
def aid_case(desk: Desk, worker: str) -> None:
    desk.case = desk.cw.aid.receive(channel="visit", worker=worker, at=desk.tick(),
                                    actor="a-01")


@when(parsers.re(r"作废这件帮扶案件，理由 \"(?P<why>[^\"]+)\""))
def void_aid(desk: Desk, why: str) -> None:
    desk.attempt(lambda: desk.cw.aid.void(desk.case, reason=why, at=desk.tick(), actor="a-01"))


@when(parsers.re(r"恢复这件帮扶案件，理由 \"(?P<why>[^\"]+)\""))
def reopen_aid(desk: Desk, why: str) -> None:
    desk.attempt(lambda: desk.cw.aid.reopen(desk.case, reason=why, at=desk.tick(),
                                            actor="a-01"))


# --- reopening ------------------------------------------------------------------------------


@when(parsers.re(rf"(?P<actor>[\w-]+) 于 (?P<on>{DATE}) (?:再次)?恢复调解，"
                 r"理由 \"(?P<why>[^\"]+)\""), converters={"on": day})
def reopen(desk: Desk, actor: str, on: date, why: str) -> None:
    desk.tried = {"reopen": "reopen"}
    at = desk.tick(on)
    desk.attempt(lambda: desk.cw.disputes.reopen(desk.case, reason=why, at=at, actor=actor))


@when(parsers.re(rf"它于 (?P<on>{DATE}) 再次达成协议，协议金额 (?P<settled>\d+) 元"),
      converters={"on": day})
def resolved_again(desk: Desk, on: date, settled: str) -> None:
    desk.cw.disputes.resolve(desk.case, settled_amount=Decimal(settled), at=desk.tick(on),
                             actor="m-02")


# --- who may ----------------------------------------------------------------------------------


@given("有这些工作人员")
def staff(desk: Desk, datatable: list[list[str]], store_url: str,
          request: pytest.FixtureRequest) -> None:
    """The same store, now under an actors directory."""
    _, *rows = datatable
    actors = {r[0]: Actor(r[0], r[1], tuple(r[2].split(","))) for r in rows}
    desk.cw = Casework(store=store_url, actors=Directory(actors))
    request.addfinalizer(desk.cw.close)


@when(parsers.re(r"(?P<actor>[\w-]+) 作废它，理由 \"(?P<why>[^\"]+)\""))
def void_it(desk: Desk, actor: str, why: str) -> None:
    desk.tried = {actor: actor}
    desk.attempt(lambda: desk.cw.disputes.void(desk.case, reason=why, at=desk.tick(),
                                               actor=actor))


@when(parsers.re(r"(?P<actor>[\w-]+) 更正它，理由 \"(?P<why>[^\"]+)\"：(?P<given>.+)"))
def correct_now(desk: Desk, actor: str, why: str, given: str) -> None:
    desk.tried = {actor: actor}
    desk.attempt(lambda: desk.cw.disputes.correct(desk.case, reason=why, at=desk.tick(),
                                                  actor=actor, **facts(given)))
