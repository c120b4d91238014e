"""After a treatment: what to expect and what to do, from the service's own recovery answer.

"had a tooth pulled this morning, when can I eat?" is answered, not handed over: the
treatment's recovery answer in the clinic's words, the signs that need a person at once, and
the "Talk to a person" button. The treatment is remembered as a detail, so "can I smoke?" and
"for how many days?" right after are about it too.
"""

from __future__ import annotations

import logging
import re

from bot.core.flows.handoff import person_choice
from bot.core.turn import Turn
from bot.details import is_question, said_back

log = logging.getLogger(__name__)

AFTERCARE = "aftercare"
#: The detail that says which treatment the patient has just had.
TREATMENT = "treatment"

#: "is that normal?", "is aching normal", "is a bit of bleeding normal?": what to expect.
_IS_IT_NORMAL = re.compile(
    r"\b(?:is (?:it|that|this) normal|normal to|is that ok|expected|expect (?:it |that )?is normal"
    r"|(?:is|are)(?: [\w']+){1,5} normal)\b",
    re.I,
)
#: A treatment just had: "had a tooth out yesterday", "got a filling on monday".
JUST_HAD = re.compile(
    r"\b(?:had|got|since|after)\b.*\b(?:yesterday|today|this morning|last night|ago"
    r"|last week|this week|the other day"
    r"|(?:on|last) (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
    # "day 4 after my wisdom tooth came out", "3 days since the extraction"
    r"|\bday\s+(?:\d+|one|two|three|four|five|six|seven)\s+(?:after|since|post)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven)\s+days?\s+(?:after|since|post)\b",
    re.I,
)


def asks_if_normal_after(text: str) -> bool:
    """Whether the patient asks if something is normal after a treatment just had."""
    return bool(_IS_IT_NORMAL.search(text) and JUST_HAD.search(text))


def answer(turn: Turn, rotation: int) -> None:
    """What to expect after the treatment the patient had, and when to call at once."""
    replies = turn.brain.replies
    treatment = treatment_named(turn)
    again = turn.topic == AFTERCARE and treatment == turn.state.details.get(TREATMENT)
    recovery = replies.facet(treatment, "recovery", rotation, turn.text) if treatment else None
    asked = is_question(turn.text)
    if (
        again
        and asked
        and treatment
        and replies.facet_speaking_of(treatment, "recovery", turn.text)
    ):
        again = False  # "can i smoke?": the wording about smoking, even right after
    if again:  # the advice was just given: not the same paragraphs again
        told = {k: v for k, v in turn.details.items() if k in ("tooth", "area", "symptom")}
        noted = "" if asked else said_back(told)  # "no fever, lower right"
        thanks = replies.text("answer_noted", rotation, noted=noted) + " " if noted else ""
        text = thanks + replies.text("aftercare_again", rotation)
    elif treatment and recovery:
        turn.note({TREATMENT: treatment})
        text = f"{recovery}\n\n{replies.text('aftercare_watch', rotation)}"
    else:
        text = f"{replies.text('aftercare_general', rotation)}\n\n"
        text += replies.text("aftercare_watch", rotation)
    turn.outcome.intent = AFTERCARE
    turn.open_topic(AFTERCARE)
    person = person_choice()
    turn.update_patient(pending_choices=[person.value])
    turn.say(text, (person,))
    log.info("patient=%s aftercare treatment=%s again=%s", turn.patient.id, treatment, again)


def treatment_named(turn: Turn) -> str | None:
    """The treatment the message names, else the one the patient spoke of just before."""
    has_facets = turn.brain.replies.has_facets
    for topic in turn.brain.facets.names_topics(turn.text):
        if has_facets(topic):
            return topic
    current = turn.topic
    if current == AFTERCARE:
        return turn.state.details.get(TREATMENT)
    return current if current is not None and has_facets(current) else None
