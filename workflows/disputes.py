"""The labour-dispute lifecycle and its mediation clock, as the law writes them.

Law (texts and what could not be checked: docs/procedure.md; rules as data:
workflows/procedure.py):

- Labour Dispute Mediation and Arbitration Law (LDMAL, 劳动争议调解仲裁法, 2008-05-01):
  art. 5 — a party who will not mediate, or whose mediation fails, may apply for arbitration;
  art. 7 — ten or more workers with a common claim (a collective dispute) choose
  representatives; art. 10 — the bodies that mediate; art. 14 — an agreement is a written
  调解协议书; no agreement within 15 days of the body *receiving* the application, and a
  party may apply for arbitration; art. 15 — an agreement not performed, arbitration.
- Enterprise Labour Dispute Consultation and Mediation Provisions (MOHRSS order 17,
  2012-01-01), for enterprise committees: accept or refuse in 3 working days (a refusal
  notified in writing), 15 days from acceptance, extendable once by consent by at most 15,
  a joint application for arbitration review of an agreement.
- People's Mediation Law (人民调解法, 2011-01-01): art. 26 — mediation that fails is
  terminated (终止调解) and the parties told where to go; art. 31 — the body follows up the
  performance of an agreement; art. 33 — judicial confirmation (司法确认) within 30 days.

Intake: a petition not taken up is a consultation answered (咨询答复), a referral elsewhere
(转介) or a refusal (不予受理, with the day of its written notice). The centre does not apply
for arbitration on a party's behalf: the party applies, after the mediation was terminated
or its period ran out, and the mediator records it (`arbitration_applied`). `escalate` stays
for the cases stored with it and for handing a case to labour inspection or a higher union;
it no longer sends a case to arbitration or a court.
"""

from __future__ import annotations

from datetime import date

from workflows.access import MEDIATOR
from workflows.lifecycle import lifecycle
from workflows.procedure import (
    ClockNotStarted,
    NoMediationRule,
    Rule,
    UnknownRule,
    acceptance_due,
    deadline,
    rule_by_id,
    rule_for,
)
from workflows.workdays import CalendarNotCovered

RECEIVED, ACCEPTED, MEDIATING = "received", "accepted", "mediating"
ANSWERED, REFERRED, DECLINED = "answered", "referred", "declined"
RESOLVED, TERMINATED, ARBITRATION = "resolved", "terminated", "arbitration"
ESCALATED, WITHDRAWN = "escalated", "withdrawn"
OPEN = (RECEIVED, ACCEPTED, MEDIATING)

DISPUTE = lifecycle(
    "labour dispute",
    [RECEIVED, ACCEPTED, ANSWERED, REFERRED, DECLINED, MEDIATING, RESOLVED, TERMINATED,
     ARBITRATION, ESCALATED, WITHDRAWN],
    [
        ("accept", RECEIVED, ACCEPTED),
        ("answer", RECEIVED, ANSWERED),
        ("refer", RECEIVED, REFERRED),
        ("decline", RECEIVED, DECLINED),
        ("start_mediation", ACCEPTED, MEDIATING),
        ("extend", [ACCEPTED, MEDIATING], None),
        ("resolve", MEDIATING, RESOLVED),
        ("terminate", [ACCEPTED, MEDIATING], TERMINATED),
        ("arbitration_applied", [RECEIVED, ACCEPTED, MEDIATING, TERMINATED], ARBITRATION),
        ("follow_up", RESOLVED, None),
        ("review_applied", RESOLVED, None),
        ("escalate", [ACCEPTED, MEDIATING], ESCALATED),
        ("withdraw", [RECEIVED, ACCEPTED, MEDIATING], WITHDRAWN),
        ("reopen", [RESOLVED, TERMINATED], MEDIATING),
    ],
    concluded=[TERMINATED],  # the party's application for arbitration may follow it
    reopening=["reopen"],  # the agreement was not performed, the parties mediate again
)

#: Who may move a dispute (besides a supervisor).
ROLES = frozenset({MEDIATOR})

#: LDMAL art. 7: this many workers with a common claim make a collective dispute.
COLLECTIVE_WORKERS = 10
#: The law's own period (art. 14): after it, a party may apply for arbitration whatever
#: period the body's own rule sets.
LAW_RULE = "LDMAL-14"
#: Targets `escalate` no longer takes: the party applies for arbitration or sues itself.
NOT_ON_A_PARTYS_BEHALF = frozenset({"arbitration", "court"})


def is_collective(workers: int, common_claim: bool | None) -> bool:
    """Ten or more workers with a common claim (LDMAL art. 7)."""
    return bool(common_claim) and workers >= COLLECTIVE_WORKERS


def case_rule(rule_id: str | None, body_kind: str, received_on: date) -> Rule | None:
    """The rule a case records, or — for a case stored before rules were recorded — the
    one its body's kind had in force on the day it was received; None where none applies."""
    try:
        return rule_by_id(rule_id) if rule_id else rule_for(body_kind, received_on)
    except (NoMediationRule, UnknownRule):
        return None


def mediation_deadline(rule: Rule | None, received_on: date, accepted_on: date | None,
                       extension_days: int | None = None) -> date | None:
    """The last day of the mediation period with any extension; None where no rule applies
    or the rule counts from an acceptance not yet made."""
    if rule is None:
        return None
    try:
        return deadline(rule, received_on, accepted_on, extension_days or 0)
    except ClockNotStarted:
        return None


def acceptance_deadline(rule: Rule | None, received_on: date) -> date | None:
    """The last day to accept or refuse (enterprise committees, in working days); None
    elsewhere, or where the holiday calendar does not cover the days (refused at receipt)."""
    if rule is None:
        return None
    try:
        return acceptance_due(rule, received_on)
    except CalendarNotCovered:
        return None


def arbitration_from(rule: Rule | None, received_on: date, accepted_on: date | None,
                     extension_days: int | None = None) -> date | None:
    """The first day a party may apply for arbitration without a termination: the day after
    the law's 15 days from receipt (LDMAL art. 14), or after the case's own period if that
    ends sooner (the 1993 regulations' 30 days, for applications received before the law)."""
    own = mediation_deadline(rule, received_on, accepted_on, extension_days)
    law = rule_by_id(LAW_RULE)
    ends = [d for d in (own, deadline(law, received_on) if received_on >= law.in_force_from
                        else None) if d is not None]
    return None if not ends else date.fromordinal(min(ends).toordinal() + 1)


def is_overdue(deadline_on: date | None, concluded_on: date | None, on: date) -> bool:
    """Open on `on` (not concluded by then) and past its period's last day."""
    if deadline_on is None or (concluded_on is not None and concluded_on <= on):
        return False
    return on > deadline_on
