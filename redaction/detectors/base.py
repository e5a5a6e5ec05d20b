"""The small protocol every detector follows.

A detector looks at one kind of contact detail. It receives the *normalised* text
(see :mod:`redaction.normalize`: NFKC, ASCII digits, no invisible characters,
homoglyphs folded) and yields candidates whose offsets point into that normalised
text; the engine maps them back to the original, merges overlaps and masks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from redaction.types import Context, DetailType, quick_init

if TYPE_CHECKING:
    from redaction.config import RedactorConfig


@quick_init
@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible contact detail, in normalised-text offsets."""

    start: int
    end: int
    type: DetailType
    rule: str
    score: float
    disguises: frozenset[str] = frozenset()


class Detector(Protocol):
    """Finds one kind of contact detail. Built once per ``Redactor``; must be thread-safe.

    What ``detect`` yields may depend on the text and ``context.participants`` only: the
    engine remembers the reading of a repeated text (``RedactorConfig.reading_cache``)
    and hands the detectors a context holding nothing else.
    """

    name: str

    def __init__(self, config: RedactorConfig) -> None: ...

    def detect(self, text: str, context: Context) -> Iterable[Candidate]: ...
