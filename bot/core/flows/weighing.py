"""Options weighed against each other: "whats better, a bridge or an implant?"."""

from __future__ import annotations

import logging
import re

from bot.core.flows.answers import (
    AUDIENCE_TOPICS,
    PROBLEM_TOLD,
    closing_question,
    consultation_or_question,
    problem_told,
)
from bot.core.flows.followups import Question
from bot.core.pending import AskedDay
from bot.core.turn import TALKED_ABOUT_BEFORE, Turn
from bot.details import (
    ALREADY_MISSING,
    asks_if_we_do,
    first_age,
    is_question,
    said_back,
    split_questions,
)
from bot.facets import WEIGHED_APART
from bot.matcher import Match
from bot.pricing import format_together, quote_together
from bot.text import words

log = logging.getLogger(__name__)

#: Two or three options, never more, are weighed in one reply.
MOST_OPTIONS = 3
#: Words that weigh options up: "which is better", "should i", "what's the difference", "less
#: noticeable".
_WEIGHS = re.compile(
    r"\b(?:better|best|worse|prefer\w*|recommend\w*|advis\w*|suggest\w*|decid\w*|choos\w*"
    r"|choice|options?|difference|diff|compared?|vs\.?|versus|pros\s+and\s+cons"
    r"|should\s+(?:i|we|he|she|they|my\s+\w+)"
    r"|(?:more|less|most|least)\s+(?:noticeable|visible|obvious|comfortable|natural|discreet"
    r"|reliable|effective|invasive)|easier|nicer|gentler|safer|stronger"
    # "will a cleaning help or do i need whitening", "or does it need a crown"
    r"|or\s+(?:do|does|would|will|should)\s+(?:i|we|he|she|they|it)\s+(?:need|have\s+to)"
    # "will that be a filling or a crown", "does it need a crown or can you just fill it"
    r"|^\W*(?:so\s+|and\s+)?(?:will|would|does|is|should|can|could)\s+(?:it|that|this|she|he|i)"
    r"\s+(?:just\s+)?(?:be|need|get|have|a|an)\b[^.?!]*\bor\b)",
    re.I,
)
#: "which" weighs named options up ("a crown or a filling, which?"), not unnamed ones.
_WHICH = re.compile(r"\bwhich\b", re.I)
#: A question this short with "or" in it only sets the options side by side.
_BARE_CHOICE_WORDS = 6
#: The two ways to make a treatment comfortable, weighed against each other.
NUMBING, SEDATION = "anesthesia", "sedation"
_NUMBING_WORDS = re.compile(r"\b(?:numb\w*|local|injection)\b", re.I)
SLEEP_WORDS = re.compile(
    r"\b(?:asleep|to\s+sleep|put\s+\w+\s+under|knock\w*\s+(?:\w+\s+)?out|sedat\w*"
    r"|(?:laughing|happy)\s+gas|general\s+an\w*)\b",
    re.I,
)
#: Words set between the options: "a bridge or an implant", "better than", "between".
_BETWEEN = WEIGHED_APART | {"between"}
#: "which one", "which lasts longer", "between the two": the two options just talked about.
_WHICH_OF_THE_TWO = re.compile(
    r"\bwhich\b|\bboth\s+options\b|\bbetween\s+them\b"
    # "whats the difference in results", "any difference?": between the two, named neither
    r"|\b(?:the|any|much|a\s+big|a\s+real)\s+difference(?:\s+(?:in|with)\s+(?:the\s+)?\w+)?\W*$"
    r"|\b(?:the|those|these)\s+(?:two|2)(?:\s+(?:options?|choices?|of\s+them|treatments))?"
    r"\s*(?:[?.!,]|$)",
    re.I,
)
#: A comparative that asks about one fact of each option ("which hurts more": the pain of each).
_COMPARATIVES = (
    (
        "duration",
        re.compile(
            r"\b(?:faster|quicker|shorter|sooner|takes?\s+(?:less|more|longer)|less\s+time"
            r"|more\s+time|(?:fewer|less|more)\s+(?:visits|appointments|sessions))\b",
            re.I,
        ),
    ),
    (
        "pain",
        re.compile(
            r"\b(?:hurts?\s+(?:more|less|the\s+most|the\s+least)|(?:more|less|least|most)\s+"
            r"(?:pain\w*|sore)|painful)\b",
            re.I,
        ),
    ),
    (
        "longevity",
        re.compile(
            r"\b(?:lasts?\s+(?:longer|the\s+longest|more)|longer[-\s]lasting"
            r"|(?:more|most)\s+durable)\b",
            re.I,
        ),
    ),
    (
        "recovery",
        re.compile(
            r"\b(?:heals?\s+(?:faster|quicker|better)|(?:easier|quicker|faster|shorter)\s+"
            r"(?:recovery|healing)|recover\w*\s+(?:faster|quicker))\b",
            re.I,
        ),
    ),
    (
        "price",
        re.compile(
            r"\b(?:cheaper|pricier|(?:more|less)\s+expensive|costs?\s+(?:more|less))\b", re.I
        ),
    ),
)
#: Facts a comparison may ask of each option as such; any other reading weighs them whole.
_FACETS_OF_EACH = frozenset({"pain", "duration", "longevity", "recovery", "safety", "price"})
#: The ways to replace missing teeth: for a gap, and for most or all of a jaw's teeth.
_ONE_MISSING = ("implants", "bridges", "partial_denture")
_A_FEW_TEETH = 3
_MANY_MISSING = ("dentures", "partial_denture", "implants")
_OPTIONS_ASKED = re.compile(
    r"\b(?:what\s+can\s+(?:i|we|you|be)\s+(?:do|done)|what\s+(?:are\s+)?(?:my|the|his|her|our)"
    r"\s+options|what\s+options|any\s+options|options\s+(?:are\s+there|do\s+i\s+have)"
    r"|what\s+(?:do|would|could)\s+you\s+(?:suggest|recommend|advise|offer)"
    r"|what\s+should\s+(?:i|we|he|she)\s+(?:do|get)|how\s+(?:can|could)\s+you\s+help"
    r"|what\s+(?:is|are)\s+(?:possible|the\s+choices)"
    # "can something go in there", "what could fill the gap"
    r"|(?:can|could)\s+(?:something|anything)\s+(?:go|be\s+put|be\s+done)"
    r"|what\s+(?:can|could|would)\s+(?:go|be\s+put)\s+(?:in\s+)?there|fill\s+(?:the|that|this)\s+gap)\b",
    re.I,
)
_MANY_TEETH = re.compile(
    r"\b(?:most|all|many|several|a\s+lot)\s+(?:of\s+)?(?:my|his|her|the)?\s*(?:\w+\s+)?teeth\b"
    r"|\bno\s+(?:\w+\s+)?teeth\b|\bwhole\s+(?:top|bottom|upper|lower|mouth|jaw)\b"
    r"|\bfull\s+(?:top|bottom|upper|lower|mouth|jaw)\b",
    re.I,
)
_NO_TEETH = re.compile(r"\bno\s+(?:\w+\s+)?teeth\b", re.I)
#: "is it better than whitening?": the treatment talked about set against one named, in a
#: question this short at most.
_AGAINST_WORDS = 12
#: Words that set one option against another.
_SET_AGAINST = re.compile(
    r"\b(?:than|vs\.?|versus|compared|instead|better|best|worse|cheaper|pricier|faster"
    r"|quicker|easier|safer|stronger|(?:more|less)\s+expensive|lasts?\s+longer)\b",
    re.I,
)
_THAN = re.compile(r"\b(?:than|vs\.?|versus|compared\s+(?:to|with)|instead\s+of)\b", re.I)
#: One treatment added to, included in or done around the other, or a choice already made:
#: nothing weighed.
_NOT_SET_AGAINST = re.compile(
    r"\b(?:too|also|as\s+well|before|after|afterwards|first|then|both|includ\w*|extra"
    r"|separate\w*|sounds?\s+better|rather|go\s+(?:with|for))\b",
    re.I,
)
#: Below this the facet matcher's reading of a comparison is no reading.
_SURE = 0.8


def options_weighed(turn: Turn, match: Match) -> tuple[list[str], str | None] | None:
    """The services a message weighs against each other and the fact it compares (None: the
    options as a whole), or None if it weighs nothing up."""
    if match.safety:
        return None
    comfort = _numbing_or_sleep(turn)
    if comfort:  # "would you just numb it or put him to sleep?": the two ways, whole
        return comfort, _comparative(turn.text)
    named = _named_options(turn)
    if len(named) > 1:
        facet = _compared_facet(turn)
        medical = any(turn.brain.replies.is_medical(name, str(facet)) for name in named)
        return None if medical else (named, facet)
    replacements = _replacements(turn)
    if replacements:
        return replacements, None
    against = _against_the_topic(turn)
    if against is not None:
        return against, _compared_facet(turn)
    unnamed = _the_two_talked_about(turn)
    if unnamed is None:
        return None
    facet = _compared_facet(turn)
    if facet is None and not _WEIGHS.search(turn.text):
        return None  # "which one is the closest metro?": nothing weighed
    return unnamed, facet


def _named_options(turn: Turn) -> list[str]:
    """The services a message names as options and weighs ("should I do veneers or just
    whitening?", "root canal or extraction, which hurts more?"), unless another clause asks
    something else ("is it too late for braces? ...")."""
    text, facets, replies = turn.text, turn.brain.facets, turn.brain.replies
    named = [n for n in facets.names_topics(text, affirmed=True) if replies.has_facets(n)]
    named = [name for name in named if name not in AUDIENCE_TOPICS]
    weighs = _WEIGHS.search(text) or _WHICH.search(text) or _bare_choice(text)
    if len(named) < 2 or not weighs or not _side_by_side(text):
        return []
    for clause in split_questions(text):
        if is_question(clause) and not (_weighs_up(clause) or _PICK_FOR_ME.search(clause)):
            return []
    return _each_side(turn, text) or named[:MOST_OPTIONS]


#: Treatments done together as one option: "root canal plus crown", "pull it and get an implant".
_TOGETHER = re.compile(r"\b(?:plus|and|with|then|followed\s+by)\b|\+")


def _each_side(turn: Turn, text: str) -> list[str]:
    """The two options either side of "or" when one is a treatment done with another ("root
    canal plus crown or pull it and get an implant": the root canal and the implant)."""
    sides = _sides(turn, text)
    if not sides:
        return []
    left, right = sides
    return [left[0], right[-1]] if left[0] != right[-1] else []


def _sides(turn: Turn, text: str) -> list[list[str]]:
    """The treatments named either side of "or", when one side combines two or more."""
    sides = re.split(r"\bor\b", text, flags=re.I)
    if len(sides) != 2 or not any(_TOGETHER.search(side) for side in sides):
        return []
    has_facets = turn.brain.replies.has_facets
    named = [
        [
            name
            for name in turn.brain.facets.names_topics(side, affirmed=True)
            if has_facets(name) and name not in AUDIENCE_TOPICS
        ]
        for side in sides
    ]
    if not all(named) or sum(len(side) for side in named) < 3:
        return []
    return named


def _with_what_goes_with_it(turn: Turn, option: str, name: str, sides: list[list[str]]) -> str:
    """An option's text, and the total with what the patient said goes with it on its side of
    "or" ("root canal plus crown": both, a shared part counted once)."""
    knowledge = turn.brain.knowledge
    side = next((side for side in sides if name in side), [])
    priced = [each for each in side if each in knowledge.services]
    if len(priced) < 2:
        return option
    bundles = [(knowledge.bundles[knowledge.services[each].bundle], 1) for each in priced]
    combined = quote_together(bundles, knowledge.components)
    total = format_together(combined, knowledge.clinic.currency).split("\n\n")[0]
    return f"{option}\n{total}."


def _bare_choice(text: str) -> bool:
    """Whether a short question only sets options side by side: "bridge or partial denture?",
    not "do you do implants or bridges?"."""
    return (
        len(text.split()) <= _BARE_CHOICE_WORDS
        and text.rstrip().endswith("?")
        and "or" in words(text)
        and not asks_if_we_do(text)
    )


def _weighs_up(clause: str) -> bool:
    """Whether a clause weighs options or sets them side by side."""
    searches = (_WEIGHS, _WHICH, *(said for _, said in _COMPARATIVES))
    return _side_by_side(clause) or any(said.search(clause) for said in searches)


def _side_by_side(text: str) -> bool:
    """Whether a word sets options side by side: "or", "vs", "than", "between"."""
    return bool(_BETWEEN & set(words(text)))


def _the_two_talked_about(turn: Turn) -> list[str] | None:
    """ "which one lasts longer", right after two treatments: the one before and this one."""
    topic, before = turn.topic, turn.state.details.get(TALKED_ABOUT_BEFORE)
    replies = turn.brain.replies
    if topic is None or before is None or before == topic or len(turn.text.split()) > 12:
        return None
    if not (replies.has_facets(topic) and replies.has_facets(before)):
        return None
    if not _WHICH_OF_THE_TWO.search(turn.text) or turn.brain.facets.names_topics(turn.text):
        return None
    return [before, topic]


def _replacements(turn: Turn) -> list[str]:
    """ "i have a missing tooth, what are my options?": the ways to replace teeth, each fairly;
    for most or all of a jaw's teeth the dentures first."""
    text = turn.text
    if turn.details.get("tooth") != ALREADY_MISSING and not _NO_TEETH.search(text):
        return []
    cheaper = cheaper_asked(text)
    if not _OPTIONS_ASKED.search(text) and not cheaper:
        return []
    named = turn.brain.facets.names_topics(text, affirmed=True)
    rejected = [name for name in named if name not in AUDIENCE_TOPICS]
    if rejected and not cheaper:
        return []  # "missing tooth, can i get an implant?": that treatment
    count = re.match(r"\d+", turn.details.get("quantity", ""))
    many = _MANY_TEETH.search(text) or (count is not None and int(count[0]) > _A_FEW_TEETH)
    options = _MANY_MISSING if many else _ONE_MISSING
    # "implants are way too expensive for me, is there anything else?": the other ways
    return [n for n in options if turn.brain.replies.has_facets(n) and n not in rejected]


#: A treatment turned down on price: "implants are way too expensive for me", "can't afford".
_TOO_DEAR = re.compile(
    r"\b(?:too\s+(?:expensive|pricey|much|dear)|can'?t\s+afford|cannot\s+afford"
    r"|out\s+of\s+(?:my|our)\s+(?:budget|price\s+range)|not\s+in\s+(?:my|our)\s+budget)\b",
    re.I,
)
#: Something else asked for: "is there anything else?", "other options", "a cheaper way".
_SOMETHING_ELSE = re.compile(
    r"\b(?:anything|something)\s+(?:else|cheaper)\b|\bother\s+(?:options?|ways?|choices?)\b"
    r"|\balternatives?\b|\bcheaper\s+(?:options?|ways?|alternatives?)\b",
    re.I,
)


def cheaper_asked(text: str) -> bool:
    """Whether the patient turns a treatment down on price and asks what else there is."""
    return bool(_TOO_DEAR.search(text) and _SOMETHING_ELSE.search(text))


def _against_the_topic(turn: Turn) -> list[str] | None:
    """ "is it better than whitening?" while veneers are talked about, or "would the home kit be
    better?": the treatment talked about and the one named, the subject first; not "should i get
    whitening too", "whitening before or after", "does that include the crown or is it extra"."""
    topic, text = turn.topic, turn.text
    replies, facets = turn.brain.replies, turn.brain.facets
    if topic is None or not replies.has_facets(topic) or len(text.split()) > _AGAINST_WORDS:
        return None
    named = [name for name in facets.names_topics(text, affirmed=True) if name != topic]
    if len(named) != 1 or not replies.has_facets(named[0]) or named[0] in AUDIENCE_TOPICS:
        return None
    if not _SET_AGAINST.search(text) or _NOT_SET_AGAINST.search(text):
        return None
    if replies.is_medical(named[0], str(_compared_facet(turn))):
        return None
    than = _THAN.search(text)
    if than is None or named[0] not in facets.names_topics(text[than.end() :]):
        return None  # "would the home kit be better?": a question about the home kit
    return [topic, named[0]]


def _numbing_or_sleep(turn: Turn) -> list[str]:
    """The numbing and the sedation, when a message sets one against the other ("is it done
    with local anaesthetic or can I be sedated?")."""
    text, has_facets = turn.text, turn.brain.replies.has_facets
    if not (has_facets(NUMBING) and has_facets(SEDATION)) or "or" not in words(text):
        return []
    numbing = _NUMBING_WORDS.search(text) or NUMBING in turn.brain.facets.names_topics(text)
    return [NUMBING, SEDATION] if numbing and SLEEP_WORDS.search(text) else []


def _numbed_treatment(turn: Turn, services: list[str]) -> str | None:
    """The treatment the numbing and the sedation are weighed for: named in the message, or
    the one talked about."""
    if services != [NUMBING, SEDATION]:
        return None
    has_service = turn.brain.replies.has_service
    named = turn.brain.facets.names_topics(turn.text, affirmed=True)
    treatments = [name for name in [*named, turn.topic] if name and name not in services]
    return next((name for name in treatments if has_service(name)), None)


def _comparative(text: str) -> str | None:
    """The fact a comparative asks of each option: "hurts more", "lasts longer"."""
    return next((facet for facet, said in _COMPARATIVES if said.search(text)), None)


def _compared_facet(turn: Turn) -> str | None:
    """The fact compared: a comparative's ("hurts more") or the facet matcher's sure reading."""
    if (facet := _comparative(turn.text)) is not None:
        return facet
    found = turn.brain.facets.match(turn.text)
    return found.facet if found.facet in _FACETS_OF_EACH and found.score >= _SURE else None


#: Asking us to choose: "which one would you pick if it was you", "what do you recommend".
_PICK_FOR_ME = re.compile(
    r"\bwhich\s+(?:one\s+|option\s+|of\s+(?:them|those|these)\s+)?(?:would|do|should|will)"
    r"\s+you\s+(?:pick|choose|recommend|suggest|go\s+for|get|do|take)\b"
    r"|\bwhat\s+(?:would|do)\s+you\s+(?:pick|choose|recommend|suggest|go\s+for)\b"
    r"|\bwhat\s+would\s+you\s+(?:do|get)\s+(?:if|in\s+my)\b"
    r"|\bwhat\s+would\s+(?:you|u|ya)\s+(?:do|get|go\s+for)\W*$"
    r"|\bif\s+(?:it\s+was|it\s+were|you\s+were)\s+(?:you|yours|me|in\s+my\s+(?:place|shoes))\b"
    r"|\bin\s+my\s+(?:place|shoes)\b"
    r"|\bwhich\s+(?:one\s+)?is\s+(?:best|better|right)\s+for\s+(?:me|him|her|us)\b",
    re.I,
)
#: Longer messages asking us to choose say more than that, and are read as a whole.
_PICK_WORDS = 14


def pick_asked(turn: Turn, match: Match) -> list[str] | None:
    """The treatment (and the one talked about before it) the patient asks us to choose
    between, naming none: "which one would you pick if it was you" after options were weighed."""
    text, replies = turn.text, turn.brain.replies
    if match.safety or len(text.split()) > _PICK_WORDS or not _PICK_FOR_ME.search(text):
        return None
    topic = turn.topic
    if topic is None or not replies.has_facets(topic) or turn.brain.facets.names_topics(text):
        return None
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    return (
        [topic, before] if before and before != topic and replies.has_facets(before) else [topic]
    )


def _next_question(turn: Turn, service: str, rotation: int) -> str:
    """The script's question about the real problem, unless the patient told it earlier in
    the conversation ("my son is 13 and his teeth are crooked"): then the consultation."""
    told = problem_told(turn.state.details)
    if not told or any(name in turn.details for name in PROBLEM_TOLD):
        return closing_question(turn, service, rotation)
    turn.ask(AskedDay())
    return turn.brain.replies.text("question_problem_known", rotation, noted=said_back(told))


def pick(turn: Turn, services: list[str]) -> None:
    """Honestly, no one should choose before an exam; the doctor recommends what suits, not
    what costs more; then the consultation, or the question about the real problem."""
    replies = turn.brain.replies
    rotation = turn.record("pick:" + "+".join(services))
    told = any(name in turn.state.details for name in PROBLEM_TOLD)
    after = consultation_or_question(turn, services[0], rotation, told)
    turn.say(f"{replies.text('weigh_pick', rotation)}\n\n{after}")
    turn.outcome.intent = services[0]
    turn.outcome.facet = "materials"  # the options and the choice among them
    turn.outcome.answered.append(services[0])
    log.info("patient=%s pick asked=%s", turn.patient.id, services)


def each_fact(services: list[str], facet: str) -> tuple[Question, ...]:
    """The same fact asked of each option."""
    return tuple(Question(name, facet) for name in services)


def weigh(turn: Turn, services: list[str]) -> None:
    """Each option fairly, each with its full price; the doctor picks what suits, not what
    costs more; then one question about the patient's real problem."""
    replies = turn.brain.replies
    rotation = turn.record("weighed:" + "+".join(services))
    age = first_age(turn.state.details)
    sides = _sides(turn, turn.text)
    options = [
        _with_what_goes_with_it(turn, replies.option(name, rotation, age), name, sides)
        for name in services
    ]
    treatment = _numbed_treatment(turn, services)
    for name in reversed(services):  # the first named is the subject, the other kept
        turn.open_topic(name)  # as the one before: "which one lasts longer"
    if treatment is not None:
        turn.open_topic(treatment)  # "a baby tooth pulled: just numb it or put him to sleep?"
    opening, closing = (
        replies.text("weigh_opening", rotation),
        replies.text("weigh_closing", rotation),
    )
    question = _next_question(turn, treatment or services[0], rotation)
    turn.say("\n\n".join([opening, *options, f"{closing} {question}"]))
    turn.outcome.intent = services[0]
    turn.outcome.answered.extend(services)
    log.info("patient=%s weighed=%s", turn.patient.id, services)
