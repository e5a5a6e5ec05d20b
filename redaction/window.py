"""The split-message window: a detail typed across several messages of one sender.

A sender who was masked once retries by spreading the detail over messages:
``98765`` | ``43210``, ``rahul.sharma92`` | ``@gmail.com``, ``t.me/`` | ``rahul_dev``.
No message is a detail on its own, so the engine remembers, per (conversation,
sender), the last few messages and joins the recent *fragment-like* ones with the
current one before running the detectors again.

Guards against false positives, because a wrong join masks a budget in front of a
client: only messages of the same sender are joined, only short fragment-like
messages (a digit group or number words with few other words, a dangling ``t.me/``
or ``live:``, an ``@domain``, an id-looking token, a platform mention), never
ordinary prose, and a joined detail only counts when it crosses into the current
message and covers text that no single message yielded on its own.

Memory is bounded: at most ``window_messages`` entries per sender, entries older
than ``window_seconds`` are dropped, and at most ``window_conversations`` senders are
kept (least recently used first out). Only fragment-like messages keep their text.

Where the entries live is the caller's choice: :class:`SplitWindow` keeps them in the
process, and anything implementing :class:`WindowStore` may keep them elsewhere (the
gateway shares one in Redis between its processes). An external store saves entries
with :func:`entry_to_data` and reads them back with :func:`entry_from_data`: plain
JSON-ready values, so no pickle ever crosses a process boundary.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, deque
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, NamedTuple, Protocol

from redaction.config import RedactorConfig
from redaction.detectors.disguise import (
    AT_ABROAD,
    AT_WORDS_ABROAD,
    DOT_ABROAD,
    DOT_WORDS_ABROAD,
    SEPARATOR_WORDS,
    as_read,
)
from redaction.detectors.platforms import COMMON_WORDS, MAIL_PROVIDERS, TLDS
from redaction.normalize import NormalisedText, normalise
from redaction.numwords import ALL_WORDS, STRONG, decode_words
from redaction.types import DetailType, Finding, Piece, quick_init
from redaction.vocabulary import is_english_word

#: Longest message (characters, tokens) still read as a fragment of something longer.
MAX_FRAGMENT_CHARS = 100
MAX_FRAGMENT_TOKENS = 20
#: Digits a number piece needs to be taken out of a sentence of prose.
MIN_GROUP_DIGITS = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words around a piece that do not make a message prose: "last part 50015",
# "mera no 68994", "aur 350", "9 8 2 6 <- rest of it". A written "underscore" joins
# the words of an id ("aditya underscore  underscore kulkarni") and is no prose either.
_FILLERS = COMMON_WORDS | _words(
    "no no. num cell mob mobile whatsapp wa first next last part rest remaining digits"
    " half baaki aur phir then and underscore"
)
# Words that make a digit group a quantity, price, date or id, not a phone piece
# (the months but "may", which is mostly a verb).
_NUMERIC_CONTEXT = _words(
    """
    budget price cost rs inr usd eur $ ₹ k lakh lac crore order invoice ticket txn utr ref
    pin pincode zip otp year years version page pages day days hour hours hrs min mins minutes
    week weeks month months am pm percent % qty pcs items words slides screens
    din ghanta ghante ghanton hafta hafte mahina mahine saal baje sec secs second seconds
    jan january feb february mar march apr april jun june jul july aug august sep sept
    september oct october nov november dec december
    """
)
# Messaging apps and contact words: a message naming one gives context to the next.
_PLATFORM_WORDS = _words(
    """
    telegram tg whatsapp watsapp whtsapp wa skype insta instagram ig snapchat snap signal
    wechat discord linkedin facebook fb twitter gmail mail email e-mail site website
    portfolio link handle username
    """
)
# The written at and dot: "at the rate" | "outlook" is no name cut mid-word.
_SEPARATOR_WORDS = SEPARATOR_WORDS | {"point"}
# Words that end a thought rather than start a name.
_CLOSED_WORDS = (
    COMMON_WORDS | ALL_WORDS | _FILLERS | _NUMERIC_CONTEXT | _PLATFORM_WORDS | _SEPARATOR_WORDS
)
_TOKEN = re.compile(r"\S\S*")  # led by a set: a fast scan
# The last word of a message that may continue in the next: a name-like token.
_OPEN_END = re.compile(r"[a-z0-9._-]*[a-z][a-z0-9_-]*")
_SHORT_DATE = re.compile(r"[0-3]?\d/[01]?\d(?:/(?:\d{2}|\d{4}))?")
_NUMBER = re.compile(r"\+?[^a-z]*\d[^a-z]*")  # digits, no letters: "+91", "98-76"
_PUNCT = "!?,;:\"'()[]{}<>"
_ID_LIKE = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
_LEAD = re.compile(
    r"(?:@|\.[a-z]|[\[\(\{]?at[\]\)\}]?\s|[\[\(\{]?dot[\]\)\}]?\s"
    rf"|(?:{AT_ABROAD}|{DOT_ABROAD})\s)"  # "mi correo: diego.hdz" | "arroba hotmail punto com"
)
# The characters a match of ``_LEAD`` starts with.
_LEAD_STARTS = frozenset("@.[({ad").union(
    word[0] for word in as_read(AT_WORDS_ABROAD + DOT_WORDS_ABROAD)
)
# A link whose path ends in a slash, the id to come: "drive.google.com/file/d/",
# "https://www.loom.com/share/".
_OPEN_PATH = r"(?:[a-z0-9-]+\.)+[a-z]{2,}/(?:[a-z0-9_.~%-]+/)+"
_OPEN_LINK = re.compile(rf"(?:https?://)?{_OPEN_PATH}")
_DANGLING = re.compile(
    r"(?:[a-z0-9-]+\.[a-z]{2,}/|live:(?:\.cid\.)?|wa\.me/\+?[0-9]{1,4}|phone=\+?[0-9]{1,4}"
    rf"|{_OPEN_PATH})$"
)
# A profile's slug: words joined by hyphens, three at least ("kiran-sathyanarayan-devops";
# not "follow-up").
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+){2,6}")
# The id that completes it, maybe with a path of its own: "1Qw8ZtR3vN0pLk5s/view".
_LINK_ID = re.compile(r"[a-z0-9_-]{8,}(?:/[a-z0-9_\-./?=&%]*)?")
_LONE_SEPARATORS = frozenset("._-@/")
_DISCORD_TAG = re.compile(r"#[0-9]{4}")
# A link whose path ends in an id with a digit, and the rest of a path.
_CUT_LINK = re.compile(r"(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/[^\s]*[0-9][a-z0-9_-]*")
_PATH_PIECE = re.compile(r"/[a-z0-9_\-./?=&%]+")
# A link's host written out, with its slash: "t dot me slash".
_WRITTEN_PREFIX = re.compile(
    r"(?:^|\s)((?P<name>[a-z0-9-]+) (?:dot|\.) (?P<tld>[a-z]{2,6}) (?:slash|/))$"
)
# A TLD and a path: "in/work".
_TLD_PATH = re.compile(r"[a-z]{2,6}/[^\s]*")
# A time of day, no id however it mixes digits and letters ("back @ 9pm").
_TIME = re.compile(r"\d{1,2}(?:[:.]\d{2})?(?:am|pm|hrs|hr)")
_HANDLE_PREFIXES = ("t.me/", "telegram.me/", "wa.me/", "m.me/", "fb.me/", "live:", "discord.gg/")
# What a plain word is to ``classify``, in one lookup (a later set wins, in the order
# its checks run): a number word (strong or everyday), numeric context, a platform, a
# filler. Any other word counts against the message being a fragment.
_KIND_FILLER, _KIND_PLATFORM, _KIND_CONTEXT, _KIND_NUMBER, _KIND_STRONG = range(5)
_WORD_KINDS = {
    **dict.fromkeys(_FILLERS, _KIND_FILLER),
    **dict.fromkeys(_PLATFORM_WORDS, _KIND_PLATFORM),
    **dict.fromkeys(_NUMERIC_CONTEXT, _KIND_CONTEXT),
    **dict.fromkeys(ALL_WORDS, _KIND_NUMBER),
    **dict.fromkeys(STRONG, _KIND_STRONG),
}
# The same for a token as it stands: only plain words, since "no." or "e-mail" are
# read after stripping, or not as words at all.
_TOKEN_KINDS = {word: kind for word, kind in _WORD_KINDS.items() if word.isalpha()}


class Fragment(NamedTuple):
    """How a short message could be a piece of a longer detail.

    A named tuple rather than a frozen dataclass: every second message is classified
    as one, and a tuple is built several times faster (it is just as immutable).

    ``kind`` is ``"piece"`` (digits, number words, a dangling prefix, an ``@domain``,
    an id-looking token), ``"word"`` (a short message ending in a name-like word, or
    one everyday word: a piece only right before another, ``kara`` | ``nmehta73``) or
    ``"context"`` (names a platform, no detail).
    ``lead`` says the message continues the previous one (``@gmail.com``, ``.in``,
    ``at gmail``, ``dot com``); ``glue`` that it does so without a space (``@``,
    ``.``); ``trail`` that it ends with a connector (``t.me/``, ``live:``, ``rahul@``)
    the next piece continues without a space.
    ``common`` marks a bare everyday word (``work``, ``ka``): it only joins right before
    an ``@domain``. ``open_end`` says the message ends in an unfinished-looking name
    (``pooj``, ``imran_``, ``nehajoshi``) that a bare piece may continue without a space.
    ``core`` is the normalised span a join uses; ``suspect`` the normalised span and
    type worth reporting on its own.
    """

    kind: str
    core: tuple[int, int]
    bare: bool
    lead: bool
    trail: bool
    suspect: tuple[int, int, DetailType] | None = None
    common: bool = False
    glue: bool = False
    open_end: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class Entry:
    """A message remembered by the window; ``norm`` is kept for fragments only."""

    message_id: str
    timestamp: float
    fragment: Fragment | None
    norm: NormalisedText | None
    findings: tuple[Finding, ...] = ()


# A message's first clause, or its last: "0192. Texts are fine after 6pm", "call kar
# lo, 9O8l2", "my cell, in pieces since the chat eats it: +1 (415)". A clause ends at
# punctuation glued to its last word, not at a spaced-out dot ("v e r c e l . a p p"),
# nor at a comma after digits ("by Apr 12, 2025").
_CLAUSE_BREAK = re.compile(r"[^\s.!?:,…][.!?:,…]\s")
# The first clause, ended by punctuation or a spaced dash ("18823 — split it so it doesn't
# get blocked": normalised, every dash is "-").
_FIRST_CLAUSE = re.compile(r"[^.!?:,…]*?[^\s.!?:,…](?:[.!?,…]+|\ -)(?=\s)")
_CLAUSE_MARK = re.compile(r"[.!?:,…]")
# The first group of a number ending a message, after a country code, a verb asking to
# be called or to note it down, or a phone word and a colon ("… handles TDS, ping her at
# 98113" | "20467"): the rest follows in the next messages.
_NUMBER_TAIL = re.compile(
    r"(?:(?<![\w+])(?=\+)|\b(?i:call|ping|text|whatsapp|dial|reach)"
    r"(?:\ (?i:me|her|him|us|them))?\ (?i:at|on)\ (?=[0-9])"
    # "mera number note karo 90046" | "ji?" | "18395", "… my no. is 97640" | "18823"
    r"|\b(?i:note\ ?(?:karo|kar\ lo|kr\ lo|kro|kar\ lijiye)|likh\ ?(?:o|lo|lijiye)"
    r"|(?:no\.?|number|num)\ (?:is|hai))\ (?=[0-9])"
    # "koi issue ho toh call: 73" | "05 62" | "9184": however few its digits
    r"|\b(?i:call|number|no|num|phone|mobile|whatsapp|wa|contact):\ *(?=[0-9]))"
    r"(?P<number>\+?[0-9]{1,5}(?:[ .-]?[0-9]{1,4})?)\s*\Z"
)
# A mail word naming what ends the message: "my work mail is wanjiru".
_MAILBOX_TAIL = re.compile(
    r"\b(?i:e-?mail|mail)(?:\ (?i:id))?(?:\ (?i:is|hai)|:)\ +([A-Za-z][A-Za-z0-9._]{1,40})\s*\Z"
)
# A sentence asking to be found on an app.
_CONTACT_ASK = re.compile(
    r"(?i:add|ping|dm|message|msg|text|find|search|follow|reach|catch)\s+(?:me|us)\b"
)
_PIECE_MARK = re.compile(r"[0-9@/_#]")
_NUMBER_TOKENS = re.compile(r"[0-9]+|[^\W\d_]+")
#: Words of a clause beyond its piece ("call kar lo, …", "new one continues …").
MAX_CLAUSE_EXTRA_WORDS = 2


def classify(text: str) -> Fragment | None:
    """Whether the normalised ``text`` looks like a fragment of a detail, and how.

    A message that is prose as a whole may still open with the last piece of a detail
    or end with its first: that clause alone is the piece, if it is one and little
    else (and for a number, one of three digits or more: "12. Fix the header" is a
    list).
    """
    fragment = _classify(text)
    if fragment is not None and fragment.kind == "context":
        # "… on whatsapp. my no. is 97640": the first digits after the app's name
        tail_number = _number_tail(text)
        if tail_number is not None:
            return _shifted(_classify(text[tail_number:]), tail_number) or fragment
    if fragment is not None or len(text) > MAX_FRAGMENT_CHARS:
        return fragment
    # A piece opening or ending the message has its first or last word: a cheap look
    # at those two words spares nearly all prose the clauses below.
    words = text.split()
    if len(words) < 2:
        return None
    if _may_be_piece(words[0]) and (head := _FIRST_CLAUSE.match(text)) is not None:
        fragment = _piece_of(text, head.span(), _classify(head.group()))
    if fragment is None and _may_be_piece(words[-1]):
        breaks = list(_CLAUSE_BREAK.finditer(text))
        start = breaks[-1].end() if breaks else 0
        tail = text[start:]
        if start and not breaks[-1].group()[0].isdigit() and _CLAUSE_MARK.search(tail) is None:
            # (not after digits: "by Apr 12, 2025")
            fragment = _piece_of(text, (start, len(text)), _shifted(_classify(tail), start))
    if fragment is None and (tail_number := _number_tail(text)) is not None:
        # "Parce, el número es +57 310" | "456 7821", "ping her at 98113" | "20467": a
        # country code or a word asking to be called, and the first digits, end the
        # message, however much prose comes before them
        fragment = _shifted(_classify(text[tail_number:]), tail_number)
    elif (
        fragment is None
        and ("ail" in text or "AIL" in text)
        and (mailbox := _MAILBOX_TAIL.search(text)) is not None
    ):
        # "… my work mail is wanjiru" | "@kinetiqstudio.co.ke": a mailbox's name ends the
        # message, its domain follows
        fragment = Fragment("word", mailbox.span(1), True, False, False, open_end=True)
    elif fragment is None and "/" in words[-1] and _OPEN_LINK.fullmatch(words[-1].lower()):
        # "evidence ka drive link ye hai drive.google.com/file/d/" | "1Qw8…": a link
        # ending its message before its id
        start = len(text.rstrip()) - len(words[-1])
        core = (start, start + len(words[-1]))
        fragment = Fragment("piece", core, False, False, True, (*core, _link_type(words[-1])))
    elif fragment is None and _WORD_KINDS.get(words[-1].strip(_PUNCT + ".")) == _KIND_PLATFORM:
        # "… to test the intents. Add me on discord" | "ghostbyte_dev": a last sentence
        # asking to be added on an app opens an attempt as a message of its own would.
        breaks = list(_CLAUSE_BREAK.finditer(text))
        start = breaks[-1].end() if breaks else 0
        if start and _CONTACT_ASK.match(text, start) is not None:
            tail = _shifted(_classify(text[start:]), start)
            fragment = tail if tail is not None and tail.kind == "context" else None
    return fragment


def _number_tail(text: str) -> int | None:
    """Where the first group of a number ending ``text`` starts, after a country code's
    "+", a verb asking to be called or to note it down, or a phone word and a colon
    (``_NUMBER_TAIL``), or ``None``."""
    if not text.rstrip()[-1:].isdigit():
        return None  # every branch ends the text with digits
    m = _NUMBER_TAIL.search(text)
    return None if m is None else m.start("number")


def _may_be_piece(word: str) -> bool:
    """A word with a digit or a sigil, or a number word."""
    return _PIECE_MARK.search(word) is not None or word.strip(_PUNCT + ".").lower() in ALL_WORDS


def _piece_of(
    text: str, clause: tuple[int, int], fragment: Fragment | None
) -> Fragment | None:
    """``fragment`` of the ``clause`` of ``text`` if it is a piece that makes most of
    it, and a number piece of ``MIN_GROUP_DIGITS`` at least."""
    if fragment is None or fragment.kind != "piece":
        return None
    piece = text[fragment.core[0] : fragment.core[1]]
    if len(text[clause[0] : clause[1]].split()) - len(piece.split()) > MAX_CLAUSE_EXTRA_WORDS:
        return None
    if is_number_piece(fragment):
        digits = decode_words(_NUMBER_TOKENS.findall(piece.lower()))
        if len(digits) < MIN_GROUP_DIGITS:
            return None  # "12. Fix the header" (but see _NUMBER_TAIL: "call: 73")
    return fragment


def _shifted(fragment: Fragment | None, by: int) -> Fragment | None:
    """``fragment`` of a part of a text that starts at ``by``, in the whole text's offsets."""
    if fragment is None or not by:
        return fragment
    suspect = fragment.suspect
    if suspect is not None:
        suspect = (suspect[0] + by, suspect[1] + by, suspect[2])
    core = (fragment.core[0] + by, fragment.core[1] + by)
    return fragment._replace(core=core, suspect=suspect)


def _one_token(lower: str, core: tuple[int, int]) -> Fragment | None:
    """The pieces a message of one token may be by its shape alone."""
    if lower == "live:":
        # "live:" | ".cid." | "7c1e93ab52f04d": a Skype id's prefix, the rest follows
        return Fragment("piece", core, False, False, True, (*core, DetailType.HANDLE))
    if lower in _LONE_SEPARATORS:
        # "rahul" | "." | "verma92": the sender typed the separator on its own
        return Fragment("piece", core, True, True, True, glue=True)
    head = lower[0]
    if head == "/" and _PATH_PIECE.fullmatch(lower):
        # … | "/view": the rest of a link's path
        return Fragment("piece", core, True, True, False, glue=True)
    if _is_slug(lower):
        # "linkedin.com/in/" | "kiran-sathyanarayan-devops": a profile's slug
        return Fragment("piece", core, True, False, False)
    if head == "_" and _ID_LIKE.fullmatch(lower[1:]):
        # "@" | "riya" | "_designs": the rest of an id, glued to it
        return Fragment("piece", core, True, True, False, glue=True)
    if head == "#" and _DISCORD_TAG.fullmatch(lower):
        # "add kar: pixelmonk" | "#4821": a Discord name's tag, not digits of a number
        return Fragment("piece", core, True, True, False, (*core, DetailType.HANDLE))
    if "/" not in lower:
        return None
    if _LINK_ID.fullmatch(lower) and _mixed(lower.split("/", 1)[0]):
        # "drive.google.com/file/d/" | "1Qw8ZtR3vN0pLk5sHy2mXc7bJ9dF/view"
        return Fragment("piece", core, True, False, False)
    if _CUT_LINK.fullmatch(lower):
        # "drive.google.com/file/d/1Xa9" | "Qm7TzL0pRk3vW": a link cut inside its id
        return Fragment("piece", core, False, False, True, (*core, _link_type(lower)))
    if _TLD_PATH.fullmatch(lower) and lower.split("/", 1)[0] in TLDS:
        # "ankitportfolio" | "dot" | "in/work": a link's TLD and path
        return Fragment("piece", core, True, True, False)
    return None


def _classify(text: str) -> Fragment | None:
    stripped = text.strip()
    # A piece of a split detail is a line: a message of several lines is code or a list,
    # whose own line breaks a join would lose ("@SpringBootApplication" above a class).
    if not stripped or len(stripped) > MAX_FRAGMENT_CHARS or "\n" in stripped:
        return None
    lower = stripped.lower()
    words = lower.split()
    if len(words) > MAX_FRAGMENT_TOKENS:
        return None
    # A continuation ("at the rate live dot com") is a piece whatever its words.
    lead = _leads(lower)
    # What a join uses of the message (``core``): by default all of it but the spaces
    # around it.
    first = len(text) - len(text.lstrip())
    core = (first, first + len(stripped))
    if len(words) == 1 and (shaped := _one_token(lower, core)) is not None:
        return shaped
    if len(stripped) == 1 and stripped.isalpha():
        # "k" | "a" | "v" | "y" | "a" | "#4471": an id typed a letter a message
        return Fragment("piece", core, True, False, False, open_end=True)
    if lower.endswith(("slash", "/")) and (written := _WRITTEN_PREFIX.search(lower)):
        # "… t dot me slash" | "meher_vfx": a link's host written out, its path next
        span = (first + written.start(1), first + written.end(1))
        host = f"{written.group('name')}.{written.group('tld')}/"
        return Fragment("piece", span, False, False, False, (*span, _link_type(host)))
    if len(words) >= 3 and all(len(w) == 1 for w in words) and any(map(str.isalpha, words)):
        # Typed letter by letter ("r a h u l" | "@ g m a i l . c o m"): one token, spaced.
        return Fragment("piece", core, True, lead, False, glue=lower.startswith(("@", ".")))
    prose_at = MAX_FRAGMENT_TOKENS if lead else 3
    bare = len(words) == 1 and bool(_ID_LIKE.fullmatch(lower) or lower.isdigit())

    # Pass one, on words alone, is all most messages need: they are prose.
    numeric: list[int] = []  # indices of digit groups and number words
    digits = strong = others = 0
    context = platform = False
    id_like: int | None = None  # index of an id-looking last word
    dangling: int | None = None
    for index, token in enumerate(words):
        kind = _TOKEN_KINDS.get(token)
        if kind == _KIND_FILLER:
            continue  # most words, and they change nothing
        if kind is not None or token.isalpha():  # a plain word: nothing to strip
            raw = word = token
        else:
            raw = token.strip(_PUNCT)  # keeps the dots of "t.me/" and "live:.cid."
            word = raw.strip(".")  # "two...", "done."
            kind = _WORD_KINDS.get(word)
        if word.isalpha():
            if kind is None:
                others += 1
                if others > prose_at:  # prose, whatever else it holds
                    return None
            elif kind >= _KIND_NUMBER:
                numeric.append(index)
                digits += 1
                strong += kind == _KIND_STRONG
            elif kind == _KIND_CONTEXT:
                context = True
            elif kind == _KIND_PLATFORM:
                platform = True
        elif _SHORT_DATE.fullmatch(word):
            if token[0] in "([":
                continue  # "98765 (1/2)": which part this is, no date and no digits of it
            context = True  # "by 2/6", "on 12/06/25": a date
        elif _NUMBER.fullmatch(word) and index and words[index - 1] == "@":
            context = True  # "ok @ 11 tomorrow", "@ 450 per image": a time or a price
        elif _NUMBER.fullmatch(word):
            if len(word) <= 2 and (
                token.endswith(":") or words[index + 1 : index + 2] in (["digits"], ["digit"])
            ):
                continue  # a label, "first 5:", "part 2:", "last 5 digits", not a piece
            numeric.append(index)
            digits += sum(map(str.isdigit, word))
        elif word in _NUMERIC_CONTEXT:
            context = True
        elif _DANGLING.search(raw) or (
            len(raw) > 1 and (raw[-1] == "@" or (raw[0] == "@" and _at_domain(raw[1:])))
        ) or (raw == "@" and "." in "".join(words[index + 1 : index + 2])):
            # "t.me/", "rahul@", "@gmail.com", "@ gmail.com", "@gmail"; not "@ 5pm" nor
            # "@media" (an at-rule, a mention)
            dangling = index
        elif _ID_LIKE.fullmatch(word) and _mixed(word) and not _TIME.fullmatch(word):
            if index == len(words) - 1:  # a piece ends its message: the rest follows
                id_like = index
        elif any(c.isalnum() for c in word):
            others += 1
            if others > prose_at:
                return None
    is_phone = bool(numeric) and not context and others <= 2 and 2 <= digits <= 13
    is_phone = is_phone and (strong > 0 or digits > 1)
    if is_phone and len(numeric) >= 4 and _counts_up([words[i] for i in numeric]):
        is_phone = False  # "counter should go 1 2 3 4 5 …": a list, no piece of a number
    # The last word, not an emoji or arrow pointing at it ("thesiddharthr 👈"); only a
    # short message can end open, or one ending in an id with no full stop after it ("…
    # add my wechat. wxid_k7p2" | "m9x4l1"; not "… in Next.js.").
    open_end = id_like is not None and not words[-1].endswith((".", "!", "?", ","))
    if len(words) <= 4 and not open_end:
        last = next((w for w in reversed(words) if _has_alnum(w)), "")
        open_end = bool(_OPEN_END.fullmatch(last)) and last.strip("_-") not in _CLOSED_WORDS
    piece_like = dangling is not None or is_phone or id_like is not None or lead
    if not (piece_like or open_end or platform or (bare and lower.isalpha())):
        return None

    # The core is what a join uses: the piece itself, without "last part" or "baaki"
    # around it, which would stand between the groups of a number (the whole message
    # by default, above).
    suspect: tuple[int, int, DetailType] | None = None
    piece = lower
    trail = False
    if dangling is not None or is_phone:
        spans = [m.span() for m in _TOKEN.finditer(text)]
        if dangling is not None:
            start, end = spans[dangling]
            word = words[dangling].strip(_PUNCT)
            if word.startswith("@"):  # "@ gmail.com (rest of it)": the domain follows
                core = (start, core[1])
                suspect = (*core, DetailType.EMAIL)
            else:  # "t.me/", "live:.cid.", "rahul@": the rest follows
                core, trail = (start, end), True
                kind = DetailType.EMAIL if word.endswith("@") else _link_type(word)
                suspect = (start, end, kind)
        else:
            start, end = spans[numeric[0]][0], spans[numeric[-1]][1]
            # "43210." ends a sentence: its full stop is no part of the number
            core = (start, start + len(text[start:end].rstrip(".,;!?")))
            suspect = (*core, DetailType.PHONE)
        piece = text[core[0] : core[1]].lower()
        lead = _leads(piece)
    glue = piece.startswith(("@", ".", "_"))  # "@" | "riya" | "_designs"
    if suspect is not None or id_like is not None or lead:
        return Fragment("piece", core, bare, lead, trail, suspect, glue=glue, open_end=open_end)
    if open_end:
        return Fragment("word", core, bare, lead, trail, open_end=True)
    if bare and lower.isalpha() and not platform:
        return Fragment("word", core, bare, lead, trail, common=True)
    # A platform named alone ("insta" | "pixel_monk_art") starts an attempt as
    # "add me on insta" does.
    return Fragment("context", core, bare, lead, trail)


def _at_domain(word: str) -> bool:
    """Whether what follows an "@" is a domain or a mail provider ("gmail.com", "yahoo")."""
    return "." in word or word in MAIL_PROVIDERS


def _counts_up(tokens: list[str]) -> bool:
    """Whether digit groups of up to three digits go up in even steps (1 2 3 4, 10 20 30)."""
    values = [token.strip(_PUNCT + ".") for token in tokens]
    if not all(value.isdigit() and len(value) <= 3 for value in values):
        return False
    steps = {int(b) - int(a) for a, b in pairwise(values)}
    return len(steps) == 1 and steps.pop() > 0


def _leads(text: str) -> bool:
    """Whether ``text`` (lower-cased) continues the message before it (``_LEAD``)."""
    return text[:1] in _LEAD_STARTS and _LEAD.match(text + " ") is not None


def _has_alnum(word: str) -> bool:
    return word.isalnum() or any(c.isalnum() for c in word)


def _mixed(word: str) -> bool:
    """An id rather than a word: letters with digits, dots or underscores."""
    return any(c.isalpha() for c in word) and any(c.isdigit() or c in "._" for c in word)


def _link_type(word: str) -> DetailType:
    return DetailType.HANDLE if word.startswith(_HANDLE_PREFIXES) else DetailType.URL


#: Most words of a platform mention that places the bare id before it ("is my insta").
_SHORT_CONTEXT_WORDS = 4
_POSTPOSITIONS = frozenset({"pe", "par", "pr", "per", "mein", "me", "mai", "pai"})


def select_run(history: list[Entry], current: Entry, *, resume: bool = False) -> list[Entry]:
    """The earlier entries to join with ``current``, oldest first (may be empty).

    Walks back over contiguous fragment-like messages; a bare word only joins when the
    message after it is a bare token or a continuation (``kara`` | ``nmehta73``), an
    everyday word only before a continuation (``work`` | ``@mintleaf.in``). A platform
    mention starts an attempt (``add me on telegram`` | ``rahul_dev``) but never a
    number, whose pieces need no context and whose neighbours' words ("order",
    "invoice") would only veto it. One short word message between two number pieces
    ("sorry typo", "wait") is an aside, left out of the run. A piece that already
    completed a split attempt ends the walk, as what follows is a new attempt, unless
    ``resume`` asks to look past it for an attempt the detectors judged complete too
    early.
    """
    if current.fragment is None:
        return []
    if current.fragment.kind == "context":
        last = history[-1] if history else None
        if last is None or last.fragment is None or last.norm is None:
            return []
        if not last.fragment.lead:
            return [last] if _names_where(current, last) else []
        # "rahuldev99" | "at the rate" | "gmail": the at continues the id before it and
        # the provider the at; walk on.
    run: list[Entry] = []
    after = current
    earlier = history[::-1]
    aside = False
    for index, entry in enumerate(earlier):
        fragment = entry.fragment
        if fragment is None or entry.norm is None or (not resume and consumed(entry)):
            break
        if not resume and is_number_piece(fragment) and _given_whole(entry):
            break  # "… mine is 66822 33179" | "whatsapp 6 6 8" | …: a new attempt
        if (
            fragment.kind == "word"
            and not aside
            and is_number_piece(after.fragment)
            and index + 1 < len(earlier)
            and earlier[index + 1].fragment is not None
            and is_number_piece(earlier[index + 1].fragment)
            and not earlier[index + 1].findings  # a number given whole ends the attempt
        ):
            aside = True  # "98765" | "sorry typo" | "43210": a few words between pieces
            continue
        if fragment.kind == "word" and not _word_continues(fragment, after, current):
            break
        if fragment.trail and after.fragment.kind == "word" and not after.fragment.bare:
            break  # "t.me/" | "eh nvm": the sender moved on, nothing continues the link
        if fragment.trail and _completed(entry):
            break  # "wa.me/ 91 99281 62635": the prefix is part of a whole link
        if _cut_link(entry) and not _continues_link(after):
            break  # "drive.google.com/file/d/1Xa9" | "thanks": the link was whole
        if fragment.kind == "context" and not (resume and consumed(entry)):
            # (A provider that completed an attempt is one of its pieces: "priya.k" |
            # "@" | "gmail" | ".com" looks past it.)
            if not is_number_piece(after.fragment):
                run.append(entry)
            break
        run.append(entry)
        after = entry
    return run[::-1]


def _cut_link(entry: Entry) -> bool:
    """Whether the entry is a link cut inside its id ("drive.google.com/file/d/1Xa9") or
    right before it ("drive.google.com/file/d/"), not a link's host waiting for its path
    ("bit.ly/")."""
    if not entry.fragment.trail:
        return False
    core = _core_text(entry).lower()
    return _CUT_LINK.fullmatch(core) is not None or _OPEN_LINK.fullmatch(core) is not None


def _is_slug(lower: str) -> bool:
    """A profile's slug ("kiran-sathyanarayan-devops"), not words of English joined by
    hyphens ("state-of-the-art")."""
    return _SLUG.fullmatch(lower) is not None and not all(map(is_english_word, lower.split("-")))


def _core_text(entry: Entry) -> str:
    return entry.norm.text[entry.fragment.core[0] : entry.fragment.core[1]]


def _continues_link(entry: Entry) -> bool:
    """Whether the entry can be the rest of a link cut inside its id: a path, or one
    token of letters and digits ("Qm7TzL0pRk3vW") or digits ("wa.me/971" | "501234567")."""
    text = _core_text(entry)
    head = text.split("/", 1)[0]  # "1Qw8ZtR3vN0pLk5s/view": an id, then its path
    return entry.fragment.glue or (
        entry.fragment.bare
        and (
            (head.isalnum() and (head.isdigit() or _mixed(head)))
            or _is_slug(text.lower())
        )
        and (head == text or _LINK_ID.fullmatch(text.lower()) is not None)
    )


def _names_where(context: Entry, last: Entry) -> bool:
    """Whether a platform mention says where the bare id just before it lives.

    "rahul.k92" | "gmail", "meena_art" | "insta", "rahul_k" | "on insta": the platform
    alone or closing a few words; the detectors judge the join as they judge
    "rahul_k on insta". Named first ("instagram is down today"), it starts a sentence
    of its own.
    """
    words = context.norm.text.lower().split()
    if len(words) > 1 and words[-1] in _POSTPOSITIONS:
        words.pop()  # "rohit.k.9921" | "insta pe": Hindi's "on" comes after the app
    return (
        len(words) <= _SHORT_CONTEXT_WORDS
        and _WORD_KINDS.get(words[-1].strip(_PUNCT + ".")) == _KIND_PLATFORM
        and last.fragment is not None
        and last.norm is not None
        and last.fragment.kind == "piece"
        and last.fragment.bare
        and last.fragment.suspect is None
        and not last.findings
    )


def _word_continues(word: Fragment, after: Entry, current: Entry) -> bool:
    """Whether a word message is the start of the piece ``after`` it.

    Before a continuation (``work`` | ``@mintleaf.in``) any word is; before a bare
    piece only a name-like one (``kara`` | ``nmehta73``), or an everyday one when the
    attempt ends in a domain (``ka`` | ``vyamenon46`` | ``@gmail.com``): "ok" | "98765"
    is an answer and a number, not one token, and so is any word before the digit
    groups of a number.
    """
    if after.fragment.lead:
        return True
    if not after.fragment.bare or after.fragment.common:
        return False
    if is_number_piece(after.fragment) and not current.fragment.lead:
        return False  # "kal tak ho jayega" | "0804": words, then the pieces of a number
    return not word.common or (after is not current and current.fragment.lead)


def is_number_piece(fragment: Fragment) -> bool:
    """Whether the fragment is digits or number words: a piece of a phone number."""
    return fragment.suspect is not None and fragment.suspect[2] is DetailType.PHONE


def is_separator(entry: Entry) -> bool:
    """Whether the entry is a separator typed alone: ".", "_", "-" or "@"."""
    fragment, norm = entry.fragment, entry.norm
    return (
        fragment is not None
        and norm is not None
        and norm.text[fragment.core[0] : fragment.core[1]] in _LONE_SEPARATORS
    )


def consumed(entry: Entry) -> bool:
    """Whether the entry's piece already went into a completed split attempt."""
    start, end = entry.norm.to_original(*entry.fragment.core)
    return any(
        "split" in f.disguises and f.start <= start and end <= f.end for f in entry.findings
    )


def _given_whole(entry: Entry) -> bool:
    """Whether the entry's number piece is a number its own message gave in full."""
    start, end = entry.norm.to_original(*entry.fragment.core)
    return any(
        f.type is DetailType.PHONE
        and "split" not in f.disguises
        and f.start <= start
        and end <= f.end
        for f in entry.findings
    )


def _completed(entry: Entry) -> bool:
    """Whether a detail found in the entry's own message runs on past its dangling
    prefix ("wa.me/ 91 99281 62635"); "bit.ly/" alone is still waiting for its path."""
    start, end = entry.norm.to_original(*entry.fragment.core)
    return any(f.start <= start and end < f.end for f in entry.findings)


def join(entries: list[Entry]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join the entries' normalised texts.

    Returns the joined text and, per entry, ``(begin, end, shift)``: the entry's
    core lies at ``joined[begin:end]`` and ``joined`` offset ``i`` is entry
    offset ``i - shift``. Pieces are joined with one space, except where the sender
    visibly split one token, which is glued back together: after a dangling prefix
    (``t.me/`` | ``x``), before an ``@``/``.`` continuation of a bare id-like end
    (``rahul`` | ``@gmail.com``, never after a platform mention or a complete detail),
    and where a name-like or everyday end meets a bare piece that is not a domain
    (``kara`` | ``nmehta73``, ``my email pooj`` | ``a.patel``).
    """
    parts: list[str] = []
    bounds: list[tuple[int, int, int]] = []
    length = 0
    previous: Entry | None = None
    for entry in entries:
        core_start, core_end = entry.fragment.core
        text = entry.norm.text[core_start:core_end]
        if previous is not None:
            glue = (
                previous.fragment.trail
                or (entry.fragment.glue and _cut_token(previous))
                or (
                    (previous.fragment.open_end or previous.fragment.common)
                    and not previous.findings
                    and entry.fragment.bare and not entry.fragment.common
                    and not entry.fragment.lead  # "rahuldev99" | "at": a word of its own
                    and entry.fragment.kind != "context"
                    and text[:1].isalnum() and not _domain_like(text)
                )
            )
            if not glue:
                parts.append(" ")
                length += 1
        bounds.append((length, length + len(text), length - core_start))
        parts.append(text)
        length += len(text)
        previous = entry
    return "".join(parts), bounds


def _cut_token(entry: Entry) -> bool:
    """Whether the entry ends in an id-like token that an ``@`` or ``.`` may continue.

    "rahul.k" | "@gmail.com" and "my email pooj" | "@gmail.com" are one address cut in
    two, but a platform mention or a message holding a complete detail
    ("...wa.me/9173..." | "use @media", "insta id neeche hai" | "@priya.films") ends
    where it ends: gluing an ``@`` to its last word would invent an address. A bare
    token masked as a handle is still cut ("my insta" | "priya" | ".designs").
    """
    start, end = entry.fragment.core
    last = entry.norm.text[start:end].rsplit(None, 1)[-1].lower()
    return (
        entry.fragment.kind != "context"
        and (not entry.findings or entry.fragment.bare)
        and _ID_LIKE.fullmatch(last) is not None
    )


def _domain_like(piece: str) -> bool:
    """A host ("gmail.com"): the domain half of an address, never the tail of a name."""
    host = piece.lower().rstrip(".")
    return "." in host and host.rsplit(".", 1)[1] in TLDS


#: A window's key: (conversation, sender).
WindowKey = tuple[str, str]


class WindowStore(Protocol):
    """Where the split-message window keeps its entries, per (conversation, sender).

    The engine reads a sender's recent entries, adds the current message, amends the
    findings of earlier ones a split detail ran through, and forgets a message its
    caller withdrew. A store shared by several processes relies on its caller to
    serialise the messages of one conversation (the gateway holds the conversation's
    row lock). A store that cannot answer (its server is down) should degrade instead
    of raising: ``recent`` returns nothing and writes are dropped, so the message is
    still judged on its own.
    """

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        """The sender's entries still inside the window at ``now``, oldest first."""
        ...

    def add(self, key: WindowKey, entry: Entry) -> None: ...

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        """Replace the findings of the entries of ``message_id`` (a retroactive mask)."""
        ...

    def forget(self, key: WindowKey, message_id: str) -> None:
        """Drop the entries of ``message_id``: the caller did not keep that message."""
        ...


def entry_to_data(entry: Entry) -> dict[str, Any]:
    """``entry`` as JSON-ready values: id, timestamp, original text, findings.

    The text is kept for fragments only (prose never joins, so ``null``); ``norm`` and
    ``fragment`` are left out because :func:`entry_from_data` rebuilds them from the
    text, which is at most ``MAX_FRAGMENT_CHARS`` long and cheap to classify again.
    Findings are ``[start, end, type, rule, score, [disguise, …], [[id, start, end], …]]``.
    """
    text = entry.norm.original if entry.fragment is not None and entry.norm is not None else None
    return {
        "id": entry.message_id,
        "ts": entry.timestamp,
        "text": text,
        "findings": findings_to_data(entry.findings),
    }


def findings_to_data(findings: tuple[Finding, ...]) -> list[list[Any]]:
    """The ``findings`` of :func:`entry_to_data` alone (a store amending an entry)."""
    return [
        [f.start, f.end, str(f.type), f.rule, f.score, sorted(f.disguises),
         [[p.message_id, p.start, p.end] for p in f.pieces]]
        for f in findings
    ]


def entry_from_data(data: Any) -> Entry:
    """The entry :func:`entry_to_data` saved; ``ValueError`` says what is malformed."""
    try:
        message_id, timestamp, text = data["id"], float(data["ts"]), data["text"]
        findings = tuple(_finding_from_data(item) for item in _list(data["findings"]))
        if not isinstance(message_id, str) or not (text is None or isinstance(text, str)):
            raise TypeError("id must be a string and text a string or null")
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"malformed window entry {data!r:.200}: {error!r}") from None
    if text is None:
        return Entry(message_id, timestamp, None, None, findings)
    norm = normalise(text)
    fragment = classify(norm.text)
    # A text saved by an older rule set may not read as a fragment any more: it is prose.
    return Entry(message_id, timestamp, fragment, norm if fragment is not None else None, findings)


def _finding_from_data(item: Any) -> Finding:
    start, end, kind, rule, score, disguises, pieces = _list(item)
    return Finding(
        int(start),
        int(end),
        DetailType(kind),
        str(rule),
        float(score),
        frozenset(str(d) for d in _list(disguises)),
        tuple(Piece(str(m), int(s), int(e)) for m, s, e in map(_list, _list(pieces))),
    )


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value


class SplitWindow:
    """Per-sender history of recent messages, bounded in count, age and senders.

    The in-process :class:`WindowStore`, the engine's default. Thread-safe: every
    read and write holds one lock, and what it hands out is an immutable snapshot.
    """

    def __init__(self, config: RedactorConfig) -> None:
        self._size = max(1, config.window_messages)
        self._ttl = config.window_seconds
        self._capacity = max(1, config.window_conversations)
        self._senders: OrderedDict[tuple[str, str], deque[Entry]] = OrderedDict()
        self._lock = threading.Lock()

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        """The sender's messages still inside the window, oldest first."""
        with self._lock:
            entries = self._senders.get(key)
            if entries is None:
                return []
            while entries and entries[0].timestamp < now - self._ttl:
                entries.popleft()
            return list(entries)[-(self._size - 1) :] if self._size > 1 else []

    def add(self, key: WindowKey, entry: Entry) -> None:
        with self._lock:
            entries = self._senders.get(key)
            if entries is None:
                entries = self._senders[key] = deque(maxlen=self._size)
                while len(self._senders) > self._capacity:
                    self._senders.popitem(last=False)
            else:
                self._senders.move_to_end(key)
            entries.append(entry)

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        """Record the findings a retroactive mask added to an earlier message."""
        with self._lock:
            entries = self._senders.get(key, ())
            for i, entry in enumerate(entries):
                if entry.message_id == message_id:
                    entries[i] = replace(entry, findings=findings)

    def forget(self, key: WindowKey, message_id: str) -> None:
        with self._lock:
            entries = self._senders.get(key)
            if entries is not None:
                kept = [entry for entry in entries if entry.message_id != message_id]
                entries.clear()
                entries.extend(kept)

    def __len__(self) -> int:
        with self._lock:
            return len(self._senders)
