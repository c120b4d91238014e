"""Matching: typos, paraphrases, safety first, honest scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.dialogue import Brain
from bot.evaluation import evaluate, read_labelled
from bot.features import (
    CompiledLinearModel,
    char_wb_ngrams,
    fit_block,
    fit_features,
    word_ngrams,
)

DEV_SET = Path(__file__).parent / "data" / "dev_set.jsonl"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("do you do implnats", "implants"),
        ("how much is teeth whitning", "whitening"),
        ("can i make an apointment for tommorow", "booking"),
        ("wat time do u open on saturday", "hours"),
        ("do you tret childern", "children"),
    ],
)
def test_typos_still_match(brain: Brain, text: str, intent: str) -> None:
    assert brain.matcher.match(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "my gum is swollen and it hurts, also do you take insurance",
        "tooth knocked out playing football what do i do",
        "bleeding wont stop after extraction",
        "i have a fever after my root canal yesterday",
        "i think i have an infection, my jaw hurts badly and i have a temperature",
        "I'm in agony",
    ],
)
def test_emergencies_are_never_missed(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent == "emergency"


@pytest.mark.parametrize(
    "text", ["asdfgh", "what's the weather tomorrow", "ok", "who won the game"]
)
def test_off_topic_has_no_intent(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent is None


@pytest.mark.parametrize(
    "text", ["my ankle got swollen after the hike", "my thumb is infected from a splinter"]
)
def test_swelling_elsewhere_in_the_body_is_not_a_dental_emergency(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent is None


def test_scores_are_between_zero_and_one(brain: Brain) -> None:
    match = brain.matcher.match("how much are braces")
    assert 0.0 <= match.score <= 1.0
    assert all(0.0 <= alt.score <= 1.0 for alt in match.alternatives)


TRAINING = [
    "do you do implants",
    "implant price price",
    "open on sunday",
    "hours today",
    "book a visit",
    "make an appointment",
]
LABELS = ["implants", "implants", "hours", "hours", "booking", "booking"]


@pytest.mark.parametrize(
    ("grams", "vectorizer"),
    [
        (
            word_ngrams,
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
        ),
        (
            lambda text: char_wb_ngrams(text, 3, 4),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True),
        ),
    ],
)
def test_tfidf_weights_are_exactly_scikit_learns(grams: Any, vectorizer: Any) -> None:
    block, ours = fit_block([grams(text) for text in TRAINING])
    theirs = vectorizer.fit_transform(TRAINING).toarray()
    columns = [
        block.index[gram]
        for gram in sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    ]
    assert np.allclose(ours.toarray()[:, columns], theirs)


def test_fast_single_text_scoring_equals_the_trained_classifier() -> None:
    words, chars, features = fit_features(TRAINING, (3, 4))
    classifier = LinearSVC().fit(features, LABELS)
    model = CompiledLinearModel(
        words,
        chars,
        classifier.coef_,
        classifier.intercept_,
        list(classifier.classes_),
        5.0,
        (3, 4),
    )
    for probe in ["implants on sunday", "can i book  an implant", "zzz"]:
        expected = classifier.decision_function(model.transform([probe]))[0]
        assert np.allclose(model.decision(probe), expected, atol=1e-5)
        assert np.isclose(model.probabilities(probe).sum(), 1.0)


def test_dev_set_meets_the_quality_targets(brain: Brain) -> None:
    result = evaluate(brain.matcher, read_labelled(DEV_SET))
    assert result.in_scope >= 300 - 60 and result.off_topic >= 60
    assert result.accuracy >= 0.92
    assert result.false_accept_rate <= 0.10
    assert result.wrong_among_answered <= 0.04
    assert result.critical_missed == []


@pytest.mark.parametrize(
    "text",
    ["the crowd at the game was loud", "my car brakes squeal", "leeds is rainy today"],
)
def test_an_ordinary_english_word_is_never_rewritten_into_a_dental_one(
    brain: Brain, text: str
) -> None:
    assert brain.matcher.normalize(text) == text


def test_a_real_typo_is_still_snapped(brain: Brain) -> None:
    assert brain.matcher.normalize("how much is teeth whitning") == "how much is teeth whitening"
