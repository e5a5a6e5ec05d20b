"""Undo the cheap disguises before matching, keeping a map back to the original text.

Detectors match plain ASCII-looking text. People hide contact details behind fullwidth
or Devanagari digits, keycap emoji, zero-width characters, Cyrillic look-alikes,
leetspeak (digits for letters in number words too: "n1n3 f0ur"), Chinese numerals and a
symbol a legend declares to be the at ("🌀 = at"); :func:`normalise` maps all of these
back, character by character, and records for every normalised character the original
characters it came from, so a span found in the normalised text can be masked in the
original one.

The work is linear in the length of the text and never raises: every code point
(lone surrogates included) has a defined outcome. Pure-ASCII text without a leet
candidate or a legend is returned as is, with no per-character tables at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from redaction.homoglyphs import HOMOGLYPHS
from redaction.numwords import JOINERS, LEET_SPELLED
from redaction.types import quick_init

#: Per-character flags in :attr:`NormalisedText.flags`.
UNCHANGED, UNICODE, LEET = 0, 1, 2


# Invisible characters that are not format characters: the combining grapheme joiner
# and the "blank" Hangul and Braille letters used to pad text.
_BLANKS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")

# Characters NFKC leaves alone but that are separators in disguise.
_EXTRA = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc", "-"),
    "\u3002": ".",  # ideographic full stop
    "\uff61": ".",
    # Slashes of mathematics and typesetting, which NFKC leaves alone: "t.me ∕ x".
    **dict.fromkeys("\u2215\u2044\u29f8", "/"),
    # A circled "a" stands in for "@" ("priya ⓐ gmail.com"); NFKC would make it a letter.
    # Next to another circled letter it is one ("ⓡⓐⓗⓤⓛ"): see _circled_letter.
    "\u24d0": "@",
    "\u24b6": "@",
}
_CIRCLED_AT = frozenset("\u24d0\u24b6")

# Leet letters standing for digits, only ever applied inside otherwise numeric runs.
# "|" is not among them: between digit groups it is a separator far more often than a 1.
_LEET = {"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "S": "5", "B": "8"}
_LEET_CHARS = frozenset(_LEET)
# A leet letter that may count is a few separators at most from a digit.
# Stdlib ``re`` for these three plain patterns: it scans character classes about
# three times faster than ``regex``, and every message pays for the hint.
# Written to start with the digit, much rarer than "o", "l" or "i", so that the engine
# skips to the digits and looks both ways from each (a look-behind has one width: one
# branch per number of separators).
_LEET_SEP = r"[ \n.\-/,()+|~]"
_LEET_HINT = re.compile(
    rf"[0-9](?:{_LEET_SEP}{{0,3}}[OolIiSB]"
    + "".join(f"|(?<=[OolIiSB]{_LEET_SEP * n}[0-9])" for n in range(4))
    + ")"
)
_DIGIT = re.compile(r"[0-9]")

# Number words with digits for letters ("n1n3 31ght f0ur"): every such spelling of every
# word, lower case, to the word. Only whole tokens of letters and digits change, and only
# into a number word, so "2nd", "5pm", "mp3" or "h264" stay as they are.
_LETTER_DIGITS = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "t": "7"}


def _leet_spellings(word: str) -> set[str]:
    spellings = {""}
    for letter in word:
        digit = _LETTER_DIGITS.get(letter)
        spellings = {s + c for s in spellings for c in ((letter, digit) if digit else letter)}
    return {spelling for spelling in spellings if spelling != word}


_LEET_WORDS = {
    spelling: word
    for word in sorted(w for w in LEET_SPELLED if w.isascii() and len(w) > 1)
    for spelling in _leet_spellings(word)
}
_LEET_WORD_MAX = max(map(len, _LEET_WORDS))
# A digit beside a letter: the only place such a word can be. Led by the digit, as
# _LEET_HINT is, so that the engine skips from digit to digit.
_LEET_WORD_HINT = re.compile(r"[0-9](?:(?=[A-Za-z])|(?<=[A-Za-z][0-9]))")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# Tokens made of digits and leet letters only; possessive, so a word never backtracks.
_NUMERIC_TOKEN = re.compile(
    r"[0-9OolIiSB](?<![A-Za-z0-9][0-9OolIiSB])[0-9OolIiSB]*+(?![A-Za-z0-9])"  # led by its set
)
# Between the groups of a number: a few separator characters, or a joining word
# ("6l6 and 926 and 9447", "9l88 then 9I5I").
_SEPARATORS = re.compile(
    r"[ \n.\-/,()+|~]{1,3}|\ (?:" + "|".join(map(re.escape, JOINERS)) + r")\ "
)
# A separator that is not only spaces: what a short leet token after the last group
# needs to count ("2O/II" ends a number; "43210 IS" is a word after one).
_MARKED = re.compile(r"[ ]*[.\-/,()+|~]")

# Non-ASCII characters, and ASCII digits followed by a keycap sequence.
_SPECIAL = regex.compile(r"[^\x00-\x7f]|[0-9#*](?=\ufe0f?\u20e3)")
_KEYCAP_TAIL = ("\ufe0f\u20e3", "\u20e3")


@quick_init
@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A normalised copy of ``original`` and the way back.

    ``starts[i]``/``ends[i]`` are the original span of normalised character ``i`` (one
    original character may become several, a keycap sequence becomes one), and
    ``flags[i]`` says whether it was changed (:data:`UNICODE` or :data:`LEET`). All
    three are ``None`` when the text is unchanged.
    """

    original: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None
    flags: bytes | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` (non-empty) to the original text."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]

    def disguises(self, start: int, end: int) -> frozenset[str]:
        """The disguises undone inside the normalised span ``[start, end)``."""
        if self.flags is None:
            return frozenset()
        found = set()
        part = self.flags[start:end]
        if UNICODE in part:
            found.add("unicode")
        if LEET in part:
            found.add("leet")
        # Removed invisible characters and keycaps leave no flag of their own; they show
        # as an original span longer than the normalised one.
        if "unicode" not in found and end > start:
            o_start, o_end = self.to_original(start, end)
            if o_end - o_start != end - start:
                found.add("unicode")
        return frozenset(found)


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """The replacement for one non-ASCII character ('' removes it)."""
    if char in _EXTRA:
        return _EXTRA[char]
    category = unicodedata.category(char)
    # Format characters (ZWSP, ZWNJ, ZWJ, WJ, soft hyphen, BOM, bidi marks) and
    # variation selectors are invisible: they only exist to break up a match.
    if category == "Cf" or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef":
        return ""
    if char in _BLANKS:
        return ""
    # Combining marks over Latin text (strike-through "9̶8̶", accents, zalgo) only
    # decorate: the base character carries the meaning.
    if (category == "Mn" and char <= "\u036f") or "\u20d0" <= char <= "\u20ff":
        return ""
    if category == "Cs":  # a lone surrogate has no normal form; keep it
        return char
    # Digits of any script; then the other digit characters NFKC leaves alone
    # (dingbat and negative circled digits: ➊ ⓿).
    value = unicodedata.decimal(char, None)
    if value is None and category == "No":
        value = unicodedata.digit(char, None)
    if value is not None:
        return str(value)
    folded = unicodedata.normalize("NFKC", char)
    return folded.translate(HOMOGLYPHS)


def normalise(text: str) -> NormalisedText:
    """Return ``text`` with disguises undone and a map back to the original.

    >>> n = normalise("call ９８７６５ ４３２1O")
    >>> n.text
    'call 98765 43210'
    >>> n.to_original(5, 16)
    (5, 16)
    """
    if text.isascii():  # keycaps and every other disguise need non-ASCII characters
        words = _leet_words(text)
        leet = None if words else _leet_positions(text)
        legends = _legends(text)
        if not words and not leet and not legends:
            return NormalisedText(text, text)
        chars = list(text)
        flags = bytearray(len(text))
        _undo_legends(chars, flags, legends)
        _undo_leet(chars, flags, words, leet)
        identity = tuple(range(len(text) + 1))
        return NormalisedText(text, "".join(chars), identity[:-1], identity[1:], bytes(flags))

    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    flags = bytearray()
    pos = 0
    for match in _SPECIAL.finditer(text):
        i = match.start()
        if i < pos:  # inside a keycap sequence already consumed
            continue
        if i > pos:  # copy the plain run before it as is
            chars.extend(text[pos:i])
            starts.extend(range(pos, i))
            ends.extend(range(pos + 1, i + 1))
            flags.extend(bytes(i - pos))
        char = text[i]
        if char.isascii():  # a keycap: digit, optional FE0F, U+20E3
            tail = next(t for t in _KEYCAP_TAIL if text.startswith(t, i + 1))
            end = i + 1 + len(tail)
            chars.append(char)  # "#️⃣" and "*️⃣" keep their symbol, like digits
            starts.append(i)
            ends.append(end)
            flags.append(UNICODE)
            pos = end
            continue
        if char in _CIRCLED_AT and _circled_letter(text, i):
            replacement = unicodedata.normalize("NFKC", char)
        else:
            replacement = _fold(char)
        for out in replacement:
            chars.append(out)
            starts.append(i)
            ends.append(i + 1)
            flags.append(UNCHANGED if replacement == char else UNICODE)
        pos = i + 1
    if pos < len(text):
        chars.extend(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
        flags.extend(bytes(len(text) - pos))

    folded = "".join(chars)
    if _MAIL_WORD_GATE.search(folded) is not None:
        folded = _transliterate(folded, chars, starts, ends, flags)
    numerals = [run.span() for run in _CJK_DIGITS.finditer(folded)]
    for start, end in numerals:
        for i in range(start, end):
            chars[i], flags[i] = _CJK_DIGIT_VALUES[chars[i]], UNICODE
    if numerals:
        folded = "".join(chars)
    legends = _legends(folded)
    if legends:
        _undo_legends(chars, flags, legends)
        folded = "".join(chars)
    words = _leet_words(folded)
    _undo_leet(chars, flags, words, None if words else _leet_positions(folded))
    return NormalisedText(text, "".join(chars), tuple(starts), tuple(ends), bytes(flags))


# The at, the dot, top-level domains and webmail providers as Indian users write them in
# their own scripts (Devanagari, Bengali, Tamil, Telugu, Kannada, Malayalam, Gujarati,
# Gurmukhi): "sandeep.webkaam एट जीमेल डॉट कॉम" is an address. Read in Latin letters, the
# detectors see it as they see "at gmail dot com". A domain word counts only after a dot
# word: alone, "कम" or "को" are everyday words.
# fmt: off
_NATIVE_WORDS = {
    "at": ("एट", "ऐट", "অ্যাট", "এট", "அட்", "ఎట్", "అట్", "ಅಟ್", "ಎಟ್", "അറ്റ്", "എറ്റ്", "એટ", "ਐਟ"),
    "d rate": ("द रेट",),
    "dot": ("डॉट", "डोट", "ডট", "டாட்", "డాట్", "ಡಾಟ್", "ഡോട്ട്", "ડોટ", "ਡੌਟ"),
    "gmail": ("जीमेल", "जिमेल", "জিমেইল", "ஜிமெயில்", "జీమెయిల్", "ಜಿಮೇಲ್", "ജിമെയിൽ", "જીમેઇલ",
              "જીમેલ", "ਜੀਮੇਲ"),
    "yahoo": ("याहू", "ইয়াহু", "யாகூ", "యాహూ", "ಯಾಹೂ", "യാഹൂ", "યાહૂ", "ਯਾਹੂ"),
    "hotmail": ("हॉटमेल", "হটমেইল", "ஹாட்மெயில்", "హాట్‌మెయిల్", "ಹಾಟ್‌ಮೇಲ್", "ഹോട്ട്മെയിൽ", "હોટમેલ"),
    "outlook": ("आउटलुक",),
}
_NATIVE_DOMAINS = {
    "com": ("कॉम", "कोम", "কম", "காம்", "కామ్", "ಕಾಮ್", "കോം", "કોમ", "ਕੌਮ"),
    "in": ("इन", "ইন", "இன்", "ఇన్", "ಇನ್", "ഇൻ", "ઇન", "ਇਨ"),
    "co": ("को", "কো", "கோ", "కో", "ಕೋ", "കോ", "કો", "ਕੋ"),
    "net": ("नेट", "নেট", "நெட்", "నెట్", "ನೆಟ್", "നെറ്റ്", "નેટ", "ਨੈੱਟ"),
}
# fmt: on


def _as_folded(word: str) -> str:
    return "".join(_fold(char) if not char.isascii() else char for char in word)


def _alternatives(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_as_folded(native): latin for latin, words in table.items() for native in words}


_NATIVE = _alternatives(_NATIVE_WORDS)
_DOMAIN_NATIVE = _alternatives(_NATIVE_DOMAINS)
_DOT_NATIVE = "|".join(w for w, latin in _NATIVE.items() if latin == "dot")
# A cheap first look (stdlib, literals only: it skips ahead between their first
# characters); a domain word needs a dot word before it, so the dot words suffice.
_MAIL_WORD_GATE = re.compile("|".join(sorted(map(re.escape, _NATIVE), key=len, reverse=True)))
_NOT_IN_WORD = r"(?<![\p{L}\p{M}])", r"(?![\p{L}\p{M}])"
_MAIL_WORD = regex.compile(
    _NOT_IN_WORD[0]
    + "(?:"
    + "|".join(sorted(_NATIVE, key=len, reverse=True))
    + rf"|(?<=(?:{_DOT_NATIVE})\s+)(?:"
    + "|".join(sorted(_DOMAIN_NATIVE, key=len, reverse=True))
    + "))"
    + _NOT_IN_WORD[1]
)


def _transliterate(
    folded: str, chars: list[str], starts: list[int], ends: list[int], flags: bytearray
) -> str:
    """Spell the mail words of Indian scripts in Latin letters, in place; each letter of
    a replacement maps back to the whole native word."""
    for match in reversed(list(_MAIL_WORD.finditer(folded))):
        i, j = match.span()
        latin = _NATIVE.get(match.group()) or _DOMAIN_NATIVE[match.group()]
        chars[i:j] = latin
        starts[i:j] = [starts[i]] * len(latin)
        ends[i:j] = [ends[j - 1]] * len(latin)
        flags[i:j] = bytes([UNICODE]) * len(latin)
    return "".join(chars)


# Chinese and Japanese numerals typed digit by digit ("一三九 一二三四 五六七八"): three or
# more in a row are a number's digits; one or two are words ("一个", "三四天").
# "幺" is how a one is read out in phone numbers.
_CJK_DIGIT_VALUES = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CJK_DIGIT_VALUES |= {"零": "0", "幺": "1"}
_CJK_DIGITS = re.compile(f"[{''.join(_CJK_DIGIT_VALUES)}]{{3,}}")

# Substrings one of which every legend holds, in lower-cased text: an alternation of
# literals, which ``re`` skips through quickly (the legend's own pattern is slow to fail).
_LEGEND_GATE = re.compile(r"=|mean|stand|replace|instead|place of|swap|->")
# A symbol declared to stand for the at or the dot: "rahul 🌀 gmail dot com (🌀 = at)",
# "priya#gmail.com, # means @", "replace ~ with a dot". The symbol is anything but a
# letter, a digit, a space or a bracket; what it stands for ends its clause.
_LEGEND_SYMBOL = r"(?P<symbol>[^\w\s()\[\]{}<>\"'`])"
_LEGEND_MEANING = r"(?:an?\ |the\ )?[\"'`]?(?P<meaning>@|at|dot|\.)[\"'`]?"
_LEGEND = regex.compile(
    rf"""
    (?:(?<![^\s(\[,;:])|(?<=(?i:symbol|sign|emoji|char|character)\ ?))
    [\"'`]?{_LEGEND_SYMBOL}[\"'`]?\ {{0,3}}
    (?:=+>?|->|(?i:means?|stands?\ for|instead\ of|in\ place\ of))\ {{0,3}}
    {_LEGEND_MEANING}(?=\ {{0,3}}(?:[)\],;!?]|\.?\ |\.?$|\n))
    |(?i:replace|swap)\ (?:the\ )?[\"'`]?{_LEGEND_SYMBOL}[\"'`]?\ ?(?i:with|by)\ {_LEGEND_MEANING}
    """,
    regex.VERBOSE,
)


def _legends(text: str) -> list[tuple[int, str]]:
    """Positions of symbols a legend in ``text`` declares, with the character each stands
    for; the legend's own symbol included (it then reads "(@ = at)", which is nothing)."""
    if _LEGEND_GATE.search(text.lower()) is None:
        return []
    meanings: dict[str, str] = {}
    for match in _LEGEND.finditer(text):
        symbol = match.group("symbol")
        if symbol not in "@.":
            meanings[symbol] = "@" if match.group("meaning") in ("@", "at") else "."
    if not meanings:
        return []
    return [(i, meanings[c]) for i, c in enumerate(text) if c in meanings]


def _undo_legends(chars: list[str], flags: bytearray, legends: list[tuple[int, str]]) -> None:
    for i, meaning in legends:
        chars[i], flags[i] = meaning, UNICODE


def _leet_words(text: str) -> list[tuple[int, str]]:
    """Number words spelled with digits for letters: (start, word) for each."""
    found: list[tuple[int, str]] = []
    end = -1
    for hint in _LEET_WORD_HINT.finditer(text):
        if hint.start() < end:
            continue  # the token was read already
        start = end = hint.start()
        while start > 0 and text[start - 1] in _ALNUM:
            start -= 1
        while end < len(text) and text[end] in _ALNUM:
            end += 1
        if end - start <= _LEET_WORD_MAX:
            word = _LEET_WORDS.get(text[start:end].lower())
            if word is not None:
                found.append((start, word))
    return found


def _undo_leet(
    chars: list[str], flags: bytearray, words: list[tuple[int, str]], digits: list[int] | None
) -> None:
    """Write out the leet number words, then the leet digits of numeric runs, in place.

    ``digits``: their positions when no word was written; else read from the result.
    """
    for start, word in words:
        for i, letter in enumerate(word, start):
            if chars[i].isdigit():  # the letters keep their case
                chars[i], flags[i] = letter, LEET
    if digits is None:
        digits = _leet_positions("".join(chars))
    for i in digits:
        chars[i] = _LEET[chars[i]]
        flags[i] = LEET


def _circled_letter(text: str, i: int) -> bool:
    """Whether the circled "a" at ``i`` spells a word with a circled letter beside it."""
    return any(
        0 <= j < len(text) and "\u24b6" <= text[j] <= "\u24e9" for j in (i - 1, i + 1)
    )


def _leet_positions(text: str) -> list[int]:
    """Indices of leet letters that stand for digits.

    Only in tokens made of digits and leet letters alone, grouped with the tokens
    around them that are a few separators apart (``+9l 6o , 986``, ``Ol63O-495O22``; a
    short all-leet token next to them joins too: ``9I.Bl.l249``, ``+I.27``), and only
    when the group reads as a number (:func:`_convert`); groups may be joined by a word
    such as "and", and a short leet token ends one after a marked separator ("2O/II").
    Words never change ("Ollie", "BIOS", "SOS 2024").
    """
    if _DIGIT.search(text) is None or _LEET_HINT.search(text) is None:
        return []
    found: list[int] = []
    group: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []  # short all-leet tokens ("Bl") between groups
    # Whether the pending tokens may end the group if no digits follow: each came after
    # a marked separator ("2O/II").
    tail = True
    end = -1
    for match in _NUMERIC_TOKEN.finditer(text):
        token = match.group()
        # A word between two tokens fails this test too, so it always ends a group.
        if (group or pending) and not _SEPARATORS.fullmatch(text, end, match.start()):
            found.extend(_convert(group + pending if tail else group))
            group, pending, tail = [], [], True
        if any(c.isdigit() for c in token):
            group.extend(pending)
            group.append((match.start(), token))
            pending, tail = [], True
        elif len(token) <= 2 or (len(token) == 3 and group):  # "9379 OBB l34", not "iOS 14"
            tail = tail and bool(group) and _MARKED.match(text, end) is not None
            pending.append((match.start(), token))
        else:
            found.extend(_convert(group))
            group, pending, tail = [], [], True
        end = match.end()
    found.extend(_convert(group + pending if tail else group))
    return found


def _convert(group: list[tuple[int, str]]) -> list[int]:
    """The leet letters of a group read as digits, if the group is a number.

    It needs three real digits and no fewer digits than letters, or, for a run as long
    as a phone number (ten characters or more), five digits ("+9I 925lo loI9o") or a
    digit in every token but one ("85OB9 lIOl9", "BO . 9O . OO6 . 99I"). A token of
    three leet letters only counts in a run that long ("9379 OBB l34").
    """
    digits = sum(c.isdigit() for _, token in group for c in token)
    letters = sum(len(token) for _, token in group) - digits
    if not letters or digits < 3:
        return []
    lettered = [token for _, token in group if _DIGIT.search(token) is None]
    if digits + letters < 10 and any(len(token) == 3 for token in lettered):
        return []  # three letters between short groups are a word ("3 BOB 12")
    if digits < letters and (digits + letters < 10 or (digits < 5 and len(lettered) > 1)):
        return []
    return [
        start + offset
        for start, token in group
        for offset, char in enumerate(token)
        if char in _LEET_CHARS
    ]
