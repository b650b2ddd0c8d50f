"""Business time: when something happened, read in the configured time zone."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casework.errors import InvalidInput
from domain.values import outside_years

#: When something happened, as a caller gives it: an aware or local datetime, its ISO
#: text, or None for now.
When = datetime | str | None

#: How far ahead of this machine's clock an `at` may be (another machine's clock skew).
SKEW = timedelta(minutes=5)


def zone(name: str | None = None) -> tzinfo:
    """$CASEWORK_TZ (an IANA name such as Asia/Shanghai), default UTC."""
    name = name or os.environ.get("CASEWORK_TZ") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput({"CASEWORK_TZ": f"unknown time zone {name!r}"}) from None


class Clock:
    """Turns a caller's `at` into an aware datetime that is not in the future."""

    def __init__(self, tz: tzinfo, now: Callable[[], datetime] | None = None) -> None:
        self.tz = tz
        self._now = now or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._now()

    def when(self, at: When) -> datetime:
        """`at` checked and in UTC; no `at` means now."""
        if at is None:
            return self.now()
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                raise InvalidInput({"at": f"not a date and time: {at!r}"}) from None
        if isinstance(at, date) and not isinstance(at, datetime):
            at = datetime(at.year, at.month, at.day)
        if not isinstance(at, datetime):
            raise InvalidInput({"at": f"expected a datetime, got {type(at).__name__}"})
        why = outside_years(at)  # before any arithmetic: year 1 at +14:00 has no UTC time
        if at.tzinfo is None:
            at = at.replace(tzinfo=self.tz)
        # and in this zone, where reports and case numbers read it
        why = why or outside_years(at.astimezone(self.tz))
        if why:
            raise InvalidInput({"at": why})
        if at > self.now() + SKEW:
            raise InvalidInput({"at": f"{at.isoformat()} is in the future"})
        return at.astimezone(UTC)  # stored in UTC, so stored times sort as they compare

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()
