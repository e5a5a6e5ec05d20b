"""Fixtures for support: a customer or two, agents, a moderator, and a JSON API caller.

The gateway's fixtures for sockets and fast hashing are reused as they are.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from consumers import support as support_consumers
from models import Role, User
from support import services
from tests.gateway.conftest import (  # noqa: F401  (fixtures, registered by import)
    close_consumer_connections,
    connect,
    fast_password_hashing,
    fresh_redactor,
    sockets,
)


@pytest.fixture(autouse=True)
def support_settings(settings) -> None:
    settings.SUPPORT_AUTO_ASSIGN = False
    settings.SUPPORT_AGENT_CAPACITY = 3
    settings.SUPPORT_REQUEUE_GRACE = 0.0


@pytest.fixture
async def settle_timers():
    """Grace-period timers started by disconnecting consoles finish inside the test."""
    yield
    if support_consumers.pending_requeues:
        await asyncio.gather(*support_consumers.pending_requeues, return_exceptions=True)


@pytest.fixture
def uma(make_user) -> User:
    return make_user("uma", Role.CLIENT)


@pytest.fixture
def fred(make_user) -> User:
    return make_user("fred", Role.FREELANCER)


@pytest.fixture
def ann(make_user) -> User:
    return make_user("ann", Role.AGENT)


@pytest.fixture
def art(make_user) -> User:
    return make_user("art", Role.AGENT)


@pytest.fixture
def moe(make_user) -> User:
    return make_user("moe", Role.MODERATOR)


@pytest.fixture
def online(ann, art) -> tuple[User, User]:
    """Both agents online."""
    for agent in (ann, art):
        services.set_presence(agent, "online")
    return ann, art


class Api:
    """The JSON API as a signed-in browser page calls it."""

    def __call__(
        self, user: User | None, method: str, path: str, body: Any = None
    ) -> tuple[int, Any]:
        client = Client()
        if user is not None:
            client.force_login(user)
        url = "/api/support/" + path
        if method == "GET":
            response = client.get(url)
        else:
            data = body if isinstance(body, str) else json.dumps(body or {})
            response = client.generic(method, url, data, content_type="application/json")
        if response["Content-Type"].startswith("application/json"):
            return response.status_code, response.json()
        return response.status_code, response.content.decode()


@pytest.fixture
def api(transactional_db) -> Api:
    return Api()


@pytest.fixture
def opened(uma) -> Callable[..., Any]:
    """``opened(user=uma, subject=…, text=…)``: a queued chat."""

    def open_(user: User | None = None, subject: str = "Payout missing",
              text: str = "My payout from last week never arrived.") -> Any:
        return services.open_chat(user or uma, subject, text, f"first-{(user or uma).pk}")

    return open_
