"""A freelancer and a client chat through a real daphne on the embedded default."""

from __future__ import annotations

import asyncio

PHONE = "+1 415 555 2671"


async def test_contact_details_are_masked_for_the_receiver_and_the_sender_is_warned(
    embedded, sign_in_pair, open_pair
):
    pair = await sign_in_pair(embedded)
    freelancer, client = await open_pair(pair)

    client_id = await freelancer.send_message(f"Call me on {PHONE} tonight")

    ack = await freelancer.expect("message.ack", client_id=client_id)
    assert ack["redacted"] is True
    own = await freelancer.expect("message", id=ack["id"])
    assert freelancer.received.index(ack) < freelancer.received.index(own)
    warning = await freelancer.expect("warning")
    assert warning["code"] == "contact_details_removed"
    assert "phone" in warning["types"]

    relayed = await client.expect("message", id=ack["id"])
    assert relayed["seq"] == ack["seq"] == own["seq"]
    assert relayed["redacted"] is True
    assert relayed["text"] == own["text"]
    assert "2671" not in relayed["text"] and "415" not in relayed["text"]
    assert relayed["text"].startswith("Call me on ") and relayed["text"].endswith(" tonight")
    assert relayed["sender"]["id"] == own["sender"]["id"]
    assert relayed["sender"]["role"] == "freelancer"
    assert relayed["conversation"] == pair.conversation
    # the warning is for the sender alone
    assert not [f for f in await client.drain(0.5) if f["type"] == "warning"]


async def test_plain_message_is_relayed_unchanged_without_warning(
    embedded, sign_in_pair, open_pair
):
    pair = await sign_in_pair(embedded)
    freelancer, client = await open_pair(pair)

    client_id = await client.send_message("The mock-ups look great, ship it.")

    ack = await client.expect("message.ack", client_id=client_id)
    assert ack["redacted"] is False
    relayed = await freelancer.expect("message", id=ack["id"])
    assert relayed["text"] == "The mock-ups look great, ship it."
    assert relayed["redacted"] is False
    assert relayed["sender"]["role"] == "client"
    await client.expect("message", id=ack["id"])
    assert not [f for f in await client.drain(0.5) if f["type"] == "warning"]


async def test_reconnecting_client_resyncs_exactly_the_missed_messages(
    embedded, sign_in_pair, open_pair, open_chat
):
    pair = await sign_in_pair(embedded)
    freelancer, client = await open_pair(pair)
    first = await freelancer.expect("message.ack", client_id=await freelancer.send_message("hi"))
    last_seen = (await client.expect("message", id=first["id"]))["seq"]
    await client.ws.close()

    acks = []
    for text in ("one", "two", "three"):
        acks.append(
            await freelancer.expect("message.ack", client_id=await freelancer.send_message(text))
        )

    client = await open_chat(pair.client, pair.conversation)
    await client.send("history", after_seq=last_seen, limit=50)
    history = await client.expect("history")

    assert history["has_more"] is False
    assert [m["id"] for m in history["messages"]] == [a["id"] for a in acks]
    assert [m["seq"] for m in history["messages"]] == [a["seq"] for a in acks]
    assert [m["text"] for m in history["messages"]] == ["one", "two", "three"]
    assert all(m["seq"] > last_seen for m in history["messages"])


async def test_resending_a_client_id_returns_the_same_ack_and_stores_one_message(
    embedded, sign_in_pair, open_pair
):
    pair = await sign_in_pair(embedded)
    freelancer, client = await open_pair(pair)
    before = await freelancer.expect("message.ack", client_id=await freelancer.send_message("x"))

    client_id = await freelancer.send_message("Invoice sent, please confirm")
    first = await freelancer.expect("message.ack", client_id=client_id)
    await freelancer.send_message("Invoice sent, please confirm", client_id=client_id)
    second = await freelancer.expect("message.ack", client_id=client_id)

    assert second == first
    relayed = [f for f in await client.drain(1.0) if f["type"] == "message"]
    assert [m["id"] for m in relayed] == [before["id"], first["id"]]
    await client.send("history", after_seq=before["seq"], limit=50)
    history = await client.expect("history")
    assert [m["id"] for m in history["messages"]] == [first["id"]]


async def test_bad_frames_get_error_frames_and_the_socket_stays_usable(
    embedded, sign_in_pair, open_chat
):
    pair = await sign_in_pair(embedded)
    freelancer = await open_chat(pair.freelancer, pair.conversation)

    await freelancer.ws.send("{not json")
    assert (await freelancer.expect("error"))["code"] == "invalid_json"
    await freelancer.ws.send(b"\x00\x01")
    assert (await freelancer.expect("error"))["code"] == "binary_not_supported"
    await freelancer.send("no.such.type")
    assert (await freelancer.expect("error"))["code"] == "unknown_type"
    await freelancer.send("message.send", client_id="c1")
    assert (await freelancer.expect("error"))["code"] == "invalid_field"
    await freelancer.send_message("   ")
    assert (await freelancer.expect("error"))["code"] == "empty_text"

    client_id = await freelancer.send_message("still here")
    ack = await freelancer.expect("message.ack", client_id=client_id)
    assert (await freelancer.expect("message", id=ack["id"]))["text"] == "still here"


async def test_a_script_connects_with_a_ticket_instead_of_the_cookie(
    embedded, sign_in_pair, open_chat
):
    pair = await sign_in_pair(embedded)
    ticket = await asyncio.wait_for(pair.client.ticket(), 10)
    client = await open_chat(pair.client, pair.conversation, ticket=ticket, send_cookie=False)
    freelancer = await open_chat(pair.freelancer, pair.conversation)
    await client.expect(
        "presence", status="online", where=lambda f: f["user"]["role"] == "freelancer"
    )

    ack = await freelancer.expect("message.ack", client_id=await freelancer.send_message("ping"))

    assert (await client.expect("message", id=ack["id"]))["text"] == "ping"
