"""Reads a turn like a receptionist deciding what the patient is doing.

`read_text` and `read_choice` return the typed route (`bot.core.routes`) for a message or a
button, whichever branch the patient goes to; `bot.core.dispatch` asks the branch where it
matters and runs the route.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from bot import booking_text
from bot.core.asked import (
    ANESTHESIA,
    BOOK_WORDS,
    ENOUGH,
    FIRST_VISIT,
    NEVER_A_FOLLOW_UP,
    OPENING_ASKED,
    PAST_REPORT,
    PATIENT_RIGHTS_INTENTS,
    PAYS,
    PRICE_COMPARED,
    PROPOSED_TIME,
    PROPOSES,
    REFERS_BACK,
    SERVICES,
    SMALL_TALK,
    TAKE_AN_INSURER,
    UNSURE_COMPLAINT,
    VISIT_ASKED,
    WARRANTY_WORDS,
    WHAT_ABOUT,
    charged_for_our_work,
    companion_asked,
    facet_asked,
    facet_of,
    getting_in_asked,
    in_the_chair_asked,
    named_service,
    only_a_day,
    turned_to,
)
from bot.core.flows import (
    aftercare,
    answers,
    booking,
    triage,
    weighing,
)
from bot.core.flows.aftercare import AFTERCARE
from bot.core.flows.answers import (
    AUDIENCE_TOPICS,
    COVERS,
    DOCTORS,
    HOURS,
    INSURANCE,
    WARRANTY_TERMS,
)
from bot.core.flows.booking import BOOKING
from bot.core.flows.followups import (
    FOUND_AT_THE_EXAM,
    PROBLEM_DETAILS,
    Question,
)
from bot.core.flows.handoff import (
    ABOUT_A_PROBLEM,
    EMERGENCY,
    MEDICAL,
    WARRANTY,
    WORSE_AFTER_TREATMENT,
)
from bot.core.flows.language import LANGUAGE, not_english
from bot.core.pending import (
    AskedBooking,
    AskedDay,
    AskedProblem,
    AwaitingConsent,
    ConfirmingErasure,
    ConsentAnswer,
    ErasureAnswer,
    VisitToday,
    unpack_choice,
)
from bot.core.routes import (
    Acknowledge,
    Answer,
    AnsweredThenAsked,
    AnswerToQuestion,
    AsideInBooking,
    BookingAnswer,
    Calm,
    CompareQuote,
    Diagnosis,
    DidYouMean,
    FollowUp,
    HandOver,
    IfWaiting,
    NotUnderstood,
    OffTopic,
    OptIn,
    Pick,
    PickFor,
    PriceAndVisit,
    PriceTogether,
    Relay,
    Route,
    Several,
    StaleChoice,
    Weighed,
)
from bot.core.several import (
    MOST_QUESTIONS,
    back_from_the_comfort,
    is_acknowledgement,
    named_elsewhere,
    needed_together,
    plainly_practical,
    practical_pair,
    prices_compared,
    several_questions,
)
from bot.core.turn import (
    ASKED_ABOUT,
    COMFORT_TOPICS,
    HANDED_OVER,
    LAST_KIND,
    TALKED_ABOUT_BEFORE,
    RecordIncoming,
    Turn,
)
from bot.details import (
    ADULT_AGE,
    BOTH_JAWS,
    FEAR_WORDS,
    MOST_TEETH,
    asks_if_price,
    asks_if_we_do,
    extract_details,
    extract_quantities,
    how_many_more,
    is_question,
    sentences_asked,
    split_questions,
)
from bot.facets import BRING_IN, asks_about_waiting
from bot.language import foreign_language
from bot.loader import COMPANION, IN_THE_CHAIR
from bot.matcher import Match
from bot.models import IntentKind
from bot.negation import BLANK, affirmed_words
from bot.text import mostly_words, words

YES_WORDS = frozenset(
    ["yes", "y", "yeah", "yep", "sure", "confirm", "ok", "okay", "delete", "erase", "da"]
)


NO_WORDS = frozenset(["no", "n", "nope", "cancel", "keep", "stop", "dont"])


_TOTAL_WORDS = re.compile(r"\b(?:total|altogether|all together|in all|combined)\b", re.I)


#: Two things priced as one: "what do the two cost together", "and the price for both?".
_BOTH_PRICED = re.compile(
    r"^(?=.*\b(?:together|both|the two|the 2)\b)(?=.*\b(?:how much|cost\w*|price\w*|pay)\b)",
    re.I | re.S,
)


#: "both", "the two of them": two things or two people.
_BOTH = re.compile(r"\b(?:both|the\s+(?:two|2)\s+of\s+them)\b", re.I)


#: A message this short that names no service continues the topic, whatever the guess.
SHORT_FOLLOW_UP = 7


#: An acknowledgement before a question: "cool. and for the trays how long till i see results".
_ACK_FIRST = re.compile(
    r"^\W*(?:ok(?:ay)?|cool|great|perfect|nice|alright|got\s+it|right|sure|awesome|good)"
    r"\s*[,!.]+\s*",
    re.I,
)
#: A thank-you before the message's real question: "ok thank you. can the doctor call me".
_THANKS_FIRST = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|great|perfect|cool|alright|got it)[\s,!.]+)?"
    r"(?:thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?|thx|ty|cheers)\b[\s,!.]*",
    re.I,
)


#: An apology a question opens with, which asks nothing itself: "sorry, what time saturday?".
_SORRY_FIRST = re.compile(
    r"^\W*(?:(?:so\s+)?sorry|apologies|excuse\s+me|pardon)"
    r"(?:\s+(?:to\s+bother(?:\s+you)?|again|for\s+(?:the\s+)?(?:bother|asking)))?[\s,!.]+",
    re.I,
)


#: Words around a bare service name that ask nothing of their own ("ok and a cleaning").
_LEAD_WORDS = frozenset({"ok", "okay", "and", "so", "also", "plus", "then", "a", "an", "the"})


_YES_OR_NO = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|no|nope|nah|never|not|none|neither|nothing)\b", re.I
)


#: How often, said first: "once with strips from the pharmacy", "twice, years ago".
_HOW_OFTEN = re.compile(
    r"^\W*(?:once|twice|a\s+(?:couple|few)\s+(?:of\s+)?times|several\s+times|many\s+times"
    r"|a\s+long\s+time\s+ago|(?:\d+|a\s+few|some|many)\s+(?:years|yrs|months)\s+ago)\b",
    re.I,
)


#: A worry that the treatment will hurt, said rather than asked: "i'm scared it'll hurt",
#: "worried they'll make my gums sore", "sounds painful lol".
_FEARS_PAIN = re.compile(
    rf"\b(?:{FEAR_WORDS})\b"
    r"(?:(?!\bbut\b|\bnow\b|\bbecause\b)[^.?!])*"
    r"\b(?:hurts?|hurting|painful|pain|sore|ache|aching|uncomfortable|agony)\b",
    re.I,
)


#: Who does a treatment: "who does the implants", "which doctor would do it", "does dr patel
#: do implants too" (not "who do i call").
_WHO_TREATS = re.compile(
    r"\b(?:who|which\s+(?:doctor|dentist|specialist|surgeon))\s+(?:\w+\s+){0,2}?"
    r"(?:does|do|doing|did|will|would|places?|performs?|handles?|treats?|sees?|fits?)\b"
    r"(?!\s+(?:i|we|you|u|me|my)\b)"
    r"|\b(?:does|do|is|can)\s+(?:dr|doctor)\.?\s+[a-z]+\s+(?:also\s+)?"
    r"(?:do|does|place|handle|treat|see)\b"
    r"|\bwhich\s+(?:doctors?|dentists?|specialists?)\s+(?:do\s+you\s+have|have\s+you\s+got"
    r"|is\s+there|are\s+there)\s+for\b",  # "which doctor do you have for little kids"
    re.I,
)


#: A patient weighing up the treatment talked about: "is it even worth it", "should i do it".
_WEIGHS_IT = re.compile(
    r"\b(?:worth|necessary|needed|need\s+(?:it|this|that|one)|should\s+(?:i|we|he|she)"
    r"|must\s+(?:i|we)|(?:i|we)\s+must|have\s+to|(?:a\s+)?good\s+idea|recommend\w*|best|better"
    r"|right\s+for|point"
    r"|really|essential|urgent|avoid|skip|wait|old|young|age)\b",
    re.I,
)


#: The insurance named: "will my insurance cover it", "does my plan pay for a crown".
_INSURANCE_WORDS = re.compile(
    r"\b(?:insurances?|insurers?|insured|(?:my|our|his|her|dental)\s+(?:plan|policy))\b", re.I
)


#: How long after the insurance answer "does it cover ..." is still about the insurance.
INSURANCE_LATELY = dt.timedelta(minutes=30)


#: Practical subjects whose terms differ by service: "and for fillings?" asks them again.
TERMS_PER_SERVICE = frozenset({WARRANTY_TERMS, INSURANCE, "payment", "discounts"})


#: "and for fillings?", "and on braces?", "what about veneers": the same, for another thing.
_AND_FOR = re.compile(
    r"^\W*(?:(?:ok|okay|so)\W+)?(?:and|also|(?:what|wat|how)\s+about)\s+(?:on|for|with|about)?\b",
    re.I,
)


#: Where a message's sentences end.
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


START_WORDS = frozenset({"start", "/start", "resume", "subscribe", "unstop"})


def read_text(turn: Turn) -> Route:
    """What to do with a message the patient typed, whichever branch they go to."""
    brain, patient = turn.brain, turn.patient
    words = turn.text.strip().lower().strip(".!")
    step = turn.pending_step
    if isinstance(step, ConfirmingErasure) and words in YES_WORDS | NO_WORDS:
        return Pick(ErasureAnswer(confirmed=words in YES_WORDS))
    if turn.open_case is not None:
        rights = brain.matcher.match(turn.text)
        wants = rights.intent in PATIENT_RIGHTS_INTENTS and not rights.ambiguous
        wants = wants and foreign_language(turn.text) is None  # "me duele una muela": relayed
        then = Answer(rights.intent, rights.score) if wants and rights.intent else None
        return Relay(turn.open_case, then)
    if isinstance(step, AwaitingConsent) and words in YES_WORDS | NO_WORDS:
        return Pick(ConsentAnswer(step.kind, agreed=words in YES_WORDS))
    if patient.pending_choices and words.isdigit():
        index = int(words) - 1
        if 0 <= index < len(patient.pending_choices):
            return read_choice(patient.pending_choices[index])
    if words in START_WORDS and patient.opted_out:
        return OptIn()
    if words in {"/start", "start", "/help"}:
        return Answer("greeting")
    if not_english(turn):
        return HandOver(LANGUAGE)  # "hola, necesito una cita": one note, and a person at once
    said = turn.text
    match = brain.matcher.match(turn.text)
    if match.intent in SMALL_TALK and not match.safety:
        rest = _THANKS_FIRST.sub("", turn.text, count=1)
        if rest != turn.text and is_question(rest):
            turn.text, match = rest, brain.matcher.match(rest)  # "ok thank you. can the ..."
    if match.intent is None and not match.safety and _half_small_talk(match):
        rest = _without_small_talk(turn)  # "Hi! My filling is perfect, thank you :) Now ... ?"
        if rest and is_question(rest):
            turn.text, match = rest, brain.matcher.match(rest)
    if match.intent is None and not match.safety:
        rest = _ACK_FIRST.sub("", _SORRY_FIRST.sub("", turn.text, count=1), count=1)
        if rest != turn.text:
            again = brain.matcher.match(rest)
            if is_question(rest) or again.intent is not None:
                turn.text, match = rest, again  # "sorry, what time saturday?", "cool. and ..."
    confused = brain.matcher.confused(turn.text) and not match.safety
    if confused and (rest := _beside_the_confusion(turn)):
        turn.text, match = rest, brain.matcher.match(rest)  # "i dont understand. open saturday?"
        confused = False
    if match.intent == "complaint" and not match.upset and brain.matcher.impatient(turn.text):
        match = _the_question_again(turn, match)  # "i asked a simple question. how much..."
    if _EARLIER_OPTION.search(turn.text) and not brain.facets.names_topics(turn.text):
        turn.back_to_the_other_option()  # "ok and the first option, how long does it last"
        turn.text = _BACK_TO.sub("", _EARLIER_OPTION.sub("it", turn.text))
        match = brain.matcher.match(turn.text)
    elif (first := _FIRST_THING.match(turn.text)) and not brain.facets.names_topics(turn.text):
        turn.back_to_the_other_option()  # "ok and for the first thing, white or silver?"
        turn.text = turn.text[first.end() :]
        match = brain.matcher.match(turn.text)
    elif back_from_the_comfort(turn):
        turn.back_to_the_other_option()  # "ok and back to the tooth, how long is the recovery"
    turn.match = match
    if not turn.replaying:
        turn.writes.append(RecordIncoming(said, match.intent, match.score))
    turn.details = extract_details(
        turn.text,
        turn.today,
        brain.knowledge.vocabulary.insurers,
        # while a request is made, "around 9 would be perfect" is an hour, whatever was asked
        about_time=turn.asked == AskedDay() or isinstance(turn.asked, AskedBooking),
        symptoms=brain.knowledge.vocabulary.symptoms,
        about_insurance=turn.topic == INSURANCE,
    )
    if (bare := _bare_number(turn)) is not None:
        name, number = bare  # "13" after "braces for my daughter"; "2" after a filling's price
        turn.details[name] = number
    turn.note(turn.details)
    turn.outcome.details = dict(turn.details)
    if turn.topic in ABOUT_A_PROBLEM and is_question(turn.text) and PAYS.search(turn.text):
        return Answer(WARRANTY_TERMS)  # "will i have to pay again to get it fixed?"
    if turn.topic in ABOUT_A_PROBLEM and _more_of_the_problem(turn, match):
        return HandOver(turn.topic)  # "no pain, just a hole there now": to the same person
    # ("implants are way too expensive for me, is there anything else?": the other ways)
    cheaper = weighing.cheaper_asked(turn.text) and bool(weighing.options_weighed(turn, match))
    upset = match.upset and not cheaper
    if upset and not match.safety and match.intent not in PATIENT_RIGHTS_INTENTS:
        if match.intent == "human":
            return Answer("human")  # "you're ripping people off, I want the manager NOW"
        if _REFUND.search(turn.text) and "complaint" in brain.knowledge.intents:
            return Answer("complaint")  # "i want the money back, this is ridiculous": a person
        return Calm(_practical_asked_besides(turn))
    if _price_shock(turn, match):
        return Calm(_practical_asked_besides(turn))  # "what?? thats more than my car lol"
    if answers.quoted_elsewhere(turn.text) and not _REFUND.search(turn.text):
        priced = turn.service_named() or turn.topic
        if match.intent == "complaint" and priced:
            return Calm(_practical_asked_besides(turn))  # "$180 for a cleaning??? my old ..."
        if priced and brain.replies.has_service(priced) and not is_question(turn.text):
            return CompareQuote(priced)  # "another clinic quoted me 2500 for the same thing"
    if confused and match.intent != "human":
        return NotUnderstood(confused=True)  # "i dont get it": not a request to stop messages
    today = turn.details.get("date") == turn.today.isoformat()
    if VisitToday().pack() in patient.pending_choices and (
        words in YES_WORDS | {"yes please", "please"} or (match.intent == BOOKING and today)
    ):
        return Pick(VisitToday())  # "can someone see me today?" after the urgent advice
    topic = turn.topic
    no_red_flag = not brain.matcher.red_flag(turn.text) or (
        topic == AFTERCARE and _mild_swelling_only(turn.text)
    )  # "cheek is a little swollen" the day after an extraction: what the advice expects
    if brain.matcher.our_work_failed(turn.text) and no_red_flag:
        if not _healing_asked_about(turn):
            return HandOver(WARRANTY)  # "the filling I got from you last week fell out"
        return Answer(AFTERCARE)  # "had it done at yours on thursday, some swelling, normal?"
    just_had = topic == AFTERCARE or _treatment_just_had(turn)  # "day 4 after my wisdom
    if just_had and no_red_flag and brain.matcher.getting_worse(turn.text):  # tooth came out
        return HandOver(WORSE_AFTER_TREATMENT)  # and the pain is getting worse": the doctor
    if match.intent != EMERGENCY and no_red_flag and aftercare.asks_if_normal_after(turn.text):
        besides = _asked_besides_the_aftercare(turn, match, topic)
        if besides:  # "... is that normal? also how much is a cleaning": the cleaning too
            return Several((Question(AFTERCARE), *besides))
        return Answer(AFTERCARE)  # "got a wisdom tooth out on friday, is aching normal"
    if match.intent != EMERGENCY and no_red_flag and _tells_of_a_treatment_just_had(turn):
        return Answer(AFTERCARE)  # "had my wisdom tooth out at your place 2 days ago"
    if triage.asks_about_urgent_care(turn):
        return Answer(EMERGENCY)  # "do you see emergencies on weekends?": how we do it
    medical = brain.matcher.medical(turn.text) and not _CHILDHOOD_MEDICINE.search(turn.text)
    medical = medical and not _only_getting_in_asked(turn)  # "... since his stroke. is your
    # clinic on the ground floor?": how to get in, not what is safe for him
    if not match.safety and medical and _about_our_care(turn, match):
        return HandOver(MEDICAL)  # "I'm on warfarin, is that a problem?": the doctor decides
    in_emergency = topic == EMERGENCY and turn.state.details.get(HANDED_OVER) == EMERGENCY
    if in_emergency and (today or _HOW_SOON.search(turn.text)) and _SEEN.search(turn.text):
        return HandOver(EMERGENCY)  # "can he be seen today??" after a swollen face: a person
    if topic in (EMERGENCY, AFTERCARE) and not match.safety and not no_red_flag:
        return Answer(EMERGENCY)  # "I'm starting to feel dizzy", just after a swollen face;
        # "its a little swollen and spreading to my neck" after the aftercare advice
    if isinstance(turn.asked, AskedBooking) and turn.state.booking and not match.safety:
        # Erasure, stop, a person, a complaint: never read as an answer, nor followed by it.
        overriding = match.intent in PATIENT_RIGHTS_INTENTS | NEVER_A_FOLLOW_UP
        if turn.asked.field == "phone" and booking.reads(turn, "phone"):
            overriding = False  # "yes call me 415.555.0923" is the answer, not "a person"
        if not overriding and _answers_booking(turn, match, turn.asked.field):
            return BookingAnswer()
        aside = _visit_asked(turn, match) or _route_question(turn, match, topic)
        if isinstance(aside, Answer) and aside.intent == BOOKING:
            return BookingAnswer()  # "how long is the appointment": not a second request
        if not overriding and isinstance(aside, Answer | FollowUp | Several | PriceTogether):
            return AsideInBooking(aside)  # "do you work saturdays?" while asked which day
        if not overriding and isinstance(aside, NotUnderstood | OffTopic | DidYouMean):
            return BookingAnswer()  # "12345 ???": the question again, not "I didn't get that"
        return aside
    return _route_question(turn, match, topic)


def _route_question(turn: Turn, match: Match, topic: str | None) -> Route:
    """What to do with a message that is not a button, a step or a booking answer."""
    brain = turn.brain
    if match.intent in (None, "reminders") and _STOP_ASKED.search(turn.text):
        return Answer("opt_out")  # "can you stop sending me the reminder texts please"
    one_asked = len(_asked_clauses(turn.text)) <= 1
    if answers.language_asked(turn.text) and one_asked and not match.safety:
        return Answer(answers.DOCTORS)  # "is there anyone there who speaks polish"
    if booking_text.quiet_time_asked(turn.text) and not match.safety:
        return Answer(BOOKING)  # "which day is quietest, a busy waiting room stresses him"
    if (
        _ASKS_TO_SPEAK.search(turn.text)
        and not match.safety
        and not (match.off_topic and topic is None)  # a sales pitch: "who can I talk to?"
        and "human" in brain.knowledge.intents
    ):
        return Answer("human")  # "can i please speak with the doctor who did it?": a person
    if (
        (_BILLED_WRONG.search(turn.text) or _WANTS_MONEY_BACK.search(turn.text))
        and not match.safety
        and "complaint" in brain.knowledge.intents
    ):
        return Answer("complaint")  # "your office billed my insurance wrong": a person settles it
    if _dental_fear_told(turn, match):
        return Answer(ANESTHESIA)  # "im really scared of dentists": how we keep it gentle
    if _several_problems_to_start_with(turn, match):
        return Answer(FIRST_VISIT)  # "a chip, bleeding gums, and whitening. where do i start"
    if _asks_only_about_walk_ins(turn, match):
        return Answer(BOOKING)  # "do you take walk-ins?": by appointment, and a request
    if match.intent == "complaint" and not match.upset and is_acknowledgement(turn, turn.text):
        return Acknowledge()  # "ok waiting for call" after a complaint went to a person
    if "insurer" in turn.details and topic == INSURANCE and not match.safety:
        return Answer(INSURANCE)  # "and my husband is on guardian?": no night guard
    if _asks_if_we_take_the_insurer(turn, match):
        return Answer(INSURANCE)  # "do you take cigna for implants": the plan, not the implant
    if _asks_who_treats(turn, match, topic):
        several = several_questions(turn, match, topic)
        others = [each for each in several if each.intent != DOCTORS]
        # ("who would do it", "is it a specialist" half-read as whom it suits or what it is)
        if Question(DOCTORS) in several and any(each.facet in _PLAIN_FACTS for each in others):
            return Several(tuple(several))  # "how many visits and which doctor does them"
        return Answer(DOCTORS)  # "who does the implants", "who would do it, which doctor?"
    if topic is not None and _pain_feared(turn, match, topic):
        return FollowUp(topic, "pain")  # "i'm honestly scared it'll hurt": how it feels
    if _a_visit_put_forward(turn, match):
        return Answer(BOOKING)  # "WEDNESDAY AFTERNOON OK?": a visit wished, nothing to move
    if match.intent == "greeting" and {"day", "date"} & turn.details.keys():
        return Answer(BOOKING)  # "fri morning works", "thursday morning ok?": a day, no hello
    if _ANNOUNCES_A_QUESTION.match(turn.text) and not match.safety:
        return Acknowledge()  # "i have a question": no answer to ours, and nothing asked yet
    if triage.put_back_asked(turn) and asks_if_price(turn.text):
        return Answer(EMERGENCY)  # "crown came off, can you glue it back and what does it cost"
    practical = _answered_then_practical(turn, match, topic)
    if practical is not None:
        return AnsweredThenAsked(str(topic), practical)  # "just general. and is there parking?"
    if topic is not None and turn.asked is not None and _reads_as_answer(turn, match):
        return AnswerToQuestion(_narrowed(turn, topic))
    if topic is not None and _only_says_which_tooth(turn, match, topic):
        return AnswerToQuestion(topic)  # "its the upper right premolar" after the aftercare
    if companion_asked(turn.text) and not match.safety and len(_asked_clauses(turn.text)) <= 1:
        return Several((Question(COMPANION),))  # "Can my daughter come in with me"
    along = _COMES_ALONG.search(turn.text) and len(_asked_clauses(turn.text)) == 1
    if along and not match.safety:
        return Answer(BOOKING)  # "could my daughter come with me the same time? shes 5"
    if topic == _FREE_CHECKUP and is_question(turn.text) and PAYS.search(turn.text):
        besides = brain.facets.names_topics(turn.text, affirmed=True)
        if not match.safety and (not besides or FOUND_AT_THE_EXAM.search(turn.text)):
            return FollowUp(_FREE_CHECKUP, "price")  # "if it finds a cavity, do i pay for it?"
    waited = _waiting_asked(turn, match, topic)
    if waited is not None:
        return IfWaiting(waited)  # "what happens if we wait until she's older?"
    if _asks_what_the_plan_covers(turn, match, topic):
        return Answer(INSURANCE)  # "does it cover cleanings": the insurance, not the cleaning
    same_terms = _same_terms_for(turn, match, topic)
    if same_terms is not None:
        return same_terms
    told_about = _told_about_the_service(turn, match, topic)
    if told_about is not None:
        return AnswerToQuestion(told_about)  # "I need 3, lower jaw" after plans for implants
    compared = [] if match.safety else prices_compared(turn, turn.text)
    if len(compared) > 1 and _asks_only_to_compare(turn.text):
        return Several(tuple(compared))  # "which is cheaper, a bridge or an implant?": both
    asked = _asked_clauses(turn.text)
    if not match.safety and len(asked) <= 1 and answers.DIAGNOSIS_ASKED.search(turn.text):
        return Diagnosis()  # "could it be a cavity?": not the x-rays' safety
    picked = weighing.pick_asked(turn, match)
    if picked is not None:
        return PickFor(tuple(picked))  # "which one would you pick if it was you"
    weighed = weighing.options_weighed(turn, match)
    if weighed is not None:
        options, compared_fact = weighed
        if compared_fact is None:
            return Weighed(tuple(options))
        return Several(weighing.each_fact(options, compared_fact))  # "which one hurts more"
    each = [] if match.safety else _each_priced(turn)
    if each:
        return Several(tuple(each))  # "how much is each" after two were weighed: each price
    together = _priced_together(turn, match)
    if together:
        return PriceTogether(tuple(together), _practical_asked_besides(turn))
    more = how_many_more(turn.text)
    if more is not None and topic is not None and turn.counted_by_the_unit(topic):
        return PriceTogether(((topic, more),))  # "and for 2?" after the implant's price
    several = several_questions(turn, match, topic)
    if len(several) > 1:
        return Several(tuple(several))
    if not match.safety and in_the_chair_asked(turn.text):
        return Several((Question(IN_THE_CHAIR),))  # "can she stay in her wheelchair for it?"
    handed_over = turn.state.details.get(HANDED_OVER) == EMERGENCY
    if topic == EMERGENCY and handed_over and turn.asked is None and _still_emergency(turn, match):
        return HandOver(EMERGENCY)  # "please, what do I do": no time for "I didn't get that"
    if topic == EMERGENCY and handed_over and (practical := _practical_guess(turn, match)):
        return Answer(practical)  # "ok on our way whats the address": where we are
    had = _asked_of_the_treatment_had(turn, match) if topic == AFTERCARE else None
    if had is not None and booking_text.asks_to_come_in(turn.text):
        return Several((Question(BOOKING), had))  # "can i come in to have it eased, and ..."
    if had is not None and had.facet is None:
        return Answer(had.intent)  # "is there a charge for that since you only just made it"
    if had is not None:
        return FollowUp(had.intent, str(had.facet))  # "when will the permanent one be ready?"
    if topic == AFTERCARE and _still_aftercare(turn, match):
        return Answer(AFTERCARE)  # "can I smoke?" after "had a tooth out this morning"
    long_ago = match.intent == AFTERCARE and _YEARS_AGO.search(turn.text) is not None
    if long_ago and (named := named_service(turn, turn.text)) and brain.replies.has_service(named):
        return Answer(named)  # "a filling done elsewhere 6 yrs ago feels rough": no aftercare
    if _names_the_warranty(turn, match):
        return Answer(WARRANTY_TERMS)  # "and is there a warranty?" on veneers: the written terms
    brought = several == [Question(FIRST_VISIT)] and BRING_IN.search(turn.text) is not None
    if len(several) == 1 and named_elsewhere(turn, several[0], topic, match) and not brought:
        only = several[0]  # "which insurance do you take? i'm with Allianz" on a wisdom tooth
        return FollowUp(only.intent, only.facet) if only.facet else Answer(only.intent)
    facet = _asked_after_naming(turn, match) or facet_asked(turn, turn.text, match, topic)
    if facet is not None:
        told = (
            turn.count_told(facet.intent) or turn.jaws_told(facet.intent)
            if facet.facet == "price"
            else None
        )
        if (
            told is not None
            and told > 1
            and turn.counted_by_the_unit(facet.intent)
            and not extract_quantities(turn.text)
        ):
            return PriceTogether(((facet.intent, told),))  # "probably 6" ... "price for that?"
        if (
            facet.facet
            and _WANTS_TO_BOOK.search(turn.text)
            and brain.replies.has_service(facet.intent)
        ):  # "ok. i want to book a cleaning, how long does it take?": both
            return PriceAndVisit(facet.intent, match.score, facet.facet)
        return FollowUp(facet.intent, facet.facet or "")
    if match.intent is None or match.off_topic:
        follow_up = _practical_follow_up(turn, match, topic)
        if follow_up is not None:
            return follow_up
    if _proposes_a_visit(turn, match, topic):
        return Answer(BOOKING)  # "can we do thurs 4:30" after the child's visit
    if match.intent is not None and match.ambiguous:
        named = named_service(turn, turn.text)
        readings = {match.intent, *(other.intent for other in match.alternatives[:1])}
        if readings == {BOOKING, named} and _wants_a_visit(turn):
            return Answer(BOOKING)  # "i'd like to book a filling": a visit for it
        if named in readings and BRING_IN.search(turn.text):
            return Answer(BOOKING)  # "Can I bring my daughter in for a cleaning?": a visit
        if named in readings:
            return Answer(named, match.score)  # the patient named one of the two readings
        return DidYouMean(match)
    if match.intent is None and is_acknowledgement(turn, turn.text):
        return Acknowledge()
    saying_yes = _YES_OR_NO.match(turn.text) is not None and not is_question(turn.text)
    if match.intent is None and topic is not None and saying_yes:
        return Acknowledge()  # "yes, I'm at uni" after the discounts: no "we're a dental clinic"
    if match.intent is None and topic == EMERGENCY and turn.asked == AskedProblem(EMERGENCY):
        return Answer(EMERGENCY)  # "what can I do meanwhile?": the urgent advice again
    dental = bool(PROBLEM_DETAILS & turn.details.keys()) and not brain.matcher.elsewhere(
        turn.text
    )  # "i lost a tooth, what now?", not "my feet swell up on long flights"
    urgent = set(brain.knowledge.vocabulary.urgent_symptoms)
    problems = set(turn.details.get("symptom", "").split(", ")) & urgent
    what_now = match.intent == SERVICES or (
        match.intent is None and several == [Question(SERVICES)]
    )
    if what_now and problems and not _ASKS_US.search(turn.text):
        return Answer(EMERGENCY)  # "my crown just came off eating toffee, what do i do now"
    if match.intent is None and len(several) == 1:
        # "i asked a simple question. how much is the crown", "where are you exactly? near the
        # shopping centre?": the one clear question of a message not understood as a whole
        only = several[0]
        priced = named_service(turn, turn.text) if only.intent == "prices" else None
        if priced is not None and brain.replies.has_service(priced):
            return Answer(priced)  # "... two crowns at 1,400 each. Could you tell me your price"
        return FollowUp(only.intent, only.facet) if only.facet else Answer(only.intent)
    if match.intent is None and topic is not None and _points_at_topic(turn, topic):
        return Answer(topic)  # "is it even worth it" during a root canal: about the root canal
    named = named_service(turn, turn.text)
    if (
        match.intent is None
        and named
        and turn.details.get("weekdays")
        and asks_if_we_do(turn.text)
    ):
        return Several((Question(named), Question(HOURS)))  # "cleanings on saturday?"
    if (
        match.intent is None
        and turn.details.get("weekdays")
        and _OUR_HOURS_ASKED.search(turn.text)
    ):
        return Answer(HOURS)  # "whats ur hours on wed", "the latest appointment on weekdays"
    if (
        match.intent is None
        and _EARLIEST_ASKED.search(turn.text)
        and _visit_is_likeliest(turn, match, named)
    ):
        return Answer(BOOKING)  # "ok whats the earliest day you have"
    unsure_or_hours = match.intent is None or match.intent == HOURS
    if unsure_or_hours and _SLOTS_ASKED.search(turn.text) and not match.safety:
        return Answer(BOOKING)  # "what times do you have after school?": a visit, when
    if match.intent is None and brain.matcher.red_flag_near_mouth(turn.text):
        return Answer(EMERGENCY)  # a red flag is never another business's question
    if match.intent is None and not match.safety and answers.NEW_PATIENTS.search(turn.text):
        return Answer(FIRST_VISIT)  # "are you taking new patients?": yes, the first visit
    our_hours = is_question(turn.text) and _OUR_HOURS_ASKED.search(turn.text) is not None
    if match.intent is None and our_hours and not match.safety:
        return Answer(HOURS)  # "what time do you open, we need to order a taxi": not off-topic
    if match.intent is None and match.off_topic and mostly_words(turn.text) and not dental:
        return OffTopic(match.score)
    if match.intent is None and _wants_a_visit(turn) and _visit_is_likeliest(turn, match, named):
        return Answer(BOOKING)  # "can i schedule a cleaning for next week"
    if match.intent is None and _urgent_symptom(turn):
        return Answer(EMERGENCY)  # "broke a bit of tooth on a fork, what do i do": triage
    if (
        match.intent is None
        and named
        and brain.replies.has_service(named)
        and not is_question(turn.text)
        and not (topic and brain.replies.has_facets(topic))
    ):
        return Answer(named)  # "it would be for a regular cleaning": about that service
    if (
        match.intent is None
        and named
        and named != topic
        and brain.replies.has_service(named)
        and _AND_FOR.match(turn.text)
    ):
        return Answer(named)  # "ok and what about whitening, same time?": on to whitening
    if match.intent is None and topic is not None and _tells_about_it(turn, topic):
        return AnswerToQuestion(_narrowed(turn, topic))  # "been like 6 months now, and ..."
    if match.intent is None and named and _treated_with(turn, match, named):
        return Answer(named)  # "my husband broke a tooth, can that be fixed with a crown?"
    if match.intent is None and OPENING_ASKED.search(turn.text) and is_question(turn.text):
        return Answer(HOURS)  # "do you start early like 8am"
    if match.intent is None and _only_tells_details(turn):
        return Acknowledge()  # "he's 7" after the case went back to the bot: noted
    if match.intent is None and _named_and_half_read(turn, match, named):
        return Answer(str(named))  # "... my wisdom teeth are sideways. do they have to come out?"
    if match.intent is None and _a_day_wished(turn):
        return Answer(BOOKING)  # "wednesday morning please", with nothing asked: a visit then
    if match.intent is None:
        return NotUnderstood()
    if topic is not None and brain.replies.has_facets(topic) and _denied(turn, match):
        return AnswerToQuestion(topic)  # "not before, and no fillings in front"
    if brain.replies.has_service(match.intent) and _wants_a_visit(turn):
        if asks_if_price(turn.text):
            return PriceAndVisit(match.intent, match.score)  # "how much, and can u do it today"
        return Answer(BOOKING, match.score)  # "I need a cleaning next week": a request
    if topic is not None and _unnamed_other_service(turn, match, topic):
        return Answer(topic)  # "what happens at the first visit" while talking of a child's
    if match.intent in AUDIENCE_TOPICS:
        named = named_service(turn, turn.text)
        if named is not None and named != match.intent and not _asks_only_of(turn, match.intent):
            return Answer(named, match.score)  # "my daughter needs braces": braces, for a child
        if _an_adult_s_own(turn):
            return Answer(FIRST_VISIT)  # "a bottom tooth feels wobbly. im 45": not a child's
    if match.intent == AFTERCARE and topic is None and not _after_a_treatment(turn):
        if _urgent_symptom(turn):
            return Answer(EMERGENCY)  # "has had a toothache since yesterday": no treatment had
        return Answer(FIRST_VISIT)  # "my teeth are really sensitive to cold": no treatment
    needed = [] if match.safety else _needed_and_nothing_else_asked(turn)
    if len(needed) > 1:
        return Several(tuple(needed))  # "my dentist said i need a night guard and 2 veneers"
    priced = named_service(turn, turn.text) if match.intent == "prices" else None
    if priced is not None and brain.replies.has_facets(priced) and asks_if_price(turn.text):
        return FollowUp(priced, "price")  # "Alright. In the meantime ... what an extraction costs"
    guessed_over_named = _named_over_guessed(turn, match)
    if guessed_over_named is not None:
        return Answer(guessed_over_named, match.score)  # "saw my wisdom teeth on an xray ..."
    if _the_one_asked_is_another(turn, match, several):
        return Answer(several[0].intent, match.score)  # "... terrified. do you do sedation?"
    if _seen_on_an_image(turn, match, topic):
        return AnswerToQuestion(str(topic))  # "no pain atm, just seen on the xray. all 4"
    return Answer(match.intent, match.score)  # had, so what the doctor finds at a check-up


def _answered_then_practical(turn: Turn, match: Match, topic: str | None) -> str | None:
    """The practical subject asked after an answer to the bot's question about a treatment,
    in a last sentence of its own ("Nothing bothering me, just general. Oh and is there
    parking near you?"), or None."""
    if topic is None or not isinstance(turn.asked, AskedProblem) or match.safety:
        return None
    asked = sentences_asked(turn.text)
    if len(asked) != 1:
        return None
    told = turn.text[: turn.text.find(asked[0])].strip()
    if not told or is_question(told) or turn.brain.facets.names_topics(asked[0]):
        return None
    found = turn.brain.matcher.match(asked[0])
    definition = turn.brain.knowledge.intents.get(str(found.intent))
    if definition is None or definition.kind != IntentKind.PRACTICAL or found.ambiguous:
        return None
    if found.intent == BOOKING or found.score < turn.brain.matcher.thresholds.accept:
        return None
    told_turn = dataclasses.replace(turn, text=told)
    reads = _reads_as_answer(told_turn, turn.brain.matcher.match(told))
    return str(found.intent) if reads else None


def _seen_on_an_image(turn: Turn, match: Match, topic: str | None) -> bool:
    """Whether a message read as the X-ray only says where something was seen, telling about
    the treatment talked about ("no pain atm, just seen on the xray")."""
    if match.intent != "xray" or topic in (None, "xray") or is_question(turn.text):
        return False
    if not turn.brain.replies.has_facets(str(topic)):
        return False
    return _ON_AN_IMAGE.search(turn.text) is not None and not _services_named(turn)


#: Where something was seen: "on the xray", "in the scan", "from his x-rays".
_ON_AN_IMAGE = re.compile(
    r"\b(?:on|in|from)\s+(?:the\s+|an?\s+|my\s+|his\s+|her\s+|their\s+)?"
    r"(?:x[\s-]?rays?|scans?|panoramic|images?|pictures?)\b",
    re.I,
)


def _the_one_asked_is_another(turn: Turn, match: Match, several: list[Question]) -> bool:
    """Whether the one question asked names a service of its own, the rest only telling
    ("i need my wisdom tooth out but im honestly terrified. do you do sedation?")."""
    if match.safety or len(several) != 1 or several[0].facet is not None:
        return False
    asked = several[0].intent
    replies = turn.brain.replies
    if asked == match.intent or not replies.has_service(asked) or asked in AUDIENCE_TOPICS:
        return False
    if match.intent is None or not replies.has_service(match.intent):
        return False  # "i need to move my appointment ..., also how much is whitening": the move
    clauses = _asked_clauses(turn.text)
    return len(clauses) == 1 and asked in turn.brain.facets.names_topics(clauses[0])


def _needed_and_nothing_else_asked(turn: Turn) -> list[Question]:
    """The treatments told as needed, when the message asks nothing else ("... my old dentist
    said i need a night guard and 2 veneers. thoughts?")."""
    clauses = split_questions(turn.text)
    asked = [clause for clause in clauses if is_question(clause)]
    for clause in asked:
        if turn.brain.facets.names_topics(clause) or turn.brain.facets.match(clause).facet:
            return []
        if turn.brain.matcher.match(clause).intent is not None:
            return []  # "is there a discount for pensioners?": a question of its own
    for clause in clauses:
        together = [] if is_question(clause) else needed_together(turn, clause)
        if len(together) > 1:
            return together
    return []


def _named_over_guessed(turn: Turn, match: Match) -> str | None:
    """The one service the message asks about, when the classifier guessed one it names only
    as where something was seen ("dentist saw my wisdom teeth on an xray and said they should
    come out, how much is it": the wisdom teeth, not the X-ray)."""
    if match.safety or match.intent is None or not turn.brain.replies.has_service(match.intent):
        return None
    named = _services_named(turn)
    if len(named) != 1 or named[0] in (match.intent, *AUDIENCE_TOPICS):
        return None
    guessed_words = turn.brain.matcher.topic_words(match.intent)
    return named[0] if guessed_words & set(words(turn.text)) else None


def _named_and_half_read(turn: Turn, match: Match, named: str | None) -> bool:
    """Whether a question the classifier can't place names one treatment it half-reads as
    one of its two likeliest readings: that treatment, rather than "I didn't get that"."""
    if named is None or match.safety or match.off_topic or not is_question(turn.text):
        return False
    if not turn.brain.replies.has_facets(named):
        return False
    if asks_if_we_do(turn.text) and len(_services_named(turn)) == 1:
        return True  # "hi do you do checkups for new patients": whatever else it half-reads
    return named in [other.intent for other in match.alternatives[:2]]


def _services_named(turn: Turn) -> list[str]:
    """The services the message names."""
    has_service = turn.brain.replies.has_service
    return [topic for topic in turn.brain.facets.names_topics(turn.text) if has_service(topic)]


#: The age from which a patient writing of their own teeth is no child.
_ADULT_AGE = 18


def _an_adult_s_own(turn: Turn) -> bool:
    """Whether the message is about the writer's own teeth, an adult's ("im 45"), with no
    child named."""
    age = turn.details.get("age", "")
    try:
        adult = float(age) >= _ADULT_AGE
    except ValueError:
        return False
    return adult and turn.details.get("who", "self") == "self"


#: Words that tie a complaint to a treatment done: "after the filling", "since my cleaning",
#: "the crown you did", "my new bridge".
_AFTER_WORDS = re.compile(
    r"\b(?:after|since|post|afterwards|new|recent(?:ly)?|just\s+had|had\s+(?:a|my|the)"
    r"|got\s+(?:a|my|the)|you\s+(?:did|made|put|fitted|placed)|at\s+(?:yours|your\s+(?:clinic|place|office)))\b",
    re.I,
)


def _several_problems_to_start_with(turn: Turn, match: Match) -> bool:
    """Whether the patient tells of several problems and asks where to begin: the exam that
    looks at all of them and plans the order, unless one of them hurts or is a red flag."""
    if match.safety or not _WHERE_TO_START.search(turn.text):
        return False
    told = {symptom for symptom in turn.details.get("symptom", "").split(", ") if symptom}
    if told & _URGENT_ON_ITS_OWN or turn.brain.matcher.red_flag(turn.text):
        return False
    wished = turn.brain.facets.names_topics(turn.text, affirmed=True)
    if len(wished) > 1:
        return False  # "what would you do first, the implant or the whitening?": those two
    return len(told) + len(wished) >= 3


#: Asking where to begin: "where do i even start", "what do i do", "which one first".
_WHERE_TO_START = re.compile(
    r"\bwhere\s+(?:do|should|would|can)\s+(?:i|we)\s+(?:even\s+)?(?:start|begin)\b"
    r"|\bwhere\s+to\s+(?:even\s+)?(?:start|begin)\b"
    r"|\bwhat\s+(?:do|should|would|can)\s+(?:i|we)\s+(?:even\s+)?do(?:\s+first)?\s*[?.!]*\s*$"
    r"|\bwhich\s+(?:one|problem|thing|of\s+(?:them|these))\s+(?:do|should)\s+(?:i|we)\s+"
    r"(?:deal\s+with|fix|do|tackle|start\s+with|sort)\s+first\b"
    r"|\bwhat\s+(?:comes|goes)\s+first\b",
    re.I,
)


#: Problems that want a dentist soon whatever else is told: pain, swelling, something loose,
#: a knocked-out tooth, a filling or crown that came out.
_URGENT_ON_ITS_OWN = frozenset(
    {"pain", "swelling", "loose", "a knocked-out tooth", "a filling or crown came out"}
)


def _after_a_treatment(turn: Turn) -> bool:
    """Whether an aftercare reading has a treatment to be after: one named, or words that
    tie the complaint to work done ("sensitive since my cleaning")."""
    text = _SYMPTOM_SINCE.sub(" ", turn.text)  # "has had a toothache since yesterday"
    if _AFTER_WORDS.search(text) or aftercare.JUST_HAD.search(text):
        return True
    return any(turn.brain.replies.has_facets(t) for t in turn.brain.facets.names_topics(turn.text))


#: How long a pain has gone on, which ties it to no treatment: "has had a toothache",
#: "since yesterday", "for 3 days now".
_SYMPTOM_SINCE = re.compile(
    r"\b(?:has|have|had|'ve|'s|i've|ive)\s+had\s+(?:a\s+|an\s+|some\s+|bad\s+)?"
    r"(?:tooth\s?ache|pain|ache|aching|sore(?:ness)?|throbbing|swelling|sensitivity)\b"
    r"|\bsince\s+(?:yesterday|last\s+night|this\s+morning|the\s+weekend|last\s+week"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.I,
)


#: The treatment weighed before the one just talked about: "the first option", "the other one".
_EARLIER_OPTION = re.compile(
    r"\b(?:the|that)\s+(?:first|former|other|1st|earlier|previous)\s+(?:option|one|choice)\b"
    r"|\boption\s+(?:one|1|a)\b|\bthe\s+former\b",
    re.I,
)
#: The first subject, pointed back to before a question: "ok and for the first thing, white or
#: silver?", "so about my first question: how long".
_FIRST_THING = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|wait|also|right)\W+)*(?:(?:for|about|on|back\s+to)\s+)?"
    r"(?:the|my)\s+(?:first|1st|original)\s+(?:thing|question)\b\W*",
    re.I,
)


#: The patient asks to speak with someone: "can I please speak with the doctor who did it?",
#: "who do i talk to about it", "i'd like to talk to a person".
_ASKS_TO_SPEAK = re.compile(
    r"\b(?:can|could|may)\s+i\s+(?:please\s+)?(?:speak|talk)\s+(?:to|with)\b(?![^.?!]*\b(?:before|at\s+the|during)\b)"
    r"|\bi(?:'d|\s+would)?\s+(?:want|like|need)\s+to\s+(?:speak|talk)\s+(?:to|with)\b"
    r"|\bwho\s+(?:do|can|should)\s+i\s+(?:speak|talk)\s+(?:to|with)\b"
    r"|\blet\s+me\s+(?:speak|talk)\s+(?:to|with)\b"
    # a person asked to call: "i want a callback today", "ask the doctor to message me"
    r"|\bcall\s*-?backs?\b|\b(?:call|phone|ring|message|text)\s+me\s+back\b"
    r"|\b(?:doctor|dentist|manager|someone|somebody|person)\s+(?:to\s+|be\s+able\s+to\s+"
    r"|could\s+|can\s+)?(?:call|phone|ring|telephone|message|contact)\s+me\b",
    re.I,
)


#: A question about what the clinic does: "do you", "can u", "what services".
_ASKS_US = re.compile(r"\b(?:do|can|could|does)\s+(?:you|u|ya|the\s+clinic)\b|\bservices\b", re.I)


#: A treatment done, not planned or only talked over: "had my wisdom tooth out", "got it filled".
_DONE = re.compile(
    r"\b(?:out|done|removed|pulled|extracted|placed|fitted|put\s+in|filled|fixed|taken\s+out"
    r"|cemented|glued)\b",
    re.I,
)


#: Swelling said to be mild: "a little swollen", "a bit puffy", "some swelling".
_MILD_SWELLING = re.compile(
    r"\b(?:a\s+)?(?:little|bit|slightly|tiny\s+bit|mild(?:ly)?|some)\s+(?:of\s+)?(?:\w+\s+)?"
    r"(?:swollen|swelling|puffy|puffiness)\b",
    re.I,
)


#: What makes swelling a red flag whatever word comes before it.
_SWELLING_SPREADS = re.compile(
    r"\b(?:spread\w*|neck|eye|throat|swallow\w*|breath\w*|fever|temperature|worse|bigger"
    r"|growing|hot|pus)\b",
    re.I,
)


def _mild_swelling_only(text: str) -> bool:
    """Whether the only red flag is swelling said to be mild, spreading nowhere."""
    return _MILD_SWELLING.search(text) is not None and not _SWELLING_SPREADS.search(text)


def _treatment_just_had(turn: Turn) -> bool:
    """Whether the message speaks of a treatment done in the last days, asking or not."""
    text = turn.text
    if not aftercare.JUST_HAD.search(text) or _YEARS_AGO.search(text):
        return False
    return bool(_DONE.search(text)) and bool(turn.brain.facets.names_topics(text))


def _tells_of_a_treatment_just_had(turn: Turn) -> bool:
    """Whether the message only tells of a treatment done in the last days ("had my wisdom
    tooth out at your place 2 days ago"): what to expect now, not the treatment's price."""
    return not is_question(turn.text) and _treatment_just_had(turn)


#: Fear of the dentist told, with what is feared: "im really scared of dentists".
_DENTAL_FEAR = re.compile(
    r"\b(?:scared|afraid|terrified|frightened|nervous|anxious|panic\w*|phobi\w*|fear\w*)\b"
    r"[^.?!]{0,30}\b(?:dentists?|dental|the\s+chair|injections?|needles?|the\s+drill"
    r"|treatment|going\s+in)\b"
    r"|\b(?:dental|dentist)\s+(?:anxiety|phobia|fear)\b",
    re.I,
)


def _dental_fear_told(turn: Turn, match: Match) -> bool:
    """Whether an unplaced message tells of fear of the dentist, naming no treatment: the
    numbing and, for the very anxious, the calming options answer it."""
    if match.intent is not None or match.safety or turn.topic is not None:
        return False
    if not _DENTAL_FEAR.search(turn.text) or turn.brain.facets.names_topics(turn.text):
        return False
    if weighing.SLEEP_WORDS.search(turn.text):
        return False  # "terrified ... can you put me to sleep": the sedation's own answer
    return turn.brain.replies.has_service(ANESTHESIA)


#: Each of the options just talked about: "how much is each", "price of either".
_EACH = re.compile(r"\b(?:each(?:\s+one)?|either(?:\s+one)?)\b", re.I)


def _each_priced(turn: Turn) -> list[Question]:
    """Each option's price, asked of the two just talked about without naming them."""
    text, has_facets = turn.text, turn.brain.replies.has_facets
    before, topic = turn.state.details.get(TALKED_ABOUT_BEFORE), turn.topic
    if not (_EACH.search(text) and asks_if_price(text)) or turn.brain.facets.names_topics(text):
        return []
    if len(split_questions(text)) > 1:
        return []  # "And the prices for each? Do you offer payment plans?": asked apart
    if topic is None or before is None or topic == before:
        return []
    if not (has_facets(topic) and has_facets(before)):
        return []
    return [Question(topic, "price"), Question(before, "price")]


#: A sentence about the patient or the one they write for: "she plays the trumpet".
_OF_THE_PATIENT = re.compile(
    r"^\W*(?:(?:well|so|ok|okay|also|oh|btw|and)\W+)?(?:s?he|s?he'?s|s?hes|i|i'?m|im|my|his|her"
    r"|they|they'?re|theyre)\b",
    re.I,
)


#: A bill said to be wrong: only a person can settle that.
_BILLED_WRONG = re.compile(
    r"\b(?:billed|charged|invoiced)\b[^.?!]{0,40}\b(?:wrong\w*|incorrect\w*|by\s+mistake"
    r"|in\s+error|twice)\b|\b(?:billing|invoice)\s+(?:error|mistake|problem|is\s+wrong)\b",
    re.I,
)


#: Money asked back: only a person can settle that.
_REFUND = re.compile(
    r"\b(?:money\s+back|refund\w*|reimburse\s+me|pay\s+me\s+back|charged\s+(?:me\s+)?twice"
    r"|double\s+charged)\b",
    re.I,
)


#: Money paid asked back in so many words, upset or not: "i prepaid 200 for the crown that never
#: got made, i want that back", "i want my deposit back" (not "do you give refunds?").
_WANTS_MONEY_BACK = re.compile(
    r"\bwant\w*\s+(?:my|the|our)\s+(?:money|deposit|\$?\d+)\s+back\b"
    r"|\b(?:pre-?paid|paid|deposit)\b[^?!]{0,80}\bwant\w*\s+(?:that|it|this|them)\s+back\b",
    re.I,
)


#: "back to it" once "the first one" is read as it: no question of its own.
_BACK_TO = re.compile(r"\b(?:(?:go(?:ing)?|getting|coming)\s+)?back\s+to\s+it\b,?", re.I)


#: Asking to book in so many words: "i want to book", "can i schedule", "id like to make an
#: appointment" (not "how long is the appt").
_WANTS_TO_BOOK = re.compile(
    r"\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|i\s+wanna|i\s+need|can\s+i|could\s+i"
    r"|let\s+me|please)\s+(?:to\s+)?(?:book|schedule|make\s+an\s+appointment)\b",
    re.I,
)


#: At most this many words in a message that only says which tooth.
_WHICH_TOOTH_WORDS = 8


#: Details a short statement may tell with nothing else: who, how old, which teeth.
_TOLD_ALONE = frozenset({"age", "who", "area", "tooth", "quantity"})


#: At most this many words in a message that only tells such details.
_DETAILS_ONLY_WORDS = 4


#: A wish said after a day and time: "wednesday morning please", "friday at 10 would be great".
_WISHED = re.compile(
    r"\b(?:please|pls|plz|would\s+(?:be\s+)?(?:great|good|ideal|perfect|best)"
    r"|suits?\s+me|works?\s+for\s+me|if\s+possible|if\s+you\s+can)\W*$",
    re.I,
)


def _a_day_wished(turn: Turn) -> bool:
    """Whether a message only wishes a day (and time) for a visit: "wednesday morning please"."""
    if is_question(turn.text) or not (wished := _WISHED.search(turn.text)):
        return False
    return only_a_day(turn.text[: wished.start()], turn.details)


def _only_tells_details(turn: Turn) -> bool:
    """Whether a short statement only tells who, how old or which teeth ("he's 7"), with no
    question pending about them: noted, not "I didn't get that"."""
    told = set(turn.details)
    if not told or not told <= _TOLD_ALONE or is_question(turn.text):
        return False
    return len(words(turn.text)) <= _DETAILS_ONLY_WORDS


def _only_says_which_tooth(turn: Turn, match: Match, topic: str) -> bool:
    """Whether a short statement only says which tooth, on a dental subject ("its the upper
    right premolar"): noted, not a guess at a treatment or "I didn't get that"."""
    brain = turn.brain
    dental = brain.replies.has_facets(topic) or topic in (AFTERCARE, EMERGENCY)
    if turn.state.details.get(HANDED_OVER) == EMERGENCY:
        return False  # "top front one" after a blow to the face: for the person taking it
    if not dental or match.safety or is_question(turn.text) or "area" not in turn.details:
        return False
    if asks_if_price(turn.text):
        return False  # "price both jaws": the price asked, the jaws noted
    longest = _WHICH_TOOTH_WORDS + (6 if "symptom" in turn.details else 0)  # "..., only with
    if len(words(turn.text)) > longest or brain.matcher.red_flag(turn.text):  # cold drinks"
        return False
    return not brain.facets.names_topics(turn.text)


def _tells_of_teeth(turn: Turn) -> bool:
    """Whether a statement names a treatment: "my orthodontist asked for one"."""
    return not is_question(turn.text) and bool(turn.brain.facets.names_topics(turn.text))


#: How long, how it feels, how many: "about 2 months now, no pain", "I have 2 that need doing".
_CASE_TOLD = re.compile(
    r"\b\d+\s*(?:days?|weeks?|months?|years?|yrs?)\b|\b(?:last|this)\s+(?:week|month|year)\b"
    r"|\bsince\b|\bago\b|\b(?:pain|painful|hurts?|hurting|sore|aches?|aching)\b"
    r"|\b\d+[\s-]*units?\b"  # "its a 3 unit one": a bridge over three teeth
    r"|\b(?:i|we|he|she)\s+(?:have|has|need)\s+(?:\d+|two|three|four|five|a\s+few)\b",
    re.I,
)


#: At most this many words in a case told in reply to the bot's question.
_CASE_WORDS = 12


#: A time span said unsure, its "?" no question: "um maybe 3 years? its been a while".
_UNSURE_SPAN = re.compile(
    r"^\W*(?:(?:um+|uh+|hmm+|erm?|ok|well)\W+)?(?:maybe|like|about|around|probably|perhaps)\s+"
    r"(?:\d+|a|one|two|three|four|five|six)\s+(?:or\s+\w+\s+)?(?:years?|yrs?|months?|weeks?)"
    r"(?:\s+ago)?\s*\?",
    re.I,
)


def _tells_of_the_case(turn: Turn) -> bool:
    """Whether a short statement tells how long, how it feels or how many, as an answer to
    the bot's question about the problem does."""
    text = turn.text
    return (
        isinstance(turn.asked, AskedProblem | AskedDay)
        and turn.topic is not None
        and (not is_question(text) or _UNSURE_SPAN.match(text) is not None)
        and len(words(text)) <= _CASE_WORDS
        and bool(_CASE_TOLD.search(text))
        and not turn.brain.matcher.elsewhere(text)
    )


#: A medicine taken as a child, told as the cause of stained teeth ("grey teeth from
#: antibiotics as a kid"): history, not a medicine the doctor must weigh now.
_CHILDHOOD_MEDICINE = re.compile(
    r"\b(?:antibiotic\w*|tetracycline|medicines?|medications?|pills)\s+(?:as|when)\s+(?:a\s+)?"
    r"(?:kid|child|baby|toddler|teen|teenager|i\s+was\s+(?:a\s+)?(?:kid|child|little|small|young))\b",
    re.I,
)


#: Taken aback by an amount just told: "wow thats a lot", "thats more than my car", "yikes".
_PRICE_SHOCK = re.compile(
    r"\b(?:that'?s|thats|its|it'?s|wow|whoa|jeez|geez|damn|yikes|omg)\b[^?.!]{0,20}"
    r"\b(?:a\s+lot|so\s+much|too\s+much|(?:very|so|really|way)\s+(?:steep|pricey|expensive)"
    r"|steep|pricey|a\s+fortune|more\s+than\s+(?:my|a)\s+(?:car|rent|mortgage|salary|paycheck"
    r"|holiday|vacation|wage\w*|month'?s?\s+\w+))\b",
    re.I,
)


#: A cry of surprise that asks nothing: "what??", "seriously?!", "really?".
_AGHAST = re.compile(r"\b(?:what|seriously|really|huh|wtf)\s*[?!]+", re.I)


def _price_shock(turn: Turn, match: Match) -> bool:
    """Whether the patient is taken aback by the price of the treatment just talked about, and
    asks nothing else of it: an apology and a person, never "we're a dental clinic"."""
    if match.safety or turn.topic is None or not turn.brain.replies.has_service(turn.topic):
        return False
    if not _PRICE_SHOCK.search(turn.text) or turn.brain.facets.names_topics(turn.text):
        return False
    said = _AGHAST.sub("", turn.text)  # "what?? thats more than my car": no question in it
    return not _any_clause_asks(said) and turn.brain.facets.match(said).facet in (None, "price")


def _about_our_care(turn: Turn, match: Match) -> bool:
    """Whether a message may be about care at the clinic, not confidently another doctor's
    business ("can your doctor write me a prescription for my blood pressure pills")."""
    matcher = turn.brain.matcher
    return (
        not match.off_topic
        or turn.topic is not None
        or match.intent in matcher.dental_intents
        or bool(turn.brain.facets.names_topics(turn.text))
        or matcher.detect_emergency.about_mouth(matcher.normalized(turn.text))
    )


#: Whether a named treatment would do: "can that be fixed with a crown?", "do i need a
#: crown", or it is weighed as enough (ENOUGH).
_WOULD_IT_DO = re.compile(
    r"\b(?:fixed|treated|done|sorted|repaired|saved|replaced|closed)\s+(?:with|by)\b"
    r"|\b(?:do|would|will|does)\s+(?:i|he|she|we|they|it)\s+need\s+(?:a|an|some)\b",
    re.I,
)


#: Telling of one's own case: "been like 6 months now", "it's for my wedding in 2 months".
_TELLS = re.compile(
    r"^\W*(?:(?:ok|okay|fine|well|so|and|yeah|yes|no)\W+){0,2}(?:it'?s|its|it\s+(?:is|was)|been"
    r"|i'?ve\s+(?:been|had)|i\s+(?:have|had)|since|for\s+(?:about\s+|like\s+)?\d|they'?re"
    r"|theyre|my|last\s+(?:one|time|cleaning|check[\s-]?up|visit)\s+was)\b",
    re.I,
)


#: A question announced, not yet asked: "i have a question", "can i ask something?".
_ANNOUNCES_A_QUESTION = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|also|hi|hello|hey|sorry)\W+)*(?:(?:i\s+have|i'?ve\s+got|got)\s+"
    r"(?:a|one\s+more|another|a\s+few|some|two|2)\s+(?:quick\s+|more\s+)?questions?"
    r"|(?:one\s+more|another|a\s+quick)\s+question"
    r"|(?:can|could|may)\s+i\s+ask\s+(?:you\s+)?(?:something|a\s+question|one\s+more\s+thing))"
    r"\W*$",
    re.I,
)


#: Telling that one has something to ask or doesn't know, which is no case told.
_NOT_A_CASE = re.compile(r"\b(?:question|ask|wonder\w*|not\s+sure|don'?t\s+know|dunno)\b", re.I)


def _tells_about_it(turn: Turn, topic: str) -> bool:
    """Whether a message nobody could classify tells about the patient's own case while a
    treatment is talked about: what they tell is noted, and the next step offered."""
    text = turn.text
    if not turn.brain.replies.has_service(topic) or is_question(text):
        return False
    if _WHICH_TEETH & turn.details.keys() and len(words(text)) <= _CASE_WORDS:
        return True  # "Just the two at the top, in the middle."
    return bool(_TELLS.match(text)) and not _NOT_A_CASE.search(text) and mostly_words(text)


#: Details that say which teeth: told on their own, they are about the treatment talked of.
_WHICH_TEETH = frozenset({"area", "quantity", "tooth"})


def _treated_with(turn: Turn, match: Match, named: str) -> bool:
    """Whether a question the classifier half-reads asks if the treatment it names would do,
    the treatment among the classifier's likeliest readings."""
    if not turn.brain.replies.has_service(named) or not is_question(turn.text):
        return False
    likeliest = [alt.intent for alt in match.candidates[:2]]
    would_do = _WOULD_IT_DO.search(turn.text) or ENOUGH.search(turn.text)
    return named in likeliest and would_do is not None


def _wants_a_visit(turn: Turn) -> bool:
    """Whether a message about a service asks for a visit ("i'd like to book a filling", "I
    need a cleaning next week", "can I get one tomorrow?") rather than about the service."""
    if BRING_IN.search(turn.text) or booking_text.asks_to_come_in(turn.text):
        return True  # "Could I bring him in for a consultation first?" (not what to bring)
    if turn.brain.facets.match(turn.text).facet not in (None, "price"):
        return False  # "how long does a cleaning take on saturday?" ("how much": price, visit)
    if BOOK_WORDS.search(turn.text):
        return True
    if not ("day" in turn.details or "time" in turn.details or "date" in turn.details):
        return False
    asks = is_question(turn.text.replace("?", ""))  # "teeth whitened, maybe thursday?" asks not
    return not asks or bool(VISIT_ASKED.search(turn.text))


def _proposes_a_visit(turn: Turn, match: Match, topic: str | None) -> bool:
    """Whether a message the classifier can't place (or places between two readings, one a
    booking) proposes a day or time for a visit while something is being talked about: "can
    we do thurs 4:30", "ok can i come for a consult fri afternoon"."""
    if not {"day", "time", "date"} & turn.details.keys() or not PROPOSES.search(turn.text):
        return False
    if turn.brain.facets.match(turn.text).facet not in (None, "price"):
        return False  # "how fast can u do it, i have a wedding sat": how long it takes
    readings = {match.intent, *(other.intent for other in match.alternatives[:1])}
    if match.intent is not None and not (match.ambiguous and BOOKING in readings):
        return False
    return (
        topic is not None
        or BOOKING in readings
        or bool(match.candidates[:1])
        and (match.candidates[0].intent == BOOKING)
    )


def _visit_is_likeliest(turn: Turn, match: Match, named: str | None) -> bool:
    """Whether a loose message wishing a visit is about one: a service named, or a booking
    the classifier's likeliest reading."""
    if named is not None and turn.brain.replies.has_service(named):
        return True
    return bool(match.candidates) and match.candidates[0].intent == BOOKING


def _answers_booking(turn: Turn, match: Match, field: str) -> bool:
    """Whether a message answers the booking question rather than asking something else."""
    if booking.is_control(turn.text):
        return True  # "skip", "cancel"
    readable = booking.reads(turn, field)
    if not readable and not is_question(turn.text) and _gives_booking_details(turn, field):
        return True  # "1:15 is fine. name's Tom Baker" when asked new or returning
    small_talk = match.intent in SMALL_TALK and not match.ambiguous
    named = field != "what" or turn.brain.facets.names_topic(turn.text) is not None
    if small_talk and not (readable and named):
        return False  # "thank you so much" when asked what the visit is for: no reason
    asks_a_facet = is_question(turn.text) and turn.brain.facets.match(turn.text).facet is not None
    if field == "what" and readable and turn.brain.facets.names_topic(turn.text):
        return not asks_a_facet  # "a cleaning?" answers; "how much is whitening" asks
    if not readable and is_question(turn.text):
        return False  # "close to the metro?": a question of its own
    if asks_a_facet and field not in ("what", "when"):
        return False  # "ok that's for later. how long does it take to heal?" when asked a name
    asks_else = is_question(turn.text) and (
        (match.intent is not None and match.intent != BOOKING and not match.off_topic)
        or asks_a_facet
    )
    return not asks_else


def _gives_booking_details(turn: Turn, field: str) -> bool:
    """Whether a statement gives another answer of the request than the one asked: a new time
    or the name."""
    if field != "when" and {"day", "time", "date"} & turn.details.keys():
        return True
    return field != "name" and booking_text.name_said(turn.text) is not None


def read_choice(value: str) -> Route:
    """The route of a button's packed value (a stale or forged one says so)."""
    choice = unpack_choice(value)
    if choice is None:
        # The button data may be forged: keep only whether it claimed to be an intent.
        return StaleChoice(claimed_intent=value.startswith("intent:"))
    return Pick(choice)


def _any_clause_asks(text: str) -> bool:
    """Whether the message, or any clause of it, is a question, or asks one somewhere ("and
    after do i need a crown on it")."""
    clauses = [text, *split_questions(text)]
    return any(is_question(clause) for clause in clauses) or bool(_ASKS_SOMEWHERE.search(text))


#: Words that ask, wherever they stand: "do i", "will it", "how", "what".
_ASKS_SOMEWHERE = re.compile(
    r"\b(?:do|does|can|could|should|will|would|is|are)\s+(?:i|you|u|it|they|he|she|we)\b"
    r"|\b(?:how|what|when|which|why)\b"
    # asked in other words: "my wife wants to know if shes too old", "i was wondering whether"
    r"|\b(?:know|wondering|wonder|asking|ask|tell\s+(?:me|us|her|him))\s+(?:if|whether)\b",
    re.I,
)


def _reads_as_answer(turn: Turn, match: Match) -> bool:
    """Whether a message answers what the bot asked, rather than asking something new."""
    asked = turn.asked
    about_a_service = (isinstance(asked, AskedProblem) and asked.service != EMERGENCY) or (
        isinstance(asked, AskedDay) and turn.topic not in (None, EMERGENCY)
    )  # AskedDay: the problem was told with the question, and the bot asked which day suits
    named = named_service(turn, turn.text)
    bare = [word for word in words(turn.text) if word not in _LEAD_WORDS]
    just_a_name = len(bare) <= 2 and not _YES_OR_NO.match(turn.text)  # "ok and a cleaning"
    other = isinstance(asked, AskedProblem) and named not in (None, asked.service)
    if other and just_a_name and match.intent == named:
        return False  # "night guard" right after the veneers question: a new question
    if other and asks_if_we_do(turn.text) and match.intent == named:
        return False  # "my kids are 5 and 9, do you do sealants on kids teeth": a new question
    if how_many_more(turn.text) is not None and not match.safety:
        return False  # "price for the zirconia ones x3": the price of three, not an answer
    if _hours_asked(turn) and is_question(turn.text) and not match.safety:
        return False  # "whats ur hours on wed" when asked which day suits: our hours first
    dental_problem = match.safety or match.intent == EMERGENCY
    if dental_problem and about_a_service and not turn.brain.matcher.red_flag(turn.text):
        return not is_question(turn.text)  # "half out, keeps getting infected": an answer
    told = bool(turn.details) or PAST_REPORT.search(turn.text) is not None  # "it was pulled"
    unsure_complaint = (
        match.intent == "complaint"
        and match.score < max(turn.brain.matcher.thresholds.accept, UNSURE_COMPLAINT)
        and told
        and not match.upset
    )
    if unsure_complaint and not is_question(turn.text):
        return True  # "nobody told me yet, but it's the upper left and hurts when I chew"
    about_us = _ABOUT_US.search(turn.text) is not None
    problem_asked = isinstance(asked, AskedProblem) and asked.service != EMERGENCY
    plain = not (match.upset or about_us or turn.brain.facets.match(turn.text).facet)
    if match.intent == "complaint" and problem_asked and plain:
        return not is_question(turn.text)  # "never had one tbh. im 34": no word about us
    if _tooth_described_as_bad(turn, match):
        return True  # "upper front, doesnt hurt, just sharp and looks awful": the tooth, not us
    if not match.safety and set(turn.details) == {"who"} and len(bare) <= 3:
        # "me", "my son": who it is for, though "me" half-reads as asking for a person
        return not is_question(turn.text) and not WHAT_ABOUT.match(turn.text)
    if isinstance(asked, AskedDay) and _tells_the_tooth_s_history(turn, match, named):
        return True  # "It has never had a root canal as far as I know, just the big filling."
    if match.safety or match.intent in NEVER_A_FOLLOW_UP:
        return False
    if match.intent in PATIENT_RIGHTS_INTENTS:
        return False
    asks_a_facet = is_question(turn.text) and turn.brain.facets.match(turn.text).facet
    if isinstance(asked, AskedDay) and asks_a_facet:
        return False  # "how long does it take, i only get an hour for lunch"
    if isinstance(asked, AskedDay) and PROBLEM_DETAILS & turn.details.keys():
        return not is_question(turn.text)  # "mostly crowding in the bottom front": the problem
    if (_YES_OR_NO.match(turn.text) or _HOW_OFTEN.match(turn.text)) and not is_question(turn.text):
        return True  # "yes once, with strips from amazon": an answer, whatever else it reads as
    if WHAT_ABOUT.match(turn.text):
        return False  # "what about kids?": a question back
    if match.intent is None and _tells_of_the_case(turn):
        return True  # "about 2 months now, no pain", "I have 2 that need doing"
    told_of_them = _OF_THE_PATIENT.match(turn.text) is not None and not any(
        is_question(clause) for clause in [turn.text, *split_questions(turn.text)]
    )
    if match.intent is None and match.off_topic and told_of_them:
        return True  # "she plays the trumpet in the school band": their life, for the doctor
    if match.intent is None and match.off_topic and not turn.details and not _tells_of_teeth(turn):
        return False  # a sales pitch or a question for someone else is nobody's answer
    if isinstance(asked, AskedDay) and match.intent == HOURS and not match.ambiguous:
        return not is_question(turn.text)  # "what time do you open on monday": the hours
    if isinstance(asked, AskedDay) and _asks_besides_the_day(turn):
        return False  # "ok what time on saturday and do i need to book ahead": two questions
    if isinstance(asked, AskedDay):  # "wednesday morning" also reads as a greeting
        return "day" in turn.details or "time" in turn.details
    if match.intent == BOOKING and not match.ambiguous:
        return False  # "book me for saturday then": a booking, with its day
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    practical = definition is not None and definition.kind == IntentKind.PRACTICAL
    if practical and not match.ambiguous and not PROBLEM_DETAILS & turn.details.keys():
        return False  # "any discounts or payment plans" after the bot asked about the teeth
    if asks_if_price(turn.text) and turn.brain.facets.match(turn.text).facet == "price":
        return False  # "price both jaws": the price, for both (the jaws are noted all the same)
    if other and not just_a_name and not _any_clause_asks(turn.text):
        return True  # "filling. hate needles" after "what treatment is it for?": told, not asked
    if _facet_not_denied(turn) and (
        not turn.details or is_question(turn.text)
    ):  # "and how many visits is that", "im 34 is it too late for me": a follow-up (the
        return False  # age is noted all the same)
    if match.intent in SMALL_TALK or (
        match.intent is None and is_acknowledgement(turn, turn.text)
    ):
        return False
    return not is_question(turn.text) and mostly_words(turn.text)


#: A need told, or another thing added: "i need a checkup too", "also ...".
_A_NEED_TOLD = re.compile(
    r"\b(?:need|needs|want|wants|would\s+like|i'?d\s+like)\b|^\W*(?:and\s+)?also\b", re.I
)


def _tells_the_tooth_s_history(turn: Turn, match: Match, named: str | None) -> bool:
    """Whether a statement, while the bot waits for a day, tells what the tooth has had ("it
    has never had a root canal, just the big filling"): more of the problem, for the doctor."""
    if match.safety or match.upset or _any_clause_asks(turn.text) or _ABOUT_US.search(turn.text):
        return False  # (not "it was done badly by your doctor": about us)
    if _A_NEED_TOLD.search(turn.text):
        return False  # "also i need a checkup myself, been like 5 years": a new subject
    told = named is not None or match.intent in (AFTERCARE, "complaint")
    if match.intent not in (None, AFTERCARE, "complaint") and match.intent != named:
        return False
    return told and mostly_words(turn.text) and PAST_REPORT.search(turn.text) is not None


#: Words that make a complaint about the clinic rather than about how a tooth looks or feels.
_ABOUT_US = re.compile(
    r"\b(?:you|your|u|ur|staff|reception\w*|doctor|dentist|clinic|service|rude|wait\w*"
    r"|charged?|bill\w*|refund|money)\b",
    re.I,
)


def _tooth_described_as_bad(turn: Turn, match: Match) -> bool:
    """Whether a reply to the bot's question about the problem only says how bad the tooth is
    ("just sharp and looks awful"), which the classifier reads as a complaint about us."""
    if not isinstance(turn.asked, AskedProblem) or match.intent != "complaint" or match.upset:
        return False
    told = {"tooth", "area", "symptom"} & turn.details.keys()
    return bool(told) and not is_question(turn.text) and not _ABOUT_US.search(turn.text)


#: How soon, asked: "how fast can u see her", "can someone see me now".
_HOW_SOON = re.compile(
    r"\bhow\s+(?:fast|soon|quickly)\b|\b(?:right\s+)?now\b|\basap\b|\bright\s+away\b"
    r"|\bstraight\s+away\b|\bimmediately\b",
    re.I,
)


#: To be seen by us: "can he be seen", "see me", "come in", "anything today", "a slot".
_SEEN = re.compile(
    r"\b(?:seen|see\s+(?:me|him|her|us|them|my\s+\w+)|come\s+in|coming\s+in|fit\s+\w+\s+in"
    r"|anything|slots?|appointments?|appt|openings?)\b",
    re.I,
)


def _asks_besides_the_day(turn: Turn) -> bool:
    """Whether a message naming a day asks two things or more, not only the day ("saturday?
    or sunday?" is the day)."""
    asked = _asked_clauses(turn.text)
    return len(asked) > 1 and not all(only_a_day(clause, turn.details) for clause in asked)


def _only_getting_in_asked(turn: Turn) -> bool:
    """Whether everything the message asks is how to get in and into the chair ("is there a
    lift? can he stay in his wheelchair?"), not whether a treatment is safe."""
    asked = _asked_clauses(turn.text)
    return bool(asked) and all(getting_in_asked(clause) for clause in asked)


def _asked_clauses(text: str) -> list[str]:
    """The clauses of a message that ask something."""
    return [clause for clause in split_questions(text) if is_question(clause)]


#: Where a sentence ends, a smiley too: "thank you :) Now ...".
_SENTENCES_OR_SMILES = re.compile(r"(?<=[.!?])\s+|(?<=[:;]\))\s+|(?<=[:;]-\))\s+")


def _half_small_talk(match: Match) -> bool:
    """Whether a message not understood is read most nearly as a hello or a thank-you."""
    return bool(match.alternatives) and match.alternatives[0].intent in SMALL_TALK


def _without_small_talk(turn: Turn) -> str:
    """The message without its sentences of hello and thanks ("Hi! My filling from last
    month is perfect, thank you :)"), or "" if it has none or nothing else."""
    sentences = [part for part in _SENTENCES_OR_SMILES.split(turn.text) if part.strip()]
    kept = [
        part
        for part in sentences
        if turn.brain.matcher.match(part).intent not in SMALL_TALK or is_question(part)
    ]
    return " ".join(kept) if kept and len(kept) < len(sentences) else ""


def _beside_the_confusion(turn: Turn) -> str:
    """The questions a patient asks beside saying they didn't follow ("sorry i dont
    understand. saturday open or not? what time"), or nothing."""
    clauses = split_questions(turn.text, most=5)
    kept = [clause for clause in clauses if not turn.brain.matcher.confused(clause)]
    if not kept or len(kept) == len(clauses):
        return ""
    rest = "? ".join(kept) + "?"
    return rest if is_question(rest) else ""


def _asks_what_the_plan_covers(turn: Turn, match: Match, topic: str | None) -> bool:
    """Whether the patient asks what their insurance pays for, while it is the subject or
    just after it was answered ("do you take insurance" ... "does it cover cleanings")."""
    if match.safety or not COVERS.search(turn.text) or not is_question(turn.text):
        return False
    if len(split_questions(turn.text)) > 1:
        return False  # "how much is a night guard, and would my insurance cover it?": both
    lately = turn.asked_before(INSURANCE, INSURANCE_LATELY)
    return topic == INSURANCE or lately or _INSURANCE_WORDS.search(turn.text) is not None


#: Facts asked beside who does a treatment that are questions of their own.
_PLAIN_FACTS = frozenset({"price", "duration", "pain", "recovery", "longevity"})


def _asks_if_we_take_the_insurer(turn: Turn, match: Match) -> bool:
    """Whether one question asks if we take the insurer it names, whatever it is for."""
    if match.safety or "insurer" not in turn.details:
        return False
    # "She has a Humana plan, do you accept that?": the insurer's name half-read as a person
    if len(split_questions(turn.text)) > 1 and match.intent != "human":
        return False
    return TAKE_AN_INSURER.search(turn.text) is not None and is_question(turn.text)


def _a_visit_put_forward(turn: Turn, match: Match) -> bool:
    """Whether a day or time put forward for a visit was read as moving one though it says
    nothing of one to move ("wednesday afternoon ok?"), or read as anything else though it is
    only a day and time and "ok?" ("thursday afternoon works?")."""
    if match.safety or not {"day", "time", "date"} & turn.details.keys():
        return False
    put = _last_sentence_asked(turn.text)  # "ok ill come and translate then. fri morning ok?"
    only_put_forward = (
        len(words(put)) <= _FEW_WORDS
        and PROPOSED_TIME.search(put) is not None
        and not _OPEN_ASKED.search(turn.text)
        and len(split_questions(put)) < 2  # "installments? sat morning ok?": two
    )
    if match.intent != booking.RESCHEDULE:
        return only_put_forward and match.intent != BOOKING
    moving_again = turn.state.details.get(LAST_KIND) == booking.RESCHEDULE
    return _MOVE_SAID.search(turn.text) is None and not moving_again


def _last_sentence_asked(text: str) -> str:
    """The one sentence a message asks, when it ends the message and what comes before it
    only tells ("ok ill come and translate then. fri morning ok?"); else the whole text."""
    asked = sentences_asked(text)
    if len(asked) != 1 or not text.rstrip(" ?!").endswith(asked[0].rstrip(" ?!")):
        return text
    before = text[: text.rfind(asked[0])]
    return asked[0].strip() if words(before) and not is_question(before) else text


#: Whether we are open is asked, not a visit put forward: "are you open thursday afternoon?".
_OPEN_ASKED = re.compile(r"\b(?:open|opens|closed|hours)\b", re.I)


#: How many words a day and time put forward alone takes at most: "would wednesday afternoon
#: be ok?".
_FEW_WORDS = 6


#: Asking us to stop writing: "stop sending me the reminder texts", "no more messages".
_STOP_ASKED = re.compile(
    r"\b(?:stop|quit)\s+(?:sending|texting|messaging|contacting|writing|reminding)\b"
    r"|\b(?:don'?t|do\s+not)\s+(?:send|text|message|contact|remind)\s+(?:me|us)\b"
    r"|\bno\s+more\s+(?:reminders?|messages?|texts?)\b|\bunsubscribe\b",
    re.I,
)


#: Words of a visit already made and moved: "reschedule", "move", "instead", "my appt".
_MOVE_SAID = re.compile(
    r"\b(?:reschedul\w*|re-schedul\w*|mov\w*|chang\w*|postpon\w*|push\w*|earlier|later"
    r"|instead|cancel\w*|(?:can'?t|cannot|won'?t)\s+(?:make|come|be\s+able)|unable|not\s+able"
    r"|appointment|appt|booking|booked|switch\w*"
    r"|swap\w*|rearrang\w*)\b",
    re.I,
)


def _asks_who_treats(turn: Turn, match: Match, topic: str | None) -> bool:
    """Whether the patient asks which doctor does a treatment, named or being talked about."""
    if match.safety or DOCTORS not in turn.brain.knowledge.replies:
        return False
    if _WHO_TREATS.search(turn.text) is None:
        return False
    has_facets = turn.brain.replies.has_facets
    return named_service(turn, turn.text) is not None or (topic is not None and has_facets(topic))


def _pain_feared(turn: Turn, match: Match, topic: str) -> bool:
    """Whether the patient says they fear the treatment being talked about will hurt (no
    symptom of their own, no other service named)."""
    if match.safety or "symptom" in turn.details:
        return False
    if not turn.brain.replies.has_service(topic) or _FEARS_PAIN.search(turn.text) is None:
        return False
    named = named_service(turn, turn.text)
    return named is None or named == topic


def _told_about_the_service(turn: Turn, match: Match, topic: str | None) -> str | None:
    """The service a practical question was about, when the patient then tells what they
    need of it ("do you have payment plans for implants" ... "I need 3, lower jaw")."""
    about = turn.state.details.get(ASKED_ABOUT)
    told = (PROBLEM_DETAILS | {"quantity"}) & turn.details.keys()
    if about is None or topic not in TERMS_PER_SERVICE or not told or match.safety:
        return None
    unsure = match.intent is None or match.off_topic or match.ambiguous
    return about if unsure and not is_question(turn.text) else None


#: The first free slot asked of us: "ok whats the earliest day you have".
_EARLIEST_ASKED = re.compile(
    r"^(?=.*\b(?:earliest|soonest|next\s+available|first\s+available)\b)"
    r"(?=.*\b(?:you|u|ya|yall)\b)",
    re.I,
)


#: Free times asked for: "what times do you have after school?", "which slots have you got".
_SLOTS_ASKED = re.compile(
    r"\b(?:what|which)\s+(?:times?|slots?|appointments?|availability)\s+(?:do|have|would)\s+"
    r"(?:you|u|ya)\s+(?:have|got|offer)\b"
    # "any evening slots on tuesdays?", "any openings next week"
    r"|\bany\s+(?:\w+\s+)?(?:slots?|openings?|availability|appointments?\s+(?:free|left|open))\b",
    re.I,
)


#: Our hours asked, with a day named: "whats ur hours on wed", "the latest appointment on
#: weekdays" (not "when does the pharmacy open on sunday").
_OUR_HOURS_ASKED = re.compile(
    r"^(?=.*\b(?:hours|hrs|open|opens|opening|close|closes|closing|latest|earliest)\b)"
    r"(?=.*\b(?:you|your|ur|u|ya|yall|appointments?|appt|dentists?)\b)",
    re.I,
)


#: Our hours named with a day: "what hours on wednesday", "open on saturday?".
_HOURS_ON_A_DAY = re.compile(r"\b(?:hours|hrs|open|opening|close|closing)\b", re.I)


def _hours_asked(turn: Turn) -> bool:
    """Whether the message asks our hours: "whats ur hours on wed", "what hours on wednesday"."""
    if _OUR_HOURS_ASKED.search(turn.text):
        return True
    return "weekdays" in turn.details and _HOURS_ON_A_DAY.search(turn.text) is not None


#: Words that ask about the visit being booked, not the treatment talked about last.
_THE_VISIT = re.compile(r"\b(?:the|my|this|that|our)\s+(?:appointment|appt|visit)\b|\bbring\b")


def _visit_asked(turn: Turn, match: Match) -> FollowUp | None:
    """ "how long is the appointment", "do i need to bring anything" while a request is made:
    about the visit booked, or the first check-up when the patient hasn't said what for."""
    if match.safety or not is_question(turn.text) or named_service(turn, turn.text):
        return None
    if match.intent is not None and match.intent != BOOKING and not match.ambiguous:
        return None  # "do you work saturdays?": the hours
    facet = turn.brain.facets.match(turn.text).facet
    if facet is None:
        return None
    what = turn.state.booking.get("what", "")
    aside = turn.topic not in (None, what) and turn.brain.replies.has_facets(turn.topic or "")
    if aside and not _THE_VISIT.search(turn.text):
        return None  # "how long would she wear them" right after braces were asked about
    moved = turn.state.details.get(ASKED_ABOUT, "") if turn.topic == BOOKING else ""
    has_facets = turn.brain.replies.has_facets
    # the service asked for, or the one whose visit is moved ("move my whitening appointment")
    service = what if has_facets(what) else moved if has_facets(moved) else FIRST_VISIT
    return FollowUp(service, facet) if has_facets(service) else None


def _the_question_again(turn: Turn, match: Match) -> Match:
    """The reading of the question an impatient patient asks again, rather than of their
    impatience: "i asked a simple question. how much is the crown" asks the crown's price."""
    sentences = [part for part in _SENTENCES.split(turn.text) if is_question(part)]
    if not sentences:
        return match
    again = turn.brain.matcher.match(sentences[-1])
    if again.intent is None or again.off_topic or again.intent == match.intent:
        return match
    return again


#: Facts a question asks of the treatment itself, not of its warranty ("will it hurt when you
#: redo it?").
_OF_THE_TREATMENT = frozenset({"pain", "duration", "recovery"})


def _same_terms_for(turn: Turn, match: Match, topic: str | None) -> Answer | None:
    """ "and for fillings?" after the warranty on crowns, "how many years" after it: the
    practical subject again, now about that service."""
    if topic not in TERMS_PER_SERVICE or match.safety:
        return None
    refers_back = is_question(turn.text) and REFERS_BACK.search(turn.text) is not None
    of_the_treatment = turn.brain.facets.match(turn.text).facet in _OF_THE_TREATMENT
    of_the_treatment = of_the_treatment or VISIT_ASKED.search(turn.text) is not None
    if topic == WARRANTY_TERMS and refers_back and not of_the_treatment:
        return Answer(WARRANTY_TERMS)  # "what would void it": the conditions are in the terms
    short = len(words(turn.text)) <= 5
    if short and _AND_FOR.match(turn.text) and named_service(turn, turn.text):
        return Answer(str(topic))
    asks_years = turn.brain.facets.match(turn.text).facet == "longevity"
    asks_years = asks_years and not VISIT_ASKED.search(turn.text)  # not "when can you see me"
    if topic == WARRANTY_TERMS and asks_years and not named_service(turn, turn.text):
        return Answer(WARRANTY_TERMS)  # "how many years" after the warranty: its periods
    return None


#: A lead naming what the question is for, run into the question: "and for the trays how long
#: till i see results".
_LEAD_THEN_ASKED = re.compile(
    r"^(?P<lead>\W*(?:(?:ok(?:ay)?|so)\W+)?(?:and|also|as|so)\s+(?:for|about|with|on)\s+[^,?.]{2,30}?)"
    r"\s+(?P<asked>(?:how|what|whats|what's|is|does|do|can|will|would|when)\b.*)$",
    re.I,
)


def _asked_after_naming(turn: Turn, match: Match) -> Question | None:
    """ "ok and for the crown after the root canal, how long?": the named service's facet."""
    text = _ACK_FIRST.sub("", turn.text, count=1)  # "nice. and for the guard, how long"
    clauses = split_questions(text)
    if len(clauses) == 1 and (unsplit := _LEAD_THEN_ASKED.match(text)):
        clauses = [unsplit["lead"], unsplit["asked"]]  # "and for the trays how long till ..."
    if len(clauses) != 2 or match.safety:
        return None
    lead, asked = clauses
    named = turned_to(turn, lead)
    if named is None or named in AUDIENCE_TOPICS:
        return None
    facet = turn.brain.facets.match(asked).facet
    if facet is None or named_service(turn, asked) is not None:
        return None
    return Question(named, facet) if turn.brain.replies.has_facets(named) else None


def _facet_not_denied(turn: Turn) -> bool:
    """Whether a message asks a facet, not only denies one ("asked for one, no pain")."""
    facets = turn.brain.facets
    if facets.match(turn.text).facet is None:
        return False
    if is_question(turn.text):
        return True
    affirmed = " ".join(word for word in affirmed_words(turn.text) if word != BLANK)
    return facets.match(affirmed).facet is not None


def _practical_follow_up(turn: Turn, match: Match, topic: str | None) -> Answer | None:
    """ "sunday?" about the hours, "what about saturday then" about booking, "what about
    pensioners?" about discounts: a practical subject carried on in a few words."""
    if topic == BOOKING and ("day" in turn.details or "time" in turn.details):
        return Answer(BOOKING)  # "1:15 is fine", "Wednesday at 9 if you have it"
    if only_a_day(turn.text, turn.details):
        if "time" in turn.details and topic is not None and turn.brain.replies.has_service(topic):
            return Answer(BOOKING)  # "wednesday after school?" after a child's filling: a visit
        return Answer(answers.HOURS)
    if topic == answers.HOURS and "weekdays" in turn.details and not is_question(turn.text):
        return Answer(BOOKING)  # "tues or wed would be ideal" after the hours: a visit wished
    if "insurer" in turn.details and INSURANCE in turn.brain.knowledge.replies:
        return Answer(INSURANCE)  # "and my wife is on Guardian, would that work too"
    definition = turn.brain.knowledge.intents.get(topic or "")
    if definition is None or definition.kind != IntentKind.PRACTICAL:
        return None
    if WHAT_ABOUT.match(turn.text):
        return Answer(definition.name)
    leading = match.candidates[0] if match.candidates else None
    if not match.off_topic and leading and leading.intent == topic and is_question(turn.text):
        # "close to the metro?" after the address, "do you bill them directly" after the
        # insurance: too loose to answer alone, but the likeliest reading is the subject at hand
        return Answer(definition.name, leading.score) if leading.score >= _ON_TOPIC else None
    return None


#: How likely the subject at hand must be, as the best reading of a loose question about it.
_ON_TOPIC = 0.15


#: Someone else coming to the same visit: "could my daughter come with me the same time",
#: "can i bring my son along at the same time".
_COMES_ALONG = re.compile(
    r"\b(?:come|be\s+seen|bring\s+(?:him|her|them|\w+\s+\w+))\s+(?:along\s+)?(?:with\s+(?:me|us)\s+)?"
    r"(?:at\s+)?the\s+same\s+(?:time|day|visit|appointment)\b"
    r"|\b(?:we|us)\s+(?:both|all|two|2)\s+(?:come|be\s+seen)\s+(?:in\s+)?together\b",
    re.I,
)


#: The free check-up six months after treatment, whose "price" says what it finds costs.
_FREE_CHECKUP = "free_checkup"


#: A question this short after a problem was handed over asks about the problem itself.
_SHORT_QUESTION = 4


def _more_of_the_problem(turn: Turn, match: Match) -> bool:
    """Whether a message just after a problem was handed over tells more of it ("i have it,
    it didnt break", "Is that normal?", "i paid a lot for that ... ridiculous"), rather than
    asking something the bot answers (the warranty's terms, a visit, a treatment's facts)."""
    if match.safety or match.upset:
        return match.intent not in PATIENT_RIGHTS_INTENTS
    if match.intent in SMALL_TALK or match.intent in PATIENT_RIGHTS_INTENTS:
        return False
    if is_acknowledgement(turn, turn.text) or match.intent in (BOOKING, WARRANTY_TERMS):
        return False
    if match.intent == AFTERCARE:  # "Is that normal?": the doctor answers, with the rest of it;
        return len(words(turn.text)) <= _SHORT_QUESTION  # "can i brush near it?": the advice
    about = turn.state.details.get(ASKED_ABOUT)
    if any(name != about for name in turn.brain.facets.names_topics(turn.text, affirmed=True)):
        return False  # "my husband also needs a cleaning": something new
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    practical = definition is not None and definition.kind == IntentKind.PRACTICAL
    if is_question(turn.text):
        asks_a_fact = turn.brain.facets.names_topics(turn.text) or practical
        return not asks_a_fact and turn.brain.facets.match(turn.text).facet is None
    return not practical


#: A treatment had years ago: what is wrong with it now is no aftercare of a recent one.
_YEARS_AGO = re.compile(
    r"\b(?:\d+|a|few|several|many|couple\s+of|two|three|four|five|ten)\s+(?:yrs?|years?)"
    r"\s+ago\b|\byears\s+ago\b|\byears\s+back\b",
    re.I,
)


#: A practical subject the classifier only leans to, asked just after an emergency hand-over,
#: is still taken as asked ("ok on our way whats the address": where we are).
_PRACTICAL_GUESS = 0.3


#: A question word anywhere: "ok on our way whats the address".
_WH_WORD = re.compile(r"\b(?:what'?s|whats|where'?s|where|when|which|who|how)\b", re.I)


def _still_emergency(turn: Turn, match: Match) -> bool:
    """Whether a message just after an emergency hand-over is more of it, for a person."""
    if match.intent in SMALL_TALK or match.intent in PATIENT_RIGHTS_INTENTS:
        return False
    if named_service(turn, turn.text) is not None or is_acknowledgement(turn, turn.text):
        return False
    if asks_if_price(turn.text) and not turn.brain.matcher.red_flag(turn.text):
        return False  # "how much is an emergency visit": the price, not the same note again
    if match.intent == "services":
        return True  # "please, what do I do" is no question about the services list
    if _practical_guess(turn, match) is not None:
        return False
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    return definition is None or definition.kind != IntentKind.PRACTICAL


def _practical_guess(turn: Turn, match: Match) -> str | None:
    """The practical subject a question asks, even when the classifier only leans to it."""
    guess = match.intent or (match.alternatives[0].intent if match.alternatives else None)
    if guess is None or (match.intent is None and match.score < _PRACTICAL_GUESS):
        return None
    if match.intent is None and guess == BOOKING:
        return None  # "can someone see him today?" after the emergency: for the person
    if match.intent is None and not (is_question(turn.text) or _WH_WORD.search(turn.text)):
        return None
    definition = turn.brain.knowledge.intents.get(guess)
    return guess if definition is not None and definition.kind == IntentKind.PRACTICAL else None


def _asked_of_the_treatment_had(turn: Turn, match: Match) -> Question | None:
    """A question, during the aftercare advice, about the treatment itself rather than the
    healing: what the permanent crown is made of, when it is ready, what it costs."""
    had = turn.state.details.get(aftercare.TREATMENT)
    if match.safety or had is None or not turn.brain.replies.has_facets(had):
        return None
    if turn.brain.facets.names_topics(turn.text) or not is_question(turn.text):
        return None
    if charged_for_our_work(turn.text):
        return Question(WARRANTY_TERMS)  # "is there a charge for that since you just made it"
    facet = facet_of(turn, turn.text)
    if facet == "price" and asks_if_price(turn.text):
        return Question(had, facet)  # "how much" for the night guard being got used to
    final = _FINAL_ONE.search(turn.text) is not None
    if final and facet in ("duration", "longevity", "materials"):
        return Question(had, facet)
    return None


#: The lasting piece after a temporary one: "the permanent one", "the final crown".
_FINAL_ONE = re.compile(
    r"\b(?:permanent|final|proper|real|definitive)\s+(?:one|crown|filling|tooth|teeth"
    r"|denture|dentures|bridge|veneers?)\b",
    re.I,
)


def _still_aftercare(turn: Turn, match: Match) -> bool:
    """Whether a message after aftercare advice asks more about the same recovery."""
    if match.intent == AFTERCARE:
        return True
    if match.intent in NEVER_A_FOLLOW_UP and not match.safety:
        return False
    if booking_text.asks_to_come_in(turn.text):
        return False  # "can i come in to have it eased": a visit
    if match.safety:  # "still bleeding a bit, normal?", "cheek is a little swollen"
        return not turn.brain.matcher.red_flag(turn.text) or _mild_swelling_only(turn.text)
    if any(turn.brain.replies.has_service(t) for t in turn.brain.facets.names_topics(turn.text)):
        return False  # "how much is whitening": a new question
    if match.intent is None and _HEALING_TOLD.search(turn.text):
        return True  # "no swelling no fever, just sore. taking paracetamol and its fine"
    if match.intent is None:
        return is_question(turn.text) or turn.brain.facets.match(turn.text).facet is not None
    return turn.brain.facets.match(turn.text).facet is not None


#: How the healing goes, told after the aftercare advice.
_HEALING_TOLD = re.compile(
    r"\bno\s+(?:swelling|fever|temperature|bleeding|pain)\b|\b(?:bit|much|lot|little)\s+better\b"
    r"|\bgetting\s+better\b|\bnot\s+too\s+bad\b|\b(?:painkillers?|ibuprofen|paracetamol|tylenol"
    r"|advil|acetaminophen)\b",
    re.I,
)


def _priced_together(turn: Turn, match: Match) -> list[tuple[str, int]]:
    """(service, how many) when a price question names two services or several of one."""
    if match.safety or match.intent in NEVER_A_FOLLOW_UP:
        return []
    brain = turn.brain
    as_one = _TOTAL_WORDS.search(turn.text) or _BOTH_PRICED.search(turn.text)
    facet = brain.facets.match(turn.text).facet
    priced_as_one = _BOTH_PRICED.search(turn.text) or (as_one and facet is None)
    if facet != "price" and not priced_as_one:
        return []  # "how many visits in total?": how long, not a price
    has_service = brain.replies.has_service
    counts = {
        topic: count
        for count, noun in extract_quantities(turn.text)
        if (topic := brain.facets.names_topic(noun)) is not None and has_service(topic)
    }
    items = [
        (topic, counts.get(topic, 1))
        for topic in brain.facets.names_topics(turn.text)
        if has_service(topic)
    ]
    if any(name not in AUDIENCE_TOPICS for name, _ in items):
        items = [(name, count) for name, count in items if name not in AUDIENCE_TOPICS]
        # "how much braces for my son": braces for a child, not braces and a child's visit
    if len(items) > 1 and _INCLUDED.search(turn.text):
        # "an implant incl the crown on top": the implant's own crown, priced in it once
        items = [
            (name, count)
            for name, count in items
            if not any(_comes_with(turn, name, other) for other, _ in items)
        ]
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    on_a_service = turn.topic is not None and turn.topic not in AUDIENCE_TOPICS
    if items and on_a_service and all(name in AUDIENCE_TOPICS for name, _ in items):
        return []  # "how much for both kids" on sealants: the sealant's price, not a kid's visit
    if not items and "," in turn.state.details.get("age", "") and _BOTH.search(turn.text):
        return []  # "how much for both of them" after "my kids are 5 and 9": the two children
    if as_one and len(items) < 2 and before and turn.topic and has_service(before):
        # "and total for both?" after the crown, then the root canal: the two of them
        latest = items[0][0] if items else turn.topic
        if has_service(latest) and latest != before:
            items = [(before, 1), (latest, counts.get(latest, 1))]
    if len(items) == 1 and (each_jaw := _one_jaw_each(turn, items[0][0])):
        return each_jaw  # "full top, partial bottom. price?": one total, however it is split
    if len(items) > 1 and not as_one and _asked_apart(turn):
        return []  # "how much is cleaning? also do u do whitening": two questions
    items = [(name, count if turn.counted_by_the_unit(name) else 1) for name, count in items]
    if len(items) > 1 or (items and items[0][1] > 1):
        return items[:3]
    return []


#: Each jaw named apart: "full top, partial bottom", "a full upper and a partial lower".
_EACH_JAW = re.compile(
    r"\b(?:top|upper)\b.*\b(?:bottom|lower)\b|\b(?:bottom|lower)\b.*\b(?:top|upper)\b", re.I | re.S
)


_FULL = re.compile(r"\b(?:full|complete)\b", re.I)


def _one_jaw_each(turn: Turn, named: str) -> list[tuple[str, int]]:
    """The two services priced per jaw, one jaw each, when the patient names one for one jaw
    and the other (said "full", or being talked about) for the other jaw."""
    if turn.details.get("area") == BOTH_JAWS or not _EACH_JAW.search(turn.text):
        return []  # "top and bottom": both jaws of one service
    knowledge = turn.brain.knowledge
    per_jaw = [
        name
        for name, script in knowledge.services.items()
        if knowledge.bundles[script.bundle].unit == "jaw"
    ]
    others = [name for name in per_jaw if name != named]
    if named not in per_jaw or len(others) != 1:
        return []
    other = others[0]
    if turn.topic != other and not _FULL.search(turn.text):
        return []
    return [(other, 1), (named, 1)]


#: A part said to come with a treatment: "incl the crown", "with the crown on top".
_INCLUDED = re.compile(r"\b(?:incl\w*|with\s+(?:the|a|its)\b|on\s+top|on\s+it|and\s+its)", re.I)


def _asks_only_about_walk_ins(turn: Turn, match: Match) -> bool:
    """Whether the message asks to come without an appointment, and nothing else."""
    return (
        booking_text.asks_about_walk_ins(turn.text)
        and not match.safety
        and not _urgent_symptom(turn)
        and len(split_questions(turn.text)) < 2
    )


def _asks_only_to_compare(text: str) -> bool:
    """Whether no clause asks anything but prices ("bridge or implant, which is cheaper?", "how
    much is a crown? is it cheaper than a veneer?"), unlike "... and do you work saturdays"."""
    clauses = split_questions(text)
    return len(clauses) < 2 or not any(
        is_question(clause) and not PRICE_COMPARED.search(clause) and not asks_if_price(clause)
        for clause in clauses
    )


def _asked_besides_the_aftercare(turn: Turn, match: Match, topic: str | None) -> list[Question]:
    """The questions of a message about something else than the treatment just had, asked
    beside whether what the patient feels is normal."""
    had = aftercare.treatment_named(turn)
    return [
        question
        for question in several_questions(turn, match, topic)
        if question.intent not in (AFTERCARE, EMERGENCY, had)
        and question.intent in turn.brain.facets.names_topics(turn.text)
    ]


def _healing_asked_about(turn: Turn) -> bool:
    """Whether the patient asks if what they feel days after our treatment is the normal
    healing, with nothing failed and nothing getting worse."""
    matcher = turn.brain.matcher
    return (
        aftercare.asks_if_normal_after(turn.text)
        and not matcher.work_failed(turn.text)
        and not matcher.getting_worse(turn.text)
    )


def _practical_asked_besides(turn: Turn) -> tuple[str, ...]:
    """The practical subjects the clauses that name no service ask about plainly (beside a
    price question, or a complaint about the price)."""
    besides: list[str] = []
    for clause in split_questions(turn.text):
        if turn.brain.facets.names_topics(clause) or not is_question(clause):
            continue
        found = turn.brain.matcher.match(clause)
        asked = [found] if plainly_practical(turn, found) else practical_pair(turn, clause, found)
        besides.extend(str(q.intent) for q in asked if str(q.intent) not in besides)
    return tuple(besides[: MOST_QUESTIONS - 1])


def _asked_apart(turn: Turn) -> bool:
    """Whether the services are named in different questions, only one of them about price."""
    clauses = split_questions(turn.text)
    priced = [c for c in clauses if turn.brain.facets.match(c).facet == "price"]
    return len(clauses) > 1 and len(priced) < 2


def _unnamed_other_service(turn: Turn, match: Match, topic: str) -> bool:
    """Whether the classifier's service is a guess the message gives no word for, mid-topic."""
    replies, intent = turn.brain.replies, match.intent
    if intent is None or intent == topic or not replies.has_facets(topic):
        return False
    if not replies.has_service(intent) or _names(turn, intent, turn.text):
        return False
    if intent == weighing.SEDATION and weighing.SLEEP_WORDS.search(turn.text):
        return False  # "would he need to be put to sleep for it": the sedation, in words
    short = len(words(turn.text)) <= SHORT_FOLLOW_UP
    return (short or bool(REFERS_BACK.search(turn.text))) and not asks_if_we_do(turn.text)


def _points_at_topic(turn: Turn, topic: str) -> bool:
    """Whether a short question names nothing and points back at the service being talked
    about ("is it even worth it?", "should i do it?"): never another business's question."""
    text = turn.text
    return (
        turn.brain.replies.has_service(topic)
        and len(words(text)) <= SHORT_FOLLOW_UP
        and is_question(text)
        and REFERS_BACK.search(text) is not None
        and not turn.brain.facets.names_topics(text)
        and _about_the_treatment(turn, text)  # not "is it going to rain later?"
    )


def _about_the_treatment(turn: Turn, text: str) -> bool:
    """Whether a short question weighs the treatment up or speaks of the mouth."""
    matcher = turn.brain.matcher
    return _WEIGHS_IT.search(text) is not None or matcher.detect_emergency.about_mouth(
        matcher.normalized(text)
    )


def _names(turn: Turn, service: str, text: str) -> bool:
    """Whether the text names the service, or the broader one it is a kind of ("whiten")."""
    named = turn.brain.facets.names_topics(text)
    return service in named or turn.brain.knowledge.narrower_topics.get(service) in named


def _narrowed(turn: Turn, topic: str) -> str:
    """The narrower kind of the topic an answer names ("wisdom tooth, bottom left" during an
    extraction: wisdom teeth from now on), the treatment a consultation is for ("it's about
    implants, I'm missing two teeth"), or the topic itself."""
    narrower = turn.brain.knowledge.narrower_topics
    named = turn.brain.facets.names_topics(turn.text, affirmed=True)
    if topic == FIRST_VISIT:
        treatments = [n for n in named if n not in AUDIENCE_TOPICS and n != topic]
        if treatments and turn.brain.replies.has_facets(treatments[0]):
            return treatments[0]
    return next((each for each in named if narrower.get(each) == topic), topic)


def _denied(turn: Turn, match: Match) -> bool:
    """Whether the service the classifier read is one the message says the patient has not."""
    facets = turn.brain.facets
    intent = match.intent
    if intent is None or not turn.brain.replies.has_service(intent):
        return False
    return intent in facets.names_topics(turn.text) and intent not in facets.names_topics(
        turn.text, affirmed=True
    )


def _urgent_symptom(turn: Turn) -> bool:
    """Whether a message the classifier can't place reports a problem that needs a dentist
    soon (`urgent_symptoms` in intents/vocabulary.yaml: pain, a broken tooth...)."""
    said = set(turn.details.get("symptom", "").split(", "))
    urgent = set(turn.brain.knowledge.vocabulary.urgent_symptoms)
    # "my crown came off, can you glue it back on?": the crown named is what fell out
    fell_out = said & urgent == {triage.CAME_OUT}
    return (
        bool(said & urgent)
        and (fell_out or named_service(turn, turn.text) is None)
        and not turn.brain.matcher.elsewhere(turn.text)
    )


def _asks_only_of(turn: Turn, audience: str) -> bool:
    """The one question asked names only this audience; a service is told, not asked about."""
    asked = sentences_asked(turn.text)
    return len(asked) == 1 and turn.brain.facets.names_topics(asked[0], affirmed=True) == [
        audience
    ]


#: A message that is only a number: "13", "4!".
_BARE_NUMBER = re.compile(r"^\W*(\d{1,2})\W*$")


def _bare_number(turn: Turn) -> tuple[str, str] | None:
    """A bare number in reply to the bot's question about a treatment's problem: the child's
    age, not yet given ("braces for my daughter" ... "13"), or else how many teeth ("how much
    is a filling" ... "2"), never "we're a dental clinic"."""
    said = _BARE_NUMBER.match(turn.text)
    if said is None or not isinstance(turn.asked, AskedProblem):
        return None
    number, known = int(said[1]), turn.state.details
    if known.get("who") == "child" and "age" not in known and 0 < number < ADULT_AGE:
        return "age", said[1]
    if turn.brain.replies.has_service(turn.asked.service) and 0 < number <= MOST_TEETH:
        return "quantity", said[1]
    return None


def _waiting_asked(turn: Turn, match: Match, topic: str | None) -> str | None:
    """The service whose waiting or leaving untreated the patient asks about: the one the
    message names, or the one talked about; none in an emergency or a complaint."""
    # ("is it bad that i waited this long" may read as a complaint: it asks, calmly)
    calm_question = match.intent == "complaint" and not match.upset
    if match.safety or match.intent in PATIENT_RIGHTS_INTENTS:
        return None
    if match.intent in NEVER_A_FOLLOW_UP and not calm_question:
        return None
    if not asks_about_waiting(turn.text):
        return None
    has_service = turn.brain.replies.has_service
    named = turn.brain.facets.names_topics(turn.text)  # denied too: "if i don't treat a cavity"
    named = [n for n in named if n not in AUDIENCE_TOPICS] + [
        n for n in named if n in AUDIENCE_TOPICS
    ]
    for service in (*named, topic):
        if service is not None and has_service(service) and service not in COMFORT_TOPICS:
            return service
    return None


def _names_the_warranty(turn: Turn, match: Match) -> bool:
    """Whether the message asks about the warranty by name (not how long a treatment lasts):
    the written terms answer it, whichever treatment is the topic."""
    if match.safety or not WARRANTY_WORDS.search(turn.text):
        return False
    facet = turn.brain.facets.match(turn.text).facet
    return facet in (None, "longevity") and WARRANTY_TERMS in turn.brain.knowledge.replies


def _comes_with(turn: Turn, named: str, service: str) -> bool:
    """Whether the service's bundle holds the named one as a part of its own ("Crown on the
    implant": the implant's crown), so "an implant incl the crown" prices it once."""
    knowledge = turn.brain.knowledge
    bundle = knowledge.bundle_of(service)
    if bundle is None or named == service or knowledge.narrower_topics.get(service) == named:
        return False
    names = turn.brain.facets.names_topics
    return any(names(knowledge.components[part].name)[:1] == [named] for part in bundle.parts)
