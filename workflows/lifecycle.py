"""A case kind's lifecycle: one `transitions` machine per kind, asked, never attached.

The machine is built once with ``model=None`` and its transition table is read into a
dict, so asking "may this case make this move?" costs a dict lookup, and aggregates stay
plain objects that snapshot and replay without a machine on them.

A row whose destination is None is a *note*: a move that records a fact and leaves the case
where it is (an extension of the mediation period, a follow-up of an agreement), drawn as
an internal transition. A state that only notes leave is still final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine


@dataclass(frozen=True)
class Move:
    """One row of a lifecycle table: a trigger, the states it may fire from, where it goes."""

    trigger: str
    sources: tuple[str, ...]
    dest: str | None  # None: a note, the case stays where it is


@dataclass(frozen=True)
class Lifecycle:
    """States and moves of one case kind, checked against a `transitions` machine."""

    name: str
    states: tuple[str, ...]
    initial: str
    moves: tuple[Move, ...]
    #: States the case is concluded in although a move may still lead on from them (a
    #: terminated mediation, then the party's own application for arbitration).
    concluded: tuple[str, ...] = ()
    #: Moves that take a concluded case back to an open state (a dispute whose agreement
    #: was not performed goes back to mediation): they leave their sources concluded, and
    #: the conclusion they undo stays counted in its own period.
    reopening: tuple[str, ...] = ()
    _dest: Mapping[tuple[str, str], str] = field(init=False, repr=False, compare=False)
    _allowed: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        machine = Machine(model=None, **self._machine_table())
        dest: dict[tuple[str, str], str] = {}
        for trigger, ev in machine.events.items():
            for source, transitions in ev.transitions.items():
                to = transitions[0].dest  # None: an internal transition, a note
                dest[(source, trigger)] = source if to is None else str(to)
        for m in self.moves:
            if {x.dest is None for x in self.moves if x.trigger == m.trigger} == {True, False}:
                raise ValueError(f"{self.name}: {m.trigger} is a note in one row and a move "
                                 "in another")
        allowed = {s: tuple(machine.get_triggers(s)) for s in self.states}
        object.__setattr__(self, "_dest", dest)
        object.__setattr__(self, "_allowed", allowed)

    def _machine_table(self) -> dict[str, Any]:
        return {
            "states": list(self.states),
            "initial": self.initial,
            "transitions": [{"trigger": m.trigger, "source": list(m.sources), "dest": m.dest}
                            for m in self.moves],
            "auto_transitions": False,
        }

    @property
    def triggers(self) -> tuple[str, ...]:
        """Every move of the kind, once each, in the table's order."""
        return tuple(dict.fromkeys(m.trigger for m in self.moves))

    def target(self, state: str, trigger: str) -> str | None:
        """The state `trigger` leads to from `state` (`state` itself for a note), or None
        where it is not allowed."""
        return self._dest.get((state, trigger))

    def dest(self, trigger: str) -> str | None:
        """Where `trigger` leads (every trigger of these lifecycles has one destination);
        None for a note, which leaves the case where it is."""
        (move,) = (m for m in self.moves if m.trigger == trigger)
        return move.dest

    def stays(self, trigger: str) -> bool:
        """Whether `trigger` is a note: it records a fact, the state does not change."""
        return self.dest(trigger) is None

    @property
    def notes(self) -> tuple[str, ...]:
        """The triggers that are notes, in the table's order."""
        return tuple(t for t in self.triggers if self.stays(t))

    def allowed(self, state: str) -> tuple[str, ...]:
        """The moves allowed from `state`, in the table's order."""
        return self._allowed.get(state, ())

    @property
    def final_states(self) -> tuple[str, ...]:
        """States the case is concluded in: those no move leads on from (a note may still
        be made there), and those the table declares concluded."""
        moving = {s for m in self.moves if m.dest is not None and m.trigger not in self.reopening
                  for s in m.sources}
        return tuple(s for s in self.states if s not in moving or s in self.concluded)

    @property
    def open_states(self) -> tuple[str, ...]:
        final = self.final_states
        return tuple(s for s in self.states if s not in final)

    @property
    def order(self) -> Mapping[str, int]:
        """Each state's rank along the lifecycle (the longest path from the initial state),
        so of two milestones reached at the same instant the later one is known."""
        rank = {self.initial: 0}
        for _ in self.states:  # relax once per state: no cycles but through a reopening
            for m in self.moves:
                if m.dest is None or m.trigger in self.reopening:
                    continue
                for s in m.sources:
                    if s in rank and rank.get(m.dest, -1) < rank[s] + 1:
                        rank[m.dest] = rank[s] + 1
        return rank

    def mermaid(self) -> str:
        """The lifecycle as a Mermaid state diagram, drawn by `transitions` itself."""
        from transitions.extensions import GraphMachine

        class _Drawing:
            pass

        drawing = _Drawing()
        GraphMachine(model=drawing, graph_engine="mermaid", title=self.name,
                     **self._machine_table())
        return str(drawing.get_graph().draw(None))  # type: ignore[attr-defined]


def lifecycle(
    name: str, states: Sequence[str],
    table: Iterable[tuple[str, str | Sequence[str], str | None]],
    concluded: Sequence[str] = (), reopening: Sequence[str] = (),
) -> Lifecycle:
    """Build a lifecycle from rows of (trigger, source or sources, dest); a dest of None
    makes the row a note. `concluded`: states that count as concluded though a move leads
    on from them; `reopening`: moves that take a concluded case back to an open state."""
    moves = tuple(
        Move(trigger, (src,) if isinstance(src, str) else tuple(src), dest)
        for trigger, src, dest in table
    )
    return Lifecycle(name=name, states=tuple(states), initial=states[0], moves=moves,
                     concluded=tuple(concluded), reopening=tuple(reopening))
