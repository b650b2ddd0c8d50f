"""Store faults → `StoreError`, with a message fit for one line of a terminal or a log.

A driver's message may run to several lines (PostgreSQL's DETAIL and HINT), quote bytes
read from a damaged page, or carry a password; an operator sees none of that, only the
first line, printable, capped, with what was being done and what to try.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError, PersistenceError
from eventsourcing.utils import TopicError

from casework.errors import CaseworkError, StoreError

#: What the drivers and the library raise when the store fails. psycopg is optional.
FAULTS: tuple[type[BaseException], ...] = (PersistenceError, sqlite3.Error)
try:
    import psycopg

    FAULTS = (*FAULTS, psycopg.Error)
except ImportError:  # pragma: no cover - the postgres extra is not installed
    pass

#: Stored data that does not decode: a damaged page read back, not a store that failed.
DAMAGE: tuple[type[BaseException], ...] = (TopicError, ValueError, KeyError, TypeError)

LIMIT = 240
_BYTES = re.compile(r"""b(['"])(?:\\.|(?!\1).)*\1""")
_HINTS = {
    "malformed": "the SQLite file is damaged: restore it from a backup",
    "not a database": "the SQLite file is damaged: restore it from a backup",
    "disk is full": "free disk space and try again",
    "readonly": "the store is read-only here",
    "couldn't get a connection": "is the server up and accepting connections?",
    "terminating connection": "the server closed the connection: try again",
    "connection is closed": "the server closed the connection: try again",
}


def one_line(e: BaseException | str, *, secrets: Iterable[str] = ()) -> str:
    """A message's first line, with secrets replaced by ***, quoted bytes and unprintable
    characters (including the U+FFFD of undecodable text) replaced, and capped."""
    text = str(e).strip()
    line = text.splitlines()[0].strip() if text else type(e).__name__
    for secret in secrets:
        if secret:
            line = line.replace(secret, "***")
    line = _BYTES.sub("<bytes>", line)
    line = re.sub(r"\?+", "?", "".join(
        c if c.isprintable() and c != "\ufffd" else "?" for c in line))
    return line if len(line) <= LIMIT else line[: LIMIT - 1] + "…"


def hint(message: str) -> str:
    """What an operator can do about a fault, where the message says."""
    lower = message.lower()
    return next((f" ({h})" for key, h in _HINTS.items() if key in lower), "")


def store_error(what: str, e: BaseException, *, secrets: Iterable[str] = ()) -> StoreError:
    """`what` failed because of `e`: one line, no secret."""
    detail = one_line(e, secrets=secrets)
    return StoreError(f"{what}: {detail}{hint(detail)}")


@contextmanager
def faults(what: str, *, secrets: Iterable[str] = (), damage: bool = False) -> Iterator[None]:
    """Inside the block, a store fault is a `StoreError` saying `what` failed.

    `damage`: the block decodes stored data, so a decoding error there means the store is
    damaged, and is a StoreError too. A CaseworkError passes as it is; so does an
    IntegrityError, which every caller reads as a lost race (ConcurrentUpdate, the next
    case number, a batch another projection folded first).
    """
    try:
        yield
    except (CaseworkError, IntegrityError):
        raise
    except FAULTS as e:
        raise store_error(what, e, secrets=secrets) from None
    except DAMAGE as e:
        if not damage:
            raise
        raise StoreError(f"{what}: stored data does not decode (the store is damaged: "
                         f"restore it from a backup): {one_line(e, secrets=secrets)}") from None
