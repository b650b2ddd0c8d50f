"""The desk over HTTP (Starlette's TestClient), on SQLite and PostgreSQL: sign-in, sessions,
CSRF, headers, the caseload, case pages and their moves, receiving, returns, exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from casework.desk.app import create_app
from domain import KINDS
from tests.desk.helpers import PASSWORD, Clock, desk_of, errors, receive, sign_in, token


def test_health_answers_without_a_session(client: TestClient) -> None:
    r = client.get("/healthz")
    assert (r.status_code, r.text) == (200, "ok")


@pytest.mark.parametrize("path", ["/", "/disputes", "/disputes/LD-2023-0001", "/returns",
                                  "/exports/disputes.csv", "/register", "/funds", "/account"])
def test_anything_else_without_a_session_goes_to_sign_in(client: TestClient, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")


def test_sign_in_page_and_headers(client: TestClient) -> None:
    r = client.get("/login")
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text
    for field in ('name="username"', 'name="password"', 'name="csrf_token"'):
        assert field in r.text
    assert re.search(r'<label for="username">用户名</label>', r.text)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_a_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"username": "m-chen", "password": PASSWORD,
                                    "csrf_token": token(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = next(v for k, v in r.headers.multi_items()
                  if k == "set-cookie" and v.startswith("cw_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert PASSWORD not in cookie


def test_a_wrong_password_is_refused_and_logged(client: TestClient,
                                                caplog: pytest.LogCaptureFixture) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"username": "m-chen", "password": "wrong-password",
                                    "csrf_token": token(page.text)})
    assert r.status_code == 401
    assert "用户名或密码错误" in r.text
    assert "cw_session" not in client.cookies
    assert any("sign-in refused" in m and "m-chen" in m for m in caplog.messages)
    unknown = client.post("/login", data={"username": "nobody", "password": "x" * 9,
                                          "csrf_token": token(page.text)})
    assert unknown.status_code == 401 and "用户名或密码错误" in unknown.text  # the same words


def test_five_wrong_passwords_lock_the_account_for_15_minutes(
        client: TestClient, clock: Clock, app: Starlette) -> None:
    page = client.get("/login")
    for _ in range(5):
        r = client.post("/login", data={"username": "m-chen", "password": "wrong-password",
                                        "csrf_token": token(page.text)})
    assert r.status_code == 429 and "锁定15分钟" in r.text
    right = client.post("/login", data={"username": "m-chen", "password": PASSWORD,
                                        "csrf_token": token(page.text)})
    assert right.status_code == 429  # even the right password, while locked
    history = [what for what, _, _ in desk_of(app).accounts.get("m-chen").history]
    assert history[-1] == "lock"
    clock.offset = timedelta(minutes=15, seconds=1)
    assert sign_in(client, "m-chen")


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    number = receive(client, csrf)
    r = client.post(f"/disputes/{number}/accept", data={})
    assert r.status_code == 403
    r = client.post(f"/disputes/{number}/accept", data={"csrf_token": "forged"})
    assert r.status_code == 403
    assert "已接待" in client.get(f"/disputes/{number}").text  # nothing moved


def test_every_state_changing_route_wants_a_csrf_token(app: Starlette,
                                                       client: TestClient) -> None:
    sign_in(client, "boss")
    posts = [r.path for r in app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert len(posts) >= 10
    for path in posts:
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        assert client.post(concrete, data={"a": "b"}).status_code == 403, path


def test_sign_in_without_the_forms_token_is_refused(client: TestClient) -> None:
    r = client.post("/login", data={"username": "m-chen", "password": PASSWORD})
    assert r.status_code == 403


def test_sign_out_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    stolen = client.cookies["cw_session"]
    r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    thief = TestClient(client.app)
    thief.cookies.set("cw_session", stolen)
    assert thief.get("/", follow_redirects=False).status_code == 303


def test_a_password_change_ends_every_session_in_every_process(
        store_url: str, app: Starlette, client: TestClient) -> None:
    sign_in(client, "m-chen")
    assert client.get("/", follow_redirects=False).status_code == 200
    other = create_app(store_url, tz="Asia/Shanghai")  # another worker process's desk
    try:
        desk_of(other).accounts.change_password("m-chen", password="a new password",
                                                actor="admin")
    finally:
        desk_of(other).close()
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(client, "m-chen", "a new password")


def test_changing_my_password_in_the_desk(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    wrong = client.post("/account/password", data={"csrf_token": csrf, "current": "nope-nope",
                                                   "new": "another pass"})
    assert wrong.status_code == 400
    r = client.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD,
                                               "new": "another pass"})
    assert r.status_code == 200 and "密码已修改" in r.text
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(client, "m-chen", "another pass")


def test_a_petition_from_receipt_to_agreement_and_into_the_return(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    number = receive(client, csrf)
    page = client.get(f"/disputes/{number}").text
    assert '<html lang="zh-CN">' in page and "已接待" in page and "王伟" in page
    assert 'action="/disputes/' + number + '/accept"' in page  # the moves allowed now
    assert "/start_mediation" not in page
    for move, data in (("accept", {}), ("start_mediation", {"mediator": "m-chen"}),
                       ("resolve", {"settled_amount": "11000"})):
        r = client.post(f"/disputes/{number}/{move}", data={"csrf_token": csrf, **data},
                        follow_redirects=False)
        assert r.status_code == 303, errors(r.text)
    page = client.get(f"/disputes/{number}").text
    assert "调解成功" in page and "11,000.00元" in page
    assert [m for m in ("接待", "受理", "开始调解", "达成调解协议") if f"<td>{m}</td>" in page] \
        == ["接待", "受理", "开始调解", "达成调解协议"]  # the timeline, with who and when
    year = number.split("-")[1]
    returns = client.get(f"/returns?period={year}&org=subdistrict").text
    link = re.search(r'href="(/returns/cases\?[^"]*figure=disputes\.resolved)"', returns)
    assert link, "no drill-down from the resolved figure"
    cases = client.get(link.group(1).replace("&amp;", "&")).text
    assert f"/disputes/{number}" in cases


def test_errors_are_shown_beside_their_field_in_chinese(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    r = client.post("/disputes/new", data={"csrf_token": csrf, "org": "subdistrict",
                                           "category": "wages", "workers": "three",
                                           "amount": "12,000", "channel": "visit"})
    assert r.status_code == 400
    assert re.search(r'id="new-amount"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'<p class="error" id="new-workers-error">请输入整数</p>', r.text)
    assert re.search(r'<p class="error" id="new-employer-error">此项必填</p>', r.text)
    assert 'value="12,000"' in r.text  # what was typed is kept
    number = receive(client, csrf)
    client.post(f"/disputes/{number}/accept", data={"csrf_token": csrf})
    r = client.post(f"/disputes/{number}/start_mediation", data={"csrf_token": csrf})
    assert r.status_code == 400
    assert '<p class="error" id="start_mediation-mediator-error">此项必填</p>' in r.text
    assert '<details class="move" id="move-start_mediation" open>' in r.text


def test_a_move_the_case_no_longer_allows_is_refused_in_words(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    number = receive(client, csrf)
    client.post(f"/disputes/{number}/accept", data={"csrf_token": csrf})
    r = client.post(f"/disputes/{number}/accept", data={"csrf_token": csrf})
    assert r.status_code == 400 and "案件当前状态不允许此操作" in r.text


def test_a_mediator_cannot_see_another_bodys_case(app: Starlette, client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    number = receive(client, csrf, petitioner="李娜", employer="Secret Works")
    other = TestClient(app)
    csrf_other = sign_in(other, "m-county")
    r = other.get(f"/disputes/{number}")
    assert r.status_code == 404
    assert "李娜" not in r.text and "Secret Works" not in r.text and number not in r.text
    assert other.post(f"/disputes/{number}/accept",
                      data={"csrf_token": csrf_other}).status_code == 404
    assert number not in other.get("/disputes").text
    assert number not in other.get("/exports/disputes.csv").text
    assert "已接待" in client.get(f"/disputes/{number}").text


def test_my_caseload_in_deadline_order(client: TestClient, clock: Clock) -> None:
    csrf = sign_in(client, "m-chen")
    old = receive(client, csrf, employer="Old Mill", at=_local(clock, days=-21))
    client.post(f"/disputes/{old}/accept", data={"csrf_token": csrf,
                                                 "at": _local(clock, days=-20)})
    soon = receive(client, csrf, employer="Soon Ltd", at=_local(clock, days=-14))
    client.post(f"/disputes/{soon}/accept", data={"csrf_token": csrf,
                                                  "at": _local(clock, days=-13)})
    fresh = receive(client, csrf, employer="Fresh Co")
    client.post(f"/disputes/{fresh}/accept", data={"csrf_token": csrf})
    theirs = receive(client, csrf, employer="Li's Case")
    client.post(f"/disputes/{theirs}/accept", data={"csrf_token": csrf})
    client.post(f"/disputes/{theirs}/start_mediation", data={"csrf_token": csrf,
                                                              "mediator": "m-li"})
    home = client.get("/").text
    overdue, soon_part, rest = (home.split('id="h-soon"')[0],
                                home.split('id="h-soon"')[1].split('id="h-rest"')[0],
                                home.split('id="h-rest"')[1])
    assert old in overdue and soon in soon_part and fresh in rest
    assert theirs not in home  # another mediator's case
    assert "劳动争议调解仲裁法" in home  # the rule that sets each deadline
    boss = TestClient(client.app)
    sign_in(boss, "boss")
    by_mediator = boss.get("/").text
    assert "m-li" in by_mediator and theirs in by_mediator and old in by_mediator
    assert theirs in boss.get("/?who=m-li").text and old not in boss.get("/?who=m-li").text


def _local(clock: Clock, days: int) -> str:
    from zoneinfo import ZoneInfo

    return (clock() + timedelta(days=days)).astimezone(ZoneInfo("Asia/Shanghai")).strftime(
        "%Y-%m-%dT%H:%M")


def test_an_auditor_sees_figures_but_no_personal_data(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    number = receive(client, csrf, petitioner="赵敏")
    auditor = TestClient(client.app)
    sign_in(auditor, "audit")
    page = auditor.get(f"/disputes/{number}").text
    assert "赵敏" not in page and "138-0000-0000" not in page and "经审人员不可见" in page
    assert "action=" not in page.split('id="h-moves"')[1].split("</section>")[0]
    exported = auditor.get("/exports/disputes.csv").text
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert rows[0][:3] == ["number", "org", "state"] and rows[1][0] == number
    assert "赵敏" not in exported


def test_english_per_user(client: TestClient) -> None:
    csrf = sign_in(client, "m-chen")
    r = client.post("/account/language", data={"csrf_token": csrf, "lang": "en", "next": "/"},
                    follow_redirects=False)
    assert r.status_code == 303
    home = client.get("/").text
    assert '<html lang="en">' in home and "My caseload" in home
    other = TestClient(client.app)
    sign_in(other, "m-li")
    assert '<html lang="zh-CN">' in other.get("/").text  # per user


def test_aid_register_and_funds_pages(client: TestClient) -> None:
    csrf = sign_in(client, "a-subd")
    r = client.post("/funds/do/open", data={"csrf_token": csrf, "org": "subdistrict",
                                            "code": "sd-aid", "name": "街道帮困基金"},
                    follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    r = client.post("/funds/sd-aid/contribute", data={"csrf_token": csrf, "amount": "5000",
                                                      "source": "一日捐"},
                    follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    fund = client.get("/funds/sd-aid").text
    assert "5,000.00元" in fund and "<td>募集/拨入</td>" in fund
    r = client.post("/register", data={"csrf_token": csrf, "org": "subdistrict",
                                       "worker": "W-001", "reason": "illness", "name": "张强"},
                    follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    assert "患病" in client.get("/register/W-001").text
    r = client.post("/aid/new", data={"csrf_token": csrf, "org": "subdistrict",
                                      "channel": "visit", "worker": "W-001"},
                    follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    case = r.headers["location"].split("/")[-1].split("?")[0]
    client.post(f"/aid/{case}/accept", data={"csrf_token": csrf})
    r = client.post(f"/aid/{case}/approve", data={"csrf_token": csrf, "kind": "one_off"})
    assert r.status_code == 400  # one-off relief needs its fund and amount, said per field
    assert '<p class="error" id="approve-fund-error">此项必填</p>' in r.text
    r = client.post(f"/aid/{case}/approve", data={"csrf_token": csrf, "kind": "one_off",
                                                  "fund": "sd-aid", "amount": "800"},
                    follow_redirects=False)
    assert r.status_code == 303, errors(r.text)
    client.post(f"/aid/{case}/implement", data={"csrf_token": csrf})
    assert "4,200.00元" in client.get("/funds/sd-aid").text
    ledger = client.get("/funds/sd-aid/ledger.csv").text
    assert "-800" in ledger


def test_every_page_of_the_menu_renders(client: TestClient) -> None:
    sign_in(client, "boss")
    for kind in KINDS.values():
        assert client.get(f"/{kind.plural}").status_code == 200
        assert client.get(f"/{kind.plural}/new").status_code == 200
        assert client.get(f"/exports/{kind.plural}.csv").status_code == 200
    for path in ("/", "/receive", "/register", "/funds", "/returns", "/returns?period=2023H1",
                 "/returns.csv?period=2023", "/exports", "/account"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "no-store"


def test_the_register_and_funds_are_for_those_who_work_on_them(client: TestClient) -> None:
    sign_in(client, "m-chen")
    home = client.get("/").text
    assert 'href="/register"' not in home and 'href="/funds"' not in home
    for path in ("/register", "/funds", "/register/W-001", "/funds/sd-aid"):
        assert client.get(path).status_code == 404, path
    aid = TestClient(client.app)
    sign_in(aid, "a-subd")
    assert 'href="/register"' in aid.get("/").text and 'href="/aid"' in aid.get("/").text
