"""The JSON API: login required (401 JSON), methods checked (405 JSON), CSRF kept."""

from __future__ import annotations

import pytest
from django.test import Client

from messaging import actions
from messaging.tickets import user_for_ticket
from models import Conversation, ConversationKind, Participant
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("method", "url"), [("post", "/api/ws-ticket/"), ("get", "/api/conversations/")]
)
def test_endpoints_require_login_with_a_json_401(client, method, url):
    """Anonymous callers get 401 with a JSON error, not a redirect to an HTML page."""
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("method", "url"), [("get", "/api/ws-ticket/"), ("post", "/api/conversations/")]
)
def test_wrong_method_is_a_json_405(client, alice, method, url):
    """A wrong method answers 405 with a JSON error and an Allow header."""
    client.force_login(alice)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] in {"GET", "POST"}


def test_login_then_ticket_like_a_real_client(alice):
    """Log in through the form with CSRF, then POST for a ticket with the CSRF header."""
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    refused = client.post("/api/ws-ticket/")
    assert refused.status_code == 403  # no CSRF header: a cross-site page cannot mint one
    token = client.cookies["csrftoken"].value
    response = client.post("/api/ws-ticket/", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 60
    assert user_for_ticket(body["ticket"]) == alice


def test_wrong_password_shows_the_form_again(client, alice):
    """A failed login answers 200 with the form and an error message."""
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_conversations_lists_only_the_callers_with_unread(client, alice, bob, mallory,
                                                          conversation):
    """Each conversation with participants, last seq and the caller's unread count."""
    other = Conversation.objects.create(kind=ConversationKind.SUPPORT)
    Participant.objects.create(conversation=other, user=mallory)
    actions.send_message(alice, conversation.pk, "1", "one")
    actions.send_message(alice, conversation.pk, "2", "two")
    actions.send_message(bob, conversation.pk, "3", "three")
    actions.mark_read(bob, conversation.pk, 1)
    client.force_login(bob)
    body = client.get("/api/conversations/").json()
    assert body == [
        {
            "id": conversation.pk,
            "kind": "project",
            "participants": [
                {"id": alice.pk, "username": "alice", "display_name": "Alice",
                 "role": "freelancer"},
                {"id": bob.pk, "username": "bob", "display_name": "Bob", "role": "client"},
            ],
            "last_seq": 3,
            "unread": 1,  # alice's "two"; bob's own message never counts
        }
    ]


def test_root_sends_users_to_their_start_page(client, alice, conversation):
    """The bare root leads to the role's start page, which asks for a login first."""
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    client.force_login(alice)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/start/"
