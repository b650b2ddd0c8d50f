"""Staff accounts: adding and changing them (events), signing in and out, and the access
Directory the desk builds from them.

The password is hashed with argon2 (argon2-cffi's defaults, RFC 9106's low-memory profile)
before any event exists; the event holds the hash only. Sessions are random tokens; the
account's events hold their SHA-256 digests.

Every process keeps an index of the accounts (`AccountBook`) and brings it up to date from
the log before each request, reading only the account events recorded since it last looked,
so a sign-out, a lock or a role change made in one worker process holds in all of them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.utils import get_topic

from casework.access import ROLES, Directory
from casework.app import Casework
from casework.errors import (
    AlreadyExists,
    CaseNotFound,
    CaseworkError,
    ConcurrentUpdate,
    InvalidInput,
)
from domain.accounts import FAILURES_TO_LOCK, LOCK_FOR, SESSION_FOR, Account
from domain.values import Code, Text, check
from workflows.access import ALL_BODIES, Actor

log = logging.getLogger("casework.desk")

MIN_PASSWORD = 8
MAX_PASSWORD = 1024
LANGS = ("zh", "en")

#: Every event an account has: the index reads these topics only.
TOPICS = [get_topic(getattr(Account, name))
          for name in (Account.opened_event, *Account.moves_by_event)]

_hasher = PasswordHasher()
#: Verified against when the account does not exist, so that a wrong name takes as long
#: as a wrong password and the timing tells nobody which names exist.
_DUMMY = _hasher.hash("not a password of anyone")


class SignInRefused(CaseworkError):
    """A refused sign-in; `reason` is one of "wrong", "locked", "closed"."""

    def __init__(self, account: str, reason: str) -> None:
        self.account, self.reason = account, reason
        super().__init__(f"sign-in refused for {account!r}: {reason}")


@dataclass(frozen=True)
class AccountView:
    """An account as the desk and `casework account list` show it (never its hash)."""

    id: str
    name: str
    role: str
    orgs: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    lang: str
    password_changed_at: datetime
    history: tuple[tuple[str, datetime, str], ...]
    #: Open sessions: the digest of each token → when it ends.
    sessions: Mapping[str, datetime] = field(default_factory=dict, repr=False, compare=False)

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.orgs)

    @classmethod
    def of(cls, a: Account) -> AccountView:
        return cls(id=a.key, name=a.name, role=a.role, orgs=tuple(a.orgs), active=a.active,
                   locked_until=a.locked_until, lang=a.lang,
                   password_changed_at=a.password_changed_at, history=tuple(a.history),
                   sessions=dict(a.sessions))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password(password: Any) -> str:
    if not isinstance(password, str) or not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        raise InvalidInput({"password": f"between {MIN_PASSWORD} and {MAX_PASSWORD} characters"})
    if any(ord(c) < 32 for c in password):
        raise InvalidInput({"password": "no control characters"})
    return password


def _orgs(orgs: Iterable[str]) -> list[str]:
    given = list(orgs) if not isinstance(orgs, str) else [orgs]
    if not given:
        raise InvalidInput({"org": "at least one union body (or * for every body)"})
    out = []
    for o in given:
        out.append(o if o == ALL_BODIES else str(check(org=(Code, o))["org"]))
    return list(dict.fromkeys(out))


def _role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput({"role": f"one of {', '.join(ROLES)}"})
    return role


class Accounts:
    """Adding and changing accounts, and signing in: each change one event, saved."""

    def __init__(self, cw: Casework) -> None:
        self.cw, self.log, self.clock = cw, cw.log, cw.clock

    # ---- changes -------------------------------------------------------------------------

    def add(self, account: str, *, role: str, orgs: Iterable[str], password: str,
            name: str = "", actor: str) -> str:
        """A new account; the password is hashed before anything is stored."""
        v = check(account=(Code, account), actor=(Code, actor))
        name = str(check(name=(Text, name))["name"]) if name else ""
        role, bodies = _role(role), _orgs(orgs)
        hashed = _hasher.hash(_password(password))
        if self.log.exists(Account, v["account"]):
            raise AlreadyExists("account", v["account"])
        self.log.record(Account(account=v["account"], role=role, orgs=bodies, name=name,
                                password_hash=hashed, at=self.clock.now(), actor=v["actor"]))
        return str(v["account"])

    def _change(self, account: str, actor: str,
                change: Callable[[Account, datetime, str], None]) -> AccountView:
        who = str(check(actor=(Code, actor))["actor"])
        key = str(check(account=(Code, account))["account"])
        for attempt in range(5):
            a = self.log.load(Account, key)
            at = max(self.clock.now(), a.last_at)
            change(a, at, who)
            try:
                self.log.record(a)
            except ConcurrentUpdate:
                if attempt == 4:
                    raise
                continue
            return AccountView.of(a)
        raise AssertionError("unreachable")

    def change_password(self, account: str, *, password: str, actor: str) -> None:
        """A new password; every session of the account ends with the old one."""
        hashed = _hasher.hash(_password(password))
        self._change(account, actor, lambda a, at, who: a.set_password(
            password_hash=hashed, at=at, actor=who))

    def change_role(self, account: str, *, role: str, actor: str) -> None:
        role = _role(role)
        self._change(account, actor, lambda a, at, who: a.change_role(
            role=role, at=at, actor=who))

    def grant(self, account: str, *, orgs: Iterable[str], actor: str) -> None:
        bodies = _orgs(orgs)
        self._change(account, actor, lambda a, at, who: a.grant(orgs=bodies, at=at, actor=who))

    def revoke_bodies(self, account: str, *, orgs: Iterable[str], actor: str) -> None:
        bodies = _orgs(orgs)

        def revoke(a: Account, at: datetime, who: str) -> None:
            if not [o for o in a.orgs if o not in bodies]:
                raise InvalidInput({"org": "an account keeps at least one body; close it "
                                           "instead (casework account revoke)"})
            a.revoke_bodies(orgs=bodies, at=at, actor=who)

        self._change(account, actor, revoke)

    def close(self, account: str, *, reason: str = "access revoked", actor: str) -> None:
        """Revoke the account's access: its sessions end, it signs in no more."""
        why = str(check(reason=(Text, reason))["reason"])
        self._change(account, actor, lambda a, at, who: a.close(reason=why, at=at, actor=who))

    def reopen(self, account: str, *, actor: str) -> None:
        self._change(account, actor, lambda a, at, who: a.reopen(at=at, actor=who))

    def unlock(self, account: str, *, actor: str) -> None:
        self._change(account, actor, lambda a, at, who: a.unlock(at=at, actor=who))

    def choose_language(self, account: str, lang: str) -> None:
        if lang not in LANGS:
            raise InvalidInput({"lang": " or ".join(LANGS)})
        self._change(account, account, lambda a, at, who: a.choose_language(
            lang=lang, at=at, actor=who))

    def get(self, account: str) -> AccountView:
        return AccountView.of(self.log.load(Account, str(check(account=(Code, account))
                                                          ["account"])))

    # ---- signing in ------------------------------------------------------------------------

    def sign_in(self, account: str, password: str, *, source: str = "") -> str:
        """A new session's token, or SignInRefused (logged, and recorded on the account
        where it exists). The fifth wrong password in a row locks it for 15 minutes."""
        try:
            key = str(check(account=(Code, account))["account"])
            a = self.log.load(Account, key)
        except (InvalidInput, CaseNotFound):
            _verify(_DUMMY, password)
            log.warning("sign-in refused: no account %r (from %s)", account[:64], source)
            raise SignInRefused(account, "wrong") from None
        for attempt in range(5):
            now = max(self.clock.now(), a.last_at)
            if not a.active:
                _verify(_DUMMY, password)
                log.warning("sign-in refused: account %r is closed (from %s)", key, source)
                raise SignInRefused(key, "closed")
            if a.is_locked(now):
                log.warning("sign-in refused: account %r is locked until %s (from %s)", key,
                            a.locked_until, source)
                raise SignInRefused(key, "locked")
            token = None
            if _verify(a.password_hash, password):
                token = secrets.token_urlsafe(32)
                a.signed_in(session=digest(token), expires=now + SESSION_FOR, at=now,
                            actor=key)
            else:
                a.refused(reason="wrong password", at=now, actor=key)
                if a.failures >= FAILURES_TO_LOCK:
                    a.lock(until=now + LOCK_FOR, reason=f"{FAILURES_TO_LOCK} wrong passwords",
                           at=now, actor=key)
            try:
                self.log.record(a)
            except ConcurrentUpdate:
                if attempt == 4:
                    raise
                a = self.log.load(Account, key)
                continue
            if token is not None:
                log.info("signed in: %s (from %s)", key, source)
                return token
            locked = a.is_locked(now)
            log.warning("sign-in refused: wrong password for %r%s (from %s)", key,
                        " — locked for 15 minutes" if locked else "", source)
            raise SignInRefused(key, "locked" if locked else "wrong")
        raise AssertionError("unreachable")

    def verify(self, account: str, password: str) -> bool:
        """Whether `password` is the account's (to confirm a password change)."""
        try:
            a = self.log.load(Account, str(check(account=(Code, account))["account"]))
        except (InvalidInput, CaseNotFound):
            return _verify(_DUMMY, password) and False
        return a.active and _verify(a.password_hash, password)

    def sign_out(self, account: str, token: str) -> None:
        session = digest(token)

        def out(a: Account, at: datetime, who: str) -> None:
            if session in a.sessions:
                a.signed_out(session=session, at=at, actor=who)

        self._change(account, account, out)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountBook:
    """Every account as this process last read it, brought up to date on demand."""

    def __init__(self, cw: Casework, thresholds: Directory | None = None) -> None:
        self.log, self.clock = cw.log, cw.clock
        self.thresholds = thresholds
        self.accounts: dict[str, AccountView] = {}
        self._position = 0
        self._lock = threading.Lock()
        self.directory = self._directory()

    def refresh(self) -> bool:
        """Read the account events recorded since the last look; True if any changed."""
        recorder = self.log.recorder
        top = recorder.max_notification_id() or 0
        if top <= self._position:
            return False
        with self._lock:
            start = self._position
            if top <= start:
                return False
            changed: set[UUID] = set()
            while True:
                notes = recorder.select_notifications(
                    start=start, stop=top, limit=1000, topics=TOPICS, inclusive_of_start=False)
                changed.update(n.originator_id for n in notes)  # type: ignore[misc]
                if len(notes) < 1000:
                    break
                start = notes[-1].id
            if changed:
                accounts = dict(self.accounts)
                for ident in changed:
                    a: Any = self.log.repository.get(ident)
                    assert isinstance(a, Account)
                    accounts[a.key] = AccountView.of(a)
                self.accounts = accounts
                self.directory = self._directory()
            self._position = top
            return bool(changed)

    def _directory(self) -> Directory:
        actors = {a.id: a.actor for a in self.accounts.values() if a.active}
        if self.thresholds is None:
            return Directory(actors)
        return Directory(actors, limits=self.thresholds.limits)

    def session(self, account: str, token: str) -> AccountView | None:
        """The signed-in account a session cookie names, if the session still holds."""
        a = self.accounts.get(account)
        if a is None or not a.active:
            return None
        expires = a.sessions.get(digest(token))
        return a if expires is not None and self.clock.now() < expires else None


__all__ = ["AccountBook", "AccountView", "Accounts", "SignInRefused"]
