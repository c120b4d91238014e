"""What the bot picks up from what patients write in passing, as they would notice it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.details import (
    DETAIL_KEYS,
    extract_details,
    extract_quantities,
    is_question,
    split_questions,
    warm_up,
)
from bot.models import Vocabulary
from bot.yaml_lines import load_yaml

#: A Wednesday: "tomorrow" is Thursday 26 November, "the 3rd" is Thursday 3 December.
WEDNESDAY = dt.date(2026, 11, 25)
INSURERS = (
    "Delta Dental",
    "MetLife",
    "Cigna",
    "Aetna",
    "Guardian",
    "UnitedHealthcare",
    "Humana",
    "Blue Cross Blue Shield",
    "Principal",
)
VOCABULARY = Path(__file__).resolve().parent.parent / "intents" / "vocabulary.yaml"
#: The shipped symptom words (managers extend them in intents/vocabulary.yaml).
SYMPTOMS = Vocabulary.model_validate(load_yaml(VOCABULARY)).symptoms


def details(text: str) -> dict[str, str]:
    """The details of a message written on WEDNESDAY, with INSURERS and SYMPTOMS known."""
    return extract_details(text, WEDNESDAY, INSURERS, symptoms=SYMPTOMS)


# -- days and dates --------------------------------------------------------------------------


def test_a_weekday_with_a_part_of_day_is_said_back_as_written() -> None:
    found = details("tuesday afternoon works")
    assert found["day"] == "tuesday afternoon"
    assert found["weekdays"] == "tuesday"
    assert found["time"] == "afternoon"


def test_after_work_or_after_school_is_the_time_wished_and_said_back_with_the_day() -> None:
    found = details("can i come tuesday after work?")
    assert found["day"] == "tuesday after work"
    assert found["time"] == "after work"
    assert details("what times do you have after school?")["time"] == "after school"


def test_an_age_in_brackets_after_the_person_is_their_age() -> None:
    assert details("my daughter (16) wants braces or invisalign")["age"] == "16"
    assert "age" not in details("the tooth (16) hurts")


def test_a_bare_weekday_pins_no_date_because_it_may_mean_any_such_day() -> None:
    assert "date" not in details("can i come saturday?")
    assert details("can i come saturday?")["weekdays"] == "saturday"


def test_the_weekend_asks_about_saturday_and_sunday() -> None:
    found = details("anything at the weekend?")
    assert found["day"] == "the weekend"
    assert found["weekdays"] == "saturday,sunday"


def test_tomorrow_is_the_day_after_today_with_its_weekday_and_date() -> None:
    found = details("tomorrow morning please")
    assert found["day"] == "tomorrow morning"
    assert found["weekdays"] == "thursday"
    assert found["date"] == "2026-11-26"
    assert found["time"] == "morning"


def test_today_is_todays_weekday_and_date() -> None:
    found = details("can you fix it today?")
    assert (found["day"], found["weekdays"], found["date"]) == ("today", "wednesday", "2026-11-25")


@pytest.mark.parametrize("text", ["can i come in right now??", "could you see me right away"])
def test_right_now_is_today(text: str) -> None:
    found = details(text)
    assert (found["day"], found["date"]) == ("today", "2026-11-25")


def test_any_weekday_asks_about_monday_to_friday() -> None:
    found = details("any weekday is fine")
    assert found["weekdays"] == "monday,tuesday,wednesday,thursday,friday"
    assert found["day"] == "any weekday"


def test_a_refused_day_is_left_out_of_the_days_asked_about() -> None:
    found = details("any weekday except tuesday or wednesday")
    assert found["weekdays"] == "monday,thursday,friday"
    assert found["day"] == "any weekday except tuesday or wednesday"
    assert details("i can't do monday, tuesday is ok")["weekdays"] == "tuesday"


def test_next_tuesday_pins_the_coming_tuesday() -> None:
    found = details("next tuesday")
    assert (found["day"], found["date"]) == ("next tuesday", "2026-12-01")


def test_a_weekday_next_week_pins_that_day_of_next_week() -> None:
    assert details("saturday next week")["date"] == "2026-12-05"


@pytest.mark.parametrize("text", ["on the 3rd", "dec 3", "3 december", "December 3rd", "12/3"])
def test_a_calendar_date_is_resolved_and_said_back_with_its_weekday(text: str) -> None:
    found = details(text)
    assert found["date"] == "2026-12-03"
    assert found["weekdays"] == "thursday"
    assert found["day"] == "Thursday 3 December"


def test_a_date_already_past_this_year_means_next_year() -> None:
    found = details("nov 20 would be great")
    assert found["date"] == "2027-11-20"
    assert found["day"] == "Saturday 20 November 2027"


def test_the_part_of_day_goes_next_to_the_weekday_of_a_date() -> None:
    assert details("tuesday the 1st, morning")["day"] == "Tuesday morning, 1 December"


@pytest.mark.parametrize(
    "text",
    [
        "i'm 45",
        "2 implants",
        "is $500 ok",
        "it takes 45 minutes",
        "the 3rd molar hurts",
        "feb 30",
        "I may come 3 times",
        "I sat in the chair for hours",
        "the sun is out",
        "",
        "🦷🦷🦷",
        "99:99 31/31 0/0",
    ],
)
def test_text_without_a_date_gets_no_date(text: str) -> None:
    found = details(text)
    assert "date" not in found and "day" not in found and "weekdays" not in found


def test_a_habit_question_about_saturdays_names_the_weekday_but_is_no_day_to_book() -> None:
    found = details("do you work saturdays")
    assert found["weekdays"] == "saturday"
    assert "day" not in found


def test_called_with_only_the_text_it_uses_the_real_date() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert extract_details("tomorrow")["date"] == tomorrow.isoformat()


# -- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("at 3pm", "15:00"),
        ("14:30 friday", "14:30"),
        ("9.30am tomorrow", "09:30"),
        ("12/3 around 9", "around 09:00"),
        ("see you at noon tomorrow", "12:00"),
        ("between 2 and 4 on thursday", "between 14:00 and 16:00"),
        ("2-4pm", "between 14:00 and 16:00"),
        ("before 10 on monday", "before 10:00"),
        ("wednesdays 12 to 2 im free between lectures", "between 12:00 and 14:00"),
        ("tuesday 10-12", "between 10:00 and 12:00"),
    ],
)
def test_the_time_wished_is_given_on_the_24_hour_clock(text: str, time: str) -> None:
    assert details(text)["time"] == time


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("She finishes work at 4, so anything after 4:30 would be ideal.", "after 16:30"),
        ("i work till 5.30, so after 6", "after 18:00"),
        ("i work till 5 on weekdays", "after 17:00"),
        ("she finishes work at 4", "after 16:00"),
    ],
)
def test_the_end_of_the_patient_s_working_day_is_no_time_wished_but_after_it(
    text: str, time: str
) -> None:
    assert details(text)["time"] == time


def test_after_5_on_a_day_means_after_five_in_the_afternoon() -> None:
    assert details("tuesday after 5")["time"] == "after 17:00"
    assert details("can I come after 5?")["time"] == "after 17:00"


def test_an_hour_in_the_evening_is_read_as_pm_and_in_the_morning_as_am() -> None:
    assert details("friday evening at 7")["time"] == "19:00"
    assert details("monday morning at 8")["time"] == "08:00"


@pytest.mark.parametrize(
    "text", ["after 5 years of pain", "i'm 5 minutes away", "is $9.30 the price", "at 45"]
)
def test_amounts_of_time_or_money_are_no_time_of_day(text: str) -> None:
    assert "time" not in details(text)


@pytest.mark.parametrize(
    ("text", "time"),
    [("10 is perfect", "10:00"), ("ok 2 works", "14:00"), ("friday, 9 would be great", "09:00")],
)
def test_a_bare_hour_agreed_to_when_asked_when_is_the_time_wished(text: str, time: str) -> None:
    assert extract_details(text, WEDNESDAY, about_time=True)["time"] == time
    assert "time" not in extract_details("2 is enough", WEDNESDAY, about_time=True)
    assert "time" not in details(text)  # unasked, "10 is perfect" is no hour


@pytest.mark.parametrize(
    "text", ["need 2-3 fillings on tuesday", "monday 9 to 5 i work", "tuesday, takes 5 to 10 min"]
)
def test_counts_and_working_hours_beside_a_day_are_no_hours_wished(text: str) -> None:
    assert "time" not in details(text)


# -- ages and who ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my kid is six", "6"),
        ("my father is seventy-eight", "78"),
        ("she's 15", "15"),
        ("I am 45", "45"),
        ("for my son hes 14", "14"),
        ("my kids are 5 and 8", "5, 8"),
        ("my kids are 5, 8 and 11", "5, 8, 11"),
        ("a 3 year old with a cavity", "3"),
        ("my 6-year-old has a toothache", "6"),
        ("my baby is 18 months old", "18 months"),
        ("is 45 too old?", "45"),
    ],
)
def test_an_age_is_understood_in_words_or_digits(text: str, age: str) -> None:
    assert details(text)["age"] == age


@pytest.mark.parametrize(
    "text",
    [
        "2 implants",
        "at 3pm",
        "$500",
        "45 minutes",
        "lost it 2 years ago",
        "the filling is 10 years old",
        "my top plate needs redoing, mine is 12 years old",
        "want new crowns, the old ones are 20 years old",
        "i'm 30 weeks pregnant",
        "we're 2",
        "dec 3",
    ],
)
def test_quantities_times_prices_and_dates_are_no_age(text: str) -> None:
    assert "age" not in details(text)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("my son is 7, his tooth hurts", "child"),
        ("my 6 year old needs a checkup", "child"),
        ("my father is seventy-eight", "parent"),
        ("its for my mom", "parent"),
        ("my wife needs a cleaning", "partner"),
        ("my 45 year old husband", "partner"),
        ("it's for me", "self"),
        ("just for myself", "self"),
        ("its for my mom and my son", "parent"),
        ("my son and his mother", "child"),
    ],
)
def test_who_the_visit_is_for_is_the_first_person_mentioned(text: str, who: str) -> None:
    assert details(text)["who"] == who


@pytest.mark.parametrize(
    "text",
    [
        "i grind at night, my wife hears it",
        "my husband says i grind my teeth",
        "my mum noticed that my gums bleed",
    ],
)
def test_someone_who_only_noticed_the_patient_s_problem_is_not_who_it_is_for(text: str) -> None:
    assert "who" not in details(text)


@pytest.mark.parametrize(
    ("text", "who"),
    [("my son says his tooth hurts", "child"), ("my mum noticed a hole in her tooth", "parent")],
)
def test_someone_telling_of_their_own_problem_is_who_it_is_for(text: str, who: str) -> None:
    assert details(text)["who"] == who


def test_an_adult_age_alone_says_nothing_about_who() -> None:
    assert "who" not in details("a 45 year old man")
    assert "who" not in details("i'm 45")


def test_a_patient_s_own_childhood_is_not_a_child_patient() -> None:
    assert "who" not in details("im 34, had braces as a kid but didnt wear my retainer")
    assert "who" not in details("when i was a child a dentist hurt me")


# -- quantities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quantities"),
    [
        ("2 implants", [(2, "implants")]),
        ("three fillings and a cleaning", [(3, "fillings")]),
        ("a couple of crowns", [(2, "crowns")]),
        ("both front teeth", [(2, "front teeth")]),
        ("two upper molars and 1 crown", [(2, "upper molars"), (1, "crown")]),
        ("one of my teeth hurts", [(1, "tooth")]),
        ("me, my wife and our 2 kids", [(2, "kids")]),
    ],
)
def test_how_many_of_what_is_counted(text: str, quantities: list[tuple[int, str]]) -> None:
    assert extract_quantities(text) == quantities


@pytest.mark.parametrize(
    "text",
    ["a 3 year old", "at 3pm", "$500 for implants", "45 minutes", "40 fillings", "2 weeks"],
)
def test_ages_times_money_and_impossible_counts_are_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []
    assert "quantity" not in details(text)


def test_the_first_quantity_is_said_back() -> None:
    assert details("I need 2 implants and 3 crowns, how much")["quantity"] == "2 implants"


# -- insurers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "insurer"),
    [
        ("do you take delta?", "Delta Dental"),
        ("I have Delta Dental", "Delta Dental"),
        ("metlife", "MetLife"),
        ("do you accept metlfe", "MetLife"),
        ("blue cross", "Blue Cross Blue Shield"),
        ("BCBS ppo", "Blue Cross Blue Shield"),
        ("is CIGNA in network", "Cigna"),
        ("aetan", "Aetna"),
        ("united healthcare", "UnitedHealthcare"),
    ],
)
def test_an_insurer_is_named_by_its_canonical_name(text: str, insurer: str) -> None:
    assert details(text)["insurer"] == insurer


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a human",
        "I'm her legal guardian",
        "Delta airlines lost my bag",
        "i have a meeting with the principal",
    ],
)
def test_an_ordinary_word_is_no_insurer_outside_talk_of_insurance(text: str) -> None:
    assert "insurer" not in details(text)


def test_no_insurer_is_found_when_none_are_known() -> None:
    assert "insurer" not in extract_details("do you take delta?", WEDNESDAY)


def test_the_shipped_vocabulary_names_the_common_insurers() -> None:
    vocabulary = Vocabulary.model_validate(load_yaml(VOCABULARY))
    assert {"Delta Dental", "MetLife", "Cigna", "Aetna"} <= set(vocabulary.insurers)
    found = extract_details("do you take metlife?", WEDNESDAY, vocabulary.insurers)
    assert found["insurer"] == "MetLife"


# -- teeth -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("upper left back tooth is sensitive", "upper left back"),
        ("lower right wisdom tooth hurts", "lower right wisdom tooth"),
        ("my front teeth are chipped", "front"),
        ("the top left one", "upper left"),
        ("a back tooth on the bottom", "lower back"),
        ("two on the top left, one bottom right", "upper left, lower right"),
        ("upper front", "upper front"),
        ("wisdom teeth", "wisdom tooth"),
        ("her bottom plate keeps slipping", "lower"),
        ("my upper partial is cracked", "upper"),
        ("only the top, i still have all my bottom ones", "upper"),
        ("theres nothing left on top", "upper"),
    ],
)
def test_where_in_the_mouth_is_noted(text: str, area: str) -> None:
    assert details(text)["area"] == area


@pytest.mark.parametrize(
    "text", ["in front of the building", "my back hurts", "on the left side of the street"]
)
def test_front_back_and_sides_outside_the_mouth_are_no_area(text: str) -> None:
    assert "area" not in details(text)


def test_the_state_of_the_tooth_and_the_symptom_are_still_noted() -> None:
    assert details("lost it 2 years ago")["tooth"] == "already missing"
    found = details("it's still there, cracked and it hurts")
    assert found["tooth"] == "still there, may need to come out"
    assert found["symptom"] == "pain, broken"


def test_every_value_is_a_string_to_keep_in_the_conversation_state() -> None:
    found = details("my kids are 5 and 8, 2 fillings tomorrow at 3pm, upper left, we have delta")
    assert found and all(isinstance(value, str) for value in found.values())
    assert set(found) == {"day", "weekdays", "date", "time", "age", "who", "quantity", "area"} | {
        "insurer"
    }


def test_every_key_found_is_a_documented_detail() -> None:
    found = details("lost my upper front tooth, it's for me, 2 crowns on the 3rd after 5?")
    assert set(found) <= set(DETAIL_KEYS)
    assert {"area", "who", "quantity", "date", "time", "tooth"} <= set(found)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\ud800 tomorrow",
        "at 99:99pm on 13/45/2026 the 0th",
        "my son is 999 and i'm -5, 2.5 implants for $3.50, 1e9 teeth",
        "next next next tuesday " * 50,
        "🦷 " * 1000,
        "twenty one thousand and six hundred million fillings",
        "between 9 and 5 and 3 and 1 and 0",
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    found = details(text)
    assert all(isinstance(value, str) for value in found.values())


def test_warming_up_at_start_leaves_dates_working() -> None:
    warm_up()
    assert details("tomorrow")["date"] == "2026-11-26"


# -- questions -------------------------------------------------------------------------------


def test_questions_are_still_told_from_statements() -> None:
    assert is_question("how long does it take") and is_question("monday at 10?")
    assert not is_question("its already missing")
    assert split_questions("how much is whitening and do you work saturdays") == [
        "how much is whitening",
        "do you work saturdays",
    ]


def test_a_statement_whose_it_is_left_out_is_no_question() -> None:
    assert not is_question("is missing since two years")
    assert not is_question("was broken already when i bought the house")
    assert is_question("is it missing") and is_question("is that ok")


def test_an_age_said_as_having_years_is_an_age() -> None:
    assert details("For me. I have 27 years")["age"] == "27"
    assert details("she has 5 years and is scared of dentists")["age"] == "5"
    assert "age" not in details("i have 2 years left on my braces")


def test_a_lost_filling_is_no_missing_tooth() -> None:
    found = extract_details(
        "my filling fell out yesterday while eating toffee", WEDNESDAY, symptoms=SYMPTOMS
    )
    assert "tooth" not in found
    assert found["symptom"] == "a filling or crown came out"


def test_bleeding_swelling_and_a_loose_tooth_are_symptoms() -> None:
    assert (
        extract_details("my gums bleed when i brush", WEDNESDAY, symptoms=SYMPTOMS)["symptom"]
        == "bleeding"
    )
    assert (
        extract_details("my jaw is swelling up", WEDNESDAY, symptoms=SYMPTOMS)["symptom"]
        == "swelling"
    )
    loose = extract_details(
        "my front tooth is loose, does it have to be pulled?", WEDNESDAY, symptoms=SYMPTOMS
    )
    assert loose["symptom"] == "loose"
    assert loose["tooth"] == "still there, may need to come out"


def test_a_young_age_said_of_he_or_she_is_a_child() -> None:
    assert extract_details("she's 6", WEDNESDAY)["who"] == "child"
    assert "who" not in extract_details("she's 46", WEDNESDAY)


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("cost for all 4?", "4"),
        ("can all four be done in one go", "4"),
        ("how much for the 3 of us", "3"),
        ("i want to replace my old metal ones, 4 of them", "4"),
        ("how much would 3 be", "3"),
        ("ok how much for one", "1"),
    ],
)
def test_a_count_without_its_noun_is_still_a_quantity(text: str, quantity: str) -> None:
    assert extract_details(text, WEDNESDAY)["quantity"] == quantity


@pytest.mark.parametrize(
    "text", ["is it all 2 visits?", "we stay for 3 years", "for 2 weeks how much", "come for 2 pm"]
)
def test_visits_durations_and_hours_are_no_unnamed_count(text: str) -> None:
    assert "quantity" not in extract_details(text, WEDNESDAY)


@pytest.mark.parametrize(
    "text",
    [
        "theyre not hurting, the dentist said they should come out",
        "no pain, only a check-up",
        "it doesnt hurt at all",
        "is it painless?",
        "nothing really hurts. the chip is small",
        "nothing is hurting, just a check",
    ],
)
def test_a_symptom_denied_is_no_symptom(text: str) -> None:
    assert "pain" not in extract_details(text, WEDNESDAY, symptoms=SYMPTOMS).get("symptom", "")


def test_nothing_helping_the_pain_is_still_pain() -> None:
    found = extract_details("nothing helps the pain", WEDNESDAY, symptoms=SYMPTOMS)
    assert found["symptom"] == "pain"


def test_a_symptom_beside_a_denied_one_is_kept() -> None:
    found = extract_details(
        "it doesnt really hurt but its sensitive to cold", WEDNESDAY, symptoms=SYMPTOMS
    )
    assert found["symptom"] == "sensitivity"


@pytest.mark.parametrize(
    "text",
    [
        "they need to go before I finish my braces",
        "they have to come out first",
        "i need a tooth out",
        "the dentist said it should be pulled",
        "my son needs 2 teeth pulled but he's very anxious",
        "i want to get it pulled",
        "a wobbly molar which my dentist thinks should be extracted",
    ],
)
def test_a_tooth_that_has_to_come_out_is_noted(text: str) -> None:
    assert extract_details(text, WEDNESDAY)["tooth"] == "still there, may need to come out"


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("i need 2 implants at the front top", "upper front"),
        ("one tooth at the top sticks out", "upper"),
        ("missing 3 on the bottom", "lower"),
        ("a root canal on a molar", "molar"),
        ("lower left molar hurts", "lower left molar"),
    ],
)
def test_more_ways_to_say_where_in_the_mouth(text: str, area: str) -> None:
    assert extract_details(text, WEDNESDAY)["area"] == area


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("please call me after 5", "after 17:00"),
        ("i can wait till 3", "before 15:00"),
        ("first thing tomorrow possible?", "morning"),
    ],
)
def test_an_hour_bounded_by_after_or_till_needs_no_day(text: str, time: str) -> None:
    assert extract_details(text, WEDNESDAY)["time"] == time


@pytest.mark.parametrize(
    ("text", "age"),
    [("she is 14 months", "14 months"), ("hes 2 and a half", "2.5")],
)
def test_ages_in_months_and_halves(text: str, age: str) -> None:
    assert extract_details(text, WEDNESDAY)["age"] == age


@pytest.mark.parametrize("text", ["she is 5 months pregnant", "she is 2 weeks post-op"])
def test_a_pregnancy_or_time_since_surgery_is_no_age(text: str) -> None:
    found = extract_details(text, WEDNESDAY)
    assert "age" not in found and "who" not in found


def test_symptoms_come_from_the_vocabulary_managers_edit() -> None:
    assert "symptom" not in extract_details("my tooth hurts", WEDNESDAY)  # none given
    mine = {"grinding": ["grind*", "clench*"]}
    assert extract_details("i grind at night", WEDNESDAY, symptoms=mine)["symptom"] == "grinding"
    assert (
        extract_details("my filling just fell out", WEDNESDAY, symptoms=SYMPTOMS)["symptom"]
        == "a filling or crown came out"
    )


@pytest.mark.parametrize(
    "text",
    [
        "does the numbing injection hurt? i have a filling booked next week",
        "thinking about getting braces at 28, do they hurt",
        "be honest, is it painful",
    ],
)
def test_asking_whether_a_treatment_hurts_is_no_pain_felt(text: str) -> None:
    assert "symptom" not in details(text)


@pytest.mark.parametrize(
    "text", ["why does my tooth hurt when i bite", "my tooth is painful, can i come today"]
)
def test_a_pain_described_is_still_a_symptom(text: str) -> None:
    assert details(text)["symptom"] == "pain"


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("thinking about getting braces at 28, do they hurt", "28"),
        ("is it too late for veneers at 60?", "60"),
        ("at the age of 12 is it ok", "12"),
    ],
)
def test_an_age_after_at_is_noted(text: str, age: str) -> None:
    assert details(text)["age"] == age


@pytest.mark.parametrize("text", ["can i come at 10", "i live at 25 main street", "at 30 min"])
def test_an_hour_or_an_address_after_at_is_no_age(text: str) -> None:
    assert "age" not in details(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm honestly scared it'll hurt",
        "ive heard theyre really sore the first few days",
        "the deep cleaning thing sounds painful lol",
        "im worried theyll rub and make my gums sore",
    ],
)
def test_pain_feared_is_no_pain_felt(text: str) -> None:
    assert "symptom" not in details(text)


@pytest.mark.parametrize(
    "text",
    ["i was worried about my tooth but now it hurts a lot", "im scared because my tooth hurts"],
)
def test_a_worried_patient_in_pain_is_still_in_pain(text: str) -> None:
    assert details(text)["symptom"] == "pain"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("im missing 4 on the bottom", "4"),
        ("2 missing next to each other on the bottom", "2"),
        ("I need 3, lower jaw", "3"),
        ("id want the top 6 done", "6"),
        ("it'd be the top front ones, probably 6", "6"),
        ("just one, the tooth was pulled last year", "1"),
        ("how much per tooth", "1 tooth"),
        ("whats the price of an implant", "1 implant"),
        ("just 2 front ones, one went darker", "2"),
        ("only the bottom front 4 went crooked", "4"),
        ("lower right, 3 in a row gone", "3"),
        ("one missing at the bottom left", "1"),
    ],
)
def test_teeth_counted_in_passing_are_the_quantity(text: str, count: str) -> None:
    assert details(text)["quantity"] == count


@pytest.mark.parametrize(
    "text",
    [
        "missing since 2 years",
        "im on the top floor at 3",
        "just one question",
        "we need 2 weeks",
        "are the white ones better",
        "can i come 2 days in a row",
    ],
)
def test_a_number_that_counts_no_teeth_is_no_quantity(text: str) -> None:
    assert "quantity" not in details(text)


@pytest.mark.parametrize(
    "text", ["top and bottom, shes 79", "dentures, upper and lower", "both jaws"]
)
def test_both_jaws_told_together_are_noted_as_upper_and_lower(text: str) -> None:
    assert details(text)["area"] == "upper and lower"


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("its a cavity in my upper left molar", "a cavity"),
        ("Hi, I've got a small hole in one tooth, how much is a filling?", "a cavity"),
        ("She's 11, her top teeth stick out quite a lot", "crooked teeth"),
        ("last one was 3 years ago, lots of tartar behind the bottom teeth", "tartar"),
        ("i grind my teeth at night, do you make mouth guards for that", "grinding"),
        ("also my breath smells even after brushing", "bad breath"),
        ("doesnt hurt, its just sharp on my tongue", "a sharp edge"),
        ("lower right, its sideways, my dentist said impacted", "an impacted tooth"),
        ("theres some white spots where the brackets were", "white spots"),
        ("and my jaw clicks in the morning", "a stiff or clicking jaw"),
        ("one went darker after an accident years ago", "stains"),
    ],
)
def test_problems_that_are_not_urgent_are_noted_too(text: str, symptom: str) -> None:
    assert details(text)["symptom"] == symptom


@pytest.mark.parametrize(
    "text",
    [
        "tooth is still in, but cracked down the middle, dentist said it can't be saved",
        "my tooth is broken very bad, the doctor say it must take out",
    ],
)
def test_a_tooth_that_cannot_be_saved_is_to_come_out(text: str) -> None:
    assert details(text)["tooth"] == "still there, may need to come out"


def test_must_take_without_out_is_no_tooth_to_remove() -> None:
    assert "tooth" not in details("you must take a number at the desk")


def test_no_teeth_left_is_teeth_missing() -> None:
    assert details("only the top, I have no upper teeth left at all")["tooth"] == (
        "already missing"
    )


def test_an_age_in_years_without_old_is_an_age() -> None:
    assert details("My son, 13 years. Teeth very crooked")["age"] == "13"


def test_need_remove_in_simple_english_is_a_tooth_to_come_out() -> None:
    found = details("tooth still inside but broken, need remove first")
    assert found["tooth"] == "still there, may need to come out"


def test_on_top_beside_dentures_and_in_bottom_without_the_name_the_jaw() -> None:
    assert extract_details("my dentist said I need full dentures on top")["area"] == "upper"
    assert extract_details("I have 2 teeth missing in bottom")["area"] == "lower"
    assert "area" not in extract_details("on top of that, is it safe")


def test_a_tooth_pulled_in_the_past_is_already_missing() -> None:
    assert (
        extract_details("i had a tooth pulled last year", WEDNESDAY)["tooth"] == "already missing"
    )


@pytest.mark.parametrize("text", ["me", "its me", "myself!"])
def test_me_alone_says_the_visit_is_for_the_patient(text: str) -> None:
    assert details(text)["who"] == "self"


def test_the_age_of_a_bridge_is_not_the_patients() -> None:
    found = details("i have an old bridge on the lower right thats 15 yrs old and it hurts now")
    assert "age" not in found
    assert details("my son is 15 years old")["age"] == "15"


def test_a_question_after_a_condition_without_a_comma_is_a_question() -> None:
    assert is_question("if it cant be used again how much is a new crown")
    assert is_question("if all four are done together how long is the operation")
    assert not is_question("if you could call me back that would be great")


@pytest.mark.parametrize(
    ("text", "area"), [("top, both sides", "upper"), ("the bottom one", "lower")]
)
def test_a_reply_opening_with_the_jaw_says_where(text: str, area: str) -> None:
    assert details(text)["area"] == area
    assert "area" not in details("top of the morning to you")


@pytest.mark.parametrize(
    ("text", "age"),
    [("for me, 28, top teeth are crooked", "28"), ("my son 7, dentist wants an xray", "7")],
)
def test_an_age_right_after_whom_it_is_for_is_an_age(text: str, age: str) -> None:
    assert details(text)["age"] == age


def test_a_count_after_whom_it_is_for_is_no_age() -> None:
    found = details("my daughter 3 cavities")
    assert "age" not in found and found["quantity"] == "3 cavities"


def test_a_symptom_after_another_denied_is_felt() -> None:
    assert details("lower right back, no fever just pain")["symptom"] == "pain"
    assert "symptom" not in details("no pain, just a check-up")


def test_a_tooth_knocked_out_years_ago_is_missing_in_the_upper_front() -> None:
    found = details("front top tooth, got knocked out years ago")
    assert found["tooth"] == "already missing" and found["area"] == "upper front"


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("my son is 9, bottom teeth are crowded", "crooked teeth"),
        ("it went grey after a knock", "stains"),
        ("hole is lower left, food keeps getting stuck", "food gets stuck"),
        ("her front tooth came out completely", "a knocked-out tooth"),
    ],
)
def test_the_shipped_symptom_words_name_what_patients_describe(text: str, symptom: str) -> None:
    assert symptom in details(text)["symptom"]


def test_a_part_of_the_day_said_of_a_habit_is_no_time_wished() -> None:
    assert "time" not in details("yeah jaw is sore most mornings, headaches too")
    assert details("most mornings work for me")["time"] == "morning"


def test_a_symptom_denied_with_any_a_few_words_on_is_not_felt() -> None:
    assert "symptom" not in details("They are not causing her any pain at present.")
    assert "symptom" not in details("doesnt cause him any pain")
    assert details("no idea why the pain started")["symptom"] == "pain"


def test_teeth_to_have_removed_before_a_date_are_still_there() -> None:
    found = details("the orthodontist recommended she has all 4 wisdom teeth removed before uni")
    assert found["tooth"] == "still there, may need to come out"
    assert details("i had all four wisdom teeth removed last year")["tooth"] == "already missing"


def test_a_symptom_said_to_be_easing_is_not_felt() -> None:
    assert "symptom" not in details("no fever, swelling going down")
    assert "symptom" not in details("the pain is easing a bit")
    assert details("swelling is bad")["symptom"] == "swelling"


def test_swelling_going_down_to_the_neck_is_swelling_spreading() -> None:
    assert details("the swelling is going down into his neck")["symptom"].startswith("swelling")


def test_a_tooth_that_throbs_or_is_tender_hurts() -> None:
    assert details("upper left, it throbs at night")["symptom"] == "pain"
    assert details("still tender when i chew on that side")["symptom"] == "pain"


def test_a_tooth_to_be_taken_out_is_still_there_and_one_taken_out_is_missing() -> None:
    assert details("can my wisdom tooth be taken out under sedation")["tooth"].startswith("still")
    assert details("i had a tooth taken out last year")["tooth"] == "already missing"


def test_a_day_something_began_on_is_no_day_wished() -> None:
    found = details("my wife has had a toothache since monday, can she come wednesday?")
    assert found["day"] == "wednesday" and found["weekdays"] == "wednesday"
    assert "day" not in details("it hurts since friday")


def test_a_plus_sign_between_two_questions_splits_them() -> None:
    assert split_questions("how much is a crown + do u take cigna") == [
        "how much is a crown",
        "do u take cigna",
    ]
    assert split_questions("how much is an xray + exam") == ["how much is an xray + exam"]
    assert split_questions("how much n how long") == ["how much", "how long"]  # chat's "and"


@pytest.mark.parametrize(
    "text", ["yes, and headaches in the morning", "my jaw is stiff in the mornings"]
)
def test_a_symptom_said_of_a_time_of_day_is_no_time_wished(text: str) -> None:
    assert "time" not in extract_details(text, WEDNESDAY)


def test_a_tooth_that_has_gone_darker_is_not_missing() -> None:
    assert "tooth" not in extract_details("the one with the root canal has gone a bit grey")
    assert extract_details("the tooth is gone")["tooth"] == "already missing"


@pytest.mark.parametrize(
    "text",
    [
        "my husband wants to know if hes too old for implants, hes 80",
        "i was wondering whether you do sedation",
        "i'd like to know how long a crown lasts",
    ],
)
def test_a_question_asked_in_other_words_is_a_question(text: str) -> None:
    assert is_question(text)


def test_wanting_something_is_no_question_asked_in_other_words() -> None:
    assert not is_question("my husband wants to get his teeth cleaned")
