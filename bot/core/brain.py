"""The loaded data with its trained matchers and reply book, swapped as one on reload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.details import warm_up
from bot.facets import FacetMatcher
from bot.loader import Knowledge
from bot.matcher import IntentMatcher
from bot.replies import ReplyBook


@dataclass(frozen=True)
class Brain:
    """Everything a turn needs to understand and answer, for one version of the data."""

    knowledge: Knowledge
    matcher: IntentMatcher
    replies: ReplyBook
    facets: FacetMatcher

    @classmethod
    def build(cls, knowledge: Knowledge) -> Brain:
        """Train the matchers and prepare the replies (and the date parser, once)."""
        warm_up()
        return cls(
            knowledge,
            IntentMatcher(knowledge),
            ReplyBook.build(knowledge),
            FacetMatcher(knowledge),
        )
