"""Relay load generator: many real users chatting through the gateway, and what it costs.

Each ``seed_demo --pairs`` pair (``freelancer-k`` / ``client-k``) logs in over HTTP, opens
its chat WebSocket (with ``--extra-devices``, some freelancers open a second one, as with a
phone and a laptop), and every socket sends at its share of the target rate; about 10 % of
the messages carry a contact detail, so redaction has work to do. Measured: messages acked
and relayed per second, end-to-end latency (the sender's send to each receiving socket's
frame) p50/p95/p99, errors, and the server processes' memory per 1,000 idle sockets. At the
end every acknowledged message is checked to have reached every socket of its conversation
exactly once and in ``seq`` order; what a socket missed live is asked for with ``history``,
the way a real client recovers, and counted as lost only if the server cannot produce it.

Run from the project root (see docs/benchmarks.md for recorded figures)::

    .venv/bin/python -m bench.loadgen --deploy embedded --connections 100 --rate 200
    .venv/bin/python -m bench.loadgen --deploy scaleout --connections 1000 --rate 1000
    .venv/bin/python -m bench.loadgen --url http://127.0.0.1:8000 --connections 10 --rate 5

``--deploy`` starts the gateway itself (daphne with ``DEBUG`` off; ``embedded`` = one process
on SQLite and the in-memory layer, ``scaleout`` = ``--processes`` daphnes on PostgreSQL and
Redis, each pair split across processes so every message crosses them). Its database and
the users' sessions are kept in ``bench/out/`` between runs, because logging 1,000 users in
means 1,000 deliberate password hashes, minutes that measure nothing about chat;
``--fresh`` starts over; ``--clear`` keeps the users and sessions but empties the chats
(:mod:`bench.chat_tables`), so runs start from the same state. The per-socket flood
limit is raised for deployed runs: it guards people, and the benchmark measures the relay.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from bench.client import DEFAULT_PASSWORD, LoginFailed, Session, login
from bench.servers import (
    ROOT,
    Daphne,
    ServerError,
    create_postgres_database,
    gateway_env,
    manage,
    private_redis_database,
    sqlite_url,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH_DATABASE = "cg_bench"
OPEN_ATTEMPTS = 3
# Deployed runs lift the per-socket flood limits: 100 sockets relaying 1,000 msgs/s send 10 a
# second each, which a person never does and the limit (30 in 10 s) rightly refuses.
# Likewise moderation's escalation: with 10 % contact details every bench user is a repeat
# offender within seconds, and a suspended user's sockets are closed. Violations are still
# recorded, so their cost is measured; only the suspension threshold is out of reach.
BENCH_LIMITS = {
    "GATEWAY_RATE_LIMIT_MESSAGES": "1000000",
    "GATEWAY_FRAME_RATE_LIMIT": "1000000",
    "MODERATION_SUSPEND_AT": "1000000",
}

PLAIN_TEXTS = (
    "Pushed the new build to staging, can you have a look?",
    "The invoice for the second milestone is in your inbox.",
    "Could we move the call to Thursday afternoon?",
    "Love the palette, a bit more contrast on the buttons please.",
    "Fixed the login bug, it was a time zone issue.",
    "Great work, approving the milestone now.",
    "I will send the revised wireframes tonight.",
    "Which fonts did you license for the landing page?",
)
CONTACT_TEXTS = (
    "Easier by phone: +1 415 555 {d4}",
    "Text me on WhatsApp +44 7700 900{d3}",
    "Mail me at {name}.{d3}@gmail.com and we skip the fees",
    "I am @{name}_{d3} on Telegram",
    "My portfolio is at https://{name}{d3}.example.dev/work",
)
NAMES = ("maria", "jonas", "li.wei", "sam", "priya", "tomasz")


@dataclass(frozen=True)
class Options:
    deploy: str | None
    urls: tuple[str, ...]
    processes: int
    redaction: bool
    connections: int
    extra_devices: int
    rate: float
    duration: float
    contact_share: float
    idle: float
    drain: float
    password: str
    compression: bool
    fresh: bool
    clear: bool
    seed: int
    json: bool
    out: Path
    postgres_url: str
    redis_url: str
    database: str
    server_env: tuple[tuple[str, str], ...]
    floor: bool = False

    @property
    def application(self) -> str:
        return "bench.floor:application" if self.floor else "chatgateway.asgi:application"

    @property
    def pairs(self) -> int:
        return (self.connections - self.extra_devices + 1) // 2


class Texts:
    """Message texts: ordinary chat, and ``contact_share`` of them with a contact detail."""

    def __init__(self, contact_share: float, rng: random.Random):
        self.contact_share = contact_share
        self.rng = rng

    def next(self) -> str:
        rng = self.rng
        if rng.random() < self.contact_share:
            return rng.choice(CONTACT_TEXTS).format(
                d4=f"{rng.randrange(10_000):04d}", d3=f"{rng.randrange(1_000):03d}",
                name=rng.choice(NAMES),
            )  # fmt: skip
        return rng.choice(PLAIN_TEXTS)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A ``message`` frame as a socket received it."""

    seq: int
    id: int
    client_id: str | None
    at: float


class Socket:
    """One chat WebSocket of the run: what it sent, what was acked, what it received."""

    def __init__(self, index: int, session: Session, conversation: int):
        self.index = index
        self.session = session
        self.conversation = conversation
        self.ws: ClientConnection | None = None
        self.acks: dict[str, dict[str, Any]] = {}  # client_id → message.ack frame
        self.deliveries: list[Delivery] = []  # `message` frames, in arrival order
        self.seqs: list[int] = []  # seq of every message / message.update, in arrival order
        self.errors: Counter[str] = Counter()
        self.warnings = 0
        self.close_code: int | None = None
        self.reader: asyncio.Task[None] | None = None
        self._history: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def open(self, compression: bool) -> None:
        self.ws = await asyncio.wait_for(
            self.session.connect(
                self.conversation, compression="deflate" if compression else None,
                max_queue=None,  # never stall the reader: latency is measured at arrival
            ),
            30,
        )  # fmt: skip

    async def read(self, run: Run) -> None:
        """Record every frame as it arrives until the socket closes."""
        assert self.ws is not None
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message":
                    delivery = Delivery(frame["seq"], frame["id"], frame.get("client_id"), now)
                    self.deliveries.append(delivery)
                    self.seqs.append(delivery.seq)
                    run.delivered(self, delivery)
                elif kind == "message.update":
                    self.seqs.append(frame["seq"])
                elif kind == "message.ack":
                    self.acks[frame["client_id"]] = frame
                    run.acked += 1
                elif kind == "warning":
                    self.warnings += 1
                elif kind == "error":
                    self.errors[frame.get("code", "?")] += 1
                elif kind == "history":
                    self._history.put_nowait(frame)
        self.close_code = self.ws.close_code

    async def send(self, client_id: str, text: str) -> None:
        assert self.ws is not None
        await self.ws.send(
            json.dumps({"type": "message.send", "client_id": client_id, "text": text})
        )

    async def history_ids(self, after_seq: int, timeout: float = 10) -> set[int]:
        """Ids of every message the server holds after ``after_seq``, page by page."""
        assert self.ws is not None
        ids: set[int] = set()
        while True:
            await self.ws.send(
                json.dumps({"type": "history", "after_seq": after_seq, "limit": 200})
            )
            page = await asyncio.wait_for(self._history.get(), timeout)
            for item in page["messages"]:
                if item.get("type", "message") == "message":
                    ids.add(item["id"])
                after_seq = max(after_seq, item["seq"])
            if not page["has_more"] or not page["messages"]:
                return ids


class Run:
    """Live counters of a run, shared by every socket's reader and sender."""

    def __init__(self) -> None:
        self.sent_at: dict[str, tuple[int, float]] = {}  # client_id → (sender socket, time)
        self.acked = 0
        self.relayed = 0  # deliveries to a socket other than the sender's
        self.latencies: list[float] = []  # seconds, one per relayed delivery
        self.missed_slots = 0  # sends skipped because the generator fell a second behind
        self.started = 0.0

    def delivered(self, socket: Socket, delivery: Delivery) -> None:
        sent = self.sent_at.get(delivery.client_id or "")
        if sent is not None and sent[0] != socket.index:
            self.relayed += 1
            self.latencies.append(delivery.at - sent[1])


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0–1) of ``values`` by nearest rank; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


@dataclass(frozen=True)
class Verification:
    """Did every acknowledged message reach every socket of its conversation exactly once?"""

    acked_messages: int
    expected_deliveries: int
    duplicates: int
    out_of_order: int
    missing_live: int
    recovered_by_history: int
    history_unanswered: int  # sockets whose history request timed out: their misses unproven
    closed_by_server: dict[str, int]  # close code → sockets the server closed during the run
    undelivered_to_closed: int  # missed by sockets the server had closed
    lost: int  # missed live by an open socket and not recovered (includes the unproven ones)
    unacked_sends: int

    @property
    def ok(self) -> bool:
        return not (
            self.duplicates or self.out_of_order or self.lost or self.unacked_sends
            or self.closed_by_server
        )  # fmt: skip


@dataclass(frozen=True)
class Memory:
    """Resident memory of the server processes (KiB), summed over processes."""

    before_sockets_kib: int  # with the first tenth of the sockets open (warm-up)
    idle_sockets_kib: int  # with all of them open and idle
    peak_kib: int
    sockets: int  # opened between the two readings

    @property
    def kib_per_socket(self) -> float:
        return (self.idle_sockets_kib - self.before_sockets_kib) / max(1, self.sockets)


@dataclass(frozen=True)
class Report:
    deployment: str
    processes: int
    redaction: bool | None
    connections: int
    opened: int
    target_rate: float
    duration_s: float
    sent: int
    acked: int
    relayed: int
    sent_per_s: float
    relayed_per_s: float
    latency_ms: dict[str, float | None]
    errors: dict[str, int]
    warnings: int
    missed_slots: int
    server_cpu_ms_per_message: float | None  # all server processes, sending and draining
    # This generator's own CPU: it shares the machine with the servers it measures.
    client_cpu_ms_per_message: float | None
    # Every process of the machine (servers, generator, PostgreSQL, Redis, and anything
    # else running): on a quiet machine, what one message costs it in all.
    machine_cpu_ms_per_message: float | None
    load_average: float  # the machine's 1-minute load when sending ended
    verification: Verification
    memory: Memory | None
    connect_failures: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["verification"]["ok"] = self.verification.ok
        if self.memory:
            data["memory"]["kib_per_idle_socket"] = round(self.memory.kib_per_socket, 1)
            data["memory"]["mib_per_1000_idle_sockets"] = round(
                self.memory.kib_per_socket * 1000 / 1024, 1
            )
        return data


def raise_file_limit(sockets: int) -> None:
    """Allow the sockets (and the servers started from here, which inherit the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = sockets * 2 + 256
    if soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < wanted:
            print(
                f"warning: file limit {new} may be too low for {sockets} sockets", file=sys.stderr
            )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def deployment(options: Options) -> Iterator[list[Daphne]]:
    """Start the gateway for ``--deploy``: migrate, seed the pairs, run the daphnes."""
    state = options.out / options.deploy
    if options.fresh and state.exists():
        shutil.rmtree(state)
    state.mkdir(parents=True, exist_ok=True)
    key_file = state / "secret_key"  # kept, so saved sessions stay valid across runs
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    with contextlib.ExitStack() as stack:
        if options.deploy == "embedded":
            database, layer = sqlite_url(state), None
        else:
            database = create_postgres_database(
                options.postgres_url, options.database, replace=options.fresh
            )
            layer = stack.enter_context(private_redis_database(options.redis_url))
        env = gateway_env(
            database, layer, redaction=options.redaction, secret_key=key_file.read_text(),
            extra={**BENCH_LIMITS, **dict(options.server_env)},
        )  # fmt: skip
        progress(f"preparing {options.deploy}: migrate, seed_demo --pairs {options.pairs} if new")
        manage(env, "migrate", "--noinput")
        # seed_demo resets existing users' password hashes, which logs every saved session
        # out; seed only what this state has not seeded yet.
        seeded = state / "seeded_pairs"
        if not seeded.exists() or int(seeded.read_text()) < options.pairs:
            manage(env, "seed_demo", "--pairs", str(options.pairs))
            seeded.write_text(str(options.pairs))
        if options.clear:
            manage(env, "shell", "-c", "from bench.chat_tables import clear; clear()")
        servers = []
        for i in range(options.processes):
            server = Daphne(
                env, name=f"daphne-{i + 1}", log_dir=state, application=options.application
            )
            servers.append(stack.enter_context(server))
            progress(
                f"{server.name} serving {server.base_url} (pid {server.pid}, log {server.log_path})"
            )
        yield servers


async def sign_in(
    options: Options, urls: Sequence[str], cache: Path | None
) -> dict[str, tuple[Session, list]]:
    """Every pair's users logged in, with their conversations.

    Saved sessions are tried first (``GET /api/conversations/`` both checks one and lists
    the conversations); only users without a valid one log in through the form.
    """
    saved = json.loads(cache.read_text()) if cache and cache.exists() else {}
    names = [
        f"{role}-{k}" for k in range(1, options.pairs + 1) for role in ("freelancer", "client")
    ]
    gate = asyncio.Semaphore(8)
    done = Counter[str]()

    async def one(name: str, url: str) -> tuple[Session, list]:
        async with gate:
            if name in saved:
                session = Session.resume(url, name, saved[name])
                answer = await session.get_json("/api/conversations/")
                if answer.status == 200:
                    done["resumed"] += 1
                    return session, answer.json()
            session = await login(url, name, options.password)
            done["logged in"] += 1
            if done["logged in"] % 50 == 0:
                progress(f"  logged in {done['logged in']} users")
            return session, await session.conversations()

    # Logins are spread over the processes: their password hashing is the slow part.
    logins = (one(name, url) for name, url in zip(names, itertools.cycle(urls), strict=False))
    users = dict(zip(names, await asyncio.gather(*logins), strict=True))
    if cache:
        cache.write_text(json.dumps({name: s.cookies() for name, (s, _) in users.items()}))
    progress(f"users ready: {dict(done)}")
    return users


def plan_sockets(
    options: Options, users: dict[str, tuple[Session, list]], urls: Sequence[str]
) -> list[Socket]:
    """The run's sockets: both sides of every pair, on alternating processes, plus extra devices."""
    sockets: list[Socket] = []
    server = itertools.cycle(urls)
    for k in range(1, options.pairs + 1):
        freelancer, client = f"freelancer-{k}", f"client-{k}"
        conversations = users[freelancer][1]
        conversation = next(
            c["id"] for c in conversations if client in {p["username"] for p in c["participants"]}
        )
        for name in (freelancer, client):
            sockets.append(Socket(len(sockets), users[name][0].on(next(server)), conversation))
    for k in range(1, options.extra_devices + 1):
        first = sockets[2 * (k - 1)]
        other = urls[(urls.index(first.session.base_url) + 1) % len(urls)]
        sockets.append(Socket(len(sockets), first.session.on(other), first.conversation))
    return sockets[: options.connections]


async def open_all(sockets: list[Socket], options: Options, run: Run) -> Counter[str]:
    """Open every socket, a few handshakes at a time; failed attempts by reason.

    A handshake the server drops (daphne gives the application 5 s to accept, which a busy
    machine can miss) is retried after a pause, as a browser reconnects; a socket counts as
    failed only after its last attempt.
    """
    gate = asyncio.Semaphore(20)
    failures: Counter[str] = Counter()

    async def one(socket: Socket) -> None:
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            async with gate:
                try:
                    await socket.open(options.compression)
                except InvalidStatus as refused:  # a refusal, not a hiccup: no retry
                    failures[f"http {refused.response.status_code}"] += 1
                    return
                except (InvalidHandshake, OSError, TimeoutError, ConnectionClosed) as exc:
                    last = "failed" if attempt == OPEN_ATTEMPTS else "retried"
                    failures[f"{type(exc).__name__} ({last})"] += 1
                else:
                    socket.reader = asyncio.create_task(socket.read(run))
                    return
            await asyncio.sleep(attempt)

    await asyncio.gather(*(one(s) for s in sockets))
    return failures


async def send_loop(
    socket: Socket, run: Run, texts: Texts, interval: float, stop_at: float
) -> None:
    """Send every ``interval`` seconds from a random phase until ``stop_at`` (open loop)."""
    next_at = run.started + texts.rng.random() * interval
    while next_at < stop_at and socket.close_code is None:
        delay = next_at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -1.0:  # a second behind: skip the backlog rather than burst it
            skipped = int(-delay / interval)
            run.missed_slots += skipped
            next_at += skipped * interval
        client_id = uuid.uuid4().hex
        run.sent_at[client_id] = (socket.index, time.perf_counter())
        try:
            await socket.send(client_id, texts.next())
        except ConnectionClosed:
            del run.sent_at[client_id]
            return
        next_at += interval


async def report_progress(run: Run, sockets: list[Socket], stop_at: float) -> None:
    """A line a second: what was sent, acked and relayed, and the latest second's latency."""
    last_relayed, last_latencies = 0, 0
    while True:
        await asyncio.sleep(1)
        now = time.perf_counter()
        window = run.latencies[last_latencies:]
        errors = sum(sum(s.errors.values()) for s in sockets)
        phase = "sending" if now < stop_at else "draining"
        p50, p99 = ms(percentile(window, 0.5)), ms(percentile(window, 0.99))
        progress(
            f"[{now - run.started:5.1f}s {phase}] sent {len(run.sent_at):7d}  "
            f"acked {run.acked:7d}  "
            f"relayed {run.relayed:7d} ({run.relayed - last_relayed:5d}/s)  "
            f"p50 {p50} ms  p99 {p99} ms  errors {errors}"
        )
        last_relayed, last_latencies = run.relayed, len(run.latencies)


def expected_deliveries(sockets: list[Socket]) -> int:
    members = Counter(s.conversation for s in sockets if s.ws is not None)
    return sum(members[s.conversation] * len(s.acks) for s in sockets)


async def drain(run: Run, sockets: list[Socket], timeout: float) -> None:
    """Wait for outstanding acks and deliveries, at most ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        delivered = sum(len(s.deliveries) for s in sockets)
        if run.acked >= len(run.sent_at) and delivered >= expected_deliveries(sockets):
            return
        await asyncio.sleep(0.2)


async def verify(run: Run, sockets: list[Socket]) -> Verification:
    """Exactly once, in order, nothing lost; live misses are fetched with ``history``."""
    # One snapshot of what was acked: frames may still trickle in while history is asked.
    acked: dict[int, dict[int, int]] = {}  # conversation → message id → seq
    for socket in sockets:
        for ack in list(socket.acks.values()):
            acked.setdefault(socket.conversation, {})[ack["id"]] = ack["seq"]
    acked_ids = {client_id for s in sockets for client_id in list(s.acks)}
    sent = set(run.sent_at)
    duplicates = out_of_order = missing = recovered = expected = unanswered = undelivered = 0
    closed: Counter[int] = Counter()
    for socket in sockets:
        if socket.ws is None:
            continue
        if socket.close_code is not None:
            closed[socket.close_code] += 1
        wanted = acked.get(socket.conversation, {})
        expected += len(wanted)
        ids = [d.id for d in socket.deliveries]
        duplicates += len(ids) - len(set(ids))
        out_of_order += sum(1 for a, b in itertools.pairwise(socket.seqs) if b <= a)
        absent = wanted.keys() - set(ids)
        missing += len(absent)
        if absent and socket.close_code is not None:
            undelivered += len(absent)  # the server closed it: nothing more can arrive
        elif absent:
            try:
                stored = await socket.history_ids(min(wanted[i] for i in absent) - 1)
            except TimeoutError:  # a server still working through a backlog
                unanswered += 1
                continue
            recovered += len(absent & stored)
    return Verification(
        acked_messages=sum(len(ids) for ids in acked.values()),
        expected_deliveries=expected,
        duplicates=duplicates,
        out_of_order=out_of_order,
        missing_live=missing,
        recovered_by_history=recovered,
        history_unanswered=unanswered,
        closed_by_server={str(code): n for code, n in closed.items()},
        undelivered_to_closed=undelivered,
        lost=missing - recovered - undelivered,
        unacked_sends=len(sent - acked_ids),
    )


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (not idle or waiting on I/O) since boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def memory(servers: Sequence[Daphne], field_name: str) -> int:
    return sum(getattr(server, field_name)() for server in servers)


async def run_load(options: Options, urls: list[str], servers: Sequence[Daphne]) -> Report:
    cache = options.out / options.deploy / "sessions.json" if options.deploy else None
    users = await sign_in(options, urls, cache)
    sockets = plan_sockets(options, users, urls)
    run = Run()
    progress(f"opening {len(sockets)} sockets on {len(urls)} process(es)")
    # The first sockets of a process pay for its thread pool and database connections; the
    # cost of one more idle socket is measured over the rest.
    warm = max(2, len(sockets) // 10)
    failures = await open_all(sockets[:warm], options, run)
    await asyncio.sleep(1)
    before = memory(servers, "rss_kib") if servers else 0
    failures += await open_all(sockets[warm:], options, run)
    opened = [s for s in sockets if s.ws is not None]
    await asyncio.sleep(options.idle)  # idle sockets: settle, then weigh the servers
    idle = memory(servers, "rss_kib") if servers else 0
    progress(f"{len(opened)} sockets open ({dict(failures) or 'no failures'}); sending")

    cpu_before = sum(server.cpu_seconds() for server in servers)
    client_cpu_before = time.process_time()
    machine_cpu_before = machine_cpu_seconds()
    texts = Texts(options.contact_share, random.Random(options.seed))
    interval = len(opened) / options.rate
    # The generator's own garbage collections would pause its event loop for hundreds of
    # milliseconds once it holds a run's worth of frames (one every ~20 s at 1,000 msgs/s):
    # every frame then arrives "late", a latency of the generator, not of the gateway.
    # What it allocates while sending is freed by reference counting; collect after.
    gc.collect()
    gc.freeze()
    gc.disable()
    run.started = time.perf_counter()
    stop_at = run.started + options.duration
    ticker = asyncio.create_task(report_progress(run, opened, stop_at))
    try:
        await asyncio.gather(*(send_loop(s, run, texts, interval, stop_at) for s in opened))
        elapsed = options.duration  # the sending window; late frames still count in it
        load = os.getloadavg()[0]  # other work on the machine skews every figure: say how much
        await drain(run, opened, options.drain)
    finally:
        gc.enable()
        gc.unfreeze()
    # The figures are what arrived by the end of the drain, before verification's own traffic.
    acked, relayed, latencies = run.acked, run.relayed, list(run.latencies)
    ticker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ticker
    cpu = sum(server.cpu_seconds() for server in servers) - cpu_before
    client_cpu = time.process_time() - client_cpu_before
    machine_cpu = machine_cpu_seconds() - machine_cpu_before
    verification = await verify(run, opened)
    peak = memory(servers, "peak_rss_kib") if servers else 0
    for socket in opened:
        if socket.ws is not None:
            await socket.ws.close()

    errors: Counter[str] = Counter()
    for socket in opened:
        errors.update(socket.errors)
    return Report(
        deployment=(options.deploy or "external") + (" (floor)" if options.floor else ""),
        processes=len(urls),
        redaction=options.redaction if options.deploy and not options.floor else None,
        connections=options.connections,
        opened=len(opened),
        target_rate=options.rate,
        duration_s=round(elapsed, 2),
        sent=len(run.sent_at),
        acked=acked,
        relayed=relayed,
        sent_per_s=round(len(run.sent_at) / elapsed, 1),
        relayed_per_s=round(relayed / elapsed, 1),
        latency_ms={
            "p50": ms(percentile(latencies, 0.50)),
            "p95": ms(percentile(latencies, 0.95)),
            "p99": ms(percentile(latencies, 0.99)),
            "max": ms(max(latencies, default=None)),
            "mean": ms(statistics.fmean(latencies) if latencies else None),
        },
        errors=dict(errors),
        warnings=sum(s.warnings for s in opened),
        missed_slots=run.missed_slots,
        server_cpu_ms_per_message=round(cpu * 1000 / acked, 3) if servers and acked else None,
        client_cpu_ms_per_message=round(client_cpu * 1000 / acked, 3) if acked else None,
        machine_cpu_ms_per_message=round(machine_cpu * 1000 / acked, 3) if acked else None,
        load_average=round(load, 2),
        verification=verification,
        memory=Memory(before, idle, peak, len(sockets) - warm) if servers else None,
        connect_failures=dict(failures),
    )


def summary(report: Report) -> str:
    """The end-of-run table."""
    v, lat = report.verification, report.latency_ms
    rows = [
        ("deployment", f"{report.deployment}, {report.processes} process(es), redaction "
                       f"{ {True: 'on', False: 'off', None: 'as served'}[report.redaction]}"),
        ("sockets", f"{report.opened} open of {report.connections}"
                    + (f" (handshake trouble: {report.connect_failures})"
                       if report.connect_failures else "")),
        ("target rate", f"{report.target_rate:g} msgs/s for {report.duration_s} s"),
        ("sent / acked", f"{report.sent} / {report.acked} ({report.sent_per_s} msgs/s sent)"),
        ("relayed", f"{report.relayed} ({report.relayed_per_s} msgs/s)"),
        ("latency ms", f"p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}"),
        ("server CPU", f"{report.server_cpu_ms_per_message} ms per message (all processes)"),
        ("generator CPU", f"{report.client_cpu_ms_per_message} ms per message"),
        ("machine CPU", f"{report.machine_cpu_ms_per_message} ms per message (every process; "
                        f"{os.cpu_count()} CPUs give {os.cpu_count() * 1000} ms a second)"),
        ("load average", f"{report.load_average} (1 min, {os.cpu_count()} CPUs)"),
        ("errors", str(report.errors or 0)),
        ("warnings", f"{report.warnings} (contact details masked)"),
        ("missed slots", f"{report.missed_slots} (generator fell behind)"),
        ("exactly once", f"{'OK' if v.ok else 'FAILED'}: {v.acked_messages} acked, "
                         f"{v.duplicates} duplicated, {v.out_of_order} out of order, "
                         f"{v.missing_live} missed live ({v.recovered_by_history} recovered "
                         f"by history, {v.history_unanswered} history requests unanswered), "
                         f"{v.lost} lost, {v.unacked_sends} unacked"
                         + (f"; sockets closed by the server (by code): {v.closed_by_server}, "
                            f"{v.undelivered_to_closed} messages undelivered to them"
                            if v.closed_by_server else "")),
    ]  # fmt: skip
    if report.memory:
        m = report.memory
        rows.append(
            ("server memory", f"{m.kib_per_socket:.1f} KiB per idle socket "
                              f"({m.kib_per_socket * 1000 / 1024:.1f} MiB per 1,000); "
                              f"peak RSS {m.peak_kib / 1024:.0f} MiB")
        )  # fmt: skip
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def parse_options(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadgen",
        description="Relay load generator for the chat gateway (see docs/benchmarks.md).",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--deploy",
        choices=("embedded", "scaleout"),
        help="start the gateway: one process on SQLite + in-memory layer, "
        "or --processes daphnes on PostgreSQL + Redis (default: embedded)",
    )
    where.add_argument(
        "--url",
        action="append",
        default=[],
        help="use running server(s) instead; repeat for several processes",
    )
    parser.add_argument("--processes", type=int, default=2, help="daphnes for --deploy scaleout")
    parser.add_argument(
        "--redaction",
        choices=("on", "off"),
        default="on",
        help="GATEWAY_REDACTION_ENABLED of deployed servers (default on)",
    )
    parser.add_argument("--connections", type=int, default=100, help="sockets to open")
    parser.add_argument(
        "--extra-devices",
        type=int,
        default=0,
        help="freelancers who also open a second socket on another process",
    )
    parser.add_argument("--rate", type=float, default=100.0, help="messages per second, in all")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of sending")
    parser.add_argument(
        "--contact-share",
        type=float,
        default=0.10,
        help="share of messages with a contact detail (default 0.10)",
    )
    parser.add_argument(
        "--idle",
        type=float,
        default=5.0,
        help="seconds the open sockets idle before sending (memory is read then)",
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=15.0,
        help="seconds to wait for late acks and frames after sending",
    )
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD))
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="do not offer permessage-deflate (browsers do)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start over: new bench database and no saved sessions"
    )
    parser.add_argument(
        "--clear", action="store_true",
        help="empty the bench database's chats and moderation records first (users and "
        "saved sessions stay): runs then start from the same state",
    )
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="NAME=VALUE",
        help="more environment for deployed servers, e.g. CHANNEL_LAYER_CAPACITY=500",
    )  # fmt: skip
    parser.add_argument(
        "--database", default=BENCH_DATABASE,
        help=f"PostgreSQL database of --deploy scaleout (default {BENCH_DATABASE}); give "
        "concurrent runs their own, or their conversations mix",
    )  # fmt: skip
    parser.add_argument(
        "--floor", action="store_true",
        help="serve bench.floor (daphne, Channels and the layer only: no database on the "
        "send path, no redaction) to measure the floor under the gateway's figures",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="random seed of the message texts")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "out",
        help="state of deployed runs (database, sessions, logs)",
    )
    args = parser.parse_args(argv)  # fmt: skip
    if args.connections < 2:
        parser.error("--connections must be at least 2 (one pair)")
    if not 0 <= args.extra_devices <= args.connections // 3:
        parser.error("--extra-devices must be between 0 and a third of --connections")
    if args.rate <= 0 or args.duration <= 0 or args.processes < 1:
        parser.error("--rate, --duration and --processes must be positive")
    if not 0 <= args.contact_share <= 1:
        parser.error("--contact-share must be between 0 and 1")
    if any("=" not in item for item in args.server_env):
        parser.error("--server-env takes NAME=VALUE")
    if args.floor and args.url:
        parser.error("--floor starts its own servers: use it with --deploy, not --url")
    deploy = None if args.url else (args.deploy or "embedded")
    return Options(
        deploy=deploy,
        urls=tuple(u.rstrip("/") for u in args.url),
        processes=1 if deploy == "embedded" else args.processes,
        redaction=args.redaction == "on",
        connections=args.connections,
        extra_devices=args.extra_devices,
        rate=args.rate,
        duration=args.duration,
        contact_share=args.contact_share,
        idle=args.idle,
        drain=args.drain,
        password=args.password,
        compression=not args.no_compression,
        fresh=args.fresh,
        clear=args.clear,
        seed=args.seed,
        json=args.json,
        out=args.out,
        postgres_url=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        database=args.database,
        redis_url=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        server_env=tuple(tuple(item.split("=", 1)) for item in args.server_env),
        floor=args.floor,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    raise_file_limit(options.connections)
    try:
        with contextlib.ExitStack() as stack:
            if options.deploy:
                servers = stack.enter_context(deployment(options))
                urls = [s.base_url for s in servers]
            else:
                servers, urls = [], list(options.urls)
            report = asyncio.run(run_load(options, urls, servers))
    except (ServerError, LoginFailed) as exc:
        print(f"loadgen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("loadgen: interrupted", file=sys.stderr)
        return 130
    table = summary(report)
    if options.json:
        print(table, file=sys.stderr)
        print(json.dumps(report.as_json(), indent=2))
    else:
        print(table)
    return 0 if report.verification.ok and report.opened == report.connections else 1


if __name__ == "__main__":
    sys.exit(main())
