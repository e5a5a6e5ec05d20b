"""The strike policy: the gateway's ``GATEWAY_POLICY`` once moderation is installed.

Plain Python on top of the services: it picks the rules for the conversation's kind and
stage from ``MODERATION_RULES``, the action for the kinds of detail found, and lets
:func:`moderation.services.record_violation` write the violation, strikes and escalation
in the transaction that stores the message. The gateway asks it through
:meth:`StrikePolicy.begin`, once per transaction, so a batch of sends shares its reads and
its inserts (:class:`moderation.services.Ledger`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

from messaging.policy import Action, Decision, Redacted
from messaging.unit_of_work import UnitOfWork
from models import Conversation, ConversationKind

if TYPE_CHECKING:
    from moderation.services import Ledger

#: When kinds of detail call for different actions, the most restrictive wins.
_RESTRICTIVENESS = (Action.MASK, Action.FLAG, Action.HOLD, Action.BLOCK, Action.BOUNCE)


@dataclass(frozen=True, slots=True)
class Rules:
    stage: str
    strikes: bool
    actions: dict[str, Action]

    def action_for(self, kinds: Iterable[str]) -> Action:
        chosen = [self.actions.get(kind, self.actions.get("*", Action.MASK)) for kind in kinds]
        return max(chosen, key=_RESTRICTIVENESS.index, default=Action.MASK)


def stage_of(conversation: Conversation) -> str:
    """``support``, ``contract`` (active contract and relaxing enabled) or ``project``."""
    if conversation.kind == ConversationKind.SUPPORT:
        return "support"
    if settings.MODERATION_RELAX_AFTER_CONTRACT and hasattr(conversation, "contract"):
        return "contract"
    return "project"


def rules_for(conversation: Conversation) -> Rules:
    stage = stage_of(conversation)
    raw = settings.MODERATION_RULES[stage]
    try:
        actions = {kind: Action(action) for kind, action in raw.get("actions", {}).items()}
    except ValueError as error:
        raise ValueError(f"MODERATION_RULES[{stage!r}]: {error}") from None
    return Rules(stage=stage, strikes=bool(raw.get("strikes", False)), actions=actions)


class StrikePolicy:
    """Record every attempt, count strikes where the rules say so, escalate at thresholds."""

    def decide(self, redacted: Redacted) -> Decision:
        """One decision in a transaction of its own making: its inserts written at once."""
        work = UnitOfWork()
        decision = self.begin(work, {(redacted.sender.pk, redacted.conversation.pk)}).decide(
            redacted
        )
        work.flush()
        return decision

    def begin(self, work: UnitOfWork, expected: Collection[tuple[int, int]]) -> Ledger:
        """The policy for one transaction's decisions (see :func:`messaging.policy.begin`)."""
        from moderation import services  # services import the models; keep this module light

        return services.Ledger(work, expected)
