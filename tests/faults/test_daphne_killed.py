"""A daphne process dies mid-conversation (SIGKILL: no goodbye to anyone).

Its clients reconnect to the other process, resync with ``history``, resend what was not
acknowledged under the same ``client_id``, and in the end every acknowledged message is in
every device's transcript exactly once, and stored once.
"""

from __future__ import annotations

import asyncio
import uuid

import psycopg
import pytest
from websockets.exceptions import ConnectionClosed

from tests.faults.peers import Peer

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.timeout(150)]

MESSAGES_EACH = 20


async def talk(peer: Peer, name: str, fallback_url: str) -> None:
    """Send ``MESSAGES_EACH`` messages one after another, surviving the death of the server."""
    pending: str | None = None
    sent = 0
    while sent < MESSAGES_EACH:
        client_id = pending or uuid.uuid4().hex
        try:
            await peer.send(f"{name} says {sent}", client_id)
        except ConnectionClosed:
            pending = client_id  # stored or not, we cannot know: resend the same id
            await peer.connect(fallback_url)
            continue
        pending = None
        sent += 1
        await asyncio.sleep(0.02)


def stored(database_url: str, conversation: int) -> tuple[int, int]:
    """Messages stored in ``conversation``, and how many distinct ``client_id`` they carry."""
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT count(*), count(DISTINCT client_id) FROM gateway_message"
            " WHERE conversation_id = %s",
            (conversation,),
        ).fetchone()


async def test_clients_of_a_killed_process_resync_on_the_other_exactly_once(
    two_processes, sign_in_pair, open_chat
):
    doomed, survivor = two_processes.servers
    pair = await sign_in_pair(two_processes)
    freelancer = Peer(pair.freelancer, pair.conversation, open_chat)
    client = Peer(pair.client, pair.conversation, open_chat)
    laptop = Peer(pair.freelancer, pair.conversation, open_chat)  # a second device, on B
    await freelancer.connect(doomed.base_url)
    await client.connect(doomed.base_url)
    await laptop.connect(survivor.base_url)

    async def kill_mid_conversation() -> None:
        while len(freelancer.acked) < 5 or len(client.acked) < 5:
            await asyncio.sleep(0.01)
        doomed.process.kill()

    await asyncio.wait_for(
        asyncio.gather(
            kill_mid_conversation(),
            talk(freelancer, "freelancer", survivor.base_url),
            talk(client, "client", survivor.base_url),
        ),
        90,
    )

    assert doomed.process.poll() is not None  # it really died mid-way...
    assert len(freelancer.chats) == len(client.chats) == 2  # ...and both moved to B
    acked = freelancer.acked | client.acked
    assert len(acked) == 2 * MESSAGES_EACH
    assert len({ack["id"] for ack in acked.values()}) == 2 * MESSAGES_EACH
    for device in (freelancer, client, laptop):
        await device.settle()
        await device.resync()  # what a client does when it notices a gap or reconnects
        assert device.missing(acked) == set()
        assert device.duplicated() == []
        assert device.live_duplicates == 0
        assert len(device.transcript) == 2 * MESSAGES_EACH
    assert stored(two_processes.database_url, pair.conversation) == (40, 40)
