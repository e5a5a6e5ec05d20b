"""Fixtures for moderation's tests: people of every role, conversations, and a ``send``
that goes through the gateway's real action (engine, policy, transaction)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from messaging import actions
from models import Conversation, ConversationKind, Participant, Role, User
from tests.conftest import PASSWORD
from tests.gateway.conftest import (  # noqa: F401  (fixtures, registered by import)
    fast_password_hashing,
    fresh_redactor,
)

# Messages the strike policy acts on: a plain phone, an email, a spelled-out phone.
PHONE = "call me at 98765 43210"
EMAIL = "my email is jane.doe@gmail.com"
SPELLED = "nine eight seven six five four three two one zero"


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(username: str, role: str) -> User:
        return User.objects.create_user(username=username, password=PASSWORD, role=role)

    return make


@pytest.fixture
def freelancer(make_user) -> User:
    return make_user("fay", Role.FREELANCER)


@pytest.fixture
def client_user(make_user) -> User:
    return make_user("carl", Role.CLIENT)


@pytest.fixture
def agent(make_user) -> User:
    return make_user("agnes", Role.AGENT)


@pytest.fixture
def moderator(make_user) -> User:
    return make_user("mona", Role.MODERATOR)


@pytest.fixture
def make_conversation(db) -> Callable[..., Conversation]:
    def make(*users: User, kind: str = ConversationKind.PROJECT) -> Conversation:
        conversation = Conversation.objects.create(kind=kind)
        Participant.objects.bulk_create(
            Participant(conversation=conversation, user=user) for user in users
        )
        return conversation

    return make


@pytest.fixture
def project(make_conversation, freelancer, client_user) -> Conversation:
    return make_conversation(freelancer, client_user)


_client_ids = itertools.count(1)


@pytest.fixture
def send() -> Callable[..., actions.Outcome]:
    def send(user: User, conversation: Conversation, text: str, client_id: str | None = None):
        return actions.send_message(
            user, conversation.pk, client_id or f"c{next(_client_ids)}", text
        )

    return send


@pytest.fixture
def api(db) -> Callable[[User | None], Client]:
    """A Django test client logged in as the given user (anonymous for ``None``)."""

    def login(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def clock(monkeypatch) -> Callable[[timedelta], datetime]:
    """Freeze ``timezone.now``; calling the fixture moves the frozen time forward."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def advance(by: timedelta) -> datetime:
        state["now"] += by
        return state["now"]

    return advance


def _frame_of(outcome: actions.Outcome, kind: str) -> dict | None:
    return next((frame for frame in outcome.reply if frame["type"] == kind), None)


@pytest.fixture
def frame_of() -> Callable[[actions.Outcome, str], dict | None]:
    """The reply frame of a type in an action's outcome, or ``None``."""
    return _frame_of
