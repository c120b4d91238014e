"""Multi-turn evaluation: a labelled conversation set played through the real core.

`frontdesk eval tests/data/conversations.yaml` plays every conversation as one patient against
`FrontDesk` on a temporary SQLite file and counts, separately for the part never tuned on:
follow-ups resolved to the right topic and facet, new questions to the right topic, answers to
the bot's own questions that it failed ("didn't get that" or a hand-over), and hand-overs
nobody needed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core import Brain, FrontDesk, HandoffOpened, Outcome
from bot.store import Database, Store


@dataclass
class Tally:
    """Hits out of tries, with the misses kept for the report."""

    hits: int = 0
    tries: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, hit: bool, miss: str) -> None:
        """Count one try."""
        self.tries += 1
        self.hits += hit
        if not hit:
            self.misses.append(miss)

    def __str__(self) -> str:
        share = 100.0 * self.hits / self.tries if self.tries else 0.0
        return f"{self.hits}/{self.tries} ({share:.1f}%)"


@dataclass
class ConversationScores:
    """What the set measures, for one part of it."""

    conversations: int = 0
    followups: Tally = field(default_factory=Tally)
    questions: Tally = field(default_factory=Tally)
    answers_not_failed: Tally = field(default_factory=Tally)
    multi: Tally = field(default_factory=Tally)
    unnecessary_handoffs: int = 0
    needed_handoffs: Tally = field(default_factory=Tally)

    def lines(self, title: str) -> list[str]:
        """The report of this part."""
        return [
            f"{title}: {self.conversations} conversations",
            f"  follow-ups resolved to the right topic and facet: {self.followups}",
            f"  new questions to the right topic: {self.questions}",
            f"  answers to the bot's questions not failed: {self.answers_not_failed}",
            f"  questions answered in multi-question messages: {self.multi}",
            f"  hand-overs where a person is needed: {self.needed_handoffs}",
            f"  unnecessary hand-overs: {self.unnecessary_handoffs}",
        ]


def read_conversations(path: Path) -> list[dict[str, Any]]:
    """The conversations of a labelled YAML set."""
    document = yaml.safe_load(path.read_text("utf-8")) or {}
    conversations = document.get("conversations")
    if not isinstance(conversations, list):
        raise ValueError(f"{path}: no 'conversations' list")
    return conversations


async def evaluate_conversations(
    brain: Brain, conversations: Iterable[dict[str, Any]]
) -> tuple[ConversationScores, ConversationScores]:
    """Scores for the tuned part and for the untuned part."""
    tuned, untuned = ConversationScores(), ConversationScores()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Database(Path(folder) / "eval.sqlite3"))
        await store.open()
        try:
            desk = FrontDesk(brain, store)
            for conversation in conversations:
                scores = untuned if conversation.get("untuned") else tuned
                scores.conversations += 1
                await _play(desk, store, conversation, scores)
        finally:
            await store.close()
    return tuned, untuned


async def _play(
    desk: FrontDesk, store: Store, conversation: dict[str, Any], scores: ConversationScores
) -> None:
    patient = f"eval:{conversation['id']}"
    for turn in conversation.get("turns", []):
        text = str(turn["patient"])
        expect = turn.get("expect") or {}
        async with store.unit_of_work():
            outcome = await desk.handle_text(patient, text)
        handed_over = [e for e in outcome.effects if isinstance(e, HandoffOpened)]
        _score(scores, text, expect, outcome, bool(handed_over))
        for effect in handed_over:  # the administrator hands the patient back at once
            async with store.unit_of_work():
                await store.cases.close(effect.case_id, None)


def _score(
    scores: ConversationScores,
    text: str,
    expect: dict[str, Any],
    outcome: Outcome,
    handed_over: bool,
) -> None:
    kind = expect.get("kind")
    needed = bool(expect.get("handoff"))
    got = f"{outcome.intent}.{outcome.facet}"
    if kind == "followup":
        wanted = f"{expect.get('topic')}.{expect.get('facet')}"
        scores.followups.add(got == wanted, f"{text!r}: wanted {wanted}, got {got}")
    elif kind == "question" and expect.get("topic") and not needed:
        wanted = str(expect["topic"])
        scores.questions.add(outcome.intent == wanted, f"{text!r}: wanted {wanted}, got {got}")
    elif kind == "multi":
        for question in expect.get("questions") or []:
            wanted = str(question.get("topic"))
            scores.multi.add(
                wanted in outcome.answered or outcome.intent == wanted,
                f"{text!r}: wanted {wanted}, got {outcome.answered or got}",
            )
    elif kind == "answer":
        failed = handed_over or outcome.intent is None
        scores.answers_not_failed.add(not failed, f"{text!r}: got {got}")
    if needed:
        scores.needed_handoffs.add(handed_over, f"{text!r}: not handed over")
    elif handed_over:
        scores.unnecessary_handoffs += 1


def report(tuned: ConversationScores, untuned: ConversationScores, misses: int = 0) -> str:
    """The figures of both parts, and some misses of the untuned part."""
    lines = [*untuned.lines("untuned (never tuned on)"), *tuned.lines("tuned")]
    if misses:
        lines.append("some untuned follow-ups missed:")
        lines += [f"  {miss}" for miss in untuned.followups.misses[:misses]]
    return "\n".join(lines)
