"""The labour-dispute lifecycle and its mediation clock.

Law: Labour Dispute Mediation and Arbitration Law art. 14 — a dispute not settled within
15 days of the mediation body taking it up may go to arbitration. The 2011 enterprise
mediation rules count the 15 days from acceptance. Escalation stays allowed at any time.
"""

from __future__ import annotations

from datetime import date, timedelta

from workflows.access import MEDIATOR
from workflows.lifecycle import lifecycle

RECEIVED, ACCEPTED, DECLINED, MEDIATING = "received", "accepted", "declined", "mediating"
RESOLVED, ESCALATED, WITHDRAWN = "resolved", "escalated", "withdrawn"

DISPUTE = lifecycle(
    "labour dispute",
    [RECEIVED, ACCEPTED, DECLINED, MEDIATING, RESOLVED, ESCALATED, WITHDRAWN],
    [
        ("accept", RECEIVED, ACCEPTED),
        ("decline", RECEIVED, DECLINED),
        ("start_mediation", ACCEPTED, MEDIATING),
        ("resolve", MEDIATING, RESOLVED),
        ("escalate", [ACCEPTED, MEDIATING], ESCALATED),
        ("withdraw", [RECEIVED, ACCEPTED, MEDIATING], WITHDRAWN),
    ],
)

#: Who may move a dispute (besides a supervisor).
ROLES = frozenset({MEDIATOR})

#: Days from acceptance within which mediation should reach an agreement (art. 14).
MEDIATION_DAYS = 15

def mediation_deadline(accepted_on: date) -> date:
    """The last day of the mediation clock for a dispute accepted on `accepted_on`."""
    return accepted_on + timedelta(days=MEDIATION_DAYS)


def is_overdue(accepted_on: date | None, concluded_on: date | None, on: date) -> bool:
    """Accepted, still open on `on`, and past the clock's last day."""
    if accepted_on is None or (concluded_on is not None and concluded_on <= on):
        return False
    return on > mediation_deadline(accepted_on)
