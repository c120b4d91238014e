"""Text normalisation: lowercase words, synonyms, and typos snapped to the known vocabulary."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process, utils
from wordfreq import zipf_frequency

_WORD = re.compile(r"[^\W_]+")
_APOSTROPHES = re.compile(r"(\w)['’`](\w)")
#: A word as `words` splits it, or a mark that ends or joins a clause (for `bot.negation`).
_WORD_OR_MARK = re.compile(r"[^\W_]+|[.,;:!?()/&\n]|\s[-–—]+\s")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MIN_SNAP_LENGTH = 4
SNAP_CUTOFF = 80.0
#: wordfreq Zipf frequency from which a word counts as ordinary English, not a typo.
COMMON_WORD_ZIPF = 3.0


def without_lone_surrogates(text: str) -> str:
    """The text with lone UTF-16 surrogates as U+FFFD (a split pair rejoined), else as is."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def words(text: str) -> list[str]:
    """Lowercase word tokens; apostrophes are joined ("don't" -> "dont")."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(_APOSTROPHES.sub(r"\1\2", text))


def words_and_marks(text: str) -> list[str]:
    """The words of `words` in order, with the punctuation marks between them (".", ",", "/")."""
    text = unicodedata.normalize("NFKC", text).lower()
    found = _WORD_OR_MARK.findall(_APOSTROPHES.sub(r"\1\2", text))
    return [token.strip() or "\n" for token in found]


def mostly_words(text: str) -> bool:
    """Whether most of the text is common English words: not "asdfgh qwerty"."""
    tokens = words(text)
    real = sum(zipf_frequency(token, "en") >= COMMON_WORD_ZIPF for token in tokens)
    return bool(tokens) and real * 2 >= len(tokens)


class Normalizer:
    """Turns a patient's message into the canonical words the matcher was trained on."""

    def __init__(self, vocabulary: Iterable[str], synonyms: dict[str, str]) -> None:
        self._synonym_targets = {
            " ".join(words(phrase)): " ".join(words(target)) for phrase, target in synonyms.items()
        }
        alternatives = sorted(self._synonym_targets, key=len, reverse=True)
        self._synonym_pattern = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b")
            if alternatives
            else None
        )
        self.vocabulary = frozenset(vocabulary)
        self._choices_by_initial: dict[str, list[str]] = {}
        for known in sorted(self.vocabulary):
            if len(known) >= MIN_SNAP_LENGTH - 1:
                self._choices_by_initial.setdefault(known[0], []).append(known)
        self.snap = lru_cache(maxsize=16384)(self._snap)

    def _snap(self, word: str) -> str:
        """The known word a misspelled word most likely means, or the word itself.

        Only words with the same first letter are candidates: typos rarely change it, and
        without the rule "leeds" would become "bleeds". A common English word (wordfreq's
        Zipf frequency of 3 or more, about once per million words) is never rewritten.
        """
        if word in self.vocabulary or len(word) < MIN_SNAP_LENGTH or word.isdigit():
            return word
        if zipf_frequency(word, "en") >= COMMON_WORD_ZIPF:
            return word  # an ordinary English word ("bleeds", "crowd") is not a typo
        found = process.extractOne(
            word,
            self._choices_by_initial.get(word[0], ()),
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SNAP_CUTOFF,
        )
        return found[0] if found is not None else word

    def apply_synonyms(self, text: str) -> str:
        """Replace synonym phrases with their canonical words."""
        if self._synonym_pattern is None:
            return text
        return self._synonym_pattern.sub(lambda found: self._synonym_targets[found[0]], text)

    def __call__(self, text: str) -> str:
        """Canonical form: words, typos snapped, synonyms applied."""
        return self.from_words(words(text))

    def from_words(self, tokens: list[str]) -> str:
        """Canonical form of text already split by words()."""
        return self.apply_synonyms(" ".join(self.snap(word) for word in tokens))


def vocabulary_of(texts: Iterable[str]) -> set[str]:
    """Every word used in the given texts."""
    found: set[str] = set()
    for text in texts:
        found.update(words(text))
    return found


def default_process(text: str) -> str:
    """rapidfuzz's own preprocessing, used by the naive baseline."""
    return str(utils.default_process(text))
