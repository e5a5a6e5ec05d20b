"""Pattern pieces for written-out separators, and the "spaced letters" view.

People hide ``.`` and ``@`` behind words and brackets (``rahul [dot] k (at) gmail dot
com``, ``t dot me slash x``, ``gmailDOTcom``) and type addresses one letter at a time
(``r a h u l @ g m a i l . c o m``). The email, handle and URL detectors share these
pieces so that every disguise is recognised the same way by all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from redaction.normalize import normalise
from redaction.types import quick_init

# A written dot between two labels. Bracketed forms may carry a space inside or
# around them; the bare word needs spaces on both sides so that "dotted" or
# "dot grid" inside prose never splits a word; the glued form only in capitals
# between lower-case letters ("gmailDOTcom"), where it cannot be a word. A plain
# "." may have a space before it ("behance . net", "brandwala .studio") but not
# only after it, because ". " is how sentences end. "point" is read as a dot only before
# a TLD that is no English word ("gmail point com"; "a point in time" stays prose).
#
# Users abroad write the at and the dot in their own languages: "arroba" and "punto",
# "arobase" and "point", "ät" and "Punkt", "chiocciola", "małpa" and "kropka", "собака"
# and "точка", Turkish "nokta", Indonesian "titik", Vietnamese "chấm", Arabic "آت" and
# "دوت". The detectors see normalised text, where look-alike letters are folded
# ("собака" reads "coбaka"): both spellings are listed.
AT_WORDS_ABROAD = ("arroba", "arobase", "chiocciola", "klammeraffe", "ät", "małpa", "malpa",
                   "sobaka", "собака", "آت")  # fmt: skip
DOT_WORDS_ABROAD = ("punto", "punkt", "kropka", "ponto", "tochka", "точка", "nokta", "titik",
                    "chấm", "دوت")  # fmt: skip


def as_read(words: Iterable[str]) -> frozenset[str]:
    """``words`` as written and as the detectors read them: normalising folds look-alike
    letters ("собака" reads "coбaka", "рф" reads "pф")."""
    words = tuple(words)
    return frozenset(words) | {normalise(word).text for word in words}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(as_read(words), key=len, reverse=True))


#: A bullet or a diamond glued between two labels stands for their dot
#: ("priyadesigns•in/work", "pixelbynisha🔸com"); with spaces around it, it is a list.
BULLET_DOTS = "\u2022\u00b7\u25cf\u25aa\u2299\u26ab\U0001f538\U0001f539"
#: Envelopes standing for the at.
ENVELOPES = "\U0001f4e7\u2709\U0001f170"  # and a letter A in a box, "🅰"
AT_ABROAD = _alternation(AT_WORDS_ABROAD)
DOT_ABROAD = _alternation(DOT_WORDS_ABROAD)
#: The words of a written at or dot, which are never a name nor a local part.
SEPARATOR_WORDS = frozenset({"rate", "attherate", "dot", *AT_WORDS_ABROAD, *DOT_WORDS_ABROAD})
#: Where a written dot of another language may start, for gates on lower-cased text.
DOT_ABROAD_GATE = re.compile(DOT_ABROAD)

#: "point" read as a dot, before a TLD that is no English word.
POINT_BEFORE_TLD = r"point\ (?=(?i:com|net|org|io|fr|de|es|it|be|ch)\b)"
# Bracketed or quoted: "[dot]", "(.)", "'dot'".
BRACKETED_DOT = (
    rf"\ ?(?:[\[\(\{{<]\ ?(?i:\.|dot|point|{DOT_ABROAD})\ ?[\]\)\}}>]"
    r"|['\"\u2018\u201c](?i:\.|dot)['\"\u2019\u201d])\ ?"
)
DOT = (
    r"(?:\.|。"
    rf"|{BRACKETED_DOT}"
    rf"|\ (?i:dot|d0t|{DOT_ABROAD})\ "
    r"|\ (?i:dot)(?=(?i:com|net|org|in)\b)"  # "gmail dotcom"
    rf"|\ (?i:{POINT_BEFORE_TLD})"
    r"|(?<=[a-z0-9])DOT(?=[a-z0-9])"
    rf"|(?<=[A-Za-z0-9])[{BULLET_DOTS}](?=[A-Za-z0-9])"
    rf"|\ [{BULLET_DOTS}]\ (?=(?i:com|net|org|io)\b)"
    r"|\ \.\ ?(?=[A-Za-z0-9]))"
)

# A written slash before a path: "/", " /", " slash ".
SLASH = r"(?:\ ?/|\ (?i:slash|barra)\ )"  # Spanish and Portuguese say "barra"

# The disguised "@": doubled, spaced, bracketed, or spelled out ("at the rate", "attherate",
# "at d rate", Spanish "arroba"). Plain " at " is listed last and is only accepted
# by the callers with a believable domain after it.
AT_STRONG = (
    r"(?:\ ?@@?\ ?(?:(?i:the\ ?rate(?:\ of)?)\ )?"
    rf"|\ ?[\[\(\{{<]\ ?(?i:@|at|a|at\ ?the\ ?rate|{AT_ABROAD})\ ?[\]\)\}}>]\ ?"
    r"|\ ?['\"\u2018\u201c](?i:@|at)['\"\u2019\u201d]\ ?"  # "jyoti 'at' gmail"
    r"|\ ?-(?i:at)-\ ?"
    rf"|\ ?[{ENVELOPES}]\ ?"  # an envelope for the at: "neha_k 📧 outlook"
    r"|(?<=[a-z0-9_])AT(?=[a-z])"
    rf"|\ (?i:at\ ?(?:the|d)\ ?rate(?:\ of)?|at\ (?:sign|symbol)|{AT_ABROAD})\ )"
)
# A written underscore inside a name: "karan underscore mehta", "karan(underscore)m",
# doubled for a "__" ("karan underscore  underscore mehta"; a stray second space is
# common when two words are typed for one character).
UNDERSCORE = (
    r"(?:(?:\ ?[\[\(\{<]\ ?(?i:underscore)\ ?[\]\)\}>]){1,2}\ ?"
    r"|(?:\ {1,2}(?i:underscore|gui[oó]n\ bajo)){1,2}\ {1,2})"
)
# Turks and Indonesians say "et" for the at; like "at", only before a believable domain.
AT_WORD = r"(?:\ (?i:at|et)\ )"

# Words that say a detail is typed backwards ("ulta padh: 5938812407", "read it backwards:
# moc.liamg@…"), in lower-cased text.
BACKWARDS = re.compile(
    r"\b(?:ult[aie]|backwards?|reversed?|in reverse|right to left|p[ei]{1,2}che se)\b"
)

# Marks a match as disguised when any of these appear in it.
_OBFUSCATED = regex.compile(
    r"(?i:\bd[o0]t\b|\ point\ |\[|\(|\{|<|\ at\ |-at-|rate|slash|underscore|hxxp|\ @|@\ |\ \."
    rf"|{AT_ABROAD}|{DOT_ABROAD})"
    rf"|DOT|(?<=[a-z0-9_])AT(?=[a-z])|[{BULLET_DOTS}]"
)


# What every branch of ``_OBFUSCATED`` holds, lower-cased ("rate", "-at-", " at " and a
# glued "AT" all hold "at"): an ASCII detail without any (most) is answered by
# substring scans. Outside ASCII, case-insensitive matching folds more than
# ``str.lower`` does, so the pattern itself answers.
_OBFUSCATED_HINTS = (
    "at", "dot", "d0t", " point ", "[", "(", "{", "<", "slash", "underscore", "hxxp", " @", "@ ",
    " .",
    *(w for w in AT_WORDS_ABROAD + DOT_WORDS_ABROAD if w.isascii()),
)


def is_obfuscated(matched: str) -> bool:
    """Whether a matched detail uses written-out or bracketed separators."""
    if matched.isascii() and not any(map(matched.lower().__contains__, _OBFUSCATED_HINTS)):
        return False
    return _OBFUSCATED.search(matched) is not None


def literal_pattern(
    words: frozenset[str] | set[str] | dict[str, object], not_after: str = ""
) -> str:
    """One pattern for a set of literal words, as a trie: ``tele(?:gram)?|tg``.

    The stdlib engine tries a flat alternation word by word at every position; a
    trie branches once per character, which makes the platform and provider lookups
    three times cheaper. Longer words win, as in a length-sorted alternation.
    ``not_after``, a character class, keeps a word from starting right after one of
    its characters. It is checked behind the first character, not in front of the
    pattern, where it would be tried at every position: led by literals, the pattern
    lets the engine jump between the words' first characters.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict], check: str = "") -> str:
        branches = [
            re.escape(c) + (check and f"(?<!{check}{re.escape(c)})") + render(child)
            for c, child in sorted(node.items())
            if c
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie, not_after)


# Four or more single characters separated by single spaces, at least two of
# them letters: "r a h u l", "t . m e / x". Digit-only runs are the phone
# detector's business.
# A short run right after a written or spaced dot is a spelled-out TLD ("dot c o m").
# A run starts with a letter, a digit, an "@" or a dot, never with the dash or arrow
# that introduces it ("messenger - f b . c o m / …"), and may sit in brackets
# ("(s k y p e)").
_SPACED_RUN = regex.compile(
    r"(?<![^\s(\[{])[^\s\-\u2013\u2014|:=>(\[{](?:\ \S){3,}(?![^\s.,;:!?)\]}])"
    r"|(?<=(?i:dot)\ |\ \.\ )[A-Za-z](?:\ [A-Za-z]){1,2}(?![^\s.,;:!?)])"
    # or joined by dashes: "j-o-s-h-.-l-e-e-@-o-u-t-l-o-o-k-.-c-o-m"
    r"|(?<![^\s(\[{])[^\s\-\u2013\u2014|:=>(\[{](?:-[^\s\-]){5,}(?![^\s.,;:!?)\]}])"
)
_LETTER = regex.compile(r"[A-Za-z].*[A-Za-z]", regex.DOTALL)
_RUN_ENDS = "-\u2013\u2014|=>"
# What every such run holds (its first three characters between whitespace, or a dot
# and two letters), as a stdlib pattern: a quick no for ordinary text.
# Each branch starts with a literal (the space after the first character, checked
# back), so the engine jumps between spaces and "d"s instead of trying every position.
_SPACED_GATE = re.compile(
    r" \S \S (?<=\s\S \S \S )|dot [A-Za-z] [A-Za-z]| \. [A-Za-z] [A-Za-z]|-\S-\S-\S-"
)


@quick_init
@dataclass(frozen=True, slots=True)
class TextView:
    """A text to match in, and the way back to the text the detector was given.

    ``source`` is ``None`` when the view is the given text itself; otherwise it holds,
    for every view character, its index in the given text. ``runs`` are the
    collapsed letter-by-letter stretches, in view offsets.
    """

    text: str
    source: tuple[int, ...] | None = None
    runs: tuple[tuple[int, int], ...] = ()

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        if self.source is None:
            return start, end
        return self.source[start], self.source[end - 1] + 1

    def spaced(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches a collapsed letter-by-letter stretch."""
        return any(s < end and start < e for s, e in self.runs)


@lru_cache(maxsize=64)
def spaced_view(text: str) -> TextView:
    """The text with its letter-by-letter runs collapsed ("r a h u l" -> "rahul").

    Without such runs this is the text itself. Collapsing touches nothing outside
    the runs, so a detector can match in this view alone and map its spans back.
    Cached: the email, handle and URL detectors ask for the same text in turn.
    """
    if _SPACED_GATE.search(f" {text} ") is None:  # the common case, 5x cheaper to rule out
        return TextView(text)
    spans = [
        # "X @ p o o j a": one letter before a spaced "@" is the app's name, not the
        # first letter of a mailbox; a dash after the run introduces what follows
        # ("b l o g . c o m - Deadline").
        (
            start + 2 if text[start + 2 : start + 3] == "@" else start,
            end - 2 if text[end - 1] in _RUN_ENDS and end - start > 7 else end,
        )
        for m in _SPACED_RUN.finditer(text)
        if _LETTER.search(m.group()) is not None
        for start, end in (m.span(),)
    ]
    if not spans:
        return TextView(text)
    chars: list[str] = []
    source: list[int] = []
    runs: list[tuple[int, int]] = []
    pos = 0
    for start, end in spans:
        chars.extend(text[pos:start])
        source.extend(range(pos, start))
        run_start = len(chars)
        for i in range(start, end, 2):
            chars.append(text[i])
            source.append(i)
        runs.append((run_start, len(chars)))
        pos = end
    chars.extend(text[pos:])
    source.extend(range(pos, len(text)))
    return TextView("".join(chars), tuple(source), tuple(runs))


# Arrows pointing from a context word at what follows it: → ⇒ ➔ ➜ ➡ ⟶.
_ARROWS = "\u2192\u21d2\u2794\u279c\u27a1\u27f6"
# What may stand between a context word and the next word or id.
_SEPARATORS = " \t,;?!.-=>|" + _ARROWS

# One filler step: separators, then a word or a lone colon/dash.
_FILLER = regex.compile(
    rf"(?P<sep>[\s,;?!.\-=>|{_ARROWS}]*+)"
    r"(?:(?P<word>[A-Za-z'\u2019]++)(?![\w@.#]|\ (?i:dot|underscore)\ )|(?P<colon>:))"
)


# A spaced dash, arrow or equals sign: how a label is often written instead of a colon
# (dashes of every width are "-" after normalisation). Glued ones join words
# ("telegram-only", "whatsapp-style").
_ARROW = rf"(?:-{{1,2}}|=>?|->|[{_ARROWS}])"
_LABEL = regex.compile(rf"\s+{_ARROW}\s*|\s*{_ARROW}\s+")

#: An owner right before a context word: "my gmail rahulk", "mera skype rahulk".
OWNER_BEFORE = regex.compile(r"(?i:\b(?:my|mera|meri|mere|his|her|our)\s+)\Z")


@quick_init
@dataclass(frozen=True, slots=True)
class Lead:
    """What stands between a context word and the token after it.

    ``words`` are the ordinary words skipped (lower-cased), ``marker`` the last of
    them (``":"`` for a colon), and ``sentence`` tells whether a sentence ended on
    the way ("send it on snapchat. omar_art"), which only an account-shaped id may
    cross.
    """

    words: tuple[str, ...] = ()
    marker: str = ""
    sentence: bool = False


def skip_fillers(text: str, pos: int, words: frozenset[str], limit: int = 5) -> tuple[int, Lead]:
    """Skip up to ``limit`` ordinary ``words`` (and colons) after a context word.

    Returns where the first non-filler token starts and what was skipped, so that
    "my gmail id is rahul.k" and "telegram: rahul_dev" both land on the id and
    know what introduced it.
    """
    skipped: list[str] = []
    marker = ""
    sentence = False
    for _ in range(limit):
        m = _FILLER.match(text, pos)
        if m is None:
            break
        if m.group("colon"):
            marker = ":"
        else:
            word = m.group("word").lower()
            if word not in words:
                break
            skipped.append(word)
            marker = word
        sentence = sentence or any(c in ".?!" for c in m.group("sep"))
        pos = m.end()
    start = pos
    while pos < len(text) and text[pos] in _SEPARATORS:
        sentence = sentence or text[pos] in ".?!"
        pos += 1
    if _LABEL.fullmatch(text, start, pos):
        marker = ":"  # "telegram - rahulx", "insta => rahulx": a label, written as a colon is
    return pos, Lead(tuple(skipped), marker, sentence)


class Claims:
    """Which characters of a text a detector has already reported, for overlap checks.

    One byte per character, so checking a span costs its length, not the number of
    earlier findings: a 10 KiB message with a thousand findings stays linear.
    """

    __slots__ = ("_marks",)

    def __init__(self, length: int) -> None:
        self._marks = bytearray(length)

    def free(self, start: int, end: int) -> bool:
        return self._marks.find(1, start, end) == -1

    def claim(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)

    def any(self) -> bool:
        return 1 in self._marks


class OwnAccount:
    """Ids presented as accounts on the platform itself, which are fine to share.

    "my WebPerHour username is farhan28", "also my WebPerHour username is oliver.dev":
    the brand (the first label of an allowed domain), then a naming word, in the
    clause before the id. The handle and URL detectors both ask.
    """

    def __init__(self, allowed_domains: tuple[str, ...]) -> None:
        names = {d.lower().lstrip(".").split(".")[0] for d in allowed_domains}
        self.names = frozenset(names)
        self._pattern = (
            regex.compile(
                r"(?i:\b(?:"
                + "|".join(map(regex.escape, sorted(names)))
                + r")\b[^,;:]{0,12}?\b(?:user\ ?name|user\ ?id|id|profile|account|handle)\b)"
            )
            if names
            else None
        )

    def introduces(self, text: str, start: int) -> bool:
        """Whether the clause before ``text[start]`` presents what follows as such an id."""
        if self._pattern is None:
            return False
        # The clause, but no more than a sentence's worth: a long text without
        # punctuation must not be scanned again for every id in it.
        since = max(0, start - 80)
        clause = max(text.rfind(c, since, start) for c in ".?!\n") + 1
        return self._pattern.search(text, max(since, clause), start) is not None
