"""Labour disputes through the public API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from casework import (
    CaseNotFound,
    Casework,
    InvalidInput,
    InvalidTransition,
)


def petition(cw: Casework, **changes: object) -> str:
    fields: dict[str, object] = dict(
        category="wages", workers=3, amount=Decimal("12000"), channel="visit",
        employer="Acme Textiles", summary="May wages unpaid", petitioner="Wang Xiaoming",
        contact="138-0000-0000", at=datetime(2023, 3, 1, 9, 30), actor="m-01",
    )
    fields.update(changes)
    return cw.disputes.receive(**fields)  # type: ignore[arg-type]


def events(cw: Casework) -> int:
    return cw.log.recorder.max_notification_id() or 0


def test_a_petition_goes_from_receipt_to_agreement(cw: Casework) -> None:
    case = petition(cw)
    assert case == "LD-2023-0001"
    cw.disputes.accept(case, at=datetime(2023, 3, 2, 10), actor="m-01")
    cw.disputes.start_mediation(case, mediator="m-02", at=datetime(2023, 3, 2, 14), actor="m-01")
    cw.disputes.resolve(case, settled_amount=Decimal("11000"), at=datetime(2023, 3, 9),
                        actor="m-02")
    view = cw.disputes.get(case)
    assert view.state == "resolved"
    assert (view.category, view.workers, view.amount, view.channel, view.employer) == (
        "wages", 3, Decimal("12000"), "visit", "Acme Textiles")
    assert view.received_at == datetime(2023, 3, 1, 9, 30, tzinfo=UTC)
    assert [(h.type, h.actor) for h in view.history] == [
        ("receive", "m-01"), ("accept", "m-01"), ("start_mediation", "m-01"),
        ("resolve", "m-02")]
    assert view.settled_amount == Decimal("11000")
    assert view.allowed == ("follow_up", "review_applied", "reopen")  # notes, or back to mediation
    assert view.agreement is not None and view.agreement["amount"] == Decimal("11000")
    assert view.agreement["signed_on"] == date(2023, 3, 9)  # signed the day it was recorded


def test_case_numbers_are_per_year_of_receipt(cw: Casework) -> None:
    assert petition(cw, at=datetime(2022, 12, 31, 23)) == "LD-2022-0001"
    assert petition(cw) == "LD-2023-0001"
    assert petition(cw) == "LD-2023-0002"
    assert petition(cw, at=datetime(2022, 12, 30)) == "LD-2022-0002"


def test_a_second_process_continues_the_numbering(cw: Casework, store_url: str) -> None:
    for _ in range(5):
        petition(cw)
    with Casework(store=store_url) as other:
        assert petition(other) == "LD-2023-0006"
    assert petition(cw) == "LD-2023-0007"  # the first one's guess was taken: it moves on


def test_a_refused_move_names_the_case_state_move_and_what_is_allowed(cw: Casework) -> None:
    case = petition(cw)
    before = events(cw)
    with pytest.raises(InvalidTransition) as refused:
        cw.disputes.resolve(case, settled_amount=1, actor="m-01")
    allowed = ("accept", "answer", "refer", "decline", "arbitration_applied", "withdraw")
    assert str(refused.value) == (
        f"case {case} is received: cannot resolve; moves allowed now: {', '.join(allowed)}")
    assert refused.value.allowed == allowed
    assert events(cw) == before


def test_the_fifteen_day_clock_counts_from_receipt(cw: Casework) -> None:
    """LDMAL art. 14, for a body never registered (a street centre): 15 days from the day
    the application was received, whenever it was accepted."""
    case = petition(cw)
    cw.disputes.accept(case, at=datetime(2023, 3, 2, 10), actor="m-01")
    view = cw.disputes.get(case)
    assert (view.rule, view.deadline, view.acceptance_due) == ("LDMAL-14", date(2023, 3, 16),
                                                               None)
    assert view.mediation_deadline == view.deadline  # the name earlier callers used
    assert not view.is_overdue(date(2023, 3, 16))
    assert view.is_overdue(date(2023, 3, 17))
    [line] = cw.disputes.list(overdue_on=date(2023, 3, 17))
    assert (line.number, line.rule, line.deadline) == (case, "LDMAL-14", date(2023, 3, 16))
    cw.disputes.terminate(case, reason="expired", notice_on=date(2023, 3, 20),
                          at=datetime(2023, 3, 20), actor="m-01")
    assert not cw.disputes.get(case).is_overdue(date(2023, 3, 21))
    assert cw.disputes.list(overdue_on=date(2023, 3, 21)) == []


def test_naive_times_are_read_in_the_configured_zone(store_url: str) -> None:
    with Casework(store=store_url, tz="Asia/Shanghai") as cw:
        case = petition(cw, at=datetime(2023, 3, 1, 7, 0))
        assert cw.disputes.get(case).received_at == datetime(2023, 2, 28, 23, 0, tzinfo=UTC)
        assert case == "LD-2023-0001"  # numbered by the local year


@pytest.mark.parametrize(("field", "value"), [
    ("workers", 0), ("workers", 2.5), ("workers", "3"), ("workers", True),
    ("amount", Decimal("-1")), ("amount", Decimal("NaN")), ("amount", float("inf")),
    ("amount", "1.005"), ("category", "theft"), ("channel", "pigeon"), ("employer", "  "),
    ("actor", ""), ("at", datetime.now() + timedelta(days=1)), ("at", "yesterday"),
    ("summary", "x" * 5000),
])
def test_bad_petitions_are_refused_and_store_nothing(cw: Casework, field: str,
                                                     value: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        petition(cw, **{field: value})
    assert field in refused.value.fields
    assert events(cw) == 0
    assert petition(cw) == "LD-2023-0001"  # no number was consumed


def test_moves_refuse_bad_values_and_out_of_order_times(cw: Casework) -> None:
    case = petition(cw)
    before = events(cw)
    with pytest.raises(InvalidInput, match="before"):
        cw.disputes.accept(case, at=datetime(2023, 2, 1), actor="m-01")
    cw.disputes.accept(case, at=datetime(2023, 3, 2), actor="m-01")
    with pytest.raises(InvalidInput) as refused:
        cw.disputes.escalate(case, to="the-press", reason="x", actor="m-01")
    assert "to" in refused.value.fields
    with pytest.raises(InvalidInput):
        cw.disputes.start_mediation(case, mediator="", actor="m-01")
    assert events(cw) == before + 1


def test_unknown_cases_are_not_found(cw: Casework) -> None:
    with pytest.raises(CaseNotFound, match="LD-2023-0999"):
        cw.disputes.accept("LD-2023-0999", actor="m-01")
    with pytest.raises(CaseNotFound):
        cw.disputes.get("LD-2023-0999")
    with pytest.raises(InvalidInput):
        cw.disputes.get("")


def test_lists_come_from_the_read_model_without_personal_data(cw: Casework) -> None:
    first, second = petition(cw), petition(cw, org="county")
    cw.disputes.accept(first, at=datetime(2023, 3, 2), actor="m-01")
    assert [c.number for c in cw.disputes.list()] == [first, second]
    assert [c.number for c in cw.disputes.list(state="accepted")] == [first]
    assert [c.number for c in cw.disputes.list(org="county")] == [second]
    assert "petitioner" not in cw.disputes.list()[0].model_dump()


def test_events_are_never_changed_a_correction_is_a_new_event(cw: Casework) -> None:
    case = petition(cw)
    cw.disputes.accept(case, at=datetime(2023, 3, 2), actor="m-01")
    cw.disputes.withdraw(case, reason="settled privately", at=datetime(2023, 3, 3), actor="m-01")
    stored = [n.state for n in cw.log.recorder.select_notifications(start=1, limit=10)]
    assert len(stored) == 3
    assert cw.disputes.get(case).state == "withdrawn"


def test_a_command_without_a_time_is_not_refused_for_another_clocks_skew(store_url: str) -> None:
    from datetime import UTC

    ahead = Casework(store=store_url, now=lambda: datetime.now(UTC) + timedelta(seconds=2))
    with ahead, Casework(store=store_url) as here:
        case = ahead.disputes.receive(category="wages", workers=2, amount=100, channel="visit",
                                      employer="Acme", actor="m-01")
        ahead.disputes.accept(case, actor="m-01")
        here.disputes.start_mediation(case, mediator="m-02", actor="m-02")
        history = here.disputes.get(case).history
        assert history[-1].at >= history[-2].at
