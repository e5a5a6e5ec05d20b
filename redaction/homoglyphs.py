"""Letters of other alphabets that look like Latin ones, and the Latin letter each reads as.

Shared by normalisation, which folds them everywhere (offsets map back, and only the
detectors see the result), and by the word lists written in those alphabets ("восемь"
is read "bocemь"), which must be folded the same way to be found.
"""

from __future__ import annotations

# Cyrillic, Greek (and a few other) letters that look like Latin ones. Folding them everywhere is
# safe for matching because offsets map back and only detectors look at the result.
HOMOGLYPHS = str.maketrans(
    "аеорсхуіјѕԁһӏԛԝкмнтвАВЕКМНОРСТХУІЈЅ"  # Cyrillic
    "αοριυνκχεΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
    "ɑıɡօսոᴏ",  # Latin and Armenian odds and ends
    "aeopcxyijsdhlqwkmhtbABEKMHOPCTXYIJS"
    "aopiuvkxeABEZHIKMNOPTYX"
    "aigouno",
)
