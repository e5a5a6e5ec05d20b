"""The support workflow: every state change is one ``transaction.atomic`` function here.

Races are settled by the database, not by the caller: an assignment is a conditional
``UPDATE … WHERE status = 'queued'`` (of two agents claiming one chat exactly one updates
a row), an agent's capacity is checked under a lock on their status row, and "one open
chat per user" is a partial unique constraint. Frames for the consoles, the user's feed
and the chat socket are published after the commit (:mod:`support.notify`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from messaging import actions, serializers
from messaging.serializers import Frame
from models import (
    AgentPresence,
    AgentStatus,
    CannedReply,
    ConnectionLog,
    Conversation,
    ConversationKind,
    InternalNote,
    Message,
    Participant,
    Rating,
    Role,
    SupportChat,
    SupportEvent,
    SupportEventKind,
    SupportStatus,
    User,
)
from models.conversation import conversation_group
from support import notify
from support.errors import SupportError, forbidden, invalid, not_found
from support.notify import Notice

MAX_SUBJECT = 200
MAX_NOTE = 4000


@dataclass(frozen=True, slots=True)
class QueueSpot:
    """A waiting chat's place (1 = next) and the expected wait in seconds, if known."""

    position: int
    estimate_seconds: float | None


# --- Reading ------------------------------------------------------------------------------


def visible_chat(user: User, chat_id: int) -> SupportChat:
    """The chat if ``user`` may read it, else why not.

    Users read their own chats (others' do not exist for them: 404); agents read the queue
    and the chats they hold or held; moderators read a chat only once it is flagged (by
    an agent, or through a flagged moderation case on its conversation).
    """
    chat = SupportChat.objects.select_related("user", "agent", "conversation").filter(
        pk=chat_id
    ).first()
    if chat is None:
        raise not_found(chat_id)
    if user.role == Role.AGENT:
        if chat.status == SupportStatus.QUEUED or chat.agent_id == user.pk or _handled(user, chat):
            return chat
        raise forbidden("this chat belongs to another agent", "not_your_chat")
    if user.is_moderator:
        if _flagged_chats().filter(pk=chat.pk).exists():
            return chat
        raise forbidden(
            "moderators see support chats only through a flagged case", "not_flagged"
        )
    if chat.user_id == user.pk:
        return chat
    raise not_found(chat_id)


def chats_for(user: User) -> list[SupportChat]:
    """The chats listed for ``user``: their own; an agent's held ones; flagged ones."""
    chats = SupportChat.objects.select_related("user", "agent").order_by("-opened_at")
    if user.role == Role.AGENT:
        held = SupportEvent.objects.filter(agent=user).values("chat_id")
        return list(chats.filter(Q(agent=user) | Q(pk__in=held)))
    if user.is_moderator:
        return list(chats.filter(pk__in=_flagged_chats().values("pk")))
    return list(chats.filter(user=user))


def _flagged_chats():
    """Chats moderators may read: flagged by an agent, or with a flagged moderation case."""
    return SupportChat.objects.filter(
        Q(flagged_at__isnull=False)
        | Q(conversation__moderation_cases__flagged_at__isnull=False)
    )


def queue() -> list[SupportChat]:
    """The waiting chats, next first."""
    return list(
        SupportChat.objects.select_related("user")
        .filter(status=SupportStatus.QUEUED)
        .order_by("opened_at", "pk")
    )


def queue_spot(chat: SupportChat) -> QueueSpot | None:
    """Where a waiting chat stands; ``None`` once it is not waiting."""
    if chat.status != SupportStatus.QUEUED:
        return None
    ahead = SupportChat.objects.filter(
        Q(opened_at__lt=chat.opened_at) | Q(opened_at=chat.opened_at, pk__lt=chat.pk),
        status=SupportStatus.QUEUED,
    ).count()
    return QueueSpot(ahead + 1, _estimate(ahead + 1, _median_wait(), _online_agents()))


def _median_wait() -> float | None:
    waits = list(
        SupportEvent.objects.filter(waited__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("waited", flat=True)[: settings.SUPPORT_WAIT_SAMPLE]
    )
    return statistics.median(waits) if waits else None


def _online_agents() -> int:
    return AgentStatus.objects.filter(presence=AgentPresence.ONLINE).count()


def _estimate(position: int, median_wait: float | None, agents: int) -> float | None:
    """Recent median wait, scaled by how many chats are ahead per online agent.

    The median of the last ``SUPPORT_WAIT_SAMPLE`` waits is what one chat waits on
    average; a chat with more people ahead than agents free waits proportionally longer.
    No recent waits means no honest estimate.
    """
    if median_wait is None:
        return None
    return round(median_wait * max(1.0, position / max(agents, 1)), 1)


def _handled(agent: User, chat: SupportChat) -> bool:
    return SupportEvent.objects.filter(chat=chat, agent=agent).exists()


def chat_payload(chat: SupportChat, spot: QueueSpot | None = None) -> Frame:
    """A chat as the API and the feeds show it."""
    return {
        "id": chat.pk,
        "conversation": chat.conversation_id,
        "subject": chat.subject,
        "status": chat.status,
        "user": serializers.user_payload(chat.user),
        "agent": serializers.user_payload(chat.agent) if chat.agent else None,
        "opened_at": chat.opened_at.isoformat(),
        "assigned_at": chat.assigned_at.isoformat() if chat.assigned_at else None,
        "closed_at": chat.closed_at.isoformat() if chat.closed_at else None,
        "resolution": chat.resolution,
        "position": spot.position if spot else None,
        "estimate_seconds": spot.estimate_seconds if spot else None,
    }


def agent_status(agent: User) -> AgentStatus:
    """The agent's status row (created offline on first use)."""
    _require_agent(agent)
    status, _ = AgentStatus.objects.get_or_create(agent=agent)
    return status


def status_payload(status: AgentStatus) -> Frame:
    return {
        "agent": status.agent_id,
        "presence": status.presence,
        "capacity": status.effective_capacity,
        "active_chats": SupportChat.objects.filter(
            agent_id=status.agent_id, status=SupportStatus.ACTIVE
        ).count(),
    }


def canned_replies() -> list[Frame]:
    return [
        {"id": reply.pk, "title": reply.title, "shortcut": reply.shortcut, "text": reply.text}
        for reply in CannedReply.objects.filter(active=True)
    ]


# --- Opening -------------------------------------------------------------------------------


def open_chat(user: User, subject: str, text: str, client_id: str) -> SupportChat:
    """Queue a new support chat whose first message is ``text`` (redacted like any other).

    A user has at most one chat that is not closed; a second gets ``open_chat_exists``
    with the id of the first.
    """
    if user.role in (Role.AGENT, Role.MODERATOR):
        raise forbidden("support chats are opened by marketplace users", "not_a_customer")
    subject = subject.strip()
    if not subject or len(subject) > MAX_SUBJECT:
        raise invalid(f"subject must be 1 to {MAX_SUBJECT} characters")
    if not text.strip() or len(text) > settings.GATEWAY_MAX_TEXT_CHARS:
        raise invalid(f"text must be 1 to {settings.GATEWAY_MAX_TEXT_CHARS} characters")
    if not client_id or len(client_id) > 64:
        raise invalid("client_id must be 1 to 64 characters")
    try:
        with transaction.atomic():
            now = timezone.now()
            conversation = Conversation.objects.create(
                kind=ConversationKind.SUPPORT, title=subject
            )
            Participant.objects.create(conversation=conversation, user=user)
            chat = SupportChat.objects.create(
                conversation=conversation, user=user, subject=subject, opened_at=now,
                queued_at=now,
            )
            _event(chat, SupportEventKind.OPENED, now, actor=user)
            # Nobody can be on the new chat's socket yet: the action's frames have no one
            # to reach, and the stored message is what the agent's history shows.
            actions.send_message(user, conversation.pk, client_id, text)
            notices: list[Notice] = [
                (notify.QUEUE_GROUP, {"type": "support.queue.added", "chat": queue_summary(chat)})
            ]
            notices += _positions()
            notify.after_commit(notices)
    except IntegrityError:
        existing = SupportChat.objects.filter(user=user).exclude(status=SupportStatus.CLOSED)
        first = existing.values_list("pk", flat=True).first()
        if first is None:
            raise
        raise _open_chat_exists(first) from None
    _auto_assign_if_enabled()
    return chat


def queue_summary(chat: SupportChat) -> Frame:
    """The queue feed's view of a chat: the payload and its first message (masked)."""
    first = (
        Message.objects.filter(conversation_id=chat.conversation_id)
        .order_by("seq")
        .values_list("text", flat=True)
        .first()
    )
    return {**chat_payload(chat), "first_message": first or ""}


def _open_chat_exists(chat_id: int) -> SupportError:
    return SupportError(
        f"you already have an open support chat (#{chat_id}); continue there",
        code="open_chat_exists",
    )


# --- Agents --------------------------------------------------------------------------------


def set_presence(agent: User, presence: str) -> AgentStatus:
    """Set an agent online, away or offline; going online may take queued chats."""
    if presence not in AgentPresence.values:
        raise invalid(f"presence must be one of {', '.join(AgentPresence.values)}")
    with transaction.atomic():
        status = agent_status(agent)
        status.presence = presence
        status.save(update_fields=["presence", "changed_at"])
        frame = {"type": "support.status", **status_payload(status)}
        notify.after_commit([(notify.agent_group(agent.pk), frame), *_positions()])
    if presence == AgentPresence.ONLINE:
        _auto_assign_if_enabled()
    return status


def _require_agent(user: User) -> None:
    if user.role != Role.AGENT:
        raise forbidden("only support agents may do this", "not_agent")


def _locked_status(agent: User) -> AgentStatus:
    AgentStatus.objects.get_or_create(agent=agent)
    return AgentStatus.objects.select_for_update().select_related("agent").get(agent=agent)


def _load(status: AgentStatus) -> int:
    return SupportChat.objects.filter(agent_id=status.agent_id, status=SupportStatus.ACTIVE).count()


# --- Assignment ----------------------------------------------------------------------------


def claim(agent: User, chat_id: int) -> SupportChat:
    """Take a queued chat. Of agents claiming the same chat at once, exactly one wins."""
    _require_agent(agent)
    with transaction.atomic():
        status = _locked_status(agent)
        if status.presence == AgentPresence.OFFLINE:
            raise SupportError("go online or away before claiming chats", code="agent_offline")
        if _load(status) >= status.effective_capacity:
            raise SupportError(
                f"you already have {status.effective_capacity} chats; close one first",
                code="at_capacity",
            )
        chat = _assign(chat_id, agent, actor=agent, kind=SupportEventKind.ASSIGNED)
    _auto_assign_if_enabled()
    return chat


def _assign(
    chat_id: int, agent: User, *, actor: User | None, kind: str, note: str = "",
    previous: User | None = None,
) -> SupportChat:
    """Hand a chat to ``agent`` with one conditional UPDATE; why not, if no row matched.

    From the queue the row must still be queued; in a transfer it must still be active
    with ``previous``. The WHERE clause is the lock: a concurrent claim, transfer or
    close makes this update match nothing, and the loser learns the chat's state.
    """
    now = timezone.now()
    expected = (
        Q(status=SupportStatus.QUEUED)
        if previous is None
        else Q(status=SupportStatus.ACTIVE, agent=previous)
    )
    updated = SupportChat.objects.filter(expected, pk=chat_id).update(
        status=SupportStatus.ACTIVE, agent=agent, assigned_at=now
    )
    chat = SupportChat.objects.select_related("user", "agent", "conversation").filter(
        pk=chat_id
    ).first()
    if chat is None:
        raise not_found(chat_id)
    if not updated:
        raise _not_assignable(chat)
    waited = None if previous else (now - chat.queued_at).total_seconds()
    _event(chat, kind, now, actor=actor, agent=agent, note=note, waited=waited)
    Participant.objects.get_or_create(conversation_id=chat.conversation_id, user=agent)
    if previous is None:
        removed = {"type": "support.queue.removed", "chat": chat.pk, "reason": "assigned"}
        notices: list[Notice] = [(notify.QUEUE_GROUP, removed), *_positions()]
    else:
        notices = _left(chat, previous, "transferred")
    assigned = {"type": "support.chat.assigned", "chat": chat_payload(chat)}
    joined = {"type": "support.agent.joined", "chat": chat.pk,
              "agent": serializers.user_payload(agent)}
    notices += [(notify.agent_group(agent.pk), assigned),
                (notify.user_group(chat.user_id), joined),
                (conversation_group(chat.conversation_id), joined)]
    notify.after_commit(notices)
    return chat


def _not_assignable(chat: SupportChat) -> SupportError:
    if chat.status == SupportStatus.CLOSED:
        return SupportError(f"support chat {chat.pk} is closed", code="chat_closed")
    if chat.status == SupportStatus.ACTIVE:
        return SupportError(
            f"support chat {chat.pk} was already taken by {chat.agent.get_display_name()}",
            code="already_claimed",
        )
    return SupportError(f"support chat {chat.pk} is back in the queue", code="chat_queued")


def auto_assign() -> list[SupportChat]:
    """Give queued chats, oldest first, to the least-loaded online agents with room.

    Agents' status rows are locked in a fixed order, so two processes assigning at once
    queue behind each other instead of overfilling an agent.
    """
    assigned: list[SupportChat] = []
    with transaction.atomic():
        statuses = list(
            AgentStatus.objects.select_for_update()
            .select_related("agent")
            .filter(presence=AgentPresence.ONLINE, agent__role=Role.AGENT)
            .order_by("pk")
        )
        loads = {
            row["agent_id"]: row["n"]
            for row in SupportChat.objects.filter(status=SupportStatus.ACTIVE)
            .values("agent_id")
            .annotate(n=Count("pk"))
        }
        for chat in queue():
            free = [s for s in statuses if loads.get(s.agent_id, 0) < s.effective_capacity]
            if not free:
                break
            status = min(free, key=lambda s: (loads.get(s.agent_id, 0), s.pk))
            assigned.append(_assign(chat.pk, status.agent, actor=None,
                                    kind=SupportEventKind.ASSIGNED))
            loads[status.agent_id] = loads.get(status.agent_id, 0) + 1
    return assigned


def _auto_assign_if_enabled() -> None:
    if settings.SUPPORT_AUTO_ASSIGN:
        auto_assign()


def transfer(agent: User, chat_id: int, to_agent_id: int | None, note: str) -> SupportChat:
    """Hand the caller's chat to another online agent with room, or back to the queue.

    The note is kept as an internal note and in the chat's events, for the next agent.
    """
    _require_agent(agent)
    note = _clean_note(note, required=False)
    with transaction.atomic():
        chat = _held_chat(agent, chat_id)
        if to_agent_id is None:
            chat = _requeue(chat, actor=agent, note=note, reason="requeued")
        else:
            target = User.objects.filter(pk=to_agent_id, role=Role.AGENT).first()
            if target is None:
                raise invalid(f"user {to_agent_id} is not a support agent")
            if target.pk == agent.pk:
                raise invalid("the chat is already yours")
            status = _locked_status(target)
            if status.presence != AgentPresence.ONLINE:
                raise SupportError(
                    f"{target.get_display_name()} is {status.presence}", code="agent_offline"
                )
            if _load(status) >= status.effective_capacity:
                raise SupportError(
                    f"{target.get_display_name()} already has {status.effective_capacity} chats",
                    code="agent_full",
                )
            chat = _assign(chat.pk, target, actor=agent, kind=SupportEventKind.TRANSFERRED,
                           note=note, previous=agent)
            Participant.objects.filter(conversation_id=chat.conversation_id, user=agent).delete()
        if note:
            InternalNote.objects.create(chat=chat, author=agent, text=note,
                                        created_at=timezone.now())
    _auto_assign_if_enabled()
    return chat


def _held_chat(agent: User, chat_id: int) -> SupportChat:
    """The chat, locked, if ``agent`` holds it now."""
    chat = SupportChat.objects.select_for_update().filter(pk=chat_id).first()
    if chat is None:
        raise not_found(chat_id)
    if chat.status == SupportStatus.CLOSED:
        raise SupportError(f"support chat {chat_id} is closed", code="chat_closed")
    if chat.agent_id != agent.pk:
        raise forbidden("only the agent holding the chat may do this", "not_your_chat")
    return chat


def _requeue(chat: SupportChat, *, actor: User | None, note: str, reason: str) -> SupportChat:
    """Put an active chat back in the queue (it keeps its place: the queue orders by
    ``opened_at``) and tell the user, the consoles and the agent who had it."""
    now = timezone.now()
    previous = User.objects.get(pk=chat.agent_id)
    SupportChat.objects.filter(pk=chat.pk).update(
        status=SupportStatus.QUEUED, agent=None, queued_at=now
    )
    chat.refresh_from_db()
    _event(chat, SupportEventKind.REQUEUED, now, actor=actor, agent=previous, note=note)
    Participant.objects.filter(conversation_id=chat.conversation_id, user=previous).delete()
    chat = SupportChat.objects.select_related("user", "conversation").get(pk=chat.pk)
    notices = _left(chat, previous, reason)
    added = {"type": "support.queue.added", "chat": queue_summary(chat)}
    notices.append((notify.QUEUE_GROUP, added))
    notices += _positions()
    notify.after_commit(notices)
    return chat


def _left(chat: SupportChat, agent: User, reason: str) -> list[Notice]:
    left = {"type": "support.agent.left", "chat": chat.pk,
            "agent": serializers.user_payload(agent), "reason": reason}
    return [
        (notify.agent_group(agent.pk),
         {"type": "support.chat.removed", "chat": chat.pk, "reason": reason}),
        (notify.user_group(chat.user_id), left),
        (conversation_group(chat.conversation_id), left),
    ]


def _positions() -> list[Notice]:
    """A fresh place in the queue for every waiting user (the queue just changed)."""
    median_wait, agents = _median_wait(), _online_agents()
    return [
        (
            notify.user_group(chat.user_id),
            {"type": "support.queue.position", "chat": chat.pk, "position": position,
             "estimate_seconds": _estimate(position, median_wait, agents)},
        )
        for position, chat in enumerate(queue(), start=1)
    ]


# --- In the chat ---------------------------------------------------------------------------


def add_note(agent: User, chat_id: int, text: str) -> InternalNote:
    """An internal note on a chat the agent may read; users never see notes."""
    _require_agent(agent)
    text = _clean_note(text, required=True)
    with transaction.atomic():
        chat = visible_chat(agent, chat_id)
        return InternalNote.objects.create(
            chat=chat, author=agent, text=text, created_at=timezone.now()
        )


def notes(user: User, chat_id: int) -> list[InternalNote]:
    _require_agent(user)
    chat = visible_chat(user, chat_id)
    return list(chat.notes.select_related("author"))


def _clean_note(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise invalid("the note is empty")
    if len(text) > MAX_NOTE:
        raise invalid(f"notes are at most {MAX_NOTE} characters")
    return text


def close(user: User, chat_id: int, resolution: str) -> SupportChat:
    """Close with a resolution: by the holding agent (any agent while it waits), or by the
    user withdrawing their own request."""
    resolution = resolution.strip()
    if len(resolution) > MAX_NOTE:
        raise invalid(f"the resolution is at most {MAX_NOTE} characters")
    with transaction.atomic():
        chat = SupportChat.objects.select_for_update().filter(pk=chat_id).first()
        if chat is None:
            raise not_found(chat_id)
        visible_chat(user, chat_id)
        if chat.status == SupportStatus.CLOSED:
            raise SupportError(f"support chat {chat_id} is already closed", code="chat_closed")
        is_owner = chat.user_id == user.pk
        if user.role == Role.AGENT:
            if chat.status == SupportStatus.ACTIVE and chat.agent_id != user.pk:
                raise forbidden("only the agent holding the chat may close it", "not_your_chat")
            if not resolution:
                raise invalid("say how the chat was resolved")
        elif not is_owner:
            raise forbidden("only agents and the chat's user may close it")
        now = timezone.now()
        was_queued = chat.status == SupportStatus.QUEUED
        chat.status = SupportStatus.CLOSED
        chat.closed_at = now
        chat.closed_by = user
        chat.resolution = resolution or "Withdrawn by the user."
        chat.save(update_fields=["status", "closed_at", "closed_by", "resolution"])
        _event(chat, SupportEventKind.CLOSED, now, actor=user, agent=chat.agent,
               note=chat.resolution)
        closed = {"type": "support.closed", "chat": chat.pk, "resolution": chat.resolution}
        notices: list[Notice] = [
            (notify.user_group(chat.user_id), closed),
            (conversation_group(chat.conversation_id), closed),
        ]
        if chat.agent_id:
            notices.append((notify.agent_group(chat.agent_id),
                            {"type": "support.chat.removed", "chat": chat.pk,
                             "reason": "closed"}))
        if was_queued:
            notices.append((notify.QUEUE_GROUP, {"type": "support.queue.removed",
                                                 "chat": chat.pk, "reason": "closed"}))
            notices += _positions()
        notify.after_commit(notices)
    _auto_assign_if_enabled()
    return chat


def ensure_open(conversation_id: int) -> None:
    """Refuse writes to a closed support chat (the chat socket calls this under its lock)."""
    if SupportChat.objects.filter(
        conversation_id=conversation_id, status=SupportStatus.CLOSED
    ).exists():
        raise SupportError(
            "this support chat is closed; open a new one if you need more help",
            code="chat_closed",
        )


def rate(user: User, chat_id: int, score: object, comment: str) -> Rating:
    """The user's one rating (1–5, optional comment) of their closed chat."""
    if type(score) is not int or not 1 <= score <= 5:
        raise invalid("score must be a whole number from 1 to 5")
    if len(comment) > MAX_NOTE:
        raise invalid(f"the comment is at most {MAX_NOTE} characters")
    with transaction.atomic():
        chat = visible_chat(user, chat_id)
        if chat.user_id != user.pk:
            raise forbidden("only the chat's user may rate it")
        if chat.status != SupportStatus.CLOSED:
            raise SupportError("a chat can be rated once it is closed", code="not_closed")
        if Rating.objects.filter(chat=chat).exists():
            raise SupportError("you already rated this chat", code="already_rated")
        try:
            with transaction.atomic():
                return Rating.objects.create(
                    chat=chat, score=score, comment=comment.strip(), created_at=timezone.now()
                )
        except IntegrityError:
            raise SupportError("you already rated this chat", code="already_rated") from None


def flag(agent: User, chat_id: int, reason: str) -> SupportChat:
    """Refer a chat to moderation: from now on moderators may read it."""
    _require_agent(agent)
    reason = _clean_note(reason, required=True)
    with transaction.atomic():
        chat = visible_chat(agent, chat_id)
        if chat.flagged_at is None:
            chat.flagged_at = timezone.now()
            chat.flag_reason = reason
            chat.save(update_fields=["flagged_at", "flag_reason"])
            _event(chat, SupportEventKind.FLAGGED, chat.flagged_at, actor=agent, note=reason)
    return chat


def _event(
    chat: SupportChat, kind: str, now: datetime, *, actor: User | None = None,
    agent: User | None = None, note: str = "", waited: float | None = None,
) -> SupportEvent:
    return SupportEvent.objects.create(
        chat=chat, kind=kind, actor=actor, agent=agent, note=note, waited=waited, created_at=now
    )


# --- Agents' connections and the grace period ----------------------------------------------


def console_opened(agent: User, *, ip: str | None, user_agent: str) -> int:
    """Log an agent console socket (it counts as the agent being connected); its log id.

    An offline agent who opens the console comes online; an away agent stays away.
    """
    _require_agent(agent)
    now = timezone.now()
    log = ConnectionLog.objects.create(
        user=agent, conversation=None, ip=ip, user_agent=user_agent[:300],
        connected_at=now, last_seen_at=now,
    )
    if agent_status(agent).presence == AgentPresence.OFFLINE:
        set_presence(agent, AgentPresence.ONLINE)
    return log.pk


def console_closed(log_id: int) -> None:
    ConnectionLog.objects.filter(pk=log_id, disconnected_at__isnull=True).update(
        disconnected_at=timezone.now()
    )


def requeue_abandoned(now: datetime | None = None) -> list[int]:
    """Send the chats of agents disconnected longer than the grace period back to the queue.

    An agent counts as connected while any socket of theirs (console or chat) is open and
    heartbeating; agents who never connected (API-only use) are left alone. The user is
    told the agent left; the agent is set offline.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.SUPPORT_REQUEUE_GRACE)
    fresh = now - timedelta(
        seconds=actions.STALE_HEARTBEATS * settings.GATEWAY_HEARTBEAT_INTERVAL
    )
    connected = ConnectionLog.objects.filter(
        user=OuterRef("pk"), disconnected_at__isnull=True, last_seen_at__gte=fresh
    )
    holders = (
        User.objects.filter(assigned_support_chats__status=SupportStatus.ACTIVE)
        .exclude(Exists(connected))
        .annotate(last_active=Max(Coalesce("connections__disconnected_at",
                                           "connections__last_seen_at")))
        .filter(last_active__lte=now - grace)
        .distinct()
    )
    requeued: list[int] = []
    for agent in holders:
        with transaction.atomic():
            chats = SupportChat.objects.select_for_update().filter(
                agent=agent, status=SupportStatus.ACTIVE
            )
            for chat in chats:
                _requeue(chat, actor=None, note="The agent disconnected.", reason="disconnected")
                requeued.append(chat.pk)
            AgentStatus.objects.filter(agent=agent).update(presence=AgentPresence.OFFLINE)
    if requeued:
        _auto_assign_if_enabled()
    return requeued
