"""The load generator's bookkeeping, run for a few seconds against the embedded deployment.

Figures come from ``python -m bench.loadgen`` (docs/benchmarks.md); this only proves that a
small run counts every message once and that its exactly-once check would notice a fault.
"""

from __future__ import annotations

import asyncio

from bench.loadgen import Delivery, Run, Socket, parse_options, run_load, verify
from bench.servers import gateway_env, sqlite_url
from tests.e2e.conftest import deploy


async def test_a_short_run_acks_relays_and_verifies_every_message(embedded, tmp_path):
    options = parse_options(
        ["--url", embedded.url, "--connections", "4", "--rate", "4", "--duration", "2",
         "--idle", "0.2", "--drain", "10", "--out", str(tmp_path)]
    )  # fmt: skip

    report = await asyncio.wait_for(run_load(options, [embedded.url], embedded.servers), 90)

    assert report.opened == 4
    assert report.sent == report.acked > 0
    assert report.relayed == report.sent  # one other participant per conversation
    assert report.errors == {}
    assert report.verification.ok
    assert report.verification.expected_deliveries == 2 * report.acked
    assert report.latency_ms["p50"] is not None and report.latency_ms["p50"] > 0


async def test_the_floor_numbers_acks_and_relays_without_masking(tmp_path):
    """``--floor`` serves bench.floor: the same protocol with none of the gateway's work."""
    options = parse_options(
        ["--url", "http://unused", "--connections", "4", "--rate", "4", "--duration", "2",
         "--idle", "0.2", "--drain", "10", "--contact-share", "1", "--out", str(tmp_path)]
    )  # fmt: skip
    env = gateway_env(sqlite_url(tmp_path))
    with deploy(env, 1, tmp_path, application="bench.floor:application") as floor:
        report = await asyncio.wait_for(run_load(options, [floor.url], floor.servers), 90)

    assert report.sent == report.acked > 0
    assert report.relayed == report.sent
    assert report.verification.ok
    assert report.warnings == 0  # every text carried a contact detail; nothing was masked
    assert report.client_cpu_ms_per_message is not None
    assert report.machine_cpu_ms_per_message >= report.client_cpu_ms_per_message


async def test_the_check_reports_duplicates_disorder_and_unacked_sends():
    run = Run()
    sender, receiver = Socket(0, None, 7), Socket(1, None, 7)  # type: ignore[arg-type]
    for socket in (sender, receiver):
        socket.ws = object()  # type: ignore[assignment]  # opened, as far as the check cares
    sender.acks = {"a": {"client_id": "a", "id": 10, "seq": 1},
                   "b": {"client_id": "b", "id": 11, "seq": 2}}  # fmt: skip
    run.sent_at = {"a": (0, 0.0), "b": (0, 0.0), "c": (0, 0.0)}
    sender.deliveries = [Delivery(1, 10, "a", 0.1), Delivery(2, 11, "b", 0.1)]
    sender.seqs = [1, 2]
    receiver.deliveries = [Delivery(2, 11, "b", 0.1), Delivery(1, 10, "a", 0.1),
                           Delivery(2, 11, "b", 0.1)]  # fmt: skip
    receiver.seqs = [2, 1, 2]

    verification = await verify(run, [sender, receiver])

    assert verification.acked_messages == 2
    assert verification.duplicates == 1
    assert verification.out_of_order == 1
    assert verification.unacked_sends == 1
    assert verification.lost == 0
    assert not verification.ok


async def test_the_check_counts_a_socket_the_server_closed_apart_from_lost_messages():
    run = Run()
    sender, suspended = Socket(0, None, 7), Socket(1, None, 7)  # type: ignore[arg-type]
    for socket in (sender, suspended):
        socket.ws = object()  # type: ignore[assignment]
    sender.acks = {"a": {"client_id": "a", "id": 10, "seq": 1}}
    run.sent_at = {"a": (0, 0.0)}
    sender.deliveries, sender.seqs = [Delivery(1, 10, "a", 0.1)], [1]
    suspended.close_code = 4403

    verification = await verify(run, [sender, suspended])

    assert verification.closed_by_server == {"4403": 1}
    assert verification.undelivered_to_closed == 1
    assert verification.lost == 0
    assert not verification.ok
