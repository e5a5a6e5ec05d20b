"""The vocabulary that tells words next to an app name from coined account names."""

from __future__ import annotations

import pytest

from redaction.vocabulary import english_words, is_english_word


@pytest.mark.parametrize("word", ["photography", "Reels", "priya", "canva", "daalo"])
def test_words_of_the_language_and_this_market_are_english_words(word):
    assert is_english_word(word)


@pytest.mark.parametrize("word", ["poojahq", "thetomaszn", "meenaartz", "sanjayseo"])
def test_coined_names_are_not(word):
    assert not is_english_word(word)


def test_the_vocabulary_is_loaded_once():
    assert english_words() is english_words()
