"""Read-only views of records: what `get` and `list` return, and what `--json` prints.

A case's view is its aggregate's state, as the events left it: its fields are declared
once, by the kind's events, not again here. Kinds add what is derived (a dispute's clock).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer, model_serializer

from domain.case import Case
from workflows import disputes as dispute
from workflows.procedure import DEFAULT_BODY_KIND, review_due


def plain(value: Any) -> Any:
    """A stored value's plain form: the ISO string of a datetime, the str of a Decimal (the
    JSON transcoder writes them as {"_type_": ..., "_data_": text})."""
    return value["_data_"] if type(value) is dict else value


def _json(value: Any, top: bool = True) -> Any:
    """A value as --json prints it: a view's money with two decimals (money inside a
    decision, as it was decided), times in ISO form."""
    if isinstance(value, Decimal):
        return f"{value:.2f}" if top else str(value)
    if isinstance(value, date):  # and datetime, in UTC as pydantic writes it
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _json(v, False) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v, False) for v in value]
    return value


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    @field_serializer("*", when_used="json")
    def _money(self, value: Any) -> Any:
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class Step(View):
    type: str
    at: datetime
    actor: str


#: Aggregate state that is the library's or the history's, not a fact of the case.
_NOT_FACTS = frozenset({"key", "last_at", "history", "state", "org"})


class Facts(View):
    """A view whose fields beyond its own are the facts its record holds, as attributes
    (``view.employer``); --json prints them as it prints the declared ones."""

    model_config = ConfigDict(frozen=True, extra="allow")

    @model_serializer(mode="plain", when_used="json")
    def _as_json(self) -> dict[str, Any]:
        return {name: _json(value) for name, value in self}


class CaseView(Facts):
    """A case: its number, body, state, the moves allowed now, its history, and every fact
    its events recorded."""

    number: str
    org: str
    state: str
    received_at: datetime
    allowed: tuple[str, ...]
    history: tuple[Step, ...]

    @classmethod
    def of(cls, case: Case, local: Callable[[datetime], date], **context: Any) -> CaseView:
        """The view of `case`; `context`: what the application knows besides the record
        (a dispute's body kind), for the derived facts."""
        facts = {k: tuple(v) if isinstance(v, list) else v for k, v in vars(case).items()
                 if not k.startswith("_") and k not in _NOT_FACTS}  # a view does not change
        return cls(number=case.number, org=case.org, state=case.state,
                   allowed=case.lifecycle.allowed(case.state), history=steps(case.history),
                   **{**facts, **cls.derived(case, local, **context)})

    @classmethod
    def derived(cls, case: Any, local: Callable[[datetime], date],
                **context: Any) -> dict[str, Any]:
        """Facts derived for the view from the record, besides those it holds."""
        return {}


class DisputeView(CaseView):
    @classmethod
    def derived(cls, case: Any, local: Callable[[datetime], date],
                **context: Any) -> dict[str, Any]:
        """The local days the clock started and stopped; the rule in force (recorded, or for
        a case stored before rules were recorded, its body's kind's on the day received);
        the last days it sets; whether the dispute is collective."""
        received = local(case.received_at)
        accepted = local(case.accepted_at) if case.accepted_at else None
        rule = dispute.case_rule(case.rule, context.get("body_kind") or DEFAULT_BODY_KIND,
                                 received)
        agreement = dict(case.agreement) if case.agreement else None
        resolved = next((at for what, at, _ in case.history if what == "resolve"), None)
        if agreement is not None and agreement.get("signed_on") is None and resolved:
            agreement["signed_on"] = local(resolved)  # signed the day it was recorded
        signed = agreement.get("signed_on") if agreement else None
        return {
            "accepted_on": accepted,
            "concluded_on": local(case.concluded_at) if case.concluded_at else None,
            "closed_on": _closed_on(case, local),
            "rule": None if rule is None else rule.id,
            "rule_citation": None if rule is None else rule.citation,
            "deadline": dispute.mediation_deadline(rule, received, accepted,
                                                   case.extension_days),
            "acceptance_due": dispute.acceptance_deadline(rule, received),
            "review_due": review_due(rule, signed) if rule and signed else None,
            "agreement": agreement,
            "collective": dispute.is_collective(case.workers, case.common_claim),
        }

    @property
    def mediation_deadline(self) -> date | None:
        """The last day of the mediation period (`deadline`; the name earlier callers used)."""
        last: date | None = getattr(self, "deadline", None)
        return last

    def is_overdue(self, on: date) -> bool:
        """Open on `on` and past its period's last day."""
        return dispute.is_overdue(getattr(self, "deadline", None),
                                  getattr(self, "closed_on", None), on)


def _closed_on(case: Any, local: Callable[[datetime], date]) -> date | None:
    """The day the case reached a state it is concluded in (answered, declined, resolved,
    terminated, …), from its history; None while it is open."""
    life, state = case.lifecycle, case.lifecycle.initial
    for what, at, _ in case.history[1:]:
        state = life.target(state, what) or state
        if state in life.final_states:
            return local(at)
    return None


#: Kinds whose view derives more than the record holds; the rest are plain CaseViews.
VIEWS: Mapping[str, type[CaseView]] = {"dispute": DisputeView}


class WorkerView(View):
    worker: str
    org: str
    name: str | None
    reason: str
    active: bool
    enrolled_at: datetime
    exited_at: datetime | None
    exit_reason: str | None
    campaigns: tuple[str, ...]
    history: tuple[Step, ...]


class FundView(View):
    code: str
    org: str
    name: str
    balance: Decimal
    contributed: Decimal
    disbursed: Decimal


class Movement(View):
    """A line of a fund's ledger: money in (+) or out (-) at its business time `at`,
    recorded at `recorded_at` by `actor`; `number` names it (to correct a contribution)."""

    number: int
    at: datetime
    purpose: str  # contribution, one_off, subsidy, campaign or correction
    amount: Decimal
    party: str  # where the money came from, whom it paid, or what a correction changed
    note: str  # why a correction was made
    actor: str
    recorded_at: datetime
    balance: Decimal  # the fund's, after this line


class CaseLine(Facts):
    """One case in a list: its number, state, and the kind's summary columns; no personal
    data (the summary names none)."""

    number: str
    kind: str
    org: str
    state: str
    received_at: datetime


def steps(history: list[tuple[str, datetime, str]]) -> tuple[Step, ...]:
    return tuple(Step(type=t, at=at, actor=who) for t, at, who in history)
