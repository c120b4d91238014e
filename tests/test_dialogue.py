"""The core conversation: what a patient sees and what the clinic records."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Brain, FrontDesk, HandoffOpened, OfferShown, RelayedToStaff
from bot.store import Database, Store

PATIENT = "console:anna"


def texts(outcome: object) -> str:
    """All message texts of an outcome, joined."""
    return "\n".join(message.text for message in outcome.messages)  # type: ignore[attr-defined]


async def test_first_greeting_introduces_the_assistant(front_desk: FrontDesk) -> None:
    first = await front_desk.handle_text(PATIENT, "hello")
    second = await front_desk.handle_text(PATIENT, "hi there")
    assert "assistant" in texts(first).lower()
    assert texts(first) != texts(second)


async def test_greeting_in_front_of_a_question_answers_the_question(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "hi, do you treat kids")
    assert outcome.intent == "children"
    assert "$" in texts(outcome)


async def test_offer_is_shown_once_across_conversations_and_after_reopening(
    brain: Brain, tmp_path: Path
) -> None:
    path = tmp_path / "offers.sqlite3"
    store = Store(Database(path))
    await store.open()
    desk = FrontDesk(brain, store)
    first = await desk.handle_text(PATIENT, "how much is a root canal")
    again = await desk.handle_text(PATIENT, "root canal price please")
    await store.close()

    reopened = Store(Database(path))
    await reopened.open()
    later = await FrontDesk(brain, reopened).handle_text(PATIENT, "can you do a root canal")
    shown = await reopened.conversations.offers_shown(
        (await reopened.patients.find(PATIENT)).id  # type: ignore[union-attr]
    )
    await reopened.close()

    assert [e for e in first.effects if isinstance(e, OfferShown)]
    assert "gutta-percha" in texts(first)
    assert "gutta-percha" not in texts(again)
    assert "gutta-percha" not in texts(later)
    assert [offer_id for offer_id, _ in shown] == ["warm_gutta_percha"]


async def test_offer_is_shown_to_each_patient_separately(front_desk: FrontDesk) -> None:
    anna = await front_desk.handle_text("console:anna", "how much is a root canal")
    boris = await front_desk.handle_text("console:boris", "how much is a root canal")
    assert "gutta-percha" in texts(anna)
    assert "gutta-percha" in texts(boris)


async def test_asking_twice_gets_different_wording_with_the_same_total(
    front_desk: FrontDesk,
) -> None:
    first = await front_desk.handle_text(PATIENT, "can i get implants")
    second = await front_desk.handle_text(PATIENT, "can i get implants")
    assert texts(first).split("\n\n")[0] != texts(second).split("\n\n")[0]


async def test_off_topic_gets_we_are_a_dental_clinic_and_what_it_does_never_a_case(
    front_desk: FrontDesk,
) -> None:
    for question in (
        "what's the best pizza in town",
        "where can i get botox",
        "what's the best pizza in town",
    ):
        outcome = await front_desk.handle_text(PATIENT, question)
        assert outcome.intent == "off_topic"
        assert "dental clinic" in texts(outcome).lower()
        assert "Dental implants" in texts(outcome) or "implant" in texts(outcome).lower()
        assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_gibberish_gets_did_not_understand_and_the_offer_of_a_person(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "zxqv blorp")
    assert outcome.intent is None
    assert "didn't" in texts(outcome).lower() or "not sure" in texts(outcome).lower()
    assert [choice.label for choice in outcome.messages[-1].choices] == ["Talk to a person"]


async def test_two_misunderstandings_in_a_row_hand_over(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "zxqv blorp")
    outcome = await front_desk.handle_text(PATIENT, "qwerty asdf")
    handoffs = [e for e in outcome.effects if isinstance(e, HandoffOpened)]
    assert handoffs and handoffs[0].reason == "not_understood"
    case = await front_desk.store.cases.get(handoffs[0].case_id)
    assert case is not None and case.status == "open"


async def test_a_misunderstanding_then_an_answer_resets_the_count(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "zxqv blorp")
    await front_desk.handle_text(PATIENT, "what are your opening hours")
    outcome = await front_desk.handle_text(PATIENT, "qwerty asdf")
    assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_pressing_talk_to_a_person_opens_a_case(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "zxqv blorp")
    outcome = await front_desk.handle_text(PATIENT, "1")
    assert [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_emergency_is_handed_over_even_inside_another_question(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my cheek is swollen since yesterday, also how much are implants"
    )
    reply = texts(outcome)
    assert outcome.intent == "emergency"
    assert front_desk.brain.knowledge.clinic.phone in reply
    assert front_desk.brain.knowledge.clinic.emergency_number in reply
    assert [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_during_a_handoff_the_bot_is_silent_and_relays(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "i want to speak to a real person")
    outcome = await front_desk.handle_text(PATIENT, "how much is whitening")
    assert outcome.messages == []
    assert [e for e in outcome.effects if isinstance(e, RelayedToStaff)]


async def test_complaint_is_handed_to_a_person(front_desk: FrontDesk) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "I am very unhappy, the receptionist was rude to me yesterday"
    )
    assert outcome.intent == "complaint"
    assert [e for e in outcome.effects if isinstance(e, HandoffOpened)]


async def test_practical_answers_come_from_the_clinic_facts(front_desk: FrontDesk) -> None:
    clinic = front_desk.brain.knowledge.clinic
    where = await front_desk.handle_text(PATIENT, "whats your address")
    assert clinic.address in texts(where)
    phone = await front_desk.handle_text(PATIENT, "what is your phone number")
    assert clinic.phone in texts(phone)


async def test_forget_me_asks_first_then_erases_every_message(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "how much is a root canal")
    asked = await front_desk.handle_text(PATIENT, "please delete all my data")
    assert [choice.value for choice in asked.messages[-1].choices] == ["erase:yes", "erase:no"]
    await front_desk.handle_choice(PATIENT, "erase:yes")
    rows = await front_desk.store.database.fetch_all("SELECT text FROM messages")
    assert rows == []
    assert await front_desk.store.patients.find(PATIENT) is None


async def test_forget_me_can_be_cancelled(front_desk: FrontDesk) -> None:
    await front_desk.handle_text(PATIENT, "erase my personal data")
    await front_desk.handle_text(PATIENT, "no")
    assert await front_desk.store.patients.find(PATIENT) is not None


async def test_opt_out_is_confirmed_and_start_restores(front_desk: FrontDesk) -> None:
    stopped = await front_desk.handle_text(PATIENT, "stop messaging me")
    patient = await front_desk.store.patients.find(PATIENT)
    assert patient is not None and patient.opted_out
    assert "start" in texts(stopped).lower()
    await front_desk.handle_text(PATIENT, "start")
    patient = await front_desk.store.patients.find(PATIENT)
    assert patient is not None and not patient.opted_out


async def test_a_bare_ok_is_acknowledged_and_never_hands_over(front_desk: FrontDesk) -> None:
    for text in ("ok", "ok", "👍", "sure"):
        outcome = await front_desk.handle_text(PATIENT, text)
        assert not [e for e in outcome.effects if isinstance(e, HandoffOpened)]
        assert "anything else" in texts(outcome).lower() or "another question" in texts(outcome)


async def test_never_had_one_said_of_a_cleaning_is_an_answer_not_a_complaint(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a professional cleaning")
    outcome = await front_desk.handle_text(PATIENT, "never had one tbh. im 34")
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)
    assert outcome.intent == "hygiene"


async def test_how_often_said_in_answer_to_the_bot_is_an_answer_not_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is teeth whitening")
    outcome = await front_desk.handle_text(
        PATIENT, "once with strips from the pharmacy, didnt do much"
    )
    assert outcome.intent == "whitening"
    assert "dental clinic" not in texts(outcome)


async def test_reminders_asked_about_after_stopping_messages_get_an_honest_no(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "stop sending me messages")
    outcome = await front_desk.handle_text(
        PATIENT, "will i still get the reminder the day before my appointment?"
    )
    assert texts(outcome) in brain.knowledge.replies["reminders_opted_out"]
    assert outcome.messages[-1].choices  # each kind can be taken back, with consent asked


async def test_fear_of_the_dentist_told_alone_gets_how_we_keep_it_gentle(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "im really scared of dentists, havent been in 8 years"
    )
    assert outcome.intent == "anesthesia" and "didn't get that" not in texts(outcome)
    asleep = await front_desk.handle_text(
        "console:other", "im terrified of dentists, can you put me to sleep for it?"
    )
    assert asleep.intent == "sedation"


async def test_something_of_the_patients_life_told_after_the_bots_question_is_no_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "my daughter wants braces or invisalign, which is better?"
    )
    outcome = await front_desk.handle_text(PATIENT, "she plays the trumpet in the school band")
    assert "dental clinic" not in texts(outcome) and outcome.intent == "orthodontics"


async def test_a_symptom_felt_most_mornings_after_the_day_was_asked_is_no_request(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "wife says i grind my teeth at night like a chainsaw. do you make mouth guards"
    )
    told = await front_desk.handle_text(PATIENT, "yeah jaw is sore most mornings, headaches too")
    assert told.intent == "night_guard"
    assert "time" not in told.details


async def test_a_chip_told_as_what_veneers_should_change_is_no_urgent_visit(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "hi there, how much are veneers")
    told = await front_desk.handle_text(PATIENT, "mostly the colour and one chipped front tooth")
    assert told.intent == "veneers"
    assert not told.messages[0].choices  # no "first free slot" or person buttons
    assert "closed" not in texts(told) and "free slot" not in texts(told)


async def test_a_treatment_told_in_answer_to_what_it_is_for_keeps_the_subject(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do sedation? for the nervous ones")
    told = await front_desk.handle_text(PATIENT, "a filling. i hate needles")
    assert told.route == "AnswerToQuestion" and told.intent == "sedation"
    price = await front_desk.handle_text(PATIENT, "cost")
    assert (price.intent, price.facet) == ("sedation", "price")  # not the filling's


async def test_a_time_span_said_unsure_with_a_question_mark_is_still_the_answer(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a professional cleaning")
    told = await front_desk.handle_text(PATIENT, "hmm maybe 2 years? not sure")
    assert told.route == "AnswerToQuestion" and told.intent == "hygiene"


async def test_asking_to_stop_the_reminders_opts_out_rather_than_offering_more(
    front_desk: FrontDesk,
) -> None:
    stopped = await front_desk.handle_text(
        PATIENT, "please quit texting me the reminders, one is plenty"
    )
    patient = await front_desk.store.patients.find(PATIENT)
    assert patient is not None and patient.opted_out
    assert not [choice for message in stopped.messages for choice in message.choices]


async def test_a_language_asked_for_names_the_doctor_who_speaks_it_or_says_none_does(
    front_desk: FrontDesk,
) -> None:
    spoken = await front_desk.handle_text(PATIENT, "is there a portuguese-speaking dentist?")
    assert "Dr. Miguel Santos speaks Portuguese" in texts(spoken)
    await front_desk.handle_text(PATIENT, "how much is a cleaning")
    none = await front_desk.handle_text(
        PATIENT, "my dad mostly speaks polish. does anyone there speak polish"
    )
    assert none.intent == "doctors" and "Polish" in texts(none)  # not the cleaning's polishing
    assert "Dr." not in texts(none)  # no doctor is claimed to speak it


async def test_getting_in_with_a_wheelchair_is_answered_not_handed_to_the_doctor(
    front_desk: FrontDesk,
) -> None:
    both = await front_desk.handle_text(
        PATIENT,
        "my dad had a stroke last year and uses a wheelchair. is there a lift, and can he be "
        "treated in his wheelchair?",
    )
    assert not [e for e in both.effects if isinstance(e, HandoffOpened)]
    assert "elevator" in texts(both)  # how to get in
    assert "dental chair" in texts(both)  # and how the visit is planned around the wheelchair
    medical = await front_desk.handle_text(
        PATIENT, "im on warfarin, can i have a tooth out? also is there a lift"
    )
    assert [e for e in medical.effects if isinstance(e, HandoffOpened)]  # still the doctor's


async def test_staying_in_the_wheelchair_for_a_treatment_keeps_the_treatment_as_the_topic(
    front_desk: FrontDesk,
) -> None:
    chair = await front_desk.handle_text(
        PATIENT, "can my aunt stay in her wheelchair for the filling?"
    )
    assert "dental chair" in texts(chair)
    price = await front_desk.handle_text(PATIENT, "how much is it")
    assert price.intent == "filling" and "$" in texts(price)


async def test_an_insurer_whose_name_looks_like_human_is_the_insurance_question(
    front_desk: FrontDesk,
) -> None:
    asked = await front_desk.handle_text(PATIENT, "I have humana. do you accept it?")
    assert asked.intent == "insurance" and "Humana" in texts(asked)
    assert not [e for e in asked.effects if isinstance(e, HandoffOpened)]  # no person needed


@pytest.mark.parametrize(
    "asked",
    ["what time do you open, we have to book a taxi", "whats the latest u do, i finish at 5"],
)
async def test_our_hours_asked_beside_a_reason_from_elsewhere_is_no_off_topic_question(
    front_desk: FrontDesk, asked: str
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a filling")
    hours = await front_desk.handle_text(PATIENT, asked)
    assert hours.intent == "hours"  # not "we're a dental clinic" because of the taxi
    assert "Saturday" in texts(hours)


async def test_someone_coming_in_with_the_patient_is_welcome_not_a_child_s_visit(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you make dentures")
    along = await front_desk.handle_text(PATIENT, "Can my son come in with me")
    assert "welcome" in texts(along)
    assert "child" not in texts(along).lower()  # a grown son who comes along, not a patient
    price = await front_desk.handle_text(PATIENT, "and how much are they")
    assert price.intent == "dentures"  # the dentures are still the subject
    same_time = await front_desk.handle_text(PATIENT, "can my son come with me the same time")
    assert same_time.intent == "booking"  # a visit for him too is a request, as before


async def test_a_price_asked_with_a_lead_in_names_its_treatment_not_the_whole_list(
    front_desk: FrontDesk,
) -> None:
    asked = await front_desk.handle_text(
        PATIENT, "Right. Meanwhile could you give me a rough idea what a filling costs"
    )
    assert (asked.intent, asked.facet) == ("filling", "price")  # not every price we have
    assert "Crown" not in texts(asked)
