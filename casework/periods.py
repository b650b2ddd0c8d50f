"""Report periods by name: 2023H1, 2023Q2, 2023-05, 2023."""

from __future__ import annotations

import calendar
import re
from datetime import date

from casework.errors import InvalidInput
from domain.values import FIRST_YEAR, LAST_YEAR, YEARS

# [0-9], not \d: \d would take any script's digits, which int() reads as well.
_FORMS = {
    r"([0-9]{4})H([12])": lambda y, h: (date(y, 6 * h - 5, 1), _month_end(y, 6 * h)),
    r"([0-9]{4})Q([1-4])": lambda y, q: (date(y, 3 * q - 2, 1), _month_end(y, 3 * q)),
    r"([0-9]{4})-(0[1-9]|1[0-2])": lambda y, m: (date(y, m, 1), _month_end(y, m)),
    r"([0-9]{4})": lambda y: (date(y, 1, 1), date(y, 12, 31)),
}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period(name: str) -> tuple[date, date]:
    """The first and last day of a named period, within the supported years."""
    if not isinstance(name, str):
        raise InvalidInput({"period": f"expected a period name, got {type(name).__name__}"})
    for pattern, bounds in _FORMS.items():
        m = re.fullmatch(pattern, name.strip())
        if m:
            if not FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
                raise InvalidInput({"period": f"{name.strip()!r} is outside the supported "
                                              f"years {YEARS}"})
            return bounds(*(int(g) for g in m.groups()))  # type: ignore[no-any-return,operator]
    raise InvalidInput({"period": f"{name!r} is not a period: use 2023H1, 2023Q2, 2023-05 or 2023"})
