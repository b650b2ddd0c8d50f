"""Union bodies and what they decide: the rule a dispute follows, the hierarchy returns roll
up; on the terminal too. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from casework import AlreadyExists, CaseNotFound, Casework, InvalidInput
from casework.cli import main
from domain.disputes import LabourDispute

AT = datetime(2023, 1, 2, 9)


def register(cw: Casework, code: str, kind: str, parent: str | None = None) -> str:
    return cw.bodies.register(code, name=f"{code} body", kind=kind, parent=parent, at=AT,
                              actor="s-01")


def events(cw: Casework) -> int:
    return cw.log.recorder.max_notification_id() or 0


def test_bodies_make_a_hierarchy(cw: Casework) -> None:
    register(cw, "city", "federation")
    register(cw, "district", "federation", "city")
    register(cw, "subdistrict", "street_centre", "district")
    register(cw, "ec-acme", "enterprise_committee", "subdistrict")
    register(cw, "ec-jade", "enterprise_committee", "subdistrict")
    register(cw, "aid", "aid_centre", "district")
    view = cw.bodies.get("ec-acme")
    assert (view.code, view.kind, view.parent) == ("ec-acme", "enterprise_committee",
                                                   "subdistrict")
    assert [b.code for b in cw.bodies.list()] == [
        "aid", "city", "district", "ec-acme", "ec-jade", "subdistrict"]
    assert [b.code for b in cw.bodies.descendants("city")] == [
        "district", "aid", "subdistrict", "ec-acme", "ec-jade"]
    assert [b.code for b in cw.bodies.descendants("subdistrict")] == ["ec-acme", "ec-jade"]
    assert cw.bodies.descendants("ec-acme") == []
    assert cw.bodies.kind_of("ec-acme") == "enterprise_committee"
    assert cw.bodies.kind_of("never-registered") == "street_centre"


def test_a_parent_must_exist_and_a_body_is_registered_once(cw: Casework) -> None:
    register(cw, "district", "federation")
    before = events(cw)
    with pytest.raises(InvalidInput) as refused:
        register(cw, "subdistrict", "street_centre", "nowhere")
    assert "parent" in refused.value.fields
    with pytest.raises(InvalidInput):
        register(cw, "loop", "street_centre", "loop")  # its own parent: not registered yet
    with pytest.raises(AlreadyExists):
        register(cw, "district", "street_centre")
    with pytest.raises(InvalidInput) as refused:
        register(cw, "x", "union_hall")
    assert "kind" in refused.value.fields
    with pytest.raises(CaseNotFound):
        cw.bodies.get("nowhere")
    assert events(cw) == before


def petition(cw: Casework, org: str, at: datetime, **changes: object) -> str:
    return cw.disputes.receive(category="wages", workers=3, amount=Decimal("9000"),
                               channel="visit", employer="Acme", org=org, at=at,
                               actor="m-01", **changes)  # type: ignore[arg-type]


def test_the_rule_follows_the_body_and_the_day(cw: Casework) -> None:
    register(cw, "ec-acme", "enterprise_committee")
    street = petition(cw, "subdistrict", datetime(2023, 9, 27, 9))
    committee = petition(cw, "ec-acme", datetime(2023, 9, 27, 9))
    assert cw.disputes.get(street).rule == "LDMAL-14"
    v = cw.disputes.get(committee)
    assert (v.rule, v.acceptance_due, v.deadline) == ("MOHRSS17-29", date(2023, 10, 8), None)
    assert v.rule_citation.startswith("《企业劳动争议协商调解规定")
    cw.disputes.accept(committee, at=datetime(2023, 10, 7, 9), actor="m-01")
    assert cw.disputes.get(committee).deadline == date(2023, 10, 22)
    lines = {ln.number: (ln.rule, ln.deadline) for ln in cw.disputes.list()}
    assert lines == {street: ("LDMAL-14", date(2023, 10, 12)),
                     committee: ("MOHRSS17-29", date(2023, 10, 22))}


def test_a_case_stored_before_rules_were_recorded_takes_its_bodys_rule(cw: Casework) -> None:
    """A v3 petition (no rule) at a body registered later: every reader derives the same
    rule — the view, the lists and both statistics paths."""
    old = LabourDispute(number="LD-2023-0001", org="ec-old", category="wages", workers=2,
                        amount=Decimal("5000"), channel="visit", employer="Acme", summary="",
                        petitioner=None, contact=None, at=datetime.fromisoformat(
                            "2023-03-01T09:00+00:00"), actor="m-01")
    cw.log.record(old)
    assert cw.disputes.get("LD-2023-0001").rule == "LDMAL-14"  # a street centre until…
    register(cw, "ec-old", "enterprise_committee")
    assert cw.disputes.get("LD-2023-0001").rule == "MOHRSS17-29"
    assert cw.disputes.get("LD-2023-0001").deadline is None  # not accepted: no period yet
    for replay in (False, True):
        figures = cw.report(date(2023, 1, 1), date(2023, 6, 30), replay=replay,
                            cohort=True).disputes.cohort
        assert figures is not None
        assert figures.overdue == 0, replay  # a street centre's 15 days would have run out
    assert cw.disputes.list(overdue_on=date(2023, 6, 30)) == []


def test_due_and_overdue_lists_name_the_rule_and_filter_by_mediator(cw: Casework) -> None:
    first = petition(cw, "subdistrict", datetime(2023, 3, 1, 9))
    second = petition(cw, "subdistrict", datetime(2023, 3, 4, 9))
    for case, mediator in ((first, "m-02"), (second, "m-03")):
        cw.disputes.accept(case, at=datetime(2023, 3, 5, 9), actor="m-01")
        cw.disputes.start_mediation(case, mediator=mediator, at=datetime(2023, 3, 5, 10),
                                    actor="m-01")
    due = cw.disputes.list(due_within=3, on=date(2023, 3, 14))
    assert [(ln.number, ln.rule, ln.deadline) for ln in due] == [
        (first, "LDMAL-14", date(2023, 3, 16))]
    assert [ln.number for ln in cw.disputes.list(due_within=5, on=date(2023, 3, 14))] == [
        first, second]
    assert [ln.number for ln in cw.disputes.list(due_within=5, on=date(2023, 3, 14),
                                                 mediator="m-03")] == [second]
    assert [ln.number for ln in cw.disputes.list(overdue_on=date(2023, 3, 17))] == [first]
    cw.disputes.resolve(first, settled_amount=Decimal("8000"), at=datetime(2023, 3, 18, 9),
                        actor="m-02")
    assert cw.disputes.list(due_within=5, on=date(2023, 3, 18)) == [
        ln for ln in cw.disputes.list() if ln.number == second]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_bodies_and_the_procedure_on_the_terminal(capsys: pytest.CaptureFixture[str],
                                                 store_url: str) -> None:
    base = ["--store", store_url, "--json", "--as", "s-01"]
    code, out, err = run(capsys, *base, "body", "register", "ec-acme", "--name", "Acme",
                         "--kind", "enterprise_committee", "--at", "2023-01-02T09:00")
    assert code == 0, err
    assert json.loads(out)["kind"] == "enterprise_committee"
    assert json.loads(run(capsys, *base, "body", "show", "ec-acme")[1])["parent"] is None
    assert [b["code"] for b in json.loads(run(capsys, *base, "body", "list")[1])] == [
        "ec-acme"]
    code, out, err = run(capsys, *base, "--org", "ec-acme", "dispute", "receive",
                         "--category", "wages", "--workers", "12", "--amount", "90000",
                         "--channel", "visit", "--employer", "Acme", "--common-claim",
                         "--representative", "Wang Wei", "--representative", "Li Na",
                         "--at", "2023-09-27T09:00")
    assert code == 0, err
    case = json.loads(out)["case"]
    for args in (["accept", case, "--at", "2023-10-07T09:00"],
                 ["extend", case, "--days", "7", "--consent", "--at", "2023-10-08T09:00"]):
        code, out, err = run(capsys, *base, "dispute", *args)
        assert code == 0, err
    assert json.loads(out) == {"case": case, "state": "accepted"}  # a note: it stays
    shown = json.loads(run(capsys, *base, "dispute", "show", case)[1])
    assert (shown["rule"], shown["deadline"], shown["collective"]) == (
        "MOHRSS17-29", "2023-10-29", True)
    assert shown["representatives"] == ["Wang Wei", "Li Na"]
    code, _, err = run(capsys, *base, "dispute", "extend", case, "--days", "3", "--consent",
                       "--at", "2023-10-09T09:00")
    assert code == 1 and "once" in err
    code, out, _ = run(capsys, *base, "dispute", "list", "--due-within", "3",
                       "--on", "2023-10-27")
    [line] = json.loads(out)
    assert (line["number"], line["rule"], line["deadline"]) == (case, "MOHRSS17-29",
                                                                "2023-10-29")
