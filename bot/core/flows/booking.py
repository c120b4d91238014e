"""Appointment requests: what for, which days suit, new or returning, the name, and a phone
only if the patient wants a call. One question at a time, each answer said back; "skip" and
"cancel" always work; what the patient already said is not asked again. The finished request
goes to the front desk as a booking card.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import asdict, dataclass, fields, replace

from bot import booking_text
from bot.core.flows.aftercare import TREATMENT
from bot.core.pending import AskedBooking
from bot.core.turn import (
    ASKED_ABOUT,
    LAST_KIND,
    LAST_MOVED,
    LAST_WISHED,
    TALKED_ABOUT_BEFORE,
    AnswerProposal,
    SubmitBooking,
    Turn,
)
from bot.details import extract_details, is_question, said_back
from bot.hours import WEEKDAYS, hours_on
from bot.opening import desk_hours
from bot.store import NewRequest

log = logging.getLogger(__name__)

BOOKING = "booking"
RESCHEDULE = "reschedule"
MOVE = "move the appointment"
#: The questions of a request, in the order they are asked.
FIELDS = ("what", "when", "returning", "name", "phone")
SKIPPED = "skipped"
NO_CALL = "no call"
#: How the new-or-returning answer is said back.
_RETURNING_SAID = {"new": "first visit", "returning": "been to us before"}
#: A treatment the patient leaves out of the visit: "skip the xray", "without the whitening".
_LEFT_OUT = re.compile(
    r"\b(?:skip(?:ping)?|without|leave out|leaving out|instead of|no need for|not)\s+"
    r"(?:the\s+|a\s+|an\s+|any\s+)?[\w-]+(?:\s+for\s+now)?",
    re.I,
)
#: What the visit is for when the patient told of a problem rather than named a service.
PROBLEM = "a problem with a tooth"
#: Subjects on which the problem told is the reason for a visit.
_PROBLEM_TOPICS = frozenset({"emergency", "aftercare", "complaint"})
#: Asked again at most this often before the question is left for the front desk.
_TRIES = 2


@dataclass(frozen=True)
class BookingDraft:
    """A request being filled in, kept in the conversation state between messages."""

    what: str = ""
    when: str = ""
    when_said: str = ""
    returning: str = ""
    name: str = ""
    phone: str = ""
    urgency: str = "routine"
    kind: str = "new"
    tries: str = "0"
    #: A date and an exact time the patient named ("tuesday at 3pm"), ISO: one tap to propose.
    wished_at: str = ""

    @classmethod
    def stored(cls, values: dict[str, str]) -> BookingDraft | None:
        """The draft kept in the state, if there is one."""
        if not values:
            return None
        names = {field.name for field in fields(cls)}
        return cls(**{name: str(value) for name, value in values.items() if name in names})

    def missing(self) -> str | None:
        """The next question to ask, or None when the request is complete."""
        return next((field for field in FIELDS if not getattr(self, field)), None)


def day_given(turn: Turn, day: str, rotation: int) -> None:
    """The patient named a day after the bot asked which suits: a request with that day."""
    start(turn, rotation, when=day)


def start(turn: Turn, rotation: int, when: str = "") -> None:
    """ "I'd like to book": begin a request, filled in from this message and the topic; ask
    the first gap."""
    if _moves_again(turn):
        change(turn, rotation)  # "can i move my cleaning to the weekend" ... "sunday then?"
        return
    draft = _read_everything(turn, BookingDraft(what=_topic_service(turn), when=when))
    last = turn.state.details.get(LAST_WISHED, "")
    if not draft.when and last and _SAME_TIME_AS_MINE.search(turn.text):
        draft = replace(draft, when=last)  # "could my daughter come with me the same time?"
    if not draft.when and (earlier := _when_told_earlier(turn)):
        draft = replace(draft, when=earlier)  # "im free on fridays ..." then "ok book me in"
    _open_topic(turn, draft)
    turn.outcome.intent = BOOKING
    noted = _said_back(turn, draft)
    walk_in = booking_text.asks_about_walk_ins(turn.text)  # "can i just come in?": no
    intro = turn.brain.replies.text("booking_walk_in" if walk_in else BOOKING, rotation)
    lead = f"{intro} {turn.brain.replies.text('booking_noted', rotation, noted=noted)}"
    _carry_on(turn, draft, lead if noted else intro, rotation)
    log.info("patient=%s booking started", turn.patient.id)


def change(turn: Turn, rotation: int) -> None:
    """ "I need to reschedule", "I can't come": a request to move or cancel the appointment
    (the front desk sees which one); running late gets the phone number."""
    replies = turn.brain.replies
    turn.outcome.intent = RESCHEDULE
    if booking_text.running_late(turn.text):
        turn.say(replies.text(RESCHEDULE, rotation))
        return
    if booking_text.calls_off(turn.text):
        draft = BookingDraft(what="cancel the appointment", when=SKIPPED, kind="cancel")
        _submit(turn, _settled(draft), rotation)
        return
    draft = _read_everything(turn, _settled(BookingDraft(what=MOVE, kind=RESCHEDULE)))
    draft = _same_day_kept(turn, _same_time_kept(turn, _moved_to(turn, draft)))
    draft = _from_the_visit_booked(turn, draft)
    moved = turn.state.details.get(LAST_MOVED)
    if draft.what == MOVE and moved and turn.topic == BOOKING:
        draft = replace(draft, what=moved)  # "ok thursday 9am works": the same visit moved
    turn.open_topic(BOOKING, turn.service_named())  # "move my whitening": how long it takes
    _carry_on(turn, draft, replies.text("booking_move", rotation), rotation)


def _moves_again(turn: Turn) -> bool:
    """Whether a day or hour alone, right after a request to move the appointment was sent,
    says when to move it to, rather than asking for another visit."""
    if turn.topic != BOOKING or turn.state.details.get(LAST_KIND) != RESCHEDULE:
        return False
    if not _WHEN_KEYS & turn.details.keys() or turn.service_named():
        return False
    return len(turn.text.split()) <= _DAY_ALONE_WORDS


#: What a day wished is kept under among the details; with "time", a day or hour wished.
_DAYS_KEYS = frozenset({"day", "date", "weekdays"})
_WHEN_KEYS = _DAYS_KEYS | {"time"}
#: A message this short that gives a day or hour only says when.
_DAY_ALONE_WORDS = 8
#: Another visit at the time of the one just asked for: "with me the same time", "same day".
_SAME_TIME_AS_MINE = re.compile(r"\b(?:the\s+)?same\s+(?:time|day|visit|appointment)\b", re.I)
_SAME_TIME = re.compile(r"\b(?:same|usual)\s+(?:time|hour)\b", re.I)


def _same_time_kept(turn: Turn, draft: BookingDraft) -> BookingDraft:
    """ "thursday instead, same time": the new day with the time of the request sent before."""
    last = turn.state.details.get(LAST_WISHED, "")
    if not (draft.when and _SAME_TIME.search(turn.text) and ", " in last):
        return draft
    if "time" in turn.details:
        return draft
    return replace(draft, when=f"{draft.when}, {last.rpartition(', ')[2]}")


#: "from thursday to friday": the day the appointment is, then the one it moves to.
_FROM_DAY_TO = re.compile(
    r"\bfrom\s+(?:(?:this|next|on)\s+)?(?:mon|tue|wed|thu|fri|sat|sun)\w*\s+(?:to|till|until)\s+"
    r"(?P<to>.+)",
    re.I,
)


def _moved_to(turn: Turn, draft: BookingDraft) -> BookingDraft:
    """ "move my appt from thursday to friday": the day it moves to, not the one it is on."""
    moved = _FROM_DAY_TO.search(turn.text)
    if moved is None:
        return draft
    wished = when_said(extract_details(moved["to"], turn.today))
    return replace(draft, when=wished) if wished else draft


#: The visit the patient has booked, and the rest of its sentence: "i have an appointment
#: tomorrow at 11", "im booked in for thursday 3pm", "my cleaning on friday".
_VISIT_BOOKED = re.compile(
    r"\b(?:i\s+(?:have|had|got)|i'?ve\s+got|there'?s|my|our|his|her)\s+(?:an?\s+|the\s+)?"
    r"(?:\w+\s+)?(?:appointment|appt|appoinment|booking|visit|cleaning|check[\s-]?up)\b"
    r"(?:(?!\s(?:to|into|till|until|instead)\b)[^.?!,])*"
    r"|\b(?:i'?m|im|i\s+am|we'?re|we\s+are|(?:s?he|they)'?s?\s+(?:is|are)?)\s*(?:booked|scheduled)"
    r"(?:\s+in)?\s+(?:for|on)\b(?:(?!\s(?:to|into|till|until|instead)\b)[^.?!,])*",
    re.I,
)


#: The wish of a patient who asks for a quiet time: the front desk suggests one.
QUIET_TIME = "a quiet time, for the front desk to suggest"
#: Between a move and the day of the visit moved: "move the appointment booked for monday".
_BOOKED_FOR = " booked for "


def _from_the_visit_booked(turn: Turn, draft: BookingDraft) -> BookingDraft:
    """ "i have an appointment tomorrow at 11, can i move it?": the day said is the visit's
    own, told to the front desk as such, and the day to move it to is still asked."""
    booked = _VISIT_BOOKED.search(turn.text)
    if booked is None or not draft.when or draft.kind != RESCHEDULE:
        return draft
    now_on = when_said(extract_details(booked[0], turn.today))
    if not now_on:
        return draft
    rest = f"{turn.text[: booked.start()]} {turn.text[booked.end() :]}"
    wished = when_said(extract_details(rest, turn.today))  # "..., could we do friday instead"
    what = f"{draft.what}{_BOOKED_FOR}{now_on}"
    said = turn.text.strip()[:200] if wished else ""
    return replace(draft, what=what, when=wished, when_said=said)


def _same_day_kept(turn: Turn, draft: BookingDraft) -> BookingDraft:
    """ "any time after 2" right after moving to friday: friday, after 14:00."""
    if not draft.when or not _hour_alone(turn) or turn.state.details.get(LAST_KIND) != RESCHEDULE:
        return draft
    day = turn.state.details.get(LAST_WISHED, "").split(", ")[0]
    hour = when_said({"time": turn.details["time"]})
    return replace(draft, when=f"{day}, {hour}") if _DAY_SAID.search(day) else draft


def _settled(draft: BookingDraft) -> BookingDraft:
    """A change to an existing appointment: the front desk knows who the patient is."""
    return replace(draft, returning="returning", name=SKIPPED, phone=SKIPPED)


def start_urgent(turn: Turn, symptom: str) -> None:
    """ "Ask for a visit today" after an urgent problem: the request goes at once."""
    what = f"urgent: {symptom}" if symptom else "urgent problem"
    draft = BookingDraft(what=what, when="today, as soon as possible", urgency="urgent")
    _submit(turn, draft, 0)


#: A day in a request's "when": "monday morning", "Thu 3 Dec", "tomorrow", "any weekday".
_DAY_SAID = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)\w*|\b(?:today|tomorrow|tonight|weekends?|weekdays?)\b",
    re.I,
)


def answer(turn: Turn) -> None:
    """The patient answered the question the request is waiting on."""
    draft = BookingDraft.stored(turn.state.booking)
    asked = turn.asked
    if draft is None or not isinstance(asked, AskedBooking):
        return
    rotation = turn.record(f"booking:{asked.field}")
    turn.outcome.intent = BOOKING
    if booking_text.is_cancel(turn.text):
        cancel(turn)
        return
    field = asked.field
    if booking_text.is_skip(turn.text):
        draft = replace(draft, **{field: SKIPPED, "tries": "0"})
        _carry_on(turn, draft, turn.brain.replies.text("booking_skipped", rotation), rotation)
        return
    original = draft
    passing = _read_everything(turn, draft)  # "after 5 if possible" asked what for: a when
    passing = _with_when_changed(turn, passing, draft, field)
    if passing != draft and not getattr(passing, field):
        noted = _said_back(turn, _only_new(passing, draft))
        lead = turn.brain.replies.text("booking_noted", rotation, noted=noted)
        _carry_on(turn, passing, lead, rotation)
        return
    if field != "name" and not passing.name:
        passing = replace(passing, name=_name_beside(turn))  # "first time, Derek Nguyen"
    value = getattr(passing, field) or _read(turn, field)
    problem = {key: turn.details[key] for key in _TOLD_BESIDE if key in turn.details}
    name = _name_unasked(turn, draft) if value is None and field != "what" else None
    if name:  # "Anna" asked new or returning: the name, and the question again
        lead = turn.brain.replies.text("booking_noted", rotation, noted=name)
        _carry_on(turn, replace(draft, name=name), lead, rotation)
        return
    if value is None and problem:  # "upper right, hurts when i chew" asked new or returning
        lead = turn.brain.replies.text("booking_noted", rotation, noted=said_back(problem))
        _carry_on(turn, draft, lead, rotation)
        return
    if value is None:
        tries = int(draft.tries) + 1
        if tries >= _TRIES:  # asked twice: the front desk will ask in person
            draft = replace(draft, **{field: SKIPPED, "tries": "0"})
            lead = turn.brain.replies.text("booking_left_for_desk", rotation)
        else:
            draft = replace(draft, tries=str(tries))
            lead = turn.brain.replies.text("booking_not_caught", rotation)
        _carry_on(turn, draft, lead, rotation)
        return
    draft = replace(passing, **{field: value, "tries": "0"})
    if field == "when":
        draft = replace(draft, when_said=turn.text.strip()[:200], wished_at=_wished_at(turn))
    said = [_noted_for(turn, field, value)]
    if draft.when != original.when and field != "when":
        said.insert(0, draft.when)  # "1:45 is better. name is Ann Lee"
    if draft.name != original.name and field != "name":
        said.append(draft.name)  # "first time, Derek Nguyen"
    noted = turn.brain.replies.text("booking_noted", rotation, noted=", ".join(said))
    _carry_on(turn, draft, noted, rotation)


def is_control(text: str) -> bool:
    """ "skip" or "cancel": always about the booking question."""
    return booking_text.is_cancel(text) or booking_text.is_skip(text)


def reads(turn: Turn, field: str) -> bool:
    """Whether the message answers that question of the request."""
    return _read(turn, field) is not None


def _with_when_changed(
    turn: Turn, passing: BookingDraft, draft: BookingDraft, field: str
) -> BookingDraft:
    """The request with the day or hour this message gives instead of the one it had, when
    another question was asked ("1:15 is fine" asked new or returning)."""
    changed_when = _when(turn) if field != "when" and draft.when else None
    hour_alone = not ({"day", "date"} & turn.details.keys() or day_told_before(turn))
    if changed_when and hour_alone and ", " in draft.when:
        changed_when = f"{draft.when.rpartition(', ')[0]}, {changed_when}"  # "1:15 is fine"
    elif changed_when and hour_alone and _DAY_SAID.search(draft.when):
        changed_when = f"{draft.when}, {changed_when}"  # "monday morning", then "around 9"
    if not changed_when or changed_when == draft.when:
        return passing
    return replace(  # "wed afternoon, not before 2" instead
        passing, when=changed_when, when_said=turn.text.strip()[:200], wished_at=_wished_at(turn)
    )


def remind(turn: Turn) -> None:
    """After answering a question asked mid-request: the request's question again, after the
    day or hour the message gave beside it ("10 is perfect. where do i send my insurance")."""
    draft = BookingDraft.stored(turn.state.booking)
    field = draft.missing() if draft is not None else None
    asked = turn.asked
    if draft is not None and field is not None and isinstance(asked, AskedBooking):
        changed = _with_when_changed(turn, draft, draft, asked.field)
        if changed != draft:
            rotation = turn.record(f"booking:{asked.field}")
            turn.outcome.answered.append(BOOKING)
            lead = turn.brain.replies.text("booking_noted", rotation, noted=changed.when)
            _carry_on(turn, changed, lead, rotation)
            return
    if draft is None or field is None or turn.asked_now == AskedBooking(field).pack():
        return  # "installments? sat morning ok?": the request's part asked it already
    turn.say(turn.brain.replies.text(f"booking_ask_{field}", turn.history.counts.get(BOOKING, 0)))
    turn.ask(AskedBooking(field))


def cancel(turn: Turn) -> None:
    """The patient called the request off before it was sent: nothing goes anywhere."""
    turn.state.booking = {}
    turn.state_changed = True
    turn.ask(None)
    turn.say(turn.brain.replies.text("booking_cancelled", turn.patient.id))
    log.info("patient=%s booking cancelled before sending", turn.patient.id)


def answer_proposal(turn: Turn, request_id: int, accepted: bool) -> None:
    """The patient answered a time the front desk proposed (confirmed when it is stored)."""
    turn.outcome.intent = BOOKING
    turn.writes.append(AnswerProposal(request_id, accepted))
    if not accepted:
        turn.say(turn.brain.replies.text("booking_proposal_declined", request_id))
    log.info("patient=%s proposal request=%s accepted=%s", turn.patient.id, request_id, accepted)


def when_said(details: dict[str, str]) -> str:
    """The day and time the patient gave, as understood: "Tue 1 Dec, afternoon", "any
    weekday, after 17:00" (a pinned date is named with its weekday)."""
    day, time = details.get("day", ""), details.get("time", "")
    pinned = details.get("date")
    if not day and details.get("weekdays"):  # "wednesdays 12 to 2 im free": any of them
        day = " or ".join(f"{weekday}s" for weekday in details["weekdays"].split(","))
    if pinned:
        date = dt.date.fromisoformat(pinned)
        day = f"{date:%a} {date.day} {date:%b}"
    elif time and time in day:
        time = ""  # "wednesday afternoon" says the part of the day already
    return ", ".join(part for part in (day, time) if part)


#: Details a patient may tell while a request waits on another question ("upper right, hurts
#: when i chew", "they're 6 and 9"): noted and said back, then the question again.
_TOLD_BESIDE = ("area", "tooth", "symptom", "age", "who")


def _carry_on(turn: Turn, draft: BookingDraft, lead: str, rotation: int) -> None:
    """Ask the next question, or send the request when nothing is missing (a day or hour we
    are closed is said so, and asked again)."""
    closed = _closed_then(turn, draft, rotation)
    if closed:
        draft = replace(draft, when="", when_said="", wished_at="")
        lead = f"{lead} {closed}".strip()
    field = draft.missing()
    if field is None:
        _submit(turn, draft, rotation)
        return
    turn.state.booking = asdict(draft)
    turn.state_changed = True
    turn.ask(AskedBooking(field))
    question = turn.brain.replies.text(f"booking_ask_{field}", rotation)
    after = "\n" if "\n" in lead else " "  # a list (our hours) ends on its own line
    turn.say(f"{lead}{after}{question}".strip())


#: The clock times in a request's "when": "after 17:00", "between 12:00 and 14:00".
_CLOCK_SAID = re.compile(r"\b(\d{2}):(\d{2})\b")


def _closed_then(turn: Turn, draft: BookingDraft, rotation: int) -> str:
    """What to tell when the days this message wishes are all days we are closed ("sunday at
    10"), or its hour is outside the hours of every such day ("saturday at 4pm"); else ""."""
    weekdays = [day for day in turn.details.get("weekdays", "").split(",") if day]
    if not weekdays or draft.when in ("", SKIPPED) or draft.urgency == "urgent":
        return ""
    clinic, replies = turn.brain.knowledge.clinic, turn.brain.replies
    hours = {day: hours_on(clinic, day) for day in weekdays}
    open_days = {day: each for day, each in hours.items() if each is not None}
    if not open_days:
        closed = " or ".join(day.capitalize() for day in weekdays)
        return replies.text("booking_closed_day", rotation, noted=closed)
    wished = turn.details.get("time", "")
    if all(_outside(wished, opens, closes) for opens, closes in open_days.values()):
        return replies.text("booking_closed_hour", rotation, noted=_hours_said(open_days))
    return ""


def _hours_said(open_days: dict[str, tuple[str, str]]) -> str:
    """ "Monday–Friday 08:00–19:00, Saturday 09:00–14:00": days with the same hours together."""
    groups: dict[tuple[str, str], list[str]] = {}
    for day, hours in open_days.items():
        groups.setdefault(hours, []).append(day)
    said = []
    for (opens, closes), days in groups.items():
        first, last = WEEKDAYS.index(days[0]), WEEKDAYS.index(days[-1])
        in_a_row = len(days) > 2 and last - first == len(days) - 1
        names = [day.capitalize() for day in days]
        listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        named = f"{names[0]}–{names[-1]}" if in_a_row else listed
        said.append(f"{named} {opens}–{closes}")
    return ", ".join(said)


def _outside(wished: str, opens: str, closes: str) -> bool:
    """Whether an hour wished ("15:00", "after 17:00", "between 12:00 and 14:00") falls
    wholly outside the day's hours."""
    times = [f"{hour}:{minute}" for hour, minute in _CLOCK_SAID.findall(wished)]
    if not times:
        return False
    if wished.startswith("after"):
        return times[0] >= closes
    if wished.startswith("before"):
        return times[0] <= opens
    if wished.startswith("between") and len(times) == 2:
        return times[1] <= opens or times[0] >= closes
    return times[0] < opens or times[0] >= closes


def _submit(turn: Turn, draft: BookingDraft, rotation: int) -> None:
    """The request is complete: it goes to the front desk; say honestly what happens next."""
    turn.writes.append(
        SubmitBooking(
            NewRequest(
                service=_kept(draft.what),
                wishes=draft.when_said or _kept(draft.when),
                wishes_understood=_kept(draft.when),
                new_or_returning=_kept(draft.returning),
                name=_kept(draft.name),
                phone="" if draft.phone in (SKIPPED, NO_CALL) else draft.phone,
                urgency=draft.urgency,
                kind=draft.kind,
                wished_at=draft.wished_at,
            )
        )
    )
    turn.state.booking = {}
    turn.state.details[LAST_KIND] = draft.kind
    if draft.kind != "cancel" and draft.when and draft.when != SKIPPED:
        turn.state.details[LAST_WISHED] = draft.when
    if draft.kind == RESCHEDULE:
        turn.state.details[LAST_MOVED] = draft.what
    turn.state_changed = True
    turn.ask(None)
    _open_topic(turn, draft)
    turn.outcome.intent = BOOKING if draft.kind == "new" else RESCHEDULE
    replies = turn.brain.replies
    summary = _said_back(turn, draft)
    desk = desk_hours(turn.brain.knowledge.clinic, turn.now)
    if draft.kind == "cancel":
        turn.say(replies.text("booking_cancel_sent", rotation))
    elif desk.is_open:
        key = "booking_sent_urgent" if draft.urgency == "urgent" else "booking_sent"
        turn.say(replies.text(key, rotation, noted=summary))
    elif desk.opens:
        key = "booking_sent_urgent_closed" if draft.urgency == "urgent" else "booking_sent_closed"
        turn.say(replies.text(key, rotation, noted=summary, opens=desk.opens))
    else:
        turn.say(replies.text("booking_sent_no_hours", rotation, noted=summary))
    log.info("patient=%s booking request sent urgency=%s", turn.patient.id, draft.urgency)


def _only_new(after: BookingDraft, before: BookingDraft) -> BookingDraft:
    """The answers a message added to the request, to say back."""
    added = {
        name: getattr(after, name)
        for name in FIELDS
        if getattr(after, name) != getattr(before, name)
    }
    return BookingDraft(**added)


def _open_topic(turn: Turn, draft: BookingDraft) -> None:
    """The service booked stays the topic ("does it hurt?" is about it); else booking."""
    service = turn.brain.replies.has_service(draft.what)
    turn.open_topic(draft.what if service else BOOKING)


def _kept(value: str) -> str:
    return "" if value == SKIPPED else value


def _topic_service(turn: Turn) -> str:
    """What the visit is for: a service this message names ("book a cleaning", even right
    after talking of whitening), else the one the patient is talking about, if any."""
    has_service = turn.brain.replies.has_service
    kept = _LEFT_OUT.sub(" ", turn.text)  # "ill skip the xray for now. can i come wed"
    named = turn.brain.facets.names_topics(kept, affirmed=True)
    service = next((each for each in named if has_service(each)), None)
    if service is not None:
        return service
    topic = turn.topic
    if kept != turn.text and topic in turn.brain.facets.names_topics(turn.text):
        topic = turn.state.details.get(TALKED_ABOUT_BEFORE)  # the X-ray left out: the check-up
    if topic is not None and has_service(topic):
        return topic
    about = turn.state.details.get(ASKED_ABOUT) if topic not in (None, BOOKING) else None
    if about is not None and has_service(about):
        return about  # "can we do monday 4:30" after the implant, then the sunday hours
    match = turn.match
    if match is not None and match.intent and turn.brain.replies.has_service(match.intent):
        return match.intent
    return _problem_told(turn)


def _problem_told(turn: Turn) -> str:
    """The problem the patient told about while it is the subject ("my tooth broke" and then
    "can you fix it tomorrow"): "a problem with a tooth (broken, upper front)"."""
    if turn.topic not in _PROBLEM_TOPICS:
        return ""
    told = [turn.state.details.get(key, "") for key in ("symptom", "area", "tooth")]
    had = turn.state.details.get(TREATMENT) if turn.topic == "aftercare" else None
    if had is not None:
        told.insert(0, f"after {turn.brain.replies.label(had)}")  # "(after a denture, pain)"
    said = ", ".join(dict.fromkeys(part for part in told if part))
    return f"{PROBLEM} ({said})" if said else ""


def _read_everything(turn: Turn, draft: BookingDraft) -> BookingDraft:
    """Fill every gap this message answers in passing ("a cleaning on Tuesday, I'm Anna")."""
    found: dict[str, str] = {}
    text = turn.text
    if not draft.what:
        found["what"] = _topic_service(turn)
    if not draft.when:
        found["when"] = _when(turn) or ""
        if found["when"]:
            found["when_said"] = text.strip()[:200]
            found["wished_at"] = _wished_at(turn)
    if not draft.returning:
        found["returning"] = booking_text.new_or_returning(text) or ""
    if not draft.name:
        found["name"] = booking_text.name_said(text) or ""
    if not draft.phone:
        found["phone"] = booking_text.phone_said(text) or ""
    return replace(draft, **{name: value for name, value in found.items() if value})


def _name_beside(turn: Turn) -> str:
    """A name given beside the answer, in a clause of its own ("first time, Derek Nguyen")."""
    clauses = [part for part in re.split(r"[,;]|\.\s|\s+and\s+", turn.text) if part.strip()]
    if len(clauses) < 2:
        return ""
    for clause in clauses:
        said = extract_details(clause, turn.today)
        if said.keys() & {"day", "time", "date"} or booking_text.new_or_returning(clause):
            continue
        if booking_text.phone_said(clause) or turn.brain.facets.names_topic(clause):
            continue
        name = booking_text.name_answer(clause)
        if name:
            return name
    return ""


def _name_unasked(turn: Turn, draft: BookingDraft) -> str | None:
    """A name sent alone before it was asked for, if the request has none yet."""
    if draft.name or turn.details.keys() & {"day", "time", "date"}:
        return None
    if turn.brain.facets.names_topic(turn.text):
        return None
    return booking_text.name_unasked(turn.text)


def _read(turn: Turn, field: str) -> str | None:
    """The answer to one question of the request, or None if it doesn't answer it."""
    text = turn.text
    if field == "what":
        service = _topic_service(turn)
        if service:
            return service
        if {"day", "time", "date"} & turn.details.keys() or is_question(text):
            return None  # a day is no reason for the visit, nor is a question
        if booking_text.yes_or_no(text):
            return None  # "no" is no reason for the visit
        words = text.strip()
        return words[:120] if words and len(words.split()) <= 15 else None
    if field == "when":
        return _when(turn)
    if field == "returning":
        return booking_text.new_or_returning(text, asked=True)
    if field == "name":
        if "day" in turn.details or "time" in turn.details:
            return None  # "tomorrow" is no name
        return booking_text.name_answer(text)
    if field == "phone":
        phone = booking_text.phone_said(text)
        if phone:
            return phone
        if booking_text.wants_no_call(text):
            return NO_CALL
        return None
    return None


def _when(turn: Turn) -> str | None:
    """The days and times wished, as understood, or None."""
    said = when_said({**day_told_before(turn), **turn.details})
    if said:
        return said
    if booking_text.quiet_time_asked(turn.text):
        return QUIET_TIME  # "which day is quietest?": the front desk knows
    if booking_text.as_soon_as_possible(turn.text):
        return "as soon as possible"
    return None


def _when_told_earlier(turn: Turn) -> str:
    """The days and times told earlier in this conversation ("hi, im free on fridays, do you
    do cleanings"), for a request asked for without any ("ok book me in then")."""
    if turn.topic is None or turn.details.keys() & _WHEN_KEYS:
        return ""
    told = {key: turn.state.details[key] for key in _WHEN_KEYS if key in turn.state.details}
    if told.get("date", "9999") < turn.today.isoformat():
        return ""  # a date gone by is no wish
    days = [day for day in told.get("weekdays", "").split(",") if day]
    clinic = turn.brain.knowledge.clinic
    if days and all(hours_on(clinic, day) is None for day in days):
        return ""  # "are you open sundays?" ... "ok book me in then": not for a closed day
    return when_said(told)


_WHEN_KEYS = frozenset({"day", "weekdays", "date", "time"})


def day_told_before(turn: Turn) -> dict[str, str]:
    """The date wished earlier in this conversation ("could she be seen tomorrow?"), when
    this message gives only the hour ("anything after 4:30"); a past date is no wish."""
    if turn.topic is None or not _hour_alone(turn):
        return {}
    date = turn.state.details.get("date", "")
    if date:
        return {"date": date} if date >= turn.today.isoformat() else {}
    said: dict[str, str] = {
        key: turn.state.details[key] for key in ("day", "weekdays") if key in turn.state.details
    }
    return said if _DAY_SAID.search(said.get("day", "")) else {}  # "can she come wednesday?"


def _hour_alone(turn: Turn) -> bool:
    """Whether the message gives an hour and no day ("any time after 2")."""
    return "time" in turn.details and not _DAYS_KEYS & turn.details.keys()


def _wished_at(turn: Turn) -> str:
    """ "2026-12-01T15:00" when the message names a date and an exact time, else ""."""
    date, time = turn.details.get("date", ""), turn.details.get("time", "")
    if date and re.fullmatch(r"\d{2}:\d{2}", time):
        return f"{date}T{time}"
    return ""


def _noted_for(turn: Turn, field: str, value: str) -> str:
    """One answer as said back: "first visit", "Anna Kowalska", "no call, reply here"."""
    if field == "returning":
        return _RETURNING_SAID.get(value, value)
    if field == "phone":
        return "you'd rather we write here" if value == NO_CALL else f"we'll call {value}"
    if field == "what":
        return turn.brain.replies.label(value)
    return value


def _said_back(turn: Turn, draft: BookingDraft) -> str:
    """What the request says so far, for the patient: "a cleaning, Tue 1 Dec, Anna"."""
    parts = [
        turn.brain.replies.label(draft.what) if draft.what and draft.what != SKIPPED else "",
        draft.when if draft.when != SKIPPED else "",
        _RETURNING_SAID.get(draft.returning, "") if draft.kind == "new" else "",
        draft.name if draft.name != SKIPPED else "",
        f"phone {draft.phone}" if draft.phone not in ("", SKIPPED, NO_CALL) else "",
    ]
    if _BOOKED_FOR in parts[0] and parts[1]:
        parts[:2] = [f"{parts[0]} to {parts[1]}"]  # "move the appointment booked for monday to"
    return ", ".join(part for part in parts if part)
