"""The transport-free core: an incoming message -> the messages to send and the effects."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.details import extract_details, is_question, split_questions
from bot.facets import FacetMatcher
from bot.loader import Knowledge
from bot.matcher import IntentMatcher, Match
from bot.models import HANDOFF_INTENTS, IntentKind
from bot.replies import ReplyBook
from bot.store import ConversationState, Patient, Store, utc_now
from bot.text import mostly_words

log = logging.getLogger(__name__)

NOT_UNDERSTOOD = "not_understood"
#: What a message that also reads as a follow-up must still be taken as.
NEVER_A_FOLLOW_UP = frozenset(HANDOFF_INTENTS) - {"aftercare"}
#: Small talk is never an answer to the bot's question.
SMALL_TALK = frozenset({"greeting", "thanks", "goodbye"})
BOOKING = "booking"
OFF_TOPIC = "off_topic"
UPSET = "upset"
#: What the bot last asked: the patient's real problem with a service, or a day for a visit.
ASKED_PROBLEM = "problem:"
ASKED_DAY = "day"
#: How each detail a patient gave is said back to them.
NOTED = {
    "day": "{}",
    "age": "age {}",
    "who": "for your {}",
    "tooth": "the tooth {}",
    "symptom": "{}",
}
#: A topic is forgotten after this long without a message (TOPIC_MINUTES).
TOPIC_QUIET = dt.timedelta(minutes=30)
MISUNDERSTANDINGS_BEFORE_HANDOFF = 2
CHOICE_PERSON = "person"
YES_WORDS = frozenset(
    [
        "yes",
        "y",
        "yeah",
        "yep",
        "sure",
        "confirm",
        "ok",
        "okay",
        "delete",
        "erase",
        "da",
    ]
)
NO_WORDS = frozenset(["no", "n", "nope", "cancel", "keep", "stop", "dont"])
#: What a patient can always ask of the bot itself, even while a person has the conversation.
PATIENT_RIGHTS_INTENTS = frozenset({"opt_out", "forget_me"})
REMINDER_CHOICES = {
    "appointment": "Appointment reminders",
    "hygiene": "My next cleaning",
    "checkup": "The free six-month check-up",
}
START_WORDS = frozenset({"start", "/start", "resume", "subscribe", "unstop"})


@dataclass(frozen=True)
class Choice:
    """A button or numbered option: what the patient sees and what it means."""

    label: str
    value: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One message for the patient."""

    text: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class HandoffOpened:
    """A case was opened (or an open case got a new reason to look at it)."""

    case_id: int
    reason: str
    new: bool


@dataclass(frozen=True)
class RelayedToStaff:
    """The patient wrote during an open case; the staff should see it."""

    case_id: int
    text: str


@dataclass(frozen=True)
class OfferShown:
    """A "new in our clinic" item was shown and marked on the patient's card."""

    offer_id: str


@dataclass(frozen=True)
class OptedOut:
    """The patient withdrew every consent."""


@dataclass(frozen=True)
class OptedIn:
    """The patient allowed messages again."""


@dataclass(frozen=True)
class DataErased:
    """The patient's data was erased; an open case, if any, is named, and every case shown."""

    case_id: int | None
    all_case_ids: tuple[int, ...] = ()


Effect = HandoffOpened | RelayedToStaff | OfferShown | OptedOut | OptedIn | DataErased


@dataclass
class Outcome:
    """What the core decided: messages to send, in order, and what happened."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    intent: str | None = None
    facet: str | None = None
    answered: list[str] = field(default_factory=list)

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        """Add a message."""
        self.messages.append(OutgoingMessage(text, choices))


@dataclass(frozen=True)
class Brain:
    """The loaded data with its trained matcher and reply book: swapped as one on reload."""

    knowledge: Knowledge
    matcher: IntentMatcher
    replies: ReplyBook
    facets: FacetMatcher

    @classmethod
    def build(cls, knowledge: Knowledge) -> Brain:
        """Train the matchers and prepare the replies."""
        return cls(
            knowledge,
            IntentMatcher(knowledge),
            ReplyBook.build(knowledge),
            FacetMatcher(knowledge),
        )


class FrontDesk:
    """Decides what to say to a patient; adapters only deliver it."""

    def __init__(
        self,
        brain: Brain,
        store: Store,
        timezone: str = "",
        topic_quiet: dt.timedelta = TOPIC_QUIET,
    ) -> None:
        self.brain = brain
        self.store = store
        self._timezone_override = timezone
        self.topic_quiet = topic_quiet

    def replace_brain(self, brain: Brain) -> None:
        """Swap in freshly loaded data at once (live reload)."""
        self.brain = brain

    @property
    def timezone(self) -> ZoneInfo:
        """The clinic's time zone (the TIMEZONE setting wins over clinic.yaml)."""
        return ZoneInfo(self._timezone_override or self.brain.knowledge.clinic.timezone)

    def today(self) -> dt.date:
        """Today's date at the clinic."""
        return utc_now().astimezone(self.timezone).date()

    async def handle_text(
        self,
        external_id: str,
        text: str,
        display_name: str | None = None,
        chat_id: int | None = None,
    ) -> Outcome:
        """A patient wrote something."""
        patient = await self.store.patients.get_or_create(external_id, display_name, chat_id)
        outcome = await self._handle_text(patient, text)
        await self._remember_replies(patient, outcome)
        return outcome

    async def handle_choice(
        self,
        external_id: str,
        value: str,
        display_name: str | None = None,
        chat_id: int | None = None,
    ) -> Outcome:
        """A patient pressed a button (or typed the number of a choice)."""
        patient = await self.store.patients.get_or_create(external_id, display_name, chat_id)
        outcome = await self._handle_choice(patient, value)
        await self._remember_replies(patient, outcome)
        return outcome

    async def _remember_replies(self, patient: Patient, outcome: Outcome) -> None:
        """Keep what the bot said, for the case card (not after the patient was erased)."""
        if any(isinstance(effect, DataErased) for effect in outcome.effects):
            return
        await self.store.conversations.record_replies(
            patient.id, [message.text for message in outcome.messages]
        )

    async def _handle_text(self, patient: Patient, text: str) -> Outcome:
        outcome = Outcome()
        words = text.strip().lower().strip(".!")
        if patient.pending_step == "forget_me_confirm":
            if words in YES_WORDS:
                return await self._erase(patient)
            if words in NO_WORDS:
                return await self._forget_me_cancelled(patient)
        case = await self.store.cases.open_for_patient(patient.id)
        if case is not None:
            return await self._during_case(patient, case.id, text, outcome)
        if patient.pending_step and patient.pending_step.startswith("consent:"):
            kind = patient.pending_step.removeprefix("consent:")
            if words in YES_WORDS or words in NO_WORDS:
                answer = "yes" if words in YES_WORDS else "no"
                return await self._handle_choice(patient, f"consent:{kind}:{answer}")
        if patient.pending_choices and words.isdigit():
            index = int(words) - 1
            if 0 <= index < len(patient.pending_choices):
                return await self._handle_choice(patient, patient.pending_choices[index])
        if words in START_WORDS and patient.opted_out:
            return await self._opt_in(patient)
        if words in {"/start", "start", "/help"}:
            return await self._answer(patient, "greeting", 1.0, outcome)
        match = self.brain.matcher.match(text)
        log.info("patient=%s intent=%s score=%.2f", patient.id, match.intent, match.score)
        await self.store.conversations.record_message(
            patient.id, "in", text, match.intent, match.score
        )
        if match.upset and not match.safety and match.intent not in PATIENT_RIGHTS_INTENTS:
            return await self._calm(patient, outcome)
        state = await self.store.state.load(patient.id)
        topic = state.current_topic(utc_now(), self.topic_quiet)
        if topic is not None and state.asked and self._reads_as_answer(text, match, state.asked):
            return await self._answer_to_question(patient, state, topic, text, outcome)
        several = self._several_questions(text, match, topic)
        if len(several) > 1:
            return await self._answer_several(patient, state, several, outcome)
        asked = self._facet_asked(text, match, topic)
        if asked is not None:
            return await self._answer_facet(patient, state, *asked, outcome)
        if match.intent is not None and match.ambiguous:
            return await self._did_you_mean(patient, match)
        if match.intent is None and self._is_acknowledgement(text):
            turn = int(utc_now().timestamp())  # any rotation will do for a one-liner
            outcome.say(self.brain.replies.text("acknowledged", turn))
            return outcome
        if match.intent is None and match.off_topic and self._in_words_we_know(text):
            # Not a misunderstanding: a question for someone else. Never a case for the staff.
            turn = await self.store.conversations.record_match(patient.id, OFF_TOPIC, match.score)
            outcome.intent = OFF_TOPIC
            outcome.say(self.brain.replies.text(OFF_TOPIC, turn))
            return outcome
        if match.intent is None:
            return await self._not_understood(patient, outcome)
        return await self._answer(patient, match.intent, match.score, outcome)

    def _facet_asked(self, text: str, match: Match, topic: str | None) -> tuple[str, str] | None:
        """(service, facet) when a message asks one side of a service, named or current.

        "does it hurt" is about the current topic; "does getting a filling hurt" about
        fillings, whatever the classifier thinks; a first "how much is a crown" gets the
        crown's whole script instead, and so does anything naming a service without a facet.
        """
        if match.safety:
            return None
        # An emergency, a complaint or asking for a person always wins. "Can I eat after?"
        # while talking about a treatment is about that treatment, not about one just had.
        if match.intent in NEVER_A_FOLLOW_UP or match.intent in PATIENT_RIGHTS_INTENTS:
            return None
        facet = self.brain.facets.match(text).facet
        if facet is None:
            return None
        has_facets = self.brain.replies.has_facets
        named = self.brain.facets.names_topic(text)
        if named is not None:
            if has_facets(named) and (named == topic or match.intent != named):
                return named, facet
            return None
        if topic is not None and has_facets(topic):
            return topic, facet
        return None

    async def _understood(self, patient: Patient) -> None:
        """The patient was understood: no misunderstanding streak, no stale choices."""
        if patient.misunderstood_streak or patient.pending_choices:
            await self.store.patients.update(
                patient.id, misunderstood_streak=0, pending_choices=None
            )

    async def _calm(self, patient: Patient, outcome: Outcome) -> Outcome:
        """An upset patient: an apology and the offer of a person; no script, no offer."""
        turn = await self.store.conversations.record_match(patient.id, UPSET, 1.0)
        person = self._person_choice()
        await self.store.patients.update(patient.id, pending_choices=[person.value])
        outcome.intent = UPSET
        outcome.say(self.brain.replies.text(UPSET, turn), (person,))
        log.info("patient=%s upset: apology and a person offered", patient.id)
        return outcome

    def _several_questions(
        self, text: str, match: Match, topic: str | None
    ) -> list[tuple[str, str | None]]:
        """(intent, facet) of each question in a message that asks more than one."""
        if match.safety or match.intent in NEVER_A_FOLLOW_UP:
            return []
        clauses = split_questions(text)
        if len(clauses) < 2:
            return []
        asked: list[tuple[str, str | None]] = []
        for clause in clauses:
            found = self.brain.matcher.match(clause)
            if found.safety:
                return []  # safety overrides everything: the whole message is handled as one
            facet = self._facet_asked(clause, found, topic)
            question: tuple[str, str | None] | None = facet
            if (
                question is None
                and found.intent is not None
                and not found.ambiguous
                and found.intent not in HANDOFF_INTENTS
                and found.intent not in SMALL_TALK
            ):
                question = (found.intent, None)
            if question is not None and question[1] == "price" and (question[0], None) in asked:
                continue  # the service's whole answer already names every part and the total
            if question is not None and question not in asked:
                asked.append(question)
                if self.brain.replies.has_service(question[0]):
                    topic = question[0]
        return asked

    async def _answer_several(
        self,
        patient: Patient,
        state: ConversationState,
        questions: list[tuple[str, str | None]],
        outcome: Outcome,
    ) -> Outcome:
        """Answer every question, in the order asked; no offer in a reply this full."""
        replies = self.brain.replies
        for intent, facet in questions:
            turn = await self.store.conversations.record_match(
                patient.id, f"{intent}.{facet}" if facet else intent, 1.0
            )
            if facet is not None:
                text = replies.facet(intent, facet, turn)
            elif replies.has_service(intent):
                text = replies.service(intent, turn)
            elif intent in self.brain.knowledge.replies:
                text = replies.text(intent, turn)
            else:
                continue
            if text:
                outcome.say(text)
                outcome.answered.append(intent)
            if replies.has_service(intent):
                state.open_topic(intent, utc_now())
                state.asked = f"{ASKED_PROBLEM}{intent}"
        outcome.intent = outcome.answered[0] if outcome.answered else None
        await self.store.state.save(patient.id, state)
        log.info("patient=%s several questions=%s", patient.id, outcome.answered)
        return outcome

    async def _answer_facet(
        self,
        patient: Patient,
        state: ConversationState,
        topic: str,
        facet: str,
        outcome: Outcome,
    ) -> Outcome:
        """Answer one facet of the topic the patient is talking about."""
        turn = await self.store.conversations.record_match(patient.id, f"{topic}.{facet}", 1.0)
        replies = self.brain.replies
        text = replies.facet(topic, facet, turn)
        if text is None:
            return await self._not_understood(patient, outcome)
        outcome.intent = topic
        outcome.facet = facet
        state.open_topic(topic, utc_now())
        await self.store.state.save(patient.id, state)
        await self._understood(patient)
        choices = (self._person_choice(),) if replies.is_medical(topic, facet) else ()
        outcome.say(text, choices)
        log.info("patient=%s follow-up topic=%s facet=%s", patient.id, topic, facet)
        return outcome

    def _is_acknowledgement(self, text: str) -> bool:
        """ "ok", "sure", a thumbs-up: not a question, so neither a misunderstanding."""
        known = self.brain.knowledge.vocabulary.acknowledgements
        stripped = text.strip().lower().strip(".!?")
        return stripped in known or (bool(stripped) and not any(c.isalnum() for c in stripped))

    async def _during_case(
        self, patient: Patient, case_id: int, text: str, outcome: Outcome
    ) -> Outcome:
        """A person has the conversation: relay; only stop and erase are still the bot's."""
        await self.store.conversations.record_message(patient.id, "in", text)
        outcome.effects.append(RelayedToStaff(case_id, text))
        log.info("patient=%s relayed to case=%s", patient.id, case_id)
        match = self.brain.matcher.match(text)
        if match.intent in PATIENT_RIGHTS_INTENTS and not match.ambiguous:
            return await self._answer(patient, match.intent, match.score, outcome)
        return outcome

    async def _handle_choice(self, patient: Patient, value: str) -> Outcome:
        outcome = Outcome()
        kind, _, argument = value.partition(":")
        if kind != "erase" and await self.store.cases.open_for_patient(patient.id) is not None:
            return outcome
        if kind == "intent" and argument in self.brain.knowledge.intents:
            return await self._answer(patient, argument, 1.0, outcome)
        if kind == CHOICE_PERSON:
            return await self._handoff(patient, "human", outcome)
        if kind == "consent":
            return await self._consent(patient, argument)
        if kind == "erase":
            if patient.pending_step != "forget_me_confirm":
                outcome.say(self.brain.replies.text("not_understood"))
                return outcome
            if argument == "yes":
                return await self._erase(patient)
            return await self._forget_me_cancelled(patient)
        # The button data may be forged: log only whether it claimed to be an intent.
        shown = "intent" if kind == "intent" else "unknown"
        log.info("patient=%s stale choice kind=%s", patient.id, shown)
        outcome.say(self.brain.replies.text("not_understood"), (self._person_choice(),))
        return outcome

    async def _answer(
        self, patient: Patient, intent: str, score: float, outcome: Outcome
    ) -> Outcome:
        outcome.intent = intent
        turn = await self.store.conversations.record_match(patient.id, intent, score)
        if patient.misunderstood_streak or patient.pending_choices or patient.pending_step:
            await self.store.patients.update(
                patient.id, misunderstood_streak=0, pending_choices=None, pending_step=None
            )
        definition = self.brain.knowledge.intents.get(intent)
        kind = definition.kind if definition is not None else IntentKind.CONVERSATION
        replies = self.brain.replies
        if kind == IntentKind.HANDOFF:
            return await self._handoff(patient, intent, outcome)
        if intent == "greeting":
            key = "greeting" if patient.greeted else "greeting_first"
            await self.store.patients.update(patient.id, greeted=True)
            outcome.say(replies.text(key, turn))
        elif intent == "opt_out":
            await self.store.contact.opt_out(patient.id, "opt_out")
            await self.store.audit.record(f"patient:{patient.id}", "opt_out")
            outcome.effects.append(OptedOut())
            outcome.say(replies.text("opt_out", turn))
        elif intent == "reminders":
            choices = tuple(
                Choice(label, f"consent:{kind}") for kind, label in REMINDER_CHOICES.items()
            )
            await self.store.patients.update(
                patient.id, pending_choices=[choice.value for choice in choices]
            )
            outcome.say(replies.text("reminders", turn), choices)
        elif intent == "forget_me":
            await self.store.patients.update(patient.id, pending_step="forget_me_confirm")
            outcome.say(
                replies.text("forget_me_confirm", turn),
                (Choice("Yes, erase my data", "erase:yes"), Choice("No, keep it", "erase:no")),
            )
        elif replies.has_service(intent):
            outcome.say(replies.service(intent, turn))
            await self._remember_topic(patient, intent)
            await self._offer_news(patient, intent, outcome)
        elif intent in self.brain.knowledge.replies:
            outcome.say(replies.text(intent, turn))
            if intent == BOOKING:
                await self._remember_topic(patient, BOOKING, asked=ASKED_DAY)
        else:
            outcome.say(replies.text("not_understood", turn), (self._person_choice(),))
        return outcome

    async def _remember_topic(
        self, patient: Patient, topic: str, asked: str | None = None
    ) -> None:
        """The patient is now talking about this: follow-ups and answers are read against it."""
        state = await self.store.state.load(patient.id)
        state.open_topic(topic, utc_now())
        state.asked = asked or f"{ASKED_PROBLEM}{topic}"
        await self.store.state.save(patient.id, state)

    def _reads_as_answer(self, text: str, match: Match, asked: str) -> bool:
        """Whether a message answers what the bot asked, rather than asking something new."""
        if match.safety or match.intent in NEVER_A_FOLLOW_UP:
            return False
        if match.intent in PATIENT_RIGHTS_INTENTS:
            return False
        if asked == ASKED_DAY:  # "wednesday morning" also reads as a greeting
            return "day" in extract_details(text)
        if match.intent in SMALL_TALK or (match.intent is None and self._is_acknowledgement(text)):
            return False
        return not is_question(text) and self._in_words_we_know(text)

    def _in_words_we_know(self, text: str) -> bool:
        """Whether the message is words at all ("asdfgh qwerty" is not)."""
        return mostly_words(text)

    async def _answer_to_question(
        self,
        patient: Patient,
        state: ConversationState,
        topic: str,
        text: str,
        outcome: Outcome,
    ) -> Outcome:
        """The patient answered the bot: say what was understood, then the next useful step."""
        details = extract_details(text)
        state.details.update(details)
        turn = await self.store.conversations.record_match(patient.id, f"answer:{topic}", 1.0)
        replies = self.brain.replies
        noted = ", ".join(NOTED[name].format(value) for name, value in details.items())
        if state.asked == ASKED_DAY:
            outcome.say(replies.text("answer_booking_day", turn, noted=details["day"]))
            state.asked = None
        else:
            thanks = (
                replies.text("answer_noted", turn, noted=noted)
                if noted
                else replies.text("answer_thanks", turn)
            )
            outcome.say(f"{thanks} {replies.text('answer_next_service', turn)}")
            state.asked = ASKED_DAY
        outcome.intent = topic
        state.open_topic(topic, utc_now())
        await self.store.state.save(patient.id, state)
        await self._understood(patient)
        log.info("patient=%s answer topic=%s details=%s", patient.id, topic, sorted(details))
        return outcome

    async def _offer_news(self, patient: Patient, intent: str, outcome: Outcome) -> None:
        for offer in self.brain.replies.offers_for(intent, self.today()):
            if await self.store.conversations.mark_offer_shown(patient.id, offer.id):
                outcome.say(offer.text)
                outcome.effects.append(OfferShown(offer.id))
                log.info("patient=%s offer=%s shown", patient.id, offer.id)
                return

    async def _did_you_mean(self, patient: Patient, match: Match) -> Outcome:
        outcome = Outcome()
        choices = did_you_mean_choices(self.brain.knowledge, match)
        await self.store.patients.update(
            patient.id, pending_choices=[choice.value for choice in choices]
        )
        outcome.say(self.brain.replies.text("did_you_mean"), choices)
        return outcome

    async def _not_understood(self, patient: Patient, outcome: Outcome) -> Outcome:
        streak = patient.misunderstood_streak + 1
        if streak >= MISUNDERSTANDINGS_BEFORE_HANDOFF:
            await self.store.patients.update(patient.id, misunderstood_streak=0)
            return await self._handoff(patient, NOT_UNDERSTOOD, outcome)
        person = self._person_choice()
        await self.store.patients.update(
            patient.id, misunderstood_streak=streak, pending_choices=[person.value]
        )
        outcome.say(self.brain.replies.text("not_understood", streak), (person,))
        return outcome

    def _person_choice(self) -> Choice:
        return Choice("Talk to a person", CHOICE_PERSON)

    async def _handoff(self, patient: Patient, reason: str, outcome: Outcome) -> Outcome:
        case, new = await self.store.cases.open_case(patient.id, reason)
        await self.store.patients.update(
            patient.id, pending_choices=None, pending_step=None, misunderstood_streak=0
        )
        await self.store.audit.record(f"patient:{patient.id}", "handoff", f"case:{case.id}")
        log.info("patient=%s handoff case=%s reason=%s", patient.id, case.id, reason)
        outcome.intent = outcome.intent or reason
        key = handoff_reply_key(reason)
        outcome.say(self.brain.replies.text(key, case.id))
        outcome.effects.append(HandoffOpened(case.id, reason, new))
        return outcome

    async def _consent(self, patient: Patient, argument: str) -> Outcome:
        """Ask for, record or decline consent to one kind of reminder."""
        outcome = Outcome(intent="reminders")
        kind, _, answer = argument.partition(":")
        replies = self.brain.replies
        if kind not in REMINDER_CHOICES:
            outcome.say(replies.text("not_understood"), (self._person_choice(),))
            return outcome
        wording = replies.text(f"consent_{kind}", patient.id)
        if not answer:
            choices = (
                Choice("Yes, I agree", f"consent:{kind}:yes"),
                Choice("No, thanks", f"consent:{kind}:no"),
            )
            await self.store.patients.update(
                patient.id,
                pending_step=f"consent:{kind}",
                pending_choices=[choice.value for choice in choices],
            )
            outcome.say(wording, choices)
            return outcome
        if patient.pending_step != f"consent:{kind}":
            outcome.say(replies.text("not_understood"), (self._person_choice(),))
            return outcome
        await self.store.patients.update(patient.id, pending_step=None, pending_choices=None)
        if answer != "yes":
            outcome.say(replies.text("consent_declined"))
            return outcome
        channel = patient.external_id.partition(":")[0]
        if patient.opted_out:
            await self.store.contact.opt_in(patient.id)
        await self.store.contact.grant(patient.id, kind, channel, wording)
        await self.store.audit.record(f"patient:{patient.id}", "consent_given", kind)
        log.info("patient=%s consent kind=%s channel=%s", patient.id, kind, channel)
        outcome.say(replies.text("consent_given"))
        return outcome

    async def _opt_in(self, patient: Patient) -> Outcome:
        outcome = Outcome(intent="opt_in")
        await self.store.contact.opt_in(patient.id)
        await self.store.audit.record(f"patient:{patient.id}", "opt_in")
        outcome.effects.append(OptedIn())
        outcome.say(self.brain.replies.text("opt_in"))
        return outcome

    async def _forget_me_cancelled(self, patient: Patient) -> Outcome:
        outcome = Outcome(intent="forget_me")
        await self.store.patients.update(patient.id, pending_step=None, pending_choices=None)
        outcome.say(self.brain.replies.text("forget_me_cancelled"))
        return outcome

    async def _erase(self, patient: Patient) -> Outcome:
        outcome = Outcome(intent="forget_me")
        case = await self.store.cases.open_for_patient(patient.id)
        every_case = tuple(each.id for each in await self.store.cases.cases_of(patient.id))
        await self.store.erase_patient(patient.id)
        outcome.effects.append(DataErased(case.id if case else None, every_case))
        outcome.say(self.brain.replies.text("forget_me_done"))
        log.info("patient data erased case=%s", case.id if case else None)
        return outcome


def did_you_mean_choices(knowledge: Knowledge, match: Match) -> tuple[Choice, ...]:
    """Up to three intents to choose from, each labelled by its description."""
    options = [match.intent, *(alt.intent for alt in match.alternatives)][:3]
    return tuple(
        Choice(knowledge.intents[name].description.split(":")[0], f"intent:{name}")
        for name in options
        if name is not None
    )


def handoff_reply_key(reason: str) -> str:
    """An emergency gets the reply with the phone numbers; any other handoff the plain one."""
    return "handoff_emergency" if reason == "emergency" else "handoff"


def preview(brain: Brain, text: str, today: dt.date) -> tuple[Match, list[OutgoingMessage]]:
    """What a new patient writing `text` would get: nothing is recorded (for managers)."""
    match = brain.matcher.match(text)
    replies = brain.replies
    intents = brain.knowledge.intents
    if match.intent is None:
        return match, [OutgoingMessage(replies.text("not_understood"))]
    if match.ambiguous:
        choices = did_you_mean_choices(brain.knowledge, match)
        return match, [OutgoingMessage(replies.text("did_you_mean"), choices)]
    definition = intents.get(match.intent)
    if definition is not None and definition.kind == IntentKind.HANDOFF:
        return match, [OutgoingMessage(replies.text(handoff_reply_key(match.intent)))]
    if match.intent == "greeting":
        return match, [OutgoingMessage(replies.text("greeting_first"))]
    if replies.has_service(match.intent):
        messages = [OutgoingMessage(replies.service(match.intent, 0))]
        messages += [
            OutgoingMessage(offer.text) for offer in replies.offers_for(match.intent, today)[:1]
        ]
        return match, messages
    key = {"forget_me": "forget_me_confirm"}.get(match.intent, match.intent)
    if key in brain.knowledge.replies:
        return match, [OutgoingMessage(replies.text(key))]
    return match, [OutgoingMessage(replies.text("not_understood"))]
