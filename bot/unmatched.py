"""Questions the bot did not understand or barely matched, grouped so managers can add examples."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.store import Database
from bot.store.database import to_db_time, utc_now
from bot.text import words

BARELY_MATCHED = 0.5
SAME_QUESTION = 60.0


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
    """'7d', '12h', '30m' or '2w' -> a duration."""
    found = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text.lower())
    if found is None:
        raise ValueError(f"not a duration: {text!r} (use e.g. 7d, 12h, 2w)")
    amount, unit = int(found[1]), found[2]
    return {
        "m": dt.timedelta(minutes=amount),
        "h": dt.timedelta(hours=amount),
        "d": dt.timedelta(days=amount),
        "w": dt.timedelta(weeks=amount),
    }[unit]


async def unmatched_questions(
    database: Database, since: dt.timedelta, retention_days: int
) -> list[QuestionGroup]:
    """Group recent questions that got "didn't understand" or a low score, biggest first.

    Only messages inside the retention period are read; erased patients have none left.
    """
    window = min(since, dt.timedelta(days=retention_days))
    rows = await database.fetch_all(
        "SELECT text, intent, score, created_at FROM messages WHERE direction = 'in' "
        "AND score IS NOT NULL AND (intent IS NULL OR score < ?) AND created_at >= ? "
        "ORDER BY id",
        (BARELY_MATCHED, to_db_time(utc_now() - window)),
    )
    groups: list[tuple[str, QuestionGroup]] = []
    for row in rows:
        key = " ".join(words(row["text"]))
        if not key:
            continue
        group = next((g for k, g in groups if fuzz.token_set_ratio(key, k) >= SAME_QUESTION), None)
        if group is None:
            group = QuestionGroup(example=row["text"])
            groups.append((key, group))
        group.count += 1
        group.last_seen = row["created_at"]
        if row["intent"]:
            group.guesses[row["intent"]] += 1
    return sorted((g for _, g in groups), key=lambda g: (-g.count, g.example))


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
