"""Store URLs → the `eventsourcing` environment that selects and configures a recorder.

memory://                      an SQLite database in this process's memory
sqlite:///relative/path.db     an SQLite file (sqlite:////absolute/path.db)
postgresql://user:pw@host:5432/db[?schema=name&connect_timeout=seconds]

With $CASEWORK_CIPHER_KEY set (a base64 AES key of 16, 24 or 32 bytes), event payloads are
compressed, then encrypted, before they are written; see docs/deployment.md.
"""

from __future__ import annotations

import binascii
import importlib.util
import os
from base64 import b64decode
from dataclasses import dataclass
from pathlib import Path
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
        parts = urlsplit(self.url)
        if parts.password:
            return self.url.replace(f":{parts.password}@", ":***@")
        return self.url


def resolve(url: str | None = None) -> Store:
    """Parse a store URL (default $CASEWORK_STORE, else sqlite:///casework.db)."""
    url = url or os.environ.get("CASEWORK_STORE") or DEFAULT_STORE
    if not isinstance(url, str):
        raise StoreError(f"store must be a URL string, got {type(url).__name__}")
    parts = urlsplit(url)
    env = _cipher_env()
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
                f"malformed SQLite store URL {url!r}: use sqlite:///relative.db "
                "or sqlite:////absolute/path.db"
            )
        folder = Path(path).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open store {url!r}: folder {str(folder)!r} does not exist")
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
            raise StoreError(f"malformed PostgreSQL store URL {url!r}: bad port") from None
        if not parts.hostname or not dbname:
            raise StoreError(
                f"malformed PostgreSQL store URL {url!r}: "
                "use postgresql://user:password@host:5432/dbname"
            )
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=dbname,
            POSTGRES_HOST=parts.hostname,
            POSTGRES_PORT=str(port),
            POSTGRES_USER=unquote(parts.username or "postgres"),
            POSTGRES_PASSWORD=unquote(parts.password or ""),
            POSTGRES_CONNECT_TIMEOUT=_seconds(url, query.get("connect_timeout", ["10"])[0]),
            POSTGRES_POOL_SIZE="2",
            POSTGRES_MAX_OVERFLOW="4",
        )
        schema = query.get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return Store(url, "postgres", env)
    raise StoreError(
        f"unknown store {url!r}: use memory://, sqlite:///path.db or postgresql://…"
    )


def _cipher_env() -> dict[str, str]:
    """With $CASEWORK_CIPHER_KEY set, payloads are compressed then AES-encrypted at rest."""
    key = os.environ.get("CASEWORK_CIPHER_KEY")
    if not key:
        return {}
    if importlib.util.find_spec("Crypto") is None:
        raise StoreError(f"encryption needs the crypto extra: {CRYPTO_EXTRA}")
    try:
        size = len(b64decode(key.encode(), validate=True))
    except (binascii.Error, UnicodeEncodeError):
        size = 0
    if size not in (16, 24, 32):
        raise StoreError(
            "CASEWORK_CIPHER_KEY is not an AES key (base64 of 16, 24 or 32 bytes); make one "
            "with: python -c \"from eventsourcing.cipher import AESCipher; "
            "print(AESCipher.create_key(num_bytes=32))\""
        )
    return {
        "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
        "CIPHER_KEY": key,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    }


def _seconds(url: str, value: str) -> str:
    """A whole number of seconds: the library waits that long for a connection."""
    if value.isdigit() and int(value) > 0:
        return value
    raise StoreError(
        f"malformed PostgreSQL store URL {url!r}: connect_timeout must be whole seconds"
    )
