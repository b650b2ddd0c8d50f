"""The hardship register (特困職工檔案): enrol, review yearly, exit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import create_model

from casework.access import ActorLike
from casework.cases import corrections
from casework.clock import When
from casework.errors import AlreadyExists, ConcurrentUpdate, InvalidInput
from casework.service import Service
from casework.statistics.projection import CaseSummaries
from casework.views import WorkerView, steps
from domain.imports import ImportMark
from domain.kind import Form, facts
from domain.register import RegisteredWorker
from domain.values import (
    Code,
    ExitReason,
    HardshipReason,
    LongText,
    Reason,
    RegisterId,
    Text,
    Value,
    check,
)
from workflows.aid import ROLES

#: What an enrolment records, as a correction validates it.
ENROLMENT = Form("enrol", "Put a worker on the register.", create_model(
    "Enrolment", __base__=Value, name=(Text | None, None), id_number=(Text | None, None),
    reason=(HardshipReason, ...)))


class Register(Service):
    roles = ROLES

    def __init__(self, *deps: Any, summaries: CaseSummaries) -> None:
        super().__init__(*deps)
        self.summaries = summaries  # the register's list: its entries, by id

    def enrol(
        self, worker: RegisterId, *, reason: HardshipReason, name: str | None = None,
        id_number: str | None = None, org: str | None = None, at: When = None,
        actor: ActorLike, source: str | None = None,
    ) -> str:
        """Put a worker on the register (or back on it after an exit). `source`: where an
        import read the entry; the same source is never enrolled twice."""
        v = check(worker=(Code, worker), reason=(HardshipReason, reason),
                  name=(Text | None, name), id_number=(Text | None, id_number),
                  org=(Code, org or self.org), source=(Text | None, source))
        when = self.clock.when(at)
        acting = self.access.who(actor)
        if self.log.exists(RegisteredWorker, v["worker"]):
            entry = self.log.load(RegisteredWorker, v["worker"])
            # the entry's own body decides who may touch it, whatever body the caller names
            who = self._may(acting, "worker", "enrol", when, (entry.key, entry.org))
            if entry.active:
                raise AlreadyExists("register entry", v["worker"])
            if org is not None and v["org"] != entry.org:
                raise InvalidInput({"org": f"{entry.key} is on {entry.org}'s register, "
                                           f"not {v['org']}'s"})
            entry.reenrol(reason=v["reason"], at=when, actor=who)
        else:
            who = self._may(acting, "worker", "enrol", when, (v["worker"], v["org"]))
            entry = RegisteredWorker(worker=v["worker"], org=v["org"], name=v["name"],
                                     id_number=v["id_number"], reason=v["reason"], at=when,
                                     actor=who)
        if v["source"] is None:
            self.log.record(entry)
            return entry.key
        mark = ImportMark.key_for(RegisteredWorker.kind, v["source"])
        entry.imported(source=v["source"], at=when, actor=who)
        try:
            self.log.record(entry, ImportMark(key=mark, org=entry.org, record=entry.key,
                                              at=when, actor=who))
        except ConcurrentUpdate:
            if self.log.exists(ImportMark, mark):
                raise AlreadyExists("register entry imported from", v["source"]) from None
            raise
        return entry.key

    def list(self, *, org: str | None = None, actor: ActorLike | None = None
             ) -> list[WorkerView]:
        """The register's entries, by register id, each as `get` shows it (without its
        history); with an actors directory, of the reader's own bodies only."""
        v = check(org=(Code | None, org))
        now = self.clock.now()
        reader = self.access.reader(actor, "register", now)
        if v["org"] is not None:
            self.access.check_read(reader, "register", v["org"], now)
        covered = None if reader is None else self.access.covered(reader)
        self.summaries.catch_up()
        rows = self.summaries.tables.select("workers", "ORDER BY worker")
        return [self.get(r.worker, actor=actor).model_copy(update={"history": ()})
                for r in rows if (v["org"] is None or r.org == v["org"])
                and (covered is None or r.org in covered)]

    def review(self, worker: RegisterId, *, reason: HardshipReason, note: str = "",
               at: When = None, actor: str) -> None:
        """The yearly re-verification: still in hardship, perhaps for another reason."""
        v = check(reason=(HardshipReason, reason), note=(LongText, note))
        self._change(RegisteredWorker, worker, at, actor, "review",
                     lambda e, when, who: e.review(reason=v["reason"], note=v["note"],
                                                   at=when, actor=who), name="worker")

    def exit(self, worker: RegisterId, *, reason: ExitReason, at: When = None,
             actor: str) -> None:
        """Take a worker off the register."""
        why = check(reason=(ExitReason, reason))["reason"]
        self._change(RegisteredWorker, worker, at, actor, "exit",
                     lambda e, when, who: e.exit(reason=why, at=when, actor=who),
                     name="worker")

    def correct(self, worker: RegisterId, *, reason: str, at: When = None,
                actor: ActorLike, name: str | None = None, id_number: str | None = None,
                enrol_reason: HardshipReason | None = None) -> None:
        """Set right what an enrolment recorded wrongly (its name, ID number, hardship
        reason as `enrol_reason`), saying why; the entry's history shows old and new."""
        why = check(reason=(Reason, reason))["reason"]
        given = {k: v for k, v in (("name", name), ("id_number", id_number),
                                   ("enrol_reason", enrol_reason)) if v is not None}

        def change(e: RegisteredWorker, when: datetime, who: str) -> None:
            e.correct(reason=why, changes=corrections(e, facts(ENROLMENT, {}, ()), given),
                      at=when, actor=who)

        self._change(RegisteredWorker, worker, at, actor, "correct", change, name="worker")

    def get(self, worker: RegisterId, *, actor: ActorLike | None = None) -> WorkerView:
        """One register entry, with its history (its name only for roles that need it)."""
        e, reader = self._read(RegisteredWorker, worker, actor, "worker")
        name = e.name if reader is None or reader.sees_personal else None
        return WorkerView(
            worker=e.key, org=e.org, name=name, reason=e.reason, active=e.active,
            enrolled_at=e.enrolled_at, exited_at=e.exited_at, exit_reason=e.exit_reason,
            campaigns=tuple(e.campaigns), history=steps(e.history, e.notes),
            source=getattr(e, "source", None),
        )
