"""Triage as an administrator does it: an emergency gets a person at once, an urgent problem
a visit the same day.

The classifier's emergency intent (or an emergency phrase) says something is wrong in the
mouth; the red flags in `intents/vocabulary.yaml` (spreading swelling, fever, bleeding that
won't stop, trauma, trouble breathing or swallowing) say whether it is an emergency. Without
one it is urgent: sympathy, what to do meanwhile, and the offer of a visit today, which opens a
case only when the patient asks for it.
"""

from __future__ import annotations

import logging
import re

from bot.core.flows import aftercare, answers, booking
from bot.core.flows.handoff import EMERGENCY, URGENT, hand_over, person_choice
from bot.core.outcome import Choice
from bot.core.pending import AskedProblem, VisitToday
from bot.core.turn import HANDED_OVER, Turn, choice
from bot.details import asks_if_price, is_question, said_back, split_questions
from bot.loader import URGENT_BUNDLE, URGENT_PRICE
from bot.opening import desk_hours
from bot.pricing import in_a_sentence, listed

log = logging.getLogger(__name__)


def visit_today_choice() -> Choice:
    """The "Ask for a visit today" button."""
    return choice("Ask for a visit today", VisitToday())


def is_emergency(turn: Turn) -> bool:
    """Whether the message has a red flag (emergency) rather than only a dental problem."""
    return turn.brain.matcher.red_flag(turn.text)


#: A question about the clinic's urgent care, not a report of a problem: "do you see
#: emergencies on weekends?", "what if my kid has an emergency on a sunday?"
_ABOUT_URGENT_CARE = re.compile(
    r"\b(?:(?:do|does|can|will|would) (?:you|u|ya|the clinic|your clinic|your dentists?"
    r"|the dentists?|y'?all) (?:guys )?(?:also )?(?:see|take|treat|handle|accept|do|deal with"
    r"|cover|fit in)\b[^.?!]*\bemergenc"
    r"|(?:are|is) (?:you|u|the clinic|anyone|someone) (?:open|there|available|around) for"
    r"[^.?!]*\bemergenc"
    r"|what (?:if|happens if|do i do if|should i do if|do we do if)\b[^.?!]*\bemergenc"
    r"|in (?:an |case of (?:an )?)emergenc\w*,? (?:what|who|where|how|can|do)"
    r"|emergenc\w* (?:on|at|over|during|in) (?:the |a )?(?:weekends?|nights?|evenings?"
    r"|holidays?|sundays?|saturdays?|christmas)\b)",
    re.I,
)


def asks_about_urgent_care(turn: Turn) -> bool:
    """Whether the message asks how the clinic handles emergencies, reporting none itself."""
    if not _ABOUT_URGENT_CARE.search(turn.text) or "symptom" in turn.details:
        return False
    return not turn.brain.matcher.red_flag(turn.text)


def urgent_care(turn: Turn, rotation: int) -> None:
    """How urgent problems are seen, the hours of the days asked about, and when we're closed."""
    replies = turn.brain.replies
    parts = [replies.text("urgent_care", rotation)]
    if turn.details.get("weekdays"):  # "on weekends": Saturday's hours, "closed" on Sunday
        parts.append(answers.hours_text(turn, turn.details["weekdays"].split(","), rotation))
        turn.outcome.answered[:] = [EMERGENCY, answers.HOURS]  # "when do you close today, and"
    parts.append(replies.text("urgent_care_closed", rotation))
    turn.outcome.intent = EMERGENCY
    turn.open_topic(EMERGENCY)
    turn.state.details.pop(HANDED_OVER, None)
    offer(turn, "\n\n".join(parts))
    log.info("patient=%s triage=urgent_care_question", turn.patient.id)


def _with_days_asked(turn: Turn, advice: str) -> str:
    """The advice with the hours of the days the patient asked about beside the problem ("are
    you open on sunday? my gum is bleeding") before its closing question."""
    weekdays = turn.details.get("weekdays")
    readings = [turn.brain.matcher.match(part).intent for part in split_questions(turn.text)]
    if not weekdays or answers.HOURS not in readings:
        return advice
    turn.outcome.answered[:] = [EMERGENCY, answers.HOURS]
    body, _, question = advice.rpartition("\n")
    hours = answers.hours_text(turn, weekdays.split(","), 0)
    if body and question.endswith("?"):
        return f"{body}\n{hours}\n\n{question}"
    return f"{advice}\n\n{hours}"


def respond(turn: Turn, rotation: int) -> None:
    """An emergency hands over at once; an urgent problem gets advice and a same-day offer."""
    advised = turn.topic == EMERGENCY and turn.asked == AskedProblem(EMERGENCY)
    if not is_emergency(turn) and aftercare.asks_if_normal_after(turn.text):
        aftercare.answer(turn, rotation)  # "had a tooth pulled yesterday, still bleeding a bit"
        return
    if asks_about_urgent_care(turn):
        urgent_care(turn, rotation)  # "do you take emergency patients?": how, not advice
        return
    # The treatment named beside the problem ("a friend suggested it might need a root
    # filling") is what "how many visits would it be?" asks about afterwards.
    turn.open_topic(EMERGENCY, turn.service_named())
    if is_emergency(turn):
        turn.ask(None)
        turn.state.details[HANDED_OVER] = EMERGENCY
        hand_over(turn, EMERGENCY)
        return
    turn.state.details.pop(HANDED_OVER, None)
    if asks_if_price(turn.text):  # "how much is an emergency visit?"
        matcher = turn.brain.matcher
        if "symptom" in turn.details or matcher.detect_emergency(matcher.normalized(turn.text)):
            # "my tooth is killing me, how much to be seen today?": the advice first
            turn.say(turn.brain.replies.text(URGENT, rotation))
        offer(turn, _with_treatment_priced(turn, urgent_price(turn, rotation), rotation))
    elif advised and (turn.details or not is_question(turn.text)):
        # "lower left, since last night": noted, the offer again; "it isn't throbbing now,
        # just a little tender": thanks, not the whole advice again
        answered(turn, said_back(turn.details) if turn.details else "", rotation)
    else:
        offer(turn, _with_days_asked(turn, turn.brain.replies.text(URGENT, rotation)))
    turn.ask(AskedProblem(EMERGENCY))
    log.info("patient=%s triage=urgent", turn.patient.id)


def urgent_price(turn: Turn, rotation: int) -> str:
    """What an urgent visit costs, part by part, before any treatment."""
    turn.outcome.facet = "price"
    return turn.brain.replies.bundle_text(URGENT_PRICE, URGENT_BUNDLE, rotation)


#: The symptom of a filling or crown that fell out (intents/vocabulary.yaml).
CAME_OUT = "a filling or crown came out"
#: Asking for what came out to be fixed back on: "can you glue it back", "recement it".
_PUT_BACK = re.compile(
    r"\b(?:glue|re-?cement|cement|stick|put|fix|reattach|re-?attach|fit)\w*\s+(?:it|that|this"
    r"|them|the\s+\w+)?\s*(?:back|on\s+again)\b|\bre-?cement\w*|\breattach\w*",
    re.I,
)


def put_back_asked(turn: Turn) -> bool:
    """Whether the patient tells of a crown or filling that came out and asks to have it put
    back ("my crown came off, can you glue it back on?"), which is no new crown."""
    return CAME_OUT in turn.details.get("symptom", "") and bool(_PUT_BACK.search(turn.text))


def _with_treatment_priced(turn: Turn, text: str, rotation: int) -> str:
    """The urgent visit's price, then the full price of the treatment the patient names ("broke
    half my tooth on a nut, do i need a crown? how much": the crown's too, every part)."""
    named = turn.service_named()
    replies = turn.brain.replies
    if named is None or not replies.has_service(named) or put_back_asked(turn):
        return text
    priced = replies.facet(named, "price", rotation)
    if not priced:
        return text
    turn.outcome.answered.extend([EMERGENCY, named])
    shared = [in_a_sentence(name) for name in replies.shared_parts(URGENT_BUNDLE, named)]
    if shared:  # the exam of the urgent visit is the one in the crown's price: paid once
        priced = (
            f"{priced}\nThe urgent visit's {listed(shared)} are part of that total: paid once."
        )
    return f"{text}\n\n{priced}"


def answered(turn: Turn, noted: str, rotation: int) -> None:
    """The patient said which tooth and since when: noted, and the same-day offer again."""
    replies = turn.brain.replies
    desk = desk_hours(turn.brain.knowledge.clinic, turn.now)
    closed = not desk.is_open and desk.opens is not None
    key = "answer_urgent" if noted else "answer_urgent_thanks"
    if closed:  # no "a visit today" at 11 at night: the first slot when the desk opens
        text = replies.text(f"{key}_closed", rotation, noted=noted, opens=desk.opens or "")
    else:
        text = replies.text(key, rotation, noted=noted)
    offer(turn, text)


def offer(turn: Turn, text: str) -> None:
    """Say the text with the buttons for a visit today (the first free slot, when the front
    desk is closed) and for a person."""
    desk = desk_hours(turn.brain.knowledge.clinic, turn.now)
    closed = not desk.is_open and desk.opens is not None
    visit = choice("Ask for the first free slot", VisitToday()) if closed else None
    buttons = (visit or visit_today_choice(), person_choice())
    turn.update_patient(pending_choices=[button.value for button in buttons])
    turn.say(text, buttons)


def visit_today(turn: Turn) -> None:
    """The patient asked to be seen today: an urgent same-day request to the front desk."""
    turn.update_patient(pending_choices=None)
    symptom = turn.state.details.get("symptom", "")
    booking.start_urgent(turn, symptom)
