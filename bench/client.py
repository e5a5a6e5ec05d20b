"""A gateway user as a browser or a script sees it.

``login`` does what a person does: GET the login page, keep the ``csrftoken`` cookie, POST the
form with the token from the page, keep the ``sessionid`` cookie. The resulting
:class:`Session` then opens the chat WebSocket with that cookie and an ``Origin`` header (as a
browser does) or fetches a ticket from ``POST /api/ws-ticket/`` (as a script does).

HTTP goes through the standard library in a worker thread: logins are few and the server's
password hashing dominates them, so an asynchronous HTTP client would buy nothing.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from websockets.asyncio.client import ClientConnection, connect

LOGIN_PATH = "/accounts/login/"
DEFAULT_PASSWORD = "demo-pass-123"


class LoginFailed(RuntimeError):
    """The server did not accept the credentials, or the login page was not what a user sees."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _CsrfFieldParser(HTMLParser):
    """Finds the hidden ``csrfmiddlewaretoken`` input of the login form."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrfmiddlewaretoken":
            self.token = fields.get("value")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it: a successful login *is* the 302."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Session:
    """One logged-in (or anonymous) user agent: a cookie jar bound to one server."""

    def __init__(
        self,
        base_url: str,
        username: str | None = None,
        jar: http.cookiejar.CookieJar | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _KeepRedirects
        )

    @property
    def origin(self) -> str:
        """The ``Origin`` a browser showing this server's pages sends."""
        return self.base_url

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def cookies(self) -> dict[str, str]:
        """The cookies to keep to resume this session later (see :meth:`resume`)."""
        return {c.name: c.value for c in self.jar}

    @classmethod
    def resume(cls, base_url: str, username: str, cookies: Mapping[str, str]) -> Session:
        """A session from saved cookies, as a browser reopened the next day has.

        The load generator keeps its users' sessions between runs: logging 1,000 users in
        costs minutes of deliberate password hashing that measures nothing about chat.
        """
        session = cls(base_url, username)
        host = urlsplit(session.base_url).hostname or ""
        for name, value in cookies.items():
            session.jar.set_cookie(
                http.cookiejar.Cookie(
                    0, name, value, None, False, host, False, False, "/", True,
                    False, None, False, None, None, {},
                )
            )  # fmt: skip
        return session

    def on(self, base_url: str) -> Session:
        """The same user talking to another process of the same deployment.

        Cookies are per host, not per port, so both sessions share one jar, as two tabs of a
        browser would.
        """
        return Session(base_url, self.username, self.jar)

    def _request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Response:
        request = urllib.request.Request(self.base_url + path, body, headers, method=method)
        try:
            with self._opener.open(request, timeout=30) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as answer:  # 3xx/4xx/5xx are answers, not failures
            with answer:
                return Response(answer.code, dict(answer.headers), answer.read())

    async def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One HTTP request with this session's cookies, updating them from the answer."""
        return await asyncio.to_thread(self._request, method, path, body, dict(headers or {}))

    async def get_json(self, path: str) -> Response:
        return await self.request("GET", path, headers={"Accept": "application/json"})

    async def post_json(self, path: str, payload: Any = None) -> Response:
        """POST as the page's own ``fetch()`` would: JSON body, CSRF header, same Origin."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Origin": self.origin,
            "Referer": self.base_url + "/",
        }
        token = self.cookie("csrftoken")
        if token:
            headers["X-CSRFToken"] = token
        body = json.dumps(payload if payload is not None else {}).encode()
        return await self.request("POST", path, body, headers)

    async def ticket(self) -> str:
        """A short-lived WebSocket ticket from ``POST /api/ws-ticket/``."""
        answer = await self.post_json("/api/ws-ticket/")
        if answer.status != 200:
            raise LoginFailed(f"ws-ticket answered {answer.status}: {answer.body[:300]!r}")
        return answer.json()["ticket"]

    async def conversations(self) -> list[dict[str, Any]]:
        """``GET /api/conversations/``: the caller's conversations."""
        answer = await self.get_json("/api/conversations/")
        if answer.status != 200:
            raise LoginFailed(f"conversations answered {answer.status}: {answer.body[:300]!r}")
        return answer.json()

    def ws_url(self, conversation_id: int | str, ticket: str | None = None) -> str:
        url = "ws" + self.base_url.removeprefix("http") + f"/ws/chat/{conversation_id}/"
        return url + (f"?ticket={ticket}" if ticket else "")

    def connect(
        self,
        conversation_id: int | str,
        *,
        ticket: str | None = None,
        origin: str | None = None,
        send_cookie: bool = True,
        **options: Any,
    ) -> connect:
        """Open the chat WebSocket of ``conversation_id`` (``async with`` or ``await`` it).

        By default as a browser: session cookie and this server's ``Origin``. ``origin``
        overrides the header; ``ticket`` adds ``?ticket=``; ``send_cookie=False`` leaves the
        cookie out, as a script using a ticket does.
        """
        headers = {"Origin": origin or self.origin}
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        if send_cookie and cookies:
            headers["Cookie"] = cookies
        options.setdefault("open_timeout", 15)
        return connect(
            self.ws_url(conversation_id, ticket), additional_headers=headers, proxy=None, **options
        )


async def login(base_url: str, username: str, password: str = DEFAULT_PASSWORD) -> Session:
    """Log ``username`` in through the login form, exactly as a person in a browser does."""
    session = Session(base_url, username)
    page = await session.request("GET", LOGIN_PATH)
    if page.status != 200:
        raise LoginFailed(f"GET {LOGIN_PATH} answered {page.status}")
    parser = _CsrfFieldParser()
    parser.feed(page.body.decode("utf-8", "replace"))
    if not parser.token or not session.cookie("csrftoken"):
        raise LoginFailed(f"GET {LOGIN_PATH} gave no CSRF token (form field and cookie)")
    form = urlencode(
        {"csrfmiddlewaretoken": parser.token, "username": username, "password": password}
    )
    answer = await session.request(
        "POST",
        LOGIN_PATH,
        form.encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": session.origin,
            "Referer": session.base_url + LOGIN_PATH,
        },
    )
    if answer.status != 302 or not session.cookie("sessionid"):
        raise LoginFailed(
            f"login of {username!r} answered {answer.status}, not a redirect with a session"
        )
    return session


__all__ = ["ClientConnection", "LoginFailed", "Response", "Session", "login"]
