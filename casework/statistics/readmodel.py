"""The read model's tables, kept in the event store's own database next to its tracking row.

A recorder subclass of the library's tracking recorder (SQLite or PostgreSQL) writes a
batch's rows and its tracking position in one transaction, so each event is counted once,
and a projection killed half-way resumes from the last position it committed. Its SQL
faults are StoreErrors (casework.faults), like the event log's.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteTrackingRecorder

from casework.faults import faults
from casework.statistics.counters import (
    BEFORE,
    LATER,
    PERIOD,
    Sums,
    expand,
    tally,
    unit_months,
    unit_of,
    units,
)
from casework.statistics.fold import (
    BodyRow,
    CaseRow,
    Delivery,
    FundMove,
    FundRow,
    RegisterMove,
    Rows,
    WorkerRow,
)

#: Bump when a row's shape changes: the new tables fill again from the event log, the
#: old ones can be dropped. The read model is disposable; the events are the record.
#: 5: distinct keys apart, counted per calendar unit; 4: per-day counters
#: (casework.statistics.counters); 3: columns from the kinds.
VERSION = 5

ROW_TABLES: dict[str, type[Any]] = {
    "cases": CaseRow,
    "bodies": BodyRow,
    "funds": FundRow,
    "workers": WorkerRow,
    "deliveries": Delivery,
    "fund_moves": FundMove,
    "register_moves": RegisterMove,
}
KEYED = {"cases": "id", "bodies": "id", "funds": "id", "workers": "id"}

#: The tables' shape, as a short digest in their names: a kind, a state or a summary column
#: added to the model is a new shape, whose tables fill again from the event log.
SHAPE = hashlib.sha256(repr([(t, [(f.name, str(f.type)) for f in fields(r)])
                             for t, r in ROW_TABLES.items()]).encode()).hexdigest()[:8]
#: The read model's tables are named PREFIX + table.
PREFIX = f"cw{VERSION}_{SHAPE}_"
INDEXES = [
    "CREATE INDEX IF NOT EXISTS {n}cases_received ON {t}cases (kind, received_at)",
    "CREATE INDEX IF NOT EXISTS {n}cases_worker ON {t}cases (worker)",
    # The desk's caseloads and lists: the open cases of a kind, of some bodies.
    "CREATE INDEX IF NOT EXISTS {n}cases_open ON {t}cases (kind, state, org, received_at, number)",
    "CREATE INDEX IF NOT EXISTS {n}deliveries_at ON {t}deliveries (at)",
    "CREATE INDEX IF NOT EXISTS {n}deliveries_to ON {t}deliveries (beneficiary)",
    "CREATE INDEX IF NOT EXISTS {n}fund_moves_at ON {t}fund_moves (at)",
    "CREATE INDEX IF NOT EXISTS {n}register_moves_at ON {t}register_moves (at)",
    "CREATE INDEX IF NOT EXISTS {n}cases_org ON {t}cases (org, kind, received_at)",
]

#: The counters: a delta of the fold in its day's, month's and year's bucket, summed.
COUNTERS = ("CREATE TABLE IF NOT EXISTS {t}counters (bucket {text}, org {text}, "
            "figure {text}, key {text}, value {big}, PRIMARY KEY (bucket, org, figure, key))")
#: The keys of distinct figures ("~…") by bucket: which workers were helped when, kept
#: apart so that sums over the counters never scan them. Keyed by figure and key first
#: within a bucket, so a key's months are found by primary key.
SEEN = ("CREATE TABLE IF NOT EXISTS {t}seen (bucket {text}, figure {text}, key {text}, "
        "org {text}, value {big}, PRIMARY KEY (bucket, figure, key, org))")
#: The pseudo-body of the counts of distinct keys over every body ("^…" figures).
ALL = "*"
#: Every body any record names: a report on a body nobody named is an error, not zeros.
ORGS = "CREATE TABLE IF NOT EXISTS {t}orgs (org {text} PRIMARY KEY)"


def zone_tag(tz: object) -> str:
    """The read model's time zone in its tables' names: counters are kept by local day."""
    key = str(getattr(tz, "key", tz))
    if key == "UTC":
        return ""
    return "".join(c if c.isalnum() else "_" for c in key).lower() + "_"


def _ddl(table: str, row: type[Any], big_int: str, text: str) -> str:
    cols = []
    for f in fields(row):
        numeric = f.type is int or str(f.type).startswith("int")
        sqltype = big_int if f.name == "seq" else ("INTEGER" if numeric else text)
        cols.append(f"{f.name} {sqltype}")
    key = KEYED.get(table, "seq")
    return f"CREATE TABLE IF NOT EXISTS {{t}}{table} ({', '.join(cols)}, PRIMARY KEY ({key}))"


class SummaryTables:
    """SQL shared by both dialects; subclasses say how to name tables and bind values."""

    application_name = f"casework-summaries-v{VERSION}-{SHAPE}"
    #: The tables' names: PREFIX, then the time zone's tag for any zone but UTC.
    names = PREFIX
    #: A table-less WITHOUT ROWID clause where the dialect has one.
    clustered = ""
    prefix = ""
    param = "?"
    big_int = "INTEGER"
    #: Times are UTC ISO strings compared as text: the comparison must be bytewise.
    text = "TEXT"

    def _sql(self, statement: str) -> str:
        statement = statement.replace("{t}", self.prefix + self.names).replace("{n}", self.names)
        return statement if self.param == "?" else statement.replace("?", self.param)

    def summary_ddl(self) -> list[str]:
        tables = [_ddl(name, row, self.big_int, self.text) for name, row in ROW_TABLES.items()]
        counters = [COUNTERS.format(t="{t}", text=self.text, big=self.big_int) + self.clustered,
                    SEEN.format(t="{t}", text=self.text, big=self.big_int) + self.clustered,
                    ORGS.format(t="{t}", text=self.text)]
        return [self._sql(s) for s in [*tables, *counters, *INDEXES]]

    def _transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)  # type: ignore[attr-defined]

    def _values(self, row: Any) -> tuple[Any, ...]:
        """A row's values to bind (a dataclass row, or a tuple already): its fields as they
        are, plain strings and numbers (`astuple` deep-copied each one, and was half the
        projection's time)."""
        if isinstance(row, tuple):
            return row
        get = _COLUMNS.get(type(row)) or _columns(type(row))
        return get(row)

    #: The library's tracking table, as SQL names it.
    tracking_table = "tracking"

    def write(self, rows: Rows, tracking: Tracking, start: int) -> None:
        """Advance tracking from `start`, upsert the touched rows, append the moves, add the
        counters: all or nothing. The position moves only from where this batch began, so
        of two runners folding overlapping batches one wins and the other retries: the
        counters add up, so a batch folded twice would count twice."""
        values = self._values
        with faults("cannot update the read model"), self._transaction(commit=True) as c:
            self._advance(c, tracking, start)
            for table, keyed in (("cases", rows.cases), ("bodies", rows.bodies),
                                 ("funds", rows.funds), ("workers", rows.workers)):
                touched = [values(r) for k, r in keyed.items() if k in rows.touched]
                if touched:
                    c.executemany(self._upsert(table), touched)
            for table, moves in (("deliveries", rows.deliveries),
                                 ("fund_moves", rows.fund_moves),
                                 ("register_moves", rows.register_moves)):
                if moves:
                    c.executemany(self._insert(table), [values(m) for m in moves])
            counts = rows.counts
            if isinstance(counts, Counter) and counts:
                summed: Counter[tuple[str, str, str, str]] = Counter()
                seen: Counter[tuple[str, str, str, str]] = Counter()
                orgs = set()
                for (org, day, figure, key), n in counts.items():
                    orgs.add(org)
                    if figure[0] == "~":
                        for bucket in expand(day):
                            seen[bucket, figure, key, org] += n
                    else:
                        for bucket in expand(day):
                            summed[bucket, org, figure, key] += n
                if seen:
                    summed.update(self._tallies(c, seen))
                    c.executemany(self._sql(
                        "INSERT INTO {t}seen AS c (bucket, figure, key, org, value) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (bucket, figure, key, org) "
                        "DO UPDATE SET value = c.value + excluded.value"),
                        [values((*k, n)) for k, n in seen.items() if n])
                c.executemany(self._sql(
                    "INSERT INTO {t}counters AS c (bucket, org, figure, key, value) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (bucket, org, figure, key) "
                    "DO UPDATE SET value = c.value + excluded.value"),
                    [values((*k, n)) for k, n in summed.items()])
                c.executemany(self._sql("INSERT INTO {t}orgs (org) VALUES (?) "
                                        "ON CONFLICT (org) DO NOTHING"),
                              [values((o,)) for o in orgs])

    def _tallies(self, c: Any, seen: Counter[tuple[str, str, str, str]]
                 ) -> Counter[tuple[str, str, str, str]]:
        """The batch's change to each calendar unit's count of distinct keys, per body and
        over all bodies (`ALL`), from the keys' stored months before and after the batch:
        a key counts in a unit where its deliveries there add up to more than nothing, so
        the order events arrive in (or a later correction) cannot change the count.
        Each change is kept in the one bucket a period of exactly that unit reads it from:
        a year's in the year's bucket, a month's, quarter's or half year's in its first
        month's."""
        batch: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        for (bucket, figure, key, org), n in seen.items():
            if len(bucket) == 7:  # month buckets only: units are made of months
                batch.setdefault((figure, key), Counter())[org, bucket] += n
        stored: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        for figure in {f for f, _ in batch}:  # one query per figure and 500 keys
            keys = sorted(k for f, k in batch if f == figure)
            years = sorted({m[:4] for (f, _), change in batch.items() if f == figure
                            for _, m in change})
            months = [m for y in years for m in unit_months(y)]
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                c.execute(self._sql(
                    f"SELECT key, org, bucket, value FROM {{t}}seen WHERE bucket IN "
                    f"({', '.join('?' for _ in months)}) AND figure = ? AND key IN "
                    f"({', '.join('?' for _ in chunk)})"), [*months, figure, *chunk])
                for r in c.fetchall():
                    key, org, month, n = tuple(r.values()) if isinstance(r, dict) else r
                    stored.setdefault((figure, key), Counter())[org, month] += int(n)
        out: Counter[tuple[str, str, str, str]] = Counter()
        for (figure, key), change in batch.items():
            before = stored.get((figure, key), Counter())
            after = Counter(before)
            after.update(change)
            touched = {o for o, _ in change}
            for unit in sorted({u for _, month in change for u in units(month)}):
                span = unit_months(unit)
                bucket = unit if len(unit) == 4 else span[0]
                for org, label in [*((o, unit) for o in touched), (ALL, "*" + unit)]:
                    delta = _had(after, org, span) - _had(before, org, span)
                    if delta:
                        out[bucket, org, tally(figure), label] += delta
        return out

    def _advance(self, c: Any, tracking: Tracking, start: int) -> None:
        """Compare and set: the position becomes `tracking`'s only if it still is `start`
        (first, so the row lock it takes orders concurrent runners), else IntegrityError."""
        table, name, end = self.tracking_table, tracking.application_name, tracking.notification_id
        if start == 0:
            c.execute(self._sql(f"INSERT INTO {table} (application_name, notification_id) "
                                "VALUES (?, ?) ON CONFLICT (application_name) DO NOTHING "
                                "RETURNING notification_id"),
                      [name, end])
        else:
            c.execute(self._sql(f"UPDATE {table} SET notification_id = ? "
                                "WHERE application_name = ? AND notification_id = ? "
                                "RETURNING notification_id"),
                      [end, name, start])
        if len(c.fetchall()) != 1:
            raise IntegrityError(f"{name} moved past {start}: another runner folded it")

    def _insert(self, table: str) -> str:
        names = [f.name for f in fields(ROW_TABLES[table])]
        marks = ", ".join("?" for _ in names)
        return self._sql(f"INSERT INTO {{t}}{table} ({', '.join(names)}) VALUES ({marks})")

    def _upsert(self, table: str) -> str:
        names = [f.name for f in fields(ROW_TABLES[table])]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
        return self._insert(table) + self._sql(
            f" ON CONFLICT (id) DO UPDATE SET {updates}"
        )

    def load(self, ids: Iterable[str]) -> Rows:
        """The keyed rows a batch of events will update."""
        wanted = list(set(ids))
        rows = Rows()
        if not wanted:
            return rows
        with faults("cannot read the read model"), self._transaction(commit=False) as c:
            for table, target in (("cases", rows.cases), ("funds", rows.funds),
                                  ("workers", rows.workers)):
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    marks = ", ".join("?" for _ in chunk)
                    c.execute(self._sql(f"SELECT * FROM {{t}}{table} WHERE id IN ({marks})"),
                              chunk)
                    for r in c.fetchall():
                        row = _row(ROW_TABLES[table], r)
                        target[row.id] = row
        return rows

    def select(self, table: str, where: str = "", params: Sequence[Any] = ()) -> list[Any]:
        """Rows of one table as their dataclass, filtered by a WHERE clause."""
        row_type = ROW_TABLES[table]
        names = ", ".join(f.name for f in fields(row_type))
        sql = self._sql(f"SELECT {names} FROM {{t}}{table} {where}")
        with faults("cannot read the read model"), self._transaction(commit=False) as c:
            c.execute(sql, list(params))
            return [row_type(*tuple(r.values()) if isinstance(r, dict) else tuple(r))
                    for r in c.fetchall()]


    def sums(self, parts: dict[str, list[str]], orgs: Sequence[str] | None) -> Sums:
        """The counters summed over each part's buckets, for `orgs` (None: every body).

        Flows are read from the period's buckets, stocks ("@") also from the buckets
        before it and after it up to as_of. Every query names its bodies (all of them, for
        the roll-up), so that the primary key leads it to the figures it reads and past
        the rest. A distinct count ("~") over a period of one calendar unit, for one body
        or for all, is the unit's kept count ("^"); otherwise the period's keys are counted."""
        out = Sums()

        def marks(bs: Sequence[str]) -> str:
            return ", ".join("?" for _ in bs)

        with self._transaction(commit=False) as c:
            if orgs is not None:
                c.execute(self._sql(f"SELECT org FROM {{t}}orgs WHERE org IN ({marks(orgs)})"),
                          list(orgs))
                out.known = bool(c.fetchall())
                bodies = list(orgs)
            else:
                c.execute(self._sql("SELECT org FROM {t}orgs"))
                bodies = [*(next(iter(r.values())) if isinstance(r, dict) else r[0]
                            for r in c.fetchall()), ALL]
            period = parts[PERIOD]
            queries = [(PERIOD, "figure < '~'"), (BEFORE, "figure >= '@' AND figure < 'A'"),
                       (LATER, "figure >= '@' AND figure < 'A'")]
            for part, condition in queries:
                buckets = parts[part]
                if not buckets:
                    continue
                c.execute(self._sql(
                    f"SELECT figure, key, SUM(value) FROM {{t}}counters WHERE bucket IN "
                    f"({marks(buckets)}) AND org IN ({marks(bodies)}) AND {condition} "
                    "GROUP BY figure, key"), [*buckets, *bodies])
                sums = out.parts[part]
                for r in c.fetchall():
                    figure, key, n = tuple(r.values()) if isinstance(r, dict) else r
                    sums[figure, key] += int(n)
            unit = unit_of(period)
            if unit is not None and (orgs is None or len(orgs) == 1):
                label = unit if orgs is not None else "*" + unit
                for (figure, key), n in out.parts[PERIOD].items():
                    if figure[0] == "^" and key == label:
                        out.distinct["~" + figure[1:]] = n
            elif period:
                where_org = "" if orgs is None else f" AND org IN ({marks(orgs)})"
                c.execute(self._sql(
                    f"SELECT figure, COUNT(DISTINCT key) FROM {{t}}seen WHERE bucket IN "
                    f"({marks(period)}){where_org} AND value > 0 GROUP BY figure"),
                    [*period, *(orgs or [])])
                for r in c.fetchall():
                    figure, n = tuple(r.values()) if isinstance(r, dict) else r
                    out.distinct[figure] = int(n)
        return out

    def first_year(self) -> int | None:
        """The earliest year any counter has (the year buckets sort first)."""
        with self._transaction(commit=False) as c:
            c.execute(self._sql("SELECT MIN(bucket) FROM {t}counters"))
            r = c.fetchall()[0]
            first = next(iter(r.values())) if isinstance(r, dict) else r[0]
        return None if first is None else int(first[:4])


_COLUMNS: dict[type[Any], Callable[[Any], tuple[Any, ...]]] = {}


def _columns(row_type: type[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A row type's field values in order, as one tuple (made once per type)."""
    names = [f.name for f in fields(row_type)]
    get = attrgetter(*names)
    _COLUMNS[row_type] = get if len(names) > 1 else lambda row: (get(row),)
    return _COLUMNS[row_type]


def _had(totals: Counter[tuple[str, str]], org: str, months: list[str]) -> bool:
    """Whether a key's deliveries by `org` (or any body: ALL) in `months` add up to more
    than nothing."""
    return any(n > 0 for (o, m), n in totals.items()
               if m in months and (org == ALL or o == org))


def _row(row_type: type[Any], r: Any) -> Any:
    return row_type(**{f.name: r[f.name] for f in fields(row_type)})


class SQLiteSummaryRecorder(SummaryTables, SQLiteTrackingRecorder):
    clustered = " WITHOUT ROWID"

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.summary_ddl()]


def postgres_recorder_class() -> type[Any]:
    """The PostgreSQL twin, built only where the postgres extra is installed."""
    from eventsourcing.postgres import PostgresTrackingRecorder
    from psycopg.sql import SQL

    class PostgresSummaryRecorder(SummaryTables, PostgresTrackingRecorder):
        param = "%s"
        big_int = "BIGINT"
        text = 'TEXT COLLATE "C"'  # a locale's collation would not order ISO times bytewise

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.prefix = f'"{self.datastore.schema}".'
            self.tracking_table = f'"{self.datastore.schema}"."{self.tracking_table_name}"'
            self.sql_create_statements.extend(SQL(s).format() for s in self.summary_ddl())

        def _values(self, row: Any) -> tuple[Any, ...]:
            """A NUL cannot enter a text column here. Commands refuse it, but a store written
            before they did may hold one; it must not stop the read model for good."""
            return tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) else v
                         for v in SummaryTables._values(self, row))

    return PostgresSummaryRecorder
