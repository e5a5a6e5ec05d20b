"""The email detector: plain, written-out, spaced and provider-only addresses."""

from __future__ import annotations

import pytest

from redaction import RedactorConfig
from redaction.detectors.base import Candidate
from redaction.detectors.email import EmailDetector
from redaction.types import Context, DetailType

CONFIG = RedactorConfig()
DETECTOR = EmailDetector(CONFIG)


def found(text: str) -> list[Candidate]:
    """Candidates the engine would keep (at or above the default threshold)."""
    return [c for c in DETECTOR.detect(text, Context()) if c.score >= CONFIG.min_score]


@pytest.mark.parametrize(
    ("text", "span", "disguises"),
    [
        ("write to meena.r@outlook.com please", "meena.r@outlook.com", set()),
        ('mail: "dev_ops+ci@acme.co.uk".', "dev_ops+ci@acme.co.uk", set()),
        ("Email: KIRAN99@YAHOO.IN", "KIRAN99@YAHOO.IN", set()),
        ("it is tarun.m [at] proton [dot] me ok", "tarun.m [at] proton [dot] me", {"obfuscated"}),
        ("tarun (at) zoho (dot) com", "tarun (at) zoho (dot) com", {"obfuscated"}),
        ("tarun{at}zoho{dot}in", "tarun{at}zoho{dot}in", {"obfuscated"}),
        ("tarun <at> acme <dot> io", "tarun <at> acme <dot> io", {"obfuscated"}),
        ("tarun(a)zoho.com", "tarun(a)zoho.com", {"obfuscated"}),
        ("tarun (a) gmail", "tarun (a) gmail", {"obfuscated"}),
        # The domain reading ("gmail dot 12345") has no TLD: the provider reading stands.
        ("tarun @ gmail dot 12345 ok", "tarun @ gmail", {"obfuscated"}),
        ("send to tarun at acme dot io", "tarun at acme dot io", {"obfuscated"}),
        ("TARUN AT ACME DOT IO", "TARUN AT ACME DOT IO", {"obfuscated"}),
        ("tarun at the rate gmail.com", "tarun at the rate gmail.com", {"obfuscated"}),
        ("tarun attherate gmail (dot) com", "tarun attherate gmail (dot) com", {"obfuscated"}),
        ("tarun at the rate of gmail(.)com", "tarun at the rate of gmail(.)com", {"obfuscated"}),
        ("tarun @ gmail . com", "tarun @ gmail . com", {"obfuscated"}),
        ("tarunDOTm at gmailDOTcom", "tarunDOTm at gmailDOTcom", {"obfuscated"}),
        ("tarun dot m at gmail dot com", "tarun dot m at gmail dot com", {"obfuscated"}),
        ("t_m underscore k arroba gmail.com", "t_m underscore k arroba gmail.com", {"obfuscated"}),
        ("t a r u n @ g m a i l . c o m", "t a r u n @ g m a i l . c o m", {"spaced"}),
        ("id is t a r u n 7 7 @yahoo.com", "t a r u n 7 7 @yahoo.com", {"spaced", "obfuscated"}),
        ("t4run@gma1l.c0m", "t4run@gma1l.c0m", set()),
        ("mail tarun@@gmail.com", "tarun@@gmail.com", {"obfuscated"}),
        ("mail tarun@acmestudio point com, thanks", "tarun@acmestudio point com",
         {"obfuscated"}),
        # A provider in two words with its domain, and one spelled letter by letter.
        ("tarun.k at g mail dot com", "tarun.k at g mail dot com", {"obfuscated"}),
        ("my id tarun99 @ g m a i l", "tarun99 @ g m a i l", {"obfuscated", "spaced"}),
        # A name before its initial and a spaced at is the local part's start.
        ("ananya k @ gmail . com", "ananya k @ gmail . com", {"obfuscated"}),
        ("tarun -at- gmail DOT com", "tarun -at- gmail DOT com", {"obfuscated"}),
        ("li_weiAToutlook.com", "li_weiAToutlook.com", {"obfuscated"}),
        ("tarun(underscore)m[at]gmail.com", "tarun(underscore)m[at]gmail.com", {"obfuscated"}),
        ("work at acme dot com", "work at acme dot com", {"obfuscated"}),
        ("tarun at acme dot io", "tarun at acme dot io", {"obfuscated"}),
        ("tarun (at) live", "tarun (at) live", {"obfuscated"}),
        ("email: tomás.garcía@proton.me", "tomás.garcía@proton.me", set()),
        # A bracketed "@" is a disguise even after an everyday word.
        ("share it with hello(@)meenart(dot)com", "hello(@)meenart(dot)com", {"obfuscated"}),
        ("contact [@] meenart dot co", "contact [@] meenart dot co", {"obfuscated"}),
        # A role mailbox on its own domain, "@" spaced out.
        ("mail id note karo work @ meenart.com", "work @ meenart.com", {"obfuscated"}),
        # A spelled-out TLD of two or three letters after a written dot.
        ("p r i y a at g m a i l dot c o m", "p r i y a at g m a i l dot c o m",
         {"spaced", "obfuscated"}),
        # "point" for a dot: before a TLD that is no word, and anywhere in a local part.
        ("files tarun_m at gmail point com pe", "tarun_m at gmail point com", {"obfuscated"}),
        ("zoya point mirza94 (at) gmail point com", "zoya point mirza94 (at) gmail point com",
         {"obfuscated"}),
        # A local part of many dotted pieces, one letter each.
        ("r.a.h.u.l.v.e.r.m.a@gmail.com", "r.a.h.u.l.v.e.r.m.a@gmail.com", set()),
        # A role mailbox before a plain " at " and a company domain.
        ("send a test mail to studio at guptasons.co.in", "studio at guptasons.co.in",
         {"obfuscated"}),
        # "a mail at x at gmail": the first at's "domain" is the second's local part.
        ("Drop a mail at usman.art at gmail dot com, thanks", "usman.art at gmail dot com",
         {"obfuscated"}),
        # The at and the dot in other languages.
        ("j.brandt74 ät gmx Punkt de", "j.brandt74 ät gmx Punkt de", {"obfuscated"}),
        ("kasia.nowak małpa wp kropka pl", "kasia.nowak małpa wp kropka pl", {"obfuscated"}),
        ("marco.ferri chiocciola libero punto it", "marco.ferri chiocciola libero punto it",
         {"obfuscated"}),
        ("pablo(punto)ruiz88(arroba)gmail(punto)com",
         "pablo(punto)ruiz88(arroba)gmail(punto)com", {"obfuscated"}),
        # Typed backwards, and told so.
        ("my email, read it backwards: moc.liamg@ranmit.arat", "moc.liamg@ranmit.arat",
         {"obfuscated"}),
        # "live" is a provider when the local part is shaped like one.
        ("send the files to sipho_dlamini at live", "sipho_dlamini at live", {"obfuscated"}),
        # The sign named, not drawn.
        ("send quotation to accounts at sign brightlabs dot in",
         "accounts at sign brightlabs dot in", {"obfuscated"}),
        ("mail him: jose.mathew(at the rate)stmaryclinic.in",
         "jose.mathew(at the rate)stmaryclinic.in", {"obfuscated"}),
        # The at and the dot in Turkish, Indonesian, Arabic; a Spanish underscore; a
        # boxed A and a black circle.
        ("Dosyaları da mail atın: mert.aydin et outlook nokta com nokta tr",
         "mert.aydin et outlook nokta com nokta tr", {"obfuscated"}),
        ("dewi_lestari88 et yahoo titik co titik id ya kak",
         "dewi_lestari88 et yahoo titik co titik id", {"obfuscated"}),
        ("ارسل لي العرض على الايميل: faisal.q آت hotmail دوت com",
         "faisal.q آت hotmail دوت com", {"obfuscated"}),
        ("maria guion bajo sanz arroba yahoo punto es",
         "maria guion bajo sanz arroba yahoo punto es", {"obfuscated"}),
        ("sunil.k.arch \U0001f170 icloud \u26ab com", "sunil.k.arch \U0001f170 icloud \u26ab com",
         {"obfuscated"}),
        # The at and the dot in quotes; a ".com" glued to its written dot.
        ("mera id hai: jyoti.sharma.1990 'at' gmail 'dot' com",
         "jyoti.sharma.1990 'at' gmail 'dot' com", {"obfuscated"}),
        ("send it to suresh nair 76 at the rate gmail dotcom",
         "suresh nair 76 at the rate gmail dotcom", {"obfuscated"}),
        # One word, its at and dot written out.
        ("rkumar86attherategmaildotcom", "rkumar86attherategmaildotcom", {"obfuscated"}),
        # Gmail said aloud.
        ("send me the final deck at anjali.d.1990 at gee mail", "anjali.d.1990 at gee mail",
         {"obfuscated"}),
        # A name in words before the digits of its local part.
        ("sorry typo, its rahul verma 1990 at gmail", "rahul verma 1990 at gmail",
         {"obfuscated"}),
        # A domain in another alphabet; a tag's "+" and a domain's hyphen written out.
        ("Kontakt: info@müller-grafik.de oder direkt", "info@müller-grafik.de", set()),
        ("arre filter ke liye chahiye. ankit dot sharma plus wph at gmail dot com",
         "ankit dot sharma plus wph at gmail dot com", {"obfuscated"}),
        ("priya dot n dot 2024 at brightlane hyphen tech dot com if the chat eats it",
         "priya dot n dot 2024 at brightlane hyphen tech dot com", {"obfuscated"}),
    ],
)
def test_addresses(text, span, disguises):
    """Each address is found whole, as one email span, tagged with its disguise."""
    (candidate,) = found(text)
    assert text[candidate.start : candidate.end] == span
    assert candidate.type is DetailType.EMAIL
    assert candidate.disguises == disguises


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # Provider without a TLD: the span ends at the last written piece.
        ("tarun.m at gmail", "tarun.m at gmail"),
        ("tarun.m (at) hotmail, thanks", "tarun.m (at) hotmail"),
        ("tarun.m @ yahoo - write there", "tarun.m @ yahoo"),
        # A provider misspelled on purpose still reaches the mailbox.
        ("tarun.m88 at jeemail", "tarun.m88 at jeemail"),
        # Provider only as a context word: the local part alone.
        ("my gmail id is tarun.m92", "tarun.m92"),
        ("mera gmail tarun_m hai", "tarun_m"),
        ("tarun.m92 on gmail", "tarun.m92"),
        ("tarun.m92 (outlook)", "tarun.m92"),
        ("hotmail id: tarunm", "tarunm"),
        ("yahoo: tarun.m92", "tarun.m92"),
        ("email ritu [dot] sen", "ritu [dot] sen"),
        ("mail id kavitar", "kavitar"),
        ("mera outlook ythakur hai", "ythakur"),
        ("my icloud id is tghosh, please check", "tghosh"),
        ("yahoo pe akulkarni", "akulkarni"),
        ("kiran.dev on gmail, mail me", "kiran.dev"),
        ("tarunm92 on gmail. Project id 182934.", "tarunm92"),
        # A coined name (no English word) needs no marker or shape.
        ("tarunmx on gmail", "tarunmx"),
        ("my email tghoshk", "tghoshk"),
        ("outlook id: tghoshk", "tghoshk"),
        # The domain written, only the "@" left out: the address as written.
        ("nehaw22 gmail.com", "nehaw22 gmail.com"),
        ("email? jatin.b gmail.com", "jatin.b gmail.com"),
        ("nehaw22 (gmail.com)", "nehaw22"),
        # Something sent to a mailbox-shaped id: the local part alone.
        ("please send the refund confirmation to bhavna.rawat96", "bhavna.rawat96"),
        # A spelled-out dot before a word with digits: the local part, domain to follow.
        ("farhan dot qureshi00", "farhan dot qureshi00"),
    ],
)
def test_local_part_with_a_provider(text, span):
    """An address given away by its provider or a mail word is still an address."""
    (candidate,) = found(text)
    assert text[candidate.start : candidate.end] == span
    assert candidate.type is DetailType.EMAIL
    assert "obfuscated" in candidate.disguises


@pytest.mark.parametrize(
    "text",
    [
        "meet at the office",
        # A list of column names; a dummy brand's address.
        "Add an index on (email, created_at), it's scanning 1.2M rows now.",
        "The mockup shows the footer with 'Contact: hello@yourbrand.com' as dummy text",
        # A Hindi verb after a mail word, an abbreviation before an example address.
        "Sir, GST invoice sirf registered email pe jaata hai.",
        'the Java side has "@param email the address, e.g. jane.doe@example.org"',
        "look at this dot",
        "I'm at home",
        "at 5 pm",
        "we're at the final stage now",
        "we charge at the rate of 500 per hour",
        "remove the full stop (dot) at the end",
        "icon@2x.png",
        "user@2x.png and logo@3x.webp",
        "@media screen and (max-width: 600px)",
        "npm i @types/node react@18.2.0",
        "git@github.com:org/repo.git",
        "email me the file",
        "my gmail is full",
        "mail id note karo",
        "I am at portfolio.in",
        "the outlook is good for next quarter",
        "available at 9.30 am",
        "please check your spam folder for the verification email.",
        "meet me at google tomorrow",
        "build@pytest.fixture",
        "the demo is live at kavya.netlify.app",
        "hosted at acme.io for now",
        "insta @rohit.tech",
        "we are at live",
        "use name@example.com in the signup form mockup",
        "look at this dot v2",
        "the file dot py3",
        "send it to rahul_k92",
        "I'm at priya dot in the evening",
        "forward to v2.1.3 and then to report_v2.pdf",
        "assign the ticket to oliver.dev92",
        "meet at the cafe (at 5)",
        "hi @ gmail.com",
        "work @ gmail.com",
        "the colon is here",
        "snake_case underscore naming",
        "at this point in time the site is at acme point in",
        "good point, mail me at the end",
        "my gmail id is full",
        "gmail pe files bhej do",
        "yahoo pe kaam karta hai",
        "my mail id is not working",
        "mail kardo",
        "meeting on gmail",
        "my email bounced",
        "outlook: positive",
        # A role word after "my" is a noun; the link after it is the URL detector's.
        "you can view my work at meenadesigns(.)com",
        # A Hinglish word after a provider is a question about it.
        "zoho wala chalega?",
        "gmail wala lagega ya outlook",
        "we go at live speed",
        "el punto es que no tengo tiempo",
        "reverse the order: name@domain.com and moc.elpmaxe@x",
        # A mailbox's folder is a place in it.
        "found it in spam at gmail lol, code 482913 worked",
        "look at sign up page first",
        # A state, or a verb of another language, after a mail word.
        "ma'am email id is hidden",
        "reference gulo mail korbo, ok?",
    ],
)
def test_negatives(text):
    """Prose with "at"/"dot", file names, package specs and git remotes are no addresses."""
    assert found(text) == []


def test_domain_alone_is_a_fragment_below_the_threshold():
    """ "@gmail.com" alone completes a split address; on its own it only makes a suspect."""
    (candidate,) = DETECTOR.detect("  @gmail.com ", Context())
    assert (candidate.start, candidate.end, candidate.rule) == (2, 12, "email.fragment")
    assert candidate.score < CONFIG.min_score


def test_two_addresses_in_one_message():
    """Every address is reported, in order, with no overlap."""
    text = "change it from a.b@x.com to c_d at yahoo dot in"
    assert [text[c.start : c.end] for c in found(text)] == ["a.b@x.com", "c_d at yahoo dot in"]


def test_hostile_input_is_quick_and_harmless():
    """Long runs of separators and at-words neither raise nor match."""
    text = ("a at " * 2000) + (". " * 2000) + ("x [dot] " * 1000) + "@" * 3000
    assert found(text) == []


def test_addresses_deep_in_long_prose_are_found():
    """Only the stretches around an at are searched: addresses there are all found."""
    prose = "we meet at 5 pm at the office, see you at the gate. " * 60
    text = prose + "mail tarun.m92@gmail.com or tarun dot m at yahoo dot com. " + prose
    spans = [text[c.start : c.end] for c in found(text)]
    assert spans == ["tarun.m92@gmail.com", "tarun dot m at yahoo dot com"]
