"""The redaction pipeline: normalise, detect, adjust, merge, threshold, window, mask.

One :class:`Redactor` is built per configuration and shared: detectors compile their
patterns and load phone metadata once in their constructors, and ``redact`` keeps no
per-call state outside the split-message window, whose store has its own lock.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

import regex

from redaction.config import RedactorConfig
from redaction.detectors import DEFAULT_DETECTORS, get_detector
from redaction.detectors.base import Candidate, Detector
from redaction.detectors.platforms import MAIL_PROVIDERS
from redaction.mask import masker
from redaction.merge import merge
from redaction.normalize import NormalisedText, normalise
from redaction.numwords import ALL_WORDS
from redaction.types import Context, DetailType, Finding, Piece, Result, RetroMask
from redaction.window import (
    Entry,
    Fragment,
    SplitWindow,
    WindowStore,
    classify,
    consumed,
    is_number_piece,
    is_separator,
    join,
    select_run,
)

#: Score of a fragment reported in ``Result.suspects`` (below any threshold that masks).
FRAGMENT_SCORE = 0.3
#: Longest text whose reading the redactor remembers (``RedactorConfig.reading_cache``):
#: the texts chat repeats ("ok", "thanks", "hello?") are short, and a bound keeps a
#: hostile stream of long texts from filling the memory.
CACHED_CHARS = 256

# Code: fenced blocks (an unclosed fence runs to the end) and inline `spans`. Each
# scan stops at the next backtick or the end, so matching stays linear.
_CODE = regex.compile(r"```.*?(?:```|\Z)|`[^`\n]+`", regex.DOTALL)
_OPENERS, _CLOSERS = "([{<", ")]}>"
_LEAD_JUNK = frozenset(",;:!?'\"-*~»«“”‘’")
_TRAIL_JUNK = frozenset(".,;:!?'\"-*~»«“”‘’")
_SCHEME = regex.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_END = regex.compile(r"[/?#:\s]")
_DIGIT = regex.compile(r"\d")
#: Most looks again at a masked text (see ``Redactor._settle``).
_SETTLE_ROUNDS = 4
#: How far around a placeholder masking can change how the text reads (the detectors
#: look at most a few words before and after a detail).
_SETTLE_REACH = 64
#: Fewer digits than this around the placeholders make no number nor Discord tag (a short
#: amount or a time left beside a masked detail is not read again).
_SETTLE_DIGITS = 4
#: A dot or an "@" inside a word, or an "@word": a host, an address or a handle that a
#: detail next to it had hidden ("A0#0000_<ZWSP>A.GD/": once the Discord tag is masked,
#: "A.GD/" stands alone as a link; "@live:A.GD/…": once the link is, "@live" is a handle;
#: "Rs @ gmail dot bit.ly/x": once the link is, "Rs @ gmail" is an address).
_SETTLE_HOST = regex.compile(r"(?<=\w)[.@](?=\w)|@\ ?(?=\w)")  # led by its literal: a fast scan
#: What the detectors see of a message read on its own without participants (most).
_NO_CONTEXT = Context()
# Written-out separators, enough to read a disguised host back for the allow-list.
_WRITTEN_AT = regex.compile(r"\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+at\s+|\s*@\s*")
_WRITTEN_DOT = regex.compile(r"\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+|\s*\.\s*")


class _Reading(NamedTuple):
    """What a text reads as on its own, before the window: the same for every message
    holding that text (the detectors look at nothing else but the participants).

    ``fragment`` is only worked out for a message the window will see.
    """

    norm: NormalisedText
    findings: tuple[Finding, ...]
    suspects: tuple[Finding, ...]
    fragment: Fragment | None


class Redactor:
    """Finds and masks contact details; build once, call ``redact`` from anywhere.

    ``detectors`` are registry names or detector classes (default: phone, email,
    handle, url); each is built once as ``cls(config)``. ``window`` keeps the
    split-message window (default: this process's memory, a
    :class:`~redaction.window.SplitWindow`); pass a shared store when several processes
    judge the same conversations.
    """

    def __init__(
        self,
        config: RedactorConfig | None = None,
        *,
        detectors: Sequence[str | type[Detector]] | None = None,
        window: WindowStore | None = None,
    ) -> None:
        self.config = config if config is not None else RedactorConfig()
        chosen = DEFAULT_DETECTORS if detectors is None else detectors
        classes = [get_detector(d) if isinstance(d, str) else d for d in chosen]
        self.detectors: tuple[Detector, ...] = tuple(cls(self.config) for cls in classes)
        self._mask = masker(self.config)
        self._window: WindowStore = window if window is not None else SplitWindow(self.config)
        self._allowed = tuple(d.lower().strip(".") for d in self.config.allowed_domains)
        self._allowed_labels = tuple(d.split(".", 1)[0] for d in self._allowed)
        # Chat repeats itself; a repeated text is read once (lru_cache is thread-safe).
        size = self.config.reading_cache
        self._read_cached: Callable[[str, tuple[str, ...], bool], _Reading] = (
            lru_cache(maxsize=size)(self._read) if size > 0 else self._read
        )

    def redact(self, text: str, context: Context | None = None) -> Result:
        """Mask the contact details in ``text``; see :class:`~redaction.types.Result`."""
        if not isinstance(text, str):
            raise TypeError(f"redact() needs a str, not {type(text).__name__}")
        context = context if context is not None else Context()
        windowed = context.conversation is not None and context.sender is not None
        read = self._read_cached if len(text) <= CACHED_CHARS else self._read
        norm, found, suspected, fragment = read(text, context.participants, windowed)
        findings, suspects = list(found), list(suspected)  # the reading is shared
        retro: tuple[RetroMask, ...] = ()
        if windowed:
            findings, suspects, retro = self._split(norm, fragment, context, findings, suspects)
        masked = self._mask(text, findings) if findings else text  # most messages
        # Each round masks at least one more detail; a few rounds settle any real text.
        for _ in range(_SETTLE_ROUNDS):
            if not findings or not _may_read_again(masked):
                break
            settled = self._settle(text, masked, findings, context)
            if settled is findings:
                break
            findings, masked = settled, self._mask(text, settled)
        return Result(text, masked, tuple(findings), tuple(suspects), retro)

    def _read(self, text: str, participants: tuple[str, ...], windowed: bool) -> _Reading:
        """Normalise ``text``, detect and judge in it alone, and classify it for the window."""
        norm = normalise(text)
        context = Context(participants=participants) if participants else _NO_CONTEXT
        findings, suspects = self._judge(norm, context, self._scan(norm.text, context))
        fragment = classify(norm.text) if windowed else None
        return _Reading(norm, tuple(findings), tuple(suspects), fragment)

    def _settle(
        self, text: str, masked: str, findings: list[Finding], context: Context
    ) -> list[Finding]:
        """Add what the masked text still gives away, so masking twice finds nothing.

        A reading that one detail vetoed can stand once that detail is a placeholder:
        "nine #1234 ९८७ 98765" reads as a reference number until the Discord tag
        "nine #1234" is masked, and then "९८७ 98765" alone is a number. Only the text
        around placeholders can read differently, so only that is looked at again, and
        only where enough is left for a detail (:func:`_may_read_again`).
        """
        # Each placeholder's span in the masked text, and how far it moves what follows.
        placed: list[tuple[int, int, int]] = []
        shift = 0
        for finding in findings:  # disjoint and sorted (merge)
            span = finding.end - finding.start
            width = len(self._mask(text[finding.start : finding.end],
                                   [replace(finding, start=0, end=span)]))
            start = finding.start + shift
            shift += width - span
            placed.append((start, start + width, shift))
        added = []
        code = _code_regions(text)  # an excerpt may cut a fence: judged in the whole text
        for begin, stop in _around(masked, [(start, end) for start, end, _ in placed]):
            excerpt = masked[begin:stop]
            if not _may_read_again(excerpt):
                continue
            norm = normalise(excerpt)
            found, _ = self._judge(norm, context, self._scan(norm.text, context))
            for new in found:
                new_start, new_end = new.start + begin, new.end + begin
                cut = (new.start == 0 < begin) or (new.end == len(excerpt) and stop < len(masked))
                if cut or any(new_start < end and start < new_end for start, end, _ in placed):
                    continue  # runs out of the excerpt or into a placeholder
                moved = 0
                for _, end, after in placed:
                    if end > new_start:
                        break
                    moved = after
                new = replace(new, start=new_start - moved, end=new_end - moved)
                if not (code and self._excused(text, new, code, context)):
                    added.append(new)
        return merge([*findings, *added]) if added else findings

    def forget(self, conversation: str, sender: str, message_id: str) -> None:
        """Drop a message from the split-message window: its caller did not keep it.

        A message that was withheld leaves its id free for the next one; without this,
        a later split detail running through the withheld text would name that id, and
        so the wrong message, in its ``RetroMask``.
        """
        if not all(isinstance(part, str) for part in (conversation, sender, message_id)):
            raise TypeError("forget() needs str conversation, sender and message_id")
        self._window.forget((conversation, sender), message_id)

    def mask(self, text: str, findings: Iterable[Finding]) -> str:
        """Mask ``findings`` (disjoint, original offsets) in ``text`` in the configured style."""
        return self._mask(text, findings)

    # -- one text ------------------------------------------------------------------

    def _scan(self, text: str, context: Context) -> list[Candidate]:
        candidates: list[Candidate] = []
        for detector in self.detectors:
            for candidate in detector.detect(text, context):
                if not 0 <= candidate.start < candidate.end <= len(text):
                    raise ValueError(
                        f"detector {detector.name!r} returned span "
                        f"[{candidate.start}, {candidate.end}) outside a text of {len(text)}"
                    )
                candidates.append(candidate)
        return candidates

    def _judge(
        self, norm: NormalisedText, context: Context, candidates: list[Candidate]
    ) -> tuple[list[Finding], list[Finding]]:
        """Findings at or above ``min_score`` (merged) and the weaker ones (suspects)."""
        strong: list[Finding] = []
        weak: list[Finding] = []
        if not candidates:  # most messages
            return strong, weak
        code = _code_regions(norm.original)
        for candidate in candidates:
            finding = self._localise(norm, code, context, candidate.start, candidate.end, candidate)
            if finding is not None:
                (strong if finding.score >= self.config.min_score else weak).append(finding)
        return merge(strong), merge(weak)

    def _localise(
        self,
        norm: NormalisedText,
        code: list[tuple[int, int]],
        context: Context,
        start: int,
        end: int,
        candidate: Candidate,
    ) -> Finding | None:
        """The finding for normalised ``[start, end)`` of ``norm``, or ``None`` if dropped."""
        text = norm.original
        span = _tidy(text, *norm.to_original(start, end))
        if span is None:
            return None
        finding = Finding(
            span[0],
            span[1],
            _detail_type(candidate.type),
            candidate.rule,
            candidate.score,
            candidate.disguises | norm.disguises(start, end),
        )
        return None if self._excused(text, finding, code, context) else finding

    def _excused(
        self, text: str, finding: Finding, code: list[tuple[int, int]], context: Context
    ) -> bool:
        """Whether a finding is legitimate here after all.

        * Code: inside backticks or a fenced block, links, ``@words`` and addresses are
          part of the code (``@Override``, ``@types/node``, ``user@example.com``
          fixtures), and so are the dummy numbers of test data (``9876543210``,
          ``+1 202-555-0143``). Not a personal mailbox, a chat link, an id after an app's
          name or a real-looking number: pasted in a config, a comment or a README, they
          are still contact details (``user.email=karthik.raman1993@gmail.com``,
          ``https://t.me/x``, ``// insta @kavya.draws.things``). Nor is a
          detail that is all a pair of backticks holds (``my email `priya.k@gmail.com` ``):
          that is the detail put in quotes to slip by.
        * The platform's own domains (and subdomains) are allowed.
        * ``@name`` addressing a participant of the conversation is not a handle.
        """
        if (
            code
            and any(
                start < finding.end
                and finding.start < end
                and not _quoted_alone(text, start, end, finding)
                for start, end in code
            )
            and _part_of_code(text[finding.start : finding.end], finding)
        ):
            return True
        value = text[finding.start : finding.end].lower()
        if finding.type is DetailType.HANDLE and context.participants:
            name = value.lstrip("@")
            if any(name == p.lower().lstrip("@").replace(" ", "") for p in context.participants):
                return True
        # An allowed host keeps its labels whatever separators are written between
        # them: without the first label of one in sight, none can match.
        if (
            finding.type is not DetailType.PHONE
            and self._allowed
            and any(label in value for label in self._allowed_labels)
        ):
            # "support at webperhour dot com" is the platform's own address too.
            value = _WRITTEN_DOT.sub(".", _WRITTEN_AT.sub("@", value))
            host = value.rpartition("@")[2] if finding.type is DetailType.EMAIL else value
            host = _SCHEME.sub("", host)
            host = _HOST_END.split(host, maxsplit=1)[0]
            if any(host == d or host.endswith("." + d) for d in self._allowed):
                return True
        return False

    # -- the split-message window --------------------------------------------------

    def _split(
        self,
        norm: NormalisedText,
        fragment: Fragment | None,
        context: Context,
        findings: list[Finding],
        suspects: list[Finding],
    ) -> tuple[list[Finding], list[Finding], tuple[RetroMask, ...]]:
        """Join the sender's recent fragments with this message and look again."""
        key = (context.conversation, context.sender)
        now = context.timestamp if context.timestamp is not None else time.time()
        message_id = context.message_id
        if fragment is None:  # prose: nothing to combine, but it breaks any attempt
            if message_id is not None:
                self._window.add(key, Entry(message_id, now, None, None))
            return findings, suspects, ()
        current = Entry(message_id or "", now, fragment, norm)
        history = self._window.recent(key, now)
        owed: dict[str, list[Finding]] = {}
        run = select_run(history, current) if history else []
        if history and not (
            run and self._combine(run, current, context, findings, owed, whole=False)
        ):
            # The detectors may have judged an attempt complete one piece too early
            # ("+91 64 49 87" | "87" | "05"): look past it, for a detail that takes
            # this piece in whole.
            longer = select_run(history, current, resume=True)
            if len(longer) > len(run):
                run = longer
                self._combine(run, current, context, findings, owed, whole=True)
        if owed or run:
            findings = merge(findings)
        if history and not owed and _corrects_last_piece(history[-1], current):
            # "88771" | "02354" | "sorry 02345": the last piece typed again, fixed
            o_start, o_end = norm.to_original(*fragment.suspect[:2])
            correction = Finding(
                o_start, o_end, DetailType.PHONE, "phone-correction", _CORRECTION_SCORE,
                frozenset({"split"}),
            )
            findings = merge([*findings, correction])
        if fragment.suspect is not None:
            start, end, kind = fragment.suspect
            o_start, o_end = norm.to_original(start, end)
            if not any(f.start < o_end and o_start < f.end for f in findings):
                suspect = Finding(o_start, o_end, kind, "fragment", FRAGMENT_SCORE)
                suspects = merge([*suspects, suspect])
        retro = self._retro(key, run, owed) if owed else ()
        if message_id is not None:
            if findings or current.message_id != message_id:  # else it is the one to keep
                current = Entry(message_id, now, fragment, norm, tuple(findings))
            self._window.add(key, current)
        return findings, suspects, retro

    def _combine(
        self,
        run: list[Entry],
        current: Entry,
        context: Context,
        findings: list[Finding],
        owed: dict[str, list[Finding]],
        *,
        whole: bool,
    ) -> bool:
        """Detect on ``run`` + ``current`` joined; add what is new, say if anything was.

        A detail crossing into the current message counts when some part of it was not
        masked before (neither message yielded it alone); with ``whole``, only when it
        also covers the current piece entirely.
        """
        pieces = [*run, current]
        joined, bounds = join(pieces)
        # Read together, pieces may show what each hid alone: "9O8l2" | "23344" is leet
        # for digits only next to the digits of the next message. Normalising again is
        # safe where it keeps every offset.
        again = normalise(joined).text
        if len(again) == len(joined):
            joined = again
        codes = [_code_regions(entry.norm.original) for entry in pieces]
        core = current.norm.to_original(*current.fragment.core)
        begin = bounds[-1][0]  # where the current piece starts in ``joined``
        # A platform named after a bare id ("rahul.k92" | "gmail") vouches for the id
        # before it: the detail lies in the earlier message alone and is masked there;
        # after an at ("rahul.k92" | "at" | "gmail") it is the address's last piece.
        vouches = current.fragment.kind == "context" and not run[-1].fragment.lead
        last = run[-1] if vouches else current
        added = False
        for candidate in self._scan(joined, context):
            if candidate.score < self.config.min_score or (
                candidate.end <= begin and last is current
            ):
                continue  # weak, or in earlier messages only: judged when they arrived
            parts = self._parts(candidate, pieces, bounds, codes, context)
            if not parts or (parts[-1][0] is not last and parts[-1][0] is not current):
                continue  # a part is excused (code, allow-list)
            if candidate.type == DetailType.PHONE and (
                _after_number(parts)
                or _inside_number(parts)
                or _extends_number(parts, joined[max(candidate.start, begin) : candidate.end])
            ):
                continue
            if len(parts) == 1 and last is current:  # in this message, with earlier context
                findings.append(parts[0][1])
                added = True
                continue
            here = parts[-1][1]
            if (
                last is current
                and here.type is DetailType.PHONE
                and is_number_piece(current.fragment)
                and core[0] <= here.start < here.end < core[1]
            ):
                # The reading left the piece's last digits out ("…chaar | paanch"): a
                # piece is typed whole, so it is masked whole.
                here = replace(here, end=core[1])
                parts[-1] = (current, here)
            if whole and not (here.start <= core[0] and core[1] <= here.end):
                continue
            if last is current and _whole_here(here, findings):
                continue  # "back @ 9pm" | "contact @ site.com": this one is whole already
            if any(not _covered(f, e.findings if e is not current else findings) for e, f in parts):
                self._record_split(parts, current, findings, owed)
                added = True
        return added

    def _parts(
        self,
        candidate: Candidate,
        pieces: list[Entry],
        bounds: list[tuple[int, int, int]],
        codes: list[list[tuple[int, int]]],
        context: Context,
    ) -> list[tuple[Entry, Finding]]:
        """The candidate cut at message boundaries, as findings in each message."""
        parts: list[tuple[Entry, Finding]] = []
        for entry, (begin, end, shift), code in zip(pieces, bounds, codes, strict=True):
            start, stop = max(candidate.start, begin), min(candidate.end, end)
            if start >= stop:
                continue
            if is_separator(entry):
                # "rahul" | "." | "verma92": the dot typed alone is the address's too,
                # though no word of it is left to snap to
                first, last = entry.norm.to_original(*entry.fragment.core)
                kind = _detail_type(candidate.type)
                separator = Finding(first, last, kind, candidate.rule, candidate.score)
                parts.append((entry, separator))
                continue
            finding = self._localise(
                entry.norm, code, context, start - shift, stop - shift, candidate
            )
            if finding is None:
                return []  # a part is excused (code, allow-list): so is the whole
            parts.append((entry, finding))
        return parts

    @staticmethod
    def _record_split(
        parts: list[tuple[Entry, Finding]],
        current: Entry,
        findings: list[Finding],
        owed: dict[str, list[Finding]],
    ) -> None:
        """Add a split detail: its part here names the others, earlier parts are owed."""
        named = [(e, f) for e, f in parts if e is not current or e.message_id]
        for entry, finding in parts:
            others = tuple(Piece(e.message_id, f.start, f.end) for e, f in named if e is not entry)
            split = replace(finding, disguises=finding.disguises | {"split"}, pieces=others)
            if entry is current:
                findings.append(split)
            else:
                owed.setdefault(entry.message_id, []).append(split)

    def _retro(
        self, key: tuple[str, str], run: list[Entry], owed: dict[str, list[Finding]]
    ) -> tuple[RetroMask, ...]:
        out: list[RetroMask] = []
        for entry in run:
            new = owed.get(entry.message_id)
            if not new:
                continue
            combined = tuple(merge([*entry.findings, *new]))
            self._window.amend(key, entry.message_id, combined)
            masked = self._mask(entry.norm.original, combined)
            out.append(RetroMask(entry.message_id, tuple(merge(new)), masked))
        return tuple(out)


def _whole_here(here: Finding, findings: list[Finding]) -> bool:
    """Whether the current message holds, on its own, the whole detail that a join
    would extend with an earlier piece.

    So it is when the message found a detail of the same type that the joined one only
    partly takes: the join would swap its beginning for an earlier piece ("back @ 9pm"
    | "contact @ site.com"), or end it early. A number found complete takes no earlier
    digits either ("code 212376" | "eight 1 013 two 0 six 48"); an address may still
    take its local part's first half ("rahul.sharma" | "92@gmail.com").
    """
    for f in findings:
        if f.type is not here.type or not (f.start < here.end and here.start < f.end):
            continue
        if f.start < here.start or here.end < f.end:
            return True
        if f.type is DetailType.PHONE and f.score >= _COMPLETE_SCORE:
            return True
    return False


def _detail_type(kind: DetailType | str) -> DetailType:
    """The type a candidate names; detectors give a ``DetailType`` (no enum lookup) or
    its value."""
    return kind if kind.__class__ is DetailType else DetailType(kind)


def _may_read_again(text: str) -> bool:
    """Whether masked ``text`` holds enough for a detail: digits for a number, or a host."""
    return len(_DIGIT.findall(text)) >= _SETTLE_DIGITS or _SETTLE_HOST.search(text) is not None


def _around(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches of ``text`` reaching ``_SETTLE_REACH`` characters around ``spans`` (and on
    to the next space, so no word or digit group is cut), overlapping ones joined."""
    stretches: list[tuple[int, int]] = []
    for start, end in spans:
        begin = text.rfind(" ", 0, max(0, start - _SETTLE_REACH)) + 1
        stop = text.find(" ", min(len(text), end + _SETTLE_REACH))
        stop = len(text) if stop == -1 else stop
        if stretches and begin <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], stop)
        else:
            stretches.append((begin, stop))
    return stretches


def _after_number(parts: list[tuple[Entry, Finding]]) -> bool:
    """Whether a joined number starts after a complete number of its first message.

    "…+1 765-487-8254. call me between 9 and 4." | "one seven six…": the sender has
    given the number whole, so what follows it in that message ("9 and 4") is prose,
    not the first piece of another number continued in the next message.
    """
    entry, first = parts[0]
    return any(
        f.type is DetailType.PHONE and "split" not in f.disguises and f.end <= first.start
        for f in entry.findings
    )


#: Score of a number piece that retypes the last piece of a number just masked.
_CORRECTION_SCORE = 0.8


def _corrects_last_piece(last: Entry, current: Entry) -> bool:
    """Whether ``current``'s number piece retypes the piece that completed the split
    number in ``last``, the sender's message just before: as many digits (three or more),
    right after a number put together over messages ("88771" | "02354" | "sorry 02345")."""
    if (
        last.fragment is None
        or last.norm is None
        or not is_number_piece(last.fragment)
        or not is_number_piece(current.fragment)
        or not consumed(last)
    ):
        return False
    digits = _digit_count(last.norm.text[slice(*last.fragment.core)])
    piece = current.fragment.suspect
    # Three digits at least: "two three changes are pending" is a count.
    return digits >= 3 and _digit_count(current.norm.text[piece[0] : piece[1]]) == digits


def _inside_number(parts: list[tuple[Entry, Finding]]) -> bool:
    """Whether a joined number starts inside a complete number of its first message.

    "ninety eight seven ten, twenty three four fifty six" | "Bengaluru 560008": the
    first message gave its number whole; the last words of it and the PIN code after
    make no second number.
    """
    entry, first = parts[0]
    return any(
        f.type is DetailType.PHONE
        and "split" not in f.disguises
        and f.score >= _COMPLETE_SCORE
        and f.start < first.start < f.end
        for f in entry.findings
    )


def _extends_number(parts: list[tuple[Entry, Finding]], added: str) -> bool:
    """Whether a joined number adds a lone quantity to a number given whole.

    "whatsapp plus three four six … eight for the voice notes" | "I need two logos":
    the first message held the whole number, and one digit ("two") in the next
    sentence is a quantity, and so are two ("make 10 reels") after a number that
    validated. Two or more ("aur 05") may still finish a number that the detectors
    judged whole one piece too early, with a lower score; three always may.
    """
    entry, first = parts[0]
    count = _digit_count(added)
    return count < 3 and any(
        f.type is DetailType.PHONE
        and "split" not in f.disguises
        and f.start < first.end
        and first.start < f.end
        and (count < 2 or f.score >= _COMPLETE_SCORE)
        for f in entry.findings
    )


#: Score of a number the detectors read as complete (a valid number, a mobile's shape).
_COMPLETE_SCORE = 0.9


def _digit_count(text: str) -> int:
    """Digits and number words in normalised ``text`` ("double nine" counts one)."""
    return sum(c.isdigit() for c in text) + sum(w in ALL_WORDS for w in text.lower().split())


def _covered(finding: Finding, findings: Iterable[Finding]) -> bool:
    return any(f.start <= finding.start and finding.end <= f.end for f in findings)


def _part_of_code(value: str, finding: Finding) -> bool:
    """Whether a detail inside code is the code's own (see ``Redactor._excused``)."""
    if finding.type is DetailType.PHONE:
        return _is_dummy_number(_DIGIT.findall(value))
    if finding.type is DetailType.EMAIL:
        address = _WRITTEN_AT.sub("@", value.lower())
        if "@" not in address:
            return True  # "serializers.EmailField": a name after a mail word
        domain = _WRITTEN_DOT.sub(".", address).rpartition("@")[2]
        return not ("obfuscated" in finding.disguises or domain.split(".")[0] in MAIL_PROVIDERS)
    return finding.rule not in _CHAT_RULES


#: Handles whose shape or words name a chat app: never a piece of code.
_CHAT_RULES = frozenset({"handle.link", "handle.skype", "handle.wechat", "handle.platform"})
# US 555-0100…0199 and the UK's drama ranges are reserved for fiction.
_FICTIONAL = regex.compile(
    r"1?(?:[2-9][0-9]{2})?55501[0-9]{2}|(?:44|0)(?:2079460|7700900)[0-9]{3}"
)


def _is_dummy_number(digits: list[str]) -> bool:
    """The digits of test data: ending in seven digits counting up or down
    ("9876543210", "9812345678"), or a number reserved for fiction."""
    number = "".join(digits)
    tail = number[-7:]
    return (
        tail in "98765432109876543210" or tail in "01234567890123456789"
    ) or _FICTIONAL.fullmatch(number) is not None


def _code_regions(text: str) -> list[tuple[int, int]]:
    if "`" not in text:
        return []
    return [m.span() for m in _CODE.finditer(text)]


def _quoted_alone(text: str, start: int, end: int, finding: Finding) -> bool:
    """Whether the inline code ``text[start:end]`` holds the finding and nothing else, as
    a detail put in quotes to slip by.

    A number alone in backticks always is. An address, a handle or a host only when the
    words before give it as the sender's own ("my email `priya.k@gmail.com`", "ping me:
    `@rahul_dev`"); otherwise it is talked about, as code is ("set the nameservers to
    `amir.ns.cloudflare.com`", "the `instagram_manage_messages` permission").
    """
    return (
        not text.startswith("```", start)
        and text[start + 1 : end - 1].strip() == text[finding.start : finding.end]
        and (
            finding.type is DetailType.PHONE
            or _OWN_DETAIL_BEFORE.search(text, max(0, start - 50), start) is not None
        )
    )


# Words that present what follows as the sender's contact detail, in its sentence.
_OWN_DETAIL_BEFORE = regex.compile(
    r"\b(?i:my|mine|mera|meri|mere|me|us|our|contact|reach|ping|dm|text|call|whatsapp"
    r"|e-?mail|mail|number|no|phone|mobile|id|handle|username|add|here)\b"
    r"(?:[^.!?\n]|[.!?](?=\S)){0,40}\Z"  # a dot inside an address ends no sentence
)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _tidy(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Snap a span to whole words and drop the junk at its edges.

    A span never starts or ends inside a word (a mask that leaves half a word reveals
    it), nor carries surrounding whitespace, invisible characters, quotes, sentence
    punctuation, unmatched brackets or a pair of brackets around all of it (``(022)``
    inside a phone number stays). ``None`` when nothing is left.
    """
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    while True:
        while start < end:
            char = text[start]
            if char.isalnum():  # the usual edge: none of the junk below
                break
            if char in _OPENERS:
                if _CLOSERS[_OPENERS.index(char)] in text[start:end]:
                    break
            elif not (char.isspace() or char in _LEAD_JUNK or unicodedata.category(char) == "Cf"):
                break
            start += 1
        while end > start:
            char = text[end - 1]
            if char.isalnum():
                break
            if char in _CLOSERS:
                if _OPENERS[_CLOSERS.index(char)] in text[start:end]:
                    break
            elif not (char.isspace() or char in _TRAIL_JUNK or unicodedata.category(char) == "Cf"):
                break
            end -= 1
        if end - start < 2 or not _wrapped(text, start, end):
            return (start, end) if start < end else None
        start, end = start + 1, end - 1


def _wrapped(text: str, start: int, end: int) -> bool:
    """Whether ``text[start]`` opens a bracket that ``text[end - 1]`` closes."""
    opener = text[start]
    if opener not in _OPENERS or text[end - 1] != _CLOSERS[_OPENERS.index(opener)]:
        return False
    closer, depth = text[end - 1], 0
    for i in range(start, end):
        depth += (text[i] == opener) - (text[i] == closer)
        if depth == 0:
            return i == end - 1
    return False
