"""Account ids on messaging and social apps.

Deep links (``t.me/x``, ``wa.me/91…``) are found by the URL detector, which knows
links; this one finds the ids people type:

* forms that name their app by shape: Skype ``live:.cid.3f2a…`` / ``live:name`` /
  ``skype:name?chat``, Discord ``name#1234``, WeChat ``wxid_…``, Reddit ``u/name``;
* an id next to a platform word, a nickname for it (``tg``, ``insta``, ``snap``,
  ``watsapp``, leet ``t3l3gram``), an emoji standing for it (✈ 📷 👻) or a
  description of it ("the blue app with the plane"): ``telegram: rahul_dev``,
  ``my insta is rahul.codes``, ``rahul_dev on tg``; after LinkedIn, whose profile
  addresses are hyphenated, a hyphenated slug (``linkedin: rahul-sharma-4b2a91``);
* a bare ``@word`` (see below).

An id is "shaped like an account" when it has digits, ``_`` or an inner dot. A
plain word after a platform word is an id only when introduced as one ("telegram
id thepriyan", "skype: sannemedia") at the end of its clause, and never an
ordinary word, so "my insta id neeche hai", "telegram allowed nahi" and "is
whatsapp ok?" stay untouched. Short or ordinary platform names (``line``,
``signal``, ``snap``, ``dc``) only count with an account-shaped id.

**Bare @word.** Chats here are one-to-one (or a user and support), so there is nobody
to mention: an ``@word`` that is not a participant is most likely an account on
another app. Technical talk is full of ``@`` though, so an ``@word`` is *not* a
handle when it

* is a participant's name (``Context.participants``, case-insensitive, ``@`` ignored);
* is a known technical word: CSS at-rules, decorators and annotations, mention
  keywords, npm scopes (``@media``, ``@Override``, ``@property``, ``@here``);
* is followed by ``(``, ``/``, ``@`` or ``.`` plus a technical word or file extension
  (``@app.route(``, ``@types/node``, ``@angular/core@17``, ``@2x.png``);
* opens a line followed by more lines (a decorator above a definition);
* is glued to a word before it (an email, ``icon@2x``) or has no letter first
  (``@ 5pm``, ``@2x``);
* is written ``@ name`` with a space and the message names no platform
  (``@ 450 rs per image``).

Otherwise it is a handle; with a platform word in the message, an account-shaped
id or a plain lower-case word it scores above the default threshold, while a
CamelCase word without any platform word (``@SpringBootTest``, most likely an
annotation we do not list) stays below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

import regex

from redaction.detectors import platforms
from redaction.detectors.base import Candidate
from redaction.detectors.disguise import (
    AT_ABROAD,
    AT_WORDS_ABROAD,
    BRACKETED_DOT,
    OWNER_BEFORE,
    UNDERSCORE,
    Claims,
    Lead,
    OwnAccount,
    TextView,
    literal_pattern,
    skip_fillers,
    spaced_view,
)
from redaction.types import Context, DetailType
from redaction.vocabulary import english_words, is_english_word

if TYPE_CHECKING:
    from redaction.config import RedactorConfig

# Descriptions of an app instead of its name, and the word "handle" itself.
_DESCRIBED = regex.compile(
    r"""
    (?<!\w)(?:
      (?:the\ )?(?:(?:blue|green|purple|yellow|other)\ )?(?:chat\ |messaging\ |messenger\ )?app
        \ with\ (?:the\ |a\ )?(?:blue\ |green\ |white\ |yellow\ )?
        (?:paper\ )?(?:plane|ghost|camera|bird|phone)(?:\ (?:icon|logo|sign))?
    | (?:the\ )?(?:blue|green|purple|yellow)\ (?:chat\ |messaging\ |messenger\ )?app
    | (?:the\ )?app\ (?:starting|that\ starts|beginning)\ with\ (?:a\ |an\ )?["']?[a-z]["']?
    | (?:the\ )?(?:paper\ plane|plane|ghost|bird)\ app
    | (?:photo|photos|reel|reels|camera|green|blue|plane)\ (?:wali|wala|vali|vala)\ app
    | (?:my\ )?handle(?:\ (?:on|in|for)\ (?:the\ |my\ |that\ )?[a-z]++(?:\ app)?)?
        (?=\ ?(?::|is\b|-))
    )(?!\w)
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# Every description names an "app" or a "handle" as a word: a test before the pattern above.
_DESCRIBED_GATE = re.compile(r"\bapp\b|handle")
# Emoji standing for an app (plane, camera, ghost, phone, speech bubble, bird, "👉").
_EMOJI_CHARS = "\u2708\U0001f4f7\U0001f4f8\U0001f47b\U0001f4f1\U0001f4ac\U0001f426\U0001f449"
_EMOJI = regex.compile(f"[{_EMOJI_CHARS}]")
_POINT_BACK = "\U0001f448"  # "rahul_dev 👈": the id is the thing pointed at
_SPELLINGS = platforms.platform_spellings()
# Stdlib ``re`` and a trie of literals: far cheaper than one pattern full of
# character classes for leet spellings.


def _mention_pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    return re.compile(
        "(?:" + literal_pattern(set(spellings), not_after="[a-z0-9.@/_]") + ")"
        r"(?![a-z0-9@/_]|\.[a-z0-9])"
    )


# ASCII text is read with the ASCII names only: a trie that also starts with Chinese or
# Cyrillic letters makes ``re`` slower to skip through every message.
_MENTION_ASCII = _mention_pattern(s for s in _SPELLINGS if s.isascii())
_MENTION = _mention_pattern(_SPELLINGS)


# An ordinary word that is also an app's name, hyphenated to the next word, names no
# app: "line-height", "signal-processing", "snap-to-grid".
_HYPHENATED = re.compile(r"-[a-z0-9]")
# A leet digit glued to a letter. Every run of letters in a platform spelling holds a
# letter no digit stands for ("1nsta", "t3l3gram"), so a leet spelling always has such
# a pair, and a message without one ("call 98765 43210") needs no translation.
_LEET_DIGITS = "".join(map(chr, platforms.LEET_LETTERS))
# A leet digit with a letter on either side; led by the digit, a fast scan.
_LEET_GLUED = re.compile(f"[{_LEET_DIGITS}](?:(?<=[a-z][{_LEET_DIGITS}])|(?=[a-z]))")
_LEET_DIGIT = re.compile(f"[{_LEET_DIGITS}]")  # a quick no first: most messages have none


class _Mention(NamedTuple):
    """A platform named (or described, or drawn) at ``text[start:end]``.

    A named tuple: one is built for every platform word of every message.
    """

    start: int
    end: int
    weak: bool = False


def _mentions(text: str, low: str) -> list[_Mention]:
    """Every platform named, described or drawn in ``text`` (``low`` lower-cased), in order."""
    leet = low
    if _LEET_DIGIT.search(low) is not None and _LEET_GLUED.search(low) is not None:
        leet = low.translate(platforms.LEET_LETTERS)
    mention = _MENTION_ASCII if text.isascii() else _MENTION
    found = [
        _Mention(m.start(), m.end(), weak)
        for m in mention.finditer(leet)
        if not ((weak := _SPELLINGS[m.group()]) and _HYPHENATED.match(leet, m.end()))
    ]
    named = len(found)
    if not text.isascii() and any(c in text for c in _EMOJI_CHARS):
        found.extend(_Mention(m.start(), m.end()) for m in _EMOJI.finditer(text))
    if ("app" in low or "handle" in low) and _DESCRIBED_GATE.search(low) is not None:
        found.extend(_Mention(m.start(), m.end()) for m in _DESCRIBED.finditer(text))
    if len(found) > named:  # the platform words come in order; the rest is merged in
        found.sort(key=_start)
    return found


def _start(mention: _Mention) -> int:
    return mention.start


def _platform_kind(word: str) -> bool | None:
    """``False`` for a strong platform name, ``True`` for a weak one, ``None`` otherwise."""
    return _SPELLINGS.get(word.lower().translate(platforms.LEET_LETTERS))


# An account id: words joined by "_" or a dot, plain or written ("dot", "(dot)", "[.]";
# not a spaced " . ", which joins spelled digits as often), with an optional "@" (or
# "@ ") in front, or a Discord tag behind.
_ID_DOT = rf"(?:\.|{BRACKETED_DOT}|\ (?i:dot)\ )"


def _id_pattern(possessive: str, inner: str = "") -> str:
    """An id's words joined by dots and underscores; ``inner`` adds characters a word
    may hold between its letters."""
    word = rf"[A-Za-z0-9](?:[A-Za-z0-9_]{inner}){{0,31}}{possessive}"
    return rf"(?:{word}(?:(?:{_ID_DOT}|{UNDERSCORE}){word}){{0,4}})"


# After an app's name an id may hold hyphens too ("bluesky: priya-draws", "WeChat ID:
# Zhang_Wei-88"); "self-taught" after one is a word of English, which the callers ask.
_ID = _id_pattern("+", inner="|-(?=[A-Za-z0-9])")
_DISCORD_TAG = r"(?:\ ?\#\ ?|\ (?i:hash)\ )\d{4}(?!\d)"
_ID_AFTER = regex.compile(
    rf"""(?P<at>@\ ?)?(?P<id>{_ID})(?P<tag>{_DISCORD_TAG})?(?![\w@/:#]|\.\w)""",
    regex.VERBOSE,
)
# "rahul_dev on tg", "rahul_dev (insta)", "rahul_dev - insta, snap", "rahul_dev 👈":
# matched right to left (REVERSE) from where the platform word starts, so one attempt
# settles it instead of one per word start in the window. Possessive repeats would
# not give back in that direction; the look-ahead after the id keeps it whole
# ("rahulon tg" is no "rahul" + "on").
_ID_BEFORE = regex.compile(
    rf"""
    (?<![\w@./:#-])
    (?P<lead>(?i:(?:search|dm|ping|find|add|follow)(?:\ me)?(?:\ as|:)?|from|i'?m|i\ am)\ +)?
    (?P<at>@\ ?)?(?P<id>{_id_pattern("")})(?![A-Za-z0-9_])(?P<tag>{_DISCORD_TAG})?
    [`'"\u2019\u201d]?  # a closing quote: "meena_art" on tg
    \ *(?:(?:(?i:on|in|at|pe|par|via|(?P<own>yeh?\ mera)|is\ my|my)|[-:,\u2013])\ +)?\(?\Z
    """,
    regex.VERBOSE | regex.REVERSE,
)

# Asked to be contacted, then an id, with no app named (it was, earlier in the
# conversation): "DM me, my id is rangoli__queen", "wahan DM kiya, mera id hai x", "reach
# me at arjun.creates". Not "message the admin with your employee id …": the sender asks
# to be messaged.
_CONTACT_VERB_LITERALS = (
    "dm", "msg", "message", "ping", "text", "follow", "add", "reach", "contact", "find",
    "catch",
)  # fmt: skip
_CONTACTED_ID = regex.compile(
    rf"""
    (?i:\b(?:{"|".join(_CONTACT_VERB_LITERALS)})\ ?(?:me|us|kiya|karo|kar|kr|karna|[,:]))
    (?:[^.?!\n]{{0,40}}?\b(?i:id|username|user\ name|handle)(?:\ (?i:hai|is|h))?\ ?:?\ +
       |\ (?i:at|on|via)\ +)
    (?P<id>{_ID})(?![\w@/:#]|\.\w)
    """,
    regex.VERBOSE,
)
_CONTACTED_MARKS = (" id", "name", "handle", " at ", " on ", " via ")
_CONTACT_VERB_GATE = re.compile("|".join(_CONTACT_VERB_LITERALS))


def _contacted(low: str) -> bool:
    """A cheap first look for ``_CONTACTED_ID``: one of its verbs and one of its marks."""
    return _CONTACT_VERB_GATE.search(low) is not None and any(m in low for m in _CONTACTED_MARKS)

_CID_DOT = r"(?:\ ?\.\ ?|\[\.\]|\(\.\)|\ ?(?i:dot)\ )"
_SKYPE = regex.compile(
    rf"""
    (?<![\w.])(?:
        (?i:live)\ (?P<bare>(?i:cid)\ [0-9a-fA-F]{{8,32}}+)(?!\w)  # "live cid 9b3e71a0…"
      | (?i:live)(?:\ ?(?::|\[:\]|\(:\))(?P<gap>\ )?|\ (?i:colon)\ )
        (?:(?P<cid>{_CID_DOT}(?i:cid){_CID_DOT}[0-9a-fA-F]{{8,32}}+)(?!\w|\.\w)
           |(?P<cidstub>\.cid\.?)(?!\S)
           |(?P<name>[A-Za-z][\w-]{{0,31}}+(?:\.[\w-]++){{0,4}}+))
      | (?i:skype):(?P<uri>[A-Za-z][\w-]{{1,31}}+(?:\.[\w-]++){{0,4}}+)(?:\?[a-z]+)?
    )
    """,
    regex.VERBOSE,
)
_DISCORD = regex.compile(rf"(?<![\w#@.])(?P<id>[A-Za-z][\w.]{{1,31}}+)(?P<tag>{_DISCORD_TAG})")
# How far after an app's name an id shaped like an account still belongs to it, within
# its sentence; and the words of that shape.
_LATER_REACH = 80
_SENTENCE_STOP = regex.compile(r"[.?!](?:\s|$)|\n|\[")
_SHAPED_LATER = regex.compile(
    r"(?<![\w@./:#-])[A-Za-z][A-Za-z0-9]*+(?:[._][A-Za-z0-9]++){1,4}+(?![\w@/:#-]|\.\w)"
)
_VERB_THEN_ID = regex.compile(
    # not "add": "add handler_func to the dispatcher" is code talk
    r"\b(?i:search|find|ping|dm|msg|message|text|follow)\ (?:(?i:me|for)\ )?"
    r"(?:(?i:as|at|on)\ )?(?P<id>[A-Za-z][A-Za-z0-9]*+(?:[._][A-Za-z0-9]++){1,4}+)"
    r"(?![\w@/:#-]|\.\w)"
)
# A number that starts a range is one of many things, not a tag.
_RANGE_AFTER = regex.compile(r"\ ?(?:-|\u2013|to|through|till|until)\ ?\#?\d")
# A Mastodon (fediverse) account: "@lena_ux@fosstodon.org", an "@" before its address.
_FEDIVERSE = regex.compile(
    r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{0,29}+@(?:[A-Za-z0-9-]++\.)++"
    r"(?P<tld>[A-Za-z]{2,24}+)(?![\w@-]|\.\w)"
)
_WECHAT = regex.compile(r"(?<![\w@])wxid\ ?_\ ?[a-z0-9]{6,24}+(?!\w)", regex.IGNORECASE)
# An app's own link, opened by the app: "viber://chat?number=%2B94…", "tg://resolve?…".
_APP_URI = regex.compile(
    r"(?<![\w.+-])(?i:viber|whatsapp|tg|sgnl|skype|threema|line|kakaotalk|kakaoopen|zalo"
    r"|fb-messenger|msteams|weixin|snapchat|instagram|discord)://[^\s<>\"'`]++"
)
# A Session messenger id: "05" and 64 hexadecimal digits.
_SESSION_ID_LENGTH = 66
_SESSION_ID = regex.compile(r"(?<![0-9a-f])05[0-9a-f]{64}(?![0-9a-f])")
# Reddit's "u/name" or "/u/name", not inside a path ("menu/x", "site.com/u/x").
_REDDIT = regex.compile(
    r"/?(?<!\w|[\w.:-]/|[.:-])u/(?P<id>[A-Za-z0-9_-]{3,20}+)(?![\w/-])",
    regex.IGNORECASE,
)
# A LinkedIn profile's slug: words joined by hyphens, ending in letters or digits.
_SLUG = regex.compile(r"[A-Za-z][A-Za-z0-9]*+(?:-[A-Za-z0-9]++){1,6}+(?![\w@/-]|\.\w)")
# An "@word", or one whose "@" is written in brackets glued to it ("(at)zoya_codes").
_AT_WORD = regex.compile(
    r"(?<![\w@./:+\]*-])(?:@(?P<space>\ )?|[\[\(\{](?i:at)[\]\)\}](?=\w))"
    r"(?P<id>_?+[A-Za-z][A-Za-z0-9_]*+(?:\.[A-Za-z0-9_]++)*+)"  # "@_devraj.codes_" too
)
# Words before "#1234" that make it an issue, order or ticket number.
_NUMBERED_THINGS = platforms.COMMON_WORDS | platforms.NUMBERED_THINGS
# "my skype thebhavnar", "add me on snapchat rahulk": an owner or a contact verb
# before the platform word introduces the plain word after it as an id.
_INTRODUCER = regex.compile(
    r"(?i:\b(?:add|ping|dm|message|msg|text|find|follow|search|reach|connect|contact)\b"
    r"[^.?!\n]{0,30}?\b(?:on|in|at|via)\s+)\Z"
)
# A line of code under an annotation: a definition, a declaration or a call.
_CODE_LINE = regex.compile(
    r"[ \t]*(?:def|class|public|private|protected|static|async|export|function|fun|void"
    r"|const|let|var|@|\w+\s*[({=])"
)
_ID_MARKERS = frozenset(
    {"id", ":", "username", "handle", "its", "it's", "me", "user", "name", "naam"}
)
# What comes before a name addressed: nothing, or a greeting or a thanks.
_GREETING = regex.compile(
    r"(?:^|(?i:\b(?:hi|hii+|hey|hello|helo|dear|thanks|thank\ you|thx|ty|cc|ok|okay|sure"
    r"|yes|sorry|welcome|morning|evening|ji))[\s,!.]*)\s*\Z"
)


class HandleDetector:
    """Finds account ids on other apps: shaped ids, ids near a platform, bare @words."""

    name = "handle"

    def __init__(self, config: RedactorConfig) -> None:
        self._own = OwnAccount(config.allowed_domains)
        english_words()  # loaded with the engine, not by the first message that needs it

    def detect(self, text: str, context: Context) -> Iterator[Candidate]:
        view = spaced_view(text)
        text = view.text
        low = text.lower()
        mentions = _mentions(text, low)
        # Cheap gates first: most messages name no app and hold no sigil.
        contacted = not mentions and _contacted(low)
        sigil = "@" in text or "at)" in low or "at]" in low or "at}" in low
        if (
            not mentions
            and not contacted
            and not sigil
            and "#" not in text
            and _POINT_BACK not in text
            and not ("live" in low or "skype" in low or "wxid" in low or "hash" in low
                     or "u/" in low)
        ):
            return
        taken = Claims(len(text))
        if contacted:
            for m in _CONTACTED_ID.finditer(text):
                if _account_shaped(m.group("id")) and not self._own.introduces(text, m.start("id")):
                    taken.claim(m.start("id"), m.end("id"))
                    yield _to_source(view, _make(view, *m.span("id"), "handle.contacted", 0.75))
        for candidate in self._shaped(view, low, bool(mentions)):
            taken.claim(candidate.start, candidate.end)
            yield _to_source(view, candidate)
        for candidate in self._near_platform(view, mentions):
            if taken.free(candidate.start, candidate.end) and not self._own.introduces(
                text, candidate.start
            ):
                taken.claim(candidate.start, candidate.end)
                yield _to_source(view, candidate)
        if sigil:
            for candidate in self._at_words(
                view, bool(mentions), context.participants, self._own.names
            ):
                if taken.free(candidate.start, candidate.end) and not self._own.introduces(
                    text, candidate.start
                ):
                    taken.claim(candidate.start, candidate.end)
                    yield _to_source(view, candidate)
        # Last: an "@" or a platform's own form right before the id spans more of it.
        for candidate in self._later_in_sentence(view, mentions, taken):
            if not self._own.introduces(text, candidate.start):
                taken.claim(candidate.start, candidate.end)
                yield _to_source(view, candidate)
        if mentions and "my " in low:
            # "… we prefer Signal, not here. my username is jonas_k.77": an app named in
            # the message, an id named as the sender's own in a sentence after it
            for m in _MY_ID.finditer(text, mentions[0].end):
                if (
                    _account_shaped(m.group("id"), near_platform=True)
                    and taken.free(*m.span("id"))
                    and not self._own.introduces(text, m.start("id"))
                ):
                    yield _to_source(view, _make(view, *m.span("id"), "handle.platform", 0.8))

    @staticmethod
    def _shaped(view: TextView, low: str, has_platform: bool) -> Iterator[Candidate]:
        """Ids whose shape names the app: Skype, Discord tags, WeChat."""
        text = view.text
        skype = "skype" in low or "skipe" in low
        # Each pattern is tried only where its literal part occurs ("live", "skype",
        # "#", "hash", "wxid"), so long texts cost a scan for those and little more.
        for at in _SKYPE_TRIGGER.occurrences(low):
            m = _SKYPE.match(text, at)
            if m is None:
                continue
            name = m.group("name")
            # "live:name" glued, or "live colon name" spelled out, is written as a Skype
            # id on purpose; "we go live: monday" has the space of prose after its colon.
            glued = not m.group("gap")
            if m.group("cidstub"):
                yield _make(view, m.start(), m.end(), "handle.skype_fragment", 0.3)
            elif name is None or (
                _account_shaped(name, near_platform=glued) and (has_platform or glued)
            ):
                yield _make(view, m.start(), m.end(), "handle.skype", 0.95)
            elif (skype or glued) and _plain_name_ok(name):
                # With a space after the colon, "live: meenaart" is a Skype name only
                # if Skype is named.
                yield _make(view, m.start(), m.end(), "handle.skype", 0.9)
        for at in _DISCORD_TRIGGER.occurrences(low):
            low_bound = text.rfind(" ", 0, max(0, at - 34)) + 1
            m = _DISCORD.search(text, low_bound, min(len(text), at + 12))
            if m is None or m.start("tag") > at:
                continue
            if m.group("id").lower() in _NUMBERED_THINGS:
                continue
            name = m.group("id")
            if _RANGE_AFTER.match(text, m.end()):
                continue  # "orders sync is missing #1043 to #1058"
            if " " in m.group("tag") and not (
                has_platform or _account_shaped(name) or _plain_name_ok(name)
            ):
                continue  # "Batch # 2024" without any app in sight
            yield _make(view, m.start(), m.end(), "handle.discord", 0.9)
        for at in _WECHAT_TRIGGER.occurrences(low):
            m = _WECHAT.match(text, at)
            if m is not None:
                yield _make(view, m.start(), m.end(), "handle.wechat", 0.95)
        if "://" in low:
            for m in _APP_URI.finditer(text):
                yield _make(view, m.start(), m.end(), "handle.link", 0.95)
        if len(low) >= _SESSION_ID_LENGTH:
            for m in _SESSION_ID.finditer(low):
                yield _make(view, m.start(), m.end(), "handle.session", 0.9)
        if low.count("@") >= 2:
            for m in _FEDIVERSE.finditer(text):
                if m.group("tld").lower() in platforms.TLDS:
                    yield _make(view, m.start(), m.end(), "handle.fediverse", 0.95)
        for at in _REDDIT_TRIGGER.occurrences(low):
            slashed = at > 0 and text[at - 1] == "/"
            m = _REDDIT.match(text, at - 1 if slashed else at)
            # Plain "u/name" needs an app named nearby: "u/min" is a unit.
            if m is not None and (has_platform or _account_shaped(m.group("id"))):
                yield _make(view, m.start(), m.end(), "handle.reddit", 0.9)

    @staticmethod
    def _later_in_sentence(
        view: TextView, mentions: list[_Mention], taken: Claims
    ) -> Iterator[Candidate]:
        """An id shaped like an account (dots, underscores, digits) further on in the
        sentence that names an app: "dm on insta, its the same as my name here,
        priya.designs", "add me on snap if u want zara.makes.stuff". The first such
        word only, and only where nothing was found after the app already (a masked
        one included: its label ends the search); an app that is also an everyday word
        needs a contact verb before it.
        """
        text = view.text
        if mentions:
            # "tg is faster. search arjun_ops_247 if it's urgent": told to look an id up,
            # anywhere after the app's name, in any sentence.
            for found in _VERB_THEN_ID.finditer(text, mentions[0].start):
                if taken.free(*found.span("id")) and _far_id_ok(found.group("id")):
                    taken.claim(*found.span("id"))
                    yield _make(view, *found.span("id"), "handle.later", 0.75)
        for m in mentions:
            if m.weak and _INTRODUCER.search(text, max(0, m.start - 40), m.start) is None:
                continue
            stop = _SENTENCE_STOP.search(text, m.end, m.end + _LATER_REACH)
            end = stop.start() if stop is not None else min(len(text), m.end + _LATER_REACH)
            found = _SHAPED_LATER.search(text, m.end, end)
            if (
                found is None
                or not taken.free(m.end, found.end())
                or not _far_id_ok(found.group())
            ):
                continue
            if text.startswith(("(", "/", "@"), found.end()):
                continue  # a call, a path, an address: code or a link
            taken.claim(found.start(), found.end())
            yield _make(view, found.start(), found.end(), "handle.later", 0.7)

    @staticmethod
    def _near_platform(view: TextView, mentions: list[_Mention]) -> Iterator[Candidate]:
        """Ids written right after, or right before, a platform word."""
        text = view.text
        for m in mentions:
            pos, lead = skip_fillers(text, m.end, _FILLERS)
            slug = _linkedin_slug(text, m, pos, lead)
            if slug is not None:
                yield _make(view, pos, slug.end(), "handle.platform", 0.85)
                continue
            # From right after the app and its colon or dash, "the" included ("insta - the
            # wed story (no spaces)"); else after the words that introduce the id.
            apart = _WORDS_TO_JOIN.match(text, _AFTER_APP.match(text, m.end).end())
            apart = apart or _WORDS_TO_JOIN.match(text, pos)
            if apart is not None:
                # "insta: lens by aarav (ek word me)", "telegram pe search karo gyan updates
                # batch, underscore laga ke": an id typed as words, and the reader told to
                # put them together
                yield _make(view, *apart.span("words"), "handle.platform", 0.85)
                continue
            found = _ID_AFTER.match(text, pos)
            if found is None:
                continue
            ident = found.group("id")
            # After an "@" the id's first word may be code ("insta id" | "add @tailwind
            # base;"); its last may not ("ig pe dm karo @gurpreet.media" is an account).
            code = ident.lower().split(".")[:1] if found.group("at") else ()
            if _not_an_account(ident, code):
                continue  # "whatsapp? @ Rs.80 per image"
            if found.group("at") == "@ " and ident.lower() in platforms.COMMON_WORDS:
                continue  # "same id on tele, just add the @ in front"
            if (
                found.group("tag")
                or found.group("at")
                or _account_shaped(ident, near_platform=True)
                or view.spaced(found.start("id"), found.end("id"))
            ):
                score = 0.9  # shaped, or spelled letter by letter: nobody spells a word
            elif (
                # A new sentence may name the id outright: "on Skype. My ID: manojwrites".
                (not lead.sentence or not _ID_WORDS.isdisjoint(lead.words))
                and (_introduced(text, m, lead) or (not m.weak and _coined(ident)))
                and _plain_name_ok(ident)
                and _ends_clause(text, found.end())
            ):
                score = 0.7
            else:
                continue
            start = _with_written_at(text, m.end, found.start())
            yield _make(view, start, found.end(), "handle.platform", score)
        anchors = [(m.start, m.end, False, m.weak) for m in mentions]
        anchors += [(i, i + 1, True, False) for i in _POINT_TRIGGER.occurrences(text)]
        previous_end = 0
        for at, anchor_end, point, weak in sorted(anchors):
            # An id never holds a platform word, so the look back stops at the one
            # before: a text of nothing but platform words costs no more than prose.
            m = _ID_BEFORE.search(text, max(previous_end, _window_start(text, at)), at)
            previous_end = max(previous_end, anchor_end)
            if m is None:
                continue
            ident = m.group("id")
            if (
                m.group("tag")
                or _account_shaped(ident, near_platform=True)
                or view.spaced(m.start("id"), m.end("id"))
            ):
                score = 0.85
            elif (
                not point
                and _plain_name_ok(ident)
                and "," not in text[m.end("id") : at]  # "I'm sorry, WeChat isn't allowed"
                and (
                    ((m.group("at") or m.group("lead") or m.group("own")) and ident.islower())
                    # "tanvilabs on telegram, …", "i'm Thesnehai on kik": a coined name
                    # opening its clause before the app it lives on.
                    or (
                        not weak
                        and (m.group("lead") or _starts_clause(text, m.start()))
                        and _coined(ident)
                        and ident[1:].islower()
                    )
                )
            ):
                score = 0.7
            else:
                continue
            start = m.start("at") if m.group("at") else m.start("id")
            start = _with_written_at(text, max(0, start - 20), start)
            end = m.end("tag") if m.group("tag") else m.end("id")
            yield _make(view, start, end, "handle.platform", score)

    @staticmethod
    def _at_words(
        view: TextView, has_platform: bool, participants: tuple[str, ...], own: frozenset[str]
    ) -> Iterator[Candidate]:
        """Bare ``@word``s that are not a participant and not technical (module doc)."""
        text = view.text
        names = {_fold_name(p) for p in participants}
        # Code talk: every "@" of a message that also holds a scoped package or a
        # decorator call is code ("bump @types/node … @backoff.on_exception").
        technical = not has_platform and _TECH_AT_CONTEXT.search(text) is not None
        for m in _AT_WORD.finditer(text):
            ident = m.group("id").rstrip(".")
            end = m.start("id") + len(ident)
            parts = ident.lower().split(".")
            if parts[0] in own:
                continue  # "follow @webperhour": the platform's own account
            if _not_an_account(ident, parts):
                continue  # @media, @app.route, @functools.cache, @ rs.80, @ 5.30
            if len(ident) < 3 or _fold_name(ident) in names:
                continue
            last = parts[-1] if len(parts) > 1 else ""
            if last in platforms.FILE_EXTENSIONS:
                continue
            if parts[0] in platforms.MAIL_PROVIDERS and last:
                continue  # "@gmail.com": the domain half of an address
            if text[end : end + 1] in ("(", "{", "/", "@", "-"):
                continue  # @app.route(…), @book{…}, @types/node, @scope/pkg@1.0, @font-face
            if technical or _is_decorator(text, m.start(), end):
                continue
            where = _WHERE_AFTER.match(text, end)
            place = where.group(1).lower() if where is not None else ""
            if place == "here" or place.startswith("this ") or place in own:
                continue  # "I'm @sameer_k on here": an account on the platform itself
            shaped = _account_shaped(ident)
            if m.group("space") and not (has_platform or shaped):
                continue  # "@ 450 rs per image", "meet @ noon"
            if has_platform or shaped:
                score = 0.85
            elif any(c.isupper() for part in _NAME_PARTS.split(ident) for c in part[1:]):
                score = 0.45  # CamelCase: likely an annotation we do not list
            elif ident.istitle() and ident.isalpha() and (
                _GREETING.search(text, 0, m.start())
                or (is_english_word(ident) and _ASKED_BEFORE.search(text, 0, m.start()) is None)
            ):
                # "@Priya can you check", "hi @Priya", "thanks @Rohan": a name addressed,
                # not an account; "avoid the @Flipkart blue": a brand talked about
                score = 0.45
            else:
                score = 0.7
            yield _make(view, m.start(), end, "handle.at", score)


# Words between a platform and its id, the "at" of the id spelled out among them ("my
# insta is at the rate kavya.clicks", "at symbol zoya_codes").
_FILLERS = platforms.COMMON_WORDS | {
    "username", "handle", "user", "rate", "symbol", "sign", "it's", "it\u2019s", "its", "naam",
    *AT_WORDS_ABROAD,
}
_NAME_PARTS = re.compile(r"[._]")
_MY_ID = regex.compile(
    r"\b(?i:my\ (?:user\ ?name|id|handle))(?:\ (?i:is)|:)\ +(?P<id>[A-Za-z][\w.]{1,30}+)(?<![.])"
)
_AFTER_APP = re.compile(r"[\s:\-\u2013]*")
# Words of an id typed apart, then how to put them together ("search karo" alone would
# take "wedding photos search karo" too).
_WORDS_TO_JOIN = regex.compile(
    r"(?P<words>[A-Za-z][A-Za-z0-9]*+(?:\ [A-Za-z][A-Za-z0-9]*+){1,3}?)[\s,(]{1,3}"
    r"(?i:ek\ word\ (?:me|mein)|one\ word|no\ spaces?|without\ spaces?|all\ together"
    r"|underscore\ (?:laga|lagake|laga\ ke|between))"
)
_WRITTEN_AT_BEFORE = regex.compile(
    rf"(?i:\bat\ ?the\ ?rate(?:\ of)?|\bat\ (?:sign|symbol)|{AT_ABROAD})\ +\Z"
)
_WORD_NUMBERED = re.compile(r"([A-Za-z]+)-[0-9]+")
_TECH_AT_CONTEXT = re.compile(r"@[\w.-]+[/(]|\b(?i:decorators?|annotations?)\b")
# Where an "@name" lives, said after it: "on here", "on this platform", "on WebPerHour".
_WHERE_AFTER = re.compile(r" (?:on|at) (here|this (?:platform|site|app)|\w+)\b", re.IGNORECASE)
_VERSION = regex.compile(r"(?i:v)?\d+(?:\.\d+)*[a-z]?")
_LETTER = re.compile(r"[A-Za-z]")
_MARK = re.compile(r"[0-9._]")
_WRITTEN_DOT = regex.compile(_ID_DOT)
_WRITTEN_UNDERSCORE = regex.compile(UNDERSCORE)
_ID_WORDS = frozenset({"id", "username", "handle", "name", "naam"})
_NAMING_WORDS = _ID_WORDS | {":"}
_CONTACT_VERBS = frozenset({"dm", "msg", "message", "ping", "add", "text", "follow", "search"})
# A verb asking to be found right before an "@Name": "follow @Priya" is an account.
_ASKED_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(_CONTACT_VERBS | {'find', 'tag'}))})\s+(?:me\s+)?(?:at\s+|on\s+)?\Z",
    re.IGNORECASE,
)


def _not_an_account(ident: str, code: Iterable[str]) -> bool:
    """Whether an id is an amount or a time ("@ rs.80", "@ 5.30": no account is all
    digits), or code: one of its dotted words ``code`` is a word of code after an "@"
    (@media, @app.route, @pytest.fixture)."""
    if ident.split(".", 1)[0].lower() in platforms.AT_NON_NAMES:
        return True
    return not any(c.isalpha() for c in ident) or any(
        p in platforms.TECH_AT_WORDS for p in code
    )


def _introduced(text: str, platform: _Mention, lead: Lead) -> bool:
    """Whether the words around a platform word present the next word as an id.

    "telegram id thepriyan", "skype: sannemedia" and "telegram pe DM karo swatihq"
    do; "snap me" + "later" or "telegram allowed nahi" do not. After an ordinary
    word that is also a platform name ("line", "signal", "snap") only an explicit
    "id"/"username" will do.
    """
    if lead.marker in _NAMING_WORDS or any(w in _NAMING_WORDS for w in lead.words):
        return True
    if lead.words[:1] == ("me",) and len(lead.words) == 1:
        return True  # "snap me sannemedia", "insta me rahulk": the app as a verb
    if platform.weak:
        return False
    if lead.marker in _ID_MARKERS or any(w in _CONTACT_VERBS for w in lead.words):
        return True
    before = max(0, platform.start - 40)
    owned = OWNER_BEFORE.search(text, before, platform.start) is not None
    if lead.words:
        # "my skype is rahulk" names an account; "skype is outdated" judges the app.
        return owned and lead.words == ("is",)
    return owned or _INTRODUCER.search(text, before, platform.start) is not None


def _linkedin_slug(
    text: str, platform: _Mention, pos: int, lead: Lead
) -> regex.Match[str] | None:
    """A hyphenated profile slug after "linkedin": three parts or more with a digit
    ("linkedin rahul-sharma-92"), or, introduced ("my linkedin is …"), any with a digit
    or a word that is no English word ("linkedin: well-known" is prose)."""
    if text[platform.start : platform.end].lower() != "linkedin":
        return None
    m = _SLUG.match(text, pos)
    if m is None or lead.sentence:
        return None
    parts = m.group().split("-")
    digits = any(c.isdigit() for c in m.group())
    if digits and len(parts) >= 3:
        return m  # "linkedin rahul-sharma-92": shaped like a profile's address
    if _introduced(text, platform, lead) and (digits or any(map(_coined, parts))):
        return m
    return None


def _account_shaped(ident: str, *, near_platform: bool = False) -> bool:
    """Letters plus digits, ``_`` or an inner dot: an account name, not a word.

    File names and versions are shaped like that too and are excluded, and so are
    domain-like names unless a platform word vouches for them ("my insta is
    rahul.codes": an Instagram name, even though ``.codes`` is a TLD).
    """
    compact = _WRITTEN_UNDERSCORE.sub("_", _WRITTEN_DOT.sub(".", ident))
    if _LETTER.search(compact) is None or _MARK.search(compact) is None:
        return False
    if "." in compact:
        last = compact.rsplit(".", 1)[1].lower()
        if last in platforms.FILE_EXTENSIONS:
            return False
        if last in platforms.TLDS and not near_platform:
            return False
    if _VERSION.fullmatch(compact):
        return False
    numbered = _WORD_NUMBERED.fullmatch(compact)
    if numbered is not None and is_english_word(numbered.group(1)):
        return False  # "covid-19", "gpt-4": a word and its number
    return len(compact) >= 3


def _with_written_at(text: str, since: int, start: int) -> int:
    """Where an id starting at ``start`` starts with its sigil: a written at right before
    it, after ``since``, is one, masked with it ("insta: at the rate kavya.clicks", "find
    me at symbol zoya_codes on tele", "no insta: arroba lucas.fotografia.sp")."""
    written_at = _WRITTEN_AT_BEFORE.search(text, since, start)
    return start if written_at is None else written_at.start()


def _far_id_ok(ident: str) -> bool:
    """Whether a word away from the app's name is an account's id: shaped like one, not
    domain-like ("ASP.NET": a link's or a product's), and not snake_case made of English
    words, a name in code ("message_handler", "first_name"; "arjun_ops_247" is an id)."""
    if not _account_shaped(ident):
        return False
    if "_" not in ident or "." in ident:
        return True
    return any(p.isdigit() or not is_english_word(p) for p in ident.split("_") if p)


def _plain_name_ok(ident: str) -> bool:
    """A plain word that could still be a user name: long enough, not an ordinary word."""
    lower = ident.lower()
    return (
        ident.replace("-", "").isalpha()  # "priya-draws"
        and len(ident) >= 5
        and lower not in platforms.COMMON_WORDS
        and lower not in platforms.CLAUSE_ENDINGS
        and _platform_kind(lower) is None
    )


def _coined(ident: str) -> bool:
    """A name nobody uses as a word: not among the most frequent English words, not a
    chat or Hinglish word ("ig poojahq"; "insta reels", "insta pe daalo" stay prose)."""
    return not is_english_word(ident)


def _starts_clause(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in ".,;:!?\n)(" or _EMOJI.match(before[-1]) is not None


def _ends_clause(text: str, end: int) -> bool:
    rest = text[end : end + 12].lstrip(" \t")
    if not rest or rest[0] in ".,;:!?)(\n" or _EMOJI.match(rest) or rest[0] == _POINT_BACK:
        return True
    if rest.startswith(("- ", "\u2013 ", "\u2014 ")) and end < len(text) and text[end] == " ":
        return True  # "add me: farhanwrites - project id …": a spaced dash starts a new clause
    return rest.split(None, 1)[0].lower().rstrip(".,!?") in platforms.CLAUSE_ENDINGS


def _is_decorator(text: str, start: int, end: int) -> bool:
    """``@name`` opening a line with more under it, or ending one with code under it."""
    line_end = text.find("\n", end)
    if line_end == -1 or not text[line_end:].strip():
        return False
    if not text[text.rfind("\n", 0, start) + 1 : start].strip():
        return True
    return not text[end:line_end].strip() and _CODE_LINE.match(text, line_end + 1) is not None


class _Trigger(NamedTuple):
    """Where a pattern's literal part occurs in a text.

    Every match contains one of ``literals``: a text holding none of them (most
    messages) is answered without running the pattern.
    """

    pattern: re.Pattern[str]
    literals: tuple[str, ...]

    def occurrences(self, text: str) -> Iterator[int]:
        if not any(map(text.__contains__, self.literals)):
            return iter(())
        return (m.start() for m in self.pattern.finditer(text))


_SKYPE_TRIGGER = _Trigger(re.compile(r"live|skype:"), ("live", "skype:"))
_DISCORD_TRIGGER = _Trigger(re.compile(r"#|(?<= )hash(?= )"), ("#", "hash"))
_WECHAT_TRIGGER = _Trigger(re.compile(r"wxid"), ("wxid",))
_REDDIT_TRIGGER = _Trigger(re.compile(r"u/"), ("u/",))
_POINT_TRIGGER = _Trigger(re.compile(_POINT_BACK), (_POINT_BACK,))


def _window_start(text: str, end: int) -> int:
    """Where to look back from for an id before a platform word: a word boundary
    at most 64 characters back (an id, a connector and an "@" fit easily)."""
    low = end - 64
    if low <= 0:
        return 0
    space = text.find(" ", low, end)
    return low if space == -1 else space + 1


def _fold_name(name: str) -> str:
    return "".join(c for c in name.lower().lstrip("@") if c.isalnum())


def _make(view: TextView, start: int, end: int, rule: str, score: float) -> Candidate:
    """A candidate in view offsets; :func:`_to_source` maps it back."""
    text = view.text[start:end]
    disguises = set()
    if " " in text or any(w in text.lower() for w in ("dot", "hash", "underscore")):
        disguises.add("obfuscated")
    if view.spaced(start, end):
        disguises.add("spaced")
    return Candidate(start, end, DetailType.HANDLE, rule, score, frozenset(disguises))


def _to_source(view: TextView, candidate: Candidate) -> Candidate:
    start, end = view.to_source(candidate.start, candidate.end)
    return Candidate(
        start, end, candidate.type, candidate.rule, candidate.score, candidate.disguises
    )
