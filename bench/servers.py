"""Real gateway processes for end-to-end tests and benchmarks.

Everything here talks to the gateway the way production does: ``manage.py`` subprocesses to
migrate and seed, ``python -m daphne`` to serve, and the environment variables of the
settings module to configure. Nothing imports Django, so a benchmark measures the server, not
an in-process shortcut.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Settings the gateway reads from the environment. A child process must see exactly the
# configuration its caller chose, not what the developer's shell (or CI, which exports
# DATABASE_URL and REDIS_URL for the whole suite) happens to carry.
GATEWAY_VARIABLES = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")
GATEWAY_PREFIXES = ("GATEWAY_", "CHANNEL_LAYER_")  # limits, redaction switch, layer tuning


class ServerError(RuntimeError):
    """A gateway process could not be prepared or started; the message carries its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gateway_env(
    database_url: str,
    redis_url: str | None = None,
    *,
    redaction: bool = True,
    secret_key: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a production-like gateway process.

    ``DEBUG`` is off, as in production (no query log growing with every message), so the
    settings insist on a real ``SECRET_KEY``. Every process started with one environment
    shares its key, which is what lets a session cookie or ticket issued by one process be
    accepted by another; pass ``secret_key`` to keep sessions valid across runs.
    The channel layer gets a prefix of its own, so runs sharing a Redis never mix groups.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in GATEWAY_VARIABLES and not k.startswith(GATEWAY_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="chatgateway.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GATEWAY_REDACTION_ENABLED="1" if redaction else "0",
        CHANNEL_LAYER_PREFIX=f"cg-{secrets.token_hex(4)}",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra or {})
    return env


def manage(env: Mapping[str, str], *args: str, timeout: float = 600) -> str:
    """Run ``manage.py`` with ``args``; its output, or :class:`ServerError` with it."""
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"manage.py {' '.join(args)} took over {timeout:.0f} s") from exc
    if done.returncode:
        raise ServerError(
            f"manage.py {' '.join(args)} exited with {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return done.stdout


def sqlite_url(directory: Path) -> str:
    """A ``DATABASE_URL`` for an SQLite file in ``directory`` (the embedded default's engine)."""
    return f"sqlite:///{(directory / 'db.sqlite3').resolve()}"


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def create_postgres_database(server_url: str, name: str, *, replace: bool = False) -> str:
    """Create database ``name`` on the server of ``server_url`` unless it exists; its URL.

    ``replace`` drops an existing one first, for a run that must start empty.
    """
    import psycopg
    from psycopg import sql

    if replace:
        drop_postgres_database(server_url, name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _with_path(server_url, "/" + name)


def drop_postgres_database(server_url: str, name: str) -> None:
    """Drop database ``name``, even while processes are still connected to it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextlib.contextmanager
def temporary_postgres_database(server_url: str, prefix: str = "cg_e2e") -> Iterator[str]:
    """Create a database of its own on the server of ``server_url``; yield its URL; drop it.

    Parallel runs on one server never share tables, and nothing is left behind.
    """
    name = f"{prefix}_{secrets.token_hex(4)}"
    url = create_postgres_database(server_url, name)
    try:
        yield url
    finally:
        drop_postgres_database(server_url, name)


@contextlib.contextmanager
def private_redis_database(server_url: str, lease_seconds: int = 3600) -> Iterator[str]:
    """Lease a Redis database number nobody else uses; yield its URL; empty and release it.

    The channel layer's keys are named after groups such as a conversation id, and two runs
    each seeding their own database would both have conversation 1; on one Redis database
    their messages would mix. The lease is a key in database 0 set only if absent, so two
    parallel runs never pick the same number, and it expires by itself if a run is killed.
    """
    import redis

    admin = redis.Redis.from_url(_with_path(server_url, "/0"))
    databases = int(admin.config_get("databases").get("databases", 16))
    token = secrets.token_hex(8)
    candidates = list(range(1, databases))
    secrets.SystemRandom().shuffle(candidates)
    for number in candidates:
        if admin.set(f"chatgateway-test-lease:{number}", token, nx=True, ex=lease_seconds):
            break
    else:
        raise ServerError(f"every Redis database on {server_url} is leased by another run")
    url = _with_path(server_url, f"/{number}")
    try:
        redis.Redis.from_url(url).flushdb()
        yield url
    finally:
        redis.Redis.from_url(url).flushdb()
        if admin.get(f"chatgateway-test-lease:{number}") == token.encode():
            admin.delete(f"chatgateway-test-lease:{number}")
        admin.close()


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise ServerError(f"/proc/{pid}/status has no {field}")


class Daphne:
    """One ``python -m daphne`` process serving ``application`` (default: the gateway).

    Its output goes to a log file so a failing test or benchmark can show what the server
    said (``log_text``); ``stop`` always ends the process, politely first.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        name: str = "daphne",
        log_dir: Path | None = None,
        application: str = "chatgateway.asgi:application",
    ):
        self.env = dict(env)
        self.name = name
        self.application = application
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        directory = log_dir or Path(tempfile.mkdtemp(prefix="chatgateway-"))
        self.log_path = directory / f"{name}-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise ServerError(f"{self.name} is not started")
        return self.process.pid

    def start(self, ready_timeout: float = 60) -> Daphne:
        """Start the process and return once it answers HTTP requests."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    self.application,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C on the test run is for us to relay, not them
            )
        self._wait_ready(ready_timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerError(
                    f"{self.name} exited with {self.process.returncode} while starting:\n"
                    + self.log_text()
                )
            try:
                with urllib.request.urlopen(self.base_url + "/accounts/login/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # any HTTP answer means the application is loaded and serving
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.name} did not answer within {timeout:.0f} s:\n" + self.log_text())

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_text(self, since: int = 0) -> str:
        """What the server printed, from byte offset ``since``."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", "replace")

    def rss_kib(self) -> int:
        """Resident memory now, in KiB."""
        return _kib(self.pid, "VmRSS")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used so far."""
        # The command name in field 2 may hold spaces; the fields after its ")" do not.
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_kib(self) -> int:
        """Highest resident memory since the process started, in KiB."""
        return _kib(self.pid, "VmHWM")

    def __enter__(self) -> Daphne:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
