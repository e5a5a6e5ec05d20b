"""The URL detector: links, bare domains, defanged spellings, app deep links, allow-list."""

from __future__ import annotations

import pytest

from redaction import RedactorConfig
from redaction.detectors.base import Candidate
from redaction.detectors.url import UrlDetector
from redaction.types import Context, DetailType

CONFIG = RedactorConfig()
DETECTOR = UrlDetector(CONFIG)


def found(text: str, detector: UrlDetector = DETECTOR) -> list[Candidate]:
    """Candidates the engine would keep (at or above the default threshold)."""
    return [c for c in detector.detect(text, Context()) if c.score >= CONFIG.min_score]


@pytest.mark.parametrize(
    ("text", "span", "disguises"),
    [
        ("see https://meenaart.in/work?tab=2.", "https://meenaart.in/work?tab=2", set()),
        ("(http://meena.org/a_b)", "http://meena.org/a_b", set()),
        ("www.meenaart.com/gallery, thanks", "www.meenaart.com/gallery", set()),
        ("site: meenaart.in", "meenaart.in", set()),
        ("meenaart.dev/work is my portfolio", "meenaart.dev/work", set()),
        ("bit.ly/3xYzAb", "bit.ly/3xYzAb", set()),
        ("linktr.ee/meena_art!", "linktr.ee/meena_art", set()),
        ("calendly.com/meena/30min", "calendly.com/meena/30min", set()),
        ("docs.google.com/document/d/1AbC/edit", "docs.google.com/document/d/1AbC/edit", set()),
        (
            "drive.google.com/file/d/1x/view?usp=sharing",
            "drive.google.com/file/d/1x/view?usp=sharing",
            set(),
        ),
        ("behance.net/meena", "behance.net/meena", set()),
        ("find me on fiverr.com/meena_art", "fiverr.com/meena_art", set()),
        ("linkedin.com/in/meena-r", "linkedin.com/in/meena-r", set()),
        # Spanish "barra" for the slash.
        ("portfolio: tomasruiz punto framer punto website barra work",
         "tomasruiz punto framer punto website barra work", {"obfuscated"}),
        # A host in another alphabet after its scheme.
        ("Unsere alte Seite: https://bücher-ecke.de/katalog?kategorie=kinder",
         "https://bücher-ecke.de/katalog?kategorie=kinder", {"unicode"}),
        # "so" is a word, but with a path it is Notion's TLD.
        ("my notion notion.so/kabirux/Case-Studies-2f9c", "notion.so/kabirux/Case-Studies-2f9c",
         set()),
        # French "point" for the dot, before a TLD that is no English word.
        ("c'est camille-voix point fr slash demos", "camille-voix point fr slash demos",
         {"obfuscated"}),
        ("hxxps://meenaart[.]in/work", "hxxps://meenaart[.]in/work", {"obfuscated"}),
        ("meenaart (dot) in", "meenaart (dot) in", {"obfuscated"}),
        ("meenaart dot com slash work", "meenaart dot com slash work", {"obfuscated"}),
        ("www dot meenaart dot com", "www dot meenaart dot com", {"obfuscated"}),
        # A shortener whose first label is a word, with a code after it.
        ("sample: we dot tl/t-2AWxfbnL4P", "we dot tl/t-2AWxfbnL4P", {"obfuscated"}),
        ("kholo is(.)gd slash sXWqib", "is(.)gd slash sXWqib", {"obfuscated"}),
        # A written dot before an ambiguous TLD, after a coined name.
        ("meenaartz dot me", "meenaartz dot me", {"obfuscated"}),
        ("meenaartDOTcom", "meenaartDOTcom", {"obfuscated"}),
        ("meenaart{.}co/x", "meenaart{.}co/x", {"obfuscated"}),
        ("m e e n a a r t . c o m", "m e e n a a r t . c o m", {"spaced"}),
        (
            "h t t p s ://meena[dot]in /work",
            "h t t p s ://meena[dot]in /work",
            {"spaced", "obfuscated"},
        ),
        ("my site meena.ai", "meena.ai", set()),
        (
            "https : // meena dot com slash work",
            "https : // meena dot com slash work",
            {"obfuscated"},
        ),
        ("shorturl.at/abc12", "shorturl.at/abc12", set()),
        # Written dots in the path, and every dot left out after "www".
        ("meena dot com slash work dot html", "meena dot com slash work dot html",
         {"obfuscated"}),
        ("visit www meenaart com", "www meenaart com", {"obfuscated"}),
        ("my calendly: calendly . com / meena-k", "calendly . com / meena-k", {"obfuscated"}),
        # Letter by letter, a dash after it introduces the next words.
        ("doc m e e n a - a r t . b l o g s p o t . c o m - due Friday",
         "m e e n a - a r t . b l o g s p o t . c o m", {"spaced"}),
        ("logo.ai/brand", "logo.ai/brand", set()),
        ("fill this: forms.gle/Q8vLw2mZk3Rt", "forms.gle/Q8vLw2mZk3Rt", set()),
        # A dot written with a zero for its "o".
        ("my site priyadesigns d0t in", "priyadesigns d0t in", {"obfuscated"}),
        # A bullet or a diamond glued between two labels is their dot.
        ("portfolio: priyadesigns•in/work", "priyadesigns•in/work", {"obfuscated"}),
        ("site pixelbynisha🔸com", "pixelbynisha🔸com", {"obfuscated"}),
        # A path spaced out slash by slash, with its query.
        ("Mock-ups: dropbox . com / s / x8k2p / mockups.zip ? dl=0",
         "dropbox . com / s / x8k2p / mockups.zip ? dl=0", {"obfuscated"}),
        # The scheme written out.
        ("or type hxxp colon slash slash secbyte dot dev",
         "hxxp colon slash slash secbyte dot dev", {"obfuscated"}),
        # Internationalised hosts.
        ("naya site: कविताआर्ट.भारत", "कविताआर्ट.भारत", {"unicode"}),
        ("сайт: пример.рф/contacts", "пример.рф/contacts", {"unicode"}),
        ("मेरा पोर्टफोलियो.com देखो", "पोर्टफोलियो.com", {"unicode"}),
    ],
)
def test_links(text, span, disguises):
    """Each external link is one url span from scheme or www. to its last path character."""
    (candidate,) = found(text)
    assert text[candidate.start : candidate.end] == span
    assert candidate.type is DetailType.URL
    assert candidate.disguises == disguises


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("t.me/meena_art", "t.me/meena_art"),
        ("https://wa.me/919876543210.", "https://wa.me/919876543210"),
        ("wa.me/ 91 98765 43210, ok?", "wa.me/ 91 98765 43210"),
        ("tap wa.me/ 81900 3103711 to chat", "wa.me/ 81900 3103711"),
        # An app's host written out with a common word; short links with a space for the dot.
        ("the QR just opens chat dot whatsapp dot com slash G7hQm2XkLp9",
         "chat dot whatsapp dot com slash G7hQm2XkLp9"),
        ("join discord gg / 8kTqPz now", "discord gg / 8kTqPz"),
        # A chat link's number typed on after a space.
        ("wa.me/91 98450 12376 ok", "wa.me/91 98450 12376"),
        ("api.whatsapp.com/send?phone=919876543210", "api.whatsapp.com/send?phone=919876543210"),
        ("chat.whatsapp.com/AbCdEf123", "chat.whatsapp.com/AbCdEf123"),
        ("https://www.instagram.com/meena.art/", "https://www.instagram.com/meena.art/"),
        ("discord.gg/xYz12", "discord.gg/xYz12"),
        ("m.me/meena.art", "m.me/meena.art"),
        ("snapchat.com/add/meena", "snapchat.com/add/meena"),
        ("t dot me slash meena_art", "t dot me slash meena_art"),
        ("telegram dot me slash meena underscore art",
         "telegram dot me slash meena underscore art"),
        ("fb: m . me / meena.joshi.ux", "m . me / meena.joshi.ux"),
        ("messenger - f b . c o m / m e e n a . a r t", "f b . c o m / m e e n a . a r t"),
        ("ping me wa.me/ 12615 312844 (whatsapp)", "wa.me/ 12615 312844"),
        ("t[.]me/meena_art", "t[.]me/meena_art"),
        ("t . me / meena_art", "t . me / meena_art"),
        ("t.me/ meena_art", "t.me/ meena_art"),
        ("fb: facebook dot com slash meena dot art", "facebook dot com slash meena dot art"),
    ],
)
def test_app_deep_links_are_handles(text, span):
    """Links that open a chat or a profile on another app name an account: type handle."""
    (candidate,) = found(text)
    assert text[candidate.start : candidate.end] == span
    assert candidate.type is DetailType.HANDLE


@pytest.mark.parametrize(
    "text",
    [
        "Upload deploy.sh, config.py and README.md",
        "please look at the file logo.ai",
        "rename index.html and styles.css, then main.go",
        "report.pdf and image.png attached",
        "we use Node.js, Vue.js, ASP.NET and Socket.io",
        "released v2.3.1 yesterday",
        "e.g. this, i.e. that, etc.",
        "done.Thanks for waiting",
        "the file is 12.5 MB",
        "server ip is 192.168.3.126",
        "set user.email in the form, then self.name",
        "remove the dot in the logo",
        "remove the full stop (dot) at the end",
        "I'm a .NET developer",
        "I'll upload it to youtube.com",
        "our audience is on Instagram.com and LinkedIn",
        "https://www.webperhour.com/jobs/123",
        "read help.webperhour.com/articles/fees",
        "assets.zip and demo.mov",
        "log.info('saved') and os.path.join",
        "pls check the doc.it's fine",
        "pg.no 5 of the brief",
        "try the site.com placeholder in the mockup",
        "also my WebPerHour username is meena.dev",
        "we dot tl is their short link service",
        "design dot me, not dot com",
        "myscript.py and config.me",
        "search www google com for it",
        "the www prefix is optional",
        "काम हो गया.धन्यवाद",
        "Готово.Спасибо, файл отчет.pdf готов",
        "the colon slash slash part of the URL is wrong in your config",
        "it costs 50 / 60 / 70 per page",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">',
        "• logo • banner • website.com soon",
        # This machine, a private network and the hosts reserved for documentation.
        "API at http://127.0.0.1:8000/api/v1",
        "the NAS is at http://192.168.1.20:5000/share",
        "your docs still use https://api.example.com/v2 as the base URL",
        # Two words before a slash and a word.
        "it's a bit ly / not",
        # A bundle id, a Java package: names written backwards.
        "Will the bundle id be com.kenjicafe.app?",
        "import org.apache.commons.lang3.StringUtils",
    ],
)
def test_negatives(text):
    """File and library names, versions, abbreviations and the platform's own links."""
    assert found(text) == []


def test_a_rejected_reading_does_not_hide_the_next_link():
    """ "rahul.k92" is no domain; the link after it is still found."""
    text = "telegram rahul.k92 / bit.ly/x"
    assert [text[c.start : c.end] for c in found(text)] == ["bit.ly/x"]


def test_allow_list_comes_from_config():
    """Allowed domains and their subdomains are skipped; the default one is not special."""
    detector = UrlDetector(RedactorConfig(allowed_domains=("meenaart.in",)))
    assert found("https://shop.meenaart.in/x and meenaart.in", detector) == []
    assert [c.type for c in found("webperhour.com/jobs/1", detector)] == [DetailType.URL]


def test_dangling_app_link_is_a_fragment_below_the_threshold():
    """ "t.me/" alone is the first piece of a split attempt: reported, but not masked."""
    (candidate,) = DETECTOR.detect("t.me/", Context())
    assert (candidate.start, candidate.end, candidate.rule) == (0, 5, "handle.link_fragment")
    assert candidate.score < CONFIG.min_score


def test_hostile_input_is_harmless():
    """Long dotted runs and unbalanced brackets neither raise nor produce junk spans."""
    text = "a." * 4000 + "(" * 500 + " dot " * 500 + "x/" * 2000
    assert list(DETECTOR.detect(text, Context())) == []
