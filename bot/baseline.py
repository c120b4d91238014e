"""A plain scikit-learn baseline for the matcher: TF-IDF + logistic regression, no none class."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.evaluation import LabelledMessage
from bot.loader import Knowledge
from bot.matcher import Alternative, Match

#: At most this share of off-topic messages may be answered at the tuned threshold.
MAX_OFF_TOPIC = 0.04


@dataclass(frozen=True)
class Prediction:
    """What a labelled message really means, and the baseline's top intent and probability."""

    expected: str | None
    intent: str
    score: float


@dataclass(frozen=True)
class Tuning:
    """The chosen threshold and what it gives on the set it was tuned on."""

    threshold: float
    in_scope_correct: int
    in_scope: int
    off_topic_accepted: int
    off_topic: int
    met_limit: bool
    max_off_topic: float = MAX_OFF_TOPIC

    @property
    def off_topic_rate(self) -> float:
        """Share of off-topic messages accepted at the threshold."""
        return self.off_topic_accepted / self.off_topic if self.off_topic else 0.0

    @property
    def accuracy(self) -> float:
        """In-scope top-1 accuracy at the threshold."""
        return self.in_scope_correct / self.in_scope if self.in_scope else 0.0


class BaselineMatcher:
    """TF-IDF (word 1-2-grams, lowercase) + logistic regression over the intents' examples."""

    def __init__(self, knowledge: Knowledge, threshold: float = 0.5) -> None:
        texts = [text for intent in knowledge.intents.values() for text in intent.examples]
        labels = [name for name, intent in knowledge.intents.items() for _ in intent.examples]
        self.pipeline = Pipeline(
            [
                ("tfidf", TfidfVectorizer(ngram_range=(1, 2), lowercase=True)),
                ("logreg", LogisticRegression(max_iter=2000)),
            ]
        )
        self.pipeline.fit(texts, labels)
        self.classes: list[str] = [str(name) for name in self.pipeline.classes_]
        self.threshold = threshold

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row of class probabilities per text."""
        return np.asarray(self.pipeline.predict_proba(list(texts)), dtype=np.float64)

    def match(self, text: str) -> Match:
        """The most probable intent if its probability reaches the threshold, else None."""
        row = self.probabilities([text])[0]
        order = np.argsort(row)[::-1]
        best = self.classes[order[0]]
        score = float(row[order[0]])
        others = tuple(Alternative(self.classes[i], float(row[i])) for i in order[1:4])
        return Match(best if score >= self.threshold else None, score, others)

    def predict(self, messages: Iterable[LabelledMessage]) -> list[Prediction]:
        """The top intent and probability of each labelled message, in one batch."""
        batch = list(messages)
        if not batch:
            return []
        rows = self.probabilities([message.text for message in batch])
        best = rows.argmax(axis=1)
        return [
            Prediction(message.intent, self.classes[index], float(row[index]))
            for message, row, index in zip(batch, rows, best, strict=True)
        ]

    def tune(
        self, messages: Iterable[LabelledMessage], max_off_topic: float = MAX_OFF_TOPIC
    ) -> Tuning:
        """Set the threshold tuned on these messages, and say what it gives on them."""
        tuning = choose_threshold(self.predict(messages), max_off_topic)
        self.threshold = tuning.threshold
        return tuning


def choose_threshold(
    predictions: Sequence[Prediction], max_off_topic: float = MAX_OFF_TOPIC
) -> Tuning:
    """The threshold with the most in-scope right among those accepting few enough off-topic."""
    # Candidates are the top probabilities seen (a message is accepted when score >= threshold).
    # Ties go to fewer off-topic accepted, then to the higher threshold. When no candidate keeps
    # off-topic acceptance within the limit, the one accepting fewest is taken (met_limit False).
    if not predictions:
        return Tuning(1.0, 0, 0, 0, 0, met_limit=True, max_off_topic=max_off_topic)
    in_scope = sum(p.expected is not None for p in predictions)
    off_topic = len(predictions) - in_scope
    tunings = []
    for threshold in sorted({p.score for p in predictions}):
        accepted = [p for p in predictions if p.score >= threshold]
        correct = sum(p.expected == p.intent for p in accepted)
        false_accepts = sum(p.expected is None for p in accepted)
        rate = false_accepts / off_topic if off_topic else 0.0
        met = rate <= max_off_topic + 1e-12
        tunings.append(
            Tuning(threshold, correct, in_scope, false_accepts, off_topic, met, max_off_topic)
        )
    allowed = [t for t in tunings if t.met_limit]
    if allowed:
        return max(allowed, key=lambda t: (t.in_scope_correct, -t.off_topic_accepted, t.threshold))
    return min(tunings, key=lambda t: (t.off_topic_accepted, -t.in_scope_correct, -t.threshold))
