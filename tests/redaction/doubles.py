"""Small, predictable detectors for testing the pipeline apart from the real ones.

They follow the detector protocol but recognise only plain shapes, so a test of the
engine, the window or the CLI fails for the engine's reasons, not a detector's.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from redaction.config import RedactorConfig
from redaction.detectors.base import Candidate
from redaction.types import Context, DetailType


class _PatternDetector:
    name = "double"
    type = DetailType.PHONE
    pattern = regex.compile(r"(?!)")
    score = 0.9

    def __init__(self, config: RedactorConfig) -> None:
        self.config = config

    def detect(self, text: str, context: Context) -> Iterator[Candidate]:
        for match in self.pattern.finditer(text):
            if self.accept(match.group()):
                yield Candidate(match.start(), match.end(), self.type, self.name, self.score)

    def accept(self, value: str) -> bool:
        return True


class Digits(_PatternDetector):
    """Ten to thirteen digits, in groups separated by single spaces or dashes."""

    name = "digits"
    pattern = regex.compile(r"\+?\d+(?:[ -]\d+)*+")

    def accept(self, value: str) -> bool:
        return 10 <= sum(c.isdigit() for c in value) <= 13


class Mail(_PatternDetector):
    """local@domain.tld, the @ possibly spaced."""

    name = "mail"
    type = DetailType.EMAIL
    pattern = regex.compile(r"[\w.]+ ?@ ?[\w-]+\.[a-z]{2,}")


class Handle(_PatternDetector):
    """``t.me/name``, ``@name`` and a bare id after the word telegram."""

    name = "handle"
    type = DetailType.HANDLE
    pattern = regex.compile(r"t\.me/\w{3,}|(?<![\w@])@\w{3,}|(?<=telegram\W+)\w*_\w+")


class Link(_PatternDetector):
    """http(s) links."""

    name = "link"
    type = DetailType.URL
    pattern = regex.compile(r"https?://\S+")


class Weak(_PatternDetector):
    """A low-score guess: the word ``maybe123``."""

    name = "weak"
    pattern = regex.compile(r"maybe\d+")
    score = 0.2


ALL = (Digits, Mail, Handle, Link)
