"""A withheld message leaves the engine's split window, since the next message takes its seq."""

from __future__ import annotations

import pytest

from messaging import actions
from models import Message, MessageEvent


@pytest.mark.parametrize("action", ["block", "bounce", "hold"])
def test_a_withheld_piece_is_not_joined_with_the_message_reusing_its_seq(
    frame_of, send, freelancer, project, settings, action
):
    """Were it remembered, "43210" would complete the withheld "98765", and the retro-mask for
    seq 2 would rewrite the new message 2 itself with the withheld message's masked text."""
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"email": action}}
    }
    send(freelancer, project, "hello")
    withheld = send(freelancer, project, "mail rahul.k@gmail.com or 98765")
    assert frame_of(withheld, "message.withheld")["action"] == action

    outcome = send(freelancer, project, "43210")

    assert [frame["type"] for frame in outcome.broadcast] == ["message"]
    assert list(Message.objects.order_by("seq").values_list("seq", "text")) == [
        (1, "hello"), (2, "43210")
    ]
    assert not MessageEvent.objects.exists()


def test_the_engine_is_told_which_message_to_forget(send, freelancer, project, settings,
                                                      monkeypatch):
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES, "project": {"strikes": True, "actions": {"email": "block"}}
    }
    engine = actions.get_redactor()
    forgotten = []
    monkeypatch.setattr(engine, "forget", lambda *key: forgotten.append(key))
    send(freelancer, project, "hello")
    send(freelancer, project, "my email is jane.doe@gmail.com")
    send(freelancer, project, "call me at 98765 43210")  # masked, kept: nothing to forget

    assert forgotten == [(str(project.pk), str(freelancer.pk), "2")]
