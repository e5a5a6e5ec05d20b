"""One object per running event loop: a daphne process has one, a test run has many."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoopLocal(Generic[T]):
    """Builds an object with ``factory`` for each event loop that asks for one.

    Process-wide helpers that hold tasks and futures (the send batcher, the layer watch)
    must not outlive their loop; the objects of closed loops are dropped.
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._objects: dict[asyncio.AbstractEventLoop, T] = {}

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        if loop not in self._objects:  # the factory may build None: that is kept too
            for old in [old for old in self._objects if old.is_closed()]:
                del self._objects[old]
            self._objects[loop] = self._factory()
        return self._objects[loop]
