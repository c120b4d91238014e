"""TF-IDF features and a linear model, as plain lookups fast enough for one message at a time.

The weights are exactly scikit-learn's TfidfVectorizer(sublinear_tf=True) (a test compares
them), computed here because for a few thousand short examples and a single chat message the
generic vectorizer's overhead dominates both start-up and matching.
"""

from __future__ import annotations

import math
import mmap
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from scipy.sparse._sparsetools import csr_row_index  # what matrix[rows] runs, unchecked
from sklearn.svm import LinearSVC
from sklearn.svm._liblinear import (
    set_verbosity_wrap,
    train_wrap,
)

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
        grams.extend(_word_char_ngrams(word, low, high))
    return grams


@lru_cache(maxsize=1 << 16)
def _word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """One word's character n-grams (words repeat across texts, so they are remembered)."""
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if length <= n:  # a short word counts once, whole
            grams.append(padded)
            break
        grams.extend([padded[i : i + n] for i in range(length - n + 1)])
    return tuple(grams)


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


#: Below this many training texts one solver run over all of them is quick (the demo catalogue
#: has about 3,000); from it on, each class is fitted on the texts that matter to it.
WORKING_SET_FROM = 8000
#: A class's first working set: its own texts and this many of the others most like them. A
#: repair round adds at most twice as many or as many as the set has, deepest in the margin first.
HARD_NEGATIVES = 1000
#: At most this many rounds of adding the texts a class's model still gets inside its margin.
REPAIR_ROUNDS = 8
#: Classes fitted together by one worker: their first working sets are found, and their models
#: checked, in one pass over the texts.
CLASSES_PER_BATCH = 25
#: liblinear's L2-regularised L2-loss SVM, dual: what LinearSVC runs on these problems.
_DUAL_SQUARED_HINGE = 1
#: The solver's tolerance; a text counts as inside a margin by more than half of it.
TOLERANCE = 5e-2
_SEED = np.random.RandomState(0).randint(np.iinfo("i").max)  # LinearSVC's with random_state=0


def _svm(features: csr_matrix, labels: np.ndarray) -> LinearSVC:
    """scikit-learn's LinearSVC (squared hinge, C=1), the settings the thresholds are tuned on."""
    return LinearSVC(C=1.0, tol=TOLERANCE, random_state=0).fit(features, labels)


def fit_one_vs_rest(
    features: csr_matrix, labels: list[str]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Classes, weights (classes x features, float32) and intercepts of a one-vs-rest linear SVM.

    A small catalogue is one LinearSVC. A large one solves the same per-class problems on
    working sets: a class's texts and the other texts most like them, then, again and again,
    the texts the class's model still puts inside its margin (only those can change it), so the
    result is LinearSVC's up to the solver's tolerance, without a solver pass over every text
    for every class. The weights of a large catalogue are laid out features-major (a transposed
    view is returned), the layout the compiled model reads.
    """
    rows = features.shape[0]
    if rows < WORKING_SET_FROM:
        classifier = _svm(features, np.asarray(labels))
        return (
            [str(label) for label in classifier.classes_],
            np.asarray(classifier.coef_, dtype=np.float32),
            np.asarray(classifier.intercept_, dtype=np.float32),
        )
    names, label_of = np.unique(np.asarray(labels), return_inverse=True)
    fit = _WorkingSetFit(features, label_of, len(names))
    fit.run()
    return [str(name) for name in names], fit.weights.T, fit.intercepts


@dataclass(frozen=True)
class _FittedClass:
    """One class's fit: its intercept, how many times it was solved, its last working set."""

    k: int
    intercept: float
    solves: int
    working_set: np.ndarray


class _WorkingSetFit:
    """A large catalogue's classes fitted on working sets, a batch of classes at a time.

    Each batch is independent (its classes' first working sets, fits, margin checks and refits),
    so the batches run in processes forked on every core, and every build gives the same model
    whatever order they finish in. The workers write the weights straight into memory shared
    with this process, features x classes.
    """

    def __init__(self, features: csr_matrix, label_of: np.ndarray, count: int) -> None:
        self._features = csr_matrix(features, dtype=np.float64)  # as liblinear takes them
        self._compact = features.astype(np.float32)
        self._label_of = label_of
        self._nearest = _NearestTexts(self._compact, label_of, count)
        shape = (features.shape[1], count)
        #: Features x classes (the compiled model's layout), in memory the workers write into.
        self.weights = np.ndarray(
            shape, dtype=np.float32, buffer=mmap.mmap(-1, max(1, shape[0] * shape[1] * 4))
        )
        self.intercepts = np.zeros(count, dtype=np.float32)
        self._fitted: list[_FittedClass | None] = [None] * count

    def run(self) -> None:
        """Fit every class, on every core when the platform can fork."""
        count = len(self._fitted)
        batches = [
            np.arange(start, min(count, start + CLASSES_PER_BATCH))
            for start in range(0, count, CLASSES_PER_BATCH)
        ]
        with _workers(self) as fit_batch:
            for fitted in fit_batch(batches):
                for one in fitted:
                    self._fitted[one.k] = one
                    self.intercepts[one.k] = one.intercept

    def solves(self, k: int) -> int:
        """How many times class k was fitted."""
        fitted = self._fitted[k]
        return fitted.solves if fitted is not None else 0

    def working_set(self, k: int) -> np.ndarray:
        """The texts class k was last fitted on."""
        fitted = self._fitted[k]
        return fitted.working_set if fitted is not None else np.empty(0, dtype=np.int64)

    def fit_batch(self, batch: np.ndarray) -> list[_FittedClass]:
        """Fit a batch of classes: solve on working sets, check, widen the sets and refit."""
        working = dict(zip(batch.tolist(), self._nearest.working_sets(batch), strict=True))
        solves = dict.fromkeys(working, 0)
        found: dict[int, tuple[np.ndarray, np.ndarray, float]] = {}
        pending = list(working)
        while pending:
            for k in pending:
                found[k] = self._solve(k, working[k])
                solves[k] += 1
            failed = self._check(pending, found, working)
            pending = [k for k in failed if solves[k] < REPAIR_ROUNDS]
        for k, (columns, values, _) in found.items():
            self.weights[columns, k] = values
        return [_FittedClass(k, found[k][2], solves[k], working[k]) for k in working]

    def _solve(self, k: int, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Class k against the rest on its working set: its non-zero weights and intercept."""
        weights, intercept = _binary_svm(
            _rows(self._features, chosen), (self._label_of[chosen] == k).astype(np.float64)
        )
        columns = np.flatnonzero(weights)
        return columns, weights[columns].astype(np.float32), intercept

    def _check(
        self,
        fitted: list[int],
        found: dict[int, tuple[np.ndarray, np.ndarray, float]],
        working: dict[int, np.ndarray],
    ) -> list[int]:
        """Add to the fitted classes' sets the other texts inside their margins; those to refit."""
        dense = np.zeros((self._compact.shape[1], len(fitted)), dtype=np.float32)
        for column, k in enumerate(fitted):
            columns, values, _ = found[k]
            dense[columns, column] = values
        intercepts = np.asarray([found[k][2] for k in fitted], dtype=np.float32)
        decisions = np.asarray(self._compact @ dense) + intercepts
        outside = decisions > TOLERANCE / 2 - 1.0  # other classes' texts inside the margin
        column_of = np.full(len(self._fitted), -1)
        column_of[fitted] = np.arange(len(fitted))
        own = np.flatnonzero(column_of[self._label_of] >= 0)
        outside[own, column_of[self._label_of[own]]] = False
        sizes = [len(working[k]) for k in fitted]
        outside[
            np.concatenate([working[k] for k in fitted]),
            np.repeat(column_of[fitted], sizes),
        ] = False
        missed_rows, missed_columns = np.nonzero(outside)
        depth = decisions[missed_rows, missed_columns]
        order = np.lexsort((-depth, missed_columns))  # by class, deepest inside the margin first
        missed_rows, missed_columns = missed_rows[order], missed_columns[order]
        columns = np.unique(missed_columns)
        starts = np.searchsorted(missed_columns, [*columns, len(fitted)])
        failed = []
        for index, column in enumerate(columns):
            k = fitted[column]
            limit = max(2 * HARD_NEGATIVES, len(working[k]))
            missed = missed_rows[starts[index] : starts[index + 1]][:limit]
            working[k] = np.union1d(working[k], missed)
            failed.append(k)
        return failed


#: Fits batches of classes as they come, in any order.
FitBatches = Callable[[list[np.ndarray]], Iterable[list[_FittedClass]]]

#: The fit a forked worker process works on (inherited, never pickled).
_forked_fit: _WorkingSetFit | None = None


def _fit_in_fork(batch: np.ndarray) -> list[_FittedClass]:
    """Fit one batch in a worker process, on the fit it inherited."""
    assert _forked_fit is not None
    return _forked_fit.fit_batch(batch)


@contextmanager
def _workers(fit: _WorkingSetFit) -> Iterator[FitBatches]:
    """Fit batches on every core, in processes forked with the fit.

    Not threads: liblinear keeps one random generator for the whole process, so classes fitted
    side by side in threads would share it and come out differently on every build.
    """
    global _forked_fit
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    set_verbosity_wrap(0)
    if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda batches: map(fit.fit_batch, batches)
        return
    _forked_fit = fit
    try:
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            _forked_fit = None
            yield lambda batches: pool.imap_unordered(_fit_in_fork, batches)
    finally:
        _forked_fit = None


def _binary_svm(features: csr_matrix, positive: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights and intercept of _svm on a binary problem, from liblinear itself.

    The very call LinearSVC makes (dual L2-loss solver, the intercept as a last feature, same
    seed), without its per-call input checks, which take longer than a small problem's solve.
    """
    raw, _ = train_wrap(
        features,
        positive,
        True,
        _DUAL_SQUARED_HINGE,
        TOLERANCE,
        1.0,
        1.0,
        np.ones(2),
        1000,
        _SEED,
        0.1,
        np.ones(features.shape[0]),
    )
    return raw[0, :-1], float(raw[0, -1])


def _rows(matrix: csr_matrix, rows: np.ndarray) -> csr_matrix:
    """The given rows of a CSR matrix, in order: what matrix[rows] gives, without its checks."""
    starts = matrix.indptr[rows]
    indptr = np.zeros(len(rows) + 1, dtype=matrix.indptr.dtype)
    np.cumsum(matrix.indptr[rows + 1] - starts, out=indptr[1:])
    indices = np.empty(indptr[-1], dtype=matrix.indices.dtype)
    data = np.empty(indptr[-1], dtype=matrix.data.dtype)
    csr_row_index(
        len(rows),
        rows.astype(matrix.indptr.dtype, copy=False),
        matrix.indptr,
        matrix.indices,
        matrix.data,
        indices,
        data,
    )
    return csr_matrix((data, indices, indptr), shape=(len(rows), matrix.shape[1]))


class _NearestTexts:
    """Each class's first working set: its texts and the others nearest its centroid."""

    def __init__(self, compact: csr_matrix, label_of: np.ndarray, count: int) -> None:
        rows = compact.shape[0]
        self._compact = compact
        self._label_of = label_of
        self._membership = csr_matrix(
            (np.ones(rows, dtype=np.float32), (label_of, np.arange(rows))), shape=(count, rows)
        )
        self._sizes = np.bincount(label_of, minlength=count).astype(np.float32)
        self._mean = np.asarray(compact.mean(axis=0), dtype=np.float32)  # 1 x features
        self._by_class = np.argsort(label_of, kind="stable")
        self._bounds = np.concatenate([[0], np.cumsum(self._sizes.astype(np.int64))])

    def working_sets(self, batch: np.ndarray) -> list[np.ndarray]:
        """The batch's classes' texts, each with the HARD_NEGATIVES others nearest its centroid.

        Nearness is to the centroid less the mean of all texts: what sets the class apart.
        """
        rows = self._compact.shape[0]
        centroids = (self._membership[batch] @ self._compact).toarray()  # classes x features
        centroids /= self._sizes[batch, None]
        centroids -= self._mean
        closeness = np.ascontiguousarray((self._compact @ centroids.T).T)  # classes x texts
        own = self._label_of == batch[:, None]
        closeness[own] = -np.inf
        nearest = min(HARD_NEGATIVES, rows - 1)
        hard = np.argpartition(closeness, rows - nearest, axis=1)[:, rows - nearest :]
        return [
            np.union1d(self._by_class[self._bounds[k] : self._bounds[k + 1]], hard[row])
            for row, k in enumerate(batch.tolist())
        ]
