"""Details split over several messages of one sender, and the window's bounds."""

from __future__ import annotations

import itertools

import pytest
from doubles import ALL

from redaction import Context, DetailType, Redactor, RedactorConfig
from redaction.normalize import normalise
from redaction.window import classify, is_number_piece

_ids = itertools.count()


class Chat:
    """Sends messages through one redactor, like a conversation would."""

    def __init__(self, redactor: Redactor, conversation: str = "c1") -> None:
        self.redactor = redactor
        self.conversation = conversation
        self.clock = 1_000.0

    def send(self, text: str, sender: str = "u1", *, after: float = 1.0):
        self.clock += after
        context = Context(
            conversation=self.conversation,
            sender=sender,
            message_id=f"m{next(_ids)}",
            timestamp=self.clock,
        )
        return context.message_id, self.redactor.redact(text, context)


@pytest.fixture
def chat() -> Chat:
    return Chat(Redactor(detectors=ALL))


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    """The real detectors, for joins whose outcome depends on what they accept."""
    return Redactor()


@pytest.fixture
def real_chat(redactor: Redactor) -> Chat:
    return Chat(redactor, f"r{next(_ids)}")


def test_number_in_two_pieces_is_masked_in_both(chat):
    """The second piece is masked with a split finding; the first gets a RetroMask."""
    first_id, first = chat.send("call 98765")
    assert first.masked == "call 98765"
    assert [(s.type, s.rule) for s in first.suspects] == [(DetailType.PHONE, "fragment")]
    chat.send("?", sender="u2")  # the other party's reply does not break the attempt
    _, second = chat.send("43210")
    assert second.masked == "[phone removed]"
    (finding,) = second.findings
    assert "split" in finding.disguises
    assert [(p.message_id, p.start, p.end) for p in finding.pieces] == [(first_id, 5, 10)]
    (retro,) = second.retro
    assert retro.message_id == first_id
    assert retro.masked_text == "call [phone removed]"
    assert [(f.start, f.end, "split" in f.disguises) for f in retro.findings] == [(5, 10, True)]


def test_number_in_three_pieces_with_filler_words(chat):
    """Filler words around the pieces never stand between the digit groups."""
    ids = [chat.send(text)[0] for text in ("my number 98", "then 765 43")]
    _, last = chat.send("last part 210")
    assert last.masked == "last part [phone removed]"
    assert [r.message_id for r in last.retro] == ids
    assert [r.masked_text for r in last.retro] == [
        "my number [phone removed]",
        "then [phone removed]",
    ]


def test_a_short_aside_between_number_pieces_is_left_out(chat):
    """ "98765" | "sorry typo" | "43210": the aside is neither joined nor masked."""
    first_id, _ = chat.send("98765")
    _, aside = chat.send("sorry typo")
    _, last = chat.send("43210")
    assert (aside.masked, last.masked) == ("sorry typo", "[phone removed]")
    assert [r.message_id for r in last.retro] == [first_id]


@pytest.mark.parametrize(
    ("first", "platform", "masked"),
    [
        ("meena.art92", "gmail", "[email removed]"),
        ("meena_art07", "insta", "[handle removed]"),
        ("meena_art07", "on insta", "[handle removed]"),
        ("meena_art07", "is my telegram", "[handle removed]"),
    ],
)
def test_a_platform_named_after_a_bare_id_masks_the_id(real_chat, first, platform, masked):
    """ "meena.art92" | "gmail": the platform says where the id lives; it is masked there."""
    first_id, _ = real_chat.send(first)
    _, named = real_chat.send(platform)
    assert named.masked == platform
    assert [(r.message_id, r.masked_text) for r in named.retro] == [(first_id, masked)]


def test_an_id_an_at_and_a_provider_in_three_messages_mask_the_id(real_chat):
    """ "meenaart99" | "at" | "gmail": the provider ends an address the at began."""
    id_id, _ = real_chat.send("meenaart99")
    at_id, _ = real_chat.send("at")
    _, provider = real_chat.send("gmail")
    assert [(r.message_id, r.masked_text) for r in provider.retro] == [
        (id_id, "[email removed]"), (at_id, "[email removed]"),
    ]


def test_an_at_and_a_provider_after_prose_mask_nothing(real_chat):
    real_chat.send("meet me")
    real_chat.send("at")
    _, provider = real_chat.send("gmail")
    assert (provider.masked, provider.retro) == ("gmail", ())


@pytest.mark.parametrize(
    ("first", "then"),
    [("v2.1.3", "github"), ("index.html", "gmail"), ("meena_art", "instagram is down today"),
     ("meena_art", "I dont use insta")],
)
def test_a_platform_after_a_file_version_or_with_prose_masks_nothing(real_chat, first, then):
    real_chat.send(first)
    _, result = real_chat.send(then)
    assert (result.masked, result.retro) == (then, ())


def test_a_handle_cut_after_its_masked_first_word_is_masked_whole(real_chat):
    """ "my insta" | "meena" | ".art": the second piece continues the masked first."""
    real_chat.send("my insta")
    second_id, second = real_chat.send("meena")
    _, third = real_chat.send(".art")
    assert (second.masked, third.masked) == ("[handle removed]", "[handle removed]")
    assert [r.message_id for r in third.retro] == [second_id]


def test_local_part_then_domain(chat):
    """A local part, then @domain: both messages are masked as one email."""
    chat.send("mail id rahul.sharma92")
    _, second = chat.send("@gmail.com")
    assert second.masked == "[email removed]"
    assert second.retro[0].masked_text == "mail id [email removed]"


def test_local_part_split_in_two_bare_words(chat):
    """'kara' | 'nmehta73' | '@gmail.com': the pieces are glued, not spaced."""
    chat.send("kara")
    chat.send("nmehta73")
    _, last = chat.send("@gmail.com")
    assert last.masked == "[email removed]"
    assert [r.masked_text for r in last.retro] == ["[email removed]", "[email removed]"]


def test_dangling_link_prefix_then_name(chat):
    """t.me/ alone is a suspect; with the name that follows it is a handle."""
    _, first = chat.send("t.me/")
    assert [(s.type, s.start, s.end) for s in first.suspects] == [(DetailType.HANDLE, 0, 5)]
    _, second = chat.send("rahul_dev")
    assert second.masked == "[handle removed]"
    assert second.retro[0].masked_text == "[handle removed]"


def test_platform_mention_then_bare_id_is_a_finding_of_the_second_message(chat):
    """The mention is context: the id alone is masked, with no split and no retro."""
    _, first = chat.send("add me on telegram")
    assert not first.findings and not first.suspects
    _, second = chat.send("rahul_dev")
    (finding,) = second.findings
    assert second.masked == "[handle removed]"
    assert not finding.pieces and "split" not in finding.disguises and not second.retro


@pytest.mark.parametrize("platform", ["insta", "Discord", "telegram."])
def test_a_platform_named_alone_then_an_id(real_chat, platform):
    """A message that is only a platform's name starts an attempt, as a sentence naming
    it does; the id in the next message is masked."""
    _, first = real_chat.send(platform)
    assert first.masked == platform
    _, second = real_chat.send("pixel_monk_art")
    assert second.masked == "[handle removed]"


@pytest.mark.parametrize(
    "text", ["add @tailwind base; at the top", "meet @ 5.30 pm?", "@pytest.fixture(scope='module')"]
)
def test_code_and_times_after_a_platform_mention_are_no_handles(real_chat, text):
    """An "@" before code or a time stays what it is when the message before named an app;
    an account after it is still one."""
    real_chat.send("share your insta id")
    _, second = real_chat.send(text)
    assert second.masked == text
    real_chat.send("ig pe dm karo")
    _, third = real_chat.send("@gurpreet.media")
    assert third.masked == "[handle removed]"


def test_an_everyday_word_is_not_glued_to_the_next_id(real_chat):
    """'ji bilkul' | 'mehta.karan' | '@ gmail.com': the address starts at the id."""
    first, _ = real_chat.send("ji bilkul")
    real_chat.send("mehta.karan")
    _, last = real_chat.send("@ gmail.com")
    assert last.masked == "[email removed]"
    assert first not in {retro.message_id for retro in last.retro}


def test_a_platform_named_alone_then_prose_masks_nothing(real_chat):
    real_chat.send("telegram")
    _, second = real_chat.send("no thanks")
    assert second.masked == "no thanks"


def test_platform_mention_then_id_with_written_underscores(real_chat):
    """A written "underscore" joins the words of an id: the message is no prose."""
    real_chat.send("add me on telegram")
    _, second = real_chat.send("meena underscore  underscore sharma")
    assert second.masked == "[handle removed]"


def test_pieces_of_different_senders_are_never_combined(chat):
    """Two people's digits never make one number."""
    chat.send("98765", sender="u1")
    _, other = chat.send("43210", sender="u2")
    assert other.masked == "43210" and not other.retro


def test_other_conversations_are_separate():
    """The same sender key in another conversation is another window."""
    redactor = Redactor(detectors=ALL)
    Chat(redactor, "c1").send("98765")
    _, result = Chat(redactor, "c2").send("43210")
    assert not result.findings


@pytest.mark.parametrize(
    "messages",
    [
        ("I need 3 pages", "budget 5000"),
        ("invoice 98765", "43210"),
        ("our office opens at 9 and closes at 6, 5 days a week", "98765 43210 99"),
        ("the total is 98765 rupees for the whole project", "plus 43210 for hosting next year"),
        # An aside joins no number with context, nor do two asides.
        ("order 98765", "ok", "43210 units"),
        ("98765", "ok wait", "ok", "43210"),
        ("call 98765", "counter should go 1 2 3 4 5 6 7 8 9 10, then reset"),
    ],
)
def test_prose_and_numbers_with_context_are_not_joined(chat, messages):
    """Budgets, invoices, counts and prose around numbers never make a split phone."""
    *earlier, last = messages
    for text in earlier:
        chat.send(text)
    _, result = chat.send(last)
    assert not result.retro
    assert all("split" not in f.disguises for f in result.findings)


def test_a_finished_detail_is_not_extended_by_the_next_piece(chat):
    """Each message complete on its own: no split, no retro."""
    chat.send("98765 43210")
    _, result = chat.send("98765 43210")
    assert len(result.findings) == 1 and not result.findings[0].pieces and not result.retro


def test_pieces_older_than_the_window_are_forgotten():
    """A piece older than window_seconds is not joined."""
    chat = Chat(Redactor(RedactorConfig(window_seconds=60), detectors=ALL))
    chat.send("98765")
    _, result = chat.send("43210", after=61)
    assert not result.findings


def test_only_the_last_messages_count():
    """window_messages bounds how far back pieces are looked for."""
    chat = Chat(Redactor(RedactorConfig(window_messages=2), detectors=ALL))
    for text in ("98", "765", "43"):
        chat.send(text)
    _, result = chat.send("210")
    assert not result.findings  # "43" + "210" is all a window of two can see


def test_least_recently_used_senders_are_evicted():
    """window_conversations bounds memory; the least recently used sender goes first."""
    redactor = Redactor(RedactorConfig(window_conversations=2), detectors=ALL)
    chats = [Chat(redactor, f"c{i}") for i in range(3)]
    for chat in chats:
        chat.send("98765")
    assert len(redactor._window) == 2
    assert not chats[0].send("43210")[1].findings  # evicted
    assert chats[2].send("43210")[1].findings


def test_messages_without_conversation_or_sender_skip_the_window():
    """Without both keys a message is judged alone and reports no fragment suspect."""
    redactor = Redactor(detectors=ALL)
    redactor.redact("98765", Context(sender="u1", message_id="a"))
    result = redactor.redact("43210", Context(sender="u1", message_id="b"))
    assert not result.findings and not result.suspects


@pytest.mark.parametrize(
    ("text", "kind", "suspect"),
    [
        ("98765", "piece", DetailType.PHONE),
        ("last part 50015", "piece", DetailType.PHONE),
        ("nine eight seven", "piece", DetailType.PHONE),
        ("live:.cid.", "piece", DetailType.HANDLE),
        ("bit.ly/", "piece", DetailType.URL),
        ("@ gmail.com", "piece", DetailType.EMAIL),
        ("rahul.k92", "piece", None),
        ("at the rate gmail dot com", "piece", None),
        ("nikhil", "word", None),
        ("add me on skype", "context", None),
        ("0192. Texts are fine after 6pm PST", "piece", DetailType.PHONE),
        ("Here it is, in parts since the chat eats it: 98765", "piece", DetailType.PHONE),
    ],
)
def test_fragment_classification(text, kind, suspect):
    """Which short messages may be pieces, and which are worth a suspect report alone."""
    fragment = classify(normalise(text).text)
    assert fragment is not None and fragment.kind == kind
    assert (fragment.suspect[2] if fragment.suspect else None) == suspect


@pytest.mark.parametrize(
    "text",
    [
        "I liked your proposal. When can you start?",
        "budget 50000",
        "Thanks, will do!",
        "Let's sync at 5pm tomorrow.",
        "Done. Pushed the fix to the staging server at 6pm",
        "12. Fix the header on the mobile layout",
        "sure, we need it at least by Apr 12, 2025",
        "print 250 copies on A4, 300 gsm",
        "a n g e l i c a r e y e s . v e r c e l . a p p . and thirty more letters here",
        "x" * 200,
    ],
)
def test_prose_is_not_a_fragment(text):
    """Ordinary messages never join a split attempt."""
    assert classify(normalise(text).text) is None


def test_a_number_given_whole_starts_no_attempt(real_chat):
    """A number a message gave in full, even at the end of its prose, is not the first
    piece of the number spread over the next messages."""
    for text in ("please share your number, mine is 66822 33179", "whatsapp 6 6 8"):
        real_chat.send(text)
    _, last = real_chat.send("2 2 3 3 1 7 9 call me")
    assert last.masked == "[phone removed] call me"
    assert [r.masked_text for r in last.retro] == ["whatsapp [phone removed]"]


@pytest.mark.parametrize(
    ("pieces", "last"),
    [
        # A quantity after a number given whole; a word before a whole link.
        (["88037 92887 whatsapp", "rate the design 1-10?"], "rate the design 1-10?"),
        (["received", "wa.me/919755254982"], "[handle removed]"),
        # A word or an answer after a link or a tag-like number.
        (["bit.ly/3xYz", "thanks"], "thanks"),
        (["ticket?", "#4821"], "#4821"),
    ],
)
def test_a_whole_detail_or_an_answer_is_not_continued(real_chat, pieces, last):
    """Nothing joins a whole detail next to it: no earlier message is masked again."""
    for piece in pieces[:-1]:
        real_chat.send(piece)
    _, result = real_chat.send(pieces[-1])
    assert (result.masked, result.retro) == (last, ())


def test_number_words_before_a_unit_of_time_are_no_number_piece():
    """ "Aath nau din me" is eight or nine days, in Hinglish as in English."""
    for text in ("Aath nau din me full website ready", "do teen ghante lagenge"):
        fragment = classify(normalise(text).text)
        assert fragment is None or not is_number_piece(fragment)


def test_an_everyday_word_joins_only_an_at_domain(chat):
    """'work' | '@mintleaf.in' is an address; 'thanks' | '98765 43210' is not a split."""
    chat.send("work")
    _, mail = chat.send("@mintleaf.in")
    assert mail.retro and mail.retro[0].masked_text == "[email removed]"
    chat.send("thanks")
    _, phone = chat.send("98765 43210")
    assert not phone.retro and not phone.findings[0].pieces


def test_a_name_cut_mid_word_is_glued_back(chat):
    """'my email pooj' | 'a.patel' | '@gmail.com' is pooja.patel@gmail.com."""
    chat.send("my email pooj")
    chat.send("a.patel")
    _, last = chat.send("@gmail.com")
    assert [r.masked_text for r in last.retro] == ["my email [email removed]", "[email removed]"]


def test_a_finished_handle_does_not_swallow_the_next_word(chat):
    """'telegram @rahul_dev' | 'thanks': the thanks stays."""
    chat.send("telegram @rahul_dev")
    _, second = chat.send("thanks")
    assert second.masked == "thanks" and not second.retro


@pytest.mark.parametrize(
    ("earlier", "text", "masked"),
    [
        # A complete detail before: the "@" starts a word of its own.
        ("here is the preview: https://wa.me/917351819093", "use @media queries on mobile",
         "use @media queries on mobile"),
        # A platform mention before: the handle is this message's own.
        ("insta id neeche hai", "@priya.films", "[handle removed]"),
    ],
)
def test_an_at_word_is_glued_only_to_a_bare_piece(real_chat, earlier, text, masked):
    """'…wa.me/9173…' | 'use @media' never makes '…9173@media'."""
    first, _ = real_chat.send(earlier)
    _, result = real_chat.send(text)
    assert result.masked == masked
    assert all(r.message_id != first or "@" not in r.masked_text for r in result.retro)
    assert all("split" not in f.disguises for f in result.findings)


def test_the_current_message_keeps_its_own_context_words(real_chat):
    """The platform's own username after a question about skype is no skype handle."""
    real_chat.send("can we move to skype, is that allowed?")
    _, result = real_chat.send("And my WebPerHour username is sarah_thompson")
    assert not result.findings and not result.retro


def test_an_everyday_first_piece_of_an_address_is_masked_too(real_chat):
    """'ka' | 'vyamenon46' | '@gmail.com': all three pieces of kavyamenon46@gmail.com."""
    first, _ = real_chat.send("ka")
    second, _ = real_chat.send("vyamenon46")
    _, last = real_chat.send("@gmail.com")
    assert last.masked == "[email removed]"
    assert {r.message_id: r.masked_text for r in last.retro} == {
        first: "[email removed]",
        second: "[email removed]",
    }


def test_a_dangling_prefix_is_not_completed_by_prose(real_chat):
    """'t.me/' | 'eh nvm': the sender gave up, nothing is a handle."""
    real_chat.send("t.me/")
    _, result = real_chat.send("eh nvm")
    assert result.masked == "eh nvm" and not result.retro


def test_a_domain_after_a_local_part_is_the_domain_half(real_chat):
    """'jatin.b' | 'gmail.com' (the '@' left out) is one address, not a link."""
    first, _ = real_chat.send("jatin.b")
    _, result = real_chat.send("gmail.com")
    assert [f.type for f in result.findings] == [DetailType.EMAIL]
    assert [r.message_id for r in result.retro] == [first]


def test_a_label_before_a_piece_is_no_digit(real_chat):
    """'first 5: 70428' | 'last 5: 33190': the 5s are labels, the number is 7042833190."""
    first, _ = real_chat.send("first 5: 70428")
    _, result = real_chat.send("last 5: 33190")
    assert result.masked == "last 5: [phone removed]"
    assert [(r.message_id, r.masked_text) for r in result.retro] == [
        (first, "first 5: [phone removed]")
    ]


def test_a_count_of_digits_before_a_piece_is_no_digit(real_chat):
    """'first 5 digits 98765' | 'last 5 digits 43210': "5 digits" labels the piece."""
    real_chat.send("first 5 digits 98765")
    _, result = real_chat.send("last 5 digits 43210")
    assert result.masked == "last 5 digits [phone removed]"
    assert [r.masked_text for r in result.retro] == ["first 5 digits [phone removed]"]


def test_a_pointing_emoji_does_not_hide_the_id(real_chat):
    """'follow me on insta' | 'meenaart 👈': the id after the platform mention."""
    real_chat.send("follow me on insta")
    _, result = real_chat.send("meenaart \U0001f448")
    assert result.masked == "[handle removed] \U0001f448"



@pytest.mark.parametrize(
    ("first", "first_masked", "second", "second_masked"),
    [
        # "9 and 4" after a number given whole is a time, not a piece.
        ("number +1 765-487-8254. call me between 9 and 4.",
         "number [phone removed]. call me between 9 and 4.",
         "plus one seven six five four eight seven eight two five four",
         "[phone removed]"),
        # The last words of a number given whole and a PIN code make no second number.
        ("if u get stuck: ninety eight seven ten, twenty three four fifty six",
         "if u get stuck: [phone removed]",
         "Ananya weds Karthik, 24.11.2025, Bengaluru 560008",
         "Ananya weds Karthik, 24.11.2025, Bengaluru 560008"),
    ],
)
def test_text_after_a_complete_number_does_not_start_another(
    real_chat, first, first_masked, second, second_masked
):
    """A number given whole ends the attempt."""
    assert real_chat.send(first)[1].masked == first_masked
    _, result = real_chat.send(second)
    assert result.masked == second_masked
    assert result.retro == ()


def test_a_quantity_after_a_complete_number_is_not_its_last_digit(real_chat):
    """One number word in the next sentence ("two logos") does not extend a number the
    previous message gave whole; a group of digits may still finish one cut too early."""
    real_chat.send("whatsapp plus three four six three two seven oh one three four eight")
    _, second = real_chat.send("I need two logos and three banners.")
    assert second.masked == "I need two logos and three banners."
    real_chat.send("call +91 64 49 87")
    _, rest = real_chat.send("aur 05 11")
    assert rest.masked == "aur [phone removed]"


_VALID_NUMBER = "telegram or call plus three three seven three zero two six five three one two"


@pytest.mark.parametrize(
    ("earlier", "later", "masked"),
    [
        # A whole address is not glued to an id-like end of the message before; a time
        # ("back @ 9pm") is no id.
        ("ok noted, meera99", "write to contact @ meenaart.com", "write to [email removed]"),
        ("lunch break, back @ 9pm", "drop a mail at contact @ meenaart.com, thanks",
         "drop a mail at [email removed], thanks"),
        # A number that validated is whole: two digits after it are a quantity or a time.
        (_VALID_NUMBER, "Make 10 Instagram reels from this footage.",
         "Make 10 Instagram reels from this footage."),
        (_VALID_NUMBER, "Ok @ 11 tomorrow works", "Ok @ 11 tomorrow works"),
        # A number whole on its own takes no code before it as its first piece.
        ("got otp 212376 but it says expired",
         "please mujhe eight 1 013 two 0 six 48 pe call back karo",
         "please mujhe [phone removed] pe call back karo"),
        ("the code was 212376, it expired",
         "please mujhe eight 1 013 two 0 six 48 pe call back karo",
         "please mujhe [phone removed] pe call back karo"),
        # "@media" is no "@domain" piece for the id given before.
        ("t.me/ meena_art99 ping me here", "sure, use @media (max-width: 768px) for mobile",
         "sure, use @media (max-width: 768px) for mobile"),
        # A whole app link's prefix does not dangle into the next message.
        ("ye link kholo wa.me/ 91 99281 62635", "my email is meenaart20",
         "my email is [email removed]"),
    ],
)
def test_a_message_whole_on_its_own_takes_nothing_from_the_one_before(
    real_chat, earlier, later, masked
):
    """What the later message holds (or does not) is judged without the earlier one,
    which stays as it was."""
    real_chat.send(earlier)
    _, result = real_chat.send(later)
    assert result.masked == masked
    assert result.retro == ()


@pytest.mark.parametrize(
    ("pieces", "masked"),
    [
        # Part labels in brackets are no dates, and no digits of the number.
        (["98765 (1/2)", "43210 (2/2)"], ["[phone removed] (1/2)", "[phone removed] (2/2)"]),
        # Both halves of an address typed letter by letter.
        (["r a h u l", "@ g m a i l . c o m"], ["[email removed]", "[email removed]"]),
        # A LinkedIn profile's slug after the word alone.
        (["linkedin", "meena-sharma-92"], ["linkedin", "[handle removed]"]),
        # A separator, a TLD with its path, a provider after an at: each typed alone.
        (["rahul", ".", "verma92", "@yahoo.in"],
         ["[email removed]", "[email removed]", "[email removed]", "[email removed]"]),
        (["ankitportfolio", "dot", "in/work"],
         ["[link removed]", "[link removed]", "[link removed]"]),
        (["sneha_k", "at the rate", "outlook", "dot com"],
         ["[email removed]", "[email removed]", "[email removed]", "[email removed]"]),
        (["rahuldev99", "at", "gmail"], ["[email removed]", "[email removed]", "[email removed]"]),
        # A link ending a message before its id; the id after a reply of the other side
        # would be a different sender's, so here it follows at once.
        (["evidence ka drive link ye hai drive.google.com/file/d/",
          "1Qw8ZtR3vN0pLk5sHy2mXc7bJ9dF/view"],
         ["evidence ka drive link ye hai [link removed]", "[link removed]"]),
        (["ok here is the loom video showing the bug https://www.loom.com/share/",
          "9c2e71f0ab4d4e39a8d11b2f6e0c7a55"],
         ["ok here is the loom video showing the bug [link removed]", "[link removed]"]),
        # ... but a word after it is the sender moving on: nothing masked again.
        (["see github.com/rahul/", "thanks"], ["see github.com/rahul/", "thanks"]),
        # A country code and a first group end a message of prose; the rest follows.
        (["Parce, el número es +57 310", "456 7821, escríbeme por wasap"],
         ["Parce, el número es [phone removed]", "[phone removed], escríbeme por wasap"]),
        # The rest of an id after an underscore; a slash typed alone between host and id.
        (["@", "riya", "_designs"], ["[handle removed]"] * 3),
        (["easier if we talk on tg", "t.me", "/", "karan_builds"],
         ["easier if we talk on tg", "[handle removed]", "[handle removed]", "[handle removed]"]),
        # A verb asking to be called or to note it down before a message's last digits.
        (["our accountant Meena handles TDS, ping her at 98113", "20467"],
         ["our accountant Meena handles TDS, ping her at [phone removed]", "[phone removed]"]),
        (["aur detailed brief bhejna hai, mera number note karo 90046", "18395"],
         ["aur detailed brief bhejna hai, mera number note karo [phone removed]",
          "[phone removed]"]),
        # "my no. is" before the first digits after an app's name; a spaced dash ends the
        # first clause of the next piece.
        (["Faster on whatsapp. my no. is 97640", "18823 — split it so it doesn't get blocked"],
         ["Faster on whatsapp. my no. is [phone removed]",
          "[phone removed] — split it so it doesn't get blocked"]),
        # A profile's slug after a link ending in a slash; a mailbox's name ending prose,
        # its domain next.
        (["Profile with recommendations: linkedin.com/in/", "kiran-sathyanarayan-devops"],
         ["Profile with recommendations: [link removed]", "[link removed]"]),
        (["see github.com/rahul/", "state-of-the-art"],
         ["see github.com/rahul/", "state-of-the-art"]),
        (["Happy to talk future work, my work mail is wanjiru", "@kinetiqstudio.co.ke"],
         ["Happy to talk future work, my work mail is [email removed]", "[email removed]"]),
        # Two digits after "call:" start a number all the same.
        (["correct. koi issue ho toh call: 73", "05 62", "9184"],
         ["correct. koi issue ho toh call: [phone removed]", "[phone removed]",
          "[phone removed]"]),
        # The at and the dot written in Spanish continue the message before.
        (["mi correo: diego.hdz", "arroba hotmail punto com"],
         ["mi correo: [email removed]", "[email removed]"]),
        # A piece opens or ends a clause of prose.
        (["call kar lo, 9O8l2", "23344"], ["call kar lo, [phone removed]", "[phone removed]"]),
        (["pls call me, I'll explain the tone. double nine eight", "four five six",
          "seven seven one two"],
         ["pls call me, I'll explain the tone. [phone removed]", "[phone removed]",
          "[phone removed]"]),
        (["(415) 555", "0132, that's my cell"],
         ["[phone removed]", "[phone removed], that's my cell"]),
        # A link cut inside its id, then the rest of its path.
        (["drive.google.com/file/d/1Xa9", "Qm7TzL0pRk3vW", "/view"],
         ["[link removed]", "[link removed]", "[link removed]"]),
        # A chat link with the country code alone, the number after a reply.
        (["wa.me/971", "501234567"], ["[handle removed]", "[handle removed]"]),
        # ... and one completed a piece too early, its last digits in the next message.
        (["wa.me/", "9198450", "12376"], ["[handle removed]"] * 3),
        # A Discord name, then its tag.
        (["discord pe add kar: pixelmonk", "#4821"],
         ["discord pe add kar: [handle removed]", "[handle removed]"]),
        # A link's host written out at the end of a sentence, the id next.
        (["telegram pe bhej deta hoon. t dot me slash", "meher_vfx"],
         ["telegram pe bhej deta hoon. [handle removed]", "[handle removed]"]),
        # "ek sec" is a moment, not a digit.
        (["number note karo: aath saat shunya", "ruko ek sec... haan, paanch paanch do",
          "nau nau ek ek"],
         ["number note karo: [phone removed]", "ruko ek sec... haan, [phone removed]",
          "[phone removed]"]),
        # An app named in the last message vouches for no product name in this one.
        (["I'm @snehaiyer86 on TG", "Migrated the site from ASP.NET to Vue.js."],
         ["I'm @snehaiyer86 on TG", "Migrated the site from ASP.NET to Vue.js."]),
        # A last sentence asking to be added on an app opens an attempt.
        (["Easier if I'm on the server to test the intents. Add me on discord",
          "ghostbyte_dev"],
         ["Easier if I'm on the server to test the intents. Add me on discord",
          "[handle removed]"]),
        # A message ending in an id ends open; one ending in a full stop does not.
        (["please add my wechat, more convenient. wxid_k7p2", "m9x4l1"],
         ["please add my wechat, more convenient. [handle removed]", "[handle removed]"]),
        (["Built it in Next.js.", "ishi", "ta.b", "@yahoo.com"],
         ["Built it in Next.js.", "[email removed]", "[email removed]", "[email removed]"]),
        # An id typed a letter a message after the app was named.
        (["discord pe add karo", "k", "a", "v", "y", "a"],
         ["discord pe add karo"] + ["[handle removed]"] * 5),
        # A number in three pieces, the first ending a sentence, the last opening one.
        (
            ["my cell, in pieces since the chat eats it: +1 (415)", "555",
             "0192. Texts are fine after 6pm"],
            ["my cell, in pieces since the chat eats it: [phone removed]", "[phone removed]",
             "[phone removed]. Texts are fine after 6pm"],
        ),
    ],
)
def test_more_split_shapes(real_chat, pieces, masked):
    ids = [real_chat.send(piece)[0] for piece in pieces[:-1]]
    _, last = real_chat.send(pieces[-1])
    final = {retro.message_id: retro.masked_text for retro in last.retro}
    assert [final.get(i, piece) for i, piece in zip(ids, pieces, strict=False)] + [
        last.masked
    ] == masked


def test_dates_are_no_number_pieces(real_chat):
    """A date with its month named ("Apr 12, 2025") or a short one ("by 2/6") is no piece
    of the number spelled before or after it."""
    first_id, _ = real_chat.send("sure, we need it at least by Apr 12, 2025")
    real_chat.send("my number is eight seven three four")
    _, last = real_chat.send("three four two nine nine four")
    assert last.masked == "[phone removed]"
    assert first_id not in {retro.message_id for retro in last.retro}
    real_chat.send("chhah nau do do do tin tin")
    _, date = real_chat.send("we need it at least by 2/6")
    assert date.masked == "we need it at least by 2/6"
    assert date.retro == ()


def test_a_number_piece_is_masked_whole(real_chat):
    """Where the joined reading leaves a piece's last digit out, the piece is still
    masked to its end: "mera no shunya paanch teen" | "teen do ek shunya chaar chaar
    paanch"."""
    real_chat.send("mera no shunya paanch teen")
    _, last = real_chat.send("teen do ek shunya chaar chaar paanch")
    assert last.masked == "[phone removed]"


def test_words_before_the_pieces_of_a_number_are_not_part_of_it(real_chat):
    """"kal tak ho jayega" | "0804" | "78308" | "59 <- rest of it": a sentence ending in a
    word, then a number in three pieces."""
    real_chat.send("kal tak ho jayega")
    first_id, _ = real_chat.send("0804")
    real_chat.send("78308")
    _, last = real_chat.send("59 <- rest of it")
    assert last.masked == "[phone removed] <- rest of it"
    assert first_id in {retro.message_id for retro in last.retro}


@pytest.mark.parametrize(
    "code",
    ["@SpringBootApplication\npublic class App {}", "@dataclass\nclass Order:\n    id: int"],
)
def test_a_message_of_several_lines_is_no_piece(real_chat, code):
    """Code under a platform mention keeps its decorator: a piece is a single line."""
    real_chat.send("do you have telegram or insta?")
    _, second = real_chat.send(code)
    assert second.masked == code


def test_a_repeated_text_is_judged_afresh_by_the_window(redactor):
    """A remembered reading is shared by every message with that text: what the window
    adds to one message ("43210" completing a number) must not stick to the reading and
    mask the same text where it completes nothing, nor miss it where it does."""
    first, second = Chat(redactor, f"r{next(_ids)}"), Chat(redactor, f"r{next(_ids)}")
    first.send("98765")
    _, joined = first.send("43210")
    assert joined.masked == "[phone removed]"
    _, alone = second.send("43210")
    assert alone.masked == "43210" and not alone.findings
    second.send("98765")
    _, again = second.send("43210")
    assert again.masked == "[phone removed]"


@pytest.mark.parametrize(
    "texts",
    [
        ["98765", "43210", "98765", "43210", "ok", "ok"],
        ["rahul.sharma92", "@gmail.com", "rahul.sharma92", "@gmail.com"],
        ["@rahul_dev", "@rahul_dev", "hi @rahul_dev"],
    ],
)
def test_the_reading_cache_changes_no_result(texts):
    """The same conversation through a redactor with and without the cache."""
    results = []
    for size in (4096, 0):
        chat = Chat(Redactor(RedactorConfig(reading_cache=size)), "c-cache")
        results.append([chat.send(text)[1] for text in texts])
    def seen(result):  # message ids differ from run to run, the rest may not
        findings = [(f.start, f.end, f.type, f.rule, f.disguises) for f in result.findings]
        return result.masked, findings, result.suspects, [r.masked_text for r in result.retro]

    cached, fresh = results
    assert [seen(r) for r in cached] == [seen(r) for r in fresh]


def test_participants_are_part_of_what_a_reading_is_remembered_by():
    """``@name`` is a handle unless it names a participant, whatever was read before."""
    redactor = Redactor()
    assert redactor.redact("hi @rahul_dev").masked == "hi [handle removed]"
    named = redactor.redact("hi @rahul_dev", Context(participants=("rahul_dev",)))
    assert named.masked == "hi @rahul_dev"
    assert redactor.redact("hi @rahul_dev").masked == "hi [handle removed]"


def test_a_text_read_without_the_window_is_classified_when_the_window_sees_it():
    """A reading made for a message without a conversation has no fragment: the same text
    in a chat must still be read as the piece that completes a split number."""
    redactor = Redactor()
    assert redactor.redact("९८७६५").masked == "९८७६५"  # Devanagari digits, no window
    assert redactor.redact("43210").masked == "43210"
    chat = Chat(redactor, f"r{next(_ids)}")
    chat.send("९८७६५")
    _, second = chat.send("43210")
    assert second.masked == "[phone removed]"
    assert "split" in second.findings[0].disguises


def test_a_skype_id_in_three_pieces(real_chat):
    """ "live:" alone is the prefix of a Skype id, waiting for the rest."""
    first_id, _ = real_chat.send("live:")
    second_id, _ = real_chat.send(".cid.")
    _, third = real_chat.send("7c1e93ab52f04d")
    assert third.masked == "[handle removed]"
    assert {r.message_id for r in third.retro} == {first_id, second_id}


def test_an_app_named_with_a_postposition_after_a_bare_id(real_chat):
    first_id, _ = real_chat.send("meena.k.9921")
    _, second = real_chat.send("insta pe")
    assert [r.message_id for r in second.retro] == [first_id]


def test_a_tld_after_an_address_completed_at_its_provider(real_chat):
    """ "priya.k07" | "@" | "gmail" was masked at "gmail"; ".com" is its last piece."""
    for piece in ("meena.designs07", "@", "gmail"):
        real_chat.send(piece)
    _, last = real_chat.send(".com")
    assert last.masked == "[email removed]"


def test_the_last_piece_of_a_number_typed_again_to_fix_it_is_masked(real_chat):
    """ "88771" | "02354" | "sorry 02345": a correction of the piece that completed the
    number, as many digits (three at least); a count after it is no correction."""
    real_chat.send("88771")
    _, second = real_chat.send("02354")
    assert second.masked == "[phone removed]"
    _, fixed = real_chat.send("sorry 02345")
    assert fixed.masked == "sorry [phone removed]"
    _, later = real_chat.send("ok thanks, two three changes are pending")
    assert later.masked == "ok thanks, two three changes are pending"
