"""Actors and their permissions, from a file the CLI reads (or objects the caller passes).

Without a directory every non-empty actor id may do everything: the plain single-user use
(the demo, the quick start) needs no setup. With one, each command checks the actor's role,
their union bodies and the approval thresholds (workflows/access.py), and a refusal is
recorded in the refusal log — not in the case — before `PermissionDenied` is raised.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
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
from workflows.access import (
    ALL_BODIES,
    AUDITOR,
    LIMITS,
    SUPERVISOR,
    Actor,
    refusal,
    unreadable,
)

ActorLike = str | Actor

#: Every role some kind of record names, and the two that span them all.
ROLES = tuple(sorted({SUPERVISOR, AUDITOR, *aid.ROLES,
                      *(role for kind in KINDS.values() for role in kind.roles)}))

REFUSED = get_topic(RefusalLog.event_for("refused"))


class Directory:
    """Who is who: actor id → role and union bodies, and the approval thresholds."""

    def __init__(self, actors: Mapping[str, Actor], *,
                 limits: Mapping[str, Decimal] | None = None) -> None:
        self.actors = dict(actors)
        self.limits = {**LIMITS, **(limits or {})}

    @classmethod
    def load(cls, path: str | Path) -> Directory:
        """Read a TOML file::

            [thresholds]          # optional, yuan; what one worker may get without a
            one_off = 2000        # supervisor: one-offs within 12 months,
            monthly = 300         # subsidies a month,
            campaign = 1000       # campaign payments within 12 months

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
        limits: dict[str, Decimal] = {}
        for name, value in dict(data.get("thresholds", {})).items():
            try:
                limits[name] = Decimal(str(value))
            except InvalidOperation:
                problems[f"thresholds.{name}"] = "an amount in yuan"
            if name not in LIMITS:
                problems[f"thresholds.{name}"] = f"one of {', '.join(LIMITS)}"
        if problems:
            raise InvalidInput(problems)
        return cls(actors, limits=limits)

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
        #: The bodies below a body (the facade hands in the bodies registry's answer).
        self.below: Callable[[str], Sequence[str]] = lambda org: ()

    def who(self, actor: ActorLike) -> Actor:
        """The acting actor, by id: a role and bodies come from the directory only, so an
        `Actor` a caller made up counts for its id and nothing else."""
        ident = str(check(actor=(Code, actor.id if isinstance(actor, Actor) else actor))
                    ["actor"])
        if self.directory is None:
            return Actor(ident, SUPERVISOR)
        found = self.directory.actors.get(ident)
        if found is None:
            raise PermissionDenied(f"{ident} is not in the actors file")
        return found

    def reader(self, actor: ActorLike | None, what: str, at: datetime) -> Actor | None:
        """Who reads: None (everything) in single-user use; with a directory a reader must
        be named and known, else the read is refused and logged."""
        if actor is None:
            if self.directory is None:
                return None
            raise PermissionDenied(f"read {what}: say who reads (actor=…)")
        try:
            return self.who(actor)
        except PermissionDenied as e:
            unknown = Actor(str(actor.id if isinstance(actor, Actor) else actor), "unknown", ())
            self._log(unknown, "read", what, "", str(e), at)
            raise

    def covered(self, reader: Actor) -> frozenset[str] | None:
        """The bodies `reader` may read: their own and every body below them in the union's
        hierarchy (a county federation reads its sub-districts); None: every body."""
        if ALL_BODIES in reader.orgs:
            return None
        return frozenset({*reader.orgs, *(b for org in reader.orgs for b in self.below(org))})

    def check_read(self, reader: Actor | None, what: str, org: str, at: datetime) -> None:
        """Raise PermissionDenied (after logging it) if `reader` may not see `org`'s record."""
        if reader is None or self.directory is None:
            return
        covered = self.covered(reader)
        reason = None if covered is None or org in covered else unreadable(reader, org)
        if reason is not None:
            self._log(reader, "read", what, org, reason, at)
            raise PermissionDenied(f"read {what}: {reason}")

    def check(self, actor: Actor, roles: frozenset[str], kind: str, move: str, record: str,
              org: str, at: datetime, **amounts: Decimal | None) -> None:
        """Raise PermissionDenied (after logging it) if `actor` may not make this move."""
        if self.directory is None:
            return
        reason = refusal(actor, roles, kind, move, org, amounts=amounts,
                         limits=self.directory.limits)
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
        """Refused commands and reads of the viewer's bodies, oldest first; for supervisors
        and auditors."""
        who = self.who(viewer)
        if self.directory is not None and who.role not in (SUPERVISOR, AUDITOR):
            raise PermissionDenied(f"{who.id} ({who.role}) may not read the refusal log")
        read, out, after = self.log.payload_reader(), [], 0
        covered = self.covered(who) if self.directory is not None else None
        while True:
            with self.log.faults("cannot read the refusal log"):
                notes = self.log.recorder.select_notifications(
                    start=after, limit=1000, topics=[REFUSED], inclusive_of_start=False)
            for n in notes:
                p: dict[str, Any] = read(n.state)
                if (org is None or p["org"] == org) and (covered is None or p["org"] in covered):
                    out.append(Refusal(actor=p["actor"], role=p["role"], move=p["move"],
                                       record=p["record"], org=p["org"], reason=p["reason"],
                                       at=plain(p["at"])))
            if len(notes) < 1000:
                return out
            after = notes[-1].id
