"""Details a patient gives in passing: a day, an age, the state of a tooth, a symptom."""

from __future__ import annotations

import re

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_WORDS = {
    **{day: day for day in WEEKDAYS},
    **{day[:3]: day for day in WEEKDAYS},
    "today": "today",
    "tomorrow": "tomorrow",
    "tmrw": "tomorrow",
    "weekend": "the weekend",
}
PARTS_OF_DAY = ("morning", "afternoon", "evening", "lunch")
QUESTION_WORDS = frozenset(
    [
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "do",
        "does",
        "did",
        "can",
        "could",
        "is",
        "are",
        "will",
        "would",
        "should",
        "may",
        "shall",
        "am",
    ]
)
_AGE = re.compile(
    r"\b(?:i'?m|i am|(?:s?he|they)'?s|(?:s?he|they) (?:is|are)|is|are|aged?)\s+(\d{1,2})\b"
    r"|\b(\d{1,2})\s*(?:(?:years?|yrs?)(?:\s+|-)old|y/?o)\b"
)
_CHILD = re.compile(r"\b(?:son|daughter|kid|kids|child|children|boy|girl|twins|baby|toddler)\b")
_MISSING = re.compile(r"\b(?:missing|gone|lost|pulled|extracted|removed|fell out)\b")
_TO_REMOVE = re.compile(r"\b(?:still there|needs? to (?:come|be) (?:out|removed)|to remove)\b")
_SYMPTOMS = (
    ("pain", re.compile(r"\b(?:hurt\w*|pain\w*|ach\w*|throbb\w*|sore)\b")),
    ("sensitivity", re.compile(r"\b(?:sensitiv\w*|cold|zing\w*)\b")),
    ("broken", re.compile(r"\b(?:broke\w*|crack\w*|chipp?\w*|snapp?\w*)\b")),
    ("a dark spot", re.compile(r"\b(?:black|dark|brown) (?:spot|dot|mark)\b")),
)


def is_question(text: str) -> bool:
    """Whether the message asks something (rather than tells)."""
    lowered = text.strip().lower()
    first = re.findall(r"[a-z']+", lowered)[:1]
    return "?" in lowered or bool(first and first[0] in QUESTION_WORDS)


def extract_details(text: str) -> dict[str, str]:
    """The details found in a message, by name (day, age, who, tooth, symptom)."""
    lowered = text.lower()
    found: dict[str, str] = {}
    tokens = re.findall(r"[a-z]+", lowered)
    days = [DAY_WORDS[token] for token in tokens if token in DAY_WORDS]
    if days:
        parts = [token for token in tokens if token in PARTS_OF_DAY]
        found["day"] = days[0] + (f" {parts[0]}" if parts else "")
    age = _AGE.search(lowered)
    if age is not None:
        found["age"] = age.group(1) or age.group(2)
    if _CHILD.search(lowered):
        found["who"] = "child"
    if _TO_REMOVE.search(lowered):
        found["tooth"] = "still there, may need to come out"
    elif _MISSING.search(lowered):
        found["tooth"] = "already missing"
    symptoms = [name for name, pattern in _SYMPTOMS if pattern.search(lowered)]
    if symptoms:
        found["symptom"] = ", ".join(symptoms)
    return found


_QUESTION_START = (
    r"(?:how|what|whats|what's|when|where|which|who|do|does|can|could|is|are|will|would"
    r"|should|any)\b"
)
_CLAUSE_BREAK = re.compile(
    r"\?+\s*|;\s*|,?\s+(?:and|also|plus|but)\s+(?:also\s+)?(?=" + _QUESTION_START + r")"
    r"|,\s*(?=" + _QUESTION_START + r")",
    re.IGNORECASE,
)


def split_questions(text: str, most: int = 3) -> list[str]:
    """The questions in one message ("how much is whitening and do you work saturdays")."""
    clauses = [part.strip(" ,.!") for part in _CLAUSE_BREAK.split(text)]
    return [clause for clause in clauses if len(clause) > 2][:most]
