"""Labour disputes against the reference model: random valid and invalid commands.

Wrong moves, bad values and times before a case's previous event must be refused with a
CaseworkError and store nothing; everything else must be accepted and numbered as the
model predicts. The base machine checks records and statistics (tests/reference.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from casework import CaseNotFound, InvalidInput
from tests.reference import (
    BAD_ACTORS,
    BAD_TIMES,
    CATEGORIES,
    CHANNELS,
    DISPUTE_MOVES,
    ENTERPRISE_COMMITTEE,
    MACHINE_SETTINGS,
    TZ,
    CentreMachine,
    minutes,
    seldom,
)

ORGS = ("subdistrict", "county")
money = st.decimals(min_value=0, max_value=Decimal("5000000"), places=2)
BAD_PETITIONS: list[tuple[str, Any]] = [
    ("workers", 0), ("workers", "3"), ("workers", True), ("workers", 10**7),
    ("amount", "-1"), ("amount", "1.001"), ("amount", float("nan")), ("amount", "lots"),
    ("category", "theft"), ("channel", "fax"), ("employer", ""), ("employer", "x" * 201),
    ("org", "two words"), *(("at", t) for t in BAD_TIMES), *(("actor", a) for a in BAD_ACTORS),
]
#: A valid value for each move's own field, and a value it must refuse ("today": the day
#: of the move, filled in when it is made).
MOVE_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "accept": ({}, {}),
    "answer": ({"reply": "explained the wage rules"}, {"reply": 5}),
    "refer": ({"to": "the labour inspection brigade"}, {"to": ""}),
    "decline": ({"reason": "not a labour matter", "notice_on": "today"}, {"reason": ""}),
    "start_mediation": ({"mediator": "m-02"}, {"mediator": "m 02"}),
    "extend": ({"days": 7, "consent": True}, {"days": 0}),
    "resolve": ({"settled_amount": Decimal("8000.50")}, {"settled_amount": "-5"}),
    "terminate": ({"reason": "party_refused", "notice_on": "today"}, {"reason": "bored"}),
    "arbitration_applied": ({"commission": "District LDAC"}, {"commission": ""}),
    "follow_up": ({"performed": "yes"}, {"performed": "maybe"}),
    "review_applied": ({"review": "judicial_confirmation", "to": "District court"},
                       {"review": "appeal"}),
    "escalate": ({"to": "labour_inspection"}, {"to": "the press"}),
    "withdraw": ({"reason": "settled privately"}, {"reason": " "}),
    "reopen": ({"reason": "the employer did not pay"}, {"reason": ""}),
}


def on_the_day(fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {k: at.astimezone(TZ).date() if v == "today" else v for k, v in fields.items()}


class DisputeMachine(CentreMachine):
    def __init__(self) -> None:
        super().__init__()  # the county's committee: 15 days from acceptance, an extension
        self.cw.bodies.register("county", name="County mediation committee",
                                kind=ENTERPRISE_COMMITTEE, at=self.now, actor="s-01")
        self.model.bodies["county"] = ENTERPRISE_COMMITTEE

    @rule(org=st.sampled_from(ORGS), category=st.sampled_from(CATEGORIES),
          workers=st.integers(1, 80), amount=money, channel=st.sampled_from(CHANNELS),
          employer=st.sampled_from(["Acme Textiles", "Jade Foods"]), step=minutes)
    def receive(self, org: str, category: str, workers: int, amount: Decimal, channel: str,
                employer: str, step: int) -> None:
        at = self.tick(step)
        facts = {"org": org, "category": category, "workers": workers, "amount": amount,
                 "channel": channel, "employer": employer}
        expected = self.model.next_number("dispute", at)
        number = self.cw.disputes.receive(**facts, at=at, actor="m-01")
        assert number == expected
        self.model.receive(number, "dispute", at=at, **facts)

    @rule(bad=st.sampled_from(BAD_PETITIONS))
    def receive_bad_petition(self, bad: tuple[str, Any]) -> None:
        facts: dict[str, Any] = {"org": "county", "category": "wages", "workers": 2,
                                 "amount": "100", "channel": "visit", "employer": "Acme",
                                 "at": self.now, "actor": "m-01"}
        facts[bad[0]] = bad[1]
        self.twin.refused(lambda: self.cw.disputes.receive(**facts), InvalidInput)

    @precondition(lambda self: self.numbers("dispute"))
    @rule(data=st.data(), moves=st.lists(st.tuples(st.sampled_from(sorted(DISPUTE_MOVES)),
                                                   minutes, seldom, seldom),
                                         min_size=1, max_size=6))
    def move(self, data: st.DataObject, moves: list[tuple[str, int, bool, bool]]) -> None:
        """Moves on random cases: the model says whether the lifecycle and clock allow each."""
        for move, step, stale, bad_field in moves:
            number = data.draw(st.sampled_from(self.numbers("dispute")))
            self.one_move(number, move, step, stale, bad_field)

    def one_move(self, number: str, move: str, step: int, stale: bool, bad_field: bool) -> None:
        at = self.model.cases[number].last_at - timedelta(hours=1) if stale else self.tick(step)
        good, bad = (on_the_day(f, at) for f in MOVE_FIELDS[move])
        command = getattr(self.cw.disputes, move)
        if bad_field and bad:
            self.twin.refused(lambda: command(number, at=at, actor="m-01", **bad), InvalidInput)
        else:
            self.twin.run(lambda: command(number, at=at, actor="m-01", **good),
                          lambda: self.model.dispute(number, move, at, **good))

    @rule(move=st.sampled_from(sorted(DISPUTE_MOVES)))
    def move_unknown_case(self, move: str) -> None:
        good = on_the_day(MOVE_FIELDS[move][0], self.now)
        command = getattr(self.cw.disputes, move)
        self.twin.refused(lambda: command("LD-2023-9999", at=self.now, actor="m-01", **good),
                          CaseNotFound)

    @precondition(lambda self: self.numbers("dispute"))
    @rule(data=st.data(), bad=st.sampled_from([*(("at", t) for t in BAD_TIMES),
                                              *(("actor", a) for a in BAD_ACTORS)]))
    def move_bad_who_or_when(self, data: st.DataObject, bad: tuple[str, Any]) -> None:
        number = data.draw(st.sampled_from(self.numbers("dispute")))
        kwargs: dict[str, Any] = {"at": self.now, "actor": "m-01", bad[0]: bad[1]}
        self.twin.refused(lambda: self.cw.disputes.accept(number, **kwargs), InvalidInput)


DisputeMachine.TestCase.settings = MACHINE_SETTINGS
TestDisputes = DisputeMachine.TestCase
