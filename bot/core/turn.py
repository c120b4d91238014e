"""One turn of a conversation: what the core knows going in, and what it decided.

A turn is loaded once (the patient, the conversation state, what they asked before, an open
case, the offers they have seen), the router and a flow decide on it without touching the
store, and `commit` writes what they decided in the turn's unit of work. The manager's preview
runs the same router and flows on a new patient and simply never commits.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from bot.core.brain import Brain
from bot.core.outcome import Choice, Outcome
from bot.core.pending import Asked, ChoiceValue, PendingStep, unpack_asked, unpack_step
from bot.details import BOTH_JAWS
from bot.matcher import Match
from bot.store import ConversationState, NewRequest, Patient

#: The detail that says which service a practical subject is about ("payment plans for
#: implants": implants); on the customer card as "asked_about".
ASKED_ABOUT = "asked_about"
#: The service the patient's count of teeth is about ("probably 6" while on veneers); a price
#: asked on that service later is for that many. On the customer card as "counted_for".
COUNTED_FOR = "counted_for"
#: The treatment talked about before the current one ("and total for both?" prices the two).
TALKED_ABOUT_BEFORE = "talked_about_before"
#: An emergency was just handed to a person: a plea that follows ("please what do i do") goes
#: to a person again.
HANDED_OVER = "handed_over"
#: When the last request sent to the front desk wished to come ("Wed 2 Dec, morning"): a
#: change to "thursday instead, same time" keeps the morning.
LAST_WISHED = "last_wished"
#: What the last request sent was: "new", "reschedule" or "cancel" ("can i move my cleaning to
#: the weekend", then "sunday would be ideal": the move again, not a new visit).
LAST_KIND = "last_kind"
#: The visit the last move request was about ("move the appointment booked for Mon 30 Nov,
#: 11:00"): a move sent again in its place ("ok thursday 9am works") still says which visit.
LAST_MOVED = "last_moved"
#: What the bot keeps for itself among the details: not shown on a case card.
BOOKKEEPING = frozenset({TALKED_ABOUT_BEFORE, HANDED_OVER, LAST_WISHED, LAST_KIND, LAST_MOVED})
#: Numbing and sedation: asked about during a treatment, they are that treatment's pain facet.
COMFORT_TOPICS = frozenset({"anesthesia", "sedation"})


@dataclass(frozen=True)
class RecordIncoming:
    """Keep the patient's message (with what it was matched to, if anything)."""

    text: str
    intent: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class RecordMatch:
    """Remember what the patient asked about (the unmatched report and wording rotation)."""

    label: str
    score: float


@dataclass(frozen=True)
class OpenCase:
    """Hand the conversation to a person."""

    reason: str


@dataclass(frozen=True)
class MarkOffer:
    """A "new in our clinic" item was shown: mark it on the patient's card."""

    offer_id: str


@dataclass(frozen=True)
class OptOut:
    """Withdraw every consent."""


@dataclass(frozen=True)
class OptIn:
    """Allow messages again."""


@dataclass(frozen=True)
class GrantConsent:
    """Record consent to one kind of reminder: whether, when, by which channel, in what words."""

    kind: str
    channel: str
    wording: str


@dataclass(frozen=True)
class Erase:
    """Erase the patient's data (always the last write of a turn)."""


@dataclass(frozen=True)
class SubmitBooking:
    """Send a completed booking request to the front desk."""

    request: NewRequest


@dataclass(frozen=True)
class AnswerProposal:
    """The patient accepted (or not) a time the front desk proposed for a request."""

    request_id: int
    accepted: bool


Write = (
    RecordIncoming
    | RecordMatch
    | OpenCase
    | MarkOffer
    | OptOut
    | OptIn
    | GrantConsent
    | Erase
    | SubmitBooking
    | AnswerProposal
)


@dataclass
class History:
    """What the patient asked about before: how often, and when last."""

    counts: dict[str, int] = field(default_factory=dict)
    last_asked: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass
class Turn:
    """The inputs of one turn and the decisions taken on it."""

    brain: Brain
    patient: Patient
    state: ConversationState
    now: dt.datetime
    today: dt.date
    topic_quiet: dt.timedelta
    open_case: int | None = None
    offers_seen: frozenset[str] = frozenset()
    history: History = field(default_factory=History)
    text: str = ""
    match: Match | None = None
    details: dict[str, str] = field(default_factory=dict)
    outcome: Outcome = field(default_factory=Outcome)
    writes: list[Write] = field(default_factory=list)
    patient_changes: dict[str, object] = field(default_factory=dict)
    state_changed: bool = False
    #: What the bot asked in this turn's messages so far (packed), None before it asks.
    asked_now: str | None = None
    #: The whole clinic's brain, when `brain` is one branch's (see `bot.branches`).
    clinic_brain: Brain | None = None
    #: The message is answered again after the patient named their branch: already recorded.
    replaying: bool = False

    @property
    def clinic(self) -> Brain:
        """The whole clinic's brain, with every branch's."""
        return self.clinic_brain or self.brain

    def trial(self, brain: Brain) -> Turn:
        """A copy of this turn answered by another brain, to see what it would say; the
        copy's decisions are never committed."""
        return dataclasses.replace(
            self,
            brain=brain,
            state=copy.deepcopy(self.state),
            history=copy.deepcopy(self.history),
            details=dict(self.details),
            outcome=Outcome(),
            writes=[],
            patient_changes={},
        )

    @property
    def topic(self) -> str | None:
        """The subject the patient is talking about, unless it has gone quiet."""
        return self.state.current_topic(self.now, self.topic_quiet)

    @property
    def asked(self) -> Asked | None:
        """What the bot last asked and is waiting to hear."""
        return unpack_asked(self.state.asked)

    @property
    def pending_step(self) -> PendingStep | None:
        """The step the patient is in the middle of (a confirmation, a consent)."""
        return unpack_step(self.patient.pending_step)

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        """Add a message for the patient."""
        self.outcome.say(text, choices)

    def record(self, label: str, score: float = 1.0) -> int:
        """Remember what was asked; returns how often before (to rotate the wording)."""
        before = self.history.counts.get(label, 0)
        self.history.counts[label] = before + 1
        self.writes.append(RecordMatch(label, score))
        return before

    def asked_before(self, label: str, within: dt.timedelta) -> bool:
        """Whether the patient asked this already, not longer ago than `within`."""
        last = self.history.last_asked.get(label)
        return last is not None and self.now - last <= within

    def update_patient(self, **fields: object) -> None:
        """Change the patient's conversation fields (seen at once, stored at commit)."""
        if "pending_choices" in fields:
            fields["pending_choices"] = tuple(fields["pending_choices"] or ())  # type: ignore[arg-type]
        self.patient_changes.update(fields)
        self.patient = dataclasses.replace(self.patient, **fields)  # type: ignore[arg-type]

    def wait_for(self, step: PendingStep | None, choices: tuple[Choice, ...] = ()) -> None:
        """The patient's next message or button answers this step (or one of these choices)."""
        self.update_patient(
            pending_step=step.pack() if step else None,
            pending_choices=[choice.value for choice in choices],
        )

    def ask(self, asked: Asked | None) -> None:
        """The bot asked this (None: nothing) and reads the next message as the answer."""
        self.state.asked = asked.pack() if asked is not None else None
        self.asked_now = self.state.asked
        self.state_changed = True

    def open_topic(self, topic: str, about: str | None = None) -> None:
        """The patient is now talking about this (a practical subject `about` a service:
        "payment plans for implants"; the service is kept only while the subject is)."""
        same = topic == self.topic
        has_service = self.brain.replies.has_service
        kept = self.topic if self.topic and has_service(self.topic) else None
        # The treatment weighed before this one, kept through a practical question in between
        # ("how long does an implant last", "your warranty?", "how about a bridge"): "the first
        # option" and "total for both" mean it.
        previous = kept or (self.state.details.get(ASKED_ABOUT) if self.topic else None)
        if about is None and not same and not has_service(topic):
            about = previous  # "i have cigna", then "where are you": still about the cleaning
        if not same and has_service(topic) and previous and previous != topic:
            self.state.details[TALKED_ABOUT_BEFORE] = previous
        elif not same and has_service(topic) and previous is None:
            self.state.details.pop(TALKED_ABOUT_BEFORE, None)
        if self.topic is None or self.state.details.get(COUNTED_FOR) != topic:
            self.state.details.pop(COUNTED_FOR, None)  # a count is of the subject it was told on
        self.state.open_topic(topic, self.now)
        if about is not None:
            self.state.details[ASKED_ABOUT] = about
        elif not same:
            self.state.details.pop(ASKED_ABOUT, None)
        self.state_changed = True

    def back_to_the_other_option(self) -> None:
        """ "And the first option, does it hurt?": the treatment weighed before is the topic
        again (and the current one becomes the one before)."""
        before = self.state.details.get(TALKED_ABOUT_BEFORE)
        if before and self.topic and before != self.topic:
            self.open_topic(before)

    def note(self, details: dict[str, str]) -> None:
        """Keep details the patient gave."""
        if details:
            self.state.details.update(details)
            if "quantity" in details:
                self._count_told(details["quantity"])
            self.state_changed = True

    def _count_told(self, quantity: str) -> None:
        """Remember which service a count is of: the one its noun names ("2 implants"), else
        the service being talked about ("I need 3")."""
        has_service = self.brain.replies.has_service
        noun = quantity.partition(" ")[2]
        named = self.brain.facets.names_topic(noun) if noun else None
        unnamed = named is None and (noun == "" or noun.split()[-1] in {"tooth", "teeth"})
        counted = self.topic if unnamed else named  # "2 missing teeth": the topic's
        if counted is not None and has_service(counted):
            self.state.details[COUNTED_FOR] = counted
        else:
            self.state.details.pop(COUNTED_FOR, None)

    def service_named(self) -> str | None:
        """The first service the message names (not denied) with facts to tell, if any:
        "move my whitening appointment", "payment plans for implants"."""
        named = self.brain.facets.names_topics(self.text, affirmed=True)
        return next((name for name in named if self.brain.replies.has_facets(name)), None)

    def count_told(self, service: str) -> int | None:
        """How many teeth the patient said the service is for, when they said it on it."""
        if self.state.details.get(COUNTED_FOR) != service or service != self.topic:
            return None
        count = self.state.details.get("quantity", "").partition(" ")[0]
        return int(count) if count.isdigit() else None

    def counted_by_the_unit(self, service: str) -> bool:
        """Whether a service is priced by the tooth or jaw, so a count multiplies it: "2
        implants" do, "all 4" said of braces (a course, every part per visit) does not."""
        knowledge = self.brain.knowledge
        bundle = knowledge.bundle_of(service)
        if bundle is None or not self.brain.replies.has_service(service):
            return False
        return any(knowledge.components[part].per == "tooth" for part in bundle.parts)

    def jaws_told(self, service: str) -> int | None:
        """Two when the patient said both jaws ("top and bottom") of a service priced per jaw."""
        bundle = self.brain.knowledge.bundle_of(service)
        if bundle is None or bundle.unit != "jaw":
            return None
        told_now = self.details.get("area") == BOTH_JAWS
        told_on_it = service == self.topic and self.state.details.get("area") == BOTH_JAWS
        return 2 if told_now or told_on_it else None


def choice(label: str, value: ChoiceValue) -> Choice:
    """A button with a typed value."""
    return Choice(label, value.pack())
