"""A worker's labour dispute, from petition to agreement, termination or arbitration.

Each move is its event method, named as the lifecycle's trigger (workflows/disputes.py).
A move whose facts the lifecycle cannot judge has a check, `_check_<move>`, that
`Case.trigger_event` runs before the event exists: an extension the rule does not allow, a
termination for expiry before the period ran out, an application for arbitration before
the mediation ended, a second follow-up. The event bodies only record.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case, record_id
from domain.errors import InvalidInput
from domain.kind import Kind
from domain.values import (
    Claims,
    Commission,
    Consent,
    DueOn,
    EscalationTarget,
    ExtensionDays,
    Mediator,
    Note,
    NoticeOn,
    Parties,
    PayMethod,
    Performed,
    Petition,
    Reason,
    ReferredTo,
    Reply,
    Review,
    ReviewBody,
    Settled,
    SignedOn,
    Terminated,
)
from workflows.disputes import (
    DISPUTE,
    NOT_ON_A_PARTYS_BEHALF,
    ROLES,
    TERMINATED,
    arbitration_from,
    case_rule,
    mediation_deadline,
)
from workflows.procedure import (
    DEFAULT_BODY_KIND,
    MEDIATION_KINDS,
    NoMediationRule,
    Rule,
    acceptance_due,
    extension_refusal,
    rule_for,
)
from workflows.workdays import CalendarNotCovered


class LabourDispute(Case):
    kind = "dispute"
    lifecycle = DISPUTE

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        category: str
        workers: int
        amount: Decimal
        channel: str
        employer: str
        summary: str
        petitioner: str | None
        contact: str | None
        industry: str | None  # since Received v2; None on older cases
        origin: str | None  # since Received v3: the early warning it came from
        common_claim: bool | None  # since Received v4; None: not asked
        representatives: list[str] | None  # since Received v4
        rule: str | None  # since Received v4: the rule in force on the day of receipt
        accepted_at: datetime | None
        concluded_at: datetime | None
        mediator: str | None
        settled_amount: Decimal | None
        agreement: dict[str, Any] | None
        escalated_to: str | None
        reason: str | None
        reply: str | None
        referred_to: str | None
        notice_on: date | None
        extension_days: int | None
        termination: str | None
        arbitration_commission: str | None
        performed: str | None
        review: dict[str, Any] | None

    #: v2 added `industry`, v3 `origin`, v4 the rule, the collective facts and the moves of
    #: the mediation procedure (see Received); older snapshots read them as None.
    class_version = 4

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["industry"] = None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["origin"] = None

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        state.update(dict.fromkeys(NEW_IN_V4))

    @staticmethod
    def create_id(number: str, **_: Any) -> UUID:
        return record_id(LabourDispute.kind, number)

    @classmethod
    def worked_out(cls, body_kind: str, received_on: date) -> dict[str, Any]:
        """The rule version in force for the body's kind on the day of receipt, which the
        case keeps when a later version comes into force. Refused: a body that does not
        mediate, a day before any rule, an acceptance period in working days the official
        calendar does not cover."""
        try:
            rule = rule_for(body_kind, received_on)
        except NoMediationRule as e:
            raise InvalidInput({"at" if body_kind in MEDIATION_KINDS else "org": str(e)}) from None
        try:
            acceptance_due(rule, received_on)
        except CalendarNotCovered as e:
            raise InvalidInput({"at": f"{e} (the acceptance period of {rule.id} is counted "
                                      "in working days)"}) from None
        return {"rule": rule.id}

    class Received(Case.Created):
        """The petition as received: `domain.values.Petition`'s fields, as the library
        builds an event from a class's annotations (tests/test_kinds.py holds them equal).
        v2 added `industry`, v3 `origin`, v4 `common_claim`, `representatives` and `rule`
        (the rule version in force on the day of receipt); older events read them as None."""

        class_version = 4

        number: str
        org: str
        category: str
        workers: int
        amount: Decimal
        channel: str
        employer: str
        summary: str
        petitioner: str | None
        contact: str | None
        at: datetime
        actor: str
        industry: str | None = None
        origin: str | None = None
        common_claim: bool | None = None
        representatives: list[str] | None = None
        rule: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["industry"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["origin"] = None

        @staticmethod
        def upcast_v3_v4(state: dict[str, Any]) -> None:
            state.update(common_claim=None, representatives=None, rule=None)

    # Not keyword-only: eventsourcing 9.5 reads a keyword-only parameter as required even
    # with a default, and the later fields must stay optional for earlier callers.
    @event(Received)
    def __init__(
        self, number: str, org: str, category: str, workers: int, amount: Decimal,
        channel: str, employer: str, summary: str, petitioner: str | None,
        contact: str | None, at: datetime, actor: str, industry: str | None = None,
        origin: str | None = None, common_claim: bool | None = None,
        representatives: list[str] | None = None, rule: str | None = None,
    ) -> None:
        self._opened(
            number, org, at, actor, category=category, workers=workers, amount=amount,
            channel=channel, employer=employer, summary=summary, petitioner=petitioner,
            contact=contact, industry=industry, origin=origin, common_claim=common_claim,
            representatives=representatives, rule=rule, accepted_at=None,
            concluded_at=None, mediator=None, settled_amount=None, escalated_to=None,
            reason=None, **dict.fromkeys(NEW_IN_V4 - {"common_claim", "representatives",
                                                      "rule"}),
        )

    # -- intake: taken up for mediation, or not -------------------------------------------

    @event("Accepted")
    def accept(self, at: datetime, actor: str) -> None:
        """Accept a petition for mediation (受理); the enterprise committees' period starts."""
        self.accepted_at = at

    @event("Answered")
    def answer(self, reply: Reply, at: datetime, actor: str) -> None:
        """A consultation answered (咨询答复): advice given, no dispute taken up."""
        self.reply = reply

    @event("Referred")
    def refer(self, to: ReferredTo, at: datetime, actor: str,
              reason: Reason | None = None) -> None:
        """Send the petitioner to the body that handles the matter (转介)."""
        self.referred_to, self.reason = to, reason

    class Declined(Case.Event):
        """v2 added the day of the written notice; older refusals read it as None."""

        class_version = 2

        reason: str
        notice_on: date | None
        at: datetime
        actor: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["notice_on"] = None

    @event(Declined)
    def decline(self, reason: Reason, notice_on: NoticeOn, at: datetime, actor: str) -> None:
        """Refuse to accept it (不予受理), recording why and the day the written notice
        was given."""
        self.reason, self.notice_on = reason, notice_on

    def _check_decline(self, reason: str, notice_on: date, at: datetime, actor: str) -> None:
        self._notice_in_time(notice_on, at)

    # -- mediation ---------------------------------------------------------------------

    @event("MediationStarted")
    def start_mediation(self, mediator: Mediator, at: datetime, actor: str) -> None:
        """Start mediation with a mediator."""
        self.mediator = mediator

    @event("Extended")
    def extend(self, days: ExtensionDays, consent: Consent, at: datetime, actor: str,
               note: Note = "") -> None:
        """Extend the mediation period, where the rule allows it (延期, both parties
        agreeing; once, at most the rule's cap)."""
        self.extension_days = days

    def _check_extend(self, days: int, consent: bool, at: datetime, actor: str,
                      note: str = "") -> None:
        rule = self.procedure_rule()
        if rule is None:
            raise InvalidInput({"days": "no mediation rule applies to this case"})
        why = extension_refusal(rule, self.extension_days is not None, days, consent=consent)
        if why is not None:
            raise InvalidInput({"consent" if "both parties" in why else "days": why})
        last = self.deadline()
        if last is not None and self.local_date(at) > last:
            raise InvalidInput({"at": f"the period ended on {last.isoformat()}: an extension "
                                      "is agreed before it ends"})

    class Resolved(Case.Event):
        """The agreement (调解协议书). v2 added its parties, claims, terms and the day it
        was signed; older agreements read them as None (their amount is `settled_amount`)."""

        class_version = 2

        settled_amount: Decimal
        at: datetime
        actor: str
        parties: list[str] | None = None
        claims: str | None = None
        due_on: date | None = None
        method: str | None = None
        signed_on: date | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(parties=None, claims=None, due_on=None, method=None, signed_on=None)

    @event(Resolved)
    def resolve(self, settled_amount: Settled, at: datetime, actor: str,
                parties: Parties | None = None, claims: Claims | None = None,
                due_on: DueOn | None = None, method: PayMethod | None = None,
                signed_on: SignedOn | None = None) -> None:
        """Record the mediation agreement (调解协议书): the amount agreed, and its parties,
        claims, terms and the day it was signed (LDMAL art. 14)."""
        self.settled_amount = settled_amount
        self.agreement = {"parties": parties, "claims": claims, "amount": settled_amount,
                          "due_on": due_on, "method": method, "signed_on": signed_on}
        self.concluded_at = at

    def _check_resolve(self, settled_amount: Decimal, at: datetime, actor: str,
                       parties: list[str] | None = None, claims: str | None = None,
                       due_on: date | None = None, method: str | None = None,
                       signed_on: date | None = None) -> None:
        today = self.local_date(at)
        received = self.local_date(self.received_at)
        problems = {}
        if signed_on is not None and not received <= signed_on <= today:
            problems["signed_on"] = (f"an agreement is signed between the day the petition "
                                     f"was received ({received}) and the day it is recorded "
                                     f"({today})")
        if due_on is not None and due_on < (signed_on or today):
            problems["due_on"] = "the agreement cannot fall due before it was signed"
        if problems:
            raise InvalidInput(problems)

    @event("Terminated")
    def terminate(self, reason: Terminated, notice_on: NoticeOn, at: datetime,
                  actor: str) -> None:
        """End the mediation without agreement (终止调解): the period ran out, or a party
        will not go on; the written notice tells the parties they may apply for
        arbitration."""
        self.termination, self.notice_on = reason, notice_on
        self.concluded_at = at

    def _check_terminate(self, reason: str, notice_on: date, at: datetime,
                         actor: str) -> None:
        self._notice_in_time(notice_on, at)
        last = self.deadline()
        if reason == "expired" and (last is None or self.local_date(at) <= last):
            until = "has not started" if last is None else f"runs until {last.isoformat()}"
            raise InvalidInput({"reason": f"not expired: the mediation period {until}"})

    @event("ArbitrationApplied")
    def arbitration_applied(self, commission: Commission, at: datetime, actor: str) -> None:
        """Record the party's own application for arbitration (申请仲裁), made after the
        mediation was terminated or its period ran out; the centre does not apply on a
        party's behalf."""
        self.arbitration_commission = commission
        if self.accepted_at is not None and self.concluded_at is None:
            self.concluded_at = at

    def _check_arbitration_applied(self, commission: str, at: datetime, actor: str) -> None:
        if self.state == TERMINATED:
            return
        rule = self.procedure_rule()
        received = self.local_date(self.received_at)
        accepted = None if self.accepted_at is None else self.local_date(self.accepted_at)
        first = arbitration_from(rule, received, accepted, self.extension_days)
        if first is None or self.local_date(at) < first:
            when = "" if first is None else f" (from {first.isoformat()})"
            raise InvalidInput({"at": "a party applies for arbitration once the mediation "
                                      "was terminated or its period ran out (LDMAL art. 14)"
                                      + when})

    # -- after an agreement ------------------------------------------------------------

    @event("FollowedUp")
    def follow_up(self, performed: Performed, at: datetime, actor: str,
                  note: Note = "") -> None:
        """Record the follow-up of the agreement's performance (履行回访)."""
        self.performed = performed

    def _check_follow_up(self, performed: str, at: datetime, actor: str,
                         note: str = "") -> None:
        if self.performed is not None:
            raise InvalidInput({"performed": f"{self.key} was followed up already "
                                             f"({self.performed})"})

    @event("ReviewApplied")
    def review_applied(self, review: Review, to: ReviewBody, at: datetime,
                       actor: str) -> None:
        """Record the parties' joint application to have the agreement confirmed: by an
        arbitration commission (仲裁审查确认) or a court (司法确认)."""
        self.review = {"kind": review, "to": to}

    def _check_review_applied(self, review: str, to: str, at: datetime, actor: str) -> None:
        if self.review is not None:
            raise InvalidInput({"review": f"{self.key}'s agreement was sent for "
                                          f"{self.review['kind']} already"})

    # -- leaving ---------------------------------------------------------------------

    @event("Escalated")
    def escalate(self, to: EscalationTarget, at: datetime, actor: str,
                 reason: Reason | None = None) -> None:
        """Hand the case to labour inspection or a higher union (移送). Arbitration and
        the courts are the party's own application (`arbitration-applied`)."""
        self.escalated_to, self.reason = to, reason or ""
        if self.accepted_at is not None:
            self.concluded_at = at

    def _check_escalate(self, to: str, at: datetime, actor: str,
                        reason: str | None = None) -> None:
        if to in NOT_ON_A_PARTYS_BEHALF:
            raise InvalidInput({"to": f"the centre does not apply for {to} on a party's "
                                      "behalf: the party applies, and the mediator records "
                                      "it with arbitration-applied"})

    @event("Withdrawn")
    def withdraw(self, reason: Reason, at: datetime, actor: str) -> None:
        """The petitioner withdraws."""
        self.reason = reason
        if self.accepted_at is not None:
            self.concluded_at = at

    @event("Reopened")
    def reopen(self, reason: Reason, at: datetime, actor: str) -> None:
        """Take a concluded mediation back up (恢复调解): the agreement was not performed,
        or the parties ask to mediate again. Its first conclusion stays in the record and
        in the period it was counted in."""
        self.reason, self.concluded_at = reason, None

    # -- what the checks read ----------------------------------------------------------

    def procedure_rule(self) -> Rule | None:
        """The rule the case records, or — stored before rules were recorded — the one in
        force for its body's kind on the day it was received."""
        kind = self.body_kind() or DEFAULT_BODY_KIND
        return case_rule(self.rule, kind, self.local_date(self.received_at))

    def deadline(self) -> date | None:
        """The last day of the mediation period with any extension (None: not started)."""
        accepted = None if self.accepted_at is None else self.local_date(self.accepted_at)
        return mediation_deadline(self.procedure_rule(), self.local_date(self.received_at),
                                  accepted, self.extension_days)

    def _notice_in_time(self, notice_on: date, at: datetime) -> None:
        received, today = self.local_date(self.received_at), self.local_date(at)
        if not received <= notice_on <= today:
            raise InvalidInput({"notice_on": f"a written notice is given between the day "
                                             f"the petition was received ({received}) and "
                                             f"the day it is recorded ({today})"})


#: Facts a v4 case holds that older snapshots do not (their upcaster sets them to None).
NEW_IN_V4 = frozenset({
    "common_claim", "representatives", "rule", "agreement", "reply", "referred_to",
    "notice_on", "extension_days", "termination", "arbitration_commission", "performed",
    "review",
})

DISPUTES = Kind(
    name="dispute", plural="disputes", aggregate=LabourDispute, prefix="LD", intake=Petition,
    roles=ROLES, help="Labour-dispute cases.",
    summary={
        "receive": {c: c for c in ("channel", "category", "employer", "workers", "amount",
                                   "common_claim", "rule")},
        "start_mediation": {"mediator": "mediator"},
        "extend": {"extension_days": "days"},
        "resolve": {"settled": "settled_amount"},
        "terminate": {"termination": "reason"},
        "follow_up": {"performed": "performed"},
        "escalate": {"escalated_to": "to"},
    },
    commands={"start_mediation": "mediate"},
)
