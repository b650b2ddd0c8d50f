"""Store URLs → the `eventsourcing` environment that selects and configures a recorder.

memory://                      an SQLite database in this process's memory
sqlite:///relative/path.db     an SQLite file (sqlite:////absolute/path.db)
postgresql://user:pw@host:5432/db[?schema=name&connect_timeout=seconds]

With $CASEWORK_CIPHER_KEY set (a base64 AES key of 16, 24 or 32 bytes), event payloads are
compressed, then encrypted, before they are written; see docs/deployment.md.

Every message shows a URL in its redacted form: an operator pastes errors into tickets, and
a password must not travel with them.
"""

from __future__ import annotations

import binascii
import importlib.util
import os
import re
from base64 import b64decode
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import uuid4

from casework.errors import StoreError

DEFAULT_STORE = "sqlite:///casework.db"
POSTGRES_EXTRA = "pip install 'casework[postgres]'"
CRYPTO_EXTRA = "pip install 'casework[crypto]'"


@dataclass(frozen=True)
class Store:
    url: str
    kind: str  # "sqlite" or "postgres"
    env: dict[str, str]

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    def redacted(self) -> str:
        return redact(self.url)

    @property
    def password(self) -> str:
        return self.env.get("POSTGRES_PASSWORD", "")


#: `password=` in a query string or a libpq "key=value" string: hidden like the userinfo's.
_PASSWORD_PARAM = re.compile(r"(?i)(password\s*=\s*)[^&;#\s]*")


def redact(url: str) -> str:
    """`url` fit to print: the password replaced by ***, wherever it was put (userinfo or
    query), and unprintable characters escaped, so a message stays one line.

    It works on text that is not a valid URL too (that is what a malformed URL's message
    shows): the userinfo ends at the last "@", so a password holding "/", "?" or "@"
    is hidden whole; a stray "@" later on hides more than needed, never less."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    userinfo, at, tail = rest.rpartition("@")
    if at and ":" in userinfo:
        rest = f"{userinfo.split(':', 1)[0]}:***@{tail}"
    url = scheme + sep + _PASSWORD_PARAM.sub(r"\1***", rest)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in url)


def resolve(url: str | None = None, *, cipher_key: str | EllipsisType | None = ...) -> Store:
    """Parse a store URL (default $CASEWORK_STORE, else sqlite:///casework.db).

    `cipher_key`: the payloads' key; ... (the default) reads $CASEWORK_CIPHER_KEY, None
    means no encryption (a rekey opens two stores with different keys)."""
    url = url or os.environ.get("CASEWORK_STORE") or DEFAULT_STORE
    if not isinstance(url, str):
        raise StoreError(f"store must be a URL string, got {type(url).__name__}")
    shown = redact(url)
    if not url.isprintable():
        raise StoreError(f"malformed store URL {shown}: it holds a control character")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise StoreError(f"malformed store URL {shown}") from None
    if cipher_key is ...:
        env = _cipher_env(os.environ.get("CASEWORK_CIPHER_KEY"), "CASEWORK_CIPHER_KEY")
    else:
        env = _cipher_env(cipher_key, "the cipher key")
    if parts.scheme == "memory":
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            SQLITE_DBNAME=f"file:casework-{uuid4().hex}?mode=memory&cache=shared",
        )
        return Store(url, "sqlite", env)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc or not path:
            raise StoreError(
                f"malformed SQLite store URL {shown}: use sqlite:///relative.db "
                "or sqlite:////absolute/path.db"
            )
        folder = Path(path).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open store {shown}: folder {str(folder)!r} does not exist")
        env.update(PERSISTENCE_MODULE="eventsourcing.sqlite", SQLITE_DBNAME=path,
                   SQLITE_LOCK_TIMEOUT="30")
        return Store(url, "sqlite", env)
    if parts.scheme in ("postgresql", "postgres"):
        if importlib.util.find_spec("psycopg") is None:
            raise StoreError(f"PostgreSQL support is not installed: {POSTGRES_EXTRA}")
        dbname = unquote(parts.path.lstrip("/"))
        query = parse_qs(parts.query)
        try:
            port = parts.port or 5432
        except ValueError:
            raise StoreError(f"malformed PostgreSQL store URL {shown}: bad port") from None
        if not parts.hostname or not dbname:
            raise StoreError(
                f"malformed PostgreSQL store URL {shown}: "
                "use postgresql://user:password@host:5432/dbname"
            )
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=dbname,
            POSTGRES_HOST=parts.hostname,
            POSTGRES_PORT=str(port),
            POSTGRES_USER=unquote(parts.username or "postgres"),
            POSTGRES_PASSWORD=unquote(parts.password or ""),
            POSTGRES_CONNECT_TIMEOUT=_seconds(shown, query.get("connect_timeout", ["10"])[0]),
            POSTGRES_POOL_SIZE="2",
            POSTGRES_MAX_OVERFLOW="4",
        )
        schema = query.get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return Store(url, "postgres", env)
    raise StoreError(
        f"unknown store {shown}: use memory://, sqlite:///path.db or postgresql://…"
    )


#: The library reads an application's settings under its name first (CASEWORK_CIPHER_KEY
#: before CIPHER_KEY, from the process environment too), so the key is set under both names:
#: the key given here, or none, is the one used, whatever the environment holds.
_CIPHER_SETTINGS = ("CIPHER_TOPIC", "CIPHER_KEY", "COMPRESSOR_TOPIC")


def _cipher_env(key: str | None, name: str) -> dict[str, str]:
    """With a key, payloads are compressed then AES-encrypted at rest; without, neither."""
    if not key:
        return {f"CASEWORK_{s}": "" for s in _CIPHER_SETTINGS}
    if importlib.util.find_spec("Crypto") is None:
        raise StoreError(f"encryption needs the crypto extra: {CRYPTO_EXTRA}")
    try:
        size = len(b64decode(key.encode(), validate=True))
    except (binascii.Error, UnicodeEncodeError):
        size = 0
    if size not in (16, 24, 32):
        raise StoreError(
            f"{name} is not an AES key (base64 of 16, 24 or 32 bytes); make one "
            "with: python -c \"from eventsourcing.cipher import AESCipher; "
            "print(AESCipher.create_key(num_bytes=32))\""
        )
    values = ("eventsourcing.cipher:AESCipher", key, "eventsourcing.compressor:ZlibCompressor")
    settings = dict(zip(_CIPHER_SETTINGS, values, strict=True))
    return {**settings, **{f"CASEWORK_{s}": v for s, v in settings.items()}}


def _seconds(shown: str, value: str) -> str:
    """A whole number of seconds: the library waits that long for a connection."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= 3600:
        return value
    raise StoreError(
        f"malformed PostgreSQL store URL {shown}: connect_timeout must be whole seconds "
        "(1 to 3600)"
    )
