"""A daphne process dies mid-conversation (SIGKILL: no goodbye to anyone).

Its clients reconnect to the other process, resync with ``history``, resend what was not
acknowledged under the same ``client_id``, and in the end every acknowledged message is in
every device's transcript exactly once, and stored once.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.faults.peers import Peer, stored

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.timeout(150)]

MESSAGES_EACH = 20


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
            freelancer.talk("freelancer", MESSAGES_EACH, survivor.base_url),
            client.talk("client", MESSAGES_EACH, survivor.base_url),
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
    assert stored(two_processes.database_url, pair.conversation) == (len(acked), len(acked))
