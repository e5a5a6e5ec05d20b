"""Plain, immutable objects that flow through the redaction engine.

Everything the engine returns is one of these frozen dataclasses, so results can be
shared between coroutines and threads, cached, compared and logged without surprises.
Offsets are always Python ``str`` indices (code points, end exclusive) into the
*original* text the caller passed in, never into a normalised copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DetailType(StrEnum):
    """The kinds of contact detail the engine masks."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    URL = "url"


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a split attempt that lives in an earlier message of the same sender."""

    message_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Finding:
    """One contact detail found in a message.

    ``disguises`` names the tricks used to hide it (``spelled``, ``spaced``, ``unicode``,
    ``leet``, ``obfuscated``, ``mixed``, ``split``); empty for a plainly written detail.
    ``pieces`` is non-empty only for a detail split over several messages: it names the
    parts that were sent earlier, while ``start``/``end`` cover the part in this message.
    """

    start: int
    end: int
    type: DetailType
    rule: str
    score: float
    disguises: frozenset[str] = frozenset()
    pieces: tuple[Piece, ...] = ()

    @property
    def disguised(self) -> bool:
        return bool(self.disguises)


@dataclass(frozen=True, slots=True)
class RetroMask:
    """Masking owed to an earlier message once a later one completed a split attempt.

    ``findings`` are the parts newly masked in that message (offsets into its original
    text, disguise ``split``); ``masked_text`` is its whole new masked text, everything
    masked in it before included. The gateway rewrites the stored transcript of
    ``message_id`` to ``masked_text`` and pushes an update to clients that already
    received the earlier version.
    """

    message_id: str
    findings: tuple[Finding, ...]
    masked_text: str


@dataclass(frozen=True, slots=True)
class Context:
    """What the caller knows about a message beyond its text.

    ``conversation`` and ``sender`` key the split-message window; without both, a message
    is judged on its own. ``message_id`` names the message in a later ``RetroMask``; a
    message without one is not remembered by the window. ``participants`` are the
    names (usernames and display names) of the people in the conversation: an
    ``@name`` addressing one of them is not a handle. ``timestamp`` is seconds since the
    epoch; ``None`` means "now".
    """

    conversation: str | None = None
    sender: str | None = None
    message_id: str | None = None
    participants: tuple[str, ...] = ()
    timestamp: float | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of redacting one message.

    ``masked`` is the text to store and relay. ``findings`` are what was masked in this
    message. ``suspects`` are fragments that are not masked yet (a lone group of digits,
    a dangling ``t.me/``) but would complete a detail with the sender's next message;
    they are reported for moderation and remembered by the window. ``retro`` lists
    earlier messages that must now be masked because this one completed an attempt.
    """

    text: str
    masked: str
    findings: tuple[Finding, ...] = ()
    suspects: tuple[Finding, ...] = ()
    retro: tuple[RetroMask, ...] = field(default=())

    @property
    def redacted(self) -> bool:
        """Whether this message's own text had anything masked."""
        return bool(self.findings)
