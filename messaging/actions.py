"""State changes of the chat, each one synchronous and inside ``transaction.atomic``.

Consumers call each action through a single ``database_sync_to_async`` and broadcast the
frames it returns once it has returned, i.e. after the commit: nothing is relayed or
acknowledged that is not durably stored, and a refused action stores nothing.

Sequence numbers are allocated under a row lock on the conversation
(``select_for_update``; on SQLite the IMMEDIATE transaction mode serialises writers the
same way), so the conversation's sequence has neither gaps nor duplicates. Redaction runs
under the same lock, which also makes the engine's split-message window see a
conversation's messages in ``seq`` order.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from messaging import serializers
from messaging.errors import (
    CoolingDown,
    Flooding,
    GatewayError,
    NotAllowed,
    NotFound,
    Suspended,
    TooManyConnections,
)
from messaging.limits import Limits
from messaging.policy import Action, Decision, Policy, Redacted, begin
from messaging.redactor import batched_window, get_redactor
from messaging.serializers import Frame
from messaging.unit_of_work import UnitOfWork, update_rows
from models import (
    ConnectionLog,
    Conversation,
    ConversationKind,
    Message,
    MessageEvent,
    MessageEventKind,
    MessageOriginal,
    Participant,
    User,
)

if TYPE_CHECKING:
    from redaction import Finding, Result, RetroMask

logger = logging.getLogger(__name__)

#: A connection log row silent for this many heartbeats belongs to a dead process.
STALE_HEARTBEATS = 3


@dataclass(frozen=True, slots=True)
class Opened:
    """A socket admitted to a conversation."""

    log_id: int
    conversation_id: int
    group: str
    last_seq: int
    user: Frame
    #: ``presence`` frames for every participant online in the conversation, caller included.
    presence: tuple[Frame, ...]


@dataclass(frozen=True, slots=True)
class Deferred:
    """A send :func:`send_messages` did not attempt: another transaction held its
    conversation. Nothing of it was judged or stored; send it again."""

    conversation_id: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a write action tells the consumer to send after the commit."""

    #: Frames for every socket of the conversation, in ``seq`` order.
    broadcast: tuple[Frame, ...] = ()
    #: Frames for the calling socket alone (ack, warning).
    reply: tuple[Frame, ...] = ()


# --- Connections ------------------------------------------------------------------------------


def open_connection(
    user: User, conversation_id: int, *, ip: str | None, user_agent: str, limits: Limits
) -> Opened:
    """Admit ``user`` to the conversation and log the connection, or raise why not."""
    now = timezone.now()
    with transaction.atomic():
        # Locking the user row serialises concurrent connects of one user, so two sockets
        # opening at once cannot both take the last free slot. NO KEY: a concurrent send
        # inserting a message by this user must not wait for it (PostgreSQL deadlocked
        # when the send held the conversation and this transaction the user).
        user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        conversation = Conversation.objects.filter(pk=conversation_id).first()
        if conversation is None:
            raise NotFound(f"conversation {conversation_id} does not exist")
        if user.is_suspended:
            raise Suspended("your account is suspended")
        if not _is_participant(user, conversation):
            raise NotAllowed("you are not a participant of this conversation")
        _check_cooldown(user, now, limits.flood_cooldown)
        fresh = now - timedelta(seconds=STALE_HEARTBEATS * limits.heartbeat_interval)
        open_sockets = ConnectionLog.objects.filter(
            user=user, disconnected_at__isnull=True, last_seen_at__gte=fresh
        ).count()
        if open_sockets >= limits.max_connections_per_user:
            raise TooManyConnections(
                f"you already have {open_sockets} open connections "
                f"(limit {limits.max_connections_per_user}); close one first"
            )
        log = ConnectionLog.objects.create(
            user=user,
            conversation=conversation,
            ip=ip,
            user_agent=user_agent[:300],
            connected_at=now,
            last_seen_at=now,
        )
        online = User.objects.filter(
            connections__conversation=conversation,
            connections__disconnected_at__isnull=True,
            connections__last_seen_at__gte=fresh,
        ).distinct()
        presence = tuple(
            serializers.presence_frame(conversation.pk, serializers.user_payload(other), "online")
            for other in online
        )
    return Opened(
        log_id=log.pk,
        conversation_id=conversation.pk,
        group=conversation.group_name,
        last_seq=conversation.last_seq,
        user=serializers.user_payload(user),
        presence=presence,
    )


def _check_cooldown(user: User, now: datetime, cooldown: float) -> None:
    """Refuse a user whose socket was closed for flooding less than ``cooldown`` s ago.

    The connection log is the record, so every process sees it: a log closed with the
    flooding code can only be a flood, since ``too_many_connections`` (the other 4429)
    refuses a socket before its log row exists.
    """
    if cooldown <= 0:
        return
    flooded_at = (
        ConnectionLog.objects.filter(
            user=user,
            close_code=Flooding.close_code,
            disconnected_at__gte=now - timedelta(seconds=cooldown),
        )
        .order_by("-disconnected_at")
        .values_list("disconnected_at", flat=True)
        .first()
    )
    if flooded_at is not None:
        wait = cooldown - (now - flooded_at).total_seconds()
        raise CoolingDown(
            f"a socket of yours was closed for flooding; reconnect in {max(wait, 1):.0f} s"
        )


def heartbeat(log_id: int, conversation_id: int | None = None) -> int:
    """Mark the socket as alive, so it keeps counting against the connection cap.

    With ``conversation_id``, also the conversation's last stored sequence number (0 if it
    is gone), which chat sockets compare with what they delivered.
    """
    ConnectionLog.objects.filter(pk=log_id).update(last_seen_at=timezone.now())
    if conversation_id is None:
        return 0
    found = Conversation.objects.filter(pk=conversation_id).values_list("last_seq", flat=True)
    return found.first() or 0


def close_connection(log_id: int, close_code: int | None) -> Frame | None:
    """Log the end of a socket; the ``presence`` offline frame if it was the user's last."""
    now = timezone.now()
    with transaction.atomic():
        log = ConnectionLog.objects.select_related("user").filter(pk=log_id).first()
        if log is None or log.disconnected_at is not None:
            return None
        log.disconnected_at = now
        log.close_code = close_code
        log.save(update_fields=["disconnected_at", "close_code"])
        still_online = ConnectionLog.objects.filter(
            user_id=log.user_id, conversation_id=log.conversation_id, disconnected_at__isnull=True
        ).exists()
    if still_online or log.conversation_id is None:
        return None
    return serializers.presence_frame(
        log.conversation_id, serializers.user_payload(log.user), "offline"
    )


# --- Messages ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendRequest:
    """One ``message.send``: who sends what where, under the client's idempotency key."""

    user: User
    conversation_id: int
    client_id: str
    text: str


def send_message(user: User, conversation_id: int, client_id: str, text: str) -> Outcome:
    """Redact, store and sequence a new message; a resent ``client_id`` only gets its ack."""
    (outcome,) = send_messages([SendRequest(user, conversation_id, client_id, text)])
    if isinstance(outcome, GatewayError):
        raise outcome
    return outcome


def send_messages(
    requests: Sequence[SendRequest], *, wait_for: Collection[int] | None = None
) -> list[Outcome | GatewayError | Deferred]:
    """Store several sends in one transaction: a group commit.

    Each send is judged and stored exactly as if alone, in the order given, but the batch
    shares one lock statement, one resend lookup, one conversation update and one commit,
    and the policy's inserts go out as one statement per table (:func:`messaging.policy.begin`):
    under load a process's single database thread pays those round trips once per batch
    instead of once per message. A send refused before it wrote anything (not a
    participant, suspended, a closed support chat) gets its :class:`GatewayError` in its
    place in the result, and the others go ahead. Any other exception rolls back the whole
    batch and propagates; nothing of it is stored, so the caller may retry the sends one
    by one (:class:`messaging.sending.SendBatcher` does).

    ``wait_for``: by default the transaction waits for every conversation's lock. Given a
    collection, it waits only for those conversations' locks and skips any other
    conversation that another transaction holds (``SKIP LOCKED``): that conversation's
    sends come back as :class:`Deferred`, untouched. Two processes whose batches share
    conversations then store their other conversations side by side instead of one
    waiting for the other's whole batch to commit.
    """
    outcomes: list[Outcome | GatewayError | Deferred | None] = []
    seen: list[tuple[_Writer, int]] = []
    clean = _CleanSends(outcomes)
    try:
        # The window's writes are sent together before the commit releases the locks.
        with transaction.atomic(), batched_window():
            wanted = {request.conversation_id for request in requests}
            locked = _lock_conversations(wanted, wait_for)
            # Skipped, or without participants: a deferred send of the latter comes back
            # with ``wait_for`` naming its conversation, and gets its error then.
            busy = wanted - locked.keys() if wait_for is not None else set()
            taken = [r for r in requests if r.conversation_id not in busy]
            resent = _stored_client_ids(taken)
            judging = _Judging.start({(r.user.pk, r.conversation_id) for r in taken})
            touched: dict[int, Conversation] = {}
            for request in requests:
                if request.conversation_id in busy:
                    outcomes.append(Deferred(request.conversation_id))
                    continue
                try:
                    writer = _writer(locked, request.user, request.conversation_id)
                except GatewayError as error:
                    outcomes.append(error)
                    continue
                key = (request.conversation_id, writer.sender.pk, request.client_id)
                if key in resent:
                    if resent[key].pk is None:
                        clean.insert()  # its ack needs the id of the first one
                    outcomes.append(Outcome(reply=(serializers.ack_frame(resent[key]),)))
                    continue
                outcome, stored = _send(
                    writer, request.client_id, request.text, seen, clean, judging
                )
                if stored is not None:
                    resent[key] = stored  # the same client_id twice in one batch
                    touched[writer.conversation.pk] = writer.conversation
                outcomes.append(outcome)
            clean.insert()
            judging.work.flush()
            if touched:
                update_rows(list(touched.values()), ["last_seq", "last_message_at"])
    except BaseException:
        # Rolled back: the numbers will be reused, so the window must not remember them.
        for writer, seq in seen:
            _forget(writer, seq)
        raise
    return outcomes  # clean.insert() has filled in every None


class _CleanSends:
    """Messages the engine found nothing in, held for one ``INSERT`` of them all.

    Most messages are clean: they need no policy and no earlier message, only their id
    for their frames. Holding them until something needs the table (a message with
    findings, whose policy and retro masks read and write it in order, or the end of the
    batch) turns one statement per message into one per run of clean messages. Their
    outcomes stay ``None`` in ``outcomes`` until then.
    """

    def __init__(self, outcomes: list[Outcome | GatewayError | None]) -> None:
        self._outcomes = outcomes
        self._held: list[tuple[int, Message]] = []

    def hold(self, message: Message) -> None:
        """Hold ``message``; its outcome will take the next place in ``outcomes``."""
        self._held.append((len(self._outcomes), message))

    def insert(self, *, then: Message | None = None) -> None:
        """Insert the held messages (with their ids) and fill in their outcomes.

        ``then``, a message that is not held, goes into the same statement after them.
        """
        if not self._held and then is None:
            return
        Message.objects.bulk_create(
            [message for _, message in self._held] + ([then] if then is not None else [])
        )
        for place, message in self._held:
            self._outcomes[place] = Outcome(
                broadcast=(serializers.message_frame(message),),
                reply=(serializers.ack_frame(message),),
            )
        self._held.clear()


def _send(
    writer: _Writer,
    client_id: str,
    text: str,
    seen: list[tuple[_Writer, int]],
    clean: _CleanSends,
    judging: _Judging,
) -> tuple[Outcome | None, Message | None]:
    """One send inside :func:`send_messages`; the message, unless the policy withheld it.

    ``seen`` collects the sequence numbers the engine has judged, to forget on a rollback.
    A message with nothing found is held by ``clean`` (its outcome then is ``None``).
    """
    conversation, sender = writer.conversation, writer.sender
    now = timezone.now()
    seq = _next_seq(conversation)
    seen.append((writer, seq))
    result = _redact(writer, text, seq, now)
    message = Message(
        conversation=conversation,
        seq=seq,
        sender=sender,
        client_id=client_id,
        text=result.masked,
        redacted=result.redacted,
        created_at=now,
    )
    if not result.findings and not result.retro:
        conversation.last_message_at = now
        clean.hold(message)
        return None, message
    # After the held ones: the policy and retro masks see the table in sequence order.
    clean.insert(then=message)
    judged = _after_redaction(conversation, sender, message, text, result, "send", judging)
    if judged.decision is not None and judged.decision.action.withholds:
        _forget(writer, seq)
        conversation.last_seq = seq - 1  # the number stays free for the next message
        judging.work.flush()  # the message's delete takes the rows held for it along
        return _withhold(message, text, judged.decision, judged.warning), None
    retro = _mask_earlier(conversation, judged.earlier, now, judging.work)
    conversation.last_message_at = now
    outcome = Outcome(
        broadcast=(serializers.message_frame(message), *retro),
        reply=(serializers.ack_frame(message), *judged.warning),
    )
    return outcome, message


def edit_message(
    user: User, conversation_id: int, message_id: int, text: str, *, limits: Limits
) -> Outcome:
    """Replace the text of the sender's own message, redacted again like a new one."""
    with transaction.atomic():
        writer = _lock_for_writing(user, conversation_id)
        conversation, sender = writer.conversation, writer.sender
        judging = _Judging.start([(sender.pk, conversation.pk)])
        now = timezone.now()
        message = _own_message(conversation, sender, message_id, now, limits)
        event = _record_event(conversation, message, MessageEventKind.EDIT, now)
        # The edit is judged under the message's own id, so a split completed by it
        # points back at the right messages.
        result = _redact(writer, text, message.seq, now)
        message.text = result.masked
        message.redacted = result.redacted
        message.edited_at = now
        message.save(update_fields=["text", "redacted", "edited_at"])
        judged = _after_redaction(conversation, sender, message, text, result, "edit", judging)
        retro = _mask_earlier(conversation, judged.earlier, now, judging.work)
        judging.work.flush()
        _save_conversation(conversation)
    return Outcome(
        broadcast=(serializers.update_frame(event, message), *retro), reply=judged.warning
    )


def delete_message(user: User, conversation_id: int, message_id: int, *, limits: Limits) -> Outcome:
    """Delete the sender's own message: it keeps its place in the sequence, without text.

    The stored masked text stays for moderators; frames and history show it empty.
    """
    with transaction.atomic():
        writer = _lock_for_writing(user, conversation_id)
        conversation = writer.conversation
        now = timezone.now()
        message = _own_message(conversation, writer.sender, message_id, now, limits)
        event = _record_event(conversation, message, MessageEventKind.DELETE, now)
        message.deleted_at = now
        message.save(update_fields=["deleted_at"])
        _save_conversation(conversation)
    return Outcome(broadcast=(serializers.update_frame(event, message),))


@dataclass(frozen=True, slots=True)
class _Writer:
    """The locked conversation, the sender as stored now, and the names redaction spares."""

    conversation: Conversation
    sender: User
    names: tuple[str, ...]


#: What a send reads of its participants: the conversation whole, and of each user what
#: judging, storing and serialising a message use (not the password hash, login times,
#: e-mail or names a send never reads, which cost a third of the lock statement's time).
_WRITER_FIELDS = (
    "conversation_id",
    "user_id",
    *(f"conversation__{field.name}" for field in Conversation._meta.concrete_fields),
    *(
        f"user__{name}"
        for name in ("id", "username", "display_name", "role", "suspended_at", "is_active",
                     "is_superuser")
    ),
)  # fmt: skip


def _lock_conversations(
    conversation_ids: Iterable[int], wait_for: Collection[int] | None = None
) -> dict[int, list[Participant]]:
    """Lock the conversations for writing; their participants with users, by conversation.

    One statement, however many conversations (one more when skipping, below): the
    participants with their users joined to the conversations, locked ``FOR NO KEY UPDATE
    OF`` the conversations alone. That
    serialises writers but lets other transactions insert rows pointing at a conversation
    (a connection log) without a lock-order deadlock, and leaves the users' rows unlocked.
    Rows are locked in conversation order, so two processes locking overlapping batches
    wait for each other instead of deadlocking. Every participant row of a conversation
    shares one ``Conversation`` instance, so sequence numbers taken by several sends of a
    batch add up, and every row of a user one ``User`` instance, so a suspension by the
    strike policy refuses the user's later sends in the batch, in any conversation.

    With ``wait_for`` (see :func:`send_messages`), those conversations are locked first,
    waiting, and then the others that are free, skipping the rest: a transaction waits
    only while it holds nothing but lower-numbered conversations it waited for, so
    skipping adds no deadlock. The free ones are locked on their own rows before their
    participants are read: ``SKIP LOCKED`` on the join judges each participant row
    apart, so a conversation that another transaction released in the middle of the
    scan came back with only some of its participants, and a send by one of the others
    was refused as by a non-participant.
    """
    wanted = set(conversation_ids)
    if wait_for is None:
        memberships: Iterable[Participant] = _memberships(wanted)
    else:
        waited = wanted.intersection(wait_for)
        first = list(_memberships(waited))  # locked, waiting, before any other
        memberships = chain(first, _memberships(_lock_free(wanted - waited)))
    locked: dict[int, list[Participant]] = {}
    users: dict[int, User] = {}
    for membership in memberships:
        people = locked.setdefault(membership.conversation_id, [])
        if people:
            membership.conversation = people[0].conversation
        user = users.setdefault(membership.user_id, membership.user)
        if user is not membership.user:
            membership.user = user
        people.append(membership)
    return locked


def _memberships(conversation_ids: set[int]) -> QuerySet:
    return (
        Participant.objects.filter(conversation_id__in=sorted(conversation_ids))
        .select_related("user", "conversation")
        .only(*_WRITER_FIELDS)
        .select_for_update(no_key=True, of=("conversation",))
        .order_by("conversation_id", "pk")
    )


def _lock_free(conversation_ids: set[int]) -> set[int]:
    """Lock those of the conversations no other transaction holds; their ids."""
    if not conversation_ids:
        return set()
    return set(
        Conversation.objects.filter(pk__in=sorted(conversation_ids))
        .order_by("pk")
        .select_for_update(no_key=True, skip_locked=True)
        .values_list("pk", flat=True)
    )


def _writer(locked: dict[int, list[Participant]], user: User, conversation_id: int) -> _Writer:
    """Check, inside the transaction, that ``user`` may write to the locked conversation.

    Re-reading the user catches a suspension or removal that happened after the socket
    connected.
    """
    memberships = locked.get(conversation_id)
    if not memberships:
        if not Conversation.objects.filter(pk=conversation_id).exists():
            raise NotFound(f"conversation {conversation_id} does not exist")
        raise NotAllowed("you are no longer a participant of this conversation")
    conversation = memberships[0].conversation
    people = [membership.user for membership in memberships]
    sender = next((person for person in people if person.pk == user.pk), None)
    if sender is None:
        raise NotAllowed("you are no longer a participant of this conversation")
    if sender.is_suspended:
        raise Suspended("your account is suspended")
    if conversation.kind == ConversationKind.SUPPORT:
        from support.services import ensure_open  # support builds on the gateway, not back

        ensure_open(conversation.pk)
    names = tuple(name for person in people for name in (person.username, person.display_name)
                  if name)
    return _Writer(conversation, sender, names)


def _lock_for_writing(user: User, conversation_id: int) -> _Writer:
    return _writer(_lock_conversations([conversation_id]), user, conversation_id)


def _stored_client_ids(requests: Sequence[SendRequest]) -> dict[tuple[int, int, str], Message]:
    """The messages already stored under the requests' ``client_id`` (resends), by key.

    Looked up after the lock, so a resend racing its original cannot slip through. One
    coarse ``IN`` query, narrowed here: an ``OR`` of one condition per send costs more to
    build in the ORM than the whole query takes to run.
    """
    wanted = {(r.conversation_id, r.user.pk, r.client_id) for r in requests}
    candidates = Message.objects.filter(
        conversation_id__in={key[0] for key in wanted}, client_id__in={key[2] for key in wanted}
    ).order_by()  # read into a dict: sorting would only cost
    found = {(m.conversation_id, m.sender_id, m.client_id): m for m in candidates}
    return {key: message for key, message in found.items() if key in wanted}


def _own_message(
    conversation: Conversation, sender: User, message_id: int, now: datetime, limits: Limits
) -> Message:
    message = (
        Message.objects.select_related("sender")
        .filter(pk=message_id, conversation=conversation)
        .first()
    )
    if message is None:
        raise NotFound(f"message {message_id} is not in this conversation")
    if message.sender_id != sender.pk:
        raise NotAllowed("you can only change your own messages", code="not_author")
    if message.is_deleted:
        raise NotAllowed("the message is deleted", code="message_deleted")
    if now - message.created_at > timedelta(seconds=limits.edit_window):
        raise NotAllowed(
            f"messages can be changed for {limits.edit_window / 60:g} minutes after sending",
            code="edit_window_closed",
        )
    return message


def _next_seq(conversation: Conversation) -> int:
    """The next number in the conversation's sequence; the row must be locked."""
    conversation.last_seq += 1
    return conversation.last_seq


def _save_conversation(conversation: Conversation) -> None:
    conversation.save(update_fields=["last_seq"])


def _record_event(
    conversation: Conversation, message: Message, kind: MessageEventKind, now: datetime
) -> MessageEvent:
    return MessageEvent.objects.create(
        conversation=conversation,
        seq=_next_seq(conversation),
        message=message,
        kind=kind,
        created_at=now,
    )


def _redact(writer: _Writer, text: str, seq: int, now: datetime) -> Result:
    """Run the engine on ``text`` as message ``seq`` of the writer in its conversation."""
    from redaction import Context

    return get_redactor().redact(
        text,
        Context(
            conversation=str(writer.conversation.pk),
            sender=str(writer.sender.pk),
            message_id=str(seq),
            participants=writer.names,
            timestamp=now.timestamp(),
        ),
    )


def _forget(writer: _Writer, seq: int) -> None:
    """Take withheld message ``seq`` out of the engine's split window: the next message
    reuses the number, and a later split detail must not name it for the withheld text."""
    get_redactor().forget(str(writer.conversation.pk), str(writer.sender.pk), str(seq))


@dataclass(frozen=True, slots=True)
class _Judging:
    """The policy of one transaction and the inserts it holds until the transaction ends."""

    policy: Policy
    work: UnitOfWork

    @classmethod
    def start(cls, expected: Iterable[tuple[int, int]]) -> _Judging:
        """For sends by these (sender id, conversation id) pairs; flush ``work`` before commit."""
        work = UnitOfWork()
        return cls(begin(work, set(expected)), work)


@dataclass(frozen=True, slots=True)
class _Judged:
    """The policy's verdict on a redacted message, before earlier pieces are masked."""

    #: ``None`` when the engine found nothing, so no policy was asked.
    decision: Decision | None = None
    warning: tuple[Frame, ...] = ()
    #: Earlier messages a split detail completed by this one runs through, with their masks.
    earlier: tuple[tuple[RetroMask, Message], ...] = ()


def _after_redaction(
    conversation: Conversation,
    sender: User,
    message: Message,
    text: str,
    result: Result,
    reason: str,
    judging: _Judging,
) -> _Judged:
    """Keep the original and ask the policy, telling it which earlier messages are involved.

    Masking those earlier messages is left to the caller (:func:`_mask_earlier`): when the
    policy withholds the completing message, the earlier pieces reveal nothing on their own
    and stay as they are, and no sequence number is spent on events nobody will see.
    """
    if not result.findings and not result.retro:
        return _Judged()
    if result.findings:
        judging.work.insert(
            MessageOriginal(
                message=message, reason=reason, text=text, detail_types=_types(result.findings)
            )
        )
    earlier = tuple(
        (retro, target)
        for retro in result.retro
        if (target := _retro_target(conversation, sender, retro)) is not None
    )
    decision = judging.policy.decide(
        Redacted(
            sender=sender,
            conversation=conversation,
            message=message,
            result=result,
            retro_messages=tuple(target for _, target in earlier),
            reason=reason,
        )
    )
    findings = [*result.findings, *(f for retro in result.retro for f in retro.findings)]
    return _Judged(decision, (_warning(_types(findings), decision),), earlier)


_WITHHELD_WORDS = {
    Action.BLOCK: "Your message was not delivered because it contained contact details.",
    Action.BOUNCE: "Your message was returned to you: remove the contact details and send it "
    "again.",
    Action.HOLD: "Your message is held until a moderator reviews it.",
}


def _withhold(
    message: Message, text: str, decision: Decision, warning: tuple[Frame, ...]
) -> Outcome:
    """The policy keeps the message out of the conversation: it is not stored for others,
    its sequence number stays free (the conversation row is not saved), and the sender is
    told; a bounce hands the text back to edit. Moderation keeps what it needs (a held
    message's text) in its own tables."""
    message.delete()
    frame: Frame = {
        "type": "message.withheld",
        "client_id": message.client_id,
        "action": str(decision.action),
        "detail": _WITHHELD_WORDS[decision.action],
    }
    if decision.action == Action.BOUNCE:
        frame["text"] = text
    return Outcome(reply=(frame, *warning))


def _retro_target(conversation: Conversation, sender: User, retro: RetroMask) -> Message | None:
    """The earlier message of ``sender`` a retroactive mask is for, if it is still there."""
    try:
        earlier_seq = int(retro.message_id)
    except (TypeError, ValueError):
        earlier_seq = None
    earlier = (
        Message.objects.select_related("sender")
        .filter(conversation=conversation, sender=sender, seq=earlier_seq)
        .first()
    )
    if earlier is None or earlier.is_deleted:
        # The engine's window remembers the sender's recent messages; one deleted since
        # has nothing left to mask.
        logger.info("retro mask for message %r skipped: not found or deleted", retro.message_id)
        return None
    return earlier


def _mask_earlier(
    conversation: Conversation,
    earlier: tuple[tuple[RetroMask, Message], ...],
    now: datetime,
    work: UnitOfWork,
) -> tuple[Frame, ...]:
    """Mask earlier pieces in the stored transcript; a ``message.update`` frame for each."""
    if earlier:
        work.flush()  # a piece sent earlier in the batch may have its original held there
    updates = []
    for retro, target in earlier:
        latest_original = target.originals.order_by("-created_at", "-pk").first()
        unmasked = latest_original.text if target.redacted and latest_original else target.text
        MessageOriginal.objects.create(
            message=target, reason="retro", text=unmasked, detail_types=_types(retro.findings)
        )
        target.text = retro.masked_text
        target.redacted = True
        target.save(update_fields=["text", "redacted"])
        event = _record_event(conversation, target, MessageEventKind.RETRO, now)
        updates.append(serializers.update_frame(event, target))
    return tuple(updates)


def _types(findings: Iterable[Finding]) -> list[str]:
    return sorted({str(finding.type) for finding in findings})


_TYPE_WORDS = {"phone": "phone numbers", "email": "email addresses", "handle": "social handles",
               "url": "links"}


def _warning(types: list[str], decision: Decision) -> Frame:
    words = [_TYPE_WORDS.get(kind, kind) for kind in types]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    detail = (
        f"We removed {listed} from your message: sharing contact details in chat is "
        "against the marketplace's terms. Keep the conversation here."
    )
    if decision.note:
        detail = f"{detail} {decision.note}"
    return {"type": "warning", "code": "contact_details_removed", "types": types, "detail": detail}


# --- Read state and history -------------------------------------------------------------------


def mark_read(user: User, conversation_id: int, seq: int) -> Frame | None:
    """Move the caller's read marker forward; the ``read`` frame, or ``None`` if unchanged."""
    with transaction.atomic():
        membership = (
            Participant.objects.select_for_update()
            .select_related("conversation", "user")
            .filter(conversation_id=conversation_id, user_id=user.pk)
            .first()
        )
        if membership is None:
            raise NotAllowed("you are not a participant of this conversation")
        seq = min(seq, membership.conversation.last_seq)
        if seq <= membership.last_read_seq:
            return None
        membership.last_read_seq = seq
        membership.save(update_fields=["last_read_seq"])
    return {
        "type": "read",
        "conversation": conversation_id,
        "user": serializers.user_payload(membership.user),
        "seq": seq,
    }


def history(conversation_id: int, after_seq: int, limit: int) -> Frame:
    """Everything after ``after_seq`` in sequence order, at most ``limit`` items."""
    return {
        "type": "history",
        **_replay(conversation_id, Q(seq__gt=after_seq), limit),
    }


def replay_between(conversation_id: int, after_seq: int, before_seq: int) -> list[Frame]:
    """The stored frames with ``after_seq < seq < before_seq``: a gap a socket missed."""
    window = Q(seq__gt=after_seq, seq__lt=before_seq)
    return _replay(conversation_id, window, max(before_seq - after_seq - 1, 0))["messages"]


def _replay(conversation_id: int, window: Q, limit: int) -> Frame:
    # One page of each table is enough to know the first `limit` of their merge.
    messages = (
        Message.objects.select_related("sender")
        .filter(window, conversation_id=conversation_id)
        .order_by("seq")[: limit + 1]
    )
    events = (
        MessageEvent.objects.select_related("message")
        .filter(window, conversation_id=conversation_id)
        .order_by("seq")[: limit + 1]
    )
    items = sorted(
        [
            *((m.seq, serializers.message_frame(m)) for m in messages),
            *((e.seq, serializers.update_frame(e, e.message)) for e in events),
        ],
        key=lambda item: item[0],
    )
    return {"messages": [frame for _, frame in items[:limit]], "has_more": len(items) > limit}


def _is_participant(user: User, conversation: Conversation) -> bool:
    return Participant.objects.filter(conversation=conversation, user=user).exists()
