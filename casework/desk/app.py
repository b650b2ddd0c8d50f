"""The desk: server-rendered pages over the `Casework` facade, as thin as the CLI.

Every request acts as the signed-in account's id: commands go through the same public API,
lifecycle and access rules as the library and the CLI (`cw.kinds[plural].move(...,
actor=account)`), with the access Directory built from the accounts. Reads are scoped here
to the account's bodies (a case of another body answers 404 and shows nothing), and pass
`actor=` to the library wherever a read accepts it.
"""

from __future__ import annotations

import csv
import inspect
import io
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from casework.access import Directory
from casework.app import Casework
from casework.desk import caseload as load
from casework.desk import forms
from casework.desk.accounts import AccountBook, Accounts, AccountView, SignInRefused
from casework.desk.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SecurityHeaders,
    csrf_for,
    new_token,
    parse_session,
    same,
    session_cookie,
)
from casework.errors import (
    AlreadyExists,
    CaseNotFound,
    CaseworkError,
    ConcurrentUpdate,
    InsufficientFunds,
    InvalidInput,
    InvalidTransition,
    PermissionDenied,
    StoreError,
)
from casework.periods import period
from casework.statistics.explain import RULES as EXPLAINABLE
from casework.statistics.figures import Report
from casework.statistics.formats import headers as report_headers
from casework.statistics.formats import rows as report_rows
from casework.statistics.html import CSS as REPORT_CSS
from casework.statistics.html import html as report_html
from casework.statistics.render import render as render_report
from casework.views import CaseView
from casework.words import Words
from domain import KINDS
from domain.accounts import SESSION_FOR
from domain.kind import Form, Kind
from workflows.access import ALL_BODIES, AUDITOR, MEDIATOR, SUPERVISOR, Actor, refusal
from workflows.aid import ROLES as AID_ROLES

log = logging.getLogger("casework.desk")

STATIC = Path(__file__).parent / "static"
BY_PLURAL = {k.plural: k for k in KINDS.values()}
#: Facts that name a person: shown to the roles that work on cases, never to auditors.
PERSONAL = frozenset({"petitioner", "contact", "id_number", "name"})
#: Facts a case page shows in its header or timeline rather than among the facts.
NOT_FACTS = frozenset({"number", "org", "state", "received_at", "allowed", "history"})
CAP = 200  # lines per caseload section before "n more"
#: Who sees the hardship register and the funds (names of workers in hardship, money):
#: those who work on them, their supervisors and the auditors.
MONEY_ROLES = AID_ROLES | {SUPERVISOR, AUDITOR}
PAGE = 100  # cases per page of a list, newest first


@dataclass
class Ctx:
    """One request as the desk sees it: who, in which language, with which CSRF token."""

    request: Request
    user: AccountView | None
    token: str | None
    w: Words

    @property
    def actor(self) -> Actor:
        assert self.user is not None
        return self.user.actor

    @property
    def csrf(self) -> str:
        return csrf_for(self.token) if self.token else ""

    def sees(self, org: str) -> bool:
        return self.user is not None and self.actor.works_for(org)


class NotFound(Exception):
    pass


class Desk:
    """One process's desk: a Casework on the store, the accounts, the templates."""

    def __init__(self, store: str | None = None, *, tz: str | None = None,
                 org: str | None = None, now: Callable[[], datetime] | None = None) -> None:
        thresholds = Directory.from_env()  # $CASEWORK_ACTORS: its thresholds, not its actors
        self.cw = Casework(store=store, tz=tz, org=org, now=now, actors=Directory({}))
        self.cw.project()
        self.accounts = Accounts(self.cw)
        self.book = AccountBook(self.cw, thresholds)
        self.refresh()
        self.deadlines = load.Deadlines(self.cw)
        self.env = Environment(loader=PackageLoader("casework.desk", "templates"),
                               autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True)

    def refresh(self) -> None:
        """Read the account changes since the last request; the directory follows them."""
        self.book.refresh()
        self.cw.access.directory = self.book.directory

    def close(self) -> None:
        self.cw.close()

    # ---- requests ---------------------------------------------------------------------

    def context(self, request: Request) -> Ctx:
        self.refresh()
        user = token = None
        found = parse_session(request.cookies.get(SESSION_COOKIE))
        if found is not None:
            user = self.book.session(*found)
            token = found[1] if user is not None else None
        lang = user.lang if user else request.query_params.get("lang", "zh")
        return Ctx(request, user, token, Words(lang, self.cw.clock.tz))

    def render(self, ctx: Ctx, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("path", ctx.request.url.path)
        page = self.env.get_template(template).render(
            w=ctx.w, user=ctx.user, csrf=ctx.csrf, nav=self.nav(ctx), **values)
        return HTMLResponse(page, status_code=status)

    def nav(self, ctx: Ctx) -> list[tuple[str, str]]:
        if ctx.user is None:
            return []
        items = [("/", "nav.home")]
        if self.openable(ctx):
            items.append(("/receive", "nav.receive"))
        kinds = load.kinds_for(ctx.actor.role) or list(KINDS.values())
        items.append(("/" + kinds[0].plural, "nav.cases"))
        if ctx.actor.role in MONEY_ROLES:
            items += [("/register", "nav.register"), ("/funds", "nav.funds")]
        items += [("/returns", "nav.returns"), ("/exports", "nav.exports"),
                  ("/account", "nav.account")]
        return items

    def openable(self, ctx: Ctx) -> list[Kind]:
        role = ctx.actor.role
        return [k for k in KINDS.values() if role == SUPERVISOR or role in k.roles]

    def not_found(self, ctx: Ctx) -> HTMLResponse:
        return self.render(ctx, "message.html", 404, title=ctx.w("not_found"),
                           text=ctx.w("not_found.text"), path="/")  # nothing of the request

    def bodies(self, ctx: Ctx) -> list[str]:
        """The bodies an account may pick: its own, or every body known to the store."""
        if ALL_BODIES not in ctx.actor.orgs:
            return list(ctx.actor.orgs)
        known = {o for a in self.book.accounts.values() for o in a.orgs if o != ALL_BODIES}
        self.cw.summaries.catch_up()
        known |= {r.org for r in self.cw.summaries.tables.select("funds")}
        known.add(self.cw.org)
        return sorted(known)

    def people(self, role: str, org: str) -> list[str]:
        return sorted(a.id for a in self.book.accounts.values()
                      if a.active and a.role == role and (org in a.orgs or ALL_BODIES in a.orgs))


def _scoped(method: Callable[..., Any], *args: Any, actor: str, **kwargs: Any) -> Any:
    """Call a read with `actor=` where the library's read takes one."""
    try:
        takes = "actor" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        takes = False
    return method(*args, **({"actor": actor} if takes else {}), **kwargs)


def _form_dict(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# ---- endpoints ------------------------------------------------------------------------------

Handler = Callable[..., Response]


def page(desk: Desk, fn: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A page for signed-in staff; anyone else is sent to sign in."""

    async def endpoint(request: Request) -> Response:
        ctx = await run_in_threadpool(desk.context, request)
        if ctx.user is None:
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(here)}", status_code=303)
        return await run_in_threadpool(_guarded, desk, fn, ctx)

    return endpoint


def action(desk: Desk, fn: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A state-changing request: refused with 403 without the session's CSRF token."""

    async def endpoint(request: Request) -> Response:
        form = await request.form()
        data = _form_dict(form)
        ctx = await run_in_threadpool(desk.context, request)
        if ctx.user is None or not same(data.get("csrf_token"), ctx.csrf):
            log.warning("refused %s %s: no valid CSRF token", request.method, request.url.path)
            return desk.render(ctx, "message.html", 403, title=ctx.w("forbidden"),
                               text=ctx.w("forbidden.csrf"))
        return await run_in_threadpool(_guarded, desk, fn, ctx, data)

    return endpoint


def _guarded(desk: Desk, fn: Handler, ctx: Ctx, *args: Any) -> Response:
    try:
        return fn(desk, ctx, *args)
    except NotFound:
        return desk.not_found(ctx)
    except StoreError:
        log.exception("store error on %s", ctx.request.url.path)
        return desk.render(ctx, "message.html", 503, title=ctx.w("error.store"),
                           text=ctx.w("error.store"))


def healthz(desk: Desk) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        def check() -> bool:
            try:
                desk.cw.log.recorder.max_notification_id()
            except Exception:  # the operator's probe: any failure is "not healthy"
                return False
            return True

        ok = await run_in_threadpool(check)
        return PlainTextResponse("ok" if ok else "store unavailable",
                                 status_code=200 if ok else 503)

    return endpoint


# ---- sign-in ----------------------------------------------------------------------------------


def login_page(desk: Desk) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        ctx = await run_in_threadpool(desk.context, request)
        if request.method == "GET":
            if ctx.user is not None:
                return RedirectResponse("/", status_code=303)
            return _login_form(desk, ctx, request.query_params.get("next", "/"))
        form = _form_dict(await request.form())
        if not same(form.get("csrf_token"), request.cookies.get(LOGIN_COOKIE)):
            log.warning("refused POST /login: no valid CSRF token")
            return desk.render(ctx, "message.html", 403, title=ctx.w("forbidden"),
                               text=ctx.w("forbidden.csrf"))
        username = form.get("username", "").strip()
        source = request.client.host if request.client else "?"
        try:
            token = await run_in_threadpool(desk.accounts.sign_in, username,
                                            form.get("password", ""), source=source)
        except SignInRefused as e:
            return _login_form(desk, ctx, form.get("next", "/"), f"login.{e.reason}",
                               username, status=429 if e.reason == "locked" else 401)
        response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
        response.set_cookie(SESSION_COOKIE, session_cookie(username, token),
                            max_age=int(SESSION_FOR.total_seconds()), httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    return endpoint


def _login_form(desk: Desk, ctx: Ctx, target: str, error: str = "", username: str = "",
                status: int = 200) -> Response:
    token = ctx.request.cookies.get(LOGIN_COOKIE) or new_token()
    response = desk.render(ctx, "login.html", status, login_token=token,
                           next=_safe_next(target), error=ctx.w(error) if error else "",
                           username=username, lang=ctx.w.lang)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=ctx.request.url.scheme == "https")
    return response


def logout(desk: Desk, ctx: Ctx, form: dict[str, str]) -> Response:
    assert ctx.user is not None and ctx.token is not None
    desk.accounts.sign_out(ctx.user.id, ctx.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---- my caseload ------------------------------------------------------------------------------


def home(desk: Desk, ctx: Ctx) -> Response:
    actor, w = ctx.actor, ctx.w
    today = load.today_in(desk.cw.clock.tz, desk.cw.clock.now())
    if actor.role == AUDITOR:
        return desk.render(ctx, "home.html", title=w("nav.home"), auditor=True, today=today,
                           who=None)
    items = load.lines(desk.cw, desk.deadlines, actor, today)
    who = ctx.request.query_params.get("who")
    if actor.role == SUPERVISOR and who is None:
        groups = load.by_assignee(items)
        return desk.render(ctx, "home.html", title=w("nav.home"), groups=groups, today=today,
                           cap=20, who=None)
    if who is not None and actor.role == SUPERVISOR:
        chosen = [x for x in items if (x.assignee or "") == who]
    else:
        chosen = [x for x in items if load.mine(actor, x)]
    return desk.render(ctx, "home.html", title=w("nav.home"), mine=load.caseload(chosen),
                       who=who, today=today, cap=CAP)


# ---- cases ------------------------------------------------------------------------------------


def _kind(ctx: Ctx) -> Kind:
    plural = ctx.request.url.path.strip("/").split("/")[0]
    return BY_PLURAL[plural]


def _visible(desk: Desk, ctx: Ctx, kind: Kind, number: str) -> CaseView:
    try:
        view: CaseView = _scoped(desk.cw.kinds[kind.plural].get, number, actor=ctx.actor.id)
    except (CaseNotFound, PermissionDenied, InvalidInput):
        raise NotFound from None
    if not ctx.sees(view.org):
        raise NotFound
    return view


def _move_form(kind: Kind, move: str) -> Form:
    form = kind.moves[move]
    if move in kind.spawns:
        spawn = kind.spawns[move]
        form = spawn.form(KINDS[spawn.kind].opening)
    return form


def _inputs(desk: Desk, ctx: Ctx, kind: Kind, form: Form, org: str) -> list[forms.Input]:
    inputs = forms.from_model(form.model, ctx.w, kind.name)
    for i in inputs:
        if i.name == "mediator":
            i.suggestions = desk.people(MEDIATOR, org)
        elif i.name == "fund":
            i.suggestions = [r.code for r in desk.cw.summaries.tables.select(
                "funds", "WHERE org = ?", [org])]
    return [*inputs, forms.when(ctx.w)]


@dataclass
class MoveForm:
    move: str
    label: str
    doc: str
    inputs: list[forms.Input]
    errors: list[str]
    open: bool = False


def case_page(desk: Desk, ctx: Ctx, failed: MoveForm | None = None,
              status: int = 200) -> Response:
    kind = _kind(ctx)
    number = ctx.request.path_params["number"]
    view = _visible(desk, ctx, kind, number)
    w = ctx.w
    moves, refused_all = [], bool(view.allowed)
    for move in view.allowed:
        if refusal(ctx.actor, kind.roles, kind.name, move, view.org) is not None:
            continue
        refused_all = False
        if failed is not None and failed.move == move:
            moves.append(failed)
            continue
        moves.append(MoveForm(move, w.move(kind.name, move), kind.moves[move].doc,
                              _inputs(desk, ctx, kind, _move_form(kind, move), view.org), []))
    stray = failed.errors if failed is not None and failed not in moves else []
    done = ctx.request.query_params.get("done")
    flash = w("done", what=w.move(kind.name, done)) if done in kind.moves else ""
    opened = ctx.request.query_params.get("opened")
    opened_url = None
    if done is not None and done in kind.spawns and opened and re.fullmatch(r"[\w\-]+", opened):
        opened_url = f"/{KINDS[kind.spawns[done].kind].plural}/{opened}"
    return desk.render(
        ctx, "case.html", status, title=f"{w(f'kind.{kind.name}')} {view.number}", kind=kind,
        view=view, facts=_facts(ctx, kind, view), state=w.state(kind.name, view.state),
        timeline=[(w.datetime(s.at), s.actor, w.move(kind.name, s.type)) for s in view.history],
        moves=moves, refused_all=refused_all, flash=flash,
        deadline=_deadline(desk, ctx, kind, view),
        opened=opened if opened_url else None, opened_url=opened_url, stray=stray)


def _deadline(desk: Desk, ctx: Ctx, kind: Kind, view: CaseView) -> dict[str, str] | None:
    d = load.view_deadline(view)
    if d.rule == "deadline.none" and d.day is None:
        return None
    w = ctx.w
    rule = w(d.rule) if d.rule.startswith("deadline.") else d.rule
    if d.day is None:
        return {"day": w(d.starts) if d.starts else "—", "rule": rule, "note": ""}
    final = view.state in kind.lifecycle.final_states
    days = (d.day - load.today_in(desk.cw.clock.tz, desk.cw.clock.now())).days
    note = "" if final else (w("days_over", n=-days) if days < 0 else
                             w("due_today") if days == 0 else w("days_left", n=days))
    return {"day": w.date(d.day), "rule": rule, "note": note,
            "over": "over" if days < 0 and not final else ""}


def _facts(ctx: Ctx, kind: Kind, view: CaseView) -> list[tuple[str, str]]:
    w = ctx.w
    names = [*kind.intake.model_fields, *type(view).model_fields, *(view.model_extra or {})]
    hidden = ctx.actor.role == AUDITOR
    out = []
    for name in dict.fromkeys(names):
        if name in NOT_FACTS or name in ("org",):
            continue
        value = getattr(view, name, None)
        if name in PERSONAL and hidden:
            out.append((w.field(name, kind=kind.name), w("personal.hidden")))
            continue
        out.append((w.field(name, kind=kind.name), show(w, name, value, kind.name)))
    return out


def show(w: Words, name: str, value: Any, kind: str = "") -> str:
    """A fact as an office writes it: money in yuan, dates in full, choices in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return w("yes") if value else w("no")
    if isinstance(value, Decimal):
        return w.money(value)
    if isinstance(value, datetime):
        return w.datetime(value)
    if isinstance(value, date):
        return w.date(value)
    if isinstance(value, dict):
        return ";".join(f"{w.field(k, kind=kind)}:{show(w, k, v, kind)}"
                        for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list | tuple):
        return "、".join(show(w, name, v, kind) for v in value) or "—"
    if isinstance(value, str) and name in ("category", "channel", "to", "escalated_to",
                                           "referred_to", "kind", "risk", "reason",
                                           "exit_reason"):
        return w.choice(value, field=name)
    return str(value)


def make_move(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    kind = _kind(ctx)
    number, move = ctx.request.path_params["number"], ctx.request.path_params["move"]
    view = _visible(desk, ctx, kind, number)
    if move not in kind.moves:
        raise NotFound
    w = ctx.w
    form = _move_form(kind, move)
    inputs = _inputs(desk, ctx, kind, form, view.org)
    values = forms.read(inputs, data)
    at = values.pop("at", None)
    errors = forms.model_errors(form.model, values, w)
    problems: list[str] = []
    opened = None
    if not errors:
        try:
            opened = desk.cw.kinds[kind.plural].move(move, number, actor=ctx.actor.id, at=at,
                                                     **values)
        except InvalidInput as e:
            errors = forms.refusal_errors(e, w)
        except CaseworkError as e:
            problems.append(_refusal(w, e))
    if errors or problems:
        problems += list(forms.attach(inputs, errors).values())
        failed = MoveForm(move, w.move(kind.name, move), kind.moves[move].doc, inputs,
                          [w("errors.form"), *problems] if errors else problems, open=True)
        return case_page(desk, ctx, failed, status=400)
    target = f"/{kind.plural}/{number}?done={move}"
    if opened:
        target += f"&opened={opened}"
    return RedirectResponse(target, status_code=303)


def _refusal(w: Words, e: CaseworkError) -> str:
    if isinstance(e, PermissionDenied):
        return w("error.permission")
    if isinstance(e, InvalidTransition):
        return w("error.transition")
    if isinstance(e, ConcurrentUpdate):
        return w("error.concurrent")
    if isinstance(e, InsufficientFunds):
        return w("error.funds", fund=e.fund, on=w.date(e.on), short=w.money(e.short))
    if isinstance(e, AlreadyExists):
        return w("error.exists")
    if isinstance(e, CaseNotFound):
        return w("error.not_found", what=e.key)
    if isinstance(e, StoreError):
        return w("error.store")
    return str(e)


def receive_index(desk: Desk, ctx: Ctx) -> Response:
    return desk.render(ctx, "receive.html", title=ctx.w("receive.title"),
                       kinds=desk.openable(ctx))


def _org_input(desk: Desk, ctx: Ctx) -> forms.Input:
    bodies = desk.bodies(ctx)
    return forms.Input(name="org", label=ctx.w.field("org"), widget="select", required=True,
                       choices=[(b, b) for b in bodies],
                       value=bodies[0] if len(bodies) == 1 else "")


def receive_form(desk: Desk, ctx: Ctx, data: dict[str, str] | None = None) -> Response:
    kind = _kind(ctx)
    if kind not in desk.openable(ctx):
        raise NotFound
    w = ctx.w
    org = _org_input(desk, ctx)
    inputs = [org, *forms.from_model(kind.opening.model, w, kind.name), forms.when(w)]
    for i in inputs:
        if i.name == "officer":
            i.suggestions = [p for b in desk.bodies(ctx)
                             for p in desk.people("warning_officer", b)]
    problems: list[str] = []
    if data is not None:
        values = forms.read(inputs, data)
        at, body = values.pop("at", None), values.pop("org", None)
        errors = forms.model_errors(kind.opening.model, values, w)
        if body not in desk.bodies(ctx):
            errors["org"] = w("choose")
        if not errors:
            try:
                number = desk.cw.kinds[kind.plural].open(org=body, actor=ctx.actor.id, at=at,
                                                         **values)
            except InvalidInput as e:
                errors = forms.refusal_errors(e, w)
            except CaseworkError as e:
                problems.append(_refusal(w, e))
            else:
                return RedirectResponse(f"/{kind.plural}/{number}?done=", status_code=303)
        problems += list(forms.attach(inputs, errors).values())
        if errors:
            problems.insert(0, w("errors.form"))
    return desk.render(ctx, "receive_form.html", 400 if problems else 200,
                       title=f"{w('receive.title')}:{w(f'kind.{kind.name}')}", kind=kind,
                       inputs=inputs, problems=problems, doc=kind.opening.doc)


def receive_post(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    return receive_form(desk, ctx, data)


def case_list(desk: Desk, ctx: Ctx) -> Response:
    kind = _kind(ctx)
    q = ctx.request.query_params
    state = q.get("state") or None
    if state is not None and state not in kind.lifecycle.states:
        state = None
    org = q.get("org") or None
    bodies = desk.bodies(ctx)
    orgs = [org] if org in bodies else (None if ALL_BODIES in ctx.actor.orgs else bodies)
    lines = _lines(desk, ctx, kind, state, orgs)
    pages = max(1, -(-len(lines) // PAGE))
    try:
        at = min(max(1, int(q.get("page", "1"))), pages)
    except ValueError:
        at = 1
    newest = lines[::-1][(at - 1) * PAGE:at * PAGE]
    query = {k: v for k, v in (("state", state), ("org", org)) if v}
    link = {n: f"/{kind.plural}?" + urlencode({**query, "page": n}) for n in (at - 1, at + 1)
            if 1 <= n <= pages}
    return desk.render(ctx, "list.html", title=ctx.w(f"kinds.{kind.name}"), kind=kind,
                       lines=newest, count=len(lines), state=state, org=org, bodies=bodies,
                       columns=list(kind.columns), kinds=list(KINDS.values()),
                       show=show, page=at, pages=pages, prev=link.get(at - 1),
                       next=link.get(at + 1))


def _lines(desk: Desk, ctx: Ctx, kind: Kind, state: str | None,
           orgs: Iterable[str] | None) -> list[Any]:
    queries = desk.cw.kinds[kind.plural]
    if orgs is None:
        return list(_scoped(queries.list, actor=ctx.actor.id, state=state))
    out = []
    for o in orgs:
        out += _scoped(queries.list, actor=ctx.actor.id, state=state, org=o)
    out.sort(key=lambda x: (x.received_at, x.number))
    return out


# ---- register and funds -----------------------------------------------------------------------


def _service_inputs(ctx: Ctx, call: Callable[..., Any], kind: str = "") -> list[forms.Input]:
    return forms.from_signature(call, ctx.w, kind)


def _run(ctx: Ctx, inputs: list[forms.Input], data: Mapping[str, str],
         call: Callable[..., Any], **fixed: Any) -> tuple[Any, list[str]]:
    """Read a service form and run it; (result, problems) with errors beside the fields."""
    w = ctx.w
    values = forms.read(inputs, data)
    at = values.pop("at", None)
    if "at" in inspect.signature(call).parameters:
        fixed["at"] = at
    try:
        return call(**values, **fixed, actor=ctx.actor.id), []
    except InvalidInput as e:
        rest = forms.attach(inputs, forms.refusal_errors(e, w))
        return None, [w("errors.form"), *rest.values()]
    except CaseworkError as e:
        return None, [_refusal(w, e)]


def register_page(desk: Desk, ctx: Ctx, failed: dict[str, Any] | None = None) -> Response:
    _money_role(ctx)
    desk.cw.summaries.catch_up()
    bodies = desk.bodies(ctx)
    rows = [r for r in desk.cw.summaries.tables.select("workers", "ORDER BY worker")
            if ctx.sees(r.org)]
    enrol = (failed or {}).get("inputs") or _enrol_inputs(desk, ctx)
    may = _may_change(ctx, AID_ROLES, "worker", bodies)
    return desk.render(ctx, "register.html", 400 if failed else 200,
                       title=ctx.w("register.title"), rows=rows[:1000], count=len(rows),
                       enrol=enrol, problems=(failed or {}).get("problems", []), may=may)


def _enrol_inputs(desk: Desk, ctx: Ctx) -> list[forms.Input]:
    """The enrolment form: the body, the entry's fields (not an import's source), when."""
    return [_org_input(desk, ctx),
            *(i for i in _service_inputs(ctx, desk.cw.register.enrol, "worker")
              if i.name != "source"), forms.when(ctx.w)]


def _money_role(ctx: Ctx) -> None:
    if ctx.actor.role not in MONEY_ROLES:
        raise NotFound


def _may_change(ctx: Ctx, roles: frozenset[str], kind: str, bodies: list[str]) -> bool:
    return any(refusal(ctx.actor, roles, kind, "change", b) is None for b in bodies)


def register_enrol(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    _money_role(ctx)
    inputs = _enrol_inputs(desk, ctx)
    org = data.get("org", "")
    if org not in desk.bodies(ctx):
        raise NotFound
    data = {k: v for k, v in data.items() if k != "org"}
    result, problems = _run(ctx, inputs[1:], data, desk.cw.register.enrol, org=org)
    if problems:
        return register_page(desk, ctx, {"inputs": inputs, "problems": problems})
    return RedirectResponse(f"/register/{quote(result)}", status_code=303)


def worker_page(desk: Desk, ctx: Ctx, failed: dict[str, Any] | None = None) -> Response:
    _money_role(ctx)
    worker = ctx.request.path_params["worker"]
    try:
        view = _scoped(desk.cw.register.get, worker, actor=ctx.actor.id)
    except (CaseNotFound, PermissionDenied, InvalidInput):
        raise NotFound from None
    if not ctx.sees(view.org):
        raise NotFound
    w = ctx.w
    hidden = ctx.actor.role == AUDITOR
    facts = [(w.field(n, kind="worker"), w("personal.hidden") if n in PERSONAL and hidden
              else show(w, n, getattr(view, n), "worker"))
             for n in type(view).model_fields if n not in ("history", "worker", "org")]
    actions = {}
    if view.active and _may_change(ctx, AID_ROLES, "worker", [view.org]):
        for name in ("review", "exit"):
            call = getattr(desk.cw.register, name)
            inputs = _service_inputs(ctx, call, "exit" if name == "exit" else "worker")
            inputs = [i for i in inputs if i.name != "worker"] + [forms.when(w)]
            if failed and failed["move"] == name:
                inputs = failed["inputs"]
            actions[name] = inputs
    return desk.render(ctx, "worker.html", 400 if failed else 200,
                       title=f"{w('register.title')} {view.worker}", view=view, facts=facts,
                       timeline=[(w.datetime(s.at), s.actor, w.move("worker", s.type))
                                 for s in view.history],
                       actions=actions, problems=(failed or {}).get("problems", []),
                       failed=(failed or {}).get("move"))


def worker_move(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    _money_role(ctx)
    worker, move = ctx.request.path_params["worker"], ctx.request.path_params["move"]
    if move not in ("review", "exit"):
        raise NotFound
    try:
        view = desk.cw.register.get(worker, actor=ctx.actor.id)
    except (CaseNotFound, InvalidInput):
        raise NotFound from None
    if not ctx.sees(view.org):
        raise NotFound
    call = getattr(desk.cw.register, move)
    inputs = [i for i in _service_inputs(ctx, call, "exit" if move == "exit" else "worker")
              if i.name != "worker"] + [forms.when(ctx.w)]
    _, problems = _run(ctx, inputs, data, call, worker=worker)
    if problems:
        return worker_page(desk, ctx, {"move": move, "inputs": inputs, "problems": problems})
    return RedirectResponse(f"/register/{quote(worker)}", status_code=303)


def funds_page(desk: Desk, ctx: Ctx, failed: dict[str, Any] | None = None) -> Response:
    _money_role(ctx)
    desk.cw.summaries.catch_up()
    funds = [desk.cw.funds.get(r.code, actor=ctx.actor.id) for r in
             desk.cw.summaries.tables.select("funds", "ORDER BY code") if ctx.sees(r.org)]
    bodies = desk.bodies(ctx)
    may = _may_change(ctx, AID_ROLES, "fund", bodies)
    w = ctx.w
    blank: dict[str, list[forms.Input]] = {
        "open": [_org_input(desk, ctx), *_service_inputs(ctx, desk.cw.funds.open, "fund"),
                 forms.when(w)],
        "pay_quarter": [_org_input(desk, ctx), *_service_inputs(
            ctx, desk.cw.aid.pay_quarter, "fund"), forms.when(w)],
        "run_campaign": [*_service_inputs(ctx, desk.cw.aid.run_campaign, "campaign"),
                         forms.when(w)],
    }
    if failed:
        blank[failed["move"]] = failed["inputs"]
    return desk.render(ctx, "funds.html", 400 if failed else 200, title=w("funds.title"),
                       funds=funds, forms=blank if may else {}, failed=(failed or {}).get("move"),
                       problems=(failed or {}).get("problems", []),
                       paid=(failed or {}).get("paid"))


def funds_action(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    _money_role(ctx)
    move = ctx.request.path_params["move"]
    w = ctx.w
    calls: dict[str, tuple[Callable[..., Any], str, bool]] = {
        "open": (desk.cw.funds.open, "fund", True),
        "pay_quarter": (desk.cw.aid.pay_quarter, "fund", True),
        "run_campaign": (desk.cw.aid.run_campaign, "campaign", False),
    }
    if move not in calls:
        raise NotFound
    call, kind, with_org = calls[move]
    inputs = [*_service_inputs(ctx, call, kind), forms.when(w)]
    fixed: dict[str, Any] = {}
    if with_org:
        org = data.get("org", "")
        if org not in desk.bodies(ctx):
            raise NotFound
        fixed["org"] = org
        inputs = [_org_input(desk, ctx), *inputs]
        inputs[0].value = org
    result, problems = _run(ctx, inputs[1:] if with_org else inputs, data, call, **fixed)
    if problems:
        return funds_page(desk, ctx, {"move": move, "inputs": inputs, "problems": problems})
    if move == "open":
        return RedirectResponse(f"/funds/{quote(result)}", status_code=303)
    return funds_page(desk, ctx, {"move": move, "inputs": inputs, "problems": [], "paid": w(
        "funds.paid", n=len(result.paid), total=w.money(result.total))})


def _fund(desk: Desk, ctx: Ctx) -> Any:
    _money_role(ctx)
    code = ctx.request.path_params["code"]
    desk.cw.summaries.catch_up()
    try:
        view = desk.cw.funds.get(code, actor=ctx.actor.id)
    except (CaseNotFound, InvalidInput):
        raise NotFound from None
    if not ctx.sees(view.org):
        raise NotFound
    return view


def fund_page(desk: Desk, ctx: Ctx, failed: dict[str, Any] | None = None) -> Response:
    view = _fund(desk, ctx)
    moves = desk.cw.summaries.tables.select(  # in business-time order: backlogs typed up late
        "fund_moves", "WHERE fund = ? ORDER BY at DESC, seq DESC", [view.code])
    w = ctx.w
    contribute = None
    if _may_change(ctx, AID_ROLES, "fund", [view.org]):
        contribute = (failed or {}).get("inputs") or [
            i for i in _service_inputs(ctx, desk.cw.funds.contribute, "fund")
            if i.name != "code"] + [forms.when(w)]
    return desk.render(ctx, "fund.html", 400 if failed else 200,
                       title=f"{w('funds.title')} {view.code}", view=view,
                       ledger=[(w.datetime(datetime.fromisoformat(m.at)),
                                w.first(f"purpose.{m.purpose}", default=m.purpose),
                                w.money(m.amount)) for m in moves[:1000]],
                       contribute=contribute, problems=(failed or {}).get("problems", []))


def fund_contribute(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    view = _fund(desk, ctx)
    inputs = [i for i in _service_inputs(ctx, desk.cw.funds.contribute, "fund")
              if i.name != "code"] + [forms.when(ctx.w)]
    _, problems = _run(ctx, inputs, data, desk.cw.funds.contribute, code=view.code)
    if problems:
        return fund_page(desk, ctx, {"inputs": inputs, "problems": problems})
    return RedirectResponse(f"/funds/{quote(view.code)}", status_code=303)


def fund_ledger_csv(desk: Desk, ctx: Ctx) -> Response:
    view = _fund(desk, ctx)
    moves = desk.cw.summaries.tables.select("fund_moves", "WHERE fund = ? ORDER BY at, seq",
                                            [view.code])
    return _csv(f"fund-{view.code}.csv", ["at", "purpose", "amount", "org"],
                [[m.at, m.purpose, m.amount, m.org] for m in moves])


# ---- returns and exports ----------------------------------------------------------------------


def _period(desk: Desk, ctx: Ctx) -> tuple[str, date, date, str | None, list[str]]:
    """The period and body a returns request asks for, limited to the account's bodies."""
    q = ctx.request.query_params
    today = load.today_in(desk.cw.clock.tz, desk.cw.clock.now())
    name = q.get("period") or f"{today.year}H{1 if today.month <= 6 else 2}"
    try:
        start, end = period(name)
    except InvalidInput:
        name = f"{today.year}H{1 if today.month <= 6 else 2}"
        start, end = period(name)
    bodies = desk.bodies(ctx)
    org = q.get("org") or None
    if org not in bodies:
        org = None if ALL_BODIES in ctx.actor.orgs else bodies[0]
    return name, start, end, org, bodies


def returns_page(desk: Desk, ctx: Ctx) -> Response:
    name, start, end, org, bodies = _period(desk, ctx)
    w = ctx.w
    query = {"period": name, **({"org": org} if org else {})}
    try:
        report = _scoped(desk.cw.report, start, end, actor=ctx.actor.id, org=org)
    except InvalidInput:  # a body with nothing recorded yet: say so, not a page of zeros
        return desk.render(ctx, "returns.html", title=w("returns.title"),
                           report_body=f"<p>{escape(w('returns.nothing'))}</p>", period=name,
                           org=org, bodies=bodies, drill=[], csv_query=urlencode(query),
                           all_bodies=ALL_BODIES in ctx.actor.orgs)
    lang = "zh-Hans" if w.lang == "zh" else "en"
    page = report_html(report, lang)
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return desk.render(ctx, "returns.html", title=w("returns.title"), report_body=body,
                       period=name, org=org, bodies=bodies,
                       drill=_drill_links(report, lang, query),
                       csv_query=urlencode(query), all_bodies=ALL_BODIES in ctx.actor.orgs)


def _drill_links(report: Report, lang: str, query: dict[str, str]) -> list[dict[str, Any]]:
    """Every figure of the return, each that `explain` can list linked to its cases."""
    out = []
    for row in report_rows(report, lang):
        href = None
        if row.key in EXPLAINABLE and row.value:
            href = "/returns/cases?" + urlencode({**query, "figure": row.key})
        out.append({"section": row.section_label, "label": row.label, "value": row.shown,
                    "href": href})
    return out


def drill_cases(desk: Desk, ctx: Ctx) -> Response:
    """The cases behind one figure of the return: the report's own `explain`, so the
    cases listed add up to the figure."""
    name, start, end, org, _ = _period(desk, ctx)
    figure = ctx.request.query_params.get("figure", "")
    kind = BY_PLURAL.get(figure.partition(".")[0])
    if kind is None or figure not in EXPLAINABLE:
        raise NotFound
    if org is None and ALL_BODIES not in ctx.actor.orgs:
        raise NotFound
    w = ctx.w
    explained = _scoped(desk.cw.explain, figure, start, end, org=org, actor=ctx.actor.id)
    return desk.render(ctx, "drill.html", title=w("returns.title"), kind=kind,
                       rows=explained.numerator, figure=figure, period=name, org=org,
                       state_of=lambda r: w.state(kind.name, r.state), show=show,
                       received=lambda r: w.date(r.received))


def exports_page(desk: Desk, ctx: Ctx) -> Response:
    name, _, _, org, bodies = _period(desk, ctx)
    return desk.render(ctx, "exports.html", title=ctx.w("exports.title"),
                       kinds=list(KINDS.values()), period=name, org=org, bodies=bodies)


def export_cases(desk: Desk, ctx: Ctx) -> Response:
    plural = ctx.request.path_params["plural"]
    kind = BY_PLURAL.get(plural)
    if kind is None:
        raise NotFound
    orgs = None if ALL_BODIES in ctx.actor.orgs else desk.bodies(ctx)
    lines = _lines(desk, ctx, kind, None, orgs)
    columns = ["number", "org", "state", "received_at", *kind.columns]
    return _csv(f"{plural}.csv", columns,
                [[_plain(getattr(x, c, None)) for c in columns] for x in lines])


def export_returns(desk: Desk, ctx: Ctx) -> Response:
    name, start, end, org, _ = _period(desk, ctx)
    lang = "zh-Hans" if ctx.w.lang == "zh" else "en"
    try:
        report = _scoped(desk.cw.report, start, end, actor=ctx.actor.id, org=org)
        text = render_report(report, "csv", lang)  # UTF-8 with its byte-order mark already
    except InvalidInput:  # nothing recorded for the body yet: the header, and no figures
        text = "\ufeff" + ",".join(report_headers(lang)) + "\n"
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="returns-{name}.csv"'})


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _csv(filename: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(header)
    for r in rows:
        out.writerow(["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c
                      for c in r])
    # A BOM, so that Excel on a Chinese Windows reads UTF-8.
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def report_css(request: Request) -> Response:
    """The report's own stylesheet, its page-wide rules kept to the report's part of the
    page."""
    css = REPORT_CSS.replace("body{", ".report{").replace("h1{", ".report h1{")
    css = css.replace("h2{", ".report h2{").replace("\nfigure{", "\n.report figure{")
    css = css.replace('font-family:system-ui,"Noto Sans CJK TC","Noto Sans",sans-serif;margin:2em;',
                      "margin:0;")  # the desk's own fonts (Simplified) and margins
    return Response(css, media_type="text/css; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


# ---- my account ------------------------------------------------------------------------------


def account_page(desk: Desk, ctx: Ctx, problems: list[str] | None = None,
                 status: int = 200) -> Response:
    assert ctx.user is not None
    w = ctx.w
    history = [(w.datetime(at), who, w.move("account", what))
               for what, at, who in ctx.user.history]
    return desk.render(ctx, "account.html", status, title=w("account.title"),
                       account=ctx.user, history=history, problems=problems or [])


def account_password(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    assert ctx.user is not None
    w = ctx.w
    if not desk.accounts.verify(ctx.user.id, data.get("current", "")):
        return account_page(desk, ctx, [w("login.wrong")], 400)
    try:
        desk.accounts.change_password(ctx.user.id, password=data.get("new", ""),
                                      actor=ctx.user.id)
    except InvalidInput:
        return account_page(desk, ctx, [w("account.new")], 400)
    response = desk.render(ctx, "message.html", title=w("account.title"),
                           text=w("account.changed"), link=("/login", w("login")))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def account_language(desk: Desk, ctx: Ctx, data: dict[str, str]) -> Response:
    assert ctx.user is not None
    lang = data.get("lang", "zh")
    if lang in ("zh", "en"):
        desk.accounts.choose_language(ctx.user.id, lang)
    return RedirectResponse(_safe_next(data.get("next")), status_code=303)


# ---- the application -------------------------------------------------------------------------


def routes(desk: Desk) -> list[BaseRoute]:
    def get(path: str, fn: Handler) -> Route:
        return Route(path, page(desk, fn), methods=["GET"])

    def post(path: str, fn: Handler) -> Route:
        return Route(path, action(desk, fn), methods=["POST"])

    out: list[BaseRoute] = [
        Route("/healthz", healthz(desk), methods=["GET"]),
        Route("/login", login_page(desk), methods=["GET", "POST"]),
        Route("/report.css", report_css, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        post("/logout", logout),
        get("/", home),
        get("/receive", receive_index),
        get("/register", register_page),
        post("/register", register_enrol),
        get("/register/{worker}", worker_page),
        post("/register/{worker}/{move}", worker_move),
        get("/funds", funds_page),
        post("/funds/do/{move}", funds_action),
        get("/funds/{code}", fund_page),
        get("/funds/{code}/ledger.csv", fund_ledger_csv),
        post("/funds/{code}/contribute", fund_contribute),
        get("/returns", returns_page),
        get("/returns/cases", drill_cases),
        get("/returns.csv", export_returns),
        get("/exports", exports_page),
        get("/exports/{plural}.csv", export_cases),
        get("/account", account_page),
        post("/account/password", account_password),
        post("/account/language", account_language),
    ]
    for kind in KINDS.values():
        p = kind.plural
        out += [get(f"/{p}", case_list), get(f"/{p}/new", receive_form),
                post(f"/{p}/new", receive_post), get(f"/{p}/{{number}}", case_page),
                post(f"/{p}/{{number}}/{{move}}", make_move)]
    return out


def create_app(store: str | None = None, *, tz: str | None = None, org: str | None = None,
               now: Callable[[], datetime] | None = None) -> Starlette:
    """The desk as an ASGI application on `store`."""
    desk = Desk(store, tz=tz, org=org, now=now)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        desk.close()

    app = Starlette(routes=routes(desk), middleware=[Middleware(SecurityHeaders)],
                    lifespan=lifespan)
    app.state.desk = desk
    return app


__all__ = ["Desk", "create_app"]
