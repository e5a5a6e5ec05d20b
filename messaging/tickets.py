"""Short-lived signed tickets that authenticate a WebSocket without a cookie.

A ticket is ``django.core.signing`` output naming the user and a fragment of their
session auth hash, so changing the password voids outstanding tickets the same way it
logs out sessions. Tickets are not stored: verifying one costs a signature check and a
user lookup.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.utils.crypto import constant_time_compare

SALT = "chatgateway.ws-ticket"


class InvalidTicket(Exception):
    """The ticket is forged, expired, or no longer matches its user."""


def issue_ticket(user: AbstractBaseUser) -> str:
    return signing.dumps(
        {"u": user.pk, "h": user.get_session_auth_hash()[:16]}, salt=SALT, compress=True
    )


def user_for_ticket(ticket: str) -> AbstractBaseUser:
    """The user a valid ticket names; raises :class:`InvalidTicket` otherwise (blocking: ORM)."""
    try:
        payload = signing.loads(ticket, salt=SALT, max_age=settings.GATEWAY_TICKET_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidTicket("ticket expired") from None
    except signing.BadSignature:
        raise InvalidTicket("ticket is not valid") from None
    try:
        user = get_user_model()._default_manager.get(pk=payload["u"], is_active=True)
    except (get_user_model().DoesNotExist, KeyError, TypeError, ValueError):
        raise InvalidTicket("ticket names no active user") from None
    if not constant_time_compare(payload.get("h", ""), user.get_session_auth_hash()[:16]):
        raise InvalidTicket("ticket predates a password change")
    return user
