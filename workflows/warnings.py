"""The early-warning lifecycle (預警): trouble reported before it becomes a dispute.

An early-warning officer (预警员) in an enterprise is the union's "first to know, first to
report, first to coordinate" (第一知情人、第一报告人、第一协调人). A report is verified by
the union; the risk is then resolved at the source (源头化解), turns into a labour dispute
the centre takes up, or is dismissed when no risk is found. The officer may withdraw a
report while it is open. A risk resolved at the source that comes back is reopened: the
report is verified again (a dismissed report is not reopened: a new risk is a new report,
and one that became a dispute goes on as the dispute).

reported → verified → resolved | became_dispute | dismissed; reported → dismissed;
reported or verified → withdrawn.
"""

from __future__ import annotations

from workflows.access import MEDIATOR
from workflows.lifecycle import lifecycle

REPORTED, VERIFIED, RESOLVED, BECAME_DISPUTE = "reported", "verified", "resolved", "became_dispute"
DISMISSED, WITHDRAWN = "dismissed", "withdrawn"

#: The enterprise's early-warning officer: reports and coordinates for their own bodies.
WARNING_OFFICER = "warning_officer"

#: Who may move a warning (besides a supervisor): its officer, and the centre's mediators.
ROLES = frozenset({WARNING_OFFICER, MEDIATOR})

WARNING = lifecycle(
    "early warning",
    [REPORTED, VERIFIED, RESOLVED, BECAME_DISPUTE, DISMISSED, WITHDRAWN],
    [
        ("verify", REPORTED, VERIFIED),
        ("resolve", VERIFIED, RESOLVED),
        ("to_dispute", VERIFIED, BECAME_DISPUTE),
        ("dismiss", [REPORTED, VERIFIED], DISMISSED),
        ("withdraw", [REPORTED, VERIFIED], WITHDRAWN),
        ("reopen", RESOLVED, VERIFIED),
    ],
    reopening=["reopen"],  # the risk came back at the same enterprise
)
