"""Properties of the whole engine on any input: no exception, sane offsets, idempotent
masking, linear time. Runs the real detectors."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from redaction import Context, Redactor
from redaction.merge import merge

# Pieces of chat that make the detectors work: digits in many scripts, number
# words, @ and dots, platform words, link prefixes, code fences, invisibles.
_PIECES = [
    "98765", "43210", "+91", "९८७", "９８", "9️⃣", "nine", "double", "paanch", "oh", "O", "l",
    "@", "at", "[at]", "dot", "(dot)", ".", "gmail", "com", "rahul.k92", "rahul_dev", "live:",
    ".cid.", "t.me/", "wa.me/", "https://", "www.", "bit.ly/x", "webperhour.com", "telegram",
    "insta", "skype", "call", "me", "on", "`", "```", "\u200b", "\ufe0f", "\u20e3", "-", "/",
    "(", ")", "#1234", "Rs", "₹45,000", "order", "2024", "@Override", "\ud800", "а", "о", "\n",
    "n1n3", "f0ur", "ⓡⓐⓗⓤⓛ", "ⓐ", "375,", "on insta",
    # the sixth round's shapes: mail words of Indian scripts and other languages, bullets
    # and envelopes, written dots and ats, Tamil digits, app links, path and tag pieces
    "एट", "जीमेल", "डॉट", "कॉम", "इन", "•", "🔸", "📧", "(at)", "d0t", "punto", "arroba",
    "собака", "ஒன்பது", "ext 204", "ulta", "paytm", "966", "viber://x", "#4821", "/view",
    "in/work", "order_id =",
]
chatty = st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join) | st.lists(
    st.sampled_from(_PIECES), max_size=40
).map("".join)
anything = st.text(alphabet=st.characters(exclude_categories=()), max_size=200)
texts = chatty | anything

PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def check(redactor, result, text):
    """Findings sorted, disjoint, inside the text; the mask is exactly theirs."""
    previous_end = 0
    for finding in result.findings:
        assert previous_end <= finding.start < finding.end <= len(text)
        previous_end = finding.end
    for suspect in result.suspects:
        assert 0 <= suspect.start < suspect.end <= len(text)
    assert result.masked == redactor.mask(text, result.findings)


@PROPERTY
@given(text=texts)
def test_never_raises_and_offsets_stay_inside_the_text(redactor, text):
    """Any str, lone surrogates included: findings sorted, disjoint, inside the text."""
    result = redactor.redact(text)
    check(redactor, result, text)
    assert result.text == text
    if not result.findings:
        assert result.masked == text


@PROPERTY
@given(text=texts)
@example(text="+91 @ gmail dot 98765 98765")  # the provider reading was hidden by a domain one
@example(text="Rs @ gmail dot bit.ly/x")  # the link hid the address before it
@example(text="telegram order_id = order_id =")  # one id after an app, not the next
@example(text="À.LY/:T.ME/0")  # an internationalised host's path ran into the next label
def test_masking_is_idempotent(redactor, text):
    """The masked text holds nothing left to find, and masking it changes nothing."""
    masked = redactor.redact(text).masked
    again = redactor.redact(masked)
    assert again.findings == ()
    assert again.masked == masked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages=st.lists(st.tuples(st.sampled_from(["u1", "u2"]), texts), max_size=8))
def test_window_never_raises_and_retro_masks_fit_their_messages(messages):
    """Random conversations: every retroactive mask names an earlier message and fits it."""
    redactor = Redactor()
    sent: dict[str, tuple[str, list]] = {}
    for i, (sender, text) in enumerate(messages):
        context = Context(conversation="c", sender=sender, message_id=str(i), timestamp=float(i))
        result = redactor.redact(text, context)
        check(redactor, result, text)
        for retro in result.retro:
            original, findings = sent[retro.message_id]
            findings[:] = merge([*findings, *retro.findings])
            assert all(0 <= f.start < f.end <= len(original) for f in retro.findings)
            assert retro.masked_text == redactor.mask(original, findings)
        sent[str(i)] = (text, list(result.findings))


ADVERSARIAL = [
    "1 ",
    "a@",
    "t.me/",
    "9",
    "@a",
    "nine ",
    "a.",
    "`",
    "(",
    "live:.cid.",
    "\u200b9",
    "O1",
    "x [at] y [dot] ",
    "+91 98765 ",
]


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_adversarial_64k_inputs_finish(redactor, unit):
    """64 KiB of one repeated trap: returns, with sane offsets."""
    text = unit * (65536 // len(unit))
    check(redactor, redactor.redact(text), text)


def _cost(redactor: Redactor, text: str) -> float:
    """Best of five, in this thread's CPU time: robust to other load on the machine."""
    best = float("inf")
    for _ in range(5):
        start = time.thread_time()
        redactor.redact(text)
        best = min(best, time.thread_time() - start)
    return best


@pytest.mark.parametrize("unit", ["1 ", "a@", "t.me/", "nine ", "x [at] y [dot] ", "Hi rahul, "])
def test_time_grows_linearly(redactor, unit):
    """8x the input costs about 8x the time, far from the 64x of a quadratic pass (a growth
    ratio, not a clock limit)."""
    small = unit * (4096 // len(unit))
    large = small * 8
    ratio = _cost(redactor, large) / max(_cost(redactor, small), 1e-5)
    assert ratio < 16, f"time(8n)/time(n) = {ratio:.1f} for {unit!r}"
