"""Email addresses, plain and disguised.

Three shapes give an address away:

* ``local@domain.tld`` with the ``@`` and dots plain or written out:
  ``rahul [dot] k (at) gmail (dot) com``, ``rahul at the rate gmail.com``,
  ``rahulDOTk at gmailDOTcom``, ``r a h u l @ g m a i l . c o m`` (spaced letters
  are collapsed by :func:`~redaction.detectors.disguise.spaced_view`).
* ``local at provider`` without a TLD: ``rahul.k at gmail``, ``rahul (at) outlook``.
  The provider must be a webmail service, so "meet at google" stays prose.
* a local part next to a provider or mail word: ``my gmail id is rahul.k92``,
  ``rahul.k92 on gmail``, ``omar.f (hotmail)``. Only the local part is written, so
  the span is the local part alone.

A bare " at " is the weakest sign (``I'm at home``, ``look at this dot``), so with it
the domain must be a webmail provider or end with a curated TLD, and the local part
must not be an ordinary word. File names with an ``@`` (``icon@2x.png``), package
versions (``react@18.2.0``) and scp-style git remotes (``git@github.com:org/repo``,
a server login, not a person) are not addresses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

from redaction.detectors import platforms
from redaction.detectors.base import Candidate
from redaction.detectors.disguise import (
    AT_ABROAD,
    AT_STRONG,
    AT_WORD,
    BACKWARDS,
    DOT,
    DOT_ABROAD_GATE,
    DOT_WORDS_ABROAD,
    ENVELOPES,
    OWNER_BEFORE,
    SEPARATOR_WORDS,
    UNDERSCORE,
    Claims,
    TextView,
    is_obfuscated,
    literal_pattern,
    skip_fillers,
    spaced_view,
)
from redaction.types import Context, DetailType
from redaction.vocabulary import is_english_word

if TYPE_CHECKING:
    from redaction.config import RedactorConfig

# A glued "AT"/"DOT" in capitals ("li_weiAToutlookDOTcom") is a separator.
# Letters of any script: "josé", "tomás.garcía" (internationalised mailboxes exist,
# and an accent must not cut the local part short).
_LOCAL_WORD = r"(?:(?!(?:AT|DOT)[a-z])[\p{L}\p{N}_%+-]){1,64}+"
# Inside a local part, which an "@" must follow, "point" is a dot before any word:
# "zoya point mirza94 (at) gmail point com".
# A "+" written out tags an address ("ankit dot sharma plus wph at gmail dot com").
_LOCAL = (
    rf"{_LOCAL_WORD}(?:(?:{DOT}|{UNDERSCORE}|\ (?i:point|plus)\ ){_LOCAL_WORD}){{0,31}}"
)
# A domain's label, in any script ("müller-grafik.de"), its hyphens perhaps written out
# ("brightlane hyphen tech dot com").
_LABEL_PART = r"(?:(?!DOT[a-z0-9])[\p{L}\p{N}])(?:(?!DOT[a-z0-9])[\p{L}\p{N}-]){0,62}"
_LABEL = rf"{_LABEL_PART}(?:\ (?i:hyphen|dash)\ {_LABEL_PART}){{0,2}}"


def _alternation(words: frozenset[str]) -> str:
    # "g mail" must stay two words in a VERBOSE pattern: escape every entry.
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_PROVIDERS = _alternation(platforms.MAIL_PROVIDERS)
# "live" is a provider only right after an "@" ("sagarwal (at) live"): as a context
# word it is mostly English ("skype live:...", "we go live").
_CONTEXT_PROVIDERS = _alternation(platforms.MAIL_PROVIDERS - {"live"})

_ADDRESS_HEAD = rf"""
    (?<![\w%+.@/-])
    (?P<local>{_LOCAL})
    (?:(?P<plain>@)|(?P<strong>{AT_STRONG})|(?P<word>{AT_WORD}))
    """
# A provider spelled in two words may still carry its domain ("g mail dot com").
_PROVIDER_DOMAIN = (
    rf"(?P<provider>(?i:{_PROVIDERS}))"
    rf"(?:{DOT}(?i:com|net|in|co|me)(?:{DOT}(?i:in|uk))?)?(?![\w@]|\.\w)"
)
_ADDRESS = regex.compile(
    rf"""{_ADDRESS_HEAD}
    (?P<domain>
        (?P<label>{_LABEL})(?:{DOT}(?P<label>{_LABEL})){{1,4}}
      | {_PROVIDER_DOMAIN}
    )
    (?![\w@-])
    """,
    regex.VERBOSE,
)
# The provider reading alone, for when the domain reading of the same at was rejected:
# "rahul @ gmail dot 12345" has no TLD, yet "rahul @ gmail" gives the mailbox away. The
# empty "label" group keeps the groups of ``_ADDRESS``, so one judge reads both.
_PROVIDER_ADDRESS = regex.compile(
    rf"{_ADDRESS_HEAD}(?P<domain>(?P<label>(?!))?{_PROVIDER_DOMAIN})(?![\w@-])", regex.VERBOSE
)

# A token that could be the local part of an address, for the context rules.
_ID = r"[A-Za-z0-9](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9])){1,63}"
_ID_HERE = regex.compile(
    rf"""(?P<id>{_LOCAL})(?![\w@]|\.\w|\ ?(?:@|[\[\(\{{<](?i:at|@)|(?i:at|dot)\ ))""",
    regex.VERBOSE,
)
# "gmail: rahul.k", "my gmail id is rahul.k", "yahoo pe rahul.k".
# Stdlib ``re`` for these two: plain patterns scanned over the whole text, where it is
# several times faster than ``regex``.
_MAIL_WORD = re.compile(r"(?<![\w@.])(?i:e-?mail|mail|" + _CONTEXT_PROVIDERS + r")(?![\w@.])")
# The same words in lower-cased ASCII text (same offsets) as a trie led by their first
# letters, which lets ``re`` skip ahead between them: several times cheaper over a
# whole text. No word of the set passes the look-ahead where a longer one does, so
# the trie's longest-first order finds what the alternation finds.
_MAIL_WORD_LOW = re.compile(
    "(?:"
    + literal_pattern(
        platforms.MAIL_PROVIDERS - {"live"} | {"email", "e-mail", "mail"}, not_after=r"[\w@.]"
    )
    + r")(?![\w@.])"
)
# "rahul.k92 on gmail", "omar.f (hotmail)", "rahul.k92 - gmail": matched against the
# text that ends where the provider starts.
# The provider may carry its domain when the "@" is simply left out: "nehaw22 gmail.com".
# A provider may end its sentence ("kunalshah89 on gmail.") but not carry a host on.
_PROVIDER_TAIL = r"(?:\.[a-z]{2,3}(?:\.[a-z]{2})?)?\)?(?![\w@:]|\.\w)"
_PROVIDER_WORD = re.compile(r"(?<![\w@.])\(?(?i:" + _CONTEXT_PROVIDERS + ")" + _PROVIDER_TAIL)


def _provider_word_led() -> str:
    """``_PROVIDER_WORD`` for ASCII text, with every branch led by a literal.

    A "(" or a provider's first letter in either case (in ASCII text, all that
    ``(?i:)`` matches there), the look-behind checked behind it: ``re`` then jumps
    between those characters instead of trying the case-insensitive alternation at
    every position. At a given position one branch at most applies, and within it the
    providers keep their longest-first order.
    """
    words = platforms.MAIL_PROVIDERS - {"live"}
    branches = [r"\((?<![\w@.]\()(?i:" + _CONTEXT_PROVIDERS + ")" + _PROVIDER_TAIL]
    for first in sorted({word[0] for word in words}):
        rest = _alternation(frozenset(w[1:] for w in words if w[0] == first))
        for c in (first, first.upper()):
            branches.append(rf"{c}(?<![\w@.]{c})(?i:{rest}){_PROVIDER_TAIL}")
    return "|".join(branches)


_PROVIDER_WORD_ASCII = re.compile(_provider_word_led())
# Matched right to left (REVERSE) from the provider: it ends there, so one attempt
# settles it, where a forward search would try every word start in the window.
_BEFORE_PROVIDER = regex.compile(
    rf"(?<![\w@./-])(?P<id>{_ID})[\ \t]+(?:(?i:on|in|pe|par|-)[\ \t]+)?\(?\Z",
    regex.REVERSE,
)
_WRITTEN_DOT = regex.compile(DOT)
# A sending verb, then "to" and a mailbox-shaped id: a name, a dot, a name, digits.
_SENT_TO = regex.compile(
    r"(?i:\b(?:send|sent|mail|forward|fwd|email|e-mail|cc|share)\b[^.?!\n@]{0,40}?\bto\ )"
    r"(?P<id>[A-Za-z][A-Za-z0-9_]*+(?:\.[A-Za-z][A-Za-z0-9_]*+)+(?<=\d))(?![\w@.])"
)
_WRITTEN_ID = regex.compile(
    r"(?<![\w.@])[A-Za-z][A-Za-z0-9_]{1,30}+"
    r"(?:\ (?i:dot)\ |\ ?[\[\(\{<](?i:dot)[\]\)\}>]\ ?)"
    r"[A-Za-z]{3}[A-Za-z_]*+\d[A-Za-z0-9_]*+(?![\w@.]|\ ?(?:@|[\[\(\{<](?i:at)|(?i:at|dot)\ ))"
)
_FILLERS = platforms.COMMON_WORDS | {"address", "account", "username"}
# The marker of an id read right before a provider ("nandinih on gmail").
_PROVIDER_NEXT = "provider next"
_AT_PARTS = SEPARATOR_WORDS | {"underscore"}
# Providers that are also English words ("the outlook is positive").
_WORDLIKE_PROVIDERS = frozenset({"outlook"})
# A message that is only the domain half of a split address ("@gmail.com",
# "at the rate gmail (dot) com"): a fragment the window may complete.
_DOMAIN_FRAGMENT = regex.compile(
    rf"""^\s*(?:@\ ?|{AT_STRONG}|(?i:at)\ )\s*
    (?:(?P<label>{_LABEL})(?:{DOT}(?P<label>{_LABEL})){{1,4}}|(?P<provider>(?i:{_PROVIDERS})))
    \s*$""",
    regex.VERBOSE,
)
# Gates on a lower-cased copy (stdlib ``re``, literal alternations: cheap): an "@"
# or a written one for the address pattern, a mail word for the context rules.
# Every branch starts with a literal (the look-behind of a bare "at" comes after its
# "a"), so the engine jumps between candidate characters instead of trying each.
_AT_GATE = re.compile(
    rf"a(?<![a-z]a)t(?![a-z])|at ?(?:the|d) ?rate|-at-|{AT_ABROAD}"
    r"|[\[\(\{<] ?at? ?[\]\)\}>]"
    rf"|[{ENVELOPES}]"
)
_AT_ABROAD_GATE = re.compile(AT_ABROAD)
_GLUED_AT = re.compile(r"[a-z0-9_]AT[a-z]")
# An address typed as one word, its at and dot written out: "rkumar86attherategmaildotcom".
_GLUED_WRITTEN = regex.compile(
    r"(?<![\w@.])[A-Za-z0-9][A-Za-z0-9._]{1,40}?(?i:at\ ?the\ ?rate|atherate)"
    rf"(?i:{_PROVIDERS})"
    r"(?i:dot(?:co)?(?:com|in|net)|\.(?:com|in|net|co\.in))?(?!\w)"
)
# Where an "@" may be written, and how far an address reaches around it.
# Turks and Indonesians say "et" for the at: a substring test first, since an "e" is in
# every other word.
_ET = " et "
_ET_SPOT = re.compile(_ET)
_AT_SPOT = re.compile("@|" + _AT_GATE.pattern)
_REACH_BEFORE, _REACH_AFTER, _FIRST_DOT = 160, 240, 100
# In lower-cased ASCII text: a stretch of the characters a local part is made of (see
# ``_address_starts``), and the characters a local part may start at (``_ADDRESS``'s
# first class and look-behind). Both led by a set: ``re`` skips ahead between them.
_LOCAL_CHAR = r"[a-z0-9_%+\-.\[\](){}<>]"
_LOCAL_SEPARATOR_WORDS = (
    "dot", "point", "underscore", "guion", "bajo", *(w for w in DOT_WORDS_ABROAD if w.isascii())
)
_LOCAL_STRETCH = re.compile(
    rf"{_LOCAL_CHAR}(?:{_LOCAL_CHAR}"
    rf"|\ (?=[\[({{<\])}}>.\ ]|{'|'.join(_LOCAL_SEPARATOR_WORDS)})"
    r"|(?<=[\[({<\])}>.\ ])\ |" + "|".join(rf"(?<={w})\ " for w in _LOCAL_SEPARATOR_WORDS) + ")*"
)
_BRACKETED_A = re.compile(r"[\[\(\{<] ?a ?[\]\)\}>]")  # "tarun(a)zoho.com"
_LOCAL_START = re.compile(r"[a-z0-9_%+-](?<![a-z0-9_%+.@/-][a-z0-9_%+-])")
# How far past a stretch an at may end: "\ ?[\[\(\{<]\ ?" before "at", or "chiocciola".
_AT_AFTER_STRETCH = 14
_SPACE = re.compile(r"\s|\Z")
_BRACKET = re.compile(r"[\[\(\{<]")
# A dot that could join two labels (see ``disguise.DOT``): "x.y", "x [.] y", "x . y".
# Led by one set of first characters, each branch checked back from there.
_DOT_GATE = re.compile(
    r"[.\ \[\(\{<。]"
    r"(?:(?<=\.)[A-Za-z0-9\]\)\}>]|(?<=\ )\.\ ?[A-Za-z0-9]|(?<=[\[\(\{<])\ ?\.|(?<=。))"
)
_MAIL_WORDS = platforms.MAIL_PROVIDERS | {"mail"}
_MAIL_GATE = re.compile(literal_pattern(_MAIL_WORDS))
# The same test over a whole text as substring checks: the words that hold none of
# the others ("gmail" holds "mail"), each found by a fast scan for a literal.
_MAIL_CORES = tuple(
    sorted(w for w in _MAIL_WORDS if not any(o != w and o in w for o in _MAIL_WORDS))
)
_ID_MARKERS = frozenset({"id", ":", "username", "address", "account"})
# A name right before a local part of one or two characters ("ananya k @ …").
_NAME_BEFORE = re.compile(r"(?<![\w.@])([A-Za-z]{3,32})\ \Z")
# A possessive or article right before a word makes it a noun ("my work", "our team").
_OWNER_WORD = re.compile(r"\b(?i:my|our|your|the|his|her|their|this)\ \Z")
_FILE_EXTS = platforms.FILE_EXTENSIONS
_APOSTROPHES = ("'", "\u2019")


class EmailDetector:
    """Finds email addresses, written plainly, disguised, or as a bare local part."""

    name = "email"

    def __init__(self, config: RedactorConfig) -> None:
        self._config = config

    def detect(self, text: str, context: Context) -> Iterator[Candidate]:
        # Every shape needs a domain (so a dot, plain or written) or a provider: most
        # messages have neither, and then even their " at " needs no closer look. The
        # letter-by-letter runs are read collapsed: "@ g m a i l" names a provider too.
        gates = _gates(text)
        if gates is None and spaced_view(text).source is None:
            return
        view = spaced_view(text)
        if view.source is not None:
            gates = _gates(view.text)
            if gates is None:
                return
        low, has_mail_word, has_written_dot = gates
        text = view.text
        has_at = (
            "@" in text
            or _AT_GATE.search(low) is not None
            or _ET in low
            or _GLUED_AT.search(text)
        )
        found = Claims(len(view.text))
        pos = 0
        regions = _at_regions(view.text) if has_at else ()
        starts = _address_starts(view.text) if regions and view.text.isascii() else None
        for low_bound, high_bound in regions:
            pos = max(pos, low_bound)
            while (m := _find_address(view.text, pos, high_bound, starts)) is not None:
                candidate = self._address(view, m)
                if candidate is None and m.group("provider") is None:
                    m = _PROVIDER_ADDRESS.match(view.text, m.start(), high_bound) or m
                    candidate = self._address(view, m) if m.group("provider") else None
                if candidate is not None:
                    found.claim(m.start(), m.end())
                    yield candidate
                    pos = m.end()
                else:
                    # A rejected reading ("me at daniel DOT kim") must not hide the
                    # address that starts inside it ("daniel DOT kim at ... outlook").
                    pos = m.start() + len(m.group("local").split(None, 1)[0])
        if has_mail_word:
            yield from self._local_parts(view, found)
        if has_written_dot:
            yield from self._written_ids(view, found)
        if " to " in low:
            yield from self._sent_to(view, found)
        if "@" in text and BACKWARDS.search(low) is not None:
            yield from self._reversed(view, found)
        if "rate" in low:
            for glued in _GLUED_WRITTEN.finditer(view.text):
                if found.free(*glued.span()):
                    yield _candidate(view, *glued.span(), "email.address", 0.9, True)
        if not found.any() and has_at and _DOMAIN_FRAGMENT.match(view.text) is not None:
            start = len(view.text) - len(view.text.lstrip())
            end = len(view.text.rstrip())
            yield _candidate(view, start, end, "email.fragment", 0.3, False)

    @staticmethod
    def _reversed(view: TextView, taken: Claims) -> Iterator[Candidate]:
        """ "read it backwards: moc.liamg@ranmit.arat": an address typed backwards, and
        told so, at a webmail provider."""
        for m in _REVERSED_ADDRESS.finditer(view.text):
            provider = m.group("provider")[::-1].lower()
            if provider in platforms.MAIL_PROVIDERS and taken.free(*m.span()):
                taken.claim(*m.span())
                yield _candidate(view, m.start(), m.end(), "email.reversed", 0.85, True)

    def _address(self, view: TextView, m: regex.Match[str]) -> Candidate | None:
        text = view.text
        local = m.group("local")
        labels = m.captures("label")
        provider = m.group("provider")
        if provider is None and ".".join(labels).lower() in platforms.PLACEHOLDER_DOMAINS:
            return None  # "name@example.com" in a template
        if m.group("plain") is not None and provider is None:
            if not _plain_domain_ok(labels) or text.startswith(":", m.end()):
                return None  # icon@2x.png, react@18.2.0, git@github.com:org/repo
        elif provider is None and labels[-1].lower() not in platforms.TLDS:
            return None
        lower_local = _WRITTEN_DOT.sub(".", local).lower()
        if m.group("word") is not None and text[m.start() - 1 : m.start()] in _APOSTROPHES:
            return None  # "I'm at priya dot in": a contraction, not a local part
        if m.group("word") is not None and not _word_at_ok(
            lower_local, labels, provider, is_obfuscated(m.group("domain"))
        ):
            return None  # "I'm at home", "demo is live at kavya.framer.website"
        if m.group("word") is not None and _AT_NEXT.match(text, m.end()) is not None:
            return None  # "a mail at usman.art at gmail dot com": the local part is next
        if (
            m.group("word") is not None
            and lower_local in platforms.ROLE_ACCOUNTS
            and _OWNER_WORD.search(text, max(0, m.start() - 8), m.start()) is not None
        ):
            return None  # "view my work at site(.)com": a noun, then a link
        webmail = provider is not None or labels[0].lower() in platforms.MAIL_PROVIDERS
        if _at_sign_after_word(m.group("strong"), lower_local, webmail):
            return None  # "insta @rohit.tech" is a handle, "me @ gmail.com" no address
        disguised = m.group("plain") is None or provider is not None or is_obfuscated(m.group(0))
        score = 0.95 if not disguised else (0.9 if provider is None else 0.85)
        rule = "email.address" if provider is None else "email.provider"
        start = m.start()
        if (len(local) <= 2 or local.isdigit()) and m.group("plain") is None:
            # "ananya k @ gmail . com": a name, then its initial, then a spaced at;
            # "rahul verma 1990 at gmail": a name, then its digits.
            for _ in range(2 if local.isdigit() else 1):
                name = _NAME_BEFORE.search(text, max(0, start - 33), start)
                word = name.group(1).lower() if name is not None else ""
                if not word or word in platforms.COMMON_WORDS or word in platforms.MAIL_WORDS:
                    break
                start = name.start(1)
        return _candidate(view, start, m.end(), rule, score, disguised)

    @staticmethod
    def _written_ids(view: TextView, taken: Claims) -> Iterator[Candidate]:
        """ "farhan dot qureshi00": a name with a spelled-out dot and digits is a local
        part whose domain comes in the next message (nobody spells a dot in prose
        before a word with digits in it)."""
        for m in _WRITTEN_ID.finditer(view.text):
            start, end = m.span()
            first = m.group().split(None, 1)[0].split("[", 1)[0].split("(", 1)[0].lower()
            if first in platforms.COMMON_WORDS or not taken.free(start, end):
                continue  # "look at this dot v2"
            taken.claim(start, end)
            yield _candidate(view, start, end, "email.written_local_part", 0.6, True)

    @staticmethod
    def _sent_to(view: TextView, taken: Claims) -> Iterator[Candidate]:
        """ "send the refund confirmation to bhavna.rawat96": something sent to an id
        shaped like a mailbox (name, dot, name, digits) names an address even without a
        mail word. Narrow on purpose: platform user names ("send it to rahul_k",
        "assign it to oliver.dev") lack the verb or the shape, and file names and
        versions are excluded by it."""
        for m in _SENT_TO.finditer(view.text):
            start, end = m.span("id")
            last = m.group("id").rsplit(".", 1)[-1].lower()
            if last in _FILE_EXTS or last in platforms.TLDS or not taken.free(start, end):
                continue
            if _ends_clause(view.text, end):
                taken.claim(start, end)
                yield _candidate(view, start, end, "email.sent_to", 0.6, True)

    def _local_parts(self, view: TextView, taken: Claims) -> Iterator[Candidate]:
        """Local parts given with a provider or mail word instead of a domain."""
        text = view.text
        for start, end, marker, provider, stop in _ids_near_mail_words(text, taken):
            if not taken.free(start, end):
                continue
            ident = _WRITTEN_DOT.sub(".", text[start:end])
            if not _looks_like_local_part(ident, marker, _ends_clause(text, end), provider):
                continue
            end = stop or end
            taken.claim(start, end)
            # Above a bare domain's 0.8: "kiran.dev on gmail" is a mailbox, not a site.
            score = (0.85 if provider else 0.8) if _strong_shape(ident) else 0.65
            yield _candidate(view, start, end, "email.local_part", score, True)


def _ids_near_mail_words(
    text: str, taken: Claims
) -> Iterator[tuple[int, int, str, bool, int | None]]:
    """``(start, end, marker, provider named, end of a written domain)`` of ids next to a
    mail word or provider that is not itself part of an address found already (whose
    local part is then found too: no need to look around it again)."""
    # The id before a provider first: "email? jatin.b gmail.com" is one written address.
    for m in (_PROVIDER_WORD_ASCII if text.isascii() else _PROVIDER_WORD).finditer(text):
        if not taken.free(m.start(), m.end()):
            continue
        before = _BEFORE_PROVIDER.search(text, max(0, m.start() - 72), m.start())
        if before is not None:
            yield before.start("id"), before.end("id"), _PROVIDER_NEXT, True, _written_domain_end(m)
    words = _MAIL_WORD_LOW.finditer(text.lower()) if text.isascii() else _MAIL_WORD.finditer(text)
    for m in words:
        if not taken.free(m.start(), m.end()):
            continue
        pos, lead = skip_fillers(text, m.end(), _FILLERS)
        if text.startswith(",", m.end()) and text[: m.start()].rstrip().endswith(("(", ",")):
            continue  # "(email, created_at)": a list of names, not a mailbox after its word
        ident = _ID_HERE.match(text, pos)
        if ident is not None and not (lead.sentence and not _strong_shape(ident.group())):
            word = m.group().lower()
            provider = word in platforms.MAIL_PROVIDERS
            marker = lead.marker
            if marker == "is" and any(w in _ID_MARKERS for w in lead.words):
                marker = "id"  # "my icloud id is sghosh": the id named, then given
            elif provider and marker in ("pe", "par"):
                marker = "id"  # "yahoo pe akulkarni": the mailbox on that provider
            if word in _WORDLIKE_PROVIDERS and "id" not in lead.words:
                marker = ""  # "outlook: positive" is no mailbox; "outlook id: areyes" is
            if (
                provider
                and not marker
                and OWNER_BEFORE.search(text, max(0, m.start() - 8), m.start())
            ):
                marker = "id"  # "mera outlook ythakur hai", not "my email bounced"
            yield ident.start(), ident.end(), marker, provider, None


def _at_regions(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around its ``@``s and written ones, merged, in order.

    Only there can an address be: a local part of at most ``_REACH_BEFORE`` characters
    before the at, a domain of at most ``_REACH_AFTER`` (then to the end of that word)
    after it. The address pattern is tried at every word start it is given, so a long
    text with one address costs a few hundred characters of it, not all of them.
    """
    low = text.lower()
    spots = [m.start() for m in _AT_SPOT.finditer(low)]
    if _ET in low:
        spots += [m.start() + 1 for m in _ET_SPOT.finditer(low)]
    spots += [m.start() for m in _GLUED_AT.finditer(text)]
    regions: list[tuple[int, int]] = []
    for spot in sorted(spots):
        # The domain's first dot (plain or written), or a provider, comes soon after
        # the at: "at 5 pm", "look at this" start no region.
        soon = spot + _FIRST_DOT
        if not (
            _DOT_GATE.search(text, spot, soon)
            or "dot" in low[spot:soon]
            or " point " in low[spot:soon]
            or DOT_ABROAD_GATE.search(low, spot, soon)
            or _MAIL_GATE.search(low, spot, soon)
        ):
            continue
        start = max(0, spot - _REACH_BEFORE)
        end = _SPACE.search(text, min(len(text), spot + _REACH_AFTER))
        end = len(text) if end is None else end.start()
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], end))
        else:
            regions.append((start, end))
    return regions


def _address_starts(text: str) -> list[int]:
    """Where in ASCII ``text`` an address may start, in order: for ``_find_address``.

    A local part is made of its own characters and of written separators, whose
    spaces all touch a bracket, a dot, another space or the word "dot", "point" or
    "underscore" (``DOT``, ``UNDERSCORE``): a stretch of such characters
    (``_LOCAL_STRETCH``) holds every local part, and an at, plain or written, starts
    right after the local part, so an "@", "at" or "arroba" (or another language's at)
    follows within a few
    characters. Only the word starts of stretches with one are kept: in prose, a word
    or two before each at instead of every position before it.
    """
    low = text.lower()
    starts: list[int] = []
    for stretch in _LOCAL_STRETCH.finditer(low):
        start, end = stretch.span()
        # The at starts at most at the stretch's end (a space, bracket or dash first).
        near = low[start + 1 : end + _AT_AFTER_STRETCH]
        if (
            "@" in near
            or "at" in near
            or "et" in near  # Turkish and Indonesian
            or _BRACKETED_A.search(near)
            or _AT_ABROAD_GATE.search(near)
        ):
            starts.extend(m.start() for m in _LOCAL_START.finditer(low, start, end))
    return starts


def _find_address(
    text: str, pos: int, end: int, starts: list[int] | None
) -> regex.Match[str] | None:
    """``_ADDRESS.search(text, pos, end)``, tried only at ``starts`` when given: where
    else it would try, no address can start."""
    if starts is None:
        return _ADDRESS.search(text, pos, end)
    i = bisect_left(starts, pos)  # by index: no copy of the rest, once per call
    while i < len(starts) and starts[i] < end:
        m = _ADDRESS.match(text, starts[i], end)
        if m is not None:
            return m
        i += 1
    return None


def _written_domain_end(m: re.Match[str]) -> int | None:
    """Where a provider written with its domain ends ("nehaw22 gmail.com"), else None.

    The address is then written out, only its ``@`` left out: the span runs to the end
    of the domain, as it does for an address with a written-out ``@``.
    """
    word = m.group()
    return m.end() if "." in word and not word.startswith("(") else None


def _candidate(
    view: TextView, start: int, end: int, rule: str, score: float, disguised: bool
) -> Candidate:
    disguises = {"obfuscated"} if disguised else set()
    if view.spaced(start, end):
        disguises.add("spaced")
    s, e = view.to_source(start, end)
    return Candidate(s, e, DetailType.EMAIL, rule, score, frozenset(disguises))


def _gates(text: str) -> tuple[str, bool, bool] | None:
    """``text`` lower-cased, whether it names a mail provider and whether it writes a dot
    out; ``None`` when it has neither a dot (plain or written) nor a provider."""
    low = text.lower()
    has_mail_word = any(map(low.__contains__, _MAIL_CORES))
    has_written_dot = "dot" in low
    if not (has_mail_word or has_written_dot or _DOT_GATE.search(text)):
        return None
    return low, has_mail_word, has_written_dot


def _plain_domain_ok(labels: list[str]) -> bool:
    tld = labels[-1].lower()
    if not any(c.isalpha() for c in tld) or not 2 <= len(tld) <= 24:
        return False  # react@18.2.0
    if tld in _FILE_EXTS and tld not in platforms.TLDS:
        return False  # icon@2x.png
    if tld.isalpha():
        # Any two-letter country code, or a curated generic TLD: the core may glue
        # "...netlify.app" to "@pytest.fixture" across messages, and that is no address.
        return len(tld) == 2 or tld in platforms.TLDS
    return len(tld) <= 4  # leet TLDs: gmail.c0m


def _at_sign_after_word(strong: str | None, local: str, webmail: bool) -> bool:
    """Whether a spaced "@" follows a word that makes it no address separator.

    "insta @rohit.tech" names a handle and "me @ gmail.com" / "hi @ gmail.com" are
    talk about a provider, but a role mailbox on its own domain stays one ("work @
    acme.com": role mailboxes live on company domains), and an "@" in brackets
    ("hello(@)acme(dot)com", "contact [@] acme dot co") is a deliberate disguise
    whatever the word before it.
    """
    if strong is None or "@" not in strong or _BRACKET.search(strong) is not None:
        return False
    role = local in platforms.ROLE_ACCOUNTS and not webmail
    return (local in platforms.COMMON_WORDS and not role) or local in platforms.PLATFORM_NAMES


# An address typed backwards: its TLD first ("moc.", "ni.oc."), then its provider.
_REVERSED_ADDRESS = regex.compile(
    r"(?<![\w.@])[a-z]{2,6}+(?:\.[a-z]{2,3})?\.(?P<provider>[a-z-]{2,20}+)@[\w.%+-]{1,64}+(?![\w@])",
    regex.IGNORECASE,
)
# Another at right after a domain read after a bare " at ": that "domain" is the local
# part of the address that follows.
_AT_NEXT = regex.compile(r"\ ?(?:@|\ (?i:at)\ |[\[\(\{]\ ?(?i:at)\ ?[\]\)\}])")


def _word_at_ok(local: str, labels: list[str], provider: str | None, written: bool) -> bool:
    """Whether "local at domain" (a bare " at ") reads as an address, not prose.

    With a webmail provider ("sneha at gmail.com", "rahul.k at yahoo") or a domain
    with written-out dots ("tarun at acme dot io": a disguise) any local part that
    is not an ordinary word will do. With a plainly written other domain the local
    part must look like an account or a role mailbox ("work at acme.com"), since
    "the demo is hosted at kavya.netlify.app" is a link.
    """
    if provider is not None and provider.lower() == "live":
        return _strong_shape(local)  # "sipho_dlamini at live", not "we go at live"
    if local in platforms.MAIL_FOLDERS:
        return False
    ordinary = local in platforms.COMMON_WORDS and local not in platforms.ROLE_ACCOUNTS
    if provider is not None or written or labels[0].lower() in platforms.MAIL_PROVIDERS:
        return not ordinary
    return _strong_shape(local) or local in platforms.ROLE_ACCOUNTS


def _strong_shape(ident: str) -> bool:
    """Digits, ``_`` or an inner dot: shaped like an account name, not a word."""
    return any(c.isalpha() for c in ident) and any(c.isdigit() or c in "._" for c in ident)


def _ends_clause(text: str, end: int) -> bool:
    """Whether a token is the last of its clause ("mail id siyer", "... siyer hai")."""
    rest = text[end : end + 12].lstrip(" \t")
    if not rest or rest[0] in ".,;:!?)(\n":
        return True
    return rest.split(None, 1)[0].lower().rstrip(".,!?") in platforms.CLAUSE_ENDINGS


def _looks_like_local_part(ident: str, marker: str, last_in_clause: bool, provider: bool) -> bool:
    lower = ident.lower()
    if lower in _FILLERS or lower in platforms.MAIL_PROVIDERS or lower in _AT_PARTS:
        return False
    if not any(c.isalpha() for c in ident):
        return False  # a phone number after "mail or call"
    last = lower.rsplit(".", 1)[-1] if "." in lower else ""
    if last in _FILE_EXTS or (last in platforms.TLDS and not provider):
        return False  # a file name, or a domain unless a webmail provider is named
    if _strong_shape(ident):
        return len(ident) >= 3
    coined = len(ident) >= 5 and not is_english_word(ident)
    if marker == _PROVIDER_NEXT:
        return coined  # "nandinih on gmail": a name no one uses as a word, then its host
    # A bare word counts only right after an id marker, or when it is a coined name
    # ("my email cmartin"), and at the end of its clause: "hotmail id: siyer", "mail id
    # siddharthr", never "my gmail is full", "email me the file" or "mail id note karo".
    return (marker in _ID_MARKERS or coined) and last_in_clause and len(ident) >= 4
