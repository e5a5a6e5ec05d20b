"""Replace findings in the original text.

Every offset refers to the original text, so the masked text is assembled in one
pass from the untouched stretches and the replacements (linear, unlike repeated
right-to-left slicing). Findings must be disjoint (see :mod:`redaction.merge`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from redaction.config import RedactorConfig
from redaction.types import Finding


def _placeholder(config: RedactorConfig) -> Callable[[Finding, str], str]:
    names = dict(config.placeholders)
    return lambda finding, _: names.get(finding.type, f"[{finding.type} removed]")


#: Mask styles by name; each builds ``(finding, covered text) -> replacement``.
STYLES: dict[str, Callable[[RedactorConfig], Callable[[Finding, str], str]]] = {
    "placeholder": _placeholder,
    # "[phone]": shorter, for narrow UIs.
    "type": lambda config: lambda finding, _: f"[{finding.type}]",
    # One block per character: keeps the layout of the message, reveals only the length.
    "block": lambda config: lambda _, covered: "█" * len(covered),
}


def _start(finding: Finding) -> int:
    return finding.start


def masker(config: RedactorConfig) -> Callable[[str, Iterable[Finding]], str]:
    """Return ``mask(text, findings) -> masked text`` for ``config.mask_style``.

    An unknown style raises ``ValueError`` here, when the redactor is built, rather than
    on the first message.
    """
    try:
        replacement = STYLES[config.mask_style](config)
    except KeyError:
        known = ", ".join(sorted(STYLES))
        raise ValueError(f"unknown mask_style {config.mask_style!r}; use one of: {known}") from None

    def mask(text: str, findings: Iterable[Finding]) -> str:
        ordered = sorted(findings, key=_start)
        if not ordered:  # most messages
            return text
        parts: list[str] = []
        pos = 0
        for finding in ordered:
            parts.append(text[pos : finding.start])
            parts.append(replacement(finding, text[finding.start : finding.end]))
            pos = finding.end
        parts.append(text[pos:])
        return "".join(parts)

    return mask
