"""The desk under load, on the loopback only: 20 staff signed in at once, each making a fixed
number of requests to a real `casework serve` (uvicorn) on a generated history.

Each member of staff (a mediator, an aid officer or a supervisor of one of the history's
bodies) signs in, then repeats: their caseload (the home page), a case page of a case they
hold, the case list, and a static file (the stylesheet) served by the same server through
the same middleware. Page times are reported as p50 and p95, each as a ratio to the static
file's in the same run. The run is bounded: a fixed number of requests, a timeout on each,
and an overall deadline; it stops by itself.

    python -m benchmarks.desk                    # 10,000 cases, 20 staff × 40 rounds
    python -m benchmarks.desk --cases 100000     # the issue's size (~3 minutes to write)
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from urllib.parse import urlencode

from benchmarks.history import ORGS, generate
from benchmarks.table import Row, render

STAFF = 20
PASSWORD = "benchmark password"
KINDS_OF_PAGE = ("caseload", "case", "list", "static")


@dataclass
class Staff:
    account: str
    role: str
    org: str
    cookie: str = ""
    cases: list[str] = field(default_factory=list)


def staff() -> list[Staff]:
    """12 mediators (the history's m-00…m-11), 6 aid officers, 2 supervisors."""
    people = [Staff(f"m-{i:02d}", "mediator", ORGS[i % len(ORGS)]) for i in range(12)]
    people += [Staff(f"a-{i:02d}", "aid_officer", ORGS[i % len(ORGS)]) for i in range(6)]
    people += [Staff(f"s-{i:02d}", "supervisor", ORGS[i % len(ORGS)]) for i in range(2)]
    assert len(people) == STAFF
    return people


def prepare(path: Path, cases: int) -> tuple[int, list[Staff]]:
    """Write the history, fill the read model, add the accounts."""
    from casework import Casework
    from casework.desk.accounts import Accounts

    events = generate(path, 0, cases=cases)
    people = staff()
    with Casework(store=f"sqlite:///{path}") as cw:
        cw.project()
        accounts = Accounts(cw)
        for p in people:
            accounts.add(p.account, role=p.role, orgs=[p.org], password=PASSWORD,
                         actor="bench")
    return events, people


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Client:
    """One member of staff's keep-alive connection to the loopback server."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                text = r.read().decode("utf-8", "replace")
                headers: dict[str, str] = {}
                for k, v in r.getheaders():  # cookies by name: "set-cookie cw_session"
                    key = k.lower()
                    if key == "set-cookie":
                        key += " " + v.split("=", 1)[0]
                    headers[key] = v
                return r.status, headers, text
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=self.timeout)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def sign_in(c: Client, s: Staff) -> None:
    status, headers, page = c.request("GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert status == 200 and token, f"no sign-in form ({status})"
    login_cookie = headers["set-cookie cw_login"].split(";")[0]
    body = urlencode({"username": s.account, "password": PASSWORD,
                      "csrf_token": token.group(1)})
    status, headers, _ = c.request("POST", "/login", body, {
        "content-type": "application/x-www-form-urlencoded", "cookie": login_cookie})
    assert status == 303, f"sign-in of {s.account} refused ({status})"
    s.cookie = headers["set-cookie cw_session"].split(";")[0]


def run_load(port: int, people: list[Staff], rounds: int, timeout: float,
             deadline: float) -> dict[str, list[float]]:
    """Each member of staff makes `rounds` × 4 requests; returns seconds by page."""
    times: dict[str, list[float]] = {k: [] for k in KINDS_OF_PAGE}
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(people))

    def work(s: Staff) -> None:
        c = Client(port, timeout)
        try:
            sign_in(c, s)
            headers = {"cookie": s.cookie}
            _, _, home = c.request("GET", "/", headers=headers)
            s.cases = re.findall(r'href="(/(?:disputes|aid|warnings)/[A-Z]+-\d{4}-\d+)"', home)
            list_page = "/disputes" if s.role != "aid_officer" else "/aid"
            start.wait(timeout=timeout)
            for i in range(rounds):
                if time.monotonic() > deadline:
                    raise TimeoutError("the run's deadline passed")
                case = s.cases[i % len(s.cases)] if s.cases else "/"
                for kind, path in (("caseload", "/"), ("case", case),
                                   ("list", f"{list_page}?state=mediating" if s.role !=
                                    "aid_officer" else f"{list_page}?state=accepted"),
                                   ("static", "/static/desk.css")):
                    t = time.perf_counter()
                    status, _, _ = c.request("GET", path, headers=headers)
                    took = time.perf_counter() - t
                    if status != 200:
                        raise RuntimeError(f"{s.account} GET {path}: {status}")
                    with lock:
                        times[kind].append(took)
        except Exception as e:  # reported after the run; the other staff go on
            with lock:
                failures.append(f"{s.account}: {e}")

    threads = [threading.Thread(target=work, args=(s,), daemon=True) for s in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic()))
    if failures:
        raise RuntimeError("; ".join(failures[:5]))
    return times


def pct(values: list[float], p: int) -> float:
    return quantiles(values, n=100, method="inclusive")[p - 1]


def run(tmp: Path, cases: int, rounds: int, timeout: float = 60.0,
        budget: float = 900.0, reuse: Path | None = None) -> list[Row]:
    """`reuse`: a store this module prepared before (with its accounts), kept by --keep."""
    store = reuse or tmp / "desk.db"
    t = time.perf_counter()
    if reuse is not None and reuse.exists():
        from casework import Casework

        with Casework(store=f"sqlite:///{store}") as cw:
            events = cw.log.recorder.max_notification_id() or 0
            cases = sum(1 for _ in cw.summaries.tables.select("cases"))
        people = staff()
    else:
        events, people = prepare(store, cases)
    written = time.perf_counter() - t
    port = _free_port()
    env = {**os.environ, "CASEWORK_TZ": "UTC"}
    server = subprocess.Popen(
        [sys.executable, "-m", "casework", "serve", "--store", f"sqlite:///{store}",
         "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        for _ in range(600):
            try:
                if Client(port, 5).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the desk did not start")
        times = run_load(port, people, rounds, timeout, time.monotonic() + budget)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    n = sum(len(v) for v in times.values())
    note = (f"{STAFF} staff × {rounds} rounds, {n:,} requests, {cases:,} cases / "
            f"{events:,} events on SQLite, 1 worker (history ready in {written:.0f} s)")
    rows = []
    for p in (50, 95):
        static = pct(times["static"], p)
        for kind, what in (("caseload", "my caseload (home)"), ("case", "a case page"),
                           ("list", "the case list, one state")):
            rows.append(Row("8", f"desk p{p}: {what}", pct(times[kind], p),
                            f"static file p{p}", static, "s", "—", None,
                            note if (p, kind) == (50, "caseload") else ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.desk", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000,
                    help="cases in the generated history (default 10,000; the issue: 100000)")
    ap.add_argument("--rounds", type=int, default=40,
                    help="rounds of 4 requests per member of staff (default 40)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="an SQLite file to write the history to and keep, or to reuse")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="casework-desk-bench-") as tmp:
        print(render(run(Path(tmp), a.cases, a.rounds, reuse=a.keep)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
