"""A kind of case, declared once.

The engine derives everything else from this declaration and the kind's aggregate: the
commands and their validation (each move's form is its event method's signature), who may
make them, the CLI, the read model's row and the spec-coverage check. Adding a kind is a
lifecycle, an aggregate and one `Kind`, registered in `domain.KINDS`.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any, Union

from pydantic import BaseModel, Field, create_model

from domain.case import Case
from domain.values import Personal, Value, is_personal
from workflows.lifecycle import Lifecycle

#: Parameters every move takes from the service, not from the caller's form.
SERVICE_PARAMS = frozenset({"self", "at", "actor"})
#: Intake fields the engine fills: the body (a global setting), the case a case was opened
#: from (set when a move opens it), and what the aggregate works out at the opening (a
#: dispute's rule in force: `Case.worked_out`).
ENGINE_FIELDS = frozenset({"org", "origin", "rule"})


@dataclass(frozen=True)
class Form:
    """What a caller gives for a move: its fields, validated by one pydantic model."""

    name: str
    doc: str
    model: type[BaseModel]
    #: The event method's parameter that takes the whole form as a dict (aid's `help`).
    whole: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.model.model_fields)


@dataclass(frozen=True)
class Spawn:
    """A move that opens a case of another kind from this one (a warning that becomes a
    dispute). The new case's intake takes `carry` (its field → this case's attribute) and
    `fixed` unless the caller says otherwise; the move's event records its number in
    `field`."""

    kind: str
    field: str
    carry: Mapping[str, str]
    fixed: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def defaults(self, case: Any) -> dict[str, Any]:
        return {**self.fixed, **{name: getattr(case, attr) for name, attr in self.carry.items()}}

    def form(self, opening: Form) -> Form:
        """The other kind's opening form, with what this case carries over made optional."""
        optional = {*self.carry, *self.fixed}  # the engine's own fields are not in `opening`
        fields: dict[str, Any] = {
            n: (f.annotation, Field(None, description=f.description) if n in optional else f)
            for n, f in opening.model.model_fields.items()}
        model = create_model(f"{opening.model.__name__}Carried", __base__=Value, **fields)
        return Form(opening.name, opening.doc, model)


#: The correction's own parameters: a fact of the same name is corrected as
#: `<move>_<field>` (a refusal's reason: `decline_reason`).
CORRECTION_PARAMS = frozenset({"case", "reason", "at", "actor"})
#: What a correction never changes, and why.
NOT_CORRECTABLE = {
    "org": "the body a record belongs to is not corrected: void it and receive it anew "
           "at the right body",
    "number": "a case number is never corrected",
    "state": "the state follows from the moves: correct a move's facts, reopen or void",
    "received_at": "times are business times of the moves: void the case and receive it "
                   "anew with the right time",
    "paid": "money paid out of a fund is a fund movement (cw.funds.correct)",
}


@dataclass(frozen=True)
class Fact:
    """A fact a correction may set right: the move whose event recorded it (the opening,
    or the latest of that move), the event's field, and the form that validates it."""

    move: str
    field: str  # the event's field (for a form given whole, the field holding it)
    form: Form
    name: str  # the form's field


def facts(opening: Form, moves: Mapping[str, Form], made: Iterable[str],
          skip: Mapping[str, frozenset[str]] = {}) -> dict[str, Fact]:
    """Each correctable fact of a record by the name a caller gives it: the opening's
    fields, then those of each move made (a later move's field of the same name wins)."""
    out: dict[str, Fact] = {}
    for move, form in [(opening.name, opening), *((m, moves[m]) for m in made if m in moves)]:
        for name in form.fields:
            if name in skip.get(move, ()):
                continue
            said = f"{move}_{name}" if name in CORRECTION_PARAMS else name
            out[said] = Fact(move, form.whole or name, form, name)
    return out


@dataclass(frozen=True)
class Kind:
    """One kind of case: its aggregate, its intake, who may move it, what it is counted by."""

    name: str  # singular: the access policy's and the read model's name; the CLI group
    plural: str  # the facade's attribute: cw.disputes
    aggregate: type[Case]
    prefix: str  # case numbers: LD-2023-0001
    intake: type[Value]  # what is received
    roles: frozenset[str]  # who may change it, besides a supervisor
    help: str
    #: The read model's row: move (or the opening) → {column: its event's field, dotted
    #: into a dict field}.
    summary: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Moves whose form is a value model rather than the event method's own parameters.
    forms: Mapping[str, type[Value]] = field(default_factory=dict)
    spawns: Mapping[str, Spawn] = field(default_factory=dict)
    #: Event fields of a move that the service works out, not the caller (what was paid).
    computed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: CLI commands named otherwise than their move (`dispute mediate`).
    commands: Mapping[str, str] = field(default_factory=dict)
    #: Why a concluded case of this kind is not reopened, where its lifecycle has no
    #: reopening move.
    not_reopened: str = ""

    def __post_init__(self) -> None:
        known = {self.aggregate.opened_by, *self.lifecycle.triggers}
        unknown = [m for m in (*self.summary, *self.forms, *self.spawns, *self.computed)
                   if m not in known]
        if unknown:  # a renamed move must not leave its statistics behind silently
            raise TypeError(f"{self.name}: no move named {', '.join(unknown)}")

    @property
    def lifecycle(self) -> Lifecycle:
        return self.aggregate.lifecycle

    def event_for(self, move: str) -> type:
        """The event class of a move, or of the opening."""
        return self.aggregate.event_for("__init__" if move == self.aggregate.opened_by
                                        else move)

    @cached_property
    def moves(self) -> dict[str, Form]:
        """Each lifecycle move's form, from its event method (or its declared form)."""
        return {trigger: self._form(trigger) for trigger in self.lifecycle.triggers}

    @cached_property
    def opening(self) -> Form:
        """What a caller gives to open a case (its `receive`, or a warning's `report`)."""
        fields: dict[str, Any] = {n: (f.annotation, f) for n, f in
                                  self.intake.model_fields.items() if n not in ENGINE_FIELDS}
        model = create_model(f"{self.intake.__name__}Form", __base__=Value, **fields)
        return Form(self.aggregate.opened_by, inspect.getdoc(self.intake) or "", model)

    @cached_property
    def columns(self) -> dict[str, type]:
        """The read model's columns for this kind, each with its plain type."""
        out: dict[str, type] = {}
        for move, columns in self.summary.items():
            hints = typing.get_type_hints(self.event_for(move), include_extras=True)
            for column, path in columns.items():
                head, _, rest = path.partition(".")
                if rest:  # a field of a dict the move's form built: the form says its type
                    out[column] = column_type(self.forms[move].model_fields[rest].annotation)
                else:
                    out[column] = column_type(hints[head])
        return out

    @cached_property
    def personal(self) -> frozenset[str]:
        """The intake's personal fields: shown only to roles that work with the people."""
        return frozenset(n for n, f in self.intake.model_fields.items()
                         if is_personal(f.annotation) or any(isinstance(m, Personal)
                                                             for m in f.metadata))

    def facts(self, made: Iterable[str]) -> dict[str, Fact]:
        """What a correction may set right once the moves `made` were made, by the name a
        caller gives it: the intake (validated whole, as received), and the facts of those
        moves (not a spawn's, nor what the service worked out, as what aid paid)."""
        skip = {**self.computed, **{m: frozenset(self.moves[m].fields) for m in self.spawns},
                self.opening.name: ENGINE_FIELDS}
        intake = Form(self.opening.name, self.opening.doc, self.intake)
        return facts(intake, self.moves, made, skip)

    def command(self, move: str) -> str:
        """The move's name on a terminal."""
        return self.commands.get(move, move.replace("_", "-"))

    def _form(self, trigger: str) -> Form:
        method = vars(self.aggregate)[trigger].decorated_func
        doc = inspect.getdoc(method) or trigger.replace("_", " ")
        if trigger in self.forms:
            (whole,) = (p for p in inspect.signature(method).parameters if
                        p not in SERVICE_PARAMS)
            return Form(trigger, doc, self.forms[trigger], whole=whole)
        hints = typing.get_type_hints(method, include_extras=True)
        spawn = self.spawns.get(trigger)
        fields: dict[str, Any] = {}
        for name, p in inspect.signature(method).parameters.items():
            if (name in SERVICE_PARAMS or (spawn and name == spawn.field)
                    or name in self.computed.get(trigger, ())):
                continue
            default = ... if p.default is inspect.Parameter.empty else p.default
            fields[name] = (hints[name], default)
        model = create_model(f"{self.aggregate.__name__}{_camel(trigger)}", __base__=Value,
                             **fields)
        return Form(trigger, doc, model)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def column_type(tp: Any) -> type:
    """The plain type behind an annotation: int for Annotated[int | None, ...]."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (Union, types.UnionType):
        (tp,) = (a for a in typing.get_args(tp) if a is not type(None))
        return column_type(tp)
    return tp if isinstance(tp, type) else str
