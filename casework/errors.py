"""The public errors. Domain refusals are defined beside the domain and re-exported here."""

from __future__ import annotations

from domain.errors import (
    AlreadyExists,
    CaseNotFound,
    CaseworkError,
    ConcurrentUpdate,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
)


class StoreError(CaseworkError):
    """The store URL is malformed, unreachable, read-only, corrupt or locked with a wrong key."""


__all__ = [
    "AlreadyExists",
    "CaseNotFound",
    "CaseworkError",
    "ConcurrentUpdate",
    "InsufficientFunds",
    "InvalidInput",
    "InvalidTransition",
    "PermissionDenied",
    "StoreError",
]
