"""A kind of case's commands, derived from its declaration: opening a case, and each move.

There is no hand-written method per move: `cw.disputes.decline(case, reason=…)` is the
`decline` move of the `disputes` kind, validated by the form its event method declares,
checked against the lifecycle and the access policy, and saved. Moves that do more than
record (aid's payments) are written out in the kind's own service, which subclasses this.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from casework.access import ActorLike
from casework.bodies import body_kind
from casework.clock import When
from casework.errors import (
    AlreadyExists,
    CaseworkError,
    ConcurrentUpdate,
    InvalidInput,
    PermissionDenied,
)
from casework.service import Numbers, Service
from domain.case import Case, Record
from domain.imports import ImportMark
from domain.kind import CORRECTION_PARAMS, NOT_CORRECTABLE, Fact, Form, Kind
from domain.values import Code, Reason, Text, Value, check, validated
from workflows.access import Actor, refusal


class CaseCommands(Service):
    def __init__(self, kind: Kind, *deps: Any, numbers: Numbers,
                 kinds: Mapping[str, CaseCommands]) -> None:
        super().__init__(*deps)
        self.kind, self.numbers, self.kinds = kind, numbers, kinds
        self.roles = kind.roles

    def open(self, *, org: str | None = None, at: When = None, actor: ActorLike,
             source: str | None = None, **fields: Any) -> str:
        """Open a case from its intake form; returns its new number (LD-YYYY-NNNN).
        `source`: where an import read it (a file's row, or the file's own id); a second
        case from the same source is refused with AlreadyExists, even at the same moment."""
        intake = validated(self.kind.intake, org=org or self.org, **fields)
        ref = None if source is None else str(check(source=(Text, source))["source"])
        when = self.clock.when(at)
        who = self._may(self.access.who(actor), self.kind.name, self.kind.opening.name, when,
                        (f"a new {self.kind.name}", intake.org))  # type: ignore[attr-defined]
        return self._open(intake, when, who, source=ref)

    def _open(self, intake: Value, when: datetime, who: str,
              also: Callable[[str], Sequence[Record]] = lambda _: (),
              source: str | None = None) -> str:
        aggregate: Any = self.kind.aggregate  # its opening takes the intake's own fields
        day = self.clock.local_date(when)
        given = dict(intake)
        facts = self._facts(given, day)

        def records(number: str) -> list[Record]:
            case = aggregate(number=number, **facts, at=when, actor=who)
            marks = []
            if source is not None:  # the mark, saved with the case, makes the source unique
                case.imported(source=source, at=when, actor=who)
                marks.append(ImportMark(key=ImportMark.key_for(self.kind.name, source),
                                        org=given["org"], record=number, at=when, actor=who))
            return [case, *marks, *also(number)]

        try:
            return self.numbers.create(self.kind.prefix, aggregate, day.year, records)
        except ConcurrentUpdate:
            if source is not None and self.log.exists(
                    ImportMark, ImportMark.key_for(self.kind.name, source)):
                raise AlreadyExists(f"{self.kind.name} imported from", source) from None
            raise

    def _facts(self, given: dict[str, Any], day: date) -> dict[str, Any]:
        """The opening's facts: the intake's, and what the kind works out from the body and
        the day of receipt (a dispute's rule in force)."""
        worked = self.kind.aggregate.worked_out(body_kind(self.log, given["org"]), day)
        return {**given, **worked}

    def _inform(self, case: Case) -> None:
        """Tell the case what its moves' checks need and it does not keep (`Case.given`)."""
        case.given(zone=self.clock.tz, body_kind=lambda org: body_kind(self.log, org))

    def rehearse(self, intake: Mapping[str, Any], moves: Sequence[tuple[str, When,
                                                                    Mapping[str, Any]]],
                 *, org: str | None = None, at: When, actor: ActorLike, name: str = "",
                 ) -> tuple[str, CaseworkError] | None:
        """Open a case and make `moves` (move, at, fields) on it in memory, storing nothing:
        the first step refused and why (the opening is the kind's opening), or None. Refused
        as the commands would refuse it — a form's field, who may make the move, a move the
        lifecycle forbids then, a day out of order, the kind's own checks — so that a file
        of last year's cases is checked whole before any of it is stored (`name`: what the
        refusals call the case). What a step checks against other records (a fund's balance)
        is checked when it is made."""
        step = self.kind.opening.name
        try:
            acting = self.access.who(actor)
            opened = validated(self.kind.intake, org=org or self.org, **intake)
            when = self.clock.when(at)
            given = dict(opened)
            self._allowed(acting, step, given["org"])
            aggregate: Any = self.kind.aggregate
            facts = self._facts(given, self.clock.local_date(when))
            case = aggregate(number=name or f"{self.kind.prefix}-0000-0000", **facts, at=when,
                             actor=acting.id)
            self._inform(case)
            for step, at_, fields in moves:
                values = self.form(self.kind.moves[step], fields)
                moved = self.clock.when(at_)
                self._may_rehearse(acting, step, values, given["org"], moved)
                worked = dict.fromkeys(self.kind.computed.get(step, ()), Decimal(0))
                getattr(case, step)(**values, **worked, at=moved, actor=acting.id)
        except CaseworkError as e:
            return step, e
        return None

    def _may_rehearse(self, who: Actor, move: str, values: Mapping[str, Any], org: str,
                      when: datetime) -> None:
        """What a rehearsal checks of a move besides its case: who may make it (a kind
        whose moves name other records checks them too)."""
        self._allowed(who, move, org)

    def _allowed(self, who: Actor, move: str, org: str, **amounts: Decimal | None) -> None:
        """The access policy's answer for `move` on a record of `org`, without logging."""
        if self.access.directory is not None:
            why = refusal(who, self.roles, self.kind.name, move, org, amounts=amounts,
                          limits=self.access.directory.limits)
            if why is not None:
                raise PermissionDenied(why)

    def move(self, move: str, case: str, *, at: When = None, actor: ActorLike,
             **fields: Any) -> str | None:
        """Make `move` on `case` (as ``cw.disputes.<move>(case, …)`` does); a move that
        opens a case of another kind returns its number."""
        if move not in self.kind.moves:
            raise InvalidInput({"move": f"{move!r}: a {self.kind.name} moves by "
                                        f"{', '.join(self.kind.moves)}"})
        result: str | None = getattr(self, move)(case, at=at, actor=actor, **fields)
        return result

    def _move(self, move: str, case: str, at: When, actor: ActorLike,
              fields: Mapping[str, Any]) -> str | None:
        """A move that only records: validate its form, check, apply, save."""
        form = self.kind.moves[move]
        if move in self.kind.spawns:
            return self._spawn(move, case, at, actor, fields)
        values = self.form(form, fields)

        def change(c: Case, when: datetime, who: str) -> None:
            self._inform(c)
            getattr(c, move)(**values, at=when, actor=who)

        self._change(self.kind.aggregate, case, at, actor, move, change)
        return None

    def correct(self, case: str, *, reason: str, at: When = None, actor: ActorLike,
                **fields: Any) -> None:
        """Set right facts recorded wrongly (a mistyped amount or employer): each field's
        new value, validated by the form that recorded it (the intake's, or the move's).
        The correction is an event naming who, when, why, and each field's old and new
        value; the earlier events stay as recorded, and figures use the corrected facts."""
        why = check(reason=(Reason, reason))["reason"]

        def change(c: Case, when: datetime, who: str) -> None:
            c.refuse_if_voided("correct")
            c.correct(reason=why, changes=corrections(c, self.kind.facts(c.recorded), fields),
                      at=when, actor=who)

        self._change(self.kind.aggregate, case, at, actor, "correct", change)

    def void(self, case: str, *, reason: str, duplicate_of: str | None = None,
             at: When = None, actor: ActorLike) -> None:
        """Void a case entered by mistake (a duplicate: name the case it duplicates). It
        stays in the log, marked voided, and leaves every figure and list; no move is
        made on it after."""
        v = check(reason=(Reason, reason), duplicate_of=(Code | None, duplicate_of))
        other = v["duplicate_of"]
        if other is not None and not self.log.exists(self.kind.aggregate, other):
            raise InvalidInput({"duplicate_of": f"no {self.kind.name} {other!r}"})

        def change(c: Case, when: datetime, who: str) -> None:
            if other == c.key:
                raise InvalidInput({"duplicate_of": f"{c.key} cannot duplicate itself"})
            c.void(reason=v["reason"], duplicate_of=other, at=when, actor=who)

        self._change(self.kind.aggregate, case, at, actor, "void", change)

    @staticmethod
    def form(form: Form, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The move's event fields from what the caller gave, or InvalidInput."""
        value = validated(form.model, **fields)  # type: ignore[type-var]
        if form.whole:
            return {form.whole: value.model_dump(exclude_none=True)}
        return dict(value)

    def _spawn(self, move: str, case: str, at: When, actor: ActorLike,
               fields: Mapping[str, Any]) -> str:
        """Open a case of another kind from this one, and move this one, in one write."""
        spawn = self.kind.spawns[move]
        other = self.kinds[spawn.kind]
        acting = self.access.who(actor)
        when = self.clock.when(at)
        source: Case = self.log.load(self.kind.aggregate, self._key("case", case))
        given = {k: v for k, v in fields.items() if v is not None}
        intake = validated(other.kind.intake, **{**spawn.defaults(source), **given})
        when = self._not_before(when, at, source)
        who = self._may(acting, self.kind.name, move, when, (source.key, source.org))
        other._may(acting, other.kind.name, other.kind.opening.name, when,
                   (f"a new {other.kind.name}", intake.org))  # type: ignore[attr-defined]
        getattr(source, move)(**{spawn.field: "-"}, at=when, actor=who)  # refused here, if

        def moved(number: str) -> Sequence[Record]:
            fresh: Case = self.log.load(self.kind.aggregate, source.key)
            getattr(fresh, move)(**{spawn.field: number}, at=when, actor=who)
            return [fresh]

        return other._open(intake, when, who, moved)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        """`receive` (or the kind's opening) and each move, as methods."""
        kind: Kind = self.__dict__["kind"]
        if name == kind.opening.name:
            method = _method(self.open, kind.opening, case=False)
        elif name in kind.moves:
            form = kind.moves[name]
            if name in kind.spawns:
                opening = self.kinds[kind.spawns[name].kind].kind.opening
                form = Form(name, form.doc, kind.spawns[name].form(opening).model)

            def method(case: str, *, at: When = None, actor: ActorLike,
                       **fields: Any) -> Any:
                return self._move(name, case, at, actor, fields)

            method = _method(method, form, case=True)
        elif name == "reopen":  # a kind whose lifecycle has none says why

            def method(case: str, *, at: When = None, actor: ActorLike, **fields: Any) -> Any:
                raise InvalidInput({"case": kind.not_reopened or
                                    f"a {kind.name} case is not reopened"})
        else:
            raise AttributeError(name)
        self.__dict__[name] = method
        return method

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), self.kind.opening.name, *self.kind.moves]


def corrections(record: Record, facts: Mapping[str, Fact],
                given: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The changes a correction makes (move, event field, old, new), each move's form
    validated whole with the new values; InvalidInput for a fact the record does not have,
    one a correction never changes, a value its form refuses, or no change at all."""
    if not given:
        raise InvalidInput({"fields": f"name the facts to correct: {', '.join(facts)}"})
    refused = {name: NOT_CORRECTABLE.get(name) or (
        f"not a fact {record.key} recorded; correctable: {', '.join(facts)}")
        for name in given if name not in facts}
    if refused:
        raise InvalidInput(refused)
    by_move: dict[str, dict[str, Any]] = {}
    for name, value in given.items():
        by_move.setdefault(facts[name].move, {})[facts[name].name] = value
    changes: list[dict[str, Any]] = []
    for move, new in by_move.items():
        form = next(f.form for f in facts.values() if f.move == move)
        recorded = record.recorded.get(move) or {n: getattr(record, n, None) for n in form.fields}
        was = recorded.get(form.whole, {}) if form.whole else recorded
        try:
            values = CaseCommands.form(form, {**{k: v for k, v in was.items()
                                                 if v is not None and k in form.fields},
                                              **new})
        except InvalidInput as e:
            raise InvalidInput({(f"{move}_{k}" if k in CORRECTION_PARAMS else k): why
                                for k, why in e.fields.items()}) from None
        if form.whole:
            whole = values[form.whole]
            if any(was.get(k) != whole.get(k) for k in new):
                changes.append({"move": move, "field": form.whole, "old": dict(was),
                                "new": whole})
            continue
        changes += [{"move": move, "field": k, "old": recorded.get(k), "new": values[k]}
                    for k in new if recorded.get(k) != values[k]]
    if not changes:
        raise InvalidInput({name: "already so: nothing to correct" for name in given})
    return changes


def _method(call: Callable[..., Any], form: Form, *, case: bool) -> Callable[..., Any]:
    """`call` with the signature and docstring of `form`, for help() and the CLI."""

    def method(*args: Any, **kwargs: Any) -> Any:
        return call(*args, **kwargs)

    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("case", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=str)] if case else []
    for name, f in form.fields.items():
        default = inspect.Parameter.empty if f.is_required() else f.default
        params.append(inspect.Parameter(name, keyword, default=default, annotation=f.annotation))
    if not case:
        params.append(inspect.Parameter("org", keyword, default=None, annotation=str | None))
        params.append(inspect.Parameter("source", keyword, default=None,
                                        annotation=str | None))
    params += [inspect.Parameter("at", keyword, default=None, annotation=When),
               inspect.Parameter("actor", keyword, annotation=ActorLike)]
    method.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    method.__doc__ = form.doc
    method.__name__ = form.name
    return method
