"""How long a suspension takes to reach a user's other connections, across processes.

Two daphne processes on a PostgreSQL database and a Redis database of their own (created
for the run, dropped after). In each run a fresh ``seed_demo`` freelancer logs in, opens
the chat socket on process A and a second one on process B, and sends two messages with
contact details (two strike points). The clock starts when the third, offending message is
sent through A and stops when B's socket is closed by the server (4403): the offending
send's redaction, the strike, the automatic suspension and its commit, the group message
over Redis to the user's group, and process B closing its socket. Also reported: when B
received the ``suspended`` frame, just before its close.

Run from the project root (figures are recorded in docs/moderation.md)::

    .venv/bin/python -m bench.suspension_latency --runs 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from bench.client import Session, login
from bench.servers import (
    Daphne,
    gateway_env,
    manage,
    private_redis_database,
    temporary_postgres_database,
)

PRIOR = ("call me at 98765 43210", "my email is jane.doe@gmail.com")
OFFENDING = "ping me: dev.guy@outlook.com"
TIMEOUT = 15.0


async def _frames_until(ws, kind: str) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame["type"] == kind:
            return frame


async def one_run(session_a: Session, session_b: Session, conversation: int) -> tuple[float, float]:
    """Seconds from the offending send to B's ``suspended`` frame and to B's close."""
    ws_a = await session_a.connect(conversation)
    ws_b = await session_b.connect(conversation)
    try:
        # The server admits a socket after the handshake; its presence frames mean done.
        await _frames_until(ws_a, "presence")
        await _frames_until(ws_b, "presence")
        for text in PRIOR:
            await ws_a.send(json.dumps(
                {"type": "message.send", "client_id": str(uuid.uuid4()), "text": text}
            ))
            await _frames_until(ws_a, "warning")
        start = time.perf_counter()
        await ws_a.send(json.dumps(
            {"type": "message.send", "client_id": str(uuid.uuid4()), "text": OFFENDING}
        ))
        await _frames_until(ws_b, "suspended")
        framed = time.perf_counter() - start
        try:
            while True:
                await asyncio.wait_for(ws_b.recv(), TIMEOUT)
        except ConnectionClosed:
            closed = time.perf_counter() - start
        if ws_b.close_code != 4403:
            raise RuntimeError(f"process B closed with {ws_b.close_code}, not 4403")
        return framed, closed
    finally:
        await ws_a.close()
        await ws_b.close()


async def measure(servers: list[Daphne], runs: int) -> dict:
    a, b = servers
    framed, closed = [], []
    for k in range(1, runs + 1):
        session = await login(a.base_url, f"freelancer-{k}")
        conversation = (await session.conversations())[0]["id"]
        f, c = await one_run(session, session.on(b.base_url), conversation)
        framed.append(f)
        closed.append(c)
    return {"runs": runs, "suspended_frame": _summary(framed), "closed": _summary(closed)}


def _summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--postgres-url", default=os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis-url", default=os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    log_dir = Path(__file__).resolve().parent / "out" / "suspension"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (
        temporary_postgres_database(args.postgres_url, prefix="cg_bench") as database_url,
        private_redis_database(args.redis_url) as layer_url,
    ):
        env = gateway_env(database_url, layer_url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--pairs", str(args.runs))
        servers = [Daphne(env, name=f"daphne-{name}", log_dir=log_dir) for name in "AB"]
        try:
            for server in servers:
                server.start()
            result = asyncio.run(measure(servers, args.runs))
        finally:
            for server in servers:
                server.stop()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
