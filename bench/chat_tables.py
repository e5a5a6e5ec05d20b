"""Empty the bench database's chats between relay runs; users and their sessions stay.

What a send costs the database depends on what is stored already (the strike policy reads
the sender's violations and strikes, indexes grow), so two runs compare only from the same
state. ``--fresh`` of :mod:`bench.loadgen` gets there by dropping the database, which costs
a couple of minutes of logging 1,000 users in again; ``--clear`` runs :func:`clear` through
``manage.py shell`` instead: messages, their originals and events, connection logs and
every moderation record go, conversations start again at ``seq`` 0, nobody is suspended.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, transaction

from models import (
    Appeal,
    AuditLog,
    Case,
    ConnectionLog,
    Conversation,
    Fingerprint,
    Message,
    MessageEvent,
    MessageOriginal,
    Participant,
    Strike,
    Suspension,
    User,
    Violation,
)


def clear() -> None:
    """Delete every chat and moderation row; keep users, conversations and contracts."""
    emptied = [Message, MessageEvent, MessageOriginal, Violation, Fingerprint, Strike, Case,
               Suspension, Appeal, AuditLog, ConnectionLog]  # fmt: skip
    tables = [model._meta.db_table for model in emptied]
    tables.append(Violation.messages.through._meta.db_table)
    with transaction.atomic():
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
        )
        Conversation.objects.update(last_seq=0, last_message_at=None)
        Participant.objects.update(last_read_seq=0)
        User.objects.update(suspended_at=None)
