"""The chat's business rules called directly, without a socket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from messaging import actions
from messaging.errors import NotAllowed, NotFound
from messaging.limits import Limits
from messaging.policy import Action, Decision
from models import Message, MessageEvent, MessageOriginal
from redaction.types import DetailType, Finding, Piece, Result, RetroMask

pytestmark = pytest.mark.django_db(transaction=True)


def all_seqs(conversation) -> list[int]:
    messages = Message.objects.filter(conversation=conversation).values_list("seq", flat=True)
    events = MessageEvent.objects.filter(conversation=conversation).values_list("seq", flat=True)
    return sorted([*messages, *events])


def test_seq_is_shared_by_messages_and_events(alice, conversation):
    """Messages, edits and deletions draw from one gapless per-conversation sequence."""
    limits = Limits.from_settings()
    first = actions.send_message(alice, conversation.pk, "1", "first")
    message_id = first.reply[0]["id"]
    actions.edit_message(alice, conversation.pk, message_id, "first, edited", limits=limits)
    actions.send_message(alice, conversation.pk, "2", "second")
    actions.delete_message(alice, conversation.pk, message_id, limits=limits)
    assert all_seqs(conversation) == [1, 2, 3, 4]
    conversation.refresh_from_db()
    assert conversation.last_seq == 4
    page = actions.history(conversation.pk, after_seq=0, limit=10)
    assert [(item["type"], item["seq"]) for item in page["messages"]] == [
        ("message", 1), ("message.update", 2), ("message", 3), ("message.update", 4)
    ]


def test_refused_action_stores_nothing(alice, mallory, conversation):
    """An outsider's send and a send to a missing conversation leave no trace."""
    with pytest.raises(NotAllowed):
        actions.send_message(mallory, conversation.pk, "x", "let me in")
    with pytest.raises(NotFound):
        actions.send_message(alice, conversation.pk + 99, "x", "where?")
    conversation.refresh_from_db()
    assert conversation.last_seq == 0 and not Message.objects.exists()


class ScriptedEngine:
    """Returns the Result a test prepared, as the engine would for a completed split."""

    def __init__(self, results: dict[str, Result]) -> None:
        self.results = results

    def redact(self, text, context):
        return self.results.get(text) or Result(text=text, masked=text)

    def forget(self, conversation, sender, message_id):
        """Remembers nothing, so there is nothing to forget."""


def test_retro_masking_rewrites_earlier_pieces_as_events(alice, conversation, monkeypatch):
    """A message completing a split detail masks the earlier piece with its own seq."""
    phone_tail = Finding(0, 5, DetailType.PHONE, "phone", 0.9, frozenset({"split"}),
                         (Piece("1", 0, 5),))
    phone_head = Finding(0, 5, DetailType.PHONE, "phone", 0.9, frozenset({"split"}),
                         (Piece("2", 0, 5),))
    completing = Result(
        text="43210", masked="[phone removed]", findings=(phone_tail,),
        retro=(RetroMask("1", (phone_head,), "[phone removed]"),),
    )
    monkeypatch.setattr(actions, "get_redactor", lambda: ScriptedEngine({"43210": completing}))
    actions.send_message(alice, conversation.pk, "a", "98765")
    outcome = actions.send_message(alice, conversation.pk, "b", "43210")

    assert [(f["type"], f["seq"]) for f in outcome.broadcast] == [
        ("message", 2), ("message.update", 3)
    ]
    update = outcome.broadcast[1]
    assert (update["reason"], update["text"], update["redacted"]) == (
        "retro", "[phone removed]", True
    )
    warning = outcome.reply[1]
    assert (warning["type"], warning["types"]) == ("warning", ["phone"])
    earlier = Message.objects.get(conversation=conversation, seq=1)
    assert (earlier.text, earlier.redacted) == ("[phone removed]", True)
    # Originals are sealed at rest (moderation); tests may reveal them without an audit.
    assert MessageOriginal.objects.get(message=earlier, reason="retro").text.reveal() == "98765"
    assert MessageOriginal.objects.get(message__seq=2, reason="send").text.reveal() == "43210"
    # A client resyncing from before the split sees the masked transcript only.
    replay = actions.history(conversation.pk, after_seq=0, limit=10)["messages"]
    assert "98765" not in str(replay) and "43210" not in str(replay)


def test_retro_masking_with_the_real_engine(alice, conversation):
    """A phone number typed in two messages ends up masked in both stored messages."""
    actions.send_message(alice, conversation.pk, "a", "my number is")
    actions.send_message(alice, conversation.pk, "b", "98765")
    outcome = actions.send_message(alice, conversation.pk, "c", "43210")
    assert "message.update" in [frame["type"] for frame in outcome.broadcast]
    texts = list(Message.objects.filter(conversation=conversation).values_list("text", flat=True))
    assert not any("98765" in text or "43210" in text for text in texts)


class RecordingPolicy:
    """Records what it was asked, and whether a transaction was open at the time."""

    seen: list[tuple[int, bool]] = []  # noqa: RUF012 - reset by the test using it

    def decide(self, redacted):
        self.seen.append((redacted.message.pk, connection.in_atomic_block))
        return Decision(Action.MASK, note="2 more strikes before suspension.")


def test_policy_is_asked_in_the_same_transaction(alice, conversation, settings):
    """The configured policy sees the saved message, inside the transaction, and its note
    reaches the sender's warning."""
    RecordingPolicy.seen = []
    settings.GATEWAY_POLICY = f"{__name__}.RecordingPolicy"
    outcome = actions.send_message(alice, conversation.pk, "a", "mail me: jo.smith@gmail.com")
    assert RecordingPolicy.seen == [(outcome.reply[0]["id"], True)]
    assert outcome.reply[1]["detail"].endswith("2 more strikes before suspension.")


def test_clean_message_does_not_consult_the_policy_or_keep_an_original(alice, conversation):
    """Nothing masked: no original stored, no warning."""
    outcome = actions.send_message(alice, conversation.pk, "a", "The budget is 5000 INR")
    assert [frame["type"] for frame in outcome.reply] == ["message.ack"]
    assert not MessageOriginal.objects.exists()


def test_concurrent_sends_get_distinct_gapless_seqs(alice, bob, conversation):
    """Writers racing on one conversation never share or skip a sequence number."""
    errors = []

    def writer(user, prefix):
        try:
            for number in range(10):
                actions.send_message(user, conversation.pk, f"{prefix}{number}", "hi")
        except Exception as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    writers = [(alice, "alice-"), (bob, "bob-"), (alice, "alice-tab-2-")]
    threads = [threading.Thread(target=writer, args=args) for args in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all_seqs(conversation) == list(range(1, 31))


def test_mark_read_clamps_and_never_goes_back(alice, bob, conversation):
    """The read marker moves forward only, and never past the last seq."""
    actions.send_message(alice, conversation.pk, "a", "one")
    assert actions.mark_read(bob, conversation.pk, 50)["seq"] == 1
    assert actions.mark_read(bob, conversation.pk, 0) is None


class BlockingPolicy:
    """Keeps every message with findings out of the conversation."""

    def decide(self, redacted):
        return Decision(Action.BLOCK)


def test_a_withheld_completion_leaves_earlier_pieces_and_the_sequence_alone(
    alice, conversation, monkeypatch, settings
):
    """When the policy withholds the message that completes a split detail, the earlier
    piece reveals nothing alone: it is not rewritten, and no seq is spent on an event."""
    piece = Finding(0, 5, DetailType.PHONE, "phone", 0.9, frozenset({"split"}),
                    (Piece("1", 0, 5),))
    completing = Result(text="43210", masked="[phone removed]", findings=(piece,),
                        retro=(RetroMask("1", (piece,), "[phone removed]"),))
    monkeypatch.setattr(actions, "get_redactor", lambda: ScriptedEngine({"43210": completing}))
    actions.send_message(alice, conversation.pk, "a", "98765")
    settings.GATEWAY_POLICY = f"{__name__}.BlockingPolicy"
    outcome = actions.send_message(alice, conversation.pk, "b", "43210")
    assert outcome.broadcast == () and outcome.reply[0]["type"] == "message.withheld"
    settings.GATEWAY_POLICY = "messaging.policy.MaskPolicy"
    actions.send_message(alice, conversation.pk, "c", "see you tomorrow")
    assert Message.objects.get(seq=1).text == "98765"
    assert not MessageEvent.objects.exists()
    assert all_seqs(conversation) == [1, 2]
