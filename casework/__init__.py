"""casework: event-sourced case management for a union's mediation and aid centres."""

from casework.access import Directory
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
from workflows.access import Actor

__all__ = [
    "Actor",
    "AlreadyExists",
    "CaseNotFound",
    "Casework",
    "CaseworkError",
    "ConcurrentUpdate",
    "Directory",
    "InsufficientFunds",
    "InvalidInput",
    "InvalidTransition",
    "PermissionDenied",
    "StoreError",
    "retry",
]
