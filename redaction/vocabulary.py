"""Which words are ordinary English: the line between a topic and an account name.

Next to a platform word, a plain word is as often a topic ("telegram group", "insta
reels") as an account ("ig poojahq", "tanvilabs on telegram"). Accounts are names run
together or coined; topics are words of the language. The most frequent English words
(from ``wordfreq``, which merges subtitles, Wikipedia, news, books and web text) tell
them apart, together with the chat and Hinglish words of ``platforms.COMMON_WORDS``.

Loaded once per process, on first use (0.2 s), as a frozen set of the words alone;
``wordfreq``'s own tables are released afterwards (about 40 MB more per process in all,
its modules included).
"""

from __future__ import annotations

import threading

#: How many of the most frequent English words count as ordinary. 200,000 reaches
#: "photography", "reels", most first names and tools ("canva", "figma", "behance");
#: coined names ("poojahq", "sanjayseo", "thetomaszn") are outside even 300,000.
VOCABULARY_SIZE = 200_000

#: Words of this market the English lists lack: Hinglish verbs and words longer than
#: the short ones ``platforms.COMMON_WORDS`` holds, and apps people talk about.
_EXTRA = """
    daalo dalo daal lagao lagana lagado rakho rakhna rakhlo batao bataiye bataana sunao
    dikhao dikhana dikhaiye bhejiye bhejunga bhejdunga bhejdo dekhiye dekhna dekhlo kariye
    karunga karungi karenge karlo milte milenge milna rehna aana jaana chahiye chahiyega
    zaroori zaroor jaldi thoda thodi bahut zyada jyada kuchh sabhi kitna kitne hamesha
    karke dekhke bhejke kaafi badhiya badiya shandaar ekdum samjho samjha samajh dhyaan
    wahin yahin tabhi kabhi phirse dobara shayad lekin magar isliye kyunki matlab waise
    aisa waisa jaisa kaisa humko tumko aapko unhe inhe hamara hamare tumhare aapke unke
    inke wapas vapas pehle baadme nahiin haanji achaa kardo kardiya kardena kardunga
    bhejdiya bhejdena dekhlena karlena milgaya hogaya hojayega jayega
    chalega chalegi chalenge chalta chalti chalte bhejungi bhejenge bhejta bhejti dijiye
    lijiye boliye bataunga bataungi batayenge karein karenge karunga milegi milega
    lagega lagegi lagta lagti lagte padega padegi padta sakta sakti sakte rahega rahegi
    banaunga banaungi banayenge banana banado banaiye chahta chahti chahte jaayega
    jaayegi hojayegi dekhunga dekhungi dekhenge samjhe samjhi samjhaiye bhejwa mangwa
    mujhse tumse aapse unse humse isme usme kisko kisne kahan yahaan wahaan paisa paise
    hisaab kaamkaaj shaam subah parso haftey mahine
    jaata jaati jaate aati aate rehta rehti rehte milta milti dekhta dekhti dekhte
    bhejti bhejte chalti karti hua hui hue gaya gayi gaye aaya aayi aaye
    gpay phonepe paytm razorpay webflow capcut inshot canva figma framer notion
    javadoc jsdoc docstring docstrings readme changelog dockerfile makefile kubectl
    webpack vite eslint prettier nginx gunicorn uvicorn celery redis postgres mongodb
"""
EXTRA_WORDS = frozenset(_EXTRA.split())

_lock = threading.Lock()
_words: frozenset[str] | None = None


def english_words() -> frozenset[str]:
    """The ``VOCABULARY_SIZE`` most frequent English words, lower case."""
    global _words
    if _words is None:
        with _lock:
            if _words is None:
                import wordfreq

                _words = frozenset(wordfreq.top_n_list("en", VOCABULARY_SIZE)) | EXTRA_WORDS
                # Its caches hold every frequency table read: the set is all we keep.
                for name in dir(wordfreq):
                    clear = getattr(getattr(wordfreq, name), "cache_clear", None)
                    if clear is not None:
                        clear()
    return _words


def is_english_word(word: str) -> bool:
    """Whether ``word`` (any case) is among the most frequent English words."""
    return word.lower() in english_words()
