"""YAML files under intents/ and replies/ -> validated models, or problems as file:line."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from bot.language import CODES
from bot.models import (
    CATALOG,
    SCRIPT_PARTS,
    Branch,
    Bundle,
    Clinic,
    ClinicFile,
    Component,
    FacetRepliesFile,
    FacetsFile,
    Intent,
    IntentFile,
    IntentKind,
    Offer,
    OffersFile,
    RepliesFile,
    ServiceScript,
    ServicesFile,
    Vocabulary,
)
from bot.yaml_lines import INDENTED_INTO_ABOVE, YamlSlip, YamlSyntaxError, line_of, read_yaml

Severity = Literal["error", "warning"]

#: Placeholders a template may use, filled in from clinic.yaml.
CLINIC_PLACEHOLDERS = frozenset(
    [
        "clinic_name",
        "address",
        "directions",
        "phone",
        "email",
        "emergency_number",
        "hours",
        "specialist_hours",
        "doctors",
        "warranty_terms",
        "warranty_conditions",
        "payment_methods",
        "insurance",
        "discounts",
        "services_list",
        "price_list",
    ]
)
#: Extra placeholders only the cost part of a service script may use.
COST_PLACEHOLDERS = frozenset({"parts", "total"})
#: Hand-overs while the front desk is closed: each must say when it opens, with {opens}.
CLOSED_HANDOFF_REPLIES = (
    "handoff_closed",
    "handoff_emergency_closed",
    "handoff_urgent_closed",
    "handoff_medical_closed",
    "handoff_warranty_closed",
    "handoff_aftercare_closed",
    "handoff_waiting_closed",
    "handoff_language_closed",
    "booking_sent_closed",
    "booking_sent_urgent_closed",
    "answer_urgent_closed",
    "answer_urgent_thanks_closed",
)
OPENS_PLACEHOLDERS = frozenset({"opens"})
#: The one reply that names the clinic's after-hours phone (only a clinic with one says it).
AFTER_HOURS_REPLY = "handoff_after_hours_phone"
AFTER_HOURS_PLACEHOLDERS = frozenset({"after_hours_phone"})
#: The note for a message in a language the bot does not read, one per language
#: (replies/languages.yaml).
LANGUAGE_NOTES_FILE = "languages.yaml"
LANGUAGE_NOTES = tuple(f"language_{code}" for code in CODES)
#: The replies of a booking request (bot.core.flows.booking) and of the front desk's answers.
BOOKING_REPLIES = (
    "booking_noted",
    "booking_walk_in",
    "booking_ask_what",
    "booking_ask_when",
    "booking_ask_returning",
    "booking_ask_name",
    "booking_ask_phone",
    "booking_skipped",
    "booking_not_caught",
    "booking_closed_day",
    "booking_closed_hour",
    "booking_left_for_desk",
    "booking_cancelled",
    "booking_sent",
    "booking_sent_urgent",
    "booking_sent_closed",
    "booking_sent_urgent_closed",
    "booking_sent_no_hours",
    "booking_proposal_declined",
    "booking_proposal_gone",
    "booking_move",
    "booking_cancel_sent",
    "booking_proposed",
    "booking_confirmed",
    "booking_reminder_offer",
    "booking_appointment_cancelled",
)
#: Booking replies that say nothing back, so they may not use {noted}.
SAID_WITHOUT_NOTED = frozenset({"booking_move", "booking_cancel_sent", "booking_walk_in"})
#: The reply to "what happens if I wait?" about a treatment.
IF_WAITING = "if_waiting"
#: Said before the dental answers when a message also asks for something we don't do.
OFF_TOPIC_ASIDE = "off_topic_aside"
#: Moving into the dental chair asked about ("can he stay in his wheelchair?"): how the visit
#: is planned around it.
IN_THE_CHAIR = "answer_in_the_chair"
#: Someone of the patient's own asked to come in with them ("can my daughter come in with
#: me?"): welcome.
COMPANION = "answer_companion"
#: What to check in another clinic's quote: {noted} lists every part of the service's bundle.
COMPARE_QUOTE = "compare_quote"
#: The reply to "how much is an emergency visit", and the bundle it quotes.
URGENT_PRICE = "urgent_price"
URGENT_BUNDLE = "urgent_visit"
#: Placeholders of a reply that quotes a bundle: each part with its price, and the total.
PRICE_PLACEHOLDERS = frozenset({"parts", "total"})
CONVERSATION_REPLIES = [
    "urgent",
    URGENT_PRICE,
    "handoff_medical",
    "handoff_warranty",
    "handoff_aftercare",
    "urgent_care",
    "urgent_care_closed",
    "aftercare_general",
    "aftercare_watch",
    "aftercare_again",
    "answer_urgent",
    "answer_urgent_thanks",
    "answer_urgent_closed",
    "answer_urgent_thanks_closed",
    "handoff_urgent",
    "hours_day_open",
    "hours_day_closed",
    "hours_day_specialists",
    "question_age_known",
    "question_problem_known",
    *BOOKING_REPLIES,
    "price_not_free",
    "price_free",
    "price_part_included",
    "price_part_separate",
    "total_first",
    "repeat_service",
    "greeting_first",
    "greeting",
    "thanks",
    "goodbye",
    "opt_out",
    "opt_in",
    "reminders",
    "reminders_opted_out",
    "forget_me_confirm",
    "forget_me_done",
    "forget_me_cancelled",
    "not_understood",
    "did_you_mean",
    "handoff",
    "handoff_emergency",
    "handoff_waiting",
    "handback",
    "non_text",
    "acknowledged",
    "something_went_wrong",
    "consent_appointment",
    "consent_hygiene",
    "consent_checkup",
    "consent_given",
    "consent_declined",
    "reminder_appointment_day_before",
    "reminder_appointment_soon",
    "reminder_hygiene",
    "reminder_checkup",
    "answer_noted",
    "answer_insurance_named",
    "answer_warranty_named",
    "answer_doctors_named",
    "answer_language_spoken",
    "answer_language_not_spoken",
    "answer_insurance_covers",
    "answer_insurance_price",
    "new_patients",
    "diagnosis_unseen",
    "patient_confused",
    "answer_thanks",
    "answer_next_service",
    "answer_booking_day",
    IF_WAITING,
    "weigh_opening",
    "weigh_total",
    "weigh_closing",
    "weigh_pick",
    "off_topic",
    OFF_TOPIC_ASIDE,
    IN_THE_CHAIR,
    COMPANION,
    "upset",
    COMPARE_QUOTE,
    "sorry_for_the_wait",
    "handoff_language",
    "handoff_emergency_waiting",
    "handoff_after_hours_phone",
    *CLOSED_HANDOFF_REPLIES,
]
#: The branch question and its answers (bot.core.flows.branches): required only of a clinic
#: with several branches, so a single clinic's files stay as they are.
BRANCH_REPLIES = ("branch_ask", "branch_not_caught", "branch_change", "branch_chosen")
#: Extra placeholders of the replies to a patient's answer: what was understood.
ANSWER_PLACEHOLDERS = frozenset({"noted"})
#: Replies that say back what the patient gave or the day's hours may use {noted}.
ANSWER_PREFIXES = (
    "answer_",
    "branch_",
    "hours_day_",
    "price_",
    "total_first",
    "weigh_total",
    "repeat_service",
    "question_problem_known",
    COMPARE_QUOTE,
    *(key for key in BOOKING_REPLIES if key not in SAID_WITHOUT_NOTED),
)
HOURS_PLACEHOLDERS = frozenset({"open", "close"})
#: Extra placeholders only reminder texts may use: date, time and doctor, nothing clinical.
REMINDER_PLACEHOLDERS = frozenset({"date", "time", "doctor"})


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a data file, at a line a manager can open."""

    path: Path
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Where:
    """The file and line a loaded value came from."""

    path: Path
    line: int


@dataclass(frozen=True)
class PatientText:
    """One text a patient can read, with where it is written."""

    label: str
    where: Where
    text: str
    #: A clinic fact (insurance, discounts...), not a reply the bot's voice is written in.
    fact: bool = False


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, loaded and cross-checked: the unit that is swapped on reload."""

    intents: dict[str, Intent]
    out_of_scope: tuple[str, ...]
    vocabulary: Vocabulary
    clinic: Clinic
    components: dict[str, Component]
    bundles: dict[str, Bundle]
    services: dict[str, ServiceScript]
    replies: dict[str, list[str]]
    offers: tuple[Offer, ...]
    origins: dict[str, Where] = field(default_factory=dict, compare=False)
    locations: dict[str, Where] = field(default_factory=dict, compare=False)
    example_origins: dict[tuple[str, int], Where] = field(default_factory=dict, compare=False)
    facet_examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    narrower_topics: dict[str, str] = field(default_factory=dict)
    facet_replies: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    medical_facets: frozenset[str] = frozenset()
    patient_texts: tuple[PatientText, ...] = field(default=(), compare=False)
    #: The clinic's branches (none for a single clinic), as replies/clinic.yaml lists them.
    branches: tuple[Branch, ...] = ()

    def bundle_of(self, service: str) -> Bundle | None:
        """The bundle a service is priced by, or None for a subject with no script."""
        script = self.services.get(service)
        return self.bundles[script.bundle] if script is not None else None


class KnowledgeError(Exception):
    """The data could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data files")
        self.problems = problems


ModelT = TypeVar("ModelT", bound=BaseModel)


class _Collector:
    """Reads files and gathers problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        #: Files that could not be loaded: checks that need their contents stay silent.
        self.failed: set[Path] = set()
        self.texts: list[PatientText] = []

    def text(self, label: str, path: Path, line: int, text: str, fact: bool = False) -> None:
        """Note a text a patient can read, for the checks on prices and pressure."""
        self.texts.append(PatientText(label, Where(path, line), text, fact))

    def add(self, path: Path, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(path, line, message, severity))

    def intents_failed(self, intents_dir: Path) -> bool:
        """Whether an intent file failed to load, so not every intent's name is known."""
        return any(
            path.parent == intents_dir and path.name not in ("vocabulary.yaml", FACETS_FILE)
            for path in self.failed
        )

    def read(self, path: Path, model: type[ModelT]) -> tuple[ModelT | None, Any]:
        """Parse and validate one file; on failure record every problem and return None."""
        try:
            parsed = read_yaml(path)
        except YamlSyntaxError as error:
            self.add(path, error.line, str(error))
            self.failed.add(path)
            return None, None
        except OSError as error:
            self.add(path, 1, f"cannot read file: {error.strerror}")
            self.failed.add(path)
            return None, None
        document = {} if parsed.document is None else parsed.document
        slips = [*parsed.slips, *_separator_slips(parsed.text)]
        for slip in slips:
            self.add(path, slip.line, slip.message)
        slip_lines = {slip.line for slip in slips}
        try:
            return model.model_validate(document), document
        except ValidationError as error:
            for detail in error.errors():
                location = tuple(detail["loc"])
                where = ".".join(str(step) for step in location) or "file"
                line = line_of(document, location)
                message = _friendly(detail["msg"], detail["type"])
                if detail["type"] == "string_type" and isinstance(detail["input"], dict | list):
                    line = _first_nested_line(detail["input"], line)
                    message = INDENTED_INTO_ABOVE
                if line not in slip_lines:  # already explained by the slip on that line
                    self.add(path, line, f"{where}: {message}")
            self.failed.add(path)
            return None, document


#: A price, minimum or maximum written with a thousands separator: "min: 1,500", "price: 1.500"
#: as a key of its own line or of a {...} mapping (not inside a text).
_SEPARATED_PRICE = re.compile(
    r"(?:^\s*|[{,]\s*)(?:price|min|max)\s*:\s*"
    r"(\d{1,3}(?:(?:,|'|\s)\d{3})+|\d{1,3}\.\d{3})(?![\d.])"
)


def _separator_slips(text: str) -> list[YamlSlip]:
    """Prices written with thousands separators, which YAML reads as something else."""
    slips = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        written = [found[1] for found in _SEPARATED_PRICE.finditer(line)]
        if written:
            plain = " and ".join(re.sub(r"\D", "", price) for price in written)
            slips.append(
                YamlSlip(
                    number,
                    f"write prices without separators: {plain} (not {' and '.join(written)}; "
                    "a ',' or '.' between the thousands makes it another number, or none)",
                )
            )
    return slips


def _first_nested_line(value: Any, default: int) -> int:
    """The line of the first value inside a list or mapping that should have been a text."""
    lines = getattr(value, "lines", None)
    return min(lines.values()) if lines else default


def _friendly(message: str, kind: str) -> str:
    """Pydantic's message, minus its jargon."""
    if kind == "extra_forbidden":
        return "unknown key (check the spelling)"
    if kind == "missing":
        return "required but missing"
    return message.removeprefix("Value error, ")


def placeholders(template: str) -> set[str]:
    """The {names} a template uses; raises ValueError on a malformed brace."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


_MONEY_WORDS = r"dollars?|bucks?|usd|eur|euros?|gbp|pounds?|quid|rupees?|cents?"
_SYMBOLS = "$€£¥₹"
#: What may follow a number that is not money: "2 years", "9:30", "10%", "3 spots", "65+".
_NOT_MONEY = (
    r"%|\+|(?:percent|years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|"
    r"seconds?|teeth|tooth|patients?|people|children|kids|times|visits?|sessions?|"
    r"appointments?|canals?|implants?|crowns?|spots?|places?|slots?|km|miles?|m|meters?|"
    r"metres?|ft|feet|mg|ml|am|pm|a\.m|p\.m|st|nd|rd|th|and (?:over|under|older|up))\b"
)
#: Words before a number that make it a price; after a "weak" one only from 100 up
#: ("from 13" is an age, "at 9" a time, "for 2" a count; "from 1500" is a price).
_STRONG_CUES = r"only|just|costs?|costing|priced at|price is|prices? of|pay|paying|total(?: is)?"
_WEAK_CUES = r"from|for|at|about|around|under|over|starting at|starts at|as low as|up to"
_CUED_NUMBER = re.compile(
    rf"\b(?P<cue>{_STRONG_CUES}|{_WEAK_CUES})\s+(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)"
    rf"(?:\.\d{{1,2}})?(?![\d:,.]?\d)(?!\s*(?:{_NOT_MONEY}))(?!\s?[-/]?\s?\d)",
    re.IGNORECASE,
)
_STRONG = re.compile(rf"^(?:{_STRONG_CUES})$", re.IGNORECASE)


def typed_price(text: str, clinic: Clinic | None) -> str | None:
    """The price typed into a text ("$500", "500 USD", "from 1500"), or None."""
    symbols = re.escape(_SYMBOLS + (clinic.currency.symbol if clinic else ""))
    codes = "|".join([_MONEY_WORDS, *([re.escape(clinic.currency.code)] if clinic else [])])
    marked = re.search(
        rf"[{symbols}]\s?\d[\d,.]*|\bfrom\s+[{symbols}]|\b(?:{codes})\s?\d[\d,.]*"
        rf"|\d[\d,.]*\s?(?:{codes})\b",
        text,
        re.IGNORECASE,
    )
    if marked:
        return marked[0]
    for found in _CUED_NUMBER.finditer(text):
        value = int(found["number"].replace(",", ""))
        if value >= (10 if _STRONG.match(found["cue"]) else 100):
            return found[0]
    return None


def load_knowledge(intents_dir: Path, replies_dir: Path) -> tuple[Knowledge | None, list[Problem]]:
    """Load and cross-check every data file.

    Knowledge is None when a file could not be read or fails its schema; otherwise it comes
    back with the problems, so the linter can look further. Use it only if no problem is an
    error.
    """
    collect = _Collector()
    intents, out_of_scope, vocabulary, origins, example_origins = _load_intents(
        collect, intents_dir
    )
    intents_known = not collect.intents_failed(intents_dir)
    clinic_path, services_path = replies_dir / "clinic.yaml", replies_dir / "services.yaml"
    clinic_file, clinic_doc = collect.read(clinic_path, ClinicFile)
    if clinic_file is not None:
        _collect_clinic_facts(collect, clinic_path, clinic_file.clinic, clinic_doc)
    services_file, services_doc = collect.read(services_path, ServicesFile)
    if services_file is not None:
        _collect_service_texts(collect, services_path, services_file, services_doc)
    replies: dict[str, list[str]] = {}
    reply_docs: dict[str, tuple[Path, Any]] = {}
    replies_complete = True
    for name in ("practical.yaml", "conversation.yaml", LANGUAGE_NOTES_FILE):
        path = replies_dir / name
        replies_file, document = collect.read(path, RepliesFile)
        if replies_file is None:
            replies_complete = False
            continue
        for key, wordings in replies_file.replies.items():
            if key in replies:
                collect.add(path, line_of(document, ("replies", key)), f"reply {key!r} twice")
            replies[key] = wordings
            reply_docs[key] = (path, document)
            for index, wording in enumerate(wordings):
                collect.text(key, path, line_of(document, ("replies", key, index)), wording)
            if key in intents:
                _enough_wordings(collect, path, document, ("replies", key), key, wordings)
    offers_path = replies_dir / "offers.yaml"
    offers_file, offers_doc = collect.read(offers_path, OffersFile)
    if offers_file is not None:
        for index, offer in enumerate(offers_file.offers):
            for part in ("title", "text"):
                at = line_of(offers_doc, ("offers", index, part))
                collect.text(f"offer {offer.id}.{part}", offers_path, at, getattr(offer, part))
    facets = _load_facets(
        collect, intents_dir, replies_dir, intents if intents_known else None, services_file
    )

    if clinic_file is not None:
        _check_bundles(collect, replies_dir / "clinic.yaml", clinic_file, clinic_doc)
        _check_branches(collect, replies_dir / "clinic.yaml", clinic_file, clinic_doc)
    if services_file is not None and clinic_file is not None:
        _check_services(
            collect,
            replies_dir / "services.yaml",
            services_file,
            services_doc,
            intents if intents_known else None,
            clinic_file,
        )
    _check_replies(
        collect,
        replies,
        reply_docs,
        intents if intents_known else None,
        replies_dir,
        replies_complete,
        clinic_file is not None and len(clinic_file.branches) > 1,
    )
    if offers_file is not None:
        _check_offers(
            collect, offers_path, offers_file, offers_doc, intents if intents_known else None
        )
    _check_typed_prices(collect, clinic_file.clinic if clinic_file else None)

    if collect.failed or clinic_file is None or services_file is None or offers_file is None:
        return None, sorted(collect.problems)  # the rules would only repeat the gaps
    locations = {"clinic": Where(replies_dir / "clinic.yaml", 1)}
    for name in clinic_file.bundles:
        locations[f"bundle:{name}"] = Where(
            replies_dir / "clinic.yaml", line_of(clinic_doc, ("bundles", name))
        )
    for name in services_file.services:
        locations[f"service:{name}"] = Where(
            replies_dir / "services.yaml", line_of(services_doc, ("services", name))
        )
    for key, (path, document) in reply_docs.items():
        locations[f"reply:{key}"] = Where(path, line_of(document, ("replies", key)))
    for index, offer in enumerate(offers_file.offers):
        locations[f"offer:{offer.id}"] = Where(offers_path, line_of(offers_doc, ("offers", index)))
    knowledge = Knowledge(
        locations=locations,
        intents=intents,
        out_of_scope=tuple(out_of_scope),
        vocabulary=vocabulary,
        clinic=clinic_file.clinic,
        components=clinic_file.components,
        bundles=clinic_file.bundles,
        services=services_file.services,
        replies=replies,
        offers=tuple(offers_file.offers),
        origins=origins,
        example_origins=example_origins,
        facet_examples=facets.examples,
        topic_words=facets.topic_words,
        narrower_topics=facets.narrower,
        facet_replies=facets.replies,
        medical_facets=facets.medical,
        patient_texts=tuple(collect.texts),
        branches=tuple(clinic_file.branches),
    )
    return knowledge, sorted(collect.problems)


#: The fewest wordings of a script part, a facet answer and an intent's reply: the bot
#: rotates them, so a patient who asks twice gets new words (docs/data-format.md).
MIN_WORDINGS = 2


def _enough_wordings(
    collect: _Collector,
    path: Path,
    document: Any,
    location: tuple[str, ...],
    label: str,
    wordings: list[str],
) -> None:
    """An error when a part that needs several wordings has fewer."""
    if len(wordings) < MIN_WORDINGS:
        collect.add(
            path,
            line_of(document, location),
            f"{label} has only {len(wordings)} wording; write at least {MIN_WORDINGS}, so a "
            "patient who asks twice gets new words",
        )


def _collect_clinic_facts(collect: _Collector, path: Path, clinic: Clinic, doc: Any) -> None:
    """The clinic's free-text facts that replies show to patients."""
    facts: list[tuple[tuple[str | int, ...], str]] = [
        (("directions",), clinic.directions),
        (("insurance",), clinic.insurance),
    ]
    facts += [(("payment_methods", i), text) for i, text in enumerate(clinic.payment_methods)]
    facts += [(("warranty", "conditions", i), t) for i, t in enumerate(clinic.warranty.conditions)]
    facts += [
        (("warranty", "terms", i, "period"), term.period)
        for i, term in enumerate(clinic.warranty.terms)
    ]
    facts += [(("discounts", i, "what"), d.what) for i, d in enumerate(clinic.discounts)]
    for location, text in facts:
        label = "clinic." + ".".join(str(step) for step in location)
        collect.text(label, path, line_of(doc, ("clinic", *location)), text, fact=True)


def _collect_service_texts(
    collect: _Collector, path: Path, services_file: ServicesFile, doc: Any
) -> None:
    """Every wording of every script, and each part has enough of them."""
    for name, script in services_file.services.items():
        if script.label:
            at = line_of(doc, ("services", name, "label"))
            collect.text(f"{name}.label", path, at, script.label)
        for part in SCRIPT_PARTS:
            wordings: list[str] = getattr(script, part)
            _enough_wordings(
                collect, path, doc, ("services", name, part), f"{name}.{part}", wordings
            )
            for index, wording in enumerate(wordings):
                at = line_of(doc, ("services", name, part, index))
                collect.text(f"{name}.{part}", path, at, wording)
        for index, age in enumerate(script.ages):
            at = line_of(doc, ("services", name, "ages", index, "note"))
            collect.text(f"{name}.ages", path, at, age.note)


def _check_typed_prices(collect: _Collector, clinic: Clinic | None) -> None:
    """A price typed into any text a patient reads, instead of computed from clinic.yaml."""
    for text in collect.texts:
        found = typed_price(text.text, clinic)
        if found is not None:
            collect.add(
                text.where.path,
                text.where.line,
                f"{text.label}: a price is typed into the text ({found!r}); prices come only "
                "from clinic.yaml components and bundles, through {parts}, {total} or "
                "{price_list}",
            )


FACETS_FILE = "facets.yaml"


@dataclass(frozen=True)
class _Facets:
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replies: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    medical: frozenset[str] = frozenset()
    narrower: dict[str, str] = field(default_factory=dict)


def _load_facets(
    collect: _Collector,
    intents_dir: Path,
    replies_dir: Path,
    intents: dict[str, Intent] | None,
    services_file: ServicesFile | None,
) -> _Facets:
    """Facet phrasings (intents/facets.yaml) and every service's facet answers.

    `intents` and `services_file` are None when their files did not load: then names cannot
    be checked against them, and nothing is reported as unknown or missing.
    """
    asked_path, answers_path = intents_dir / FACETS_FILE, replies_dir / FACETS_FILE
    if not asked_path.exists() and not answers_path.exists():
        return _Facets()  # a clinic without follow-up answers yet
    asked, asked_doc = collect.read(asked_path, FacetsFile)
    answers, answers_doc = collect.read(answers_path, FacetRepliesFile)
    if asked is None or answers is None:
        return _Facets()
    for topic in asked.topics:
        if intents is not None and topic not in intents:
            collect.add(
                asked_path, line_of(asked_doc, ("topics", topic)), f"unknown topic {topic!r}"
            )
    services = services_file.services if services_file is not None else {}
    allowed = CLINIC_PLACEHOLDERS | COST_PLACEHOLDERS
    for service, by_facet in answers.facets.items():
        line = line_of(answers_doc, ("facets", service))
        if services_file is not None and service not in services:
            collect.add(answers_path, line, f"facets for {service!r}, which is no service")
        for facet in sorted(set(asked.facets) - set(by_facet)):
            collect.add(
                answers_path,
                line,
                f"service {service!r} has no answer for the facet {facet!r} (one may honestly "
                "say the doctor decides at the exam)",
            )
        for facet, wordings in by_facet.items():
            label = f"facet {service}.{facet}"
            location = ("facets", service, facet)
            _enough_wordings(collect, answers_path, answers_doc, location, label, wordings)
            for number, wording in enumerate(wordings):
                where = line_of(answers_doc, (*location, number))
                _check_template(collect, answers_path, where, label, wording, allowed)
                collect.text(label, answers_path, where, wording)
    for service in services:
        if service not in answers.facets:
            collect.add(
                answers_path, 1, f"service {service!r} has no facet answers (how long, pain...)"
            )
    for name in answers.medical:
        service, _, asked_facet = name.partition(".")
        if asked_facet not in answers.facets.get(service, {}):
            collect.add(
                answers_path,
                line_of(answers_doc, ("medical",)),
                f"medical: {name!r} is no service.facet",
            )
    return _Facets(
        examples={name: tuple(d.examples) for name, d in asked.facets.items()},
        topic_words={topic: tuple(names) for topic, names in asked.topics.items()},
        narrower=dict(asked.narrower),
        replies={
            service: {str(facet): wordings for facet, wordings in by_facet.items()}
            for service, by_facet in answers.facets.items()
        },
        medical=frozenset(answers.medical),
    )


def load_or_raise(intents_dir: Path, replies_dir: Path) -> Knowledge:
    """Load the data or raise KnowledgeError with every problem."""
    knowledge, problems = load_knowledge(intents_dir, replies_dir)
    errors = [problem for problem in problems if problem.severity == "error"]
    if knowledge is None or errors:
        raise KnowledgeError(errors)
    return knowledge


def normalized_key(text: str) -> str:
    """Lowercase letters and digits only: two examples with the same key are the same."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _load_intents(
    collect: _Collector, intents_dir: Path
) -> tuple[
    dict[str, Intent], list[str], Vocabulary, dict[str, Where], dict[tuple[str, int], Where]
]:
    intents: dict[str, Intent] = {}
    origins: dict[str, Where] = {}
    example_origins: dict[tuple[str, int], Where] = {}
    out_of_scope: list[str] = []
    seen_examples: dict[str, tuple[str, Where]] = {}
    vocabulary = Vocabulary()
    files = sorted(intents_dir.glob("*.yaml")) if intents_dir.is_dir() else []
    if not files:
        collect.add(intents_dir, 1, "no intent files (*.yaml) found")
    for path in files:
        if path.name == "vocabulary.yaml":
            loaded, document = collect.read(path, Vocabulary)
            vocabulary = loaded or vocabulary
            for number, name in enumerate(vocabulary.urgent_symptoms):
                if name not in vocabulary.symptoms:
                    line = line_of(document, ("urgent_symptoms", number))
                    collect.add(path, line, f"urgent symptom {name!r} is not among symptoms")
            continue
        if path.name == FACETS_FILE:
            continue  # read by _load_facets
        intent_file, document = collect.read(path, IntentFile)
        if intent_file is None:
            continue
        for index, intent in enumerate(intent_file.intents):
            where = Where(path, line_of(document, ("intents", index)))
            if intent.name in intents:
                first = origins[intent.name]
                collect.add(
                    path,
                    where.line,
                    f"intent {intent.name!r} is defined twice (first at {first.path.name}:"
                    f"{first.line}); the bot would use only the first, so keep one of them",
                )
                continue
            if intent.label is not None:
                at = line_of(document, ("intents", index, "label"))
                collect.text(f"intent {intent.name}.label", path, at, intent.label)
            expected_kind = CATALOG.get(intent.name)
            if expected_kind is not None and intent.kind != expected_kind:
                collect.add(
                    path,
                    where.line,
                    f"intent {intent.name!r} must be of kind "
                    f"{expected_kind.value}, not {intent.kind.value}",
                )
            intents[intent.name] = intent
            origins[intent.name] = where
            for number, example in enumerate(intent.examples):
                line = line_of(document, ("intents", index, "examples", number))
                example_where = Where(path, line)
                example_origins[(intent.name, number)] = example_where
                key = normalized_key(example)
                if key in seen_examples:
                    other, other_where = seen_examples[key]
                    collect.add(
                        path,
                        line,
                        f"example {example!r} of {intent.name!r} is also an "
                        f"example of {other!r} ({other_where.path.name}:"
                        f"{other_where.line})",
                    )
                else:
                    seen_examples[key] = (intent.name, example_where)
        for number, text in enumerate(intent_file.out_of_scope):
            line = line_of(document, ("out_of_scope", number))
            key = normalized_key(text)
            if key in seen_examples:
                other, other_where = seen_examples[key]
                collect.add(
                    path,
                    line,
                    f"out-of-scope {text!r} is also an example of {other!r} "
                    f"({other_where.path.name}:{other_where.line})",
                )
            out_of_scope.append(text)
    for name in CATALOG:
        if name not in intents and files and not collect.intents_failed(intents_dir):
            collect.add(intents_dir, 1, f"intent {name!r} is missing (the bot relies on it)")
    return intents, out_of_scope, vocabulary, origins, example_origins


def _check_bundles(collect: _Collector, path: Path, clinic_file: ClinicFile, doc: Any) -> None:
    for name, bundle in clinic_file.bundles.items():
        for index, part in enumerate(bundle.parts):
            if part not in clinic_file.components:
                collect.add(
                    path,
                    line_of(doc, ("bundles", name, "parts", index)),
                    f"bundle {name!r} uses unknown component {part!r}",
                )
    if URGENT_BUNDLE not in clinic_file.bundles:
        collect.add(
            path,
            line_of(doc, ("bundles",)),
            f"bundle {URGENT_BUNDLE!r} is missing: the price of an urgent visit is quoted from it",
        )
    used = {part for bundle in clinic_file.bundles.values() for part in bundle.parts}
    for key in clinic_file.components:
        if key not in used:
            collect.add(
                path,
                line_of(doc, ("components", key)),
                f"component {key!r} is in no bundle, so no patient is ever quoted its price",
                "warning",
            )
    try:
        ZoneInfo(clinic_file.clinic.timezone)
    except (KeyError, ValueError, ModuleNotFoundError):
        collect.add(
            path,
            line_of(doc, ("clinic", "timezone")),
            f"unknown time zone {clinic_file.clinic.timezone!r}",
        )


#: The longest branch id: "branch:<id>" must fit a Telegram button's 64 bytes.
BRANCH_ID_LENGTH = 40


def _check_branches(collect: _Collector, path: Path, clinic_file: ClinicFile, doc: Any) -> None:
    """Each branch: a unique id and name, known components priced, its own staff chat."""
    several = len(clinic_file.branches) > 1
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, str] = {}
    seen_landmarks: dict[str, str] = {}
    for index, branch in enumerate(clinic_file.branches):
        line = line_of(doc, ("branches", index))
        label = f"branch {branch.id!r}"
        if branch.id in seen_ids:
            collect.add(
                path,
                line,
                f"{label} is listed twice (first at line {seen_ids[branch.id]}); give each "
                "branch its own id",
            )
        seen_ids.setdefault(branch.id, line)
        if len(branch.id) > BRANCH_ID_LENGTH:
            collect.add(
                path,
                line_of(doc, ("branches", index, "id")),
                f"{label}: keep a branch id to {BRANCH_ID_LENGTH} characters (it travels in "
                "the branch buttons patients tap, which Telegram keeps short)",
            )
        name = normalized_key(branch.name)
        if name in seen_names and seen_names[name] != branch.id:
            collect.add(
                path,
                line_of(doc, ("branches", index, "name")),
                f"{label}: the name {branch.name!r} is also branch {seen_names[name]!r}'s, so "
                "patients could not tell them apart",
            )
        seen_names.setdefault(name, branch.id)
        if several and branch.staff_chat_id is None:
            collect.add(
                path,
                line,
                f"{label} has no staff_chat_id: with several branches, each needs the chat "
                "of its own front desk (its cases and booking requests go there)",
            )
        for key in branch.prices:
            at = line_of(doc, ("branches", index, "prices", key))
            if key not in clinic_file.components:
                collect.add(path, at, f"{label}: prices {key!r} is not a component in this file")
        for number, landmark in enumerate(branch.landmarks):
            key = normalized_key(landmark)
            other = seen_landmarks.get(key)
            if other is not None and other != branch.id:
                collect.add(
                    path,
                    line_of(doc, ("branches", index, "landmarks", number)),
                    f"{label}: the landmark {landmark!r} is also branch {other!r}'s; patients "
                    "who say it could mean either",
                )
            seen_landmarks.setdefault(key, branch.id)
        if branch.directions is not None:
            at = line_of(doc, ("branches", index, "directions"))
            collect.text(f"{label}.directions", path, at, branch.directions, fact=True)


def _check_template(
    collect: _Collector,
    path: Path,
    line: int,
    label: str,
    template: str,
    allowed: frozenset[str],
) -> None:
    try:
        used = placeholders(template)
    except ValueError as error:
        collect.add(path, line, f"{label}: broken placeholder braces ({error})")
        return
    for name in sorted(used - allowed):
        collect.add(path, line, f"{label}: unknown placeholder {{{name}}}")


def _check_services(
    collect: _Collector,
    path: Path,
    services_file: ServicesFile,
    doc: Any,
    intents: dict[str, Intent] | None,
    clinic_file: ClinicFile,
) -> None:
    """Scripts against intents (None when an intent file did not load) and bundles."""
    for name, script in services_file.services.items():
        line = line_of(doc, ("services", name))
        intent = intents.get(name) if intents is not None else None
        if intents is not None and intent is None:
            collect.add(path, line, f"script for unknown intent {name!r}")
        elif intent is not None and intent.kind != IntentKind.SERVICE:
            collect.add(path, line, f"{name!r} is a {intent.kind.value} intent, not a service")
        if script.bundle not in clinic_file.bundles:
            collect.add(
                path,
                line_of(doc, ("services", name, "bundle")),
                f"{name}: unknown bundle {script.bundle!r}",
            )
        for part in SCRIPT_PARTS:
            wordings: list[str] = getattr(script, part)
            allowed = (
                CLINIC_PLACEHOLDERS | COST_PLACEHOLDERS
                if part == "cost"
                else (CLINIC_PLACEHOLDERS)
            )
            for index, template in enumerate(wordings):
                at = line_of(doc, ("services", name, part, index))
                _check_template(collect, path, at, f"{name}.{part}", template, allowed)
                if part == "cost" and not placeholders_or_empty(template) >= COST_PLACEHOLDERS:
                    collect.add(
                        path,
                        at,
                        f"{name}.cost: must show {{parts}} and {{total}} so "
                        "the patient sees every part and the total",
                    )
    for name, intent in (intents or {}).items():
        if intent.kind == IntentKind.SERVICE and name not in services_file.services:
            collect.add(path, 1, f"service intent {name!r} has no script in services.yaml")


def placeholders_or_empty(template: str) -> set[str]:
    """Like placeholders(), but an empty set for a malformed template."""
    try:
        return placeholders(template)
    except ValueError:
        return set()


def _check_replies(
    collect: _Collector,
    replies: dict[str, list[str]],
    reply_docs: dict[str, tuple[Path, Any]],
    intents: dict[str, Intent] | None,
    replies_dir: Path,
    complete: bool,
    several_branches: bool = False,
) -> None:
    """Placeholders of every reply; keys against intents (None when an intent file failed)."""
    known_keys = (
        set(CONVERSATION_REPLIES) | set(BRANCH_REPLIES) | set(LANGUAGE_NOTES) | set(intents or {})
    )
    for key, wordings in replies.items():
        path, doc = reply_docs[key]
        if intents is not None and key not in known_keys:
            collect.add(
                path,
                line_of(doc, ("replies", key)),
                f"reply {key!r} belongs to no intent or conversation step",
            )
        for index, template in enumerate(wordings):
            at = line_of(doc, ("replies", key, index))
            allowed = CLINIC_PLACEHOLDERS | (
                REMINDER_PLACEHOLDERS if key.startswith(("reminder_", "booking_")) else frozenset()
            )
            if key.startswith(ANSWER_PREFIXES):
                allowed = allowed | ANSWER_PLACEHOLDERS | HOURS_PLACEHOLDERS
            if key in CLOSED_HANDOFF_REPLIES:
                allowed = allowed | OPENS_PLACEHOLDERS
                if not placeholders_or_empty(template) >= OPENS_PLACEHOLDERS:
                    collect.add(path, at, f"{key}: must say when the front desk opens, {{opens}}")
            if key == AFTER_HOURS_REPLY:
                allowed = allowed | AFTER_HOURS_PLACEHOLDERS
            if key == URGENT_PRICE:
                allowed = allowed | PRICE_PLACEHOLDERS
            _check_template(collect, path, at, key, template, allowed)
    if not complete:
        return  # a file that did not load was already reported; its keys are not "missing"
    for name, intent in (intents or {}).items():
        if intent.kind == IntentKind.PRACTICAL and name not in replies:
            collect.add(
                replies_dir / "practical.yaml", 1, f"practical intent {name!r} has no reply"
            )
    for key in [*CONVERSATION_REPLIES, *(BRANCH_REPLIES if several_branches else ())]:
        if key not in replies:
            collect.add(replies_dir / "conversation.yaml", 1, f"reply {key!r} is missing")
    for key in LANGUAGE_NOTES:
        if key not in replies:
            collect.add(replies_dir / LANGUAGE_NOTES_FILE, 1, f"reply {key!r} is missing")


def _check_offers(
    collect: _Collector,
    path: Path,
    offers_file: OffersFile,
    doc: Any,
    intents: dict[str, Intent] | None,
) -> None:
    """Offer ids are unique; each is attached to known intents (None: an intent file failed)."""
    seen: set[str] = set()
    for index, offer in enumerate(offers_file.offers):
        line = line_of(doc, ("offers", index))
        if offer.id in seen:
            collect.add(path, line, f"offer id {offer.id!r} is used twice")
        seen.add(offer.id)
        for number, name in enumerate(offer.intents):
            if intents is not None and name not in intents:
                collect.add(
                    path,
                    line_of(doc, ("offers", index, "intents", number)),
                    f"offer {offer.id!r} is attached to unknown intent {name!r}",
                )
