"""Masking styles and the overlap merge that feeds them."""

from __future__ import annotations

import pytest

from redaction.config import RedactorConfig
from redaction.mask import masker
from redaction.merge import merge
from redaction.types import DetailType, Finding

TEXT = "call 98765 43210 or mail a@b.in"
PHONE = Finding(5, 16, DetailType.PHONE, "t", 0.9)
EMAIL = Finding(25, 31, DetailType.EMAIL, "t", 0.9)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("placeholder", "call [phone removed] or mail [email removed]"),
        ("type", "call [phone] or mail [email]"),
        ("block", "call ███████████ or mail ██████"),
    ],
)
def test_styles(style, expected):
    """placeholder, type and block styles replace exactly the finding spans."""
    mask = masker(RedactorConfig(mask_style=style))
    assert mask(TEXT, [EMAIL, PHONE]) == expected


def test_custom_placeholders_replace_the_defaults():
    """Configured placeholders win; types without one keep the default."""
    config = RedactorConfig(placeholders=(("phone", "<number hidden>"),))
    mask = masker(config)
    assert mask(TEXT, [PHONE, EMAIL]) == "call <number hidden> or mail [email removed]"


def test_unknown_style_fails_when_built():
    """A typo in mask_style fails at construction, not on the first message."""
    with pytest.raises(ValueError, match="unknown mask_style 'stars'"):
        masker(RedactorConfig(mask_style="stars"))


def test_no_findings_leaves_the_text_alone():
    """Nothing to mask: the text comes back unchanged."""
    assert masker(RedactorConfig())(TEXT, []) == TEXT


def test_merge_unions_overlapping_spans_of_one_type():
    """Two overlapping phone spans are one detail: their union, the stronger rule."""
    a = Finding(0, 10, DetailType.PHONE, "a", 0.7, frozenset({"spaced"}))
    b = Finding(5, 15, DetailType.PHONE, "b", 0.9)
    (merged,) = merge([a, b])
    assert (merged.start, merged.end, merged.rule, merged.score) == (0, 15, "b", 0.9)
    assert merged.disguises == {"spaced"}


def test_merge_keeps_the_stronger_of_two_types_then_the_longer():
    """Across types the higher score wins, then the longer span."""
    url = Finding(0, 20, DetailType.URL, "u", 0.7)
    handle = Finding(0, 12, DetailType.HANDLE, "h", 0.9)
    phone = Finding(30, 40, DetailType.PHONE, "p", 0.9)
    assert merge([url, handle, phone]) == [handle, phone]
    longer = Finding(0, 25, DetailType.URL, "u", 0.9)
    assert merge([handle, longer]) == [longer]


def test_merge_keeps_touching_spans_apart():
    """Spans that only touch do not overlap: both stay."""
    a = Finding(0, 5, DetailType.PHONE, "a", 0.9)
    b = Finding(5, 9, DetailType.EMAIL, "b", 0.9)
    assert merge([b, a]) == [a, b]
