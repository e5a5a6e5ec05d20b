"""``bench.loadgen --clear``: every run starts from the same database state."""

from __future__ import annotations

import pytest

from bench.chat_tables import clear
from models import (
    AuditLog,
    Case,
    Conversation,
    Message,
    MessageOriginal,
    Strike,
    Suspension,
    User,
    Violation,
)

# Committed rows, as in the bench database: PostgreSQL will not truncate a table with
# foreign-key checks still pending in the same transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_clear_empties_chats_and_moderation_and_keeps_people(
    freelancer, client_user, project, send
):
    for number, digits in enumerate(["98765 43210", "91234 56789", "99887 76655"]):
        send(freelancer, project, f"call me on {digits}", client_id=f"c{number}")
    freelancer.refresh_from_db()
    assert freelancer.is_suspended and Violation.objects.count() == 3  # something to clear

    clear()

    for model in (Message, MessageOriginal, Violation, Strike, Case, Suspension, AuditLog):
        assert not model.objects.exists(), model.__name__
    project.refresh_from_db()
    assert (project.last_seq, project.last_message_at) == (0, None)
    assert not User.objects.get(pk=freelancer.pk).is_suspended
    assert Conversation.objects.filter(pk=project.pk).exists()
    outcome = send(client_user, project, "starting over")
    assert outcome.reply[0]["seq"] == 1
