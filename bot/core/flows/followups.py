"""Follow-ups on the current topic, answers to the bot's own questions, several questions."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot import booking_text
from bot.core.flows import aftercare, answers, booking, triage
from bot.core.flows.handoff import EMERGENCY, not_understood, person_choice
from bot.core.pending import AskedDay, AskedProblem
from bot.core.turn import COMFORT_TOPICS, Turn
from bot.details import asks_if_price, first_age, said_back
from bot.loader import COMPANION, IF_WAITING, IN_THE_CHAIR, OFF_TOPIC_ASIDE
from bot.matcher import told_as_history

#: Details that describe the patient's problem rather than when they can come.
PROBLEM_DETAILS = frozenset({"tooth", "area", "symptom", "age"})

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    """One question of a message: an intent, or one facet of a service."""

    intent: str
    facet: str | None = None


def answer_facet(turn: Turn, topic: str, facet: str) -> None:
    """Answer one facet of the topic the patient is talking about."""
    rotation = turn.record(f"{topic}.{facet}")
    replies = turn.brain.replies
    age = first_age(turn.state.details)
    # "how much is it" right after the script that listed every part: the total again,
    # pointing to that list, not the same list twice
    shown = facet == "price" and not age and replies.has_service(topic)
    within = _included_or_not(turn, topic, rotation) if facet == "price" else None
    # ("if the doctor finds a cavity, do i pay for it?": the price wording that says so)
    shown = shown and not FOUND_AT_THE_EXAM.search(turn.text)
    if within is not None:
        text: str | None = within  # "does that include xrays": yes, and the part's price
    elif shown and turn.asked_before(topic, answers.REPEAT_WITHIN):
        text = replies.repeated(topic, rotation)
    else:
        text = replies.facet(topic, facet, rotation, turn.text, age)
    if text is None:
        not_understood(turn)
        return
    turn.outcome.intent = topic
    turn.outcome.facet = facet
    new_topic = turn.topic != topic
    # (not on the treatment the patient is already having: "when will the permanent one be
    # ready?" while healing from the temporary crown)
    having = (
        turn.topic == aftercare.AFTERCARE and turn.state.details.get(aftercare.TREATMENT) == topic
    )
    turn.open_topic(topic)
    understood(turn)
    note = replies.age_note(topic, first_age(turn.state.details))
    if note and facet == "suitability":
        text = f"{text}\n\n{note}"  # "my father is 78, is he too old for implants?"
    medical = replies.is_medical(topic, facet)
    if new_topic and replies.has_service(topic) and not turn.state.booking and not having:
        # A first question about a service still ends, as its script does, with one
        # question about the patient's real problem (not while a request is being made:
        # the request's own question comes next).
        asked_about = _treatment_numbed(turn) if topic in COMFORT_TOPICS else None
        text = f"{text}\n\n{answers.closing_question(turn, asked_about or topic, rotation)}"
    if medical:  # the doctor decides: the person button (typing its number works too)
        person = person_choice()
        turn.update_patient(pending_choices=[person.value])
        turn.say(text, (person,))
    else:
        turn.say(text)
    log.info("patient=%s follow-up topic=%s facet=%s", turn.patient.id, topic, facet)


#: What an exam turns up: "if the doctor finds something", "anything they find".
FOUND_AT_THE_EXAM = re.compile(r"\b(?:finds?|found|turns?\s+up|discover\w*)\b", re.I)
#: A part asked about as within the treatment's price: "is the x-ray included?", "extra?".
WITHIN_THE_PRICE = re.compile(
    r"\b(?:includ\w*|incl|extra|on\s+top|separate\w*|additional|add\w*|part\s+of|with\s+it)\b",
    re.I,
)


def _included_or_not(turn: Turn, topic: str, rotation: int) -> str | None:
    """Whether the one other treatment a price question names is part of the topic's price
    ("does that include xrays": yes, with that part's price), or a price of its own."""
    text, replies, facets = turn.text, turn.brain.replies, turn.brain.facets
    if not replies.has_service(topic) or not WITHIN_THE_PRICE.search(text):
        return None
    named = [name for name in facets.names_topics(text) if name != topic]
    if len(named) != 1:
        return None
    for part in replies.part_names(topic):
        if named[0] in facets.names_topics(part):
            return replies.part_included(topic, part, rotation)
    if replies.has_service(named[0]) and named[0] not in COMFORT_TOPICS:
        return replies.part_separate(topic, named[0], rotation)
    return None


def _treatment_numbed(turn: Turn) -> str | None:
    """The treatment a question about the numbing names ("will you numb me before the
    filling?"): the problem question is about it."""
    replies = turn.brain.replies
    named = turn.brain.facets.names_topics(turn.text)
    return next(
        (name for name in named if name not in COMFORT_TOPICS and replies.has_service(name)),
        None,
    )


def answer_waiting(turn: Turn, service: str) -> None:
    """What waiting, or leaving it untreated, would mean: honestly, it depends, and the doctor
    says how urgent it is; the service stays the subject."""
    rotation = turn.record(f"{service}.waiting")
    turn.say(turn.brain.replies.text(IF_WAITING, rotation))
    turn.outcome.intent = service
    turn.open_topic(service)
    understood(turn)
    log.info("patient=%s if waiting topic=%s", turn.patient.id, service)


def price_before_booking(turn: Turn, service: str, facet: str = "price") -> None:
    """The service's price (or another fact asked), said before the booking questions that
    follow in the same reply."""
    rotation = turn.record(f"{service}.{facet}")
    text = turn.brain.replies.facet(service, facet, rotation, turn.text)
    if text:
        turn.say(text)
    turn.open_topic(service)


def _asks_to_book(turn: Turn) -> bool:
    """Whether the message asks to book, in so many words ("can i book it for friday") or with
    a day or time for the visit, not only whether one may walk in."""
    text = turn.text
    if booking_text.asks_about_walk_ins(text):
        return False
    # "do you take aetna and can i come in tomorrow morning?": the day is the request's
    if booking_text.names_booking(text) or booking_text.asks_to_come_in(text):
        return True  # "can i come in to have it eased, and is there a charge for that"
    return bool({"day", "date", "time"} & turn.details.keys())


def answer_several(turn: Turn, questions: list[Question]) -> None:
    """Answer every question, in the order asked; no offer in a reply this full."""
    replies = turn.brain.replies
    outcome = turn.outcome
    # "how much is whitening, can i book it for friday": the price, then the request for it,
    # whose first question ends the reply; a question about coming in with no word of booking
    # ("any chance of getting in today?", "do u take walk ins") is answered in its place
    books = Question(booking.BOOKING) in questions and _asks_to_book(turn)
    understood(turn)  # before any new choices are offered (the aftercare's person button)
    listed: set[str] = set()  # the list items already said in this reply
    aside = False  # "do u do botox?" said no to first: no "Yes, we do ..." after it
    # "need 3 crowns, what material looks most natural": the materials answer takes the place
    # of the script's own options, not said twice
    in_script = {
        each.intent: each
        for each in questions
        if each.facet == "materials" and Question(each.intent) in questions
    }
    # one closing question a reply: the last treatment's ("need 2 fillings and a cleaning")
    scripts = [q.intent for q in questions if q.facet is None and replies.has_service(q.intent)]
    last_script = scripts[-1] if scripts else None
    for question in questions:
        intent, facet = question.intent, question.facet
        if in_script.get(intent) == question:
            continue
        rotation = turn.record(f"{intent}.{facet}" if facet else intent)
        if intent == OFF_TOPIC_ASIDE:
            turn.say(replies.text(intent, rotation))
            aside = True
            continue
        if intent in (IN_THE_CHAIR, COMPANION):  # "can she stay in her wheelchair for it?"
            turn.say(replies.text(intent, rotation))
            outcome.answered.append(intent)
            if (service := turn.service_named()) is not None:
                turn.open_topic(service)  # "how much is it" next: the cleaning's price
            continue
        if intent == aftercare.AFTERCARE:  # "... is that normal? also how much is a cleaning"
            aftercare.answer(turn, rotation)
            outcome.answered.append(intent)
            continue
        if intent == booking.BOOKING and books:
            continue
        text: str | None
        if intent == booking.BOOKING and booking_text.asks_about_walk_ins(turn.text):
            text = replies.text("booking_walk_in", rotation)  # "..., and do u take walk ins"
        elif facet == "price" and (within := _included_or_not(turn, intent, rotation)):
            text = within  # "do i need an xray first? and is that extra": it is included
        elif facet is not None:
            said = turn.text if facet == "safety" else ""  # "bad for enamel?": no "Yes, ..."
            text = replies.facet(intent, facet, rotation, said, first_age(turn.state.details))
        elif intent == answers.HOURS and turn.details.get("weekdays"):
            text = answers.hours_text(turn, turn.details["weekdays"].split(","), rotation)
        elif replies.has_service(intent):
            opening = answers.opening(turn) if not outcome.answered else ""
            if aside and opening == "yes":  # the "do you" was the treatment we don't do
                opening = "total" if asks_if_price(turn.text) else ""
            closing = "" if books or intent != last_script else None
            age = first_age(turn.state.details)
            teeth = answers.teeth_counted(turn, intent)
            asked = in_script.get(intent)
            offer = replies.facet(intent, "materials", rotation) if asked else None
            text = replies.service(intent, rotation, opening, age, closing, teeth, offer)
        elif intent == answers.DOCTORS and (named := answers.doctors_named(turn, rotation)):
            text = named[0]  # "how many visits and which doctor does them": those doctors
        elif intent == answers.INSURANCE and (insurer := turn.details.get("insurer")):
            text = replies.text("answer_insurance_named", rotation, noted=insurer)  # by name
        elif intent in turn.brain.knowledge.replies:
            text = replies.text(intent, rotation)
        else:
            continue
        if text:
            # A price lists every part of each bundle, shared parts too; the warranty periods
            # in the facts of two treatments are said once
            repeats = facet is not None and facet != "price"
            turn.say(_without_repeats(text, listed) if repeats else text)
            if repeats:
                listed.update(line for line in text.splitlines() if line.startswith(_BULLET))
            outcome.answered.append(intent)
        if replies.has_service(intent):
            turn.open_topic(intent)
            turn.ask(AskedProblem(intent))
        elif not (turn.topic and replies.has_facets(turn.topic)) and not books:
            # "student discount?" asked with another: "what about 65+?" (a request asked for
            # in the same message is for what was talked about, not for the warranty)
            turn.open_topic(intent)
    if last_script is not None and len(scripts) > 1 and not books:
        turn.ask(AskedProblem(last_script))  # the question the reply ends with
    treatments = [q.intent for q in questions if replies.has_service(q.intent)]
    treatments = [name for name in treatments if name not in COMFORT_TOPICS]
    if turn.topic in COMFORT_TOPICS and treatments:
        # "the implant's price? is it done asleep?": the implant stays what is talked about
        turn.open_topic(treatments[-1])
        turn.ask(AskedProblem(treatments[-1]))
    if books:
        booking.start(turn, turn.record(booking.BOOKING))
        outcome.answered.append(booking.BOOKING)
    outcome.intent = outcome.answered[0] if outcome.answered else None
    log.info("patient=%s several questions=%s", turn.patient.id, outcome.answered)


#: How a list item starts in a reply (the warranty periods, the parts of a price).
_BULLET = "• "
#: A last sentence that only announces a list ("... Our warranty periods:").
_ANNOUNCES_A_LIST = re.compile(r"(?:^|(?<=[.!?]))\s*[^.!?]*:\s*$")


def _without_repeats(text: str, listed: set[str]) -> str:
    """The text without the list items this reply already gave (the warranty periods in
    "which lasts longer" of two treatments), and without a heading left with nothing under it."""
    lines = text.splitlines()
    kept = [line for line in lines if line not in listed]
    if len(kept) == len(lines):
        return text
    tidy: list[str] = []
    for index, line in enumerate(kept):
        following = kept[index + 1] if index + 1 < len(kept) else ""
        if line.endswith(":") and not following.startswith(_BULLET):
            line = _ANNOUNCES_A_LIST.sub("", line).rstrip()
        if line:
            tidy.append(line)
    return "\n".join(tidy)


def answer_to_question(turn: Turn, topic: str) -> None:
    """The patient answered the bot: say what was understood, then the next useful step."""
    details = turn.details
    rotation = turn.record(f"answer:{topic}")
    understood(turn)  # before any new choices are offered
    replies = turn.brain.replies
    noted = said_back(details)
    when = booking.when_said({**booking.day_told_before(turn), **details})
    day_instead = when and not PROBLEM_DETAILS & details.keys()  # "next friday would be good"
    if when and (isinstance(turn.asked, AskedDay) or day_instead):
        booking.day_given(turn, when, rotation)  # a request, about the topic's service
        log.info("patient=%s answer topic=%s: a day, so a request", turn.patient.id, topic)
        return
    if topic == EMERGENCY or _a_dental_problem(turn):
        triage.answered(turn, noted, rotation)  # "it's throbbing, I can't sleep": seen today
    else:
        thanks = (
            replies.text("answer_noted", rotation, noted=noted)
            if noted
            else replies.text("answer_thanks", rotation)
        )
        turn.say(f"{thanks} {replies.text('answer_next_service', rotation)}")
        turn.ask(AskedDay())
    turn.outcome.intent = topic
    turn.open_topic(topic)
    log.info("patient=%s answer topic=%s details=%s", turn.patient.id, topic, sorted(details))


def _a_dental_problem(turn: Turn) -> bool:
    """Whether the message reports pain, a broken tooth or the like (no red flag), now: not
    "theyre broken from an old accident", which needs no visit today, nor a chip told as what
    veneers should change."""
    match = turn.match
    if match is None or not (match.safety or match.intent == EMERGENCY):
        return False
    if _cosmetic_chip(turn):
        return False
    return not told_as_history(turn.brain.matcher.normalized(turn.text))


#: Services whose question asks what to change about how the teeth look ("the colour, the
#: shape, chips or small gaps?"): a chip told in answer is what to change, not an urgent visit.
COSMETIC = frozenset({"veneers", "whitening", "take_home_whitening", "orthodontics", "aligners"})
_CHIP = re.compile(r"\bchip(?:s|ped|ping)?\b", re.I)


def _cosmetic_chip(turn: Turn) -> bool:
    """Whether a chip, and nothing that hurts, is the answer to a cosmetic service's question."""
    asked = turn.asked
    if not isinstance(asked, AskedProblem) or asked.service not in COSMETIC:
        return False
    felt = set(filter(None, turn.details.get("symptom", "").split(", ")))
    return felt <= {"broken"} and _CHIP.search(turn.text) is not None


def understood(turn: Turn) -> None:
    """The patient was understood: no misunderstanding streak, no stale choices."""
    if turn.patient.misunderstood_streak or turn.patient.pending_choices:
        turn.update_patient(misunderstood_streak=0, pending_choices=None)
