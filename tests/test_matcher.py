"""Matching: typos, paraphrases, safety first, honest scores."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.core import Brain
from bot.evaluation import evaluate, read_labelled
from bot.features import (
    WORKING_SET_FROM,
    CompiledLinearModel,
    char_wb_ngrams,
    fit_block,
    fit_features,
    word_ngrams,
)
from bot.loader import Knowledge
from bot.matcher import EmergencyDetector, IntentMatcher
from bot.models import HANDOFF_INTENTS, Intent, IntentKind

DEV_SET = Path(__file__).parent / "data" / "dev_set.jsonl"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("do you do implnats", "implants"),
        ("how much is teeth whitning", "whitening"),
        ("can i make an apointment for tommorow", "booking"),
        ("wat time do u open on saturday", "hours"),
        ("do you tret childern", "children"),
    ],
)
def test_typos_still_match(brain: Brain, text: str, intent: str) -> None:
    assert brain.matcher.match(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "my gum is swollen and it hurts, also do you take insurance",
        "tooth knocked out playing football what do i do",
        "bleeding wont stop after extraction",
        "i have a fever after my root canal yesterday",
        "i think i have an infection, my jaw hurts badly and i have a temperature",
        "I'm in agony",
    ],
)
def test_emergencies_are_never_missed(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent == "emergency"


@pytest.mark.parametrize(
    "text", ["asdfgh", "what's the weather tomorrow", "ok", "who won the game"]
)
def test_off_topic_has_no_intent(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent is None


@pytest.mark.parametrize(
    "text", ["my ankle got swollen after the hike", "my thumb is infected from a splinter"]
)
def test_swelling_elsewhere_in_the_body_is_not_a_dental_emergency(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent is None


@pytest.mark.parametrize(
    "text",
    [
        "knocked out tooth",
        "my face is swelling up",
        "can't stop the bleeding after extraction",
        "trouble breathing since my wisdom tooth came out",
        "i can't swallow and my jaw is swollen",
        "my gum is bleeding and it won't stop",
        "there's pus coming out near my molar",
        "the bleeding won't stop",
    ],
)
def test_real_emergencies_still_hand_over(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my car broke down, might be late",
        "my phone screen is cracked",
        "i broke my leg last year, can i still get a cleaning",
        "it's bleeding obvious you're overcharging",
        "my fridge is broken",
        "we had a small accident in the car park, is there another entrance",
        "the traffic accident made me late",
        "my kid has a fever, we need to cancel tomorrow",
    ],
)
def test_emergency_words_without_a_mouth_are_no_emergency(brain: Brain, text: str) -> None:
    match = brain.matcher.match(text)
    assert not match.safety
    assert match.intent != "emergency"


def test_hearsay_about_a_treatment_is_a_question_not_an_emergency(brain: Brain) -> None:
    match = brain.matcher.match("people say root canals are the worst pain ever... is that true?")
    assert not match.safety
    assert match.intent == "root_canal"


def test_a_swollen_neck_asked_about_or_expected_after_a_treatment_is_no_emergency(
    brain: Brain,
) -> None:
    assert brain.matcher.match("my neck has swollen right up since this morning").safety
    for text in [
        "is it true that a swollen neck after an extraction is dangerous?",
        "will my throat be swollen after the sedation?",
    ]:
        assert not brain.matcher.match(text).safety, text


def test_a_bare_symptom_needs_a_dental_word_a_phrase_naming_the_mouth_does_not() -> None:
    detect = EmergencyDetector(
        ["bleeding", "worst pain", "face is swollen", "knocked out tooth"],
        other_body_parts=["knee"],
        dental_words=["tooth", "gum", "face"],
    )
    assert detect("face is swollen")
    assert detect("my son knocked out his tooth")
    assert detect("my gum is bleeding")
    assert not detect("its bleeding obvious")
    assert not detect("my knee is bleeding")
    assert not detect("people say it is the worst pain for a tooth is that true")
    assert detect("worst pain ever in my tooth")
    assert detect.symptom_only("the bleeding wont stop")  # the classifier decides
    assert not detect.symptom_only("my knee is bleeding")
    assert not detect.symptom_only("my gum is bleeding")  # already an emergency


@pytest.mark.parametrize(
    "text", ["help, the swelling is getting worse", "i'm in agony", "pus keeps coming out"]
)
def test_a_bare_symptom_is_an_emergency_unless_the_classifier_is_sure_of_another_intent(
    brain: Brain, text: str
) -> None:
    match = brain.matcher.match(text)
    assert match.intent == "emergency"
    assert match.safety


@pytest.mark.parametrize(
    "text",
    [
        "We offer SEO services for dental clinics, reply for a free audit",
        "Hi, I'm selling dental chairs at wholesale prices",
        "crypto investment opportunity",
        "are you hiring? i'm a dental assistant",
        "hello, i'd like to apply for the receptionist job",
        "we can get you 100 new patients a month with google ads",
        "i represent a dental supply company, who is in charge of ordering",
    ],
)
def test_spam_sales_and_job_seekers_are_off_topic_never_a_case(brain: Brain, text: str) -> None:
    match = brain.matcher.match(text)
    assert match.intent is None
    assert match.off_topic
    assert not match.safety


@pytest.mark.parametrize(
    "text",
    [
        "botox",
        "how much is lip filler",
        "nose job",
        "do you do facelifts",
        "eye exam",
        "flu shot",
        "back pain",
        "covid vaccine appointment",
        "recipe for lasagna",
        "the dishwasher is leaking",
        "my car won't start",
        # The clinic does no Botox, not even for grinding: "we're a dental clinic" and what it
        # does (a check-up among them) is the honest answer.
        "botox for teeth grinding",
    ],
)
def test_near_misses_are_off_topic_not_a_dental_intent(brain: Brain, text: str) -> None:
    match = brain.matcher.match(text)
    assert match.intent is None
    assert match.off_topic


@pytest.mark.parametrize(
    "text",
    [
        "not happy with where your clinic shows up on google? we can fix it",
        "frustrated with your current dental lab? switch to us, 30% off",
        "special offer on autoclaves this month only",
        "urgent: your clinic listing will be removed unless you verify today",
    ],
)
def test_a_pitch_in_a_patients_words_is_no_complaint_or_emergency(brain: Brain, text: str) -> None:
    match = brain.matcher.match(text)
    assert match.intent not in HANDOFF_INTENTS
    assert match.off_topic


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("can i come tomorrow morning", "booking"),
        ("book me for saturday then", "booking"),
        ("can i come today or tomorrow", "booking"),
        ("any chance of getting in today?", "booking"),
        ("can we come tomorrow after school", "booking"),
        ("could i come thursday around 7pm?", "booking"),
        ("i need to move my appointment", "reschedule"),
        ("can i come another day instead of friday", "reschedule"),
        ("i'm booked on monday but need a different day", "reschedule"),
    ],
)
def test_a_new_visit_is_booking_moving_one_is_reschedule(
    brain: Brain, text: str, intent: str
) -> None:
    assert brain.matcher.match(text).intent == intent


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        ("and how many visits is that", "duration"),
        ("ok and how long do they last once theyre in", "longevity"),
        ("can i drink coffee after", "recovery"),
        ("how long does it take to heal", "recovery"),
        ("is 45 too old?", "suitability"),
        ("what are they made of?", "materials"),
        ("and how long till the numbness wears off", "recovery"),
        ("what if it feels too high after", "recovery"),
        ("so you numb it first?", "pain"),
        ("and do u give a guarantee on them", "longevity"),
        ("can i go back to work the same day", "recovery"),
        ("any side effects with that", "safety"),
        ("do i need to do anything before", "preparation"),
        ("so what's that gonna cost me", "price"),
    ],
)
def test_follow_ups_are_read_as_a_facet(brain: Brain, text: str, facet: str) -> None:
    assert brain.facets.match(text).facet == facet


@pytest.mark.parametrize(
    "text", ["thanks", "what time do you open", "my new filling feels high since yesterday"]
)
def test_what_is_no_follow_up_is_no_facet(brain: Brain, text: str) -> None:
    assert brain.facets.match(text).facet is None


def test_scores_are_between_zero_and_one(brain: Brain) -> None:
    match = brain.matcher.match("how much are braces")
    assert 0.0 <= match.score <= 1.0
    assert all(0.0 <= alt.score <= 1.0 for alt in match.alternatives)


TRAINING = [
    "do you do implants",
    "implant price price",
    "open on sunday",
    "hours today",
    "book a visit",
    "make an appointment",
]
LABELS = ["implants", "implants", "hours", "hours", "booking", "booking"]


@pytest.mark.parametrize(
    ("grams", "vectorizer"),
    [
        (
            word_ngrams,
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
        ),
        (
            lambda text: char_wb_ngrams(text, 3, 4),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True),
        ),
    ],
)
def test_tfidf_weights_are_exactly_scikit_learns(grams: Any, vectorizer: Any) -> None:
    block, ours = fit_block([grams(text) for text in TRAINING])
    theirs = vectorizer.fit_transform(TRAINING).toarray()
    columns = [
        block.index[gram]
        for gram in sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    ]
    assert np.allclose(ours.toarray()[:, columns], theirs)


def test_fast_single_text_scoring_equals_the_trained_classifier() -> None:
    words, chars, features = fit_features(TRAINING, (3, 4))
    classifier = LinearSVC().fit(features, LABELS)
    model = CompiledLinearModel(
        words,
        chars,
        classifier.coef_,
        classifier.intercept_,
        list(classifier.classes_),
        5.0,
        (3, 4),
    )
    for probe in ["implants on sunday", "can i book  an implant", "zzz"]:
        expected = classifier.decision_function(model.transform([probe]))[0]
        assert np.allclose(model.decision(probe), expected, atol=1e-5)
        assert np.isclose(model.probabilities(probe).sum(), 1.0)


def test_dev_set_meets_the_quality_targets(brain: Brain) -> None:
    result = evaluate(brain.matcher, read_labelled(DEV_SET))
    assert result.in_scope >= 300 - 60 and result.off_topic >= 60
    assert result.accuracy >= 0.92
    assert result.false_accept_rate <= 0.10
    assert result.wrong_among_answered <= 0.04
    assert result.critical_missed == []


@pytest.mark.parametrize(
    "text",
    ["the crowd at the game was loud", "my car brakes squeal", "leeds is rainy today"],
)
def test_an_ordinary_english_word_is_never_rewritten_into_a_dental_one(
    brain: Brain, text: str
) -> None:
    assert brain.matcher.normalize(text) == text


def test_a_real_typo_is_still_snapped(brain: Brain) -> None:
    assert brain.matcher.normalize("how much is teeth whitning") == "how much is teeth whitening"


def test_a_large_catalogue_still_answers_its_new_and_old_intents(knowledge: Knowledge) -> None:
    syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "xa", "zu", "bi"]
    rng = random.Random(3)

    def made_up() -> str:
        return "".join(rng.choice(syllables) for _ in range(3))

    examples = sum(len(intent.examples) for intent in knowledge.intents.values())
    count = max(50, (WORKING_SET_FROM - examples) // 12 + 1)  # big enough for working sets
    topics = [f"{made_up()}x{number}" for number in range(count)]
    intents = dict(knowledge.intents)
    for number, topic in enumerate(topics):
        intents[f"topic_{number}"] = Intent(
            name=f"topic_{number}",
            kind=IntentKind.PRACTICAL,
            description=f"Topic {number}",
            examples=[topic, *[f"{topic} {made_up()}" for _ in range(11)]],
        )
    matcher = IntentMatcher(dataclasses.replace(knowledge, intents=intents))
    for number in (0, count // 2, count - 1):
        assert matcher.match(f"{topics[number]} please").intent == f"topic_{number}"
    result = evaluate(matcher, read_labelled(DEV_SET))
    assert result.accuracy >= 0.92
    assert result.false_accept_rate <= 0.10
    assert result.wrong_among_answered <= 0.04
    assert result.critical_missed == []


@pytest.mark.parametrize(
    "text",
    ["its been like that about 3 weeks, she doesnt complain", "he never complains about it"],
)
def test_a_denied_complaint_is_no_complaint(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent != "complaint"


@pytest.mark.parametrize(
    "text", ["I'm not happy with the service", "i dont want to complain but the crown is loose"]
)
def test_a_complaint_with_a_denied_word_is_still_a_complaint(brain: Brain, text: str) -> None:
    assert brain.matcher.match(text).intent == "complaint"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("any evening appointments? i work late", "hours"),
        ("how late can i come in", "hours"),
        ("we're 10 minutes away, where exactly are you", "location"),
        ("cash is ok?", "payment"),
        ("can i use klarna", "payment"),  # a buy-now-pay-later brand
    ],
)
def test_evening_times_the_way_there_and_a_way_to_pay_are_practical(
    brain: Brain, text: str, intent: str
) -> None:
    assert brain.matcher.match(text).intent == intent
