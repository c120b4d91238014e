"""The routes a turn can take: typed choices the router makes and the dispatcher runs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.flows.followups import Question
from bot.core.pending import ChoiceValue, ChoosingBranch
from bot.matcher import Match


@dataclass(frozen=True)
class Answer:
    """Answer an intent."""

    intent: str
    score: float = 1.0


@dataclass(frozen=True)
class FollowUp:
    """Answer one facet of a service."""

    topic: str
    facet: str


@dataclass(frozen=True)
class IfWaiting:
    """What waiting, or leaving it untreated, would mean for a service ("what happens if I
    just wait a few months?")."""

    service: str


@dataclass(frozen=True)
class AnswerToQuestion:
    """The patient answered what the bot asked about a topic."""

    topic: str


@dataclass(frozen=True)
class Several:
    """Answer each question of the message, in order."""

    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Weighed:
    """Options weighed against each other as a whole ("whats better, a bridge or an
    implant?"): each fairly, with its full price."""

    services: tuple[str, ...]


@dataclass(frozen=True)
class PickFor:
    """The patient asks us to choose ("which one would you pick?"): honestly, the doctor does,
    after an exam."""

    services: tuple[str, ...]


@dataclass(frozen=True)
class PriceAndVisit:
    """A service's price (or another of its facts), then a booking request for it ("how much,
    and can you do it today", "i want to book a cleaning, how long does it take?")."""

    service: str
    score: float
    facet: str = "price"


@dataclass(frozen=True)
class PriceTogether:
    """The price of several services, or several of one, with one total."""

    items: tuple[tuple[str, int], ...]
    #: Practical subjects asked beside the price: "... whats the total, and do you have
    #: payment plans?"
    besides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Calm:
    """The patient is upset: apologise and offer a person, then answer the practical subjects
    asked beside it ("too expensive. do you have payment plans or senior discounts?")."""

    besides: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnsweredThenAsked:
    """The bot's question about a treatment answered, then a practical question asked in the
    same message ("Nothing bothering me, just general. Oh and is there parking near you?")."""

    topic: str
    practical: str


@dataclass(frozen=True)
class CompareQuote:
    """A price from elsewhere set against ours, calmly: what to check in that quote."""

    service: str


@dataclass(frozen=True)
class Diagnosis:
    """ "could it be a cavity?": honestly, only the exam can tell; then the next step."""


@dataclass(frozen=True)
class Acknowledge:
    """A bare "ok": acknowledge it."""


@dataclass(frozen=True)
class OffTopic:
    """A question for someone else."""

    score: float


@dataclass(frozen=True)
class DidYouMean:
    """Let the patient pick between close readings."""

    match: Match


@dataclass(frozen=True)
class NotUnderstood:
    """Say so and offer a person (`confused`: the patient didn't follow us; sorry)."""

    confused: bool = False


@dataclass(frozen=True)
class Relay:
    """A person has the conversation; pass the message on."""

    case_id: int
    then: Answer | None = None


@dataclass(frozen=True)
class HandOver:
    """A person is needed, though the message alone would not say so."""

    reason: str


@dataclass(frozen=True)
class Pick:
    """A button or a numbered option."""

    choice: ChoiceValue


@dataclass(frozen=True)
class StaleChoice:
    """A button that no longer means anything (or a forged one)."""

    claimed_intent: bool


@dataclass(frozen=True)
class Ignore:
    """Nothing to say (a button pressed while a person has the conversation)."""


@dataclass(frozen=True)
class OptIn:
    """The patient wants messages again."""


@dataclass(frozen=True)
class BookingAnswer:
    """The patient answered the question a booking request waits on (or skipped, cancelled)."""


@dataclass(frozen=True)
class AsideInBooking:
    """A question asked in the middle of a booking request: answered, then the request goes
    on with its question again."""

    route: Answer | FollowUp | Several | PriceTogether


@dataclass(frozen=True)
class AskBranch:
    """The answer depends on the patient's branch, not known yet: ask it, then answer."""

    waiting: ChoosingBranch
    again: bool = False


@dataclass(frozen=True)
class ForBranch:
    """The message names a branch: answer it from that branch's data (kept when the patient
    had none, or asked to change)."""

    branch_id: str
    then: Route
    change: bool = False


Route = (
    AskBranch
    | ForBranch
    | BookingAnswer
    | AsideInBooking
    | Answer
    | FollowUp
    | IfWaiting
    | AnswerToQuestion
    | Weighed
    | PickFor
    | Several
    | PriceAndVisit
    | PriceTogether
    | Calm
    | CompareQuote
    | AnsweredThenAsked
    | Diagnosis
    | Acknowledge
    | OffTopic
    | DidYouMean
    | NotUnderstood
    | Relay
    | HandOver
    | Pick
    | StaleChoice
    | Ignore
    | OptIn
)
