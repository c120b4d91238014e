"""The front desk: loads a turn, lets the router decide, and commits what was decided."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bot.core import appointments, dispatch
from bot.core.brain import Brain
from bot.core.outcome import (
    BookingChanged,
    BookingRequested,
    DataErased,
    HandoffOpened,
    Outcome,
    OutgoingMessage,
)
from bot.core.routes import StaleChoice
from bot.core.turn import (
    AnswerProposal,
    Erase,
    GrantConsent,
    History,
    MarkOffer,
    OpenCase,
    OptIn,
    OptOut,
    RecordIncoming,
    RecordMatch,
    SubmitBooking,
    Turn,
    Write,
)
from bot.matcher import Match
from bot.store import BookingRequest, ConversationState, NewRequest, Patient, Store, utc_now

log = logging.getLogger(__name__)

#: A topic is forgotten after this long without a message (TOPIC_MINUTES).
TOPIC_QUIET = dt.timedelta(minutes=30)


class FrontDesk:
    """Decides what to say to a patient; adapters only deliver it."""

    def __init__(
        self,
        brain: Brain,
        store: Store,
        timezone: str = "",
        topic_quiet: dt.timedelta = TOPIC_QUIET,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.brain = brain
        self.store = store
        self._timezone_override = timezone
        self.topic_quiet = topic_quiet
        #: "Now" for each turn (UTC); tests set it to try a closed hour.
        self.clock = clock or utc_now

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
        turn = await self._load(external_id, display_name, chat_id)
        turn.text = text
        route = dispatch.route_text(turn)
        dispatch.run(route, turn)
        if turn.match is not None:
            log.info(
                "patient=%s intent=%s score=%.2f route=%s",
                turn.patient.id,
                turn.match.intent,
                turn.match.score,
                turn.outcome.route,
            )
        return await self._commit(turn)

    async def handle_choice(
        self,
        external_id: str,
        value: str,
        display_name: str | None = None,
        chat_id: int | None = None,
    ) -> Outcome:
        """A patient pressed a button (or typed the number of a choice)."""
        turn = await self._load(external_id, display_name, chat_id)
        route = dispatch.route_choice(turn, value)
        if isinstance(route, StaleChoice):
            shown = "intent" if route.claimed_intent else "unknown"
            log.info("patient=%s stale choice kind=%s", turn.patient.id, shown)
        dispatch.run(route, turn)
        return await self._commit(turn)

    async def _load(self, external_id: str, display_name: str | None, chat_id: int | None) -> Turn:
        """Everything the turn needs to know, read once at its start (one round trip)."""
        record = await self.store.turns.load(external_id, display_name, chat_id)
        now = self.clock()
        return Turn(
            brain=self.brain.for_branch(record.patient.branch),
            clinic_brain=self.brain,
            patient=record.patient,
            state=record.state,
            now=now,
            today=now.astimezone(self.timezone).date(),
            topic_quiet=self.topic_quiet,
            open_case=record.open_case,
            offers_seen=record.offers_seen,
            history=History(record.counts, record.last_asked),
        )

    async def _commit(self, turn: Turn) -> Outcome:
        """Write what the turn decided (inside the caller's unit of work).

        The usual writes are gathered and run together in one round trip; a rarer one (a case,
        a consent) first runs what was gathered before it, so every write keeps its order.
        """
        store, patient_id, outcome = self.store, turn.patient.id, turn.outcome
        writes = store.turns.writes(patient_id)
        for write in turn.writes:
            match write:
                case RecordIncoming(text, intent, score):
                    writes.record_message("in", text, intent, score)
                case RecordMatch(label, score):
                    writes.add_match(label, score)
                case MarkOffer(offer_id):
                    writes.mark_offer_shown(offer_id)
                case Erase():
                    await store.turns.save(writes)
                    return await self._erase(turn)
                case _:
                    await store.turns.save(writes)
                    await self._write_now(turn, write)
        if turn.patient_changes:
            writes.update_patient(turn.patient_changes)
        if turn.state_changed:
            writes.save_state(turn.state)
        writes.record_replies([message.text for message in outcome.messages])
        await store.turns.save(writes)
        return outcome

    async def _write_now(self, turn: Turn, write: Write) -> None:
        """A write with more to it than one statement: a case, an opt-out or in, a consent."""
        store, patient_id, outcome = self.store, turn.patient.id, turn.outcome
        actor = f"patient:{patient_id}"
        match write:
            case OpenCase(reason):
                case, new = await store.cases.open_case(patient_id, reason)
                await store.audit.record(actor, "handoff", f"case:{case.id}")
                outcome.effects.append(HandoffOpened(case.id, reason, new))
                log.info("patient=%s handoff case=%s reason=%s", patient_id, case.id, reason)
            case OptOut():
                await store.contact.opt_out(patient_id, "opt_out")
                await store.audit.record(actor, "opt_out")
            case OptIn():
                await store.contact.opt_in(patient_id)
                await store.audit.record(actor, "opt_in")
            case GrantConsent(kind, channel, wording):
                await store.contact.grant(patient_id, kind, channel, wording)
                await store.audit.record(actor, "consent_given", kind)
            case SubmitBooking(asked):
                if asked.kind != "new":  # which appointment to move or cancel: the next one
                    upcoming = await store.bookings.next_appointment(patient_id, turn.now)
                    if upcoming is not None:
                        asked = dataclasses.replace(asked, appointment_id=upcoming.id)
                earlier = await store.bookings.open_request_of(patient_id)
                if earlier is not None and _replaced_by(earlier, asked):
                    await store.bookings.close(earlier.id)  # "ok thursday 9am works" after a move
                    await store.audit.record(actor, "booking_replaced", f"request:{earlier.id}")
                    outcome.effects.append(BookingChanged(earlier.id, "replaced"))
                request = await store.bookings.create(patient_id, asked)
                await store.audit.record(actor, "booking_requested", f"request:{request.id}")
                outcome.effects.append(BookingRequested(request.id, request.urgency))
                log.info("patient=%s booking request=%s", patient_id, request.id)
            case AnswerProposal(request_id, accepted):
                await self._answer_proposal(turn, request_id, accepted)

    async def _answer_proposal(self, turn: Turn, request_id: int, accepted: bool) -> None:
        """Confirm the proposed time the patient accepted, or tell the desk to find another."""
        store, outcome = self.store, turn.outcome
        request = await store.bookings.get(request_id)
        mine = request is not None and request.patient_id == turn.patient.id
        if request is None or not mine or request.status != "proposed":
            outcome.say(turn.brain.replies.text("booking_proposal_gone", request_id))
            return
        if not accepted:
            outcome.effects.append(BookingChanged(request.id, "another_time"))
            return
        assert request.proposed_at is not None
        appointment = await store.bookings.confirm(
            request, request.proposed_at, request.proposed_doctor, None
        )
        if appointment is None:
            outcome.say(turn.brain.replies.text("booking_proposal_gone", request_id))
            return
        await store.audit.record(
            f"patient:{turn.patient.id}", "booking_accepted", f"appointment:{appointment.id}"
        )
        wants = await store.contact.has_consent(turn.patient.id, "appointment")
        for message in appointments.confirmed_messages(
            turn.brain,
            appointment.id,
            appointment.starts_at,
            appointment.doctor,
            self.timezone,
            wants,
        ):
            outcome.messages.append(message)
        outcome.effects.append(BookingChanged(request.id, "accepted", appointment.id))

    async def _erase(self, turn: Turn) -> Outcome:
        """Erase the patient's data; nothing else of the turn is kept."""
        store, patient_id = self.store, turn.patient.id
        case = await store.cases.open_for_patient(patient_id)
        every_case = tuple(each.id for each in await store.cases.cases_of(patient_id))
        requests = tuple(each.id for each in await store.bookings.requests_of(patient_id))
        await store.erase_patient(patient_id)
        turn.outcome.effects.append(
            DataErased(case.id if case else None, every_case, requests, turn.patient.branch)
        )
        log.info("patient data erased case=%s", case.id if case else None)
        return turn.outcome


def preview(brain: Brain, text: str, today: dt.date) -> tuple[Match, list[OutgoingMessage]]:
    """What a new patient writing `text` would get, through the same router; nothing is kept."""
    now = utc_now()
    newcomer = Patient(
        id=0,
        external_id="preview:0",
        display_name=None,
        chat_id=None,
        greeted=False,
        misunderstood_streak=0,
        pending_step=None,
        pending_choices=(),
        opted_out=False,
        unreachable=False,
    )
    turn = Turn(
        brain=brain,
        patient=newcomer,
        state=ConversationState(),
        now=now,
        today=today,
        topic_quiet=TOPIC_QUIET,
        text=text,
    )
    dispatch.run(dispatch.route_text(turn), turn)
    match = turn.match or brain.matcher.match(text)
    return match, turn.outcome.messages


def _replaced_by(earlier: BookingRequest, asked: NewRequest) -> bool:
    """Whether a new move or cancellation takes the place of a move the front desk has not
    touched yet: one request for the desk, with the patient's latest wish."""
    return (
        earlier.status == "open"
        and earlier.kind == "reschedule"
        and asked.kind in ("reschedule", "cancel")
    )
