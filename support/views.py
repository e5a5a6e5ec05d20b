"""The support JSON API (docs/support.md): every answer JSON, every refusal with a code.

Permission rules live in :func:`support.services.visible_chat` and the services; the views
only parse, call one service, and shape the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from messaging.errors import GatewayError
from messaging.views import api_view, error_response, json_body
from models import Role
from support import services, transcripts
from support.errors import forbidden, invalid


def support_api(*methods: str) -> Callable:
    """Like the gateway's ``api_view`` (401/405 as JSON), for views with URL arguments,
    turning every refusal into ``{"error": {"code", "detail"}}`` with its status."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            return api_view(*methods)(partial(_answer, view, kwargs))(request)

        return wrapper

    return decorator


def _answer(view: Callable[..., HttpResponse], kwargs: dict, request: HttpRequest) -> HttpResponse:
    try:
        return view(request, **kwargs)
    except GatewayError as error:
        return error_response(error)


def _text(body: dict, name: str, *, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise invalid(f"{name!r} must be a string")
    return value


def _agent_only(request: HttpRequest) -> None:
    if request.user.role != Role.AGENT:
        raise forbidden("only support agents may do this", "not_agent")


@support_api("GET", "POST")
def chats(request: HttpRequest) -> JsonResponse:
    """GET: the caller's support chats. POST {subject, text, client_id?}: open one."""
    if request.method == "GET":
        return JsonResponse(
            [services.chat_payload(chat) for chat in services.chats_for(request.user)],
            safe=False,
        )
    body = json_body(request)
    chat = services.open_chat(
        request.user,
        _text(body, "subject"),
        _text(body, "text"),
        _text(body, "client_id", default=str(uuid.uuid4())),
    )
    return JsonResponse(_detail(chat), status=201)


def _detail(chat) -> dict:
    return services.chat_payload(chat, services.queue_spot(chat))


@support_api("GET")
def chat(request: HttpRequest, chat_id: int) -> JsonResponse:
    return JsonResponse(_detail(services.visible_chat(request.user, chat_id)))


@support_api("GET")
def queue(request: HttpRequest) -> JsonResponse:
    _agent_only(request)
    return JsonResponse(
        [
            {**services.chat_payload(chat), "position": position}
            for position, chat in enumerate(services.queue(), start=1)
        ],
        safe=False,
    )


@support_api("POST")
def claim(request: HttpRequest, chat_id: int) -> JsonResponse:
    return JsonResponse(services.chat_payload(services.claim(request.user, chat_id)))


@support_api("POST")
def transfer(request: HttpRequest, chat_id: int) -> JsonResponse:
    """{"to": agent id or null (back to the queue), "note": "…"}"""
    body = json_body(request)
    to = body.get("to")
    if to is not None and type(to) is not int:
        raise invalid("'to' must be an agent's id, or null for the queue")
    chat = services.transfer(request.user, chat_id, to, _text(body, "note", default=""))
    return JsonResponse(services.chat_payload(chat))


@support_api("GET", "POST")
def notes(request: HttpRequest, chat_id: int) -> JsonResponse:
    _agent_only(request)
    if request.method == "POST":
        note = services.add_note(request.user, chat_id, _text(json_body(request), "text"))
        return JsonResponse(_note(note), status=201)
    return JsonResponse([_note(note) for note in services.notes(request.user, chat_id)],
                        safe=False)


def _note(note) -> dict:
    return {"id": note.pk, "author": note.author.get_display_name(), "text": note.text,
            "created_at": note.created_at.isoformat()}


@support_api("POST")
def close(request: HttpRequest, chat_id: int) -> JsonResponse:
    body = json_body(request)
    chat = services.close(request.user, chat_id, _text(body, "resolution", default=""))
    return JsonResponse(services.chat_payload(chat))


@support_api("POST")
def rating(request: HttpRequest, chat_id: int) -> JsonResponse:
    body = json_body(request)
    rated = services.rate(
        request.user, chat_id, body.get("score"), _text(body, "comment", default="")
    )
    return JsonResponse({"chat": chat_id, "score": rated.score, "comment": rated.comment},
                        status=201)


@support_api("POST")
def flag(request: HttpRequest, chat_id: int) -> JsonResponse:
    chat = services.flag(request.user, chat_id, _text(json_body(request), "reason"))
    return JsonResponse(services.chat_payload(chat))


@support_api("GET")
def transcript(request: HttpRequest, chat_id: int) -> HttpResponse:
    """``?format=json`` (default) or ``text``; agents' and moderators' copies have notes."""
    chat = services.visible_chat(request.user, chat_id)
    with_notes = request.user.role == Role.AGENT or request.user.is_moderator
    document = transcripts.build(chat, with_notes=with_notes)
    kind = request.GET.get("format", "json")
    filename = f"support-{chat.pk}"
    if kind == "json":
        response = JsonResponse(document)
    elif kind == "text":
        response = HttpResponse(transcripts.render_text(document),
                                content_type="text/plain; charset=utf-8")
    else:
        raise invalid("format must be json or text")
    extension = "json" if kind == "json" else "txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


@support_api("GET", "POST")
def agent_status(request: HttpRequest) -> JsonResponse:
    """The caller's presence and capacity; POST {"presence": online|away|offline}."""
    if request.method == "POST":
        status = services.set_presence(request.user, _text(json_body(request), "presence"))
    else:
        status = services.agent_status(request.user)
    return JsonResponse(services.status_payload(status))


@support_api("GET")
def canned(request: HttpRequest) -> JsonResponse:
    _agent_only(request)
    return JsonResponse(services.canned_replies(), safe=False)
