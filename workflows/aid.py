"""The hardship-aid lifecycle: 接待 → 受理 → 處理 → 落實 → 反饋, then closed.

received (接待) → accepted (受理) → approved or declined (處理) → implemented (落實)
→ feedback_recorded (反饋) → closed. A case may be referred upwards (escalate) once
accepted or approved, and withdrawn from any open state.

An aid case is not reopened: help decided and delivered belongs to the case it was decided
in (its payments are fund movements), so hardship that comes back is a new request.
"""

from __future__ import annotations

from workflows.access import AID_OFFICER
from workflows.lifecycle import lifecycle

RECEIVED, ACCEPTED, DECLINED, APPROVED = "received", "accepted", "declined", "approved"
IMPLEMENTED, FEEDBACK_RECORDED, CLOSED = "implemented", "feedback_recorded", "closed"
ESCALATED, WITHDRAWN = "escalated", "withdrawn"

OPEN_STATES = (RECEIVED, ACCEPTED, APPROVED, IMPLEMENTED, FEEDBACK_RECORDED)

#: Who may move an aid case, a register entry or a fund (besides a supervisor).
ROLES = frozenset({AID_OFFICER})

AID = lifecycle(
    "hardship aid",
    [RECEIVED, ACCEPTED, DECLINED, APPROVED, IMPLEMENTED, FEEDBACK_RECORDED, CLOSED,
     ESCALATED, WITHDRAWN],
    [
        ("accept", RECEIVED, ACCEPTED),
        ("decline", [RECEIVED, ACCEPTED], DECLINED),
        ("approve", ACCEPTED, APPROVED),
        ("implement", APPROVED, IMPLEMENTED),
        ("record_feedback", IMPLEMENTED, FEEDBACK_RECORDED),
        ("close", FEEDBACK_RECORDED, CLOSED),
        ("escalate", [ACCEPTED, APPROVED], ESCALATED),
        ("withdraw", list(OPEN_STATES), WITHDRAWN),
    ],
)

#: States in which an approved monthly subsidy keeps being paid each quarter.
SUBSIDY_PAYING_STATES = (APPROVED, IMPLEMENTED, FEEDBACK_RECORDED, CLOSED)


def quarter_months(quarter: str) -> tuple[str, str, str]:
    """The three months ("YYYY-MM") of a quarter such as "2023Q2"."""
    year, q = int(quarter[:4]), int(quarter[5])
    return tuple(f"{year:04d}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))  # type: ignore[return-value]


def subsidy_months(first_month: str, months: int | None, quarter: str) -> list[str]:
    """The months of `quarter` a subsidy starting `first_month` for `months` is due for
    (open-ended where `months` is None, until a review ends it)."""
    y, m = int(first_month[:4]), int(first_month[5:7])
    start = y * 12 + m - 1
    due = []
    for month in quarter_months(quarter):
        index = int(month[:4]) * 12 + int(month[5:7]) - 1
        if index >= start and (months is None or index < start + months):
            due.append(month)
    return due
