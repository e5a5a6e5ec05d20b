"""Phone numbers: written plainly, or disguised with words, spaces and odd separators.

The detector reads a message as *runs*: stretches of number tokens (digit groups,
number words such as ``nine``/``double``/``paanch``, or both glued together as in
``nine8seven``) joined by separators (spaces, ``.``, ``-``, ``/``, brackets, emoji…)
or by filler words (``and``, ``then``, ``aur``, ``phir``, ``followed by``). A run that
spells 8 to 15 digits is a phone candidate; shorter runs are not (the engine's window
joins a sender's consecutive messages and calls the detector again, so a number split
over messages is read whole).

Numbers look like many other things in chat, so a candidate is scored rather than
accepted outright:

* ``phonenumbers`` validates it (the default region first, then the extra regions;
  numbers written with ``+``/``00`` are parsed as international), and an Indian
  mobile shape (10 digits from 6-9, optionally after 0/91) is trusted on its own;
* a number someone took the trouble to spell out, or to type digit by digit, is
  believed even when it does not validate: nobody spells an invoice total that way;
* phone words nearby ("call", "whatsapp", "mob", "baat karo"…) raise the score;
* a keyword right before the number (order, ticket, invoice, UTR, txn, ref, PIN…),
  a currency, a unit after it, or a place inside a URL or an email vetoes it; dates,
  times, IP addresses, coordinates, year ranges and amounts are cut out of runs, so
  they can neither be a number nor glue two groups into one.

Two rarer shapes are read apart: a number glued to a phone word
("whatsapp9876543210"), and two halves with a few words between them in a message
about phones ("starts with 98450 and ends with 12367"). docs/redaction-phone.md has
the full table of rules and scores.

Everything is compiled once in ``__init__``; ``detect`` keeps no state, so one
detector serves every thread. The patterns are possessive or bounded, so the time is
linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

import phonenumbers
import regex

from redaction import numwords
from redaction.detectors.base import Candidate
from redaction.detectors.disguise import BACKWARDS, as_read, literal_pattern
from redaction.types import Context, DetailType

if TYPE_CHECKING:
    from redaction.config import RedactorConfig

_LETTER = r"[^\W\d_]"
# A trie, longest word first ("chhah" before "chha"): every word start in every
# message with a digit is tried against it, and a flat alternation of ~90 words is the
# costliest part of finding the runs.
_WORD = literal_pattern(numwords.ALL_WORDS)
# Sound-alikes that are never a number's first or last word: "changed my number to oh
# five…", "…two three for the invoice" (see ``_trim_edges``).
_EDGE_WORDS = frozenset({"to", "too", "for"})

# Patterns run on a copy of the text with ASCII letters lowered (same length, so
# offsets hold), which lets them drop IGNORECASE; the standard ``re`` engine is several
# times faster than ``regex`` here, and possessive quantifiers keep it linear.
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Separator characters people put between digit groups, emoji included. "?" and "!"
# end sentences and "+" starts another number, so they are not among them.
_SEP_CHAR = (
    r"[\s.,\-_/\\|~*:;()\[\]{}<>=#•·^\u060c\u2013\u2014\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff"
    r"\U0001f000-\U0001faff]"
)
_FILLER = rf"(?<!{_LETTER})(?:{'|'.join(map(re.escape, numwords.JOINERS))})(?!{_LETTER})"
# At most two filler words and a few separator characters: enough for
# "98765 ... and then ... 43210", bounded so that numbers far apart never join.
# A "+" glued between two groups joins them ("98765+43210"); with a space before it,
# it starts the next number.
_SEP = (
    rf"(?:{_SEP_CHAR}{{1,6}}"
    rf"|{_SEP_CHAR}{{0,4}}{_FILLER}(?:{_SEP_CHAR}{{1,4}}{_FILLER})?{_SEP_CHAR}{{0,4}}"
    r"|(?<=[0-9])\+(?=[0-9]))"
)
# Digits and number words glued together, touching no other letter or digit: "98765",
# "nine", "nine8seven", "ath7ekshunya". "5pm", "inv2023" or a hash never qualify.
_ATOM_SRC = rf"(?<!{_LETTER})(?<![0-9])(?:[0-9]++|(?:{_WORD}))++(?!{_LETTER}|[0-9])"
_LEAD = rf"(?:\( ?\+|\+|(?<!{_LETTER})plus(?!{_LETTER})){_SEP_CHAR}{{0,3}}"
# A run holds at most 64 atoms, so that a hostile stretch of thousands of groups is
# read in bounded pieces (a real number has at most 15).
_RUN = re.compile(rf"(?:{_LEAD})?{_ATOM_SRC}(?:{_SEP}{_ATOM_SRC}){{0,63}}+")


def _run_led_by_literals() -> str:
    """``_RUN`` for lower-cased ASCII text, written so that ``re`` skips ahead.

    The same matches, but a letter is ``[a-z]`` (cheaper to test than the Unicode
    classes) and the pattern is one alternation in which every branch starts with a
    literal: a lead ("(", "+", "plus"), then each digit, then the first letter of each
    number word (a lead first, as ``_RUN`` tries its optional lead first). ``re`` then
    jumps between those characters instead of trying every position of the text. An
    atom's look-behinds are checked right after its first character, and its first
    repetition is written out (the rest of a digit group, or of the words from that
    letter) in the same atomic group as the others, so it reads exactly what
    ``(?:[0-9]++|words)++`` reads.
    """
    letter = "[a-z]"
    atom = _ATOM_SRC.replace(_LETTER, letter)
    more = rf"(?:[0-9]++|{_WORD})*)(?!{letter}|[0-9])"  # closes the atomic group
    branches = [
        rf"\( ?\+{_SEP_CHAR}{{0,3}}{atom}",
        rf"\+{_SEP_CHAR}{{0,3}}{atom}",
        rf"p(?<!{letter}p)lus(?!{letter}){_SEP_CHAR}{{0,3}}{atom}",
    ]
    branches += [rf"{d}(?<![a-z0-9]{d})(?>[0-9]*+{more}" for d in "0123456789"]
    # Only ASCII words can be in ASCII text: branches led by other letters would only
    # keep ``re`` from skipping ahead (a set of first characters outside ASCII).
    ascii_words = {word for word in numwords.ALL_WORDS if word.isascii()}
    # Nor by a word that never starts a number: "to" and "for", everywhere in prose,
    # would each make a run of their own for Python to look at and drop.
    leading = ascii_words - _EDGE_WORDS
    for first in sorted({word[0] for word in leading}):
        tails = literal_pattern({w[1:] for w in leading if w[0] == first})
        branches.append(rf"{first}(?<![a-z0-9]{first})(?>{tails}{more}")
    sep = _SEP.replace(_LETTER, letter)
    return "(?:" + "|".join(branches) + rf")(?:{sep}{atom}){{0,63}}+"


_RUN_ASCII = re.compile(_run_led_by_literals())
_ATOM = re.compile(_ATOM_SRC)
_LETTER_RE = re.compile(_LETTER)
# "[0-9][0-9]*", not "[0-9]+": stdlib ``re`` skips ahead to a possible first character only
# for a pattern led by a literal, a set or alternatives of literals (not a repeat, a
# look-behind or "\b"), and tries every position otherwise.
_DIGITS_RE = re.compile(r"[0-9][0-9]*")
_PIECE = re.compile(rf"[0-9]++|{_WORD}")

# Cheap first look: a digit, or two number words that are not also everyday words.
_TEN_DIGITS = re.compile(r"[0-9][0-9]{9}")
# Not "\b" after the word: many Indic words end with a vowel sign, no word character.
_STRONG_WORD = re.compile(
    "(?:" + literal_pattern(numwords.STRONG, not_after=r"\w") + rf")(?!{_LETTER})"
)

# Things made of digits that are not phone numbers. They are cut out of a run
# before it is read, so they can neither be a number nor glue two groups into one.
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_BYTE = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_NOT_PHONE = re.compile(
    # a browser's version: 125.0.6422.60
    r"(?<![0-9.])[0-9]{2,3}\.0\.[0-9]{4}\.[0-9]{1,3}(?![0-9]|\.[0-9])|"
    # an Amazon order id: 408-3317621-5590412
    r"(?<![0-9-])[0-9]{3}-[0-9]{7}-[0-9]{7}(?![0-9])|"
    # Brazil's CPF: 123.456.789-09
    r"(?<![0-9.])[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}(?![0-9])|"
    # dates: 12/05/2024, 12.05.24, 2024-05-12
    rf"(?<![0-9./\-])(?:{_DAY}[/.\-]{_DAY}[/.\-](?:[0-9]{{4}}|[0-9]{{2}})"
    r"|(?:19|20)[0-9]{2}[/.\-][01]?[0-9][/.\-][0-3]?[0-9])(?![0-9]|[./\-][0-9])"
    # a day and a month alone: "on 09/09 and 10/09"
    rf"|(?<![0-9./\-]){_DAY}/(?:0?[1-9]|1[0-2])(?![0-9]|[/.\-][0-9])"
    # dates with the month named: apr 12, 2025 / april 12th, 2025
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? ?[0-3]?[0-9]"
    r"(?:st|nd|rd|th)?, ?(?:19|20)[0-9]{2}(?![0-9])"
    # times: 17:30, 5:30:10 ("5 pm" is not a run: letters end it)
    r"|(?<![0-9:.])(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
    r"(?![0-9]|[:.][0-9])"
    # IPv4 addresses
    rf"|(?<![0-9.]){_BYTE}(?:\.{_BYTE}){{3}}(?![0-9]|\.[0-9])"
    # coordinates: 12.9716, 77.5946
    r"|-?[0-9]{1,3}\.[0-9]{3,} ?, ?-?[0-9]{1,3}\.[0-9]{3,}"
    # year ranges: 2019-2024, FY 2023-24
    r"|(?<![0-9])(?:19|20)[0-9]{2} ?[-/] ?(?:(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9]|[-/.][0-9])"
    # fractions: 0.25, 0.5 (groups of a number are typed with dots, but none is a lone 0)
    r"|(?<![0-9.])0\.[0-9]{1,3}(?![0-9]|\.[0-9])"
    # amounts after a currency: ₹45,000, Rs. 1,20,000, $1500
    r"|(?:₹|\brs\.?|\binr|\$|€|£) ?[0-9]{1,3}(?:,[0-9]{2,3})+(?![0-9])"
)
# The longest currency prefix an amount cut-out may start with ("rs. ").
_CUT_BEFORE = 4
# What every cut-out contains; much cheaper to look for than the cut-outs themselves.
_CUT_HINT = re.compile(r"[0-9] ?[/.:,\-] ?[0-9]")

# The checks below look at a short window of text before or after a candidate.
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 30

# A keyword right before a number makes it an identifier of something else, whatever
# words ("no.", "number", "id", "#", "is") sit between them.
# fmt: off
_ID_WORDS = (
    "order", "ord", "ticket", "tkt", "invoice", "inv", "utr", "txn", "transaction", "ref",
    "reference", "awb", "tracking", "pnr", "booking", "receipt", "acc", "acct", "account",
    "a/c", "ifsc", "pin", "pincode", "zip", "zipcode", "postcode", "postal", "otp", "case",
    "project", "sku", "gst", "gstin", "pan", "serial", "imei", "aadhaar", "aadhar", "sn",
    "codes", "ack", "irn", "epoch", "timestamp",
    "upi", "cheque", "policy", "roll", "employee", "emp", "customer", "member", "uid", "bill",
    "challan", "voucher", "coupon", "batch", "model", "item", "flight", "train", "page",
    "pages", "port", "room", "isbn", "hsn", "complaint", "request", "application",
    "registration", "reg", "passport", "licence", "license", "consignment", "shipment",
    "docket", "folio", "demat", "sr", "srn", "consumer", "membership", "dl", "meeting", "zoom",
    "webinar", "student", "admission", "enrolment", "enrollment", "chassis", "plot", "flat",
    "claim", "quote", "quotation", "estimate", "grn", "tender", "contract", "build", "mcc",
    # tax, company and bank ids abroad
    "vat", "tax", "tin", "ein", "ssn", "cr", "crn", "company", "kvk", "btw", "iban", "swift",
    "bic", "box", "vergi", "abn", "acn", "nzbn", "nif", "nie", "cif", "siret", "siren", "rfc",
    "cuit", "cnpj", "cpf", "nip", "regon", "krs", "iva", "npwp", "ust", "cep",
    # Russian tax and company ids as the detectors read them: look-alikes in Latin
    # letters, and those lower-cased as the text is
    *sorted({w.translate(_LOWER) for w in as_read(("инн", "огрн", "кпп", "снилс", "ИНН",
                                                    "ОГРН", "КПП", "СНИЛС"))}),
)
# Everyday words that name an id only with "no."/"number" after them: "lot no. 2024/11/0087",
# but "thanks a lot 98765 43210" is a phone number, and "text me po 0917 123 4567" is
# Tagalog's "po".
_NUMBERED_WORDS = ("lot", "form", "token", "unit", "po")
# fmt: on
_ID_BEFORE = re.compile(
    # "in case: 98-30-…" is a phrase, not a case number
    rf"(?:\b(?<!\bin\ )(?:{'|'.join(_ID_WORDS)})\b"
    rf"|\b(?:{'|'.join(_NUMBERED_WORDS)})[\s.]*(?=(?:no|nr|num|number)\b))"
    r"[\s:#\-.=]*(?:(?:no|nr|num|number|id|code|is|hai|was|e\.g|eg|like|é|es|est|ist|jest)\b"
    r"[\s:#\-.=,]*){0,3}$"
    # the sign for "number" of French, Spanish, Portuguese, Russian: "n° 2024-0388"
    r"|(?:\bn[°º]|№)\s*$"
    # a country's letters before a VAT number ("VAT (GB 123 4567 89)"), an IBAN's first
    # groups before its digits ("IBAN NL91 ABNA 0417 1643 00")
    r"|\b(?:vat|ust|btw|iva)\b[\s:#.=(]*(?:(?:no|nr|number|id)\b[\s:#.=]*)?[a-z]{2} ?$"
    r"|\biban\b[\s:#.=]*(?:(?:is|hai|ist|es)\s+)?[a-z]{2}[0-9]{2}(?: ?[a-z0-9]{4})* ?$"
)
# A field named an id in code or data: "order_id = ", "userId: ", "customer_no=".
_ID_FIELD = re.compile(
    r"(?<![a-z0-9_])(?P<name>[a-z][a-z0-9]*)(?:_id|_no|_num|_number|(?<=[a-z])id)"
    r"[\"']? ?(?:={1,3}|:) ?[\"']?$"
)
_ID_FIELD_NAMES = frozenset({
    "order", "user", "customer", "client", "account", "invoice", "txn", "transaction",
    "product", "item", "ticket", "row", "record", "payment", "booking", "project", "task",
    "employee", "emp", "member", "ref", "reference", "tracking",
})  # fmt: skip
# An id is typed in digits: a spelled number after "…40 pages. " starts a sentence.
_SENTENCE_AFTER_KEYWORD = re.compile(r"[a-z/]+[.!?]\s")
# Between two atoms: the end of one sentence and the start of the next.
_SENTENCE_END = re.compile(r"[.!?]\s+")
# The tail of a code such as "SR-2024-5632", "WPH-2024-15825", "TKT/88213".
_CODE_PREFIX = re.compile(r"\b([a-z]{1,8})[0-9]*[-_/#]$")
# Money right before, or a unit right after, the number.
_MONEY_SYMBOLS = "₹$€£"
_MONEY_WORDS = (
    "rs", "inr", "usd", "aed", "eur", "rupee", "rupees", "budget", "price", "cost", "salary",
    "amount", "paid", "charge", "charged", "fee", "fees", "total",
)  # fmt: skip
_MONEY_BEFORE = re.compile(
    rf"(?:[{_MONEY_SYMBOLS}]|\brs\.|\b(?:{'|'.join(_MONEY_WORDS)}))[\s:\-]*$"
)
_UNIT_AFTER = re.compile(
    r" ?(?:k|lakhs?|lacs?|crores?|cr|rs|rupees|inr|usd|dollars|px|kb|mb|gb|tb|ml|kg|km|cm"
    r"|mm|inch|inches|words|units|copies|sq ?ft)\b|/-| ?%"
)
# A software name or a "v" before dotted groups: a version, not a number.
# fmt: off
_VERSION_WORDS = (
    "v", "version", "ver", "build", "release", "chrome", "chromium", "firefox", "safari",
    "edge", "opera", "brave", "electron",
    "android", "ios", "python", "php", "node", "django", "wordpress", "java", "ruby", "perl",
    "npm", "react", "angular", "vue", "laravel", "ubuntu", "windows", "macos", "debian",
    "flutter", "kotlin", "swift", "xcode", "jdk", "gcc", "mysql", "postgres", "postgresql",
)
# fmt: on
_VERSION_BEFORE = re.compile(rf"\b(?:{'|'.join(_VERSION_WORDS)})\s?$")
# Part of a URL path, a query string or an email address.
# A slash between two numbers lists them ("98765 43210/91234 56789"); after a word
# it is a path. Digits before an "@" are an address's local part; after it they are
# not a domain, so "contact@98765…" is a number.
_URLISH_BEFORE = re.compile(r"(?:[=?&]|[a-z][\w.\-]*/|::)$")
_URLISH_AFTER = re.compile(r"@|/[a-z]|\.[a-z]{2,4}\b|:[a-z]")
# A UPI id made of a mobile number gives the number away: "9812245670@ybl".
_UPI_AFTER = re.compile(
    r"@(?:ybl|ibl|axl|upi|paytm|apl|okaxis|okhdfcbank|okicici|oksbi|axisbank|icici|sbi"
    r"|hdfcbank|kotak|yesbank|fbl|pingpay|waicici|wahdfcbank|jupiteraxis|slc)\b"
)
# A decimal point glued to the number: "9876543210.5" is a value, and a number cut
# out of it would leave the rest of the digits behind.
_DECIMAL_BEFORE = re.compile(r"(?<![0-9.])[0-9]{1,2}\.$")
_DECIMAL_AFTER = re.compile(r"\.[0-9]{1,2}(?![0-9])")

# A phone word with the number glued to it ("whatsapp9876543210").
_GLUED = re.compile(
    rf"(?<!{_LETTER})(?:whatsapp|watsapp|wa|mob|mobile|ph|phone|cell|call|contact|tel|no|num"
    rf"|number|sms)[.:#\-]?([0-9]{{10,13}})(?!{_LETTER}|[0-9])"
)

# Words that make a number nearby more likely to be a phone number.
# A word right after "[" is a label, such as the engine's own "[phone removed]":
# masked text must not raise the score of what is left (masking is idempotent).
# fmt: off
_PHONE_WORDS = (
    "call", "calls", "calling", "phone", "ph", "mob", "mobile", "cell", "cellphone", "number",
    "num", "no", "contact", "whatsapp", "whats ?app", "watsapp", "wa", "telegram", "signal",
    "viber", "sms", "text", "msg", "message", "ring", "reach", "ping", "dial", "baat", "karo",
    "landline", "tel", "tele", "helpline", "otp",
    # other languages, in ASCII letters
    "handy", "telefon", "telefono", "telefone", "nummer", "rufnummer", "anrufen", "numero",
    "numara", "numaram", "telefonum", "nomor", "telepon", "celular", "movil", "llamame",
    "ligue", "appelle", "portable", "zap", "whats", "wasap", "telemovel", "numer",
)
# fmt: on
_PHONE_CONTEXT = re.compile(rf"(?<!\[)\b(?:{'|'.join(_PHONE_WORDS)})\b")
# An extension after a number is part of what one dials.
_EXTENSION = re.compile(
    r",? ?(?:(?:ext|extn|extension)\.? ?(?:no\.? ?)?|x)[0-9]{1,5}(?![0-9])"
)
# What makes two short groups with words between them one number: a phone word, not the
# "no." of an address ("Survey No. 41/2, … Bengaluru 562125"), or a number told by its
# ends ("my no starts 98450 and ends with 22871").
_HALVES_CONTEXT = re.compile(
    rf"(?<!\[)\b(?:{'|'.join(w for w in _PHONE_WORDS if w != 'no')}|ends with)\b"
)
# Phone words of other languages with letters outside ASCII.
# fmt: off
_PHONE_WORDS_ABROAD = (
    "واتساب", "واتس", "رقمي", "رقم", "هاتف", "جوال", "موبايل", "اتصل", "телефон", "номер",
    "звони", "позвони", "вотсап", "ватсап", "फोन", "फ़ोन", "नंबर", "नम्बर", "मोबाइल",
    "व्हाट्सएप", "कॉल", "ফোন", "নম্বর", "número", "teléfono", "llámame", "móvil",
    "téléphone", "numéro", "telemóvel",
)
# fmt: on
_PHONE_CONTEXT_ABROAD = re.compile(
    "|".join(sorted(as_read(_PHONE_WORDS_ABROAD), key=len, reverse=True))
)
# Wallets whose accounts are their owners' mobile numbers.
_WALLET = re.compile(
    r"\b(?:paytm|phone ?pe|g ?pay|google pay|opay|jazz ?cash|easy ?paisa|bkash|nagad"
    r"|m-?pesa|gcash|mobikwik|freecharge|airtel money)\b"
)
_ACCOUNT_WORDS = ("acc", "a/c", "upi", "customer", "member", "consumer")
# Words after a number that say it rings.
_RINGS = re.compile(r"(?<!\[)\b(?:call|calls|ring|whatsapp|sms|text|line|mobile|cell|reachable)\b")

# Every check of the text before a number is anchored at the number, and most texts
# hold none of the words they look for: a set lookup of the words is a cheap first
# look, several times faster than letting each pattern scan the whole stretch.
_LETTERS_RE = re.compile(r"[a-z\u0400-\u04ff][a-z\u0400-\u04ff]*")  # Cyrillic ids too: "ИНН"
_ID_TOKENS = frozenset(w.split("/")[0] for w in (*_ID_WORDS, *_NUMBERED_WORDS, "n"))
_MONEY_TOKENS = frozenset(_MONEY_WORDS)
_MONEY_SYMBOL_SET = frozenset(_MONEY_SYMBOLS)
_VERSION_TOKENS = frozenset(_VERSION_WORDS)
_PHONE_TOKENS = frozenset(w.split(" ")[0] for w in _PHONE_WORDS)

# Shapes of a number. A value with thousands separators ("1,20,000", "45,000") or a
# round thousand is an amount.
_VALUE = re.compile(r"[0-9](?:[0-9,]*[0-9])?")
_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}|[0-9]*000")
_IN_MOBILE = re.compile(r"(?:0|91|091|0091)?[6-9][0-9]{9}")
_PLAIN_SEP = re.compile(r" ?[-.]? ?|\) ?| ?\(")
_FILLER_IN = re.compile(_FILLER)

# Regions of the North American numbering plan: ten digits, no trunk prefix.
# fmt: off
_NANP = frozenset({
    "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN",
    "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
})
# fmt: on

# Number words used in Hindi and English numbers alike: "teen double saat…" is Hindi.
_NEUTRAL = frozenset({"zero", "o", "oh", *numwords.MULTIPLIERS})
_HINDI_OR_NEUTRAL = numwords.HINDI | _NEUTRAL

# Number words that also occur in prose next to a number: "the one 98765 43210".
_PROSE_WORDS = numwords.AMBIGUOUS | {"one"}

# A number has 8 to 15 digits; fewer is a fragment for the engine's window.
MIN_DIGITS = 8
MAX_DIGITS = 15
# Like phonenumbers' ``max_tries``: a run of more than MAX_DIGITS digits is cut into
# numbers by trying slices, and a hostile message must not buy unbounded work.
MAX_TRIES = 16
# Longer runs than this are lists or tables, not a number however disguised ("plus,
# nine, one  nine, three, four, double, nine…" is about 80 characters); once the
# budget is spent they are skipped.
LONG_RUN = 100

# Two groups joined by words ("starts with 98450 and ends with 12367"): each has at
# least MIN_HALF digits, and only a few words, no sentence end, sit between them.
MIN_HALF = 3
_HALF_GAP = re.compile(r"[\s,;:()\-]+(?:[^\W\d_]+[\s,;:()\-]+){1,5}|\ ?[+&]\ ?")
# A bracketed label (the engine's placeholder) right before or after a group.
_CELL_BREAK = re.compile(r"[\t|]")
_EQUALS = re.compile(r"\s=\s")  # "9,876,543,210 = nine billion…": an equation's two sides
_PIPED_LINE = re.compile(r"^[^\n|]*\|", re.MULTILINE)
_LABEL_BEFORE = re.compile(r"\][\s,;:\-]*$")
_LABEL_AFTER = re.compile(r"[\s,;:\-]*\[")


class _Atom(NamedTuple):
    """Number tokens glued together ("98765", "nine8seven"), as found in the text.

    ``digits`` is what the atom spells, a multiplier just before it applied. A named
    tuple rather than a frozen dataclass: a long run makes thousands of these, and
    a tuple is built several times faster.
    """

    start: int
    end: int
    pieces: tuple[str, ...]
    digits: str
    has_digits: bool
    has_words: bool


def _read_atoms(text: str, start: int, end: int) -> list[_Atom]:
    """The atoms of the run ``text[start:end]``."""
    if _LETTER_RE.search(text, start, end) is None:
        # Digits and separators only (most runs): every digit group is an atom.
        return [
            _Atom(m.start(), m.end(), (m[0],), m[0], True, False)
            for m in _DIGITS_RE.finditer(text, start, end)
        ]
    matches = list(_ATOM.finditer(text, start, end))
    # Most atoms are one digit group or one word; only glued ones need cutting up.
    groups = [
        (m[0],) if m[0].isdigit() or m[0] in numwords.ALL_WORDS else tuple(_PIECE.findall(m[0]))
        for m in matches
    ]
    return [
        _Atom(
            m.start(),
            m.end(),
            pieces,
            digits,
            # An atom is only digits and letters; Devanagari vowel signs are no letters
            # to ``isalpha``, so a word of that script is only judged by its digits.
            not m[0].isalpha() and _DIGITS_RE.search(m[0]) is not None,
            not m[0].isdigit(),
        )
        for m, pieces, digits in zip(matches, groups, numwords.decode_groups(groups), strict=True)
    ]


class _Scored(NamedTuple):
    """A number as :meth:`PhoneDetector._score` read it.

    Most readings are compared and dropped (the variants of a run, the slices of a
    long one), so the candidate, with its disguises, is only built for the one
    reported (:func:`_candidate`).
    """

    start: int
    end: int
    rule: str
    score: float
    atoms: Sequence[_Atom]
    lead: int | None
    spaced: bool


def _candidate(text: str, scored: _Scored) -> Candidate:
    extension = _EXTENSION.match(text, scored.end)  # "(080) 4123 4567 ext 204"
    return Candidate(
        scored.start,
        extension.end() if extension else scored.end,
        DetailType.PHONE,
        scored.rule,
        scored.score,
        _disguises(text, scored.atoms, scored.lead, scored.spaced),
    )


class PhoneDetector:
    """Finds phone numbers; see the module docstring for the rules and why."""

    name = "phone"

    def __init__(self, config: RedactorConfig) -> None:
        regions = (config.default_region, *config.extra_regions)
        self._regions = tuple(dict.fromkeys(r.upper() for r in regions if r))
        for region in self._regions:
            _load_metadata(region)

    def detect(self, text: str, context: Context) -> Iterable[Candidate]:
        # str.lower() is several times faster, but may change the length of non-ASCII text.
        is_ascii = text.isascii()
        low = text.lower() if is_ascii else text.translate(_LOWER)
        if _DIGITS_RE.search(low) is None:
            if len(_STRONG_WORD.findall(low)) < 2:
                return ()
            found: list[Candidate] = []
        else:
            found = list(self._glued(low)) if _TEN_DIGITS.search(low) else []
        short: list[tuple[int, int]] = []
        tries = [MAX_TRIES]
        cells = _is_table(low)
        for run in (_RUN_ASCII if is_ascii else _RUN).finditer(low):
            if found and any(c.start < run.end() and run.start() < c.end for c in found):
                continue  # read already as a number glued to its label
            length = run.end() - run.start()
            if length < MIN_DIGITS:
                if length >= MIN_HALF:
                    short.append(run.span())
                continue  # too short to spell a number: "5", "10:30", "one"
            if length > LONG_RUN and tries[0] <= 0:
                continue  # a long list of numbers, and the slicing budget is spent
            atoms = _read_atoms(low, run.start(), run.end())
            if sum(len(a.digits) for a in atoms) < MIN_DIGITS:
                short.append(run.span())
                continue  # the common case: a price, a time, a count
            lead = run.start() if atoms[0].start > run.start() else None
            for piece in _sentences(low, atoms):
                piece_lead = lead if piece[0] is atoms[0] else None
                for part, part_lead in _split_at(low, piece, piece_lead):
                    for cut, cut_lead in _split_at_breaks(low, part, part_lead, cells):
                        if cut is part or sum(len(a.digits) for a in cut) >= MIN_DIGITS:
                            found.extend(self._judge_run(low, cut, cut_lead, tries))
                        else:  # "98765 to 43210": halves, maybe
                            short.append((cut[0].start, cut[-1].end))
        if len(short) > 1 and _HALVES_CONTEXT.search(low):
            found.extend(self._halves(low, short[:MAX_TRIES]))
        if "+" in low and _SUM_CUE.search(low) is not None:
            found.extend(self._sums(low))
        if _TOLL_FREE.search(low) is not None:
            found.extend(
                Candidate(m.start(), m.end(), DetailType.PHONE, "phone-vanity", 0.85,
                          frozenset({"obfuscated"}))
                for m in _VANITY.finditer(text)
            )
        return found

    def _sums(self, text: str) -> Iterator[Candidate]:
        """A number given as a sum to work out: "add these two: 9800000000 + 12045673".

        Only when asked to add, and when the total is a number in full: nobody adds
        two amounts to a total shaped like a mobile number by chance.
        """
        for m in _SUM.finditer(text):
            total = str(int(m.group(1)) + int(m.group(2)))
            if self._valid(total):
                yield Candidate(
                    m.start(), m.end(), DetailType.PHONE, "phone-sum", 0.85,
                    frozenset({"obfuscated"}),
                )

    def _glued(self, text: str) -> Iterator[Candidate]:
        """Numbers typed straight after a phone word: "whatsapp9876543210", "mob.98765…".

        The letters keep these digits from forming an atom, so they are read here,
        and only when they make a number in full.
        """
        for m in _GLUED.finditer(text):
            atom = _Atom(m.start(1), m.end(1), (m[1],), m[1], True, False)
            found = self._score(text, [atom], None)
            if found is not None and found.score >= 0.9:
                yield _candidate(text, found)

    def _halves(self, text: str, spans: list[tuple[int, int]]) -> Iterator[Candidate]:
        """Two short groups with a few words between them that make one number.

        "my number starts with 98450 and ends with 12367": only in a message that
        talks about phones, only when the two groups make a valid number, and with a
        lower score than a number written in one piece.
        """
        previous: list[_Atom] = []
        for start, end in spans:
            atoms = _read_atoms(text, start, end)
            if atoms and len(_decode(atoms)) < MIN_HALF and not any(a.has_digits for a in atoms):
                continue  # a number word in the words between ("… and the last five are …")
            if (
                not atoms
                or len(_decode(atoms)) < MIN_HALF
                or _NOT_PHONE.search(text, start, end)
                or _LABEL_BEFORE.search(text, 0, start)
                or _LABEL_AFTER.match(text, end)
            ):
                # A group next to "[phone removed]" is what is left of a masked number.
                previous = []
                continue
            if previous and _HALF_GAP.fullmatch(text, previous[-1].end, atoms[0].start):
                both = previous + atoms
                found = self._score(text, both, None)
                if found is not None and _is_whole(_decode(both), found.rule):
                    yield _candidate(text, found._replace(rule="phone-halves", score=0.75))
                    previous = []
                    continue
            previous = atoms

    def _judge_run(
        self, text: str, atoms: list[_Atom], lead: int | None, tries: list[int]
    ) -> Iterator[Candidate]:
        """Yield the phone numbers in one run of atoms (usually one, or none)."""
        atoms = _trim_edges(text, atoms)
        counts = [len(a.digits) for a in atoms]
        total = sum(counts)
        if total < MIN_DIGITS or _is_enumeration(atoms) or _is_repetition(atoms):
            return
        if _is_array(text, atoms):
            return  # "reverse([9,8,7,6,5,4,3,2,1,0])": a list in code
        if lead is None and not any(a.has_words for a in atoms) and _is_isbn(text, atoms):
            return  # nor any part of it
        if total <= MAX_DIGITS:
            best = self._best_variant(text, atoms, lead)
            if best is not None:
                yield _candidate(text, _with_spelled_tail(text, best, atoms))
            return
        if _is_value_list(text, atoms):
            return
        # Too many digits for one number: two numbers in a row, or a long list. From
        # each position take the best slice (a complete number beats a longer one).
        found: list[_Scored] = []
        skipped = False
        i = 0
        while i < len(atoms) and tries[0] > 0:
            best, end = self._best_slice(text, atoms, counts, i, lead, tries)
            if best is not None and _proselike(atoms[i]) and i + 1 < len(atoms):
                # "…4 13 | no chhah chaar ek teen…": an everyday word starting a
                # slice is a word when the number after it is as good.
                other, other_end = self._best_slice(text, atoms, counts, i + 1, None, tries)
                if other is not None and other.score >= best.score:
                    best, end = other, other_end
            if best is not None:
                found.append(best)
                i = end
            else:
                skipped = True
                i += 1
        if skipped and all(not a.has_words and len(a.digits) <= 4 for a in atoms):
            # Short digit groups that are not numbers end to end are a list of values
            # ("resolutions 640 480 800 600 1024 768" holds a valid "800 600 1024").
            return
        yield from (_candidate(text, best) for best in found)

    def _best_slice(
        self,
        text: str,
        atoms: list[_Atom],
        counts: list[int],
        i: int,
        lead: int | None,
        tries: list[int],
    ) -> tuple[_Scored | None, int]:
        """The best number starting at atom ``i``, longest first, and where it ends."""
        size, j = 0, i
        while j < len(atoms) and size + counts[j] <= MAX_DIGITS:
            size += counts[j]
            j += 1
        best: _Scored | None = None
        best_end = i
        while j > i and size >= MIN_DIGITS and tries[0] > 0:
            tries[0] -= 1
            found = self._score(text, atoms[i:j], lead if i == 0 else None)
            if (
                found is not None
                and found.score >= 0.5
                and (best is None or found.score > best.score)
            ):
                best, best_end = found, j
                if found.score >= 0.9:
                    break
            j -= 1
            size -= counts[j]
        return best, best_end

    def _best_variant(self, text: str, atoms: list[_Atom], lead: int | None) -> _Scored | None:
        """Score the run, and the run without a few atoms at either edge.

        A run can pick up words that are only words ("one 98765 43210", "mera no
        aath chhe…", "bhej do 98765…", Hindi prose before an English spelled number),
        or, in a window of joined messages, words and numbers from the next message
        ("+91 98765 43210 3.5L", "…chha zero | teen chaar din lagenge"). A shorter
        variant wins when it scores strictly better and drops only what
        :func:`_may_drop` allows, or only trailing atoms; digit groups and trailing
        words only go when what is left is a number in full.
        """
        best = self._score(text, atoms, lead)
        if best is not None and best.score >= 0.9:
            return best
        # A run that validates somewhere keeps its words, but for everyday ones at
        # its end: "one | six eight two…" is the country code of a North American
        # number, "…five | No problem" is the next message.
        full_valid = best is not None and best.rule.startswith("phone-valid") and best.score >= 0.5
        best_prose = True  # the whole run leaves nothing out
        n = len(atoms)
        heads = [0] if lead is not None else range(min(n, 5))
        first = atoms[0].start
        before = text[max(0, first - _CONTEXT_BEFORE) : first]
        if lead is None and _id_before(before, _LETTERS_RE.findall(before)):
            # "ISBN 978-93-5019-123-4": the id runs as far as it is typed in one piece,
            # so a number may only start after a space ("ticket 8821, 98765 43210").
            heads = [
                i
                for i in heads
                if i == 0 or any(c.isspace() for c in text[atoms[i - 1].end : atoms[i].start])
            ]
        for i in heads:
            for j in range(n, max(i, n - 4), -1):
                if (i, j) == (0, n):
                    continue
                kept = atoms[i:j]
                dropped = atoms[:i] + atoms[j:]
                if full_valid and (
                    i > 0 or not all(_proselike(a) or not a.has_words for a in dropped)
                ):
                    continue
                # Anything may trail a complete number (the next message in a window);
                # otherwise only what _may_drop allows.
                allowed = _may_drop(dropped, kept)
                if not allowed and i > 0:
                    continue
                other = self._score(text, kept, lead if i == 0 else None)
                if other is None:
                    continue
                # At an equal score, leaving out only everyday words ("Contact no | six
                # eight…") beats leaving out a digit ("…nine | eight").
                prose = all(map(_proselike, dropped))
                if best is not None and (other.score, prose) <= (best.score, best_prose):
                    continue
                # A "+" number of a length its plan allows is complete too, even where
                # phonenumbers' metadata does not know its range.
                complete = other.score >= 0.9 or other.rule == "phone-international"
                if not complete and (not allowed or any(a.has_digits for a in dropped)):
                    continue
                best, best_prose = other, prose
        return best

    def _valid(self, digits: str) -> bool:
        """Whether ``digits`` are a mobile number here or a valid national number."""
        return _IN_MOBILE.fullmatch(digits) is not None or (
            _valid_region(digits, False, self._regions) is not None
        )

    def _score(self, text: str, atoms: Sequence[_Atom], lead: int | None) -> _Scored | None:
        """The reading of exactly these atoms, or ``None`` if it cannot be a phone."""
        # Decoded afresh: a multiplier or tens word before the slice is not part of it.
        words = sum(a.has_words for a in atoms)
        if words:
            digits = numwords.decode_words(p for a in atoms for p in a.pieces)
        else:
            digits = "".join([a.pieces[0] for a in atoms])  # one digit group each
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            return None
        # A typed "+" makes a number international; "00" only before a country code
        # ("0000 0000 0000 00" is the tail of a tracking id), and so does the North
        # American way of writing one, "1-415-555-0199", whatever its area code.
        north_american = not words and _is_north_american(text, atoms)
        international = (
            lead is not None
            or (digits.startswith("00") and _has_country_code(digits))
            or north_american
        )
        if not international and _is_counting(atoms):
            return None  # first: a count is read again in every variant of its run
        if not words and _is_placeholder(digits, lead is not None):
            return None  # "(999) 999-9999", "9000000000": an input mask or a placeholder
        start = lead if lead is not None else atoms[0].start
        end = atoms[-1].end
        if (
            lead is None
            and start > 0
            and text[start - 1] == "("
            and ")" in text[atoms[0].end : atoms[1].start if len(atoms) > 1 else atoms[0].end]
        ):
            start -= 1  # "(022) 2345 6789": the area code's brackets belong to the number
        if text[end : end + 1] == ")" and text.count("(", start, end) > text.count(")", start, end):
            end += 1  # "(98765)-(43210)": close what the number opened
        before = text[max(0, start - _CONTEXT_BEFORE) : start]
        after = text[end : end + _CONTEXT_AFTER]
        if (before.endswith(("=", "?", "&", "/", "::")) and _URLISH_BEFORE.search(before)) or (
            _URLISH_AFTER.match(after) and _UPI_AFTER.match(after) is None
        ):
            return None
        if (before.endswith(".") and _DECIMAL_BEFORE.search(before)) or _DECIMAL_AFTER.match(after):
            return None
        tokens = _LETTERS_RE.findall(before)
        if not words and _EXAMPLE_BEFORE.search(before) is not None:
            return None  # "PNR format is 10 digits, e.g. 8524617390": a format's example
        if (
            not words
            and len(atoms) == 1
            and len(digits) == 10
            and digits[0] == "1"
            and not _near_context(before, after, tokens)
        ):
            # "webhook hit at 1733567890": a Unix time; nobody types a phone number as
            # ten digits starting with 1 (Indian landlines take their 0)
            return None
        ident = _id_before(before, tokens)
        spaced = len(atoms) >= 6 and all(
            a.pieces == (a.pieces[0],) and len(a.pieces[0]) == 1 and a.has_digits for a in atoms
        )
        # After a sentence that ended on the keyword ("…40 pages. 6 - 9 - 1 …") a number
        # spelled out, digit by digit, or in groups as long as a phone number is a
        # number; a reference would be one group ("Order. 12345678").
        if (
            ident is not None
            # No id is typed with a "+": "viber po +63 917 482 5519" is Tagalog's "po".
            and not (lead is not None and text[lead] == "+")
            and not (
                (words or spaced or (len(atoms) > 1 and len(digits) >= 10))
                and _SENTENCE_AFTER_KEYWORD.match(ident.group())
            )
            and not (_IN_MOBILE.fullmatch(digits) and _vouched(ident.group(), before, after))
        ):
            return None
        # Spelled out means in digit words beyond everyday ones: "ek do no 982 88" is
        # prose joined to digits, not a number someone took the trouble to spell.
        spelled = words >= 2 and sum(a.has_words and not _proselike(a) for a in atoms) >= 2
        # A code's prefix glued to the digits ("RFD-00981234", "TKT/88213") makes them
        # a reference, whatever "00" they start with; a typed "+" is never a reference.
        if not words and not (lead is not None and text[lead] == "+"):
            code = before.endswith(("-", "_", "/", "#")) and _CODE_PREFIX.search(before)
            if code and _PHONE_CONTEXT.fullmatch(code.group()[:-1]) is None:
                return None
        # A price, a version or a reference is written in digits, never spelled out
        # nor with a "+": these vetoes are for plain digit runs only.
        if not international and not words:
            money = (
                (tokens and tokens[-1] in _MONEY_TOKENS)
                or not _MONEY_SYMBOL_SET.isdisjoint(before[-12:])
            ) and _MONEY_BEFORE.search(before, len(before) - 12)
            if (
                money or _UNIT_AFTER.match(after) or _is_amounts(text, start, end)
            ) and not _dressed_as_money(text, atoms, digits):
                # (not "Rs 98450 17263", "9,82,04,41,763": a mobile number posing as money)
                return None
            if _is_reference(text, atoms, digits) or _is_round(digits):
                return None
            if _RESULT_OF.search(before) is not None:
                return None  # "99999 * 99999 = 9999800001": arithmetic
            if (
                tokens
                and tokens[-1] in _VERSION_TOKENS
                and _VERSION_BEFORE.search(before)
                and all(text[a.end : b.start] == "." for a, b in pairwise(atoms))
            ):
                return None

        mobile = not international and _IN_MOBILE.fullmatch(digits) is not None
        # An Indian mobile shape scores 0.9 whether phonenumbers knows its range or not,
        # so it is not asked: that saves a parse per new number, the costliest step.
        hinted = _hinted_regions(text)
        region = None if mobile else _valid_region(digits, international, self._regions, hinted)
        near = _near_context(before, after, tokens) and _NUMBER_ID.search(before) is None
        if (
            region is None
            and near
            and not (mobile or international or words)
            and _CALLABLE.search(before) is not None
        ):
            # "O meu telemóvel é 912 483 570": a phone word vouches for a national number
            # of any country the marketplace's users live in, typed in digits (a spelled
            # one has readings enough)
            region = _valid_region(digits, False, self._regions, _WORLD_REGIONS)
        if region is None and not (mobile or international) and len(atoms) > 1 and not words:
            # "966-50-447-38-12": a mobile abroad, its country code a group of its own
            # typed without "+"
            region = _mobile_abroad(digits, len(atoms[0].digits))
            international = region is not None
        if region is not None and (international or region == self._regions[0]):
            # A national number without its trunk 0 that is not a mobile is a landline
            # or an id: slightly less sure.
            sure = international or mobile or digits.startswith("0")
            score, rule = (0.9 if sure else 0.8), f"phone-valid-{region.lower()}"
        elif mobile:
            score, rule = 0.9, "phone-in-mobile"
        elif north_american:
            score, rule = 0.9, "phone-north-american"
        elif international and _too_short(digits):
            # Too short for its country code ("+1 511 9012", "+91 64 49 87"): the first
            # piece of a number typed over two messages, for the engine's window to
            # complete; not a number anyone can call yet.
            score, rule = 0.45, "phone-international-partial"
        elif international and _too_long(digits):
            # More digits than its country's plan allows: a number with the next
            # message after it ("+31 6 07996177 | 2012."); a shorter variant is the number.
            return None
        elif international:
            score, rule = 0.7, "phone-international"
        elif region is not None:
            # Spelled out and valid somewhere is two pieces of evidence: it must outrank
            # a shorter spelled variant that validates nowhere ("oh four one one … |
            # oh one" is an Australian mobile, not "…eight" and two stray words).
            score, rule = (0.7 if spelled else 0.6), f"phone-valid-{region.lower()}"
        elif spelled:
            score, rule = 0.65, "phone-spelled"
        elif spaced:
            # digit by digit yet valid nowhere: "digits of pi 3 1 4 1 5…" unless a
            # phone word says otherwise
            score, rule = 0.45, "phone-spaced"
        else:
            score, rule = 0.35, "phone-digits"
        if (
            score < 0.6
            and not international
            and BACKWARDS.search(text) is not None
            and self._valid(digits[::-1])
        ):
            # "ulta padh: 5938812407": a number typed backwards, and told so
            score, rule = 0.7, "phone-reversed"
        if spelled and not (mobile or international) and _two_languages(atoms):
            # "ek do | seven seven four…": a number is spelled in one language, so
            # this is prose joined to a number that is not a mobile (yet).
            score = 0.45
        if near:
            score = round(min(0.99, score + 0.15), 2)
        return _Scored(start, end, rule, score, atoms, lead, spaced)


def _sentences(text: str, atoms: list[_Atom]) -> Iterator[list[_Atom]]:
    """The run's atoms, cut where a sentence ends after the digits of a code and words
    follow: "Project id P-3186573. oh five nine…" is an id, then a number spelled out
    ("call 98765. nine eight seven six five" stays one number)."""
    start = 0
    for k in range(1, len(atoms)):
        left, right = atoms[k - 1], atoms[k]
        if (
            right.has_words
            and not left.has_words
            and _SENTENCE_END.fullmatch(text, left.end, right.start) is not None
            and _CODE_PREFIX.search(text, max(0, left.start - 12), left.start) is not None
        ):
            yield atoms[start:k]
            start = k
    yield atoms[start:]


def _split_at_breaks(
    text: str, atoms: list[_Atom], lead: int | None, cells: bool
) -> Iterator[tuple[list[_Atom], int | None]]:
    """The run's atoms, cut at a sound-alike between two groups of digits ("rows 8812
    to 8830"): there it is the word, and the groups are two numbers. In a table
    (``cells``) they are also cut between cells: a tab, or a pipe in a text whose
    lines hold pipes ("Flyer A5\t500\t3.20\t1600", "Sep | 1,240 | 62,000 | 50"); and
    anywhere at a spaced equals sign, between an equation's sides."""
    start = 0
    for k in range(1, len(atoms)):
        word = atoms[k]
        if (
            cells and _CELL_BREAK.search(text, atoms[k - 1].end, word.start) is not None
        ) or _EQUALS.search(text, atoms[k - 1].end, word.start) is not None:
            yield atoms[start:k], lead if start == 0 else None
            start = k
        elif (
            k < len(atoms) - 1
            and not word.has_digits
            and len(word.pieces) == 1
            and word.pieces[0] in numwords.SOUND_ALIKES
            and all(a.has_digits and not a.has_words for a in (atoms[k - 1], atoms[k + 1]))
        ):
            yield atoms[start:k], lead if start == 0 else None
            start = k + 1
    yield (atoms, lead) if start == 0 else (atoms[start:], None)


def _is_table(text: str) -> bool:
    """Whether ``text`` holds tabular data: a tab, or pipes on two lines or more."""
    return "\t" in text or ("|" in text and len(_PIPED_LINE.findall(text)) >= 2)


def _split_at(
    text: str, atoms: list[_Atom], lead: int | None
) -> Iterator[tuple[list[_Atom], int | None]]:
    """The run's atoms, cut wherever a date, a time, an IP address… sits among them."""
    start, end = max(0, atoms[0].start - _CUT_BEFORE), atoms[-1].end
    if _CUT_HINT.search(text, start, end) is None:
        yield atoms, lead  # every cut-out has two digits around a separator
        return
    blocked = [m.span() for m in _NOT_PHONE.finditer(text, start, end)]
    if not blocked:
        yield atoms, lead
        return
    current: list[_Atom] = []
    k = 0  # both lists are in text order: sweep them together
    for atom in atoms:
        while k < len(blocked) and blocked[k][1] <= atom.start:
            k += 1
        if k < len(blocked) and blocked[k][0] < atom.end:
            if current:
                yield current, lead
            current, lead = [], None
        else:
            current.append(atom)
    if current:
        yield current, lead


# A word that makes the "no" after it mean "number": "contact no", "mob no", "mera no".
_NUMBER_LABEL = re.compile(
    r"\b(?i:contact|mobile|mob|phone|ph|cell|whatsapp|tel|my|mera|meri|ka|ki)[ .:]*\Z"
)


_CLAUSE_GOES_ON = re.compile(r" *[^\s.,;:!?)\]]")


def _with_spelled_tail(text: str, best: _Scored, atoms: list[_Atom]) -> _Scored:
    """``best``, reaching over the last number word or two of its run that it left out.

    A spelled number one or two words too long ("nau aath do paanch, 6 1 teen, saat 4
    nau shunya") reads best without its last words, but they are digits of it all the
    same: left visible, they give part of the number away. Only words after words,
    never digits ("…zero 2 baje" keeps its time), and only at the end of a clause.
    """
    tail = [a for a in atoms if a.start >= best.end]
    if (
        not 0 < len(tail) <= 2
        or not any(a.has_words for a in best.atoms)
        # "one" is prose before a number, but a digit after "…two two": "one six"
        or any(a.has_digits or not a.has_words or (_proselike(a) and a.pieces != ("one",))
               for a in tail)
        or _SENTENCE_END.search(text, best.end, tail[-1].start) is not None
        or _CLAUSE_GOES_ON.match(text, tail[-1].end) is not None  # "…teen chaar din"
    ):
        return best
    return best._replace(end=tail[-1].end)


def _trim_edges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Drop edge atoms that cannot be part of the number.

    A trailing multiplier ("…five double") multiplies nothing. An everyday word that
    is also a number word ("no", "do", "o") leading a run counts only when the run is
    spelled out after it: "mera no 98765 43210" and "no. nine eight…" mean "number",
    and so does "no" after a contact word ("Contact no oh five two…").
    At the end of a run that spells other digits in words such a word is judged by
    :meth:`PhoneDetector._best_variant`, because "…do 5 0 sat" ends many a Hindi
    number; after digits only it is the next sentence.
    """

    if not any(a.has_words for a in atoms):
        return atoms  # digit groups only: nothing here is a word

    def dangling(atom: _Atom, neighbour: _Atom | None, sep: str) -> bool:
        if len(atom.pieces) != 1 or atom.has_digits:
            return False
        word = atom.pieces[0]
        if word not in numwords.AMBIGUOUS:
            return False
        if word == "no" and _NUMBER_LABEL.search(text, max(0, atom.start - 12), atom.start):
            return True  # "Contact no oh five two…": "no" is "number" after a label
        return neighbour is None or neighbour.has_digits or "." in sep or ":" in sep

    while atoms and all(p in numwords.MULTIPLIERS for p in atoms[-1].pieces):
        atoms = atoms[:-1]
    # "changed my number to oh five…", "…two three for the invoice": at either edge
    # these are the words, never the digits.
    while atoms and atoms[0].pieces[0] in _EDGE_WORDS and len(atoms[0].pieces) == 1:
        atoms = atoms[1:]
    while atoms and atoms[-1].pieces[-1] in _EDGE_WORDS and len(atoms[-1].pieces) == 1:
        atoms = atoms[:-1]
    # "0746 693202 | No problem" in a window of joined messages.
    if (
        len(atoms) > 1
        and dangling(atoms[-1], None, "")
        and not any(a.has_words for a in atoms[:-1])
    ):
        atoms = atoms[:-1]
    while atoms and dangling(
        atoms[0],
        atoms[1] if len(atoms) > 1 else None,
        text[atoms[0].end : atoms[1].start] if len(atoms) > 1 else "",
    ):
        atoms = atoms[1:]
    return atoms


def _id_before(before: str, tokens: list[str]) -> re.Match[str] | None:
    """The identifier keyword (and its "no."/"number"/"id") right before a number, or
    an id field it is assigned to in code ("WHERE order_id = 9876543210").

    The keyword is among the last few words: at most three such words follow it.
    """
    if (
        before.rstrip(" '\"").endswith(("=", ":"))
        and (field := _ID_FIELD.search(before))
        and field.group("name") in _ID_FIELD_NAMES
    ):
        return field
    if _ID_TOKENS.isdisjoint(tokens[-5:]):
        return None
    return _ID_BEFORE.search(before)


def _near_context(before: str, after: str, tokens: list[str]) -> bool:
    """Whether a phone word is near, with no bracketed label in between.

    A label is where the engine masked something ("[phone removed]"); looking past it
    would let masking pull a phone word closer to what is left, and redacting the
    masked text would then find more than the first pass did. ``tokens`` are the
    words of ``before``, which the caller has read already.
    """
    start = before.rfind("]") + 1
    if start:
        tokens = _LETTERS_RE.findall(before, start)
    if not _PHONE_TOKENS.isdisjoint(tokens) and _PHONE_CONTEXT.search(before, start) is not None:
        return True
    end = len(after) if "[" not in after else after.find("[")
    if (
        not _PHONE_TOKENS.isdisjoint(_LETTERS_RE.findall(after, 0, end))
        and _PHONE_CONTEXT.search(after, 0, end) is not None
    ):
        return True
    return not (before.isascii() and after.isascii()) and (
        _PHONE_CONTEXT_ABROAD.search(before, start) is not None
        or _PHONE_CONTEXT_ABROAD.search(after, 0, end) is not None
    )


def _vouched(keyword: str, before: str, after: str) -> bool:
    """Whether a mobile-shaped number after an id ``keyword`` is a phone number all the same.

    A wallet's "account number" is the owner's mobile number ("paytm account number
    98021 47369"), and so is an account number the sender says rings ("my account number
    9811026647, your team can ring there") or a UPI id made of it ("UPI
    8879012546@ybl"); an order or a ticket number stays one.
    """
    if _WALLET.search(before) is not None or _UPI_AFTER.match(after) is not None:
        return True
    if not keyword.startswith(_ACCOUNT_WORDS):
        return False
    end = _SENTENCE_END.search(after)
    return _RINGS.search(after, 0, end.start() if end else len(after)) is not None


def _may_drop(dropped: Sequence[_Atom], kept: Sequence[_Atom]) -> bool:
    """Whether the edge atoms ``dropped`` may be left out of the number ``kept``.

    Digit groups may (the caller then wants a complete number); so may everyday
    words, words before a number typed in digits ("ek do 98765 43210"), and words of
    the other language than the spelled number ("do teen | nine two one…"). A glued
    "nine8seven" is never a stray word.
    """
    if all(map(_proselike, dropped)):
        return True
    if any(a.has_words and a.has_digits for a in dropped):
        return False
    dropped_words = {p for a in dropped for p in a.pieces if not p[0].isdigit()}
    kept_words = {p for a in kept for p in a.pieces if not p[0].isdigit()}
    if not dropped_words or not kept_words:
        return True
    if not dropped_words.isdisjoint(_NEUTRAL):
        return False
    return {_language(dropped_words), _language(kept_words)} == {"hindi", "english"}


def _two_languages(atoms: Sequence[_Atom]) -> bool:
    """Whether a number spelled wholly in words mixes Hindi and English ones."""
    if any(a.has_digits for a in atoms):
        return False  # "eight zero 5 four 2 aath…": mixed numbers mix languages too
    return _language({p for a in atoms for p in a.pieces}) == "both"


def _language(words: set[str]) -> str:
    if words <= _HINDI_OR_NEUTRAL:
        return "hindi"
    return "english" if words.isdisjoint(numwords.HINDI) else "both"


def _proselike(atom: _Atom) -> bool:
    """A single number word that is also an everyday word ("one", "no", "do")."""
    return len(atom.pieces) == 1 and atom.pieces[0] in _PROSE_WORDS


def _decode(atoms: Sequence[_Atom]) -> str:
    return "".join(a.digits for a in atoms)


def _is_whole(digits: str, rule: str) -> bool:
    """Whether two halves make a number as people give it: a mobile, or valid with
    its trunk 0 ("starts with 07911 and ends with 123456"). Ten random digits often
    validate as an Indian landline, so that is not enough.
    """
    return _IN_MOBILE.fullmatch(digits) is not None or (
        digits.startswith("0") and rule.startswith("phone-valid")
    )


def _is_counting(atoms: Sequence[_Atom]) -> bool:
    """Whether the groups count up in even steps: a list or a song, not a number.

    "1 2 3 4 5 6 7 8 9 10", "10,20,30,40,50", "ek do teen char…", "one two… ten", and
    single digits in keyboard order, where 0 follows 9 ("1 2 3 4 5 6 7 8 9 0").
    Counting down is not counting: "9 8 7 6 5 4 3 2 1 0" is a mobile number.
    """
    if len(atoms) < 4 or any(len(a.pieces) != 1 or not 0 < len(a.digits) <= 3 for a in atoms):
        return False
    values = [int(a.digits) for a in atoms]
    steps = {b - a for a, b in pairwise(values)}
    if all(len(a.digits) == 1 for a in atoms) and steps <= {1, -9} and 1 in steps:
        return True
    return len(steps) == 1 and steps.pop() > 0


def _is_array(text: str, atoms: Sequence[_Atom]) -> bool:
    """Whether the groups are the items of a bracketed list: "[9,8,7,6,5,4,3,2,1,0]"."""
    start, end = atoms[0].start, atoms[-1].end
    return (
        text[start - 1 : start] == "["
        and text[end : end + 1] == "]"
        and all(text[a.end : b.start].strip() == "," for a, b in pairwise(atoms))
    )


def _is_value_list(text: str, atoms: Sequence[_Atom]) -> bool:
    """Whether a run too long for one number is a list of values.

    "screen widths 375, 414, 768, 1024, 1280": some ten digits of it always validate
    ("414 768 1024"), but nobody gives a number as five or more comma-separated groups
    among others; "98765, 43210, 91234, 56789" (groups of five) is still sliced.
    """
    if len(atoms) < 5 or any(a.has_words or len(a.digits) > 4 for a in atoms):
        return False
    return all(text[left.end : right.start].strip() == "," for left, right in pairwise(atoms))


def _is_enumeration(atoms: Sequence[_Atom]) -> bool:
    """Whether three or more digit groups of one length (four or more) count up or down,
    each within 100 of the one before: "ids 98765, 98766, 98767", "tickets 84512 84519
    84533" are an enumeration, never the pieces of one number."""
    size = len(atoms[0].digits)
    if len(atoms) < 3 or not 4 <= size <= MAX_DIGITS or any(a.has_words for a in atoms):
        return False
    return all(
        len(right.digits) == size and abs(int(right.digits) - int(left.digits)) < 100
        for left, right in pairwise(atoms)
    )


# Two numbers to add, and the words that ask for it.
# A North American toll-free number spelled in capitals: "1-800-FIX-WEBS",
# "1 (888) GO-FEDEX". Its letters stand for keypad digits; some must be letters.
_TOLL_FREE = re.compile(r"8(?:00|33|44|55|66|77|88)")
_VANITY = re.compile(
    r"(?<![\w-])(?:\+?1[-. ]?\(?8(?:00|33|44|55|66|77|88)\)?[-. ]"
    r"|\(8(?:00|33|44|55|66|77|88)\) ?|8(?:00|33|44|55|66|77|88)-)"
    r"(?=(?:[0-9-]*[A-Z]){3})[A-Z0-9]{2,4}[-. ]?[A-Z0-9]{2,4}(?:[-. ]?[A-Z0-9]{1,3})?(?![\w-])"
)
_SUM = re.compile(r"(?<![\w.,+])([0-9]{3,12}) ?\+ ?([0-9]{3,12})(?![\w.,]?[0-9])")
_SUM_CUE = re.compile(r"\b(?:add|sum|total|jod|jodo|jodna|calculate|plus|math)")
# "phone number id is …": an id named after a phone (WhatsApp's API), no phone word.
_NUMBER_ID = re.compile(r"\b(?:number|no|phone|mobile)[ _]id\b[\s:#=]*(?:is\b[\s:]*)?$")
# The left side of a sum or product and its equals sign.
_RESULT_OF = re.compile(r"[0-9][0-9,.]*\s*[-+*x\u00d7/^]\s*[0-9][0-9,.]*\s*=\s*$")


def _is_isbn(text: str, atoms: Sequence[_Atom]) -> bool:
    """An ISBN-13: "978"/"979" and a valid check digit, or its five groups typed with
    hyphens ("978-93-5419-221-7", whose check digit a typo may have spoilt). No country
    code is 978 or 979, so no phone number has this shape."""
    digits = _decode(atoms)
    if len(digits) != 13 or not digits.startswith(("978", "979")):
        return False
    if len(atoms) == 5 and all(text[a.end : b.start] == "-" for a, b in pairwise(atoms)):
        return True
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def _is_repetition(atoms: Sequence[_Atom]) -> bool:
    """Whether most groups are one round value said again: "batches of 500 500 500 500
    500", "100 100 100 then 50" are quantities. Not "98 98 98 76 54": short groups
    repeat in numbers people pick for being easy to remember."""
    values = [a.digits for a in atoms if len(a.digits) >= 3 and a.digits.endswith("0")]
    if len(values) < 3:
        return False
    repeated = max(map(values.count, set(values)))
    return repeated >= 3 and 2 * repeated >= len(atoms)


def _is_amounts(text: str, start: int, end: int) -> bool:
    """Whether the digits read as money: "80,000 - 90,000", "1,40,00,000", "50000 80000".

    Each group must be written the way amounts are (thousands in threes, Indian lakhs
    in twos, or a round thousand); "98,450,12,367" is a number with commas in it.
    """
    values = _VALUE.findall(text, start, end)
    return (len(values) > 1 or "," in values[0]) and all(_AMOUNT.fullmatch(v) for v in values)


def _dressed_as_money(text: str, atoms: Sequence[_Atom], digits: str) -> bool:
    """Whether a mobile number is typed as an amount no one would write: two groups of
    five after a currency ("Rs 98450 17263"; a range is "Rs 90000 - 95000"), ₹98 crore
    in Indian grouping ("9,82,04,41,763"), or five decimals ("89,765.04321"). Not the
    digits counted down, the schoolbook's big number ("write 9,87,65,43,210 in words").
    """
    if len(atoms) < 2 or len(digits) != 10 or _IN_MOBILE.fullmatch(digits) is None:
        return False
    if digits == "9876543210":
        return False
    seps = [text[a.end : b.start] for a, b in pairwise(atoms)]
    groups = [a.digits for a in atoms]
    if all(sep == " " for sep in seps):
        return len(groups) == 2 and not any(g.endswith("000") for g in groups)
    if all(sep == "," for sep in seps):
        return all(len(g) == 2 for g in groups[1:-1]) and len(groups[-1]) == 3
    return seps[-1] == "." and len(groups[-1]) >= 3 and all(sep == "," for sep in seps[:-1])


def _is_round(digits: str) -> bool:
    """Whether the digits are a round value ("population 1400000000"), not a mobile.

    A phone number with five zeros at its end is rare outside mobiles sold as fancy
    numbers, and those keep their mobile shape.
    """
    return digits.endswith("00000") and _IN_MOBILE.fullmatch(digits) is None


def _is_reference(text: str, atoms: Sequence[_Atom], digits: str) -> bool:
    """Whether "#" marks the groups as references: "bug #12345 and #12346".

    Two groups each after a "#" are never one number; one is, only as a mobile.
    """
    if text.find("#", max(0, atoms[0].start - 1), atoms[-1].end) == -1:
        return False  # the usual case: no "#" at all
    marked = sum(a.start > 0 and text[a.start - 1] == "#" for a in atoms)
    return marked > 1 or (marked == 1 and _IN_MOBILE.fullmatch(digits) is None)


def _disguises(text: str, atoms: Sequence[_Atom], lead: int | None, spaced: bool) -> frozenset[str]:
    """The tricks a number was typed with (the engine adds ``unicode`` and ``leet``).

    ``obfuscated`` means separators no phone format uses: filler words, odd characters,
    doubled dots, a digit-by-digit run with anything but spaces, or five and more
    digit groups ("98-76-54-32-10").
    """
    tags: set[str] = set()
    # A country code typed as digits before a spelled number ("+91 saat ek…") does not
    # make the number "mixed".
    body = atoms[1:] if lead is not None and len(atoms) > 1 and not atoms[0].has_words else atoms
    has_words = any(a.has_words for a in body)
    has_digits = any(a.has_digits for a in body)
    if has_words:
        tags.add("mixed" if has_digits else "spelled")
    if spaced:
        tags.add("spaced")
    seps = [text[left.end : right.start] for left, right in pairwise(atoms)]
    if (
        # commas are how people list spelled digits ("nine, eight, seven"), not groups
        any(
            _FILLER_IN.search(sep)
            or not _PLAIN_SEP.fullmatch(sep.replace(",", "") if has_words else sep)
            for sep in seps
        )
        or (spaced and any(sep.strip() for sep in seps))
        or (not spaced and not has_words and len(body) > 4)
    ):
        tags.add("obfuscated")
    return frozenset(tags)


@cache
def _load_metadata(region: str) -> None:
    """Make ``phonenumbers`` load a region's metadata and compile its patterns now.

    It does so lazily on first use, which would put tens of milliseconds into the
    first message that mentions the region. Regions of other country codes still
    load on first use, once per process.
    """
    example = phonenumbers.example_number(region)
    if example is None:
        raise ValueError(f"unknown phone region {region!r}")
    phonenumbers.is_valid_number(example)


def _is_north_american(text: str, atoms: Sequence[_Atom]) -> bool:
    """Groups of 1, 3, 3 and 4 digits joined by dashes or spaces, a "1" and then area
    code and exchange starting with 2 to 9: how a North American number is written
    with its trunk prefix (with dots it may be a version)."""
    return (
        len(atoms) == 4
        and [len(a.digits) for a in atoms] == [1, 3, 3, 4]
        and atoms[0].digits == "1"
        and atoms[1].digits[0] in "23456789"
        and atoms[2].digits[0] in "23456789"
        and len({text[a.end : b.start] for a, b in pairwise(atoms)} - {"-", " "}) == 0
    )


@lru_cache(maxsize=8192)
def _is_placeholder(digits: str, international: bool) -> bool:
    """One digit over and over, but for two at most: "0000000000", "(999) 999-9999",
    "9000000000", "+91 00000 00001" (its country code aside). No one's number."""
    national = digits[-10:] if international else digits
    if national in _COUNTING_UP:
        return True  # "12345 67890", "0123456789": the keyboard's top row
    return len(national) - max(map(national.count, set(national))) <= 2


_COUNTING_UP = frozenset({"1234567890", "0123456789", "123456789"})


def _dialled(digits: str) -> str:
    """``digits`` after "+" or "00" as phonenumbers reads them: "+52 1 55…", Mexico's
    mobile prefix dropped in 2019 and still typed, is the same number without its 1."""
    digits = digits.removeprefix("00")
    if len(digits) == 13 and digits.startswith("521"):
        digits = "52" + digits[3:]
    return "+" + digits


def _has_country_code(digits: str) -> bool:
    """Whether digits after "00" (or a "+") start with a country calling code."""
    try:
        phonenumbers.parse(_dialled(digits), None)
    except phonenumbers.NumberParseException:
        return False
    return True


@lru_cache(maxsize=8192)
def _too_long(digits: str) -> bool:
    """Whether an international number has more digits than its plan allows."""
    try:
        parsed = phonenumbers.parse(_dialled(digits), None)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return reason == phonenumbers.ValidationResult.TOO_LONG


@lru_cache(maxsize=8192)
def _too_short(digits: str) -> bool:
    """Whether an international number lacks digits for its country code.

    Indian numbers have ten national digits; elsewhere a number shorter than the
    longest its plan allows, or only dialable locally, is taken for a first piece.
    """
    try:
        parsed = phonenumbers.parse(_dialled(digits), None)
    except phonenumbers.NumberParseException:
        return False
    national = len(phonenumbers.national_significant_number(parsed))
    if parsed.country_code == 91:
        return national < 10
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason in (
        phonenumbers.ValidationResult.TOO_SHORT,
        phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ):
        return True
    if reason != phonenumbers.ValidationResult.INVALID_LENGTH:
        return False
    region = phonenumbers.region_code_for_country_code(parsed.country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        parsed.country_code, region
    )
    lengths = metadata.general_desc.possible_length if metadata is not None else ()
    return bool(lengths) and national < max(lengths)


@lru_cache(maxsize=8192)
def _mobile_abroad(digits: str, code_length: int) -> str | None:
    """The region of a mobile number whose first ``code_length`` digits are its country
    code, or ``None``."""
    if not 11 <= len(digits) <= 13 or digits[0] == "0":
        return None
    try:
        parsed = phonenumbers.parse(_dialled(digits), None)
    except phonenumbers.NumberParseException:
        return None
    if len(str(parsed.country_code)) != code_length:
        return None
    if phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE:
        return None  # a mobile, valid by construction: fixed lines match far more digits
    return phonenumbers.region_code_for_number(parsed)


# The regions whose people write in a script: a national number in a message written in
# Chinese is most likely Chinese ("那打电话：138 0013 8000"), whatever its shape.
_SCRIPTS = (
    (regex.compile(r"\p{Han}"), ("CN", "TW", "HK")),
    (regex.compile(r"\p{Hangul}"), ("KR",)),
    (regex.compile(r"[\p{Hiragana}\p{Katakana}]"), ("JP",)),
    (regex.compile(r"\p{Cyrillic}"), ("RU", "UA", "KZ", "BY")),
    (regex.compile(r"\p{Arabic}"), ("SA", "EG", "AE", "PK")),
    (regex.compile(r"\p{Thai}"), ("TH",)),
    # Latin letters of one language: "mój numer 512 345 678" is Polish.
    (regex.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]"), ("PL",)),
    (regex.compile(r"[ğışĞİŞ]"), ("TR",)),
    (regex.compile(r"[ñ¿¡]"), ("ES", "MX", "AR", "CO", "CL", "PE")),
    (regex.compile(r"[ãõ]"), ("BR", "PT")),
    (regex.compile(r"[ơưđĐ]"), ("VN",)),
)
# A format's example: "PNR format is 10 digits, e.g. 8524617390", "should auto-format
# while typing, like +91 98765 43210".
_EXAMPLE_BEFORE = re.compile(
    r"\b(?:format|formats|formatted|pattern|sample)\b[^.!?\n]{0,40}?"
    r"(?:e\.g\.?|\beg\b|for example|for instance|such as|\blike)[\s:,]*$"
)
# Words that say a number rings (not "number" alone: "my number of items is …").
_CALLABLE = re.compile(
    r"\b(?:call|phone|mobile|cell|whats\w*|wasap|wa|zap|telegram|viber|sms|text|ring|dial|tel"
    r"|telefon\w*|telemóvel|telemovel|celular|movil|móvil|handy|numaram?|nomor|numer|numero"
    r"|número|numéro|номер|телефон)\b"
)
# Where the marketplace's users live, for a national number a phone word vouches for.
_WORLD_REGIONS = (
    "PT", "BR", "ES", "MX", "AR", "CO", "CL", "PE", "IT", "NL", "BE", "CH", "AT", "SE", "NO",
    "DK", "FI", "PL", "CZ", "RO", "HU", "GR", "TR", "RU", "UA", "KZ", "IL", "SA", "QA", "KW",
    "OM", "BH", "EG", "MA", "NG", "KE", "ZA", "GH", "TZ", "UG", "LK", "NP", "MY", "ID", "PH",
    "TH", "VN", "JP", "KR", "CN", "HK", "TW", "NZ", "IE",
)
# A country code typed with its "+" ("text me po 0917 123 4567 or viber +63 917…"): the
# same number, or another of that country, may stand beside it in national form.
# Not a sum's "+" ("₹4,500 + 18% GST"): a code has a number's digits after it.
_DIALLED_CODE = re.compile(r"(?<![0-9,.%)] )(?<![0-9,.%)])\+ ?([1-9][0-9]{0,2})(?=[ .(-]?[0-9])")


@lru_cache(maxsize=64)
def _hinted_regions(text: str) -> tuple[str, ...]:
    """The regions ``text`` points to: by its scripts and letters, and by the country
    codes typed in it."""
    hinted: list[str] = []
    if not text.isascii():
        hinted += (
            region for script, regions in _SCRIPTS if script.search(text) is not None
            for region in regions
        )
    if "+" in text:
        for m in _DIALLED_CODE.finditer(text):
            code = m.group(1)
            for length in range(1, len(code) + 1):
                regions = phonenumbers.region_codes_for_country_code(int(code[:length]))
                if regions and regions != ("001",):
                    hinted += (r for r in regions if r not in hinted)
                    break
    return tuple(hinted)


@lru_cache(maxsize=8192)
def _valid_region(
    digits: str, international: bool, regions: tuple[str, ...], hinted: tuple[str, ...] = ()
) -> str | None:
    """The region in which ``phonenumbers`` accepts the number, or ``None``.

    A number with ``+``/``00`` is parsed as international. A national number is tried
    in the default region, then in the extra regions only when it is written the way
    their national numbers are (a trunk ``0``, or the ten digits of the North American
    plan): random digit groups validate somewhere in the world far too often. The
    ``hinted`` regions, which the message's script points to, are tried last, whatever
    digit the number starts with. Cached: the same numbers come back again and again in
    a conversation, and parsing costs tens of microseconds per region.
    """
    if international:
        attempts: Iterable[tuple[str, str | None]] = [(_dialled(digits), None)]
    else:
        attempts = [(digits, regions[0])] + [
            (digits, region)
            for region in regions[1:]
            if digits.startswith("0")
            or (region in _NANP and len(digits) in (10, 11) and digits[-10] in "23456789")
        ] + [(digits, region) for region in hinted]
    for number, region in attempts:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.region_code_for_number(parsed) or region
    return None
