"""The engine's shape: every kind of case is one declaration that the rest derives from.

A move is its event method; its form, the CLI command, the access check, the fold and the
spec tables come from that one definition. These tests hold the derivations to it, and
make the copies the library forces on us agree.
"""

from __future__ import annotations

import typing
from datetime import datetime

import pytest
from eventsourcing.domain import event
from eventsourcing.utils import get_topic
from typer.main import get_command

from casework.access import ROLES
from casework.cli import app
from casework.statistics.fold import CASE_COLUMNS, CREATES, HANDLERS, milestone
from casework.views import VIEWS, CaseView
from domain import KINDS, Kind, LabourDispute
from domain.case import Case
from domain.values import Petition, Reason, Value
from workflows.lifecycle import lifecycle


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_move_is_an_event_method_with_a_form(kind: Kind) -> None:
    for move in kind.lifecycle.triggers:
        form = kind.moves[move]
        assert form.doc, f"{kind.name}.{move} has no docstring: the CLI's help is empty"
        assert kind.event_for(move).__name__ in kind.aggregate.moves_by_event


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_fold_follows_every_move_by_its_event_class(kind: Kind) -> None:
    opening = get_topic(kind.event_for(kind.aggregate.opened_by))
    assert opening in HANDLERS and opening in CREATES
    for move in kind.lifecycle.triggers:
        assert get_topic(kind.event_for(move)) in HANDLERS, move
    for state in kind.lifecycle.states[1:]:
        assert milestone(state) in CASE_COLUMNS
    for note in kind.lifecycle.notes:  # a move that leaves the case where it is
        assert milestone(note) in CASE_COLUMNS
    for column in kind.columns:
        assert column in CASE_COLUMNS


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kind_has_its_terminal_commands(kind: Kind) -> None:
    group = get_command(app).commands[kind.name]  # type: ignore[attr-defined]
    names = {kind.opening.name, "show", "list", *map(kind.command, kind.lifecycle.triggers)}
    assert names <= set(group.commands)
    for move in kind.lifecycle.triggers:
        options = {p.name for p in group.commands[kind.command(move)].params}
        assert set(kind.moves[move].fields) <= options, move


def test_every_role_a_kind_names_is_a_role_of_the_directory() -> None:
    for kind in KINDS.values():
        assert kind.roles <= set(ROLES)
    assert {"warning_officer", "mediator", "aid_officer", "supervisor", "auditor"} <= set(ROLES)


def test_a_declaration_that_names_no_move_is_refused_at_once() -> None:
    """A renamed move must not leave its statistics, forms or CLI name behind silently."""
    with pytest.raises(TypeError, match="no move named"):
        Kind(name="x", plural="xs", aggregate=LabourDispute, prefix="X", intake=Petition,
             roles=frozenset(), help="", summary={"settle": {"settled": "settled_amount"}})


def test_the_received_fields_are_declared_alike() -> None:
    """eventsourcing builds a versioned event from its class's annotations and the
    aggregate's __init__ from its signature, and pydantic validates a model: three lists
    the library will not let us share, held equal here."""
    event = set(typing.get_type_hints(LabourDispute.Received)) - {
        "originator_id", "originator_version", "timestamp", "originator_id_type",
        "originator_topic"}
    init = set(typing.get_type_hints(LabourDispute.__dict__["__init__"].decorated_func))
    intake = set(Petition.model_fields)
    assert event == init - {"return"} == intake | {"number", "at", "actor"}


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_a_view_shows_every_fact_its_record_holds(kind: Kind) -> None:
    view = VIEWS.get(kind.name, CaseView)
    assert issubclass(view, CaseView) and view.model_config.get("extra") == "allow"


# --- a fourth kind, next year: nothing but its own declaration ---------------------------

CONSULTATION = lifecycle("consultation", ["asked", "answered", "referred"], [
    ("answer", "asked", "answered"), ("refer", "asked", "referred")])


class Question(Value):
    """A worker's question at the counter."""

    org: str
    topic: str


class Consultation(Case):
    kind = "consultation"
    lifecycle = CONSULTATION

    @event("Asked")
    def __init__(self, *, number: str, org: str, topic: str, at: datetime,
                 actor: str) -> None:
        self._opened(number, org, at, actor, topic=topic, reply=None)

    @event("Answered")
    def answer(self, answer: Reason, at: datetime, actor: str) -> None:
        """Answer the question (咨询答复)."""
        self.reply = answer

    @event("Referred")
    def refer(self, to: Reason, at: datetime, actor: str) -> None:
        """Send the worker elsewhere (转介)."""


def test_a_new_kind_derives_its_forms_columns_and_lifecycle_checks() -> None:
    kind = Kind(name="consultation", plural="consultations", aggregate=Consultation,
                prefix="ZX", intake=Question, roles=frozenset({"mediator"}), help="",
                summary={"receive": {"topic": "topic"}})
    assert list(kind.moves) == ["answer", "refer"]
    assert list(kind.moves["answer"].fields) == ["answer"]
    assert kind.columns == {"topic": str}
    asked = Consultation(number="ZX-2023-0001", org="o", topic="wages",
                         at=datetime(2023, 1, 1).astimezone(), actor="m")
    asked.answer(answer="the law says…", at=datetime(2023, 1, 2).astimezone(), actor="m")
    assert asked.state == "answered"
    assert [h[0] for h in asked.history] == ["receive", "answer"]
    from casework.errors import InvalidTransition

    with pytest.raises(InvalidTransition, match="cannot refer"):
        asked.refer(to="court", at=datetime(2023, 1, 3).astimezone(), actor="m")
    assert len(asked.collect_events()) == 2  # the refused move left no event


def test_a_note_stays_and_a_state_only_notes_leave_is_final() -> None:
    life = lifecycle("x", ["open", "done"], [("finish", "open", "done"),
                                             ("remark", ["open", "done"], None)])
    assert life.notes == ("remark",) and life.stays("remark")
    assert (life.target("open", "remark"), life.target("done", "remark")) == ("open", "done")
    assert life.final_states == ("done",) and life.allowed("done") == ("remark",)
    concluded = lifecycle("y", ["open", "ended", "appealed"], [
        ("end", "open", "ended"), ("appeal", ["open", "ended"], "appealed")],
        concluded=["ended"])
    assert concluded.final_states == ("ended", "appealed")
    with pytest.raises(ValueError, match="note in one row"):
        lifecycle("z", ["a", "b"], [("m", "a", "b"), ("m", "b", None)])
