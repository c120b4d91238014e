"""Hands a turn's route to its flow, asking the patient's branch first where the answer
differs between branches.

`route_text` and `route_choice` read the turn through the router; `run` hands the route to
its flow. Both the bot and the manager's preview go through here, so what a manager previews
is exactly what a patient gets.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.branches import branch_named, change_asked, names_a_branch_word, read_branch, several
from bot.core.flows import (
    answers,
    booking,
    branches,
    consent,
    erasure,
    followups,
    triage,
    weighing,
)
from bot.core.flows.booking import BOOKING
from bot.core.flows.handoff import hand_over, not_understood, person_choice, relay
from bot.core.pending import (
    AskAbout,
    ChoiceValue,
    ChooseBranch,
    ChooseReminder,
    ChoosingBranch,
    ConsentAnswer,
    ErasureAnswer,
    ProposalAnswer,
    TalkToPerson,
    VisitToday,
)
from bot.core.router import read_choice, read_text
from bot.core.routes import (
    Acknowledge,
    Answer,
    AnsweredThenAsked,
    AnswerToQuestion,
    AsideInBooking,
    AskBranch,
    BookingAnswer,
    Calm,
    CompareQuote,
    Diagnosis,
    DidYouMean,
    FollowUp,
    ForBranch,
    HandOver,
    IfWaiting,
    Ignore,
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
from bot.core.turn import SubmitBooking, Turn
from bot.details import is_question
from bot.models import IntentKind


def route_text(turn: Turn) -> Route:
    """What to do with a message the patient typed (asking the branch first when needed)."""
    route = read_text(turn)
    if not several(turn.clinic.knowledge):
        return route
    return _with_branch(turn, route)


#: Routes never delayed by the branch question: a person, safety, the patient's rights.
_NEVER_ASKED = (Relay, HandOver, Calm, OptIn, Ignore, StaleChoice, AskBranch, ForBranch)
#: Routes that only say something short or ask again: a branch named in them is the answer.
_SAYS_LITTLE = (NotUnderstood, OffTopic, Acknowledge, DidYouMean)


def _with_branch(turn: Turn, route: Route) -> Route:
    """The route, or the branch question first when its answer differs between branches."""
    safety = turn.match is not None and turn.match.safety
    if isinstance(route, _NEVER_ASKED) or safety:
        return route
    if isinstance(route, Pick) and not isinstance(route.choice, AskAbout):
        return route  # a numbered choice (a branch's, too) or a consent, erasure, visit today
    listed = turn.clinic.knowledge.branches
    waiting = turn.pending_step
    answering = isinstance(waiting, ChoosingBranch)
    named = read_branch(turn.text, listed, answering=answering)
    if named is not None and (answering or isinstance(route, _SAYS_LITTLE)):
        return Pick(ChooseBranch(named.id))  # "the one near the station"
    if isinstance(waiting, ChoosingBranch) and isinstance(route, _SAYS_LITTLE):
        return AskBranch(waiting, again=True)
    changing = change_asked(turn.text)
    if named is not None and not isinstance(route, Pick):
        if is_question(turn.text) or _books(route):
            return ForBranch(named.id, route, change=changing)  # "is riverside open saturdays?"
        return Pick(ChooseBranch(named.id))  # "I'll go to the Riverside one instead"
    if changing and names_a_branch_word(turn.text):
        return AskBranch(ChoosingBranch())  # "change my branch"
    known = branch_named(turn.clinic.knowledge, turn.patient.branch)
    if known is None and depends_on_branch(turn, route):
        if isinstance(route, Pick):
            return AskBranch(ChoosingBranch(choice=route.choice.pack()))
        return AskBranch(ChoosingBranch(question=turn.text))
    return route


def _books(route: Route) -> bool:
    """Whether the route starts or carries on a booking request."""
    if isinstance(route, Answer):
        return route.intent in (BOOKING, booking.RESCHEDULE)
    return isinstance(route, PriceAndVisit | BookingAnswer | AsideInBooking)


#: Routes whose answer may differ between branches (hours, directions, prices, a booking).
_MAY_DEPEND = (
    Answer,
    FollowUp,
    AnswerToQuestion,
    Several,
    Weighed,
    PickFor,
    PriceAndVisit,
    PriceTogether,
    BookingAnswer,
    AsideInBooking,
    Pick,
)


def depends_on_branch(turn: Turn, route: Route) -> bool:
    """Whether the route's answer differs between branches, or it starts or sends a booking
    request (which goes to the branch's front desk). Each branch's answer is tried on a copy
    of the turn; nothing of the copies is kept."""
    if not isinstance(route, _MAY_DEPEND):
        return False
    if isinstance(route, Answer):
        definition = turn.brain.knowledge.intents.get(route.intent)
        if definition is not None and definition.kind in (
            IntentKind.HANDOFF,
            IntentKind.CONVERSATION,
        ):
            return False  # "hi", "thanks", "stop", a person: the same everywhere
    said: set[tuple[str, ...]] = set()
    for brain in turn.clinic.branches.values():
        trial = turn.trial(brain)
        with _quiet_logs():  # a trial shows no offer and opens no case: it must not log one
            run(route, trial)
        booked = any(isinstance(write, SubmitBooking) for write in trial.writes)
        if booked or (trial.state.booking and not turn.state.booking):
            return True
        said.add(tuple(_unlike_by_phone(turn, message.text) for message in trial.outcome.messages))
    return len(said) > 1


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """No INFO lines while a trial runs (synchronous: no other turn runs meanwhile)."""
    before = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(before)


def _unlike_by_phone(turn: Turn, text: str) -> str:
    """The text with every phone and email of the clinic and its branches made alike: a
    "call us at ..." line is no reason to ask (the clinic's own number is right too)."""
    clinic = turn.clinic.knowledge.clinic
    contacts = {clinic.phone, clinic.email, clinic.after_hours_phone}
    for branch in turn.clinic.knowledge.branches:
        contacts |= {branch.phone, branch.email, branch.after_hours_phone}
    for contact in sorted((each for each in contacts if each), key=len, reverse=True):
        text = text.replace(contact, "(contact)")
    return text


def route_choice(turn: Turn, value: str) -> Route:
    """What to do with a button the patient pressed."""
    route = read_choice(value)
    erasing = isinstance(route, Pick) and isinstance(route.choice, ErasureAnswer)
    if turn.open_case is not None and not erasing:
        return Ignore()
    asking_about = isinstance(route, Pick) and isinstance(route.choice, AskAbout)
    if asking_about and several(turn.clinic.knowledge):
        known = branch_named(turn.clinic.knowledge, turn.patient.branch)
        if known is None and depends_on_branch(turn, route):
            return AskBranch(ChoosingBranch(choice=value))  # "Opening hours" pressed
    return route


def run(route: Route, turn: Turn) -> None:
    """Hand the route to its flow."""
    turn.outcome.route = type(route).__name__
    match route:
        case Answer(intent, score):
            answers.answer_intent(turn, intent, score)
        case FollowUp(topic, facet):
            followups.answer_facet(turn, topic, facet)
        case IfWaiting(service):
            followups.answer_waiting(turn, service)
        case AnswerToQuestion(topic):
            followups.answer_to_question(turn, topic)
        case Several(questions):
            followups.answer_several(turn, list(questions))
        case Weighed(services):
            weighing.weigh(turn, list(services))
        case PickFor(services):
            weighing.pick(turn, list(services))
        case PriceAndVisit(service, score, facet):
            followups.price_before_booking(turn, service, facet)
            answers.answer_intent(turn, BOOKING, score)
            turn.outcome.answered.insert(0, service)
        case PriceTogether(items, besides):
            answers.price_together(turn, list(items), list(besides))
        case AnsweredThenAsked(topic, practical):
            answers.answer_intent(turn, practical, 1.0)
            followups.answer_to_question(turn, topic)
            turn.outcome.intent = practical  # what was asked; the answer is noted beside it
            turn.outcome.answered.extend([practical, topic])
        case CompareQuote(service):
            answers.compared(turn, service)
        case Calm(besides):
            answers.calm(turn, list(besides))
        case Diagnosis():
            answers.diagnosis(turn)
        case Acknowledge():
            answers.acknowledge(turn)
        case OffTopic(score):
            answers.off_topic(turn, score)
        case DidYouMean(match):
            answers.did_you_mean(turn, match)
        case NotUnderstood(confused):
            not_understood(turn, confused)
        case HandOver(reason):
            hand_over(turn, reason)
        case Relay(case_id, then):
            relay(turn, case_id)
            if then is not None:
                answers.answer_intent(turn, then.intent, then.score)
        case Pick(choice):
            _run_choice(turn, choice)
        case BookingAnswer():
            booking.answer(turn)
        case AsideInBooking(aside):
            run(aside, turn)
            turn.outcome.route = "AsideInBooking"
            booking.remind(turn)
        case StaleChoice():
            turn.say(turn.brain.replies.text("not_understood"), (person_choice(),))
        case OptIn():
            consent.opt_in(turn)
        case Ignore():
            pass
        case AskBranch(waiting, again):
            branches.ask(turn, waiting, again)
        case ForBranch(branch_id, then, change):
            if change and branch_id != turn.patient.branch:
                branches.choose(turn, branch_id)  # "I'll go to the Riverside one instead"
            else:
                branches.answer_for(turn, branch_id)
            run(then, turn)


def _run_choice(turn: Turn, choice: ChoiceValue) -> None:
    match choice:
        case AskAbout(intent) if intent in turn.brain.knowledge.intents:
            answers.answer_intent(turn, intent, 1.0)
        case AskAbout():
            turn.say(turn.brain.replies.text("not_understood"), (person_choice(),))
        case TalkToPerson():
            hand_over(turn, "human")
        case VisitToday():
            triage.visit_today(turn)
        case ChooseReminder(kind):
            consent.ask(turn, kind)
        case ConsentAnswer(kind, agreed):
            consent.answer(turn, kind, agreed)
        case ErasureAnswer(confirmed):
            erasure.answer(turn, confirmed)
        case ProposalAnswer(request_id, accepted):
            booking.answer_proposal(turn, request_id, accepted)
        case ChooseBranch(branch_id):
            waiting = turn.pending_step
            if not branches.choose(turn, branch_id):
                turn.say(turn.brain.replies.text("not_understood"), (person_choice(),))
            elif isinstance(waiting, ChoosingBranch):
                _answer_again(turn, waiting)


def _answer_again(turn: Turn, waiting: ChoosingBranch) -> None:
    """Answer what the patient asked before they were asked for their branch, for it."""
    if waiting.choice:
        route = read_choice(waiting.choice)
    elif waiting.question:
        turn.text, turn.replaying = waiting.question, True
        route = read_text(turn)
    else:
        return
    if not isinstance(route, Pick) or not isinstance(route.choice, ChooseBranch):
        run(route, turn)
