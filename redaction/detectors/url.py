"""External links: URLs, bare domains and their defanged spellings.

A link is a host of two or more labels, optionally led by a scheme (``https://``,
defanged ``hxxps://``) or ``www.``, and followed by a path. Dots and slashes may be
written out (``portfolio (dot) in``, ``t dot me slash x``, ``example[.]com``).

Bare names are where the false positives live: ``deploy.sh``, ``logo.ai``,
``Node.js``, ``v2.3.1``, ``e.g.``, ``done.Thanks``. So a bare host must end with a
TLD from a curated list; TLDs that double as file extensions need a path or a
link word nearby; a capitalised TLD after a word is a sentence that lost its space.

Links to messaging and social apps (``t.me/x``, ``wa.me/91…``, ``instagram.com/x``)
are reported as ``handle``: they name an account. Everything else is ``url``.
Hosts in ``config.allowed_domains`` (and their subdomains) are never reported.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

from redaction.detectors import platforms
from redaction.detectors.base import Candidate
from redaction.detectors.disguise import (
    AT_ABROAD,
    BULLET_DOTS,
    DOT,
    DOT_ABROAD,
    DOT_ABROAD_GATE,
    POINT_BEFORE_TLD,
    SLASH,
    UNDERSCORE,
    OwnAccount,
    TextView,
    as_read,
    is_obfuscated,
    spaced_view,
)
from redaction.types import Context, DetailType
from redaction.vocabulary import is_english_word

if TYPE_CHECKING:
    from redaction.config import RedactorConfig

# A label may not swallow a glued "DOT" ("gmailDOTcom" is two labels).
_LABEL = r"(?:(?!DOT[a-z0-9])[A-Za-z0-9])(?:(?!DOT[a-z0-9])[A-Za-z0-9-]){0,62}"

# "https://", defanged "hxxps : //", written out "http colon slash slash ".
_SCHEME = r"(?i:h[tx]{2}ps?|ftp)(?:\ ?:\ ?//|\ (?i:colon\ slash\ slash))\ ?"

_LINK = regex.compile(
    rf"""
    (?<![\w@/.-])                                    # not inside a word, email or path
    (?P<scheme>{_SCHEME})?
    (?P<www>(?i:www){DOT})?
    (?P<label>{_LABEL})(?:{DOT}(?P<label>{_LABEL})){{1,8}}
    (?![\w@-])
    (?P<port>:\d{{2,5}})?
    (?P<path>
        {SLASH}
        (?:\ ?(?P<digits>\+?\d{{1,6}}(?:\ \d{{2,8}}){{1,4}})(?![\w-])   # wa.me/ 91 98765 43210
          |(?<=/)\ [\w~%.-]++(?:\ /\ [\w~%.-]++)++(?:\ ?\?\ ?[\w=&%.-]++)?+   # a / spaced / path
          |(?<=/)\ (?P<tail>[A-Za-z0-9][\w-]{{2,}}+(?:(?:\.|{UNDERSCORE})[\w-]++){{0,4}}+)
           (?![^\s.,;!?)]|:)                            # bit.ly/ XvQFsDJ, m.me/ tanvi.j
          |[^\s<>"'`]*+(?:(?:{SLASH}|\ (?i:dot)\ (?=\w)|{UNDERSCORE})[^\s<>"'`]++)*+)
    )?
    """,
    regex.VERBOSE,
)

# "www rahuldev com": every dot left out, which only the "www" in front gives away.
_SPACED_WWW = regex.compile(
    r"(?<![\w.])(?i:www)\ +(?P<name>[A-Za-z0-9][A-Za-z0-9-]{1,62}+)\ +(?P<tld>[A-Za-z]{2,6}+)(?!\w)"
)

# Internationalised hosts: labels in any script, under an internationalised TLD
# ("कविताआर्ट.भारत", "пример.рф") or a Latin one ("पोर्टफोलियो.com"). Only tried on text that
# is not ASCII; a host of ASCII labels alone is the main pattern's.
# fmt: off
_IDN_TLDS = (
    "भारत", "भारतम्", "ভারত", "இந்தியா", "భారత్", "ભારત", "ਭਾਰਤ", "ഭാരതം", "ಭಾರತ",
    "рф", "укр", "срб", "бел", "қаз", "мкд", "мон", "москва", "онлайн", "сайт", "орг",
    "中国", "中國", "香港", "台灣", "台湾", "新加坡", "公司", "网络", "在线", "中文网", "한국",
    "みんな", "ไทย", "مصر", "السعودية", "امارات", "ایران", "پاکستان", "قطر", "عمان",
)
# fmt: on
_IDN_HOST = regex.compile(
    r"(?<![\w@/.-])(?:(?i:https?)://)?(?P<host>[\w-]{1,63}+(?:\.[\w-]{1,63}+){0,4}\.(?P<tld>[\w-]{2,63}+))"
    r"(?P<path>/[^\s<>\"'`\[]*+)?"  # up to a mask's label, if one follows
)
_IDN_TLD_SET = as_read(_IDN_TLDS)

# The text right before a host that makes it the domain of an email address.
_AFTER_AT = regex.compile(
    rf"(?:@\ ?|[\[\(\{{<]\ ?(?i:at|@|{AT_ABROAD})\ ?[\]\)\}}>]\ ?"
    rf"|(?i:rate(?:\ of)?|{AT_ABROAD})\ )$"
)
_TRAILING = ".,;:!?'\")]}*@"
# Not "[link removed]" or "[link]": a mask must not vouch for the words next to it.
_LINK_WORDS = regex.compile(r"(?<!\[)\b(?i:" + "|".join(sorted(platforms.LINK_WORDS)) + r")\b")
# Cheap test before the full pattern: some dot, written or not.
# Every link has a dot, written or not: the pattern is only tried at the start of
# the word before one (stdlib ``re`` finds them fast), never across plain prose.
_DOT_TRIGGER = re.compile(rf"\.|\u3002|d(?=[o0]t)|[{BULLET_DOTS}]|{DOT_ABROAD}")
# And with French "point" (a look-behind at every position: only for texts that hold one).
_DOT_TRIGGER_POINT = re.compile(f"{_DOT_TRIGGER.pattern}|(?<=\\ ){POINT_BEFORE_TLD}")
# The label characters ending at a position, matched right to left (REVERSE): one
# step for the whole label instead of one per character.
_BULLET_DOT = re.compile(f"[{BULLET_DOTS}]")
_SPACED_SHORT_HOSTS = ("bit ly", "discord gg", "linktr ee", "wa me", "cutt ly")
_SPACED_SHORT_HOST = re.compile(
    rf"(?<![\w.])(?P<host>(?i:{'|'.join(_SPACED_SHORT_HOSTS)})) ?(?:/| (?i:slash) ) ?"
    r"(?=[a-z_-]*[0-9A-Z])[A-Za-z0-9_-]{3,40}+(?![\w/])"  # a code, no word: "4kPz9Wq"
)
# A chat link's number cut short, and the digit groups that may complete it.
_FULL_NUMBER = 11
_MORE_GROUPS = re.compile(r"(?: [0-9]{2,6}){1,3}(?![\w.,/])")
# No host starts with a generic TLD: a name that does is written backwards, an app's
# bundle id or a Java package.
_REVERSED_DNS_HEADS = frozenset({"com", "org", "net", "io", "dev", "app"})
_LABEL_RUN = regex.compile(r"[A-Za-z0-9-]*", regex.REVERSE)
_SCHEME_BEFORE = re.compile(rf"{_SCHEME}\Z")

# Well-known sites named without a path are a topic, not a contact detail
# ("upload it to youtube.com"); with a path they are a link like any other.
_TOPICS = frozenset(
    {
        "google.com",
        "youtube.com",
        "gmail.com",
        "github.com",
        "gitlab.com",
        "figma.com",
        "canva.com",
        "wordpress.com",
        "shopify.com",
        "amazon.com",
        "amazon.in",
        "flipkart.com",
    }
)


# Link shorteners whose first label is an English word, so their host alone reads as prose.
_SHORTENERS = frozenset({"we.tl", "is.gd", "v.gd", "to.ly", "go.gl", "on.fb.me", "it.ly"})


class UrlDetector:
    """Finds external links; links to chat and social apps come out as handles."""

    name = "url"

    def __init__(self, config: RedactorConfig) -> None:
        self._allowed = tuple(d.lower().lstrip(".") for d in config.allowed_domains)
        self._own = OwnAccount(config.allowed_domains)

    def detect(self, text: str, context: Context) -> Iterator[Candidate]:
        lowered = text.lower()
        if "www " in lowered:
            yield from self._spaced_www(text)
        if ("/" in lowered or "slash" in lowered) and any(
            host in lowered for host in _SPACED_SHORT_HOSTS
        ):
            yield from _short_hosts_spaced(text)
        if (
            "." not in text
            and "\u3002" not in text
            and "dot" not in lowered
            and "d0t" not in lowered
            and _BULLET_DOT.search(text) is None
            and DOT_ABROAD_GATE.search(lowered) is None
            and " point " not in lowered
        ):
            return
        if not text.isascii() and "." in text:
            yield from self._internationalised(text)
        view = spaced_view(text)
        text = view.text
        low = text.lower()
        # Lower-casing never shortens a character: the same length means the same offsets.
        aligned = len(low) == len(text)
        done = 0  # links end here or before; a rejected reading ("rahul.k92 / bit.ly/x")
        # never swallows the link after it, since every dot is tried on its own
        failed = -1  # a start whose reading was rejected: the same again ("v1.2.3")
        triggers = _DOT_TRIGGER_POINT if " point " in low else _DOT_TRIGGER
        for trigger in triggers.finditer(low):
            at = trigger.start()
            if aligned and text[at] == "." and not _may_join_labels(text, at):
                # "done. Thanks", "…soon.": no link has this dot between two labels,
                # and one with an earlier written dot ("xDOTy.") was tried from it.
                continue
            label, start = _word_start(text, at)
            if start < done:
                start = label  # "t.me/ https:// bit.ly/x": the scheme was taken
            if start < done or start == failed or (start and text[start - 1] in "@/.-_"):
                continue  # inside a link already found, or not at a word's start
            m = _LINK.match(text, start)
            candidate = None if m is None else self._judge(view, m)
            if candidate is not None:
                yield candidate
                done = m.end()
            else:
                failed = start

    def _judge(self, view: TextView, m: regex.Match[str]) -> Candidate | None:
        labels = m.captures("label")
        explicit = m.group("scheme") is not None or m.group("www") is not None
        if not explicit and labels[-1].lower() not in platforms.TLDS:
            return None  # the cheapest and most common way out
        host = ".".join(labels).lower()
        host = host.removeprefix("www.")
        if self._is_allowed(host) or _is_nobodys(host):
            return None
        if not explicit and len(labels) > 2 and labels[0].lower() in _REVERSED_DNS_HEADS:
            return None  # "com.kenjicafe.app", "org.apache.commons": a bundle id, a package
        text = view.text
        start, end = m.start(), m.end()
        if m.group("scheme") is None and m.group("www") is None:
            start = m.starts("label")[0]
        if _AFTER_AT.search(text, max(0, start - 16), start) is not None:
            return None
        tail = m.group("tail")
        # A host spaced out on purpose ("calendly . com / ananya-k") keeps its spaced path.
        spaced_host = " " in text[start : m.start("path")] if tail is not None else False
        if tail is not None and (
            tail.lower() in platforms.COMMON_WORDS
            or not (
                _is_handle_host(host)
                or spaced_host
                or any(c.isdigit() or c.isupper() or c == "_" for c in tail)
            )
        ):
            end = m.start("tail")  # "bit.ly/ then" is a fragment and a word
        end = _trim(text, start, end)
        path_start = m.start("path") if m.group("path") is not None else end
        if text[path_start : path_start + 1] == " " and not text[path_start:end].strip(" /"):
            end = path_start  # "site.com / 2024" is prose, not a path
        has_path = end > path_start
        path_content = text[path_start:end].strip(" /") if has_path else ""
        if (
            host == "wa.me"
            and path_content.lstrip("+").isdigit()
            and len(path_content) < _FULL_NUMBER
            and (groups := _MORE_GROUPS.match(text, end)) is not None
        ):
            # "wa.me/9198450 12376": the rest of the number typed after a space
            end = groups.end()
        spaced = view.spaced(start, end)
        if not explicit and not self._bare_host_ok(text, m, labels, has_path, spaced):
            return None
        if not explicit and not has_path and self._own.introduces(text, start):
            return None  # "my WebPerHour username is oliver.dev": a user name here
        kind, rule = DetailType.URL, "url"
        if _is_handle_host(host):
            if not path_content:
                # "instagram.com" alone names the app; "t.me/" alone is a fragment
                # of a split attempt, below the default threshold on its own.
                if host not in platforms.FRAGMENT_HOSTS or not has_path:
                    return None
                kind, rule = DetailType.HANDLE, "handle.link_fragment"
            else:
                kind, rule = DetailType.HANDLE, "handle.link"
        if rule == "handle.link_fragment":
            score = 0.3
        elif rule == "handle.link":
            # An app's host with an id after it is the whole detail, even when the id
            # is a phone number the phone detector also sees (wa.me/919876543210).
            score = 0.99
        else:
            score = 0.95 if explicit or has_path else 0.8
        matched = text[start:end]
        disguises: set[str] = set()
        if is_obfuscated(matched) or matched[:4].lower() == "hxxp":
            disguises.add("obfuscated")
        if spaced:
            disguises.add("spaced")
        s, e = view.to_source(start, end)
        return Candidate(s, e, kind, rule, score, frozenset(disguises))

    def _spaced_www(self, text: str) -> Iterator[Candidate]:
        for m in _SPACED_WWW.finditer(text):
            host = f"{m.group('name')}.{m.group('tld')}".lower()
            if m.group("tld").lower() in platforms.TLDS and not (
                self._is_allowed(host) or host in _TOPICS or _is_handle_host(host)
            ):
                yield Candidate(
                    m.start(), m.end(), DetailType.URL, "url.spaced_www", 0.9,
                    frozenset({"obfuscated"}),
                )

    def _internationalised(self, text: str) -> Iterator[Candidate]:
        for m in _IDN_HOST.finditer(text):
            host, tld = m.group("host"), m.group("tld")
            if host.isascii() or not (tld in _IDN_TLD_SET or tld.lower() in platforms.TLDS):
                continue
            if _AFTER_AT.search(text, max(0, m.start() - 16), m.start()) is not None:
                continue  # the domain of an address
            end = _trim(text, m.start(), m.end())
            yield Candidate(m.start(), end, DetailType.URL, "url.idn", 0.9, frozenset({"unicode"}))

    def _is_allowed(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self._allowed)

    @staticmethod
    def _bare_host_ok(
        text: str, m: regex.Match[str], labels: list[str], has_path: bool, spaced: bool
    ) -> bool:
        tld = labels[-1]
        lower_tld = tld.lower()
        if lower_tld not in platforms.TLDS:
            return False
        host = ".".join(labels).lower()
        if host in platforms.TECH_NAMES:
            return False
        if not any(c.isalpha() for c in labels[-2]):
            return False
        # "done.Thanks" / "live.In": a capitalised word after a dot is a sentence.
        if tld[0].isupper() and not tld.isupper() and not labels[-2][:1].isupper():
            return False
        written_dots = is_obfuscated(m.group(0))
        if written_dots and any(label.lower() in platforms.COMMON_WORDS for label in labels[:-1]):
            # "remove the dot in the logo"; but a link shortener with a code after it is
            # a link whatever its first label reads like ("we dot tl/t-2AWx", "is dot gd
            # slash sXWq"), and so is an app's ("chat dot whatsapp dot com slash G7hQ").
            return has_path and (host in _SHORTENERS or _is_handle_host(host))
        if has_path:
            return True
        if host in _TOPICS:
            return False
        first = labels[0].lower()
        if first in platforms.COMMON_WORDS or first in platforms.CODE_OBJECTS:
            return False  # "user.email", "this.page", "doc.it's" without a path
        if text.startswith(("'", "("), m.end()):
            return False  # "done.it's" (a contraction), "log.info(" (a call)
        if lower_tld in platforms.AMBIGUOUS_TLDS:
            # Nobody spells a file name out letter by letter, nor writes the dot of one
            # out after a coined name ("karanmehta dot me").
            return (
                spaced
                or _LINK_WORDS.search(text) is not None
                or (written_dots and len(labels) == 2 and not is_english_word(first))
            )
        return True


def _may_join_labels(text: str, dot: int) -> bool:
    """Whether the "." at ``dot`` may be (part of) a ``DOT`` between two labels.

    "x.y", "x . y", "x [.] y", "x (. ) y" (see ``disguise.DOT``): a label right
    after it, or a space or an opening bracket before it. A dot ending a word before
    a space or punctuation ends a sentence.
    """
    after = text[dot + 1 : dot + 2]
    if after.isascii() and after.isalnum():
        return True
    before = text[max(0, dot - 2) : dot]
    return any(c in "[({<" for c in before) or (before.endswith(" ") and after == " ")


def _word_start(text: str, dot: int) -> tuple[int, int]:
    """Where a link whose first dot is at ``dot`` would start: its first label, and
    the scheme before it if any ("https://", "hxxps : //")."""
    i = dot
    while i > 0 and text[i - 1] in " [({<" and dot - i < 2:
        i -= 1
    i = _LABEL_RUN.match(text, 0, i).start()
    scheme = _SCHEME_BEFORE.search(text, max(0, i - 24), i)
    return i, (scheme.start() if scheme is not None else i)


_HANDLE_SUFFIXES = tuple("." + h for h in platforms.HANDLE_HOSTS)


def _short_hosts_spaced(text: str) -> Iterator[Candidate]:
    """A short link's host typed with a space for its dot: "bit ly slash 4kPz9Wq",
    "discord gg / 8kTqPz". Only the hosts that are nothing but short links: "t me" or
    "fb me" are words too often."""
    for m in _SPACED_SHORT_HOST.finditer(text):
        host = m.group("host").lower().replace(" ", ".")
        kind = DetailType.HANDLE if _is_handle_host(host) else DetailType.URL
        rule = "handle.link" if kind is DetailType.HANDLE else "url.spaced_host"
        yield Candidate(m.start(), m.end(), kind, rule, 0.9, frozenset({"obfuscated"}))


def _is_handle_host(host: str) -> bool:
    if host in platforms.API_HOSTS:
        return False
    return host in platforms.HANDLE_HOSTS or host.endswith(_HANDLE_SUFFIXES)


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation and spaces, keeping a ``)`` that closes one in the link."""
    while end > start and (text[end - 1] in _TRAILING or text[end - 1].isspace()):
        if text[end - 1] == ")" and text.count("(", start, end) > text.count(")", start, end - 1):
            break
        end -= 1
    return end


# Reserved for documentation with every subdomain (RFC 2606): "api.example.com/v2".
_EXAMPLE_HOST = regex.compile(r"(?:[\w-]+\.)*example\.(?:com|org|net|in)")


def _is_nobodys(host: str) -> bool:
    """A placeholder host, or an address of this machine or a private network
    ("http://127.0.0.1:8000/api", "192.168.1.20:3000"): nobody's contact detail."""
    if host in platforms.PLACEHOLDER_DOMAINS or _EXAMPLE_HOST.fullmatch(host) is not None:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_unspecified
