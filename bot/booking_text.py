"""What a patient's words say for a booking request: a name, a phone, new or returning, "asap".

Pure functions on text, so the booking flow stays about the conversation.
"""

from __future__ import annotations

import re

from bot.details import is_question

#: "my name is Anna Kowalska", "name's Tom", "this is Maria", "book it under Lee".
_NAME_SAID = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name'?s|name'?s|name\s+is|this\s+is|under\s+(?:the\s+name\s+)?"
    r"|book\s+(?:it|me|us)\s+(?:in\s+)?under\s+|i'?m\s+called|call\s+me)\s*"
    r"(?P<name>[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*){0,3})",
    re.IGNORECASE,
)
#: Words after which a name said in passing stops: "my name is Anna and I'd like...".
_AFTER_NAME = frozenset(
    re.findall(
        r"\S+",
        "and but please thanks thank for i i'm im it its it's the a to at on in from is was "
        "would could can will so ok okay",
    )
)
#: Words that are never a name on their own.
_NOT_A_NAME = frozenset(
    re.findall(
        r"\S+",
        "yes no yeah yep nope ok okay sure thanks thank you hi hello hey skip cancel none "
        "nothing dunno idk later maybe please new returning first time again fine great perfect "
        "cool good alright right thx ty",
    )
)
_PHONE = re.compile(r"(?<![\w+(])(?:\+?\d|\(\d)[\d\s().-]{5,18}\d(?!\w)")
_NO_CALL = re.compile(
    r"^\W*(?:no|nope|nah|not needed|no need|no thanks?|no,? thank you|don'?t call|"
    r"(?:here|chat|text|message|writing|telegram)(?:\s+is)?\s*(?:fine|ok|okay|good|better)?"
    r"|(?:just\s+)?(?:reply|write|answer)(?:\s+(?:me|to me))?\s+here)\b",
    re.IGNORECASE,
)
_BARE_YES_OR_NO = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|ok|okay|no|nope|nah|not really|no thanks|yes please)\W*$", re.I
)
_YES = re.compile(r"^\W*(?:yes|yeah|yep|sure|ok|okay|please|yes please|call me)\b", re.I)
_NEW = re.compile(
    r"\b(?:first\s+(?:time|visit)|new\s+patient|never\s+been"
    # (not "haven't been in 2 years": how long since a visit, here or anywhere)
    r"|(?:not|haven'?t|havent)\s+been(?!\s+(?:in|for)\s+(?:\w+\s+)?(?:years?|yrs?|months?|ages"
    r"|a\s+while|a\s+long\s+time|long)|\s+to\s+(?:a|the|any)\s+dentist)"
    r"|i'?m\s+new|we'?re\s+new|new\s+here|never\s+(?:came|visited))\b",
    re.IGNORECASE,
)
_RETURNING = re.compile(
    r"\b(?:been\s+(?:to\s+you|there|here|before|with\s+you)|returning|existing\s+patient"
    r"|already\s+(?:a\s+)?patient|i'?m\s+a\s+patient|(?:was|came)\s+(?:there|here|in)"
    r"\s+(?:before|last)|patient\s+of\s+yours|regular)\b",
    re.IGNORECASE,
)
_NEW_OR_RETURNING_ANSWER = re.compile(r"^\W*(?P<word>yes|yeah|yep|no|nope|nah|new|first)\b", re.I)
_ASAP = re.compile(
    r"\b(?:as\s+soon\s+as\s+(?:possible|you\s+can)|asap|soonest|earliest|first\s+available"
    r"|any\s*time|whenever|any\s+day|whatever\s+(?:is\s+)?free|no\s+preference)\b",
    re.IGNORECASE,
)
_CANCEL = re.compile(
    r"^\W*(?:cancel(?:\s+(?:it|that|the\s+(?:booking|request)))?|never\s*mind|forget\s+it"
    r"|don'?t\s+book(?:\s+it)?|stop\s+(?:the\s+)?booking|i\s+changed\s+my\s+mind)\W*$",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"^\W*(?:skip(?:\s+(?:it|that|this))?|pass|next|rather\s+not(?:\s+say)?"
    r"|prefer\s+not(?:\s+to\s+say)?|not\s+sure|don'?t\s+know|dunno|idk)\W*$",
    re.IGNORECASE,
)
_LONGEST_NAME = 4
#: Words before an answer that are not part of it: "ok. Nicole Adams", "sure, Tom".
_FILLER = re.compile(
    r"^\W*(?:(?:ok|okay|sure|yes|yeah|yep|so|um|uh|right|fine)\b[\s.,!:-]*)+", re.I
)


def name_said(text: str) -> str | None:
    """A name the patient gives in passing ("my name is Anna"), capitalised, if any."""
    found = _NAME_SAID.search(text)
    if found is None:
        return None
    words: list[str] = []
    for word in found["name"].split():
        if word.lower().strip(".,!") in _AFTER_NAME:
            break
        words.append(word.strip(".,!"))
    return _as_name(words)


def name_answer(text: str) -> str | None:
    """The name in an answer to "what name should we book under?" ("Anna Kowalska")."""
    passing = name_said(text)
    if passing:
        return passing
    if is_question(text):
        return None
    text = _FILLER.sub("", text)
    first_clause = re.split(r"[,;.!?]\s", text.strip() + " ", maxsplit=1)[0]
    for said in (text.strip(), first_clause):  # "Anna Kowalska, it's for a first consult"
        cleaned = re.sub(r"^\W*(?:it'?s|its|i'?m|im|me|for|under)\s+", "", said, flags=re.I)
        words = [word.strip(".,!") for word in cleaned.split()]
        if not words or len(words) > _LONGEST_NAME or "?" in said:
            continue
        if words[0].lower() in _NOT_A_NAME:
            return None
        if all(re.fullmatch(r"[^\W\d_][\w'.-]*", word) for word in words):
            return _as_name(words)
    return None


def name_unasked(text: str) -> str | None:
    """A name sent alone while something else was asked ("Anna Kowalska"): capitals only."""
    words = text.strip().rstrip(".!").split()
    if not 1 <= len(words) <= _LONGEST_NAME:
        return None
    if not all(re.fullmatch(r"[A-Z][a-z'-]+", word) for word in words):
        return None
    return _as_name(words)


def _as_name(words: list[str]) -> str | None:
    """Words as a name, or None when they are no name ("yes", "new")."""
    words = words[:_LONGEST_NAME]
    if not words or all(word.lower() in _NOT_A_NAME for word in words):
        return None
    return " ".join(word if word[:1].isupper() else word.capitalize() for word in words)


def phone_said(text: str) -> str | None:
    """A phone number in the text, as written (spaces tidied), if any."""
    found = _PHONE.search(text)
    if found is None or sum(ch.isdigit() for ch in found.group()) < 7:
        return None
    return " ".join(found.group().split())


def wants_no_call(text: str) -> bool:
    """Whether the patient says no call is needed ("no", "here is fine")."""
    return bool(_NO_CALL.search(text))


def yes_or_no(text: str) -> bool:
    """A bare yes or no, nothing else ("no", "yes please", "nope"): no answer to "what for?"."""
    return bool(_BARE_YES_OR_NO.match(text))


def says_yes(text: str) -> bool:
    """A plain yes ("yes please", "sure")."""
    return bool(_YES.search(text))


def new_or_returning(text: str, asked: bool = False) -> str | None:
    """ "new" or "returning" when the text says so; `asked`: a bare yes/no answers the
    question "have you been to us before?"."""
    if _NEW.search(text):
        return "new"
    if _RETURNING.search(text):
        return "returning"
    if asked:
        answer = _NEW_OR_RETURNING_ANSWER.search(text)
        if answer is not None:
            word = answer["word"].lower()
            return "returning" if word in ("yes", "yeah", "yep") else "new"
    return None


def as_soon_as_possible(text: str) -> bool:
    """Whether any time will do ("as soon as possible", "whenever", "any day")."""
    return bool(_ASAP.search(text))


def quiet_time_asked(text: str) -> bool:
    """Whether the patient asks for a quiet time ("which day is quietest", "least busy")."""
    return bool(_QUIET_ASKED.search(text))


def is_cancel(text: str) -> bool:
    """Whether the patient calls the booking off ("cancel", "never mind")."""
    return bool(_CANCEL.search(text))


def is_skip(text: str) -> bool:
    """Whether the patient skips the question ("skip", "rather not say")."""
    return bool(_SKIP.search(text))


_LATE = re.compile(
    r"\b(?:running\s+(?:\w+\s+){0,3}late|be\s+(?:\w+\s+){0,3}late|i'?m\s+late|late\s+for"
    r"|delayed)\b",
    re.I,
)
_CALL_OFF = re.compile(
    r"\b(?:cancel|can'?t\s+(?:come|make\s+it)|cannot\s+(?:come|make\s+it)"
    r"|won'?t\s+(?:be\s+able\s+to\s+)?(?:come|make\s+it)|not\s+(?:be\s+)?coming)\b",
    re.I,
)
_MOVE = re.compile(r"\b(?:reschedul\w*|move|change|another\s+(?:day|time)|postpone)\b", re.I)


def running_late(text: str) -> bool:
    """Whether the patient says they will be late (not that they cannot come)."""
    return bool(_LATE.search(text))


def calls_off(text: str) -> bool:
    """Whether the patient cancels an appointment without asking to move it."""
    return bool(_CALL_OFF.search(text)) and not _MOVE.search(text)


_WALK_IN = re.compile(
    r"\bwalk[\s-]?ins?\b|\bwalk\s+in\s+without\b|\bdrop[\s-]?ins?\b"
    r"|\b(?:just|simply)\s+(?:(?:come|pop|drop|walk)\s+(?:in|by|along)|turn\s+up|show\s+up)\b"
    r"|\bwithout\s+(?:an?\s+)?(?:appointment|appt|booking)\b"
    r"|\b(?:do|would|will)\s+(?:i|we|you)\s+(?:need|have)\s+to\s+(?:book|make\s+an\s+app\w*)\b",
    re.I,
)


def asks_about_walk_ins(text: str) -> bool:
    """Whether the patient asks to come without an appointment ("do you take walk-ins?", "do I
    need to book or can i just come in")."""
    return bool(_WALK_IN.search(text))


_BOOKING_NAMED = re.compile(r"\b(?:book|booking|schedule|appointment|appt)s?\b", re.I)


def names_booking(text: str) -> bool:
    """Whether the message speaks of booking in so many words ("can i book it for friday")."""
    return bool(_BOOKING_NAMED.search(text))


#: Coming in for something asked: "can i come in to have it eased", "could we come in for a
#: consultation first".
_COME_IN_FOR = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we)\s+(?:come|pop|drop)\s+(?:in|by)\s+"
    r"(?:to\s+(?:have|get)|and\s+(?:have|get)|for)\b",
    re.I,
)


def asks_to_come_in(text: str) -> bool:
    """Whether the patient asks to come in for something ("can i come in to have it eased")."""
    return bool(_COME_IN_FOR.search(text))


#: A quiet time asked for: "whats your quietest time of day", "which day is least busy".
_QUIET_ASKED = re.compile(
    r"\b(?:quiet(?:est|er)?|least\s+busy|less\s+busy|not\s+(?:so\s+|too\s+)?busy|calm(?:est|er))"
    r"\s+(?:time|day|hour|slot|period|part\s+of\s+the\s+day)s?\b"
    r"|\b(?:time|day|hour|slot)s?\s+(?:is|are)\s+(?:the\s+)?(?:quiet(?:est|er)?|least\s+busy)\b",
    re.I,
)
