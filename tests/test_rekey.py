"""Issue 16, finding 10: key rotation. `rekey` copies a store into a new one under another
key, verifies it, and never leaves a half-written target that opens as a store."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher

from casework import Casework, InvalidInput, StoreError
from casework.cli import main
from casework.rekey import RekeyResult, rekey, rekey_command

PETITIONER = "Wang Xiaoming 王小明"
T0 = datetime(2023, 3, 1, 9)
H1 = (date(2023, 1, 1), date(2023, 6, 30))

Fresh = Callable[[], str]


@pytest.fixture
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """fresh("sqlite") or fresh("postgres"): a new, empty store URL each call (on
    PostgreSQL a schema of its own in the session's database, dropped afterwards)."""
    made: list[tuple[str, str]] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / uuid.uuid4().hex}.db"
        import psycopg

        database: str = request.getfixturevalue("postgres_database")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(database, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        made.append((database, schema))
        return f"{database}?schema={schema}"

    yield make
    if made:
        import psycopg

        for database, schema in made:
            with psycopg.connect(database, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


PAIRS = [
    ("sqlite", "sqlite"),
    pytest.param("sqlite", "postgres", marks=pytest.mark.postgres),
    pytest.param("postgres", "postgres", marks=pytest.mark.postgres),
]


def key() -> str:
    return AESCipher.create_key(num_bytes=32)


def opened(url: str, with_key: str | None, monkeypatch: pytest.MonkeyPatch) -> Casework:
    if with_key is None:
        monkeypatch.delenv("CASEWORK_CIPHER_KEY", raising=False)
    else:
        monkeypatch.setenv("CASEWORK_CIPHER_KEY", with_key)
    return Casework(store=url)


def fill(cw: Casework, payments: int = 110) -> None:
    """Every kind of record; a fund with more movements than the snapshot interval."""
    cw.funds.open("F-1", name="Aid fund", org="county", at=T0, actor="a-01")
    for i in range(payments):
        cw.funds.contribute("F-1", amount=100 + i, source=f"drive {i}", at=T0, actor="a-01")
    for w in ("W-1", "W-2"):
        cw.register.enrol(w, reason="illness", name="Li Hua 李华", org="county", at=T0,
                          actor="a-01")
    for i in range(12):
        case = cw.disputes.receive(category="wages", workers=2 + i, amount=1000 * i + 1,
                                   channel="visit", employer=f"Acme {i}", org="county",
                                   petitioner=PETITIONER, at=T0, actor="m-01")
        if i % 2:
            cw.disputes.accept(case, at=T0, actor="m-01")
    aid = cw.aid.receive(channel="phone", worker="W-1", org="county", at=T0, actor="a-01")
    cw.aid.accept(aid, at=T0, actor="a-01")
    cw.aid.approve(aid, kind="one_off", fund="F-1", amount=500, at=T0, actor="a-01")
    cw.aid.implement(aid, at=T0, actor="a-01")
    sub = cw.aid.receive(channel="phone", worker="W-2", org="county", at=T0, actor="a-01")
    cw.aid.accept(sub, at=T0, actor="a-01")
    cw.aid.approve(sub, kind="monthly_subsidy", fund="F-1", monthly_amount=200,
                   first_month="2023-01", at=T0, actor="a-01")
    cw.aid.pay_quarter("2023Q1", org="county", at="2023-04-01T09:00", actor="a-01")
    cw.aid.run_campaign("spring", fund="F-1", workers=["W-1", "W-2"], amount=300,
                        at="2023-04-02T09:00", actor="a-01")


def log_of(cw: Casework) -> list[tuple[str, int, str, Any]]:
    """(originator id, version, topic, timestamp) of every stored event, in order."""
    return [(n.originator_id.hex, n.originator_version, n.topic,  # type: ignore[union-attr]
             cw.log.mapper.to_domain_event(n).timestamp)
            for n in cw.log.recorder.select_notifications(start=1, limit=100_000)]


def source(url: str, with_key: str | None, monkeypatch: pytest.MonkeyPatch) -> tuple[
        list[tuple[str, int, str, Any]], dict[str, Any]]:
    with opened(url, with_key, monkeypatch) as cw:
        fill(cw)
        return log_of(cw), cw.report(*H1, org="county").model_dump()


@pytest.mark.parametrize(("src_kind", "dst_kind"), PAIRS)
def test_a_rekeyed_store_holds_the_same_log_under_the_new_key(
        src_kind: str, dst_kind: str, fresh: Callable[[str], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = key(), key()
    src, dst = fresh(src_kind), fresh(dst_kind)
    events, figures = source(src, old, monkeypatch)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", "this is not read: keys are passed")
    heard: list[tuple[int, int]] = []
    result = rekey(src, dst, from_key=old, to_key=new, batch=50,
                   progress=lambda done, total: heard.append((done, total)))
    assert result.events == len(events) and result.snapshots == 1
    assert heard[-1][0] == heard[-1][1] and len(heard) > 2  # up to the last position
    assert any("projection = replay" in c for c in result.checked)
    with opened(dst, new, monkeypatch) as cw:
        assert log_of(cw) == events  # ids, versions, topics, timestamps, order
        assert cw.report(*H1, org="county").model_dump() == figures
        assert cw.report(*H1, org="county", replay=True).model_dump() == figures
        assert cw.funds.balance("F-1") > 0
        assert cw.disputes.get("LD-2023-0001").petitioner == PETITIONER
        receive_one(cw)  # the copy is a working store
    with pytest.raises(StoreError, match="wrong CASEWORK_CIPHER_KEY"):
        opened(dst, old, monkeypatch)
    if dst_kind == "sqlite":
        assert PETITIONER.encode() not in Path(dst.removeprefix("sqlite:///")).read_bytes()


def receive_one(cw: Casework) -> str:
    return cw.disputes.receive(category="wages", workers=2, amount=100, channel="visit",
                               employer="Acme", org="county", actor="m-01")


@pytest.mark.parametrize(("old", "new"), [(None, "key"), ("key", None)])
def test_encrypting_a_plain_store_and_decrypting_one(
        old: str | None, new: str | None, fresh: Callable[[str], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    old_key, new_key = (key() if old else None), (key() if new else None)
    src, dst = fresh("sqlite"), fresh("sqlite")
    events, figures = source(src, old_key, monkeypatch)
    rekey(src, dst, from_key=old_key, to_key=new_key)
    with opened(dst, new_key, monkeypatch) as cw:
        assert log_of(cw) == events
        assert cw.report(*H1, org="county").model_dump() == figures
    on_disk = Path(dst.removeprefix("sqlite:///")).read_bytes()
    assert (PETITIONER.encode() in on_disk) == (new_key is None)


def test_a_target_that_is_not_empty_is_refused_and_left_alone(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = key(), key()
    src, dst = fresh("sqlite"), fresh("sqlite")
    source(src, old, monkeypatch)
    with opened(dst, new, monkeypatch) as cw:
        receive_one(cw)
        before = log_of(cw)
    with pytest.raises(StoreError, match="not empty"):
        rekey(src, dst, from_key=old, to_key=new)
    with opened(dst, new, monkeypatch) as cw:
        assert log_of(cw) == before


@pytest.mark.parametrize(("src_kind", "dst_kind"), PAIRS)
def test_a_rekey_stopped_half_way_leaves_a_target_refused_as_incomplete(
        src_kind: str, dst_kind: str, fresh: Callable[[str], str],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = key(), key()
    src, dst = fresh(src_kind), fresh(dst_kind)
    events, _ = source(src, old, monkeypatch)

    def crash(done: int, total: int) -> None:
        if done >= total // 2:
            raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError, match="killed half-way"):
        rekey(src, dst, from_key=old, to_key=new, batch=20, progress=crash)
    assert 0 < copied(dst, new, monkeypatch) < len(events)
    for with_key in (new, old, None):
        with pytest.raises(StoreError, match="the rekey did not complete"):
            opened(dst, with_key, monkeypatch)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", new)
    assert main(["--store", dst, "dispute", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "the rekey did not complete" in err
    with pytest.raises(StoreError, match="unfinished rekey copy"):
        rekey(src, dst, from_key=old, to_key=new)
    again = fresh(dst_kind)  # the procedure: a new empty target, and run it again
    assert rekey(src, again, from_key=old, to_key=new).events == len(events)


def copied(url: str, with_key: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Events in a target that `Casework` refuses to open."""
    from casework.log import open_log
    from casework.store import resolve

    log = open_log(resolve(url, cipher_key=with_key), rekey_target=True)
    try:
        return log.last_position()
    finally:
        log.close()


def _rekey_and_die(src: str, dst: str, old: str, new: str) -> None:
    def die(done: int, total: int) -> None:
        if done >= total // 2:
            os.kill(os.getpid(), signal.SIGKILL)

    rekey(src, dst, from_key=old, to_key=new, batch=20, progress=die)


def test_a_rekey_sigkilled_half_way_leaves_a_target_refused_as_incomplete(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = key(), key()
    src, dst = fresh("sqlite"), fresh("sqlite")
    events, _ = source(src, old, monkeypatch)
    proc = multiprocessing.get_context("spawn").Process(
        target=_rekey_and_die, args=(src, dst, old, new))
    proc.start()
    proc.join(timeout=120)
    assert proc.exitcode == -signal.SIGKILL
    with sqlite3.connect(dst.removeprefix("sqlite:///")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 0 < copied(dst, new, monkeypatch) < len(events)
    with pytest.raises(StoreError, match="the rekey did not complete"):
        opened(dst, new, monkeypatch)


def test_a_copy_that_fails_verification_is_left_refused(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    import casework.rekey as module

    old, new = key(), key()
    src, dst = fresh("sqlite"), fresh("sqlite")
    source(src, old, monkeypatch)
    real = module.replay

    def wrong(*args: Any) -> Any:
        report = real(*args)
        return report.model_copy(update={"start": date(2000, 1, 1)})

    monkeypatch.setattr(module, "replay", wrong)
    with pytest.raises(StoreError, match="failed verification"):
        rekey(src, dst, from_key=old, to_key=new)
    with pytest.raises(StoreError, match="the rekey did not complete"):
        opened(dst, new, monkeypatch)


def test_the_wrong_source_key_touches_no_target(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    old = key()
    src, dst = fresh("sqlite"), fresh("sqlite")
    source(src, old, monkeypatch)
    with pytest.raises(StoreError, match="wrong CASEWORK_CIPHER_KEY"):
        rekey(src, dst, from_key=key(), to_key=key())
    assert not Path(dst.removeprefix("sqlite:///")).exists()


def test_sources_and_targets_that_cannot_be_rekeyed(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    src = fresh("sqlite")
    source(src, None, monkeypatch)
    for args, field in [
        ((src, src), "to"),
        ((src, "memory://"), "to"),
        ((fresh("sqlite"), fresh("sqlite")), "store"),  # no such file
    ]:
        with pytest.raises(InvalidInput) as refused:
            rekey(*args, from_key=None, to_key=key())
        assert field in refused.value.fields
    with pytest.raises(StoreError, match="not an AES key"):
        rekey(src, fresh("sqlite"), from_key=None, to_key="not a key")


def test_the_command_reads_the_keys_from_the_environment(
        fresh: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = key(), key()
    src, dst = fresh("sqlite"), fresh("sqlite")
    events, figures = source(src, old, monkeypatch)
    monkeypatch.setenv("CASEWORK_CIPHER_KEY", old)
    monkeypatch.delenv("NEW_CASEWORK_KEY", raising=False)
    with pytest.raises(InvalidInput, match=r"\$NEW_CASEWORK_KEY is not set"):
        rekey_command(src, dst, "NEW_CASEWORK_KEY")
    with pytest.raises(InvalidInput, match="--plain"):
        rekey_command(src, dst, None)
    with pytest.raises(InvalidInput, match="--plain"):
        rekey_command(src, dst, "NEW_CASEWORK_KEY", plain=True)
    monkeypatch.setenv("NEW_CASEWORK_KEY", new)
    said: list[str] = []
    result = rekey_command(src, dst, "NEW_CASEWORK_KEY", say=said.append)
    assert isinstance(result, RekeyResult) and result.events == len(events)
    assert said[-1] == f"copied up to event {len(events)} of {len(events)}"
    assert "\n" not in result.summary() and new not in result.summary()
    assert result.as_dict()["events"] == len(events)
    with opened(dst, new, monkeypatch) as cw:
        assert cw.report(*H1, org="county").model_dump() == figures
