"""Lint rules beyond the schema: mistakes that load fine but make the bot worse."""

from __future__ import annotations

from bot.loader import Knowledge, Problem
from bot.models import MIN_EXAMPLES


def lint(knowledge: Knowledge) -> list[Problem]:
    """Warnings and errors about loaded data."""
    problems: list[Problem] = []
    for name, intent in knowledge.intents.items():
        where = knowledge.origins[name]
        if len(intent.examples) < MIN_EXAMPLES:
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"intent {name!r} has "
                    f"{len(intent.examples)} examples; give at least "
                    f"{MIN_EXAMPLES}",
                    "warning",
                )
            )
    return problems
