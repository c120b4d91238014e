"""What a patient denies: "no swelling or fever", "my jaw isn't swollen", "haven't had a fever".

A negation cue (no, not, never, without, neither, nor, don't, doesn't, didn't, haven't, hasn't,
isn't, aren't...) denies the item it is about and the items of a short list that follows ("no
swelling, fever or bleeding", "neither swelling nor fever"). An item is the next word after an
optional verb ("don't have", "haven't had") and filler words ("any", "a", "sign of", "high"),
or the next two words when the list goes on after them ("no jaw swelling or fever").

The scope is short on purpose, so that a red flag said next to a denied one still counts: it
ends at a clause boundary (".", ";", "but", "although", a comma before anything but a list
item), and an item after "and" or a comma belongs to the list only when the list ends with it
("no fever and my face is swelling up": the face is not denied; "no swelling, fever": only the
swelling, a comma alone makes no list). "Won't stop bleeding" and "not stopping" are the
complaint itself, not a denial; "not sure if it's swollen" denies only "sure".
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.text import words_and_marks


def _set(spaced: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(spaced.split())


#: A denied word, in the text the red flags are looked for in: it matches no phrase.
BLANK = "_"

CUES = _set(
    "no not never without neither nor dont doesnt didnt havent hasnt hadnt isnt arent wasnt werent"
    " aint"
)
#: The verb a cue may come with: "don't have", "haven't had", "not feeling", "never noticed".
VERBS = _set("have had has having get got getting feel felt feeling been notice noticed see seen")
#: Words between a cue and what it denies: "no sign of any", "not a", "no high", "no longer".
FILLERS = _set(
    "a an any much more longer real really very too so that high big major serious obvious"
    " visible noticeable sign signs of"
)
#: "Won't stop bleeding", "the bleeding doesn't stop", "not stopping": the complaint itself.
PSEUDO = frozenset({"stop", "stops", "stopping", "stopped"})
#: Words that start a new clause: nothing after them is denied.
BOUNDARIES = _set("but although though however except yet still while whereas")
#: What joins the items of a list; "or", "nor" and "/" always go on with the denial.
JOINERS = frozenset({"or", "nor", "and", ",", "/", "&"})
ALTERNATIVES = frozenset({"or", "nor", "/"})
CONJUNCTIONS = ALTERNATIVES | {"and", "&"}
#: Words after an item that show the list ended with it ("no swelling and fever, it just throbs",
#: "no fever or swelling at all").
LIST_ENDS = _set(
    "at either anymore whatsoever now today so it its i im just only thankfully luckily"
)
_NO_ITEM = CUES | BOUNDARIES | JOINERS | PSEUDO
_AFTER_AN_ITEM = JOINERS | BOUNDARIES | CUES | LIST_ENDS


def is_word(token: str) -> bool:
    """Whether a token is a word, not a punctuation mark."""
    return token[0].isalnum()


def denied(said: Sequence[str]) -> set[int]:
    """The positions of the tokens a negation cue denies."""
    found: set[int] = set()
    for at, token in enumerate(said):
        if token in CUES:
            found.update(_scope(said, at + 1))
    return found


def affirmed_words(text: str) -> list[str]:
    """The words of the text, each denied one as BLANK ("no fever" -> ["no", "_"])."""
    said = words_and_marks(text)
    gone = denied(said)
    return [BLANK if at in gone else token for at, token in enumerate(said) if is_word(token)]


def _scope(said: Sequence[str], start: int) -> list[int]:
    """What a cue just before `start` denies: one item and the short list that follows it."""
    if start < len(said) and said[start] in VERBS:
        start += 1  # "don't have", "haven't had"
    item = _item(said, start)
    if item is None:
        return []
    scope = list(item)
    after_commas: list[int] = []  # "no swelling, fever or ...": kept once "or"/"and" comes
    while True:
        at = item[-1] + 1
        while at < len(said) and said[at] in JOINERS:
            at += 1
        joiners = set(said[item[-1] + 1 : at])
        following = _item(said, at) if joiners else None
        if following is None or not (
            joiners & ALTERNATIVES or _ends_item(said, following[-1] + 1)
        ):
            return scope
        item = following
        if joiners & CONJUNCTIONS:
            scope += [*after_commas, *item]
            after_commas = []
        else:
            after_commas += item


def _item(said: Sequence[str], at: int) -> range | None:
    """The words an item is about, after its fillers ("any swelling"), or None if none starts
    here: two words when a list goes on after them ("no jaw swelling or fever")."""
    while at < len(said) and said[at] in FILLERS:
        at += 1
    if not _content(said, at):
        return None
    compound = _content(said, at + 1) and at + 2 < len(said) and said[at + 2] in JOINERS
    return range(at, at + 2 if compound else at + 1)


def _content(said: Sequence[str], at: int) -> bool:
    """Whether a word that an item can be about stands at `at`."""
    if at >= len(said):
        return False
    word = said[at]
    return is_word(word) and word not in _NO_ITEM


def _ends_item(said: Sequence[str], at: int) -> bool:
    """Whether a list item ends just before `at`: the text, a clause or the list ends there."""
    if at >= len(said):
        return True
    word = said[at]
    return not is_word(word) or word in _AFTER_AN_ITEM
