"""Test-suite wide fixtures.

Tests that need the real PostgreSQL and Redis use the ``postgres_url`` and ``redis_url``
fixtures. Locally they skip when a service is unreachable, so ``make test`` passes on a
laptop without them; CI sets ``REQUIRE_SERVICES=1`` so that the same tests fail instead,
and a green CI run proves they ran.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from models import User

#: The password of every user the test suites create.
PASSWORD = "pw-for-tests-123"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        address = (parts.hostname or "127.0.0.1", parts.port or default_port)
        with socket.create_connection(address, 1):
            return True
    except OSError:
        return False


def _require(url: str, default_port: int, what: str) -> str:
    if _reachable(url, default_port):
        return url
    message = f"{what} is not reachable at {url}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message + " and REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL URL to a running server (``DATABASE_URL`` or the local default)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_POSTGRES_URL
    return _require(url, 5432, "PostgreSQL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis URL to a running server (``REDIS_URL`` or the local default)."""
    return _require(os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL, 6379, "Redis")


@pytest.fixture
def make_user(transactional_db) -> Callable[..., User]:
    """A factory of users with a role, the shared ``PASSWORD`` and a display name."""
    from models import Role, User

    def make(username: str, role: str = Role.FREELANCER, **fields) -> User:
        return User.objects.create_user(
            username=username, password=PASSWORD, role=role,
            display_name=username.title(), **fields,
        )

    return make
