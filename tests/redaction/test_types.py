"""The result objects: ``quick_init`` builds them faster and changes nothing else."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from redaction.detectors.base import Candidate
from redaction.detectors.disguise import Lead, TextView
from redaction.normalize import NormalisedText
from redaction.types import Context, DetailType, Finding, Piece, Result, RetroMask, quick_init
from redaction.window import Entry

QUICK = [
    Piece,
    Finding,
    RetroMask,
    Context,
    Result,
    NormalisedText,
    Entry,
    Candidate,
    TextView,
    Lead,
]


@pytest.mark.parametrize("cls", QUICK, ids=lambda cls: cls.__name__)
def test_quick_init_takes_the_parameters_dataclass_would(cls):
    """Same names, order and defaults as the fields, so positional, keyword and
    ``dataclasses.replace`` calls all behave as before."""
    expected = [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(cls)
    ]
    parameters = list(inspect.signature(cls).parameters.values())
    assert [(p.name, p.default) for p in parameters] == expected
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)


def test_quick_init_objects_stay_frozen_comparable_and_hashable():
    finding = Finding(3, 9, DetailType.PHONE, "rule", 0.9)
    same = Finding(start=3, end=9, type=DetailType.PHONE, rule="rule", score=0.9)
    assert finding == same and hash(finding) == hash(same)
    assert finding.disguises == frozenset() and finding.pieces == ()
    assert repr(finding).startswith("Finding(start=3, end=9,")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 4  # type: ignore[misc]
    moved = dataclasses.replace(finding, start=4, disguises=frozenset({"split"}))
    assert (moved.start, moved.end, moved.disguises) == (4, 9, {"split"})
    with pytest.raises(TypeError):
        Finding(3, 9)  # type: ignore[call-arg]
    assert Context(sender="u1") == Context(None, "u1", None, (), None)


def test_quick_init_refuses_what_it_would_get_wrong():
    """A ``__post_init__`` would be skipped and a default factory shared: refused."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            raise AssertionError

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        values: list[int] = dataclasses.field(default_factory=list)

    for cls in (Checked, Listed):
        with pytest.raises(TypeError):
            quick_init(cls)
