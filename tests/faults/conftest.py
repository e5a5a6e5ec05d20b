"""Fault fixtures: gateways whose Redis, PostgreSQL or daphne processes a test may break.

The machine's shared PostgreSQL and Redis are never stopped: a test that restarts Redis gets a
private ``redis-server`` of its own, and a test that takes PostgreSQL away gets a TCP proxy in
front of the shared server that it can cut and restore. Every deployment here is the test's
own (function scope), because a broken one is no use to the next test.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from bench.servers import free_port, gateway_env, temporary_postgres_database
from tests.e2e.conftest import (
    Deployment,
    _mark_log_offsets,
    deploy,
    open_chat,
    open_pair,
    pytest_runtest_makereport,
    sign_in_pair,
)

# Fixtures and the server-log hook shared with tests/e2e (a failing test shows the logs).
__all__ = [
    "_mark_log_offsets", "open_chat", "open_pair", "pytest_runtest_makereport", "sign_in_pair",
]  # fmt: skip

pytestmark = pytest.mark.services


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: breaks a service under a running gateway")


class RedisServer:
    """A private ``redis-server`` that can be killed and started again on the same port."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed"
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        with (self.directory / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
            finally:
                client.close()

    def kill(self) -> None:
        """SIGKILL: what an out-of-memory kill or a crashed host does (no goodbye to clients)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class TcpProxy:
    """A TCP relay on 127.0.0.1 that a test can cut (refuse and drop) and restore.

    It runs its own event loop in a thread: the test's loop may be blocked in a
    ``manage.py`` subprocess while the gateway talks through the proxy.
    """

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.close()
            return
        self.writers |= {client_w, server_w}
        await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))
        self.writers -= {client_w, server_w}

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            writer.transport.abort()  # a reset, as when the database host goes away
        self.writers.clear()

    def restore(self) -> None:
        self._call(self._listen())

    def cut(self) -> None:
        self._call(self._cut())

    def close(self) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def url(self, database_url: str) -> str:
        """``database_url`` pointed at the proxy instead of the server."""
        parts = urlsplit(database_url)
        user = f"{parts.username}@" if parts.username else ""
        netloc = f"{user}127.0.0.1:{self.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


# Each fault deployment is small and short-lived: a heartbeat every second re-joins the
# channel-layer groups (a restarted Redis has forgotten them) well within a test's patience.
FAULT_SETTINGS = {"GATEWAY_HEARTBEAT_INTERVAL": "1"}


@pytest.fixture
def two_processes(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Deployment]:
    """Two daphnes on a PostgreSQL database of their own and the shared Redis (own prefix)."""
    with (
        temporary_postgres_database(postgres_url, prefix="cg_fault") as database_url,
        deploy(gateway_env(database_url, redis_url, extra=FAULT_SETTINGS), 2, tmp_path) as d,
    ):
        yield d


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def on_private_redis(
    postgres_url: str, private_redis: RedisServer, tmp_path: Path
) -> Iterator[Deployment]:
    """Two daphnes whose channel layer is a Redis the test may kill and restart."""
    with (
        temporary_postgres_database(postgres_url, prefix="cg_fault") as database_url,
        deploy(
            gateway_env(database_url, private_redis.url, extra=FAULT_SETTINGS), 2, tmp_path
        ) as d,
    ):
        yield d


@pytest.fixture
def postgres_proxy(postgres_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(postgres_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    proxy.restore()
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def behind_proxy(
    postgres_url: str, postgres_proxy: TcpProxy, tmp_path: Path
) -> Iterator[tuple[Deployment, str]]:
    """One daphne (embedded layer) reaching its PostgreSQL database only through the proxy;
    also the database's direct URL, for the test to inspect what was stored."""
    with (
        temporary_postgres_database(postgres_url, prefix="cg_fault") as database_url,
        deploy(
            gateway_env(postgres_proxy.url(database_url), extra=FAULT_SETTINGS), 1, tmp_path
        ) as d,
    ):
        yield d, database_url
