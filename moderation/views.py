"""The moderation JSON API (docs/moderation.md).

Two audiences: moderators (the queue, cases, reveals, actions, appeals, holds, the audit
log, the corpus export), refused with 403 JSON for every other role; and every signed-in
user for their own account (data download, strike history, appeals, marking a contract).
Views parse the request, call one service and shape the answer; the rules live in
:mod:`moderation.services`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from messaging.errors import GatewayError, InvalidRequest, NotFound
from messaging.views import api_view, error_response, json_body, json_error
from models import (
    Appeal,
    AppealStatus,
    AuditLog,
    Case,
    CaseStatus,
    ConnectionLog,
    Message,
    Strike,
    Suspension,
    User,
)
from moderation import services
from moderation.services import appeal_payload, case_payload
from redaction.config import DEFAULT_PLACEHOLDERS

#: Messages shown on each side of a case's violations in its transcript.
TRANSCRIPT_CONTEXT = 5
PAGE_SIZE = 100


def endpoint(*methods: str, moderators_only: bool) -> Callable:
    """A JSON endpoint: 401/405 as JSON (``api_view``), 403 for non-moderators where
    required, a refused service call as ``{"error": {"code", "detail"}}`` with its status."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            def checked(request: HttpRequest) -> HttpResponse:
                if moderators_only and not request.user.is_moderator:
                    return json_error(403, "not_moderator", "only moderators may use this endpoint")
                if any(isinstance(v, int) and v > services.MAX_ID for v in kwargs.values()):
                    return json_error(404, "not_found", "no such id")
                try:
                    return view(request, **kwargs)
                except GatewayError as error:
                    return error_response(error)

            return api_view(*methods)(checked)(request)

        return wrapper

    return decorator


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date_param(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        parsed = parse_datetime(raw) or parse_datetime(f"{raw}T00:00:00")
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidRequest(f"{name!r} must be an ISO date or date-time")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# --- Moderators -------------------------------------------------------------------------------


@endpoint("GET", moderators_only=True)
def queue(request: HttpRequest) -> JsonResponse:
    """Flagged cases by severity, then recency. Filters: ``status`` (default open),
    ``kind``, ``disguised`` (1/0), ``user`` (id or username), ``since``, ``until``."""
    status = request.GET.get("status", CaseStatus.OPEN)
    if status not in CaseStatus.values:
        raise InvalidRequest(f"'status' must be one of {', '.join(CaseStatus.values)}")
    cases = Case.objects.filter(status=status, flagged_at__isnull=False).select_related("user")
    if kind := request.GET.get("kind"):
        cases = cases.filter(violations__fingerprints__kind=kind)
    if (disguised := request.GET.get("disguised")) is not None:
        if disguised not in ("0", "1"):
            raise InvalidRequest("'disguised' must be 1 or 0")
        cases = cases.filter(violations__disguised=disguised == "1")
    if who := request.GET.get("user"):
        if who.isdigit() and int(who) <= services.MAX_ID:
            cases = cases.filter(user_id=int(who))
        else:
            cases = cases.filter(user__username=who)
    if since := _date_param(request, "since"):
        cases = cases.filter(updated_at__gte=since)
    if until := _date_param(request, "until"):
        cases = cases.filter(updated_at__lt=until)
    return JsonResponse(
        [case_payload(case) for case in cases.distinct().order_by("-severity", "-updated_at")[
            :PAGE_SIZE]],
        safe=False,
    )


@endpoint("GET", moderators_only=True)
def case_detail(request: HttpRequest, case_id: int) -> JsonResponse:
    """A case: its violations (with the pattern across conversations), the transcript
    around them with placeholders highlighted, the user's strikes and suspensions, and
    the IPs and times of the user's connections."""
    case = Case.objects.select_related("user").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    violations = list(case.violations.prefetch_related("messages").order_by("created_at"))
    seqs = [m.seq for v in violations for m in v.messages.all()]
    transcript = (
        Message.objects.filter(
            conversation_id=case.conversation_id,
            seq__gte=min(seqs, default=0) - TRANSCRIPT_CONTEXT,
            seq__lte=max(seqs, default=0) + TRANSCRIPT_CONTEXT,
        ).select_related("sender")
        if seqs else Message.objects.none()
    )
    connections = ConnectionLog.objects.filter(user=case.user)[:50]
    return JsonResponse({
        **case_payload(case),
        "violations": [
            {
                "id": v.pk,
                "kinds": v.kinds,
                "disguised": v.disguised,
                "action": v.action,
                "hold_state": v.hold_state,
                "created_at": _when(v.created_at),
                "messages": sorted(m.seq for m in v.messages.all()),
                "pattern_conversations": services.pattern_conversations(v),
            }
            for v in violations
        ],
        "transcript": [
            {
                "id": m.pk,
                "seq": m.seq,
                "sender": m.sender.username,
                "text": m.text,
                "redacted": m.redacted,
                "highlights": _placeholders(m.text),
                "created_at": _when(m.created_at),
            }
            for m in transcript
        ],
        "strikes": [
            _strike(s) for s in Strike.objects.filter(user=case.user).select_related("violation")
        ],
        "suspensions": [_suspension(s) for s in Suspension.objects.filter(user=case.user)],
        "connections": [
            {
                "ip": c.ip,
                "user_agent": c.user_agent,
                "conversation": c.conversation_id,
                "connected_at": _when(c.connected_at),
                "disconnected_at": _when(c.disconnected_at),
            }
            for c in connections
        ],
    })


def _placeholders(text: str) -> list[dict]:
    """Where the masked spans are in a masked text, for the review page to highlight."""
    spans = []
    for kind, placeholder in DEFAULT_PLACEHOLDERS.items():
        start = text.find(placeholder)
        while start != -1:
            spans.append({"start": start, "end": start + len(placeholder), "type": kind})
            start = text.find(placeholder, start + 1)
    return sorted(spans, key=lambda span: span["start"])


@endpoint("POST", moderators_only=True)
def reveal(request: HttpRequest, case_id: int) -> JsonResponse:
    """POST {reason}: the original texts of the case; the reveal is audited."""
    return JsonResponse(
        {"originals": services.reveal(case_id, request.user, json_body(request).get("reason"))}
    )


@endpoint("POST", moderators_only=True)
def case_action(request: HttpRequest, case_id: int) -> JsonResponse:
    """POST {action: dismiss|confirm|warn|suspend|lift, reason}."""
    body = json_body(request)
    case = services.act_on_case(case_id, request.user, str(body.get("action")),
                                body.get("reason"))
    return JsonResponse(case_payload(case))


@endpoint("POST", moderators_only=True)
def hold(request: HttpRequest, violation_id: int) -> JsonResponse:
    """POST {allow: true|false, reason}: deliver or drop a held message."""
    body = json_body(request)
    violation = services.decide_hold(violation_id, request.user, body.get("allow"),
                                     body.get("reason"))
    return JsonResponse({"violation": violation.pk, "hold_state": violation.hold_state})


@endpoint("POST", moderators_only=True)
def user_suspension(request: HttpRequest, user_id: int, action: str) -> JsonResponse:
    """POST {reason} to ``suspend`` or ``lift``: act on a user outside any case."""
    subject = User.objects.filter(pk=user_id).first()
    if subject is None:
        raise NotFound(f"user {user_id} does not exist")
    reason = services.require_reason(json_body(request).get("reason"))
    if action == "suspend":
        done = services.suspend(subject, actor=request.user, reason=reason)
    else:
        done = services.lift(subject, actor=request.user, reason=reason)
    return JsonResponse(_suspension(done))


@endpoint("GET", moderators_only=True)
def appeals(request: HttpRequest) -> JsonResponse:
    """Appeals, pending first by default (``status`` filters)."""
    status = request.GET.get("status", AppealStatus.PENDING)
    if status not in AppealStatus.values:
        raise InvalidRequest(f"'status' must be one of {', '.join(AppealStatus.values)}")
    items = Appeal.objects.filter(status=status).order_by("created_at")[:PAGE_SIZE]
    return JsonResponse([appeal_payload(item) for item in items], safe=False)


@endpoint("POST", moderators_only=True)
def decide_appeal(request: HttpRequest, appeal_id: int) -> JsonResponse:
    """POST {accept: true|false, reason}."""
    body = json_body(request)
    item = services.decide_appeal(appeal_id, request.user, body.get("accept"), body.get("reason"))
    return JsonResponse(appeal_payload(item))


@endpoint("GET", moderators_only=True)
def audit(request: HttpRequest) -> JsonResponse:
    """The audit log, newest first; ``case`` and ``user`` filter."""
    entries = AuditLog.objects.select_related("actor", "subject")
    for name, field in (("case", "case_id"), ("user", "subject_id")):
        if (raw := request.GET.get(name)) is not None:
            if not raw.isdigit():
                raise InvalidRequest(f"{name!r} must be an id")
            entries = entries.filter(**{field: int(raw)})
    return JsonResponse(
        [
            {
                "id": e.pk,
                "actor": e.actor.username if e.actor else None,
                "action": e.action,
                "subject": e.subject.username if e.subject else None,
                "case": e.case_id,
                "reason": e.reason,
                "data": e.data,
                "created_at": _when(e.created_at),
            }
            for e in entries[:PAGE_SIZE]
        ],
        safe=False,
    )


@endpoint("GET", moderators_only=True)
def export_dismissed(request: HttpRequest) -> StreamingHttpResponse:
    """Dismissed cases as JSONL in the corpus format ({id, text, spans, tags})."""
    response = StreamingHttpResponse(
        services.export_dismissed(request.user), content_type="application/x-ndjson"
    )
    response["Content-Disposition"] = 'attachment; filename="dismissed.jsonl"'
    return response


# --- Every user: their own account ------------------------------------------------------------


def _strike(strike: Strike) -> dict:
    """A strike as its user may see it: the kinds of detail, never the detail itself."""
    now = timezone.now()
    return {
        "id": strike.pk,
        "kinds": strike.violation.kinds,
        "disguised": strike.violation.disguised,
        "points": strike.points,
        "conversation": strike.violation.conversation_id,
        "created_at": _when(strike.created_at),
        "expires_at": _when(strike.expires_at),
        "active": strike.removed_at is None and strike.expires_at > now,
        "removed_at": _when(strike.removed_at),
    }


def _suspension(suspension: Suspension) -> dict:
    return {
        "id": suspension.pk,
        "reason": suspension.reason,
        "automatic": suspension.automatic,
        "started_at": _when(suspension.started_at),
        "lifted_at": _when(suspension.lifted_at),
        "lift_reason": suspension.lift_reason,
    }


@endpoint("GET", moderators_only=False)
def my_strikes(request: HttpRequest) -> JsonResponse:
    """The caller's strikes, suspensions and appeals with their outcome."""
    user = request.user
    return JsonResponse({
        "active_points": services.active_points(user),
        "suspend_at": services.suspend_threshold(),
        "suspended": user.is_suspended,
        "strikes": [
            _strike(s) for s in Strike.objects.filter(user=user).select_related("violation")
        ],
        "suspensions": [_suspension(s) for s in Suspension.objects.filter(user=user)],
        "appeals": [appeal_payload(a) for a in Appeal.objects.filter(user=user)],
    })


@endpoint("POST", moderators_only=False)
def my_appeal(request: HttpRequest) -> JsonResponse:
    """POST {strike | suspension, text}: appeal one of the caller's strikes or suspensions."""
    body = json_body(request)
    item = services.appeal(request.user, body.get("text"), strike_id=body.get("strike"),
                           suspension_id=body.get("suspension"))
    return JsonResponse(appeal_payload(item), status=201)


@endpoint("GET", moderators_only=False)
def my_data(request: HttpRequest) -> JsonResponse:
    """Everything the gateway holds about the caller that they may see, as a download."""
    response = JsonResponse(services.export_user_data(request.user))
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@endpoint("POST", moderators_only=False)
def contract(request: HttpRequest, conversation_id: int) -> JsonResponse:
    """POST: the client marks the project's contract active."""
    done = services.activate_contract(conversation_id, request.user)
    return JsonResponse(
        {"conversation": done.conversation_id, "activated_at": _when(done.activated_at)}
    )

