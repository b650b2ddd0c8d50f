"""Every state, move, form field and choice of every kind has its Chinese label: a kind
added to domain.KINDS fails here until the desk can say it."""

from __future__ import annotations

import typing
from datetime import UTC

import pytest

from casework.desk import forms
from casework.words import WORDS, Words
from domain import KINDS, Kind
from domain.kind import Form


def _forms(kind: Kind) -> list[Form]:
    out = [kind.opening, *kind.moves.values()]
    out += [s.form(KINDS[s.kind].opening) for s in kind.spawns.values()]
    return out


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_state_and_move_has_chinese_words(kind: Kind) -> None:
    for state in kind.lifecycle.states:
        assert f"state.{kind.name}.{state}" in WORDS
    for move in (kind.opening.name, *kind.moves):
        assert f"move.{kind.name}.{move}" in WORDS
    assert f"kind.{kind.name}" in WORDS and f"kinds.{kind.name}" in WORDS


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_field_and_choice_has_chinese_words(kind: Kind) -> None:
    w = Words("zh", UTC)
    for form in _forms(kind):
        for i in forms.from_model(form.model, w, kind.name):
            assert i.label != i.name.replace("_", " "), f"no label for {kind.name}.{i.name}"
            for value, label in i.choices:
                assert label != value, f"no label for the choice {value!r} of {i.name}"
    for name in kind.columns:
        assert w.field(name, kind=kind.name) != name.replace("_", " ")


def test_dates_and_money_as_an_office_writes_them() -> None:
    from datetime import date, datetime
    from decimal import Decimal

    zh, en = Words("zh", UTC), Words("en", UTC)
    assert zh.date(date(2023, 3, 1)) == "2023年3月1日"
    assert zh.money(Decimal("12000")) == "12,000.00元"
    assert zh.datetime(datetime(2023, 3, 1, 9, 30, tzinfo=UTC)) == "2023年3月1日 09:30"
    assert en.date(date(2023, 3, 1)) == "1 Mar 2023"
    assert en.money(Decimal("12000")) == "¥12,000.00"


def test_shapes_read_from_annotations() -> None:
    from domain.values import Petition

    shapes = {n: forms.shape(f.annotation, f) for n, f in Petition.model_fields.items()}
    assert shapes["category"].choices[:2] == ("labor_contract", "wages")
    assert shapes["petitioner"].optional and shapes["workers"].base is int
    assert typing.get_origin(shapes["amount"].base) is None
