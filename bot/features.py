"""A trained TF-IDF + linear model, compiled into plain lookups for one text at a time.

scikit-learn is built for batches; for a single chat message its per-call overhead dominates.
The compiled form computes exactly the same decision values (a test checks this) from
n-gram dictionaries, idf weights and the coefficient matrix, in a fraction of the time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w+\b")
_WHITESPACE = re.compile(r"\s\s+")


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams, as scikit-learn's word analyzer makes them."""
    tokens = _TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_wb_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's char_wb analyzer makes them."""
    grams: list[str] = []
    for word in _WHITESPACE.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:
                break
    return grams


@dataclass(frozen=True)
class _Block:
    """One TF-IDF feature block: n-gram -> column, and each column's idf."""

    index: dict[str, int]
    idf: np.ndarray
    offset: int

    def weights(self, grams: list[str]) -> tuple[list[int], list[float]]:
        """Columns and sublinear, l2-normalised tf-idf weights of the known n-grams."""
        columns: list[int] = []
        values: list[float] = []
        for gram, count in Counter(grams).items():
            column = self.index.get(gram)
            if column is not None:
                columns.append(column)
                values.append((1.0 + math.log(count)) * float(self.idf[column]))
        norm = math.sqrt(sum(value * value for value in values)) or 1.0
        return [self.offset + c for c in columns], [value / norm for value in values]


class CompiledLinearModel:
    """Decision values and softmax scores of a linear model over two TF-IDF blocks."""

    def __init__(
        self,
        words: _Block,
        chars: _Block,
        coefficients: np.ndarray,
        intercepts: np.ndarray,
        classes: list[str],
        temperature: float,
        char_range: tuple[int, int],
    ) -> None:
        self._words = words
        self._chars = chars
        self._coefficients = np.ascontiguousarray(coefficients.T)  # (features, classes)
        self._intercepts = intercepts
        self.classes = classes
        self.temperature = temperature
        self._char_range = char_range

    @classmethod
    def from_sklearn(
        cls, word_vectorizer: Any, char_vectorizer: Any, classifier: Any, temperature: float
    ) -> CompiledLinearModel:
        """Compile fitted vectorizers and a fitted linear classifier."""
        word_index = {str(k): int(v) for k, v in word_vectorizer.vocabulary_.items()}
        char_index = {str(k): int(v) for k, v in char_vectorizer.vocabulary_.items()}
        words = _Block(word_index, np.asarray(word_vectorizer.idf_), 0)
        chars = _Block(char_index, np.asarray(char_vectorizer.idf_), len(word_index))
        return cls(
            words,
            chars,
            np.asarray(classifier.coef_, dtype=np.float32),
            np.asarray(classifier.intercept_, dtype=np.float32),
            [str(label) for label in classifier.classes_],
            temperature,
            tuple(char_vectorizer.ngram_range),
        )

    def decision(self, text: str) -> np.ndarray:
        """The classifier's decision value for every class."""
        word_columns, word_values = self._words.weights(word_ngrams(text))
        char_columns, char_values = self._chars.weights(char_wb_ngrams(text, *self._char_range))
        columns = word_columns + char_columns
        if not columns:
            return self._intercepts.copy()
        values = np.asarray(word_values + char_values, dtype=np.float32)
        return np.asarray(values @ self._coefficients[columns] + self._intercepts)

    def probabilities(self, text: str) -> np.ndarray:
        """Softmax of the decision values: scores in [0, 1] that sum to one."""
        scaled = self.decision(text) * self.temperature
        scaled -= scaled.max()
        exponentials = np.exp(scaled)
        return np.asarray(exponentials / exponentials.sum())
