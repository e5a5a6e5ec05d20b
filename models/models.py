"""Imported by Django's app registry so that every topic module's models get registered."""

from models.connection import ConnectionLog
from models.conversation import Conversation, ConversationKind, Participant
from models.message import Message, MessageEvent, MessageEventKind, MessageOriginal
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
    "CannedReply",
    "ConnectionLog",
    "Conversation",
    "ConversationKind",
    "InternalNote",
    "Message",
    "MessageEvent",
    "MessageEventKind",
    "MessageOriginal",
    "Participant",
    "Rating",
    "Role",
    "SupportChat",
    "SupportEvent",
    "User",
]
