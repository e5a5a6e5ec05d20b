"""Imported by Django's app registry so that every topic module's models get registered."""

from models.connection import ConnectionLog
from models.conversation import Conversation, ConversationKind, Participant
from models.message import Message, MessageEvent, MessageEventKind, MessageOriginal
from models.moderation import (
    Appeal,
    AuditLog,
    Case,
    Contract,
    Fingerprint,
    Strike,
    Suspension,
    Violation,
)
from models.support import (
    AgentStatus,
    CannedReply,
    InternalNote,
    Rating,
    SupportChat,
    SupportEvent,
)
from models.user import Role, User

__all__ = [
    "AgentStatus",
    "Appeal",
    "AuditLog",
    "CannedReply",
    "Case",
    "ConnectionLog",
    "Contract",
    "Conversation",
    "ConversationKind",
    "Fingerprint",
    "InternalNote",
    "Message",
    "MessageEvent",
    "MessageEventKind",
    "MessageOriginal",
    "Participant",
    "Rating",
    "Role",
    "Strike",
    "SupportChat",
    "SupportEvent",
    "Suspension",
    "User",
    "Violation",
]
