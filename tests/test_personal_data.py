"""Personal data at rest: with $CASEWORK_CIPHER_KEY set, no name or number is readable in
the store's files or tables, yet every view still shows it; a wrong key is a clear error."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from eventsourcing.cipher import AESCipher

from casework import Casework, StoreError
from casework.log import CaseLog
from casework.statistics.readmodel import VERSION
from conftest import pg_conninfo
from domain.disputes import LabourDispute

PETITIONER = "Wang Xiaoming 王小明"
CONTACT = "138-5550-0199"
ID_NUMBER = "110105198001017777"
WORKER_NAME = "Li Hua 李华"
SECRETS = (PETITIONER, "王小明", CONTACT, ID_NUMBER, WORKER_NAME)
T0 = datetime(2023, 3, 1, 9)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    made = AESCipher.create_key(num_bytes=32)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", made)
    return made


def fill(cw: Casework) -> str:
    """A dispute, an aid case and a register entry, each carrying personal data."""
    case = cw.disputes.receive(
        category="wages", workers=3, amount=12000, channel="visit", employer="Acme Textiles",
        summary="May wages unpaid " * 40, petitioner=PETITIONER, contact=CONTACT, at=T0,
        actor="m-01")
    cw.disputes.accept(case, at=T0, actor="m-01")
    cw.register.enrol("C-0001", reason="illness", name=WORKER_NAME, id_number=ID_NUMBER,
                      at=T0, actor="a-01")
    cw.aid.receive(channel="phone", worker="C-0001", petitioner=PETITIONER, contact=CONTACT,
                   id_number=ID_NUMBER, at=T0, actor="a-01")
    cw.project()
    return case


def stored_text(url: str, *, read_model_only: bool = False) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) of everything the store holds: the SQLite files, or every row of
    every PostgreSQL table (the read model's tables are the ones named cw<VERSION>_…)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        if read_model_only:
            with sqlite3.connect(path) as db:
                tables = [r[0] for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE ?",
                    (f"cw{VERSION}_%",))]
                for t in tables:
                    yield t, repr(db.execute(f"SELECT * FROM {t}").fetchall()).encode()
            return
        for f in path.parent.glob(path.name + "*"):  # the database, its -wal and -shm
            yield f.name, f.read_bytes()
        return
    import psycopg

    conninfo, schema = pg_conninfo(url)
    with psycopg.connect(conninfo) as db:
        tables = [r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,))]
        for t in tables:
            if read_model_only and not t.startswith(f"cw{VERSION}_"):
                continue
            for row in db.execute(f'SELECT * FROM "{schema}"."{t}"'):
                for value in row:
                    data = value if isinstance(value, bytes) else str(value).encode()
                    yield t, data


def found(url: str, *, read_model_only: bool = False) -> set[str]:
    return {f"{secret!r} in {where}"
            for where, data in stored_text(url, read_model_only=read_model_only)
            for secret in SECRETS if secret.encode() in data}


def test_without_a_key_the_names_are_in_the_events_but_not_the_read_model(
    store_url: str,
) -> None:
    """The control for the test below: the grep finds what is stored in the clear."""
    with Casework(store=store_url) as cw:
        fill(cw)
    assert {s for s in SECRETS if any(s in hit for hit in found(store_url))} == set(SECRETS)
    assert found(store_url, read_model_only=True) == set()


def test_with_a_key_nothing_personal_is_readable_at_rest(store_url: str, key: str) -> None:
    with Casework(store=store_url) as cw:
        case = fill(cw)
        assert cw.disputes.get(case).petitioner == PETITIONER
        assert cw.register.get("C-0001").name == WORKER_NAME
    assert found(store_url) == set()
    with Casework(store=store_url) as again:  # the same key reads it back after reopening
        view = again.disputes.get(case)
        assert (view.petitioner, view.contact) == (PETITIONER, CONTACT)
        figures = again.report(date(2023, 1, 1), date(2023, 6, 30))
        assert figures == again.report(date(2023, 1, 1), date(2023, 6, 30), replay=True)
        assert figures.disputes.received == 1


def test_payloads_are_compressed_and_encrypted(store_url: str, key: str) -> None:
    with Casework(store=store_url) as cw:
        case = fill(cw)
        received = cw.log.recorder.select_events(LabourDispute.id_for(case), limit=1)[0]
        plain = cw.log.payload_reader()(received.state)
    assert plain["petitioner"] == PETITIONER
    in_clear = json.dumps(plain).encode()
    assert len(received.state) < len(in_clear) / 2  # a 680-character summary shrinks
    with pytest.raises(ValueError):
        json.loads(received.state)


def test_a_wrong_key_is_refused_on_opening(
    store_url: str, key: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Casework(store=store_url) as cw:
        fill(cw)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", AESCipher.create_key(num_bytes=32))
    with pytest.raises(StoreError, match="wrong CASEWORK_CIPHER_KEY") as refused:
        Casework(store=store_url)
    assert "\n" not in str(refused.value)
    monkeypatch.delenv("CASEWORK_CIPHER_KEY")
    with pytest.raises(StoreError, match=r"encrypted .*set CASEWORK_CIPHER_KEY"):
        Casework(store=store_url)


def test_events_under_another_key_are_refused_when_read(
    store_url: str, key: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store half written under an old key: the latest event opens, the old ones fail
    clearly wherever they are read — loading a case, projecting, replaying."""
    with Casework(store=store_url) as cw:
        old = fill(cw)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", AESCipher.create_key(num_bytes=32))
    monkeypatch.setattr(CaseLog, "check_key", lambda self: None)
    with Casework(store=store_url) as writer:
        writer.register.enrol("C-0002", reason="illness", at=T0, actor="a-01")
    monkeypatch.undo()
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", writer.store.env["CIPHER_KEY"])
    with Casework(store=store_url) as cw:
        assert cw.register.get("C-0002").active
        with pytest.raises(StoreError, match=r"cannot read dispute .*wrong CASEWORK_CIPHER_KEY"):
            cw.disputes.get(old)
        with pytest.raises(StoreError, match="wrong CASEWORK_CIPHER_KEY"):
            cw.report(date(2023, 1, 1), date(2023, 6, 30), replay=True)


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ=", AESCipher.create_key(16) + "AA"],
                         ids=["not-base64", "too-short", "too-long"])
def test_a_malformed_key_says_how_to_make_one(
    bad: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", bad)
    with pytest.raises(StoreError, match=r"AESCipher\.create_key\(num_bytes=32\)"):
        Casework(store="memory://")
