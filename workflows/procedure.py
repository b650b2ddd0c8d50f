"""Mediation deadline rules as data: one row per version of a rule, by body kind and date.

A case takes the version in force on the day its application was received and keeps it
(by recording its id), so a rule that comes into force later changes new cases only.
Adding next year's rule is a row in `RULES`; nothing else changes. Where each row comes
from, and where the texts could not be checked, is written down in docs/procedure.md.

Periods are counted as the Civil Code counts them (art. 201): the day a period starts from
is not counted, so "within 15 days of receipt" ends on the 15th day after the day of receipt.
A last day on a holiday is not moved (art. 203 is not applied; see the docs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from workflows.workdays import add_days, add_working_days

# Body kinds. The first three mediate (LDMAL art. 10); the last two are the aid side.
STREET_CENTRE = "street_centre"  # 乡镇、街道设立的具有劳动争议调解职能的组织
ENTERPRISE_COMMITTEE = "enterprise_committee"  # 企业劳动争议调解委员会
PEOPLES_MEDIATION = "peoples_mediation"  # 依法设立的基层人民调解组织
AID_CENTRE = "aid_centre"  # 困难职工帮扶中心
FEDERATION = "federation"  # 总工会
BODY_KINDS = (STREET_CENTRE, ENTERPRISE_COMMITTEE, PEOPLES_MEDIATION, AID_CENTRE, FEDERATION)
#: What an organisation that was never registered is taken to be.
DEFAULT_BODY_KIND = STREET_CENTRE

CountsFrom = Literal["received", "accepted"]
RECEIVED: CountsFrom = "received"
ACCEPTED: CountsFrom = "accepted"


class ProcedureError(ValueError):
    """A question the rules cannot answer, or a move they do not allow."""


class NoMediationRule(ProcedureError):
    """No rule applies: an unknown kind, a kind that does not mediate, or too early a date."""


class UnknownRule(ProcedureError):
    """A rule id that is not in the table (a stored case naming a rule since removed?)."""


class ClockNotStarted(ProcedureError):
    """The rule counts from acceptance and the case has not been accepted."""


class ExtensionRefused(ProcedureError):
    """An extension the rule does not allow; the message says why in plain words."""


@dataclass(frozen=True)
class Rule:
    """One version of a mediation deadline rule, citing the article it comes from."""

    id: str  # short and stable: stored with each case, e.g. "LDMAL-14"
    instrument_zh: str
    instrument_en: str
    article: str  # the article that sets the period, e.g. "第十四条"
    body_kinds: frozenset[str]
    in_force_from: date
    counts_from: CountsFrom
    days: int
    working_days: bool
    extension_allowed: bool = False
    extension_cap_days: int | None = None
    acceptance_working_days: int | None = None  # accept or refuse within this many
    acceptance_article: str | None = None
    arbitration_review_days: int | None = None  # joint application for 仲裁审查 after it
    review_article: str | None = None

    def __post_init__(self) -> None:
        problems = [
            f"unknown body kind {k!r}" for k in sorted(self.body_kinds) if k not in BODY_KINDS
        ]
        if not self.body_kinds:
            problems.append("no body kinds")
        if self.counts_from not in get_args(CountsFrom):
            problems.append(f"counts_from must be one of {get_args(CountsFrom)}")
        if self.days < 1:
            problems.append("days must be at least 1")
        if self.extension_allowed != (self.extension_cap_days is not None):
            problems.append("an extension cap goes with an extension, and only with one")
        if self.extension_cap_days is not None and self.extension_cap_days < 1:
            problems.append("an extension cap must be at least 1 day")
        if (self.acceptance_working_days is None) != (self.acceptance_article is None):
            problems.append("an acceptance period needs its article, and only then")
        if (self.arbitration_review_days is None) != (self.review_article is None):
            problems.append("a review period needs its article, and only then")
        if problems:
            raise ValueError(f"rule {self.id}: " + "; ".join(problems))

    @property
    def citation(self) -> str:
        """The instrument and article in Chinese, as a supervisor would cite it."""
        return f"《{self.instrument_zh}》{self.article}"


LDMAL_ZH = "中华人民共和国劳动争议调解仲裁法"
LDMAL_EN = "Labour Dispute Mediation and Arbitration Law of the PRC"

RULES: tuple[Rule, ...] = (
    Rule(
        id="SC117-10",
        instrument_zh="中华人民共和国企业劳动争议处理条例（国务院令第117号）",
        instrument_en="Regulations on the Handling of Enterprise Labour Disputes "
        "(State Council Order No. 117, 1993)",
        article="第十条",  # 自当事人申请调解之日起三十日内结束
        body_kinds=frozenset({ENTERPRISE_COMMITTEE}),
        in_force_from=date(1993, 8, 1),
        counts_from=RECEIVED,
        days=30,
        working_days=False,
    ),
    Rule(
        id="LDMAL-14",
        instrument_zh=LDMAL_ZH,
        instrument_en=LDMAL_EN,
        article="第十四条",  # 自劳动争议调解组织收到调解申请之日起十五日内
        # Enterprise committees too, until order 17 (below) supersedes it for them.
        body_kinds=frozenset({STREET_CENTRE, PEOPLES_MEDIATION, ENTERPRISE_COMMITTEE}),
        in_force_from=date(2008, 5, 1),
        counts_from=RECEIVED,
        days=15,
        working_days=False,
    ),
    Rule(
        id="MOHRSS17-29",
        instrument_zh="企业劳动争议协商调解规定（人力资源和社会保障部令第17号）",
        instrument_en="Provisions on Consultation and Mediation of Enterprise Labour Disputes "
        "(MOHRSS Order No. 17)",
        # The order's text was not found; the readings are the and the three
        # article numbers are unverified (docs/procedure.md) -- check before storing the id.
        article="第二十九条",  # 15 days from acceptance; extension by consent, at most 15
        body_kinds=frozenset({ENTERPRISE_COMMITTEE}),
        in_force_from=date(2012, 1, 1),
        counts_from=ACCEPTED,
        days=15,
        working_days=False,
        extension_allowed=True,
        extension_cap_days=15,
        acceptance_working_days=3,
        acceptance_article="第二十二条",
        arbitration_review_days=15,
        review_article="第二十七条",
    ),
)


def check_rules(rules: Iterable[Rule]) -> None:
    """Refuse a table with a repeated id or two versions for one kind from one day."""
    ids: set[str] = set()
    starts: set[tuple[str, date]] = set()
    for r in rules:
        if r.id in ids:
            raise ValueError(f"rule id {r.id} appears twice")
        ids.add(r.id)
        for kind in sorted(r.body_kinds):
            if (kind, r.in_force_from) in starts:
                raise ValueError(
                    f"two rules for {kind} come into force on {r.in_force_from.isoformat()}"
                )
            starts.add((kind, r.in_force_from))


check_rules(RULES)

#: Kinds that mediate under at least one rule; the others are refused by `rule_for`.
MEDIATION_KINDS: tuple[str, ...] = tuple(
    k for k in BODY_KINDS if any(k in r.body_kinds for r in RULES)
)


def rule_for(body_kind: str, received_on: date, rules: Sequence[Rule] = RULES) -> Rule:
    """The version in force for `body_kind` on the day the application was received."""
    if body_kind not in BODY_KINDS:
        raise NoMediationRule(
            f"unknown body kind {body_kind!r}; known kinds: {', '.join(BODY_KINDS)}"
        )
    versions = [r for r in rules if body_kind in r.body_kinds]
    if not versions:
        raise NoMediationRule(
            f"body kind {body_kind!r} does not mediate labour disputes: no mediation rule applies"
        )
    in_force = [r for r in versions if r.in_force_from <= received_on]
    if not in_force:
        first = min(versions, key=lambda r: r.in_force_from)
        raise NoMediationRule(
            f"no mediation rule for {body_kind!r} was in force on {received_on.isoformat()}; "
            f"the earliest, {first.id}, came into force on {first.in_force_from.isoformat()}"
        )
    return max(in_force, key=lambda r: r.in_force_from)


def rule_by_id(rule_id: str, rules: Sequence[Rule] = RULES) -> Rule:
    """The rule a stored case names."""
    for r in rules:
        if r.id == rule_id:
            return r
    raise UnknownRule(f"no rule {rule_id!r}; known rules: {', '.join(r.id for r in rules)}")


def extension_refusal(
    rule: Rule, already_extended: bool, days: int, *, consent: bool = True
) -> str | None:
    """Why an extension of `days` may not be granted, in plain words; None if it may."""
    if not rule.extension_allowed:
        return f"the rule {rule.id} ({rule.citation}) allows no extension"
    if already_extended:
        return "a case may be extended once"
    if not consent:
        return "an extension needs the agreement of both parties"
    if days < 1:
        return "an extension must be at least 1 day"
    if rule.extension_cap_days is not None and days > rule.extension_cap_days:
        return f"an extension may be at most {rule.extension_cap_days} days ({rule.citation})"
    return None


def deadline(
    rule: Rule, received_on: date, accepted_on: date | None = None, extension_days: int = 0
) -> date:
    """The last day of the mediation period, with any extension granted."""
    if accepted_on is not None and accepted_on < received_on:
        raise ValueError(
            f"accepted on {accepted_on.isoformat()}, before received on {received_on.isoformat()}"
        )
    start = received_on if rule.counts_from == RECEIVED else accepted_on
    if start is None:
        raise ClockNotStarted(
            f"the rule {rule.id} counts from acceptance and the case has not been accepted"
        )
    if extension_days:
        reason = extension_refusal(rule, already_extended=False, days=extension_days)
        if reason is not None:
            raise ExtensionRefused(reason)
    return add_days(start, rule.days + extension_days, rule.working_days)


def acceptance_due(rule: Rule, received_on: date) -> date | None:
    """The last day to accept or refuse an application, where the rule sets one."""
    if rule.acceptance_working_days is None:
        return None
    return add_working_days(received_on, rule.acceptance_working_days)


def review_due(rule: Rule, agreement_effective_on: date) -> date | None:
    """The last day for the parties' joint application for arbitration review (仲裁审查)."""
    if rule.arbitration_review_days is None:
        return None
    return agreement_effective_on + timedelta(days=rule.arbitration_review_days)
