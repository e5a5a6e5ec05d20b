"""Resolve overlapping findings into a set of disjoint ones.

Detectors work independently, so one stretch of text can be claimed twice: the phone
detector and the URL detector both see ``wa.me/919876543210``, two phone rules see
overlapping parts of one number. Overlaps of the same type are one detail seen twice
and are unioned (the mask must cover everything either saw). Overlaps of different
types are settled like spaCy's ``filter_spans``: the higher score wins, then the
longer span, then the earlier one.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from redaction.types import Finding


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Return disjoint findings sorted by start."""
    findings = list(findings)
    if len(findings) < 2:  # the usual case: nothing to resolve
        return findings
    unioned = _union_same_type(findings)
    ranked = sorted(unioned, key=lambda f: (-f.score, f.start - f.end, f.start))
    # ``starts``/``ends`` hold the kept spans sorted; being disjoint, the only kept spans
    # that can overlap a new one are its neighbours in that order (O(log n) per check).
    kept: list[Finding] = []
    starts: list[int] = []
    ends: list[int] = []
    for finding in ranked:
        i = bisect_right(starts, finding.start)
        if (i and ends[i - 1] > finding.start) or (i < len(starts) and starts[i] < finding.end):
            continue
        starts.insert(i, finding.start)
        ends.insert(i, finding.end)
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def _union_same_type(findings: Iterable[Finding]) -> list[Finding]:
    by_type: dict[str, list[Finding]] = {}
    for finding in findings:
        by_type.setdefault(finding.type, []).append(finding)
    out: list[Finding] = []
    for group in by_type.values():
        group.sort(key=lambda f: (f.start, -f.end))
        current = group[0]
        for finding in group[1:]:
            if finding.start < current.end:
                current = _join(current, finding)
            else:
                out.append(current)
                current = finding
        out.append(current)
    return out


def _join(a: Finding, b: Finding) -> Finding:
    """One finding covering both; the stronger one names the rule."""
    best = a if a.score >= b.score else b
    return replace(
        best,
        start=min(a.start, b.start),
        end=max(a.end, b.end),
        disguises=a.disguises | b.disguises,
        pieces=tuple(dict.fromkeys(a.pieces + b.pieces)),
    )
