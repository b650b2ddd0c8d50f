"""The lifecycle tables in the features list every state and every move of the code.

The outlines check each listed (state, move) against the API; this checks the listing
itself, so a state or move added to `workflows/` without its rows fails the suite.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser, ScenarioTemplate

from workflows import AID, DISPUTE, Lifecycle

HERE = Path(__file__).parent

#: (feature file, lifecycle, outline of every state × move, outline of moves allowed now)
TABLES = [
    ("labor_dispute.feature", DISPUTE, "<move> from <state>: <outcome>",
     "a refusal from <state> names the moves allowed now"),
    ("hardship_aid.feature", AID, "<move> from <state>: <outcome>",
     "a refusal from <state> names the moves allowed now"),
]


def rows(feature: str, outline: str) -> list[dict[str, str]]:
    scenarios = FeatureParser(str(HERE), feature).parse().scenarios
    template: ScenarioTemplate | None = scenarios.get(outline)
    assert template is not None, f"{feature} has no outline {outline!r}"
    return [ctx for examples in template.examples for ctx in examples.as_contexts()]


@pytest.mark.parametrize(("feature", "lifecycle", "outline", "_"), TABLES)
def test_every_state_and_move_has_exactly_one_row(
    feature: str, lifecycle: Lifecycle, outline: str, _: str
) -> None:
    listed = [(r["state"], r["move"]) for r in rows(feature, outline)]
    triggers = dict.fromkeys(m.trigger for m in lifecycle.moves)
    expected = list(product(lifecycle.states, triggers))
    assert sorted(listed) == sorted(expected), (
        f"{feature}: rows missing {sorted(set(expected) - set(listed))}, "
        f"unknown {sorted(set(listed) - set(expected))}, "
        f"twice {sorted({p for p in listed if listed.count(p) > 1})}"
    )


@pytest.mark.parametrize(("feature", "lifecycle", "outline", "allowed_outline"), TABLES)
def test_moves_allowed_now_agree_with_the_state_move_table(
    feature: str, lifecycle: Lifecycle, outline: str, allowed_outline: str
) -> None:
    """Both tables of a feature tell one story, and name every state once."""
    allowed_rows = rows(feature, allowed_outline)
    assert sorted(r["state"] for r in allowed_rows) == sorted(lifecycle.states)
    by_table = {
        state: [r["move"] for r in rows(feature, outline)
                if r["state"] == state and r["outcome"] != "refused"]
        for state in lifecycle.states
    }
    for r in allowed_rows:
        said = r["allowed now"]
        listed = [] if said.startswith("none") else [m.strip() for m in said.split(",")]
        assert sorted(listed) == sorted(by_table[r["state"]]), r["state"]
