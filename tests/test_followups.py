"""Follow-ups on the current topic: the bot hears the conversation, not just the sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.core import Brain, FrontDesk, HandoffOpened, OfferShown, Outcome
from bot.pricing import PriceRange, format_range, quote_bundle
from bot.store import Database, Store

PATIENT = "console:mia"


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def answers(brain: Brain, service: str, facet: str) -> list[str]:
    """Every wording the clinic wrote for a service's facet, as a patient would read it."""
    wordings = brain.knowledge.facet_replies[service][facet]
    return [brain.replies.facet(service, facet, turn) or "" for turn in range(len(wordings))]


async def test_every_service_answers_every_facet(brain: Brain) -> None:
    for service in brain.knowledge.services:
        for facet in brain.knowledge.facet_examples:
            assert brain.replies.facet(service, facet, 0), (service, facet)


async def test_a_follow_up_without_the_service_name_is_answered_about_the_topic(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you make dentures?")
    how_long = await front_desk.handle_text(PATIENT, "how long does it take to make them?")
    assert said(how_long) in answers(brain, "dentures", "duration")
    price = await front_desk.handle_text(PATIENT, "and how much?")
    # the script listed every part two messages up: the total again, pointing to that list
    assert said(price) in [brain.replies.repeated("dentures", turn) for turn in range(2)]
    knowledge = brain.knowledge
    bundle = knowledge.bundles[knowledge.services["dentures"].bundle]
    total = format_range(
        quote_bundle(bundle, knowledge.components).total, knowledge.clinic.currency
    )
    assert total in said(price)


@pytest.mark.parametrize(
    ("service_question", "service", "follow_up", "facet"),
    [
        ("can i get implants?", "implants", "does it hurt", "pain"),
        ("how much is teeth whitening", "whitening", "how long will it last", "longevity"),
        ("do you do root canals", "root_canal", "how many visits is that", "duration"),
        ("i need a filling", "filling", "what material do you use", "materials"),
    ],
)
async def test_facets_are_understood_after_any_service(
    front_desk: FrontDesk,
    brain: Brain,
    service_question: str,
    service: str,
    follow_up: str,
    facet: str,
) -> None:
    await front_desk.handle_text(PATIENT, service_question)
    answer = await front_desk.handle_text(PATIENT, follow_up)
    assert said(answer) in answers(brain, service, facet)


async def test_naming_another_service_changes_the_topic(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants")
    crowns = await front_desk.handle_text(PATIENT, "how much is a crown")
    assert crowns.intent == "crowns"
    assert said(crowns) not in answers(brain, "implants", "price")


async def test_an_emergency_is_never_read_as_a_follow_up(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "can i get implants?")
    urgent = await front_desk.handle_text(PATIENT, "my face is swollen and it hurts")
    assert urgent.intent == "emergency"


async def test_the_topic_is_forgotten_after_a_quiet_period(brain: Brain, store: Store) -> None:
    desk = FrontDesk(brain, store, topic_quiet=dt.timedelta(0))
    await desk.handle_text(PATIENT, "do you make dentures?")
    later = await desk.handle_text(PATIENT, "how long does it take to make them?")
    assert said(later) not in answers(brain, "dentures", "duration")


async def test_the_topic_survives_a_restart(brain: Brain, tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = Store(Database(path))
    await store.open()
    async with store.unit_of_work():
        await FrontDesk(brain, store).handle_text(PATIENT, "do you make dentures?")
    await store.close()
    reopened = Store(Database(path))
    await reopened.open()
    follow_up = await FrontDesk(brain, reopened).handle_text(PATIENT, "is it painful?")
    await reopened.close()
    assert said(follow_up) in answers(brain, "dentures", "pain")


async def test_a_medical_suitability_question_offers_a_person(
    front_desk: FrontDesk, brain: Brain
) -> None:
    medical = sorted(brain.knowledge.medical_facets)
    assert medical, "the clinic marks its medical facets"
    service = medical[0].partition(".")[0]
    await front_desk.handle_text(PATIENT, f"tell me about {service.replace('_', ' ')}")
    await front_desk.handle_text(PATIENT, f"do you do {service.replace('_', ' ')}")
    answer = await front_desk.handle_text(PATIENT, "can i have it while pregnant?")
    assert [choice.label for message in answer.messages for choice in message.choices] == [
        "Talk to a person"
    ]


async def test_an_answer_to_the_bots_question_is_acknowledged_not_quoted_again(
    front_desk: FrontDesk, store: Store
) -> None:
    await front_desk.handle_text(PATIENT, "can i get implants?")
    answer = await front_desk.handle_text(PATIENT, "its already missing, lost it 2 years ago")
    assert "already missing" in said(answer)
    assert "$" not in said(answer)  # no repeated quote
    assert "which days" in said(answer).lower()
    day = await front_desk.handle_text(PATIENT, "wednesday morning")
    assert "wednesday morning" in said(day)
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    details = (await store.state.load(patient.id)).details
    assert details["tooth"] == "already missing"
    assert details["day"] == "wednesday morning"


async def test_a_question_after_the_bots_question_is_answered_as_a_question(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "can i get implants?")
    follow_up = await front_desk.handle_text(PATIENT, "does it hurt?")
    assert said(follow_up) in answers(brain, "implants", "pain")


def test_details_are_found_in_what_patients_write(brain: Brain) -> None:
    from bot.details import extract_details, is_question

    assert extract_details("she's 6") == {"age": "6", "who": "child"}
    assert extract_details("lost it 2 years ago")["tooth"] == "already missing"
    assert "age" not in extract_details("lost it 2 years ago")
    assert extract_details("friday afternoon would work")["day"] == "friday afternoon"
    symptoms = brain.knowledge.vocabulary.symptoms
    son = extract_details("my son is 7, his tooth hurts", symptoms=symptoms)
    assert (son["age"], son["who"], son["symptom"]) == ("7", "child", "pain")
    assert is_question("how long does it take") and is_question("monday at 10?")
    assert not is_question("its already missing")


async def test_every_question_of_a_message_is_answered_in_the_order_asked(
    front_desk: FrontDesk, brain: Brain
) -> None:
    both = await front_desk.handle_text(PATIENT, "how much is whitening and do you work saturdays")
    assert both.answered == ["whitening", "hours"]
    assert said(both).index("whitening") < said(both).lower().index("saturday")
    assert not [m for m in both.messages if m.text.startswith("New in our clinic")]


async def test_a_facet_and_a_service_in_one_message_are_both_answered(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "is it safe and does it hurt")
    assert outcome.answered == []  # no topic yet: nothing to read the facets against
    await front_desk.handle_text(PATIENT, "do you do teeth whitening")
    both = await front_desk.handle_text(PATIENT, "is it safe and does it hurt")
    assert [m.text for m in both.messages] == [
        answer
        for facet in ("safety", "pain")
        for answer in answers(brain, "whitening", facet)
        if answer in said(both)
    ]


async def test_an_upset_patient_gets_an_apology_and_a_person_never_a_sales_script(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "this is a rip off, $5000 for an implant??")
    assert outcome.intent == "upset"
    assert "sorry" in said(outcome).lower()
    assert "Altogether" not in said(outcome) and "New in our clinic" not in said(outcome)
    assert [c.label for m in outcome.messages for c in m.choices] == ["Talk to a person"]
    assert not outcome.effects  # a person is offered; the patient decides


async def test_a_clause_pointing_at_one_option_sets_the_subject_of_the_question_after_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is whitening in the office, and the home kit?")
    outcome = await front_desk.handle_text(
        PATIENT, "the home one then. how long do i wear them every day"
    )
    assert (outcome.intent, outcome.facet) == ("take_home_whitening", "duration")


async def test_plain_words_outweigh_the_learned_reading_of_a_follow_up(
    front_desk: FrontDesk,
) -> None:
    async def after(first: str, then: str, patient: str) -> tuple[str | None, str | None]:
        await front_desk.handle_text(patient, first)
        outcome = await front_desk.handle_text(patient, then)
        return outcome.intent, outcome.facet

    denture = await after(
        "my upper denture cracked, can you repair it?", "How long would I be without it?", "a"
    )
    assert denture == ("dentures", "duration")
    whitening = await after("how much is whitening", "same for my husband? he smokes tho", "b")
    assert whitening == ("whitening", "suitability")
    numbing = await after(
        "how long does the numbing last", "could they do it without numbing then?", "c"
    )
    assert numbing == ("anesthesia", "suitability")
    together = await after("do you take out wisdom teeth", "can they all be done at once?", "d")
    assert together == ("wisdom_teeth", "duration")
    years = await after("how much are braces", "does she have to wear them for years??", "e")
    assert years == ("orthodontics", "duration")
    means = await after(
        "do you do root canals",
        "my tooth hurts when i drink cold stuff, is that a root canal?",
        "f",
    )
    assert means == ("root_canal", "suitability")


async def test_a_part_asked_about_as_included_gets_yes_and_that_parts_price(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "does that include the crown?")
    reply = said(outcome)
    crown = brain.knowledge.components["implant_crown"]
    price = format_range(PriceRange(crown.low, crown.high), brain.knowledge.clinic.currency)
    assert reply.startswith("Yes") and f"{crown.name}, {price}" in reply


async def test_another_treatment_asked_about_as_included_gets_no_and_its_own_price(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a cleaning")
    outcome = await front_desk.handle_text(PATIENT, "does it include whitening?")
    reply = said(outcome)
    knowledge = brain.knowledge
    whitening = quote_bundle(
        knowledge.bundles[knowledge.services["whitening"].bundle], knowledge.components
    )
    assert reply.startswith("No")
    assert format_range(whitening.total, knowledge.clinic.currency) in reply


async def test_a_part_asked_about_as_extra_beside_another_question_gets_yes_too(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take out wisdom teeth?")
    outcome = await front_desk.handle_text(PATIENT, "do i need an xray first? and is that extra")
    assert "Yes, it's included" in said(outcome) or "Yes, that's counted in" in said(outcome)


async def test_a_price_compared_with_another_dentist_is_upset_not_a_case_for_the_staff(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "thats crazy expensive, my old dentist charged half"
    )
    assert outcome.intent == "upset" and "sorry" in said(outcome).lower()
    assert not outcome.effects  # a person is offered, not called


async def test_payment_plans_asked_beside_a_price_complaint_are_answered_after_the_apology(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much are full dentures?")
    outcome = await front_desk.handle_text(
        PATIENT, "that's probably too expensive. do you have payment plans or senior discounts?"
    )
    assert outcome.intent == "upset" and outcome.answered == ["payment", "discounts"]
    assert "sorry" in outcome.messages[0].text.lower()
    assert "installments" in said(outcome) and "Seniors" in said(outcome)
    assert [c.label for m in outcome.messages for c in m.choices] == ["Talk to a person"]
    months = await front_desk.handle_text(PATIENT, "over how many months can it be split?")
    assert months.intent == "payment"


async def test_another_service_named_in_passing_keeps_the_topic(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is teeth whitening?")
    outcome = await front_desk.handle_text(PATIENT, "will my crown go whiter too?")
    assert outcome.intent == "whitening"


async def test_asleep_or_awake_during_a_treatment_is_answered_by_the_sedation(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take out wisdom teeth?")
    outcome = await front_desk.handle_text(PATIENT, "will i be asleep for it or awake")
    assert outcome.intent == "sedation"
    assert "awake" in said(outcome)


@pytest.mark.parametrize(
    ("first", "asked"),
    [
        ("how much is a root canal", "can u sedate me for it im honestly terrified"),
        ("is my father too old for implants? he's 78", "would he need to be put to sleep for it"),
    ],
)
async def test_sedation_asked_for_during_a_treatment_is_the_sedation(
    front_desk: FrontDesk, first: str, asked: str
) -> None:
    await front_desk.handle_text(PATIENT, first)
    outcome = await front_desk.handle_text(PATIENT, asked)
    assert outcome.intent == "sedation"
    assert "$95" in said(outcome)


async def test_the_first_visit_after_the_laughing_gas_is_the_child_s(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my son is 7 and terrified, how do you deal with kids")
    await front_desk.handle_text(PATIENT, "is there laughing gas?")
    outcome = await front_desk.handle_text(PATIENT, "how much for the first visit")
    assert (outcome.intent, outcome.facet) == ("children", "price")


async def test_a_day_alone_after_the_hours_gets_that_day(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "are you open on saturdays")
    reply = said(await front_desk.handle_text(PATIENT, "sunday?"))
    assert "Sunday" in reply and "closed" in reply


async def test_what_about_carries_on_a_practical_topic(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you have any discounts")
    outcome = await front_desk.handle_text(PATIENT, "what about pensioners?")
    assert outcome.intent == "discounts"


async def test_a_time_given_after_the_booking_question_is_said_back(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "i'd like to book an appointment")
    reply = said(await front_desk.handle_text(PATIENT, "after 5 if possible"))
    assert "after 17:00" in reply
    refused = said(await front_desk.handle_text(PATIENT, "wed afternoon, not before 2"))
    assert "after 14:00" in refused


async def test_a_service_the_patient_says_they_have_not_is_no_new_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "is whitening ok while breastfeeding")
    await front_desk.handle_text(PATIENT, "not before, and no fillings in front")
    outcome = await front_desk.handle_text(PATIENT, "how many sessions")
    assert (outcome.intent, outcome.facet) == ("whitening", "duration")


async def test_can_my_daughter_have_it_too_is_the_topic_s_suitability(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do u do teeth whitening")
    outcome = await front_desk.handle_text(PATIENT, "can my daughter do it too? shes 15")
    assert (outcome.intent, outcome.facet) == ("whitening", "suitability")


async def test_and_for_two_prices_the_topic_for_two(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "and for 2?")
    assert outcome.route == "PriceTogether"
    assert "x 2" in said(outcome)


async def test_what_about_kids_is_the_topic_for_a_child(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you do whitening")
    outcome = await front_desk.handle_text(PATIENT, "wat about kids")
    assert (outcome.intent, outcome.facet) == ("whitening", "suitability")


async def test_the_person_button_of_a_medical_answer_can_be_typed_as_its_number(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants")
    await front_desk.handle_text(PATIENT, "can i get an implant when pregnant?")
    outcome = await front_desk.handle_text(PATIENT, "1")
    assert [e.reason for e in outcome.effects if isinstance(e, HandoffOpened)] == ["human"]


async def test_a_problem_told_with_the_question_is_not_asked_again(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "i lost a tooth, what are my options")
    reply = said(outcome)
    assert outcome.intent == "implants"
    assert not any(question in reply for question in brain.knowledge.services["implants"].question)
    assert "already missing" in reply and "Which days and times" in reply
    day = await front_desk.handle_text(PATIENT, "monday morning")
    assert "monday morning" in said(day)


async def test_a_tooth_that_still_has_to_come_out_is_no_problem_told(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "i need a wisdom tooth out, how much?")
    questions = brain.knowledge.services["wisdom_teeth"].question
    assert any(question in said(outcome) for question in questions)


async def test_all_four_prices_the_topic_four_times(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a filling")
    outcome = await front_desk.handle_text(PATIENT, "ok so whats the cost for all 4")
    assert outcome.route == "PriceTogether"
    assert "x 4" in said(outcome)


async def test_a_price_question_naming_a_multiword_service_opens_with_the_total(
    front_desk: FrontDesk,
) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "how much is a root canal"))
    assert reply.startswith("All in,")


async def test_two_close_readings_one_of_them_named_needs_no_did_you_mean(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "is there a cheaper option for implants")
    assert outcome.intent == "implants"


async def test_how_long_it_takes_after_the_sedation_aside_is_the_treatment_s_time(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(PATIENT, "could you put me to sleep for it")
    assert outcome.intent == "sedation"
    after = await front_desk.handle_text(PATIENT, "and how long does it take")
    assert (after.intent, after.facet) == ("root_canal", "duration")


async def test_asking_whether_we_do_sedation_during_a_treatment_asks_about_sedation(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "invisalign price")
    outcome = await front_desk.handle_text(PATIENT, "do you do sedation?")
    assert outcome.intent == "sedation"


async def test_another_service_named_right_after_the_bots_question_is_a_new_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers")
    outcome = await front_desk.handle_text(PATIENT, "night guard")
    assert outcome.intent == "night_guard"


async def test_a_two_word_price_question_opens_with_the_total(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "invisalign price")
    assert "".join(m.text for m in outcome.messages).startswith("All in,")


async def test_asking_for_a_service_for_a_condition_gets_the_suitability_answer(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "can i get implants if im pregnant")
    assert said(outcome).split("\n")[0] in answers(brain, "implants", "suitability")


async def test_asking_for_a_service_by_its_verb_gets_a_yes_and_the_whole_script(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "can i whiten my teeth")
    reply = said(outcome)
    assert reply.startswith("Yes")
    bundle = brain.knowledge.bundles[brain.knowledge.services["whitening"].bundle]
    total = quote_bundle(bundle, brain.knowledge.components).total
    assert format_range(total, brain.knowledge.clinic.currency) in reply


async def test_an_impatient_repeat_gets_an_apology_and_the_answer_without_an_ad(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "i asked a simple question. how much is the crown"
    )
    reply = said(outcome)
    assert reply.lower().startswith("sorry")
    assert "Ceramic crown" in reply  # the whole quote, part by part
    assert not [e for e in outcome.effects if isinstance(e, OfferShown | HandoffOpened)]


async def test_an_answer_naming_a_narrower_kind_moves_the_topic_to_it(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much to get a tooth pulled")
    await front_desk.handle_text(PATIENT, "its a wisdom tooth, bottom left, half out")
    outcome = await front_desk.handle_text(PATIENT, "how long till i can eat normally after")
    assert (outcome.intent, outcome.facet) == ("wisdom_teeth", "recovery")
    assert said(outcome) in answers(brain, "wisdom_teeth", "recovery")


async def test_one_clear_question_in_a_message_otherwise_off_topic_is_answered(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "where are you exactly? near the shopping centre?"
    )
    assert outcome.intent == "location"
    assert brain.knowledge.clinic.address in said(outcome)


async def test_what_happened_before_is_no_question_and_does_not_take_the_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "what is a dental bridge and would it work for me? tooth was pulled last month"
    )
    outcome = await front_desk.handle_text(PATIENT, "how long do they last usually")
    assert (outcome.intent, outcome.facet) == ("bridges", "longevity")


async def test_a_chip_to_be_fixed_with_a_named_treatment_stays_about_that_treatment(
    front_desk: FrontDesk,
) -> None:
    first = await front_desk.handle_text(
        PATIENT, "a little piece broke off my tooth, can that be fixed with a filling?"
    )
    assert first.intent == "filling"
    answer = await front_desk.handle_text(PATIENT, "top front one, just the corner chipped")
    assert answer.route == "AnswerToQuestion" and "upper front" in said(answer)
    outcome = await front_desk.handle_text(PATIENT, "will it match the colour of my other teeth")
    assert (outcome.intent, outcome.facet) == ("filling", "materials")


async def test_the_off_topic_reply_names_what_the_clinic_does_by_group_fit_for_a_phone(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "where can i get botox")
    reply = said(outcome)
    groups = {script.group for script in brain.knowledge.services.values()}
    assert all(f"• {group}:" in reply for group in groups)
    assert reply.count("\n") <= len(groups) + 2  # a line per group, not one per treatment


async def test_a_practical_question_answered_with_another_stays_the_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "Do you take Cigna? Also is there any student discount?")
    outcome = await front_desk.handle_text(PATIENT, "yes i'm a student at the state uni, 22")
    assert outcome.route != "OffTopic" and "dental clinic" not in said(outcome)


async def test_a_statement_naming_a_service_after_a_practical_answer_is_about_that_service(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you work with insurance companies?")
    outcome = await front_desk.handle_text(PATIENT, "it would be for a regular cleaning")
    assert outcome.intent == "hygiene"


async def test_a_price_question_beside_a_do_you_question_opens_with_the_total(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much is a root canal and do you work saturdays"
    )
    assert outcome.messages[0].text.startswith("All in")  # the total first, not "Yes, we do"
    assert "Saturday" in said(outcome)


async def test_how_many_months_until_it_is_done_is_a_question_of_how_long_it_takes(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants")
    outcome = await front_desk.handle_text(
        PATIENT, "how many months until i have a proper tooth there"
    )
    assert (outcome.intent, outcome.facet) == ("implants", "duration")


async def test_what_happens_if_i_wait_gets_an_honest_it_depends_on_the_service(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my dentist said i need a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "what happens if I just wait a few months? money is tight right now"
    )
    assert (outcome.intent, outcome.route) == ("root_canal", "IfWaiting")
    wordings = [brain.replies.text("if_waiting", turn) for turn in range(2)]
    assert said(outcome) in wordings
    after = await front_desk.handle_text(PATIENT, "can i eat right after or do i have to wait")
    assert (after.intent, after.facet) == ("root_canal", "recovery")


async def test_how_long_a_custom_one_would_last_is_how_long_it_lasts(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "Is a night guard made by a dentist really better than the pharmacy ones?"
    )
    outcome = await front_desk.handle_text(
        PATIENT, "How long would a custom one last compared to those?"
    )
    assert (outcome.intent, outcome.facet) == ("night_guard", "longevity")


async def test_a_bare_number_after_a_child_s_treatment_is_the_child_s_age(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "braces for my daughter")
    outcome = await front_desk.handle_text(PATIENT, "13")
    assert outcome.details.get("age") == "13"
    assert "age 13" in said(outcome)


async def test_a_bare_number_after_a_price_is_how_many_not_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a filling")
    outcome = await front_desk.handle_text(PATIENT, "2")
    assert outcome.route == "AnswerToQuestion"
    assert "2 teeth" in said(outcome) and "dental clinic" not in said(outcome)


async def test_the_price_asked_right_after_the_whole_script_is_short_and_points_back(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my dentist said i need a root canal")
    outcome = await front_desk.handle_text(PATIENT, "how much is it")
    assert (outcome.intent, outcome.facet) == ("root_canal", "price")
    assert said(outcome) in [brain.replies.repeated("root_canal", turn) for turn in range(2)]
    assert "•" not in said(outcome)


async def test_the_sedation_s_own_price_asked_during_a_treatment_is_its_price(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my son is 17 and needs his wisdom teeth out")
    price = await front_desk.handle_text(PATIENT, "and what does the sedation add on top")
    assert (price.intent, price.facet) == ("sedation", "price")
    knowledge = brain.knowledge
    bundle = knowledge.bundles[knowledge.services["sedation"].bundle]
    total = format_range(
        quote_bundle(bundle, knowledge.components).total, knowledge.clinic.currency
    )
    assert total in said(price)
    off_work = await front_desk.handle_text(PATIENT, "and how long will he be off school after")
    assert (off_work.intent, off_work.facet) == ("wisdom_teeth", "recovery")


async def test_general_anaesthetic_is_the_sedation(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a wisdom tooth removal")
    outcome = await front_desk.handle_text(
        PATIENT, "do you do general anaesthetic? what does that cost"
    )
    assert outcome.intent == "sedation"


async def test_needing_someone_to_drive_home_is_about_the_recovery_not_a_person(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "can i be sedated for my wisdom tooth removal?")
    outcome = await front_desk.handle_text(
        PATIENT, "And will I need someone to drive me home afterwards?"
    )
    assert outcome.facet == "recovery"
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("getting a molar out on thursday, scared of dry socket", ["extraction"]),
        ("can you do an x ray on my tooth", ["xray"]),
        ("can you check up on my order", []),
    ],
)
def test_a_tooth_out_names_the_extraction_and_on_after_a_name_keeps_it(
    brain: Brain, text: str, named: list[str]
) -> None:
    assert brain.facets.names_topics(text) == named


async def test_a_tooth_crowned_before_is_told_not_complained_of(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "My last one was crowned afterwards, would this one need the same?"
    )
    assert not [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]
    assert "front desk" not in said(outcome) and "sorry" not in said(outcome).lower()


async def test_a_crown_still_needed_after_a_root_canal_is_the_crown_s_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "and after that i need a crown right? how much is the crown"
    )
    assert outcome.intent == "crowns" and "root_canal" not in outcome.answered
    assert "ceramic crown comes to $1,620–$2,120" in said(outcome)


async def test_a_treatment_told_as_needed_is_what_the_questions_after_it_ask_about(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my dentist says i need a root canal. does it hurt and can i pay in parts"
    )
    assert outcome.answered == ["root_canal", "payment"]
    price = await front_desk.handle_text(PATIENT, "how much is it")
    assert (price.intent, price.facet) == ("root_canal", "price")


async def test_work_the_patient_already_has_does_not_become_the_subject(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do whitening")
    outcome = await front_desk.handle_text(
        PATIENT, "i have two crowns at the front, will they get whiter too?"
    )
    assert outcome.intent == "whitening"


async def test_how_many_visits_and_which_doctor_are_both_answered(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers")
    outcome = await front_desk.handle_text(PATIENT, "how many visits and which doctor does them")
    assert outcome.answered == ["veneers", "doctors"]
    assert said(outcome).startswith(tuple(answers(brain, "veneers", "duration")))


async def test_what_about_another_service_moves_on_to_it_whatever_else_is_asked(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do night guards?")
    outcome = await front_desk.handle_text(PATIENT, "ok and what about whitening, same time?")
    assert outcome.intent == "whitening"


async def test_a_treatment_priced_for_a_child_is_that_treatment_alone(
    front_desk: FrontDesk, brain: Brain
) -> None:
    quoted = await front_desk.handle_text(PATIENT, "how much braces for my son")
    assert "first visit" not in said(quoted).lower()
    await front_desk.handle_text(PATIENT, "12")
    how_long = await front_desk.handle_text(PATIENT, "how long")
    assert said(how_long) in answers(brain, "orthodontics", "duration")


async def test_the_numbing_asked_about_during_a_treatment_is_the_numbing(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do fillings hurt")
    outcome = await front_desk.handle_text(PATIENT, "numbing cost extra?")
    assert (outcome.intent, outcome.facet) == ("anesthesia", "price")


async def test_how_many_visits_after_the_numbing_goes_back_to_the_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    await front_desk.handle_text(PATIENT, "is the anesthesia safe")
    outcome = await front_desk.handle_text(PATIENT, "ok and how many visits?")
    assert (outcome.intent, outcome.facet) == ("root_canal", "duration")


async def test_a_treatment_asked_for_while_pregnant_answers_who_may_have_it(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "can i get a root canal while pregnant")
    assert (outcome.intent, outcome.facet) == ("root_canal", "suitability")
    assert "pregnan" in said(outcome)


async def test_the_price_of_the_sedation_named_after_a_treatment_is_its_price(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "For an implant, is it done with local anaesthetic or can I be sedated?"
    )
    await front_desk.handle_text(PATIENT, "It's just one implant, lower left.")
    outcome = await front_desk.handle_text(PATIENT, "How much does sedation add?")
    assert (outcome.intent, outcome.facet) == ("sedation", "price")


async def test_a_crown_that_came_off_is_seen_soon_and_a_new_one_priced(
    front_desk: FrontDesk,
) -> None:
    came_off = await front_desk.handle_text(
        PATIENT, "my wife's crown came off while eating. she kept it. can you glue it back on?"
    )
    assert came_off.intent == "emergency"
    new_one = await front_desk.handle_text(
        PATIENT, "if it cant be used again how much is a new crown"
    )
    assert (new_one.intent, new_one.facet) == ("crowns", "price")


async def test_the_size_of_a_bridge_told_after_it_is_noted(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(
        PATIENT, "i have an old bridge on the lower right and the tooth under it hurts now"
    )
    outcome = await front_desk.handle_text(PATIENT, "its a 3 unit one, made at another clinic")
    assert outcome.route == "AnswerToQuestion"
    assert "I didn't get that" not in said(outcome)


async def test_an_apology_before_a_question_asks_the_question(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "sorry, do you take walk ins?")
    assert outcome.intent == "booking"
    assert "dental clinic" not in said(outcome)


async def test_which_doctor_there_is_for_little_kids_names_the_doctor(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "which doctor do you have for little kids")
    assert outcome.intent == "doctors"
    pediatric = [d.name for d in brain.knowledge.clinic.doctors if "pediatric" in d.role.lower()]
    assert pediatric and pediatric[0] in said(outcome)


async def test_which_teeth_told_after_the_wisdom_tooth_is_noted(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "my wisdom tooth hurts")
    outcome = await front_desk.handle_text(PATIENT, "top, both sides")
    assert outcome.route == "AnswerToQuestion"
    assert "upper" in said(outcome)


async def test_same_day_alone_asks_whether_it_is_done_at_one_visit(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "same day?")
    assert (outcome.intent, outcome.facet) == ("implants", "duration")


async def test_the_treatment_named_to_come_after_becomes_the_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much to pull a molar")
    priced = await front_desk.handle_text(PATIENT, "and implant after, how much")
    assert (priced.intent, priced.facet) == ("implants", "price")
    hurts = await front_desk.handle_text(PATIENT, "hurts?")
    assert (hurts.intent, hurts.facet) == ("implants", "pain")


async def test_whose_it_is_told_in_broken_english_keeps_the_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "Hi. Aligners you have? The invisible braces I mean.")
    told = await front_desk.handle_text(PATIENT, "Is for me, I am 34. Front teeth bit crooked.")
    assert (told.route, told.intent) == ("AnswerToQuestion", "aligners")
    outcome = await front_desk.handle_text(PATIENT, "How many month I need to wear?")
    assert (outcome.intent, outcome.facet) == ("aligners", "duration")


async def test_normal_braces_after_aligners_are_the_braces_not_recovery(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are invisalign type aligners")
    outcome = await front_desk.handle_text(PATIENT, "and normal braces?")
    assert (outcome.intent, outcome.facet) == ("orthodontics", None)


async def test_a_regular_cleaning_during_whitening_is_the_cleaning(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is whitening")
    outcome = await front_desk.handle_text(PATIENT, "and for me, how much is a regular cleaning?")
    assert outcome.intent == "hygiene"


async def test_if_i_wait_alone_asks_what_waiting_would_mean(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(PATIENT, "if we just leave it?")
    assert outcome.route == "IfWaiting"


async def test_a_part_asked_if_we_do_it_beside_the_visit_is_answered_itself(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much is a check-up, and can you do x-rays as well?"
    )
    assert outcome.answered == ["checkup", "xray"]


async def test_another_treatment_of_two_words_asked_for_too_is_that_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much for 3 crowns")
    outcome = await front_desk.handle_text(PATIENT, "should i get a night guard too? how much")
    assert "night_guard" in [outcome.intent, *outcome.answered]
    assert "crowns" not in outcome.answered


async def test_two_questions_naming_a_day_after_which_day_suits_are_questions(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a cleaning")
    await front_desk.handle_text(PATIENT, "its been 2 years, my gums bleed a little")
    outcome = await front_desk.handle_text(
        PATIENT, "ok what time on saturday and do i need to book ahead"
    )
    assert outcome.answered == ["hours", "booking"]
    assert "14:00" in said(outcome)


async def test_the_price_of_a_check_up_asked_during_a_root_canal_is_the_check_up_s(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(PATIENT, "and how much is a checkup")
    assert outcome.intent == "checkup"
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    included = await front_desk.handle_text(PATIENT, "is the xray included?")
    assert included.intent == "root_canal"


@pytest.mark.parametrize(
    ("opening", "living_with_it", "service"),
    [
        ("do you do braces for teenagers", "can she play trumpet with them?", "orthodontics"),
        ("how much are clear aligners", "can i drink coffee with them in", "aligners"),
    ],
)
async def test_everyday_life_while_wearing_it_is_what_to_expect(
    front_desk: FrontDesk, brain: Brain, opening: str, living_with_it: str, service: str
) -> None:
    await front_desk.handle_text(PATIENT, opening)
    outcome = await front_desk.handle_text(PATIENT, living_with_it)
    assert said(outcome) in answers(brain, service, "recovery")


async def test_a_health_matter_asked_in_passing_gets_whom_it_suits_and_a_person_offered(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is deep cleaning for gums")
    await front_desk.handle_text(PATIENT, "does it hurt, you numb it?")
    outcome = await front_desk.handle_text(PATIENT, "even with diabetes? my sugars not great")
    assert said(outcome) in answers(brain, "gum_treatment", "suitability")
    assert [choice.label for message in outcome.messages for choice in message.choices] == [
        "Talk to a person"
    ]


@pytest.mark.parametrize(
    "condition", ["he has asthma, still ok?", "she has parkinsons too, can she manage them"]
)
async def test_a_serious_condition_named_on_a_treatment_goes_to_a_person(
    front_desk: FrontDesk, condition: str
) -> None:
    await front_desk.handle_text(PATIENT, "do you have laughing gas for children")
    outcome = await front_desk.handle_text(PATIENT, condition)
    assert [e.reason for e in outcome.effects if isinstance(e, HandoffOpened)] == ["medical"]


@pytest.mark.parametrize(
    ("opening", "per_unit", "service"),
    [
        ("do you do crowns", "is that per tooth", "crowns"),
        ("how much is deep cleaning for gums", "is that per quadrant?", "gum_treatment"),
    ],
)
async def test_whether_the_price_is_per_tooth_is_the_price(
    front_desk: FrontDesk, opening: str, per_unit: str, service: str
) -> None:
    await front_desk.handle_text(PATIENT, opening)
    outcome = await front_desk.handle_text(PATIENT, per_unit)
    assert (outcome.intent, outcome.facet) == (service, "price")
    assert "$" in said(outcome)


@pytest.mark.parametrize(
    ("opening", "follow_up", "service", "facet"),
    [
        (
            "do you do braces for teenagers",
            "and football with them on, ok?",
            "orthodontics",
            "recovery",
        ),
        ("how much are clear aligners", "how many hours a day then", "aligners", "duration"),
        (
            "do you do braces",
            "how often does he come in for tightening",
            "orthodontics",
            "duration",
        ),
        (
            "how much for a full set of dentures",
            "how many yrs until new ones",
            "dentures",
            "longevity",
        ),
        ("how much is a bridge", "how do i clean under it", "bridges", "recovery"),
        ("do you do whitening", "its not bad for my enamel right", "whitening", "safety"),
        ("do you do veneers", "can i bite into apples with them", "veneers", "recovery"),
    ],
)
async def test_a_short_follow_up_in_everyday_words_gets_its_facet(
    front_desk: FrontDesk, brain: Brain, opening: str, follow_up: str, service: str, facet: str
) -> None:
    await front_desk.handle_text(PATIENT, opening)
    outcome = await front_desk.handle_text(PATIENT, follow_up)
    assert said(outcome) in answers(brain, service, facet)


async def test_whether_a_crown_is_needed_after_a_root_canal_says_when_one_is(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much for a root canal on a molar")
    outcome = await front_desk.handle_text(PATIENT, "will i need a crown after")
    assert (outcome.intent, outcome.facet) == ("crowns", "suitability")
    assert "root canal" in said(outcome).split("\n\n")[0]


@pytest.mark.parametrize("question", ["swelling after, how many days", "bruising after? how long"])
async def test_a_symptom_after_and_how_long_is_what_to_expect_not_an_emergency(
    front_desk: FrontDesk, brain: Brain, question: str
) -> None:
    await front_desk.handle_text(PATIENT, "how much to take out a wisdom tooth")
    outcome = await front_desk.handle_text(PATIENT, question)
    assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]
    assert said(outcome) in answers(brain, "wisdom_teeth", "recovery")


async def test_leaving_with_teeth_the_same_day_asks_how_long_it_takes(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much are implants")
    outcome = await front_desk.handle_text(PATIENT, "do i leave with teeth the same day")
    assert said(outcome) in answers(brain, "implants", "duration")


async def test_a_denture_that_stays_put_asks_the_kinds_on_offer(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my mum needs new dentures, how much")
    outcome = await front_desk.handle_text(
        PATIENT, "is there anything that doesnt move, she hates the glue"
    )
    assert said(outcome) in answers(brain, "dentures", "materials")
    assert "implants" in said(outcome)


async def test_the_price_for_both_jaws_is_the_price_with_the_jaws_noted(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long is deep cleaning")
    await front_desk.handle_text(PATIENT, "gums swollen, bleed, bad breath")
    outcome = await front_desk.handle_text(PATIENT, "price both jaws")
    assert (outcome.intent, outcome.facet) == ("gum_treatment", "price")
    assert outcome.details["area"] == "upper and lower"


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("do i need an xray before wisdom tooth removal", "wisdom_teeth"),
        ("should I get a cleaning before whitening?", "whitening"),
    ],
)
async def test_a_step_before_a_treatment_is_that_treatment_s_preparation(
    front_desk: FrontDesk, brain: Brain, question: str, service: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, question)
    assert said(outcome).startswith(tuple(answers(brain, service, "preparation")))


@pytest.mark.parametrize(
    "question",
    ["do i have to wear them at night too", "can i take them out for a wedding in june"],
)
async def test_how_aligners_are_worn_day_to_day_is_what_living_with_them_means(
    front_desk: FrontDesk, brain: Brain, question: str
) -> None:
    await front_desk.handle_text(PATIENT, "do you do invisalign or those clear braces")
    outcome = await front_desk.handle_text(PATIENT, question)
    assert said(outcome) in answers(brain, "aligners", "recovery")
    assert "hours a day" in said(outcome)


@pytest.mark.parametrize(
    ("service_question", "service", "follow_up", "facet"),
    [
        ("i need a filling on a back tooth", "filling", "same day possible?", "duration"),
        ("how are wisdom teeth taken out", "wisdom_teeth", "both at once?", "duration"),
        ("what does a crown involve", "crowns", "so 2 visits total?", "duration"),
        ("do you make full dentures", "dentures", "she is 78 is ok?", "suitability"),
        ("do you do veneers", "veneers", "so for the 4 its just 4 times that?", "price"),
        (
            "tell me about the take home whitening kit",
            "take_home_whitening",
            "how long till i see a difference",
            "duration",
        ),
    ],
)
async def test_a_short_check_of_what_was_said_is_a_facet_of_the_topic(
    front_desk: FrontDesk,
    brain: Brain,
    service_question: str,
    service: str,
    follow_up: str,
    facet: str,
) -> None:
    first = await front_desk.handle_text(PATIENT, service_question)
    assert first.intent == service
    answer = await front_desk.handle_text(PATIENT, follow_up)
    assert (answer.route, answer.intent, answer.facet) == ("FollowUp", service, facet)
    assert brain.replies.text("not_understood", 0) not in said(answer)


@pytest.mark.parametrize(
    ("service_question", "service", "follow_up"),
    [
        ("how much is a root canal", "root_canal", "do i need someone to drive me home after"),
        ("do you do sedation", "sedation", "so i need someone to drive me home?"),
    ],
)
async def test_someone_to_drive_the_patient_home_is_the_recovery_not_a_person(
    front_desk: FrontDesk, service_question: str, service: str, follow_up: str
) -> None:
    await front_desk.handle_text(PATIENT, service_question)
    answer = await front_desk.handle_text(PATIENT, follow_up)
    assert not [effect for effect in answer.effects if isinstance(effect, HandoffOpened)]
    assert (answer.intent, answer.facet) == (service, "recovery")


@pytest.mark.parametrize(
    ("service_question", "service", "follow_up"),
    [
        (
            "how much is a crown",
            "crowns",
            "will i be walking around without a tooth while the new one gets made?",
        ),
        ("can i get an implant", "implants", "how long will i be without a tooth"),
        ("can i get an implant", "implants", "how long from start to actually having teeth"),
    ],
)
async def test_being_without_a_tooth_meanwhile_gets_the_stages_and_the_temporary_one(
    front_desk: FrontDesk, brain: Brain, service_question: str, service: str, follow_up: str
) -> None:
    await front_desk.handle_text(PATIENT, service_question)
    answer = await front_desk.handle_text(PATIENT, follow_up)
    assert said(answer) in answers(brain, service, "duration")
    assert "temporary" in said(answer)


@pytest.mark.parametrize(
    ("service_question", "service", "follow_up", "facet"),
    [
        ("do you make night guards", "night_guard", "last?", "longevity"),
        ("i need a wisdom tooth out", "wisdom_teeth", "work next day?", "recovery"),
        (
            "how much to pull a tooth",
            "extraction",
            "how long until the hole closes up",
            "recovery",
        ),
        ("do you make night guards", "night_guard", "every night he wears it?", "recovery"),
        ("can i get an implant", "implants", "will i need bone graft?", "suitability"),
    ],
)
async def test_a_few_words_about_the_days_after_or_the_bone_are_a_facet(
    front_desk: FrontDesk,
    brain: Brain,
    service_question: str,
    service: str,
    follow_up: str,
    facet: str,
) -> None:
    await front_desk.handle_text(PATIENT, service_question)
    answer = await front_desk.handle_text(PATIENT, follow_up)
    assert said(answer) in answers(brain, service, facet)


async def test_the_patient_s_own_childhood_does_not_make_it_about_children(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "can i get just one veneer?")
    visits = await front_desk.handle_text(
        PATIENT,
        "just the one, my front left tooth went grey after i fell off a trampoline as a kid. "
        "never hurt, its only the colour that bugs me. can it be done in one visit?",
    )
    assert (visits.intent, visits.facet) == ("veneers", "duration")
    match = await front_desk.handle_text(PATIENT, "will it match the rest of my teeth")
    assert said(match) in answers(brain, "veneers", "materials")


async def test_how_much_of_the_tooth_is_taken_off_is_the_veneer_s_preparation(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much are porcelain veneers")
    taken = await front_desk.handle_text(PATIENT, "Is a lot of the natural tooth removed?")
    assert said(taken) in answers(brain, "veneers", "preparation")


async def test_coffee_with_aligners_in_gets_the_wording_about_drinks(
    front_desk: FrontDesk, brain: Brain
) -> None:
    wordings = brain.knowledge.facet_replies["aligners"]["recovery"]
    assert not all("coffee" in wording for wording in wordings)  # else the test proves nothing
    for turn in range(2):  # whichever wording the rotation would give
        patient = f"console:coffee{turn}"
        await front_desk.handle_text(patient, "how much are aligners")
        outcome = await front_desk.handle_text(patient, "Can I drink coffee with them in?")
        assert "coffee" in said(outcome)


async def test_wearing_them_at_school_is_a_question_about_the_aligners(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my son is 16, could he have clear aligners instead?")
    school = await front_desk.handle_text(PATIENT, "does he have to wear them at school as well")
    assert (school.intent, school.facet) == ("aligners", "recovery")
    assert said(school) in answers(brain, "aligners", "recovery")


async def test_a_guard_from_the_pharmacy_is_weighed_against_a_custom_one(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you make night guards")
    shop = await front_desk.handle_text(PATIENT, "cant i just buy one at the pharmacy")
    assert (shop.intent, shop.facet) == ("night_guard", "materials")
    assert said(shop) in answers(brain, "night_guard", "materials")


async def test_the_gas_during_an_extraction_is_the_sedation(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much to get a tooth pulled")
    gas = await front_desk.handle_text(PATIENT, "and does the gas cost extra on top")
    assert (gas.intent, gas.facet) == ("sedation", "price")


async def test_a_specialist_who_recommended_a_treatment_does_not_make_it_about_braces(
    front_desk: FrontDesk,
) -> None:
    letter = await front_desk.handle_text(
        PATIENT,
        "Dear Sir or Madam, our orthodontist has recommended that our daughter, who is 17, has"
        " all four wisdom teeth removed before she leaves for university in September.",
    )
    assert letter.intent == "wisdom_teeth"
    told = await front_desk.handle_text(
        PATIENT, "They were seen on an X-ray taken by the orthodontist, who said impacted."
    )
    assert told.intent == "wisdom_teeth"
    recovery = await front_desk.handle_text(PATIENT, "How long should she allow for recovery?")
    assert (recovery.intent, recovery.facet) == ("wisdom_teeth", "recovery")


async def test_examples_after_does_that_include_everything_ask_one_thing(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "i need a crown on a lower molar, what do you charge")
    outcome = await front_desk.handle_text(
        PATIENT, "does that include everything? like the temporary one and xrays"
    )
    assert (outcome.intent, outcome.facet) == ("crowns", "price")
    assert "Yes" in said(outcome) and "X-ray" in said(outcome)
    material = await front_desk.handle_text(PATIENT, "zirconia or metal?")
    assert material.intent == "crowns"


async def test_a_kids_checkup_is_priced_as_the_children_s_first_visit(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "hello my 8 year old has a wobbly tooth")
    outcome = await front_desk.handle_text(PATIENT, "ok how much is a kids checkup")
    assert outcome.intent == "children"
    components = brain.knowledge.components
    assert components["pediatric_exam"].name in said(outcome)  # the child's, not an adult's
    assert components["exam"].name not in said(outcome)


async def test_come_in_or_wait_is_answered_as_what_waiting_would_mean(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "hello my 8 year old has a wobbly tooth")
    outcome = await front_desk.handle_text(PATIENT, "do we need to come in or wait")
    assert outcome.intent == "children"
    assert said(outcome) in [brain.replies.text("if_waiting", turn) for turn in range(2)]


async def test_the_option_pointed_at_with_how_about_is_the_one_answered(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you do whitening")
    home = await front_desk.handle_text(PATIENT, "what about the home one")
    assert home.intent == "take_home_whitening"
    office = await front_desk.handle_text(
        PATIENT, "how about the in office one, how long is the appointment"
    )
    assert (office.intent, office.facet) == ("whitening", "duration")
    assert said(office).split("\n\n")[0] in answers(brain, "whitening", "duration")


async def test_whether_veneers_look_fake_is_about_what_they_are_made_of(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "hi there, how much are veneers")
    outcome = await front_desk.handle_text(PATIENT, "do they look fake")
    assert (outcome.intent, outcome.facet) == ("veneers", "materials")


async def test_how_long_implants_last_shows_the_implants_warranty_not_every_treatment_s(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "how long do implants last")
    assert outcome.facet == "longevity"
    terms = {term.service: term.period for term in brain.knowledge.clinic.warranty.terms}
    assert f"• Implants: {terms['Implants']}" in said(outcome)
    assert f"• Fillings: {terms['Fillings']}" not in said(outcome)


async def test_a_follow_up_after_two_practical_asides_is_still_about_the_treatment(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much does a single implant cost with the crown?")
    await front_desk.handle_text(PATIENT, "Does insurance cover any of it? I have MetLife.")
    await front_desk.handle_text(PATIENT, "Where exactly are you located, and where can I park?")
    outcome = await front_desk.handle_text(
        PATIENT, "Ok. How long does the whole process take from start to finish?"
    )
    assert said(outcome).split("\n\n")[0] in answers(brain, "implants", "duration")  # no quote


async def test_a_price_asked_with_the_service_named_is_recorded_as_the_price_asked(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "Thank you. In the meantime, roughly how much is an extraction?"
    )
    assert outcome.messages[0].text.startswith("All in")
    assert (outcome.intent, outcome.facet) == ("extraction", "price")


async def test_what_the_free_check_up_finds_is_said_to_cost_the_list_price(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT,
        "I completed my implant treatment at your clinic in January and was told there is a"
        " free check-up after six months. What does it include?",
    )
    outcome = await front_desk.handle_text(
        PATIENT,
        "If the doctor finds something, for example a new cavity, will I have to pay for"
        " treating it?",
    )
    assert (outcome.intent, outcome.facet) == ("free_checkup", "price")
    assert "list price" in said(outcome)  # not only "as I mentioned, it is free"


async def test_the_permanent_crown_asked_about_during_the_temporary_s_aftercare_is_the_crown(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(
        PATIENT, "Got a temporary crown fitted yesterday and it's sensitive to cold. Normal?"
    )
    told = await front_desk.handle_text(
        PATIENT, "upper left premolar, only with cold drinks, not when i bite"
    )
    assert told.route == "AnswerToQuestion" and "upper left" in said(told)  # not "didn't get"
    ready = await front_desk.handle_text(PATIENT, "when will the permanent one be ready?")
    assert said(ready) in answers(brain, "crowns", "duration")  # no "what happened to it?"
    made_of = await front_desk.handle_text(PATIENT, "and what is the permanent one made of?")
    assert (made_of.intent, made_of.facet) == ("crowns", "materials")


async def test_how_long_a_symptom_lasts_is_how_it_heals_not_how_long_the_work_lasts(
    brain: Brain,
) -> None:
    for text in ("how long will the sensitivity last", "how long does the swelling last?"):
        assert brain.facets.match(text).facet == "recovery", text


async def test_can_i_choose_after_what_it_is_made_of_asks_among_the_materials(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "and what is it made of, can i choose?")
    assert (outcome.intent, outcome.facet) == ("crowns", "materials")  # not which doctor


async def test_a_safety_question_asked_as_harm_never_gets_a_yes_first(
    front_desk: FrontDesk,
) -> None:
    for _ in range(3):  # asked again, the wordings rotate
        outcome = await front_desk.handle_text(PATIENT, "is whitening bad for enamel?")
        assert (outcome.intent, outcome.facet) == ("whitening", "safety")
        assert not said(outcome).lower().startswith("yes"), said(outcome)


async def test_how_much_for_both_kids_on_a_child_s_treatment_is_that_treatment_s_price(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do sealants? my two boys are 7 and 9")
    outcome = await front_desk.handle_text(PATIENT, "how much would it be for both kids")
    assert (outcome.intent, outcome.facet) == ("sealants", "price")  # not a child's check-up
    after = await front_desk.handle_text(PATIENT, "how long do they last")
    assert (after.intent, after.facet) == ("sealants", "longevity")


async def test_the_first_thing_mentioned_points_back_to_the_treatment_before(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    await front_desk.handle_text(PATIENT, "and what about a bridge instead?")
    outcome = await front_desk.handle_text(PATIENT, "and the first thing you said, does it hurt")
    assert (outcome.intent, outcome.facet) == ("implants", "pain")


async def test_a_service_asked_after_one_told_is_the_one_answered(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my dentist says two teeth have to be pulled and i panic easily. do you do sedation?",
    )
    assert outcome.intent == "sedation"  # asked; the extraction is only why
    await front_desk.handle_text(PATIENT, "and how long does the extraction take")
    back = await front_desk.handle_text(PATIENT, "ok back to the calming stuff, how much is it")
    assert (back.intent, back.facet) == ("sedation", "price")


async def test_a_service_priced_compared_to_the_one_talked_about_is_the_one_priced(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long does an implant last")
    outcome = await front_desk.handle_text(PATIENT, "and the price of a bridge compared to that")
    assert (outcome.intent, outcome.facet) == ("bridges", "price")


async def test_a_question_opening_on_how_long_is_how_long_it_takes(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "how long am i stuck with no tooth there")
    assert (outcome.intent, outcome.facet) == ("implants", "duration")


@pytest.mark.parametrize(
    "text", ["can we split it over two visits", "could i do one side now and the other side later"]
)
async def test_treatment_spread_over_visits_asks_how_it_is_spread(
    front_desk: FrontDesk, text: str
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a deep cleaning of the gums")
    outcome = await front_desk.handle_text(PATIENT, text)
    assert (outcome.intent, outcome.facet) == ("gum_treatment", "duration")
    paying = await front_desk.handle_text(PATIENT, "can i pay in 2 goes")
    assert paying.facet != "duration"  # paying in parts is no treatment in stages


async def test_whether_something_found_would_be_charged_is_a_price_question_not_a_complaint(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "is the six month check up after treatment free")
    outcome = await front_desk.handle_text(
        PATIENT, "and if something new turns up is that charged"
    )
    assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]
    assert outcome.intent == "free_checkup" and "list price" in said(outcome)


@pytest.mark.parametrize("text", ["my 6yo ok?", "he plays rugby, ok?"])
async def test_a_few_words_about_the_patient_ending_on_ok_ask_if_it_suits_them(
    front_desk: FrontDesk, text: str
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a panoramic xray")
    outcome = await front_desk.handle_text(PATIENT, text)
    assert (outcome.intent, outcome.facet) == ("xray", "suitability")
    paid = await front_desk.handle_text(PATIENT, "amex ok?")
    assert paid.intent == "payment"  # a card named is the payment question


async def test_a_treatment_seen_on_an_x_ray_stays_the_subject(front_desk: FrontDesk) -> None:
    first = await front_desk.handle_text(
        PATIENT, "my daughter is 16 and her wisdom teeth are growing in crooked. can it wait?"
    )
    assert first.intent == "wisdom_teeth"  # what waiting means for her wisdom teeth
    told = await front_desk.handle_text(PATIENT, "they dont hurt, the dentist saw it on the x-ray")
    assert told.intent == "wisdom_teeth"  # the X-ray is where it was seen
    price = await front_desk.handle_text(PATIENT, "and how much roughly")
    assert (price.intent, price.facet) == ("wisdom_teeth", "price")
    together = await front_desk.handle_text(PATIENT, "are both done at once or separately?")
    assert (together.intent, together.facet) == ("wisdom_teeth", "duration")


async def test_a_grown_son_or_one_who_drives_the_patient_is_no_child_s_care(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT,
        "My son is 52 and his wisdom tooth keeps getting infected, how much to take it out?",
    )
    await front_desk.handle_text(PATIENT, "it hurts him now and then")
    after = await front_desk.handle_text(PATIENT, "how long will he be off work after")
    assert (after.intent, after.facet) == ("wisdom_teeth", "recovery")
    await front_desk.handle_text(PATIENT, "how long does a bridge take")
    visits = await front_desk.handle_text(
        PATIENT, "how many visits? my daughter takes time off work to drive me"
    )
    assert (visits.intent, visits.facet) == ("bridges", "duration")


async def test_a_day_something_happened_on_is_no_day_wished_for_a_visit(
    front_desk: FrontDesk,
) -> None:
    told = await front_desk.handle_text(
        PATIENT, "I am 70 and a corner of my old filling broke off on saturday."
    )
    assert "saturday" not in told.details.get("day", "")
    assert told.intent != "booking"  # the break was on saturday; no visit was asked for it


async def test_the_tooth_s_history_told_while_a_day_is_asked_is_more_of_the_problem(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a filling, mine broke")
    history = await front_desk.handle_text(PATIENT, "it was never crowned, just filled twice")
    assert history.route == "AnswerToQuestion"  # more of the problem, not "I didn't get that"


async def test_the_first_thing_pointed_back_to_is_the_treatment_before_the_comfort_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    await front_desk.handle_text(PATIENT, "do you do sedation for nervous people")
    back = await front_desk.handle_text(
        PATIENT, "and my original question, how long do they last?"
    )
    assert (back.intent, back.facet) == ("veneers", "longevity")  # not the sedation's
    price = await front_desk.handle_text(PATIENT, "whats the price")
    assert price.intent == "veneers"  # the veneers stay the subject


async def test_a_treatment_named_again_after_an_aside_gets_the_fact_asked_of_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do night guards")
    await front_desk.handle_text(PATIENT, "are you open on saturday")
    guard = await front_desk.handle_text(PATIENT, "nice. and for the guard how long does it last")
    assert (guard.intent, guard.facet) == ("night_guard", "longevity")  # not the whole script
    await front_desk.handle_text(PATIENT, "whats your address")
    scan = await front_desk.handle_text(PATIENT, "ok. and for the guard what is it made of")
    assert (scan.intent, scan.facet) == ("night_guard", "materials")
    await front_desk.handle_text(PATIENT, "do u do the whitening trays for home")
    await front_desk.handle_text(PATIENT, "whats ur hours on saturday")
    trays = await front_desk.handle_text(
        PATIENT, "cool. so for the trays how soon will i see a difference"
    )
    assert (trays.intent, trays.facet) == ("take_home_whitening", "duration")  # not off-topic


async def test_a_question_passed_on_for_someone_names_its_own_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "am i too old for veneers at 70? my teeth are yellow")
    await front_desk.handle_text(PATIENT, "the colour mostly")
    await front_desk.handle_text(PATIENT, "how long do they last")
    passed_on = await front_desk.handle_text(
        PATIENT, "my husband wants to know if hes too old for clear aligners, hes 72"
    )
    assert (passed_on.intent, passed_on.facet) == ("aligners", "suitability")


async def test_whether_a_crown_is_needed_after_the_treatment_is_asked_of_the_crown(
    front_desk: FrontDesk,
) -> None:
    alone = await front_desk.handle_text(PATIENT, "do i need a crown after a root canal")
    assert (alone.intent, alone.facet) == ("crowns", "suitability")  # not how long it lasts
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    await front_desk.handle_text(PATIENT, "its my lower left molar, it aches with cold")
    back = await front_desk.handle_text(
        PATIENT, "back to the root canal, will i need a crown after"
    )
    assert (back.intent, back.facet) == ("crowns", "suitability")  # not the recovery


async def test_a_subject_named_again_before_a_question_gets_only_that_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    await front_desk.handle_text(PATIENT, "do you do payment plans")
    back = await front_desk.handle_text(
        PATIENT, "ok so the veneers, are they bad for the teeth underneath"
    )
    assert (back.intent, back.facet) == ("veneers", "safety")
    assert back.answered == [] and len(back.messages) == 1  # not the whole script again
