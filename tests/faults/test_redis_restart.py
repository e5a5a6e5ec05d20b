"""Redis, the channel layer, dies during traffic and comes back empty.

Every socket is told (an ``unavailable`` error frame, then close 4503 (try again shortly)),
clients reconnect with backoff until Redis is back, resync with ``history``, and no
acknowledged message is lost or duplicated: messages are stored before they are acked.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.faults.peers import Peer, stored

pytestmark = [pytest.mark.services, pytest.mark.faults, pytest.mark.timeout(150)]

MESSAGES_EACH = 20
OUTAGE_SECONDS = 2.0


async def test_a_redis_restart_is_reported_and_loses_no_acknowledged_message(
    on_private_redis, private_redis, sign_in_pair, open_chat
):
    process_a, process_b = on_private_redis.servers
    pair = await sign_in_pair(on_private_redis)
    freelancer = Peer(pair.freelancer, pair.conversation, open_chat)
    client = Peer(pair.client, pair.conversation, open_chat)
    await freelancer.connect(process_a.base_url)
    await client.connect(process_b.base_url)

    async def restart_redis_mid_conversation() -> None:
        while len(freelancer.acked) < 5 or len(client.acked) < 5:
            await asyncio.sleep(0.01)
        private_redis.kill()
        await asyncio.sleep(OUTAGE_SECONDS)
        private_redis.start()

    await asyncio.wait_for(
        asyncio.gather(
            restart_redis_mid_conversation(),
            freelancer.talk("freelancer", MESSAGES_EACH, process_a.base_url),
            client.talk("client", MESSAGES_EACH, process_b.base_url),
        ),
        90,
    )

    acked = freelancer.acked | client.acked
    assert len(acked) == 2 * MESSAGES_EACH
    for device in (freelancer, client):
        await device.settle()
        await device.resync()
        # The outage was reported on the socket it broke, with its reason and close code.
        assert "unavailable" in {error["code"] for error in device.errors}
        assert device.chats[0].ws.close_code == 4503
        assert len(device.chats) >= 2
        assert device.missing(acked) == set()
        assert device.duplicated() == []
        assert device.live_duplicates == 0
    assert stored(on_private_redis.database_url, pair.conversation) == (len(acked), len(acked))

    # Recovered: live relay across the processes works again on the new sockets.
    client_id = await freelancer.send("back to normal")
    message = await client.chat.expect("message", client_id=client_id)
    assert message["text"] == "back to normal"
