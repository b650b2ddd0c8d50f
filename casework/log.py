"""The case log: one `eventsourcing` application holding every case, fund and register entry.

One log means one notification sequence, so the projection and the replay read every kind
of record in the order it was recorded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, OperationalError, PersistenceError

from casework.errors import CaseNotFound, ConcurrentUpdate, StoreError
from casework.store import Store
from domain.case import Record
from domain.funds import AidFund

R = TypeVar("R", bound=Record)


class CaseLog(Application[UUID]):
    name = "casework"
    is_snapshotting_enabled = True
    #: Funds take a movement per payment; a snapshot every 100 keeps loading them cheap.
    snapshotting_intervals = {AidFund: 100}  # noqa: RUF012

    def load(self, kind: type[R], key: str) -> R:
        """The record `key` of `kind`, or CaseNotFound."""
        try:
            record: Aggregate = self.repository.get(kind.id_for(key))
        except AggregateNotFoundError:
            raise CaseNotFound(kind.kind, key) from None
        assert isinstance(record, kind)
        return record

    def exists(self, kind: type[Record], key: str) -> bool:
        return bool(self.recorder.select_events(kind.id_for(key), limit=1))

    def record(self, *records: Aggregate) -> None:
        """Save records together, in one transaction; a lost race is a ConcurrentUpdate."""
        try:
            self.save(*records)
        except IntegrityError:
            keys = ", ".join(getattr(r, "key", str(r.id)) for r in records)
            raise ConcurrentUpdate(keys) from None
        except (OperationalError, PersistenceError, sqlite3.Error) as e:
            raise StoreError(f"the store refused the write: {e}") from None

    def payload_reader(self) -> Callable[[bytes], dict[str, Any]]:
        """Stored bytes → the event's JSON payload (decrypted and decompressed if need be)."""
        cipher, compressor, loads = self.mapper.cipher, self.mapper.compressor, json.loads
        if cipher is None and compressor is None:
            return loads

        def read(state: bytes) -> dict[str, Any]:
            if cipher is not None:
                state = cipher.decrypt(state)
            if compressor is not None:
                state = compressor.decompress(state)
            return loads(state)  # type: ignore[no-any-return]

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


def open_log(store: Store) -> CaseLog:
    try:
        return CaseLog(env=store.env)
    except (OperationalError, PersistenceError, sqlite3.Error) as e:
        raise StoreError(f"cannot open store {store.redacted()}: {e}") from None
