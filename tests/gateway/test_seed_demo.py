"""``manage.py seed_demo``: demo accounts and conversations, safe to run again."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from models import Conversation, Participant, User

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_prints_how_to_log_in(monkeypatch):
    """Two runs leave the same users and one freelancer↔client conversation."""
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password")
    output = seed()
    seed()
    assert sorted(User.objects.values_list("username", "role")) == [
        ("agent", "agent"), ("client", "client"), ("freelancer", "freelancer"),
        ("moderator", "moderator"),
    ]
    conversation = Conversation.objects.get()
    assert conversation.kind == "project"
    assert sorted(conversation.participants.values_list("username", flat=True)) == [
        "client", "freelancer"
    ]
    assert "/accounts/login/" in output and "a-demo-password" in output
    assert authenticate(username="agent", password="a-demo-password") is not None


def test_seed_demo_pairs_each_get_their_conversation():
    """``--pairs N`` adds freelancer-i / client-i with one conversation each, once."""
    seed("--pairs", "3")
    seed("--pairs", "3")
    assert User.objects.filter(username__startswith="freelancer-").count() == 3
    assert Conversation.objects.count() == 4
    pair = Participant.objects.filter(conversation__participants__username="client-2")
    assert sorted(pair.values_list("user__username", flat=True)) == ["client-2", "freelancer-2"]
    assert authenticate(username="freelancer-3", password="demo-pass-123") is not None


def test_seed_demo_rejects_a_negative_pair_count():
    """A negative ``--pairs`` is a clear command error."""
    with pytest.raises(CommandError, match="--pairs"):
        seed("--pairs", "-1")


def test_seed_demo_keeps_sessions_alive_and_resets_a_changed_password(monkeypatch):
    """A rerun leaves a still-valid hash alone (sessions survive) and resets a changed one."""
    seed()
    before = User.objects.get(username="client").password
    seed()
    assert User.objects.get(username="client").password == before

    agent = User.objects.get(username="agent")
    agent.set_password("something else")
    agent.save()
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-123")
    seed()
    assert authenticate(username="agent", password="demo-pass-123") is not None
    assert User.objects.get(username="client").password == before
