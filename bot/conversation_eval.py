"""Multi-turn evaluation: a labelled conversation set played through the real core.

`frontdesk eval tests/data/conversations.yaml` plays every conversation as one patient against
`FrontDesk` on a temporary SQLite file and counts, separately for the part never tuned on:
follow-ups resolved to the right topic and facet, new questions to the right topic, answers to
the bot's own questions that it failed ("didn't get that" or a hand-over), multi-question
messages with every question answered, details captured, and hand-overs nobody needed. A
question or follow-up labelled as needing a person is scored by the hand-over alone.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core import BookingRequested, Brain, FrontDesk, HandoffOpened, Outcome
from bot.details import WEEKDAYS
from bot.store import Database, Store

#: Routes that mean the bot did not understand an answer to its own question.
FAILED = frozenset({"NotUnderstood", "OffTopic", "DidYouMean", "StaleChoice"})
#: How a booking dialogue is labelled to end: a request sent, dropped by the patient, or none.
BOOKING_ENDINGS = frozenset({"complete", "cancelled", "none"})


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
    multi_messages: Tally = field(default_factory=Tally)
    details: Tally = field(default_factory=Tally)
    unnecessary: list[str] = field(default_factory=list)
    needed_handoffs: Tally = field(default_factory=Tally)
    #: Booking dialogues that ended as labelled (a request sent, or none) with no turn the
    #: bot failed to understand.
    bookings: Tally = field(default_factory=Tally)

    @property
    def unnecessary_handoffs(self) -> int:
        """Hand-overs on turns that did not need a person."""
        return len(self.unnecessary)

    def lines(self, title: str) -> list[str]:
        """The report of this part."""
        return [
            f"{title}: {self.conversations} conversations",
            f"  follow-ups resolved to the right topic and facet: {self.followups}",
            f"  new questions to the right topic: {self.questions}",
            f"  answers to the bot's questions not failed: {self.answers_not_failed}",
            f"  multi-question messages with every question answered: {self.multi_messages}",
            f"  questions answered in multi-question messages: {self.multi}",
            f"  details captured (the kinds the bot extracts): {self.details}",
            f"  hand-overs where a person is needed: {self.needed_handoffs}",
            f"  unnecessary hand-overs: {self.unnecessary_handoffs}",
            *(
                [f"  booking dialogues ending as wanted, never misunderstood: {self.bookings}"]
                if self.bookings.tries
                else []
            ),
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
    requests_sent = 0
    misunderstood: list[str] = []
    for turn in conversation.get("turns", []):
        text = str(turn["patient"])
        expect = turn.get("expect") or {}
        async with store.unit_of_work():
            outcome = await desk.handle_text(patient, text)
        handed_over = [e for e in outcome.effects if isinstance(e, HandoffOpened)]
        _score(scores, text, expect, outcome, bool(handed_over))
        requests_sent += sum(isinstance(e, BookingRequested) for e in outcome.effects)
        if outcome.route in FAILED or (handed_over and not expect.get("handoff")):
            misunderstood.append(text)
        for effect in handed_over:  # the administrator hands the patient back at once
            async with store.unit_of_work():
                await store.cases.close(effect.case_id, None)
    wanted = conversation.get("booking")
    if wanted in BOOKING_ENDINGS:
        ended = "complete" if requests_sent else "none"
        good = ended == ("complete" if wanted == "complete" else "none") and not misunderstood
        scores.bookings.add(
            good,
            f"{conversation['id']}: wanted {wanted}, {requests_sent} request(s) sent"
            + (f", misunderstood {misunderstood}" if misunderstood else ""),
        )


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
    if kind == "followup" and not needed:  # a turn for a person is scored by the hand-over
        wanted = f"{expect.get('topic')}.{expect.get('facet')}"
        scores.followups.add(got == wanted, f"{text!r}: wanted {wanted}, got {got}")
    elif kind == "question" and expect.get("topic") and not needed:
        wanted = str(expect["topic"])
        scores.questions.add(outcome.intent == wanted, f"{text!r}: wanted {wanted}, got {got}")
    elif kind == "multi":
        every = True
        for question in expect.get("questions") or []:
            wanted = str(question.get("topic"))
            hit = wanted in outcome.answered or outcome.intent == wanted
            every = every and hit
            scores.multi.add(hit, f"{text!r}: wanted {wanted}, got {outcome.answered or got}")
        scores.multi_messages.add(every, f"{text!r}: got {outcome.answered or got}")
    elif kind == "answer" and not needed:  # (a turn for a person: by the hand-over alone)
        failed = handed_over or outcome.intent in (None, "off_topic") or outcome.route in FAILED
        scores.answers_not_failed.add(not failed, f"{text!r}: got {got}")
    for key, wanted_detail in (expect.get("details") or {}).items():
        captured = detail_captured(str(key), str(wanted_detail), outcome.details)
        if captured is not None:
            scores.details.add(
                captured, f"{text!r}: wanted {key}={wanted_detail}, got {outcome.details}"
            )
    if needed:
        scores.needed_handoffs.add(handed_over, f"{text!r}: not handed over")
    elif handed_over:
        scores.unnecessary.append(f"{text!r}: handed over as {got}")


#: A symptom labelled as denied -> the one that must not be noted (None: none at all).
_NO_SYMPTOM: dict[str, str | None] = {"none": None, "no pain": "pain"}
#: Labelled detail kinds -> the keys the bot keeps them under.
_DETAIL_KEYS = {
    "day": ("day", "weekdays", "date"),
    "time": ("time",),
    "age": ("age",),
    "who": ("who",),
    "quantity": ("quantity",),
    "insurer": ("insurer",),
    "tooth": ("area",),
    "symptom": ("symptom",),
}
_TOOTH_STATES = {"missing": "missing", "to_remove": "come out"}


def detail_captured(key: str, wanted: str, found: dict[str, str]) -> bool | None:
    """Whether a labelled detail was captured; None for kinds the bot does not extract."""
    wanted = wanted.lower()
    if key == "tooth_state":
        said = _TOOTH_STATES.get(wanted)
        return None if said is None else said in found.get("tooth", "")
    if key == "symptom" and wanted in _NO_SYMPTOM:  # "nothing hurts": captured if not noted
        noted = [symptom for symptom in found.get("symptom", "").split(", ") if symptom]
        denied = _NO_SYMPTOM[wanted]
        return not noted if denied is None else denied not in noted
    keys = _DETAIL_KEYS.get(key)
    if keys is None or (key == "who" and wanted == "self"):
        return None
    values = " ".join(found[name] for name in keys if name in found).lower()
    if not values:
        return False
    if key in {"age", "quantity"}:
        return set(re.findall(r"\d+", wanted)) <= set(re.findall(r"\d+", values))
    if key == "day":
        days = [day for day in WEEKDAYS if day in wanted]
        return all(day in values or day[:3] in values for day in days)
    return True


def report(tuned: ConversationScores, untuned: ConversationScores, misses: int = 0) -> str:
    """The figures of both parts, and some misses of the untuned part."""
    lines = [*untuned.lines("untuned (never tuned on)"), *tuned.lines("tuned")]
    if misses:
        lines.append("some untuned follow-ups missed:")
        lines += [f"  {miss}" for miss in untuned.followups.misses[:misses]]
    return "\n".join(lines)
