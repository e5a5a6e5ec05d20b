"""Server frames built from models; the one place their JSON shape is defined.

Live broadcasts and ``history`` replays use the same functions, so a client applies a
replayed item exactly like the live frame it missed.
"""

from __future__ import annotations

from typing import Any

from models import Message, MessageEvent, User

Frame = dict[str, Any]


def user_payload(user: User) -> Frame:
    return {"id": user.pk, "display_name": user.get_display_name(), "role": user.role}


def _state(message: Message) -> Frame:
    """The parts of a message that edits, deletions and retro masking change."""
    return {
        "text": "" if message.is_deleted else message.text,
        "redacted": message.redacted,
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": message.is_deleted,
    }


def message_frame(message: Message) -> Frame:
    """A ``message`` frame; ``message.sender`` should be loaded (select_related)."""
    return {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "conversation": message.conversation_id,
        "sender": user_payload(message.sender),
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        **_state(message),
    }


def update_frame(event: MessageEvent, message: Message) -> Frame:
    """A ``message.update`` frame: the event's own ``seq``, the message's current state."""
    return {
        "type": "message.update",
        "id": message.pk,
        "seq": event.seq,
        "conversation": event.conversation_id,
        "reason": event.kind,
        **_state(message),
    }


def ack_frame(message: Message) -> Frame:
    return {
        "type": "message.ack",
        "client_id": message.client_id,
        "id": message.pk,
        "seq": message.seq,
        "redacted": message.redacted,
    }


def presence_frame(conversation_id: int, user: Frame, status: str) -> Frame:
    """``user`` is a :func:`user_payload`; ``status`` is ``online`` or ``offline``."""
    return {"type": "presence", "conversation": conversation_id, "user": user, "status": status}


def error_frame(code: str, detail: str) -> Frame:
    return {"type": "error", "code": code, "detail": detail}
