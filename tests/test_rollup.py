"""A body's return includes the bodies below it (issue 14's roll-up), by both paths, and a
reader of a body reads the bodies below it too (issue 16: reads scoped along the hierarchy)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest

from casework import Casework, Directory, PermissionDenied
from casework.cli import main
from workflows.access import Actor

PEOPLE = {
    "sup": Actor("sup", "supervisor", ("*",)),
    "sup-cty": Actor("sup-cty", "supervisor", ("county",)),
    "m-sub": Actor("m-sub", "mediator", ("subdistrict",)),
}


@pytest.fixture
def cw(store_url: str) -> Iterator[Casework]:
    with Casework(store=store_url, actors=Directory(PEOPLE)) as app:
        at = datetime(2022, 1, 1, 9)
        for code, kind, parent in (("city", "federation", None),
                                   ("county", "peoples_mediation", "city"),
                                   ("subdistrict", "street_centre", "county"),
                                   ("harbour", "street_centre", "city")):
            app.bodies.register(code, name=code, kind=kind, parent=parent, at=at, actor="sup")
        yield app


def dispute(cw: Casework, org: str, day: int) -> str:
    return cw.disputes.receive(category="wages", workers=3, amount=Decimal(1000),
                               channel="visit", employer="Acme", org=org,
                               at=datetime(2023, 3, day, 9), actor="sup")


def received(cw: Casework, org: str | None, replay: bool) -> int:
    return cw.report(date(2023, 1, 1), date(2023, 6, 30), org=org, replay=replay,
                     actor="sup").disputes.received


@pytest.mark.parametrize("replay", [False, True])
def test_a_body_counts_the_bodies_below_it(cw: Casework, replay: bool) -> None:
    dispute(cw, "subdistrict", 1)
    dispute(cw, "subdistrict", 2)
    dispute(cw, "county", 3)
    dispute(cw, "harbour", 4)
    assert received(cw, "subdistrict", replay) == 2
    assert received(cw, "county", replay) == 3  # itself and its sub-district
    assert received(cw, "harbour", replay) == 1
    assert received(cw, "city", replay) == 4  # the whole tree
    assert received(cw, None, replay) == 4
    explained = cw.explain("disputes.received", date(2023, 1, 1), date(2023, 6, 30),
                           org="county", actor="sup")
    assert len(explained.numerator) == 3


def test_a_reader_of_a_body_reads_the_bodies_below_it(cw: Casework) -> None:
    low, high = dispute(cw, "subdistrict", 1), dispute(cw, "county", 2)
    assert cw.disputes.get(low, actor="sup-cty").number == low
    assert {c.number for c in cw.disputes.list(actor="sup-cty")} == {low, high}
    assert cw.report(date(2023, 1, 1), date(2023, 6, 30), org="subdistrict",
                     actor="sup-cty").disputes.received == 1
    with pytest.raises(PermissionDenied):  # but not the body above
        cw.disputes.get(high, actor="m-sub")
    with pytest.raises(PermissionDenied):
        cw.report(date(2023, 1, 1), date(2023, 6, 30), org="city", actor="sup-cty")


def test_the_top_level_bodies_side_by_side(cw: Casework, store_url: str,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    dispute(cw, "subdistrict", 1)
    dispute(cw, "harbour", 2)
    monkeypatch.delenv("CASEWORK_ACTORS", raising=False)
    code = main(["--store", store_url, "report", "--period", "2023H1", "--by-body",
                 "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    header = next(line for line in out.splitlines() if "city" in line)
    assert "all" in header and "county" not in header  # only the top of the tree
    received = next(line for line in out.splitlines() if line.strip().startswith("Received"))
    assert received.split()[-2:] == ["2", "2"]  # city (everything below it), and the total
