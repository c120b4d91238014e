"""Reads a turn like a receptionist deciding what the patient is doing.

`read_text` and `read_choice` return the typed route (`bot.core.routes`) for a message or a
button, whichever branch the patient goes to; `bot.core.dispatch` asks the branch where it
matters and runs the route.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

from bot import booking_text
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
    WITHIN_THE_PRICE,
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
    ASKED_SENTENCE,
    BOTH_JAWS,
    FEAR_WORDS,
    MOST_TEETH,
    WEEKDAYS,
    asks_if_price,
    asks_if_we_do,
    extract_details,
    extract_quantities,
    how_many_more,
    is_question,
    sentences_asked,
    split_questions,
)
from bot.facets import BRING_IN, VARIANT_WORDS, WEIGHED_APART, asks_about_waiting
from bot.language import foreign_language
from bot.loader import OFF_TOPIC_ASIDE
from bot.matcher import Match
from bot.models import HANDOFF_INTENTS, IntentKind
from bot.negation import BLANK, affirmed_words
from bot.text import mostly_words, words

#: What a message that also reads as a follow-up must still be taken as.
NEVER_A_FOLLOW_UP = frozenset(HANDOFF_INTENTS) - {"aftercare"}
#: What a patient can always ask of the bot itself, even while a person has the conversation.
PATIENT_RIGHTS_INTENTS = frozenset({"opt_out", "forget_me"})
#: Small talk is never an answer to the bot's question.
SMALL_TALK = frozenset({"greeting", "thanks", "goodbye"})
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
#: Words that point back at what was being talked about: "will the crown go whiter too?"
_REFERS_BACK = re.compile(
    r"\b(?:it|its|it's|that|this|them|they|those|these|too|also|as well|after|afterwards"
    r"|first|on top|meantime|meanwhile|yours|urs)\b",
    re.I,
)
SERVICES = "services"
ANESTHESIA = "anesthesia"
#: A message this short that names no service continues the topic, whatever the guess.
SHORT_FOLLOW_UP = 7
_LEAD_IN = re.compile(r"^\W*(?:and|also|plus|as for|what about|about)\b", re.I)
#: A clause that gives examples of the one before: "like the temporary one", "e.g. xrays".
_EXAMPLES = re.compile(r"^\W*(?:like|such\s+as|e\.?g\b|for\s+(?:example|instance)|say)\b", re.I)
#: A clause that only points at one of the options talked about, before the question on it:
#: "the porcelain ones you mentioned", "the home one then", "the cheaper one".
_POINTER = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|hmm)\W+){0,2}"
    r"(?:(?:how|what)\s+about\s+|(?:going\s+)?back\s+to\s+|returning\s+to\s+|regarding\s+)?"
    r"(?:the|that|those|these)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:one|ones|option|options|kind|type|thing|things|stuff)"
    r"(?:\s+(?:you|u)\s+(?:mentioned|said|suggested|talked\s+about))?(?:\s+then)?\W*$",
    re.I,
)
#: The one talked about before the current one: "the first thing you said", "the other one".
_THE_EARLIER = re.compile(
    r"\b(?:first|other|earlier|previous|original)\b|\b(?:back|returning|coming\s+back)\s+to\b",
    re.I,
)
_WARRANTY_WORDS = re.compile(r"\b(?:warrant(?:y|ies|ee)|guarantee[ds]?)\b", re.I)
#: The patient says who a treatment would be for ("better for a kid", "ok for my son").
_FOR_SOMEONE = re.compile(
    r"\bfor (?:a |an |my |our |the |his |her )?(?:little |young |older )?(?:kid|child|children"
    r"|son|daughter|teen|teenager|toddler|baby|boy|girl|grandson|granddaughter)s?\b",
    re.I,
)
#: Two options weighed against each other: one question about the options, not one per option
#: ("zirconia vs porcelain?", "metal or the clear ones, which is better for a kid").
_COMPARES = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|difference between|(?:what'?s|whats) the diff"
    r"|which (?:one |of them |of the two )?(?:is|are|would be|works) (?:better|best|faster"
    r"|cheaper|stronger|nicer|more)|which (?:one )?(?:do you|would you) recommend)",
    re.I,
)
#: What the anesthesia of a treatment may be asked about as such; anything else is its "pain".
ANESTHESIA_FACETS = frozenset({"pain", "safety", "suitability", "recovery"})
#: The words of a bare request for a service ("hi, can I get some veneers done please?").
_ASKING_WORDS = frozenset(
    words(
        "hi hello hey ok okay so and also please can could may would will do does you u guys "
        "clinic your i we he she they my get have book come make offer place treat a an the some "
        "it them done here teeth tooth"
    )
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
_WHAT_ABOUT = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+)?(?:(?:what|wat|wht|how)\s+about|and\s+(?:for|if|with))\b",
    re.I,
)
#: Words a day-only message may have besides the day: "and what about next saturday then?"
_DAY_AND_FILLER = frozenset(
    [
        *WEEKDAYS,
        *(day[:3] for day in WEEKDAYS),
        *("tues", "weds", "thur", "thurs", "weekend", "weekends", "today", "tomorrow"),
        *("what", "about", "how", "and", "then", "on", "is", "ok", "okay", "so", "the"),
        *("this", "next", "coming", "possible", "instead", "maybe", "open", "u", "you"),
        *("are", "too", "also", "or", "a", "do", "morning", "afternoon", "evening"),
        *("after", "school", "work", "lunch", "lunchtime", "mornings", "afternoons", "evenings"),
        *(f"{day}s" for day in WEEKDAYS),
        *("it", "work", "working", "does", "can", "i", "come", "in", "any", "at", "all"),
        *("time", "times", "hours", "hrs", "when", "till", "until", "opening", "opens"),
        *("close", "closes", "closing"),
    ]
)
_YES_OR_NO = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|no|nope|nah|never|not|none|neither|nothing)\b", re.I
)
#: How often, said first: "once with strips from the pharmacy", "twice, years ago".
_HOW_OFTEN = re.compile(
    r"^\W*(?:once|twice|a\s+(?:couple|few)\s+(?:of\s+)?times|several\s+times|many\s+times"
    r"|a\s+long\s+time\s+ago|(?:\d+|a\s+few|some|many)\s+(?:years|yrs|months)\s+ago)\b",
    re.I,
)
#: A clause that names no service is still a question about one the classifier is this sure of.
SURE_OF_A_CLAUSE = 0.9
#: A question naming one treatment is about the classifier's other reading this sure of it.
SURE_OF_KIN = 0.5
#: A clause that tells rather than asks: "i think my teeth are already moving".
_STATEMENT = re.compile(
    r"^\W*(?:(?:ok|okay|so|alright|fine|right|yeah|hmm|hello|hi|hey|good\s+\w+)\W+)*"
    r"(?:i|im|i'm|ive|i've|ill|i'll|i'd|my|it|its|it's|he|hes|he's|she|shes|she's|they|we"
    r"|we'll|there's|that|thats|that's|this)\b",
    re.I,
)
#: Words that turn the conversation to what they name: "going back to the root canal".
_SWITCHES_BACK = re.compile(r"\b(?:back to|going back|as for|regarding|now about)\b", re.I)
#: The treatment itself and how it heals, asked after its numbing or sedation: "how long does
#: the procedure itself take?", "how sore will I be?", "how long will i be off work after".
_THE_TREATMENT_ITSELF = re.compile(
    r"\b(?:procedure|treatment|surgery|operation|sore|swell\w*|heal\w*|stitch\w*|visits"
    r"|(?:off|back\s+to)\s+(?:work|school))\b"
    r"|\bhow\s+long\s+(?:does|will|would)\s+it\s+take\W*$",  # the treatment's time
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
#: A question asked at the end ("the result stays how long").
_QUESTION_WORD = re.compile(r"\?|\b(?:how|what|when|which|why)\b", re.I)
#: Words of a patient unhappy with what was done, which keep a complaint a complaint.
_DISSATISFIED = re.compile(
    r"\b(?:not\s+(?:happy|satisfied|pleased)|unhappy|disappoint\w*|terrible|awful|horrible"
    r"|worst|rude|refund|money back|bad experience|botched|ruined|complain\w*|wrong)\b",
    re.I,
)
#: Practical subjects whose terms differ by service: "and for fillings?" asks them again.
TERMS_PER_SERVICE = frozenset({WARRANTY_TERMS, INSURANCE, "payment", "discounts"})
#: "and for fillings?", "and on braces?", "what about veneers": the same, for another thing.
_AND_FOR = re.compile(
    r"^\W*(?:(?:ok|okay|so)\W+)?(?:and|also|(?:what|wat|how)\s+about)\s+(?:on|for|with|about)?\b",
    re.I,
)
#: What a visit is when the patient hasn't said what for: a first check-up.
FIRST_VISIT = answers.FIRST_VISIT
#: A first visit spoken of: "first time patient here", "how long is the first appointment".
_FIRST_TIME = re.compile(
    r"\b(?:first|1st)\s+(?:visit|appointment|appt|consultation|consult|exam|time\s+patient)\b"
    r"|\bnew\s+patient\b|\bfirst\s+time\s+(?:here|with\s+you|at\s+(?:a|the|your)\b)",
    re.I,
)
#: Where a message's sentences end.
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
#: A clause that names what the next one asks about: "ok and for the crown after the root
#: canal, how long?"
_SETS_TOPIC = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|also|now|then)\W+)*(?:for|about|what about|as for|with)\s+"
    r"(?:the|a|an|my|that|this)\b",
    re.I,
)
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
        rest = _SORRY_FIRST.sub("", turn.text, count=1)
        if rest != turn.text and is_question(rest):
            turn.text, match = rest, brain.matcher.match(rest)  # "sorry, what time saturday?"
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
    elif _back_from_the_comfort(turn):
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
    if turn.topic in ABOUT_A_PROBLEM and is_question(turn.text) and _PAYS.search(turn.text):
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
    if match.intent == "complaint" and not match.upset and _is_acknowledgement(turn, turn.text):
        return Acknowledge()  # "ok waiting for call" after a complaint went to a person
    if "insurer" in turn.details and topic == INSURANCE and not match.safety:
        return Answer(INSURANCE)  # "and my husband is on guardian?": no night guard
    if _asks_if_we_take_the_insurer(turn, match):
        return Answer(INSURANCE)  # "do you take cigna for implants": the plan, not the implant
    if _asks_who_treats(turn, match, topic):
        several = _several_questions(turn, match, topic)
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
    along = _COMES_ALONG.search(turn.text) and len(_asked_clauses(turn.text)) == 1
    if along and not match.safety:
        return Answer(BOOKING)  # "could my daughter come with me the same time? shes 5"
    if topic == _FREE_CHECKUP and is_question(turn.text) and _PAYS.search(turn.text):
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
    compared = [] if match.safety else _prices_compared(turn, turn.text)
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
    several = _several_questions(turn, match, topic)
    if len(several) > 1:
        return Several(tuple(several))
    handed_over = turn.state.details.get(HANDED_OVER) == EMERGENCY
    if topic == EMERGENCY and handed_over and turn.asked is None and _still_emergency(turn, match):
        return HandOver(EMERGENCY)  # "please, what do I do": no time for "I didn't get that"
    if topic == EMERGENCY and handed_over and (practical := _practical_guess(turn, match)):
        return Answer(practical)  # "ok on our way whats the address": where we are
    had = _asked_of_the_treatment_had(turn, match) if topic == AFTERCARE else None
    if had is not None:
        return FollowUp(had.intent, str(had.facet))  # "when will the permanent one be ready?"
    if topic == AFTERCARE and _still_aftercare(turn, match):
        return Answer(AFTERCARE)  # "can I smoke?" after "had a tooth out this morning"
    long_ago = match.intent == AFTERCARE and _YEARS_AGO.search(turn.text) is not None
    if (
        long_ago
        and (named := _named_service(turn, turn.text))
        and brain.replies.has_service(named)
    ):
        return Answer(named)  # "a filling done elsewhere 6 yrs ago feels rough": no aftercare
    if _names_the_warranty(turn, match):
        return Answer(WARRANTY_TERMS)  # "and is there a warranty?" on veneers: the written terms
    brought = several == [Question(FIRST_VISIT)] and BRING_IN.search(turn.text) is not None
    if len(several) == 1 and _named_elsewhere(turn, several[0], topic, match) and not brought:
        only = several[0]  # "which insurance do you take? i'm with Allianz" on a wisdom tooth
        return FollowUp(only.intent, only.facet) if only.facet else Answer(only.intent)
    facet = _asked_after_naming(turn, match) or _facet_asked(turn, turn.text, match, topic)
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
        named = _named_service(turn, turn.text)
        readings = {match.intent, *(other.intent for other in match.alternatives[:1])}
        if readings == {BOOKING, named} and _wants_a_visit(turn):
            return Answer(BOOKING)  # "i'd like to book a filling": a visit for it
        if named in readings and BRING_IN.search(turn.text):
            return Answer(BOOKING)  # "Can I bring my daughter in for a cleaning?": a visit
        if named in readings:
            return Answer(named, match.score)  # the patient named one of the two readings
        return DidYouMean(match)
    if match.intent is None and _is_acknowledgement(turn, turn.text):
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
        priced = _named_service(turn, turn.text) if only.intent == "prices" else None
        if priced is not None and brain.replies.has_service(priced):
            return Answer(priced)  # "... two crowns at 1,400 each. Could you tell me your price"
        return FollowUp(only.intent, only.facet) if only.facet else Answer(only.intent)
    if match.intent is None and topic is not None and _points_at_topic(turn, topic):
        return Answer(topic)  # "is it even worth it" during a root canal: about the root canal
    named = _named_service(turn, turn.text)
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
    if match.intent is None and _OPENING_ASKED.search(turn.text) and is_question(turn.text):
        return Answer(HOURS)  # "do you start early like 8am"
    if match.intent is None and _only_tells_details(turn):
        return Acknowledge()  # "he's 7" after the case went back to the bot: noted
    if match.intent is None and _named_and_half_read(turn, match, named):
        return Answer(str(named))  # "... my wisdom teeth are sideways. do they have to come out?"
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
        named = _named_service(turn, turn.text)
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
        together = [] if is_question(clause) else _needed_together(turn, clause)
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


def _needed_together(turn: Turn, text: str) -> list[Question]:
    """The treatments a patient says they need, two or three at once ("need 2 fillings and a
    cleaning", "my old dentist said i need a night guard and 2 veneers"): each of them."""
    if not _NEEDED.search(text) or _PAST_REPORT.search(text) or "or" in words(text):
        return []
    if _DAMAGED.search(text):
        return []  # "my crown fell off and needs looking at, she just wants a cleaning"
    has_service = turn.brain.replies.has_service
    named = turn.brain.facets.names_topics(text, affirmed=True)
    treatments = [name for name in named if has_service(name) and name not in AUDIENCE_TOPICS]
    if len(treatments) < 2 or not _LISTED.search(text):
        return []
    return [Question(name) for name in treatments[:MOST_QUESTIONS]]


#: A question about the treatments told together: "can i get it all done in one go".
_ABOUT_THEM_ALL = re.compile(
    r"\b(?:it\s+all|all\s+of\s+(?:it|them)|both|together|in\s+one\s+(?:go|visit|sitting"
    r"|appointment)|(?:on\s+)?the\s+same\s+(?:day|visit|appointment))\b",
    re.I,
)
#: Treatments listed together: "a night guard and 2 veneers", "fillings + a cleaning".
_LISTED = re.compile(r"\s+(?:and|&|\+|plus)\s+", re.I)


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
#: A clause telling what happened before ("tooth was pulled last month", "had a crown in 2019").
_PAST_REPORT = re.compile(
    r"\b(?:was|were|had|got|been|ago|yesterday|last\s+(?:week|month|year|time))\b", re.I
)
_VISIT_ASKED = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we|he|she|my\s+\w+)\s+(?:come|get|book|have|see)\b"
    r"|\b(?:any|a)\s+(?:slots?|space|room|availability|appointments?|openings?)\b"
    r"|\b(?:can|could)\s+(?:you|u)\s+(?:do\s+it|fix\s+(?:it|that|this)|see\s+(?:me|him|her|us)"
    r"|fit\s+\w+\s+in)\b"
    r"|\b(?:can|could)\s+(?:someone|somebody|anyone|a\s+doctor|the\s+doctor|a\s+dentist"
    r"|the\s+dentist)\s+(?:see|look\s+at|check)\s+(?:me|him|her|us|it|them)\b"
    r"|\bis\s+(?:it|that|there|a|an|the|\w+day)\b[^?.!]*\b(?:possible|available|doable)\b",
    re.I,
)
#: The treatment weighed before the one just talked about: "the first option", "the other one".
_EARLIER_OPTION = re.compile(
    r"\b(?:the|that)\s+(?:first|former|other|1st|earlier|previous)\s+(?:option|one|choice)\b"
    r"|\boption\s+(?:one|1|a)\b|\bthe\s+former\b",
    re.I,
)
#: What the clinic has or offers, asked as such: "what sedation do you have", "what can you
#: offer for nervous people", "what kinds of numbing are there".
_OPTIONS_ASKED = re.compile(
    r"\bwhat\b[^.?!]*\b(?:do|can|could|would)\s+(?:you|u|ya)\s+(?:guys\s+)?"
    r"(?:have|offer|do|use|give|suggest|recommend)\b"
    r"|\bwhat\s+(?:kinds?|types?|options?|sorts?)\b",
    re.I,
)
#: Eating, or the tooth being out: how the treatment heals, not the sedation.
_EATING = re.compile(r"\b(?:eat|eating|food|chew\w*|once it'?s out|after it'?s out)\b", re.I)
#: Several things asked about as one: "can you do both?", "all of them".
_BOTH_ASKED = re.compile(
    r"\b(?:both|all\s+(?:of\s+)?(?:them|these|three|3)|the\s+two|the\s+2)\b", re.I
)
#: What a treatment is sought for: "for sealants", "about the implant", "getting braces".
_FOR_WHAT = re.compile(
    r"\b(?:for|about|getting|get|having)\s+(?:a\s+|an\s+|the\s+|some\s+)?"
    r"(?P<what>[\w-]+(?:\s+[\w-]+)?)",  # two words: "get a night guard too"
    re.I,
)
#: A treatment still to have: "i need a crown right?" (not "need the crown replaced").
_NEEDS_A = re.compile(r"\bneed(?:s|ing)?\s+(?:a|an)\s+(?P<what>[\w-]+)", re.I)
#: A message opening with the treatment that comes next: "and implant after, how much".
_NEXT_ONE = re.compile(
    r"^\W*(?:(?:and|then|plus|ok|so)\s+)*(?:(?:the|an?)\s+)?(?P<what>[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(?:after|afterwards|later|next)\b",
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


#: A treatment the patient is weighing up, told before the questions on it.
_INTERESTED = re.compile(
    r"\b(?:interested\s+in|thinking\s+(?:about|of)|considering|looking\s+(?:into|at)"
    r"|curious\s+about|wondering\s+about|asking\s+about|enquiring\s+about|inquiring\s+about)\b",
    re.I,
)
#: A day of the week, or the weekend, named in a clause: "do you do root canals on weekends"
#: (not "right away", which the day details read as today).
_DAY_NAMED = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|saturdays?|sundays?)\b", re.I
)
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
#: Subjects a patient asks about in passing while weighing a treatment up: a question about
#: how the treatment goes, asked on them, is about it ("i have cigna" ... "how long is the
#: appt": the cleaning's). Not payment ("over how many months" is about the plan) nor the
#: location ("how long does it take to get there").
_ASIDES = frozenset({INSURANCE, "discounts", HOURS, "location"})
#: A day or time proposed for a visit: "can we do thurs 4:30", "could i come fri".
_PROPOSES = re.compile(
    r"\b(?:can|could|shall)\s+(?:i|we|he|she|you|u)\s+(?:do|come|make\s+it|get\s+in|book)\b"
    r"|\b(?:does|would|is)\s+[^?.!]{0,20}\b(?:work|ok|okay|good|free|possible)\b",
    re.I,
)
#: A day and time put forward, asking if it suits: "sat morning ok?", "thursday 4pm works?".
_PROPOSED_TIME = re.compile(r"\b(?:ok|okay|works?|good|possible|free|available)\W*$", re.I)
#: Asking to book in so many words: "i want to book", "can i schedule", "id like to make an
#: appointment" (not "how long is the appt").
_WANTS_TO_BOOK = re.compile(
    r"\b(?:i'?d\s+like|i\s+would\s+like|i\s+want|i\s+wanna|i\s+need|can\s+i|could\s+i"
    r"|let\s+me|please)\s+(?:to\s+)?(?:book|schedule|make\s+an\s+appointment)\b",
    re.I,
)
_BOOK_WORDS = re.compile(
    r"\b(?:book(?:ing)?|schedule|make\s+an\s+appointment|an\s+appointment\s+for|appts?"
    r"|(?:need|want|like|get)\s+(?:an?\s+)?appointment"
    # "What's the earliest day you have?", "next available slot?"
    r"|(?:earliest|soonest|next|first)\s+(?:available\s+)?(?:day|date|slot|appointment"
    r"|opening|availability)|(?:earliest|soonest|next\s+available)\s+time)\b",
    re.I,
)


#: At most this many words in a message that only says which tooth.
_WHICH_TOOTH_WORDS = 8


#: Details a short statement may tell with nothing else: who, how old, which teeth.
_TOLD_ALONE = frozenset({"age", "who", "area", "tooth", "quantity"})
#: At most this many words in a message that only tells such details.
_DETAILS_ONLY_WORDS = 4


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


#: Another treatment weighed as enough: "would a simple filling be enough?".
_ENOUGH = re.compile(r"\b(?:be\s+)?enough\b", re.I)
#: The numbing or sedation named as such ("numb", "injection", "needles", "asleep").
_NUMBING_NAMED = re.compile(
    r"\b(?:numb\w*|inject\w*|needles?|an(?:a)?esth\w*|local|sedat\w*|asleep|put\s+under"
    r"|knock(?:ed)?\s+(?:me\s+)?out|(?:laughing|happy)\s+gas)\b",
    re.I,
)
#: How long the numbness lasts ("how long does the numb feeling last after", "how many hours
#: will my lip stay numb"): on the numbing itself, its time, not what to do afterwards.
_HOW_LONG_NUMB = re.compile(r"^(?=.*\bhow\s+(?:long|many\s+hours)\b).*\bnumb", re.I)
#: Whether a named treatment would do: "can that be fixed with a crown?", "do i need a
#: crown", or it is weighed as enough (_ENOUGH).
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
    would_do = _WOULD_IT_DO.search(turn.text) or _ENOUGH.search(turn.text)
    return named in likeliest and would_do is not None


def _wants_a_visit(turn: Turn) -> bool:
    """Whether a message about a service asks for a visit ("i'd like to book a filling", "I
    need a cleaning next week", "can I get one tomorrow?") rather than about the service."""
    if BRING_IN.search(turn.text):
        return True  # "Could I bring him in for a consultation first?" (not what to bring)
    if turn.brain.facets.match(turn.text).facet not in (None, "price"):
        return False  # "how long does a cleaning take on saturday?" ("how much": price, visit)
    if _BOOK_WORDS.search(turn.text):
        return True
    if not ("day" in turn.details or "time" in turn.details or "date" in turn.details):
        return False
    asks = is_question(turn.text.replace("?", ""))  # "teeth whitened, maybe thursday?" asks not
    return not asks or bool(_VISIT_ASKED.search(turn.text))


def _proposes_a_visit(turn: Turn, match: Match, topic: str | None) -> bool:
    """Whether a message the classifier can't place (or places between two readings, one a
    booking) proposes a day or time for a visit while something is being talked about: "can
    we do thurs 4:30", "ok can i come for a consult fri afternoon"."""
    if not {"day", "time", "date"} & turn.details.keys() or not _PROPOSES.search(turn.text):
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


#: A complaint read this unsurely, told in reply to the bot's question, is the answer ("it was
#: pulled 3 weeks ago"), not a case for a person.
_UNSURE_COMPLAINT = 0.5


def _any_clause_asks(text: str) -> bool:
    """Whether the message, or any clause of it, is a question, or asks one somewhere ("and
    after do i need a crown on it")."""
    clauses = [text, *split_questions(text)]
    return any(is_question(clause) for clause in clauses) or bool(_ASKS_SOMEWHERE.search(text))


#: Words that ask, wherever they stand: "do i", "will it", "how", "what".
_ASKS_SOMEWHERE = re.compile(
    r"\b(?:do|does|can|could|should|will|would|is|are)\s+(?:i|you|u|it|they|he|she|we)\b"
    r"|\b(?:how|what|when|which|why)\b",
    re.I,
)


def _reads_as_answer(turn: Turn, match: Match) -> bool:
    """Whether a message answers what the bot asked, rather than asking something new."""
    asked = turn.asked
    about_a_service = (isinstance(asked, AskedProblem) and asked.service != EMERGENCY) or (
        isinstance(asked, AskedDay) and turn.topic not in (None, EMERGENCY)
    )  # AskedDay: the problem was told with the question, and the bot asked which day suits
    named = _named_service(turn, turn.text)
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
    told = bool(turn.details) or _PAST_REPORT.search(turn.text) is not None  # "it was pulled"
    unsure_complaint = (
        match.intent == "complaint"
        and match.score < max(turn.brain.matcher.thresholds.accept, _UNSURE_COMPLAINT)
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
        return not is_question(turn.text) and not _WHAT_ABOUT.match(turn.text)
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
    if _WHAT_ABOUT.match(turn.text):
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
        match.intent is None and _is_acknowledgement(turn, turn.text)
    ):
        return False
    return not is_question(turn.text) and mostly_words(turn.text)


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
    return len(asked) > 1 and not all(_only_a_day(clause, turn.details) for clause in asked)


def _asked_clauses(text: str) -> list[str]:
    """The clauses of a message that ask something."""
    return [clause for clause in split_questions(text) if is_question(clause)]


#: Someone of the patient's own to come along, not a person of ours: "do i need someone to
#: drive me home after", "should somebody come with him".
_COMPANION = re.compile(
    r"\b(?:someone|somebody|anyone|a\s+friend|an?\s+adult|a\s+family\s+member)\s+"
    r"(?:to\s+)?(?:(?:take|walk)\s+(?:me|him|her|them|us)\s+(?:home|back)"
    r"|pick\s+(?:me|him|her|them|us)\s+up"
    r"|(?:drive|collect|come\s+with|accompany|be\s+with|stay\s+with|with)"
    r"\s+(?:me|him|her|them|us))\b",
    re.I,
)


def _asks_not_complains(turn: Turn, text: str, match: Match, on_topic: bool) -> bool:
    """Whether a message the classifier half-reads as a complaint plainly asks a follow-up
    ("ok and the result stays how long" after whitening, "I need a root canal and I'm really
    anxious. How bad is the pain?"): on the topic or naming a treatment, no upset or
    dissatisfied word."""
    companion = match.intent == "human" and _COMPANION.search(text) is not None
    if companion and not match.upset:
        return on_topic and turn.brain.facets.match(text).facet is not None
    unsure_person = match.intent == "human" and match.score < _UNSURE_COMPLAINT
    if (match.intent != "complaint" and not unsure_person) or match.upset or match.score >= 0.7:
        return False
    brain = turn.brain
    if not on_topic and not any(
        brain.replies.has_facets(n) for n in brain.facets.names_topics(text)
    ):
        return False
    if _DISSATISFIED.search(text):
        return False
    if on_topic and _CHARGE_ASKED.search(text):
        return True  # "and if they find something new is that charged": what it would cost
    if not (is_question(text) or _QUESTION_WORD.search(text)):
        return False
    return turn.brain.facets.match(text).score >= 0.9


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


#: "do you take / accept / work with" an insurer.
_TAKE_AN_INSURER = re.compile(
    r"\b(?:take|takes|accept|accepts|work\s+with|bill|in[-\s]network\s+with)\b", re.I
)


def _asks_if_we_take_the_insurer(turn: Turn, match: Match) -> bool:
    """Whether one question asks if we take the insurer it names, whatever it is for."""
    if match.safety or "insurer" not in turn.details or len(split_questions(turn.text)) > 1:
        return False
    return _TAKE_AN_INSURER.search(turn.text) is not None and is_question(turn.text)


def _takes_the_insurer(turn: Turn, clause: str) -> bool:
    """Whether a clause asks if we take an insurer it names ("and do u accept cigna")."""
    if "insurer" not in turn.details or INSURANCE not in turn.brain.knowledge.replies:
        return False
    if _TAKE_AN_INSURER.search(clause) is None:
        return False
    insurers = turn.brain.knowledge.vocabulary.insurers
    return "insurer" in extract_details(clause, turn.today, insurers)


def _a_visit_put_forward(turn: Turn, match: Match) -> bool:
    """Whether a day or time put forward for a visit was read as moving one though it says
    nothing of one to move ("wednesday afternoon ok?"), or read as anything else though it is
    only a day and time and "ok?" ("thursday afternoon works?")."""
    if match.safety or not {"day", "time", "date"} & turn.details.keys():
        return False
    put = _last_sentence_asked(turn.text)  # "ok ill come and translate then. fri morning ok?"
    only_put_forward = (
        len(words(put)) <= _FEW_WORDS
        and _PROPOSED_TIME.search(put) is not None
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
#: A question that opens on how long, whatever it goes on to say: how long it takes.
#: Treatment spread over time, asked: "can i do 2 this month and 2 next month", "could we do
#: it in stages", "one side now and the other later", "split it over two visits".
_IN_STAGES = re.compile(
    r"\b(?:in|over)\s+(?:\w+\s+)?(?:stages|steps|phases|goes)\b"
    r"|\b(?:this|next)\s+(?:month|week)\b[^?.!]*\b(?:this|next|the\s+following)\s+(?:month|week)\b"
    r"|\b(?:now|first)\b[^?.!]{0,30}\b(?:and|then)\s+(?:the\s+)?(?:rest|others?|other\s+\w+)"
    r"\s+(?:later|next\s+(?:month|week|time)|after)\b"
    r"|\bat\s+once\s+or\s+(?:separately|seperately|one\s+(?:at\s+a\s+time|by\s+one)|in\s+\w+)\b"
    r"|\bone\s+at\s+a\s+time\s+or\s+(?:all\s+)?(?:at\s+once|together)\b"
    r"|\bsplit\s+(?:it|them|the\s+\w+)\s+(?:up\s+)?(?:over|into|across)\s+(?:\w+\s+)?"
    r"(?:visits|appointments|sessions|months|weeks)\b",
    re.I,
)
_PAYING = re.compile(r"\b(?:pay|paying|payments?|paid|instal+ments?|financ\w*)\b", re.I)


def _ok_for_someone(turn: Turn, text: str) -> bool:
    """Whether a few words about the patient end on "ok?": whether the treatment suits them
    ("sensitive teeth ok?"), not a day put forward ("sat morning ok?") nor "is that ok?"."""
    found = _OK_ASKED.match(text)
    if found is None or _WHEN_KEYS & extract_details(text, turn.today).keys():
        return False
    said = set(words(found["about"]))
    return len(said) <= _OK_WORDS and bool(said - _NOTHING_TOLD)


#: A few words ending on "ok?": "sensitive teeth ok?", "he plays football, ok?".
_OK_ASKED = re.compile(
    r"^\W*(?:and|but|so|what\s+if)?\W*(?P<about>[^?.!]+?)\W*\s(?:ok|okay|fine|alright|allowed)"
    r"\s*\?+\W*$",
    re.I,
)
#: At most this many words before "ok?".
_OK_WORDS = 5
#: Words that tell nothing about the patient: "is that ok?", "sounds ok?".
_NOTHING_TOLD = frozenset(
    {"is", "that", "it", "this", "sounds", "all", "everything", "so", "and", "be", "would", "will"}
)
#: Asking us to stop writing: "stop sending me the reminder texts", "no more messages".
_STOP_ASKED = re.compile(
    r"\b(?:stop|quit)\s+(?:sending|texting|messaging|contacting|writing|reminding)\b"
    r"|\b(?:don'?t|do\s+not)\s+(?:send|text|message|contact|remind)\s+(?:me|us)\b"
    r"|\bno\s+more\s+(?:reminders?|messages?|texts?)\b|\bunsubscribe\b",
    re.I,
)
#: Whether something would cost, asked: "is that charged", "would it be extra", "is it more".
_CHARGE_ASKED = re.compile(
    r"\b(?:is|would|will|does)\s+(?:that|it|this|they|those)\s+(?:be\s+|get\s+|cost\s+)?"
    r"(?:charged|extra|more(?:\s+expensive)?|billed|on\s+top|added)\b",
    re.I,
)
_HOW_LONG_ASKED = re.compile(r"^\W*(?:(?:and|so|ok(?:ay)?|but)\W+)?how\s+long\b", re.I)
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
    return _named_service(turn, turn.text) is not None or (topic is not None and has_facets(topic))


def _pain_feared(turn: Turn, match: Match, topic: str) -> bool:
    """Whether the patient says they fear the treatment being talked about will hurt (no
    symptom of their own, no other service named)."""
    if match.safety or "symptom" in turn.details:
        return False
    if not turn.brain.replies.has_service(topic) or _FEARS_PAIN.search(turn.text) is None:
        return False
    named = _named_service(turn, turn.text)
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
    if match.safety or not is_question(turn.text) or _named_service(turn, turn.text):
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
    refers_back = is_question(turn.text) and _REFERS_BACK.search(turn.text) is not None
    of_the_treatment = turn.brain.facets.match(turn.text).facet in _OF_THE_TREATMENT
    of_the_treatment = of_the_treatment or _VISIT_ASKED.search(turn.text) is not None
    if topic == WARRANTY_TERMS and refers_back and not of_the_treatment:
        return Answer(WARRANTY_TERMS)  # "what would void it": the conditions are in the terms
    short = len(words(turn.text)) <= 5
    if short and _AND_FOR.match(turn.text) and _named_service(turn, turn.text):
        return Answer(str(topic))
    asks_years = turn.brain.facets.match(turn.text).facet == "longevity"
    asks_years = asks_years and not _VISIT_ASKED.search(turn.text)  # not "when can you see me"
    if topic == WARRANTY_TERMS and asks_years and not _named_service(turn, turn.text):
        return Answer(WARRANTY_TERMS)  # "how many years" after the warranty: its periods
    return None


def _asked_after_naming(turn: Turn, match: Match) -> Question | None:
    """ "ok and for the crown after the root canal, how long?": the named service's facet."""
    clauses = split_questions(turn.text)
    if len(clauses) != 2 or match.safety:
        return None
    lead, asked = clauses
    named = _turned_to(turn, lead)
    if named is None or named in AUDIENCE_TOPICS:
        return None
    facet = turn.brain.facets.match(asked).facet
    if facet is None or _named_service(turn, asked) is not None:
        return None
    return Question(named, facet) if turn.brain.replies.has_facets(named) else None


#: An option chosen, said before a question about it: "ok whitening then", "the bridge sounds
#: better", "leaning to implant", "let's go with the crown".
_CHOSEN = re.compile(
    r"\b(?:then|sounds?\s+(?:better|good|best|right)|it\s+is)\s*\W*$"
    r"|\b(?:leaning\s+(?:to|towards)|go(?:ing)?\s+(?:with|for)|i'?ll\s+(?:take|choose)"
    r"|i\s+prefer|i\s+think\s+i'?ll)\b",
    re.I,
)


def _turned_to(turn: Turn, clause: str) -> str | None:
    """The service a clause turns to without asking anything ("ok and for the crown after the
    root canal", "ok nvm, back to the cleaning"), if it does."""
    turning = _SETS_TOPIC.match(clause) or _SWITCHES_BACK.search(clause)
    turning = turning or _CHOSEN.search(clause)  # "ok whitening then", "leaning to implant"
    if not turning or is_question(clause):
        return None
    return _named_service(turn, clause)


def _facet_not_denied(turn: Turn) -> bool:
    """Whether a message asks a facet, not only denies one ("asked for one, no pain")."""
    facets = turn.brain.facets
    if facets.match(turn.text).facet is None:
        return False
    if is_question(turn.text):
        return True
    affirmed = " ".join(word for word in affirmed_words(turn.text) if word != BLANK)
    return facets.match(affirmed).facet is not None


#: What the numbing or sedation, named during a treatment, is asked about as itself: its own
#: price and safety ("how much does sedation add?", "is sedation safe at his age").
_OWN_FACTS_OF_COMFORT = frozenset({"price", "safety"})


def _facet_asked(turn: Turn, text: str, match: Match, topic: str | None) -> Question | None:
    """The service and facet a message asks about, named or current.

    "does it hurt" is about the current topic; "does getting a filling hurt" about
    fillings, whatever the classifier thinks; a first "how much is a crown" gets the
    crown's whole script instead, and so does anything naming a service without a facet.
    """
    if match.safety:
        return None
    # An emergency, a complaint or asking for a person always wins. "Can I eat after?"
    # while talking about a treatment is about that treatment, not about one just had.
    brain = turn.brain
    if topic is not None and _THE_EARLIER.search(text):
        topic = _pointed_at_first(turn, text) or topic  # "ok and the first thing you said, ..."
    on_topic = topic is not None and brain.replies.has_facets(topic)
    expects = match.intent == EMERGENCY and brain.matcher.expects(text)
    guessed = expects or (
        match.intent == EMERGENCY
        and on_topic
        and bool(_REFERS_BACK.search(text))
        and not brain.matcher.red_flag(text)  # "...spreading and he feels hot, is that bad?"
    )
    if (
        match.intent in NEVER_A_FOLLOW_UP
        and not guessed
        and not _asks_not_complains(turn, text, match, on_topic)
    ):
        return None  # "will my face be swollen after?" is a question about recovery
    if match.intent in PATIENT_RIGHTS_INTENTS or _carries_on_the_aside(turn, text, match):
        return None
    facet = _facet_of(turn, text)
    if facet is None and expects:
        facet = "recovery"  # "will my face be swollen after?"
    unread = match.intent in (None, topic)  # ("visa ok?" is the payment question)
    if facet is None and on_topic and unread and _ok_for_someone(turn, text):
        facet = "suitability"  # "sensitive teeth ok?", "5yo ok?", "he plays football, ok?"
    if facet is None and on_topic and _CHARGE_ASKED.search(text) and not match.upset:
        facet = "price"  # "and if they find something new is that charged"
    if facet is None and on_topic and _HOW_LONG_ASKED.match(text) and not match.safety:
        facet = "duration"  # "how long would i be walking around without a tooth"
    staged = _IN_STAGES.search(text) and not _PAYING.search(text)  # (not "pay in 2 goes")
    if facet is None and on_topic and staged and not match.safety:
        facet = "duration"  # "can i do 2 this month and 2 next month": how it is spread out
    if topic == ANESTHESIA and facet == "recovery" and _HOW_LONG_NUMB.search(text):
        facet = "duration"  # "how long does the numb feeling last after": two to four hours
    for_someone = match.intent in AUDIENCE_TOPICS or bool(
        AUDIENCE_TOPICS & set(brain.facets.names_topics(text))
    )
    pointing = _REFERS_BACK.search(text) or _WHAT_ABOUT.match(text)
    if facet is None and on_topic and for_someone and pointing:
        facet = "suitability"  # "can my daughter do it too? she's 15"
    if not on_topic and facet in ANESTHESIA_FACETS and _numbing_for_a_treatment(turn, text, match):
        return Question(str(match.intent), facet)  # "does the numbing hurt? a filling next week"
    comfort = on_topic and topic not in COMFORT_TOPICS and _about_anesthesia(turn, text, match)
    if comfort and match.intent in COMFORT_TOPICS and _OPTIONS_ASKED.search(text):
        return None  # "what sedation do you have? i panic": our ways of calming, not the topic's
    named_comfort = [n for n in brain.facets.names_topics(text) if n in COMFORT_TOPICS]
    if comfort and named_comfort and facet in _OWN_FACTS_OF_COMFORT:
        return Question(named_comfort[0], facet)  # "How much does sedation add?": its price
    if comfort and match.intent == weighing.SEDATION and facet in (None, "pain"):
        return None  # "can u sedate me for it", "can i be knocked out for it?": the sedation
    if comfort and not (asks_if_we_do(text) and not _REFERS_BACK.search(text)):
        facet = facet if facet in ANESTHESIA_FACETS else "pain"  # "does the numbing hurt?"
        return Question(str(topic), facet)  # ("do you do sedation?" asks about sedation)
    if facet is None:
        return None
    has_facets = brain.replies.has_facets
    named = _named_service(turn, text)
    if named is None and (pointed := _pointed_at_first(turn, text)) is not None:
        return Question(pointed, facet)  # "the home one then. how long do i wear them"
    if named is None and _POINTER.match(text) and (pointed := _pointed_at(turn, text, topic)):
        return Question(pointed, facet)  # "what about the home one" after whitening's price
    narrower = brain.knowledge.narrower_topics
    narrowed = bool(named and match.intent and narrower.get(match.intent) == named)
    if narrowed:
        named = match.intent  # "can i whiten at home": the take-home kind the classifier saw
    if named is not None and topic is not None and _stays_on_topic(turn, text, named, topic):
        named = topic  # "will the crown go whiter too?" during whitening: whitening's
    ahead = _BEFORE_IT.search(text) if named is not None and facet == "preparation" else None
    later = brain.facets.names_topic(ahead["what"]) if ahead is not None else None
    if later is not None and later != named and has_facets(later):
        return Question(later, facet)  # "do i need an xray before wisdom tooth removal"
    weighed_before = named is not None and named == turn.state.details.get(TALKED_ABOUT_BEFORE)
    priced_again = facet == "price" and weighed_before  # "bridge price" after bridge or partial
    if named is not None and named != topic and not is_question(text) and not priced_again:
        return None  # "sealants for my kid": a first mention, answered with the whole script
    if named is not None and named != topic and _NEEDED_AFTER.search(text):
        facet = "suitability"  # "will i need a crown after" a root canal: when one is needed
    if named is not None and named != topic and facet == "suitability" and _ENOUGH.search(text):
        return None  # "would a simple filling be enough?" on a crown: the filling, not who may
    if named is not None:
        # A first "how much is a crown" or "can I get implants" gets the whole script.
        first = named != topic and match.intent == named and not _SWITCHES_BACK.search(text)
        first = first and not weighed_before  # "ok how much are aligners" after braces or them
        asks_for = facet == "price" or narrowed or answers.asks_for_service(turn, text)
        if has_facets(named) and not (first and asks_for and not _suitability_asked(turn, facet)):
            return Question(named, facet)
        return None
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if topic in COMFORT_TOPICS and _FIRST_TIME.search(text) and before and has_facets(before):
        return Question(before, facet)  # "how much for the first visit" after the laughing gas
    cheapest = (
        _cheapest_talked_about(turn) if facet == "price" and _CHEAPEST.search(text) else None
    )
    if cheapest is not None:
        return Question(cheapest, facet)  # "how much is the cheapest option" after weighing
    if topic is not None and has_facets(topic):
        return Question(topic, facet)
    if topic is None and _FIRST_TIME.search(text) and has_facets(FIRST_VISIT):
        return Question(FIRST_VISIT, facet)  # "what do i bring to the first appointment"
    about = turn.state.details.get(ASKED_ABOUT) if topic is not None else None
    if about is not None and has_facets(about) and (facet == "price" or topic in _ASIDES):
        return Question(about, facet)  # "and the total would be roughly?" after payment plans
    if about is not None and has_facets(about) and topic == EMERGENCY and is_question(text):
        return Question(about, facet)  # "how many visits?" after a broken tooth's advice
    moved = topic == BOOKING and "symptom" not in turn.details  # ("the temp feels loose")
    if about is not None and has_facets(about) and moved and is_question(text):
        return Question(about, facet)  # "how long should i plan for it" after moving a whitening
    return None


#: The one that costs least, of the treatments just talked about: "the cheapest option".
_CHEAPEST = re.compile(
    r"\b(?:cheap(?:er|est)|least\s+expensive|less\s+expensive|most\s+affordable"
    r"|lowest\s+price)\b(?!\s+than\b)",
    re.I,
)


def _pointed_at(turn: Turn, clause: str, topic: str | None) -> str | None:
    """The option a pointing clause means: one it names ("the porcelain ones"), the cheaper
    of the two talked about ("the cheaper one"), or a kind of the topic ("the home one")."""
    named = _named_service(turn, clause)
    if named is None and _CHEAPEST.search(clause):
        named = _cheapest_talked_about(turn)
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if named is None and before and before != topic and _THE_EARLIER.search(clause):
        named = before  # "ok and the first thing you said, does it hurt"
    if named is None and topic is not None:
        read = turn.brain.matcher.match(clause)  # "the in office one": an unsure reading
        readings = [read.intent] if read.intent else [o.intent for o in read.alternatives[:3]]
        named = next(  # is taken only if it is kin of the topic
            (kin for reading in readings if (kin := _kin_of(turn, topic, reading))), None
        )
    return named if named is not None and turn.brain.replies.has_facets(named) else None


def _pointed_at_first(turn: Turn, text: str) -> str | None:
    """The option the message's first clause points at, before its question on it."""
    clauses = split_questions(text)
    if len(clauses) < 2 or not _POINTER.match(clauses[0]):
        return None
    return _pointed_at(turn, clauses[0], turn.topic)


def _kin_of(turn: Turn, topic: str, intent: str | None) -> str | None:
    """The intent, if it is the topic, the one talked about before it, or a narrower or
    broader kind of the topic ("the home one" while whitening is talked about)."""
    narrower = turn.brain.knowledge.narrower_topics
    kin = {topic, turn.state.details.get(TALKED_ABOUT_BEFORE), narrower.get(topic)}
    kin |= {narrow for narrow, broad in narrower.items() if broad == topic}
    return intent if intent is not None and intent in kin else None


def _cheapest_talked_about(turn: Turn) -> str | None:
    """Of the treatment talked about and the one weighed before it, the one whose full
    price is lowest (the middle of its range); None unless two were talked about."""
    replies = turn.brain.replies
    options = [
        name
        for name in (turn.topic, turn.state.details.get(TALKED_ABOUT_BEFORE))
        if name and replies.has_service(name) and replies.has_facets(name)
    ]
    if len(options) < 2:
        return None

    def middle(name: str) -> Decimal:
        total = replies.total(name)
        return (total.low + total.high) / 2

    return min(options, key=middle)


#: What a step comes before: "an xray before wisdom tooth removal".
_BEFORE_IT = re.compile(r"\bbefore\s+(?P<what>[^.?!,]{2,40})", re.I)


def _carries_on_the_aside(turn: Turn, text: str, match: Match) -> bool:
    """Whether a question goes on about the practical subject just answered, read so by the
    classifier, though a treatment is still talked about ("do you do payment plans?" then "how
    many months can it be split over?": the payment plan's months, not the dentures' time)."""
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    if definition is None or definition.kind != IntentKind.PRACTICAL or match.ambiguous:
        return False
    asked = turn.history.last_asked
    latest = str(match.intent) in asked and asked[str(match.intent)] == max(asked.values())
    if not latest or turn.brain.facets.names_topics(text):
        return False
    return turn.brain.facets.match(text).facet != "price"  # "how much with my insurance?"


#: Words that are part of a service's name but name nothing alone: the "root" of "root canal".
_NAME_PARTS = frozenset({"root"})


def _suitability_asked(turn: Turn, facet: str) -> bool:
    """Whether "can I get X" says for whom: "if I'm pregnant", "at my age", "as an adult"."""
    if facet != "suitability":
        return False
    facets = turn.brain.facets
    rest = [
        w
        for w in words(turn.text)
        if w not in _ASKING_WORDS and w not in _NAME_PARTS and not facets.names_topics(w)
    ]
    return bool(rest) and facets.match(" ".join(rest)).facet == "suitability"


def _practical_follow_up(turn: Turn, match: Match, topic: str | None) -> Answer | None:
    """ "sunday?" about the hours, "what about saturday then" about booking, "what about
    pensioners?" about discounts: a practical subject carried on in a few words."""
    if topic == BOOKING and ("day" in turn.details or "time" in turn.details):
        return Answer(BOOKING)  # "1:15 is fine", "Wednesday at 9 if you have it"
    if _only_a_day(turn.text, turn.details):
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
    if _WHAT_ABOUT.match(turn.text):
        return Answer(definition.name)
    leading = match.candidates[0] if match.candidates else None
    if not match.off_topic and leading and leading.intent == topic and is_question(turn.text):
        # "close to the metro?" after the address, "do you bill them directly" after the
        # insurance: too loose to answer alone, but the likeliest reading is the subject at hand
        return Answer(definition.name, leading.score) if leading.score >= _ON_TOPIC else None
    return None


#: How likely the subject at hand must be, as the best reading of a loose question about it.
_ON_TOPIC = 0.15


#: When the clinic opens or closes asked with a time: "do you start early like 8am", "are you
#: open late", "do u close before 6".
_OPENING_ASKED = re.compile(
    r"\b(?:do|are|r)\s+(?:you|u|ya)\s+(?:guys\s+)?(?:start|open|begin|close|finish|work"
    r"|stay\s+open|still\s+open)\w*\b[^.?!]*\b(?:early|late|\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|morning|evening|night|lunch)\b",
    re.I,
)


#: The details that name a day.
_DAY_DETAILS = frozenset({"day", "weekdays", "date"})


def _time_of_day_asked(turn: Turn, clause: str) -> bool:
    """Whether a clause asks if a visit fits a time of day ("can i come after 6?"), or when we
    open or close, which the opening hours answer, rather than a fact of the treatment."""
    if _OPENING_ASKED.search(clause) and not _named_service(turn, clause):
        return not _DAY_DETAILS & extract_details(clause, turn.today).keys()
    if not _VISIT_ASKED.search(clause) or _named_service(turn, clause):
        return False
    told = extract_details(clause, turn.today, about_time=True)
    return "time" in told and not _DAY_DETAILS & told.keys()  # with a day: a visit wished


def _only_a_day(text: str, details: dict[str, str]) -> bool:
    """Whether the message says nothing but a day ("sunday?", "what about saturday then")."""
    if "weekdays" not in details and "day" not in details:
        return False
    rest = [word for word in words(text) if word not in _DAY_AND_FILLER and not _CLOCK.match(word)]
    return not rest


#: An hour said in one word: "8am", "10", "930", "5pm" ("mon 8am?").
_CLOCK = re.compile(r"^\d{1,2}(?:\d{2})?(?:am|pm)?$|^(?:am|pm)$", re.I)


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
#: Paying asked about: "will i have to pay again to get it fixed?", "is that covered?".
_PAYS = re.compile(r"\b(?:pay\w*|(?<!in )charge\w*|cost\w*|free|covered|cover|refund\w*)\b", re.I)


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
    if _is_acknowledgement(turn, turn.text) or match.intent in (BOOKING, WARRANTY_TERMS):
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
    if _named_service(turn, turn.text) is not None or _is_acknowledgement(turn, turn.text):
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
    facet = _facet_of(turn, turn.text)
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
#: Two prices weighed: "which is cheaper", "the price difference between".
_PRICE_COMPARED = re.compile(
    r"\b(?:cheaper|pricier|more\s+expensive|less\s+expensive|(?:price|cost)\s+difference"
    r"|difference\s+in\s+(?:the\s+)?(?:price|cost)|costs?\s+(?:more|less))\b",
    re.I,
)


def _prices_compared(turn: Turn, text: str) -> list[Question]:
    """Each service's price, when the text weighs the prices of two or three it names."""
    weighed = asks_if_price(text) and bool(WEIGHED_APART & set(words(text)))  # "braces vs ..."
    if not _PRICE_COMPARED.search(text) and not weighed:
        return []
    has_facets = turn.brain.replies.has_facets
    named = [n for n in turn.brain.facets.names_topics(text, affirmed=True) if has_facets(n)]
    named = [n for n in named if n not in AUDIENCE_TOPICS]
    return [Question(name, "price") for name in named[:MOST_QUESTIONS]] if len(named) > 1 else []


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
        is_question(clause) and not _PRICE_COMPARED.search(clause) and not asks_if_price(clause)
        for clause in clauses
    )


def _asked_besides_the_aftercare(turn: Turn, match: Match, topic: str | None) -> list[Question]:
    """The questions of a message about something else than the treatment just had, asked
    beside whether what the patient feels is normal."""
    had = aftercare.treatment_named(turn)
    return [
        question
        for question in _several_questions(turn, match, topic)
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
        asked = (
            [found] if _plainly_practical(turn, found) else _practical_pair(turn, clause, found)
        )
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
    return (short or bool(_REFERS_BACK.search(turn.text))) and not asks_if_we_do(turn.text)


def _points_at_topic(turn: Turn, topic: str) -> bool:
    """Whether a short question names nothing and points back at the service being talked
    about ("is it even worth it?", "should i do it?"): never another business's question."""
    text = turn.text
    return (
        turn.brain.replies.has_service(topic)
        and len(words(text)) <= SHORT_FOLLOW_UP
        and is_question(text)
        and _REFERS_BACK.search(text) is not None
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
        and (fell_out or _named_service(turn, turn.text) is None)
        and not turn.brain.matcher.elsewhere(turn.text)
    )


def _asks_only_of(turn: Turn, audience: str) -> bool:
    """The one question asked names only this audience; a service is told, not asked about."""
    asked = sentences_asked(turn.text)
    return len(asked) == 1 and turn.brain.facets.names_topics(asked[0], affirmed=True) == [
        audience
    ]


def _named_service(turn: Turn, text: str) -> str | None:
    """The service a message names; "braces for my son" names braces, not children's care.

    A denied one ("no fillings in front") is no service asked about.
    """
    named = turn.brain.facets.names_topics(text, affirmed=True)
    asked = ASKED_SENTENCE.findall(text)
    if len(asked) == 1 and asked[0].strip() != text.strip():
        # a letter: the asked sentence's service ("... the teeth either side have crowns
        # already ... Could you tell me how much a bridge would cost?": the bridge)
        in_question = turn.brain.facets.names_topics(asked[0], affirmed=True)
        named = in_question + [topic for topic in named if topic not in in_question]
    audience = [topic for topic in named if topic in AUDIENCE_TOPICS]
    if audience and FIRST_VISIT in named and _CHILD_S_CHECKUP.search(text):
        return audience[0]  # "a kids checkup": the children's own first visit
    treatments = [topic for topic in named if topic not in AUDIENCE_TOPICS]
    chosen = treatments or named
    return chosen[0] if chosen else None


#: A check-up named as a child's: "a kids checkup", "check-up for a child" is the children's
#: first visit, priced as such, not an adult's exam.
_CHILD_S_CHECKUP = re.compile(
    r"\b(?:kids?|kiddies|child(?:ren)?|paediatric|pediatric)(?:'?s|s')?\s+(?:dental\s+)?"
    r"(?:check[\s-]?ups?|checks?|exams?)\b"
    r"|\bcheck[\s-]?ups?\s+for\s+(?:a\s+|my\s+|the\s+|our\s+)?(?:kids?|child(?:ren)?)\b",
    re.I,
)


def _facet_of(turn: Turn, text: str) -> str | None:
    """The facet a message asks, or the first its clauses ask ("how long? i think...").

    Clause by clause only in a message that names no service: a follow-up on the topic.
    """
    facet = turn.brain.facets.match(text).facet
    if facet is not None:
        return facet
    if turn.brain.facets.names_topics(text):
        return None
    clauses = split_questions(text)
    if len(clauses) < 2:  # "how long will it take, i cant go out without my teeth lol"
        pieces = [piece for piece in _PIECES.split(text) if piece.strip()]
        clauses = [piece for piece in pieces if is_question(piece)] if len(pieces) > 1 else []
    # "consult next week, any day after 4": a day or hour wished is no facet of the topic
    asked = [c for c in clauses if not _WHEN_KEYS & extract_details(c, turn.today).keys()]
    return next(
        (found for clause in asked if (found := turn.brain.facets.match(clause).facet)), None
    )


_WHEN_KEYS = frozenset({"day", "date", "time"})


#: Where a message's sentences and comma-separated parts end.
_PIECES = re.compile(r"[,;.!?]+\s*")


def _about_anesthesia(turn: Turn, text: str, match: Match) -> bool:
    """Whether a message asks about the numbing or sedation, naming no other treatment."""
    said = turn.brain.facets.names_topics(text)
    named = [name for name in said if name not in COMFORT_TOPICS]
    if named:
        return False
    return match.intent in COMFORT_TOPICS or bool(COMFORT_TOPICS & set(said))


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


def _numbing_for_a_treatment(turn: Turn, text: str, match: Match) -> bool:
    """Whether a first question is about the numbing or sedation for a treatment it names, as
    the classifier is sure ("will you numb me before the filling? i hate needles"): the
    numbing is the subject, and what comes next ("how long does the numb feeling last after")
    is about it, not about the filling."""
    brain = turn.brain
    if match.intent not in COMFORT_TOPICS or match.score < brain.matcher.thresholds.accept:
        return False
    if not _NUMBING_NAMED.search(text):
        return False  # "i need a root canal but im so scared. will i feel anything?": its pain
    named = brain.facets.names_topics(text)
    return brain.replies.has_facets(match.intent) and any(
        name not in COMFORT_TOPICS for name in named
    )


def _names_the_warranty(turn: Turn, match: Match) -> bool:
    """Whether the message asks about the warranty by name (not how long a treatment lasts):
    the written terms answer it, whichever treatment is the topic."""
    if match.safety or not _WARRANTY_WORDS.search(turn.text):
        return False
    facet = turn.brain.facets.match(turn.text).facet
    return facet in (None, "longevity") and WARRANTY_TERMS in turn.brain.knowledge.replies


#: Another treatment needed after the one talked about: "will i need a crown after",
#: "and do i need a crown on it after".
_NEEDED_AFTER = re.compile(
    r"\b(?:need|needs|have\s+to\s+(?:have|get)|get)\b[^.?!]*"
    r"\b(?:after(?:wards)?|on\s+(?:it|top)(?:\s+after(?:wards)?)?)\W*$",
    re.I,
)


def _stays_on_topic(turn: Turn, text: str, named: str, topic: str) -> bool:
    """Whether a message naming another service still asks about the current topic.

    It does when that service is part of the topic's bundle ("the anesthetic" during a root
    canal), when it names the topic too, or when it points back at the topic ("will the crown
    go whiter too?", "do I need the scan first for them?") without asking whether we do it.
    """
    if named == topic or not turn.brain.replies.has_facets(topic):
        return named == topic
    names_topic_too = topic in turn.brain.facets.names_topics(text)
    part_of = _is_part_of(turn, named, topic) and not _named_as(turn, _A_KIND_OF, text, named)
    part_of = part_of and not asks_if_we_do(text)  # "do you do xrays there too": the x-ray
    priced_alone = asks_if_price(text) and not WITHIN_THE_PRICE.search(text)
    if part_of and priced_alone and _named_as(turn, _ONE_OF, text, named):
        part_of = False  # "how much is a checkup" during a root canal: the check-up's price
    if part_of or (names_topic_too and topic not in AUDIENCE_TOPICS):
        return True  # (not "its for my son ... sealants, you do this?" during a child's visit)
    if named in AUDIENCE_TOPICS and _WHAT_ABOUT.match(text):
        return True  # "what about kids?" during whitening: whitening, for a child
    if named in AUDIENCE_TOPICS and _FOR_SOMEONE.search(text) and not asks_if_we_do(text):
        return True  # "metal or clear, which is better for a kid" during braces: braces
    if not _REFERS_BACK.search(_LEADING_ALSO.sub("", text)) or _SWITCHES_BACK.search(text):
        return False  # "going back to the root canal - can it be done in one visit?"
    if _sought(turn, text, named):
        return False  # "and for him, he's 9, is that too late for sealants?": the sealants
    if named not in AUDIENCE_TOPICS and _COMPARED_WITH_IT.search(text):
        return False  # "whats the cost of a bridge compared to that": the bridge, beside it
    return named in AUDIENCE_TOPICS or not asks_if_we_do(text)  # "can my daughter do it too?"


#: The named service set beside the topic: "compared to that", "vs that", "instead of it".
_COMPARED_WITH_IT = re.compile(
    r"\b(?:compared\s+(?:to|with)|versus|vs\.?|instead\s+of|rather\s+than)\s+(?:that|it|this"
    r"|those|them)\b",
    re.I,
)


def _named_as(turn: Turn, pattern: re.Pattern[str], text: str, named: str) -> bool:
    """Whether the pattern's `what` names the service somewhere in the text."""
    names = turn.brain.facets.names_topic
    return any(names(found["what"]) == named for found in pattern.finditer(text))


#: A service named as a kind of its own ("a regular cleaning" during whitening): the treatment
#: on its own, not the part of the topic's bundle.
_A_KIND_OF = re.compile(
    rf"\b(?:{'|'.join(sorted(VARIANT_WORDS))})\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)", re.I
)
#: A service named as one of its kind ("how much is a checkup"), not as the topic's own part
#: ("the consultation").
_ONE_OF = re.compile(r"\b(?:a|an)\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)", re.I)
#: "also" opening a clause asks something new: "also how much is a cleaning".
_LEADING_ALSO = re.compile(r"^\W*(?:and\s+|plus\s+)?also\b", re.I)


def _sought(turn: Turn, text: str, named: str) -> bool:
    """Whether the service is named as the one asked for ("too late for sealants", "about
    implants"), not as something the topic's treatment acts on ("will the crown go whiter")."""
    names = turn.brain.facets.names_topic
    if _named_as(turn, _FOR_WHAT, text, named):
        return True
    if (next_one := _NEXT_ONE.match(text)) and names(next_one["what"]) == named:
        return True  # "and implant after, how much" after the extraction: the implant's price
    if turn.brain.facets.names_topics(turn.text) != [named]:
        return False  # "back to the root canal, will i need a crown after it": the root canal
    return _named_as(turn, _NEEDS_A, text, named)


def _is_part_of(turn: Turn, named: str, topic: str) -> bool:
    """Whether a named service is one of the parts of the topic's bundle (its anesthesia)."""
    knowledge = turn.brain.knowledge
    bundle = knowledge.bundle_of(topic)
    if bundle is None or named == topic:
        return False
    names = turn.brain.facets.names_topic
    return any(names(knowledge.components[part].name) == named for part in bundle.parts)


def _comes_with(turn: Turn, named: str, service: str) -> bool:
    """Whether the service's bundle holds the named one as a part of its own ("Crown on the
    implant": the implant's crown), so "an implant incl the crown" prices it once."""
    knowledge = turn.brain.knowledge
    bundle = knowledge.bundle_of(service)
    if bundle is None or named == service or knowledge.narrower_topics.get(service) == named:
        return False
    names = turn.brain.facets.names_topics
    return any(names(knowledge.components[part].name)[:1] == [named] for part in bundle.parts)


def _several_questions(turn: Turn, match: Match, topic: str | None) -> list[Question]:
    """Each question of a message that asks more than one."""
    if match.safety or match.intent in NEVER_A_FOLLOW_UP:
        return []
    brain = turn.brain
    if _COMPARES.search(turn.text) and brain.facets.match(turn.text).facet in (None, "materials"):
        return []  # the options weighed against each other: one question about the options
    clauses = split_questions(turn.text)
    if len(clauses) < 2:
        return _services_asked_together(turn) or _practical_pair(turn, turn.text, match)
    asking = [clause for clause in clauses if not _only_small_talk(turn, clause)]
    if len(asking) == 1 and (together := _services_asked_together(turn, asking[0])):
        return together  # "hi new in town! do you do veneers and whitening": both
    if _BOTH_ASKED.search(turn.text) and (both := _both_services(turn, clauses)):
        return both  # "two things: I need a crown, and my son needs sealants. can you do both?"
    asked: list[Question] = []
    # "need 2 fillings and a cleaning, can i get it all done in one go": the told ones, each
    about_them_all = _ABOUT_THEM_ALL.search(turn.text) is not None
    # Services told as needed rather than asked about: "need my wisdom tooth out".
    needed: list[Question] = []
    for index, clause in enumerate(clauses):
        found = brain.matcher.match(clause)
        # a lead-in sets up the clause after it; the last one asks ("... also whitening price")
        fragment = _fragment(clause) and index < len(clauses) - 1
        if found.safety:
            return []  # safety overrides everything: the whole message is handled as one
        if found.intent in PATIENT_RIGHTS_INTENTS:
            continue  # stopping messages or erasing data is asked for on its own, never in passing
        if index > 0 and _for_example(clause):
            continue  # "does that include everything? like the temporary one and xrays"
        told = _STATEMENT.match(clause) or _DAMAGED.search(clause)  # "lost a filling 😩"
        telling = told is not None and not is_question(clause)
        if index < len(clauses) - 1 and _POINTER.match(clause):
            topic = _pointed_at(turn, clause, topic) or topic  # "the porcelain ones you
            continue  # mentioned, how long do they last": theirs
        if fragment and (named := _named_service(turn, clause)) and not telling:
            kept = topic is not None and _stays_on_topic(turn, clause, named, topic)
            topic = named if brain.replies.has_facets(named) and not kept else topic
            continue  # "OK. And the dentures, what are they made of?": the dentures' materials
        if telling and _DAMAGED.search(clause) and (named := _named_service(turn, clause)):
            topic = named if brain.replies.has_facets(named) else topic
            continue  # "my denture cracked in half 😩 can you fix it ... how fast": the denture
        if topic is None and _FIRST_TIME.search(clause) and brain.replies.has_facets(FIRST_VISIT):
            topic = FIRST_VISIT  # "first time patient here. what do i need to bring": its own
        if _asks_for_what_we_dont_do(turn, clause, found):
            if Question(OFF_TOPIC_ASIDE) not in asked:
                asked.append(Question(OFF_TOPIC_ASIDE))  # "do u do botox and lip fillers?"
            continue
        if telling and _tells_of_a_treatment_needed(turn, clause, found):
            topic = found.intent  # "my dentist says i need a root canal. does it hurt": its pain
        if fragment and _price_fragment(turn, clause, topic):
            if Question(str(topic), "price") not in asked:  # "and the price, any plans?"
                asked.append(Question(str(topic), "price"))
            continue
        # (or told of before: "my mom got quoted 6000 for veneers ... do u do that")
        reported = _INTERESTED.search(clause) or _PAST_REPORT.search(clause)
        interested = telling and topic is None and reported is not None
        if interested and (named := _named_service(turn, clause)) is not None:
            topic = named if brain.replies.has_facets(named) else topic  # "Hi, I'm interested
            # in Invisalign. How long does treatment usually take and whats the cost?": theirs
        needs_listed = about_them_all and not is_question(clause)
        together = _needed_together(turn, clause) if needs_listed else []
        if len(together) > 1:  # "need 2 fillings and a cleaning, can i get it all done ..."
            asked.extend(each for each in together if each not in asked)
            needed.extend(each for each in together if each not in needed)
            topic = together[-1].intent
            continue
        if telling or fragment:
            continue  # "shes pretty worried about it", "and the anaesthetic": no question
        named = _turned_to(turn, clause)
        if named is not None:
            topic = named if brain.replies.has_facets(named) else topic
            continue  # "ok nvm, back to the cleaning, how much is it": the cleaning's price
        compared = _prices_compared(turn, clause)
        if len(compared) > 1:
            asked.extend(each for each in compared if each not in asked)
            topic = compared[-1].intent
            continue  # "... Also what is the price difference between braces and aligners"
        walk_in = booking_text.asks_about_walk_ins(clause)  # "... and do u take walk ins"
        question = Question(BOOKING) if walk_in else None
        if question is None and _time_of_day_asked(turn, clause):
            question = Question(answers.HOURS)  # "... and can i come after 6?"
        if question is None and _takes_the_insurer(turn, clause):
            question = Question(INSURANCE)  # "... and do u accept united healthcare"
        if question is None:
            question = _facet_asked(turn, clause, found, topic)
        if question is not None and _WARRANTY_WORDS.search(clause) and not found.safety:
            question = Question(WARRANTY_TERMS)  # "warranty on crowns? and how long do they last"
        if question is None and answers.NEW_PATIENTS.search(clause) and not found.safety:
            question = Question(FIRST_VISIT)  # "are you taking new patients, and ...?"
        when = extract_details(clause, turn.today)
        booking = Question(BOOKING) in asked
        if question is None and booking and _WHEN_KEYS & when.keys() and not is_question(clause):
            continue  # "ok lets book her in. mornings are better for her": when, for the request
        if question is None and _asks_on_its_own(turn, clause, found):
            question = Question(str(found.intent))
        if question is None and _only_a_day(clause, when):
            proposed = "time" in when and _PROPOSED_TIME.search(clause) is not None
            # "... and do you do it on saturdays"; "installments? sat morning ok?": a visit
            question = Question(BOOKING if proposed else answers.HOURS)
        if question is None and _visit_on_a_day(clause, when):
            question = Question(BOOKING)  # "can i bring him saturday? and theres parking right"
        if question is None and topic is not None and _asks_to_do_it(turn, clause, topic):
            question = Question(topic)  # "my denture cracked in half, can you fix it"
        if question is None:
            named = _named_service(turn, clause)  # "I lost my retainer, ...": the topic
            topic = named if named is not None and brain.replies.has_service(named) else topic
            continue
        whole = Question(question.intent)
        if question.facet == "price" and whole in needed:
            asked[asked.index(whole)] = question  # "me and 2 kids 5 and 9. how much is a kids
            needed.remove(whole)  # checkup": told first, then its price asked
            continue
        if question.facet == "price" and whole in asked:
            continue  # the service's whole answer already names every part and the total
        if asked and _goes_on_asking(asked[-1], question, clause):
            continue  # "After it will be pain? How many days?": how many days of it
        if question not in asked:
            asked.append(question)
            asks = is_question(clause) or f"{clause}?" in turn.text  # (the split drops "?")
            if question.facet is None and not asks:
                needed.append(question)
        on_days = question.facet is None and asks_if_we_do(clause) and _DAY_NAMED.search(clause)
        service_on_days = on_days and brain.replies.has_service(question.intent)
        if service_on_days and Question(answers.HOURS) not in asked:
            asked.append(Question(answers.HOURS))  # "root canals on weekends?": those days too
        if brain.replies.has_service(question.intent):
            topic = question.intent
        elif (named := _named_service(turn, clause)) and brain.replies.has_facets(named):
            topic = named  # "lost a filling, r u open today and how much to redo it"
    if len(asked) > 1 and any(brain.replies.has_service(each.intent) for each in asked):
        asked = [each for each in asked if each.intent != SERVICES]  # "...what can you do"
    if Question(OFF_TOPIC_ASIDE) in asked:  # said first, and only before a dental answer
        asked.remove(Question(OFF_TOPIC_ASIDE))
        asked = [Question(OFF_TOPIC_ASIDE), *asked] if asked else []
    asked = asked[:MOST_QUESTIONS]
    booking_asked = Question(BOOKING) in asked and Question(BOOKING) not in needed
    said = brain.facets.names_topics(turn.text)  # (not "just want someone to have a look")
    wanted = [q for q in needed if brain.replies.has_service(q.intent) and q.intent in said]
    if booking_asked and all(q in wanted or q.intent == BOOKING for q in asked):
        return []  # "need my wisdom tooth out, my dentist referred me. can i book": a request
    return asked


def _visit_on_a_day(clause: str, when: dict[str, str]) -> bool:
    """Whether a clause puts a visit on the day or time it gives (`when`, its details):
    "can we do thursday after 4"."""
    if not _WHEN_KEYS & when.keys():
        return False
    return any(found.search(clause) for found in (_PROPOSES, _VISIT_ASKED, _BRING_ON))


#: Bringing someone in: "can i bring him saturday", "could we bring the kids".
_BRING_ON = re.compile(r"\b(?:can|could|may)\s+(?:i|we)\s+bring\b", re.I)


#: The facets a bare "how many days?" after them goes on asking about.
_LASTING_FACETS = frozenset({"recovery", "pain", "longevity"})
#: At most this many words in a clause that only goes on asking the one before it.
_GOING_ON = 4


def _goes_on_asking(before: Question, question: Question, clause: str) -> bool:
    """Whether a short "how long?" clause asks how long the thing asked just before lasts
    ("will it be sore after? for how many days?"), not a question of its own."""
    if before.facet == "materials" and _CHOICE_ASKED.match(clause):
        return True  # "what is the permanent one made of, can i choose?": among the materials
    return (
        question.intent == before.intent
        and question.facet == "duration"
        and before.facet in _LASTING_FACETS
        and len(words(clause)) <= _GOING_ON
    )


#: Whether the patient gets a say: "can i choose", "do i get to pick", "is there a choice".
_CHOICE_ASKED = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:can|could|do|may)\s+(?:i|we)\s+(?:get\s+to\s+)?(?:choose|pick"
    r"|decide)\b(?:\s+(?:it|one|which|myself))?\W*$|^\W*(?:is\s+there\s+a|any)\s+choice\W*$",
    re.I,
)


#: Something of the patient's damaged: "my denture cracked in half", "the crown came off".
_DAMAGED = re.compile(
    r"\b(?:crack|broke|broken|chipped|snapped|split|fell\s+out|fell\s+off|came\s+(?:off|out)"
    r"|loose|lost)\w*\b",
    re.I,
)
#: The questions one reply answers at most.
MOST_QUESTIONS = 3
#: "can you fix it", "could you do that": whether the clinic does the thing talked about.
_DO_IT = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:can|could|will|would|do)\s+(?:you|u|ya)\s+(?:fix|do|repair|treat"
    r"|make|sort)\s+(?:it|that|this|them|those)\b",
    re.I,
)


def _asks_to_do_it(turn: Turn, clause: str, topic: str) -> bool:
    """Whether a clause asks if we do the service just named, naming nothing else."""
    if not turn.brain.replies.has_service(topic) or not _DO_IT.match(clause):
        return False
    return not turn.brain.facets.names_topics(clause)


def _back_from_the_comfort(turn: Turn) -> bool:
    """Whether a message after the sedation or numbing options, asked during a treatment, is
    about the treatment again: it goes back to it or speaks of the tooth or eating ("what
    should she eat afterwards, once it's out?"), naming nothing else."""
    if turn.topic not in COMFORT_TOPICS or turn.brain.facets.names_topics(turn.text):
        return False
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if not before or before in COMFORT_TOPICS or not turn.brain.replies.has_facets(before):
        return False
    matcher = turn.brain.matcher
    text = turn.text
    mouth = matcher.detect_emergency.about_mouth(matcher.normalized(text))
    treatment = _THE_TREATMENT_ITSELF.search(text) is not None
    return bool(_SWITCHES_BACK.search(text) or _EATING.search(text)) or mouth or treatment


def _named_elsewhere(turn: Turn, question: Question, topic: str | None, match: Match) -> bool:
    """Whether the one question a message asks is about a subject it names, not the topic:
    "how about a bridge, how long does that last?" while on implants, "which insurance do you
    take? i'm with Allianz" while on a wisdom tooth."""
    if topic is None or question.intent == topic or _is_part_of(turn, question.intent, topic):
        return False  # "and the first consultation, how much is that" during braces: theirs
    if question.intent in turn.brain.facets.names_topics(turn.text, affirmed=True):
        return True
    return (
        question.facet is None
        and match.intent == question.intent
        and _plainly_practical(turn, match)
    )


def _both_services(turn: Turn, clauses: list[str]) -> list[Question]:
    """The services a "can you do both?" asks about, named in the clauses before it, when no
    clause asks about a side of one (for whom they are is no service of its own then)."""
    brain = turn.brain
    if not asks_if_we_do(turn.text) or _BOOK_WORDS.search(turn.text):
        return []
    if any(is_question(clause) and brain.facets.match(clause).facet for clause in clauses):
        return []  # "can you do both, and how long do they take"
    named = [
        n
        for n in brain.facets.names_topics(turn.text, affirmed=True)
        if brain.replies.has_service(n)
    ]
    treatments = [n for n in named if n not in AUDIENCE_TOPICS]
    chosen = treatments if len(treatments) > 1 else named
    return [Question(name) for name in chosen[:3]] if len(chosen) > 1 else []


def _services_asked_together(turn: Turn, text: str | None = None) -> list[Question]:
    """ "do you do root canals and crowns": each service, when none of its sides is asked."""
    brain = turn.brain
    text = turn.text if text is None else text
    if not asks_if_we_do(text) or brain.facets.match(text).facet is not None:
        return []
    if _BOOK_WORDS.search(text):
        return []  # "can i book checkups for me and my 2 kids": one request, for both
    named = brain.facets.names_topics(text, affirmed=True)
    services = [name for name in named if brain.replies.has_service(name)]
    treatments = [name for name in services if name not in AUDIENCE_TOPICS]
    if len(treatments) == 1:
        return []  # "do you do sealants on kids teeth": the sealants, for a child
    return [Question(name) for name in services[:3]] if len(services) > 1 else []


def _only_small_talk(turn: Turn, clause: str) -> bool:
    """Whether a clause only greets or thanks ("hi new in town"), naming nothing."""
    if turn.brain.facets.names_topics(clause) or is_question(clause):
        return False
    return bool(_GREETS.match(clause)) or turn.brain.matcher.match(clause).intent in SMALL_TALK


#: A clause that opens with a greeting: "hi new in town", "hello there".
_GREETS = re.compile(
    r"^\W*(?:hi|hii+|hello|hey|heya|good\s+(?:morning|afternoon|evening))\b", re.I
)


def _practical_pair(turn: Turn, text: str, match: Match) -> list[Question]:
    """ "any discounts or payment plans": two practical subjects joined in one question."""
    parts = _JOINED.split(text, maxsplit=1)
    if len(parts) != 2 or match.safety:
        return []
    first, second = (turn.brain.matcher.match(part) for part in parts)
    plainly = _plainly_practical(turn, first) and _plainly_practical(turn, second)
    if not plainly or first.intent == second.intent:
        return []
    return [Question(str(first.intent)), Question(str(second.intent))]


def _plainly_practical(turn: Turn, match: Match) -> bool:
    """Whether a reading is a practical subject, sure and not a request (a booking)."""
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    if definition is None or definition.kind != IntentKind.PRACTICAL or match.ambiguous:
        return False
    return match.score >= SURE_OF_A_CLAUSE and match.intent not in (BOOKING, "reschedule")


#: "or" and "and" joining two things asked about in one question.
_JOINED = re.compile(r"\s+(?:or|and|&)\s+", re.I)


def _asks_for_what_we_dont_do(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a clause asks if we do something no dentist does ("do u do botox"), naming it:
    not "do you do it on saturdays" or a treatment of ours."""
    if found.intent is not None or not found.off_topic or not asks_if_we_do(clause):
        return False
    if _REFERS_BACK.search(clause) or extract_details(clause, turn.today):
        return False
    return _named_service(turn, clause) is None


def _tells_of_a_treatment_needed(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a told clause says which treatment is to come ("my dentist says i need a root
    canal"), as the classifier reads it too; not one had before ("had a crown last year")."""
    if found.intent is None or not turn.brain.replies.has_facets(found.intent):
        return False
    if _PAST_REPORT.search(clause) or not _NEEDED.search(clause):
        return False  # "i have two crowns at the front": no treatment to come
    if "weekdays" in turn.details or _BOOK_WORDS.search(turn.text):
        return False  # "i need a tooth out. how much and can you do it tomorrow": a request
    return _named_service(turn, clause) == found.intent


#: A treatment still to come: "i need", "my dentist says he needs", "was recommended".
_NEEDED = re.compile(
    r"\b(?:need|needs|needed|needing|recommend\w*|suggest\w*|ha(?:ve|s)\s+to\s+(?:get|have))\b",
    re.I,
)


def _price_fragment(turn: Turn, clause: str, topic: str | None) -> bool:
    """ "and the price" before another question: the topic's price, asked in passing."""
    if topic is None or not turn.brain.replies.has_facets(topic):
        return False
    return turn.brain.facets.match(clause).facet == "price" and not _named_service(turn, clause)


def _fragment(clause: str) -> bool:
    """A few words that set up the next clause rather than ask: "and the anaesthetic"."""
    short = len(words(clause)) < 5 and "?" not in clause
    return short and _LEAD_IN.match(clause) is not None


def _for_example(clause: str) -> bool:
    """Examples of what the clause before asked: "does that include everything? like the
    temporary one and xrays" asks one thing, not also about x-rays."""
    return _EXAMPLES.match(clause) is not None and not is_question(clause)


def _asks_on_its_own(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a clause is a question of its own: asked, and about what it names or plainly.

    "i think my teeth are already moving" asks nothing; "all 4 of them?" names no service, so
    the classifier's guess of one is no question about it.
    """
    intent = found.intent
    if intent is None or found.ambiguous or intent in HANDOFF_INTENTS or intent in SMALL_TALK:
        return False
    if not is_question(clause) and _PAST_REPORT.search(clause):
        return False  # "tooth was pulled last month": what happened, no question about pulling
    if turn.brain.replies.has_service(intent):
        named = turn.brain.facets.names_topics(clause)
        if intent in AUDIENCE_TOPICS and intent not in named and not is_question(clause):
            return False  # "does it hurt? the little one hates the dentist": who, not what
        if intent in named or asks_if_we_do(clause) or found.score >= SURE_OF_A_CLAUSE:
            return True
        # "is the first checkup really free": a question naming a treatment, read as its kin
        kin = any(turn.brain.replies.has_service(name) for name in named)
        return kin and is_question(clause) and found.score >= SURE_OF_KIN
    return True


def _is_acknowledgement(turn: Turn, text: str) -> bool:
    """ "ok", "sure", a thumbs-up: not a question, so neither a misunderstanding."""
    known = turn.brain.knowledge.vocabulary.acknowledgements
    stripped = text.strip().lower().strip(".!?")
    if bool(stripped) and not any(c.isalnum() for c in stripped):
        return True  # a thumbs-up alone
    return stripped in known or " ".join(words(stripped)) in known  # "ok 👍"
