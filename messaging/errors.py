"""Errors that carry a stable, machine-readable code (docs/protocol.md lists them).

The consumer turns a :class:`GatewayError` into an ``error`` frame. At connect, an error
with a ``close_code`` refuses the socket with that code; once connected, only a
``fatal`` error (suspension, flooding) closes it, every other one leaves the connection usable.
"""

from __future__ import annotations


class GatewayError(Exception):
    """A refused frame or action, with its protocol code."""

    code = "error"
    close_code: int = 4400
    #: What the JSON API answers with when the same refusal reaches it over HTTP.
    http_status: int = 400
    fatal = False

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class FrameError(GatewayError):
    """The client frame is malformed: bad JSON, unknown type, a missing or bad field."""


class InvalidRequest(GatewayError):
    """A JSON API request whose body or fields are missing, malformed or out of range."""

    code = "invalid"


class RateLimited(GatewayError):
    """The socket sent more frames than its rate limit allows."""

    code = "rate_limited"


class Flooding(RateLimited):
    """The socket kept sending after being told ``rate_limited``: it is closed with 4429.

    Answering every refused frame of a flooder is what costs the server (and the other
    users on the process); a client that ignores the refusals gets no more answers.
    """

    code = "flooding"
    close_code = 4429
    fatal = True


class CoolingDown(Flooding):
    """A new socket of a user whose socket was closed for flooding moments ago: 4429 again.

    Limits are per socket, so without this a flooder would reconnect at once with fresh
    allowances and flood again; each cycle costs a handshake and its database rows.
    """

    fatal = False  # refused at connect, before anything was admitted


class NotFound(GatewayError):
    """No such conversation, or no such message in it."""

    code = "not_found"
    close_code = 4404
    http_status = 404


class NotAllowed(GatewayError):
    """The user may not do this (not a participant, not the author, window closed)."""

    code = "forbidden"
    close_code = 4403
    http_status = 403


class Suspended(NotAllowed):
    """The user is suspended: every socket of theirs is refused with 4403."""

    code = "suspended"
    fatal = True


class TooManyConnections(GatewayError):
    """The user already has the maximum number of open sockets."""

    code = "too_many_connections"
    close_code = 4429
