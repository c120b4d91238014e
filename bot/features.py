"""TF-IDF features and a linear model, as plain lookups fast enough for one message at a time.

The weights are exactly scikit-learn's TfidfVectorizer(sublinear_tf=True) (a test compares
them), computed here because for a few thousand short examples and a single chat message the
generic vectorizer's overhead dominates both start-up and matching.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
#: Classes whose first working sets are found together, and checked together once fitted.
CLASSES_PER_BATCH = 50
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
    for every class.
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
    with _solvers(fit.problem) as solve:
        fit.start()
        try:
            for result in solve(fit.tasks()):
                fit.take(result)
        finally:
            fit.stop()
    fit.finish()
    return [str(name) for name in names], fit.weights, fit.intercepts


Solved = tuple[int, np.ndarray, np.ndarray, float]


class _WorkingSetFit:
    """A large catalogue's classes fitted on working sets, each checked as soon as it is fitted.

    A thread finds the first working sets batch by batch while the solver processes fit the
    batches before; a class whose check finds texts inside its margin goes back to them at once.
    """

    def __init__(self, features: csr_matrix, label_of: np.ndarray, count: int) -> None:
        self.problem = _Problem(csr_matrix(features, dtype=np.float64), label_of)
        compact = features.astype(np.float32)
        half = compact.shape[0] // 2
        self._halves = (compact[:half], compact[half:])
        self._label_of = label_of
        self._nearest = _NearestTexts(compact, label_of, count)
        self._working: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * count
        self._solves = np.zeros(count, dtype=np.int64)
        self.weights = np.zeros((count, features.shape[1]), dtype=np.float32)  # a row a class
        self.intercepts = np.zeros(count, dtype=np.float32)
        self._tasks: queue.SimpleQueue[tuple[int, np.ndarray] | None] = queue.SimpleQueue()
        self._finder = threading.Thread(target=self._find_first_sets, daemon=True)
        self._failure: BaseException | None = None
        self._asked = count
        self._received = 0
        self._unchecked: list[int] = []

    def start(self) -> None:
        """Start finding the first working sets."""
        self._finder.start()

    def tasks(self) -> Iterator[tuple[int, np.ndarray]]:
        """Every class on its first working set, and the classes the checks send back."""
        while (task := self._tasks.get()) is not None:
            yield task

    def _find_first_sets(self) -> None:
        """Queue every class on its first working set, a batch at a time."""
        count = len(self._working)
        try:
            for start in range(0, count, CLASSES_PER_BATCH):
                batch = np.arange(start, min(count, start + CLASSES_PER_BATCH))
                sets = self._nearest.working_sets(batch)
                for k, chosen in zip(batch.tolist(), sets, strict=True):
                    self._working[k] = chosen
                    self._tasks.put((k, chosen))
        except BaseException as failure:  # the fit raises it; here it would only be printed
            self._failure = failure
            self.stop()

    def take(self, solved: Solved) -> None:
        """Keep a class's weights; check each batch of fitted classes, and send back the failed."""
        k, columns, values, intercept = solved
        if self._solves[k]:
            self.weights[k] = 0.0
        self._solves[k] += 1
        self.weights[k, columns] = values
        self.intercepts[k] = intercept
        self._received += 1
        self._unchecked.append(k)
        if len(self._unchecked) < CLASSES_PER_BATCH and self._received < self._asked:
            return
        again = [k for k in self._check(self._unchecked) if self._solves[k] < REPAIR_ROUNDS]
        self._unchecked = []
        self._asked += len(again)
        for k in again:
            self._tasks.put((k, self._working[k]))
        if self._received == self._asked:
            self.stop()

    def solves(self, k: int) -> int:
        """How many times class k has been fitted."""
        return int(self._solves[k])

    def working_set(self, k: int) -> np.ndarray:
        """The texts class k was last fitted on."""
        return self._working[k]

    def stop(self) -> None:
        """No more tasks: the last check passed (or the fit is being abandoned)."""
        self._tasks.put(None)

    def finish(self) -> None:
        """Raise what went wrong finding the first working sets, if anything did."""
        self._finder.join()
        if self._failure is not None:
            raise self._failure
        if self._received < self._asked:
            raise RuntimeError("the one-vs-rest fit stopped before every class was fitted")

    def _check(self, fitted: list[int]) -> list[int]:
        """Add to the fitted classes' sets the other texts inside their margins; those to refit."""
        decisions = self._times(self.weights[fitted].T) + self.intercepts[fitted]
        outside = decisions > TOLERANCE / 2 - 1.0  # other classes' texts inside the margin
        column_of = np.full(len(self._working), -1)
        column_of[fitted] = np.arange(len(fitted))
        own = np.flatnonzero(column_of[self._label_of] >= 0)
        outside[own, column_of[self._label_of[own]]] = False
        sizes = [len(self._working[k]) for k in fitted]
        outside[
            np.concatenate([self._working[k] for k in fitted]),
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
            limit = max(2 * HARD_NEGATIVES, len(self._working[k]))
            missed = missed_rows[starts[index] : starts[index + 1]][:limit]
            self._working[k] = np.union1d(self._working[k], missed)
            failed.append(k)
        return failed

    def _times(self, dense: np.ndarray) -> np.ndarray:
        """The texts' features @ dense, the row halves in two threads (scipy releases the GIL)."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            return np.vstack(list(pool.map(lambda half: np.asarray(half @ dense), self._halves)))


@dataclass(frozen=True)
class _Problem:
    """The training texts' features (float64, as liblinear takes them) and class numbers."""

    features: csr_matrix
    label_of: np.ndarray

    def solve(self, task: tuple[int, np.ndarray]) -> Solved:
        """One class against the rest on its working set: its non-zero weights and intercept."""
        k, chosen = task
        weights, intercept = _binary_svm(
            _rows(self.features, chosen), (self.label_of[chosen] == k).astype(np.float64)
        )
        columns = np.flatnonzero(weights)
        return k, columns, weights[columns].astype(np.float32), intercept


#: Solves tasks as they come, one at a time: a refit is asked for only after earlier results.
Solve = Callable[[Iterable[tuple[int, np.ndarray]]], Iterable[Solved]]

#: The problem a forked solver process works on (inherited, never pickled).
_forked_problem: _Problem | None = None


def _solve_in_fork(task: tuple[int, np.ndarray]) -> Solved:
    """Solve one class in a solver process, on the problem it inherited."""
    assert _forked_problem is not None
    return _forked_problem.solve(task)


@contextmanager
def _solvers(problem: _Problem) -> Iterator[Solve]:
    """Solve classes on every core, in processes forked with the problem.

    Not threads: liblinear keeps one random generator for the whole process, so classes fitted
    side by side in threads would share it and come out differently on every build.
    """
    global _forked_problem
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    set_verbosity_wrap(0)
    if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda tasks: map(problem.solve, tasks)
        return
    _forked_problem = problem
    try:
        with multiprocessing.get_context("fork").Pool(cores) as pool:
            _forked_problem = None
            yield lambda tasks: pool.imap_unordered(_solve_in_fork, tasks)
    finally:
        _forked_problem = None


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
