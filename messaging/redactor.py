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

import contextlib
import threading
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

if TYPE_CHECKING:
    from messaging.window_store import RedisWindow
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
#: The engine's window when it lives in Redis (built with the engine).
_redis_window: RedisWindow | None = None


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
    global _redis_window
    with _lock:
        _engines.clear()
        _redis_window = None


def batched_window() -> contextlib.AbstractContextManager[None]:
    """A block whose split-window writes go to Redis together (``RedisWindow.batched``).

    For a group commit: end it inside the transaction. A window in memory costs no round
    trips, so there is nothing to hold.
    """
    get_redactor()
    window = _redis_window
    return window.batched() if window is not None else contextlib.nullcontext()


def _build() -> Engine:
    # Imported here: the engine is heavy to import, and settings checks, migrations and
    # management commands never need it.
    from redaction import Redactor, RedactorConfig

    config = RedactorConfig()
    store = settings.GATEWAY_WINDOW_STORE
    if store == "memory" or (store == "auto" and not settings.REDIS_URL):
        return Redactor(config)
    from messaging.window_store import RedisWindow

    global _redis_window
    window = RedisWindow.from_url(settings.REDIS_URL, config, prefix=settings.GATEWAY_WINDOW_PREFIX)
    _redis_window = window
    return Redactor(config, window=window)
