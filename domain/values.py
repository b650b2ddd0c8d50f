"""Validated values: what a command may carry, checked once by pydantic at the edge.

Events carry plain values (str, int, Decimal, aware datetime) so they replay and
transcode without pydantic; these models are the gate they pass before an event exists.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from domain.errors import InvalidInput
from workflows.disputes import is_collective

Category = Literal["labor_contract", "wages", "work_injury", "social_insurance", "other"]
Channel = Literal["visit", "phone", "letter", "online", "referral", "outreach"]
EscalationTarget = Literal["arbitration", "court", "labour_inspection", "higher_union"]
AidReferral = Literal["higher_union", "civil_affairs"]
HelpKind = Literal["one_off", "monthly_subsidy", "referral", "legal_aid", "other"]
HardshipReason = Literal[
    "illness", "disability", "single_parent", "unemployment", "disaster", "other"
]
ExitReason = Literal["recovered", "employed", "retired", "deceased", "left", "other"]
BodyKind = Literal[
    "street_centre", "enterprise_committee", "peoples_mediation", "aid_centre", "federation"
]
TerminationReason = Literal["expired", "party_refused"]
Performance = Literal["yes", "partly", "no"]
ReviewKind = Literal["arbitration_review", "judicial_confirmation"]

CATEGORIES: tuple[str, ...] = get_args(Category)
CHANNELS: tuple[str, ...] = get_args(Channel)
ESCALATION_TARGETS: tuple[str, ...] = get_args(EscalationTarget)

#: The years a date may fall in, the one place they are defined. Every record and report
#: of the centres lies well inside; outside it, a date is a typo (0203 for 2023) or a
#: probe. Within it every time converts across any UTC offset (±14 h), a period's bounds
#: and the day after them exist, stored ISO times keep four-digit years (so they sort as
#: text) and so do case numbers (LD-YYYY-NNNN).
FIRST_YEAR, LAST_YEAR = 1900, 2199
YEARS = f"{FIRST_YEAR}–{LAST_YEAR}"


def outside_years(day: date) -> str | None:
    """Why `day` (a date or datetime) cannot be recorded or reported on, or None."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"{day.isoformat()} is outside the supported years {YEARS}"


#: Characters no text field may hold: C0 and C1 controls and DEL (a NUL stops PostgreSQL's
#: text columns, the others corrupt one-line output), line and paragraph separators, and
#: the bidirectional overrides that make a name display as something else. Tab, newline and
#: carriage return are allowed only in multi-line fields (LongText).
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_ONE_LINE = re.compile(f"[{_NEVER}\t\n\r]")
_MULTI_LINE = re.compile(f"[{_NEVER}]")


def _refuse(pattern: re.Pattern[str], what: str) -> AfterValidator:
    def clean(text: str) -> str:
        bad = pattern.search(text)
        if bad:
            raise ValueError(f"{what} may not contain U+{ord(bad.group()):04X}")
        return text

    return AfterValidator(clean)


_single_line = _refuse(_ONE_LINE, "a one-line field")
_multi_line = _refuse(_MULTI_LINE, "text")


def _year_in_range(text: str) -> str:
    """A "YYYY…" string (a month, a quarter) whose year is within the supported years."""
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise ValueError(f"year {text[:4]} is outside the supported years {YEARS}")
    return text


Text = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200),
    _single_line,
]
LongText = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, max_length=4000), _multi_line
]
Code = Annotated[
    str,
    StringConstraints(
        strict=True, strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[\w.\-:@]+$"
    ),
    _single_line,
]
Money = Annotated[
    Decimal, Field(ge=0, le=Decimal("1e12"), decimal_places=2, allow_inf_nan=False)
]
PositiveMoney = Annotated[
    Decimal, Field(gt=0, le=Decimal("1e12"), decimal_places=2, allow_inf_nan=False)
]
Workers = Annotated[int, Field(strict=True, ge=1, le=1_000_000)]
# [0-9], not \d: the pattern engine's \d takes any script's digits, which int() reads too.
_in_years = AfterValidator(_year_in_range)
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"), _in_years]
Quarter = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}Q[1-4]$"), _in_years]


class Personal:
    """Marks a field as personal data (a petitioner, a contact, an ID number): shown only
    to the roles that work with the people (workflows.access.Actor.sees_personal)."""


PERSONAL = Personal()
PersonalText = Annotated[Text, PERSONAL]


def is_personal(annotation: Any) -> bool:
    """Whether an annotation (perhaps Optional) carries the Personal mark."""
    if any(isinstance(m, Personal) for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(is_personal(a) for a in get_args(annotation))


# What a move's fields mean, said once: the CLI's help and the API's docs read it from here.
Reason = Annotated[Text, Field(description="Why, in a few words.")]
Mediator = Annotated[Code, Field(description="The mediator's id.")]
Settled = Annotated[Money, Field(description="The amount agreed, in yuan.")]
Feedback = Annotated[LongText, Field(description="What the worker said of the help.")]
Note = Annotated[LongText, Field(description="Anything else worth keeping.")]
RegisterId = Annotated[str, Field(description="Register id, e.g. a member number.")]
FundCode = Annotated[str, Field(description="The fund's code, e.g. county-aid.")]
MovementNumber = Annotated[int, Field(strict=True, ge=1, description="The movement's number "
                                                                    "in its fund's ledger.")]
QuarterName = Annotated[str, Field(description="e.g. 2023Q2")]
Origin = Annotated[Code, Field(description="The record this case came from (an early warning).")]
Reply = Annotated[LongText, Field(description="The answer given (咨询答复), in a few words.")]
ReferredTo = Annotated[Text, Field(description="Where the petitioner was sent (转介), e.g. "
                                               "the district labour inspection brigade.")]
NoticeOn = Annotated[date, Field(description="The day the written notice was given, "
                                             "e.g. 2023-03-02.")]
ExtensionDays = Annotated[int, Field(strict=True, ge=1, le=366,
                                     description="Days the period is extended by.")]
Consent = Annotated[bool, Field(strict=True,
                                description="Both parties agreed to the extension.")]
Terminated = Annotated[TerminationReason, Field(
    description="expired: the period ran out without agreement; party_refused: a party "
                "will not go on (终止调解).")]
Commission = Annotated[Text, Field(description="The arbitration commission the party "
                                               "applied to.")]
Parties = Annotated[list[Text], Field(min_length=2, max_length=50,
                                      description="The parties who signed the agreement.")]
Claims = Annotated[LongText, Field(description="What was claimed (请求事项).")]
DueOn = Annotated[date, Field(description="The day the agreement is to be performed by.")]
PayMethod = Annotated[Text, Field(description="How it is to be performed, e.g. one bank "
                                              "transfer.")]
SignedOn = Annotated[date, Field(description="The day the agreement was signed "
                                             "(default: the day it is recorded).")]
Performed = Annotated[Performance, Field(description="Whether the agreement was performed "
                                                     "(履行回访): yes, partly or no.")]
Review = Annotated[ReviewKind, Field(description="arbitration_review (仲裁审查确认) or "
                                                 "judicial_confirmation (司法确认).")]
ReviewBody = Annotated[Text, Field(description="The commission or court applied to.")]


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def problems(self) -> dict[str, str]:
        """Rules across fields, reported per field (pydantic's own would lose the field)."""
        return {}


class Petition(Value):
    """A worker's labour-dispute petition as received."""

    org: Code
    category: Category
    workers: Annotated[Workers, Field(description="Workers involved.")]
    amount: Annotated[Money, Field(description="Money at stake, in yuan.")]
    channel: Channel
    employer: Text
    summary: LongText = ""
    petitioner: PersonalText | None = None
    contact: PersonalText | None = None
    industry: Annotated[Text | None, Field(description="e.g. textiles, chemicals")] = None
    origin: Origin | None = None
    common_claim: Annotated[bool, Field(
        strict=True, description="The workers make one common claim (LDMAL art. 7).")] = False
    representatives: Annotated[list[Text] | None, Field(
        min_length=1, max_length=20,
        description="The representatives a collective dispute names.")] = None
    #: The rule in force on the day of receipt, worked out by the service (an engine field).
    rule: Code | None = None

    def problems(self) -> dict[str, str]:
        if is_collective(self.workers, self.common_claim) and not self.representatives:
            return {"representatives": "ten or more workers with a common claim are a "
                                       "collective dispute and name their representatives "
                                       "(LDMAL art. 7)"}
        return {}


class AidRequest(Value):
    """A worker's request for hardship aid as received."""

    org: Code
    channel: Channel
    summary: LongText = ""
    worker: Annotated[Code | None, Field(description="Register id, if registered.")] = None
    petitioner: PersonalText | None = None
    contact: PersonalText | None = None
    id_number: PersonalText | None = None


class Help(Value):
    """The help an aid case is approved for (處理)."""

    kind: HelpKind
    fund: Code | None = None
    amount: Annotated[PositiveMoney | None, Field(description="One-off amount.")] = None
    monthly_amount: PositiveMoney | None = None
    first_month: Annotated[Month | None, Field(description="YYYY-MM")] = None
    months: Annotated[
        int | None, Field(strict=True, ge=1, le=600, description="Omit for open-ended.")
    ] = None
    note: Note = ""

    def problems(self) -> dict[str, str]:
        missing: dict[str, str] = {}
        if self.kind == "one_off":
            for name in ("fund", "amount"):
                if getattr(self, name) is None:
                    missing[name] = "required for one-off relief"
        if self.kind == "monthly_subsidy":
            for name in ("fund", "monthly_amount", "first_month"):
                if getattr(self, name) is None:
                    missing[name] = "required for a monthly subsidy"
        return missing


V = TypeVar("V", bound=Value)


def validated(model: type[V], **data: Any) -> V:
    """Build `model` from `data`, turning pydantic's refusal into `InvalidInput`."""
    try:
        value = model.model_validate(data)
    except ValidationError as e:
        raise InvalidInput(
            {".".join(str(p) for p in err["loc"]) or "value": _why(err) for err in e.errors()}
        ) from None
    problems = value.problems()
    if problems:
        raise InvalidInput(problems)
    return value


_adapters: dict[int, TypeAdapter[Any]] = {}


def check(**fields: tuple[Any, Any]) -> dict[str, Any]:
    """Validate loose values against a type each: ``check(reason=(Text, reason))``."""
    out: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, (tp, value) in fields.items():
        adapter = _adapters.get(id(tp))
        if adapter is None:
            adapter = _adapters[id(tp)] = TypeAdapter(tp)
        try:
            out[name] = adapter.validate_python(value)
        except ValidationError as e:
            problems[name] = _why(e.errors()[0])
    if problems:
        raise InvalidInput(problems)
    return out


def _why(err: Any) -> str:
    msg = str(err["msg"])
    value = err.get("input")
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    return f"{msg} (got {shown})"
