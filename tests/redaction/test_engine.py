"""The pipeline around the detectors: mapping back, snapping, code, allow-list, threshold."""

from __future__ import annotations

import threading

import pytest
from doubles import ALL, Digits, Handle, Link, Mail, Weak

from redaction import Context, DetailType, Redactor, RedactorConfig
from redaction.detectors import UnknownDetector, get_detector, register_detector
from redaction.detectors.base import Candidate


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(detectors=ALL)


@pytest.fixture(scope="module")
def engine() -> Redactor:
    """The real detectors, for rules that live between them and the pipeline."""
    return Redactor()


def spans(result):
    return [(result.text[f.start : f.end], str(f.type)) for f in result.findings]


def test_plain_details_are_masked_with_placeholders(redactor):
    """Each finding becomes its typed placeholder; the rest of the text is untouched."""
    result = redactor.redact("call 98765 43210 or write to rahul.k@gmail.com.")
    assert result.masked == "call [phone removed] or write to [email removed]."
    assert spans(result) == [("98765 43210", "phone"), ("rahul.k@gmail.com", "email")]
    assert result.redacted and not result.suspects and not result.retro


def test_offsets_point_into_the_original_text_and_name_the_disguise(redactor):
    """Devanagari digits, a ZWSP and a leet O: the span covers the original characters."""
    text = "नंबर: ९८७६५\u200b ४३२१O ok"
    result = redactor.redact(text)
    (finding,) = result.findings
    assert text[finding.start : finding.end] == "९८७६५\u200b ४३२१O"
    assert finding.disguises == {"unicode", "leet"}
    assert result.masked == "नंबर: [phone removed] ok"


def test_a_mailbox_in_circled_letters_is_masked():
    """A circled "a" inside a circled word is a letter, not a stand-in for the at."""
    result = Redactor().redact("mail ⓡⓐⓗⓤⓛ at gmail")
    assert spans(result) == [("ⓡⓐⓗⓤⓛ at gmail", "email")]
    assert result.masked == "mail [email removed]"


def test_keycap_numbers_are_masked_whole(redactor):
    """Every code point of every keycap sequence is inside the mask."""
    text = "9️⃣8️⃣7️⃣6️⃣5️⃣ 4️⃣3️⃣2️⃣1️⃣0️⃣!"
    result = redactor.redact(text)
    assert result.masked == "[phone removed]!"


class _Sloppy:
    """Returns spans with junk around them, or starting inside a word."""

    name = "sloppy"

    def __init__(self, config):
        pass

    def detect(self, text, context):
        start = text.find("(")
        if start >= 0:
            yield Candidate(start, text.find(")") + 3, DetailType.URL, "sloppy", 0.9)
        middle = text.find("xyz") + 1
        if middle:
            yield Candidate(middle, middle + 1, DetailType.HANDLE, "mid", 0.9)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("see (site.in/x). ok", "see ([link removed]). ok"),
        ("id abxyzc here", "id [handle removed] here"),
    ],
)
def test_spans_are_trimmed_and_snapped_to_words(text, masked):
    """No brackets, punctuation or whitespace at the edges; never half a word."""
    assert Redactor(detectors=[_Sloppy]).redact(text).masked == masked


def test_code_hides_emails_handles_and_links_but_not_phones(redactor):
    """Backticks and fences excuse emails, handles and links; a phone number is still a leak."""
    text = (
        "use `@Override void run()` and `login('user@test.com')`, or"
        " ```\nfetch('https://api.x.io')\n``` `98765 43210`"
    )
    result = redactor.redact(text)
    assert spans(result) == [("98765 43210", "phone")]


def test_code_keeps_its_test_data_but_not_a_personal_mailbox_or_chat_link():
    """Dummy numbers of fixtures are code; a webmail address, a chat link, an id after an
    app's name or a real-looking number pasted inside a config or a README is still a
    contact detail."""
    text = (
        "```\n"
        'assert valid("9876543210") and not valid("+1 202-555-0143")\n'
        "user.email=karthik.raman1993@gmail.com\n"
        "support: https://t.me/anshul_pybots\n"
        "admin: ops@shop.internal, vikram [at] protonmail [dot] com\n"
        "# ping me 98450 12367\n"
        "// Artist: Kavya M, insta @kavya.draws.things\n"
        "items = re.compile(r'x'); serializers.EmailField()\n"
        "```"
    )
    assert spans(Redactor().redact(text)) == [
        ("karthik.raman1993@gmail.com", "email"),
        ("https://t.me/anshul_pybots", "handle"),
        ("vikram [at] protonmail [dot] com", "email"),
        ("98450 12367", "phone"),
        ("@kavya.draws.things", "handle"),
    ]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # An envelope for the at, a spaced bullet for the dot before a TLD.
        ("neha_k 📧 outlook • com", "neha_k 📧 outlook • com"),
        ("mail: rahul.k92 ✉️ gmail.com", "rahul.k92 ✉️ gmail.com"),
    ],
)
def test_an_envelope_is_an_at(text, span):
    assert spans(Redactor().redact(text)) == [(span, "email")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Letters joined by dashes, as letters spaced out.
        ("send the deck to j-o-s-h-.-l-e-e-@-o-u-t-l-o-o-k-.-c-o-m",
         [("j-o-s-h-.-l-e-e-@-o-u-t-l-o-o-k-.-c-o-m", "email")]),
        ("insta: r-a-h-u-l-_-d-e-v", [("r-a-h-u-l-_-d-e-v", "handle")]),
        ("grades A-B-C-D-E-F are fine, the x-y-z axis", []),
    ],
)
def test_letters_joined_by_dashes(text, found):
    assert spans(Redactor().redact(text)) == found


def test_a_spaced_bullet_before_a_word_is_a_list():
    assert spans(Redactor().redact("• logo • banner • in progress")) == []


def test_an_address_written_in_an_indian_script_is_masked_whole():
    text = "mail karo: tanmoy.art অ্যাট জিমেইল ডট কম, thanks"
    assert spans(Redactor().redact(text)) == [("tanmoy.art অ্যাট জিমেইল ডট কম", "email")]


def test_a_detail_alone_in_backticks_is_no_code(redactor):
    """Quoting a detail on its own (`x@y.com`) is a way to slip it by, not code."""
    result = redactor.redact("mail `meena.k@mailbox.org` or `@meena_art`")
    assert spans(result) == [("meena.k@mailbox.org", "email"), ("@meena_art", "handle")]


@pytest.mark.parametrize(
    "text",
    [
        "then set the nameservers to `amir.ns.cloudflare.com` and `lara.ns.cloudflare.com`.",
        "Doable with the Graph API and the `instagram_manage_messages` permission",
        # An app's developer host is an API, no account: a link like others, in code.
        "Messages go to `POST https://graph.facebook.com/v19.0/{PHONE_NUMBER_ID}/messages`",
    ],
)
def test_a_value_alone_in_backticks_that_is_talked_about_is_code(engine, text):
    """Only words giving it as the sender's own make a quoted address, handle or host
    an attempt; a number alone in backticks always is one."""
    assert engine.redact(text).findings == ()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("my email `meena.k@mailbox.org`", "meena.k@mailbox.org"),
        ("UAE users typing `050 123 4567`?", "050 123 4567"),
    ],
)
def test_a_detail_given_as_ones_own_or_a_number_alone_in_backticks_is_masked(
    engine, text, span
):
    assert [text[f.start : f.end] for f in engine.redact(text).findings] == [span]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("пиши в Телеграм: meena_petrova88", "meena_petrova88"),
        ("方便加个微信吗？微信号：meena_design88", "meena_design88"),
    ],
)
def test_an_app_named_in_another_script_introduces_an_id(engine, text, span):
    """The name is read as the detectors read it: look-alike letters folded, fullwidth
    punctuation made ASCII."""
    assert spans(engine.redact(text)) == [(span, "handle")]


def test_unclosed_fence_runs_to_the_end(redactor):
    """A fence nobody closed still marks code up to the end of the message."""
    assert not redactor.redact("```js\nconst a = 'x@y.com'").findings


def test_allowed_domains_and_their_subdomains_are_never_masked(redactor):
    """The platform's own domain and its subdomains pass; a look-alike host does not."""
    text = "https://webperhour.com/jobs/1 https://help.webperhour.com/x https://evilwebperhour.com/a"
    assert spans(redactor.redact(text)) == [("https://evilwebperhour.com/a", "url")]


def test_the_platforms_own_address_written_out_is_allowed_too():
    """ "support at webperhour dot com" is the platform's address, disguised or not."""
    redactor = Redactor()
    for text in ("email support at webperhour dot com", "support [at] webperhour [dot] com"):
        assert redactor.redact(text).findings == ()
    assert spans(redactor.redact("rahul.k92 at evil dot com")) == [
        ("rahul.k92 at evil dot com", "email")
    ]


def test_participants_names_are_not_handles(redactor):
    """An @name addressing someone in the conversation stays; anyone else's is masked."""
    context = Context(participants=("Asha_K", "rahul dev"))
    result = redactor.redact("thanks @asha_k and @rahuldev, ping @other_guy", context)
    assert spans(result) == [("@other_guy", "handle")]


def test_weak_candidates_become_suspects_not_masks():
    """Below min_score a candidate is reported as a suspect and left in the text."""
    result = Redactor(detectors=[Weak, Digits]).redact("maybe123 and 98765 43210")
    assert spans(result) == [("98765 43210", "phone")]
    assert [(s.start, s.end, s.rule) for s in result.suspects] == [(0, 8, "weak")]
    assert result.masked == "maybe123 and [phone removed]"


def test_overlapping_candidates_are_merged(redactor):
    """The link and the handle double both see t.me/...: the stronger, longer one wins."""
    result = Redactor(detectors=[Handle, Link]).redact("at https://t.me/rahul_dev now")
    assert spans(result) == [("https://t.me/rahul_dev", "url")]


class _Broken:
    name = "broken"

    def __init__(self, config):
        pass

    def detect(self, text, context):
        yield Candidate(0, len(text) + 5, DetailType.PHONE, "broken", 0.9)


def test_a_detector_bug_is_reported_not_hidden():
    """A span outside the text is a detector bug: it raises, naming the detector."""
    with pytest.raises(ValueError, match="detector 'broken' returned span"):
        Redactor(detectors=[_Broken]).redact("abc")


def test_only_strings_are_redacted(redactor):
    """Bytes are refused with a clear TypeError instead of being half-processed."""
    with pytest.raises(TypeError, match="needs a str"):
        redactor.redact(b"98765 43210")


def test_registry_resolves_names_and_rejects_unknown_ones():
    """Registered names build detectors; an unknown name raises UnknownDetector."""
    register_detector("test-digits", Digits)
    assert get_detector("test-digits") is Digits
    assert Redactor(detectors=["test-digits"]).redact("98765 43210").masked == "[phone removed]"
    with pytest.raises(UnknownDetector, match="no detector named 'nope'"):
        get_detector("nope")


def test_config_controls_style_and_threshold():
    """mask_style and min_score from the config change what is masked and how."""
    config = RedactorConfig(mask_style="type", min_score=0.95)
    result = Redactor(config, detectors=[Digits, Mail]).redact("98765 43210 a@b.in")
    assert result.masked == "98765 43210 a@b.in"
    assert len(result.suspects) == 2
    assert Redactor(RedactorConfig(mask_style="type"), detectors=[Mail]).redact(
        "a@b.in"
    ).masked == "[email]"


def test_one_redactor_serves_many_threads(redactor):
    """Four threads sharing one redactor get the same results as one thread."""
    texts = [f"msg {i}: call 98765 4{i:04d} or a{i}@b.in" for i in range(200)]
    expected = [redactor.redact(t).masked for t in texts]
    results: dict[int, list[str]] = {}

    def work(worker: int) -> None:
        results[worker] = [redactor.redact(t).masked for t in texts]

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(out == expected for out in results.values())
    assert expected[7] == "msg 7: call [phone removed] or [email removed]"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # The Discord tag's '#' made the number after it read as a reference.
        ("nine #1234 ९८७ 98765 telegram", "[handle removed] [phone removed] telegram"),
        # Three rounds to settle; a lone 5-digit group is no number.
        ("oh #1234 oh #1234 98765 telegram #1234",
         "[handle removed] [handle removed] 98765 [handle removed]"),
        # A tag of four digits, which a money word beside the first tag had vetoed.
        ("nine #1234 Rs #1234 +91 telegram", "[handle removed] [handle removed] +91 telegram"),
        # A host glued (through an invisible space) to a tag; an @word before a link.
        ("A0#0000_\u200bA.GD/", "[handle removed]\u200b[link removed]"),
        ("@live:A.GD/00000", "[handle removed]:[link removed]"),
    ],
)
def test_masking_settles_what_a_masked_neighbour_vetoed(text, masked):
    """Once a detail is a placeholder, what it vetoed is judged again in the same pass, so
    masking the masked text finds nothing."""
    redactor = Redactor()
    result = redactor.redact(text)
    assert result.masked == masked
    assert redactor.redact(result.masked).findings == ()
