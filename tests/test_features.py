"""The one-vs-rest fit of large catalogues: LinearSVC's model, the same on every build."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.sparse import csr_matrix

import bot.features as features_module
from bot.features import (
    WORKING_SET_FROM,
    _binary_svm,
    _svm,
    _WorkingSetFit,
    fit_features,
    fit_one_vs_rest,
)


def _catalogue(classes: int, per_class: int, seed: int = 5) -> tuple[list[str], list[str]]:
    """Made-up texts: shared filler words plus a topic word of each class."""
    rng = random.Random(seed)
    filler = [
        "how",
        "much",
        "when",
        "can",
        "i",
        "do",
        "you",
        "the",
        "a",
        "my",
        "tooth",
        "price",
        "visit",
        "book",
        "open",
        "today",
    ]
    texts, labels = [], []
    for number in range(classes):
        topic = "".join(rng.choice("kalominesutaripove") for _ in range(6))
        for _ in range(per_class):
            words = rng.sample(filler, 4) + [topic]
            rng.shuffle(words)
            texts.append(" ".join(words))
            labels.append(f"class_{number}")
    return texts, labels


def test_a_direct_liblinear_fit_gives_linearsvcs_exact_weights() -> None:
    texts, labels = _catalogue(classes=20, per_class=10)
    _, _, features = fit_features(texts, (3, 4))
    positive = np.asarray([label == "class_3" for label in labels])
    weights, intercept = _binary_svm(
        csr_matrix(features, dtype=np.float64), positive.astype(np.float64)
    )
    reference = _svm(features, positive.astype(np.int8))
    assert np.array_equal(weights, reference.coef_[0])
    assert intercept == reference.intercept_[0]


def test_a_large_catalogue_is_fitted_the_same_on_every_build() -> None:
    texts, labels = _catalogue(classes=WORKING_SET_FROM // 40 + 1, per_class=40)
    _, _, features = fit_features(texts, (3, 4))
    first = fit_one_vs_rest(features, labels)
    second = fit_one_vs_rest(features, labels)
    assert first[0] == second[0]
    assert np.array_equal(first[1], second[1])
    assert np.array_equal(first[2], second[2])


def test_a_large_catalogue_fit_tells_every_class_from_the_others() -> None:
    texts, labels = _catalogue(classes=WORKING_SET_FROM // 40 + 1, per_class=40)
    _, _, features = fit_features(texts, (3, 4))
    classes, weights, intercepts = fit_one_vs_rest(features, labels)
    predicted = np.asarray(classes)[np.argmax(features @ weights.T + intercepts, axis=1)]
    assert (predicted == np.asarray(labels)).mean() >= 0.99


def test_a_class_fitted_again_keeps_no_weight_of_its_earlier_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(features_module, "HARD_NEGATIVES", 40)  # small first sets: refits
    texts, labels = _catalogue(classes=WORKING_SET_FROM // 40 + 1, per_class=40)
    _, _, features = fit_features(texts, (3, 4))
    names, label_of = np.unique(np.asarray(labels), return_inverse=True)
    fit = _WorkingSetFit(features, label_of, len(names))
    fit.run()
    fitted_again = [k for k in range(len(names)) if fit.solves(k) > 1]
    assert fitted_again
    for k in fitted_again:
        rows = fit.working_set(k)
        expected, intercept = _binary_svm(
            csr_matrix(features, dtype=np.float64)[rows],
            (label_of[rows] == k).astype(np.float64),
        )
        assert np.array_equal(fit.weights[:, k], expected.astype(np.float32))
        assert fit.intercepts[k] == np.float32(intercept)


def test_a_large_catalogue_is_fitted_the_same_on_one_core_as_on_several(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts, labels = _catalogue(classes=WORKING_SET_FROM // 40 + 1, per_class=40)
    _, _, features = fit_features(texts, (3, 4))
    on_every_core = fit_one_vs_rest(features, labels)
    monkeypatch.setattr(features_module.os, "sched_getaffinity", lambda _: {0})
    on_one_core = fit_one_vs_rest(features, labels)
    assert on_one_core[0] == on_every_core[0]
    assert np.array_equal(on_one_core[1], on_every_core[1])
    assert np.array_equal(on_one_core[2], on_every_core[2])
