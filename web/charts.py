"""The moderator dashboard's chart, drawn on the server as SVG: no chart library, no script.

Violations per day by kind of detail over the last 30 days, stacked, and the share of them
that were disguised (spelled out, spaced, leet...). A violation naming two kinds counts
once under each kind: the bars answer "what do people try to pass", the share "how hard".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from models import Violation

DAYS = 30
KINDS = ("phone", "email", "handle", "url")
# Plot area inside the SVG's viewBox, in user units.
WIDTH, HEIGHT = 600, 200
LEFT, TOP, BOTTOM = 36, 10, 24


@dataclass(frozen=True)
class Bar:
    """One kind's segment of one day's stacked bar."""

    kind: str
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DayLabel:
    day: date
    x: float


@dataclass(frozen=True)
class ViolationChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[DayLabel, ...]
    totals: dict[str, int]
    violations: int
    disguised: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def disguised_percent(self) -> int | None:
        """Share of disguised attempts, or ``None`` when there is nothing to divide."""
        return round(100 * self.disguised / self.violations) if self.violations else None


def violation_chart(today: date | None = None) -> ViolationChart:
    """The chart for the ``DAYS`` days ending with ``today`` (local date)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=DAYS - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    per_day: Counter[tuple[date, str]] = Counter()
    violations = disguised = 0
    for kinds, was_disguised, created_at in Violation.objects.filter(
        created_at__gte=since
    ).values_list("kinds", "disguised", "created_at"):
        violations += 1
        disguised += was_disguised
        day = timezone.localtime(created_at).date()
        for kind in set(kinds):
            per_day[day, kind] += 1
    days = [first + timedelta(days=i) for i in range(DAYS)]
    highest = max((sum(per_day[d, k] for k in KINDS) for d in days), default=0)
    scale_top = max(highest, 4)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / DAYS
    bars = []
    for i, day in enumerate(days):
        base = HEIGHT - BOTTOM
        for kind in KINDS:
            if count := per_day[day, kind]:
                height = plot_height * count / scale_top
                base -= height
                bars.append(
                    Bar(kind, day, count, round(LEFT + i * slot + 2, 1), round(base, 1),
                        round(slot - 4, 1), round(height, 1))
                )
    ticks = tuple(
        Tick(value, round(HEIGHT - BOTTOM - plot_height * value / scale_top, 1))
        for value in sorted({0, scale_top // 2, scale_top})
    )
    labels = tuple(
        DayLabel(day, round(LEFT + i * slot + slot / 2, 1))
        for i, day in enumerate(days)
        if (DAYS - 1 - i) % 7 == 0  # weekly, counted back from today so labels never collide
    )
    totals = {kind: sum(per_day[d, kind] for d in days) for kind in KINDS}
    return ViolationChart(tuple(bars), ticks, labels, totals, violations, disguised)
