"""Support latency: a user's first message to the agents' queue feed, and a claim to the
user's notification, against a real daphne process.

``--users`` ``seed_demo`` clients (``client-1``…) and ``--agents`` ``seed_support`` agents
(``agent-1``…) log in over HTTP. Every agent opens the console (``ws/support/console/``),
every user their support feed (``ws/support/``). Then the users open support chats at
``--rate`` per second (``POST /api/support/chats/``: subject and first message), and each
chat's ``support.queue.added`` is timed at every console, from just before the POST. Once
all of them wait, the agents claim them over their consoles (each its share, at ``--rate``
claims per second overall) and the user's ``support.agent.joined`` is timed from the claim
frame. Prints median and p99 of both, in milliseconds (``--json`` for the raw report).

Run from the project root (docs/support.md records the figures)::

    .venv/bin/python -m bench.support_latency --users 50 --agents 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

from bench.client import Session, login
from bench.loadgen import ms, percentile
from bench.servers import Daphne, gateway_env, manage, sqlite_url

FRAME_TIMEOUT = 30.0


@dataclass(frozen=True)
class Figures:
    samples: int
    median_ms: float | None
    p99_ms: float | None
    max_ms: float | None


@dataclass(frozen=True)
class Report:
    users: int
    agents: int
    rate: float
    queue_feed: Figures
    claim_to_user: Figures
    missing: int


def figures(seconds: Sequence[float]) -> Figures:
    return Figures(
        samples=len(seconds),
        median_ms=ms(statistics.median(seconds)) if seconds else None,
        p99_ms=ms(percentile(seconds, 0.99)),
        max_ms=ms(max(seconds)) if seconds else None,
    )


class Feed:
    """A support socket whose frames are time-stamped on arrival by a reader task."""

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.arrivals: dict[tuple[str, int], float] = {}
        self.arrived = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for text in self.ws:
                now = time.perf_counter()
                frame = json.loads(text)
                chat = frame.get("chat")
                chat_id = chat.get("id") if isinstance(chat, dict) else chat
                if isinstance(chat_id, int):
                    self.arrivals.setdefault((frame["type"], chat_id), now)
                    self.arrived.set()

    async def wait_for(self, frame_type: str, chat_id: int) -> float:
        deadline = time.monotonic() + FRAME_TIMEOUT
        while (frame_type, chat_id) not in self.arrivals:
            self.arrived.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {frame_type} for chat {chat_id}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)
        return self.arrivals[frame_type, chat_id]

    async def close(self) -> None:
        self.reader.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()


async def open_feed(session: Session, path: str) -> Feed:
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.jar)
    url = "ws" + session.base_url.removeprefix("http") + path
    ws = await connect(
        url,
        additional_headers={"Origin": session.origin, "Cookie": cookies},
        proxy=None,
        open_timeout=15,
    )
    snapshot = json.loads(await asyncio.wait_for(ws.recv(), FRAME_TIMEOUT))
    if snapshot.get("type") != "support.snapshot":
        raise RuntimeError(f"{session.username} got {snapshot} instead of a snapshot")
    return Feed(ws)


async def run(base_url: str, users: int, agents: int, rate: float) -> Report:
    print(f"logging in {users} users and {agents} agents…", file=sys.stderr)
    user_sessions = await asyncio.gather(
        *(login(base_url, f"client-{n}") for n in range(1, users + 1))
    )
    agent_sessions = await asyncio.gather(
        *(login(base_url, f"agent-{n}") for n in range(1, agents + 1))
    )
    consoles = [await open_feed(s, "/ws/support/console/") for s in agent_sessions]
    user_feeds = [await open_feed(s, "/ws/support/") for s in user_sessions]
    missing = 0
    try:
        print("users open chats…", file=sys.stderr)
        started: dict[int, float] = {}
        chat_of_user: list[int] = []
        for number, session in enumerate(user_sessions, start=1):
            t0 = time.perf_counter()
            answer = await session.post_json(
                "/api/support/chats/",
                {
                    "subject": f"Question {number}",
                    "text": "Hello, my payout is late.",
                    "client_id": f"bench-{number}",
                },
            )
            if answer.status != 201:
                raise RuntimeError(f"opening a chat answered {answer.status}: {answer.body!r}")
            chat_id = answer.json()["id"]
            started[chat_id] = t0
            chat_of_user.append(chat_id)
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - t0)))
        queue_latencies: list[float] = []
        for chat_id, t0 in started.items():
            for console in consoles:
                try:
                    queue_latencies.append(
                        await console.wait_for("support.queue.added", chat_id) - t0
                    )
                except TimeoutError:
                    missing += 1

        print("agents claim…", file=sys.stderr)
        claimed: list[tuple[int, int, float]] = []  # (user index, chat, claim time)
        for index, chat_id in enumerate(chat_of_user):
            console = consoles[index % agents]
            t0 = time.perf_counter()
            await console.ws.send(json.dumps({"type": "claim", "chat": chat_id}))
            claimed.append((index, chat_id, t0))
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - t0)))
        claim_latencies: list[float] = []
        for index, chat_id, t0 in claimed:
            try:
                claim_latencies.append(
                    await user_feeds[index].wait_for("support.agent.joined", chat_id) - t0
                )
            except TimeoutError:
                missing += 1
    finally:
        for feed in [*consoles, *user_feeds]:
            await feed.close()
    return Report(users, agents, rate, figures(queue_latencies), figures(claim_latencies), missing)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--agents", type=int, default=5)
    parser.add_argument(
        "--rate",
        type=float,
        default=10.0,
        help="chats opened, then claimed, per second (default 10)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    options = parser.parse_args(argv)
    if options.users < 1 or options.agents < 1 or options.rate <= 0:
        parser.error("--users and --agents must be at least 1, --rate above 0")
    capacity = -(-options.users // options.agents)  # every waiting user can be claimed
    with tempfile.TemporaryDirectory(prefix="support-bench-") as directory:
        env = gateway_env(
            sqlite_url(Path(directory)), extra={"SUPPORT_AGENT_CAPACITY": str(capacity)}
        )
        print("migrating and seeding…", file=sys.stderr)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--pairs", str(options.users))
        manage(env, "seed_support", "--agents", str(options.agents))
        with Daphne(env, name="daphne", log_dir=Path(directory)) as server:
            report = asyncio.run(run(server.base_url, options.users, options.agents, options.rate))
    if options.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print(
            f"{report.users} waiting users, {report.agents} agents, {report.rate:g}/s "
            f"(embedded: one daphne, SQLite, in-memory layer)"
        )
        for name, fig in (
            ("first message → agents' queue feed", report.queue_feed),
            ("claim → user's notification", report.claim_to_user),
        ):
            print(
                f"  {name}: median {fig.median_ms} ms, p99 {fig.p99_ms} ms, "
                f"max {fig.max_ms} ms ({fig.samples} samples)"
            )
        print(f"  missing frames: {report.missing}")
    return 1 if report.missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
