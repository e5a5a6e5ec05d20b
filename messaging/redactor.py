"""The process-wide redaction engine.

Building a :class:`redaction.Redactor` compiles its detectors' patterns and loads phone
metadata, so the process holds exactly one, built on first use. Its split-message window
must see every message of a sender wherever it was sent: with ``REDIS_URL`` set (or
``GATEWAY_WINDOW_STORE = "redis"``) the window lives in Redis, shared by all processes
(:mod:`messaging.window_store`); otherwise in this process's memory.
``GATEWAY_REDACTION_ENABLED = False`` swaps in a pass-through for benchmarks that measure
what redaction costs.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

if TYPE_CHECKING:
    from redaction import Context, Result


class Engine(Protocol):
    def redact(self, text: str, context: Context) -> Result: ...

    def forget(self, conversation: str, sender: str, message_id: str) -> None: ...


class PassThrough:
    """Masks nothing: the baseline the redaction cost is measured against."""

    def redact(self, text: str, context: Context) -> Result:
        from redaction.types import Result

        return Result(text=text, masked=text)

    def forget(self, conversation: str, sender: str, message_id: str) -> None:
        """Nothing to forget: nothing is remembered."""


_lock = threading.Lock()
_engines: dict[bool, Engine] = {}


def get_redactor() -> Engine:
    enabled = bool(settings.GATEWAY_REDACTION_ENABLED)
    engine = _engines.get(enabled)
    if engine is None:
        with _lock:
            engine = _engines.get(enabled)
            if engine is None:
                engine = _engines[enabled] = _build() if enabled else PassThrough()
    return engine


def reset_redactor() -> None:
    """Forget the built engines and their split-message windows (tests, reloaded settings)."""
    with _lock:
        _engines.clear()


def _build() -> Engine:
    # Imported here: the engine is heavy to import, and settings checks, migrations and
    # management commands never need it.
    from redaction import Redactor, RedactorConfig

    config = RedactorConfig()
    store = settings.GATEWAY_WINDOW_STORE
    if store == "memory" or (store == "auto" and not settings.REDIS_URL):
        return Redactor(config)
    from messaging.window_store import RedisWindow

    window = RedisWindow.from_url(settings.REDIS_URL, config, prefix=settings.GATEWAY_WINDOW_PREFIX)
    return Redactor(config, window=window)
