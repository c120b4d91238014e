"""The loaded data with its trained matchers and reply book, swapped as one on reload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.branches import branch_of_patient, branch_view
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
    #: Each branch's brain (its facts and prices, the same matchers), by branch id.
    branches: Mapping[str, Brain] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, knowledge: Knowledge, previous: Brain | None = None) -> Brain:
        """Train the matchers and prepare the replies (and the date parser, once). With the
        brain it replaces, a change that trains nothing new (a price, a reply, an offer, the
        hours) keeps its matchers: the reload is then a fraction of a second."""
        warm_up()
        if previous is not None and _taught(previous.knowledge) == _taught(knowledge):
            matcher, facets = previous.matcher, previous.facets
        else:
            matcher, facets = IntentMatcher(knowledge), FacetMatcher(knowledge)
        branches = {}
        for branch in knowledge.branches:
            view = branch_view(knowledge, branch)
            branches[branch.id] = cls(view, matcher, ReplyBook.build(view), facets)
        return cls(knowledge, matcher, ReplyBook.build(knowledge), facets, branches)

    def for_branch(self, branch_id: str | None) -> Brain:
        """The brain a patient of this branch is answered by (the clinic's when unknown)."""
        branch = branch_of_patient(self.knowledge, branch_id)
        return self.branches.get(branch.id, self) if branch is not None else self


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
