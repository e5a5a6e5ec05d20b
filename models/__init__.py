"""The gateway's Django models, one module per topic.

``from models import Message`` works once Django is set up. The names are resolved
lazily (PEP 562) because Django imports this package while it is still loading apps,
before model classes may be defined; Django itself registers the models through
``models/models.py``, the submodule it imports once the registry is ready.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "User": "user",
    "Role": "user",
    "Conversation": "conversation",
    "ConversationKind": "conversation",
    "Participant": "conversation",
    "Message": "message",
    "MessageEvent": "message",
    "MessageEventKind": "message",
    "MessageOriginal": "message",
    "ConnectionLog": "connection",
    "Contract": "moderation",
    "Case": "moderation",
    "CaseStatus": "moderation",
    "Violation": "moderation",
    "HoldState": "moderation",
    "Fingerprint": "moderation",
    "Strike": "moderation",
    "Suspension": "moderation",
    "Appeal": "moderation",
    "AppealStatus": "moderation",
    "AuditLog": "moderation",
    "SupportChat": "support",
    "SupportStatus": "support",
    "SupportEvent": "support",
    "SupportEventKind": "support",
    "AgentStatus": "support",
    "AgentPresence": "support",
    "InternalNote": "support",
    "CannedReply": "support",
    "Rating": "support",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'models' has no attribute {name!r}") from None
    return getattr(import_module(f"models.{module}"), name)
