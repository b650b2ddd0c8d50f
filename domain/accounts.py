"""A staff account of the desk: who may sign in, as which role, for which union bodies.

Every change is an event — added, role changed, bodies granted or revoked, password set,
locked, unlocked, closed, signed in and out, a refused sign-in — so "who could do what,
when" is read from the account's own history. The password is never stored: only its
argon2 hash, which the service computes. Sessions are kept as the SHA-256 digest of their
token, so a reader of the store cannot take over a session.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Record, record_id

#: Wrong passwords in a row that lock an account, and for how long.
FAILURES_TO_LOCK = 5
LOCK_FOR = timedelta(minutes=15)
#: How long a session lasts from its sign-in (a working day), at most.
SESSION_FOR = timedelta(hours=12)


class Account(Record):
    """One member of staff's account."""

    kind = "account"

    if TYPE_CHECKING:  # state set by the events; annotations here would become event fields
        role: str
        orgs: list[str]
        name: str
        password_hash: str
        active: bool
        locked_until: datetime | None
        failures: int
        sessions: dict[str, datetime]
        lang: str
        password_changed_at: datetime

    @staticmethod
    def create_id(account: str, **_: Any) -> UUID:
        return record_id(Account.kind, account)

    @event("Added")
    def __init__(self, *, account: str, role: str, orgs: list[str], name: str,
                 password_hash: str, at: datetime, actor: str) -> None:
        self._begin(account, "add", at, actor)
        self.role, self.orgs, self.name = role, list(orgs), name
        self.password_hash, self.password_changed_at = password_hash, at
        self.active, self.locked_until, self.failures = True, None, 0
        self.sessions, self.lang = {}, "zh"

    def may_sign_in(self, now: datetime) -> bool:
        return self.active and not self.is_locked(now)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def has_session(self, digest: str, now: datetime) -> bool:
        expires = self.sessions.get(digest)
        return self.active and expires is not None and now < expires

    @event("RoleChanged")
    def change_role(self, role: str, at: datetime, actor: str) -> None:
        self.role = role
        self._happened("change_role", at, actor)

    @event("BodiesGranted")
    def grant(self, orgs: list[str], at: datetime, actor: str) -> None:
        self.orgs = [*self.orgs, *(o for o in orgs if o not in self.orgs)]
        self._happened("grant", at, actor)

    @event("BodiesRevoked")
    def revoke_bodies(self, orgs: list[str], at: datetime, actor: str) -> None:
        self.orgs = [o for o in self.orgs if o not in orgs]
        self._happened("revoke_bodies", at, actor)

    @event("PasswordChanged")
    def set_password(self, password_hash: str, at: datetime, actor: str) -> None:
        """A new password: every session signed in with the old one ends."""
        self.password_hash, self.password_changed_at = password_hash, at
        self.sessions, self.failures, self.locked_until = {}, 0, None
        self._happened("set_password", at, actor)

    @event("Closed")
    def close(self, reason: str, at: datetime, actor: str) -> None:
        """Access revoked: the account signs in no more; its history stays."""
        self.active, self.sessions = False, {}
        self._happened("close", at, actor)

    @event("Reopened")
    def reopen(self, at: datetime, actor: str) -> None:
        self.active = True
        self._happened("reopen", at, actor)

    @event("Locked")
    def lock(self, until: datetime, reason: str, at: datetime, actor: str) -> None:
        self.locked_until, self.failures = until, 0
        self._happened("lock", at, actor)

    @event("Unlocked")
    def unlock(self, at: datetime, actor: str) -> None:
        self.locked_until, self.failures = None, 0
        self._happened("unlock", at, actor)

    @event("LanguageChosen")
    def choose_language(self, lang: str, at: datetime, actor: str) -> None:
        self.lang = lang
        self.last_at = at

    @event("SignedIn")
    def signed_in(self, session: str, expires: datetime, at: datetime, actor: str) -> None:
        self.sessions = {s: e for s, e in self.sessions.items() if e > at}
        self.sessions[session] = expires
        self.failures, self.last_at = 0, at
        if self.locked_until is not None and self.locked_until <= at:
            self.locked_until = None

    @event("SignedOut")
    def signed_out(self, session: str, at: datetime, actor: str) -> None:
        self.sessions.pop(session, None)
        self.last_at = at

    @event("SignInRefused")
    def refused(self, reason: str, at: datetime, actor: str) -> None:
        """A wrong password; the fifth in a row is followed by a lock."""
        if self.locked_until is not None and self.locked_until <= at:
            self.locked_until = None
        self.failures += 1
        self.last_at = at
