"""What a clause asks: the service it names and the facet of it, read against the topic."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.core.flows import (
    answers,
    weighing,
)
from bot.core.flows.answers import (
    AUDIENCE_TOPICS,
    HOURS,
    INSURANCE,
)
from bot.core.flows.booking import BOOKING
from bot.core.flows.followups import (
    WITHIN_THE_PRICE,
    Question,
)
from bot.core.flows.handoff import (
    EMERGENCY,
)
from bot.core.turn import (
    ASKED_ABOUT,
    COMFORT_TOPICS,
    TALKED_ABOUT_BEFORE,
    Turn,
)
from bot.details import (
    ASKED_SENTENCE,
    WEEKDAYS,
    asks_if_price,
    asks_if_we_do,
    extract_details,
    is_question,
    split_questions,
)
from bot.facets import VARIANT_WORDS
from bot.matcher import Match
from bot.models import HANDOFF_INTENTS, IntentKind
from bot.text import words

#: What a message that also reads as a follow-up must still be taken as.
NEVER_A_FOLLOW_UP = frozenset(HANDOFF_INTENTS) - {"aftercare"}


#: What a patient can always ask of the bot itself, even while a person has the conversation.
PATIENT_RIGHTS_INTENTS = frozenset({"opt_out", "forget_me"})


#: Small talk is never an answer to the bot's question.
SMALL_TALK = frozenset({"greeting", "thanks", "goodbye"})


#: Words that point back at what was being talked about: "will the crown go whiter too?"
REFERS_BACK = re.compile(
    r"\b(?:it|its|it's|that|this|them|they|those|these|too|also|as well|after|afterwards"
    r"|first|on top|meantime|meanwhile|yours|urs)\b",
    re.I,
)


SERVICES = "services"


ANESTHESIA = "anesthesia"


LEAD_IN = re.compile(r"^\W*(?:and|also|plus|as for|what about|about)\b", re.I)


#: A clause that gives examples of the one before: "like the temporary one", "e.g. xrays".
EXAMPLES = re.compile(r"^\W*(?:like|such\s+as|e\.?g\b|for\s+(?:example|instance)|say)\b", re.I)


#: A clause that only points at one of the options talked about, before the question on it:
#: "the porcelain ones you mentioned", "the home one then", "the cheaper one".
POINTER = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|hmm)\W+){0,2}"
    r"(?:(?:how|what)\s+about\s+|(?:going\s+)?back\s+to\s+|returning\s+to\s+|regarding\s+)?"
    r"(?:the|that|those|these)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:one|ones|option|options|kind|type|thing|things|stuff)"
    r"(?:\s+(?:you|u)\s+(?:mentioned|said|suggested|talked\s+about))?(?:\s+then)?\W*$",
    re.I,
)


#: The one talked about before the current one: "the first thing you said", "the other one".
_THE_EARLIER = re.compile(
    r"\b(?:first|other|earlier|previous|original)\b|\b(?:back|returning|coming\s+back)\s+to\b",
    re.I,
)


WARRANTY_WORDS = re.compile(r"\b(?:warrant(?:y|ies|ee)|guarantee[ds]?)\b", re.I)


#: The patient says who a treatment would be for ("better for a kid", "ok for my son").
_FOR_SOMEONE = re.compile(
    r"\bfor (?:a |an |my |our |the |his |her )?(?:little |young |older )?(?:kid|child|children"
    r"|son|daughter|teen|teenager|toddler|baby|boy|girl|grandson|granddaughter)s?\b",
    re.I,
)


#: Two options weighed against each other: one question about the options, not one per option
#: ("zirconia vs porcelain?", "metal or the clear ones, which is better for a kid").
COMPARES = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|difference between|(?:what'?s|whats) the diff"
    r"|which (?:one |of them |of the two )?(?:is|are|would be|works) (?:better|best|faster"
    r"|cheaper|stronger|nicer|more)|which (?:one )?(?:do you|would you) recommend)",
    re.I,
)


#: What the anesthesia of a treatment may be asked about as such; anything else is its "pain".
ANESTHESIA_FACETS = frozenset({"pain", "safety", "suitability", "recovery"})


#: The words of a bare request for a service ("hi, can I get some veneers done please?").
_ASKING_WORDS = frozenset(
    words(
        "hi hello hey ok okay so and also please can could may would will do does you u guys "
        "clinic your i we he she they my get have book come make offer place treat a an the some "
        "it them done here teeth tooth"
    )
)


WHAT_ABOUT = re.compile(
    r"^\W*(?:and\s+|ok\s+|so\s+)?(?:(?:what|wat|wht|how)\s+about|and\s+(?:for|if|with))\b",
    re.I,
)


#: Words a day-only message may have besides the day: "and what about next saturday then?"
_DAY_AND_FILLER = frozenset(
    [
        *WEEKDAYS,
        *(day[:3] for day in WEEKDAYS),
        *("tues", "weds", "thur", "thurs", "weekend", "weekends", "today", "tomorrow"),
        *("what", "about", "how", "and", "then", "on", "is", "ok", "okay", "so", "the"),
        *("this", "next", "coming", "possible", "instead", "maybe", "open", "u", "you"),
        *("are", "too", "also", "or", "a", "do", "morning", "afternoon", "evening"),
        *("after", "school", "work", "lunch", "lunchtime", "mornings", "afternoons", "evenings"),
        *(f"{day}s" for day in WEEKDAYS),
        *("it", "work", "working", "does", "can", "i", "come", "in", "any", "at", "all"),
        *("time", "times", "hours", "hrs", "when", "till", "until", "opening", "opens"),
        *("close", "closes", "closing"),
    ]
)


#: A clause that names no service is still a question about one the classifier is this sure of.
SURE_OF_A_CLAUSE = 0.9


#: A question naming one treatment is about the classifier's other reading this sure of it.
SURE_OF_KIN = 0.5


#: A clause that tells rather than asks: "i think my teeth are already moving".
STATEMENT = re.compile(
    r"^\W*(?:(?:ok|okay|so|alright|fine|right|yeah|hmm|hello|hi|hey|good\s+\w+)\W+)*"
    r"(?:i|im|i'm|ive|i've|ill|i'll|i'd|my|it|its|it's|he|hes|he's|she|shes|she's|they|we"
    r"|we'll|there's|that|thats|that's|this)\b",
    re.I,
)


#: Words that turn the conversation to what they name: "going back to the root canal".
SWITCHES_BACK = re.compile(r"\b(?:back to|going back|as for|regarding|now about)\b", re.I)


#: The treatment itself and how it heals, asked after its numbing or sedation: "how long does
#: the procedure itself take?", "how sore will I be?", "how long will i be off work after".
THE_TREATMENT_ITSELF = re.compile(
    r"\b(?:procedure|treatment|surgery|operation|sore|swell\w*|heal\w*|stitch\w*|visits"
    r"|(?:off|back\s+to)\s+(?:work|school))\b"
    r"|\bhow\s+long\s+(?:does|will|would)\s+it\s+take\W*$",  # the treatment's time
    re.I,
)


#: A question asked at the end ("the result stays how long").
_QUESTION_WORD = re.compile(r"\?|\b(?:how|what|when|which|why)\b", re.I)


#: Words of a patient unhappy with what was done, which keep a complaint a complaint.
_DISSATISFIED = re.compile(
    r"\b(?:not\s+(?:happy|satisfied|pleased)|unhappy|disappoint\w*|terrible|awful|horrible"
    r"|worst|rude|refund|money back|bad experience|botched|ruined|complain\w*|wrong)\b",
    re.I,
)


#: What a visit is when the patient hasn't said what for: a first check-up.
FIRST_VISIT = answers.FIRST_VISIT


#: A first visit spoken of: "first time patient here", "how long is the first appointment".
FIRST_TIME = re.compile(
    r"\b(?:first|1st)\s+(?:visit|appointment|appt|consultation|consult|exam|time\s+patient)\b"
    r"|\bnew\s+patient\b|\bfirst\s+time\s+(?:here|with\s+you|at\s+(?:a|the|your)\b)",
    re.I,
)


#: A clause that names what the next one asks about: "ok and for the crown after the root
#: canal, how long?"
_SETS_TOPIC = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|also|now|then)\W+)*(?:for|about|what about|as for|with)\s+"
    r"(?:the|a|an|my|that|this)\b",
    re.I,
)


#: A question about the treatments told together: "can i get it all done in one go".
ABOUT_THEM_ALL = re.compile(
    r"\b(?:it\s+all|all\s+of\s+(?:it|them)|both|together|in\s+one\s+(?:go|visit|sitting"
    r"|appointment)|(?:on\s+)?the\s+same\s+(?:day|visit|appointment))\b",
    re.I,
)


#: Treatments listed together: "a night guard and 2 veneers", "fillings + a cleaning".
LISTED = re.compile(r"\s+(?:and|&|\+|plus)\s+", re.I)


#: A clause telling what happened before ("tooth was pulled last month", "had a crown in 2019").
PAST_REPORT = re.compile(
    r"\b(?:was|were|had|got|been|ago|yesterday|last\s+(?:week|month|year|time))\b", re.I
)


VISIT_ASKED = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we|he|she|my\s+\w+)\s+(?:come|get|book|have|see)\b"
    r"|\b(?:any|a)\s+(?:slots?|space|room|availability|appointments?|openings?)\b"
    r"|\b(?:can|could)\s+(?:you|u)\s+(?:do\s+it|fix\s+(?:it|that|this)|see\s+(?:me|him|her|us)"
    r"|fit\s+\w+\s+in)\b"
    r"|\b(?:can|could)\s+(?:someone|somebody|anyone|a\s+doctor|the\s+doctor|a\s+dentist"
    r"|the\s+dentist)\s+(?:see|look\s+at|check)\s+(?:me|him|her|us|it|them)\b"
    r"|\bis\s+(?:it|that|there|a|an|the|\w+day)\b[^?.!]*\b(?:possible|available|doable)\b",
    re.I,
)


#: What the clinic has or offers, asked as such: "what sedation do you have", "what can you
#: offer for nervous people", "what kinds of numbing are there".
_OPTIONS_ASKED = re.compile(
    r"\bwhat\b[^.?!]*\b(?:do|can|could|would)\s+(?:you|u|ya)\s+(?:guys\s+)?"
    r"(?:have|offer|do|use|give|suggest|recommend)\b"
    r"|\bwhat\s+(?:kinds?|types?|options?|sorts?)\b",
    re.I,
)


#: Eating, or the tooth being out: how the treatment heals, not the sedation.
EATING = re.compile(r"\b(?:eat|eating|food|chew\w*|once it'?s out|after it'?s out)\b", re.I)


#: Several things asked about as one: "can you do both?", "all of them".
BOTH_ASKED = re.compile(
    r"\b(?:both|all\s+(?:of\s+)?(?:them|these|three|3)|the\s+two|the\s+2)\b", re.I
)


#: What a treatment is sought for: "for sealants", "about the implant", "getting braces".
_FOR_WHAT = re.compile(
    r"\b(?:for|about|getting|get|having)\s+(?:a\s+|an\s+|the\s+|some\s+)?"
    r"(?P<what>[\w-]+(?:\s+[\w-]+)?)",  # two words: "get a night guard too"
    re.I,
)


#: A treatment still to have: "i need a crown right?" (not "need the crown replaced").
_NEEDS_A = re.compile(r"\bneed(?:s|ing)?\s+(?:a|an)\s+(?P<what>[\w-]+)", re.I)


#: A message opening with the treatment that comes next: "and implant after, how much".
_NEXT_ONE = re.compile(
    r"^\W*(?:(?:and|then|plus|ok|so)\s+)*(?:(?:the|an?)\s+)?(?P<what>[\w-]+(?:\s+[\w-]+)?)"
    r"\s+(?:after|afterwards|later|next)\b",
    re.I,
)


#: A treatment the patient is weighing up, told before the questions on it.
INTERESTED = re.compile(
    r"\b(?:interested\s+in|thinking\s+(?:about|of)|considering|looking\s+(?:into|at)"
    r"|curious\s+about|wondering\s+about|asking\s+about|enquiring\s+about|inquiring\s+about)\b",
    re.I,
)


#: A day of the week, or the weekend, named in a clause: "do you do root canals on weekends"
#: (not "right away", which the day details read as today).
DAY_NAMED = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|saturdays?|sundays?)\b", re.I
)


#: Subjects a patient asks about in passing while weighing a treatment up: a question about
#: how the treatment goes, asked on them, is about it ("i have cigna" ... "how long is the
#: appt": the cleaning's). Not payment ("over how many months" is about the plan) nor the
#: location ("how long does it take to get there").
_ASIDES = frozenset({INSURANCE, "discounts", HOURS, "location"})


#: A day or time proposed for a visit: "can we do thurs 4:30", "could i come fri".
PROPOSES = re.compile(
    r"\b(?:can|could|shall)\s+(?:i|we|he|she|you|u)\s+(?:do|come|make\s+it|get\s+in|book)\b"
    r"|\b(?:does|would|is)\s+[^?.!]{0,20}\b(?:work|ok|okay|good|free|possible)\b",
    re.I,
)


#: A day and time put forward, asking if it suits: "sat morning ok?", "thursday 4pm works?".
PROPOSED_TIME = re.compile(r"\b(?:ok|okay|works?|good|possible|free|available)\W*$", re.I)


BOOK_WORDS = re.compile(
    r"\b(?:book(?:ing)?|schedule|make\s+an\s+appointment|an\s+appointment\s+for|appts?"
    r"|(?:need|want|like|get)\s+(?:an?\s+)?appointment"
    # "What's the earliest day you have?", "next available slot?"
    r"|(?:earliest|soonest|next|first)\s+(?:available\s+)?(?:day|date|slot|appointment"
    r"|opening|availability)|(?:earliest|soonest|next\s+available)\s+time)\b",
    re.I,
)


#: Another treatment weighed as enough: "would a simple filling be enough?".
ENOUGH = re.compile(r"\b(?:be\s+)?enough\b", re.I)


#: The numbing or sedation named as such ("numb", "injection", "needles", "asleep").
_NUMBING_NAMED = re.compile(
    r"\b(?:numb\w*|inject\w*|needles?|an(?:a)?esth\w*|local|sedat\w*|asleep|put\s+under"
    r"|knock(?:ed)?\s+(?:me\s+)?out|(?:laughing|happy)\s+gas)\b",
    re.I,
)


#: How long the numbness lasts ("how long does the numb feeling last after", "how many hours
#: will my lip stay numb"): on the numbing itself, its time, not what to do afterwards.
_HOW_LONG_NUMB = re.compile(r"^(?=.*\bhow\s+(?:long|many\s+hours)\b).*\bnumb", re.I)


#: A complaint read this unsurely, told in reply to the bot's question, is the answer ("it was
#: pulled 3 weeks ago"), not a case for a person.
UNSURE_COMPLAINT = 0.5


#: Someone of the patient's own to come along, not a person of ours: "do i need someone to
#: drive me home after", "should somebody come with him".
_COMPANION = re.compile(
    r"\b(?:someone|somebody|anyone|a\s+friend|an?\s+adult|a\s+family\s+member)\s+"
    r"(?:to\s+)?(?:(?:take|walk)\s+(?:me|him|her|them|us)\s+(?:home|back)"
    r"|pick\s+(?:me|him|her|them|us)\s+up"
    r"|(?:drive|collect|come\s+with|accompany|be\s+with|stay\s+with|with)"
    r"\s+(?:me|him|her|them|us))\b",
    re.I,
)


def _asks_not_complains(turn: Turn, text: str, match: Match, on_topic: bool) -> bool:
    """Whether a message the classifier half-reads as a complaint plainly asks a follow-up
    ("ok and the result stays how long" after whitening, "I need a root canal and I'm really
    anxious. How bad is the pain?"): on the topic or naming a treatment, no upset or
    dissatisfied word."""
    companion = match.intent == "human" and _COMPANION.search(text) is not None
    if companion and not match.upset:
        return on_topic and turn.brain.facets.match(text).facet is not None
    unsure_person = match.intent == "human" and match.score < UNSURE_COMPLAINT
    if (match.intent != "complaint" and not unsure_person) or match.upset or match.score >= 0.7:
        return False
    brain = turn.brain
    if not on_topic and not any(
        brain.replies.has_facets(n) for n in brain.facets.names_topics(text)
    ):
        return False
    if _DISSATISFIED.search(text):
        return False
    if on_topic and _CHARGE_ASKED.search(text):
        return True  # "and if they find something new is that charged": what it would cost
    if not (is_question(text) or _QUESTION_WORD.search(text)):
        return False
    return turn.brain.facets.match(text).score >= 0.9


#: "do you take / accept / work with" an insurer.
TAKE_AN_INSURER = re.compile(
    r"\b(?:take|takes|accept|accepts|work\s+with|bill|in[-\s]network\s+with)\b", re.I
)


def takes_the_insurer(turn: Turn, clause: str) -> bool:
    """Whether a clause asks if we take an insurer it names ("and do u accept cigna")."""
    if "insurer" not in turn.details or INSURANCE not in turn.brain.knowledge.replies:
        return False
    if TAKE_AN_INSURER.search(clause) is None:
        return False
    insurers = turn.brain.knowledge.vocabulary.insurers
    return "insurer" in extract_details(clause, turn.today, insurers)


#: A question that opens on how long, whatever it goes on to say: how long it takes.
#: Treatment spread over time, asked: "can i do 2 this month and 2 next month", "could we do
#: it in stages", "one side now and the other later", "split it over two visits".
_IN_STAGES = re.compile(
    r"\b(?:in|over)\s+(?:\w+\s+)?(?:stages|steps|phases|goes)\b"
    r"|\b(?:this|next)\s+(?:month|week)\b[^?.!]*\b(?:this|next|the\s+following)\s+(?:month|week)\b"
    r"|\b(?:now|first)\b[^?.!]{0,30}\b(?:and|then)\s+(?:the\s+)?(?:rest|others?|other\s+\w+)"
    r"\s+(?:later|next\s+(?:month|week|time)|after)\b"
    r"|\bat\s+once\s+or\s+(?:separately|seperately|one\s+(?:at\s+a\s+time|by\s+one)|in\s+\w+)\b"
    r"|\bone\s+at\s+a\s+time\s+or\s+(?:all\s+)?(?:at\s+once|together)\b"
    r"|\bsplit\s+(?:it|them|the\s+\w+)\s+(?:up\s+)?(?:over|into|across)\s+(?:\w+\s+)?"
    r"(?:visits|appointments|sessions|months|weeks)\b",
    re.I,
)


_PAYING = re.compile(r"\b(?:pay|paying|payments?|paid|instal+ments?|financ\w*)\b", re.I)


def _ok_for_someone(turn: Turn, text: str) -> bool:
    """Whether a few words about the patient end on "ok?": whether the treatment suits them
    ("sensitive teeth ok?"), not a day put forward ("sat morning ok?") nor "is that ok?"."""
    found = _OK_ASKED.match(text)
    if found is None or WHEN_KEYS & extract_details(text, turn.today).keys():
        return False
    said = set(words(found["about"]))
    return len(said) <= _OK_WORDS and bool(said - _NOTHING_TOLD)


#: A few words ending on "ok?": "sensitive teeth ok?", "he plays football, ok?".
_OK_ASKED = re.compile(
    r"^\W*(?:and|but|so|what\s+if)?\W*(?P<about>[^?.!]+?)\W*\s(?:ok|okay|fine|alright|allowed)"
    r"\s*\?+\W*$",
    re.I,
)


#: At most this many words before "ok?".
_OK_WORDS = 5


#: Words that tell nothing about the patient: "is that ok?", "sounds ok?".
_NOTHING_TOLD = frozenset(
    {"is", "that", "it", "this", "sounds", "all", "everything", "so", "and", "be", "would", "will"}
)


#: Whether something would cost, asked: "is that charged", "would it be extra", "is it more".
_CHARGE_ASKED = re.compile(
    r"\b(?:is|would|will|does)\s+(?:that|it|this|they|those)\s+(?:be\s+|get\s+|cost\s+)?"
    r"(?:charged|extra|more(?:\s+expensive)?|billed|on\s+top|added)\b",
    re.I,
)


_HOW_LONG_ASKED = re.compile(r"^\W*(?:(?:and|so|ok(?:ay)?|but)\W+)?how\s+long\b", re.I)


#: An option chosen, said before a question about it: "ok whitening then", "the bridge sounds
#: better", "leaning to implant", "let's go with the crown".
_CHOSEN = re.compile(
    r"\b(?:then|sounds?\s+(?:better|good|best|right)|it\s+is)\s*\W*$"
    r"|\b(?:leaning\s+(?:to|towards)|go(?:ing)?\s+(?:with|for)|i'?ll\s+(?:take|choose)"
    r"|i\s+prefer|i\s+think\s+i'?ll)\b",
    re.I,
)


#: A clause that only names the subject after a lead word: "ok so the veneers", "and the crown".
_ONLY_NAMED = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|also|now|right|alright)\W+)+(?:the|those|that|my)\s+"
    r"[\w-]+(?:\s+[\w-]+)?\W*$",
    re.I,
)


def turned_to(turn: Turn, clause: str) -> str | None:
    """The service a clause turns to without asking anything ("ok and for the crown after the
    root canal", "ok nvm, back to the cleaning"), if it does."""
    turning = _SETS_TOPIC.match(clause) or SWITCHES_BACK.search(clause)
    turning = turning or _CHOSEN.search(clause)  # "ok whitening then", "leaning to implant"
    turning = turning or _ONLY_NAMED.match(clause)  # "ok so the veneers, do they damage ..."
    if not turning or is_question(clause):
        return None
    return named_service(turn, clause)


#: What the numbing or sedation, named during a treatment, is asked about as itself: its own
#: price and safety ("how much does sedation add?", "is sedation safe at his age").
_OWN_FACTS_OF_COMFORT = frozenset({"price", "safety"})


def facet_asked(turn: Turn, text: str, match: Match, topic: str | None) -> Question | None:
    """The service and facet a message asks about, named or current.

    "does it hurt" is about the current topic; "does getting a filling hurt" about
    fillings, whatever the classifier thinks; a first "how much is a crown" gets the
    crown's whole script instead, and so does anything naming a service without a facet.
    """
    if match.safety:
        return None
    if (needed := needed_after(turn, text)) is not None:
        return Question(needed, "suitability")  # "will i need a crown after": whether it is
    # An emergency, a complaint or asking for a person always wins. "Can I eat after?"
    # while talking about a treatment is about that treatment, not about one just had.
    brain = turn.brain
    if topic is not None and _THE_EARLIER.search(text):
        topic = _pointed_at_first(turn, text) or topic  # "ok and the first thing you said, ..."
    on_topic = topic is not None and brain.replies.has_facets(topic)
    expects = match.intent == EMERGENCY and brain.matcher.expects(text)
    guessed = expects or (
        match.intent == EMERGENCY
        and on_topic
        and bool(REFERS_BACK.search(text))
        and not brain.matcher.red_flag(text)  # "...spreading and he feels hot, is that bad?"
    )
    if (
        match.intent in NEVER_A_FOLLOW_UP
        and not guessed
        and not _asks_not_complains(turn, text, match, on_topic)
    ):
        return None  # "will my face be swollen after?" is a question about recovery
    if match.intent in PATIENT_RIGHTS_INTENTS or _carries_on_the_aside(turn, text, match):
        return None
    facet = facet_of(turn, text)
    if facet is None and expects:
        facet = "recovery"  # "will my face be swollen after?"
    unread = match.intent in (None, topic)  # ("visa ok?" is the payment question)
    if facet is None and on_topic and unread and _ok_for_someone(turn, text):
        facet = "suitability"  # "sensitive teeth ok?", "5yo ok?", "he plays football, ok?"
    if facet is None and on_topic and _CHARGE_ASKED.search(text) and not match.upset:
        facet = "price"  # "and if they find something new is that charged"
    if facet is None and on_topic and _HOW_LONG_ASKED.match(text) and not match.safety:
        facet = "duration"  # "how long would i be walking around without a tooth"
    staged = _IN_STAGES.search(text) and not _PAYING.search(text)  # (not "pay in 2 goes")
    if facet is None and on_topic and staged and not match.safety:
        facet = "duration"  # "can i do 2 this month and 2 next month": how it is spread out
    if topic == ANESTHESIA and facet == "recovery" and _HOW_LONG_NUMB.search(text):
        facet = "duration"  # "how long does the numb feeling last after": two to four hours
    for_someone = match.intent in AUDIENCE_TOPICS or bool(
        AUDIENCE_TOPICS & set(brain.facets.names_topics(text))
    )
    pointing = REFERS_BACK.search(text) or WHAT_ABOUT.match(text)
    if facet is None and on_topic and for_someone and pointing:
        facet = "suitability"  # "can my daughter do it too? she's 15"
    if not on_topic and facet in ANESTHESIA_FACETS and _numbing_for_a_treatment(turn, text, match):
        return Question(str(match.intent), facet)  # "does the numbing hurt? a filling next week"
    comfort = on_topic and topic not in COMFORT_TOPICS and _about_anesthesia(turn, text, match)
    if comfort and match.intent in COMFORT_TOPICS and _OPTIONS_ASKED.search(text):
        return None  # "what sedation do you have? i panic": our ways of calming, not the topic's
    named_comfort = [n for n in brain.facets.names_topics(text) if n in COMFORT_TOPICS]
    if comfort and named_comfort and facet in _OWN_FACTS_OF_COMFORT:
        return Question(named_comfort[0], facet)  # "How much does sedation add?": its price
    if comfort and match.intent == weighing.SEDATION and facet in (None, "pain"):
        return None  # "can u sedate me for it", "can i be knocked out for it?": the sedation
    if comfort and not (asks_if_we_do(text) and not REFERS_BACK.search(text)):
        facet = facet if facet in ANESTHESIA_FACETS else "pain"  # "does the numbing hurt?"
        return Question(str(topic), facet)  # ("do you do sedation?" asks about sedation)
    if facet is None:
        return None
    has_facets = brain.replies.has_facets
    named = named_service(turn, text)
    if named is None and (pointed := _pointed_at_first(turn, text)) is not None:
        return Question(pointed, facet)  # "the home one then. how long do i wear them"
    if named is None and POINTER.match(text) and (pointed := pointed_at(turn, text, topic)):
        return Question(pointed, facet)  # "what about the home one" after whitening's price
    narrower = brain.knowledge.narrower_topics
    narrowed = bool(named and match.intent and narrower.get(match.intent) == named)
    if narrowed:
        named = match.intent  # "can i whiten at home": the take-home kind the classifier saw
    if named is not None and topic is not None and stays_on_topic(turn, text, named, topic):
        named = topic  # "will the crown go whiter too?" during whitening: whitening's
    ahead = _BEFORE_IT.search(text) if named is not None and facet == "preparation" else None
    later = brain.facets.names_topic(ahead["what"]) if ahead is not None else None
    if later is not None and later != named and has_facets(later):
        return Question(later, facet)  # "do i need an xray before wisdom tooth removal"
    weighed_before = named is not None and named == turn.state.details.get(TALKED_ABOUT_BEFORE)
    priced_again = facet == "price" and weighed_before  # "bridge price" after bridge or partial
    if named is not None and named != topic and not is_question(text) and not priced_again:
        return None  # "sealants for my kid": a first mention, answered with the whole script
    if named is not None and named != topic and _NEEDED_AFTER.search(text):
        facet = "suitability"  # "will i need a crown after" a root canal: when one is needed
    if named is not None and named != topic and facet == "suitability" and ENOUGH.search(text):
        return None  # "would a simple filling be enough?" on a crown: the filling, not who may
    if named is not None:
        # A first "how much is a crown" or "can I get implants" gets the whole script.
        first = named != topic and match.intent == named and not SWITCHES_BACK.search(text)
        first = first and not weighed_before  # "ok how much are aligners" after braces or them
        asks_for = facet == "price" or narrowed or answers.asks_for_service(turn, text)
        if has_facets(named) and not (first and asks_for and not _suitability_asked(turn, facet)):
            return Question(named, facet)
        return None
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if topic in COMFORT_TOPICS and FIRST_TIME.search(text) and before and has_facets(before):
        return Question(before, facet)  # "how much for the first visit" after the laughing gas
    cheapest = (
        _cheapest_talked_about(turn) if facet == "price" and _CHEAPEST.search(text) else None
    )
    if cheapest is not None:
        return Question(cheapest, facet)  # "how much is the cheapest option" after weighing
    if topic is not None and has_facets(topic):
        return Question(topic, facet)
    if topic is None and FIRST_TIME.search(text) and has_facets(FIRST_VISIT):
        return Question(FIRST_VISIT, facet)  # "what do i bring to the first appointment"
    about = turn.state.details.get(ASKED_ABOUT) if topic is not None else None
    if about is not None and has_facets(about) and (facet == "price" or topic in _ASIDES):
        return Question(about, facet)  # "and the total would be roughly?" after payment plans
    if about is not None and has_facets(about) and topic == EMERGENCY and is_question(text):
        return Question(about, facet)  # "how many visits?" after a broken tooth's advice
    moved = topic == BOOKING and "symptom" not in turn.details  # ("the temp feels loose")
    if about is not None and has_facets(about) and moved and is_question(text):
        return Question(about, facet)  # "how long should i plan for it" after moving a whitening
    return None


#: The one that costs least, of the treatments just talked about: "the cheapest option".
_CHEAPEST = re.compile(
    r"\b(?:cheap(?:er|est)|least\s+expensive|less\s+expensive|most\s+affordable"
    r"|lowest\s+price)\b(?!\s+than\b)",
    re.I,
)


def pointed_at(turn: Turn, clause: str, topic: str | None) -> str | None:
    """The option a pointing clause means: one it names ("the porcelain ones"), the cheaper
    of the two talked about ("the cheaper one"), or a kind of the topic ("the home one")."""
    named = named_service(turn, clause)
    if named is None and _CHEAPEST.search(clause):
        named = _cheapest_talked_about(turn)
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if named is None and before and before != topic and _THE_EARLIER.search(clause):
        named = before  # "ok and the first thing you said, does it hurt"
    if named is None and topic is not None:
        read = turn.brain.matcher.match(clause)  # "the in office one": an unsure reading
        readings = [read.intent] if read.intent else [o.intent for o in read.alternatives[:3]]
        named = next(  # is taken only if it is kin of the topic
            (kin for reading in readings if (kin := _kin_of(turn, topic, reading))), None
        )
    return named if named is not None and turn.brain.replies.has_facets(named) else None


def _pointed_at_first(turn: Turn, text: str) -> str | None:
    """The option the message's first clause points at, before its question on it."""
    clauses = split_questions(text)
    if len(clauses) < 2 or not POINTER.match(clauses[0]):
        return None
    return pointed_at(turn, clauses[0], turn.topic)


def _kin_of(turn: Turn, topic: str, intent: str | None) -> str | None:
    """The intent, if it is the topic, the one talked about before it, or a narrower or
    broader kind of the topic ("the home one" while whitening is talked about)."""
    narrower = turn.brain.knowledge.narrower_topics
    kin = {topic, turn.state.details.get(TALKED_ABOUT_BEFORE), narrower.get(topic)}
    kin |= {narrow for narrow, broad in narrower.items() if broad == topic}
    return intent if intent is not None and intent in kin else None


def _cheapest_talked_about(turn: Turn) -> str | None:
    """Of the treatment talked about and the one weighed before it, the one whose full
    price is lowest (the middle of its range); None unless two were talked about."""
    replies = turn.brain.replies
    options = [
        name
        for name in (turn.topic, turn.state.details.get(TALKED_ABOUT_BEFORE))
        if name and replies.has_service(name) and replies.has_facets(name)
    ]
    if len(options) < 2:
        return None

    def middle(name: str) -> Decimal:
        total = replies.total(name)
        return (total.low + total.high) / 2

    return min(options, key=middle)


#: What a step comes before: "an xray before wisdom tooth removal".
_BEFORE_IT = re.compile(r"\bbefore\s+(?P<what>[^.?!,]{2,40})", re.I)


def _carries_on_the_aside(turn: Turn, text: str, match: Match) -> bool:
    """Whether a question goes on about the practical subject just answered, read so by the
    classifier, though a treatment is still talked about ("do you do payment plans?" then "how
    many months can it be split over?": the payment plan's months, not the dentures' time)."""
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    if definition is None or definition.kind != IntentKind.PRACTICAL or match.ambiguous:
        return False
    asked = turn.history.last_asked
    latest = str(match.intent) in asked and asked[str(match.intent)] == max(asked.values())
    if not latest or turn.brain.facets.names_topics(text):
        return False
    return turn.brain.facets.match(text).facet != "price"  # "how much with my insurance?"


#: Words that are part of a service's name but name nothing alone: the "root" of "root canal".
_NAME_PARTS = frozenset({"root"})


def _suitability_asked(turn: Turn, facet: str) -> bool:
    """Whether "can I get X" says for whom: "if I'm pregnant", "at my age", "as an adult"."""
    if facet != "suitability":
        return False
    facets = turn.brain.facets
    rest = [
        w
        for w in words(turn.text)
        if w not in _ASKING_WORDS and w not in _NAME_PARTS and not facets.names_topics(w)
    ]
    return bool(rest) and facets.match(" ".join(rest)).facet == "suitability"


#: When the clinic opens or closes asked with a time: "do you start early like 8am", "are you
#: open late", "do u close before 6".
OPENING_ASKED = re.compile(
    r"\b(?:do|are|r)\s+(?:you|u|ya)\s+(?:guys\s+)?(?:start|open|begin|close|finish|work"
    r"|stay\s+open|still\s+open)\w*\b[^.?!]*\b(?:early|late|\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|morning|evening|night|lunch)\b",
    re.I,
)


#: The details that name a day.
_DAY_DETAILS = frozenset({"day", "weekdays", "date"})


def time_of_day_asked(turn: Turn, clause: str) -> bool:
    """Whether a clause asks if a visit fits a time of day ("can i come after 6?"), or when we
    open or close, which the opening hours answer, rather than a fact of the treatment."""
    if OPENING_ASKED.search(clause) and not named_service(turn, clause):
        return not _DAY_DETAILS & extract_details(clause, turn.today).keys()
    if not VISIT_ASKED.search(clause) or named_service(turn, clause):
        return False
    told = extract_details(clause, turn.today, about_time=True)
    return "time" in told and not _DAY_DETAILS & told.keys()  # with a day: a visit wished


def only_a_day(text: str, details: dict[str, str]) -> bool:
    """Whether the message says nothing but a day ("sunday?", "what about saturday then")."""
    if "weekdays" not in details and "day" not in details:
        return False
    rest = [word for word in words(text) if word not in _DAY_AND_FILLER and not _CLOCK.match(word)]
    return not rest


#: An hour said in one word: "8am", "10", "930", "5pm" ("mon 8am?").
_CLOCK = re.compile(r"^\d{1,2}(?:\d{2})?(?:am|pm)?$|^(?:am|pm)$", re.I)


#: Two prices weighed: "which is cheaper", "the price difference between".
PRICE_COMPARED = re.compile(
    r"\b(?:cheaper|pricier|more\s+expensive|less\s+expensive|(?:price|cost)\s+difference"
    r"|difference\s+in\s+(?:the\s+)?(?:price|cost)|costs?\s+(?:more|less))\b",
    re.I,
)


def named_service(turn: Turn, text: str) -> str | None:
    """The service a message names; "braces for my son" names braces, not children's care.

    A denied one ("no fillings in front") is no service asked about.
    """
    named = turn.brain.facets.names_topics(text, affirmed=True)
    asked = ASKED_SENTENCE.findall(text)
    if len(asked) == 1 and asked[0].strip() != text.strip():
        # a letter: the asked sentence's service ("... the teeth either side have crowns
        # already ... Could you tell me how much a bridge would cost?": the bridge)
        in_question = turn.brain.facets.names_topics(asked[0], affirmed=True)
        named = in_question + [topic for topic in named if topic not in in_question]
    audience = [topic for topic in named if topic in AUDIENCE_TOPICS]
    if audience and FIRST_VISIT in named and _CHILD_S_CHECKUP.search(text):
        return audience[0]  # "a kids checkup": the children's own first visit
    treatments = [topic for topic in named if topic not in AUDIENCE_TOPICS]
    chosen = treatments or named
    return chosen[0] if chosen else None


#: A check-up named as a child's: "a kids checkup", "check-up for a child" is the children's
#: first visit, priced as such, not an adult's exam.
_CHILD_S_CHECKUP = re.compile(
    r"\b(?:kids?|kiddies|child(?:ren)?|paediatric|pediatric)(?:'?s|s')?\s+(?:dental\s+)?"
    r"(?:check[\s-]?ups?|checks?|exams?)\b"
    r"|\bcheck[\s-]?ups?\s+for\s+(?:a\s+|my\s+|the\s+|our\s+)?(?:kids?|child(?:ren)?)\b",
    re.I,
)


def facet_of(turn: Turn, text: str) -> str | None:
    """The facet a message asks, or the first its clauses ask ("how long? i think...").

    Clause by clause only in a message that names no service: a follow-up on the topic.
    """
    facet = turn.brain.facets.match(text).facet
    if facet is not None:
        return facet
    if turn.brain.facets.names_topics(text):
        return None
    clauses = split_questions(text)
    if len(clauses) < 2:  # "how long will it take, i cant go out without my teeth lol"
        pieces = [piece for piece in _PIECES.split(text) if piece.strip()]
        clauses = [piece for piece in pieces if is_question(piece)] if len(pieces) > 1 else []
    # "consult next week, any day after 4": a day or hour wished is no facet of the topic
    asked = [c for c in clauses if not WHEN_KEYS & extract_details(c, turn.today).keys()]
    return next(
        (found for clause in asked if (found := turn.brain.facets.match(clause).facet)), None
    )


WHEN_KEYS = frozenset({"day", "date", "time"})
#: Whether a treatment is needed after another, asked: "do i need a crown after", "will he
#: have to get a crown on it" (not "do i need an x-ray first": how to prepare).
_NEED_ONE_ASKED = re.compile(
    r"\b(?:do|does|will|would|should|might)\s+(?:i|he|she|we|you|they|it)\s+(?:\w+\s+)?"
    r"(?:need|have\s+to\s+(?:get|have))\s+(?:a|an|the)\s+(?P<what>[\w-]+)\s+"
    r"(?:after|afterwards|on\s+(?:it|top|that\s+tooth)|over\s+it)\b",
    re.I,
)


def needed_after(turn: Turn, text: str) -> str | None:
    """The treatment asked to be needed after another ("will i need a crown after the root
    canal"), when it has facts to tell: whether it suits is the question."""
    asked = _NEED_ONE_ASKED.search(text)
    if asked is None:
        return None
    named = turn.brain.facets.names_topics(asked["what"])
    return named[0] if named and turn.brain.replies.has_facets(named[0]) else None


#: Where a message's sentences and comma-separated parts end.
_PIECES = re.compile(r"[,;.!?]+\s*")


def _about_anesthesia(turn: Turn, text: str, match: Match) -> bool:
    """Whether a message asks about the numbing or sedation, naming no other treatment."""
    said = turn.brain.facets.names_topics(text)
    named = [name for name in said if name not in COMFORT_TOPICS]
    if named:
        return False
    return match.intent in COMFORT_TOPICS or bool(COMFORT_TOPICS & set(said))


def _numbing_for_a_treatment(turn: Turn, text: str, match: Match) -> bool:
    """Whether a first question is about the numbing or sedation for a treatment it names, as
    the classifier is sure ("will you numb me before the filling? i hate needles"): the
    numbing is the subject, and what comes next ("how long does the numb feeling last after")
    is about it, not about the filling."""
    brain = turn.brain
    if match.intent not in COMFORT_TOPICS or match.score < brain.matcher.thresholds.accept:
        return False
    if not _NUMBING_NAMED.search(text):
        return False  # "i need a root canal but im so scared. will i feel anything?": its pain
    named = brain.facets.names_topics(text)
    return brain.replies.has_facets(match.intent) and any(
        name not in COMFORT_TOPICS for name in named
    )


#: Another treatment needed after the one talked about: "will i need a crown after",
#: "and do i need a crown on it after".
_NEEDED_AFTER = re.compile(
    r"\b(?:need|needs|have\s+to\s+(?:have|get)|get)\b[^.?!]*"
    r"\b(?:after(?:wards)?|on\s+(?:it|top)(?:\s+after(?:wards)?)?)\W*$",
    re.I,
)


def stays_on_topic(turn: Turn, text: str, named: str, topic: str) -> bool:
    """Whether a message naming another service still asks about the current topic.

    It does when that service is part of the topic's bundle ("the anesthetic" during a root
    canal), when it names the topic too, or when it points back at the topic ("will the crown
    go whiter too?", "do I need the scan first for them?") without asking whether we do it.
    """
    if named == topic or not turn.brain.replies.has_facets(topic):
        return named == topic
    names_topic_too = topic in turn.brain.facets.names_topics(text)
    part_of = is_part_of(turn, named, topic) and not _named_as(turn, _A_KIND_OF, text, named)
    part_of = part_of and not asks_if_we_do(text)  # "do you do xrays there too": the x-ray
    priced_alone = asks_if_price(text) and not WITHIN_THE_PRICE.search(text)
    if part_of and priced_alone and _named_as(turn, _ONE_OF, text, named):
        part_of = False  # "how much is a checkup" during a root canal: the check-up's price
    if part_of or (names_topic_too and topic not in AUDIENCE_TOPICS):
        return True  # (not "its for my son ... sealants, you do this?" during a child's visit)
    if named in AUDIENCE_TOPICS and WHAT_ABOUT.match(text):
        return True  # "what about kids?" during whitening: whitening, for a child
    if named in AUDIENCE_TOPICS and _FOR_SOMEONE.search(text) and not asks_if_we_do(text):
        return True  # "metal or clear, which is better for a kid" during braces: braces
    if not REFERS_BACK.search(_LEADING_ALSO.sub("", text)) or SWITCHES_BACK.search(text):
        return False  # "going back to the root canal - can it be done in one visit?"
    if _sought(turn, text, named):
        return False  # "and for him, he's 9, is that too late for sealants?": the sealants
    if named not in AUDIENCE_TOPICS and _COMPARED_WITH_IT.search(text):
        return False  # "whats the cost of a bridge compared to that": the bridge, beside it
    return named in AUDIENCE_TOPICS or not asks_if_we_do(text)  # "can my daughter do it too?"


#: The named service set beside the topic: "compared to that", "vs that", "instead of it".
_COMPARED_WITH_IT = re.compile(
    r"\b(?:compared\s+(?:to|with)|versus|vs\.?|instead\s+of|rather\s+than)\s+(?:that|it|this"
    r"|those|them)\b",
    re.I,
)


def _named_as(turn: Turn, pattern: re.Pattern[str], text: str, named: str) -> bool:
    """Whether the pattern's `what` names the service somewhere in the text."""
    names = turn.brain.facets.names_topic
    return any(names(found["what"]) == named for found in pattern.finditer(text))


#: A service named as a kind of its own ("a regular cleaning" during whitening): the treatment
#: on its own, not the part of the topic's bundle.
_A_KIND_OF = re.compile(
    rf"\b(?:{'|'.join(sorted(VARIANT_WORDS))})\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)", re.I
)


#: A service named as one of its kind ("how much is a checkup"), not as the topic's own part
#: ("the consultation").
_ONE_OF = re.compile(r"\b(?:a|an)\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)", re.I)


#: "also" opening a clause asks something new: "also how much is a cleaning".
_LEADING_ALSO = re.compile(r"^\W*(?:and\s+|plus\s+)?also\b", re.I)


def _sought(turn: Turn, text: str, named: str) -> bool:
    """Whether the service is named as the one asked for ("too late for sealants", "about
    implants"), not as something the topic's treatment acts on ("will the crown go whiter")."""
    names = turn.brain.facets.names_topic
    if _named_as(turn, _FOR_WHAT, text, named):
        return True
    if (next_one := _NEXT_ONE.match(text)) and names(next_one["what"]) == named:
        return True  # "and implant after, how much" after the extraction: the implant's price
    if turn.brain.facets.names_topics(turn.text) != [named]:
        return False  # "back to the root canal, will i need a crown after it": the root canal
    return _named_as(turn, _NEEDS_A, text, named)


def is_part_of(turn: Turn, named: str, topic: str) -> bool:
    """Whether a named service is one of the parts of the topic's bundle (its anesthesia)."""
    knowledge = turn.brain.knowledge
    bundle = knowledge.bundle_of(topic)
    if bundle is None or named == topic:
        return False
    names = turn.brain.facets.names_topic
    return any(names(knowledge.components[part].name) == named for part in bundle.parts)


#: Paying asked about: "will i have to pay again to get it fixed?", "is that covered?".
PAYS = re.compile(r"\b(?:pay\w*|(?<!in )charge\w*|cost\w*|free|covered|cover|refund\w*)\b", re.I)


#: Work the clinic did itself, lately: "since you only just made it", "you fitted it last week".
_OUR_OWN_WORK = re.compile(
    r"\b(?:you|u|y'?all)\s+(?:guys\s+)?(?:only\s+)?(?:just\s+)?"
    r"(?:made|did|fitted|fit|placed|put\s+(?:it|them)\s+in)\b",
    re.I,
)


def charged_for_our_work(text: str) -> bool:
    """Whether the patient asks if they pay for work the clinic just did ("is there a charge for
    that since you only just made it"): the warranty's question, not the price list's."""
    return bool(_OUR_OWN_WORK.search(text) and PAYS.search(text))


#: Getting in and around asked: "is there a lift", "ground floor?", "wheelchair accessible".
ACCESS_ASKED = re.compile(
    r"\b(?:ground\s+floor|lifts?|elevators?|ramps?|step[\s-]*free|stairs|steps"
    r"|(?:wheel\s*chair|disabled)\s+(?:access\w*|friendly|entrance|toilet|bathroom|restroom)"
    r"|accessible|accessibility)\b",
    re.I,
)


#: Staying in a wheelchair or moving into the dental chair asked: "can he stay in his
#: wheelchair for a check up or does he have to get into the dental chair?".
_IN_THE_CHAIR_ASKED = re.compile(
    r"\b(?:stay|remain|sit|treated|done|examined|seen)\s+(?:\w+\s+){0,2}?in\s+(?:his|her|my|their"
    r"|the)\s+(?:wheel\s*chair|chair)\b"
    r"|\b(?:get|move|lift\w*|transfer\w*|help\w*)\s+(?:\w+\s+){0,2}?(?:into|onto|in\s+to)\s+"
    r"(?:the\s+)?(?:dental\s+|dentist'?s?\s+)?chair\b",
    re.I,
)


def in_the_chair_asked(text: str) -> bool:
    """Whether the patient asks about staying in a wheelchair or moving into the dental chair."""
    return bool(_IN_THE_CHAIR_ASKED.search(text)) and not ACCESS_ASKED.search(text)


def getting_in_asked(text: str) -> bool:
    """Whether the patient asks how to get in or into the chair ("is there a lift?")."""
    return bool(ACCESS_ASKED.search(text) or _IN_THE_CHAIR_ASKED.search(text))


#: Someone of the patient's own asked to come in with them: "can my daughter come in with
#: me", "is it ok if my husband sits with me" (not a visit for them at the same time).
_COMES_WITH_ME = re.compile(
    r"\b(?:can|could|may|is\s+it\s+ok(?:ay)?\s+if)\s+(?:my|our)\s+(?:[\w-]+\s+){1,2}?"
    r"(?:comes?(?:\s+in)?|be|stays?|sits?)\s+"
    r"(?:with\s+me|in\s+(?:the\s+room\s+)?with\s+me|in\s+the\s+room)\b"
    r"(?!\s+(?:at\s+)?the\s+same\s+(?:time|day))",
    re.I,
)


def companion_asked(text: str) -> bool:
    """Whether the patient asks if someone of their own may come in with them."""
    return bool(_COMES_WITH_ME.search(text))
