"""casework: event-sourced case management for a union's mediation and aid centres."""

from casework.app import Casework, retry
from casework.errors import (
    AlreadyExists,
    CaseNotFound,
    CaseworkError,
    ConcurrentUpdate,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
    StoreError,
)

__all__ = [
    "AlreadyExists",
    "CaseNotFound",
    "Casework",
    "CaseworkError",
    "ConcurrentUpdate",
    "InsufficientFunds",
    "InvalidInput",
    "InvalidTransition",
    "PermissionDenied",
    "StoreError",
    "retry",
]
