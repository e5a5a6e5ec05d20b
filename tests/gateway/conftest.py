"""Fixtures for the gateway's tests: users, a conversation, and sockets opened on the
real ASGI application (origin check, session or ticket auth, routing, consumer)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import suppress

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from chatgateway.asgi import application
from models import Conversation, ConversationKind, Participant, Role, User

ORIGIN = b"http://127.0.0.1:8000"


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice", Role.FREELANCER)


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob", Role.CLIENT)


@pytest.fixture
def mallory(make_user) -> User:
    return make_user("mallory", Role.CLIENT)


def project_between(*users: User) -> Conversation:
    """A project conversation with ``users`` as its participants."""
    conversation = Conversation.objects.create(kind=ConversationKind.PROJECT)
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=user) for user in users]
    )
    return conversation


@pytest.fixture
def conversation(alice, bob) -> Conversation:
    return project_between(alice, bob)


def session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(
    path: str, *, cookie: bytes | None = None, origin: bytes | None = ORIGIN,
    ip: str = "203.0.113.7",
) -> WebsocketCommunicator:
    headers = [(b"user-agent", b"pytest")]
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie))
    socket = WebsocketCommunicator(application, path, headers=headers)
    socket.scope["client"] = [ip, 50000]
    return socket


@pytest.fixture
async def sockets() -> AsyncIterator[list[WebsocketCommunicator]]:
    """Sockets opened by a test; all disconnected at the end so no consumer outlives it."""
    opened: list[WebsocketCommunicator] = []
    yield opened
    for socket in opened:
        await socket.disconnect()


@pytest.fixture
def connect(sockets) -> Callable:
    """``await connect(user, conversation_id)``: an accepted, admitted socket.

    It reads the ``presence`` frames sent on admission, so tests start on a quiet socket.
    """

    async def open_socket(
        user: User, conversation_id: int, *, expect_presence: int | None = None, **options
    ) -> WebsocketCommunicator:
        cookie = await database_sync_to_async(session_cookie)(user)
        socket = communicator(f"/ws/chat/{conversation_id}/", cookie=cookie, **options)
        sockets.append(socket)
        accepted, _ = await socket.connect()
        assert accepted
        if expect_presence is not None:
            for _ in range(expect_presence):
                frame = await socket.receive_json_from()
                assert frame["type"] == "presence", frame
        return socket

    return open_socket


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """The default hasher costs ~0.2 s per user on purpose; tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_redactor(settings) -> Iterator[None]:
    """Each test starts with an empty split-message window: ids repeat across test databases.

    A window in Redis (``REDIS_URL`` set) gets a key prefix of its own, deleted afterwards.
    """
    from messaging.redactor import reset_redactor

    settings.GATEWAY_WINDOW_PREFIX = f"test-{uuid.uuid4().hex[:12]}:window"
    reset_redactor()
    yield
    reset_redactor()
    if settings.REDIS_URL:
        import redis

        # A test may point REDIS_URL at a server that is down: nothing to delete there.
        with redis.Redis.from_url(settings.REDIS_URL) as client, suppress(redis.ConnectionError):
            stale = list(client.scan_iter(match=f"{settings.GATEWAY_WINDOW_PREFIX}:*"))
            if stale:
                client.delete(*stale)


@pytest.fixture(scope="session", autouse=True)
def close_consumer_connections(django_db_setup):
    """Close the database connections of the thread that ran the consumers' ORM calls.

    With persistent connections (CONN_MAX_AGE on PostgreSQL) that thread keeps its
    connection open, and the test database could not be dropped at the end of the run.
    """
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def private_layer_prefix(settings) -> None:
    """On Redis, give each test its own key prefix: group names like ``chat.1`` repeat
    across tests and across concurrent runs sharing the server."""
    layer = settings.CHANNEL_LAYERS["default"]
    if "prefix" in layer.get("CONFIG", {}):
        config = {**layer["CONFIG"], "prefix": f"test-{uuid.uuid4().hex[:12]}"}
        settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": config}}
