"""Key rotation: copy a store's log into a new, empty store under another cipher key.

The cipher has one key at a time, so a key is rotated by copying: every stored event is
decrypted with the old key (or read plain) and written to the target encrypted with the
new one (or plain), byte for byte the same payload, with its originator id, version and
topic; its timestamps are inside the payload. Events go in the source's recorded order.
Snapshots are not copied but taken afresh under the new key; the read model is rebuilt.

Never a half-written target that claims to be complete: before its first event the target
gets an unfinished mark (casework.marker), and every `open_log` refuses a store so marked,
saying the rekey did not complete. The mark is finished last, once the copy is verified:

- as many events as the source held, and the source did not move meanwhile;
- every target payload decodes, with the new key, into its domain event, and the decoded
  payloads, ids, versions and topics hash to the same digest as the source's;
- the target's read model, built from scratch, gives the same report as a replay of its
  log, for all time and the current and previous half-years.

A rekey killed at any point leaves either nothing, an empty store, or a store refused as
an unfinished rekey copy; delete it and run the rekey again. A verification failure is a
StoreError, and leaves the target marked unfinished too.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, StoredEvent
from eventsourcing.utils import TopicError, get_topic

from casework import marker
from casework.clock import zone
from casework.errors import InvalidInput, StoreError
from casework.log import CaseLog, open_log
from casework.statistics.figures import Window
from casework.statistics.projection import CaseSummaries
from casework.statistics.replay import replay
from casework.store import DEFAULT_STORE, Store, resolve
from domain.values import FIRST_YEAR, LAST_YEAR

#: Called after each batch with (the source position copied up to, the last to copy):
#: positions are notification ids, which PostgreSQL may leave gaps between.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RekeyResult:
    source: str  # redacted URLs
    target: str
    events: int
    snapshots: int
    seconds: float
    checked: tuple[str, ...]

    @property
    def rate(self) -> float:
        """Events copied and verified per second."""
        return self.events / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (f"rekeyed {self.events} events from {self.source} to {self.target} in "
                f"{self.seconds:.1f} s ({self.rate:,.0f} events/s, {self.snapshots} snapshots "
                f"taken); verified: {'; '.join(self.checked)}")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rate": round(self.rate, 1)}


def rekey(
    source_url: str, target_url: str, *, from_key: str | None, to_key: str | None,
    batch: int = 1000, progress: Progress | None = None,
) -> RekeyResult:
    """Copy every event of `source_url` (payloads under `from_key`, None for plain) into
    the new, empty store `target_url` under `to_key`, verify the copy, then mark it
    complete. Stop every desk and projection writing to the source first: a source that
    moves during the copy fails the verification."""
    began = time.perf_counter()
    source = resolve(source_url, cipher_key=from_key)
    target = resolve(target_url, cipher_key=to_key)
    for name, store in (("store", source), ("to", target)):
        if store.url.startswith("memory:"):
            raise InvalidInput({name: "a rekey copies between stores that outlive it: "
                                      "use an SQLite file or a PostgreSQL database"})
    if _identity(source) == _identity(target):
        raise InvalidInput({"to": "the target must be another store than the source"})
    if not source.is_postgres and not Path(source.env["SQLITE_DBNAME"]).is_file():
        raise InvalidInput({"store": f"{source.redacted()} does not exist"})
    src = open_log(source)  # refuses a wrong key, or an unfinished copy as a source
    try:
        end = src.last_position()
        if not end:
            raise InvalidInput({"store": f"{source.redacted()} holds no events"})
        tgt = open_log(target, rekey_target=True)
        try:
            _refuse_used(tgt, target)
            with tgt.faults("cannot mark the target"):
                run = marker.begin(tgt.recorder, source.redacted())
            events, digest, versions = _copy(src, tgt, end, batch, progress)
            snapshots = _snapshot(tgt, versions)
            checked = _verify(src, tgt, target, end, events, digest)
            with tgt.faults("cannot mark the target complete"):
                marker.finish(tgt.recorder, run, events)
        finally:
            tgt.close()
    finally:
        src.close()
    return RekeyResult(source.redacted(), target.redacted(), events, snapshots,
                       time.perf_counter() - began, checked)


def rekey_command(
    store: str | None, to: str, to_key_env: str | None, *, plain: bool = False,
    say: Callable[[str], None] | None = None,
) -> RekeyResult:
    """`casework rekey --store URL --to URL2 --to-key-env NEWVAR [--plain]`.

    The source's key is $CASEWORK_CIPHER_KEY, as for every command; the new key is read
    from the variable the operator names, so it never appears on a command line (or in
    shell history and `ps`). Writing the copy unencrypted takes --plain, said on purpose.
    `say` hears progress, a line every tenth of the way. The CLI is casework/cli/upkeep.py.
    """
    if to_key_env is not None and plain:
        raise InvalidInput({"plain": "--plain writes no key: leave out --to-key-env"})
    to_key = None
    if to_key_env is not None:
        to_key = os.environ.get(to_key_env) or None
        if to_key is None:
            raise InvalidInput({"to_key_env": f"${to_key_env} is not set"})
    elif not plain:
        raise InvalidInput({"to_key_env": "name the variable holding the new key "
                                          "(--to-key-env NEWVAR), or pass --plain to write "
                                          "the copy unencrypted"})
    return rekey(store or os.environ.get("CASEWORK_STORE") or DEFAULT_STORE, to,
                 from_key=os.environ.get("CASEWORK_CIPHER_KEY") or None, to_key=to_key,
                 progress=_tenths(say) if say else None)


def _tenths(say: Callable[[str], None]) -> Progress:
    said = [-1]

    def progress(done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth > said[0]:
            said[0] = tenth
            say(f"copied up to event {done} of {total}")

    return progress


def _identity(store: Store) -> tuple[str, ...]:
    env = store.env
    if store.is_postgres:
        return (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"],
                env.get("POSTGRES_SCHEMA", "public"))
    return (str(Path(env["SQLITE_DBNAME"]).resolve()),)


def _refuse_used(tgt: CaseLog, target: Store) -> None:
    """Only a new, empty store may be filled: never mix a copy with other records."""
    with tgt.faults("cannot read the target"):
        marks = marker.marks(tgt.recorder)
        held = tgt.last_position()
    shown = target.redacted()
    if any(m.finished_at is None for m in marks):
        raise StoreError(f"{shown} holds an unfinished rekey copy: delete it (or drop its "
                         "database) and run casework rekey again into an empty store")
    if marks or held:
        raise StoreError(f"{shown} is not empty: a rekey writes only into a new, empty store")


def _fold(digest: Any, n: Notification, payload: bytes) -> None:
    """Add one event to a digest of the log: ids, versions, topics and plain payloads."""
    digest.update(f"{n.originator_id}|{n.originator_version}|{n.topic}|{len(payload)}|"
                  .encode())
    digest.update(payload)


def _pages(log: CaseLog, end: int, batch: int, what: str) -> Any:
    """The log's notifications up to `end`, a page at a time."""
    after = 0
    while after < end:
        with log.faults(what):
            notes = log.recorder.select_notifications(
                start=after, limit=batch, stop=end, inclusive_of_start=False)
        if not notes:
            return
        yield notes
        after = notes[-1].id


def _copy(
    src: CaseLog, tgt: CaseLog, end: int, batch: int, progress: Progress | None,
) -> tuple[int, str, dict[UUID, tuple[str, int]]]:
    """Copy the source's events up to notification `end`, a batch per transaction.
    Returns how many, their digest, and each record's topic prefix and last version."""
    plain, seal = src.opener(), tgt.sealer()
    digest, copied = hashlib.sha256(), 0
    versions: dict[UUID, tuple[str, int]] = {}
    for notes in _pages(src, end, batch, "cannot read the source's events"):
        events = []
        for n in notes:
            try:
                payload = plain(n.state)
            except ValueError:
                raise src.unreadable(f"cannot read the source's event {n.id}") from None
            _fold(digest, n, payload)
            oid = UUID(str(n.originator_id))
            versions[oid] = (n.topic.rpartition(".")[0], n.originator_version)
            events.append(StoredEvent(n.originator_id, n.originator_version, n.topic,
                                      seal(payload)))
        try:
            with tgt.faults("cannot write the target's events"):
                tgt.recorder.insert_events(events)
        except IntegrityError:
            raise StoreError("cannot write the target's events: another process is writing "
                             "to the target; the target is left marked unfinished") from None
        copied += len(events)
        if progress is not None:
            progress(notes[-1].id, end)
    return copied, digest.hexdigest(), versions


def _snapshot(tgt: CaseLog, versions: dict[UUID, tuple[str, int]]) -> int:
    """Snapshot, under the new key, every record the log snapshots that is long enough."""
    intervals = {get_topic(kind): every for kind, every in tgt.snapshotting_intervals.items()}
    taken = 0
    for oid, (kind, version) in versions.items():
        every = intervals.get(kind)
        if every is not None and version >= every:
            with tgt.faults("cannot snapshot the target's records"):
                tgt.take_snapshot(oid)
            taken += 1
    return taken


def _verify(
    src: CaseLog, tgt: CaseLog, target: Store, end: int, copied: int, digest: str,
) -> tuple[str, ...]:
    """The checks the module's docstring lists; a failure is a StoreError naming it."""
    def failed(why: str) -> StoreError:
        return StoreError(f"the rekey's copy failed verification ({why}); the target is "
                          "left marked unfinished: delete it and run the rekey again")

    if src.last_position() != end:
        raise failed("the source changed during the copy: stop every desk and projection")
    plain, again, counted = tgt.opener(), hashlib.sha256(), 0
    latest = date(FIRST_YEAR, 1, 1)
    for notes in _pages(tgt, tgt.last_position(), 2000, "cannot read the target's events"):
        for n in notes:
            try:
                _fold(again, n, plain(n.state))
                at = getattr(tgt.mapper.to_domain_event(n), "at", None)
            except (ValueError, TopicError):
                raise failed(f"event {n.id} does not decode with the new key") from None
            if isinstance(at, datetime) and at.date() > latest:
                latest = at.date()
        counted += len(notes)
    if counted != copied:
        raise failed(f"{counted} events in the target, {copied} in the source")
    if again.hexdigest() != digest:
        raise failed("the target's events differ from the source's")
    checked = [f"{counted} events = source", "payloads decode, digest = source"]
    tz = zone()
    summaries = CaseSummaries(tgt, postgres=target.is_postgres, tz=tz)
    summaries.catch_up()
    for label, start, stop in _windows(latest):
        w = Window(start, stop, stop, None, tz)
        with tgt.faults("cannot report on the target"):
            projected, replayed = summaries.report(w), replay(tgt, w)
        if projected.model_dump() != replayed.model_dump():
            raise failed(f"{label}: the read model's report differs from the replay's")
        checked.append(f"{label} projection = replay")
    return tuple(checked)


def _windows(latest: date) -> list[tuple[str, date, date]]:
    """All time, and the half-year of the latest business date in the log and the one
    before: the reports a union would run next on the new store."""
    year, first = latest.year, latest.month <= 6
    this = (date(year, 1, 1), date(year, 6, 30)) if first else (
        date(year, 7, 1), date(year, 12, 31))
    before = (date(year - 1, 7, 1), date(year - 1, 12, 31)) if first else (
        date(year, 1, 1), date(year, 6, 30))
    return [
        ("all time", date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)),
        *((f"{a.year}H{1 if a.month == 1 else 2}", a, b) for a, b in (before, this)
          if a.year >= FIRST_YEAR),
    ]


__all__ = ["RekeyResult", "rekey", "rekey_command"]
