"""Two ways to the same numbers: projection == replay == a plain-Python recount.

Hypothesis draws a history of commands — disputes and aid cases across three union bodies,
funds, the register, quarterly payouts, condolence campaigns, corrections of a dispute's
facts (possibly counted in earlier periods), voids of cases entered by mistake and reopened
mediations — with business times rising
from December 2022 to August 2023, runs it through the public API and through the
reference model (tests/reference.py), and compares the three reports for several windows.

Stores: every SQLite example gets a fresh file. A fresh PostgreSQL database per example
costs about a second, so the PostgreSQL run reuses the one database of the `store_url`
fixture for fewer examples, each with its own union bodies, funds and register ids (a
random token in every name), and compares per-body reports only: the roll-up would add up
the earlier examples' bodies too.
"""

from __future__ import annotations

import itertools
import os
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from casework import Casework
from tests.reference import (
    AID_MOVES,
    CATEGORIES,
    CHANNELS,
    DISPUTE_MOVES,
    ENTERPRISE_COMMITTEE,
    Model,
    Twin,
)
from tests.reference import figures_differ as differ

DEEP = os.environ.get("CASEWORK_DEEP") == "1"
TZ = ZoneInfo("Asia/Shanghai")  # local dates differ from UTC ones: periods must use local
FIRST = datetime(2022, 12, 1, 9, tzinfo=TZ)
LAST = datetime(2023, 8, 31, 18, tzinfo=TZ)
EMPLOYERS = ("Acme Textiles", "Harbour Logistics", "Sunrise Electronics", "Jade Foods")
MEDIATORS = ("m-01", "m-02", "m-03")
WINDOWS = [  # (start, end, as_of)
    (date(2023, 1, 1), date(2023, 6, 30), None),  # 2023H1
    (date(2023, 4, 1), date(2023, 6, 30), None),  # 2023Q2
    (date(2023, 1, 1), date(2023, 6, 30), date(2023, 3, 31)),  # H1 as it stood on 31 March
    (date(2022, 12, 1), date(2023, 8, 31), date(2023, 8, 31)),  # everything
]
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000"), places=2)


class History:
    """Draws one valid history, step by step, running each command on the API and model."""

    def __init__(self, data: st.DataObject, cw: Casework, token: str, shared: bool) -> None:
        self.data, self.cw, self.shared = data, cw, shared
        self.model = Model(TZ)
        self.twin = Twin(cw, self.model)
        self.orgs = [f"{o}{token}" for o in ("subdistrict", "county", "department")]
        self.token = token
        self.now = FIRST

    def draw(self, strategy: st.SearchStrategy[object]) -> object:
        return self.data.draw(strategy)

    def tick(self) -> datetime:
        """The next business time: later than (or equal to) the last, often days later."""
        step = self.data.draw(st.sampled_from([0, 7, 90, 1440, 3 * 1440, 7 * 1440, 12 * 1440]))
        self.now = min(self.now + timedelta(minutes=step + self.data.draw(st.integers(0, 59))),
                       LAST)
        return self.now

    def run(self, steps: int) -> None:
        committee = self.orgs[2]  # its disputes: 15 days from acceptance, one extension
        self.cw.bodies.register(committee, name="Mediation committee",
                                kind=ENTERPRISE_COMMITTEE, at=FIRST, actor="s-01")
        self.model.bodies[committee] = ENTERPRISE_COMMITTEE
        for org in self.orgs:  # every body starts with a fund
            self.open_fund(org)
        actions = [self.receive_dispute, *[self.move_dispute] * 4, *[self.receive_aid] * 2,
                   *[self.move_aid] * 6, self.enrol, self.contribute, *[self.pay_quarter] * 2,
                   self.campaign, self.exit, self.open_fund_anywhere, self.correct_dispute,
                   self.void, self.reopen, self.contribute_late, self.deliver_late,
                   self.correct_fund]
        for _ in range(steps):
            self.data.draw(st.sampled_from(actions))()
            if self.now >= LAST:
                break

    def org(self) -> str:
        return str(self.draw(st.sampled_from(self.orgs)))

    def funds_of(self, org: str) -> list[str]:
        return sorted(f.code for f in self.model.funds.values() if f.org == org)

    def open_fund(self, org: str) -> None:
        code = f"fund-{org}-{len(self.model.funds)}"
        at = self.tick()
        self.twin.run(lambda: self.cw.funds.open(code, name="Hardship fund", org=org, at=at,
                                                 actor="a-01"),
                      lambda: self.model.open_fund(code, org, at))
        self.contribute(code)

    def open_fund_anywhere(self) -> None:
        self.open_fund(self.org())

    def contribute(self, code: str | None = None) -> None:
        code = code or str(self.draw(st.sampled_from(sorted(self.model.funds))))
        amount = Decimal(str(self.draw(st.sampled_from([500, 3000, 20000, 60000]))))
        at = self.tick()
        self.twin.run(lambda: self.cw.funds.contribute(code, amount=amount, source="drive",
                                                       at=at, actor="a-01"),
                      lambda: self.model.contribute(code, amount, at))

    def contribute_late(self) -> None:
        """A paper slip typed up late: a contribution dated back to any moment since its
        fund opened (the business clock stays where it is)."""
        fund = self.model.funds[str(self.draw(st.sampled_from(sorted(self.model.funds))))]
        span = int((self.now - fund.opened_at).total_seconds() // 60)
        at = fund.opened_at + timedelta(minutes=int(self.draw(st.integers(0, span))))  # type: ignore[call-overload]
        amount = Decimal(str(self.draw(st.sampled_from([500, 3000]))))
        self.twin.run(lambda: self.cw.funds.contribute(fund.code, amount=amount, source="drive",
                                                       at=at, actor="a-01"),
                      lambda: self.model.contribute(fund.code, amount, at))

    def deliver_late(self) -> None:
        """Approved help delivered, dated at its approval: perhaps before newer movements
        of its fund, which must cover it from then on."""
        approved = sorted(c.number for c in self.model.cases.values()
                          if c.kind == "aid" and c.state == "approved")
        if not approved:
            return self.move_aid()
        number = str(self.draw(st.sampled_from(approved)))
        at = self.model.cases[number].last_at
        self.twin.run(lambda: self.cw.aid.implement(number, at=at, actor="a-01"),
                      lambda: self.model.aid(number, "implement", at))

    def correct_fund(self) -> None:
        """A movement's amount corrected: a contribution's is, anything else is refused."""
        fund = self.model.funds[str(self.draw(st.sampled_from(sorted(self.model.funds))))]
        number = int(self.draw(st.integers(1, len(fund.numbers))))  # type: ignore[call-overload]
        amount = Decimal(str(self.draw(st.sampled_from([100, 2500, 70000]))))
        self.twin.run(lambda: self.cw.funds.correct(fund.code, movement=number, amount=amount,
                                                    reason="typo on the slip", at=self.now,
                                                    actor="a-01"),
                      lambda: fund.correct(number, amount))

    def receive_dispute(self) -> None:
        workers = int(self.draw(st.integers(1, 40)))  # type: ignore[call-overload]
        common = bool(self.draw(st.booleans()))
        facts = {
            "org": self.org(), "category": self.draw(st.sampled_from(CATEGORIES)),
            "workers": workers, "amount": self.draw(money),
            "channel": self.draw(st.sampled_from(CHANNELS)),
            "employer": self.draw(st.sampled_from(EMPLOYERS)), "common_claim": common,
            "representatives": ["Wang Wei"] if common and workers >= 10 else None,
        }
        at = self.tick()
        number = self.cw.disputes.receive(**facts, at=at, actor="m-01")  # type: ignore[arg-type]
        self.model.receive(number, "dispute", at=at, **facts)  # type: ignore[arg-type]

    def pick_move(self, table: dict[str, tuple[frozenset[str], str]], state: str) -> str:
        """A move allowed from `state`, the way forward three times as likely as a way out."""
        moves = [m for m, (src, _) in table.items() if state in src]
        ahead = [m for m in moves if m not in (
            "decline", "answer", "refer", "escalate", "withdraw", "terminate",
            "arbitration_applied", "reopen")]
        return str(self.draw(st.sampled_from(moves + ahead * 3)))

    def move_dispute(self) -> None:
        open_ = [c for c in self.model.cases.values()
                 if c.kind == "dispute" and any(c.state in src for src, _ in
                                                DISPUTE_MOVES.values())]
        if not open_:
            return self.receive_dispute()
        case = self.draw(st.sampled_from(open_))
        move = self.pick_move(DISPUTE_MOVES, case.state)  # type: ignore[attr-defined]
        at = self.tick()
        today = at.astimezone(TZ).date()
        facts: dict[str, object] = {
            "accept": {}, "decline": {"reason": "not a labour dispute", "notice_on": today},
            "answer": {"reply": "explained the wage rules"},
            "refer": {"to": "the labour inspection brigade"},
            "start_mediation": {"mediator": self.draw(st.sampled_from(MEDIATORS))},
            "extend": {"days": self.draw(st.integers(1, 16)),
                       "consent": self.draw(st.sampled_from([True, True, True, False]))},
            "resolve": {"settled_amount": self.draw(money)},
            "terminate": {"reason": self.draw(st.sampled_from(["expired", "party_refused"])),
                          "notice_on": today},
            "arbitration_applied": {"commission": "District LDAC"},
            "follow_up": {"performed": self.draw(st.sampled_from(["yes", "partly", "no"]))},
            "review_applied": {"review": "arbitration_review", "to": "District LDAC"},
            "escalate": {"to": self.draw(st.sampled_from(["labour_inspection", "higher_union",
                                                          "arbitration"]))},
            "withdraw": {"reason": "settled privately"},
            "reopen": {"reason": "the employer did not pay"},
        }[move]  # type: ignore[assignment]
        number = case.number  # type: ignore[attr-defined]
        self.twin.run(lambda: getattr(self.cw.disputes, move)(number, at=at, actor="m-01",
                                                              **facts),
                      lambda: self.model.dispute(number, move, at, **facts))

    def correct_dispute(self) -> None:
        """Correct one or two facts of a dispute, perhaps counted in an earlier period: the
        figures of every period use the corrected facts."""
        numbers = self.model_numbers("dispute")
        if not numbers:
            return self.receive_dispute()
        number = str(self.draw(st.sampled_from(numbers)))
        choices = {
            "amount": money, "employer": st.sampled_from(EMPLOYERS),
            "category": st.sampled_from(CATEGORIES), "channel": st.sampled_from(CHANNELS),
            "workers": st.integers(1, 40), "mediator": st.sampled_from(MEDIATORS),
            "settled_amount": money,
        }
        names = self.draw(st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=2,
                                   unique=True))
        new = {n: self.draw(choices[n]) for n in names}  # type: ignore[attr-defined]
        at = self.tick()
        self.twin.run(lambda: self.cw.disputes.correct(number, reason="typed wrongly", at=at,
                                                       actor="m-01", **new),
                      lambda: self.model.correct(number, "dispute", at, **new))

    def reopen(self) -> None:
        """Take a concluded mediation back up: the agreement was not performed."""
        done = sorted(c.number for c in self.model.cases.values()
                      if c.kind == "dispute" and c.state in ("resolved", "terminated"))
        if not done:
            return self.move_dispute()
        number = str(self.draw(st.sampled_from(done)))
        at = self.tick()
        self.twin.run(lambda: self.cw.disputes.reopen(number, reason="not paid", at=at,
                                                      actor="m-01"),
                      lambda: self.model.dispute(number, "reopen", at,
                                                 reason="not paid"))

    def void(self) -> None:
        """Void a dispute or an aid case entered by mistake (refused once it delivered
        help, or voided already)."""
        kind = str(self.draw(st.sampled_from(["dispute", "aid"])))
        numbers = self.model_numbers(kind)
        if not numbers:
            return None
        number = str(self.draw(st.sampled_from(numbers)))
        at = self.tick()
        desk = self.cw.disputes if kind == "dispute" else self.cw.aid
        self.twin.run(lambda: desk.void(number, reason="entered twice", at=at, actor="m-01"),
                      lambda: self.model.void(number, kind, at))

    def model_numbers(self, kind: str) -> list[str]:
        return sorted(n for n, c in self.model.cases.items() if c.kind == kind)

    def receive_aid(self) -> None:
        org = self.org()
        registered = sorted(w.key for w in self.model.workers.values() if w.org == org)
        worker = self.draw(st.sampled_from([None, *registered]))
        channel = self.draw(st.sampled_from(CHANNELS))
        at = self.tick()
        number = self.cw.aid.receive(channel=channel, worker=worker, org=org, at=at,  # type: ignore[arg-type]
                                     actor="a-01")
        self.model.receive(number, "aid", org=org, channel=channel, at=at,  # type: ignore[arg-type]
                           worker=worker)  # type: ignore[arg-type]

    def help(self, org: str) -> dict[str, object]:
        kind = self.draw(st.sampled_from(["one_off", "one_off", "monthly_subsidy",
                                          "monthly_subsidy", "referral", "legal_aid", "other"]))
        if kind in ("referral", "legal_aid", "other"):
            return {"kind": kind}
        fund = self.draw(st.sampled_from(self.funds_of(org)))
        if kind == "one_off":
            return {"kind": kind, "fund": fund,
                    "amount": Decimal(str(self.draw(st.sampled_from([300, 800, 2000, 9500]))))}
        local = self.now.astimezone(TZ)
        first = local.year * 12 + local.month - 1 + int(self.draw(st.integers(-2, 2)))  # type: ignore[call-overload]
        return {"kind": kind, "fund": fund,
                "monthly_amount": Decimal(str(self.draw(st.sampled_from([150, 180, 200])))),
                "first_month": f"{first // 12:04d}-{first % 12 + 1:02d}",
                "months": self.draw(st.sampled_from([None, 1, 3, 6, 12]))}

    def move_aid(self) -> None:
        open_ = [c for c in self.model.cases.values()
                 if c.kind == "aid" and any(c.state in src for src, _ in AID_MOVES.values())]
        if not open_:
            return self.receive_aid()
        case = self.draw(st.sampled_from(open_))
        move = self.pick_move(AID_MOVES, case.state)  # type: ignore[attr-defined]
        facts: dict[str, object] = {
            "accept": {}, "decline": {"reason": "income above the line"},
            "approve": self.help(case.org) if move == "approve" else {},  # type: ignore[attr-defined]
            "implement": {}, "record_feedback": {"feedback": "thankful"}, "close": {},
            "escalate": {"to": "civil_affairs"}, "withdraw": {"reason": "moved away"},
        }[move]  # type: ignore[assignment]
        at = self.tick()
        number = case.number  # type: ignore[attr-defined]
        self.twin.run(lambda: getattr(self.cw.aid, move)(number, at=at, actor="a-01", **facts),
                      lambda: self.model.aid(number, move, at, **facts))

    def enrol(self) -> None:
        org = self.org()
        key = f"w{self.token}-{len(self.model.workers):03d}"
        at = self.tick()
        self.twin.run(lambda: self.cw.register.enrol(key, reason="illness", org=org, at=at,
                                                     actor="a-01"),
                      lambda: self.model.enrol(key, org, at))

    def exit(self) -> None:
        active = sorted(w.key for w in self.model.workers.values() if w.active)
        if not active:
            return self.enrol()
        key = str(self.draw(st.sampled_from(active)))
        at = self.tick()
        self.twin.run(lambda: self.cw.register.exit(key, reason="employed", at=at, actor="a-01"),
                      lambda: self.model.exit(key, at))

    def pay_quarter(self) -> None:
        at = self.tick()
        local = at.astimezone(TZ)
        quarter = f"{local.year}Q{(local.month - 1) // 3 + 1}"
        org = self.draw(st.sampled_from(self.orgs if self.shared else [None, *self.orgs]))
        result = self.twin.run(
            lambda: self.cw.aid.pay_quarter(quarter, org=org, at=at, actor="a-01"),  # type: ignore[arg-type]
            lambda: self.model.pay_quarter(quarter, org, at),  # type: ignore[arg-type]
        )
        if result is not None:
            payout, due = result
            assert {p.to: p.amount for p in payout.paid} == due

    def campaign(self) -> None:
        org = self.org()
        active = sorted(w.key for w in self.model.workers.values() if w.org == org and w.active)
        workers = list(self.draw(st.lists(st.sampled_from(active), unique=True))) if active else []
        name = f"{self.draw(st.sampled_from(['spring-festival', 'mid-autumn']))}-{self.token}"
        fund = str(self.draw(st.sampled_from(self.funds_of(org))))
        amount = Decimal(str(self.draw(st.sampled_from([200, 500, 1000]))))
        at = self.tick()
        result = self.twin.run(
            lambda: self.cw.aid.run_campaign(name, fund=fund, workers=workers, amount=amount,
                                             at=at, actor="a-01"),
            lambda: self.model.campaign(name, fund, workers, amount, at),
        )
        if result is not None:
            payout, due = result
            assert [p.to for p in payout.paid] == due


def check_reports(cw: Casework, model: Model, orgs: list[str | None]) -> None:
    for start, end, as_of in WINDOWS:
        for org in orgs:
            projected = cw.report(start, end, as_of=as_of, org=org, cohort=True)
            replayed = cw.report(start, end, as_of=as_of, org=org, replay=True, cohort=True)
            assert projected.model_dump() == replayed.model_dump(), (start, end, as_of, org)
            problems = differ(projected, model.recount(start, end, as_of, org))
            assert not problems, f"{start}..{end} as of {as_of}, org {org}:\n" + "\n".join(
                problems)
            explained_agree(cw, projected, start, end, as_of, org)
    chains(cw, orgs)


def explained_agree(cw: Casework, report: Any, start: date, end: date, as_of: date | None,
                    org: str | None) -> None:
    """The cases `explain` lists add up to the figure, for every figure it explains."""
    from casework.statistics.explain import RULES

    for figure in RULES:
        section, name, *member = figure.split(".")
        value = getattr(getattr(report, section), name)
        if member:
            value = value[member[0]]
        e = cw.explain(figure, start, end, as_of=as_of, org=org)
        if e.denominator is None:
            assert e.total == value, figure
        else:
            outside = {c.number for c in e.numerator} - {c.number for c in e.denominator}
            assert not outside, (figure, start, end, as_of, org, outside)
            assert (None if not e.denominator else
                    round(len(e.numerator) / len(e.denominator), 4)) == value, figure


def chains(cw: Casework, orgs: list[str | None]) -> None:
    """Periods chain: each month's closing is the next one's opening, carried over across
    the period's start; the months' flows add up to the quarter's; and the identity holds."""
    import calendar

    for org in orgs:
        months = [cw.report(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), org=org)
                  for y, m in ((2022, 12), (2023, 1), (2023, 2), (2023, 3))]
        quarter = cw.report(date(2023, 1, 1), date(2023, 3, 31), org=org)
        for section in ("disputes", "aid", "warnings"):
            flows = [getattr(r, section) for r in months]
            for f in flows:
                assert f.opening + f.received + f.reopened - f.concluded == f.closing, (
                    org, section)
            for before, after in itertools.pairwise(flows):
                assert before.closing == after.opening, (org, section)
            whole = getattr(quarter, section)
            assert whole.opening == flows[1].opening and whole.closing == flows[-1].closing
            for name in ("received", "reopened", "concluded"):
                assert getattr(whole, name) == sum(getattr(f, name) for f in flows[1:])


def test_projection_replay_and_recount_agree(store_url: str, tmp_path: Path) -> None:
    shared = store_url.startswith("postgres")
    examples = (300 if DEEP else 15) if not shared else (60 if DEEP else 4)

    @settings(max_examples=examples, deadline=None, database=None)
    @given(data=st.data(), steps=st.integers(20, 120 if DEEP else 80))
    def agree(data: st.DataObject, steps: int) -> None:
        token = f"-{uuid.uuid4().hex[:6]}" if shared else ""
        url = store_url if shared else f"sqlite:///{tmp_path / uuid.uuid4().hex}.db"
        with Casework(store=url, tz="Asia/Shanghai") as cw:
            history = History(data, cw, token, shared)
            history.run(steps)
            orgs: list[str | None] = [*history.orgs] if shared else [None, *history.orgs]
            check_reports(cw, history.model, orgs)

    agree()
