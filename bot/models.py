"""Pydantic models of the data a clinic manager edits: intents, clinic facts, replies, offers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Strict(BaseModel):
    """A model that refuses unknown keys, so a typo in a file is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class IntentKind(StrEnum):
    """What the bot does with an intent."""

    SERVICE = "service"
    PRACTICAL = "practical"
    HANDOFF = "handoff"
    CONVERSATION = "conversation"


SERVICE_INTENTS = [
    "children",
    "implants",
    "filling",
    "root_canal",
    "hygiene",
    "checkup",
    "whitening",
    "orthodontics",
    "extraction",
    "crowns",
    "dentures",
    "xray",
    "anesthesia",
]
PRACTICAL_INTENTS = [
    "prices",
    "services",
    "hours",
    "location",
    "contacts",
    "booking",
    "reschedule",
    "doctors",
    "warranty",
    "payment",
    "insurance",
    "discounts",
]
HANDOFF_INTENTS = ["emergency", "complaint", "human", "aftercare"]
CONVERSATION_INTENTS = ["greeting", "thanks", "goodbye", "opt_out", "reminders", "forget_me"]
CATALOG: dict[str, IntentKind] = {
    **dict.fromkeys(SERVICE_INTENTS, IntentKind.SERVICE),
    # Issue 12's catalogue (tests/test_catalogue.py prices each, a free bundle included).
    "bridges": IntentKind.SERVICE,
    "veneers": IntentKind.SERVICE,
    "night_guard": IntentKind.SERVICE,
    "wisdom_teeth": IntentKind.SERVICE,
    "sedation": IntentKind.SERVICE,
    "aligners": IntentKind.SERVICE,
    "partial_denture": IntentKind.SERVICE,
    "sealants": IntentKind.SERVICE,
    "take_home_whitening": IntentKind.SERVICE,
    "free_checkup": IntentKind.SERVICE,
    "gum_treatment": IntentKind.SERVICE,
    **dict.fromkeys(PRACTICAL_INTENTS, IntentKind.PRACTICAL),
    **dict.fromkeys(HANDOFF_INTENTS, IntentKind.HANDOFF),
    **dict.fromkeys(CONVERSATION_INTENTS, IntentKind.CONVERSATION),
}
MIN_EXAMPLES = 20
#: Longer labels are cut off on a phone's "did you mean" button.
LABEL_MAX_LENGTH = 40


class Intent(Strict):
    """One thing a patient can mean, with the phrasings the matcher learns from."""

    name: Identifier
    kind: IntentKind
    description: NonEmpty
    #: What a patient sees on a "did you mean" button ("Prices of treatments"); without it,
    #: the description up to its first ':'.
    label: Annotated[NonEmpty, StringConstraints(max_length=LABEL_MAX_LENGTH)] | None = None
    examples: list[NonEmpty] = Field(min_length=1)

    @property
    def button_label(self) -> str:
        """The short text that names this intent to a patient on a button."""
        return self.label or self.description.split(":")[0]


class IntentFile(Strict):
    """The contents of one file under intents/."""

    intents: list[Intent] = Field(default_factory=list)
    out_of_scope: list[NonEmpty] = Field(default_factory=list)


class Vocabulary(Strict):
    """Synonyms and the emergency phrases that always reach a person."""

    synonyms: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    emergency_phrases: list[NonEmpty] = Field(default_factory=list)
    red_flags: list[NonEmpty] = Field(default_factory=list)
    #: Emergency phrases that are also the everyday reason for a planned treatment.
    treatment_reasons: list[NonEmpty] = Field(default_factory=list)
    medical_conditions: list[NonEmpty] = Field(default_factory=list)
    our_work: list[NonEmpty] = Field(default_factory=list)
    problem_with_our_work: list[NonEmpty] = Field(default_factory=list)
    #: After a treatment: "it's getting worse" (a denied one does not count) ...
    getting_worse: list[NonEmpty] = Field(default_factory=list)
    #: ... or "it isn't getting any better": the doctor should see it.
    not_getting_better: list[NonEmpty] = Field(default_factory=list)
    other_body_parts: list[NonEmpty] = Field(default_factory=list)
    #: The neck and throat: not the mouth, except in a red flag that names them.
    near_the_mouth: list[NonEmpty] = Field(default_factory=list)
    dental_words: list[NonEmpty] = Field(default_factory=list)
    acknowledgements: list[NonEmpty] = Field(default_factory=list)
    upset_phrases: list[NonEmpty] = Field(default_factory=list)
    #: "I asked a simple question": a short apology and the answer, no offer.
    impatience_phrases: list[NonEmpty] = Field(default_factory=list)
    #: "I don't understand": the bot's reply wasn't clear; said again simply, or a person.
    confusion_phrases: list[NonEmpty] = Field(default_factory=list)
    insurers: list[NonEmpty] = Field(default_factory=list)
    #: Review requests and sales pressure no reply may contain, matched loosely by `check`.
    pressure_phrases: list[NonEmpty] = Field(default_factory=list)
    symptoms: dict[NonEmpty, list[NonEmpty]] = Field(default_factory=dict)
    urgent_symptoms: list[NonEmpty] = Field(default_factory=list)


FacetName = Literal[
    "price",
    "duration",
    "pain",
    "recovery",
    "longevity",
    "suitability",
    "materials",
    "safety",
    "preparation",
]


class FacetDefinition(Strict):
    """One side of a service patients ask about, with phrasings shared by every service."""

    description: NonEmpty
    examples: list[NonEmpty] = Field(min_length=1)


class FacetsFile(Strict):
    """intents/facets.yaml: how patients ask a facet, and the words that name each topic."""

    facets: dict[FacetName, FacetDefinition] = Field(default_factory=dict)
    topics: dict[Identifier, list[NonEmpty]] = Field(default_factory=dict)
    #: A narrower service -> the broader one it is a kind of: when a message names both
    #: ("partial denture", "wisdom tooth extraction"), the narrower one is meant.
    narrower: dict[Identifier, Identifier] = Field(default_factory=dict)


class FacetRepliesFile(Strict):
    """replies/facets.yaml: each service's answer to each facet, and the medical ones."""

    facets: dict[Identifier, dict[FacetName, list[NonEmpty]]] = Field(default_factory=dict)
    medical: list[NonEmpty] = Field(default_factory=list)


class Currency(Strict):
    """How money is written at this clinic."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    symbol: NonEmpty


class OpeningHours(Strict):
    """Opening hours for a group of days."""

    days: NonEmpty
    open: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    close: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    closed: bool = False

    @model_validator(mode="after")
    def _open_and_close_or_closed(self) -> OpeningHours:
        if not self.closed and (self.open is None or self.close is None):
            raise ValueError("give open and close times, or closed: true")
        return self


class SpecialistHours(Strict):
    """When a part-time specialist sees patients."""

    who: NonEmpty
    days: NonEmpty
    open: str = Field(pattern=r"^\d{2}:\d{2}$")
    close: str = Field(pattern=r"^\d{2}:\d{2}$")


class Doctor(Strict):
    """A doctor with what a patient can check: role, years of practice, degree."""

    name: NonEmpty
    role: NonEmpty
    years: int = Field(ge=0, le=70)
    degree: NonEmpty
    #: Languages the doctor speaks besides English, as patients name them: ["Spanish"].
    languages: list[NonEmpty] = []


class WarrantyTerm(Strict):
    """How long the clinic guarantees one kind of work."""

    service: NonEmpty
    period: NonEmpty


class Warranty(Strict):
    """Warranty terms and the conditions for keeping them."""

    terms: list[WarrantyTerm] = Field(min_length=1)
    conditions: list[NonEmpty] = Field(min_length=1)


class Discount(Strict):
    """A discount the clinic has actually set; with `percent` and `applies_to` (component
    keys) it is taken off a quote for a patient whose age fits (`age_below`, `age_from`)."""

    who: NonEmpty
    what: NonEmpty
    percent: Decimal | None = Field(default=None, gt=0, le=100)
    applies_to: list[NonEmpty] = Field(default_factory=list)
    age_below: int | None = Field(default=None, ge=1, le=120)
    age_from: int | None = Field(default=None, ge=0, le=120)

    def fits(self, age: float | None) -> bool:
        """Whether the quote for a patient of this age gets the discount (age must be known)."""
        if self.percent is None or not self.applies_to or age is None:
            return False
        if self.age_below is None and self.age_from is None:
            return False  # who qualifies cannot be told from the conversation (students)
        low = self.age_from if self.age_from is not None else 0
        high = self.age_below if self.age_below is not None else 200
        return low <= age < high


class Clinic(Strict):
    """The clinic's own facts, answered to patients as they are."""

    name: NonEmpty
    currency: Currency
    timezone: NonEmpty
    address: NonEmpty
    directions: NonEmpty
    phone: NonEmpty
    email: NonEmpty
    emergency_number: NonEmpty
    #: A phone that answers while the front desk is closed (on call), if the clinic has one.
    after_hours_phone: NonEmpty | None = None
    hours: list[OpeningHours] = Field(min_length=1)
    specialist_hours: list[SpecialistHours] = Field(default_factory=list)
    doctors: list[Doctor] = Field(min_length=1)
    warranty: Warranty
    payment_methods: list[NonEmpty] = Field(min_length=1)
    insurance: NonEmpty
    discounts: list[Discount] = Field(default_factory=list)


class Component(Strict):
    """A billable part, per tooth (default: never under-quote) or per visit; a price or range."""

    name: NonEmpty
    # "tooth": charged for each unit treated (a tooth, an implant, a crown, a denture's jaw);
    # "visit": charged once per visit or course however many units. The default is "tooth":
    # a forgotten `per` may over-count an X-ray, but never hides a part (never under-quotes).
    per: Literal["tooth", "visit"] = "tooth"
    price: Decimal | None = Field(default=None, ge=0)
    min: Decimal | None = Field(default=None, ge=0)
    max: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _price_or_range(self) -> Component:
        if self.price is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either price, or min and max, not both")
        if self.price is None and (self.min is None or self.max is None):
            raise ValueError("give a price, or both min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    @property
    def low(self) -> Decimal:
        """The lowest this part can cost."""
        low = self.price if self.price is not None else self.min
        assert low is not None  # the validator guarantees a price or a range
        return low

    @property
    def high(self) -> Decimal:
        """The highest this part can cost."""
        high = self.price if self.price is not None else self.max
        assert high is not None
        return high


class Bundle(Strict):
    """Everything a patient pays for one service, so the total is honest."""

    name: NonEmpty
    parts: list[Identifier] = Field(min_length=1)
    # What one unit of the per-tooth parts is: a tooth (an implant, a crown) or a jaw (a
    # denture), so "top and bottom" counts two jaws.
    unit: Literal["tooth", "jaw"] = "tooth"


class PriceOverride(Strict):
    """A branch's own price for a component: a price, or min and max."""

    price: Decimal | None = Field(default=None, ge=0)
    min: Decimal | None = Field(default=None, ge=0)
    max: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _price_or_range(self) -> PriceOverride:
        if self.price is not None and (self.min is not None or self.max is not None):
            raise ValueError("give either price, or min and max, not both")
        if self.price is None and (self.min is None or self.max is None):
            raise ValueError("give a price, or both min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"max {self.max} is below min {self.min}")
        return self


class Branch(Strict):
    """One of the clinic's branches; what it does not set comes from `clinic:`."""

    id: Identifier
    name: NonEmpty
    address: NonEmpty
    phone: NonEmpty
    directions: NonEmpty | None = None
    email: NonEmpty | None = None
    after_hours_phone: NonEmpty | None = None
    hours: list[OpeningHours] | None = Field(default=None, min_length=1)
    #: The doctors on duty here, by day (the clinic's part-time specialists when left out).
    specialist_hours: list[SpecialistHours] | None = None
    doctors: list[Doctor] | None = Field(default=None, min_length=1)
    #: The Telegram group of this branch's front desk (cases and booking requests go there).
    staff_chat_id: int | None = None
    #: Words patients use for it besides its name and street: "near the station".
    landmarks: list[NonEmpty] = Field(default_factory=list)
    #: Component key -> this branch's own price of it.
    prices: dict[Identifier, PriceOverride] = Field(default_factory=dict)
    #: Telegram ids of managers limited to their branches (see docs/managers.md).
    managers: list[int] = Field(default_factory=list)


class ClinicFile(Strict):
    """replies/clinic.yaml."""

    clinic: Clinic
    components: dict[Identifier, Component] = Field(min_length=1)
    bundles: dict[Identifier, Bundle] = Field(min_length=1)
    branches: list[Branch] = Field(default_factory=list)

    @model_validator(mode="after")
    def _discounts_name_components(self) -> ClinicFile:
        for discount in self.clinic.discounts:
            unknown = [key for key in discount.applies_to if key not in self.components]
            if unknown:
                raise ValueError(
                    f"the discount for {discount.who!r} applies to {', '.join(unknown)}, "
                    "which is not a component in this file"
                )
        return self


Wordings = Annotated[list[NonEmpty], Field(min_length=1)]


class AgeNote(Strict):
    """What the doctor's view is for patients of an age: below one age, or from one."""

    below: int | None = Field(default=None, ge=1, le=120)
    from_age: int | None = Field(default=None, ge=0, le=120, alias="from")
    note: NonEmpty

    def fits(self, age: float) -> bool:
        """Whether the note is about a patient of this age."""
        low = self.from_age if self.from_age is not None else 0
        high = self.below if self.below is not None else 200
        return low <= age < high


class ServiceScript(Strict):
    """The administrator's script for a service question, each part in several wordings."""

    bundle: Identifier
    #: How the service is named to the front desk and back to the patient: "a cleaning".
    label: str = ""
    #: The heading it is listed under in the price list ("Replacing teeth").
    group: str = "Other treatments"
    yes: Wordings
    offer: Wordings
    cost: Wordings
    why_total: Wordings
    honesty: Wordings
    question: Wordings
    ages: list[AgeNote] = Field(default_factory=list)


SCRIPT_PARTS = ("yes", "offer", "cost", "why_total", "honesty", "question")


class ServicesFile(Strict):
    """replies/services.yaml."""

    services: dict[Identifier, ServiceScript] = Field(default_factory=dict)


class RepliesFile(Strict):
    """replies/practical.yaml or replies/conversation.yaml."""

    replies: dict[Identifier, Wordings] = Field(default_factory=dict)


class Offer(Strict):
    """A "new in our clinic" item, shown to each patient at most once."""

    id: Identifier
    intents: list[Identifier] = Field(min_length=1)
    title: NonEmpty
    text: NonEmpty
    starts: dt.date
    ends: dt.date | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Offer:
        if self.ends is not None and self.ends < self.starts:
            raise ValueError(f"ends {self.ends} is before starts {self.starts}")
        return self

    def is_active(self, today: dt.date) -> bool:
        """Whether the offer may be shown on this date."""
        return self.starts <= today and (self.ends is None or today <= self.ends)


class OffersFile(Strict):
    """replies/offers.yaml."""

    offers: list[Offer] = Field(default_factory=list)
