"""The catalogue: each service patients ask about is recognised and quoted in full."""

from __future__ import annotations

import pytest

from bot.core import Brain, FrontDesk, Outcome
from bot.pricing import format_range, quote_bundle

PATIENT = "console:catalogue"

#: A typical first question for each service the issue added, and the service it asks about.
TYPICAL_QUESTIONS = [
    ("how much is a bridge", "bridges"),
    ("do you do veneers", "veneers"),
    ("i grind my teeth at night, do you make night guards", "night_guard"),
    ("how much is a wisdom tooth removal", "wisdom_teeth"),
    ("invisalign price", "aligners"),
    ("do you do sedation?", "sedation"),
    ("price of a partial denture", "partial_denture"),
    ("sealants for my kid", "sealants"),
    ("can i whiten at home", "take_home_whitening"),
    ("is the check-up after treatment free", "free_checkup"),
    ("my gums bleed, do you do deep cleaning", "gum_treatment"),
    ("night guard", "night_guard"),
    ("my daughter needs braces", "orthodontics"),
]


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def bundled_total(brain: Brain, service: str) -> str:
    """The service's whole bundle priced from clinic.yaml, as a patient reads it."""
    knowledge = brain.knowledge
    bundle = knowledge.bundles[knowledge.services[service].bundle]
    total = quote_bundle(bundle, knowledge.components).total
    return format_range(total, knowledge.clinic.currency)


def part_names(brain: Brain, service: str) -> list[str]:
    """The name of every part of the service's bundle."""
    knowledge = brain.knowledge
    bundle = knowledge.bundles[knowledge.services[service].bundle]
    return [knowledge.components[part].name for part in bundle.parts]


@pytest.mark.parametrize(("question", "service"), TYPICAL_QUESTIONS)
async def test_a_typical_question_gets_the_service_and_its_full_bundled_total(
    front_desk: FrontDesk, brain: Brain, question: str, service: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, question)
    reply = said(outcome)
    assert (outcome.intent, outcome.route) == (service, "Answer")
    assert bundled_total(brain, service) in reply
    for name in part_names(brain, service):
        assert name in reply


@pytest.mark.parametrize(("question", "service"), TYPICAL_QUESTIONS)
def test_the_matcher_reads_each_typical_question_as_its_service(
    brain: Brain, question: str, service: str
) -> None:
    found = brain.matcher.match(question)
    assert (found.intent, found.ambiguous) == (service, False)


@pytest.mark.parametrize("service", [service for _, service in TYPICAL_QUESTIONS])
def test_each_new_service_script_names_every_part_and_the_total(
    brain: Brain, service: str
) -> None:
    for turn in range(3):
        reply = brain.replies.service(service, turn)
        assert bundled_total(brain, service) in reply
        for name in part_names(brain, service):
            assert name in reply
        assert reply.rstrip().endswith("?")


def test_the_free_check_up_is_quoted_as_free(brain: Brain) -> None:
    assert bundled_total(brain, "free_checkup") == "free"


async def test_sedation_is_quoted_with_its_price_not_as_priced_separately(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "how much is laughing gas")
    assert outcome.intent == "sedation"
    assert bundled_total(brain, "sedation") in said(outcome)
    assert "priced separately" not in said(outcome)


def test_every_component_in_clinic_yaml_is_used_by_a_bundle(brain: Brain) -> None:
    knowledge = brain.knowledge
    used = {part for bundle in knowledge.bundles.values() for part in bundle.parts}
    assert sorted(set(knowledge.components) - used) == []


def test_every_new_service_answers_every_follow_up(brain: Brain) -> None:
    for _, service in TYPICAL_QUESTIONS:
        for facet in brain.knowledge.facet_examples:
            assert brain.replies.facet(service, facet, 0), (service, facet)
