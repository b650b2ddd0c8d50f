"""The main job: the first half of 2023 as the source document tells it.

Three union bodies — a sub-district federation, a county federation and a department
union — record their half-year through the public API only, and the half-year report
comes out of their events. Every figure the document quotes is a figure of this log
(docs/metrics.md says how each one is read; tests/test_demo.py asserts them).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from casework.app import Casework
from casework.errors import StoreError
from casework.statistics.figures import Report
from casework.statistics.render import side_by_side
from domain.values import BodyKind, HardshipReason

ORGS = ("subdistrict", "county", "department")
#: The three bodies of the source document, by the kind of body each is: the sub-district
#: federation's dispute-mediation sub-centre mediates (a street centre, LDMAL art. 10); the
#: county's hardship-aid centre and the department union do not.
BODIES: tuple[tuple[str, str, BodyKind], ...] = (
    ("subdistrict", "街道总工会劳动争议调解分中心", "street_centre"),
    ("county", "县总工会困难职工帮扶中心", "aid_centre"),
    ("department", "部门工会", "federation"),
)
H1 = (date(2023, 1, 1), date(2023, 6, 30))
DEFAULT_DEMO_STORE = "sqlite:///casework-demo.db"

INDUSTRY = {
    "Yisheng Petrochemical": "petrochemicals", "Xinqiao Chemical": "chemicals",
    "Qiaotaixing Textile": "textiles", "Tenglong Wire": "metal products",
    "Xin'andong Rubber": "rubber and plastics", "Sanxing Heavy Industry": "machinery",
    "Qingzhi Logistics": "logistics", "Weidou Garments": "garments",
    "Harbour Shipyard Services": "shipbuilding", "Eastport Electronics": "electronics",
}
EMPLOYERS = list(INDUSTRY)
MEDIATORS = ["m-chen", "m-li", "m-zhou", "m-wang"]
SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高"
GIVEN = "偉芳娜敏靜麗強磊軍洋勇艷傑娟濤明超秀霞平剛桂英"


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[Casework], object] = field(compare=False)


class Plan:
    """Commands dated in business time, run in time order (funds refuse back-dating)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def at(self, when: datetime, run: Callable[[Casework], object]) -> None:
        self.steps.append(Step(when, len(self.steps), run))

    def run(self, cw: Casework) -> None:
        for step in sorted(self.steps):
            step.run(cw)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _t(d: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute)


def _dispute(
    plan: Plan, rng: random.Random, received: date, outcome: str,
    category: str = "other", workers: int = 1, amount: int = 0,
) -> None:
    """One petition to the sub-district mediation centre, and what became of it."""
    channel = rng.choice(["visit", "visit", "phone", "letter", "online", "referral"])
    employer = rng.choice(EMPLOYERS)
    holder: dict[str, str] = {}
    actor = rng.choice(MEDIATORS)

    def receive(cw: Casework) -> None:
        holder["case"] = cw.disputes.receive(
            category=category, workers=workers, amount=Decimal(amount), channel=channel,
            employer=employer, summary=f"{category.replace('_', ' ')} dispute at {employer}",
            petitioner=_name(rng), contact=f"138-{rng.randrange(10**8):08d}",
            industry=INDUSTRY[employer], org="subdistrict",
            at=_t(received, 9, rng.randrange(60)), actor=actor)

    plan.at(_t(received, 9), receive)
    if outcome == "not_taken_up":  # most petitions: advice, a referral, now and then a refusal
        how = rng.choice(["answer", "refer", "decline"])
        if how == "answer":
            plan.at(_t(received, 16), lambda cw: cw.disputes.answer(
                holder["case"], reply="consultation answered on the spot",
                at=_t(received, 16), actor=actor))
        elif how == "refer":
            plan.at(_t(received, 16), lambda cw: cw.disputes.refer(
                holder["case"], to="the district labour inspection brigade",
                at=_t(received, 16), actor=actor))
        else:
            plan.at(_t(received, 16), lambda cw: cw.disputes.decline(
                holder["case"], reason="not a labour dispute", notice_on=received,
                at=_t(received, 16), actor=actor))
        return
    accepted = received + timedelta(days=rng.randrange(1, 3))
    mediator = rng.choice(MEDIATORS)
    plan.at(_t(accepted, 10), lambda cw: cw.disputes.accept(
        holder["case"], at=_t(accepted, 10), actor=actor))
    plan.at(_t(accepted, 14), lambda cw: cw.disputes.start_mediation(
        holder["case"], mediator=mediator, at=_t(accepted, 14), actor=actor))
    if outcome == "resolved":
        ended = accepted + timedelta(days=rng.randrange(3, 15))
        settled = Decimal(amount) * Decimal(rng.choice(["0.8", "0.9", "0.95", "1"]))
        plan.at(_t(ended, 15), lambda cw: cw.disputes.resolve(
            holder["case"], settled_amount=settled.quantize(Decimal("1")),
            parties=[employer, "the petitioner"], claims=f"{category.replace('_', ' ')} claim",
            due_on=ended + timedelta(days=10), method="bank transfer", signed_on=ended,
            at=_t(ended, 15), actor=mediator))
        visited = ended + timedelta(days=11)  # 履行回访 the day after the agreement fell due
        performed = "partly" if amount >= 400_000 else "yes"  # the two largest: in instalments
        plan.at(_t(visited, 10), lambda cw: cw.disputes.follow_up(
            holder["case"], performed=performed, at=_t(visited, 10), actor=mediator))
    else:  # no agreement within the 15 days from receipt (LDMAL art. 14): terminated, and
        # the party applies for arbitration itself
        ended = accepted + timedelta(days=16)
        plan.at(_t(ended, 11), lambda cw: cw.disputes.terminate(
            holder["case"], reason="expired", notice_on=ended, at=_t(ended, 11),
            actor=mediator))
        applied = ended + timedelta(days=1)
        plan.at(_t(applied, 11), lambda cw: cw.disputes.arbitration_applied(
            holder["case"], commission="the district labour dispute arbitration commission",
            at=_t(applied, 11), actor=mediator))


def _aid(
    plan: Plan, rng: random.Random, org: str, received: date, outcome: str, *,
    worker: str | None = None, fund: str = "", amount: int = 0, monthly: int = 0,
    first_month: str = "", channels: tuple[str, ...] = ("visit", "phone", "letter"),
) -> None:
    """One request to a hardship-aid centre and how far it went."""
    holder: dict[str, str] = {}
    officer = f"a-{org[:4]}"
    channel = rng.choice(channels)

    def receive(cw: Casework) -> None:
        holder["case"] = cw.aid.receive(
            channel=channel, summary="request for hardship aid", worker=worker,
            petitioner=_name(rng), org=org, at=_t(received, 9, rng.randrange(60)),
            actor=officer)

    plan.at(_t(received, 9), receive)
    if outcome == "declined_at_reception":
        plan.at(_t(received, 15), lambda cw: cw.aid.decline(
            holder["case"], reason="consultation answered; no aid case",
            at=_t(received, 15), actor=officer))
        return
    accepted = received + timedelta(days=1)
    plan.at(_t(accepted, 10), lambda cw: cw.aid.accept(
        holder["case"], at=_t(accepted, 10), actor=officer))
    if outcome == "pending":
        return
    decided = accepted + timedelta(days=rng.randrange(2, 6))
    if outcome == "declined":
        plan.at(_t(decided, 11), lambda cw: cw.aid.decline(
            holder["case"], reason="income above the hardship line", at=_t(decided, 11),
            actor=officer))
        return
    kind = {"one_off": "one_off", "referral": "referral"}.get(outcome, "monthly_subsidy")
    plan.at(_t(decided, 11), lambda cw: cw.aid.approve(
        holder["case"], kind=kind, fund=fund or None,
        amount=Decimal(amount) if kind == "one_off" else None,
        monthly_amount=Decimal(monthly) if kind == "monthly_subsidy" else None,
        first_month=first_month or None, at=_t(decided, 11), actor=officer))
    if kind == "monthly_subsidy" and outcome != "subsidy_delivered":
        return  # determined now; delivery starts with its first month
    delivered = decided + timedelta(days=2)
    plan.at(_t(delivered, 10), lambda cw: cw.aid.implement(
        holder["case"], at=_t(delivered, 10), actor=officer))
    if kind != "monthly_subsidy":
        heard = delivered + timedelta(days=7)
        plan.at(_t(heard, 10), lambda cw: cw.aid.record_feedback(
            holder["case"], feedback="help received; thanks the centre", at=_t(heard, 10),
            actor=officer))
        plan.at(_t(heard, 16), lambda cw: cw.aid.close(
            holder["case"], at=_t(heard, 16), actor=officer))


def _enrol(plan: Plan, org: str, worker: str, when: date, reason: HardshipReason,
           rng: random.Random) -> None:
    name = _name(rng)
    plan.at(_t(when, 8), lambda cw: cw.register.enrol(
        worker, reason=reason, name=name, org=org, at=_t(when, 8), actor=f"a-{org[:4]}"))


def _quarterly_payouts(plan: Plan, org: str, officer: str, hour: int) -> None:
    """按季發放: each quarter's subsidies paid on its last day."""
    for quarter, day in (("2023Q1", date(2023, 3, 31)), ("2023Q2", date(2023, 6, 30))):
        when = _t(day, hour)

        def pay(cw: Casework, quarter: str = quarter, when: datetime = when) -> object:
            return cw.aid.pay_quarter(quarter, org=org, at=when, actor=officer)

        plan.at(when, pay)


def subdistrict(plan: Plan, rng: random.Random) -> None:
    """Part 1: 65 petitions, 15 accepted, 14 resolved (3/3/5/3), 32 workers, 2.94 million;
    5 new hardship workers, 9,500 yuan relief, a 76-worker 55,700-yuan condolence drive."""
    org, officer = "subdistrict", "a-subd"
    categories = ["labor_contract"] * 3 + ["wages"] * 3 + ["work_injury"] * 5 + ["other"] * 3
    workers = [3, 2, 1, 4, 2, 1, 3, 2, 2, 1, 5, 2, 3, 1]
    amounts = [180_000, 95_000, 60_000, 420_000, 150_000, 85_000, 310_000, 240_000,
               125_000, 70_000, 520_000, 165_000, 380_000, 140_000]
    for category, n, amount in zip(categories, workers, amounts, strict=True):
        _dispute(plan, rng, _day(rng, date(2023, 1, 4), date(2023, 6, 10)), "resolved",
                 category, n, amount)
    _dispute(plan, rng, date(2023, 4, 11), "terminated", "wages", 6, 230_000)
    for _ in range(50):
        _dispute(plan, rng, _day(rng, date(2023, 1, 3), date(2023, 6, 28)), "not_taken_up",
                 rng.choice(["labor_contract", "wages", "social_insurance", "other"]),
                 rng.randrange(1, 4), rng.randrange(0, 50) * 1000)

    fund = "subdistrict-relief"
    plan.at(_t(date(2022, 12, 1)), lambda cw: cw.funds.open(
        fund, name="Sub-district hardship relief fund", org=org, at=_t(date(2022, 12, 1)),
        actor=officer))
    plan.at(_t(date(2022, 12, 2)), lambda cw: cw.funds.contribute(
        fund, amount=Decimal(80_000), source="allocation from the district federation",
        at=_t(date(2022, 12, 2)), actor=officer))
    reasons: list[HardshipReason] = [
        "illness", "disability", "single_parent", "unemployment", "disaster", "other"]
    old = [f"S-{i:04d}" for i in range(1, 75)]
    for i, worker in enumerate(old):
        _enrol(plan, org, worker, date(2022, 3, 1) + timedelta(days=3 * i),
               rng.choice(reasons), rng)
    new = [f"S-{i:04d}" for i in range(75, 80)]
    for worker, when in zip(new, [date(2023, 1, 5), date(2023, 1, 9), date(2023, 3, 14),
                                  date(2023, 4, 20), date(2023, 5, 22)], strict=True):
        _enrol(plan, org, worker, when, rng.choice(reasons), rng)
    plan.at(_t(date(2023, 5, 30)), lambda cw: cw.register.exit(
        "S-0007", reason="employed", at=_t(date(2023, 5, 30)), actor=officer))
    # 元旦春節慰問: 76 workers, in two tiers (deep hardship 800, the others 700).
    paid = old + new[:2]
    campaign_day = _t(date(2023, 1, 16), 10)
    plan.at(campaign_day, lambda cw: cw.aid.run_campaign(
        "2023-new-year-spring-festival", fund=fund, workers=paid[:25], amount=Decimal(800),
        at=campaign_day, actor=officer))
    plan.at(campaign_day, lambda cw: cw.aid.run_campaign(
        "2023-new-year-spring-festival", fund=fund, workers=paid[25:], amount=Decimal(700),
        at=campaign_day, actor=officer))
    # 臨時困難救助金 0.95萬元: one-off relief for the five new hardship workers.
    for worker, amount, when in zip(new, [2500, 2000, 2000, 1500, 1500],
                                    [date(2023, 1, 10), date(2023, 2, 6), date(2023, 3, 20),
                                     date(2023, 4, 24), date(2023, 5, 25)], strict=True):
        _aid(plan, rng, org, when, "one_off", worker=worker, fund=fund, amount=amount)


def county(plan: Plan, rng: random.Random) -> None:
    """Part 2: in March the federation surveys hardship families (生活现状调查) and
    determines 50 subsidy households on 150–200 yuan a month, paid quarterly, registering
    them (特困职工档案); the centre receives 52 requests (in person, phone, letter),
    accepts 22 as cases and handles 20; 35 workers helped with 40,200 yuan; 1 referral."""
    org, officer, fund = "county", "a-coun", "county-aid"
    plan.at(_t(date(2022, 11, 20)), lambda cw: cw.funds.open(
        fund, name="County hardship-aid centre fund", org=org, at=_t(date(2022, 11, 20)),
        actor=officer))
    plan.at(_t(date(2022, 11, 21)), lambda cw: cw.funds.contribute(
        fund, amount=Decimal(60_000), source="allocation from the city federation",
        at=_t(date(2022, 11, 21)), actor=officer))
    # March 2023: the survey. Every household found is registered; 33 in special hardship
    # get the year's subsidy from January (25 at 200, 8 at 150: the first quarter is paid
    # in arrears at its end), 17 from July, with the second half-year's budget.
    few: list[HardshipReason] = ["illness", "disability", "single_parent", "unemployment"]
    for i in range(50):
        worker = f"C-{i + 1:04d}"
        surveyed = date(2023, 3, 6) + timedelta(days=i // 5)
        _enrol(plan, org, worker, surveyed, rng.choice(few), rng)
        if i < 33:
            _aid(plan, rng, org, surveyed + timedelta(days=1), "subsidy_delivered",
                 worker=worker, fund=fund, monthly=200 if i < 25 else 150,
                 first_month="2023-01", channels=("outreach",))
        else:
            _aid(plan, rng, org, surveyed + timedelta(days=1), "monthly_subsidy",
                 worker=worker, fund=fund, monthly=rng.choice([150, 180, 200]),
                 first_month="2023-07", channels=("outreach",))
    # The half-year's 52 requests at the centre's desk.
    requests = (["declined_at_reception"] * 30 + ["declined"] * 18
                + ["referral", "one_off", "pending", "pending"])
    for outcome in requests:
        if outcome == "pending":
            _aid(plan, rng, org, _day(rng, date(2023, 6, 20), date(2023, 6, 26)), outcome)
        elif outcome == "one_off":
            _aid(plan, rng, org, date(2023, 2, 13), outcome, fund=fund, amount=3000)
        elif outcome == "referral":
            _aid(plan, rng, org, date(2023, 4, 17), outcome)
        else:
            _aid(plan, rng, org, _day(rng, date(2023, 1, 3), date(2023, 6, 12)), outcome)
    _quarterly_payouts(plan, org, officer, hour=10)


def department(plan: Plan, rng: random.Random) -> None:
    """Part 3: before the Spring Festival the union's leaders visit members in hardship,
    with 600 yuan of condolence money and 2,400 yuan of hardship subsidy (困难补助) paid at
    the same visits; later a 3,000-yuan "one day's pay" drive (一日捐)."""
    org, officer, fund = "department", "a-depa", "department-aid"
    plan.at(_t(date(2022, 12, 5)), lambda cw: cw.funds.open(
        fund, name="Department union mutual-aid fund", org=org, at=_t(date(2022, 12, 5)),
        actor=officer))
    plan.at(_t(date(2022, 12, 6)), lambda cw: cw.funds.contribute(
        fund, amount=Decimal(5_000), source="union budget", at=_t(date(2022, 12, 6)),
        actor=officer))
    workers = ["D-0001", "D-0002", "D-0003"]
    for i, worker in enumerate(workers):
        _enrol(plan, org, worker, date(2022, 12, 8 + i), "illness", rng)
    visit = date(2023, 1, 18)
    for worker, amount in zip(workers, [1000, 800, 600], strict=True):
        _visit_subsidy(plan, org, officer, fund, worker, amount, visit)
    plan.at(_t(visit, 10), lambda cw: cw.aid.run_campaign(
        "2023-spring-festival", fund=fund, workers=workers, amount=Decimal(200),
        at=_t(visit, 10), actor=officer))
    plan.at(_t(date(2023, 5, 10)), lambda cw: cw.funds.contribute(
        fund, amount=Decimal(3_000), source="one day's pay drive (一日捐)",
        at=_t(date(2023, 5, 10)), actor=officer))


def _visit_subsidy(plan: Plan, org: str, officer: str, fund: str, worker: str, amount: int,
                   visit: date) -> None:
    """A one-off hardship subsidy decided for a visit and handed over at it (上门慰问和困难补助):
    the union's own initiative, not a request at a desk."""
    holder: dict[str, str] = {}
    listed, decided = visit - timedelta(days=3), visit - timedelta(days=2)

    def receive(cw: Casework) -> None:
        holder["case"] = cw.aid.receive(
            channel="outreach", summary="Spring Festival visit: hardship subsidy",
            worker=worker, org=org, at=_t(listed, 9), actor=officer)

    plan.at(_t(listed, 9), receive)
    plan.at(_t(listed, 10), lambda cw: cw.aid.accept(holder["case"], at=_t(listed, 10),
                                                     actor=officer))
    plan.at(_t(decided, 11), lambda cw: cw.aid.approve(
        holder["case"], kind="one_off", fund=fund, amount=Decimal(amount), at=_t(decided, 11),
        actor=officer))
    plan.at(_t(visit, 10), lambda cw: cw.aid.implement(holder["case"], at=_t(visit, 10),
                                                       actor=officer))
    plan.at(_t(visit, 16), lambda cw: cw.aid.record_feedback(
        holder["case"], feedback="visited at home; thanks the union", at=_t(visit, 16),
        actor=officer))
    plan.at(_t(visit, 17), lambda cw: cw.aid.close(holder["case"], at=_t(visit, 17),
                                                   actor=officer))


def _register(code: str, name: str, kind: BodyKind, at: datetime) -> Callable[[Casework], str]:
    def register(cw: Casework) -> str:
        return cw.bodies.register(code, name=name, kind=kind, at=at, actor="s-admin")

    return register


def build(cw: Casework, seed: int = 2023) -> None:
    """Record the three bodies' half-year into `cw` (an empty store)."""
    if cw.log.recorder.max_notification_id():
        raise StoreError(f"{cw.store.redacted()} already holds records; the demo needs an "
                         "empty store (it never records the half-year twice)")
    rng = random.Random(seed)
    plan = Plan()
    first = _t(date(2022, 1, 4))
    for code, name, kind in BODIES:
        plan.at(first, _register(code, name, kind, first))
    for body in (subdistrict, county, department):
        body(plan, rng)
    plan.run(cw)
    cw.project()


def reports(cw: Casework) -> dict[str, Report]:
    start, end = H1
    out = {org: cw.report(start, end, org=org) for org in ORGS}
    out["all"] = cw.report(start, end)
    return out


#: The figures the source document gives (../shared/seed/FACTS.md): the demo prints these;
#: every other figure is in `casework report`, defined in docs/metrics.md.
DOCUMENT = frozenset({
    "disputes.received", "disputes.accepted", "disputes.mediation_concluded",
    "disputes.resolved", "disputes.handling_rate", "disputes.success_rate",
    "disputes.resolved_by_category", "disputes.workers_involved", "disputes.amount_involved",
    "aid.requests", "aid.accepted", "aid.handled", "aid.handling_rate", "aid.workers_helped",
    "aid.amount_paid", "aid.one_off_paid", "aid.campaigns_paid", "aid.campaign_workers",
    "aid.referrals", "aid.subsidy_households", "aid.subsidy_monthly_min",
    "aid.subsidy_monthly_max", "aid.newly_registered", "aid.contributions",
})


def run_demo(store: str | None = None, *, json: bool = False,
             console: Console | None = None, lang: str = "en") -> dict[str, Report]:
    """Build the demo into `store` (default: a fresh casework-demo.db) and print its
    half-year report per union body and rolled up."""
    console = console or Console()
    if store is None:
        store = DEFAULT_DEMO_STORE
        Path("casework-demo.db").unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path("casework-demo.db" + suffix).unlink(missing_ok=True)
    from casework.desk.demo import DEMO_PASSWORD, add_demo_accounts

    with Casework(store=store) as cw:
        build(cw)
        figures = reports(cw)
        accounts = add_demo_accounts(cw)
    if json:
        console.print_json(data={k: r.model_dump(mode="json") for k, r in figures.items()})
    else:
        console.print(side_by_side(figures, lang, only=DOCUMENT))
        console.print(f"The source document's figures. Every figure, defined in "
                      f"docs/metrics.md: casework report --store {store} --period 2023H1 "
                      "--org subdistrict")
        console.print(f"the desk: casework serve --store {store}, then sign in at "
                      f"http://127.0.0.1:8000 with password {DEMO_PASSWORD!r} as:")
        for ident, (role, orgs, _) in accounts.items():
            console.print(f"  {ident:8} {role:12} {', '.join(orgs)}", highlight=False)
    return figures
