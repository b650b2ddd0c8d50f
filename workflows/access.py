"""Who may do what: roles, the union bodies an actor works for, approval thresholds.

Beside the lifecycles because a move's rules read best in one place: the lifecycle says
*when* a move is allowed, this table says *who* may make it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

MEDIATOR, AID_OFFICER, SUPERVISOR, AUDITOR = "mediator", "aid_officer", "supervisor", "auditor"
ALL_BODIES = "*"

#: Who may change a kind of record is declared beside its lifecycle (each kind's `ROLES`);
#: a supervisor may change every kind, an auditor reads and reports and never changes.
EVERY_KIND = frozenset({SUPERVISOR})

#: Money to one worker above these takes a supervisor (yuan). Each counts what the worker
#: already has from the same body, so a big payment cannot be split into small ones:
#: one-off relief within a rolling 12 months, the monthly subsidies running at once, and
#: condolence campaign payments within a rolling 12 months.
ONE_OFF_LIMIT = Decimal(2000)
MONTHLY_LIMIT = Decimal(300)
CAMPAIGN_LIMIT = Decimal(1000)
LIMITS = {"one_off": ONE_OFF_LIMIT, "monthly": MONTHLY_LIMIT, "campaign": CAMPAIGN_LIMIT}
WINDOW_DAYS = 365
_MEANING = {
    "one_off": "one-off aid to one worker within 12 months",
    "monthly": "a worker's monthly subsidies together",
    "campaign": "campaign payments to one worker within 12 months",
}


@dataclass(frozen=True)
class Actor:
    """Someone who works on cases: an id, a role, the union bodies they work for."""

    id: str
    role: str
    orgs: tuple[str, ...] = (ALL_BODIES,)

    def works_for(self, org: str) -> bool:
        return ALL_BODIES in self.orgs or org in self.orgs

    @property
    def sees_personal(self) -> bool:
        """Personal data (petitioners, contacts, ID numbers, names) is for the roles that
        work with the people; an auditor checks figures and case facts without it."""
        return self.role != AUDITOR


def refusal(
    actor: Actor, roles: frozenset[str], kind: str, move: str, org: str, *,
    amounts: Mapping[str, Decimal | None] | None = None,
    limits: Mapping[str, Decimal] = LIMITS,
) -> str | None:
    """Why `actor` may not make `move` on a `kind` record of `org`, or None if they may.
    `amounts` are what the worker would then have, counted as `LIMITS` says."""
    if actor.role not in roles | EVERY_KIND:
        return f"{actor.id} ({actor.role}) may not {move} a {kind} record"
    if not actor.works_for(org):
        return f"{actor.id} works for {', '.join(actor.orgs)}, not {org}"
    if actor.role != SUPERVISOR:
        for name, amount in (amounts or {}).items():
            if amount is not None and amount > limits[name]:
                return (f"{_MEANING[name]} would come to {amount} yuan, above {limits[name]}: "
                        "a supervisor must approve it")
    return None


def unreadable(actor: Actor, org: str) -> str | None:
    """Why `actor` may not see the records of `org`, or None if they may."""
    if not actor.works_for(org):
        return f"{actor.id} works for {', '.join(actor.orgs)}, not {org}"
    return None
