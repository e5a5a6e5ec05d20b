"""What the gateway does with a message once the engine has redacted it.

The action asks the configured policy (``GATEWAY_POLICY``, a dotted path) inside the
same transaction that stores the message, so a policy can record violations and strikes
atomically with it. Today the only policy masks; moderation replaces it with one that
counts strikes and may block, bounce or hold.

A policy that writes may also offer ``begin(work, expected)``: a policy for the decisions
of one transaction, which can hold its inserts in ``work``
(:class:`messaging.unit_of_work.UnitOfWork`, written before the commit) and read what it
needs once for the whole batch. :func:`begin` falls back to the policy itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from messaging.unit_of_work import UnitOfWork
    from models import Conversation, Message, User
    from redaction import Result


class Action(StrEnum):
    """What happens to a message with findings (docs/moderation.md)."""

    MASK = "mask"  # delivered with placeholders
    FLAG = "flag"  # delivered masked; the conversation goes to the moderators' queue
    HOLD = "hold"  # kept from the recipients until a moderator allows or denies it
    BLOCK = "block"  # not delivered; the sender is told
    BOUNCE = "bounce"  # returned to the sender to edit; nothing is stored for others

    @property
    def withholds(self) -> bool:
        """Whether the message stays out of the conversation."""
        return self in (Action.HOLD, Action.BLOCK, Action.BOUNCE)


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    #: Plain words added to the sender's warning, e.g. how many strikes remain.
    note: str = ""


@dataclass(frozen=True, slots=True)
class Redacted:
    """What the policy is told: who sent what where, and what the engine found.

    ``message`` is already saved (same transaction); ``retro_messages`` are the earlier
    messages of the sender that this one completed a split detail with.
    """

    sender: User
    conversation: Conversation
    message: Message
    result: Result
    retro_messages: tuple[Message, ...] = ()
    #: ``send`` or ``edit``: only a new message can be withheld, an edit is already out.
    reason: str = "send"


class Policy(Protocol):
    def decide(self, redacted: Redacted) -> Decision:
        """Choose the action for a message with findings; may write to the database."""
        ...


class MaskPolicy:
    """Deliver every message with its contact details replaced by placeholders."""

    def decide(self, redacted: Redacted) -> Decision:
        return Decision(Action.MASK)


@cache
def _load(path: str) -> Policy:
    return import_string(path)()


def get_policy() -> Policy:
    """The policy named by ``GATEWAY_POLICY``, built once per process and path."""
    return _load(settings.GATEWAY_POLICY)


def begin(work: UnitOfWork, expected: Collection[tuple[int, int]]) -> Policy:
    """The configured policy for one transaction's decisions.

    ``expected`` holds the (sender id, conversation id) pairs it may be asked about, so a
    batching policy can load their state in one query; ``work`` is flushed before commit.
    """
    policy = get_policy()
    batched = getattr(policy, "begin", None)
    return policy if batched is None else batched(work, expected)
