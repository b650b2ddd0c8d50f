"""A case kind's lifecycle: one `transitions` machine per kind, asked, never attached.

The machine is built once with ``model=None`` and its transition table is read into a
dict, so asking "may this case make this move?" costs a dict lookup, and aggregates stay
plain objects that snapshot and replay without a machine on them.
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
    dest: str


@dataclass(frozen=True)
class Lifecycle:
    """States and moves of one case kind, checked against a `transitions` machine."""

    name: str
    states: tuple[str, ...]
    initial: str
    moves: tuple[Move, ...]
    _dest: Mapping[tuple[str, str], str] = field(init=False, repr=False, compare=False)
    _allowed: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        machine = Machine(model=None, **self._machine_table())
        dest: dict[tuple[str, str], str] = {}
        for trigger, ev in machine.events.items():
            for source, transitions in ev.transitions.items():
                dest[(source, trigger)] = str(transitions[0].dest)
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
        """The state `trigger` leads to from `state`, or None where it is not allowed."""
        return self._dest.get((state, trigger))

    def dest(self, trigger: str) -> str:
        """Where `trigger` leads (every trigger of these lifecycles has one destination)."""
        (move,) = (m for m in self.moves if m.trigger == trigger)
        return move.dest

    def allowed(self, state: str) -> tuple[str, ...]:
        """The moves allowed from `state`, in the table's order."""
        return self._allowed.get(state, ())

    @property
    def final_states(self) -> tuple[str, ...]:
        """States no move leaves: the case is concluded there."""
        return tuple(s for s in self.states if not self._allowed[s])

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s for s in self.states if self._allowed[s])

    @property
    def order(self) -> Mapping[str, int]:
        """Each state's rank along the lifecycle (the longest path from the initial state),
        so of two milestones reached at the same instant the later one is known."""
        rank = {self.initial: 0}
        for _ in self.states:  # relax once per state: the tables have no cycles
            for m in self.moves:
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
    name: str, states: Sequence[str], table: Iterable[tuple[str, str | Sequence[str], str]]
) -> Lifecycle:
    """Build a lifecycle from rows of (trigger, source or sources, dest)."""
    moves = tuple(
        Move(trigger, (src,) if isinstance(src, str) else tuple(src), dest)
        for trigger, src, dest in table
    )
    return Lifecycle(name=name, states=tuple(states), initial=states[0], moves=moves)
