"""TF-IDF features and a linear model, as plain lookups fast enough for one message at a time.

The weights are exactly scikit-learn's TfidfVectorizer(sublinear_tf=True) (a test compares
them), computed here because for a few thousand short examples and a single chat message the
generic vectorizer's overhead dominates both start-up and matching.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack

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
            if length <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams.extend([padded[i : i + n] for i in range(length - n + 1)])
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


def fit_block(grams_per_text: list[list[str]], offset: int = 0) -> tuple[_Block, csr_matrix]:
    """Learn the n-gram vocabulary and idf of one block, and its tf-idf matrix.

    The same weights as scikit-learn's TfidfVectorizer(sublinear_tf=True): smoothed idf
    ln((1 + n) / (1 + df)) + 1, tf 1 + ln(count), each row scaled to unit length.
    """
    rows = len(grams_per_text)
    every_gram = list(chain.from_iterable(grams_per_text))
    index = {gram: column for column, gram in enumerate(dict.fromkeys(every_gram))}
    width = max(len(index), 1)
    ids = np.fromiter(map(index.__getitem__, every_gram), dtype=np.int64, count=len(every_gram))
    row_ids = np.repeat(np.arange(rows), [len(grams) for grams in grams_per_text])
    cells, counts = np.unique(row_ids * width + ids, return_counts=True)
    row_of, columns = np.divmod(cells, width)
    document_frequency = np.bincount(columns, minlength=len(index))
    idf = np.log((1 + rows) / (1 + document_frequency)) + 1.0
    weights = (1.0 + np.log(counts)) * idf[columns]
    norms = np.sqrt(np.bincount(row_of, weights * weights, minlength=rows))
    weights /= np.where(norms > 0, norms, 1.0)[row_of]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=rows))])
    matrix = csr_matrix((weights, columns, indptr), shape=(rows, len(index)))
    return _Block(index, idf, offset), matrix


def fit_features(
    texts: list[str], char_range: tuple[int, int]
) -> tuple[_Block, _Block, csr_matrix]:
    """Word (1-2) and character n-gram blocks for the training texts, side by side."""
    words, word_matrix = fit_block([word_ngrams(text) for text in texts])
    chars, char_matrix = fit_block(
        [char_wb_ngrams(text, *char_range) for text in texts], offset=len(words.index)
    )
    return words, chars, hstack([word_matrix, char_matrix]).tocsr()


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

    def transform(self, texts: list[str]) -> csr_matrix:
        """The feature rows of texts, as the classifier was trained on them."""
        rows = []
        for text in texts:
            word_columns, word_values = self._words.weights(word_ngrams(text))
            char_columns, char_values = self._chars.weights(
                char_wb_ngrams(text, *self._char_range)
            )
            width = self._coefficients.shape[0]
            rows.append(
                csr_matrix(
                    (
                        word_values + char_values,
                        (
                            [0] * (len(word_columns) + len(char_columns)),
                            word_columns + char_columns,
                        ),
                    ),
                    shape=(1, width),
                )
            )
        return csr_matrix(vstack(rows)) if rows else csr_matrix((0, self._coefficients.shape[0]))

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
