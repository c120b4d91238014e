"""Lint rules beyond the schema: mistakes that load fine but make the bot worse or dishonest.

Errors fail `frontdesk check` (and a live reload); warnings are advice.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.loader import Knowledge, Problem, Where, load_knowledge, normalized_key
from bot.models import MIN_EXAMPLES

NEAR_DUPLICATE = 95.0
NEAR_DUPLICATE_MIN_LENGTH = 20
LOOKS_LIKE_OTHER = 0.7
OTHER_MARGIN = 0.25
FROM_A_PRICE = re.compile(r"\b(from|starting at|as low as|only)\s*\{(total|parts)\}", re.I)
#: How close a run of words must be to a pressure phrase (rapidfuzz ratio, 0-100).
PRESSURE_SIMILARITY = 88
#: Phrases this short ("hurry", "rate us") only match word for word: "worry" is not "hurry".
PRESSURE_EXACT_UP_TO = 10
#: How many extra words may sit inside a phrase: "leave us a quick 5-star review".
PRESSURE_EXTRA_WORDS = 3
#: Words that turn a phrase around when just before it: "there's no hurry".
NEGATIONS = frozenset({"no", "not", "never", "without", "dont", "isnt", "nothing"})
NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
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


def lint(knowledge: Knowledge, warnings: bool = True) -> list[Problem]:
    """Every problem the rules find: errors, and warnings unless `warnings` is False (a reload
    needs only the errors, and skips the slow leave-one-out warning)."""
    return [
        *_example_counts(knowledge),
        *_near_duplicates(knowledge),
        *(_examples_that_look_like_another_intent(knowledge) if warnings else []),
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
    phrases = [_pressure_words(phrase) for phrase in knowledge.vocabulary.pressure_phrases]
    for text in knowledge.patient_texts:
        where = text.where
        if text.label.endswith(".cost") and FROM_A_PRICE.search(text.text):
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"{text.label} says 'from' a price; give the whole range with {{total}}",
                )
            )
        found = None if text.fact else pressure_in(text.text, phrases)
        if found:
            said, phrase = found
            like = f"it reads like {phrase!r}: " if said != phrase else ""
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"{text.label}: {said!r} pressures the patient ({like}a review request, "
                    "urgency or an invented discount); the clinic does not do that",
                )
            )
    return problems


def _pressure_words(text: str) -> tuple[str, ...]:
    """Lowercase words, every number as '#' ("only 3 spots left" = "only five spots left")."""
    text = re.sub(r"\d+", " # ", text.lower().replace("\u2019", "'").replace("'", ""))
    return tuple("#" if word in NUMBER_WORDS else word for word in re.findall(r"[a-z]+|#|%", text))


def pressure_in(text: str, phrases: list[tuple[str, ...]]) -> tuple[str, str] | None:
    """The run of words in `text` that reads like a pressure phrase, and the phrase, or None
    (see `_pressure_in`; remembered, as a reload or a web save checks mostly unchanged texts)."""
    return _pressure_in(text, tuple(phrases))


@functools.lru_cache(maxsize=16384)
def _pressure_in(text: str, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, str] | None:
    """The run of words in `text` that reads like a pressure phrase, and the phrase, or None.

    Matched loosely: a near-identical run of about the phrase's length ("pls leave us a
    reveiw"), or the phrase's words in order with up to three more in between ("leave us a
    5-star review"). Short phrases ("hurry") must match word for word; a match right after
    "no" or "never" ("there's no hurry") is the opposite of pressure.
    """
    words = _pressure_words(text)
    longest = max((len(phrase) for phrase in phrases), default=0) + PRESSURE_EXTRA_WORDS
    runs = {
        length: [" ".join(words[start : start + length]) for start in range(len(words))]
        for length in range(1, longest + 1)
    }
    for phrase in phrases:
        for start, length in _runs_like(phrase, words, runs):
            before = words[max(0, start - 2) : start + (words[start] != phrase[0])]
            if not NEGATIONS.intersection(before):
                return runs[length][start], " ".join(phrase)
    return None


def _runs_like(
    phrase: tuple[str, ...], words: tuple[str, ...], runs: dict[int, list[str]]
) -> list[tuple[int, int]]:
    """(start, length) of every run of words that reads like the phrase."""
    joined, size = " ".join(phrase), len(phrase)
    if len(joined) <= PRESSURE_EXACT_UP_TO:
        return [(start, size) for start, run in enumerate(runs[size]) if run == joined]
    found = [
        (int(start), length)
        for length in range(max(1, size - 1), size + 2)
        for _, _, start in process.extract_iter(
            joined, runs[length], scorer=fuzz.ratio, score_cutoff=PRESSURE_SIMILARITY
        )
    ]
    for length in range(size + 1, size + PRESSURE_EXTRA_WORDS + 1):
        for start in range(len(words) - length + 1):
            run = words[start : start + length]
            if run[0] == phrase[0] and run[-1] == phrase[-1] and _in_order(phrase, run):
                found.append((start, length))
    return found


def _in_order(phrase: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether the phrase's words appear among `words` in the same order."""
    remaining = iter(words)
    return all(word in remaining for word in phrase)


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


def load_checked(
    intents_dir: Path, replies_dir: Path, warnings: bool = True
) -> tuple[Knowledge | None, list[Problem]]:
    """Load and lint; Knowledge is None when the schema or any rule found an error."""
    knowledge, problems = load_knowledge(intents_dir, replies_dir)
    if knowledge is not None:
        problems = sorted([*problems, *lint(knowledge, warnings)])
        if any(problem.severity == "error" for problem in problems):
            knowledge = None
    return knowledge, problems
