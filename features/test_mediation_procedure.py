"""Steps of mediation_procedure.feature (in Simplified Chinese): bodies and the rule in
force, working days, extension, termination, the party's arbitration application, the
agreement and its follow-up, collective disputes, intake outcomes, due and overdue lists.
Every step calls the public API only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from casework import Casework
from features.conftest import refused_naming
from features.support import DATE, Desk, day
from workflows.workdays import LAST_YEAR

pytestmark = pytest.mark.usefixtures("cw")  # so each scenario runs on both stores
scenarios("mediation_procedure.feature")

REGISTERED_AT = datetime(2000, 1, 3, 9)  # bodies are registered before any case here
EMPLOYER, PETITIONER = "华光纺织", "王小明"
COMMISSION = "区劳动人事争议仲裁委员会"


def on(desk: Desk, d: date, hour: int = 9) -> datetime:
    """Business time on day `d`: a scenario starts on its first date, then only moves on."""
    if "started" not in desk.named:
        desk.named["started"] = "yes"
        desk.now = datetime.combine(d, time(hour)) - timedelta(minutes=1)
    return desk.tick(d)


def petition(**changes: Any) -> dict[str, Any]:
    return {"category": "wages", "workers": 3, "amount": Decimal("12000"),
            "channel": "visit", "employer": EMPLOYER, "summary": "拖欠三个月工资",
            "petitioner": PETITIONER, "actor": "m-01"} | changes


def receive(desk: Desk, org: str, at: datetime, **changes: Any) -> str:
    desk.case = desk.cw.disputes.receive(**petition(org=org, **changes), at=at)
    desk.cases.append(desk.case)
    return desk.case


def view(desk: Desk, case: str | None = None) -> Any:
    return desk.cw.disputes.get(case or desk.case)


def attempt(desk: Desk, command: Any, **tried: Any) -> None:
    """Try a move on the current case, keeping the case as it was and what was tried."""
    desk.before = view(desk) if desk.case else None
    desk.tried = tried
    desk.attempt(command)


def maybe_day(text: str) -> date | None:
    return None if text.strip() == "无" else day(text)


# --- bodies, receipt, acceptance, mediation ---------------------------------------------


@given(parsers.re(r"调解组织 (?P<org>[\w-]+) 登记为 (?P<kind>\w+)"))
def registered(desk: Desk, org: str, kind: str) -> None:
    desk.cw.bodies.register(org, name=f"{org} 调解组织", kind=kind, at=REGISTERED_AT,
                            actor="s-01")


@given(parsers.re(rf"(?P<org>[\w-]+) 于 (?P<d>{DATE}) 收到一份调解申请"), converters={"d": day})
@when(parsers.re(rf"(?P<org>[\w-]+) 于 (?P<d>{DATE}) 收到一份调解申请"), converters={"d": day})
def received(desk: Desk, org: str, d: date) -> None:
    at = on(desk, d)
    desk.before = desk.cw.disputes.list()
    desk.attempt(lambda: receive(desk, org, at))
    if desk.refusal is None:
        desk.case = desk.result


@when(parsers.re(r"(?P<org>[\w-]+) 在节假日历所载最后一年的次年收到一份调解申请"))
def received_beyond_the_calendar(desk: Desk, org: str, store_url: str) -> None:
    """As if today were early in the year after the installed holiday calendar's last."""
    today = datetime(LAST_YEAR + 1, 1, 4, 12, tzinfo=UTC)
    desk.before = desk.cw.disputes.list()
    desk.tried = {"at": today}
    with Casework(store=store_url, now=lambda: today) as later:
        desk.attempt(lambda: later.disputes.receive(**petition(org=org),
                                                    at=today - timedelta(hours=2)))


@given(parsers.re(rf"它于 (?P<d>{DATE}) 受理"), converters={"d": day})
@when(parsers.re(rf"它于 (?P<d>{DATE}) 受理"), converters={"d": day})
def accepted(desk: Desk, d: date) -> None:
    desk.cw.disputes.accept(desk.case, at=on(desk, d, 10), actor="m-01")


@given(parsers.re(rf"调解员 (?P<who>[\w-]+) 于 (?P<d>{DATE}) 开始调解"), converters={"d": day})
def mediating(desk: Desk, who: str, d: date) -> None:
    desk.cw.disputes.start_mediation(desk.case, mediator=who, at=on(desk, d, 11),
                                     actor="m-01")


@then(parsers.re(r"案件适用的规定是 (?P<rule>[\w-]+)"))
def rule_is(desk: Desk, rule: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert view(desk).rule == rule


@then(parsers.re(r"调解期限的最后一日是 (?P<d>.+)"))
def deadline_is(desk: Desk, d: str) -> None:
    assert view(desk).deadline == maybe_day(d)


@then(parsers.re(r"受理期限的最后一日是 (?P<d>.+)"))
def acceptance_due_is(desk: Desk, d: str) -> None:
    assert view(desk).acceptance_due == maybe_day(d)


@then(parsers.re(r"被拒绝: (?P<error>\w+)，指明 (?P<field>[\w-]+)"))
def refused(desk: Desk, error: str, field: str) -> None:
    refused_naming(desk, error, field)


@then("没有存储任何争议案件")
def nothing_stored(desk: Desk) -> None:
    assert desk.cw.disputes.list() == desk.before


@then("案件没有任何改变")
def unchanged(desk: Desk) -> None:
    assert view(desk) == desk.before, "a refused move stored something"


@then(parsers.re(r"案件处于 (?P<state>\w+)$"))
def state_is(desk: Desk, state: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert view(desk).state == state


# --- extension, termination, arbitration ------------------------------------------------


@given(parsers.re(rf"(?P<no>未经)?双方当事人同意，于 (?P<d>{DATE}) 延长 (?P<days>\d+) 日"),
       converters={"d": day, "days": int})
@when(parsers.re(rf"(?P<no>未经)?双方当事人同意，于 (?P<d>{DATE}) 延长 (?P<days>\d+) 日"),
      converters={"d": day, "days": int})
def extend(desk: Desk, no: str | None, d: date, days: int) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.extend(desk.case, days=days, consent=not no,
                                                  at=at, actor="m-02"), days=days)


@given(parsers.re(rf"于 (?P<d>{DATE}) 以 (?P<reason>\w+) 为由终止调解，书面通知于同日送达"),
       converters={"d": day})
@when(parsers.re(rf"于 (?P<d>{DATE}) 以 (?P<reason>\w+) 为由终止调解，书面通知于同日送达"),
      converters={"d": day})
def terminate(desk: Desk, d: date, reason: str) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.terminate(desk.case, reason=reason, notice_on=d,
                                                     at=at, actor="m-02"), reason=reason)


@then(parsers.re(rf"案件处于 terminated，终止原因为 (?P<reason>\w+)，书面通知日期为 "
                 rf"(?P<d>{DATE})"), converters={"d": day})
def terminated(desk: Desk, reason: str, d: date) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    v = view(desk)
    assert (v.state, v.termination, v.notice_on) == ("terminated", reason, d)


@when(parsers.re(rf"当事人于 (?P<d>{DATE}) 向区劳动人事争议仲裁委员会申请仲裁"),
      converters={"d": day})
def arbitration_applied(desk: Desk, d: date) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.arbitration_applied(
        desk.case, commission=COMMISSION, at=at, actor="m-02"), at=at)


@when(parsers.re(rf"调解员于 (?P<d>{DATE}) 将案件移送 (?P<to>\w+)"), converters={"d": day})
def escalate(desk: Desk, d: date, to: str) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.escalate(desk.case, to=to, at=at, actor="m-02"),
            to=to)


# --- the agreement, its review, its follow-up -------------------------------------------


@when(parsers.re(rf"于 (?P<d>{DATE}) 达成调解协议：金额 (?P<amount>\d+) 元，于 (?P<due>{DATE}) "
                 r"前以(?P<method>\S+)方式履行"), converters={"d": day, "due": day})
def resolve(desk: Desk, d: date, amount: str, due: date, method: str) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.resolve(
        desk.case, settled_amount=Decimal(amount), parties=[EMPLOYER, PETITIONER],
        claims="拖欠三个月工资", due_on=due, method=method, signed_on=d, at=at,
        actor="m-02"), due_on=due)


@then(parsers.re(rf"调解协议书写明：当事人 (?P<parties>\S+)，金额 (?P<amount>\d+) 元，履行期限 "
                 rf"(?P<due>{DATE})，方式 (?P<method>\S+)，签订日期 (?P<signed>{DATE})"),
      converters={"due": day, "signed": day})
def agreement_says(desk: Desk, parties: str, amount: str, due: date, method: str,
                   signed: date) -> None:
    v = view(desk)
    a = v.agreement
    assert (tuple(a["parties"]), a["amount"], a["due_on"], a["method"], a["signed_on"]) == (
        tuple(parties.split("、")), Decimal(amount), due, method, signed)
    assert v.settled_amount == Decimal(amount)  # the name earlier callers read


@when(parsers.re(rf"双方当事人于 (?P<d>{DATE}) 申请仲裁审查确认"), converters={"d": day})
def review_applied(desk: Desk, d: date) -> None:
    desk.cw.disputes.review_applied(desk.case, review="arbitration_review", to=COMMISSION,
                                    at=on(desk, d), actor="m-02")


@then(parsers.re(rf"申请仲裁审查确认的最后一日是 (?P<d>{DATE})"), converters={"d": day})
def review_due(desk: Desk, d: date) -> None:
    v = view(desk)
    assert v.review == {"kind": "arbitration_review", "to": COMMISSION}
    assert v.review_due == d


@given("2023 年上半年达成这些调解协议并回访:")
def agreements(desk: Desk, datatable: list[list[str]]) -> None:
    """Each case on its own days (cases do not share a clock); the last is the current."""
    head, *rows = datatable
    for row in rows:
        r = dict(zip(head, row, strict=True))
        received_on = day(r["收到日期"])
        case = receive(desk, "org-x", datetime.combine(received_on, time(9)))
        desk.cw.disputes.accept(case, at=datetime.combine(received_on, time(10)),
                                actor="m-01")
        desk.cw.disputes.start_mediation(case, mediator="m-02", actor="m-01",
                                         at=datetime.combine(received_on, time(11)))
        desk.cw.disputes.resolve(case, settled_amount=Decimal("8000"),
                                 at=datetime.combine(day(r["达成协议"]), time(15)),
                                 actor="m-02")
        if r["回访"]:
            desk.cw.disputes.follow_up(case, performed=r["履行情况"], actor="m-02",
                                       at=datetime.combine(day(r["回访"]), time(15)))


@when(parsers.re(rf"于 (?P<d>{DATE}) 回访，履行情况为 (?P<performed>\w+)"), converters={"d": day})
def follow_up(desk: Desk, d: date, performed: str) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.follow_up(desk.case, performed=performed, at=at,
                                                     actor="m-02"),
            performed=performed, follow_up="follow_up")


# --- collective disputes, intake outcomes -------------------------------------------------


FROM_WORKERS = (rf"(?P<org>[\w-]+) 于 (?P<d>{DATE}) 收到 (?P<workers>\d+) 名职工"
                r"(?P<common>有|没有)共同请求的申请(?:，推举代表 (?P<reps>\S+))?")


@given(parsers.re(FROM_WORKERS), converters={"d": day, "workers": int})
@when(parsers.re(FROM_WORKERS), converters={"d": day, "workers": int})
def received_from_workers(desk: Desk, org: str, d: date, workers: int, common: str,
                          reps: str | None) -> None:
    at = on(desk, d)
    desk.before = desk.cw.disputes.list()
    desk.tried = {"representatives": reps}
    facts = {"workers": workers, "common_claim": common == "有",
             "representatives": reps.split("、") if reps else None}
    desk.attempt(lambda: receive(desk, org, at, **facts))


@then(parsers.re(r"案件(?P<yes>是|不是)集体劳动争议"))
def collective(desk: Desk, yes: str) -> None:
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert view(desk).collective is (yes == "是")


@given(parsers.re(rf"(?P<org>[\w-]+) 于 (?P<d>{DATE}) 收到一份调解申请，当日"
                  r"(?P<how>作咨询答复|转介\S+|不予受理并书面通知)"), converters={"d": day})
def not_taken_up(desk: Desk, org: str, d: date, how: str) -> None:
    case = receive(desk, org, on(desk, d))
    at = on(desk, d, 16)
    if how == "作咨询答复":
        desk.cw.disputes.answer(case, reply="讲解了工资支付规定", at=at, actor="m-01")
    elif how.startswith("转介"):
        desk.cw.disputes.refer(case, to=how.removeprefix("转介"), at=at, actor="m-01")
    else:
        desk.cw.disputes.decline(case, reason="不属于劳动争议", notice_on=d, at=at,
                                 actor="m-01")


@when(parsers.re(rf"于 (?P<d>{DATE}) 不予受理，书面通知日期为 (?P<notice>{DATE})"),
      converters={"d": day, "notice": day})
def decline(desk: Desk, d: date, notice: date) -> None:
    at = on(desk, d)
    attempt(desk, lambda: desk.cw.disputes.decline(desk.case, reason="不属于劳动争议",
                                                   notice_on=notice, at=at, actor="m-01"),
            notice_on=notice)


# --- figures and lists ---------------------------------------------------------------------


@then(parsers.re(rf"(?P<start>{DATE}) 至 (?P<end>{DATE}) 的统计中 (?P<figure>\w+) 为 "
                 r"(?P<value>\S+)"), converters={"start": day, "end": day})
def figure_is(desk: Desk, start: date, end: date, figure: str, value: str) -> None:
    for replay in (False, True):
        got = getattr(desk.cw.report(start, end, replay=replay).disputes, figure)
        expected: Any = float(value) if "." in value else int(value)
        assert got == expected, (figure, replay, got)


def listed(lines: list[Any]) -> str:
    return "、".join(f"{ln.number}({ln.rule}，{ln.deadline})" for ln in lines) or "无"


@then(parsers.re(rf"(?:调解员 (?P<who>[\w-]+) 在 )?(?P<d>{DATE}) 起 (?P<n>\d+) 日内到期的案件是 "
                 r"(?P<cases>.+)"), converters={"d": day, "n": int})
def due_within(desk: Desk, who: str | None, d: date, n: int, cases: str) -> None:
    assert listed(desk.cw.disputes.list(due_within=n, on=d, mediator=who)) == cases


@then(parsers.re(rf"(?P<d>{DATE}) 已经超期的案件是 (?P<cases>.+)"), converters={"d": day})
def overdue(desk: Desk, d: date, cases: str) -> None:
    assert listed(desk.cw.disputes.list(overdue_on=d)) == cases
