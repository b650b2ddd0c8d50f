"""The case log: one `eventsourcing` application holding every case, fund and register entry.

One log means one notification sequence, so the projection and the replay read every kind
of record in the order it was recorded.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    MapperDeserialisationError,
    PersistenceError,
    Recorder,
    Recording,
    Transcoding,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder

from casework import marker
from casework.errors import CaseNotFound, ConcurrentUpdate, StoreError
from casework.faults import FAULTS, faults, one_line, store_error
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

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        """As the library's, but a failure half-way (a server that does not answer) closes
        the connection pool it opened, instead of leaving it retrying in the background."""
        try:
            super().__init__(env)
        except BaseException:
            factory = self.__dict__.get("factory")
            if factory is not None:
                factory.close()
            raise

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
            with self.faults(f"cannot read {kind.kind} {key}"):
                if kind in self.snapshotting_intervals:
                    record: Aggregate | None = self.repository.get(ident)
                    if getattr(record, "replay", False):
                        record = self._replayed(ident)
                else:
                    record = project_aggregate(None, self.events.get(originator_id=ident))
                if record is None:
                    raise AggregateNotFoundError(ident)
        except AggregateNotFoundError:
            raise CaseNotFound(kind.kind, key) from None
        assert isinstance(record, kind)
        return record

    def _replayed(self, ident: UUID) -> Aggregate | None:
        """A record whose last snapshot has an older shape than its class (its upcaster
        said `replay`): rebuilt from its events, and snapshotted again in the new shape."""
        record = project_aggregate(None, self.events.get(originator_id=ident))
        if record is not None and self.snapshots is not None:
            snapshot = getattr(type(record), "Snapshot", self.snapshot_class)
            self.snapshots.put([snapshot.take(record)])
        return record

    def exists(self, kind: type[Record], key: str) -> bool:
        with self.faults(f"cannot look up {kind.kind} {key}"):
            return bool(self.recorder.select_events(kind.id_for(key), limit=1))

    @contextmanager
    def faults(self, what: str) -> Iterator[None]:
        """Inside the block, any store fault — a failed driver, a damaged page, bytes that
        do not decode — is a one-line StoreError saying `what` failed, with this store's
        password scrubbed. IntegrityError passes: callers read it as a lost race."""
        with faults(what, secrets=[self.env.get("POSTGRES_PASSWORD", "")], damage=True):
            try:
                yield
            except MapperDeserialisationError:
                raise self.unreadable(what) from None

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """As the library's, with a failed write a StoreError (a lost race stays an
        IntegrityError), so every writer — not only `record` — fails the same way."""
        try:
            return super().save(*objs, **kwargs)
        except IntegrityError:
            raise
        except FAULTS as e:
            raise store_error("the store refused the write", e,
                              secrets=[self.env.get("POSTGRES_PASSWORD", "")]) from None

    def record(self, *records: Aggregate) -> None:
        """Save records together, in one transaction; a lost race is a ConcurrentUpdate
        naming the records someone else changed, and none of the records is saved."""
        loaded = [r.version - len(r.pending_events) for r in records]
        try:
            self.save(*records)
        except IntegrityError:
            with self.faults("cannot tell which record changed"):
                stale = self._stale(records, loaded)
            raise ConcurrentUpdate(", ".join(stale)) from None

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
        """The error for stored bytes this process cannot decode: almost always a key.
        `what` says what failed: "cannot read dispute LD-2023-0001"."""
        if self.mapper.cipher is not None:
            return StoreError(
                f"{what}: wrong CASEWORK_CIPHER_KEY (the store was written "
                "with another key, or without one)"
            )
        return StoreError(
            f"{what}: the store is encrypted (set CASEWORK_CIPHER_KEY to the "
            "key it was written with) or damaged"
        )

    def check_key(self) -> None:
        """Decode the latest event, so a wrong key fails on opening, not mid-command."""
        with self.faults("cannot read the store's events"):
            last = self.recorder.max_notification_id()
            if not last:
                return
            for n in self.recorder.select_notifications(start=last, limit=1):
                self.mapper.to_domain_event(n)

    def last_position(self) -> int:
        """The notification id of the latest stored event (0 for an empty store)."""
        with self.faults("cannot read the store's events"):
            return self.recorder.max_notification_id() or 0

    def opener(self) -> Callable[[bytes], bytes]:
        """Stored bytes → the event's JSON bytes: decrypted, then decompressed, as the log's
        mapper wrote them (the identity where neither is configured)."""
        cipher, compressor = self.mapper.cipher, self.mapper.compressor

        def plain(state: bytes) -> bytes:
            if cipher is not None:
                state = cipher.decrypt(state)
            if compressor is not None:
                state = compressor.decompress(state)
            return state

        return plain

    def sealer(self) -> Callable[[bytes], bytes]:
        """The event's JSON bytes → stored bytes, as the log's mapper would write them."""
        cipher, compressor = self.mapper.cipher, self.mapper.compressor

        def seal(state: bytes) -> bytes:
            if compressor is not None:
                state = compressor.compress(state)
            if cipher is not None:
                state = cipher.encrypt(state)
            return state

        return seal

    def payload_reader(self) -> Callable[[bytes], dict[str, Any]]:
        """Stored bytes → the event's JSON payload; a payload that does not decrypt, unpack
        or parse is the log's `unreadable` error."""
        # UTF-8, as written: no sniffing of the encoding per payload, as json.loads does;
        # and the decoder's scan alone, without its regular expressions around the text
        # (the library writes compact JSON), about 30 % less than json.loads a payload.
        scan, unreadable = json.JSONDecoder().raw_decode, self.unreadable
        opened = None if self.mapper.cipher is None and self.mapper.compressor is None \
            else self.opener()

        def read(state: bytes) -> dict[str, Any]:
            try:
                text = bytes(state if opened is None else opened(state)).decode()
                payload, end = scan(text)
            except (ValueError, UnicodeDecodeError, json.JSONDecodeError) as e:
                raise unreadable("cannot read a stored event") from e
            if (end != len(text) and text[end:].strip()) or type(payload) is not dict:
                raise unreadable("cannot read a stored event")
            return payload

        return read

    def _events_sql(self) -> tuple[str, str, str, bool]:
        """The events table as SQL names it, its notification number, its parameter mark,
        and whether it is SQLite's (which numbers notifications by rowid and keeps ids as
        hex text)."""
        recorder: Any = self.recorder
        if isinstance(recorder, SQLiteApplicationRecorder):
            return recorder.events_table_name, "rowid", "?", True
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        return table, "notification_id", "%s", False

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        recorder: Any = self.recorder
        with self.faults("cannot read the store's events"), \
                recorder.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            rows = c.fetchall()
        # PostgreSQL's datastore returns rows as dicts; SQLite's as tuples, kept as they are
        return [tuple(r.values()) for r in rows] if rows and isinstance(rows[0], dict) \
            else rows

    def stored(self, after: int = 0, page: int = 20000) -> Iterator[tuple[int, str, str, bytes]]:
        """Every stored event after notification `after`: (id, originator hex, topic, state),
        a page at a time, straight from the events table: building the library's
        notification objects (a UUID each) cost more than decoding the payloads."""
        table, number, mark, sqlite = self._events_sql()
        oid = "originator_id" if sqlite else "replace(originator_id::text, '-', '')"
        sql = (f"SELECT {number}, {oid}, topic, state FROM {table} "
               f"WHERE {number} > {mark} ORDER BY {number} LIMIT {mark}")
        while True:
            rows = self._rows(sql, (after, page))
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1][0]

    def history(self, oid: str, before: int) -> list[tuple[int, str, dict[str, Any]]]:
        """A record's events stored before notification `before`, oldest first, each as
        (notification id, topic, payload): what a correction is folded against. One
        query on either store."""
        table, number, mark, sqlite = self._events_sql()
        sql = (f"SELECT {number}, topic, state FROM {table} "
               f"WHERE originator_id = {mark} AND {number} < {mark} ORDER BY originator_version")
        read = self.payload_reader()
        rows = self._rows(sql, (oid if sqlite else UUID(oid), before))
        return [(int(seq), str(topic), read(bytes(state))) for seq, topic, state in rows]

    def tracking_recorder(self, recorder_class: type[T]) -> T:
        """A read model's recorder on this log's database, its tables made if missing."""
        with self.faults("cannot create the read model's tables"):
            recorder = self.factory.tracking_recorder(recorder_class)  # type: ignore[arg-type]
            create_tables(recorder)
        return recorder  # type: ignore[return-value]


def open_log(store: Store, *, rekey_target: bool = False) -> CaseLog:
    """Open the store's log, creating its tables on first use, and check the cipher key.

    Tables are made here rather than by the library (CREATE_TABLE=no), so that a process
    that loses the race to create them, against another opening the same fresh database,
    waits and tries again instead of failing. A store a rekey is still filling (or left
    half-filled) is refused; `rekey_target` is the rekey opening its target, which it
    checks itself (empty, unmarked) before it writes a first event under the new key.
    """
    what = f"cannot open store {store.redacted()}"
    with faults(what, secrets=[store.password], damage=True):
        log = CaseLog(env={**store.env, "CREATE_TABLE": "no"})
    try:
        with log.faults(what):
            if not rekey_target:  # the first statement: it may meet a new file's WAL switch
                retrying(lambda: marker.refuse_unfinished(log.recorder))
            create_tables(log.recorder, *([log.snapshots.recorder] if log.snapshots else []))
            if not rekey_target:
                log.check_key()
    except BaseException:
        log.close()
        raise
    return log


def create_tables(*recorders: Recorder) -> None:
    """Create the recorders' tables if missing, retrying where a concurrent creator won."""

    def create() -> None:
        for recorder in recorders:
            recorder.create_table()  # type: ignore[attr-defined]

    retrying(create)


def retrying(step: Callable[[], T]) -> T:
    """`step`, tried again (after a short, growing wait) while it loses a creation race."""
    for attempt in range(1, CREATION_ATTEMPTS + 1):
        try:
            return step()
        except (PersistenceError, sqlite3.OperationalError) as e:  # sqlite3's: connecting
            if attempt == CREATION_ATTEMPTS or not _creation_race(e):
                raise
        time.sleep(random.uniform(0.02, 0.1) * attempt)
    raise AssertionError("unreachable")


def _creation_race(e: BaseException) -> bool:
    """Creating tables inserts only the tracking table's migration row: a duplicate there
    (either store), a catalogue race (PostgreSQL), or a new SQLite file locked while another
    connection turns it to WAL (which does not wait for the lock timeout) means another
    process got there first."""
    return (isinstance(e, IntegrityError)
            or getattr(e.__cause__, "sqlstate", None) in CREATION_RACES
            or "database is locked" in str(e.__cause__ or e))


__all__ = ["CaseLog", "create_tables", "one_line", "open_log"]
