"""Who may do what: roles, the union bodies an actor works for, approval thresholds.

Beside the lifecycles because a move's rules read best in one place: the lifecycle says
*when* a move is allowed, this table says *who* may make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MEDIATOR, AID_OFFICER, SUPERVISOR, AUDITOR = "mediator", "aid_officer", "supervisor", "auditor"
ALL_BODIES = "*"

#: Who may change a kind of record is declared beside its lifecycle (each kind's `ROLES`);
#: a supervisor may change every kind, an auditor reads and reports and never changes.
EVERY_KIND = frozenset({SUPERVISOR})

#: Aid above these takes a supervisor's approval (yuan; one-off, and per month).
ONE_OFF_LIMIT = Decimal(2000)
MONTHLY_LIMIT = Decimal(300)


@dataclass(frozen=True)
class Actor:
    """Someone who works on cases: an id, a role, the union bodies they work for."""

    id: str
    role: str
    orgs: tuple[str, ...] = (ALL_BODIES,)

    def works_for(self, org: str) -> bool:
        return ALL_BODIES in self.orgs or org in self.orgs


def refusal(
    actor: Actor, roles: frozenset[str], kind: str, move: str, org: str, *,
    one_off: Decimal | None = None, monthly: Decimal | None = None,
    one_off_limit: Decimal = ONE_OFF_LIMIT, monthly_limit: Decimal = MONTHLY_LIMIT,
) -> str | None:
    """Why `actor` may not make `move` on a `kind` record of `org`, or None if they may."""
    if actor.role not in roles | EVERY_KIND:
        return f"{actor.id} ({actor.role}) may not {move} a {kind} record"
    if not actor.works_for(org):
        return f"{actor.id} works for {', '.join(actor.orgs)}, not {org}"
    if actor.role != SUPERVISOR:
        if one_off is not None and one_off > one_off_limit:
            return (f"one-off aid of {one_off} yuan is above {one_off_limit}: "
                    "a supervisor must approve it")
        if monthly is not None and monthly > monthly_limit:
            return (f"a subsidy of {monthly} yuan a month is above {monthly_limit}: "
                    "a supervisor must approve it")
    return None
