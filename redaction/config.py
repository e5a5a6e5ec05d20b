"""Configuration of a :class:`redaction.Redactor`.

Frozen and hashable, so it can key a cache of built redactors.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Placeholder per detail type; ``{type}`` is replaced by the type's value.
DEFAULT_PLACEHOLDERS = {
    "phone": "[phone removed]",
    "email": "[email removed]",
    "handle": "[handle removed]",
    "url": "[link removed]",
}


@dataclass(frozen=True, slots=True)
class RedactorConfig:
    """Options of the engine; every field has a production default.

    ``default_region`` is the region assumed for numbers written without a country
    code; ``extra_regions`` are tried next. ``allowed_domains`` are the platform's own
    domains (subdomains included) that are never masked. ``window_messages`` and
    ``window_seconds`` bound how far back a split attempt is looked for, and
    ``window_conversations`` bounds the memory the window may hold (LRU).
    ``reading_cache`` is how many recent texts (of at most ``CACHED_CHARS`` characters,
    see :mod:`redaction.engine`) keep their reading on their own, so a repeated text
    ("ok", "thanks") is not normalised and scanned again; 0 turns it off.
    """

    default_region: str = "IN"
    extra_regions: tuple[str, ...] = ("US", "GB", "AE", "SG", "AU", "CA", "DE", "FR", "PK", "BD")
    allowed_domains: tuple[str, ...] = ("webperhour.com",)
    mask_style: str = "placeholder"
    placeholders: tuple[tuple[str, str], ...] = tuple(DEFAULT_PLACEHOLDERS.items())
    window_messages: int = 6
    window_seconds: float = 600.0
    window_conversations: int = 100_000
    min_score: float = 0.5
    reading_cache: int = 4096
