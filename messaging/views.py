"""The JSON API (and the small signed-in landing page) next to the WebSocket."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse

from messaging.errors import GatewayError, InvalidRequest
from messaging.tickets import issue_ticket
from models import Message, Participant, User

by_pk = attrgetter("pk")


def json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "detail": detail}}, status=status)


def error_response(error: GatewayError) -> JsonResponse:
    """The JSON answer to a refused request: the error's HTTP status, code and detail."""
    return json_error(error.http_status, error.code, error.detail)


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object body (empty when there is none), or ``InvalidRequest``."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object")
    return body


def api_view(*methods: str) -> Callable:
    """JSON endpoint for signed-in users: 401/405 as JSON instead of redirects and HTML."""

    def decorator(view: Callable[[HttpRequest], HttpResponse]) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            if request.method not in methods:
                response = json_error(
                    405, "method_not_allowed", f"use {' or '.join(methods)} for this endpoint"
                )
                response["Allow"] = ", ".join(methods)
                return response
            if not request.user.is_authenticated:
                return json_error(401, "not_authenticated", "log in at /accounts/login/ first")
            return view(request)

        return wrapper

    return decorator


@api_view("POST")
def ws_ticket(request: HttpRequest) -> JsonResponse:
    """A short-lived ticket for ``ws://…/ws/chat/<id>/?ticket=`` (clients without cookies)."""
    return JsonResponse(
        {"ticket": issue_ticket(request.user), "expires_in": settings.GATEWAY_TICKET_MAX_AGE}
    )


@api_view("GET")
def conversations(request: HttpRequest) -> JsonResponse:
    """The caller's conversations with their participants, last ``seq`` and unread count."""
    return JsonResponse(conversation_list(request.user), safe=False)


def conversation_list(user: User) -> list[dict[str, Any]]:
    """What ``GET /api/conversations/`` answers for ``user``."""
    unread = (
        Message.objects.filter(
            conversation=OuterRef("conversation"),
            seq__gt=OuterRef("last_read_seq"),
            deleted_at__isnull=True,
        )
        .exclude(sender=user)
        .order_by()
        .values("conversation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    memberships = (
        Participant.objects.filter(user=user)
        .select_related("conversation")
        .prefetch_related("conversation__participants")
        .annotate(unread=Coalesce(Subquery(unread), 0))
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")
    )
    return [
        {
            "id": membership.conversation.pk,
            "kind": membership.conversation.kind,
            "participants": [
                {
                    "id": person.pk,
                    "username": person.username,
                    "display_name": person.get_display_name(),
                    "role": person.role,
                }
                for person in sorted(membership.conversation.participants.all(), key=by_pk)
            ],
            "last_seq": membership.conversation.last_seq,
            "unread": membership.unread,
        }
        for membership in memberships
    ]
