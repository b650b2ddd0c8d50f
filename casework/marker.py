"""The mark a rekey leaves on the store it fills, so a half-made copy never passes for a store.

A rekey writes a row into `casework_rekey` — run id, redacted source, start time, no finish
time — before the first event it copies, and sets the finish time only once the copy is
verified. `refuse_unfinished`, run by every `open_log`, refuses a store holding a row with
no finish time. Stores that were never a rekey's target have no such table and pay one
catalogue lookup on opening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from casework.errors import StoreError

TABLE = "casework_rekey"


@dataclass(frozen=True)
class Mark:
    run: str
    source: str
    started_at: str
    finished_at: str | None
    events: int | None


def _dialect(recorder: Any) -> tuple[str, str, bool]:
    """(qualified table name, parameter mark, is PostgreSQL) for the recorder's database."""
    schema = getattr(recorder.datastore, "schema", None)
    if schema is None:
        return TABLE, "?", False
    return f'"{schema}".{TABLE}', "%s", True


def _values(row: Any) -> tuple[Any, ...]:
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


def marks(recorder: Any) -> list[Mark]:
    """Every rekey that filled this store, oldest first (none for most stores)."""
    table, _, postgres = _dialect(recorder)
    with recorder.datastore.transaction(commit=False) as c:
        if postgres:
            c.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
        else:
            c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                      (TABLE,))
        if not _values(c.fetchone())[0]:
            return []
        c.execute(f"SELECT run, source, started_at, finished_at, events FROM {table} "
                  "ORDER BY started_at")
        return [Mark(*_values(r)) for r in c.fetchall()]


def refuse_unfinished(recorder: Any) -> None:
    """A store a rekey has not finished filling is refused, whatever it holds."""
    for m in marks(recorder):
        if m.finished_at is None:
            raise StoreError(
                f"this store is an unfinished rekey copy of {m.source} (started "
                f"{m.started_at}): the rekey did not complete, so it may hold only part of "
                "the log; delete it and run casework rekey again into an empty store"
            )


def begin(recorder: Any, source: str) -> str:
    """Mark the store as being filled from `source`; returns the run id for `finish`."""
    table, p, _ = _dialect(recorder)
    run = uuid4().hex
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(f"CREATE TABLE IF NOT EXISTS {table} (run TEXT PRIMARY KEY, source TEXT NOT "
                  "NULL, started_at TEXT NOT NULL, finished_at TEXT, events BIGINT)")
        c.execute(f"INSERT INTO {table} (run, source, started_at) VALUES ({p}, {p}, {p})",
                  (run, source, now))
    return run


def finish(recorder: Any, run: str, events: int) -> None:
    """The copy is verified: the store may be opened."""
    table, p, _ = _dialect(recorder)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(f"UPDATE {table} SET finished_at = {p}, events = {p} WHERE run = {p}",
                  (now, events, run))
