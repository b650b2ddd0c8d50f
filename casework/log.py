"""The case log: one `eventsourcing` application holding every case, fund and register entry.

One log means one notification sequence, so the projection and the replay read every kind
of record in the order it was recorded.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    MapperDeserialisationError,
    OperationalError,
    PersistenceError,
    Recorder,
    Transcoding,
)

from casework.errors import CaseNotFound, ConcurrentUpdate, StoreError
from casework.store import Store
from domain.case import Record
from domain.funds import AidFund

R = TypeVar("R", bound=Record)
T = TypeVar("T")

#: SQLSTATEs PostgreSQL raises when two processes create the same tables at once: a unique
#: violation on the catalogue, a relation or type that appeared meanwhile, "tuple
#: concurrently updated", a deadlock. Waiting and trying again then finds them made.
CREATION_RACES = frozenset({"23505", "42P07", "42710", "XX000", "40P01"})
CREATION_ATTEMPTS = 10


class DateAsISO(Transcoding):
    """A calendar day (the day a notice was given, an agreement falls due) as 2023-03-01;
    read back with the same {"_type_", "_data_"} shape as the library's datetimes."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CaseLog(Application[UUID]):
    name = "casework"
    is_snapshotting_enabled = True
    #: Funds take a movement per payment; a snapshot every 100 keeps loading them cheap.
    snapshotting_intervals = {AidFund: 100}  # noqa: RUF012

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, kind: type[R], key: str) -> R:
        """The record `key` of `kind`, or CaseNotFound.

        Only funds, which take a movement per payment, are snapshotted; a case is a handful
        of events, so it is read in one query, without first looking for a snapshot.
        """
        ident = kind.id_for(key)
        try:
            if kind in self.snapshotting_intervals:
                record: Aggregate | None = self.repository.get(ident)
            else:
                record = project_aggregate(None, self.events.get(originator_id=ident))
            if record is None:
                raise AggregateNotFoundError(ident)
        except AggregateNotFoundError:
            raise CaseNotFound(kind.kind, key) from None
        except MapperDeserialisationError:
            raise self.unreadable(f"{kind.kind} {key}") from None
        assert isinstance(record, kind)
        return record

    def exists(self, kind: type[Record], key: str) -> bool:
        return bool(self.recorder.select_events(kind.id_for(key), limit=1))

    def record(self, *records: Aggregate) -> None:
        """Save records together, in one transaction; a lost race is a ConcurrentUpdate
        naming the records someone else changed, and none of the records is saved."""
        loaded = [r.version - len(r.pending_events) for r in records]
        try:
            self.save(*records)
        except IntegrityError:
            raise ConcurrentUpdate(", ".join(self._stale(records, loaded))) from None
        except (OperationalError, PersistenceError, sqlite3.Error) as e:
            raise StoreError(f"the store refused the write: {one_line(e)}") from None

    def _stale(self, records: tuple[Aggregate, ...], loaded: list[int]) -> list[str]:
        """The keys of the records whose stored version moved past the one we loaded."""
        keys = [getattr(r, "key", str(r.id)) for r in records]
        stale = []
        for key, r, version in zip(keys, records, loaded, strict=True):
            last = self.recorder.select_events(r.id, desc=True, limit=1)
            if (last[0].originator_version if last else 0) != version:
                stale.append(key)
        return stale or keys

    def unreadable(self, what: str) -> StoreError:
        """The error for stored bytes this process cannot decode: almost always a key."""
        if self.mapper.cipher is not None:
            return StoreError(
                f"cannot read {what}: wrong CASEWORK_CIPHER_KEY (the store was written "
                "with another key, or without one)"
            )
        return StoreError(
            f"cannot read {what}: the store is encrypted (set CASEWORK_CIPHER_KEY to the "
            "key it was written with) or damaged"
        )

    def check_key(self) -> None:
        """Decode the latest event, so a wrong key fails on opening, not mid-command."""
        last = self.recorder.max_notification_id()
        if not last:
            return
        notes = self.recorder.select_notifications(start=last, limit=1)
        try:
            for n in notes:
                self.mapper.to_domain_event(n)
        except MapperDeserialisationError:
            raise self.unreadable("the store's events") from None

    def payload_reader(self) -> Callable[[bytes], dict[str, Any]]:
        """Stored bytes → the event's JSON payload (decrypted and decompressed if need be)."""
        cipher, compressor, loads = self.mapper.cipher, self.mapper.compressor, json.loads
        unreadable = self.unreadable

        def read(state: bytes) -> dict[str, Any]:
            try:
                if cipher is not None:
                    state = cipher.decrypt(state)
                if compressor is not None:
                    state = compressor.decompress(state)
                return loads(state)  # type: ignore[no-any-return]
            except (ValueError, UnicodeDecodeError, json.JSONDecodeError) as e:
                raise unreadable("a stored event") from e

        return read

    def stored(self, after: int = 0, page: int = 5000) -> Iterator[tuple[int, str, str, bytes]]:
        """Every stored event after notification `after`: (id, originator hex, topic, state)."""
        while True:
            notes = self.recorder.select_notifications(
                start=after, limit=page, inclusive_of_start=False
            )
            for n in notes:
                yield n.id, n.originator_id.hex, n.topic, n.state  # type: ignore[union-attr]
            if len(notes) < page:
                return
            after = notes[-1].id

    def tracking_recorder(self, recorder_class: type[T]) -> T:
        """A read model's recorder on this log's database, its tables made if missing."""
        try:
            recorder = self.factory.tracking_recorder(recorder_class)  # type: ignore[arg-type]
            create_tables(recorder)
        except (PersistenceError, sqlite3.Error) as e:
            raise StoreError(f"cannot create the read model's tables: {one_line(e)}") from None
        return recorder  # type: ignore[return-value]


def open_log(store: Store) -> CaseLog:
    """Open the store's log, creating its tables on first use, and check the cipher key.

    Tables are made here rather than by the library (CREATE_TABLE=no), so that a process
    that loses the race to create them, against another opening the same fresh database,
    waits and tries again instead of failing.
    """
    try:
        log = CaseLog(env={**store.env, "CREATE_TABLE": "no"})
    except (PersistenceError, sqlite3.Error) as e:
        raise StoreError(f"cannot open store {store.redacted()}: {one_line(e)}") from None
    try:
        create_tables(log.recorder, *([log.snapshots.recorder] if log.snapshots else []))
        log.check_key()
    except (PersistenceError, sqlite3.Error) as e:
        log.close()
        raise StoreError(f"cannot open store {store.redacted()}: {one_line(e)}") from None
    except StoreError:
        log.close()
        raise
    return log


def create_tables(*recorders: Recorder) -> None:
    """Create the recorders' tables if missing, retrying where a concurrent creator won."""
    for attempt in range(1, CREATION_ATTEMPTS + 1):
        try:
            for recorder in recorders:
                recorder.create_table()  # type: ignore[attr-defined]
            return
        except PersistenceError as e:
            if attempt == CREATION_ATTEMPTS or not _creation_race(e):
                raise
        time.sleep(random.uniform(0.02, 0.1) * attempt)


def _creation_race(e: BaseException) -> bool:
    """Creating tables inserts only the tracking table's migration row: a duplicate there
    (either store), or a catalogue race (PostgreSQL), means another process got there first."""
    return isinstance(e, IntegrityError) or getattr(e.__cause__, "sqlstate", None) in CREATION_RACES


def one_line(e: BaseException) -> str:
    """A driver's message without its DETAIL/HINT lines: errors print as one line."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
