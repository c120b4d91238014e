"""Triage and care as an administrator does it: urgent, emergency, aftercare, the doctor's say."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core import BookingRequested, Brain, FrontDesk, HandoffOpened, Outcome
from bot.pricing import format_range, quote_bundle
from bot.store import Store

PATIENT = "console:ines"
#: The same-day button: "today" while the front desk is open, "the first free slot" at night.
VISIT_BUTTONS = {"Ask for a visit today", "Ask for the first free slot"}


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def buttons(outcome: Outcome) -> list[str]:
    """The labels of the buttons offered in one turn."""
    return [choice.label for message in outcome.messages for choice in message.choices]


def cases_opened(outcome: Outcome) -> list[str]:
    """The reasons of the cases a turn opened."""
    return [effect.reason for effect in outcome.effects if isinstance(effect, HandoffOpened)]


async def test_a_toothache_is_urgent_advice_and_a_same_day_offer_not_911(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "terrible toothache since last night")
    reply = said(outcome)
    assert cases_opened(outcome) == []  # nobody is called in until the patient asks
    assert "painkiller" in reply
    assert VISIT_BUTTONS & set(buttons(outcome))
    assert "taking over" not in reply


async def test_a_toothache_since_yesterday_with_no_treatment_had_is_no_aftercare(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "Good afternoon. I am writing on behalf of my wife, she has had a toothache on the lower"
        " right side since yesterday. Could she be seen tomorrow?",
    )
    assert outcome.intent == "emergency"  # the urgent advice, not "is it normal after..."
    assert "painkiller" in said(outcome)
    assert VISIT_BUTTONS & set(buttons(outcome))


async def test_several_problems_and_where_to_start_get_the_check_up_that_plans_them(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "havent been to a dentist in years. one tooth is chipped, my gums bleed and i hate how"
        " yellow my teeth are. where do i even start",
    )
    assert outcome.intent == "checkup"  # the exam that looks at all of it, not the pain advice
    assert "painkiller" not in said(outcome)


async def test_several_problems_with_one_that_hurts_get_the_urgent_advice(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my tooth broke and it hurts, my gums bleed too and its yellow. what do i do"
    )
    assert outcome.intent == "emergency"
    assert "painkiller" in said(outcome)


async def test_asking_for_a_visit_today_sends_an_urgent_same_day_request(
    front_desk: FrontDesk, store: Store
) -> None:
    await front_desk.handle_text(PATIENT, "i broke my tooth on a nut")
    outcome = await front_desk.handle_text(PATIENT, "yes please")
    requests = [effect for effect in outcome.effects if isinstance(effect, BookingRequested)]
    assert [request.urgency for request in requests] == ["urgent"]
    assert cases_opened(outcome) == []  # a request for the front desk, not a takeover
    stored = await store.bookings.get(requests[0].request_id)
    assert stored is not None and "today" in stored.wishes_understood
    assert "broken" in stored.service


async def test_which_tooth_after_urgent_advice_is_noted_and_the_offer_repeated(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my tooth is throbbing and i cant sleep")
    outcome = await front_desk.handle_text(PATIENT, "lower left, started last night")
    assert "lower left" in said(outcome)
    assert VISIT_BUTTONS & set(buttons(outcome))
    assert cases_opened(outcome) == []


async def test_a_swollen_face_with_fever_is_an_emergency_with_the_numbers(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "my face is swollen and i have a fever")
    assert cases_opened(outcome) == ["emergency"]
    assert brain.knowledge.clinic.emergency_number in said(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "woke up with my face swollen on the left, tooth been hurting for days. see me today?",
        "my cheek all swollen since the morning and the tooth throbs",
    ],
)
async def test_a_swollen_face_in_any_word_order_is_an_emergency_with_the_numbers(
    front_desk: FrontDesk, brain: Brain, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == ["emergency"]
    assert brain.knowledge.clinic.emergency_number in said(outcome)


async def test_a_plea_right_after_an_emergency_goes_to_a_person_again(
    front_desk: FrontDesk, store: Store
) -> None:
    first = await front_desk.handle_text(PATIENT, "my jaw is swollen and it's spreading")
    (case_id,) = [e.case_id for e in first.effects if isinstance(e, HandoffOpened)]
    async with store.unit_of_work():
        await store.cases.close(case_id, None)
    outcome = await front_desk.handle_text(PATIENT, "please what do i do")
    assert cases_opened(outcome) == ["emergency"]


async def test_the_address_asked_on_the_way_after_an_emergency_is_answered(
    front_desk: FrontDesk, store: Store, brain: Brain
) -> None:
    await handed_back(front_desk, store, "my face is swollen and i have a fever")
    where = await handed_back(front_desk, store, "ok on our way whats the address")
    assert cases_opened(where) == [] and where.intent == "location"
    assert brain.knowledge.clinic.address in said(where)
    plea = await handed_back(front_desk, store, "please hurry what do we do")
    assert cases_opened(plea) == ["emergency"]  # still the emergency, for a person
    seen = await handed_back(front_desk, store, "can someone see him today?")
    assert cases_opened(seen) == ["emergency"]


async def test_what_to_expect_after_a_treatment_is_no_emergency(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "do you do implants?")
    outcome = await front_desk.handle_text(PATIENT, "will my face be swollen after?")
    assert cases_opened(outcome) == []
    assert outcome.intent == "implants" and outcome.facet == "recovery"


async def test_aftercare_is_answered_from_the_treatment_with_the_warning_signs(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "had a tooth pulled this morning, can i eat")
    recovery = [brain.replies.facet("extraction", "recovery", turn) for turn in range(2)]
    assert cases_opened(outcome) == []
    assert any(text and said(outcome).startswith(text) for text in recovery)
    assert brain.knowledge.clinic.phone in said(outcome)
    assert "Talk to a person" in buttons(outcome)
    follow_up = await front_desk.handle_text(PATIENT, "can i smoke?")
    assert follow_up.intent == "aftercare" and cases_opened(follow_up) == []


@pytest.mark.parametrize(
    "text",
    [
        "i had a stent put in last year and take clopidogrel, is that ok for me?",
        "I take Eliquis for my heart rhythm, is that a problem for the surgery?",
        "my blood sugar has been all over the place lately, is it safe to have it out now?",
        "my diabetes is well controlled, my last a1c was 6.5, is that ok for it?",
    ],
)
async def test_a_heart_medicine_or_blood_sugar_named_goes_to_a_person(
    front_desk: FrontDesk, text: str
) -> None:
    await front_desk.handle_text(PATIENT, "do you do extractions")
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == ["medical"]


async def test_a_medicine_named_goes_to_a_person_who_asks_the_doctor(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do extractions")
    outcome = await front_desk.handle_text(PATIENT, "i'm on warfarin, is that a problem?")
    assert cases_opened(outcome) == ["medical"]
    assert "doctor" in said(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "the crown you made me last year just fell off, is that covered?",
        "the bridge fitted at your practice two months ago is causing a constant ache under it",
        "the crown i got at your clinic last year has already come off twice",
        "got my new denture from you 2 weeks ago and it keeps rubbing and giving me sores",
    ],
)
async def test_a_problem_with_the_clinic_s_own_work_is_a_warranty_case(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == ["warranty_claim"]
    assert "sorry" in said(outcome).lower()


@pytest.mark.parametrize(
    "text",
    [
        "had a filling at your clinic yesterday, a bit of swelling today, is that normal",
        "I had an implant put in at your clinic on Thursday and it went far better than I"
        " feared. It is a little sore today, which I expect is normal, and the swelling has"
        " mostly gone down. When can I go back to eating normally?",
    ],
)
async def test_normal_healing_after_our_treatment_is_aftercare_not_a_claim(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == []
    assert outcome.intent == "aftercare" and "sorry" not in said(outcome).lower()


@pytest.mark.parametrize(
    "text",
    [
        "had a filling at your clinic yesterday, the swelling is getting worse, is that normal",
        "the crown you made me last month is loose, is that normal",
    ],
)
async def test_worse_or_failed_work_asked_about_as_normal_still_goes_to_a_person(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) != []


async def test_teeth_broken_in_an_old_accident_are_no_emergency(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "need 3 crowns on my upper front teeth")
    outcome = await front_desk.handle_text(
        PATIENT, "theyre broken from an old accident, root canals already done somewhere else"
    )
    assert cases_opened(outcome) == [] and "911" not in said(outcome)
    again = await front_desk.handle_text("console:other", "need 3 crowns on my upper front teeth")
    assert again.messages
    told = await front_desk.handle_text("console:other", "theyre broken from an old accident")
    assert not VISIT_BUTTONS & set(buttons(told))  # no visit today for an old break


async def handed_back(front_desk: FrontDesk, store: Store, text: str) -> Outcome:
    """The patient's message opens a case, and the administrator hands the patient back."""
    outcome = await front_desk.handle_text(PATIENT, text)
    for case_id in [e.case_id for e in outcome.effects if isinstance(e, HandoffOpened)]:
        async with store.unit_of_work():
            await store.cases.close(case_id, None)
    return outcome


async def test_more_told_of_a_problem_with_our_work_goes_to_the_same_person(
    front_desk: FrontDesk, store: Store
) -> None:
    await handed_back(front_desk, store, "the filling you did last week just fell out")
    more = await handed_back(front_desk, store, "no pain, just a hole there now")
    assert cases_opened(more) == ["warranty_claim"]  # not the filling's sales script
    assert "administrator" in said(more) and "$" not in said(more)  # passed on, no price list
    paying = await handed_back(front_desk, store, "will i have to pay again to get it fixed?")
    assert cases_opened(paying) == [] and paying.intent == "warranty"
    assert "fillings" in said(paying).lower()  # the warranty on the treatment the claim named


async def test_who_is_in_charge_after_a_complaint_is_no_question_about_paying(
    front_desk: FrontDesk, store: Store
) -> None:
    await handed_back(front_desk, store, "i want to complain, the receptionist was rude to me")
    callback = await handed_back(
        front_desk, store, "who is in charge there? i want a callback today"
    )
    assert callback.intent != "warranty" and cases_opened(callback)


async def test_a_bill_said_to_be_wrong_goes_to_a_person(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "your office billed my metlife insurance wrong and now theyre denying the claim"
    )
    assert cases_opened(outcome) == ["complaint"]


async def test_something_new_after_a_problem_handed_back_is_answered(
    front_desk: FrontDesk, store: Store
) -> None:
    await handed_back(front_desk, store, "the crown you made me in march came off")
    outcome = await handed_back(front_desk, store, "my husband also needs a cleaning")
    assert cases_opened(outcome) == [] and outcome.intent == "hygiene"
    thanks = await handed_back(front_desk, store, "ok thank you")
    assert cases_opened(thanks) == []


async def test_yes_after_the_noted_answer_still_asks_for_the_visit(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "terrible toothache since last night")
    await front_desk.handle_text(PATIENT, "lower left, painkillers aren't helping")
    outcome = await front_desk.handle_text(PATIENT, "yes please")
    requests = [effect for effect in outcome.effects if isinstance(effect, BookingRequested)]
    assert [request.urgency for request in requests] == ["urgent"]


async def test_a_treatment_just_had_told_without_a_question_is_aftercare_not_its_price(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "had my wisdom tooth out at your place 2 days ago"
    )
    assert outcome.intent == "aftercare" and "$" not in said(outcome)
    plan = await front_desk.handle_text(
        "console:other", "had a consultation last week and the doctor said i need a crown"
    )
    assert plan.intent != "aftercare"


async def test_a_treatment_had_years_ago_is_no_aftercare(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "i had a filling done somewhere else like 6 yrs ago and now it feels rough on my "
        "tongue. can you smooth it or do i need a new one",
    )
    assert outcome.intent == "filling" and cases_opened(outcome) == []
    price = await front_desk.handle_text(PATIENT, "how much if it has to be replaced")
    assert (price.intent, price.facet) == ("filling", "price")


async def test_is_it_normal_after_a_treatment_just_had_is_aftercare(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "had a tooth pulled yesterday and its still bleeding a little, is that normal?"
    )
    assert outcome.intent == "aftercare" and cases_opened(outcome) == []
    assert "Talk to a person" in buttons(outcome)


async def test_is_it_normal_after_a_treatment_last_week_is_aftercare(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "got my bridge done with you last week. gum around it a bit sore, is that normal?"
    )
    assert outcome.intent == "aftercare" and cases_opened(outcome) == []
    assert "Talk to a person" in buttons(outcome)


async def test_can_i_smoke_after_an_extraction_gets_the_wording_about_smoking(
    front_desk: FrontDesk, brain: Brain
) -> None:
    wordings = brain.knowledge.facet_replies["extraction"]["recovery"]
    assert any("smok" in wording for wording in wordings)
    assert not all("smok" in wording for wording in wordings)  # else the test proves nothing
    for _ in range(2):  # whichever wording the rotation would give
        await front_desk.handle_text(PATIENT, "had a tooth pulled this morning")
        outcome = await front_desk.handle_text(PATIENT, "can i smoke?")
        assert "smok" in said(outcome).split("\n\n")[0]


async def test_a_broken_tooth_the_classifier_cannot_place_is_still_triaged(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "just snapped a corner off a back one biting a fork, what now"
    )
    assert VISIT_BUTTONS & set(buttons(outcome))
    assert cases_opened(outcome) == []


async def test_at_night_the_urgent_offer_is_the_first_free_slot_not_today(
    brain: Brain, store: Store
) -> None:
    night = dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC)  # 23:00 the evening before
    desk = FrontDesk(brain, store, clock=lambda: night)
    await desk.handle_text(PATIENT, "terrible toothache since last night")
    outcome = await desk.handle_text(PATIENT, "lower left, since yesterday")
    assert buttons(outcome)[0] == "Ask for the first free slot"
    assert "today" not in said(outcome) and "opens tomorrow at 08:00" in said(outcome)


async def test_in_opening_hours_the_urgent_offer_is_a_visit_today(
    brain: Brain, store: Store
) -> None:
    morning = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)  # 10:00 at the clinic
    desk = FrontDesk(brain, store, clock=lambda: morning)
    outcome = await desk.handle_text(PATIENT, "terrible toothache since last night")
    assert buttons(outcome)[0] == "Ask for a visit today"


async def test_a_symptom_that_is_the_reason_for_a_treatment_gets_that_treatment(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "bleeding gums treatment")
    assert (outcome.intent, cases_opened(outcome)) == ("gum_treatment", [])
    assert not VISIT_BUTTONS & set(buttons(outcome))  # no same-day alarm for a planned visit
    wants = await front_desk.handle_text(
        "console:ana", "my daughter wants veneers for her chipped front tooth, how much"
    )
    assert wants.intent == "veneers"


async def test_the_same_symptom_with_a_red_flag_or_alone_is_still_urgent(
    front_desk: FrontDesk,
) -> None:
    flagged = await front_desk.handle_text(
        PATIENT, "my gums keep bleeding and my face is swollen, do you do gum treatment"
    )
    assert cases_opened(flagged)  # a red flag: a person at once
    alone = await front_desk.handle_text("console:ana", "chipped my front tooth on a fork")
    assert VISIT_BUTTONS & set(buttons(alone))


async def test_a_symptom_of_another_part_of_the_body_is_no_dental_matter(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "my feet swell up on long flights")
    assert (outcome.route, cases_opened(outcome)) == ("OffTopic", [])
    assert "dental clinic" in said(outcome)


async def test_asking_what_an_urgent_visit_costs_gets_each_part_and_the_total(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "how much is an emergency visit")
    reply = said(outcome)
    knowledge = brain.knowledge
    for part in knowledge.bundles["urgent_visit"].parts:
        assert knowledge.components[part].name in reply
    bundle = knowledge.bundles["urgent_visit"]
    total = quote_bundle(bundle, knowledge.components).total
    assert format_range(total, knowledge.clinic.currency) in reply
    assert VISIT_BUTTONS & set(buttons(outcome)) and cases_opened(outcome) == []


async def test_pain_with_a_price_question_gets_the_advice_and_the_price(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my tooth is killing me, how much will it cost to see someone today"
    )
    reply = said(outcome)
    assert "painkiller" in reply and "Periapical X-ray" in reply


async def test_a_patient_who_denies_swelling_and_fever_gets_urgent_advice_not_a_handover(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my lower molar has ached since sunday")
    outcome = await front_desk.handle_text(
        PATIENT, "there's no swelling and i don't have a fever, it mostly aches when i lie down"
    )
    assert cases_opened(outcome) == []
    assert brain.knowledge.clinic.emergency_number not in said(outcome)
    assert VISIT_BUTTONS & set(buttons(outcome))


async def test_a_patient_whose_jaw_is_not_swollen_keeps_the_same_day_offer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my lower molar has ached since sunday")
    outcome = await front_desk.handle_text(PATIENT, "my jaw is not swollen, the tooth just throbs")
    assert cases_opened(outcome) == []
    assert VISIT_BUTTONS & set(buttons(outcome))


async def test_a_toothache_told_with_its_red_flags_denied_gets_the_same_day_offer(
    front_desk: FrontDesk,
) -> None:
    denials = [
        "toothache on the left side, neither swelling nor fever so far",
        "my filling fell out and the tooth aches, I haven't had any fever",
        "broke a molar on a bone last night, no jaw swelling or fever",
        "my gum is sore, my cheek isn't swollen and there's no sign of a temperature",
        "my tooth aches without any fever",
    ]
    for number, text in enumerate(denials):
        outcome = await front_desk.handle_text(f"console:denies{number}", text)
        assert cases_opened(outcome) == [], text
        assert VISIT_BUTTONS & set(buttons(outcome)), text


async def test_a_real_red_flag_next_to_a_denied_one_still_gets_a_person_at_once(
    front_desk: FrontDesk, brain: Brain
) -> None:
    flagged = [
        "no fever, but since this morning my cheek has started to swell",
        "no fever my face is swelling up on one side",  # no comma: only the fever is denied
        "I don't think I have a temperature but my jaw is swollen and it hurts to swallow",
        "it doesn't hurt much anymore but my face keeps swelling",
        "no fever or anything like that but the swelling from my tooth is spreading down my neck",
    ]
    for number, text in enumerate(flagged):
        outcome = await front_desk.handle_text(f"console:flagged{number}", text)
        assert cases_opened(outcome) == ["emergency"], text
        assert brain.knowledge.clinic.emergency_number in said(outcome), text


async def test_doubt_or_another_complaint_does_not_take_back_a_red_flag(
    front_desk: FrontDesk,
) -> None:
    flagged = [
        "I'm not sure whether it's infected, my whole jaw is swollen",
        "couldn't sleep last night, my jaw is swollen",
        "the socket doesn't stop bleeding, I've changed the gauze three times",
    ]
    for number, text in enumerate(flagged):
        outcome = await front_desk.handle_text(f"console:unsure{number}", text)
        assert cases_opened(outcome) == ["emergency"], text


async def test_a_little_bleeding_after_an_extraction_with_no_fever_is_aftercare(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "had a tooth taken out on friday, still oozing a bit of blood but no fever, is that ok?",
    )
    assert outcome.intent == "aftercare" and cases_opened(outcome) == []
    assert "Talk to a person" in buttons(outcome)


async def test_swelling_that_reaches_the_neck_or_throat_gets_a_person_at_once_with_no_tooth_named(
    front_desk: FrontDesk, brain: Brain
) -> None:
    spreading = [
        "the swelling is spreading down my neck",
        "the swelling has crept down into my neck overnight",
        "my neck is swelling up on the left and it's hard to swallow",
        "my throat is swelling shut",
        "since lunch the swelling spread to my throat and i can barely breathe",
        "it's gone all swollen under my chin and my neck is swollen too",
    ]
    for number, text in enumerate(spreading):
        outcome = await front_desk.handle_text(f"console:neck{number}", text)
        assert cases_opened(outcome) == ["emergency"], text
        assert brain.knowledge.clinic.emergency_number in said(outcome), text


async def test_a_patient_whose_neck_is_not_swollen_is_not_handed_over(
    front_desk: FrontDesk, brain: Brain
) -> None:
    denials = [
        "no swelling in my neck, only a scratchy throat",
        "my neck isn't swollen at all, it's just stiff",
    ]
    for number, text in enumerate(denials):
        outcome = await front_desk.handle_text(f"console:noneck{number}", text)
        assert cases_opened(outcome) == [], text
        assert brain.knowledge.clinic.emergency_number not in said(outcome), text


async def test_a_stiff_neck_a_cold_or_swelling_in_a_knee_or_eye_is_no_dental_emergency(
    front_desk: FrontDesk,
) -> None:
    elsewhere = [
        "woke up with a stiff neck, can barely turn my head",
        "my neck hurts after sleeping on a bad pillow",
        "I've got a cold and a sore throat",
        "I have a sore throat and a fever since saturday",
        "the swelling in my knee is spreading up my leg",
        "my ankle swelling keeps spreading",
        "my eye is puffy and swollen from an allergy to pollen",
        "my knee is swollen and my neck is stiff",
    ]
    for number, text in enumerate(elsewhere):
        outcome = await front_desk.handle_text(f"console:elsewhere{number}", text)
        assert (outcome.route, cases_opened(outcome)) == ("OffTopic", []), text


async def test_asking_whether_emergencies_are_seen_at_the_weekend_gets_how_and_those_days_hours(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "are you open for emergencies at the weekend?")
    reply = said(outcome)
    assert outcome.intent == "emergency"
    assert "Saturday" in reply and "closed on Sunday" in reply
    assert "Which tooth" not in reply  # a question about the clinic, no problem to ask about
    assert "painkiller" not in reply
    assert cases_opened(outcome) == []
    assert VISIT_BUTTONS & set(buttons(outcome))


async def test_asking_how_emergencies_are_handled_is_answered_but_one_reported_gets_the_advice(
    front_desk: FrontDesk,
) -> None:
    asked = await front_desk.handle_text(PATIENT, "do your dentists deal with emergencies?")
    assert "every day we're open" in said(asked) and "Which tooth" not in said(asked)
    reported = await front_desk.handle_text(
        "console:someone-else", "i have an emergency, my crown came off and it hurts"
    )
    assert "painkiller" in said(reported)


async def test_a_day_asked_beside_a_toothache_gets_its_hours_before_the_question(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "my tooth is killing me, are you open sunday?")
    reply = said(outcome)
    assert "closed on Sunday" in reply and "911" in reply
    assert reply.rstrip().endswith("?") and reply.index("closed on Sunday") < reply.rindex("\n")


async def test_a_question_on_the_treatment_after_the_advice_is_about_that_treatment(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "what kind of crowns do you make?")
    advice = await front_desk.handle_text(PATIENT, "is for front tooth, it broke when I eat nuts")
    assert "painkiller" in said(advice)
    outcome = await front_desk.handle_text(PATIENT, "and how many visits would it be?")
    assert (outcome.intent, outcome.facet) == ("crowns", "duration")
    assert "painkiller" not in said(outcome)


async def test_the_treatment_named_beside_a_toothache_is_what_its_follow_ups_ask_about(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT,
        "my tooth started throbbing on saturday. a friend said i might need a root filling",
    )
    outcome = await front_desk.handle_text(PATIENT, "And how many visits would it usually be?")
    assert (outcome.intent, outcome.facet) == ("root_canal", "duration")


async def test_more_told_after_the_advice_is_thanked_not_advised_again(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "my tooth is throbbing since the weekend")
    outcome = await front_desk.handle_text(
        PATIENT, "It isn't throbbing now, just a little tender when I bite."
    )
    assert "painkiller" not in said(outcome)
    assert VISIT_BUTTONS & set(buttons(outcome))


async def test_a_word_of_praise_before_a_question_is_no_complaint_about_our_work(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "My old bridge is loose. My sister had a new one made and is very pleased with it. "
        "Could you tell me how much one costs?",
    )
    assert cases_opened(outcome) == []
    assert outcome.intent == "bridges"


async def test_a_problem_with_our_work_told_over_two_sentences_goes_to_a_person(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "the crown you made for me last month. It fell off today"
    )
    assert cases_opened(outcome) == ["warranty_claim"]


async def test_a_tooth_knocked_out_years_ago_is_a_question_about_replacing_it(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my front tooth was knocked out years ago, can i get an implant?"
    )
    assert cases_opened(outcome) == []
    assert outcome.intent == "implants"


async def test_an_old_abscess_with_a_face_swelling_now_is_still_an_emergency(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "I had an abscess years ago and now my face is swelling again"
    )
    assert cases_opened(outcome) == ["emergency"]


async def test_a_child_who_fell_and_broke_a_tooth_with_a_lot_of_blood_goes_to_a_person(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my daughter fell and broke her front tooth, theres a lot of blood"
    )
    assert cases_opened(outcome) == ["emergency"]


async def test_a_spreading_swelling_with_a_hot_child_is_handed_over_mid_conversation(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "Hi, do you treat kids? my son is 8")
    await front_desk.handle_text(PATIENT, "how much is a filling for a kid")
    outcome = await front_desk.handle_text(
        PATIENT,
        "oh and now his cheek is getting puffy and spreading and he feels hot, is that bad?",
    )
    assert cases_opened(outcome) == ["emergency"]


async def test_an_accident_years_ago_told_about_a_missing_tooth_is_no_emergency(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long does a dental implant last?")
    outcome = await front_desk.handle_text(
        PATIENT, "upper front, lost it in a car accident last year"
    )
    assert cases_opened(outcome) == []
    assert outcome.route == "AnswerToQuestion"


async def test_a_broken_tooth_with_a_treatment_s_price_asked_gets_both_prices_once(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "broke half my tooth on a nut 😭 do i need a crown? how much"
    )
    knowledge = brain.knowledge
    crown = quote_bundle(
        knowledge.bundles[knowledge.services["crowns"].bundle], knowledge.components
    )
    assert format_range(crown.total, knowledge.clinic.currency) in said(outcome)
    assert "paid once" in said(outcome)
    assert outcome.answered == ["emergency", "crowns"]


async def test_which_tooth_told_after_aftercare_advice_is_noted(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(
        PATIENT,
        "i had my implant placed at your clinic 2 months ago, when do i get the crown on it",
    )
    outcome = await front_desk.handle_text(PATIENT, "its the upper right premolar")
    assert "upper right" in said(outcome) and "didn't get" not in said(outcome)
    assert cases_opened(outcome) == []


async def test_another_question_beside_is_it_normal_after_a_treatment_is_answered_too(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "had a filling done yesterday and its still a bit sensitive to cold, is that normal?"
        " also how much is a cleaning",
    )
    assert outcome.answered == ["aftercare", "hygiene"]
    assert "sensitive to cold" in said(outcome) and "$225" in said(outcome)
    assert "Talk to a person" in buttons(outcome)
    (person,) = [c for m in outcome.messages for c in m.choices if c.label == "Talk to a person"]
    pressed = await front_desk.handle_choice(PATIENT, person.value)
    assert cases_opened(pressed)  # the button still works after the second answer


async def test_the_price_asked_after_an_emergency_hand_over_is_answered(
    front_desk: FrontDesk, store: Store, brain: Brain
) -> None:
    await handed_back(front_desk, store, "my face is swollen and i have a fever")
    priced = await handed_back(front_desk, store, "how much does an urgent visit cost")
    assert cases_opened(priced) == [] and priced.intent == "emergency"
    assert "$" in said(priced)


async def test_a_broken_tooth_said_to_look_awful_is_the_answer_not_a_complaint(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "broke half my front tooth on a fork. can you fix it")
    outcome = await front_desk.handle_text(
        PATIENT, "upper front, doesnt hurt, just sharp and looks awful"
    )
    assert cases_opened(outcome) == []
    assert "upper front" in said(outcome)
    ours = await front_desk.handle_text(PATIENT, "and the filling you did last week looks awful")
    assert cases_opened(ours) != []


async def test_a_crown_to_glue_back_priced_is_the_urgent_visit_not_a_new_crown(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my crown came off eating a sandwich. can you glue it back and what does it cost"
    )
    knowledge = brain.knowledge
    crown = quote_bundle(
        knowledge.bundles[knowledge.services["crowns"].bundle], knowledge.components
    )
    assert outcome.intent == "emergency" and "$125" in said(outcome)
    assert format_range(crown.total, knowledge.clinic.currency) not in said(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "HELP my daughter got hit with a ball and her front tooth came out completely!!",
        "my son's adult tooth came out when he fell at football, we have it",
        "was hit in a game and a whole tooth came out",
    ],
)
async def test_a_tooth_knocked_out_whole_is_an_emergency_for_a_person(
    front_desk: FrontDesk, brain: Brain, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == ["emergency"]
    assert brain.knowledge.clinic.emergency_number in said(outcome)


async def test_a_baby_tooth_that_came_out_is_no_emergency(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my 6 year old's wobbly baby tooth came out last night, is that ok"
    )
    assert cases_opened(outcome) == []


@pytest.mark.parametrize(
    "asked", ["can he be seen today??", "do you have anything today", "how fast can u see her"]
)
async def test_a_visit_asked_for_right_after_an_emergency_goes_to_the_person(
    front_desk: FrontDesk, store: Store, asked: str
) -> None:
    await handed_back(front_desk, store, "his cheek is swollen up badly and he has a fever")
    seen = await handed_back(front_desk, store, asked)
    assert cases_opened(seen) == ["emergency"]
    assert "been to our clinic before" not in said(seen)  # no booking form in an emergency


@pytest.mark.parametrize(
    "text",
    [
        "my son 14 took an elbow to the face at basketball, his front tooth is cracked and "
        "wobbly and his lip is swollen",
        "hes had toothache for 2 days and this morning one side of his face is all puffy and "
        "hes burning up, ive given him calpol",
    ],
)
async def test_a_blow_to_the_face_or_a_puffy_face_with_fever_is_an_emergency_for_a_person(
    front_desk: FrontDesk, brain: Brain, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert cases_opened(outcome) == ["emergency"]


async def test_aftercare_told_more_right_after_is_not_the_same_advice_again(
    front_desk: FrontDesk, brain: Brain
) -> None:
    first = await front_desk.handle_text(
        PATIENT, "got my wisdom tooth out at yours on monday, still pretty sore, is that normal"
    )
    recovery = brain.replies.facet("wisdom_teeth", "recovery", 0) or ""
    assert recovery.split(".")[0] in said(first)
    told = await front_desk.handle_text(
        PATIENT, "its the bottom right, no fever, swelling going down"
    )
    assert told.intent == "aftercare" and cases_opened(told) == []
    assert recovery.split(".")[0] not in said(told)
    assert "lower right" in said(told) and "swelling" not in said(told).split(")")[0]
    assert "Talk to a person" in buttons(told)
    gym = await front_desk.handle_text(PATIENT, "when can i go back to the gym")
    assert recovery.split(".")[0] not in said(gym) and "Talk to a person" in buttons(gym)


async def test_pain_getting_worse_days_after_our_treatment_goes_to_a_person(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "day 4 after my wisdom tooth came out and the pain is getting worse not better"
    )
    assert cases_opened(outcome) != []


async def test_mild_swelling_told_after_the_aftercare_advice_stays_aftercare(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "had a tooth pulled yesterday, is some bleeding normal")
    told = await front_desk.handle_text(
        PATIENT, "bottom right back one. pain is ok with ibuprofen, cheek is a little swollen"
    )
    assert told.intent == "aftercare" and cases_opened(told) == []
    food = await front_desk.handle_text(PATIENT, "when can i eat normal food again")
    assert food.intent == "aftercare" and cases_opened(food) == []
    spreading = await front_desk.handle_text(
        PATIENT, "its a little swollen and spreading to my neck"
    )
    assert spreading.intent == "emergency"


async def test_how_the_healing_goes_told_after_the_advice_is_taken_as_aftercare(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "my root canal was finished monday, still tender when i chew. normal?"
    )
    told = await front_desk.handle_text(
        PATIENT, "no swelling no fever, just sore. taking paracetamol and its fine"
    )
    assert told.intent == "aftercare" and cases_opened(told) == []


@pytest.mark.parametrize(
    "text",
    ["my teeth are really sensitive to cold, what can you do about it", "my teeth are sensitive"],
)
async def test_sensitivity_told_with_no_treatment_had_is_a_check_up_not_aftercare(
    front_desk: FrontDesk, text: str
) -> None:
    outcome = await front_desk.handle_text(PATIENT, text)
    assert outcome.intent == "checkup"
    assert "numbness" not in said(outcome)  # not the after-treatment advice


async def test_could_it_be_a_cavity_is_answered_honestly_that_the_exam_tells(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "my teeth are really sensitive to cold")
    outcome = await front_desk.handle_text(PATIENT, "could it be a cavity")
    wordings = brain.knowledge.replies["diagnosis_unseen"]
    assert said(outcome).split("\n\n")[0] in wordings
    assert cases_opened(outcome) == []
    visit = await front_desk.handle_text(PATIENT, "could it be done in one visit")
    assert visit.facet == "duration"


async def test_swelling_asked_about_ahead_of_a_treatment_is_its_recovery_not_an_emergency(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you take out wisdom teeth?")
    outcome = await front_desk.handle_text(PATIENT, "ok and will my face swell up lol")
    assert (outcome.intent, outcome.facet) == ("wisdom_teeth", "recovery")
    assert not cases_opened(outcome)
    bleeding = await front_desk.handle_text(
        "console:other", "will it stop bleeding? its been bleeding for 3 hours"
    )
    assert bleeding.intent == "emergency"  # happening now: still urgent


async def test_gums_bleeding_for_weeks_asked_with_gum_treatment_named_is_no_emergency(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my gums have been bleeding for several weeks. do you provide gum treatment, and would"
        " my insurance cover it?",
    )
    assert outcome.intent == "gum_treatment" and not cases_opened(outcome)
    assert "insurance" in outcome.answered


async def test_gums_that_bleed_a_lot_on_brushing_are_no_emergency_but_bleeding_that_wont_is(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my gums have been bleeding a lot when i brush for weeks, do you do gum treatment"
    )
    assert outcome.intent == "gum_treatment" and not cases_opened(outcome)
    after = await front_desk.handle_text(
        "console:other", "had a tooth out this morning and its bleeding a lot"
    )
    assert after.intent == "emergency"


async def test_a_blow_months_ago_told_with_nothing_happening_now_is_no_emergency(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how long does an implant last")
    told = await front_desk.handle_text(
        PATIENT, "upper front, got knocked out in a fall 2 months ago"
    )
    assert told.route == "AnswerToQuestion" and told.intent == "implants"
    assert not cases_opened(told)
    now = await front_desk.handle_text(
        "console:other", "got my tooth knocked out in a fall 2 months ago and now its throbbing"
    )
    assert now.intent == "emergency"  # happening now
