"""Plain, immutable objects that flow through the redaction engine.

Everything the engine returns is one of these frozen dataclasses, so results can be
shared between coroutines and threads, cached, compared and logged without surprises.
Offsets are always Python ``str`` indices (code points, end exclusive) into the
*original* text the caller passed in, never into a normalised copy.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import TypeVar

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """Give a frozen, slotted dataclass an ``__init__`` that fills its slots directly.

    A frozen class forbids ``__setattr__``, so the ``__init__`` that ``dataclass`` writes
    stores every field through ``object.__setattr__``, about twice as slow as the slot's
    own setter that this one calls. Several such objects are built for every message
    (its context, normalised text, window entry, result, each candidate and finding):
    -4% of the instructions per message on the dev corpus. Everything else stays as
    ``dataclass`` made it: the same parameters and defaults (the source is written the
    way ``dataclass`` writes its own), immutability, equality, hashing and ``replace``.
    Only for classes without ``__post_init__`` or default factories, which it rejects.
    """
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__ that quick_init would skip")
    namespace: dict[str, object] = {}
    parameters, body = [], []
    for f in fields(cls):
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init takes plain fields only")
        namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__  # the slot's setter
        if f.default is MISSING:
            parameters.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            parameters.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # built from the field names only, as dataclass does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in fields(cls)} | {"return": None}
    cls.__init__ = init  # type: ignore[misc]
    return cls


class DetailType(StrEnum):
    """The kinds of contact detail the engine masks."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    URL = "url"


@quick_init
@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a split attempt that lives in an earlier message of the same sender."""

    message_id: str
    start: int
    end: int


@quick_init
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


@quick_init
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


@quick_init
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


@quick_init
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
