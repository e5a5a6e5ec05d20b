"""Every bad frame gets an ``error`` frame with a stable code, and the socket stays usable."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from models import Message

pytestmark = pytest.mark.django_db(transaction=True)

BAD_FRAMES = [
    ("not json at all", "invalid_json"),
    ('{"type": "message.send", "client_id": "x", "text": "unterminated"', "invalid_json"),
    ('["message.send"]', "invalid_json"),
    ('"just a string"', "invalid_json"),
    ("{}", "unknown_type"),
    ('{"type": "message.shout", "text": "hi"}', "unknown_type"),
    ('{"type": 7}', "unknown_type"),
    ('{"type": "message.send", "text": "no client id"}', "invalid_field"),
    ('{"type": "message.send", "client_id": 42, "text": "x"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "", "text": "x"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "' + "c" * 65 + '", "text": "x"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "a"}', "invalid_field"),
    ('{"type": "message.send", "client_id": "a", "text": ["x"]}', "invalid_field"),
    ('{"type": "message.send", "client_id": "a", "text": null}', "invalid_field"),
    ('{"type": "message.send", "client_id": "a", "text": ""}', "empty_text"),
    ('{"type": "message.send", "client_id": "a", "text": " \\n\\t "}', "empty_text"),
    ('{"type": "message.edit", "id": "7", "text": "x"}', "invalid_field"),
    ('{"type": "message.edit", "id": true, "text": "x"}', "invalid_field"),
    ('{"type": "message.delete"}', "invalid_field"),
    ('{"type": "message.delete", "id": 0}', "invalid_field"),
    ('{"type": "read", "seq": -1}', "invalid_field"),
    ('{"type": "read", "seq": 1.5}', "invalid_field"),
    ('{"type": "history"}', "invalid_field"),
    ('{"type": "history", "after_seq": 0, "limit": 0}', "invalid_field"),
    ('{"type": "history", "after_seq": 0, "limit": "all"}', "invalid_field"),
]


async def assert_still_usable(socket) -> None:
    client_id = str(uuid.uuid4())
    await socket.send_json_to({"type": "message.send", "client_id": client_id, "text": "still"})
    ack = await socket.receive_json_from()
    assert (ack["type"], ack["client_id"]) == ("message.ack", client_id)
    assert (await socket.receive_json_from())["type"] == "message"


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES)
async def test_bad_frame_gets_its_error_code(alice, conversation, connect, raw, code):
    """Each malformed frame answers ``error {code, detail}``; nothing is stored."""
    socket = await connect(alice, conversation.pk, expect_presence=1)
    await socket.send_to(text_data=raw)
    error = await socket.receive_json_from()
    assert error["type"] == "error" and error["code"] == code
    assert isinstance(error["detail"], str) and error["detail"]
    assert await database_sync_to_async(Message.objects.count)() == 0
    await assert_still_usable(socket)


async def test_binary_frame_is_refused(alice, conversation, connect):
    """Binary frames get ``binary_not_supported``."""
    socket = await connect(alice, conversation.pk, expect_presence=1)
    await socket.send_to(bytes_data=b"\x00\x01binary")
    assert (await socket.receive_json_from())["code"] == "binary_not_supported"
    await assert_still_usable(socket)


async def test_text_over_the_limit_is_refused(alice, conversation, connect, settings):
    """Text longer than GATEWAY_MAX_TEXT_CHARS gets ``text_too_long``; at the limit it passes."""
    settings.GATEWAY_MAX_TEXT_CHARS = 50
    socket = await connect(alice, conversation.pk, expect_presence=1)
    await socket.send_json_to({"type": "message.send", "client_id": "long", "text": "a" * 51})
    assert (await socket.receive_json_from())["code"] == "text_too_long"
    await socket.send_json_to({"type": "message.send", "client_id": "fits", "text": "a" * 50})
    assert (await socket.receive_json_from())["type"] == "message.ack"


async def test_frame_over_the_byte_limit_is_refused(alice, conversation, connect, settings):
    """A frame over GATEWAY_MAX_FRAME_BYTES is refused before it is even parsed."""
    settings.GATEWAY_MAX_FRAME_BYTES = 1024
    socket = await connect(alice, conversation.pk, expect_presence=1)
    padding = "é" * 600  # 1,200 bytes of UTF-8 in 600 characters
    frame = {"type": "message.send", "client_id": "big", "text": "x", "pad": padding}
    await socket.send_to(text_data=json.dumps(frame, ensure_ascii=False))
    assert (await socket.receive_json_from())["code"] == "frame_too_large"
    await assert_still_usable(socket)


async def test_garbage_flood_is_rate_limited_too(alice, conversation, connect, settings):
    """Frames of any kind, invalid ones included, count against GATEWAY_FRAME_RATE_LIMIT."""
    settings.GATEWAY_FRAME_RATE_LIMIT = 5
    settings.GATEWAY_RATE_LIMIT_PERIOD = 60.0
    socket = await connect(alice, conversation.pk, expect_presence=1)
    for _ in range(6):
        await socket.send_to(text_data="garbage")
    codes = [(await socket.receive_json_from())["code"] for _ in range(6)]
    assert codes == ["invalid_json"] * 5 + ["rate_limited"]


async def test_unexpected_server_error_keeps_the_socket(alice, conversation, connect, monkeypatch):
    """A failure inside an action answers ``internal_error``; nothing is half-stored."""
    from messaging import actions

    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(actions, "get_redactor", lambda: type("E", (), {"redact": broken})())
    socket = await connect(alice, conversation.pk, expect_presence=1)
    await socket.send_json_to({"type": "message.send", "client_id": "x", "text": "hi"})
    assert (await socket.receive_json_from())["code"] == "internal_error"
    assert await database_sync_to_async(Message.objects.count)() == 0
    monkeypatch.undo()
    await assert_still_usable(socket)
