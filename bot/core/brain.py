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
    def build(cls, knowledge: Knowledge, previous: Brain | None = None) -> Brain:
        """Train the matchers and prepare the replies (and the date parser, once). With the
        brain it replaces, a change that trains nothing new (a price, a reply, an offer, the
        hours) keeps its matchers: the reload is then a fraction of a second."""
        warm_up()
        if previous is not None and _taught(previous.knowledge) == _taught(knowledge):
            return cls(knowledge, previous.matcher, ReplyBook.build(knowledge), previous.facets)
        return cls(
            knowledge,
            IntentMatcher(knowledge),
            ReplyBook.build(knowledge),
            FacetMatcher(knowledge),
        )


def _taught(knowledge: Knowledge) -> tuple[object, ...]:
    """Everything the matchers learn from: examples, vocabulary, follow-up phrasings, topics."""
    return (
        knowledge.intents,
        knowledge.out_of_scope,
        knowledge.vocabulary,
        knowledge.facet_examples,
        knowledge.topic_words,
        knowledge.narrower_topics,
    )
