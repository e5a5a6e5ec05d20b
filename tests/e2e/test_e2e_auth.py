"""Who may not open a chat socket, as a real daphne tells them (close codes, handshake refusal)."""

from __future__ import annotations

import asyncio

import pytest
from websockets.exceptions import InvalidStatus

from bench.client import LoginFailed, Session, login


async def test_without_a_session_the_socket_is_accepted_then_closed_4401(
    embedded, sign_in_pair, open_chat
):
    pair = await sign_in_pair(embedded)
    anonymous = Session(embedded.url)

    chat = await open_chat(anonymous, pair.conversation)

    assert await chat.close_code() == 4401


async def test_a_forged_ticket_is_closed_4401(embedded, sign_in_pair, open_chat):
    pair = await sign_in_pair(embedded)
    ticket = await asyncio.wait_for(pair.client.ticket(), 10)
    forged = ticket[:-4] + ("AAAA" if not ticket.endswith("AAAA") else "BBBB")

    chat = await open_chat(pair.client, pair.conversation, ticket=forged, send_cookie=False)

    assert await chat.close_code() == 4401


async def test_a_user_outside_the_conversation_is_closed_4403(embedded, sign_in_pair, open_chat):
    ours = await sign_in_pair(embedded)
    theirs = await sign_in_pair(embedded)

    chat = await open_chat(ours.freelancer, theirs.conversation)

    assert await chat.close_code() == 4403


async def test_an_unknown_conversation_is_closed_4404(embedded, sign_in_pair, open_chat):
    pair = await sign_in_pair(embedded)

    chat = await open_chat(pair.client, 987_654_321)

    assert await chat.close_code() == 4404


async def test_a_foreign_origin_is_refused_at_the_handshake(embedded, sign_in_pair, open_chat):
    pair = await sign_in_pair(embedded)

    with pytest.raises(InvalidStatus) as refused:
        await open_chat(pair.client, pair.conversation, origin="http://evil.example")

    assert refused.value.response.status_code == 403


async def test_a_wrong_password_does_not_log_in(embedded):
    freelancer, _ = embedded.pair()

    with pytest.raises(LoginFailed):
        await asyncio.wait_for(login(embedded.url, freelancer, "not-the-password"), 30)
