"""The errors a caller can act on. Every refusal is a `CaseworkError`; nothing is stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal


class CaseworkError(Exception):
    """Base of every error casework raises on purpose."""


class InvalidInput(CaseworkError, ValueError):
    """One or more values were refused; `fields` maps each offending field to why."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {why}" for name, why in self.fields.items()))


class InvalidTransition(CaseworkError):
    """A move the case's lifecycle does not allow from its current state."""

    def __init__(self, case: str, state: str, move: str, allowed: Sequence[str]) -> None:
        self.case, self.state, self.move, self.allowed = case, state, move, tuple(allowed)
        now = ", ".join(allowed) if allowed else "none (the case is closed)"
        super().__init__(f"case {case} is {state}: cannot {move}; moves allowed now: {now}")


class CaseNotFound(CaseworkError, LookupError):
    """No case, fund or register entry has that number."""

    def __init__(self, what: str, key: str) -> None:
        self.key = key
        super().__init__(f"no {what} {key!r}")


class AlreadyExists(CaseworkError):
    """A record with that identifier is already there (a fund opened twice, say)."""

    def __init__(self, what: str, key: str) -> None:
        self.key = key
        super().__init__(f"{what} {key!r} already exists")


class InsufficientFunds(CaseworkError):
    """A payment that would take a fund below zero, on its own date or any later one."""

    def __init__(self, fund: str, short: Decimal, on: date) -> None:
        self.fund, self.short, self.on = fund, short, on
        super().__init__(
            f"fund {fund!r} would go below zero on {on.isoformat()}, short by {short:.2f} yuan"
        )


class ConcurrentUpdate(CaseworkError):
    """Someone else changed the record between our read and our write."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"{key} was changed by someone else at the same moment; reload it and retry"
        )


class PermissionDenied(CaseworkError):
    """The actor may not make this move."""
