"""The split-message window in Redis: shared by every process, and never failing a send."""

from __future__ import annotations

import json
import logging
import socket
import uuid
from collections.abc import Iterator

import pytest
import redis

from messaging import actions
from messaging.redactor import reset_redactor
from messaging.window_store import RedisWindow
from models import Message
from redaction import Context, DetailType, Finding, Redactor, RedactorConfig
from redaction.normalize import normalise
from redaction.window import Entry, classify

CONFIG = RedactorConfig()


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(redis_url) as client:
        yield client


@pytest.fixture
def prefix(client: redis.Redis) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"test-window-{uuid.uuid4().hex[:12]}"
    yield prefix
    stale = list(client.scan_iter(match=f"{prefix}:*"))
    if stale:
        client.delete(*stale)


def store(client: redis.Redis, prefix: str, **config) -> RedisWindow:
    return RedisWindow(client, RedactorConfig(**config), prefix=prefix)


def entry(message_id: str, text: str | None, timestamp: float = 100.0) -> Entry:
    if text is None:
        return Entry(message_id, timestamp, None, None)
    norm = normalise(text)
    return Entry(message_id, timestamp, classify(norm.text), norm)


def send(redactor: Redactor, text: str, message_id: str, at: float):
    return redactor.redact(text, Context("c1", "u1", message_id, (), at))


def test_one_list_per_sender_bounded_in_length_and_expiring(client, prefix):
    window = store(client, prefix, window_messages=3, window_seconds=60)
    for i in range(5):
        window.add(("c1", "u1"), entry(f"m{i}", "98765" if i % 2 else None, 100.0 + i))
    window.add(("c1", "u2"), entry("x", None))

    assert client.llen(f"{prefix}:c1:u1") == 3
    assert 0 < client.pttl(f"{prefix}:c1:u1") <= 60_000
    recent = window.recent(("c1", "u1"), 105.0)
    assert recent == [entry("m3", "98765", 103.0), entry("m4", None, 104.0)]
    assert [e.message_id for e in window.recent(("c1", "u1"), 163.5)] == ["m4"]
    assert window.recent(("c2", "u1"), 105.0) == []
    assert not client.exists(f"{prefix}:c1:u2")  # prose alone ends no attempt: no key


def test_keys_quote_their_parts_so_two_senders_never_share_one(client, prefix):
    window = store(client, prefix)
    window.add(("a:b", "c"), entry("m1", "98765"))
    window.add(("a", "b:c"), entry("m2", "43210"))
    assert [e.message_id for e in window.recent(("a:b", "c"), 100.0)] == ["m1"]
    assert [e.message_id for e in window.recent(("a", "b:c"), 100.0)] == ["m2"]


def test_amend_and_forget_touch_every_entry_of_one_message_only(client, prefix):
    window = store(client, prefix)
    key = ("c1", "u1")
    finding = Finding(0, 5, DetailType.PHONE, "phone", 0.9, frozenset({"split"}))
    for message_id, text in (("m1", "98765"), ("m11", "43"), ("m1", "98765 4")):
        window.add(key, entry(message_id, text))

    window.amend(key, "m1", (finding,))
    assert [(e.message_id, e.findings) for e in window.recent(key, 100.0)] == [
        ("m1", (finding,)), ("m11", ()), ("m1", (finding,))
    ]
    window.forget(key, "m1")
    assert [e.message_id for e in window.recent(key, 100.0)] == ["m11"]


def test_a_corrupt_item_is_read_as_an_empty_window(client, prefix, caplog):
    window = store(client, prefix)
    window.add(("c1", "u1"), entry("m1", "98765"))
    client.rpush(f"{prefix}:c1:u1", b"not an entry")
    with caplog.at_level(logging.WARNING, "messaging.window_store"):
        assert window.recent(("c1", "u1"), 100.0) == []
    assert "malformed window item" in caplog.text


def test_two_processes_sharing_the_store_join_one_senders_pieces(client, prefix):
    """Each Redactor stands for a daphne process: the pieces go through different ones."""
    process_a = Redactor(CONFIG, window=store(client, prefix))
    process_b = Redactor(CONFIG, window=store(client, prefix))

    first = send(process_a, "98765", "1", 1000.0)
    second = send(process_b, "43210", "2", 1001.0)

    assert first.masked == "98765"
    assert second.masked == "[phone removed]"
    (retro,) = second.retro
    assert (retro.message_id, retro.masked_text) == ("1", "[phone removed]")
    # The first piece is now used up, as process A would also see.
    (stored, _) = store(client, prefix).recent(("c1", "u1"), 1002.0)
    assert ["split" in f.disguises for f in stored.findings] == [True]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_redis_leaves_each_message_redacted_on_its_own(caplog):
    window = RedisWindow.from_url(f"redis://127.0.0.1:{closed_port()}/0", CONFIG, prefix="x")
    redactor = Redactor(CONFIG, window=window)

    with caplog.at_level(logging.WARNING, "messaging.window_store"):
        alone = send(redactor, "call me on 98765 43210", "1", 1000.0)
        piece = send(redactor, "98765", "2", 1001.0)
        redactor.forget("c1", "u1", "2")

    assert alone.masked == "call me on [phone removed]"
    assert (piece.masked, piece.retro) == ("98765", ())
    # One warning: after a failure the store leaves Redis alone for a moment.
    (warning,) = caplog.records
    assert "read for conversation c1, sender u1 failed" in warning.getMessage()


@pytest.mark.parametrize(("retry_after", "written"), [(60.0, []), (0.0, ["2"])])
def test_after_a_failure_redis_is_left_alone_for_retry_after_seconds(
    client, prefix, monkeypatch, retry_after, written
):
    window = RedisWindow(client, CONFIG, prefix=prefix, retry_after=retry_after)
    failing = iter([redis.ConnectionError("connection reset by peer")])

    def lrange(*args):
        raise next(failing)

    monkeypatch.setattr(client, "lrange", lrange)
    window.recent(("c1", "u1"), 100.0)
    window.add(("c1", "u1"), entry("2", "98765"))
    monkeypatch.undo()
    items = client.lrange(f"{prefix}:c1:u1", 0, -1)
    assert [json.loads(item.split(b"\n")[0]) for item in items] == written


# --- The gateway's engine ----------------------------------------------------------------------


def stored_texts(conversation) -> list[tuple[int, str]]:
    return list(Message.objects.filter(conversation=conversation)
                .order_by("seq").values_list("seq", "text"))


@pytest.mark.parametrize(
    ("store", "texts"),
    [("auto", [(1, "[phone removed]"), (2, "[phone removed]")]),
     ("memory", [(1, "98765"), (2, "43210")])],
)
def test_with_redis_url_the_window_outlives_an_engine_unless_kept_in_memory(
    redis_url, settings, alice, conversation, store, texts
):
    """A rebuilt engine (another process, a restart) still completes the sender's attempt."""
    settings.REDIS_URL = redis_url
    settings.GATEWAY_WINDOW_STORE = store
    actions.send_message(alice, conversation.pk, "a", "98765")
    reset_redactor()
    actions.send_message(alice, conversation.pk, "b", "43210")
    assert stored_texts(conversation) == texts


def test_a_send_while_redis_is_down_is_redacted_alone_and_stored(
    settings, alice, conversation, caplog
):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.GATEWAY_WINDOW_STORE = "redis"
    with caplog.at_level(logging.WARNING, "messaging.window_store"):
        for client_id, text in [("a", "call me on 98765 43210"), ("b", "98765"), ("c", "43210")]:
            outcome = actions.send_message(alice, conversation.pk, client_id, text)
            assert outcome.reply[0]["type"] == "message.ack"

    assert stored_texts(conversation) == [
        (1, "call me on [phone removed]"), (2, "98765"), (3, "43210")
    ]
    assert "judged on their own" in caplog.text


def test_batched_writes_wait_for_the_end_of_the_block_and_reads_see_them(client, prefix):
    """A group commit's window writes go out together; a read in the block sees them."""
    window = store(client, prefix, window_messages=3, window_seconds=60)
    key, name = ("c1", "u1"), f"{prefix}:c1:u1"
    with window.batched():
        window.add(key, entry("m1", "98765", 100.0))
        assert client.llen(name) == 0  # held
        assert [e.message_id for e in window.recent(key, 101.0)] == ["m1"]
        window.add(key, entry("m2", "43210", 101.0))
        window.forget(key, "m1")
        assert client.llen(name) == 1  # m1 went out with the read; m2 and the forget wait
    assert [e.message_id for e in window.recent(key, 102.0)] == ["m2"]
    window.add(key, entry("m3", "555", 102.0))  # outside a block: at once
    assert client.llen(name) == 2
    with window.batched():  # a single held write goes out on its own
        window.add(key, entry("m4", None, 103.0))
        assert client.llen(name) == 2
    assert client.llen(name) == 3
