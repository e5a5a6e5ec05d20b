"""PostgreSQL becomes unreachable under a running gateway (a proxy in front of it is cut).

Sends are refused with an ``unavailable`` error frame and never acknowledged or relayed;
nothing is stored half-way; once the database is back, resending the same ``client_id``
stores each message exactly once.
"""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest

from tests.faults.peers import Peer, stored

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.timeout(120)]


def consistent(database_url: str, conversation: int) -> bool:
    """Gapless ``seq`` 1…n, and the conversation's ``last_seq`` is n: nothing half-stored."""
    with psycopg.connect(database_url) as conn:
        seqs = [row[0] for row in conn.execute(
            "SELECT seq FROM gateway_message WHERE conversation_id = %s ORDER BY seq",
            (conversation,),
        )]  # fmt: skip
        (last_seq,) = conn.execute(
            "SELECT last_seq FROM gateway_conversation WHERE id = %s", (conversation,)
        ).fetchone()
    return seqs == list(range(1, len(seqs) + 1)) and last_seq == len(seqs)


async def test_sends_are_refused_while_the_database_is_away_and_nothing_is_half_stored(
    behind_proxy, postgres_proxy, sign_in_pair, open_chat
):
    deployment, database_url = behind_proxy
    pair = await sign_in_pair(deployment)
    freelancer = Peer(pair.freelancer, pair.conversation, open_chat)
    client = Peer(pair.client, pair.conversation, open_chat)
    await freelancer.connect(deployment.url)
    await client.connect(deployment.url)
    for i in range(3):
        await freelancer.send(f"before {i}")

    postgres_proxy.cut()
    refused = [uuid.uuid4().hex for _ in range(3)]
    for i, client_id in enumerate(refused):
        # One with a contact detail: redaction's extra rows must not be half-stored either.
        text = f"during {i}" if i else "call me on +44 7700 900123"
        await freelancer.chat.send_message(text, client_id)
        error = await freelancer.chat.expect("error", timeout=30)
        assert error["code"] == "unavailable", error
        assert "retry" in error["detail"]
    await asyncio.sleep(0.5)
    frames = await freelancer.chat.drain(0.5) + await client.chat.drain(0.5)
    assert not [f for f in frames if f.get("client_id") in refused]  # no ack, no relay

    postgres_proxy.restore()
    assert consistent(database_url, pair.conversation)
    assert stored(database_url, pair.conversation) == (3, 3)
    for i, client_id in enumerate(refused):  # the client retries with the same ids
        await freelancer.send(f"during {i}", client_id, timeout=30)

    acked = freelancer.acked
    assert len(acked) == 6
    assert consistent(database_url, pair.conversation)
    assert stored(database_url, pair.conversation) == (6, 6)
    for device in (freelancer, client):
        await device.settle()
        await device.resync()
        assert device.missing(acked) == set()
        assert device.duplicated() == []
