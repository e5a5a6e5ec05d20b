"""The registry of detectors a :class:`~redaction.Redactor` runs.

Each entry names a detector class by import path, so a detector module is imported
only when a redactor needs it. ``register_detector`` adds or replaces one (a
deployment with its own detector, a test double); ``get_detector`` resolves a name
and raises :class:`UnknownDetector` for a name nobody registered.
"""

from __future__ import annotations

from importlib import import_module

from redaction.detectors.base import Candidate, Detector

__all__ = [
    "DEFAULT_DETECTORS",
    "Candidate",
    "Detector",
    "UnknownDetector",
    "get_detector",
    "register_detector",
]

#: The detectors a redactor runs when it is not told otherwise, in this order.
DEFAULT_DETECTORS: tuple[str, ...] = ("phone", "email", "handle", "url")

_registry: dict[str, str | type[Detector]] = {
    "phone": "redaction.detectors.phone:PhoneDetector",
    "email": "redaction.detectors.email:EmailDetector",
    "handle": "redaction.detectors.handle:HandleDetector",
    "url": "redaction.detectors.url:UrlDetector",
}


class UnknownDetector(KeyError):
    """No detector is registered under this name."""


def register_detector(name: str, detector: str | type[Detector]) -> None:
    """Register ``detector`` (a class, or ``"module:Class"``) under ``name``."""
    _registry[name] = detector


def get_detector(name: str) -> type[Detector]:
    """The detector class registered under ``name``."""
    try:
        entry = _registry[name]
    except KeyError:
        known = ", ".join(_registry)
        raise UnknownDetector(f"no detector named {name!r}; known: {known}") from None
    if isinstance(entry, str):
        module, _, attribute = entry.partition(":")
        entry = getattr(import_module(module), attribute)
        _registry[name] = entry
    return entry
