"""Lint rules beyond the schema: mistakes that load fine but make the bot worse or dishonest.

Errors fail `frontdesk check` (and a live reload); warnings are advice.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.loader import Knowledge, Problem, Where, load_knowledge, normalized_key
from bot.models import MIN_EXAMPLES, SCRIPT_PARTS

NEAR_DUPLICATE = 95.0
NEAR_DUPLICATE_MIN_LENGTH = 20
LOOKS_LIKE_OTHER = 0.7
OTHER_MARGIN = 0.25
FROM_A_PRICE = re.compile(r"\b(from|starting at|as low as|only)\s*\{(total|parts)\}", re.I)
PRESSURE = re.compile(
    r"\b(leave (us )?a review|write a review|rate us|review us|recommend us to|"
    r"tell your friends|limited time|hurry|only today|\d+\s?% off)\b",
    re.I,
)

#: What every bundle must contain so its total is honest (matched in component ids and names).
REQUIRED_PARTS: dict[str, dict[str, str]] = {
    "implants": {
        "a panoramic X-ray or CT": r"panoramic|cbct|\bct\b|x-?ray",
        "the implant": r"implant",
        "the crown on the implant": r"crown",
    },
    "root_canal": {
        "anesthesia": r"anesthe|anaesthe",
        "an examination": r"exam|consult",
        "the canal treatment": r"canal",
        "restoring the crown of the tooth": r"restor|build|crown|filling",
    },
    "crowns": {"the crown itself": r"crown", "preparing the tooth": r"prep|impression|scan"},
    "filling": {"the filling itself": r"filling|composite", "anesthesia": r"anesthe|anaesthe"},
    "extraction": {"the extraction": r"extraction", "anesthesia": r"anesthe|anaesthe"},
    "dentures": {"the denture": r"denture", "impressions or a scan": r"impression|scan"},
    "orthodontics": {"the braces or aligners": r"brace|aligner", "a retainer": r"retainer"},
}


def lint(knowledge: Knowledge) -> list[Problem]:
    """Every problem the rules find, errors and warnings."""
    return [
        *_example_counts(knowledge),
        *_near_duplicates(knowledge),
        *_examples_that_look_like_another_intent(knowledge),
        *_bundles_missing_parts(knowledge),
        *_honest_templates(knowledge),
        *_offers_without_end(knowledge),
    ]


def _example_counts(knowledge: Knowledge) -> list[Problem]:
    problems = []
    for name, intent in knowledge.intents.items():
        if len(intent.examples) < MIN_EXAMPLES:
            where = knowledge.origins[name]
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"intent {name!r} has only "
                    f"{len(intent.examples)} examples; give at least "
                    f"{MIN_EXAMPLES} so it is recognised reliably",
                    "warning",
                )
            )
    return problems


def _near_duplicates(knowledge: Knowledge) -> list[Problem]:
    problems = []
    for name, intent in knowledge.intents.items():
        keys = [normalized_key(example) for example in intent.examples]
        for number, key in enumerate(keys):
            if len(key) < NEAR_DUPLICATE_MIN_LENGTH:
                continue  # short misspelt variants ("rooth canal") are there on purpose
            for earlier in range(number):
                if fuzz.ratio(key, keys[earlier]) >= NEAR_DUPLICATE:
                    where = knowledge.example_origins[(name, number)]
                    problems.append(
                        Problem(
                            where.path,
                            where.line,
                            f"example {intent.examples[number]!r} of {name!r} nearly repeats "
                            f"{intent.examples[earlier]!r}; near-duplicates teach nothing new",
                            "warning",
                        )
                    )
                    break
    return problems


def _examples_that_look_like_another_intent(knowledge: Knowledge) -> list[Problem]:
    """Leave-one-out: an example whose nearest examples (itself left out) are another intent's."""
    texts: list[str] = []
    owners: list[tuple[str, int]] = []
    for name, intent in knowledge.intents.items():
        for number, example in enumerate(intent.examples):
            texts.append(normalized_key(example))
            owners.append((name, number))
    if len(texts) < 2:
        return []
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    matrix = vectors.fit_transform(texts)
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, -1.0)
    labels = np.array([name for name, _ in owners])
    problems = []
    for row, (name, number) in enumerate(owners):
        same = similarity[row][labels == name]
        other = np.where(labels != name, similarity[row], -1.0)
        nearest = int(other.argmax())
        best_same = float(same.max()) if same.size else 0.0
        if other[nearest] >= LOOKS_LIKE_OTHER and other[nearest] - best_same >= OTHER_MARGIN:
            other_name, other_number = owners[nearest]
            where = knowledge.example_origins[(name, number)]
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"example {knowledge.intents[name].examples[number]!r} of {name!r} matches "
                    f"{other_name!r} better than its own intent (it is close to "
                    f"{knowledge.intents[other_name].examples[other_number]!r}); "
                    "move or reword it",
                    "warning",
                )
            )
    return problems


def _bundles_missing_parts(knowledge: Knowledge) -> list[Problem]:
    problems = []
    clinic_file = _clinic_file(knowledge)
    for service, needs in REQUIRED_PARTS.items():
        script = knowledge.services.get(service)
        if script is None or script.bundle not in knowledge.bundles:
            continue
        bundle = knowledge.bundles[script.bundle]
        described = " ".join(
            f"{part} {knowledge.components[part].name}".lower()
            for part in bundle.parts
            if part in knowledge.components
        )
        for what, pattern in needs.items():
            if not re.search(pattern, described):
                problems.append(
                    Problem(
                        clinic_file,
                        knowledge.locations.get(
                            f"bundle:{script.bundle}", Where(clinic_file, 1)
                        ).line,
                        f"bundle {script.bundle!r} leaves out {what}: the total would hide a part "
                        "the patient pays for",
                    )
                )
    return problems


def _honest_templates(knowledge: Knowledge) -> list[Problem]:
    problems = []
    for label, where, wordings in _all_wordings(knowledge):
        for template in wordings:
            if label.endswith(".cost") and FROM_A_PRICE.search(template):
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        f"{label} says 'from' a price; give the whole range with {{total}}",
                    )
                )
            found = PRESSURE.search(template)
            if found:
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        f"{label}: {found[0]!r} pressures "
                        "the patient (reviews, urgency, invented discounts); "
                        "the clinic does not do that",
                    )
                )
    return problems


def _all_wordings(knowledge: Knowledge) -> list[tuple[str, Where, list[str]]]:
    """Every text a patient can read, with where it is written."""
    unknown = Where(_clinic_file(knowledge).parent, 1)
    found = [
        (key, knowledge.locations.get(f"reply:{key}", unknown), wordings)
        for key, wordings in knowledge.replies.items()
    ]
    for name, script in knowledge.services.items():
        where = knowledge.locations.get(f"service:{name}", unknown)
        found += [(f"{name}.{part}", where, getattr(script, part)) for part in SCRIPT_PARTS]
    found += [
        (f"offer {offer.id}", knowledge.locations.get(f"offer:{offer.id}", unknown), [offer.text])
        for offer in knowledge.offers
    ]
    return found


def _offers_without_end(knowledge: Knowledge) -> list[Problem]:
    offers_file = _clinic_file(knowledge).parent / "offers.yaml"
    return [
        Problem(
            offers_file,
            knowledge.locations.get(f"offer:{offer.id}", Where(offers_file, 1)).line,
            f"offer {offer.id!r} has no end date; every offer needs an active period",
        )
        for offer in knowledge.offers
        if offer.ends is None
    ]


def _clinic_file(knowledge: Knowledge) -> Path:
    return knowledge.locations.get("clinic", Where(Path("replies/clinic.yaml"), 1)).path


def load_checked(intents_dir: Path, replies_dir: Path) -> tuple[Knowledge | None, list[Problem]]:
    """Load and lint; Knowledge is None when the schema or any rule found an error."""
    knowledge, problems = load_knowledge(intents_dir, replies_dir)
    if knowledge is not None:
        problems = sorted([*problems, *lint(knowledge)])
        if any(problem.severity == "error" for problem in problems):
            knowledge = None
    return knowledge, problems
