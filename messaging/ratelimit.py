"""A sliding-window rate limiter for one socket.

Per connection and in memory on purpose: it protects the process and the other
participants from one flooding socket, needs no shared state, and costs nothing when the
socket goes away. The window is exact (timestamps of the last ``limit`` events), so a
burst cannot exceed the limit at a window boundary the way fixed buckets allow.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Allows at most ``limit`` events in any ``period`` seconds.

    >>> clock = iter([0.0, 0.1, 0.2, 10.05]).__next__
    >>> limiter = RateLimiter(2, 10.0, clock=clock)
    >>> [limiter.allow(), limiter.allow(), limiter.allow(), limiter.allow()]
    [True, True, False, True]
    """

    def __init__(
        self, limit: int, period: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("limit must be at least 1 and period positive")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._events: deque[float] = deque(maxlen=limit)

    def allow(self) -> bool:
        """Record an event and say whether it is within the limit; refused ones don't count."""
        now = self._clock()
        if len(self._events) == self.limit and now - self._events[0] < self.period:
            return False
        self._events.append(now)
        return True
