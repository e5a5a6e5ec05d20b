"""Moderation's state changes, each one synchronous and inside ``transaction.atomic``.

Every action a person or the system takes writes an :class:`~models.AuditLog` entry in
the same transaction, so an action without its audit entry cannot be committed. What
must reach sockets (a suspended user's connections, the moderators' feed) is sent by
:mod:`moderation.notify` once the transaction has committed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from messaging.errors import InvalidRequest, NotAllowed, NotFound
from messaging.policy import Action, Decision, Redacted
from messaging.unit_of_work import UnitOfWork, update_rows
from models import (
    Appeal,
    AppealStatus,
    AuditLog,
    Case,
    CaseStatus,
    Contract,
    Conversation,
    ConversationKind,
    Fingerprint,
    HoldState,
    Message,
    Participant,
    Role,
    Strike,
    Suspension,
    User,
    Violation,
)
from moderation import notify
from moderation.crypto import Sealed
from moderation.policy import Rules, rules_for

logger = logging.getLogger(__name__)


#: Largest primary key the databases store; a bigger id from a client names nothing (and
#: SQLite would fail on it instead of finding no row).
MAX_ID = 2**63 - 1


# --- Violations and strikes -------------------------------------------------------------------


def fingerprint(kind: str, text: str) -> str:
    """A keyed hash of a detail's normalised form: its digits for a phone number written
    with enough of them, else its letters and digits lower-cased. Keyed with SECRET_KEY so
    the digest of a phone number cannot be looked up by hashing every number."""
    digits = re.sub(r"\D", "", text)
    if kind == "phone" and len(digits) >= 7:
        normal = digits[-10:]
    else:
        normal = re.sub(r"\W", "", text.lower())
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


def record_violation(redacted: Redacted, rules: Rules, ledger: Ledger) -> Decision:
    """Write the violation behind a message with findings and escalate; the decision.

    A split attempt arrives once, with the message that completed it: one violation
    naming every piece. A withheld send that the client resends (same ``client_id``) is
    the same attempt and counts once. The inserts are held in the ledger's unit of work.
    """
    sender, conversation, message, result = (
        redacted.sender, redacted.conversation, redacted.message, redacted.result
    )
    findings = [*result.findings, *(f for retro in result.retro for f in retro.findings)]
    kinds = sorted({str(f.type) for f in findings})
    # A split attempt's earlier pieces are already delivered: withholding the last piece
    # would leave the transcript half-masked, so split attempts are masked.
    # An edit is already delivered: it can only be masked.
    action = (
        Action.MASK
        if redacted.retro_messages or redacted.reason != "send"
        else rules.action_for(kinds)
    )
    if action.withholds:
        earlier = ledger.withheld_attempt(sender, conversation, message.client_id)
        if earlier is not None:
            return _resent(earlier, message, rules, ledger)
    now = timezone.now()
    matched = [result.text[f.start:f.end] for f in result.findings]
    violation = Violation(
        user=sender,
        conversation=conversation,
        message=None if action.withholds else message,
        client_id=message.client_id,
        kinds=kinds,
        disguised=any(f.disguised for f in findings),
        action=action,
        matched=Sealed.seal("\n".join(matched)),
        held_text=Sealed.seal(result.text) if action == Action.HOLD else None,
        hold_state=HoldState.PENDING if action == Action.HOLD else "",
        created_at=now,
        case=ledger.open_case(sender, conversation, now),
    )
    ledger.work.insert(violation)
    if not action.withholds:
        for piece in (message, *redacted.retro_messages):
            ledger.work.insert(Violation.messages.through(violation=violation, message=piece))
    digests = [
        (str(f.type), fingerprint(str(f.type), text))
        for f, text in zip(result.findings, matched, strict=True)
    ]
    for kind, digest in digests:
        ledger.work.insert(Fingerprint(violation=violation, kind=kind, digest=digest))
    if rules.strikes:
        points = settings.MODERATION_DISGUISED_POINTS if violation.disguised else 1
        ledger.add_strike(Strike(
            user=sender, violation=violation, points=points, created_at=now,
            expires_at=now + timedelta(days=settings.MODERATION_STRIKE_DAYS),
        ))
    points = ledger.active_points(sender.pk, now)
    _escalate(violation, points, [digest for _, digest in digests], ledger,
              flag=action in (Action.FLAG, Action.HOLD), now=now)
    return Decision(action, note=_strikes_note(points, rules))


def _resent(violation: Violation, message: Message, rules: Rules, ledger: Ledger) -> Decision:
    """A withheld message sent again under its ``client_id``: the same attempt, no new strike.

    Once a moderator allowed a held message, its resend (the allow itself replays the send)
    is delivered masked and joins the violation.
    """
    if violation.hold_state == HoldState.ALLOWED:
        violation.message = message
        violation.save(update_fields=["message"])
        violation.messages.add(message)
        return Decision(Action.MASK)
    if not rules.strikes:
        return Decision(Action(violation.action))
    points = ledger.active_points(violation.user_id, timezone.now())
    return Decision(Action(violation.action), note=_strikes_note(points, rules))


def suspend_threshold() -> int:
    return settings.MODERATION_SUSPEND_AT


def active_points(user: User) -> int:
    return Strike.objects.active().filter(user=user).aggregate(total=Sum("points"))["total"] or 0


def _strikes_note(points: int, rules: Rules) -> str:
    """What the sender is told about their strikes, holding ``points`` active points."""
    if not rules.strikes:
        return ""
    left = settings.MODERATION_SUSPEND_AT - points
    if left <= 0:
        return "Your account is suspended until a moderator reviews it."
    days = settings.MODERATION_STRIKE_DAYS
    return (
        f"You have {left} strike{'s' if left != 1 else ''} left before your account is "
        f"suspended; strikes expire after {days} days."
    )


@dataclass(slots=True)
class _Points:
    """A sender's active strike points, valid until the first of them expires."""

    total: int
    first_expiry: datetime | None

    def add(self, strike: Strike) -> None:
        self.total += strike.points
        if self.first_expiry is None or strike.expires_at < self.first_expiry:
            self.first_expiry = strike.expires_at


@dataclass(frozen=True, slots=True)
class _Unrated:
    """A violation whose case's severity is set at the next flush."""

    violation: Violation
    digests: list[str]
    points: int
    payload: dict


class Ledger:
    """The strike policy for one transaction's decisions: a group commit of sends, or an edit.

    Every violation costs the same rows as ever, but the inserts are held in ``work``
    (one statement per table when it is flushed, before the commit) and what escalation
    reads is read once per transaction and kept up to date here as violations are added:
    the open cases of all the ``expected`` (sender, conversation) pairs, locked in one
    statement at the first decision and each updated once per flush; the senders' active
    points in one statement; the cases' severities (which count the conversations each
    violation's details went into) at the flush, for all violations in one statement,
    each as of its own violation. The conversations stay locked until the commit, so no
    other batch adds to them meanwhile; a moderator's case action waits for the case lock.
    """

    def __init__(self, work: UnitOfWork, expected: Collection[tuple[int, int]]) -> None:
        self.work = work
        self._expected = set(expected)
        #: Open case per (user id, conversation id), locked; ``None``: the pair has none.
        self._cases: dict[tuple[int, int], Case | None] = {}
        self._points: dict[int, _Points] = {}
        #: Per user id: the conversations of their violations, per fingerprint digest.
        self._patterns: dict[int, dict[str, set[int]]] = {}
        self._unrated: list[_Unrated] = []
        self._touched: dict[int, Case] = {}
        work.on_flush(self._flush)

    def decide(self, redacted: Redacted) -> Decision:
        return record_violation(redacted, rules_for(redacted.conversation), self)

    def withheld_attempt(
        self, user: User, conversation: Conversation, client_id: str
    ) -> Violation | None:
        """The violation of an earlier withheld send under ``client_id``, if any."""
        self.work.flush()  # it may be held there, from earlier in the batch
        return Violation.objects.filter(
            user=user, conversation=conversation, client_id=client_id, message__isnull=True,
        ).first()

    def open_case(self, user: User, conversation: Conversation, now: datetime) -> Case:
        """The user's open case in the conversation, locked; a new one if there is none."""
        key = (user.pk, conversation.pk)
        if key not in self._cases:
            self._lock_cases({key, *self._expected} - self._cases.keys())
        case = self._cases[key]
        if case is None:
            case = Case.objects.create(
                user=user, conversation=conversation, opened_at=now, updated_at=now
            )
            self._cases[key] = case
        case.user = user  # loaded already: the moderators' feed payload names the user
        return case

    def _lock_cases(self, pairs: set[tuple[int, int]]) -> None:
        # One statement for all pairs: users x conversations may lock a few more open
        # cases than asked for, all in conversations this transaction has locked anyway.
        found = Case.objects.select_for_update().filter(
            user_id__in={user for user, _ in pairs},
            conversation_id__in={conversation for _, conversation in pairs},
            status=CaseStatus.OPEN,
        )
        for case in found:  # in the queue's order, so the first per pair is the one
            key = (case.user_id, case.conversation_id)
            if key in pairs:
                self._cases.setdefault(key, case)
        for key in pairs:
            self._cases.setdefault(key, None)

    def rate(self, violation: Violation, digests: list[str], points: int, payload: dict) -> None:
        """Set the severity of the violation's case at the next flush, in the case and in
        its feed ``payload`` (sent after the commit): ``points`` plus one for every other
        conversation the user sent any of ``digests`` into, up to this violation."""
        self._unrated.append(_Unrated(violation, digests, points, payload))
        self._touched[violation.case.pk] = violation.case

    def _rate(self) -> None:
        wanted = {
            (item.violation.user_id, digest)
            for item in self._unrated for digest in item.digests
            if digest not in self._patterns.get(item.violation.user_id, {})
        }
        for user_id, digest in wanted:
            self._patterns.setdefault(user_id, {})[digest] = set()
        if wanted:
            # Before the held rows are written: what the batch adds is added below, in order.
            found = Violation.objects.filter(
                user_id__in={user_id for user_id, _ in wanted},
                fingerprints__digest__in={digest for _, digest in wanted},
            ).order_by().values_list("user_id", "fingerprints__digest", "conversation_id")
            for user_id, digest, conversation_id in found:
                if (user_id, digest) in wanted:
                    self._patterns[user_id][digest].add(conversation_id)
        for item in self._unrated:
            violation = item.violation
            known = self._patterns.setdefault(violation.user_id, {})
            for digest in item.digests:
                known[digest].add(violation.conversation_id)
            conversations = {violation.conversation_id}.union(
                *(known[digest] for digest in item.digests)
            )
            violation.case.severity = item.points + len(conversations) - 1
            item.payload["severity"] = violation.case.severity
        self._unrated.clear()

    def _flush(self) -> None:
        self._rate()
        if self._touched:
            update_rows(list(self._touched.values()), ["severity", "updated_at", "flagged_at"])
            self._touched.clear()

    def add_strike(self, strike: Strike) -> None:
        self._loaded_points(strike.user_id, strike.created_at).add(strike)
        self.work.insert(strike)

    def active_points(self, user_id: int, now: datetime) -> int:
        """:func:`active_points` of the user at ``now``, held strikes included."""
        return self._loaded_points(user_id, now).total

    def _loaded_points(self, user_id: int, now: datetime) -> _Points:
        points = self._points.get(user_id)
        if points is not None and (points.first_expiry is None or now < points.first_expiry):
            return points
        if points is None:  # the first decision loads every expected sender's points
            users = {user_id, *(user for user, _ in self._expected)} - self._points.keys()
        else:
            self.work.flush()  # a strike expired since: count again, held strikes included
            users = {user_id}
        found = {
            row["user_id"]: _Points(row["total"], row["first_expiry"])
            for row in Strike.objects.active(now).filter(user_id__in=users).order_by()
            .values("user_id").annotate(total=Sum("points"), first_expiry=Min("expires_at"))
        }
        for user in users:
            self._points[user] = found.get(user, _Points(0, None))
        return self._points[user_id]


def _escalate(
    violation: Violation, points: int, digests: list[str], ledger: Ledger, *, flag: bool,
    now: datetime,
) -> None:
    """Flag the conversation at ``MODERATION_FLAG_AT`` points, suspend at ``SUSPEND_AT``.

    ``digests``: the fingerprints of the violation's details, for the case's severity.
    """
    user, case = violation.user, violation.case
    case.updated_at = now
    newly_flagged = case.flagged_at is None and (flag or points >= settings.MODERATION_FLAG_AT)
    if newly_flagged:
        case.flagged_at = now
    payload = case_payload(case)
    ledger.rate(violation, digests, points, payload)
    if newly_flagged:
        AuditLog.objects.create(
            action="flag", subject=user, case=case,
            reason=f"{points} strike point(s)" if not flag else f"policy action {violation.action}",
        )
        notify.moderators({"type": "case.flagged", "case": payload})
    elif case.flagged_at is not None:
        notify.moderators({"type": "case.updated", "case": payload})
    if points >= settings.MODERATION_SUSPEND_AT and not user.is_suspended:
        suspend(
            user, actor=None, case=case, automatic=True,
            reason=f"{points} strike points within {settings.MODERATION_STRIKE_DAYS} days",
        )


def pattern_conversations(violation: Violation) -> list[int]:
    """Conversations into which the user sent any of this violation's details."""
    digests = violation.fingerprints.values_list("digest", flat=True)
    return sorted(
        set(
            Violation.objects.filter(user=violation.user_id, fingerprints__digest__in=digests)
            .values_list("conversation_id", flat=True)
        )
        | {violation.conversation_id}
    )


# --- Suspension -------------------------------------------------------------------------------


def suspend(
    user: User, *, actor: User | None, reason: str, case: Case | None = None,
    automatic: bool = False,
) -> Suspension:
    """Suspend ``user`` now; every socket of theirs closes with 4403 after the commit.

    ``user`` itself is marked suspended too: a batch of sends holding it (the strike
    policy suspends the sender) refuses the sender's next sends in the same transaction.
    """
    now = timezone.now()
    with transaction.atomic():
        caller, user = user, User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if user.is_suspended:
            raise InvalidRequest("the user is already suspended", code="already_suspended")
        user.suspended_at = caller.suspended_at = now
        user.save(update_fields=["suspended_at"])
        suspension = Suspension.objects.create(
            user=user, case=case, automatic=automatic, reason=reason, started_at=now,
            started_by=actor,
        )
        # An automatic suspension is pending review: its case stays open in the queue.
        if case is not None and not automatic:
            _set_case_status(case, CaseStatus.SUSPENDED, now)
        AuditLog.objects.create(
            actor=actor, action="suspend", subject=user, case=case, reason=reason,
            data={"automatic": automatic},
        )
        notify.suspended(user.pk, reason)
    return suspension


def lift(user: User, *, actor: User | None, reason: str) -> Suspension:
    """End the user's open suspension; new connections and sends work at once."""
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        suspension = user.suspensions.filter(lifted_at__isnull=True).first()
        if suspension is None:
            raise InvalidRequest("the user is not suspended", code="not_suspended")
        suspension.lifted_at, suspension.lifted_by, suspension.lift_reason = now, actor, reason
        suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        user.suspended_at = None
        user.save(update_fields=["suspended_at"])
        AuditLog.objects.create(
            actor=actor, action="lift", subject=user, case=suspension.case, reason=reason
        )
    return suspension


# --- Moderators' actions on a case ------------------------------------------------------------


def _set_case_status(case: Case, status: CaseStatus, now: datetime) -> None:
    case.status = status
    case.updated_at = now
    case.resolved_at = None if status == CaseStatus.OPEN else now
    case.save(update_fields=["status", "updated_at", "resolved_at"])


def act_on_case(case_id: int, moderator: User, action: str, reason: str) -> Case:
    """dismiss, confirm, warn, suspend or lift, with a required reason; audited."""
    reason = require_reason(reason)
    handler = _CASE_ACTIONS.get(action)
    if handler is None:
        raise InvalidRequest(
            f"unknown action {action!r}; use one of {', '.join(sorted(_CASE_ACTIONS))}"
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("user").filter(pk=case_id).first()
        if case is None:
            raise NotFound(f"case {case_id} does not exist")
        handler(case, moderator, reason)
        case.refresh_from_db()
    return case


def _dismiss(case: Case, moderator: User, reason: str) -> None:
    """A false positive: its strikes stop counting, and an automatic suspension that no
    longer has enough points behind it is lifted."""
    now = timezone.now()
    removed = Strike.objects.filter(violation__case=case, removed_at__isnull=True).update(
        removed_at=now
    )
    _set_case_status(case, CaseStatus.DISMISSED, now)
    AuditLog.objects.create(
        actor=moderator, action="dismiss", subject=case.user, case=case, reason=reason,
        data={"strikes_removed": removed},
    )
    open_suspension = case.user.suspensions.filter(lifted_at__isnull=True, automatic=True).first()
    if open_suspension and active_points(case.user) < settings.MODERATION_SUSPEND_AT:
        lift(case.user, actor=moderator, reason=f"case {case.pk} dismissed: {reason}")


def _confirm(case: Case, moderator: User, reason: str) -> None:
    _set_case_status(case, CaseStatus.CONFIRMED, timezone.now())
    AuditLog.objects.create(
        actor=moderator, action="confirm", subject=case.user, case=case, reason=reason
    )


def _warn(case: Case, moderator: User, reason: str) -> None:
    _set_case_status(case, CaseStatus.WARNED, timezone.now())
    AuditLog.objects.create(actor=moderator, action="warn", subject=case.user, case=case,
                            reason=reason)
    notify.user(case.user_id, {"type": "moderation.warning", "detail": reason})


def _suspend(case: Case, moderator: User, reason: str) -> None:
    """Suspend the case's user; if the system already did, the moderator takes it over, so
    a later dismissal no longer lifts it by itself."""
    open_suspension = case.user.suspensions.filter(lifted_at__isnull=True).first()
    if open_suspension is None:
        suspend(case.user, actor=moderator, reason=reason, case=case)
        return
    open_suspension.automatic = False
    open_suspension.started_by = moderator
    open_suspension.reason = reason
    open_suspension.save(update_fields=["automatic", "started_by", "reason"])
    _set_case_status(case, CaseStatus.SUSPENDED, timezone.now())
    AuditLog.objects.create(actor=moderator, action="suspend", subject=case.user, case=case,
                            reason=reason, data={"confirmed_automatic": True})


def _lift(case: Case, moderator: User, reason: str) -> None:
    lift(case.user, actor=moderator, reason=reason)


_CASE_ACTIONS = {
    "dismiss": _dismiss, "confirm": _confirm, "warn": _warn, "suspend": _suspend, "lift": _lift,
}


def _revealed(sealed: Sealed | None) -> str | None:
    """The plain text, or ``None`` when purged or sealed with a key no longer configured
    (a lost key must not take the whole review page down)."""
    if sealed is None:
        return None
    try:
        return sealed.reveal()
    except ValueError:
        logger.warning("a sealed text does not decrypt with MODERATION_FERNET_KEYS")
        return None


def require_reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidRequest("a reason is required", code="reason_required")
    return reason.strip()


def reveal(case_id: int, moderator: User, reason: str) -> list[dict]:
    """The original texts behind a case's masked messages; the reveal is audited first."""
    reason = require_reason(reason)
    with transaction.atomic():
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise NotFound(f"case {case_id} does not exist")
        violations = list(case.violations.prefetch_related("messages__originals"))
        AuditLog.objects.create(
            actor=moderator, action="reveal", subject_id=case.user_id, case=case, reason=reason,
            data={"violations": [v.pk for v in violations]},
        )
    return [
        {
            "violation": v.pk,
            "matched": _revealed(v.matched),
            "originals": [
                {"message": m.pk, "seq": m.seq, "reason": o.reason, "text": _revealed(o.text)}
                for m in v.messages.all()
                for o in m.originals.all()
            ],
        }
        for v in violations
    ]


def decide_hold(violation_id: int, moderator: User, allow: object, reason: str) -> Violation:
    """Allow (deliver, masked) or deny a held message, with a reason; audited.

    Allowing replays the sender's send under its ``client_id``: the gateway stores it in
    the conversation's sequence and the policy, seeing the allowed hold, masks it.
    """
    from messaging import actions  # the gateway's actions import the policy, and so this

    reason = require_reason(reason)
    if not isinstance(allow, bool):
        raise InvalidRequest("'allow' must be true or false")
    with transaction.atomic():
        violation = (
            Violation.objects.select_for_update().select_related("user", "conversation")
            .filter(pk=violation_id).first()
        )
        if violation is None:
            raise NotFound(f"violation {violation_id} does not exist")
        if violation.hold_state != HoldState.PENDING:
            raise InvalidRequest("no message of this violation is waiting for review",
                                 code="not_held")
        violation.hold_state = HoldState.ALLOWED if allow else HoldState.DENIED
        violation.save(update_fields=["hold_state"])
        AuditLog.objects.create(
            actor=moderator, action="hold.allow" if allow else "hold.deny",
            subject=violation.user, case=violation.case, reason=reason,
            data={"violation": violation.pk},
        )
        if allow:
            outcome = actions.send_message(
                violation.user, violation.conversation_id, violation.client_id,
                violation.held_text.reveal(),
            )
            notify.conversation(violation.conversation.group_name, list(outcome.broadcast))
            for frame in outcome.reply:
                notify.user(violation.user_id, frame)
        else:
            notify.user(violation.user_id, {
                "type": "message.withheld", "client_id": violation.client_id, "action": "deny",
                "detail": "A moderator did not allow your held message; it was not delivered.",
            })
    return violation


# --- Contracts --------------------------------------------------------------------------------


def activate_contract(conversation_id: int, user: User) -> Contract:
    """The client of a project conversation marks its contract active."""
    with transaction.atomic():
        conversation = Conversation.objects.filter(pk=conversation_id).first()
        if conversation is None or not Participant.objects.filter(
            conversation=conversation, user=user
        ).exists():
            raise NotFound(f"conversation {conversation_id} does not exist")
        if conversation.kind != ConversationKind.PROJECT or user.role != Role.CLIENT:
            raise NotAllowed("only the client of a project conversation can mark its contract")
        contract, created = Contract.objects.get_or_create(
            conversation=conversation,
            defaults={"activated_at": timezone.now(), "activated_by": user},
        )
        if created:
            AuditLog.objects.create(actor=user, action="contract", subject=user,
                                    data={"conversation": conversation.pk})
    return contract


# --- Appeals ----------------------------------------------------------------------------------


def appeal(user: User, text: object, *, strike_id: object = None,
           suspension_id: object = None) -> Appeal:
    """The user appeals one of their strikes or suspensions; it enters the queue."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidRequest("say why you appeal in 'text'", code="text_required")
    if (strike_id is None) == (suspension_id is None):
        raise InvalidRequest("name exactly one of 'strike' or 'suspension'")
    for value in (strike_id, suspension_id):
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID
        ):
            raise InvalidRequest("'strike' and 'suspension' are ids (positive integers)")
    with transaction.atomic():
        strike = suspension = None
        if strike_id is not None:
            strike = Strike.objects.filter(pk=strike_id, user=user).first()
            if strike is None:
                raise NotFound(f"you have no strike {strike_id}")
        else:
            suspension = Suspension.objects.filter(pk=suspension_id, user=user).first()
            if suspension is None:
                raise NotFound(f"you have no suspension {suspension_id}")
        if Appeal.objects.filter(
            user=user, strike=strike, suspension=suspension, status=AppealStatus.PENDING
        ).exists():
            raise InvalidRequest("that appeal is already waiting for a moderator",
                                 code="already_appealed")
        created = Appeal.objects.create(
            user=user, strike=strike, suspension=suspension, text=text.strip()[:4000],
            created_at=timezone.now(),
        )
        AuditLog.objects.create(actor=user, action="appeal", subject=user,
                                data={"appeal": created.pk})
        notify.moderators({"type": "appeal.created", "appeal": appeal_payload(created)})
    return created


def decide_appeal(appeal_id: int, moderator: User, accept: object, reason: str) -> Appeal:
    """Accept (strike removed or suspension lifted) or reject an appeal, with a reason."""
    reason = require_reason(reason)
    if not isinstance(accept, bool):
        raise InvalidRequest("'accept' must be true or false")
    now = timezone.now()
    with transaction.atomic():
        item = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if item is None:
            raise NotFound(f"appeal {appeal_id} does not exist")
        if item.status != AppealStatus.PENDING:
            raise InvalidRequest("the appeal is already decided", code="already_decided")
        item.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
        item.decided_at, item.decided_by, item.outcome = now, moderator, reason
        item.save()
        AuditLog.objects.create(
            actor=moderator, action="appeal.accept" if accept else "appeal.reject",
            subject_id=item.user_id, reason=reason, data={"appeal": item.pk},
        )
        if accept and item.strike_id is not None:
            Strike.objects.filter(pk=item.strike_id).update(removed_at=now)
        if accept and item.suspension_id is not None and item.suspension.lifted_at is None:
            lift(item.user, actor=moderator, reason=f"appeal {item.pk} accepted: {reason}")
    return item


# --- Retention and the corpus -----------------------------------------------------------------


def purge_originals(now: datetime | None = None) -> int:
    """Delete originals (message originals and violations' matched texts) past retention."""
    from models import MessageOriginal

    cutoff = (now or timezone.now()) - timedelta(days=settings.MODERATION_ORIGINALS_RETENTION_DAYS)
    with transaction.atomic():
        removed, _ = MessageOriginal.objects.filter(created_at__lt=cutoff).delete()
        cleared_count = Violation.objects.filter(
            created_at__lt=cutoff, matched__isnull=False
        ).update(matched=None)
        AuditLog.objects.create(
            action="purge", reason=f"retention {settings.MODERATION_ORIGINALS_RETENTION_DAYS} days",
            data={"originals": removed, "violations": cleared_count},
        )
    return removed


def export_dismissed(moderator: User) -> Iterator[str]:
    """Dismissed cases as JSONL in the corpus format: each original text is a negative
    example (a moderator judged that nothing in it was a contact detail). Audited."""
    messages = (
        Message.objects.filter(violations__case__status=CaseStatus.DISMISSED)
        .prefetch_related("originals", "violations")
        .distinct()
        .order_by("pk")
    )
    AuditLog.objects.create(actor=moderator, action="export", reason="dismissed cases as JSONL")
    for message in messages:
        for original in message.originals.all():
            text = _revealed(original.text)
            if text is None:
                continue
            kinds = sorted({kind for v in message.violations.all() for kind in v.kinds})
            yield json.dumps({
                "id": f"m{message.pk}-o{original.pk}",
                "text": text,
                "spans": [],
                "tags": ["negative", "false-positive", *(f"flagged-{kind}" for kind in kinds)],
            }) + "\n"


def export_user_data(user: User) -> dict:
    """The user's own data: profile, conversations, their messages as others saw them
    (masked), violations by kind (never the detail), strikes, suspensions, appeals and
    connections."""
    from models import ConnectionLog

    conversations = Conversation.objects.filter(participants=user).prefetch_related(
        "participants"
    )
    return {
        "profile": {
            "id": user.pk, "username": user.username, "display_name": user.display_name,
            "email": user.email, "role": user.role, "date_joined": _iso(user.date_joined),
            "suspended_at": _iso(user.suspended_at),
        },
        "conversations": [
            {"id": c.pk, "kind": c.kind, "participants": [p.username for p in c.participants.all()]}
            for c in conversations
        ],
        "messages": [
            {"conversation": m.conversation_id, "seq": m.seq, "text": m.text,
             "redacted": m.redacted, "created_at": _iso(m.created_at),
             "edited_at": _iso(m.edited_at), "deleted": m.deleted_at is not None}
            for m in Message.objects.filter(sender=user).order_by("conversation_id", "seq")
        ],
        "violations": [
            {"id": v.pk, "conversation": v.conversation_id, "kinds": v.kinds,
             "disguised": v.disguised, "action": v.action, "created_at": _iso(v.created_at)}
            for v in Violation.objects.filter(user=user)
        ],
        "strikes": [
            {"id": s.pk, "points": s.points, "created_at": _iso(s.created_at),
             "expires_at": _iso(s.expires_at), "removed_at": _iso(s.removed_at)}
            for s in Strike.objects.filter(user=user)
        ],
        "suspensions": [
            {"id": s.pk, "reason": s.reason, "started_at": _iso(s.started_at),
             "lifted_at": _iso(s.lifted_at), "lift_reason": s.lift_reason}
            for s in Suspension.objects.filter(user=user)
        ],
        "appeals": [appeal_payload(a) for a in Appeal.objects.filter(user=user)],
        "connections": [
            {"ip": c.ip, "connected_at": _iso(c.connected_at),
             "disconnected_at": _iso(c.disconnected_at)}
            for c in ConnectionLog.objects.filter(user=user)
        ],
    }


# --- Payloads (JSON API) ----------------------------------------------------------------------


def case_payload(case: Case) -> dict:
    return {
        "id": case.pk,
        "user": {"id": case.user_id, "username": case.user.username},
        "conversation": case.conversation_id,
        "status": case.status,
        "severity": case.severity,
        "flagged_at": _iso(case.flagged_at),
        "updated_at": _iso(case.updated_at),
    }


def appeal_payload(item: Appeal) -> dict:
    return {
        "id": item.pk,
        "user": item.user_id,
        "strike": item.strike_id,
        "suspension": item.suspension_id,
        "text": item.text,
        "status": item.status,
        "created_at": _iso(item.created_at),
        "decided_at": _iso(item.decided_at),
        "outcome": item.outcome,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
