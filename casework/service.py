"""What every command service shares: validate the who and when, load, change, save."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from eventsourcing.persistence import IntegrityError

from casework.access import Access, ActorLike
from casework.clock import Clock, When
from casework.errors import ConcurrentUpdate
from casework.log import CaseLog
from domain.case import Record
from domain.values import Code, check
from workflows.access import Actor

R = TypeVar("R", bound=Record)


class Service:
    """A thin command service over the case log."""

    #: Who may change the records this service changes (besides a supervisor).
    roles: frozenset[str] = frozenset()

    def __init__(self, log: CaseLog, clock: Clock, org: str, access: Access) -> None:
        self.log, self.clock, self.org, self.access = log, clock, org, access

    def _may(self, who: Actor, kind: str, move: str, when: datetime,
             *records: tuple[str, str], **amounts: Decimal | None) -> str:
        """`who`'s id, once the policy lets them make `move` on each (key, org) record:
        refused for one, refused for all, before anything is written."""
        for key, org in records:
            self.access.check(who, self.roles, kind, move, key, org, when, **amounts)
        return who.id

    def _read(self, kind: type[R], key: Any, actor: ActorLike | None,
              name: str = "case") -> tuple[R, Actor | None]:
        """Load `key` for a reader who may see it (None: single-user use, sees all)."""
        key = self._key(name, key)
        now = self.clock.now()
        reader = self.access.reader(actor, key, now)
        record = self.log.load(kind, key)
        self.access.check_read(reader, key, record.org, now)
        return record, reader

    def _key(self, name: str, key: Any) -> str:
        return str(check(**{name: (Code, key)})[name])

    @staticmethod
    def _not_before(when: datetime, at: object, *records: Record) -> datetime:
        """No `at` means now — but not before the records' last events, which a machine
        whose clock runs a little ahead may have dated."""
        if at is None:
            return max([when, *(r.last_at for r in records)])
        return when

    def _change(
        self, kind: type[R], key: Any, at: When, actor: ActorLike, move: str,
        change: Callable[[R, datetime, str], None], name: str = "case",
        **amounts: Decimal | None,
    ) -> R:
        """Load `key`, check who and when, apply `change`, save its new events."""
        who = self.access.who(actor)
        when = self.clock.when(at)  # a bad `at` is refused before anything is loaded
        record = self.log.load(kind, self._key(name, key))
        when = self._not_before(when, at, record)
        change(record, when, self._may(who, kind.kind, move, when, (record.key, record.org),
                                       **amounts))
        self.log.record(record)
        return record


class Numbers:
    """Human case numbers, e.g. LD-2023-0042, unique per prefix and year of receipt.

    The number seeds the aggregate's id, so a number taken by another process at the same
    moment fails on the store's uniqueness rule and the next number is tried: no counter,
    no lock. The first number of a year in this process is found by a binary search over
    which numbers exist (they are dense: a number exists only once its case is saved).
    """

    def __init__(self, log: CaseLog) -> None:
        self.log = log
        self._next: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def create(self, prefix: str, kind: type[Record], year: int,
               make: Callable[[str], Sequence[Record]]) -> str:
        """Save the records `make` builds for the next free number (the new case first,
        then any record its opening changes, in one transaction); returns the number."""
        with self._lock:
            n = self._next.get((prefix, year)) or self._first_free(prefix, kind, year)
            for _ in range(1000):
                number = f"{prefix}-{year}-{n:04d}"
                records = make(number)
                try:
                    self.log.save(*records)
                except IntegrityError:
                    if len(records) > 1 and not self.log.exists(kind, number):
                        raise ConcurrentUpdate(", ".join(r.key for r in records[1:])) from None
                    n += 1
                    continue
                self._next[(prefix, year)] = n + 1
                return number
        raise ConcurrentUpdate(f"{prefix}-{year}: no free case number after 1000 tries")

    def _first_free(self, prefix: str, kind: type[Record], year: int) -> int:
        def taken(n: int) -> bool:
            return self.log.exists(kind, f"{prefix}-{year}-{n:04d}")

        hi = 1
        while taken(hi):
            hi *= 2
        lo = hi // 2  # lo is taken (or 0), hi is free
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if taken(mid) else (lo, mid)
        return hi
