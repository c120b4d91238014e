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
from bot.yaml_lines import YamlSyntaxError, line_of, load_yaml

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
CONVERSATION_REPLIES = [
    "urgent",
    "handoff_medical",
    "handoff_warranty",
    "aftercare_general",
    "aftercare_watch",
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
    "booking_noted",
    "booking_ask_what",
    "booking_ask_when",
    "booking_ask_returning",
    "booking_ask_name",
    "booking_ask_phone",
    "booking_skipped",
    "booking_not_caught",
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
    "price_not_free",
    "price_free",
    "total_first",
    "repeat_service",
    "greeting_first",
    "greeting",
    "thanks",
    "goodbye",
    "opt_out",
    "opt_in",
    "reminders",
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
    "answer_thanks",
    "answer_next_service",
    "answer_booking_day",
    "off_topic",
    "upset",
    "handoff_language",
    "handoff_emergency_waiting",
    "handoff_after_hours_phone",
    *CLOSED_HANDOFF_REPLIES,
]
#: Extra placeholders of the replies to a patient's answer: what was understood.
ANSWER_PLACEHOLDERS = frozenset({"noted"})
#: Replies that say back what the patient gave or the day's hours may use {noted}.
ANSWER_PREFIXES = (
    "answer_",
    "hours_day_",
    "price_",
    "total_first",
    "repeat_service",
    "question_problem_known",
    "booking_noted",
    "booking_ask_what",
    "booking_ask_when",
    "booking_ask_returning",
    "booking_ask_name",
    "booking_ask_phone",
    "booking_skipped",
    "booking_not_caught",
    "booking_left_for_desk",
    "booking_cancelled",
    "booking_sent",
    "booking_sent_urgent",
    "booking_sent_closed",
    "booking_sent_urgent_closed",
    "booking_sent_no_hours",
    "booking_proposal_declined",
    "booking_proposal_gone",
    "booking_proposed",
    "booking_confirmed",
    "booking_reminder_offer",
    "booking_appointment_cancelled",
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
    facet_replies: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    medical_facets: frozenset[str] = frozenset()


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

    def add(self, path: Path, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(path, line, message, severity))

    def read(self, path: Path, model: type[ModelT]) -> tuple[ModelT | None, Any]:
        """Parse and validate one file; on failure record every problem and return None."""
        try:
            document = load_yaml(path)
        except YamlSyntaxError as error:
            self.add(path, error.line, str(error))
            return None, None
        except OSError as error:
            self.add(path, 1, f"cannot read file: {error.strerror}")
            return None, None
        if document is None:
            document = {}
        try:
            return model.model_validate(document), document
        except ValidationError as error:
            for detail in error.errors():
                location = tuple(detail["loc"])
                where = ".".join(str(step) for step in location) or "file"
                message = _friendly(detail["msg"], detail["type"])
                self.add(path, line_of(document, location), f"{where}: {message}")
            return None, document


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


def typed_price_pattern(clinic: Clinic) -> re.Pattern[str]:
    """A pattern that finds a price typed into a template instead of computed."""
    symbol = re.escape(clinic.currency.symbol)
    code = re.escape(clinic.currency.code)
    return re.compile(
        rf"{symbol}\s?\d|\d[\d,.]*\s?(?:{code}|dollars?|euros?|rupees?|usd|eur)\b|\bfrom\s+{symbol}",
        re.IGNORECASE,
    )


def load_knowledge(intents_dir: Path, replies_dir: Path) -> tuple[Knowledge | None, list[Problem]]:
    """Load and cross-check every data file.

    Knowledge is None only when a file could not be read at all; otherwise it comes back with
    the problems, so the linter can look further. Use it only if no problem is an error.
    """
    collect = _Collector()
    intents, out_of_scope, vocabulary, origins, example_origins = _load_intents(
        collect, intents_dir
    )
    clinic_file, clinic_doc = collect.read(replies_dir / "clinic.yaml", ClinicFile)
    services_file, services_doc = collect.read(replies_dir / "services.yaml", ServicesFile)
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
    offers_path = replies_dir / "offers.yaml"
    offers_file, offers_doc = collect.read(offers_path, OffersFile)
    facets = _load_facets(collect, intents_dir, replies_dir, intents, services_file, clinic_file)

    if clinic_file is not None:
        _check_bundles(collect, replies_dir / "clinic.yaml", clinic_file, clinic_doc)
    if services_file is not None and clinic_file is not None:
        _check_services(
            collect,
            replies_dir / "services.yaml",
            services_file,
            services_doc,
            intents,
            clinic_file,
        )
    if clinic_file is not None:
        _check_replies(
            collect,
            replies,
            reply_docs,
            intents,
            clinic_file.clinic,
            replies_dir,
            replies_complete,
        )
    if offers_file is not None:
        _check_offers(collect, offers_path, offers_file, offers_doc, intents)

    if clinic_file is None or services_file is None or offers_file is None:
        return None, sorted(collect.problems)
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
        facet_replies=facets.replies,
        medical_facets=facets.medical,
    )
    return knowledge, sorted(collect.problems)


FACETS_FILE = "facets.yaml"


@dataclass(frozen=True)
class _Facets:
    examples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    replies: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    medical: frozenset[str] = frozenset()


def _load_facets(
    collect: _Collector,
    intents_dir: Path,
    replies_dir: Path,
    intents: dict[str, Intent],
    services_file: ServicesFile | None,
    clinic_file: ClinicFile | None,
) -> _Facets:
    """Facet phrasings (intents/facets.yaml) and every service's facet answers."""
    asked_path, answers_path = intents_dir / FACETS_FILE, replies_dir / FACETS_FILE
    if not asked_path.exists() and not answers_path.exists():
        return _Facets()  # a clinic without follow-up answers yet
    asked, asked_doc = collect.read(asked_path, FacetsFile)
    answers, answers_doc = collect.read(answers_path, FacetRepliesFile)
    if asked is None or answers is None:
        return _Facets()
    for topic in asked.topics:
        if topic not in intents:
            collect.add(
                asked_path, line_of(asked_doc, ("topics", topic)), f"unknown topic {topic!r}"
            )
    services = services_file.services if services_file is not None else {}
    allowed = CLINIC_PLACEHOLDERS | COST_PLACEHOLDERS
    price_pattern = typed_price_pattern(clinic_file.clinic) if clinic_file else None
    for service, by_facet in answers.facets.items():
        line = line_of(answers_doc, ("facets", service))
        if service not in services:
            collect.add(answers_path, line, f"facets for {service!r}, which is no service")
        for facet in sorted(set(asked.facets) - set(by_facet)):
            collect.add(
                answers_path,
                line,
                f"service {service!r} has no answer for the facet {facet!r} (one may honestly "
                "say the doctor decides at the exam)",
            )
        for facet, wordings in by_facet.items():
            for number, wording in enumerate(wordings):
                where = line_of(answers_doc, ("facets", service, facet, number))
                if price_pattern is not None:
                    label = f"facet {service}.{facet}"
                    _check_template(
                        collect, answers_path, where, label, wording, allowed, price_pattern
                    )
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
                    f"intent {intent.name!r} already defined at {first.path.name}:{first.line}",
                )
                continue
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
        if name not in intents and files:
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
    try:
        ZoneInfo(clinic_file.clinic.timezone)
    except (KeyError, ValueError, ModuleNotFoundError):
        collect.add(
            path,
            line_of(doc, ("clinic", "timezone")),
            f"unknown time zone {clinic_file.clinic.timezone!r}",
        )


def _check_template(
    collect: _Collector,
    path: Path,
    line: int,
    label: str,
    template: str,
    allowed: frozenset[str],
    price_pattern: re.Pattern[str],
) -> None:
    try:
        used = placeholders(template)
    except ValueError as error:
        collect.add(path, line, f"{label}: broken placeholder braces ({error})")
        return
    for name in sorted(used - allowed):
        collect.add(path, line, f"{label}: unknown placeholder {{{name}}}")
    if price_pattern.search(template):
        collect.add(
            path,
            line,
            f"{label}: a price is typed into the template; prices come from "
            "clinic.yaml components and bundles",
        )


def _check_services(
    collect: _Collector,
    path: Path,
    services_file: ServicesFile,
    doc: Any,
    intents: dict[str, Intent],
    clinic_file: ClinicFile,
) -> None:
    price_pattern = typed_price_pattern(clinic_file.clinic)
    for name, script in services_file.services.items():
        line = line_of(doc, ("services", name))
        intent = intents.get(name)
        if intent is None:
            collect.add(path, line, f"script for unknown intent {name!r}")
        elif intent.kind != IntentKind.SERVICE:
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
                _check_template(
                    collect, path, at, f"{name}.{part}", template, allowed, price_pattern
                )
                if part == "cost" and not placeholders_or_empty(template) >= COST_PLACEHOLDERS:
                    collect.add(
                        path,
                        at,
                        f"{name}.cost: must show {{parts}} and {{total}} so "
                        "the patient sees every part and the total",
                    )
    for name, intent in intents.items():
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
    intents: dict[str, Intent],
    clinic: Clinic,
    replies_dir: Path,
    complete: bool,
) -> None:
    price_pattern = typed_price_pattern(clinic)
    known_keys = set(CONVERSATION_REPLIES) | set(LANGUAGE_NOTES) | set(intents)
    for key, wordings in replies.items():
        path, doc = reply_docs[key]
        if key not in known_keys:
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
            _check_template(collect, path, at, key, template, allowed, price_pattern)
    if not complete:
        return  # a file that did not load was already reported; its keys are not "missing"
    for name, intent in intents.items():
        if intent.kind == IntentKind.PRACTICAL and name not in replies:
            collect.add(
                replies_dir / "practical.yaml", 1, f"practical intent {name!r} has no reply"
            )
    for key in CONVERSATION_REPLIES:
        if key not in replies:
            collect.add(replies_dir / "conversation.yaml", 1, f"reply {key!r} is missing")
    for key in LANGUAGE_NOTES:
        if key not in replies:
            collect.add(replies_dir / LANGUAGE_NOTES_FILE, 1, f"reply {key!r} is missing")


def _check_offers(
    collect: _Collector, path: Path, offers_file: OffersFile, doc: Any, intents: dict[str, Intent]
) -> None:
    seen: set[str] = set()
    for index, offer in enumerate(offers_file.offers):
        line = line_of(doc, ("offers", index))
        if offer.id in seen:
            collect.add(path, line, f"offer id {offer.id!r} is used twice")
        seen.add(offer.id)
        for number, name in enumerate(offer.intents):
            if name not in intents:
                collect.add(
                    path,
                    line_of(doc, ("offers", index, "intents", number)),
                    f"offer {offer.id!r} is attached to unknown intent {name!r}",
                )
