"""Deadlines on the caseload: the engine's rule-based `deadline`/`rule` where a view has
them, else the dispute's mediation clock, read from the row by the view's own function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from casework.desk.caseload import Deadline, row_deadline, view_deadline
from casework.statistics.fold import CaseRow


@dataclass
class RuleBased:
    deadline: date
    rule: str


def test_a_views_own_deadline_and_rule_come_first() -> None:
    d = view_deadline(RuleBased(date(2023, 3, 31), "《企业劳动争议协商调解规定》第二十九条"))
    assert d == Deadline(date(2023, 3, 31), "《企业劳动争议协商调解规定》第二十九条")


def test_the_mediation_clock_from_a_row_follows_its_rule() -> None:
    row = CaseRow(id="x", kind="dispute", number="LD-2023-0001", org="s", state="received",
                  received_at="2023-03-01T01:00:00+00:00")
    # a street centre: the law's 15 days from receipt (LDMAL art. 14)
    assert row_deadline("dispute", row, UTC) == Deadline(date(2023, 3, 16),
                                                         "《中华人民共和国劳动争议调解仲裁法》第十四条")
    # an enterprise committee (MOHRSS order 17): 15 days from acceptance, not yet started
    committee = {"s": "enterprise_committee"}
    assert row_deadline("dispute", row, UTC, committee).starts == "deadline.not_started"
    row.accepted_at = datetime(2023, 3, 2, 2, tzinfo=UTC).isoformat()
    assert row_deadline("dispute", row, UTC, committee).day == date(2023, 3, 17)
    assert row_deadline("aid", row, UTC).day is None
