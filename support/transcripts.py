"""Transcripts of a support chat: one structure, rendered as JSON or as plain text.

The user's copy leaves internal notes out; the agents' copy has them. Messages appear
as stored, i.e. masked, with deleted ones shown as deleted.
"""

from __future__ import annotations

from models import Message, SupportChat
from support.services import chat_payload


def build(chat: SupportChat, *, with_notes: bool) -> dict:
    """Everything that happened in the chat, in time order."""
    items: list[dict] = []
    for message in Message.objects.filter(conversation_id=chat.conversation_id).select_related(
        "sender"
    ):
        items.append({
            "at": message.created_at.isoformat(),
            "kind": "message",
            "seq": message.seq,
            "author": message.sender.get_display_name(),
            "role": message.sender.role,
            "text": "" if message.is_deleted else message.text,
            "deleted": message.is_deleted,
            "edited": message.edited_at is not None,
        })
    for event in chat.events.select_related("actor", "agent"):
        items.append({
            "at": event.created_at.isoformat(),
            "kind": "event",
            "event": event.kind,
            "author": event.actor.get_display_name() if event.actor else "system",
            "agent": event.agent.get_display_name() if event.agent else None,
            "text": event.note,
        })
    if with_notes:
        for note in chat.notes.select_related("author"):
            items.append({
                "at": note.created_at.isoformat(),
                "kind": "note",
                "author": note.author.get_display_name(),
                "text": note.text,
            })
    # Stable sort: at equal times messages stay before events and notes, in seq order.
    items.sort(key=lambda item: item["at"])
    rating = getattr(chat, "rating", None)  # a missing one-to-one raises AttributeError
    return {
        **chat_payload(chat),
        "copy": "agents" if with_notes else "user",
        "rating": {"score": rating.score, "comment": rating.comment} if rating else None,
        "items": items,
    }


_EVENT_WORDS = {
    "opened": "opened the chat",
    "assigned": "assigned to {agent}",
    "transferred": "transferred to {agent}",
    "requeued": "sent back to the queue from {agent}",
    "closed": "closed the chat",
    "flagged": "flagged the chat for moderation",
}


def render_text(transcript: dict) -> str:
    """The transcript as a plain-text document a person reads or files."""
    lines = [
        f"Support chat #{transcript['id']}: {transcript['subject']}",
        f"User: {transcript['user']['display_name']}",
        f"Opened: {transcript['opened_at']}",
        f"Status: {transcript['status']}",
    ]
    if transcript["closed_at"]:
        lines.append(f"Closed: {transcript['closed_at']}")
        lines.append(f"Resolution: {transcript['resolution']}")
    if transcript["rating"]:
        rating = transcript["rating"]
        lines.append(f"Rating: {rating['score']}/5 {rating['comment']}".rstrip())
    lines.append("")
    for item in transcript["items"]:
        if item["kind"] == "message":
            text = "(deleted)" if item["deleted"] else item["text"]
            edited = " (edited)" if item["edited"] else ""
            lines.append(f"[{item['at']}] {item['author']} ({item['role']}): {text}{edited}")
        elif item["kind"] == "event":
            what = _EVENT_WORDS.get(item["event"], item["event"]).format(agent=item["agent"])
            note = f" — {item['text']}" if item["text"] else ""
            lines.append(f"[{item['at']}] * {item['author']} {what}{note}")
        else:
            lines.append(f"[{item['at']}] [internal note] {item['author']}: {item['text']}")
    return "\n".join(lines) + "\n"
