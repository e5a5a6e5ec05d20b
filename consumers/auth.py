"""Ticket authentication for WebSocket clients that carry no session cookie."""

from __future__ import annotations

from urllib.parse import parse_qs

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable, Scope
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser

from messaging.tickets import InvalidTicket, user_for_ticket


class TicketAuthMiddleware(BaseMiddleware):
    """Authenticate a socket from ``?ticket=`` (see ``POST /api/ws-ticket/``).

    Sits inside Channels' ``AuthMiddlewareStack``: a ticket, when present, decides the
    user, and a bad ticket leaves the socket anonymous (closed with 4401) even if a session
    cookie came along, so a client never runs as someone it did not ask to be.
    """

    async def __call__(self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable):
        tickets = parse_qs(scope.get("query_string", b"").decode("latin1")).get("ticket")
        if tickets:
            scope = dict(scope)
            try:
                scope["user"] = await database_sync_to_async(user_for_ticket)(tickets[0])
            except InvalidTicket as error:
                scope["user"] = AnonymousUser()
                scope["auth_error"] = str(error)
        return await super().__call__(scope, receive, send)
