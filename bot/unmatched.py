"""Questions the bot did not understand or barely matched, grouped so managers can add examples."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from bot.store import Database
from bot.store.database import to_db_time, utc_now
from bot.text import words

BARELY_MATCHED = 0.5
SAME_QUESTION = 60.0
LONGEST_SINCE = dt.timedelta(days=3653)
MINUTES_PER = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class QuestionGroup:
    """Similar unmatched questions: how many, one example, and what the bot guessed."""

    example: str
    count: int = 0
    guesses: Counter[str] = field(default_factory=Counter)
    last_seen: str = ""

    @property
    def best_guess(self) -> str | None:
        """The intent the bot most often guessed for these, if any."""
        return self.guesses.most_common(1)[0][0] if self.guesses else None


def parse_since(text: str) -> dt.timedelta:
    """'7d', '12h', '30m' or '2w' -> a duration, from a minute up to about ten years."""
    found = re.fullmatch(r"\s*([0-9]+)\s*([mhdw])\s*", text.lower())
    if found is None:
        raise ValueError(f"{text!r} is not a period like 7d, 12h or 2w")
    amount = found[1].lstrip("0")
    if not amount:
        raise ValueError(f"{text!r} is an empty period")
    longest = LONGEST_SINCE // dt.timedelta(minutes=1)
    if len(amount) > len(str(longest)) or int(amount) * MINUTES_PER[found[2]] > longest:
        raise ValueError(f"{text!r} is longer than {LONGEST_SINCE.days // 365} years")
    return dt.timedelta(minutes=int(amount) * MINUTES_PER[found[2]])


class UnmatchedQuestion(NamedTuple):
    """One question as read from the database."""

    text: str
    intent: str | None
    created_at: str


async def unmatched_questions(
    database: Database, since: dt.timedelta, retention_days: int
) -> list[QuestionGroup]:
    """Group recent questions that got "didn't understand" or a low score, biggest first.

    Only messages inside the retention period are read; erased patients have none left. The
    grouping runs in a worker thread, so the bot keeps answering meanwhile.
    """
    window = min(since, dt.timedelta(days=retention_days))
    rows = await database.fetch_all(
        "SELECT text, intent, score, created_at FROM messages WHERE direction = 'in' "
        "AND score IS NOT NULL AND (intent IS NULL OR score < ?) AND created_at >= ? "
        "ORDER BY id",
        (BARELY_MATCHED, to_db_time(utc_now() - window)),
    )
    questions = [UnmatchedQuestion(row["text"], row["intent"], row["created_at"]) for row in rows]
    return await asyncio.to_thread(group_questions, questions)


def group_questions(questions: Sequence[UnmatchedQuestion]) -> list[QuestionGroup]:
    """Each question joins the first group whose first question is like it; biggest first."""
    # token_set_ratio looks only at which words there are, so questions with the same set of
    # words always land in the same group: each set is compared once.
    distinct: dict[str, int] = {}
    key_of: list[int | None] = []
    for question in questions:
        tokens = words(question.text)
        key = " ".join(sorted(set(tokens)))
        key_of.append(distinct.setdefault(key, len(distinct)) if tokens else None)
    group_of_key = _cluster(list(distinct))
    groups: dict[int, QuestionGroup] = {}
    for question, key_number in zip(questions, key_of, strict=True):
        if key_number is None:
            continue
        number = group_of_key[key_number]
        if number not in groups:
            groups[number] = QuestionGroup(example=question.text)
        group = groups[number]
        group.count += 1
        group.last_seen = question.created_at
        if question.intent:
            group.guesses[question.intent] += 1
    return sorted(groups.values(), key=lambda g: (-g.count, g.example))


def _cluster(keys: Sequence[str]) -> list[int]:
    """Each key's group: the first earlier leader's scoring >= SAME_QUESTION, else its own.

    A key is its distinct words, sorted, joined by single spaces.
    """
    leaders = _Leaders(len(keys))
    return [leaders.first_like(key) for key in keys]


class _Leaders:
    """The keys that started a group, indexed so most of them are ruled out in bulk."""

    # token_set_ratio(a, b) is the best of three scores built from the words a and b share
    # (sect) and the rest of each (only_a, only_b). Two depend only on lengths; the third is
    # the indel similarity of only_a and only_b, whose common subsequence is at most that of
    # the whole keys. So one rapidfuzz cdist of indel distances against every leader (in C,
    # tens of nanoseconds a pair), the shared words from an index, and integer arithmetic
    # decide almost every pair exactly as token_set_ratio would; it runs itself only for the
    # few pairs left undecided. tests/test_managers.py checks the result against it.

    def __init__(self, capacity: int) -> None:
        self.keys: list[str] = []
        self.lengths = np.zeros(capacity, dtype=np.int64)
        self.sizes = np.zeros(capacity, dtype=np.int64)
        self.holding: dict[str, list[int]] = {}  # word -> leaders that have it

    def add(self, key: str) -> int:
        """Make the key a leader; returns its group number."""
        number = len(self.keys)
        self.keys.append(key)
        tokens = key.split(" ")
        self.lengths[number] = len(key)
        self.sizes[number] = len(tokens)
        for token in tokens:
            self.holding.setdefault(token, []).append(number)
        return number

    def first_like(self, key: str) -> int:
        """The group of the first leader like the key, or a new group it leads."""
        count = len(self.keys)
        if count == 0:
            return self.add(key)
        tokens = key.split(" ")
        shared = np.zeros(count, dtype=np.int64)
        shared_chars = np.zeros(count, dtype=np.int64)
        for token in tokens:
            if token in self.holding:
                holders = np.asarray(self.holding[token])
                shared[holders] += 1
                shared_chars[holders] += len(token)
        distance = process.cdist(
            [key], self.keys, scorer=Indel.distance, dtype=np.int64, workers=1
        )[0]
        length, other = len(key), self.lengths[:count]
        total = length + other
        # No shared word: the score is the indel similarity of the keys, 100 - 100 * d / total.
        like = (shared == 0) & _scores_enough(distance, total)
        some = shared > 0
        sect = shared_chars + shared - 1
        only_a, only_b = length - sect - 1, other - sect - 1
        like |= some & (
            (shared == len(tokens))
            | (shared == self.sizes[:count])  # one key's words are all in the other: 100
            | _scores_enough(1 + only_a, sect + length)  # sect against sect + only_a
            | _scores_enough(1 + only_b, sect + other)  # sect against sect + only_b
        )
        common = (total - distance) // 2  # longest common subsequence of the whole keys
        fewest = only_a + only_b - 2 * np.minimum(common, np.minimum(only_a, only_b))
        maybe = some & ~like & _scores_enough(fewest, total)  # only_a against only_b might do
        for index in np.flatnonzero(like | maybe).tolist():
            if like[index] or fuzz.token_set_ratio(key, self.keys[index]) >= SAME_QUESTION:
                return int(index)
        return self.add(key)


def _scores_enough(distance: IntArray | int, length_sum: IntArray) -> BoolArray:
    """Whether 100 - 100 * distance / length_sum >= SAME_QUESTION, in exact arithmetic."""
    return np.asarray(100 * distance <= (100 - SAME_QUESTION) * length_sum)


def format_groups(groups: list[QuestionGroup], limit: int = 30) -> str:
    """A plain-text report, one group per line."""
    if not groups:
        return "No unmatched questions in this period."
    lines = [f"{len(groups)} group(s) of questions the bot did not understand or barely matched:"]
    for group in groups[:limit]:
        guess = f" (bot guessed {group.best_guess})" if group.best_guess else ""
        lines.append(f"{group.count:>4} × {group.example!r}{guess}")
    if len(groups) > limit:
        lines.append(f"... and {len(groups) - limit} more")
    return "\n".join(lines)
