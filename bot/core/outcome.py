"""What a turn decides: the messages for the patient and what happened, for the adapters."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    """A button or numbered option: what the patient sees and what it means (packed)."""

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
    booking_ids: tuple[int, ...] = ()
    #: The branch the patient went to (its staff chat has their cards), if known.
    branch: str | None = None


@dataclass(frozen=True)
class BookingRequested:
    """A booking request is complete: its card goes to the staff chat."""

    request_id: int
    urgency: str


@dataclass(frozen=True)
class BookingChanged:
    """The patient answered a proposed time or cancelled a request: the card and a note."""

    request_id: int
    what: str  # accepted, another_time, cancelled, replaced
    appointment_id: int | None = None


Effect = (
    HandoffOpened
    | RelayedToStaff
    | OfferShown
    | OptedOut
    | OptedIn
    | DataErased
    | BookingRequested
    | BookingChanged
)


@dataclass
class Outcome:
    """What the core decided: messages to send, in order, and what happened."""

    messages: list[OutgoingMessage] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    intent: str | None = None
    facet: str | None = None
    answered: list[str] = field(default_factory=list)
    route: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        """Add a message."""
        self.messages.append(OutgoingMessage(text, choices))
