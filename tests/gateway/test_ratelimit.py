"""The per-socket sliding-window rate limiter."""

from __future__ import annotations

import doctest

import pytest

from messaging import ratelimit
from messaging.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_cannot_cross_the_window_boundary():
    """Unlike fixed buckets, 30 at the end of one window and 30 at the start of the next
    are not both allowed: any 10 seconds hold at most 30."""
    clock = Clock()
    limiter = RateLimiter(30, 10.0, clock=clock)
    clock.now = 9.9
    assert all(limiter.allow() for _ in range(30))
    clock.now = 10.1
    assert not limiter.allow()
    clock.now = 19.95
    assert limiter.allow()


def test_refused_events_do_not_extend_the_penalty():
    """A client that keeps hammering is let through again once the window has passed."""
    clock = Clock()
    limiter = RateLimiter(2, 1.0, clock=clock)
    assert limiter.allow() and limiter.allow()
    for step in range(9):
        clock.now = step * 0.1
        assert not limiter.allow()
    clock.now = 1.0
    assert limiter.allow()


def test_nonsense_limits_are_rejected():
    """A zero limit or period is a configuration error, not a silent block-everything."""
    with pytest.raises(ValueError):
        RateLimiter(0, 10.0)
    with pytest.raises(ValueError):
        RateLimiter(5, 0)


def test_docstring_example():
    """The example in the class docstring holds."""
    assert doctest.testmod(ratelimit).failed == 0
