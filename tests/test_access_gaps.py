"""The adversarial pass's access findings (issue 16), each a regression test on both stores:
reads are scoped (1), money and the register check their own body (2), thresholds cannot be
split (3), a supervisor's refusal log shows their bodies (4), a payout absorbs a concurrent
desk's write to its fund (8), a made-up identity counts for its id only (9)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from casework import Casework, Directory, PermissionDenied
from casework.cli import main
from workflows.access import Actor

PEOPLE = {
    "m-sub": Actor("m-sub", "mediator", ("subdistrict",)),
    "a-cty": Actor("a-cty", "aid_officer", ("county",)),
    "a-sub": Actor("a-sub", "aid_officer", ("subdistrict",)),
    "sup-cty": Actor("sup-cty", "supervisor", ("county",)),
    "sup": Actor("sup", "supervisor", ("*",)),
    "aud": Actor("aud", "auditor", ("*",)),
}


@pytest.fixture
def cw(store_url: str) -> Iterator[Casework]:
    with Casework(store=store_url, actors=Directory(PEOPLE)) as app:
        for org in ("county", "subdistrict"):
            app.funds.open(f"{org}-aid", name="aid fund", org=org, at=datetime(2022, 12, 1),
                           actor="sup")
            app.funds.contribute(f"{org}-aid", amount=Decimal(200_000), source="allocation",
                                 at=datetime(2022, 12, 2), actor="sup")
        yield app


def dispute(cw: Casework, org: str) -> str:
    return cw.disputes.receive(category="wages", workers=2, amount=Decimal(9000),
                               channel="visit", employer="Acme", petitioner="Wang Xiaoming",
                               contact="138-0000-0000", org=org, at=datetime(2023, 3, 1),
                               actor="sup")


def aid_case(cw: Casework, org: str, worker: str, day: int = 1) -> str:
    case = cw.aid.receive(channel="visit", worker=worker, org=org,
                          at=datetime(2023, 3, day, 9), actor="sup")
    cw.aid.accept(case, at=datetime(2023, 3, day, 10), actor="sup")
    return case


# --- 1. reads are scoped -----------------------------------------------------------------


def test_a_reader_sees_the_cases_of_their_own_bodies_only(cw: Casework) -> None:
    mine, theirs = dispute(cw, "subdistrict"), dispute(cw, "county")
    assert cw.disputes.get(mine, actor="m-sub").petitioner == "Wang Xiaoming"
    with pytest.raises(PermissionDenied, match="m-sub works for subdistrict, not county"):
        cw.disputes.get(theirs, actor="m-sub")
    assert [c.number for c in cw.disputes.list(actor="m-sub")] == [mine]
    with pytest.raises(PermissionDenied):
        cw.disputes.list(org="county", actor="m-sub")
    with pytest.raises(PermissionDenied, match="not in the actors file"):
        cw.disputes.get(mine, actor="nobody")
    with pytest.raises(PermissionDenied, match="say who reads"):
        cw.disputes.get(mine)  # with a directory, a read names its reader
    with pytest.raises(PermissionDenied):
        cw.report(date(2023, 1, 1), date(2023, 6, 30), org="county", actor="m-sub")
    with pytest.raises(PermissionDenied):
        cw.report(date(2023, 1, 1), date(2023, 6, 30), actor="m-sub")  # every body's
    report = cw.report(date(2023, 1, 1), date(2023, 6, 30), org="subdistrict", actor="m-sub")
    assert report.disputes.received == 1
    refused = [(r.actor, r.move) for r in cw.access.refusals("sup")]
    assert refused.count(("m-sub", "read")) == 4 and ("nobody", "read") in refused


def test_an_auditor_sees_case_facts_without_personal_data(cw: Casework) -> None:
    case = dispute(cw, "subdistrict")
    seen = cw.disputes.get(case, actor="aud")
    assert (seen.employer, seen.petitioner, seen.contact) == ("Acme", None, None)
    cw.register.enrol("W-1", reason="illness", name="Li Hua", org="county", actor="sup")
    assert cw.register.get("W-1", actor="aud").name is None
    assert cw.register.get("W-1", actor="a-cty").name == "Li Hua"
    assert "Li Hua" not in cw.register.get("W-1", actor="aud").model_dump_json()


def test_the_cli_shows_nothing_to_an_unknown_reader(cw: Casework, store_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    case = dispute(cw, "county")
    actors = tmp_path / "actors.toml"
    actors.write_text('[actors.m-sub]\nrole = "mediator"\norgs = ["subdistrict"]\n',
                      encoding="utf-8")
    monkeypatch.setenv("CASEWORK_ACTORS", str(actors))
    for who in ("nobody", "m-sub"):
        code = main(["--store", store_url, "--as", who, "dispute", "show", case, "--json"])
        out, err = capsys.readouterr()
        assert code == 1 and out == "" and "Wang" not in err
        assert len(err.strip().splitlines()) == 1


# --- 2. another body's money and register ----------------------------------------------


def test_money_leaves_a_fund_only_at_the_hands_of_its_body(cw: Casework) -> None:
    case = aid_case(cw, "county", "W-1")
    with pytest.raises(PermissionDenied, match="not subdistrict"):
        cw.aid.approve(case, kind="one_off", fund="subdistrict-aid", amount=500,
                       at=datetime(2023, 3, 2), actor="a-cty")
    cw.aid.approve(case, kind="one_off", fund="subdistrict-aid", amount=500,
                   at=datetime(2023, 3, 2), actor="sup")
    with pytest.raises(PermissionDenied, match="not subdistrict"):
        cw.aid.implement(case, at=datetime(2023, 3, 3), actor="a-cty")
    cw.register.enrol("W-1", reason="illness", org="county", at=datetime(2023, 3, 1),
                      actor="sup")
    with pytest.raises(PermissionDenied, match="not subdistrict"):
        cw.aid.run_campaign("spring", fund="subdistrict-aid", workers=["W-1"], amount=100,
                            at=datetime(2023, 3, 4), actor="a-cty")
    assert cw.funds.balance("subdistrict-aid", actor="sup") == Decimal(200_000)


def test_a_register_entry_is_changed_by_its_own_body(cw: Casework) -> None:
    cw.register.enrol("W-2", reason="illness", org="subdistrict", at=datetime(2023, 1, 1),
                      actor="a-sub")
    cw.register.exit("W-2", reason="employed", at=datetime(2023, 2, 1), actor="a-sub")
    with pytest.raises(PermissionDenied, match="not subdistrict"):
        cw.register.enrol("W-2", reason="illness", org="county", at=datetime(2023, 3, 1),
                          actor="a-cty")
    assert cw.register.get("W-2", actor="sup").active is False


# --- 3. thresholds cannot be split --------------------------------------------------------


def one_off(cw: Casework, worker: str, amount: int, day: int, actor: str) -> None:
    case = aid_case(cw, "county", worker, day)
    cw.aid.approve(case, kind="one_off", fund="county-aid", amount=amount,
                   at=datetime(2023, 3, day, 11), actor=actor)


def test_one_offs_to_one_worker_add_up_over_twelve_months(cw: Casework) -> None:
    one_off(cw, "W-3", 1000, 1, "a-cty")
    one_off(cw, "W-3", 1000, 2, "a-cty")  # 2,000 in all: at the limit
    with pytest.raises(PermissionDenied, match="within 12 months would come to 3000"):
        one_off(cw, "W-3", 1000, 3, "a-cty")
    one_off(cw, "W-3", 1000, 4, "sup-cty")  # a supervisor may
    one_off(cw, "W-4", 2000, 5, "a-cty")  # another worker's own limit


def test_subsidies_to_one_worker_add_up(cw: Casework) -> None:
    first = aid_case(cw, "county", "W-5", 1)
    cw.aid.approve(first, kind="monthly_subsidy", fund="county-aid", monthly_amount=200,
                   first_month="2023-03", at=datetime(2023, 3, 1, 11), actor="a-cty")
    second = aid_case(cw, "county", "W-5", 2)
    with pytest.raises(PermissionDenied, match="would come to 350"):
        cw.aid.approve(second, kind="monthly_subsidy", fund="county-aid", monthly_amount=150,
                       first_month="2023-04", at=datetime(2023, 3, 2, 11), actor="a-cty")


def test_a_campaign_pays_no_more_than_the_limit_per_worker_without_a_supervisor(
        cw: Casework) -> None:
    for w in ("W-6", "W-7"):
        cw.register.enrol(w, reason="illness", org="county", at=datetime(2023, 1, 1),
                          actor="a-cty")
    with pytest.raises(PermissionDenied, match="campaign payments"):
        cw.aid.run_campaign("big", fund="county-aid", workers=["W-6", "W-7"], amount=50_000,
                            at=datetime(2023, 1, 20), actor="a-cty")
    assert cw.funds.balance("county-aid", actor="sup") == Decimal(200_000)  # nobody paid
    cw.aid.run_campaign("spring", fund="county-aid", workers=["W-6"], amount=800,
                        at=datetime(2023, 1, 21), actor="a-cty")
    with pytest.raises(PermissionDenied, match="would come to 1600"):
        cw.aid.run_campaign("dragon-boat", fund="county-aid", workers=["W-6"], amount=800,
                            at=datetime(2023, 6, 1), actor="a-cty")


# --- 4. the refusal log -------------------------------------------------------------------


def test_a_supervisor_sees_the_refusals_of_their_own_bodies(cw: Casework) -> None:
    county, subdistrict = dispute(cw, "county"), dispute(cw, "subdistrict")
    for case in (county, subdistrict):
        with pytest.raises(PermissionDenied):
            cw.disputes.accept(case, actor="a-cty")
    assert {r.org for r in cw.access.refusals("sup-cty")} == {"county"}
    assert {r.org for r in cw.access.refusals("sup")} == {"county", "subdistrict"}


# --- 8. a payout and a concurrent desk ---------------------------------------------------


def test_a_payout_absorbs_a_concurrent_write_to_its_fund(cw: Casework,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cases = []
    for i, worker in enumerate(("W-8", "W-9", "W-10")):
        case = aid_case(cw, "county", worker, i + 1)
        cw.aid.approve(case, kind="monthly_subsidy", fund="county-aid", monthly_amount=100,
                       first_month="2023-01", at=datetime(2023, 3, i + 1, 11), actor="sup")
        cases.append(case)
    other = Casework(store=cw.store.url, actors=Directory(PEOPLE))
    record = cw.log.record
    interfered: list[Any] = []

    def another_desk_first(*records: Any) -> None:
        if not interfered:  # another desk credits the fund, dated a little later, just now
            interfered.append(other.funds.contribute(
                "county-aid", amount=1, source="drive", at=datetime(2023, 3, 31, 18),
                actor="sup"))
        record(*records)

    monkeypatch.setattr(cw.log, "record", another_desk_first)
    payout = cw.aid.pay_quarter("2023Q1", org="county", actor="a-cty")
    other.close()
    assert sorted(p.to for p in payout.paid) == sorted(cases)
    again = cw.aid.pay_quarter("2023Q1", org="county", actor="a-cty")
    assert again.paid == () and sorted(again.already_paid) == sorted(cases)
    fund = cw.funds.get("county-aid", actor="sup")
    assert fund.disbursed == Decimal(900) and fund.balance == Decimal(200_001 - 900)


def test_json_views_of_a_redacted_case_carry_no_personal_data(cw: Casework) -> None:
    case = dispute(cw, "county")
    shown = json.loads(cw.disputes.get(case, actor="aud").model_dump_json())
    assert shown["petitioner"] is None and "Wang" not in json.dumps(shown)
