"""Normalisation undoes disguises and maps every normalised span back to the original."""

from __future__ import annotations

import pytest

from redaction.normalize import LEET, UNICODE, normalise


def test_plain_ascii_is_returned_unchanged_without_tables():
    """The fast path: no per-character map for ordinary text."""
    n = normalise("call me at 5 pm, budget 45000")
    assert n.text == "call me at 5 pm, budget 45000"
    assert n.starts is None and n.flags is None
    assert n.to_original(3, 9) == (3, 9)
    assert n.disguises(0, 5) == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("９８７６５ ４３２１０", "98765 43210"),  # fullwidth
        ("९८७६५ ४३२१०", "98765 43210"),  # Devanagari
        ("৯৮৭৬৫", "98765"),  # Bengali
        ("٩٨٧٦٥", "98765"),  # Arabic-Indic
        ("𝟗𝟖𝟕𝟔𝟓", "98765"),  # mathematical bold, outside the BMP
        ("rahul＠gmail．com", "rahul@gmail.com"),
        ("rahul@gmail。com", "rahul@gmail.com"),
        ("rahul ⓐ gmail.com", "rahul @ gmail.com"),  # a circled "a" for the at
        ("ⓡⓐⓗⓤⓛ ⓐ gmail", "rahul @ gmail"),  # ... but a letter inside a circled word
        ("ⓇⒶⒽⓊⓁ", "RAHUL"),
        ("98765–43210", "98765-43210"),  # en dash
        ("t.me\u2215nikhil", "t.me/nikhil"),  # a division slash
        ("幺三八 幺零四二", "138 1042"),  # "幺" is a one read out in a number
    ],
)
def test_unicode_disguises_become_ascii(text, expected):
    """Digits of other scripts and fullwidth punctuation map to ASCII one for one."""
    n = normalise(text)
    assert n.text == expected
    assert n.to_original(0, len(n.text)) == (0, len(text))
    assert n.disguises(0, len(n.text)) == {"unicode"}


def test_keycap_digits_become_digits_and_map_to_the_whole_sequence():
    """9️⃣ is three code points in the original and one digit after normalising."""
    text = "call 9️⃣8⃣7️⃣ now"
    n = normalise(text)
    assert n.text == "call 987 now"
    assert n.to_original(5, 8) == (5, text.index(" now"))
    assert n.disguises(5, 8) == {"unicode"}


def test_invisible_characters_are_removed_and_spans_still_map_back():
    """ZWSP, WJ, soft hyphen and BOM vanish; the span still covers them in the original."""
    text = "98\u200b765\u2060 43\u00ad210\ufeff"
    n = normalise(text)
    assert n.text == "98765 43210"
    assert n.to_original(0, 11) == (0, text.index("\ufeff"))
    assert n.disguises(0, 5) == {"unicode"}  # the removed ZWSP shows as a longer span


def test_homoglyphs_fold_to_latin_in_both_cases():
    """Cyrillic look-alikes become Latin letters and are flagged as changed."""
    text = "rаhul.ѕhаrmа@gmаіl.cоm РАУ"  # Cyrillic а ѕ і о Р А У
    n = normalise(text)
    assert n.text == "rahul.sharma@gmail.com PAY"
    assert n.flags[1] == UNICODE and n.flags[0] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("98765 4321O", "98765 43210"),
        ("9l7O0 l2345", "91700 12345"),
        ("call 98765432I0", "call 9876543210"),
        ("9876S 4321B", "98765 43218"),
        # Groups joined by a word, as numbers are read out: "and", "then".
        ("6l6 and 926 and 9447", "616 and 926 and 9447"),
        ("+9I 87l3 comma 9O85 comma I6", "+91 8713 comma 9085 comma 16"),
        ("IOO7 uske baad 8525 uske baad l6", "1007 uske baad 8525 uske baad 16"),
        ("9l88 then 9I5I then 7782", "9188 then 9151 then 7782"),
        # A short leet group after a marked separator ends the number.
        ("+9l 6632/76/2O/II?", "+91 6632/76/20/11?"),
        # More leet letters than digits, in a run as long as a phone number.
        ("+9I 925lo loI9o", "+91 92510 10190"),
        # ... or a digit in every group but one, and a three-letter group between them.
        ("call 85OB9 lIOl9", "call 85089 11019"),
        ("BO . 9O . OO6 . 99I", "80 . 90 . 006 . 991"),
        ("9379 OBB l34", "9379 088 134"),
        # A tilde between the groups.
        ("+9I 926~25~i22~39", "+91 926~25~122~39"),
    ],
)
def test_leet_inside_numeric_runs(text, expected):
    """Letters standing for digits inside a number become digits."""
    n = normalise(text)
    assert n.text == expected
    assert "leet" in n.disguises(0, len(n.text))
    assert LEET in n.flags


@pytest.mark.parametrize(
    "text",
    [
        "Ollie loves BIOS and B2B", "lol 10 IO", "O1", "98765|43210", "v1.0 SOS",
        "CALL 98765 43210 IS BEST", "room 1O and lo then Bl", "iOS 14.4 and 15",
        "call 98765 lol", "I have 3 BOB 12 things",
    ],
)
def test_leet_never_touches_words_or_separators(text):
    """Letters stay letters unless the run around them is mostly digits."""
    assert normalise(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n1n3 31ght s3v3n", "nine eight seven"),
        ("call F1V3 now", "call FiVe now"),  # letters keep their case
        ("ek d0 t33n", "ek do teen"),
        ("９ n1n3", "9 nine"),  # after unicode folding too
    ],
)
def test_number_words_with_digits_for_letters_are_spelled_out(text, expected):
    n = normalise(text)
    assert n.text == expected
    assert n.to_original(0, len(n.text)) == (0, len(text))


@pytest.mark.parametrize("text", ["2nd floor at 5pm", "mp3 and h264", "a 10in tablet", "b2b"])
def test_tokens_that_spell_no_number_word_keep_their_digits(text):
    assert normalise(text).text == text


def test_leet_after_unicode_folding():
    """A Cyrillic О in a fullwidth number is a zero."""
    assert normalise("９８７６５ ４３２１О").text == "98765 43210"


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\U0010ffff", "\x00\x01", "ﬁ½", ""])
def test_odd_code_points_never_raise_and_keep_the_map_consistent(text):
    """Surrogates, control and private characters: one map entry per output character."""
    n = normalise(text)
    if n.starts is not None:
        assert len(n.starts) == len(n.ends) == len(n.flags) == len(n.text)
        assert all(0 <= s < e <= len(text) for s, e in zip(n.starts, n.ends, strict=True))


def test_expansions_map_every_output_char_to_its_source():
    """NFKC can turn one character into several ("½" → "1⁄2"); each maps to it."""
    n = normalise("x½y")
    assert n.text == "x1⁄2y"
    assert n.to_original(1, 4) == (1, 2)


def test_a_pipe_is_a_separator_not_a_one():
    """'80|5371|86' groups digits, also around leet letters."""
    assert normalise("+234 80|5371|86|48").text == "+234 80|5371|86|48"
    assert normalise("9l79|l5665|6o5").text == "9179|15665|605"


def test_short_leet_tokens_between_numeric_ones_join_the_group():
    """A two-letter leet token between digit groups is part of the number."""
    assert normalise("+9I.Bl. l249. S62S").text == "+91.81. 1249. 5625"


def test_a_leading_leet_letter_joins_the_number():
    """A leet 1 before the first group counts; a leet-looking word before a year does not."""
    assert normalise("+I.70.487/96363").text == "+1.70.487/96363"
    assert normalise("SOS 2024").text == "SOS 2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9̶8̶7̶6̶5̶", "98765"),  # combining strike-through
        ("➒➑➐⓿", "9870"),  # dingbat and negative circled digits
        ("98765\u3164 43210\u2800", "98765 43210"),  # blank Hangul and Braille letters
        ("ɑmit@gmɑil.cօm", "amit@gmail.com"),
    ],
)
def test_decorations_and_rarer_look_alikes(text, expected):
    """Strike-through marks, dingbat digits, blank letters and stray look-alikes."""
    assert normalise(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sandeep.webkaam एट जीमेल डॉट कॉम", "sandeep.webkaam at gmail dot com"),
        ("meena.store९२ एट याहू डॉट को डॉट इन", "meena.store92 at yahoo dot co dot in"),
        ("vikas88 एट द रेट हॉटमेल डॉट कॉम", "vikas88 at d rate hotmail dot com"),
        ("srikanth.ui ఎట్ జీమెయిల్ డాట్ కామ్", "srikanth.ui at gmail dot com"),
        # A domain word is one only after a dot word: "कम", "इन" and "को" are words.
        ("यह काम कम है, इन को देखो", "यह काम कम है, इन को देखो"),
        # A symbol a legend in the message declares to stand for the at or the dot.
        ("rahul dot verma \U0001f300 gmail dot com (\U0001f300 = at)",
         "rahul dot verma @ gmail dot com (@ = at)"),
        ("@pixel\U0001f538by\U0001f538nisha (\U0001f538 = .)", "@pixel.by.nisha (. = .)"),
        ("priya#gmail.com, # means @", "priya@gmail.com, @ means @"),
        ("rohan~k at outlook~com, replace ~ with dot",
         "rohan.k at outlook.com, replace . with dot"),
    ],
)
def test_mail_words_of_indian_scripts_and_declared_symbols_read_as_latin(text, expected):
    """The mail words of Indian scripts and the symbols a legend declares read as the
    Latin words and characters they stand for; each maps back to the whole original."""
    norm = normalise(text)
    assert norm.text == expected
    assert norm.to_original(0, len(norm.text)) == (0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "x = a.b and y = 2",
        "price = 45k, meet at 5",
        "a = at least 3 revisions",
        "if (a == b) return a.c;",
        "#1 = the best, #2 = at most ok",
    ],
)
def test_an_equals_sign_in_prose_or_code_declares_nothing(text):
    assert normalise(text).text == text


def test_a_sound_alike_in_leet_is_digits_not_the_word():
    """ "7oo" could spell "too", a digit word; in a number it is 700."""
    assert normalise("my number: +234 7oo 943 1I72").text == "my number: +234 700 943 1172"
