"""The reply fits the question: yes/no openings, the day asked about, details not asked twice."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core import Brain, FrontDesk, Outcome, preview
from bot.core.outcome import HandoffOpened
from bot.details import split_questions
from bot.hours import days_named, hours_on
from bot.pricing import format_range, quote_together
from bot.store import Store

PATIENT = "console:noor"


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


async def test_weekend_question_names_saturday_hours_and_a_closed_sunday(
    front_desk: FrontDesk,
) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "do you work weekends?"))
    assert "Saturday" in reply and "09:00–14:00" in reply
    assert "closed on Sunday" in reply
    assert "Monday" not in reply  # not the whole week's table


async def test_a_paid_service_asked_if_free_gets_a_plain_no_first(front_desk: FrontDesk) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "is the first consultation free?"))
    assert reply.startswith("No,")
    assert "$155" in reply


async def test_yes_opens_only_a_do_you_do_it_question(front_desk: FrontDesk, brain: Brain) -> None:
    yes_wordings = brain.knowledge.services["crowns"].yes
    asked = said(await front_desk.handle_text(PATIENT, "do you make crowns?"))
    assert any(asked.startswith(wording) for wording in yes_wordings)
    priced = said(await front_desk.handle_text("console:other", "how much is a crown"))
    assert not any(priced.startswith(wording) for wording in yes_wordings)
    assert priced.startswith("All in,")


async def test_a_yes_no_question_about_a_side_of_a_service_gets_that_side(
    front_desk: FrontDesk, brain: Brain
) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "do implants hurt?"))
    pain = [brain.replies.facet("implants", "pain", turn) or "" for turn in range(3)]
    assert any(reply.startswith(wording) for wording in pain)
    assert not reply.startswith("Yes, we")


async def test_a_child_s_age_given_is_never_asked_again(front_desk: FrontDesk) -> None:
    reply = said(
        await front_desk.handle_text(
            PATIENT, "my kid is 6 and has a black spot, do you treat children?"
        )
    )
    assert "how old" not in reply.lower() and "age" not in reply.lower().split()


async def test_a_booking_with_its_day_is_noted_not_asked_again(front_desk: FrontDesk) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "can i come on saturday morning"))
    assert "saturday morning" in reply.lower()
    assert "which day" not in reply.lower()


async def test_preview_answers_like_the_bot_and_keeps_nothing(
    front_desk: FrontDesk, store: Store
) -> None:
    match, messages = preview(front_desk.brain, "do you work weekends?", dt.date(2026, 11, 25))
    assert match.intent == "hours"
    assert "closed on Sunday" in messages[0].text
    assert await store.patients.find("preview:0") is None


def test_opening_hours_lines_cover_ranges_and_lists(brain: Brain) -> None:
    assert days_named("Monday-Friday") == {"monday", "tuesday", "wednesday", "thursday", "friday"}
    assert days_named("Tuesday and Thursday") == {"tuesday", "thursday"}
    clinic = brain.knowledge.clinic
    assert hours_on(clinic, "wednesday") == ("08:00", "19:00")
    assert hours_on(clinic, "sunday") is None


async def test_a_total_for_two_treatments_counts_the_shared_exam_once(
    front_desk: FrontDesk,
) -> None:
    reply = said(
        await front_desk.handle_text(
            PATIENT, "so if i need a root canal and a crown on the same tooth, how much in total?"
        )
    )
    assert reply.startswith("Altogether: $2,730–$3,930")
    assert "Root canal treatment with build-up: $1,205–$1,905" in reply
    assert "Ceramic crown: $1,620–$2,120" in reply
    assert "Counted once" in reply and "exam" in reply


async def test_two_implants_are_priced_per_tooth_with_the_scan_once(
    front_desk: FrontDesk,
) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "how much for 2 implants?"))
    assert "Crown on the implant (by material) x 2: $2,400–$3,600" in reply
    assert "• CBCT 3D scan: $350" in reply


@pytest.mark.parametrize(
    "text",
    ["i need 3 crowns on my upper front teeth, do you do them?", "do you do crowns? i need three"],
)
async def test_the_script_for_several_teeth_is_priced_for_all_of_them(
    front_desk: FrontDesk, text: str
) -> None:
    reply = said(await front_desk.handle_text(PATIENT, text))
    assert "Altogether: $4,670–$6,170 for ceramic crown x 3" in reply
    assert "• Temporary crown x 3: $360" in reply
    assert "Counted once" in reply and "• Comprehensive exam and consultation: $95" in reply


async def test_times_three_after_a_crown_prices_three(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "what do crowns cost")
    outcome = await front_desk.handle_text(PATIENT, "price for the zirconia ones x3")
    assert "ceramic crown x 3" in said(outcome)


async def test_a_repeated_question_gets_a_short_answer_not_the_script_again(
    front_desk: FrontDesk,
) -> None:
    first = said(await front_desk.handle_text(PATIENT, "how much is a root canal"))
    again = said(await front_desk.handle_text(PATIENT, "how much is a root canal?"))
    assert "$1,205–$1,905" in again
    assert len(again) < len(first) / 2
    assert "Rubber dam" not in again


async def test_a_treatment_for_a_child_is_answered_as_that_treatment(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "my daughter is 12 and needs braces")
    assert outcome.intent == "orthodontics"
    follow_up = await front_desk.handle_text(PATIENT, "do they hurt")
    assert (follow_up.intent, follow_up.facet) == ("orthodontics", "pain")


async def test_a_sales_pitch_after_the_bots_question_is_not_taken_as_the_answer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants?")
    pitch = await front_desk.handle_text(
        PATIENT, "we offer SEO services for dental clinics, reply for a free audit"
    )
    assert pitch.intent == "off_topic"
    assert not pitch.effects


async def test_two_questions_with_a_day_get_that_day_s_hours(
    front_desk: FrontDesk, brain: Brain
) -> None:
    reply = said(
        await front_desk.handle_text(
            PATIENT, "how much is whitening and do you work on saturdays?"
        )
    )
    whitening = brain.replies.service("whitening", 0, "")
    total = whitening.split("Altogether: ")[-1].split(".")[0]  # the bundle's own total
    assert total.startswith("$") and total in reply
    assert "Saturday" in reply and "Monday-Friday" not in reply


async def test_a_named_insurer_is_answered_by_name(front_desk: FrontDesk) -> None:
    reply = said(await front_desk.handle_text(PATIENT, "do you take cigna?"))
    assert reply.count("Cigna") >= 2  # named, and what to ask Cigna
    assert "out-of-network" in reply


async def test_the_answer_fits_the_age_given(front_desk: FrontDesk, brain: Brain) -> None:
    (under_18,) = [note for note in brain.knowledge.services["implants"].ages if note.below == 18]
    young = said(await front_desk.handle_text(PATIENT, "my son is 15, can he get implants?"))
    assert under_18.note in young
    grown = said(await front_desk.handle_text("console:adult", "can i get implants? i'm 40"))
    assert under_18.note not in grown


async def test_a_childs_wobbly_tooth_gets_the_extractions_note_for_children(
    front_desk: FrontDesk, brain: Brain
) -> None:
    (child,) = [note for note in brain.knowledge.services["extraction"].ages if note.below]
    reply = said(
        await front_desk.handle_text(
            PATIENT, "my 7 year old has a wobbly front tooth, should i pull it?"
        )
    )
    assert child.note in reply


async def test_a_service_and_a_day_in_one_message_get_both(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much is whitening and do you do it on saturdays"
    )
    reply = said(outcome)
    assert "Altogether" in reply and "Saturday" in reply
    assert outcome.answered == ["whitening", "hours"]


async def test_a_price_and_a_separate_question_are_not_summed(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "how much is cleaning? also do u do whitening")
    assert outcome.answered == ["hygiene", "whitening"]
    assert outcome.route == "Several"  # each answered, not one total for both


async def test_a_yes_after_a_practical_answer_is_not_called_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "any student discount?")
    outcome = await front_desk.handle_text(PATIENT, "yes im at uni")
    assert outcome.route == "Acknowledge"
    assert "dental clinic" not in said(outcome)


async def test_a_message_about_a_tooth_is_never_called_off_topic(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "i lost a tooth, what are my options")
    assert outcome.route != "OffTopic"
    assert "dental clinic" not in said(outcome)


async def test_chat_spelling_r_u_still_splits_two_questions(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much is teeth whitening and r u open on saturday"
    )
    assert outcome.answered == ["whitening", "hours"]
    assert "Altogether" in said(outcome) and "Saturday" in said(outcome)


async def test_a_booking_request_naming_two_services_starts_one_request(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "can i book checkups for me and my 2 kids at the same time"
    )
    assert outcome.intent == "booking"
    assert "Which days and times suit you" in said(outcome)


async def test_ages_told_while_a_request_waits_for_a_day_are_noted_and_the_day_asked_again(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "can i book checkups for me and my 2 kids")
    reply = said(await front_desk.handle_text(PATIENT, "they're 6 and 9"))
    assert reply.startswith("Noted: ages 6 and 9.")
    assert "Which days and times suit you" in reply


async def test_and_a_service_after_the_bots_question_is_a_new_question_not_the_answer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an x-ray")
    outcome = await front_desk.handle_text(PATIENT, "ok and a cleaning")
    assert outcome.intent == "hygiene"
    assert outcome.route == "Answer"


async def test_a_follow_up_with_a_remark_after_it_is_still_the_follow_up(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my denture cracked in half, can you fix it")
    outcome = await front_desk.handle_text(
        PATIENT, "how long will it take, i cant go out without my teeth lol"
    )
    assert (outcome.intent, outcome.facet) == ("dentures", "duration")


async def test_an_age_and_a_question_in_one_breath_is_a_question_not_an_answer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "whats the difference between invisalign and braces")
    outcome = await front_desk.handle_text(PATIENT, "im 34 is it too late for me")
    assert (outcome.intent, outcome.facet) == ("aligners", "suitability")


async def test_thanks_before_a_request_for_a_call_hands_over(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "ok thank you. can the doctor call me before i book anything"
    )
    assert [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]


async def test_a_condition_asked_about_a_treatment_goes_to_the_doctor_but_a_prescription_does_not(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do sedation? im terrified of dentists")
    asked = await front_desk.handle_text(
        PATIENT, "is it safe for me? i have high blood pressure and take pills for it"
    )
    assert [effect for effect in asked.effects if isinstance(effect, HandoffOpened)]
    elsewhere = await front_desk.handle_text(
        "console:other",
        "i ran out of my blood pressure pills, can your doctor write me a prescription",
    )
    assert not [effect for effect in elsewhere.effects if isinstance(effect, HandoffOpened)]


async def test_is_it_even_worth_it_during_a_treatment_is_about_that_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "does a root canal hurt a lot")
    outcome = await front_desk.handle_text(PATIENT, "is it even worth it")
    assert outcome.intent == "root_canal"
    assert "dental clinic" not in said(outcome)


async def test_two_options_weighed_against_each_other_get_one_answer_about_the_options(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much does a crown cost")
    outcome = await front_desk.handle_text(PATIENT, "metal-free vs zirconia? whats the diff")
    assert (outcome.intent, outcome.facet) == ("crowns", "materials")
    assert len(outcome.messages) == 1  # not one whole crown script per material named


async def test_a_child_named_as_who_braces_are_for_keeps_the_braces_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do braces")
    outcome = await front_desk.handle_text(
        PATIENT, "ceramic or metal ones, which would be better for my son?"
    )
    assert (outcome.intent, outcome.facet) == ("orthodontics", "materials")


async def test_worse_instead_of_better_after_a_treatment_goes_to_a_person(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "got a wisdom tooth removed on friday, is aching normal")
    outcome = await front_desk.handle_text(PATIENT, "ok but it keeps getting worse every day")
    opened = [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]
    assert [effect.reason for effect in opened] == ["aftercare"]
    assert "doctor" in said(outcome)


async def test_a_patient_saying_it_is_not_getting_worse_gets_the_advice_not_a_person(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "had a tooth pulled yesterday, is a bit of ache normal")
    outcome = await front_desk.handle_text(
        PATIENT, "it's not getting worse, when can i eat normally again"
    )
    assert not [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]


async def test_the_warranty_asked_by_name_during_a_treatment_gets_the_written_terms(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers")
    asked = await front_desk.handle_text(PATIENT, "and do they come with a guarantee?")
    assert asked.intent == "warranty"
    assert "check-up" in said(asked)  # the conditions, not only "no one can promise years"


async def test_a_question_about_the_warranty_just_explained_is_answered_from_its_terms(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long is your guarantee on fillings")
    more = await front_desk.handle_text(PATIENT, "what would make it invalid?")
    assert more.intent == "warranty"
    assert "didn't get that" not in said(more)


async def test_a_visit_asked_after_the_warranty_is_a_visit_not_the_terms_again(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long is your guarantee on fillings")
    visit = await front_desk.handle_text(PATIENT, "can someone see me this week")
    assert visit.intent == "booking"


async def test_what_if_i_need_three_after_a_price_prices_three_of_that_service(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "whats the price of a crown")
    outcome = await front_desk.handle_text(PATIENT, "and what if i need three?")
    assert "x 3" in said(outcome)
    assert "dental clinic" not in said(outcome)


async def test_a_loose_question_about_the_subject_at_hand_gets_that_subject(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take delta dental insurance")
    outcome = await front_desk.handle_text(
        PATIENT, "do i pay first and claim back or do you bill them directly"
    )
    assert outcome.intent == "insurance"
    assert "receipt" in said(outcome)
    assert "didn't get that" not in said(outcome)


async def test_a_question_opening_with_a_preposition_is_read_as_a_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "just had my whitening done, what am i not allowed to eat"
    )
    outcome = await front_desk.handle_text(PATIENT, "for how many days")
    assert outcome.intent == "aftercare"
    assert "dental clinic" not in said(outcome)


async def test_a_visit_asked_for_a_day_during_a_treatment_starts_a_request(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long do aligners take")
    outcome = await front_desk.handle_text(PATIENT, "ok. is a saturday consult possible")
    assert outcome.intent == "booking"
    assert "front desk" in said(outcome)


async def test_an_insurer_named_while_insurance_is_the_subject_is_answered_for_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take cigna insurance")
    outcome = await front_desk.handle_text(
        PATIENT, "and my wife is on Guardian, would that work too"
    )
    assert outcome.intent == "insurance"
    assert "Guardian" in said(outcome)


async def test_a_visit_wished_in_loose_words_starts_a_request(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "can i schedule a cleaning for next week")
    assert outcome.intent == "booking"
    other = await front_desk.handle_text("patient-2", "need an appt for a checkup")
    assert other.intent == "booking"


async def test_the_price_or_an_age_asked_in_few_words_is_a_follow_up(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do sealants")
    priced = await front_desk.handle_text(PATIENT, "price per tooth?")
    assert (priced.intent, priced.facet) == ("sealants", "price")
    assert "$" in said(priced)
    await front_desk.handle_text(PATIENT, "do u do braces")
    aged = await front_desk.handle_text(PATIENT, "is 12 a good age to start or should we wait")
    assert aged.facet == "suitability"
    assert "dental clinic" not in said(aged)


async def test_two_practical_subjects_in_one_question_get_both_answers(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "do you at least have any discounts or payment plans"
    )
    assert outcome.answered == ["discounts", "payment"]
    assert len(outcome.messages) == 2


async def test_a_day_s_hours_asked_with_urgent_care_are_given_and_counted(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "what time do you close on saturday and do you take walk-ins for emergencies"
    )
    assert outcome.answered == ["emergency", "hours"]
    assert "Saturday" in said(outcome)


async def test_an_insurer_whose_name_holds_a_service_word_stays_an_insurer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "hi, do you take cigna insurance?")
    outcome = await front_desk.handle_text(PATIENT, "and my husband is on guardian, same thing?")
    assert outcome.intent == "insurance"
    assert "night guard" not in said(outcome).lower()


async def test_a_practical_question_after_the_bot_s_question_is_a_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you make night guards")
    outcome = await front_desk.handle_text(PATIENT, "any discounts or payment plans")
    assert outcome.answered == ["discounts", "payment"]
    assert "noted" not in said(outcome).lower()


async def test_going_back_to_a_treatment_with_a_question_answers_that_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do teeth cleaning for kids too")
    await front_desk.handle_text(PATIENT, "also do u know a good place to get glasses around here")
    outcome = await front_desk.handle_text(PATIENT, "ok nvm, back to the cleaning, how much is it")
    assert (outcome.intent, outcome.facet) == ("hygiene", "price")
    assert "tender" not in said(outcome)  # not the recovery, read from "back to"


async def test_an_answer_that_denies_pain_is_an_answer_not_a_pain_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much for a panoramic xray")
    outcome = await front_desk.handle_text(
        PATIENT, "my orthodontist asked for one, no pain or anything"
    )
    assert outcome.route == "AnswerToQuestion"
    assert "didn't get that" not in said(outcome)


async def test_a_clause_naming_a_treatment_points_the_next_question_at_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal on a molar")
    outcome = await front_desk.handle_text(
        PATIENT, "ok and for the crown after the root canal, how long?"
    )
    assert (outcome.intent, outcome.facet) == ("crowns", "duration")
    again = await front_desk.handle_text(PATIENT, "ok and back to the extraction, does it hurt")
    assert (again.intent, again.facet) == ("extraction", "pain")


async def test_the_warranty_asked_for_one_treatment_gives_that_treatment_s_period(
    front_desk: FrontDesk,
) -> None:
    crowns = await front_desk.handle_text(PATIENT, "do you give a guarantee on crowns")
    assert "5 years" in said(crowns) and "Fillings" not in said(crowns)
    years = await front_desk.handle_text(PATIENT, "how many years")
    assert years.intent == "warranty" and "5 years" in said(years)
    fillings = await front_desk.handle_text(PATIENT, "and for fillings?")
    assert fillings.intent == "warranty" and "fillings: 2 years" in said(fillings)
    voided = await front_desk.handle_text(PATIENT, "what would void it")
    assert "trauma" in said(voided)  # the conditions, in full


async def test_a_practical_question_about_a_treatment_keeps_the_treatment_for_its_price(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you have payment plans for implants")
    months = await front_desk.handle_text(PATIENT, "over how many months")
    assert months.intent != "implants"  # the plan's months, not the implant's
    outcome = await front_desk.handle_text(PATIENT, "and the total would be roughly?")
    assert (outcome.intent, outcome.facet) == ("implants", "price")
    assert not outcome.effects  # no hand-over


async def test_teeth_counted_in_an_answer_are_priced_when_the_price_is_asked(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants")
    noted = said(await front_desk.handle_text(PATIENT, "im missing 3 on the bottom"))
    assert "3 teeth" in noted
    priced = said(await front_desk.handle_text(PATIENT, "how much would that be"))
    assert "Crown on the implant (by material) x 3: $3,600–$5,400" in priced
    assert "is it already missing" not in priced  # told already: not asked again


async def test_teeth_counted_with_a_word_before_teeth_are_priced_for_that_many(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    await front_desk.handle_text(PATIENT, "She has two missing teeth at the bottom.")
    priced = said(await front_desk.handle_text(PATIENT, "What would it cost for both?"))
    assert "Crown on the implant (by material) x 2" in priced


async def test_a_count_told_on_one_treatment_does_not_price_another(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers")
    await front_desk.handle_text(PATIENT, "it'd be the top front ones, probably 6")
    await front_desk.handle_text(PATIENT, "ok and do you do whitening too?")
    priced = said(await front_desk.handle_text(PATIENT, "how much"))
    assert " x 6" not in priced


async def test_a_fear_that_it_will_hurt_is_answered_about_the_pain(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you make dentures?")
    outcome = await front_desk.handle_text(PATIENT, "im worried theyll rub and make my gums sore")
    assert (outcome.intent, outcome.facet) == ("dentures", "pain")
    assert said(outcome) in brain.knowledge.facet_replies["dentures"]["pain"]
    assert "noted" not in said(outcome)


async def test_if_it_was_just_two_after_a_price_prices_two(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "ok and if it was just 2?")
    assert "x 2" in said(outcome)


async def test_who_does_a_treatment_names_the_doctors_who_do_it(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants")
    reply = said(await front_desk.handle_text(PATIENT, "who does the implants"))
    assert "Dr. Daniel Okafor" in reply and "Dr. Samuel Brandt" in reply
    assert "Dr. Laura Chen" not in reply  # the orthodontist does no implants


async def test_after_who_would_do_it_a_follow_up_is_still_about_the_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    who = said(await front_desk.handle_text(PATIENT, "who would do it"))
    assert "Dr. Priya Raman" in who
    outcome = await front_desk.handle_text(PATIENT, "how long does it take")
    assert (outcome.intent, outcome.facet) == ("root_canal", "duration")


async def test_does_it_cover_a_treatment_is_about_the_insurance_not_the_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take insurance")
    outcome = await front_desk.handle_text(PATIENT, "does it cover cleanings")
    assert outcome.intent == "insurance"
    assert "a cleaning" in said(outcome) and "$225" not in said(outcome)


async def test_i_dont_get_it_is_an_apology_and_a_person_not_an_opt_out(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "i dont get it")
    assert outcome.intent != "opt_out"
    assert "sorry" in said(outcome).lower()
    assert any("person" in choice.label.lower() for choice in outcome.messages[-1].choices)
    assert "won't send you any more messages" not in said(outcome)


async def test_a_question_beside_i_dont_understand_is_answered(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you work saturdays")
    outcome = await front_desk.handle_text(
        PATIENT, "sorry i dont understand. saturday open or not? what time"
    )
    assert "09:00" in said(outcome)
    assert "won't send you any more messages" not in said(outcome)


async def test_a_plain_follow_up_half_read_as_a_complaint_is_answered(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is whitening")
    outcome = await front_desk.handle_text(PATIENT, "ok and the result stays how long")
    assert (outcome.intent, outcome.facet) == ("whitening", "longevity")
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_a_dissatisfied_patient_is_still_handed_over(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is whitening")
    outcome = await front_desk.handle_text(
        PATIENT, "i had it done here and im not happy with the result, how long should it take"
    )
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_total_for_both_after_two_treatments_prices_the_two_together(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    await front_desk.handle_text(PATIENT, "and a root canal?")
    reply = said(await front_desk.handle_text(PATIENT, "and total for both?"))
    assert reply.startswith("Altogether: $2,730–$3,930")


async def test_what_the_two_cost_together_prices_both_named_services(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "Should I get a cleaning before whitening? And what do the two cost together?"
    )
    assert said(outcome).startswith("Altogether: $940")
    assert set(outcome.answered) == {"hygiene", "whitening"}


async def test_coming_together_without_a_price_is_no_combined_quote(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "can my wife and i come together on friday")
    assert "Altogether" not in said(outcome)


async def test_a_question_about_the_weather_mid_conversation_is_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a cleaning, and do you treat kids?")
    outcome = await front_desk.handle_text(PATIENT, "is it going to rain later?")
    assert outcome.intent == "off_topic"


async def test_shock_at_a_price_gets_an_apology_not_a_case_or_a_thank_you(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(
        PATIENT, "seriously?? thats insane for one tooth, im not made of money"
    )
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)
    assert "sorry" in said(outcome).lower()
    assert "Thank you" not in said(outcome)


async def test_too_pricey_with_a_question_about_another_option_answers_the_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(
        PATIENT, "ok too pricey, what about dentures then, how long do they take"
    )
    assert "sorry" not in said(outcome).lower()


async def test_does_it_cover_right_after_the_insurance_answer_is_about_the_plan(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers?")
    await front_desk.handle_text(PATIENT, "do you take insurance")
    outcome = await front_desk.handle_text(PATIENT, "does it cover cleanings")
    assert outcome.intent == "insurance"
    assert "$225" not in said(outcome)


async def test_does_the_price_cover_a_part_is_not_an_insurance_question(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "does the price cover the crown too?")
    assert outcome.intent != "insurance"


async def test_a_treatment_asked_for_on_a_day_gets_the_treatment_and_that_day(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "fine. do u do checkups on saturdays")
    assert outcome.answered == ["checkup", "hours"]
    assert "09:00–14:00" in said(outcome) and "dental clinic" not in said(outcome)


async def test_a_day_and_time_proposed_after_a_treatment_starts_a_request_for_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    outcome = await front_desk.handle_text(PATIENT, "can we do thurs 4:30")
    assert outcome.intent == "booking"
    assert "veneers" in said(outcome) and "16:30" in said(outcome)


async def test_a_treatment_left_out_is_not_what_the_visit_is_for(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a checkup and xray")
    outcome = await front_desk.handle_text(PATIENT, "ok ill skip the xray for now. can i come wed")
    assert outcome.intent == "booking"
    noted = said(outcome).split("Noted")[-1]
    assert "check-up" in noted and "X-ray" not in noted


async def test_a_question_on_the_treatment_after_the_insurance_is_about_the_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "cleaning how much and does insurance cover it")
    await front_desk.handle_text(PATIENT, "i have cigna")
    outcome = await front_desk.handle_text(PATIENT, "how long is the appt")
    assert (outcome.intent, outcome.facet) == ("hygiene", "duration")


async def test_a_broken_tooth_told_after_asking_about_urgent_care_is_advice_not_a_case(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do u do emergency appts on sundays?")
    outcome = await front_desk.handle_text(
        PATIENT, "chipped tooth, doesnt really hurt just a sharp edge cutting my tongue"
    )
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)
    assert "painkiller" in said(outcome)


async def test_the_warranty_and_how_long_it_lasts_asked_together_get_both(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "do u give a warranty on crowns? and how long do they normally last"
    )
    assert outcome.answered == ["warranty", "crowns"]


async def test_a_treatment_named_in_one_clause_is_what_it_means_in_the_next(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "lost a filling 😩 r u open today and how much to redo it"
    )
    assert outcome.answered == ["hours", "filling"]
    assert "$335–$505" in said(outcome)


async def test_a_question_naming_a_treatment_is_answered_beside_a_visit_asked_for(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "is the first checkup really free? can i book sat"
    )
    assert outcome.answered[:1] == ["free_checkup"]


async def test_ok_with_a_thumbs_up_is_an_acknowledgement_not_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "ok 👍")
    assert "dental clinic" not in said(outcome)
    assert outcome.route == "Acknowledge"


async def test_the_first_option_is_the_treatment_weighed_before(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    await front_desk.handle_text(PATIENT, "what warranty do you give?")
    await front_desk.handle_text(PATIENT, "and a bridge, how long does that last?")
    outcome = await front_desk.handle_text(PATIENT, "hmm ok. and the first option, does it hurt?")
    assert (outcome.intent, outcome.facet) == ("implants", "pain")
    other = await front_desk.handle_text(PATIENT, "and the other one, how much is it?")
    assert (other.intent, other.facet) == ("bridges", "price")


async def test_how_many_visits_in_total_is_how_long_not_a_price(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a bridge")
    await front_desk.handle_text(PATIENT, "and an implant?")
    outcome = await front_desk.handle_text(PATIENT, "how many visits in total?")
    assert outcome.facet == "duration" and "Altogether" not in said(outcome)


async def test_the_hours_of_a_day_asked_when_asked_which_day_suits_are_no_request(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my gums bleed every time i brush, do you treat that")
    await front_desk.handle_text(PATIENT, "and how much")
    outcome = await front_desk.handle_text(PATIENT, "btw what are your hours on sunday")
    assert outcome.intent == "hours" and "closed on Sunday" in said(outcome)
    after = await front_desk.handle_text(PATIENT, "ok and how many sessions would i need")
    assert (after.intent, after.facet) == ("gum_treatment", "duration")


async def test_a_practical_question_named_on_a_treatment_is_answered_as_asked(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much to remove a wisdom tooth")
    outcome = await front_desk.handle_text(
        PATIENT, "which insurance companies do you work with? i'm with Allianz"
    )
    assert outcome.intent == "insurance"


async def test_another_treatment_named_with_a_follow_up_is_asked_about(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long does an implant last?")
    bridge = await front_desk.handle_text(
        PATIENT, "OK. How about a bridge, how long does that last?"
    )
    assert (bridge.intent, bridge.facet) == ("bridges", "longevity")
    dentures = await front_desk.handle_text(
        PATIENT, "OK. And the dentures, what are they made of?"
    )
    assert (dentures.intent, dentures.facet) == ("dentures", "materials")


async def test_the_sedation_on_offer_asked_during_a_treatment_gets_the_sedation(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much to remove a wisdom tooth")
    outcome = await front_desk.handle_text(
        PATIENT, "what sedation do you have? i literally panic at the dentist"
    )
    assert outcome.intent == "sedation"
    back = await front_desk.handle_text(
        PATIENT, "ok and back to the tooth, how long is the recovery"
    )
    assert (back.intent, back.facet) == ("wisdom_teeth", "recovery")


async def test_an_anxious_question_about_the_pain_of_a_treatment_is_answered_not_handed_over(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "I need a root canal and I'm really anxious about it. How bad is the pain?"
    )
    assert (outcome.intent, outcome.facet) == ("root_canal", "pain")
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_a_remark_beside_a_question_is_no_question_of_its_own(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(
        PATIENT, "What if the anaesthetic doesn't work on me? That has happened to me before."
    )
    assert "reminders" not in outcome.answered and "reminder" not in said(outcome).lower()


async def test_can_you_do_both_gets_each_treatment_named_before_it(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "Hi, two things: I need a crown, and my son needs sealants. Can you do both?"
    )
    assert outcome.answered == ["crowns", "sealants"]


async def test_a_treatment_asked_for_by_name_leaves_the_topic(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(
        PATIENT, "And for him, he's 9, is that too late for sealants?"
    )
    assert (outcome.intent, outcome.facet) == ("sealants", "suitability")


async def test_a_statement_before_the_question_is_not_asked_about(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "hello, i'm missing a molar on the lower right and trying to decide between an implant "
        "and a bridge. how much is an implant?",
    )
    assert outcome.intent == "implants" and "bridges" not in outcome.answered


async def test_asking_to_speak_with_the_doctor_goes_to_a_person(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how long do bridges last")
    outcome = await front_desk.handle_text(
        PATIENT, "Can I please speak with the doctor who did it?"
    )
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


@pytest.mark.parametrize(
    "text",
    [
        "ok pls ask the doctor to message me",
        "Would the doctor be able to telephone me?",
        "who is in charge there? i want a callback today",
    ],
)
async def test_asking_to_be_called_back_goes_to_a_person(front_desk: FrontDesk, text: str) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, text)
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_a_sales_pitch_asking_whom_to_talk_to_is_no_case(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Hello, we offer SEO services for dental clinics. "
        "Who can I speak to about your marketing?",
    )
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_a_lost_crown_with_what_do_i_do_now_gets_the_urgent_advice(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my crown just came off eating toffee, what do i do now"
    )
    assert outcome.intent == "emergency" and "keep it and bring it" in said(outcome)


async def test_asking_to_be_knocked_out_for_a_treatment_is_no_emergency(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "i need all 4 wisdom teeth out")
    outcome = await front_desk.handle_text(
        PATIENT, "can i be knocked out for it? i really dont want to be awake"
    )
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)
    assert outcome.intent != "emergency"


async def test_a_cheek_starting_to_swell_after_a_filling_goes_to_a_person(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "I had a filling done yesterday and it's sensitive")
    outcome = await front_desk.handle_text(
        PATIENT, "actually now my cheek is starting to swell up"
    )
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_money_asked_back_goes_to_a_person(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "i want the money back, this is ridiculous")
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_needing_a_treatment_and_asking_to_book_is_one_request(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "need my wisdom tooth out, my dentist referred me. can i book"
    )
    assert outcome.intent == "booking" and "wisdom" in said(outcome).lower()


async def test_done_within_a_time_is_how_long_it_takes(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "Is possible to do all in 3 weeks?")
    assert (outcome.intent, outcome.facet) == ("implants", "duration")


async def test_a_question_written_as_a_numbered_letter_gets_each_answer(
    front_desk: FrontDesk,
) -> None:
    letter = (
        "Dear Bright Smile team,\nI would like to ask two things.\n"
        "1) What is the price of one implant including the crown?\n"
        "2) Is general anaesthesia needed for the implant surgery?\nThank you in advance."
    )
    outcome = await front_desk.handle_text(PATIENT, letter)
    assert outcome.route == "Several" and outcome.answered[0] == "implants"
    assert len(outcome.answered) == 2 and "$" in said(outcome)


def test_a_letter_s_greeting_and_thanks_are_no_questions() -> None:
    letter = "Hello,\n- how much is a crown?\n- are you open on saturday?\nKind regards, Ann"
    assert split_questions(letter) == ["how much is a crown", "are you open on saturday"]


async def test_where_to_leave_the_car_is_the_way_to_us(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "where are you located?")
    outcome = await front_desk.handle_text(PATIENT, "where can i leave the car")
    assert outcome.intent == "location" and "parking" in said(outcome).lower()


async def test_teeth_shaved_down_asks_how_they_are_prepared(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    outcome = await front_desk.handle_text(
        PATIENT, "do u have to shave my real teeth down for them"
    )
    assert (outcome.intent, outcome.facet) == ("veneers", "preparation")


async def test_teeth_filed_down_said_before_a_price_question_is_the_price(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    outcome = await front_desk.handle_text(
        PATIENT, "hmm id rather not file my teeth down. how much is it then"
    )
    assert outcome.facet == "price"


async def test_sore_at_first_is_whether_it_hurts(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you make dentures?")
    outcome = await front_desk.handle_text(PATIENT, "are they sore at first?")
    assert (outcome.intent, outcome.facet) == ("dentures", "pain")


async def test_a_sore_tooth_told_is_no_follow_up_about_pain(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you make dentures?")
    outcome = await front_desk.handle_text(PATIENT, "my tooth hurts")
    assert outcome.facet != "pain"


async def test_doing_nothing_asks_what_leaving_it_would_mean(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    outcome = await front_desk.handle_text(PATIENT, "and if i do nothing?")
    assert (outcome.intent, outcome.route) == ("root_canal", "IfWaiting")
    assert "depends" in said(outcome)


async def test_days_of_swelling_after_a_removal_is_what_to_expect(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much to remove a wisdom tooth")
    outcome = await front_desk.handle_text(PATIENT, "how many days of swelling after")
    assert (outcome.intent, outcome.facet) == ("wisdom_teeth", "recovery")
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_a_treatment_asked_with_its_sedation_stays_the_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT,
        "What is the price of one implant including the crown?\n"
        "Is general anaesthesia needed for the implant surgery?",
    )
    outcome = await front_desk.handle_text(PATIENT, "Also, how many visits in total?")
    assert (outcome.intent, outcome.facet) == ("implants", "duration")


async def test_a_broken_denture_told_before_two_questions_gets_them_all(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my denture cracked in half 😩 can you fix it and how fast, also are you open tomorrow",
    )
    assert outcome.route == "Several"
    assert outcome.answered == ["dentures", "dentures", "hours"]


def test_an_emoji_ends_a_clause_before_a_question() -> None:
    assert split_questions("it broke 😩 can you fix it") == ["it broke", "can you fix it"]


async def test_a_told_problem_with_questions_after_the_bot_s_question_is_no_answer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are veneers")
    outcome = await front_desk.handle_text(
        PATIENT,
        "my denture cracked in half 😩 can you fix it and how fast, also are you open tomorrow",
    )
    assert outcome.route == "Several" and "hours" in outcome.answered


async def test_a_first_time_patient_s_questions_are_about_the_first_check_up(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "first time patient here. what do i need to bring and how long is the first appointment",
    )
    assert outcome.answered == ["checkup", "checkup"]
    assert "bring" in said(outcome).lower() and "minutes" in said(outcome)


async def test_payment_plans_asked_beside_a_total_are_answered_too(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "was told i need a root canal + crown on the same tooth. whats the total, "
        "and do you have payment plans?",
    )
    assert outcome.answered == ["root_canal", "crowns", "payment"]
    assert "Altogether" in said(outcome) and "installments" in said(outcome)


async def test_the_price_asked_in_passing_before_payment_plans_is_answered_too(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do braces for teenagers")
    await front_desk.handle_text(PATIENT, "shes 14, teeth are crooked on top")
    outcome = await front_desk.handle_text(PATIENT, "and the price, do you do payment plans")
    assert outcome.answered == ["orthodontics", "payment"]
    assert "$5,620" in said(outcome) and "installments" in said(outcome)


async def test_whether_a_visit_fits_after_work_is_answered_by_the_opening_hours(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how long does a crown take and can i come after 6? i work till 5.30"
    )
    assert outcome.answered == ["crowns", "hours"]
    assert "19:00" in said(outcome)


async def test_whether_we_open_early_is_the_opening_hours_alone_or_beside_a_treatment(
    front_desk: FrontDesk,
) -> None:
    alone = await front_desk.handle_text(PATIENT, "do you start early like 8am")
    assert alone.intent == "hours" and "08:00" in said(alone)
    beside = await front_desk.handle_text(
        PATIENT, "night shift here. how long is a root canal and do you open early, 7am?"
    )
    assert beside.answered == ["root_canal", "hours"]


async def test_a_medicine_taken_as_a_child_that_stained_the_teeth_is_no_case_for_the_doctor(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "is whitening enough for grey teeth from antibiotics as a kid, or do i need veneers?",
    )
    assert not [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]
    assert "veneers" in outcome.answered


async def test_a_question_after_an_exclamation_is_a_question_of_its_own(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "just got my braces off!! can i whiten now and how long does it take"
    )
    assert outcome.answered[0] == "whitening"
    assert "orthodontics" not in outcome.answered


async def test_an_age_told_alone_after_a_hand_over_is_noted_not_misunderstood(
    front_desk: FrontDesk, store: Store
) -> None:
    first = await front_desk.handle_text(
        PATIENT, "Do you treat children with special needs? My son is autistic"
    )
    for effect in first.effects:
        if isinstance(effect, HandoffOpened):
            async with store.unit_of_work():
                await store.cases.close(effect.case_id, None)
    outcome = await front_desk.handle_text(PATIENT, "he's 7")
    assert outcome.route == "Acknowledge"
    assert "age 7" in said(outcome)


async def test_waiting_for_the_call_after_a_complaint_is_no_second_complaint(
    front_desk: FrontDesk, store: Store
) -> None:
    first = await front_desk.handle_text(
        PATIENT, "the bridge u made me in march is already loose. not happy"
    )
    for effect in first.effects:
        if isinstance(effect, HandoffOpened):
            async with store.unit_of_work():
                await store.cases.close(effect.case_id, None)
    outcome = await front_desk.handle_text(PATIENT, "ok waiting for call")
    assert outcome.route == "Acknowledge"
    assert not [effect for effect in outcome.effects if isinstance(effect, HandoffOpened)]


@pytest.mark.parametrize(
    "text", ["whats ur hours on wed", "whats the latest appointment on weekdays"]
)
async def test_our_hours_asked_with_a_day_in_chat_words_are_the_hours(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert outcome.intent == "hours" and "19:00" in said(outcome)


async def test_another_place_s_hours_are_not_ours(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "is the post office open on saturday")
    assert outcome.intent != "hours"


async def test_which_of_two_treatments_is_cheaper_gets_both_prices(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "which is cheaper, a bridge or an implant?")
    assert outcome.answered == ["bridges", "implants"]
    assert said(outcome).count("$") > 4


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("bridge or implant, which is cheaper?", ["bridges", "implants"]),
        ("partial denture or full denture, which is cheaper", ["partial_denture", "dentures"]),
        ("how much is a crown? is it cheaper than a veneer?", ["crowns", "veneers"]),
        ("how much is a deep cleaning or a regular cleaning?", ["gum_treatment", "hygiene"]),
    ],
)
async def test_prices_weighed_in_any_wording_give_each_price_not_their_sum(
    front_desk: FrontDesk, text: str, services: list[str]
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert outcome.answered == services
    assert "Altogether" not in said(outcome).split("\n")[0]


async def test_how_many_days_after_asking_about_pain_afterwards_is_one_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "i need a tooth out")
    outcome = await front_desk.handle_text(PATIENT, "After it will be pain? How many days?")
    assert (outcome.intent, outcome.facet) == ("extraction", "recovery")


async def test_an_answer_without_its_it_is_taken_as_the_answer(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much cost the implant for one tooth?")
    outcome = await front_desk.handle_text(PATIENT, "is missing since two years")
    assert outcome.intent == "implants" and outcome.details.get("tooth") == "already missing"
    assert "didn't get that" not in said(outcome)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("my gums bleed when i brush, what treatment do you do for that", "about 2 months now"),
        ("do you do fillings", "I have 2 that need doing"),
        ("do you do veneers? my son chipped his front tooth", "it happened at football last week"),
    ],
)
async def test_how_long_or_how_many_told_in_reply_is_an_answer_not_off_topic(
    front_desk: FrontDesk, question: str, answer: str
) -> None:
    asked = await front_desk.handle_text(PATIENT, question)
    outcome = await front_desk.handle_text(PATIENT, answer)
    assert outcome.intent == asked.intent
    assert "dental clinic" not in said(outcome) and "didn't get that" not in said(outcome)


async def test_the_treatment_a_consultation_is_for_becomes_the_subject(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a consultation?")
    answer = await front_desk.handle_text(PATIENT, "it would be about implants, two are missing")
    assert answer.intent == "implants"
    outcome = await front_desk.handle_text(PATIENT, "and how much for two then")
    assert outcome.intent == "implants" and "x 2" in said(outcome)


async def test_which_teeth_told_when_asked_for_a_day_are_noted_for_the_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "I have two discoloured and chipped front teeth, would veneers suit me at 74?"
    )
    outcome = await front_desk.handle_text(PATIENT, "Just the two at the top, in the middle.")
    assert outcome.intent == "veneers" and outcome.details.get("quantity") == "2"
    assert "didn't get that" not in said(outcome)


async def test_a_treatment_asked_for_a_child_during_the_childs_visit_is_that_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you see little kids?")
    outcome = await front_desk.handle_text(
        PATIENT, "its for my son, 7. a friend told me about sealants on back teeth, you do this?"
    )
    assert outcome.intent == "sealants"
    price = await front_desk.handle_text(PATIENT, "how much is it")
    assert (price.intent, price.facet) == ("sealants", "price")


async def test_whether_straightened_teeth_move_back_is_how_long_the_result_lasts(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are clear aligners")
    outcome = await front_desk.handle_text(PATIENT, "once finished, can my teeth shift back?")
    assert (outcome.intent, outcome.facet) == ("aligners", "longevity")


async def test_a_question_going_on_about_payment_plans_is_not_the_treatments_time(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are full dentures?")
    await front_desk.handle_text(PATIENT, "do you do payment plans?")
    outcome = await front_desk.handle_text(PATIENT, "over how many months can it be split?")
    assert outcome.intent == "payment" and "six months" in said(outcome)
    price = await front_desk.handle_text(PATIENT, "and how much would they be in total?")
    assert (price.intent, price.facet) == ("dentures", "price")


async def test_which_of_the_options_lasts_longer_is_how_long_they_last(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a partial denture")
    await front_desk.handle_text(PATIENT, "whats the diff between the metal one and the plastic")
    outcome = await front_desk.handle_text(PATIENT, "which of those lasts longer")
    assert (outcome.intent, outcome.facet) == ("partial_denture", "longevity")


async def test_removable_plates_for_missing_teeth_are_partial_dentures(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "do u do those removable plates for a couple of missing teeth"
    )
    assert outcome.intent == "partial_denture"
    follow_up = await front_desk.handle_text(PATIENT, "how long till u get used to wearing one")
    assert (follow_up.intent, follow_up.facet) == ("partial_denture", "recovery")


async def test_good_afternoon_is_a_greeting_not_a_time_for_a_visit(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Good afternoon. I would like some information on bridges please, I have two missing "
        "teeth next to each other on the upper left side.",
    )
    assert outcome.intent == "bridges" and "time" not in outcome.details


async def test_whether_a_named_treatment_would_fix_it_is_about_that_treatment(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my husband broke a tooth, can that be fixed with a crown?"
    )
    assert outcome.intent == "crowns"


async def test_a_treatment_for_kids_asked_about_stays_that_treatment(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "do you do sealants on kids teeth")
    assert outcome.answered in ([], ["sealants"]) and outcome.intent == "sealants"
    follow_up = await front_desk.handle_text(PATIENT, "does it hurt? he hates the dentist")
    assert (follow_up.intent, follow_up.facet) == ("sealants", "pain")


async def test_whether_crowns_whiten_too_is_whom_whitening_suits(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is teeth whitening")
    outcome = await front_desk.handle_text(PATIENT, "will my fillings change colour too?")
    assert (outcome.intent, outcome.facet) == ("whitening", "suitability")
    assert "fillings" in said(outcome).lower() or "crowns" in said(outcome).lower()


async def test_a_reason_told_after_follow_ups_is_noted_with_the_next_step(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "thinking about getting my teeth whitened")
    await front_desk.handle_text(PATIENT, "never done it before, and no crowns at the front")
    outcome = await front_desk.handle_text(
        PATIENT, "it's for my wedding in 2 months so i want them as white as possible"
    )
    assert outcome.route == "AnswerToQuestion" and outcome.intent == "whitening"


async def test_a_question_announced_is_not_taken_as_an_answer(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is teeth whitening")
    outcome = await front_desk.handle_text(PATIENT, "i have a question")
    assert outcome.route == "Acknowledge"
    assert "noted" not in said(outcome).lower() and "consultation" not in said(outcome).lower()


async def test_whether_a_simpler_treatment_would_be_enough_is_about_that_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "would a simple filling be enough?")
    assert outcome.intent == "filling" and outcome.facet != "suitability"
    assert "pregnan" not in said(outcome).lower()


async def test_asking_if_we_do_another_treatment_is_no_answer_to_our_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "first time here, what should i bring?")
    outcome = await front_desk.handle_text(
        PATIENT, "my kids are 5 and 9, do you do sealants on kids teeth"
    )
    assert outcome.intent == "sealants" and outcome.route != "AnswerToQuestion"


async def test_a_child_s_fear_told_beside_a_question_is_no_second_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do sealants on kids teeth")
    outcome = await front_desk.handle_text(
        PATIENT, "does it hurt? the little one hates the dentist"
    )
    assert (outcome.intent, outcome.facet) == ("sealants", "pain")
    assert outcome.route == "FollowUp"


async def test_both_of_them_after_two_children_s_ages_are_no_two_treatments(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "first time here, what should i bring?")
    await front_desk.handle_text(PATIENT, "my kids are 5 and 9, do you do sealants on kids teeth")
    outcome = await front_desk.handle_text(PATIENT, "how much for both of them")
    assert "check-up" not in said(outcome).lower()


async def test_a_lost_filling_to_fix_today_is_a_request_for_today(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "my filling fell out, can u fix it today")
    assert outcome.intent == "booking"
    assert "filling" in said(outcome).lower() and "$" not in said(outcome)


async def test_two_treatments_set_against_each_other_get_each_price_not_a_sum(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "how much r braces vs invisalign")
    assert outcome.answered == ["orthodontics", "aligners"]
    assert "Altogether" not in said(outcome)


async def test_numbing_asked_about_for_a_filling_stays_the_subject_of_what_follows(
    front_desk: FrontDesk, brain: Brain
) -> None:
    first = await front_desk.handle_text(
        PATIENT, "will you numb me before the filling? i hate needles"
    )
    assert (first.intent, first.facet) == ("anesthesia", "pain")
    questions = [brain.replies.question("filling", turn, False) for turn in range(3)]
    assert any(question in said(first) for question in questions)  # the filling's problem
    lasts = await front_desk.handle_text(PATIENT, "how long does the numb feeling last after")
    assert (lasts.intent, lasts.facet) == ("anesthesia", "duration")
    assert "hours" in said(lasts)
    drive = await front_desk.handle_text(PATIENT, "can i drive home after")
    assert (drive.intent, drive.facet) == ("anesthesia", "recovery")
    assert "drive" in said(drive)


async def test_is_it_safe_when_pregnant_is_whom_it_suits_and_a_person_is_offered(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do teeth whitening?")
    outcome = await front_desk.handle_text(PATIENT, "is it safe when pregnant?")
    assert (outcome.intent, outcome.facet) == ("whitening", "suitability")
    assert outcome.messages[-1].choices  # the person button


async def test_me_in_reply_is_who_it_is_for_not_a_request_for_a_person(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do whitening")
    outcome = await front_desk.handle_text(PATIENT, "me")
    assert outcome.route == "AnswerToQuestion"
    assert "for you" in said(outcome) and "for your self" not in said(outcome)


async def test_root_canal_or_pull_it_weighs_both_prices(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(PATIENT, "root canal or just pull it, whats cheaper")
    assert outcome.answered == ["root_canal", "extraction"]


async def test_a_letter_about_an_old_gap_asks_the_bridge_of_its_question(
    front_desk: FrontDesk,
) -> None:
    letter = (
        "Good morning. My late wife always said I should get the gap in my teeth seen to, and"
        " now that I've retired I finally have the time. I lost a tooth on the upper right some"
        " years back after an abscess, and the teeth on either side of the gap have crowns"
        " already. A friend at the bowls club had a bridge done and is very pleased with it."
        " Could you tell me roughly how much a bridge would cost for one missing tooth, and how"
        " many visits it would take? I am in no great hurry."
    )
    outcome = await front_desk.handle_text(PATIENT, letter)
    assert outcome.intent == "bridges"
    assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_a_question_joined_by_and_whether_is_still_answered(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Good afternoon. Could you tell me your opening hours on Fridays, and whether you are"
        " near the post office on Main Street?",
    )
    assert "Friday" in said(outcome) and "08:00" in said(outcome)
    assert "we're a dental clinic" not in said(outcome)


async def test_a_dental_question_beside_one_we_dont_do_is_answered_without_a_false_yes(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "hi do u do botox and lip fillers? also teeth whitening price"
    )
    reply = said(outcome)
    assert outcome.answered == ["whitening"] and "$715" in reply
    assert "dental clinic" in reply.split("\n")[0]  # said no to the botox first
    assert "Yes" not in reply


async def test_an_implant_with_its_crown_is_priced_once_not_with_a_second_crown(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "hey how much is an implant incl the crown on top"
    )
    assert "implant with crown comes to $3,840–$5,540" in said(outcome)
    assert "Ceramic crown" not in said(outcome)
    pain = await front_desk.handle_text(PATIENT, "does it hurt much")
    assert (pain.intent, pain.facet) == ("implants", "pain")


async def test_taking_an_insurer_for_a_treatment_is_an_insurance_question(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much are 2 implants")
    outcome = await front_desk.handle_text(PATIENT, "do you take cigna for implants")
    assert outcome.intent == "insurance" and "Cigna" in said(outcome)
    assert "we place implants" not in said(outcome)


async def test_what_time_on_a_day_asked_with_another_question_gets_that_day_s_hours(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a cleaning")
    outcome = await front_desk.handle_text(
        PATIENT, "ok what time on saturday and do i need to book ahead"
    )
    assert outcome.answered[:1] == ["hours"] and "Saturday" in said(outcome)
    assert "dental clinic" not in said(outcome)


async def test_a_treatment_and_its_materials_asked_together_say_the_materials_once(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "need 3 crowns on my upper front teeth, what material looks most natural"
    )
    reply = said(outcome)
    assert reply.count("porcelain fused to metal") == 1
    assert "most natural" in reply and "ceramic crown x 3" in reply


async def test_two_treatments_asked_after_a_greeting_are_both_answered(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "hi new in town! do you do veneers and whitening"
    )
    assert outcome.answered == ["veneers", "whitening"]


async def test_two_facets_asked_after_naming_the_treatment_in_a_sentence_before_get_both(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Hi, I'm interested in Invisalign. How long does treatment usually take and whats the "
        "cost?",
    )
    assert outcome.answered == ["aligners", "aligners"]
    assert "Altogether" in said(outcome) or "total" in said(outcome).lower()


async def test_a_treatment_asked_for_on_some_days_gets_those_days_hours_too(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "do you do root canals on weekends and how much are they?"
    )
    assert outcome.answered == ["root_canal", "hours"]
    assert "closed on Sunday" in said(outcome)


async def test_an_insurer_asked_about_beside_a_price_is_answered_by_name(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much for a cleaning and do you take delta dental"
    )
    assert outcome.answered == ["hygiene", "insurance"]
    assert "Delta Dental" in outcome.messages[-1].text


async def test_who_is_coming_told_then_a_price_asked_keeps_the_visit_and_the_price(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "can you see all 4 of us same afternoon? me, husband and 2 kids 5 and 9. and how much"
        " is a kids checkup",
    )
    assert set(outcome.answered) == {"children", "booking"}
    assert "$" in said(outcome)


async def test_what_is_paid_after_insurance_gets_the_treatment_s_total_and_how_it_comes_back(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    await front_desk.handle_text(PATIENT, "do you take delta dental")
    outcome = await front_desk.handle_text(PATIENT, "and what would i pay after insurance roughly")
    assert outcome.intent == "insurance"
    total = format_range(brain.replies.total("root_canal"), brain.knowledge.clinic.currency)
    assert total in said(outcome) and "plan" in said(outcome)


async def test_whether_insurance_covers_it_names_the_treatment_talked_about(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown")
    outcome = await front_desk.handle_text(PATIENT, "does insurance cover it")
    assert "a crown" in said(outcome)


async def test_after_a_price_complaint_a_follow_up_is_about_the_treatment_complained_of(
    front_desk: FrontDesk,
) -> None:
    upset = await front_desk.handle_text(
        PATIENT, "ur prices are insane, 1800 for a root canal?? my last dentist did it for 600"
    )
    assert "$" not in said(upset)  # an apology and a person, no script
    crown = await front_desk.handle_text(PATIENT, "whatever. does it at least include the crown")
    assert (crown.intent, crown.facet) == ("root_canal", "price")
    assert said(crown).startswith("No")


async def test_my_part_with_an_insurer_gets_the_treatment_s_total(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "what would my part be for the crown with blue cross"
    )
    total = format_range(brain.replies.total("crowns"), brain.knowledge.clinic.currency)
    assert total in said(outcome)


async def test_a_cheaper_treatment_at_half_the_price_is_a_question_not_upset(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "tooth has a huge old filling and it cracked. dentist says crown but can i just get"
        " another big filling? its half the price",
    )
    assert outcome.intent != "upset"
    assert "sorry" not in said(outcome).lower()


@pytest.mark.parametrize(
    "text",
    [
        "are you taking new patients?",
        "r u accepting new patients atm",
        "Hi! New to the area. Are you taking new patients, and what happens at the first visit?",
    ],
)
async def test_asked_if_we_take_new_patients_the_answer_is_yes_and_the_first_visit(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert outcome.intent == "checkup"
    assert said(outcome).startswith("Yes")
    assert "dental clinic" not in said(outcome)


async def test_another_doctor_taking_new_patients_is_still_off_topic(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "do you have a gynecologist taking new patients"
    )
    assert outcome.intent != "checkup"


async def test_an_adult_s_own_wobbly_tooth_is_not_the_children_s_visit(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "one of my bottom front teeth feels a little wobbly. im 45, should i be worried?"
    )
    assert outcome.intent == "checkup"
    child = await front_desk.handle_text("console:parent", "do you see kids? my daughter is 7")
    assert child.intent == "children"


async def test_a_treatment_seen_on_an_x_ray_and_asked_about_is_that_treatment(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my old dentist saw on the xray that my wisdom teeth are sideways. they dont hurt. do"
        " they really have to come out?",
    )
    assert outcome.intent == "wisdom_teeth"
    answered = await front_desk.handle_text(PATIENT, "both bottom ones, the top ones are fine")
    assert answered.intent == "wisdom_teeth"
    assert not any(isinstance(effect, HandoffOpened) for effect in answered.effects)


async def test_a_treatment_told_of_first_is_what_do_you_do_that_and_the_cost_ask_about(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my mom got quoted 6000 for veneers at another place. do u do that and whats the cost",
    )
    assert outcome.intent == "veneers"  # not the list of everything we do
    assert outcome.messages[0].text.startswith("All in")


async def test_work_said_not_to_be_ours_is_no_warranty_hand_over(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "My mother has full dentures and they became loose. Can you fix them even if they were"
        " not made in your clinic?",
    )
    assert outcome.intent == "dentures"
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_the_work_we_did_coming_loose_is_still_a_warranty_hand_over(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "the crown you made fell out and im not happy with you"
    )
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_money_paid_and_asked_back_goes_to_a_person(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "also i prepaid 200 for the crown that never got made, i want that back"
    )
    assert outcome.intent == "complaint"  # not the crown's price list
    assert any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_asking_if_waiting_so_long_was_bad_is_answered_not_taken_as_a_complaint(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT,
        "hi, i had a root canal with you back in april and never came back for the crown. how"
        " much is a crown now?",
    )
    outcome = await front_desk.handle_text(PATIENT, "is it bad that i waited this long")
    assert (outcome.route, outcome.intent) == ("IfWaiting", "crowns")
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_two_treatments_a_dentist_said_are_needed_are_both_answered(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "i grind my teeth at night and now 2 front teeth are chipped. my old dentist said i need"
        " a night guard and 2 veneers. thoughts?",
    )
    assert outcome.answered == ["night_guard", "veneers"]


async def test_a_reply_answering_two_treatments_ends_with_one_question(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "need 2 fillings and a cleaning, can i get it all done in one go"
    )
    assert {"filling", "hygiene"} <= set(outcome.answered)
    questions = [line for line in said(outcome).splitlines() if line.rstrip().endswith("?")]
    assert len(questions) == 1, questions  # not the filling's and the cleaning's both


async def test_do_you_do_two_treatments_gets_both_and_one_question_about_the_last(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "do you do root canals and crowns?")
    assert outcome.answered == ["root_canal", "crowns"]
    questions = [line for line in said(outcome).splitlines() if line.rstrip().endswith("?")]
    assert len(questions) == 1, questions
    answered = await front_desk.handle_text(PATIENT, "it's broken, a big old filling cracked")
    assert (answered.route, answered.intent) == ("AnswerToQuestion", "crowns")


async def test_a_question_after_a_hello_and_a_thank_you_is_answered(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Hi! My filling from last month is perfect, thank you :) Now I think my daughter needs"
        " braces. From what age do you do them?",
    )
    assert outcome.intent == "orthodontics"  # not "I didn't get that"


def dentures_total(brain: Brain, *jaws: tuple[str, int]) -> str:
    """The honest total of dentures for the given (service, jaws), shared visit parts once."""
    knowledge = brain.knowledge
    bundles = [(knowledge.bundles[knowledge.services[name].bundle], n) for name, n in jaws]
    combined = quote_together(bundles, knowledge.components)
    return format_range(combined.total, knowledge.clinic.currency)


async def test_dentures_for_top_and_bottom_are_priced_for_both_jaws(
    brain: Brain, front_desk: FrontDesk
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "how much for full dentures top and bottom")
    assert dentures_total(brain, ("dentures", 2)) in said(outcome)  # not one jaw's price
    assert "Complete denture (one jaw) x 2" in said(outcome)
    await front_desk.handle_text("console:other", "do you make dentures?")
    told = await front_desk.handle_text("console:other", "no teeth left at all, upper and lower")
    assert told.route == "AnswerToQuestion"
    asked = await front_desk.handle_text("console:other", "how much would that be?")
    assert dentures_total(brain, ("dentures", 2)) in said(asked)


async def test_a_full_denture_in_one_jaw_and_a_partial_in_the_other_get_one_total(
    brain: Brain, front_desk: FrontDesk
) -> None:
    both = dentures_total(brain, ("dentures", 1), ("partial_denture", 1))
    outcome = await front_desk.handle_text(PATIENT, "how much for a full upper and partial lower")
    assert both in said(outcome)
    await front_desk.handle_text("console:other", "my mother needs dentures")
    asked = await front_desk.handle_text(
        "console:other", "and the price for top and partial bottom"
    )
    assert both in said(asked)


async def test_a_service_named_only_as_where_something_was_seen_is_not_the_one_priced(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "the dentist saw my wisdom teeth on an x-ray and said they must go, how much"
    )
    assert (outcome.intent, outcome.facet) == ("wisdom_teeth", "price")  # not the X-ray's


async def test_an_insurer_asked_about_beside_another_question_is_answered_too(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "how much is a crown? and do u accept united healthcare"
    )
    assert outcome.answered[:2] == ["crowns", "insurance"]
    assert "UnitedHealthcare" in said(outcome)


async def test_seals_on_a_child_s_back_teeth_are_the_sealants(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "the school dentist says my daughter needs seals on her back teeth. what is that"
    )
    assert outcome.intent == "sealants"  # not a child's visit in general


async def test_a_count_said_of_a_course_priced_per_visit_does_not_multiply_it(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do braces for adults?")
    outcome = await front_desk.handle_text(PATIENT, "how much for all 3 of them")
    assert "x 3" not in said(outcome)  # braces are one course, not priced three times
    await front_desk.handle_text("console:other", "how much is an implant")
    more = await front_desk.handle_text("console:other", "and for 2?")
    assert "x 2" in said(more)


async def test_do_you_do_a_named_service_is_answered_when_the_rest_confuses_the_reading(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "do you do checkups for new patients?")
    assert outcome.intent == "checkup"  # not "I didn't get that"


async def test_do_you_treat_kids_with_a_cavity_told_says_yes_to_children(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "hello, my son is 8 and has a cavity. do you see kids?"
    )
    assert outcome.intent == "children"
    assert "children" in said(outcome).split("\n")[0].lower()
    again = await front_desk.handle_text(
        "console:other",
        "hi my daughter is 5 and the dentist found a cavity in a back tooth."
        " do u see young kids?? shes very shy",
    )
    assert again.intent == "children"  # "??" and a worry after it


async def test_a_price_from_elsewhere_gets_the_parts_to_check_in_that_quote(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    calm = await front_desk.handle_text(PATIENT, "my previous dentist quoted me 700 for it")
    assert calm.intent == "root_canal" and not calm.effects  # no case for the staff
    assert "Rubber dam" in said(calm) or "rubber dam" in said(calm).lower()
    assert "Root canal" in said(calm) or "canal" in said(calm).lower()


async def test_anger_at_a_price_from_elsewhere_is_calmed_with_the_parts_not_handed_over(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    angry = await front_desk.handle_text(
        PATIENT, "what a joke, my cousin paid half that in mexico"
    )
    assert not [e for e in angry.effects if isinstance(e, HandoffOpened)]
    assert "Abutment" in said(angry) and "Talk to a person" in [
        choice.label for message in angry.messages for choice in message.choices
    ]
    billed = await front_desk.handle_text(
        PATIENT, "you want 200 for a cleaning? my old dentist charged 80"
    )
    assert billed.intent == "upset"  # a price compared, not a complaint about our work


async def test_yours_points_back_to_the_treatment_talked_about(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    outcome = await front_desk.handle_text(PATIENT, "does yours include the crown")
    assert (outcome.intent, outcome.facet) == ("implants", "price")  # not a crown's price


async def test_the_treatment_of_a_medical_question_stays_the_subject_after_the_person_answers(
    front_desk: FrontDesk, store: Store
) -> None:
    first = await front_desk.handle_text(PATIENT, "can i get veneers if i have a latex allergy?")
    [case] = [effect for effect in first.effects if isinstance(effect, HandoffOpened)]
    async with store.unit_of_work():
        await store.cases.close(case.case_id, None)  # the administrator hands back
    outcome = await front_desk.handle_text(PATIENT, "ok and how long do they usually last")
    assert (outcome.intent, outcome.facet) == ("veneers", "longevity")
    visit = await front_desk.handle_text(PATIENT, "could i bring him in for a consultation first?")
    assert visit.intent == "booking"


async def test_an_answer_to_the_bot_then_a_practical_question_gets_both(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a cleaning")
    both = await front_desk.handle_text(
        PATIENT, "a year ago maybe, nothing hurts. where exactly are you?"
    )
    assert both.intent == "location" and "hygiene" in both.answered
    assert "Maple Avenue" in said(both)
    assert "which days and times" in said(both).lower()  # the answer taken, the next step


@pytest.mark.parametrize("reaction", ["whoa thats more than my rent", "jeez thats steep"])
async def test_being_taken_aback_by_a_price_gets_an_apology_and_a_person(
    front_desk: FrontDesk, reaction: str
) -> None:
    await front_desk.handle_text(PATIENT, "how much is an implant")
    shocked = await front_desk.handle_text(PATIENT, reaction)
    assert shocked.intent == "upset"  # not "we're a dental clinic", nor "thank you, that helps"
    assert "sorry" in said(shocked).lower()
    assert any(choice.value == "person" for m in shocked.messages for choice in m.choices)
    asked = await front_desk.handle_text(PATIENT, "can i pay monthly, its a lot at once")
    assert asked.intent == "payment"  # a question about paying is answered, not apologised for
