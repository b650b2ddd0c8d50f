"""Every kind of case has a feature whose tables list every state and every move.

The outlines check each listed (state, move) against the API; this checks the listing
itself, for every kind the engine runs (domain.KINDS), so a kind, a state or a move added
to the model without its rows fails the suite. A feature's lifecycle tables are found by
their columns (state, move, outcome; state, allowed now), in any language the feature is
written in.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser

from domain import KINDS, Kind

HERE = Path(__file__).parent


def tables(columns: set[str]) -> list[tuple[str, list[dict[str, str]]]]:
    """(feature file, rows) of every outline whose examples have exactly `columns`."""
    found = []
    for path in sorted(HERE.glob("*.feature")):
        for template in FeatureParser(str(HERE), path.name).parse().scenarios.values():
            rows = [ctx for ex in template.examples for ctx in ex.as_contexts()]
            if rows and set(rows[0]) == columns:
                found.append((path.name, rows))
    return found


def kind_table(kind: Kind, columns: set[str]) -> tuple[str, list[dict[str, str]]]:
    states = set(kind.lifecycle.states)
    mine = [(f, rows) for f, rows in tables(columns) if {r["state"] for r in rows} == states]
    assert mine, (f"no feature lists the {kind.name} lifecycle ({', '.join(sorted(states))}) "
                  f"in a table of {', '.join(sorted(columns))}")
    assert len(mine) == 1, f"{kind.name}: more than one table: {[f for f, _ in mine]}"
    return mine[0]


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_state_and_move_has_exactly_one_row(kind: Kind) -> None:
    feature, rows = kind_table(kind, {"state", "move", "outcome"})
    listed = [(r["state"], r["move"]) for r in rows]
    expected = list(product(kind.lifecycle.states, kind.lifecycle.triggers))
    assert sorted(listed) == sorted(expected), (
        f"{feature}: rows missing {sorted(set(expected) - set(listed))}, "
        f"unknown {sorted(set(listed) - set(expected))}, "
        f"twice {sorted({p for p in listed if listed.count(p) > 1})}"
    )
    for r in rows:  # and each row says what the lifecycle says
        dest = kind.lifecycle.target(r["state"], r["move"])
        assert r["outcome"] == (dest or "refused"), (feature, r)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_moves_allowed_now_agree_with_the_lifecycle(kind: Kind) -> None:
    feature, rows = kind_table(kind, {"state", "allowed now"})
    assert sorted(r["state"] for r in rows) == sorted(kind.lifecycle.states), feature
    for r in rows:
        said = r["allowed now"]
        listed = [] if said.startswith("none") else [m.strip() for m in said.split(",")]
        assert sorted(listed) == sorted(kind.lifecycle.allowed(r["state"])), (feature, r)
