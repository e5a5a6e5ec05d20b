"""Who hears about a support change, and how: channel-layer groups and after-commit sends.

Services collect ``(group, frame)`` notices while they work and hand them to
:func:`after_commit`, so a frame never announces a change that was rolled back, and
every caller (a view, a socket, a timer) publishes the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from consumers.chat import relay_event
from messaging import broadcast
from messaging.serializers import Frame

#: Every agent console: the live queue.
QUEUE_GROUP = "support.queue"

Notice = tuple[str, Frame]


def agent_group(agent_id: int) -> str:
    """The consoles of one agent: their own chats and status."""
    return f"support.agent.{agent_id}"


def user_group(user_id: int) -> str:
    """The support feeds of one user: queue position, agent joined or left, closed."""
    return f"support.user.{user_id}"


def layer_message(group: str, frame: Frame) -> dict:
    """The channel-layer message that makes the group's consumers send ``frame``.

    Chat sockets relay unsequenced frames with their ``chat.relay`` handler; support
    sockets have ``support.frame``.
    """
    if group.startswith("chat."):
        return relay_event(frame)
    return {"type": "support.frame", "frame": frame}


def publish(notices: Iterable[Notice]) -> None:
    """Send the notices now (from synchronous code, inside or outside an event loop)."""
    for group, frame in notices:
        broadcast.group_send(group, layer_message(group, frame))


def after_commit(notices: list[Notice]) -> None:
    """Publish once the surrounding transaction commits; never if it rolls back."""
    if notices:
        transaction.on_commit(partial(publish, list(notices)))
