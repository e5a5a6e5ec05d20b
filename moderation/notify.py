"""Pushes to sockets once the transaction that caused them has committed.

A suspension rolled back must not close anybody's socket, and a flag rolled back must
not reach the moderators, so every push waits for ``transaction.on_commit``. The chat
consumer keeps each user's sockets in :func:`consumers.chat.user_group` on every process,
so one group message reaches them all.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from consumers.chat import user_group
from messaging import broadcast

#: The group every moderator's feed socket joins.
FEED_GROUP = "moderation.feed"
CLOSE_FORBIDDEN = 4403


def _send_after_commit(group: str, event: dict) -> None:
    transaction.on_commit(partial(broadcast.group_send, group, event), robust=True)


def suspended(user_id: int, reason: str) -> None:
    """Close every socket of the user with 4403 after a ``suspended`` frame."""
    frame = {
        "type": "suspended",
        "detail": (
            "Your account is suspended: "
            f"{reason}. A moderator will review it; you can appeal from your account page."
        ),
    }
    _send_after_commit(
        user_group(user_id), {"type": "user.disconnect", "code": CLOSE_FORBIDDEN, "frame": frame}
    )


def user(user_id: int, frame: dict) -> None:
    """Send ``frame`` to every socket of the user."""
    _send_after_commit(user_group(user_id), {"type": "user.frame", "frame": frame})


def conversation(group: str, frames: list[dict]) -> None:
    """Deliver sequenced ``message`` frames to every socket of a conversation."""
    if frames:
        _send_after_commit(group, {"type": "chat.sequenced", "frames": frames})


def moderators(frame: dict) -> None:
    """Push ``frame`` to every moderator's live feed."""
    _send_after_commit(FEED_GROUP, {"type": "feed.frame", "frame": frame})
