"""Which language a message is in, when it is clearly one the bot does not read.

The detector (lingua, high-accuracy mode) knows English and the languages a US clinic's
patients most often write in; it is built once, on the first message (about a second), and
then takes well under a millisecond a message. Lingua alone is too eager on short English
("okay got it", "appt pls", a Polish surname), so a message also needs two words of the
detected language that are not ordinary English (wordfreq), and those must be half of it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from wordfreq import zipf_frequency


@dataclass(frozen=True)
class Spoken:
    """A language the bot recognises but does not read: wordfreq code, name, lingua value."""

    code: str
    name: str
    lingua: Language
    #: The Unicode script names its letters start with ("LATIN", "CYRILLIC", "CJK"...).
    scripts: tuple[str, ...] = ("LATIN",)


SPOKEN = (
    Spoken("es", "Spanish", Language.SPANISH),
    Spoken("ru", "Russian", Language.RUSSIAN, ("CYRILLIC",)),
    Spoken("uk", "Ukrainian", Language.UKRAINIAN, ("CYRILLIC",)),
    Spoken("zh", "Chinese", Language.CHINESE, ("CJK",)),
    Spoken("ja", "Japanese", Language.JAPANESE, ("CJK", "HIRAGANA", "KATAKANA")),
    Spoken("ko", "Korean", Language.KOREAN, ("HANGUL",)),
    Spoken("ar", "Arabic", Language.ARABIC, ("ARABIC",)),
    Spoken("fr", "French", Language.FRENCH),
    Spoken("de", "German", Language.GERMAN),
    Spoken("pt", "Portuguese", Language.PORTUGUESE),
    Spoken("it", "Italian", Language.ITALIAN),
    Spoken("pl", "Polish", Language.POLISH),
    Spoken("vi", "Vietnamese", Language.VIETNAMESE),
    Spoken("fil", "Tagalog", Language.TAGALOG),
)
#: The codes of the languages the bot recognises, as used in replies/languages.yaml.
CODES = tuple(spoken.code for spoken in SPOKEN)
_BY_LINGUA = {spoken.lingua: spoken for spoken in SPOKEN}

#: A note needs at least this many words of the language (a lone "hola" is no reason).
MIN_WORDS = 2
#: Lingua's confidence the top language must reach, and English must stay under.
TOP_CONFIDENCE = 0.4
ENGLISH_CONFIDENCE = 0.1
#: wordfreq Zipf frequency from which a word is ordinary in its language...
COMMON_IN_LANGUAGE = 2.5
#: ...and by how much it must be more common there than in English ("me", "pong" are both).
MORE_THAN_ENGLISH = 0.5

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?¡¿\n]+")
#: Scripts written without spaces: each character counts as a word.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA")


@functools.cache
def detector() -> LanguageDetector:
    """The detector for English and the recognised languages, built once."""
    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, *(spoken.lingua for spoken in SPOKEN)
    ).build()


def warm_up() -> None:
    """Load the detector's models and the word lists now (a second or two), not on a patient's
    first message."""
    detector().compute_language_confidence_values("hola, necesito una cita")
    for code in ("en", *(spoken.code for spoken in SPOKEN if spoken.scripts == ("LATIN",))):
        zipf_frequency("a", code)


def foreign_language(text: str) -> Spoken | None:
    """The language a message is clearly written in, if it is not English; else None."""
    words = _words(text)
    if len(words) < MIN_WORDS or not _could_be_foreign(words):
        return None  # the usual English message never reaches the detector
    confidences = detector().compute_language_confidence_values(text)
    top = confidences[0]
    english = next((c.value for c in confidences if c.language == Language.ENGLISH), 0.0)
    spoken = _BY_LINGUA.get(top.language)
    if spoken is None or top.value < TOP_CONFIDENCE or english > ENGLISH_CONFIDENCE:
        return None
    theirs = [word for word, name in words if not name and _belongs_to(word, spoken)]
    if len(theirs) < MIN_WORDS or 2 * len(theirs) < len(words):
        return None
    return spoken


def spoken_named(name: str) -> Spoken | None:
    """The recognised language of that name ("Spanish")."""
    return next((spoken for spoken in SPOKEN if spoken.name == name), None)


def _words(text: str) -> list[tuple[str, bool]]:
    """(word, whether it looks like a name) for every word; numbers and emoji are no words.

    A capitalised Latin word inside a sentence is taken for a name ("my dentist, Dr Kowalski").
    """
    found: list[tuple[str, bool]] = []
    for sentence in _SENTENCE_END.split(text):
        for index, match in enumerate(_WORD.finditer(sentence)):
            word = match.group()
            if _script(word[0]) in _UNSPACED:
                found.extend((character, False) for character in word)
                continue
            found.append((word, index > 0 and word[0].isupper() and _script(word[0]) == "LATIN"))
    return found


def _could_be_foreign(words: list[tuple[str, bool]]) -> bool:
    """Whether enough words could belong to some recognised language for the note to follow:
    the same test as after detection, for any language at once, so skipping is exact."""
    possible = sum(not name and _belongs_to_any(word.lower()) for word, name in words)
    return possible >= MIN_WORDS and 2 * possible >= len(words)


@functools.lru_cache(maxsize=16384)
def _belongs_to_any(word: str) -> bool:
    """Whether a word could belong to any recognised language (see `_belongs_to`)."""
    return any(_belongs_to(word, spoken) for spoken in SPOKEN)


def _belongs_to(word: str, spoken: Spoken) -> bool:
    """Whether a word is written in the language's script and, in Latin letters, not English."""
    if any(_script(letter) not in spoken.scripts for letter in word if letter.isalpha()):
        return False
    if spoken.scripts != ("LATIN",):
        return True
    lowered = word.lower()
    theirs = zipf_frequency(lowered, spoken.code)
    return theirs >= COMMON_IN_LANGUAGE and theirs >= zipf_frequency(lowered, "en") + (
        MORE_THAN_ENGLISH
    )


@functools.cache
def _script(letter: str) -> str:
    """The first word of a letter's Unicode name: "LATIN", "CYRILLIC", "CJK", "HANGUL"..."""
    return unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0]
