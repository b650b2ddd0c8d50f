"""Store URLs, first-use table creation, and opening one fresh store from many processes."""

from __future__ import annotations

import importlib.util
import multiprocessing
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from casework import Casework, CaseworkError, StoreError
from casework.statistics.readmodel import PREFIX
from casework.store import POSTGRES_EXTRA, resolve
from conftest import pg_conninfo

READ_MODEL = PREFIX  # the read model's table prefix


def test_memory_store_keeps_cases_while_open() -> None:
    with Casework(store="memory://") as cw:
        case = cw.disputes.receive(category="wages", workers=2, amount=100, channel="visit",
                                   employer="Acme", at=datetime(2023, 3, 1), actor="m-01")
        assert cw.disputes.get(case).state == "received"


def test_store_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_STORE", f"sqlite:///{tmp_path / 'env.db'}")
    with Casework() as cw:
        assert cw.store.url.endswith("env.db")
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize("url", [
    "sqlite://host/casework.db",          # a host where a path belongs
    "sqlite:///",                         # no file
    "sqlite:////no/such/folder/cw.db",    # a folder that is not there
    "postgresql://postgres@127.0.0.1:port/db",
    "postgresql:///casework",             # no host
    "postgresql://postgres@127.0.0.1:5432/",  # no database
    "postgresql://postgres@127.0.0.1/db?connect_timeout=soon",
    "mysql://root@localhost/casework",
    "casework.db",
])
def test_malformed_url_is_a_one_line_store_error(url: str) -> None:
    with pytest.raises(StoreError) as refused:
        Casework(store=url)
    assert isinstance(refused.value, CaseworkError)
    assert "\n" not in str(refused.value)


def test_unreachable_server_is_a_one_line_store_error_without_the_password() -> None:
    url = "postgresql://casework:s3cret@127.0.0.1:1/casework?connect_timeout=1"
    with pytest.raises(StoreError) as refused:
        Casework(store=url)
    message = str(refused.value)
    assert "\n" not in message
    assert "cannot open store postgresql://casework:***@127.0.0.1:1/casework" in message
    assert "s3cret" not in message


def test_missing_driver_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_psycopg(name: str, *args: Any) -> Any:
        return None if name == "psycopg" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_psycopg)
    with pytest.raises(StoreError, match=r"pip install 'casework\[postgres\]'"):
        Casework(store="postgresql://postgres@127.0.0.1:5432/casework")
    assert POSTGRES_EXTRA == "pip install 'casework[postgres]'"


def test_missing_crypto_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "Crypto" else real(name, *a))
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", "x" * 44)
    with pytest.raises(StoreError, match=r"pip install 'casework\[crypto\]'"):
        resolve("memory://")


def _tables(url: str) -> set[str]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    import psycopg

    conninfo, schema = pg_conninfo(url)
    with psycopg.connect(conninfo) as db:
        rows = db.execute("SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = %s", (schema,)).fetchall()
        return {r[0] for r in rows}


def test_tables_are_created_on_first_use_and_kept(store_url: str) -> None:
    assert _tables(store_url) == set()  # a fresh database holds nothing
    with Casework(store=store_url) as cw:
        case = cw.disputes.receive(category="wages", workers=2, amount=100, channel="visit",
                                   employer="Acme", at=datetime(2023, 3, 1), actor="m-01")
    made = _tables(store_url)
    assert {f"{READ_MODEL}{t}" for t in ("cases", "funds", "deliveries", "fund_moves")} <= made
    assert any(t.endswith("events") for t in made) and any(t.endswith("snapshots") for t in made)
    with Casework(store=store_url) as again:
        assert again.disputes.get(case).state == "received"
        assert [line.number for line in again.disputes.list()] == [case]


def _open_at_once(url: str, start: Any, results: Any) -> None:
    start.wait()
    try:
        with Casework(store=url) as cw:
            cw.report(datetime(2023, 1, 1).date(), datetime(2023, 6, 30).date())
        results.put("opened")
    except Exception as e:  # reported to the parent, which names it in the failure
        results.put(f"{type(e).__name__}: {e}")


def test_processes_opening_a_fresh_store_at_the_same_moment_all_succeed(store_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    n = 6
    start, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_open_at_once, args=(store_url, start, results))
             for _ in range(n)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert outcomes == ["opened"] * n
