"""Number words people use to spell out digits in chat: English and Hindi (in Latin script
and Devanagari), the other languages of India, and those of users abroad (German, Spanish,
Portuguese, French, Italian, Indonesian, Swahili).

A number typed as ``nine eight seven…``, ``double five``, ``aath chhe saat`` or glued
together (``nine8seven``, ``ath7ekshunya``) is still a number. This module holds the
lexicon and its decoding, so every detector reads spelled-out digits the same way.

Several Hindi number words are also English words (``do``, ``no``, ``sat``, ``che``,
``tin``) and ``o``/``oh`` are interjections: they are listed in :data:`AMBIGUOUS`, and
callers only count them inside a run of other number tokens.

>>> decode_words(["double", "nine", "ek", "shunya"])
'9910'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from redaction.homoglyphs import HOMOGLYPHS

# fmt: off
#: English words for one digit, with common misspellings and the radio "niner".
ENGLISH_DIGITS: dict[str, str] = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "zeero": "0",
    "one": "1", "two": "2", "three": "3", "thre": "3", "four": "4", "five": "5", "fiv": "5",
    "six": "6", "seven": "7", "sevn": "7", "sevan": "7", "eight": "8", "eigth": "8",
    "eigt": "8", "nine": "9", "nien": "9", "niner": "9",
    # Sound-alikes that slip a digit past a filter reading words: "nine ate too zero won,
    # for fore seven sicks tree". Those that are everyday words are AMBIGUOUS: they only
    # count inside a run of other number words, as "for" does in "nine ate for two".
    "won": "1", "to": "2", "too": "2", "tree": "3", "for": "4", "fore": "4", "sicks": "6",
    "ate": "8", "nein": "9",
}

#: Hindi words for one digit in Latin script, with the spellings people actually type.
HINDI_DIGITS: dict[str, str] = {
    "shunya": "0", "sunya": "0", "shoonya": "0", "shunye": "0", "sifar": "0",
    "ek": "1", "ik": "1", "aek": "1", "aik": "1", "eik": "1",
    "do": "2", "doh": "2",
    "teen": "3", "tin": "3", "tiin": "3",
    "char": "4", "chaar": "4", "chār": "4",
    "paanch": "5", "panch": "5", "paach": "5", "pach": "5", "paanc": "5",
    "chhe": "6", "chhah": "6", "chah": "6", "che": "6", "chha": "6", "chhai": "6",
    "chhey": "6", "chheh": "6", "cheh": "6",
    "saat": "7", "sat": "7", "saath": "7", "sath": "7",
    "aath": "8", "ath": "8", "aat": "8",
    "nau": "9", "nao": "9", "no": "9", "noh": "9",
    # In Devanagari, as typed on a Hindi keyboard.
    "शून्य": "0", "एक": "1", "दो": "2", "तीन": "3", "चार": "4", "पांच": "5", "पाँच": "5",
    "छह": "6", "छः": "6", "छे": "6", "सात": "7", "आठ": "8", "नौ": "9",
}

#: German, Spanish, Portuguese, French, Italian, Indonesian and Swahili words for one
#: digit, for the marketplace's users abroad, with and without their accents ("fünf",
#: "funf", "fuenf").
FOREIGN_DIGITS: dict[str, str] = {
    "null": "0", "eins": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4",
    "fünf": "5", "funf": "5", "fuenf": "5", "sechs": "6", "sieben": "7", "acht": "8",
    "neun": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
    "um": "1", "dois": "2", "três": "3", "quatro": "4", "sete": "7", "oito": "8", "nove": "9",
    "zéro": "0", "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "sept": "7", "huit": "8", "neuf": "9",
    "due": "2", "tre": "3", "quattro": "4", "cinque": "5", "sei": "6", "sette": "7",
    "otto": "8",
    "nol": "0", "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5", "enam": "6",
    "tujuh": "7", "delapan": "8", "sembilan": "9",
    "sifuri": "0", "moja": "1", "mbili": "2", "tatu": "3", "nne": "4", "tano": "5",
    "sita": "6", "saba": "7", "nane": "8", "tisa": "9",
    # Turkish, Russian, and Arabic as typed in Latin letters with digits for sounds
    "sıfır": "0", "bir": "1", "iki": "2", "üç": "3", "uc": "3", "dört": "4", "dort": "4",
    "beş": "5", "bes": "5", "altı": "6", "yedi": "7", "sekiz": "8", "dokuz": "9",
    "ноль": "0", "нуль": "0", "один": "1", "одна": "1", "два": "2", "две": "2", "три": "3",
    "четыре": "4", "пять": "5", "шесть": "6", "семь": "7", "восемь": "8", "девять": "9",
    "sefr": "0", "sifr": "0", "wa7ed": "1", "wahed": "1", "etneen": "2", "itnein": "2",
    "tnein": "2", "talata": "3", "tlata": "3", "arba3a": "4", "arbaa": "4", "khamsa": "5",
    "setta": "6", "sitta": "6", "sab3a": "7", "saba3a": "7", "tamanya": "8", "tamania": "8",
    "tes3a": "9", "tis3a": "9", "etnein": "2", "itneen": "2",
    "wahid": "1", "ithnan": "2", "ithnain": "2", "thalatha": "3", "arba'a": "4",
    "sab'a": "7", "thamaniya": "8", "thamanya": "8", "tis'a": "9",
    # Brazil's "meia" (half a dozen) is how a six is said digit by digit
    "meia": "6",
    # Tagalog, Polish, Ukrainian, Arabic in its own script
    "sero": "0", "isa": "1", "dalawa": "2", "tatlo": "3", "apat": "4", "anim": "6", "pito": "7",
    "walo": "8", "siyam": "9",
    "jeden": "1", "dwa": "2", "trzy": "3", "cztery": "4", "pięć": "5", "piec": "5",
    "sześć": "6", "szesc": "6", "siedem": "7", "osiem": "8", "dziewięć": "9",
    "dziewiec": "9",
    "чотири": "4", "п'ять": "5", "шість": "6", "сім": "7", "вісім": "8", "дев'ять": "9",
    "صفر": "0", "واحد": "1", "اثنين": "2", "اثنان": "2", "ثلاثة": "3", "أربعة": "4",
    "اربعة": "4", "خمسة": "5", "ستة": "6", "سبعة": "7", "ثمانية": "8", "تسعة": "9",
}

#: The other languages of India, in Latin script and in their own: Tamil, Telugu,
#: Kannada, Malayalam, Bengali, Marathi, Gujarati, Punjabi.
INDIAN_DIGITS: dict[str, str] = {
    # Tamil
    "poojyam": "0", "pujyam": "0", "poojiyam": "0", "suzhiyam": "0", "onru": "1",
    "ondru": "1", "irandu": "2", "moonru": "3", "moonu": "3", "naangu": "4", "naalu": "4",
    "ainthu": "5", "anju": "5", "aaru": "6", "ezhu": "7", "ettu": "8", "onbathu": "9",
    "onbadhu": "9",
    "பூஜ்ஜியம்": "0", "பூஜ்யம்": "0", "ஒன்று": "1", "இரண்டு": "2", "மூன்று": "3",
    "நான்கு": "4", "நாலு": "4", "ஐந்து": "5", "அஞ்சு": "5", "ஆறு": "6", "ஏழு": "7",
    "எட்டு": "8", "ஒன்பது": "9",
    # Telugu
    "sunna": "0", "okati": "1", "rendu": "2", "moodu": "3", "naalugu": "4", "aidu": "5",
    "edu": "7", "eedu": "7", "enimidi": "8", "tommidi": "9",
    "సున్నా": "0", "ఒకటి": "1", "రెండు": "2", "మూడు": "3", "నాలుగు": "4", "ఐదు": "5",
    "ఆరు": "6", "ఏడు": "7", "ఎనిమిది": "8", "తొమ్మిది": "9",
    # Kannada
    "sonne": "0", "ondu": "1", "eradu": "2", "mooru": "3", "naalku": "4", "elu": "7",
    "eelu": "7", "entu": "8", "ombattu": "9",
    "ಸೊನ್ನೆ": "0", "ಒಂದು": "1", "ಎರಡು": "2", "ಮೂರು": "3", "ನಾಲ್ಕು": "4", "ಐದು": "5",
    "ಆರು": "6", "ಏಳು": "7", "ಎಂಟು": "8", "ಒಂಬತ್ತು": "9",
    # Malayalam
    "onnu": "1", "randu": "2", "moonnu": "3", "anchu": "5", "ombathu": "9",
    "പൂജ്യം": "0", "ഒന്ന്": "1", "രണ്ട്": "2", "മൂന്ന്": "3", "നാല്": "4", "അഞ്ച്": "5",
    "ആറ്": "6", "ഏഴ്": "7", "എട്ട്": "8", "ഒമ്പത്": "9",
    # Bengali
    "shunno": "0", "shunyo": "0", "dui": "2", "chhoy": "6", "shaat": "7", "noy": "9",
    "শূন্য": "0", "এক": "1", "দুই": "2", "তিন": "3", "চার": "4", "পাঁচ": "5", "ছয়": "6",
    "সাত": "7", "আট": "8", "নয়": "9",
    # Marathi
    "saha": "6",
    "दोन": "2", "पाच": "5", "सहा": "6", "नऊ": "9",
    # Gujarati
    "tran": "3", "chha": "6", "nav": "9",
    "શૂન્ય": "0", "એક": "1", "બે": "2", "ત્રણ": "3", "ચાર": "4", "પાંચ": "5", "છ": "6",
    "સાત": "7", "આઠ": "8", "નવ": "9",
    # Punjabi
    "ikk": "1", "tinn": "3", "panj": "5", "satt": "7", "atth": "8", "naun": "9",
    "ਸਿਫ਼ਰ": "0", "ਇੱਕ": "1", "ਦੋ": "2", "ਤਿੰਨ": "3", "ਚਾਰ": "4", "ਪੰਜ": "5", "ਛੇ": "6",
    "ਸੱਤ": "7", "ਅੱਠ": "8", "ਨੌਂ": "9", "ਨੌ": "9",
}


def _as_read(word: str) -> str:
    """``word`` as the detectors read it: normalised character by character (NFKC), so
    a nukta letter is spelled as its base and the nukta ("ਫ਼"), and look-alike letters
    folded to Latin ones ("восемь" is "bocemь", "altı" is "alti")."""
    return "".join(unicodedata.normalize("NFKC", char) for char in word).translate(HOMOGLYPHS)


INDIAN_DIGITS = {_as_read(word): digit for word, digit in INDIAN_DIGITS.items()}
FOREIGN_DIGITS = {_as_read(word): digit for word, digit in FOREIGN_DIGITS.items()}
# fmt: on

#: Words people put between the groups of one number ("98765 and then 43210", "uske
#: baad", "comma"), longest first so that an alternation of them takes the whole phrase.
JOINERS: tuple[str, ...] = (
    "and then", "and after that", "after that", "aur phir", "aur fir", "uske baad",
    "iske baad", "uske bad", "iske bad", "fir se", "phir se", "followed by", "and", "then",
    "aur", "phir", "fir", "next", "baad mein", "baad me", "baaki", "comma", "dash",
    "hyphen", "space", "slash", "n", "&", "y", "e", "et",
    "aur last me", "aur last mein", "last me", "last mein", "and finally", "finally",
    "and lastly", "lastly",
)  # fmt: skip

#: Every word that stands for one digit.
DIGITS: dict[str, str] = {**ENGLISH_DIGITS, **HINDI_DIGITS, **INDIAN_DIGITS, **FOREIGN_DIGITS}

#: The Hindi ones: a number is spelled in one language ("zero" serves both).
HINDI: frozenset[str] = frozenset(HINDI_DIGITS)

#: Words that repeat the digit after them: "double five" is 55.
MULTIPLIERS: dict[str, int] = {"double": 2, "triple": 3, "treble": 3, "quadruple": 4}

# fmt: off
#: Teens stand for two digits ("nineteen" is 19).
ENGLISH_TEENS: dict[str, str] = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}
#: And in the languages of users abroad.
FOREIGN_TEENS: dict[str, str] = {
    "zehn": "10", "zwölf": "12", "zwolf": "12",
    "diez": "10", "once": "11", "doce": "12", "trece": "13", "catorce": "14", "quince": "15",
    "dieciséis": "16", "dieciseis": "16", "diecisiete": "17", "dieciocho": "18",
    "diecinueve": "19",
    "onze": "11", "doze": "12", "treze": "13", "catorze": "14", "quatorze": "14",
    "quinze": "15", "dezesseis": "16", "dezessete": "17", "dezoito": "18", "dezenove": "19",
    "douze": "12", "treize": "13", "seize": "16",
    "dieci": "10", "undici": "11", "dodici": "12", "tredici": "13", "quattordici": "14",
    "quindici": "15", "sedici": "16", "diciassette": "17", "diciotto": "18",
    "diciannove": "19",
    "десять": "10", "одиннадцать": "11", "двенадцать": "12", "тринадцать": "13",
    "четырнадцать": "14", "пятнадцать": "15", "шестнадцать": "16", "семнадцать": "17",
    "восемнадцать": "18", "девятнадцать": "19",
    # Spanish says the twenties in one word
    "veintiuno": "21", "veintiún": "21", "veintidós": "22", "veintidos": "22",
    "veintitrés": "23", "veintitres": "23", "veinticuatro": "24", "veinticinco": "25",
    "veintiséis": "26", "veintiseis": "26", "veintisiete": "27", "veintiocho": "28",
    "veintinueve": "29",
    "dziesięć": "10", "jedenaście": "11", "dwanaście": "12", "trzynaście": "13",
    "czternaście": "14", "piętnaście": "15", "szesnaście": "16", "siedemnaście": "17",
    "osiemnaście": "18", "dziewiętnaście": "19",
    "одинадцять": "11", "дванадцять": "12", "тринадцять": "13",
    "чотирнадцять": "14", "п'ятнадцять": "15", "шістнадцять": "16", "сімнадцять": "17",
    "вісімнадцять": "18", "дев'ятнадцять": "19",
}
FOREIGN_TEENS = {_as_read(word): digits for word, digits in FOREIGN_TEENS.items()}
TEENS: dict[str, str] = {**ENGLISH_TEENS, **FOREIGN_TEENS}

#: Tens take the next unit word as their second digit ("ninety eight" is 98) and
#: stand for ``x0`` otherwise.
TENS: dict[str, str] = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}
#: And abroad, where a tens word and its unit are joined by a hyphen or an "and" ("y",
#: "e": "treinta y cuatro", "trinta e quatro", "trente-quatre"), or follow each other
#: ("otuz iki", "сорок пять"). French counts by twenties past sixty: "soixante-douze" is
#: 72, "quatre-vingt-dix-neuf" 99 (see :func:`decode_groups`).
FOREIGN_TENS: dict[str, str] = {
    "veinte": "2", "treinta": "3", "cuarenta": "4", "cincuenta": "5", "sesenta": "6",
    "setenta": "7", "ochenta": "8", "noventa": "9",
    "vinte": "2", "trinta": "3", "quarenta": "4", "cinquenta": "5", "sessenta": "6",
    "oitenta": "8",
    "vingt": "2", "vingts": "2", "trente": "3", "quarante": "4", "cinquante": "5",
    "soixante": "6", "septante": "7", "huitante": "8", "octante": "8", "nonante": "9",
    # French "dix" is a tens word too: "dix-sept" is 17, "soixante-dix-huit" 78.
    "dix": "1",
    "venti": "2", "trenta": "3", "quaranta": "4", "cinquanta": "5", "sessanta": "6",
    "settanta": "7",
    "ottanta": "8", "novanta": "9",
    "yirmi": "2", "otuz": "3", "kırk": "4", "kirk": "4", "elli": "5", "altmış": "6",
    "altmis": "6", "yetmiş": "7", "yetmis": "7", "seksen": "8", "doksan": "9",
    "двадцать": "2", "тридцать": "3", "сорок": "4", "пятьдесят": "5", "шестьдесят": "6",
    "семьдесят": "7", "восемьдесят": "8", "девяносто": "9",
    "dwadzieścia": "2", "dwadziescia": "2", "trzydzieści": "3", "trzydziesci": "3",
    "czterdzieści": "4", "czterdziesci": "4", "pięćdziesiąt": "5", "sześćdziesiąt": "6",
    "siedemdziesiąt": "7", "osiemdziesiąt": "8", "dziewięćdziesiąt": "9",
    "двадцять": "2", "тридцять": "3", "п'ятдесят": "5", "шістдесят": "6", "сімдесят": "7",
    "вісімдесят": "8", "дев'яносто": "9",
}
TENS = {**TENS, **{_as_read(word): digit for word, digit in FOREIGN_TENS.items()}}
# fmt: on

#: Number words that are also everyday English (or filler) words. They count next to
#: other number words; in front of digits they are words ("mera no 98765…").
AMBIGUOUS: frozenset[str] = frozenset(
    {"do", "doh", "no", "sat", "che", "tin", "o", "oh", "char", "ten", "nil", "aat", "saath",
     "sath", "noh", "uc", "once", "elli", "kirk", "seize", "quince", "venti",
     "to", "too", "tree", "for", "fore", "sicks", "nein",
     "sept", "won", "meia", "isa", "pito", "cent", "sto", "cien",
     "ate", "दो", "null", "um", "un", "une", "uno", "dos", "dix", "due", "otto",
     "lima", "dua", "moja", "sita", "saba", "tano", "nane", "tisa", "edu", "elu",
     "nav", "saha", "tran", "noy", "dui", "onnu", "ondu", "entu", "panj"}
)

#: The sound-alikes among the digit words: between two groups of digits they are the
#: words they sound like ("rows 8812 to 8830", "2 for 5").
SOUND_ALIKES: frozenset[str] = frozenset(
    {"won", "to", "too", "tree", "for", "fore", "sicks", "ate", "nein"}
)

#: Hundreds: "yüz" and "сто" stand for a 1 unless a unit word gives their digit
#: ("beş yüz otuz iki" is 532, "yüz yirmi üç" 123); Russian's others say which, and so
#: do those of Spanish, Portuguese, Polish and Ukrainian. French "cent" is also English
#: ("per cent") and so counts only next to other number words.
HUNDREDS: dict[str, str] = {
    "yüz": "1", "yuz": "1", "сто": "1", "двести": "2",
    "триста": "3", "четыреста": "4", "пятьсот": "5", "шестьсот": "6", "семьсот": "7",
    "восемьсот": "8", "девятьсот": "9",
    "cien": "1", "ciento": "1", "doscientos": "2", "trescientos": "3", "cuatrocientos": "4",
    "quinientos": "5", "seiscientos": "6", "setecientos": "7", "ochocientos": "8",
    "novecientos": "9",
    "cem": "1", "cento": "1", "duzentos": "2", "trezentos": "3", "quatrocentos": "4",
    "quinhentos": "5", "seiscentos": "6", "setecentos": "7", "oitocentos": "8",
    "novecentos": "9", "cent": "1",
    "sto": "1", "dwieście": "2", "trzysta": "3", "czterysta": "4", "pięćset": "5",
    "sześćset": "6", "siedemset": "7", "osiemset": "8", "dziewięćset": "9",
    "двісті": "2", "чотириста": "4", "п'ятсот": "5", "шістсот": "6", "сімсот": "7",
    "вісімсот": "8", "дев'ятсот": "9",
}
HUNDREDS = {_as_read(word): digit for word, digit in HUNDREDS.items()}

#: Every word the detectors read as (part of) a number.
ALL_WORDS: frozenset[str] = frozenset(DIGITS).union(MULTIPLIERS, TEENS, TENS, HUNDREDS)

#: The words people spell with digits for letters ("n1n3", "d0"): English and Hindi ones.
#: Not the other languages', whose short words would read a stray token as a word ("B3"
#: in "9I--B3--66" is no Gujarati "be").
LEET_SPELLED: frozenset[str] = frozenset(
    {*ENGLISH_DIGITS, *HINDI_DIGITS, *MULTIPLIERS, *ENGLISH_TEENS, *TENS}
) - SOUND_ALIKES  # "7oo" is a number's digits, not "too" in leet

#: Words unlikely in ordinary prose: one of them is enough to look closer at a message.
STRONG: frozenset[str] = ALL_WORDS - AMBIGUOUS


def decode_words(words: Iterable[str]) -> str:
    """The digits a sequence of number words (and digit strings) stands for.

    Multipliers repeat the first digit of what follows; a tens word joins the unit
    word right after it. Unknown words are skipped.
    """
    return "".join(decode_groups([words]))


def decode_groups(groups: Iterable[Iterable[str]]) -> list[str]:
    """Like :func:`decode_words` for consecutive groups of words, digits per group.

    A multiplier or a tens word at the end of one group applies to the next group
    ("double | five"), and the digits it makes are counted there.
    """
    out: list[str] = []
    repeat = 1
    tens: str | None = None
    word = ""
    for group in groups:
        digits_of_group: list[str] = []
        previous = _UNKNOWN_KIND
        for raw in group:
            last_word, word = word, raw.lower()
            kind, value = _LEXICON.get(word, _UNKNOWN)
            if kind == _HUNDRED:
                # Its digit is the unit word just before it ("beş yüz"), or its own.
                if value == "1" and previous == _DIGIT:
                    previous = _HUNDRED
                    continue
                kind = _DIGIT
                if tens is not None:  # "trzysta czterdzieści | dziewięćset": 340, then 9…
                    digits_of_group.append(tens + "0")
                    tens = None
            previous = kind
            if kind == _MULTIPLIER:
                repeat = value
                continue
            if kind == _TENS:
                if word in _VINGT and digits_of_group[-1:] == ["4"] and last_word == "quatre":
                    digits_of_group.pop()  # "quatre-vingt": 80
                    value = "8"
                elif tens in _SCORE_TENS and value == "1":
                    tens = str(int(tens) + 1)  # "soixante-dix": 70, its unit may follow
                    continue
                if tens is not None:
                    digits_of_group.append(tens + "0")
                tens = value
                continue
            if kind == _UNKNOWN_KIND:
                if not word.isdigit():
                    continue
                value = word
            if tens is not None:
                # "ninety eight" is 98, but "ninety 0" or "ninety twelve" is 90 then the rest.
                if kind == _TEEN and tens in _SCORE_TENS and word in FOREIGN_TEENS:
                    value = str(int(tens) + 1) + value[1]  # "soixante-douze": 72
                elif kind == _DIGIT and value != "0":
                    value = tens + value
                else:
                    digits_of_group.append(tens + "0")
                tens = None
            digits_of_group.append(value if repeat == 1 else value[0] * repeat + value[1:])
            repeat = 1
        out.append("".join(digits_of_group))
    if tens is not None:  # a tens word ends the last group ("… ninety")
        out[-1] += tens + "0"
    return out


# French tens that count by twenties: a "dix" or a teen after them adds ten.
_SCORE_TENS = frozenset({"6", "8"})
_VINGT = frozenset({"vingt", "vingts"})
# Every word in one table, ``word -> (kind, value)``: one lookup per word.
_UNKNOWN_KIND, _DIGIT, _TEEN, _TENS, _MULTIPLIER, _HUNDRED = range(6)
_UNKNOWN: tuple[int, Any] = (_UNKNOWN_KIND, None)
_LEXICON: dict[str, tuple[int, Any]] = {
    **{word: (_DIGIT, digit) for word, digit in DIGITS.items()},
    **{word: (_TEEN, digits) for word, digits in TEENS.items()},
    **{word: (_TENS, digit) for word, digit in TENS.items()},
    **{word: (_MULTIPLIER, times) for word, times in MULTIPLIERS.items()},
    **{word: (_HUNDRED, digit) for word, digit in HUNDREDS.items()},
}
