"""Find and mask contact details (phones, emails, handles, links) in chat messages.

A pure library: no Django, no network, no model downloads. Build one
:class:`Redactor` per configuration and share it; ``redact`` is thread-safe and may
be called from many coroutines (it is CPU-bound: call it from a worker thread, e.g.
inside ``database_sync_to_async``, not on the event loop)::

    from redaction import Context, Redactor, RedactorConfig

    redactor = Redactor(RedactorConfig())          # default region IN, placeholders
    result = redactor.redact(
        "call me on 98765 43210",
        Context(conversation="c42", sender="u7", message_id="m1001",
                participants=("asha_k", "Rahul Verma"), timestamp=1718000000.0),
    )
    result.masked      # 'call me on [phone removed]'
    result.findings    # (Finding(start=11, end=22, type=DetailType.PHONE, rule=..., score=...,
                       #          disguises=frozenset(), pieces=()),)
    result.suspects    # fragments reported for moderation, not masked
    result.retro       # RetroMask(message_id, findings, masked_text) for earlier messages

Offsets are ``str`` indices into the text passed in. ``Finding.disguises`` names the
tricks undone (``spelled``, ``spaced``, ``unicode``, ``leet``, ``obfuscated``,
``mixed``, ``split``). When a message completes a detail split over several messages
of the same sender, its finding lists the earlier parts in ``pieces`` and
``result.retro`` carries, per earlier message id, the newly masked parts and that
message's full new masked text: rewrite the stored transcript and push an update.

Pipeline (see ``docs/redaction.md``): :mod:`~redaction.normalize` (undo Unicode and
leet disguises, keep a map back) → detectors (:mod:`redaction.detectors`) → map back,
snap to words, drop what is excused (code, allowed domains, participants) →
:mod:`~redaction.merge` → threshold (``min_score``; weaker ones become suspects) →
:mod:`~redaction.window` (split messages) → :mod:`~redaction.mask`.

Command line: ``python -m redaction "text"``, ``python -m redaction scan < in.jsonl``,
``python -m redaction bench``.
"""

from redaction.config import RedactorConfig
from redaction.engine import Redactor
from redaction.types import Context, DetailType, Finding, Piece, Result, RetroMask

__all__ = [
    "Context",
    "DetailType",
    "Finding",
    "Piece",
    "Redactor",
    "RedactorConfig",
    "Result",
    "RetroMask",
]
