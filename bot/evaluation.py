"""Measure the matcher on a labelled set: accuracy, false accepts, errors among answers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.loader import normalized_key
from bot.matcher import Match
from bot.models import HANDOFF_INTENTS

CRITICAL_INTENTS = ("emergency", "complaint", "human")


class TextMatcher(Protocol):
    """Anything that reads one message as an intent: our matcher or a baseline."""

    def match(self, text: str) -> Match:
        """What the text most likely means, or no intent when unsure."""
        ...


@dataclass(frozen=True)
class LabelledMessage:
    """A message and what it really means (None: not anything the clinic answers)."""

    text: str
    intent: str | None


@dataclass
class Evaluation:
    """The figures `frontdesk eval` prints."""

    in_scope: int = 0
    in_scope_correct: int = 0
    off_topic: int = 0
    off_topic_accepted: int = 0
    answered: int = 0
    answered_wrong: int = 0
    clarified: int = 0
    per_intent: dict[str, list[int]] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    critical_missed: list[tuple[str, str, str | None]] = field(default_factory=list)
    seen_in_examples: int = 0
    unseen_in_scope: int = 0
    unseen_in_scope_correct: int = 0

    @property
    def unseen_accuracy(self) -> float:
        """Top-1 accuracy on in-scope messages that are not verbatim training examples."""
        return self.unseen_in_scope_correct / self.unseen_in_scope if self.unseen_in_scope else 0.0

    @property
    def accuracy(self) -> float:
        """Top-1 accuracy on in-scope messages."""
        return self.in_scope_correct / self.in_scope if self.in_scope else 0.0

    @property
    def false_accept_rate(self) -> float:
        """Share of off-topic messages the bot answered as if it understood."""
        return self.off_topic_accepted / self.off_topic if self.off_topic else 0.0

    @property
    def wrong_among_answered(self) -> float:
        """Share of answered messages answered with the wrong intent."""
        return self.answered_wrong / self.answered if self.answered else 0.0

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly summary."""
        return {
            "in_scope": self.in_scope,
            "in_scope_accuracy": round(self.accuracy, 4),
            "off_topic": self.off_topic,
            "off_topic_false_accept": round(self.false_accept_rate, 4),
            "answered": self.answered,
            "wrong_among_answered": round(self.wrong_among_answered, 4),
            "clarified_with_did_you_mean": self.clarified,
            "seen_verbatim_in_examples": self.seen_in_examples,
            "in_scope_accuracy_unseen": round(self.unseen_accuracy, 4),
            "critical_missed": [
                {"text_index": i, "expected": e, "got": g}
                for i, (_, e, g) in enumerate(self.critical_missed)
            ],
            "per_intent_recall": {
                name: round(hit / total, 4)
                for name, (hit, total) in sorted(self.per_intent.items())
            },
            "top_confusions": [
                {"expected": e, "got": g, "count": n}
                for (e, g), n in self.confusions.most_common(10)
            ],
        }


def read_labelled(path: Path) -> list[LabelledMessage]:
    """Read a JSONL file of {"text", "intent"} lines."""
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            messages.append(LabelledMessage(str(item["text"]), item.get("intent")))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            message = f'{path}:{number}: not a {{"text", "intent"}} line ({error})'
            raise ValueError(message) from error
    return messages


def evaluate(
    matcher: TextMatcher,
    messages: Iterable[LabelledMessage],
    training_texts: Iterable[str] = (),
) -> Evaluation:
    """Run the matcher over labelled messages and count what a patient would notice."""
    result = Evaluation()
    known = {normalized_key(text) for text in training_texts}
    for message in messages:
        seen = normalized_key(message.text) in known
        result.seen_in_examples += seen
        match = matcher.match(message.text)
        got = match.intent
        if got is not None:
            result.answered += 1
            if got != message.intent:
                result.answered_wrong += 1
            if match.ambiguous:
                result.clarified += 1
        if message.intent is None:
            result.off_topic += 1
            if got is not None:
                result.off_topic_accepted += 1
                result.confusions[("(none)", got)] += 1
            continue
        result.in_scope += 1
        result.unseen_in_scope += not seen
        hits = result.per_intent.setdefault(message.intent, [0, 0])
        hits[1] += 1
        if got == message.intent:
            result.in_scope_correct += 1
            result.unseen_in_scope_correct += not seen
            hits[0] += 1
        else:
            result.confusions[(message.intent, got or "(none)")] += 1
            if message.intent in CRITICAL_INTENTS and got not in HANDOFF_INTENTS:
                result.critical_missed.append((message.text, message.intent, got))
    return result


def report(result: Evaluation) -> str:
    """A human-readable report."""
    lines = [
        f"in-scope top-1 accuracy:   {result.accuracy:6.1%}  ({result.in_scope_correct}/"
        f"{result.in_scope})",
        f"off-topic false accept:    {result.false_accept_rate:6.1%}  ("
        f"{result.off_topic_accepted}/{result.off_topic})",
        f"wrong among answered:      {result.wrong_among_answered:6.1%}  ("
        f"{result.answered_wrong}/{result.answered})",
        f"answered with did-you-mean: {result.clarified}",
        f"lines that are verbatim training examples: {result.seen_in_examples}; in-scope "
        f"accuracy on the rest: {result.unseen_accuracy:.1%} ({result.unseen_in_scope_correct}/"
        f"{result.unseen_in_scope})",
        f"emergency/complaint/human missed: {len(result.critical_missed)}",
    ]
    for text, expected, got in result.critical_missed:
        lines.append(f"  missed {expected} -> {got}: {text!r}")
    lines.append("per-intent recall:")
    for name, (hit, total) in sorted(result.per_intent.items()):
        lines.append(f"  {name:<14} {hit / total:6.1%}  ({hit}/{total})")
    lines.append("top confusions (expected -> got):")
    for (expected, got), count in result.confusions.most_common(10):
        lines.append(f"  {expected} -> {got}: {count}")
    return "\n".join(lines)


def side_by_side(columns: Sequence[tuple[str, Evaluation]]) -> str:
    """The headline figures of several matchers on the same set, one column each."""
    rows = [
        ("", [name for name, _ in columns]),
        (
            "in-scope top-1",
            [f"{e.accuracy:6.1%} ({e.in_scope_correct}/{e.in_scope})" for _, e in columns],
        ),
        (
            "off-topic accepted",
            [
                f"{e.false_accept_rate:6.1%} ({e.off_topic_accepted}/{e.off_topic})"
                for _, e in columns
            ],
        ),
        (
            "wrong among answered",
            [
                f"{e.wrong_among_answered:6.1%} ({e.answered_wrong}/{e.answered})"
                for _, e in columns
            ],
        ),
        ("emergency/complaint/human missed", [str(len(e.critical_missed)) for _, e in columns]),
    ]
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(cells[i]) for _, cells in rows) for i in range(len(columns))]
    return "\n".join(
        f"{label:<{label_width}}  "
        + "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True)).rstrip()
        for label, cells in rows
    )
