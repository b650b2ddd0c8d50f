"""Union bodies: registered once, with their kind and their place in the union hierarchy.

The kind decides which mediation rule a dispute received there follows; the parent makes
the hierarchy (enterprise → sub-district → district/county → city) that returns roll up
(`descendants`). A body that was never registered is a street centre with no parent, so
stores written before bodies existed keep working.
"""

from __future__ import annotations

import builtins
from datetime import datetime

from casework.access import ActorLike
from casework.clock import When
from casework.errors import AlreadyExists, CaseNotFound, InvalidInput
from casework.log import CaseLog
from casework.service import Service
from casework.statistics.fold import BodyRow
from casework.statistics.projection import CaseSummaries
from casework.views import View
from domain.bodies import Body
from domain.values import BodyKind, Code, Text, check
from workflows.procedure import DEFAULT_BODY_KIND


class BodyView(View):
    code: str
    name: str
    kind: str
    parent: str | None
    registered_at: datetime


def body_kind(log: CaseLog, org: str) -> str:
    """The kind of union body `org` is; a body never registered is a street centre."""
    try:
        return log.load(Body, org).body_kind
    except CaseNotFound:
        return DEFAULT_BODY_KIND


class Bodies(Service):
    """Register union bodies; read one, all, or those below one."""

    roles: frozenset[str] = frozenset()  # a supervisor's

    def __init__(self, *deps: object, summaries: CaseSummaries) -> None:
        super().__init__(*deps)  # type: ignore[arg-type]
        self.summaries = summaries

    def register(self, code: str, *, name: str, kind: BodyKind, parent: str | None = None,
                 at: When = None, actor: str) -> str:
        """Register a union body: its kind (which mediation rule applies to the disputes it
        receives) and the body above it."""
        v = check(code=(Code, code), name=(Text, name), kind=(BodyKind, kind),
                  parent=(Code | None, parent))
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), "body", "register", when,
                        (v["code"], v["parent"] or v["code"]))
        if self.log.exists(Body, v["code"]):
            raise AlreadyExists("body", v["code"])
        if v["parent"] is not None:
            self._no_cycle(v["code"], v["parent"])
        self.log.record(Body(code=v["code"], name=v["name"], body_kind=v["kind"],
                             parent=v["parent"], at=when, actor=who))
        return str(v["code"])

    def _no_cycle(self, code: str, parent: str) -> None:
        """The parent must be registered, and `code` must not be above it already."""
        seen, at = {code}, parent
        at_: str | None = parent
        while at_ is not None:
            at = at_
            if at in seen:
                raise InvalidInput({"parent": f"{parent} is below {code}: a body cannot be "
                                              "its own ancestor"})
            seen.add(at)
            try:
                at_ = self.log.load(Body, at).parent
            except CaseNotFound:
                raise InvalidInput({"parent": f"no body {at!r} is registered: register "
                                              "the body above first"}) from None

    def get(self, code: str, *, actor: ActorLike | None = None) -> BodyView:
        """One registered body: its kind and parent (the registry is no one's personal
        data: any known reader sees it)."""
        self.access.reader(actor, "bodies", self.clock.now())
        b = self.log.load(Body, self._key("code", code))
        return BodyView(code=b.code, name=b.name, kind=b.body_kind, parent=b.parent,
                        registered_at=b.registered_at)

    def list(self) -> list[BodyView]:
        """Every registered body, by code."""
        return [self._view(r) for r in self.summaries.bodies()]

    def descendants(self, code: str) -> builtins.list[BodyView]:
        """The bodies below `code`, at any depth, nearest first (each level by code)."""
        key = self._key("code", code)
        rows = self.summaries.bodies()
        below: list[BodyView] = []
        level = [key]
        while level:
            children = [r for r in rows if r.parent in level]
            below += [self._view(r) for r in children]
            level = [r.code for r in children]
        return below

    @staticmethod
    def _view(r: BodyRow) -> BodyView:
        return BodyView(code=r.code, name=r.name, kind=r.kind, parent=r.parent,
                        registered_at=datetime.fromisoformat(r.registered_at))

    def kind_of(self, org: str) -> str:
        """The kind of `org` (a street centre if it was never registered)."""
        return body_kind(self.log, self._key("org", org))
