"""The handle detector: shaped ids, ids near a platform word, and the bare @word rule."""

from __future__ import annotations

import pytest

from redaction import RedactorConfig
from redaction.detectors.base import Candidate
from redaction.detectors.handle import HandleDetector
from redaction.normalize import normalise
from redaction.types import Context, DetailType

CONFIG = RedactorConfig()
DETECTOR = HandleDetector(CONFIG)


def found(text: str, context: Context | None = None) -> list[tuple[str, str]]:
    """``(span text, rule)`` of the candidates the engine would keep."""
    candidates: list[Candidate] = [
        c for c in DETECTOR.detect(text, context or Context()) if c.score >= CONFIG.min_score
    ]
    assert all(c.type is DetailType.HANDLE for c in candidates)
    return [(text[c.start : c.end], c.rule) for c in candidates]


@pytest.mark.parametrize(
    ("text", "span", "rule"),
    [
        ("skype live:.cid.3f2a9b7c1d0e4f55", "live:.cid.3f2a9b7c1d0e4f55", "handle.skype"),
        ("id is live:.cid. 3f2a9b7c1d0e4f55.", "live:.cid. 3f2a9b7c1d0e4f55", "handle.skype"),
        ("skype live : . cid . 3f2a9b7c1d0e", "live : . cid . 3f2a9b7c1d0e", "handle.skype"),
        ("id again: live[:].cid[.]7c1e9a2f04b3d8e1", "live[:].cid[.]7c1e9a2f04b3d8e1",
         "handle.skype"),
        ("L I V E : . C I D . 7 C 1 E 9 A 2 F 0 4 B 3 on skype",
         "L I V E : . C I D . 7 C 1 E 9 A 2 F 0 4 B 3", "handle.skype"),
        ("Skype pe DM karo live:meena.r_art.", "live:meena.r_art", "handle.skype"),
        ("open skype:meena.art?chat", "skype:meena.art?chat", "handle.skype"),
        ("meena_art#4821", "meena_art#4821", "handle.discord"),
        ("discord meena.art # 4821", "meena.art # 4821", "handle.discord"),
        ("wx: wxid_k2j9x0q7ab", "wxid_k2j9x0q7ab", "handle.wechat"),
        ("telegram: meena_art", "meena_art", "handle.platform"),
        ("my insta is meena.codes", "meena.codes", "handle.platform"),
        ("add me on skype meena.art", "meena.art", "handle.platform"),
        ("tg id meena_art hai", "meena_art", "handle.platform"),
        ("ping me on signal, it's meena.42", "meena.42", "handle.platform"),
        # Further on in the sentence that names the app, an id shaped like one.
        ("dm on insta, its the same as my name here, meena.designs", "meena.designs",
         "handle.later"),
        ("add me on snap if u want meena.makes.stuff x", "meena.makes.stuff", "handle.later"),
        ("tg is faster. search meena_ops_247 if it's urgent", "meena_ops_247", "handle.later"),
        ("on telegram, it\u2019s meena_art", "meena_art", "handle.platform"),
        ("whtsapp pe aa jao meena_art", "meena_art", "handle.platform"),
        ("t3l3gram - meena_art", "meena_art", "handle.platform"),
        ("sn4p: meena_art", "meena_art", "handle.platform"),
        ("i'm meena80 on disc0rd", "meena80", "handle.platform"),
        # Spelled letter by letter next to a platform word: nobody spells a word out.
        ("insta m e e n a a r t", "m e e n a a r t", "handle.platform"),
        ("m e e n a a r t ye mera kik hai", "m e e n a a r t", "handle.platform"),
        # "ye mera IG hai" ("this is my IG") owns the plain word before it.
        ("meenaartz ye mera IG hai", "meenaartz", "handle.platform"),
        ("ping me meenaartz (kik)", "meenaartz", "handle.platform"),
        ("5kype id meena.art", "meena.art", "handle.platform"),
        ("signal username meena.42", "meena.42", "handle.platform"),
        ("insta @ meena_art", "@ meena_art", "handle.platform"),
        ("insta meena dot art", "meena dot art", "handle.platform"),
        ("ig: meena(dot)art", "meena(dot)art", "handle.platform"),
        ("insta - meena (dot) art", "meena (dot) art", "handle.platform"),
        ("my insta is meena[.]art", "meena[.]art", "handle.platform"),
        ("telegram id meenaart", "meenaart", "handle.platform"),
        ("add me on snapchat meenaart", "meenaart", "handle.platform"),
        ("meena_art on tg", "meena_art", "handle.platform"),
        ('"meena_art" on tg', "meena_art", "handle.platform"),
        ("meena.art (ig)", "meena.art", "handle.platform"),
        ("meena_art ye mera skype hai", "meena_art", "handle.platform"),
        ("same id everywhere - meena_art07 - insta, snap, tele", "meena_art07", "handle.platform"),
        ("search meenaart on insta", "meenaart", "handle.platform"),
        ("add me: meenaart on tiktok", "meenaart", "handle.platform"),
        # A coined name (no English word) next to an app, with nothing introducing it.
        ("ig meenaartz", "meenaartz", "handle.platform"),
        ("meenaartz on telegram, call me later", "meenaartz", "handle.platform"),
        ("i'm Meenaartz on kik", "Meenaartz", "handle.platform"),
        ("whatsapp for calls, insta meenaartz", "meenaartz", "handle.platform"),
        ("i.g. meena.art", "meena.art", "handle.platform"),
        # Spelled letter by letter after the app's one-letter name.
        ("dm me on X @ m e e n a a r t 1", "@ m e e n a a r t 1", "handle.at"),
        ("instaa: meena.art", "meena.art", "handle.platform"),
        ("tik tok: meena.art", "meena.art", "handle.platform"),
        ("find me as meenaart on tiktok", "meenaart", "handle.platform"),
        ("\u2708 meena_art", "meena_art", "handle.platform"),
        ("\U0001f47b meena_art", "meena_art", "handle.platform"),
        ("the blue app with the plane: meena_art", "meena_art", "handle.platform"),
        ("the app starting with T, id meena_art", "meena_art", "handle.platform"),
        ("meena_art \U0001f448", "meena_art", "handle.platform"),
        ("snapchat -> meena.snaps", "meena.snaps", "handle.platform"),
        ("telegram \u27a1 meena_art", "meena_art", "handle.platform"),
        ("follow @webperhour, dm @meena_art", "@meena_art", "handle.at"),
        ("snap me meenaart", "meenaart", "handle.platform"),
        ("my skype is meenaart", "meenaart", "handle.platform"),
        ("telegrm: meena_art", "meena_art", "handle.platform"),
        ("insta, his id is i dot am dot meena", "i dot am dot meena", "handle.platform"),
        ("tg id meena underscore 71", "meena underscore 71", "handle.platform"),
        (
            "ping me on the app with the paper plane icon, handle is meena_art",
            "meena_art",
            "handle.platform",
        ),
        ("my handle is meena_art", "meena_art", "handle.platform"),
        ("my handle on the photo app is meena.frames", "meena.frames", "handle.platform"),
        ("handle on insta: meena_art", "meena_art", "handle.platform"),
        # A glued "live:" or a spelled-out "live colon" is a Skype id by itself.
        ("its live:meenaart", "live:meenaart", "handle.skype"),
        ("live colon meena.studio 👈", "live colon meena.studio", "handle.skype"),
        ("my skyp3 is live:meena.codes", "live:meena.codes", "handle.skype"),
        ("live:I.am.meena", "live:I.am.meena", "handle.skype"),
        # A doubled or loosely spaced written underscore stays inside the id.
        ("tg id meena underscore  underscore art", "meena underscore  underscore art",
         "handle.platform"),
        ("telegram: meena(underscore)(underscore)art", "meena(underscore)(underscore)art",
         "handle.platform"),
        # A spaced dash, arrow or equals sign labels the id as a colon would.
        ("tg - meenaart", "meenaart", "handle.platform"),
        ("insta → meenaart", "meenaart", "handle.platform"),
        ("skype = meenaart", "meenaart", "handle.platform"),
        ("telegram -- meenaart pe msg karo", "meenaart", "handle.platform"),
        # Another marketplace is off the platform too.
        ("find me on fiverr as meenaart", "meenaart", "handle.platform"),
        ("my upwork is meena_art99", "meena_art99", "handle.platform"),
        ("my linkedin is meenaart99", "meenaart99", "handle.platform"),
        # LinkedIn profile slugs are hyphenated.
        ("linkedin: meena-art-99", "meena-art-99", "handle.platform"),
        ("my linkedin is meena-sharma-4b2a91 btw", "meena-sharma-4b2a91", "handle.platform"),
        ("find me on linkedin meena-kapoorx", "meena-kapoorx", "handle.platform"),
        ("linkedin meena-sharma-92", "meena-sharma-92", "handle.platform"),
        # Reddit users, with or without the app named.
        ("on reddit u/meenaart", "u/meenaart", "handle.reddit"),
        ("dm /u/meena_art99", "/u/meena_art99", "handle.reddit"),
        # The app's name spelled letter by letter in brackets.
        ("ping me meena.sharma (s k y p e)", "meena.sharma", "handle.platform"),
        # A new sentence that names the id outright.
        ("let's talk on Skype. my id: Meenawrites", "Meenawrites", "handle.platform"),
        # A spaced dash after the id starts a new clause.
        ("we use IG, add me: meenawrites - project id P-3950738.", "meenawrites",
         "handle.platform"),
        # Telegram's link host named as the app.
        ("ping meena_92 on t.me", "meena_92", "handle.platform"),
        # Asked to be messaged, then an id, the app named earlier in the conversation.
        ("wahan DM kiya, mera id hai rangoli__queen", "rangoli__queen", "handle.contacted"),
        ("ping me there, username: meena_art92", "meena_art92", "handle.contacted"),
        ("reach me at meena.creates", "meena.creates", "handle.contacted"),
        # The "@" in brackets glued to the id; "at the rate" between the app and the id.
        ("the paper-plane app (at)zoya_codes", "(at)zoya_codes", "handle.at"),
        # The written at is the id's sigil, masked with it.
        ("my insta is at the rate kavya.clicks, DM me", "at the rate kavya.clicks",
         "handle.platform"),
        ("Sim! Portfolio no insta: arroba lucas.fotografia.sp", "arroba lucas.fotografia.sp",
         "handle.platform"),
        ("find me at symbol zoya_codes on tele", "at symbol zoya_codes", "handle.platform"),
        # Apps of users abroad, an app's own link, a Session id.
        ("Kakao ID: minsu_dev92", "minsu_dev92", "handle.platform"),
        ("Threema: K7XW2PNR", "K7XW2PNR", "handle.platform"),
        ("just tap viber://chat?number=%2B94772318846", "viber://chat?number=%2B94772318846",
         "handle.link"),
        ("Session works better: 05d1f4a8c3b92e7065a1fe3d9c2b8a47e60f13d5c97b28a4e1f06d3b5c92a7e84d",
         "05d1f4a8c3b92e7065a1fe3d9c2b8a47e60f13d5c97b28a4e1f06d3b5c92a7e84d", "handle.session"),
        ("contact me on meenapatel72 for the files", "meenapatel72", "handle.contacted"),
        # A Mastodon account: an "@" before an address.
        ("fair. mastodon is @arjun@mastodon.art if you ever want to follow",
         "@arjun@mastodon.art", "handle.fediverse"),
        # A Skype id without its colon and dots; an id named after a Hindi "naam"; an id,
        # a comma, then the app; WeChat's "vx"; LINE with Indonesian words between.
        ("live cid 9b3e71a0c4f2d586, just in case", "live cid 9b3e71a0c4f2d586", "handle.skype"),
        ("insta pe naam edits_by_ayaan", "edits_by_ayaan", "handle.platform"),
        ("tiffin.tales.blr, insta pe search karo", "tiffin.tales.blr", "handle.platform"),
        ("vx: wei_design88", "wei_design88", "handle.platform"),
        ("kak aku jarang buka WA, add LINE aku aja: putriayu.22", "putriayu.22",
         "handle.platform"),
        # An app described in Hinglish, then "naam" and the id.
        ("Samples photo wali app pe hai, wahan naam edits_by_ayaan", "edits_by_ayaan",
         "handle.platform"),
        # An id named as the sender's own a sentence after the app; a spaced WeChat id;
        # Skype's dots written out.
        ("we prefer communicate on Signal, not here. my username is jonas_k.77", "jonas_k.77",
         "handle.platform"),
        ("my ID again wxid _ 8kd02lmq7s3p21", "wxid _ 8kd02lmq7s3p21", "handle.wechat"),
        ("live colon dot cid dot 8f3a2c71b09d", "live colon dot cid dot 8f3a2c71b09d",
         "handle.skype"),
        ("insta - the wed story (no spaces) 😉", "the wed story", "handle.platform"),
        # An id typed as words, and the reader told to put them together.
        ("insta: lens by aarav (ek word me). number aath ek teen", "lens by aarav",
         "handle.platform"),
        ("telegram pe search karo gyan updates batch, underscore laga ke", "gyan updates batch",
         "handle.platform"),
        # Ids with hyphens after an app's name.
        ("WeChat ID: Zhang_Wei-88, or scan the QR", "Zhang_Wei-88", "handle.platform"),
        ("find me on bluesky: priya-draws", "priya-draws", "handle.platform"),
    ],
)
def test_handles(text, span, rule):
    """Each id is found with its sigil or prefix and nothing of the context around it."""
    assert found(text) == [(span, rule)]


def test_spaced_and_homoglyph_forms_are_found_after_normalising():
    """Letter-by-letter ids collapse; Cyrillic look-alikes are folded by the core first."""
    text = "ping me s a x e n a . m e e n a (ig)"
    (candidate,) = [c for c in DETECTOR.detect(text, Context()) if c.score >= CONFIG.min_score]
    assert text[candidate.start : candidate.end] == "s a x e n a . m e e n a"
    assert "spaced" in candidate.disguises
    normalised = normalise("ѕkype id live:.cid.3f2a9b7c1d0e4f55").text
    assert found(normalised) == [("live:.cid.3f2a9b7c1d0e4f55", "handle.skype")]


@pytest.mark.parametrize(
    "text",
    [
        "I don't use telegram, let's stay here",
        "fiverr takes 20% commission, upwork too",
        "did you use fiverr before?",
        "I saw your linkedin profile, nice work",
        "I wrote on linkedin about covid-19 hiring",
        "I use skype. id card is pending",
        "insta - nice pics",
        "linkedin is well-known for jobs",
        "my linkedin post got 1,200 likes",
        "the pump does 40 u/min",
        "open menu/settings, then u/x",
        "is whatsapp ok?",
        "do you have telegram or insta?",
        "my insta id neeche hai",
        "snap me",
        "telegram allowed nahi hai na yaha?",
        "we want to integrate the whatsapp business api",
        "make 10 instagram reels from this footage",
        "ping me on telegram tomorrow",
        "find me on instagram sometime",
        "the signal is weak today",
        "line 42 has a bug",
        "fixes issue#1234 and PR#4321",
        "order #12345 and ticket # 2024",
        "telegram 2.0 released",
        "on insta, see index.html",
        "skype is outdated",
        "snap me later",
        "we handle it, my handle is on the card",
        "my WebPerHour username is meena_art2",
        "we go live: monday on telegram",
        "we go live: monday",
        "status live:true",
        "go live: v2.5",
        "the colon is here",
        "snake_case underscore naming",
        "the live colon mark",
        "telegram - not allowed here",
        "font size 16px line-height 24px",
        "photography is my insta niche",
        "ping me tomorrow on telegram",
        "ping me later (insta)",
        "signal-processing course, module v2",
        "insta - nice pics",
        "telegram-only chats please",
        "whatsapp -- no thanks, stay here",
        # Words next to an app, English or Hinglish, are topics, not coined names.
        "insta algorithm changed again",
        "telegram premium",
        "insta pe reels daalo",
        "Carousels on insta get more saves",
        "Canva on insta works",
        "discord nitro gift",
        # Ids that nobody asked to be contacted at.
        "add the user id test_user1 to the admin group",
        "message the admin with your employee id EMP_2231",
        "text me, my WebPerHour username is meena_art",
        "find me at booth 12",
        "meet (at) 5pm tomorrow",
        "the rate is 500, insta reels",
        "contact me on monday",
        "reach me at v2.3 release",
    ],
)
def test_platform_words_without_an_id(text):
    """Naming an app, asking about one or describing a feature of one masks nothing."""
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("@meena_art", "@meena_art"),
        ("ping me @meenaart", "@meenaart"),
        ("its @Meena.Art.", "@Meena.Art"),
        ("find me @ meena_art on insta", "@ meena_art"),
    ],
)
def test_bare_at_word_is_a_handle(text, span):
    """In a one-to-one chat an @word that is nobody here points elsewhere."""
    assert [s for s, _ in found(text)] == [span]


@pytest.mark.parametrize(
    "text",
    [
        "@media (max-width: 600px) { a { color: red } }",
        "npm i @types/node @mui/material @angular/core@17.1.0",
        "@Override\npublic void onCreate(Bundle b) {}",
        "use the @property decorator",
        "@app.route('/api/users')",
        "@dataclass\nclass Order:\n    id: int",
        "def f(): pass  # see @functools.cache",
        "@SpringBootApplication",
        "add @tailwind base; at the top",
        "in blade use @csrf inside the form",
        "icon@2x.png",
        "meet @ 5pm then?",
        "back @ 11:45",
        "@ 450 rs per image",
        "@ Rs.80 per image on whatsapp",
        "@here can someone help",
        "@everyone please check",
        "class Meta uses @__slots__",
        "Facebook ads chalana hai for my coaching institute, budget ₹500/day",
        # Words of the other languages of India next to an app.
        "amar number bola jabe na, WhatsApp korun",
        "ok, majha WhatsApp number udya deto",
        "paaji insta te vi ho?",
        # An everyday word after "my <app>" is prose unless called an id.
        "need a 20 sec logo animation for my tiktok brand",
        "I posted it on instagram, the file is reel_final.mp4",
        # Names in code, made of English words, near an app's name.
        "telegram bot: add handler_func to the dispatcher",
        "telegram bot: message_handler gets text",
        # The first of a range of numbers.
        "Our Shopify orders sync is missing #1043 to #1058.",
        # Prose about "@"s: the sign itself, the word for what follows one.
        "same id on telegram, just add the @ in front",
        "no phone numbers or @handles in any form, as per the terms",
        "deploy with the @latest tag, not @next",
        # A capitalised name opening the message addresses the other person.
        "@Priya can you revise slide 4?",
        # So does one after a greeting or a thanks.
        "hi @Priya 👋 I'll share the test plan",
        "thanks @Rohan",
        "Ok, @Amit, sending now",
        # A CSS at-rule with a dash, a tool named after an app.
        "use @font-face for the woff2 files",
        "took my skype out of the javadoc, sorry",
        # A BibTeX entry.
        "Fixed the @book{hall2019, ...} entry in refs.bib",
        # Among scoped packages and decorator calls every "@" is code.
        "Should the decorator be @retry(times=3) or @backoff.on_exception?",
        "@backoff.on_exception, it's cleaner. Also bump @types/node to 20.11.5",
        # Brands talked about, an account on the platform itself.
        "@Zomato and @Swiggy both use that orange, we need something different",
        "Also avoid the @Flipkart blue.",
        "I'm @sameer_k on here btw, invite me to the workspace",
        # A word before a comma and the app; an account on the platform, named; what is
        # left of a masked address.
        "I'm sorry, WeChat isn't allowed here.",
        "If the job closes, search me here as @meera_designs on WebPerHour",
        "I've sent a recovery link to j***@web.de.",
        # A word and its number after an app's name.
        "I wrote on linkedin about covid-19 hiring",
    ],
)
def test_technical_at_words_are_not_handles(text):
    """CSS at-rules, decorators, annotations, npm scopes, times and prices."""
    assert found(text) == []


def test_an_addressed_name_with_a_platform_is_still_a_handle():
    """Only a name with nothing else in sight is an address; "@Rahul on telegram" is not."""
    assert found("@Rahul add me on telegram") == [("@Rahul", "handle.at")]
    assert found("follow @Priya") == [("@Priya", "handle.at")]


def test_an_account_on_the_platform_itself_is_not_a_leak():
    """The brand then a naming word: a user name on WebPerHour, shared on WebPerHour."""
    assert found("my WebPerHour username is meena_art") == []
    assert found("my skype username is meena_art") == [("meena_art", "handle.platform")]


def test_participants_are_addressed_not_leaked():
    """@name of someone in the conversation is a mention, compared case-insensitively."""
    context = Context(participants=("meena_art", "Ravi Kumar"))
    assert found("thanks @Meena_Art", context) == []
    assert found("@ravikumar please check", context) == []
    assert found("@ravi_k2 please check", context) == [("@ravi_k2", "handle.at")]


def test_fragments_stay_below_the_threshold():
    """A dangling "live:.cid." is the first piece of a split attempt, reported low."""
    (candidate,) = DETECTOR.detect("skype live:.cid.", Context())
    assert candidate.rule == "handle.skype_fragment"
    assert candidate.score < CONFIG.min_score


def test_hostile_input_is_harmless():
    """Runs of sigils, hashes and platform words neither raise nor match."""
    text = "@" * 3000 + "#" * 3000 + " telegram" * 500 + " live:" * 500
    assert found(text) == []


def test_an_at_id_may_start_with_one_underscore():
    assert found("ye lo uska id @_devraj.codes_ usne diya tha") == [
        ("@_devraj.codes_", "handle.at")
    ]
