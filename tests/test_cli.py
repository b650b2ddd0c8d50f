"""`casework` on a terminal: the dispute, aid, register and fund commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casework.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(store_url: str) -> str:
    return store_url


def test_a_dispute_from_the_terminal(capsys: pytest.CaptureFixture[str], store: str) -> None:
    code, out, _ = run(capsys, "--store", store, "--json", "dispute", "receive",
                       "--category", "wages", "--workers", "3", "--amount", "12000",
                       "--channel", "visit", "--employer", "Acme Textiles",
                       "--at", "2023-03-01T09:30", "--actor", "m-01")
    assert code == 0
    case = json.loads(out)["case"]
    assert case == "LD-2023-0001"
    for args in (["accept", case, "--at", "2023-03-02T10:00"],
                 ["mediate", case, "--mediator", "m-02", "--at", "2023-03-02T14:00"],
                 ["resolve", case, "--settled-amount", "11000", "--at", "2023-03-09T10:00"]):
        assert run(capsys, "dispute", *args, "--actor", "m-01", "--store", store)[0] == 0
    code, out, _ = run(capsys, "dispute", "show", case, "--store", store, "--json")
    shown = json.loads(out)
    assert shown["state"] == "resolved"
    assert shown["settled_amount"] == "11000.00"
    assert [h["type"] for h in shown["history"]] == [
        "receive", "accept", "start_mediation", "resolve"]
    code, out, _ = run(capsys, "--store", store, "dispute", "list", "--state", "resolved")
    assert code == 0 and case in out


def test_errors_are_one_line_and_exit_non_zero(capsys: pytest.CaptureFixture[str],
                                               store: str) -> None:
    code, _, err = run(capsys, "--store", store, "dispute", "accept", "LD-2023-0404",
                         "--actor", "m-01")
    assert code == 1
    assert err.strip() == "error: no dispute 'LD-2023-0404'"
    code, _, err = run(capsys, "--store", store, "dispute", "receive", "--category", "theft",
                       "--workers", "0", "--amount", "NaN", "--channel", "visit",
                       "--employer", "X", "--actor", "m-01")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "category" in err and "workers" in err and "amount" in err
    code, _, err = run(capsys, "--store", "mysql://x/y", "dispute", "list")
    assert code == 1 and "unknown store" in err and "Traceback" not in err


def test_aid_register_and_funds(capsys: pytest.CaptureFixture[str], store: str) -> None:
    def ok(*args: str) -> str:
        code, out, err = run(capsys, "--store", store, "--org", "county", *args,
                             "--actor", "a-01")
        assert code == 0, err
        return out

    ok("fund", "open", "relief", "--name", "Relief fund", "--at", "2022-12-01T09:00")
    ok("fund", "contribute", "relief", "--amount", "1000", "--source", "drive",
       "--at", "2022-12-02T09:00")
    ok("register", "enrol", "W-1", "--reason", "illness", "--at", "2022-12-03T09:00")
    case = json.loads(ok("--json", "aid", "receive", "--channel", "phone", "--worker", "W-1",
                         "--at", "2022-12-05T09:00"))["case"]
    ok("aid", "accept", case, "--at", "2022-12-06T09:00")
    ok("aid", "approve", case, "--kind", "monthly_subsidy", "--fund", "relief",
       "--monthly-amount", "200", "--first-month", "2023-01", "--at", "2022-12-07T09:00")
    paid = json.loads(ok("--json", "aid", "pay-quarter", "2023Q1", "--at", "2023-03-31T10:00"))
    assert [p["amount"] for p in paid["paid"]] == ["600.00"]
    again = json.loads(ok("--json", "aid", "pay-quarter", "2023Q1", "--at", "2023-04-01T10:00"))
    assert again["paid"] == [] and again["already_paid"] == [case]
    out = ok("--json", "aid", "campaign", "spring-2023", "--fund", "relief", "--amount", "100",
             "--worker", "W-1", "--at", "2023-04-02T10:00")
    assert json.loads(out)["paid"][0]["to"] == "W-1"
    assert json.loads(ok("--json", "fund", "show", "relief"))["balance"] == "300.00"


def test_the_installed_command_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casework", "--store", f"sqlite:///{tmp_path}/x.db", "dispute",
         "accept", "LD-2023-0001", "--actor", "m"], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: no dispute 'LD-2023-0001'"
