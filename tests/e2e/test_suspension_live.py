"""Suspension in real time across two daphne processes on Redis and PostgreSQL.

The freelancer has a socket on each process; the third strike, sent through process A,
must close the socket on process B too (``suspended`` frame, then 4403) through the
per-user group on the Redis layer; reconnecting anywhere is refused until a moderator
lifts the suspension over the JSON API, after which a socket works at once.
"""

from __future__ import annotations

import asyncio

from bench.client import login

VIOLATIONS = (
    "call me at 98765 43210",
    "my email is jane.doe@gmail.com",
    "ping me: dev.guy@outlook.com",
)


async def test_third_strike_closes_the_users_sockets_on_both_processes(
    scaleout, sign_in_pair, open_chat
):
    pair = await sign_in_pair(scaleout)
    process_a, process_b = scaleout.servers
    on_a = await open_chat(pair.freelancer.on(process_a.base_url), pair.conversation)
    on_b = await open_chat(pair.freelancer.on(process_b.base_url), pair.conversation)
    recipient = await open_chat(pair.client.on(process_b.base_url), pair.conversation)

    for text in VIOLATIONS[:2]:
        client_id = await on_a.send_message(text)
        await on_a.expect("message.ack", client_id=client_id)
        await on_a.expect("warning")
    await on_a.send_message(VIOLATIONS[2])
    warning = await on_a.expect("warning")
    assert "suspended" in warning["detail"]

    for chat in (on_a, on_b):
        frame = await chat.expect("suspended")
        assert "strike points" in frame["detail"]
        assert await chat.close_code() == 4403
    # The other side of the conversation is untouched and sees the masked text.
    last = await recipient.expect("message", where=lambda f: "[email removed]" in f["text"]
                                  and f["text"].startswith("ping me"))
    assert "dev.guy" not in last["text"]

    refused = await open_chat(pair.freelancer.on(process_b.base_url), pair.conversation)
    assert (await refused.expect("error"))["code"] == "suspended"
    assert await refused.close_code() == 4403

    moderator = await asyncio.wait_for(login(process_b.base_url, "moderator"), 30)
    cases = (await moderator.get_json("/api/moderation/cases/")).json()
    user_id = next(c["user"]["id"] for c in cases
                   if c["user"]["username"] == pair.freelancer.username)
    lifted = await moderator.post_json(
        f"/api/moderation/users/{user_id}/lift/", {"reason": "reviewed in the e2e test"}
    )
    assert lifted.status == 200, lifted.body

    back = await open_chat(pair.freelancer.on(process_a.base_url), pair.conversation)
    client_id = await back.send_message("sorry about that")
    await back.expect("message.ack", client_id=client_id)
