"""Back-dated fund movements beyond the spec (features/fund_backlogs.feature): processes
racing to back-date payments into one fund, snapshots, the terminal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from casework import Casework, InsufficientFunds, retry
from casework.cli import main
from conftest import run_together
from domain.funds import AidFund

PROCESSES, PAYMENTS = 4, 6
FUND, SEED, LATE, RELIEF = "backlog-fund", Decimal(2000), Decimal(500), Decimal(150)
JAN = datetime(2023, 1, 5, 9)


def _back_date(url: str, me: int, start: Any, results: Any) -> None:
    """Approve this process's cases, then deliver each dated back into February–November,
    before the fund's December payment: only what every later balance covers is paid."""
    actor = f"a-{me:02d}"
    try:
        with Casework(store=url) as cw:
            cases = []
            for i in range(PAYMENTS):
                case = cw.aid.receive(channel="phone", at=JAN, actor=actor)
                cw.aid.accept(case, at=JAN, actor=actor)
                cw.aid.approve(case, kind="one_off", fund=FUND, amount=RELIEF, at=JAN,
                               actor=actor)
                cases.append((case, JAN + timedelta(days=30 + 7 * i + me)))
            start.wait()
            paid = refused = 0
            for case, at in cases:
                try:
                    retry(lambda c=case, t=at: cw.aid.implement(c, at=t, actor=actor),
                          attempts=30)
                    paid += 1
                except InsufficientFunds:
                    refused += 1
            results.put({"paid": paid, "refused": refused})
    except Exception as e:  # the parent names the failure
        results.put({"error": f"{type(e).__name__}: {e}"})


def test_processes_back_dating_payments_into_one_fund_pay_exactly_what_it_covers(
    store_url: str,
) -> None:
    with Casework(store=store_url) as cw:
        cw.funds.open(FUND, name="Backlog fund", at=JAN, actor="a-01")
        cw.funds.contribute(FUND, amount=SEED, source="city allocation", at=JAN, actor="a-01")
        late = cw.aid.receive(channel="visit", at=JAN, actor="a-01")
        cw.aid.accept(late, at=JAN, actor="a-01")
        cw.aid.approve(late, kind="one_off", fund=FUND, amount=LATE, at=JAN, actor="a-01")
        cw.aid.implement(late, at=datetime(2023, 12, 1, 9), actor="a-01")

    reports = run_together(_back_date, PROCESSES, lambda me: (store_url, me))

    with Casework(store=store_url) as cw:
        fits = (SEED - LATE) // RELIEF  # every back-dated payment is before December's
        assert sum(r["paid"] for r in reports) == fits
        assert sum(r["refused"] for r in reports) == PROCESSES * PAYMENTS - fits
        fund = cw.funds.get(FUND)
        assert fund.balance == SEED - LATE - fits * RELIEF == fund.contributed - fund.disbursed
        ledger = cw.funds.ledger(FUND)
        assert [m.at for m in ledger] == sorted(m.at for m in ledger)
        assert all(m.balance >= 0 for m in ledger)
        assert ledger[-1].balance == fund.balance and ledger[-1].amount == -LATE


def _fund_of(cw: Casework, movements: int) -> None:
    cw.funds.open("f", name="F", at=JAN, actor="a-01")
    for i in range(movements):
        cw.funds.contribute("f", amount=10, source="drive", at=JAN + timedelta(days=i),
                            actor="a-01")


def test_a_snapshotted_fund_checks_back_dated_payments_as_its_events_do(tmp_path: Any) -> None:
    with Casework(store=f"sqlite:///{tmp_path / 'cw.db'}") as cw:
        _fund_of(cw, 150)  # a snapshot at event 100, then 51 more
        stored = list(cw.log.snapshots.get(AidFund.id_for("f")))  # type: ignore[union-attr]
        assert [s.originator_version for s in stored] == [100]
        replayed = cw.log._replayed(AidFund.id_for("f"))
        assert vars(cw.log.load(AidFund, "f")) == vars(replayed)
        assert cw.funds.balance("f", on=date(2023, 2, 3)) == 300  # 5 Jan … 3 Feb: 30 days
        with pytest.raises(InsufficientFunds) as refused:
            _pay(cw, 301, JAN + timedelta(days=29, hours=1))
        assert (refused.value.on, refused.value.short) == (date(2023, 2, 3), Decimal(1))


def _pay(cw: Casework, amount: int, at: datetime) -> None:
    case = cw.aid.receive(channel="visit", at=JAN, actor="a-01")
    cw.aid.accept(case, at=JAN, actor="a-01")
    cw.aid.approve(case, kind="one_off", fund="f", amount=amount, at=JAN, actor="a-01")
    cw.aid.implement(case, at=at, actor="a-01")


def test_a_snapshot_from_before_funds_kept_their_moments_is_replayed_and_taken_again(
    tmp_path: Any,
) -> None:
    """A store written by the previous version: its fund snapshot has no moments (and no
    class_version). Loading the fund replays its events, exact, and snapshots it anew."""
    with Casework(store=f"sqlite:///{tmp_path / 'cw.db'}") as cw:
        _fund_of(cw, 120)
        key = AidFund.id_for("f")
        *_, new = cw.log.snapshots.get(key)  # type: ignore[union-attr]
        old_state = {k: v for k, v in new.state.items()
                     if k not in ("class_version", "opened_at", "moments", "changes",
                                  "corrected")}
        old = type(new)(originator_id=key, originator_version=120,
                        timestamp=datetime.now(UTC), topic=new.topic, state=old_state)
        cw.log.snapshots.put([old])  # type: ignore[union-attr]
        fund = cw.log.load(AidFund, "f")
        assert not hasattr(fund, "replay") and len(fund.moments) == 120
        assert fund.balance == 1200 and fund.opened_at == cw.clock.when(JAN)
        latest = cw.log.snapshots.get(key, desc=True, limit=1)  # type: ignore[union-attr]
        assert next(iter(latest)).state["class_version"] == 2
        _pay(cw, 100, JAN + timedelta(days=9, hours=1))  # 5–14 Jan: 100 yuan there
        assert cw.funds.balance("f", on=date(2023, 1, 14)) == 0


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_terminal_back_dates_corrects_and_refuses_in_its_language(
    capsys: pytest.CaptureFixture[str], store_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CASEWORK_LANG", raising=False)
    monkeypatch.setenv("CASEWORK_ACTOR", "a-01")
    s = ["--store", store_url]
    assert run(capsys, *s, "fund", "open", "county-aid", "--name", "County",
               "--at", "2023-01-03")[0] == 0
    assert run(capsys, *s, "fund", "contribute", "county-aid", "--amount", "500",
               "--source", "drive", "--at", "2023-03-01")[0] == 0
    assert run(capsys, *s, "fund", "contribute", "county-aid", "--amount", "100",
               "--source", "drive", "--at", "2023-01-05")[0] == 0  # typed up later
    code, out, _ = run(capsys, *s, "--json", "aid", "receive", "--channel", "visit",
                       "--at", "2023-01-10")
    case = json.loads(out)["case"]
    for args in (["accept", case, "--at", "2023-01-10T10:00"],
                 ["approve", case, "--kind", "one_off", "--fund", "county-aid", "--amount",
                  "400", "--at", "2023-01-10T11:00"]):
        assert run(capsys, *s, "aid", *args)[0] == 0
    code, _, err = run(capsys, *s, "aid", "implement", case, "--at", "2023-02-01")
    assert (code, err.strip()) == (
        1, "error: 帮困基金 'county-aid' 将在 2023-02-01 出现负余额,缺口 300.00 元")
    monkeypatch.setenv("CASEWORK_LANG", "en")
    code, _, err = run(capsys, *s, "aid", "implement", case, "--at", "2023-02-01")
    assert err.strip() == ("error: fund 'county-aid' would go below zero on 2023-02-01, "
                           "short by 300.00 yuan")
    assert run(capsys, *s, "fund", "correct", "county-aid", "--movement", "3", "--amount",
               "400", "--reason", "typo on the slip")[0] == 0
    assert run(capsys, *s, "aid", "implement", case, "--at", "2023-02-01")[0] == 0
    code, out, _ = run(capsys, *s, "--json", "fund", "ledger", "county-aid")
    assert [(m["number"], m["purpose"], m["amount"], m["balance"]) for m in json.loads(out)] \
        == [(3, "contribution", "100.00", "100.00"), (4, "correction", "300.00", "400.00"),
            (5, "one_off", "-400.00", "0.00"), (2, "contribution", "500.00", "500.00")]
    code, out, _ = run(capsys, *s, "--json", "fund", "balance", "county-aid", "--on",
                       "2023-02-28")
    assert (code, json.loads(out)) == (0, "0.00")
