"""Where a send's time goes: ``actions.send_message`` called in one process, no sockets.

The relay benchmark (:mod:`bench.loadgen`) measures the whole gateway; this one isolates the
part that runs on a process's single database thread, so a change to the send path can be
measured in seconds: wall and CPU milliseconds per send, statements per send, and with
``--profile`` the functions the CPU time goes to. ``--batch N`` stores N sends per
transaction, as :class:`messaging.sending.SendBatcher` does under load. Messages are
the load generator's texts
(``--contact-share`` of them carry a contact detail), sent round-robin over ``--pairs``
conversations as alternating freelancer/client turns.

Run from the project root::

    .venv/bin/python -m bench.send_path --database postgres --sends 2000
    .venv/bin/python -m bench.send_path --database postgres --sends 2000 --batch 32
    .venv/bin/python -m bench.send_path --database sqlite --sends 2000 --profile

``postgres`` creates a database of its own on ``BENCH_POSTGRES_URL`` (default the local
server) and drops it afterwards; ``sqlite`` uses a temporary file.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from bench.loadgen import BENCH_LIMITS, DEFAULT_POSTGRES_URL, Texts
from bench.servers import gateway_env, manage, sqlite_url, temporary_postgres_database


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.send_path", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--sends", type=int, default=2000, help="messages to send (default 2000)")
    parser.add_argument("--pairs", type=int, default=50, help="conversations (default 50)")
    parser.add_argument("--contact-share", type=float, default=0.10)
    parser.add_argument(
        "--batch", type=int, default=1, help="sends per transaction, as the batcher groups them"
    )
    parser.add_argument("--redaction", choices=("on", "off"), default="on")
    parser.add_argument(
        "--policy", help="GATEWAY_POLICY, e.g. messaging.policy.MaskPolicy (no moderation writes)"
    )
    parser.add_argument("--profile", action="store_true", help="print the top functions by CPU")
    parser.add_argument("--sort", default="tottime", help="profile order: tottime or cumulative")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)
    if min(options.sends, options.pairs, options.batch) < 1:
        parser.error("--sends, --pairs and --batch must be at least 1")
    if not 0 <= options.contact_share <= 1:
        parser.error("--contact-share must be between 0 and 1")
    return options


def measure(options: argparse.Namespace) -> dict[str, float]:
    """Send the messages; figures per send. Django must be set up for the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messaging import actions
    from messaging.redactor import get_redactor
    from models import Participant

    get_redactor()  # built at start-up, as chatgateway/asgi.py does: not a send's cost

    turns = [
        (participant.user, participant.conversation_id)
        for participant in Participant.objects.select_related("user").order_by(
            "conversation_id", "user_id"
        )
    ]
    texts = Texts(options.contact_share, random.Random(7))
    requests = [
        actions.SendRequest(user, conversation_id, f"bench-{os.getpid()}-{i}", texts.next())
        for i, (user, conversation_id) in enumerate(
            turns[i % len(turns)] for i in range(options.sends)
        )
    ]
    profiler = cProfile.Profile() if options.profile else None
    with CaptureQueriesContext(connection) as queries:
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        for start in range(0, len(requests), options.batch):
            actions.send_messages(requests[start : start + options.batch])
        if profiler is not None:
            profiler.disable()
        wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    if profiler is not None:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(options.sort).print_stats(40)
    return {
        "sends": options.sends,
        "wall_ms_per_send": round(1000 * wall / options.sends, 3),
        "cpu_ms_per_send": round(1000 * cpu / options.sends, 3),
        "statements_per_send": round(len(queries) / options.sends, 2),
        "sends_per_second": round(options.sends / wall, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    with ExitStack() as stack:
        if options.database == "postgres":
            server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
            url = stack.enter_context(temporary_postgres_database(server, "cg_send_path"))
        else:
            url = sqlite_url(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        extra = {**BENCH_LIMITS, **({"GATEWAY_POLICY": options.policy} if options.policy else {})}
        env = gateway_env(url, redaction=options.redaction == "on", extra=extra)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--pairs", str(options.pairs))
        os.environ.update(env)
        import django

        django.setup()
        figures = measure(options)
        from django.db import connections

        connections.close_all()  # before the database is dropped
    figures = {
        "database": options.database, "redaction": options.redaction, "batch": options.batch,
        "policy": options.policy or "default",
        **figures,
    }
    if options.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:>22}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
