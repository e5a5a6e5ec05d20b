"""Two daphne processes on real PostgreSQL and Redis serve one conversation.

The freelancer is connected to process A and the client to process B, so every message
crosses processes through the Redis channel layer.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import psycopg
import pytest

pytestmark = pytest.mark.services

IDLE_SECONDS = 70  # over a minute: redis-py 8's 5 s socket timeout broke idle layers (#422)


async def relayed_messages(chat, count: int) -> list[dict]:
    """The ``message`` frames of ``chat`` in arrival order, once ``count`` came and it fell quiet.

    Waiting for quiet after the last expected one catches any duplicate delivered late.
    """
    frames = [await chat.expect("message") for _ in range(count)]
    return frames + [f for f in await chat.drain(1.5) if f["type"] == "message"]


async def send_and_ack(chat, texts: list[str]) -> list[dict]:
    client_ids = [await chat.send_message(text) for text in texts]
    return [await chat.expect("message.ack", client_id=client_id) for client_id in client_ids]


def across(scaleout, pair, open_pair):
    """The freelancer on process A, the client on process B."""
    process_a, process_b = scaleout.servers
    return open_pair(pair, process_a.base_url, process_b.base_url)


async def test_messages_cross_processes_in_seq_order_exactly_once(
    scaleout, sign_in_pair, open_pair
):
    pair = await sign_in_pair(scaleout)
    freelancer, client = await across(scaleout, pair, open_pair)

    from_a, from_b = await asyncio.gather(
        send_and_ack(freelancer, [f"A says {i}" for i in range(10)]),
        send_and_ack(client, [f"B says {i}" for i in range(10)]),
    )

    acked = sorted(from_a + from_b, key=lambda ack: ack["seq"])
    assert len({ack["seq"] for ack in acked}) == 20  # one sequence across both processes
    for chat in (freelancer, client):
        messages = await relayed_messages(chat, 20)
        assert [m["id"] for m in messages] == [ack["id"] for ack in acked]
        assert [m["seq"] for m in messages] == [ack["seq"] for ack in acked]


async def test_a_session_from_one_process_is_valid_on_the_other(scaleout, sign_in_pair):
    pair = await sign_in_pair(scaleout)
    process_b = scaleout.servers[1]

    conversations = await asyncio.wait_for(pair.client.on(process_b.base_url).conversations(), 10)

    assert pair.conversation in [c["id"] for c in conversations]


def database_connections(database_url: str) -> int:
    """Connections open to the database of ``database_url`` right now."""
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url) as conn:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        )
        return conn.execute(query, (name,)).fetchone()[0]


async def test_many_http_requests_do_not_pile_up_database_connections(scaleout, sign_in_pair):
    """Django's ASGI handler runs each request in a thread of its own: a connection kept open
    past the request (persistent connections) is never reused and soon exhausts the server's
    ``max_connections`` (PostgreSQL's default is 100). Each process's psycopg pool bounds them."""
    pair = await sign_in_pair(scaleout)
    sessions = [pair.client.on(server.base_url) for server in scaleout.servers]

    for batch in range(40):
        await asyncio.wait_for(
            asyncio.gather(*(sessions[(batch + i) % 2].conversations() for i in range(10))), 30
        )

    # 400 requests: a leak left one connection per request thread (40-80 here); the pools
    # hold at most DB_POOL_MAX_SIZE (default 10) each.
    pool_bound = 10 * len(scaleout.servers)
    assert await asyncio.to_thread(database_connections, scaleout.database_url) <= pool_bound


@pytest.mark.slow
@pytest.mark.timeout(IDLE_SECONDS + 120)
async def test_relay_still_works_after_an_idle_minute(scaleout, sign_in_pair, open_pair):
    pair = await sign_in_pair(scaleout)
    freelancer, client = await across(scaleout, pair, open_pair)
    warm = await send_and_ack(freelancer, ["before the pause"])
    await relayed_messages(client, 1)

    await asyncio.sleep(IDLE_SECONDS)

    (from_a,) = await send_and_ack(freelancer, ["after the pause, from A"])
    (from_b,) = await send_and_ack(client, ["after the pause, from B"])
    assert [m["id"] for m in await relayed_messages(client, 2)] == [from_a["id"], from_b["id"]]
    assert [m["id"] for m in await relayed_messages(freelancer, 3)] == [
        warm[0]["id"],
        from_a["id"],
        from_b["id"],
    ]


async def test_a_detail_split_across_processes_is_masked_in_both_pieces(
    scaleout, sign_in_pair, open_pair, open_chat
):
    """The split window lives in Redis: the freelancer's first piece, sent through a socket on
    process A, is joined with the second, sent through a socket on process B, and masked
    retroactively for everyone."""
    pair = await sign_in_pair(scaleout)
    on_a, client = await across(scaleout, pair, open_pair)
    on_b = await open_chat(pair.freelancer.on(scaleout.servers[1].base_url), pair.conversation)

    (first,) = await send_and_ack(on_a, ["98765"])
    (second,) = await send_and_ack(on_b, ["43210"])

    assert (first["redacted"], second["redacted"]) == (False, True)
    for chat in (client, on_a):
        update = await chat.expect("message.update", where=lambda f: f["id"] == first["id"])
        assert (update["reason"], update["text"]) == ("retro", "[phone removed]")
