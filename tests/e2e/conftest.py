"""End-to-end fixtures: real daphne processes, real sockets, users who log in over HTTP.

Servers are started once per test session on a database of their own (an SQLite file for the
embedded default; a fresh PostgreSQL database and a leased Redis database for scale-out), so
the developer's ``db.sqlite3`` and parallel runs are never touched. Each test takes a fresh
``seed_demo --pairs`` pair of users (``Deployment.pair``), so tests never see each other's
messages.

When a test fails, what every server printed during it is attached to the report.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.client import Session, login
from bench.servers import (
    Daphne,
    gateway_env,
    manage,
    private_redis_database,
    sqlite_url,
    temporary_postgres_database,
)

PAIRS = 30  # fresh freelancer-k/client-k pairs available to the tests of a deployment
FRAME_TIMEOUT = 10.0  # seconds to wait for a frame that must come

_running: list[Daphne] = []  # servers alive now; a failing test's report shows their logs
_log_offsets = pytest.StashKey[dict[Path, int]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs a minute or more on purpose (CI runs it)")


@pytest.fixture(autouse=True)
def _mark_log_offsets(request: pytest.FixtureRequest) -> None:
    """Note where each server's log stands, so a failure shows only this test's part."""
    request.node.stash[_log_offsets] = {s.log_path: s.log_size() for s in _running}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        offsets = item.stash.get(_log_offsets, {})
        for server in _running:
            text = server.log_text(offsets.get(server.log_path, 0))
            report.sections.append((f"{server.name} log ({server.log_path})", text[-20_000:]))
    return report


class Deployment:
    """One or more daphne processes serving the same database and channel layer."""

    def __init__(self, servers: list[Daphne], database_url: str):
        self.servers = servers
        self.database_url = database_url
        self._pairs = itertools.count(1)

    @property
    def url(self) -> str:
        return self.servers[0].base_url

    def pair(self) -> tuple[str, str]:
        """Usernames of a ``seed_demo`` pair no other test of this deployment has used."""
        k = next(self._pairs)
        if k > PAIRS:
            raise RuntimeError(f"only {PAIRS} demo pairs are seeded; raise PAIRS")
        return f"freelancer-{k}", f"client-{k}"


@contextlib.contextmanager
def deploy(
    env: Mapping[str, str],
    processes: int,
    log_dir: Path,
    application: str = "chatgateway.asgi:application",
) -> Iterator[Deployment]:
    """Migrate and seed the database of ``env``, then serve it with ``processes`` daphnes."""
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--pairs", str(PAIRS))
    servers = [
        Daphne(env, name=f"daphne-{'AB'[i]}", log_dir=log_dir, application=application)
        for i in range(processes)
    ]
    try:
        for server in servers:
            server.start()
            _running.append(server)
        yield Deployment(servers, env["DATABASE_URL"])
    finally:
        for server in servers:
            server.stop()
            if server in _running:
                _running.remove(server)


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The embedded default: one daphne on SQLite and the in-memory channel layer."""
    directory = tmp_path_factory.mktemp("embedded")
    with deploy(gateway_env(sqlite_url(directory)), 1, directory) as deployment:
        yield deployment


@pytest.fixture(scope="session")
def scaleout(
    postgres_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """Two daphne processes on a PostgreSQL database and a Redis database of their own."""
    directory = tmp_path_factory.mktemp("scaleout")
    with (
        temporary_postgres_database(postgres_url) as database_url,
        private_redis_database(redis_url) as layer_url,
        deploy(gateway_env(database_url, layer_url), 2, directory) as deployment,
    ):
        yield deployment


class Chat:
    """A chat socket as a test drives it.

    ``received`` keeps every frame in arrival order, so a test can check the order of
    different frame types; ``expect`` waits for the next frame of a type, leaving frames
    of other types for later ``expect`` calls.
    """

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.received: list[dict[str, Any]] = []
        self._pending: list[dict[str, Any]] = []

    async def send(self, type: str, **fields: Any) -> None:
        await self.ws.send(json.dumps({"type": type, **fields}))

    async def send_message(self, text: str, client_id: str | None = None) -> str:
        """Send ``message.send``; its ``client_id``."""
        client_id = client_id or str(uuid.uuid4())
        await self.send("message.send", client_id=client_id, text=text)
        return client_id

    async def _read(self, timeout: float) -> dict[str, Any]:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.received.append(frame)
        self._pending.append(frame)
        return frame

    async def expect(
        self,
        type: str,
        timeout: float = FRAME_TIMEOUT,
        where: Callable[[dict[str, Any]], bool] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """The first not yet expected frame of ``type`` whose ``fields`` have these values
        (and for which ``where`` holds)."""

        def matches(frame: dict[str, Any]) -> bool:
            return (
                frame.get("type") == type
                and all(frame.get(k) == v for k, v in fields.items())
                and (where is None or where(frame))
            )

        async def wait() -> dict[str, Any]:
            while True:
                for frame in self._pending:
                    if matches(frame):
                        self._pending.remove(frame)
                        return frame
                await self._read(timeout)

        try:
            return await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            seen = [f if f.get("type") == "error" else f.get("type") for f in self._pending]
            raise AssertionError(
                f"no {type} frame {fields or ''} within {timeout} s; "
                f"unexpected frames waiting: {seen}"
            ) from None

    async def drain(self, quiet: float = 1.0) -> list[dict[str, Any]]:
        """Read until nothing arrives for ``quiet`` seconds; all frames not yet expected."""
        with contextlib.suppress(TimeoutError):
            while True:
                await self._read(quiet)
        pending, self._pending = self._pending, []
        return pending

    async def close_code(self, timeout: float = FRAME_TIMEOUT) -> int | None:
        """Wait for the server to close the socket; the close code it sent."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await self._read(timeout)
        return self.ws.close_code


@pytest.fixture
async def open_chat() -> AsyncIterator[Callable[..., Any]]:
    """``await open_chat(session, conversation_id, **connect_options)`` → a :class:`Chat`.

    Every socket opened is closed after the test, whatever happened.
    """
    sockets: list[ClientConnection] = []

    async def open_(session: Session, conversation_id: int, **options: Any) -> Chat:
        ws = await asyncio.wait_for(session.connect(conversation_id, **options), 20)
        sockets.append(ws)
        return Chat(ws)

    yield open_
    for ws in sockets:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 5)


@dataclass(frozen=True)
class Pair:
    """A ``seed_demo`` freelancer and client, both logged in, and their conversation."""

    freelancer: Session
    client: Session
    conversation: int


@pytest.fixture
def sign_in_pair() -> Callable[[Deployment], Awaitable[Pair]]:
    """``await sign_in_pair(deployment)``: a fresh pair logged in over HTTP on its first server."""

    async def sign_in(deployment: Deployment) -> Pair:
        freelancer_name, client_name = deployment.pair()
        freelancer, client = await asyncio.wait_for(
            asyncio.gather(
                login(deployment.url, freelancer_name), login(deployment.url, client_name)
            ),
            30,  # a login hashes the password on purpose: it takes a moment
        )
        conversations = await asyncio.wait_for(freelancer.conversations(), 10)
        for conversation in conversations:
            if client_name in {p["username"] for p in conversation["participants"]}:
                return Pair(freelancer, client, conversation["id"])
        raise AssertionError(
            f"{freelancer_name} has no conversation with {client_name}: {conversations}"
        )

    return sign_in


@pytest.fixture
def open_pair(open_chat: Callable[..., Any]) -> Callable[..., Any]:
    """``await open_pair(pair, freelancer_url=None, client_url=None)`` → (freelancer, client).

    Both sockets are open *and* in the conversation's group: each has seen the other online,
    so nothing sent from now on can race a socket still joining. ``*_url`` puts a side on
    another process of the deployment.
    """

    async def open_(
        pair: Pair, freelancer_url: str | None = None, client_url: str | None = None
    ) -> tuple[Chat, Chat]:
        freelancer = await open_chat(
            pair.freelancer.on(freelancer_url) if freelancer_url else pair.freelancer,
            pair.conversation,
        )
        client = await open_chat(
            pair.client.on(client_url) if client_url else pair.client, pair.conversation
        )
        await freelancer.expect(
            "presence", status="online", where=lambda f: f["user"]["role"] == "client"
        )
        await client.expect(
            "presence", status="online", where=lambda f: f["user"]["role"] == "freelancer"
        )
        return freelancer, client

    return open_
