"""Refusals of the support workflow, each with a stable code (docs/support.md lists them).

They are gateway errors, so a socket turns them into ``error`` frames like any other; the
JSON API answers them with ``http_status``.
"""

from __future__ import annotations

from messaging.errors import GatewayError


class SupportError(GatewayError):
    """A support action refused because of the chat's or the agent's state (409 Conflict)."""

    http_status = 409

    def __init__(self, detail: str, *, code: str, status: int | None = None) -> None:
        super().__init__(detail, code=code)
        if status is not None:
            self.http_status = status
        # A socket refused at connect closes with the matching 44xx code.
        self.close_code = {403: 4403, 404: 4404}.get(self.http_status, self.close_code)


def invalid(detail: str) -> SupportError:
    """A request whose fields are missing or out of range (400)."""
    return SupportError(detail, code="invalid", status=400)


def forbidden(detail: str, code: str = "forbidden") -> SupportError:
    """The caller's role or relation to the chat does not allow this (403)."""
    return SupportError(detail, code=code, status=403)


def not_found(chat_id: int) -> SupportError:
    """No such chat, or one the caller must not learn exists (404)."""
    return SupportError(f"support chat {chat_id} does not exist", code="not_found", status=404)
