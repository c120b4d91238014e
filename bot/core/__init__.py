"""The transport-free core: a patient's message -> the messages to send and what happened."""

from bot.core.brain import Brain
from bot.core.desk import TOPIC_QUIET, FrontDesk, preview
from bot.core.outcome import (
    BookingChanged,
    BookingRequested,
    Choice,
    DataErased,
    Effect,
    HandoffOpened,
    OfferShown,
    OptedIn,
    OptedOut,
    Outcome,
    OutgoingMessage,
    RelayedToStaff,
)

__all__ = [
    "TOPIC_QUIET",
    "BookingChanged",
    "BookingRequested",
    "Brain",
    "Choice",
    "DataErased",
    "Effect",
    "FrontDesk",
    "HandoffOpened",
    "OfferShown",
    "OptedIn",
    "OptedOut",
    "OutgoingMessage",
    "Outcome",
    "RelayedToStaff",
    "preview",
]
