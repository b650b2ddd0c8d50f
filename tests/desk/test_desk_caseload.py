"""Deadlines on the caseload: the engine's rule-based `deadline`/`rule` where a view has
them, else the dispute's mediation clock, read from the row by the view's own function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from casework.desk.caseload import Deadline, row_deadline, view_deadline
from casework.statistics.fold import CaseRow
from workflows.disputes import mediation_deadline


@dataclass
class RuleBased:
    deadline: date
    rule: str


def test_a_views_own_deadline_and_rule_come_first() -> None:
    d = view_deadline(RuleBased(date(2023, 3, 31), "《企业劳动争议协商调解规定》第二十九条"))
    assert d == Deadline(date(2023, 3, 31), "《企业劳动争议协商调解规定》第二十九条")


def test_the_mediation_clock_from_a_row_is_the_views() -> None:
    row = CaseRow(id="x", kind="dispute", number="LD-2023-0001", org="s", state="accepted",
                  received_at="2023-03-01T01:00:00+00:00")
    assert row_deadline("dispute", row, UTC).starts == "deadline.not_started"
    row.accepted_at = datetime(2023, 3, 2, 2, tzinfo=UTC).isoformat()
    assert row_deadline("dispute", row, UTC) == Deadline(mediation_deadline(date(2023, 3, 2)),
                                                         "deadline.ldmal14")
    assert row_deadline("aid", row, UTC).day is None
