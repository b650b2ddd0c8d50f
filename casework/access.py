"""Actors and their permissions, from a file the CLI reads (or objects the caller passes).

Without a directory every non-empty actor id may do everything: the plain single-user use
(the demo, the quick start) needs no setup. With one, each command checks the actor's role,
their union bodies and the approval thresholds (workflows/access.py), and a refusal is
recorded in the refusal log — not in the case — before `PermissionDenied` is raised.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from casework.errors import CaseNotFound, InvalidInput, PermissionDenied
from casework.log import CaseLog
from casework.views import View, plain
from domain import KINDS
from domain.access import RefusalLog
from domain.values import Code, check
from workflows import aid
from workflows.access import AUDITOR, MONTHLY_LIMIT, ONE_OFF_LIMIT, SUPERVISOR, Actor, refusal

ActorLike = str | Actor

#: Every role some kind of record names, and the two that span them all.
ROLES = tuple(sorted({SUPERVISOR, AUDITOR, *aid.ROLES,
                      *(role for kind in KINDS.values() for role in kind.roles)}))

REFUSED = get_topic(RefusalLog.event_for("refused"))


class Directory:
    """Who is who: actor id → role and union bodies, and the approval thresholds."""

    def __init__(self, actors: Mapping[str, Actor], *, one_off_limit: Decimal = ONE_OFF_LIMIT,
                 monthly_limit: Decimal = MONTHLY_LIMIT) -> None:
        self.actors = dict(actors)
        self.one_off_limit, self.monthly_limit = one_off_limit, monthly_limit

    @classmethod
    def load(cls, path: str | Path) -> Directory:
        """Read a TOML file::

            [thresholds]          # optional, yuan
            one_off = 2000
            monthly = 300

            [actors.m-01]
            role = "mediator"     # one of ROLES: mediator, aid_officer, warning_officer, …
            orgs = ["subdistrict"]   # or ["*"] for every body
        """
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise InvalidInput({"actors": f"cannot read {path}: {e}"}) from None
        actors: dict[str, Actor] = {}
        problems: dict[str, str] = {}
        for ident, entry in dict(data.get("actors", {})).items():
            role, orgs = entry.get("role"), entry.get("orgs", ["*"])
            if role not in ROLES:
                problems[f"actors.{ident}.role"] = f"one of {', '.join(ROLES)}"
            elif not (isinstance(orgs, list) and orgs and all(isinstance(o, str) for o in orgs)):
                problems[f"actors.{ident}.orgs"] = "a non-empty list of union bodies"
            else:
                actors[ident] = Actor(ident, role, tuple(orgs))
        limits = dict(data.get("thresholds", {}))
        try:
            one_off = Decimal(str(limits.get("one_off", ONE_OFF_LIMIT)))
            monthly = Decimal(str(limits.get("monthly", MONTHLY_LIMIT)))
        except InvalidOperation:
            problems["thresholds"] = "amounts in yuan"
            one_off, monthly = ONE_OFF_LIMIT, MONTHLY_LIMIT
        if problems:
            raise InvalidInput(problems)
        return cls(actors, one_off_limit=one_off, monthly_limit=monthly)

    @classmethod
    def from_env(cls) -> Directory | None:
        """$CASEWORK_ACTORS names the file; none set, none used."""
        path = os.environ.get("CASEWORK_ACTORS")
        return cls.load(path) if path else None


class Refusal(View):
    actor: str
    role: str
    move: str
    record: str
    org: str
    reason: str
    at: datetime


class Access:
    """Resolves the acting actor and checks each command against the policy."""

    def __init__(self, log: CaseLog, directory: Directory | None) -> None:
        self.log, self.directory = log, directory

    def who(self, actor: ActorLike) -> Actor:
        if isinstance(actor, Actor):
            check(actor=(Code, actor.id))
            return actor
        ident = str(check(actor=(Code, actor))["actor"])
        if self.directory is None:
            return Actor(ident, SUPERVISOR)
        found = self.directory.actors.get(ident)
        if found is None:
            raise PermissionDenied(f"{ident} is not in the actors file")
        return found

    def check(self, actor: Actor, roles: frozenset[str], kind: str, move: str, record: str,
              org: str, at: datetime, **amounts: Decimal | None) -> None:
        """Raise PermissionDenied (after logging it) if `actor` may not make this move."""
        if self.directory is None:
            return
        reason = refusal(actor, roles, kind, move, org, one_off=amounts.get("one_off"),
                         monthly=amounts.get("monthly"),
                         one_off_limit=self.directory.one_off_limit,
                         monthly_limit=self.directory.monthly_limit)
        if reason is not None:
            self._log(actor, move, record, org, reason, at)
            raise PermissionDenied(f"{move} {record}: {reason}")

    def _log(self, actor: Actor, move: str, record: str, org: str, reason: str,
             at: datetime) -> None:
        for _ in range(5):  # the same actor refused in two processes at once: try again
            try:
                try:
                    trail = self.log.load(RefusalLog, actor.id)
                except CaseNotFound:
                    trail = RefusalLog(actor=actor.id, at=at)
                trail.refused(actor=actor.id, role=actor.role, move=move, record=record,
                              org=org, reason=reason, at=at)
                self.log.save(trail)
                return
            except IntegrityError:
                continue

    def refusals(self, viewer: ActorLike, org: str | None = None) -> list[Refusal]:
        """Refused commands, oldest first; for supervisors and auditors."""
        who = self.who(viewer)
        if self.directory is not None and who.role not in (SUPERVISOR, AUDITOR):
            raise PermissionDenied(f"{who.id} ({who.role}) may not read the refusal log")
        read, out, after = self.log.payload_reader(), [], 0
        while True:
            notes = self.log.recorder.select_notifications(
                start=after, limit=1000, topics=[REFUSED], inclusive_of_start=False)
            for n in notes:
                p: dict[str, Any] = read(n.state)
                if org is None or p["org"] == org:
                    out.append(Refusal(actor=p["actor"], role=p["role"], move=p["move"],
                                       record=p["record"], org=p["org"], reason=p["reason"],
                                       at=plain(p["at"])))
            if len(notes) < 1000:
                return out
            after = notes[-1].id
