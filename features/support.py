"""What the spec steps share: the scenario's desk, how to reach each state, table cells.

Steps call only the public API (`casework.Casework` and what it returns). The paths below
are the specs' own knowledge of how a case gets to a state, written with the public
commands; a state the lifecycle gains without a path here fails its scenarios loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import pytest

from casework import Casework, CaseworkError, InvalidTransition

DATE = r"\d{4}-\d{2}-\d{2}"

Move = Callable[[Casework, str, datetime], object]

#: Each dispute move with ordinary arguments: what a mediator would type. The lifecycle's
#: scenarios receive their dispute at an enterprise committee (ENTERPRISE), whose rule
#: allows an extension, and make their moves after the law's 15 days from receipt, when a
#: party may apply for arbitration (dispute_for_the_lifecycle below).
DISPUTE_MOVES: dict[str, Move] = {
    "accept": lambda cw, case, at: cw.disputes.accept(case, at=at, actor="m-01"),
    "answer": lambda cw, case, at: cw.disputes.answer(
        case, reply="explained the wage rules; no dispute to mediate", at=at, actor="m-01"),
    "refer": lambda cw, case, at: cw.disputes.refer(
        case, to="the district labour inspection brigade", at=at, actor="m-01"),
    "decline": lambda cw, case, at: cw.disputes.decline(
        case, reason="not a labour dispute", notice_on=at.date(), at=at, actor="m-01"),
    "start_mediation": lambda cw, case, at: cw.disputes.start_mediation(
        case, mediator="m-02", at=at, actor="m-01"),
    "extend": lambda cw, case, at: cw.disputes.extend(
        case, days=10, consent=True, at=at, actor="m-02"),
    "resolve": lambda cw, case, at: cw.disputes.resolve(
        case, settled_amount=Decimal("11000"), at=at, actor="m-02"),
    "terminate": lambda cw, case, at: cw.disputes.terminate(
        case, reason="party_refused", notice_on=at.date(), at=at, actor="m-02"),
    "arbitration_applied": lambda cw, case, at: cw.disputes.arbitration_applied(
        case, commission="the district labour dispute arbitration commission", at=at,
        actor="m-02"),
    "follow_up": lambda cw, case, at: cw.disputes.follow_up(
        case, performed="yes", at=at, actor="m-02"),
    "review_applied": lambda cw, case, at: cw.disputes.review_applied(
        case, review="arbitration_review", to="the district labour dispute arbitration "
        "commission", at=at, actor="m-02"),
    "escalate": lambda cw, case, at: cw.disputes.escalate(
        case, to="labour_inspection", reason="wages owed to the whole workshop", at=at,
        actor="m-02"),
    "withdraw": lambda cw, case, at: cw.disputes.withdraw(
        case, reason="settled with the employer", at=at, actor="m-01"),
    "reopen": lambda cw, case, at: cw.disputes.reopen(
        case, reason="the employer did not pay what was agreed", at=at, actor="m-02"),
}

#: The moves that bring a freshly received dispute to each state.
DISPUTE_PATHS: dict[str, tuple[str, ...]] = {
    "received": (),
    "accepted": ("accept",),
    "answered": ("answer",),
    "referred": ("refer",),
    "declined": ("decline",),
    "mediating": ("accept", "start_mediation"),
    "resolved": ("accept", "start_mediation", "resolve"),
    "terminated": ("accept", "terminate"),
    "arbitration": ("accept", "terminate", "arbitration_applied"),
    "escalated": ("accept", "escalate"),
    "withdrawn": ("withdraw",),
}
#: The enterprise committee the lifecycle's disputes are received at.
ENTERPRISE = "ec-acme"

#: Each aid move with ordinary arguments; approval grants non-cash help (a job referral),
#: so the lifecycle table needs no fund. Money has its own scenarios.
AID_MOVES: dict[str, Move] = {
    "accept": lambda cw, case, at: cw.aid.accept(case, at=at, actor="a-01"),
    "decline": lambda cw, case, at: cw.aid.decline(
        case, reason="household income above the line", at=at, actor="a-01"),
    "approve": lambda cw, case, at: cw.aid.approve(
        case, kind="referral", note="re-employment centre", at=at, actor="a-01"),
    "implement": lambda cw, case, at: cw.aid.implement(case, at=at, actor="a-01"),
    "record_feedback": lambda cw, case, at: cw.aid.record_feedback(
        case, feedback="started work on Monday", at=at, actor="a-01"),
    "close": lambda cw, case, at: cw.aid.close(case, at=at, actor="a-01"),
    "escalate": lambda cw, case, at: cw.aid.escalate(
        case, to="civil_affairs", reason="needs minimum-living support", at=at, actor="a-01"),
    "withdraw": lambda cw, case, at: cw.aid.withdraw(
        case, reason="no longer needed", at=at, actor="a-01"),
}

AID_PATHS: dict[str, tuple[str, ...]] = {
    "received": (),
    "accepted": ("accept",),
    "declined": ("decline",),
    "approved": ("accept", "approve"),
    "implemented": ("accept", "approve", "implement"),
    "feedback_recorded": ("accept", "approve", "implement", "record_feedback"),
    "closed": ("accept", "approve", "implement", "record_feedback", "close"),
    "escalated": ("accept", "escalate"),
    "withdrawn": ("withdraw",),
}

#: Each early-warning move with ordinary arguments: what an officer or a mediator would type.
WARNING_MOVES: dict[str, Move] = {
    "verify": lambda cw, case, at: cw.warnings.verify(case, at=at, actor="m-01"),
    "resolve": lambda cw, case, at: cw.warnings.resolve(
        case, how="协商后企业补发了工资", at=at, actor="o-01"),
    "to_dispute": lambda cw, case, at: cw.warnings.to_dispute(
        case, category="wages", amount=Decimal("50000"), at=at, actor="m-01"),
    "dismiss": lambda cw, case, at: cw.warnings.dismiss(
        case, reason="核实后工资已按时发放", at=at, actor="m-01"),
    "withdraw": lambda cw, case, at: cw.warnings.withdraw(
        case, reason="报告有误", at=at, actor="o-01"),
    "reopen": lambda cw, case, at: cw.warnings.reopen(
        case, reason="企业再次拖欠工资", at=at, actor="m-01"),
}

#: The moves that bring a freshly reported warning to each state.
WARNING_PATHS: dict[str, tuple[str, ...]] = {
    "reported": (),
    "verified": ("verify",),
    "resolved": ("verify", "resolve"),
    "became_dispute": ("verify", "to_dispute"),
    "dismissed": ("dismiss",),
    "withdrawn": ("withdraw",),
}


def path(paths: dict[str, tuple[str, ...]], state: str) -> tuple[str, ...]:
    if state not in paths:
        pytest.fail(f"the specs know no way to bring a case to {state!r}: add it to support.py")
    return paths[state]


def move(moves: dict[str, Move], name: str) -> Move:
    if name not in moves:
        pytest.fail(f"the specs know no way to make the move {name!r}: add it to support.py")
    return moves[name]


@dataclass
class Desk:
    """One scenario's working state: the store, business time, the cases, the last refusal.

    Business time only moves forward (the API refuses an `at` before a record's previous
    event), in 2023, well in the past.
    """

    cw: Casework
    now: datetime = datetime(2023, 1, 2, 9, 0)
    case: str = ""
    cases: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    refusal: BaseException | None = None
    result: Any = None
    before: Any = None
    tried: dict[str, Any] = field(default_factory=dict)

    def tick(self, day: date | None = None) -> datetime:
        """The next moment: an hour on, or 09:00 on `day` (never going back)."""
        if day is None:
            self.now += timedelta(hours=1)
        else:
            self.now = max(self.now + timedelta(minutes=1), datetime.combine(day, time(9)))
            assert self.now.date() == day, f"the scenario went back in time to {day}"
        return self.now

    def attempt(self, command: Callable[[], object]) -> None:
        """Run a command that may be refused; keep what it returned or raised."""
        self.refusal, self.result = None, None
        try:
            self.result = command()
        except Exception as e:  # any error: a Then step says which one it should have been
            self.refusal = e

    def refused(self, kind: type[CaseworkError] = CaseworkError) -> CaseworkError:
        err = self.refusal
        assert err is not None, "the command was accepted, but should have been refused"
        assert isinstance(err, kind), f"refused with {type(err).__name__}: {err}; not {kind}"
        return err


class CaseView(Protocol):
    state: str
    allowed: tuple[str, ...]
    history: tuple[Any, ...]


def assert_outcome(desk: Desk, after: CaseView, outcome: str) -> None:
    """The move in `desk.tried` led to state `outcome`, or was refused with an
    InvalidTransition naming the case, its state, the move and the moves allowed now,
    storing nothing."""
    before, name = desk.before, desk.tried["move"]
    if outcome == "refused":
        err = desk.refused(InvalidTransition)
        for named in (desk.case, before.state, name, *before.allowed):
            assert named in str(err), f"{err!s} does not name {named!r}"
        assert after == before, "a refused move stored something"
        return
    assert desk.refusal is None, f"refused: {desk.refusal}"
    assert after.state == outcome
    assert after.history[:-1] == before.history
    assert after.history[-1].type == name


def assert_allowed_now(desk: Desk, after: CaseView, allowed: str) -> None:
    """The last move was refused, and the case allows exactly `allowed` now."""
    err = desk.refused(InvalidTransition)
    expected = () if allowed.startswith("none") else tuple(names(allowed))
    assert after.allowed == expected
    assert str(err).endswith(f"moves allowed now: {allowed}"), str(err)
    assert after == desk.before, "a refused move stored something"


def not_allowed(moves: dict[str, Move], allowed: tuple[str, ...]) -> str:
    """A move the case may not make now."""
    forbidden = [m for m in moves if m not in allowed]
    assert forbidden, f"every move is allowed: {allowed}"
    return forbidden[0]


def cell(text: str) -> Any:
    """A table cell as a caller would pass it: "quoted" is text, true/false a bool, 3 an int,
    2.5, NaN or Infinity a Decimal, anything else text."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def day(text: str) -> date:
    return date.fromisoformat(text.strip())


def money(text: str) -> Decimal:
    return Decimal(text.strip())


def names(text: str) -> list[str]:
    """'A, B and C' or 'none' as a list."""
    text = text.strip()
    if text in ("none", "nobody"):
        return []
    return [n.strip() for n in text.replace(" and ", ", ").split(",") if n.strip()]
