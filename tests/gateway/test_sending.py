"""Group commit: several sends in one transaction, each judged and answered as if alone."""

from __future__ import annotations

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging import actions, sending
from messaging.actions import Outcome, SendRequest
from messaging.errors import NotAllowed, Suspended
from models import Conversation, Message, MessageEvent, MessageOriginal
from tests.gateway.conftest import project_between

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second(alice, mallory) -> Conversation:
    """Alice's other conversation, with Mallory."""
    return project_between(alice, mallory)


def texts_in_order(conversation: Conversation) -> list[str]:
    stored = Message.objects.filter(conversation=conversation).order_by("seq")
    return list(stored.values_list("text", flat=True))


def seqs(conversation: Conversation) -> list[int]:
    stored = Message.objects.filter(conversation=conversation).order_by("seq")
    return list(stored.values_list("seq", flat=True))


def test_a_batch_stores_each_send_in_order_with_one_commit(
    alice, bob, mallory, conversation, second
):
    requests = [
        SendRequest(alice, conversation.pk, "a1", "first"),
        SendRequest(bob, conversation.pk, "b1", "second"),
        SendRequest(alice, second.pk, "a2", "elsewhere"),
        SendRequest(alice, conversation.pk, "a3", "third"),
        SendRequest(mallory, second.pk, "m1", "hello"),
    ]
    with CaptureQueriesContext(connection) as queries:
        outcomes = actions.send_messages(requests)
    assert [o.reply[0]["seq"] for o in outcomes] == [1, 2, 1, 3, 2]
    assert [o.broadcast[0]["text"] for o in outcomes] == [r.text for r in requests]
    assert seqs(conversation) == [1, 2, 3] and seqs(second) == [1, 2]
    conversation.refresh_from_db()
    second.refresh_from_db()
    assert (conversation.last_seq, second.last_seq) == (3, 2)
    assert conversation.last_message_at is not None
    # Lock, resend lookup, one insert of all the clean messages, one update of both
    # conversations: no statement per message.
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum(sql.startswith("INSERT") for sql in statements) == 1
    assert sum(sql.startswith("UPDATE") for sql in statements) == 1
    assert len(statements) <= 6
    ids = dict(Message.objects.values_list("client_id", "id"))
    assert [o.reply[0]["id"] for o in outcomes] == [ids[r.client_id] for r in requests]
    assert [o.broadcast[0]["id"] for o in outcomes] == [ids[r.client_id] for r in requests]


def test_message_queries_join_no_conversation_for_their_default_order():
    """The resend lookup of every batch reads messages alone."""
    for model in (Message, MessageEvent, MessageOriginal):
        sql = str(model.objects.filter(pk=1).query)
        assert "JOIN" not in sql, model.__name__


def test_clean_messages_around_a_masked_one_are_stored_in_sequence_order(alice, conversation):
    texts = ["hi", "there", "call me on 98765 43210", "thanks", "bye"]
    outcomes = actions.send_messages(
        [SendRequest(alice, conversation.pk, f"c{i}", text) for i, text in enumerate(texts)]
    )
    assert [o.reply[0]["seq"] for o in outcomes] == [1, 2, 3, 4, 5]
    assert outcomes[2].broadcast[0]["redacted"] and "98765" not in outcomes[2].broadcast[0]["text"]
    stored = list(Message.objects.filter(conversation=conversation).order_by("id"))
    assert [m.seq for m in stored] == [1, 2, 3, 4, 5]  # inserted in order: ids follow seq
    assert [m.id for m in stored] == [o.reply[0]["id"] for o in outcomes]


def test_a_refused_send_gets_its_error_and_the_others_go_ahead(
    alice, bob, mallory, conversation
):
    bob.suspended_at = timezone.now()
    bob.save(update_fields=["suspended_at"])
    outcomes = actions.send_messages([
        SendRequest(alice, conversation.pk, "a1", "one"),
        SendRequest(mallory, conversation.pk, "m1", "let me in"),
        SendRequest(bob, conversation.pk, "b1", "am I suspended?"),
        SendRequest(alice, conversation.pk + 99, "a2", "where?"),
        SendRequest(alice, conversation.pk, "a3", "two"),
    ])
    assert isinstance(outcomes[1], NotAllowed) and isinstance(outcomes[2], Suspended)
    assert outcomes[3].code == "not_found"
    assert [outcomes[0].reply[0]["seq"], outcomes[4].reply[0]["seq"]] == [1, 2]
    assert seqs(conversation) == [1, 2]


def test_a_client_id_sent_twice_in_one_batch_is_stored_once(alice, conversation):
    outcomes = actions.send_messages([
        SendRequest(alice, conversation.pk, "same", "hello"),
        SendRequest(alice, conversation.pk, "same", "hello"),
    ])
    first, again = outcomes
    assert first.reply[0]["id"] == again.reply[0]["id"]
    assert again.broadcast == ()
    assert Message.objects.count() == 1


def test_a_failing_batch_stores_nothing(alice, bob, conversation, monkeypatch):
    def fail(messages):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Message.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        actions.send_messages([
            SendRequest(alice, conversation.pk, "a1", "98765"),
            SendRequest(bob, conversation.pk, "b1", "two"),
        ])
    conversation.refresh_from_db()
    assert conversation.last_seq == 0 and not Message.objects.exists()
    # The split window forgot the rolled-back piece: the next message, which reuses its
    # number, is not joined with it.
    monkeypatch.undo()
    outcome = actions.send_message(alice, conversation.pk, "a2", "43210")
    assert [frame["type"] for frame in outcome.broadcast] == ["message"]
    assert outcome.broadcast[0]["text"] == "43210"


async def test_the_batcher_groups_concurrent_sends_and_answers_each(alice, bob, conversation):
    batches: list[int] = []
    real = actions.send_messages

    def recording(requests, **options):
        batches.append(len(requests))
        return real(requests, **options)

    batcher = sending.SendBatcher(max_batch=8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actions, "send_messages", recording)
        outcomes = await asyncio.gather(*(
            batcher.send(SendRequest(alice if i % 2 else bob, conversation.pk, f"c{i}", f"m{i}"))
            for i in range(20)
        ))
    assert all(isinstance(outcome, Outcome) for outcome in outcomes)
    assert sorted(o.reply[0]["seq"] for o in outcomes) == list(range(1, 21))
    # All twenty were queued before the worker first ran: full batches, then the rest.
    assert batches == [8, 8, 4]


async def test_a_failed_batch_is_retried_one_send_at_a_time(alice, bob, conversation):
    real = actions.send_messages

    def poisoned(requests, **options):
        if any(r.text == "poison" for r in requests):
            raise IntegrityError("simulated")
        return real(requests, **options)

    batcher = sending.SendBatcher()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actions, "send_messages", poisoned)
        results = await asyncio.gather(
            *(batcher.send(SendRequest(alice, conversation.pk, f"c{i}", text))
              for i, text in enumerate(["warm-up", "fine", "poison", "also fine"])),
            return_exceptions=True,
        )
    assert isinstance(results[2], IntegrityError)
    assert [r.reply[0]["seq"] for r in (results[0], results[1], results[3])] == [1, 2, 3]


async def test_the_batcher_broadcasts_in_sequence_order_before_answering(
    alice, bob, conversation, settings
):
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(conversation.group_name, listener)
    batcher = sending.SendBatcher(max_batch=4)
    outcomes = await asyncio.gather(*(
        batcher.send(SendRequest(alice if i % 2 else bob, conversation.pk, f"c{i}", f"m{i}"))
        for i in range(10)
    ))
    # Every send was on the layer by the time it was answered, in the order it was stored.
    events = [await asyncio.wait_for(layer.receive(listener), 1) for _ in outcomes]
    assert [event["frames"][0]["seq"] for event in events] == list(range(1, 11))
    assert all(outcome.reply[0]["type"] == "message.ack" for outcome in outcomes)


@pytest.fixture
def four(alice, bob, mallory) -> list[Conversation]:
    return [project_between(alice, bob), project_between(alice, mallory),
            project_between(bob, mallory), project_between(alice, bob)]  # fmt: skip


async def test_send_threads_each_store_their_own_conversations_in_order(alice, bob, four):
    """With two send threads, a conversation's sends all go to one thread, in order."""
    conversations = four
    threads: dict[int, set[str]] = {c.pk: set() for c in conversations}
    real = actions.send_messages

    def recording(requests, **options):
        for request in requests:
            threads[request.conversation_id].add(threading.current_thread().name)
        return real(requests, **options)

    batcher = sending.SendBatcher(max_batch=4, threads=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actions, "send_messages", recording)
        try:
            outcomes = await asyncio.gather(*(
                batcher.send(SendRequest(alice if c.pk != conversations[2].pk else bob, c.pk,
                                         f"c{i}", f"m{i}"))
                for i in range(6) for c in conversations
            ))  # fmt: skip
        finally:
            await batcher.close()

    assert all(isinstance(outcome, Outcome) for outcome in outcomes)
    for conversation in conversations:
        stored = await database_sync_to_async(texts_in_order)(conversation)
        assert stored == [f"m{i}" for i in range(6)]
        assert len(threads[conversation.pk]) == 1  # one shard, one thread
    assert len(set().union(*threads.values())) == 2  # and both threads did work


# --- Conversations another process holds (PostgreSQL's SKIP LOCKED) ------------------------


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks that other transactions skip need PostgreSQL (DATABASE_URL)")


class HeldConversation:
    """Another transaction (a thread with its own connection) holding a conversation's
    lock, as another process's batch does, until :meth:`release`."""

    def __init__(self, conversation: Conversation) -> None:
        self._locked, self._release = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._hold, args=(conversation.pk,))
        self._thread.start()
        assert self._locked.wait(10), "the holder did not get the lock"

    def _hold(self, conversation_id: int) -> None:
        try:
            with transaction.atomic():
                Conversation.objects.select_for_update(no_key=True).get(pk=conversation_id)
                self._locked.set()
                self._release.wait(30)
        finally:
            connection.close()

    def release(self) -> None:
        self._release.set()
        self._thread.join()


def test_a_held_conversation_is_deferred_and_the_others_are_stored(
    postgresql, alice, bob, mallory, conversation, second
):
    held = HeldConversation(conversation)
    try:
        outcomes = actions.send_messages(
            [
                SendRequest(alice, conversation.pk, "a1", "call me on 98765 43210"),
                SendRequest(mallory, second.pk, "m1", "hello"),
                SendRequest(bob, conversation.pk, "b1", "sure"),
            ],
            wait_for=frozenset(),
        )
    finally:
        held.release()
    assert outcomes[0] == outcomes[2] == actions.Deferred(conversation.pk)
    assert outcomes[1].reply[0]["seq"] == 1
    # Untouched: nothing stored, no number taken, nothing judged.
    conversation.refresh_from_db()
    assert conversation.last_seq == 0 and seqs(conversation) == []
    assert not conversation.violations.exists()


def test_skipping_judges_conversation_rows_not_participant_rows(
    postgresql, alice, bob, conversation
):
    """The statement that skips held conversations locks conversation rows alone.

    On the participants joined to their conversation, ``SKIP LOCKED`` judged each
    participant row apart: a conversation another process released mid-scan came back
    with some of its participants, and the others' sends were refused as by strangers
    (the Redis-restart fault test caught it). Both participants may send in the batch.
    """
    with CaptureQueriesContext(connection) as queries:
        outcomes = actions.send_messages(
            [SendRequest(alice, conversation.pk, "a1", "one"),
             SendRequest(bob, conversation.pk, "b1", "two")],
            wait_for=frozenset(),
        )  # fmt: skip
    skipping = [q["sql"] for q in queries if "SKIP LOCKED" in q["sql"]]
    assert len(skipping) == 1 and "gateway_participant" not in skipping[0]
    assert [o.reply[0]["seq"] for o in outcomes] == [1, 2]


def test_a_conversation_named_in_wait_for_is_waited_for(
    postgresql, alice, mallory, conversation, second
):
    held = HeldConversation(conversation)
    releaser = threading.Timer(0.2, held.release)
    releaser.start()
    outcomes = actions.send_messages(
        [SendRequest(alice, conversation.pk, "a1", "one"),
         SendRequest(mallory, second.pk, "m1", "hello")],
        wait_for=frozenset({conversation.pk}),
    )  # fmt: skip
    releaser.join()
    assert [o.reply[0]["seq"] for o in outcomes] == [1, 1]
    assert texts_in_order(conversation) == ["one"]


async def test_the_batcher_stores_around_a_held_conversation_then_waits_for_it(
    postgresql, alice, bob, mallory, conversation, second
):
    """Another process's batch holds a conversation: the batcher stores the other
    conversation's sends meanwhile, then the held one's, in their order."""
    held = await asyncio.to_thread(HeldConversation, conversation)
    batcher = sending.SendBatcher(max_batch=8)
    sends = [
        asyncio.ensure_future(batcher.send(SendRequest(user, c.pk, f"c{i}", f"m{i}")))
        for i, (user, c) in enumerate(
            [(alice, conversation), (mallory, second), (bob, conversation), (alice, second)]
        )
    ]
    try:
        other = await asyncio.wait_for(asyncio.gather(sends[1], sends[3]), 10)
        assert not (sends[0].done() or sends[2].done())
    finally:
        await asyncio.to_thread(held.release)
    waited = await asyncio.wait_for(asyncio.gather(sends[0], sends[2]), 10)
    assert [o.reply[0]["seq"] for o in other] == [1, 2]
    assert [o.reply[0]["seq"] for o in waited] == [1, 2]
    assert await database_sync_to_async(texts_in_order)(conversation) == ["m0", "m2"]
