"""Who may do what: roles, union bodies, approval thresholds, the refusal log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from casework import Actor, Casework, InvalidInput, PermissionDenied
from casework.cli import main

ACTORS = """
[thresholds]
one_off = 2000
monthly = 300

[actors.m-01]
role = "mediator"
orgs = ["subdistrict"]

[actors.a-01]
role = "aid_officer"
orgs = ["county"]

[actors.sup]
role = "supervisor"
orgs = ["*"]

[actors.aud]
role = "auditor"
orgs = ["*"]
"""


@pytest.fixture
def actors_file(tmp_path: Path) -> Path:
    path = tmp_path / "actors.toml"
    path.write_text(ACTORS, encoding="utf-8")
    return path


@pytest.fixture
def cw(store_url: str, actors_file: Path) -> Casework:
    app = Casework(store=store_url, actors=actors_file)
    app.funds.open("county-aid", name="County aid", org="county", at=datetime(2022, 12, 1),
                   actor="sup")
    app.funds.contribute("county-aid", amount=Decimal(10_000), source="allocation",
                         at=datetime(2022, 12, 2), actor="sup")
    return app


def events(cw: Casework) -> int:
    return cw.log.recorder.max_notification_id() or 0


def petition(cw: Casework, org: str, actor: str | Actor) -> str:
    return cw.disputes.receive(category="wages", workers=1, amount=Decimal(1000),
                               channel="visit", employer="Acme", org=org,
                               at=datetime(2023, 3, 1), actor=actor)


def test_a_mediator_works_on_their_own_bodies_cases_only(cw: Casework) -> None:
    case = petition(cw, "subdistrict", "m-01")
    cw.disputes.accept(case, at=datetime(2023, 3, 2), actor="m-01")
    other = petition(cw, "county", "sup")
    with pytest.raises(PermissionDenied, match="m-01 works for subdistrict, not county"):
        cw.disputes.accept(other, at=datetime(2023, 3, 2), actor="m-01")
    with pytest.raises(PermissionDenied):
        petition(cw, "county", "m-01")
    assert cw.disputes.get(other, actor="sup").state == "received"


def test_a_refused_command_changes_no_case_and_is_logged_for_a_supervisor(cw: Casework) -> None:
    other = petition(cw, "county", "sup")
    cases_before = [c.model_dump() for c in cw.disputes.list(actor="sup")]
    with pytest.raises(PermissionDenied):
        cw.disputes.accept(other, at=datetime(2023, 3, 2), actor="m-01")
    assert [c.model_dump() for c in cw.disputes.list(actor="sup")] == cases_before
    assert [h.type for h in cw.disputes.get(other, actor="sup").history] == ["receive"]
    refusals = cw.access.refusals("sup")
    assert [(r.actor, r.move, r.record, r.org) for r in refusals] == [
        ("m-01", "accept", other, "county")]
    assert cw.access.refusals("aud", org="subdistrict") == []
    with pytest.raises(PermissionDenied):
        cw.access.refusals("m-01")


def test_big_aid_takes_a_supervisor(cw: Casework) -> None:
    case = cw.aid.receive(channel="visit", org="county", at=datetime(2023, 2, 1), actor="a-01")
    cw.aid.accept(case, at=datetime(2023, 2, 2), actor="a-01")
    with pytest.raises(PermissionDenied, match="a supervisor must approve"):
        cw.aid.approve(case, kind="one_off", fund="county-aid", amount=2500,
                       at=datetime(2023, 2, 3), actor="a-01")
    with pytest.raises(PermissionDenied, match="monthly subsidies together"):
        cw.aid.approve(case, kind="monthly_subsidy", fund="county-aid", monthly_amount=350,
                       first_month="2023-03", at=datetime(2023, 2, 3), actor="a-01")
    cw.aid.approve(case, kind="one_off", fund="county-aid", amount=2500,
                   at=datetime(2023, 2, 3), actor="sup")
    cw.aid.implement(case, at=datetime(2023, 2, 4), actor="a-01")
    assert cw.funds.balance("county-aid", actor="a-01") == Decimal(7500)


def test_an_auditor_reads_and_reports_but_changes_nothing(cw: Casework) -> None:
    case = petition(cw, "subdistrict", "m-01")
    before = events(cw)
    with pytest.raises(PermissionDenied, match="auditor"):
        cw.disputes.accept(case, at=datetime(2023, 3, 2), actor="aud")
    with pytest.raises(PermissionDenied):
        cw.funds.contribute("county-aid", amount=1, source="x", actor="aud")
    written = cw.log.recorder.select_notifications(start=before, limit=10,
                                                   inclusive_of_start=False)
    assert {n.topic.split(":")[0] for n in written} == {"domain.access"}  # refusal log only
    assert len(cw.access.refusals("sup")) == 2
    assert cw.disputes.get(case, actor="aud").state == "received"
    assert cw.report(date(2023, 1, 1), date(2023, 6, 30), actor="aud").disputes.received == 1


def test_unknown_actors_and_other_roles_are_refused(cw: Casework) -> None:
    with pytest.raises(PermissionDenied, match="not in the actors file"):
        petition(cw, "subdistrict", "m-99")
    with pytest.raises(PermissionDenied, match="mediator"):
        cw.aid.receive(channel="visit", org="subdistrict", actor="m-01")


def test_an_actor_object_counts_for_its_id_only(cw: Casework) -> None:
    """Finding 9 of the adversarial pass: a self-made role and bodies are not believed."""
    with pytest.raises(PermissionDenied, match="not in the actors file"):
        petition(cw, "county", Actor("nobody", "supervisor", ("*",)))
    with pytest.raises(PermissionDenied, match="m-01 works for subdistrict, not county"):
        petition(cw, "county", Actor("m-01", "supervisor", ("*",)))
    petition(cw, "subdistrict", Actor("m-01", "auditor", ()))  # m-01 is a mediator there


def test_a_bad_actors_file_is_refused(tmp_path: Path, store_url: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[actors.x]\nrole = "king"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"actors\.x\.role"):
        Casework(store=store_url, actors=bad)


def test_the_cli_acts_as_the_named_actor(cw: Casework, store_url: str, actors_file: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_ACTORS", str(actors_file))
    case = petition(cw, "county", "sup")
    code = main(["--store", store_url, "--as", "m-01", "dispute", "accept", case,
                 "--at", "2023-03-02T10:00"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: accept") and len(err.strip().splitlines()) == 1
    assert main(["--store", store_url, "--as", "sup", "dispute", "accept", case,
                 "--at", "2023-03-02T10:00"]) == 0
