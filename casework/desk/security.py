"""Cookies, CSRF tokens and the security headers every response carries."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "cw_session"
#: The sign-in form's own token (double submit): no session exists yet to tie it to.
LOGIN_COOKIE = "cw_login"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")

HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_for(session_token: str) -> str:
    """A session's CSRF token: derived from the session's secret, so it needs no storage
    and dies with the session."""
    return hmac.new(session_token.encode(), b"casework csrf", hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def session_cookie(account: str, token: str) -> str:
    return f"{account}|{token}"


def parse_session(value: str | None) -> tuple[str, str] | None:
    if not value or "|" not in value:
        return None
    account, _, token = value.rpartition("|")
    return (account, token) if account and token else None


class SecurityHeaders:
    """Adds the security headers to every response; pages that show personal data are
    never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)
