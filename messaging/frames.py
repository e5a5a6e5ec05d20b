"""Validation of client frames into immutable, typed objects.

:func:`parse_frame` is the only way a client's bytes become a frame: it either returns
one of the frame classes below or raises :class:`~messaging.errors.FrameError` with the
protocol's code, so the consumer never looks inside raw JSON. Each frame class reads
its own fields in ``from_json``; :data:`FRAME_TYPES` maps the ``type`` to the class.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from messaging.errors import FrameError
from messaging.limits import Limits

MAX_CLIENT_ID_CHARS = 64


def _field(data: dict[str, Any], name: str) -> Any:
    if name not in data:
        raise FrameError(f"missing field {name!r}", code="invalid_field")
    return data[name]


def _int(data: dict[str, Any], name: str, *, minimum: int, default: int | None = None) -> int:
    if default is not None and data.get(name) is None:
        return default
    value = _field(data, name)
    # bool is an int subclass: `true` is not a sequence number.
    if not isinstance(value, int) or isinstance(value, bool):
        raise FrameError(f"field {name!r} must be an integer", code="invalid_field")
    if value < minimum:
        raise FrameError(f"field {name!r} must be at least {minimum}", code="invalid_field")
    return value


def _storable(value: str, name: str) -> str:
    """``value`` if a database can store it: JSON's ``\\ud800`` escapes decode to lone
    surrogates that no UTF-8 column accepts, and PostgreSQL text refuses NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FrameError(f"field {name!r} is not valid Unicode", code="invalid_field") from None
    if "\x00" in value:
        raise FrameError(f"field {name!r} must not contain NUL", code="invalid_field")
    return value


def _text(data: dict[str, Any], limits: Limits) -> str:
    value = _field(data, "text")
    if not isinstance(value, str):
        raise FrameError("field 'text' must be a string", code="invalid_field")
    _storable(value, "text")
    if not value.strip():
        raise FrameError("text is empty", code="empty_text")
    if len(value) > limits.max_text_chars:
        raise FrameError(
            f"text is {len(value)} characters, the limit is {limits.max_text_chars}",
            code="text_too_long",
        )
    return value


@dataclass(frozen=True, slots=True)
class Frame:
    type: ClassVar[str]
    #: Whether the frame changes the transcript and counts against the message rate limit.
    writes: ClassVar[bool] = False

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> Frame:
        return cls()


@dataclass(frozen=True, slots=True)
class SendFrame(Frame):
    type: ClassVar[str] = "message.send"
    writes: ClassVar[bool] = True
    client_id: str
    text: str

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> SendFrame:
        client_id = _field(data, "client_id")
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID_CHARS:
            raise FrameError(
                f"field 'client_id' must be a string of 1 to {MAX_CLIENT_ID_CHARS} characters",
                code="invalid_field",
            )
        return cls(client_id=_storable(client_id, "client_id"), text=_text(data, limits))


@dataclass(frozen=True, slots=True)
class EditFrame(Frame):
    type: ClassVar[str] = "message.edit"
    writes: ClassVar[bool] = True
    id: int
    text: str

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> EditFrame:
        return cls(id=_int(data, "id", minimum=1), text=_text(data, limits))


@dataclass(frozen=True, slots=True)
class DeleteFrame(Frame):
    type: ClassVar[str] = "message.delete"
    writes: ClassVar[bool] = True
    id: int

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> DeleteFrame:
        return cls(id=_int(data, "id", minimum=1))


@dataclass(frozen=True, slots=True)
class TypingFrame(Frame):
    type: ClassVar[str] = "typing"


@dataclass(frozen=True, slots=True)
class ReadFrame(Frame):
    type: ClassVar[str] = "read"
    seq: int

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> ReadFrame:
        return cls(seq=_int(data, "seq", minimum=0))


@dataclass(frozen=True, slots=True)
class HistoryFrame(Frame):
    type: ClassVar[str] = "history"
    after_seq: int
    limit: int

    @classmethod
    def from_json(cls, data: dict[str, Any], limits: Limits) -> HistoryFrame:
        limit = _int(data, "limit", minimum=1, default=limits.history_default)
        # Over the maximum is clamped, not refused: a client asking for "everything"
        # gets pages and `has_more`.
        after_seq = _int(data, "after_seq", minimum=0)
        return cls(after_seq=after_seq, limit=min(limit, limits.history_max))


FRAME_TYPES: dict[str, type[Frame]] = {
    frame.type: frame
    for frame in (SendFrame, EditFrame, DeleteFrame, TypingFrame, ReadFrame, HistoryFrame)
}


def parse_frame(text: str | None, limits: Limits) -> Frame:
    """Turn one WebSocket frame into a :class:`Frame`, or raise :class:`FrameError`.

    ``text`` is the frame's text, ``None`` for a binary frame.
    """
    if text is None:
        raise FrameError(
            "binary frames are not supported; send JSON text frames",
            code="binary_not_supported",
        )
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_frame_bytes:
        raise FrameError(
            f"frame is {size} bytes, the limit is {limits.max_frame_bytes}",
            code="frame_too_large",
        )
    try:
        data = json.loads(text)
    except ValueError:
        raise FrameError("frame is not valid JSON", code="invalid_json") from None
    if not isinstance(data, dict):
        raise FrameError("frame must be a JSON object", code="invalid_json")
    frame_type = data.get("type")
    frame_class = FRAME_TYPES.get(frame_type) if isinstance(frame_type, str) else None
    if frame_class is None:
        raise FrameError(
            f"unknown frame type {frame_type!r}; expected one of {sorted(FRAME_TYPES)}",
            code="unknown_type",
        )
    return frame_class.from_json(data, limits)
