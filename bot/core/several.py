"""Several questions in one message: each clause read on its own, in the order asked."""

from __future__ import annotations

import re

from bot import booking_text
from bot.core.asked import (
    ABOUT_THEM_ALL,
    BOOK_WORDS,
    BOTH_ASKED,
    COMPARES,
    DAY_NAMED,
    EATING,
    EXAMPLES,
    FIRST_TIME,
    FIRST_VISIT,
    INTERESTED,
    LEAD_IN,
    LISTED,
    NEVER_A_FOLLOW_UP,
    PAST_REPORT,
    PATIENT_RIGHTS_INTENTS,
    POINTER,
    PRICE_COMPARED,
    PROPOSED_TIME,
    PROPOSES,
    REFERS_BACK,
    SERVICES,
    SMALL_TALK,
    STATEMENT,
    SURE_OF_A_CLAUSE,
    SURE_OF_KIN,
    SWITCHES_BACK,
    THE_TREATMENT_ITSELF,
    VISIT_ASKED,
    WARRANTY_WORDS,
    WHEN_KEYS,
    charged_for_our_work,
    companion_asked,
    facet_asked,
    in_the_chair_asked,
    is_part_of,
    named_service,
    only_a_day,
    pointed_at,
    stays_on_topic,
    takes_the_insurer,
    time_of_day_asked,
    turned_to,
)
from bot.core.flows import (
    answers,
)
from bot.core.flows.answers import (
    AUDIENCE_TOPICS,
    INSURANCE,
    WARRANTY_TERMS,
)
from bot.core.flows.booking import BOOKING
from bot.core.flows.followups import (
    Question,
)
from bot.core.turn import (
    COMFORT_TOPICS,
    TALKED_ABOUT_BEFORE,
    Turn,
)
from bot.details import (
    asks_if_price,
    asks_if_we_do,
    extract_details,
    is_question,
    split_questions,
)
from bot.facets import WEIGHED_APART
from bot.loader import COMPANION, IN_THE_CHAIR, OFF_TOPIC_ASIDE
from bot.matcher import Match
from bot.models import HANDOFF_INTENTS, IntentKind
from bot.text import words


def needed_together(turn: Turn, text: str) -> list[Question]:
    """The treatments a patient says they need, two or three at once ("need 2 fillings and a
    cleaning", "my old dentist said i need a night guard and 2 veneers"): each of them."""
    if not _NEEDED.search(text) or PAST_REPORT.search(text) or "or" in words(text):
        return []
    if _DAMAGED.search(text):
        return []  # "my crown fell off and needs looking at, she just wants a cleaning"
    has_service = turn.brain.replies.has_service
    named = turn.brain.facets.names_topics(text, affirmed=True)
    treatments = [name for name in named if has_service(name) and name not in AUDIENCE_TOPICS]
    if len(treatments) < 2 or not LISTED.search(text):
        return []
    return [Question(name) for name in treatments[:MOST_QUESTIONS]]


def prices_compared(turn: Turn, text: str) -> list[Question]:
    """Each service's price, when the text weighs the prices of two or three it names."""
    weighed = asks_if_price(text) and bool(WEIGHED_APART & set(words(text)))  # "braces vs ..."
    if not PRICE_COMPARED.search(text) and not weighed:
        return []
    has_facets = turn.brain.replies.has_facets
    named = [n for n in turn.brain.facets.names_topics(text, affirmed=True) if has_facets(n)]
    named = [n for n in named if n not in AUDIENCE_TOPICS]
    return [Question(name, "price") for name in named[:MOST_QUESTIONS]] if len(named) > 1 else []


def several_questions(turn: Turn, match: Match, topic: str | None) -> list[Question]:
    """Each question of a message that asks more than one."""
    if match.safety or match.intent in NEVER_A_FOLLOW_UP:
        return []
    brain = turn.brain
    if COMPARES.search(turn.text) and brain.facets.match(turn.text).facet in (None, "materials"):
        return []  # the options weighed against each other: one question about the options
    clauses = split_questions(turn.text)
    if len(clauses) < 2:
        return _services_asked_together(turn) or practical_pair(turn, turn.text, match)
    asking = [clause for clause in clauses if not _only_small_talk(turn, clause)]
    if len(asking) == 1 and (together := _services_asked_together(turn, asking[0])):
        return together  # "hi new in town! do you do veneers and whitening": both
    if BOTH_ASKED.search(turn.text) and (both := _both_services(turn, clauses)):
        return both  # "two things: I need a crown, and my son needs sealants. can you do both?"
    asked: list[Question] = []
    # "need 2 fillings and a cleaning, can i get it all done in one go": the told ones, each
    about_them_all = ABOUT_THEM_ALL.search(turn.text) is not None
    # Services told as needed rather than asked about: "need my wisdom tooth out".
    needed: list[Question] = []
    for index, clause in enumerate(clauses):
        found = brain.matcher.match(clause)
        # a lead-in sets up the clause after it; the last one asks ("... also whitening price")
        fragment = _fragment(clause) and index < len(clauses) - 1
        if found.safety:
            return []  # safety overrides everything: the whole message is handled as one
        if found.intent in PATIENT_RIGHTS_INTENTS:
            continue  # stopping messages or erasing data is asked for on its own, never in passing
        if index > 0 and _for_example(clause):
            continue  # "does that include everything? like the temporary one and xrays"
        told = STATEMENT.match(clause) or _DAMAGED.search(clause)  # "lost a filling 😩"
        telling = told is not None and not is_question(clause)
        if index < len(clauses) - 1 and POINTER.match(clause):
            topic = pointed_at(turn, clause, topic) or topic  # "the porcelain ones you
            continue  # mentioned, how long do they last": theirs
        if fragment and (named := named_service(turn, clause)) and not telling:
            kept = topic is not None and stays_on_topic(turn, clause, named, topic)
            topic = named if brain.replies.has_facets(named) and not kept else topic
            continue  # "OK. And the dentures, what are they made of?": the dentures' materials
        if telling and _DAMAGED.search(clause) and (named := named_service(turn, clause)):
            topic = named if brain.replies.has_facets(named) else topic
            continue  # "my denture cracked in half 😩 can you fix it ... how fast": the denture
        if topic is None and FIRST_TIME.search(clause) and brain.replies.has_facets(FIRST_VISIT):
            topic = FIRST_VISIT  # "first time patient here. what do i need to bring": its own
        if _asks_for_what_we_dont_do(turn, clause, found):
            if Question(OFF_TOPIC_ASIDE) not in asked:
                asked.append(Question(OFF_TOPIC_ASIDE))  # "do u do botox and lip fillers?"
            continue
        if telling and _tells_of_a_treatment_needed(turn, clause, found):
            topic = found.intent  # "my dentist says i need a root canal. does it hurt": its pain
        if fragment and _price_fragment(turn, clause, topic):
            if Question(str(topic), "price") not in asked:  # "and the price, any plans?"
                asked.append(Question(str(topic), "price"))
            continue
        # (or told of before: "my mom got quoted 6000 for veneers ... do u do that")
        reported = INTERESTED.search(clause) or PAST_REPORT.search(clause)
        interested = telling and topic is None and reported is not None
        if interested and (named := named_service(turn, clause)) is not None:
            topic = named if brain.replies.has_facets(named) else topic  # "Hi, I'm interested
            # in Invisalign. How long does treatment usually take and whats the cost?": theirs
        needs_listed = about_them_all and not is_question(clause)
        together = needed_together(turn, clause) if needs_listed else []
        if len(together) > 1:  # "need 2 fillings and a cleaning, can i get it all done ..."
            asked.extend(each for each in together if each not in asked)
            needed.extend(each for each in together if each not in needed)
            topic = together[-1].intent
            continue
        if telling or fragment:
            continue  # "shes pretty worried about it", "and the anaesthetic": no question
        named = turned_to(turn, clause)
        if named is not None:
            topic = named if brain.replies.has_facets(named) else topic
            continue  # "ok nvm, back to the cleaning, how much is it": the cleaning's price
        compared = prices_compared(turn, clause)
        if len(compared) > 1:
            asked.extend(each for each in compared if each not in asked)
            topic = compared[-1].intent
            continue  # "... Also what is the price difference between braces and aligners"
        walk_in = booking_text.asks_about_walk_ins(clause)  # "... and do u take walk ins"
        question = Question(BOOKING) if walk_in else None
        if question is None and in_the_chair_asked(clause):
            question = Question(IN_THE_CHAIR)  # "... can he stay in his wheelchair for it?"
        if question is None and companion_asked(clause):
            question = Question(COMPANION)  # "... and can my daughter come in with me"
        if question is None and time_of_day_asked(turn, clause):
            question = Question(answers.HOURS)  # "... and can i come after 6?"
        if question is None and takes_the_insurer(turn, clause):
            question = Question(INSURANCE)  # "... and do u accept united healthcare"
        if question is None:
            question = facet_asked(turn, clause, found, topic)
        if question is not None and WARRANTY_WORDS.search(clause) and not found.safety:
            question = Question(WARRANTY_TERMS)  # "warranty on crowns? and how long do they last"
        if question is None and answers.NEW_PATIENTS.search(clause) and not found.safety:
            question = Question(FIRST_VISIT)  # "are you taking new patients, and ...?"
        when = extract_details(clause, turn.today)
        booking = Question(BOOKING) in asked
        if question is None and booking and WHEN_KEYS & when.keys() and not is_question(clause):
            continue  # "ok lets book her in. mornings are better for her": when, for the request
        if question is None and _asks_on_its_own(turn, clause, found):
            question = Question(str(found.intent))
        if question is None and only_a_day(clause, when):
            proposed = "time" in when and PROPOSED_TIME.search(clause) is not None
            # "... and do you do it on saturdays"; "installments? sat morning ok?": a visit
            question = Question(BOOKING if proposed else answers.HOURS)
        if question is None and _visit_on_a_day(clause, when):
            question = Question(BOOKING)  # "can i bring him saturday? and theres parking right"
        if question is None and topic is not None and _asks_to_do_it(turn, clause, topic):
            question = Question(topic)  # "my denture cracked in half, can you fix it"
        if question is None:
            named = named_service(turn, clause)  # "I lost my retainer, ...": the topic
            topic = named if named is not None and brain.replies.has_service(named) else topic
            continue
        if charged_for_our_work(clause) and not found.safety:
            question = Question(WARRANTY_TERMS)  # "..., and do i pay for that since you fitted it"
        whole = Question(question.intent)
        if question.facet == "price" and whole in needed:
            asked[asked.index(whole)] = question  # "me and 2 kids 5 and 9. how much is a kids
            needed.remove(whole)  # checkup": told first, then its price asked
            continue
        if question.facet == "price" and whole in asked:
            continue  # the service's whole answer already names every part and the total
        if asked and _goes_on_asking(asked[-1], question, clause):
            continue  # "After it will be pain? How many days?": how many days of it
        if question not in asked:
            asked.append(question)
            asks = is_question(clause) or f"{clause}?" in turn.text  # (the split drops "?")
            if question.facet is None and not asks:
                needed.append(question)
        on_days = question.facet is None and asks_if_we_do(clause) and DAY_NAMED.search(clause)
        service_on_days = on_days and brain.replies.has_service(question.intent)
        if service_on_days and Question(answers.HOURS) not in asked:
            asked.append(Question(answers.HOURS))  # "root canals on weekends?": those days too
        if brain.replies.has_service(question.intent):
            topic = question.intent
        elif (named := named_service(turn, clause)) and brain.replies.has_facets(named):
            topic = named  # "lost a filling, r u open today and how much to redo it"
    if len(asked) > 1 and any(brain.replies.has_service(each.intent) for each in asked):
        asked = [each for each in asked if each.intent != SERVICES]  # "...what can you do"
    if Question(OFF_TOPIC_ASIDE) in asked:  # said first, and only before a dental answer
        asked.remove(Question(OFF_TOPIC_ASIDE))
        asked = [Question(OFF_TOPIC_ASIDE), *asked] if asked else []
    asked = asked[:MOST_QUESTIONS]
    booking_asked = Question(BOOKING) in asked and Question(BOOKING) not in needed
    said = brain.facets.names_topics(turn.text)  # (not "just want someone to have a look")
    wanted = [q for q in needed if brain.replies.has_service(q.intent) and q.intent in said]
    if booking_asked and all(q in wanted or q.intent == BOOKING for q in asked):
        return []  # "need my wisdom tooth out, my dentist referred me. can i book": a request
    return asked


def _visit_on_a_day(clause: str, when: dict[str, str]) -> bool:
    """Whether a clause puts a visit on the day or time it gives (`when`, its details):
    "can we do thursday after 4"."""
    if not WHEN_KEYS & when.keys():
        return False
    return any(found.search(clause) for found in (PROPOSES, VISIT_ASKED, _BRING_ON))


#: Bringing someone in: "can i bring him saturday", "could we bring the kids".
_BRING_ON = re.compile(r"\b(?:can|could|may)\s+(?:i|we)\s+bring\b", re.I)


#: The facets a bare "how many days?" after them goes on asking about.
_LASTING_FACETS = frozenset({"recovery", "pain", "longevity"})


#: At most this many words in a clause that only goes on asking the one before it.
_GOING_ON = 4


def _goes_on_asking(before: Question, question: Question, clause: str) -> bool:
    """Whether a short "how long?" clause asks how long the thing asked just before lasts
    ("will it be sore after? for how many days?"), not a question of its own."""
    if before.facet == "materials" and _CHOICE_ASKED.match(clause):
        return True  # "what is the permanent one made of, can i choose?": among the materials
    return (
        question.intent == before.intent
        and question.facet == "duration"
        and before.facet in _LASTING_FACETS
        and len(words(clause)) <= _GOING_ON
    )


#: Whether the patient gets a say: "can i choose", "do i get to pick", "is there a choice".
_CHOICE_ASKED = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:can|could|do|may)\s+(?:i|we)\s+(?:get\s+to\s+)?(?:choose|pick"
    r"|decide)\b(?:\s+(?:it|one|which|myself))?\W*$|^\W*(?:is\s+there\s+a|any)\s+choice\W*$",
    re.I,
)


#: Something of the patient's damaged: "my denture cracked in half", "the crown came off".
_DAMAGED = re.compile(
    r"\b(?:crack|broke|broken|chipped|snapped|split|fell\s+out|fell\s+off|came\s+(?:off|out)"
    r"|loose|lost)\w*\b",
    re.I,
)


#: The questions one reply answers at most.
MOST_QUESTIONS = 3


#: "can you fix it", "could you do that": whether the clinic does the thing talked about.
_DO_IT = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:can|could|will|would|do)\s+(?:you|u|ya)\s+(?:fix|do|repair|treat"
    r"|make|sort)\s+(?:it|that|this|them|those)\b",
    re.I,
)


def _asks_to_do_it(turn: Turn, clause: str, topic: str) -> bool:
    """Whether a clause asks if we do the service just named, naming nothing else."""
    if not turn.brain.replies.has_service(topic) or not _DO_IT.match(clause):
        return False
    return not turn.brain.facets.names_topics(clause)


def back_from_the_comfort(turn: Turn) -> bool:
    """Whether a message after the sedation or numbing options, asked during a treatment, is
    about the treatment again: it goes back to it or speaks of the tooth or eating ("what
    should she eat afterwards, once it's out?"), naming nothing else."""
    if turn.topic not in COMFORT_TOPICS or turn.brain.facets.names_topics(turn.text):
        return False
    before = turn.state.details.get(TALKED_ABOUT_BEFORE)
    if not before or before in COMFORT_TOPICS or not turn.brain.replies.has_facets(before):
        return False
    matcher = turn.brain.matcher
    text = turn.text
    mouth = matcher.detect_emergency.about_mouth(matcher.normalized(text))
    treatment = THE_TREATMENT_ITSELF.search(text) is not None
    return bool(SWITCHES_BACK.search(text) or EATING.search(text)) or mouth or treatment


def named_elsewhere(turn: Turn, question: Question, topic: str | None, match: Match) -> bool:
    """Whether the one question a message asks is about a subject it names, not the topic:
    "how about a bridge, how long does that last?" while on implants, "which insurance do you
    take? i'm with Allianz" while on a wisdom tooth."""
    if topic is None or question.intent == topic or is_part_of(turn, question.intent, topic):
        return False  # "and the first consultation, how much is that" during braces: theirs
    if question.intent in turn.brain.facets.names_topics(turn.text, affirmed=True):
        return True
    return (
        question.facet is None
        and match.intent == question.intent
        and plainly_practical(turn, match)
    )


def _both_services(turn: Turn, clauses: list[str]) -> list[Question]:
    """The services a "can you do both?" asks about, named in the clauses before it, when no
    clause asks about a side of one (for whom they are is no service of its own then)."""
    brain = turn.brain
    if not asks_if_we_do(turn.text) or BOOK_WORDS.search(turn.text):
        return []
    if any(is_question(clause) and brain.facets.match(clause).facet for clause in clauses):
        return []  # "can you do both, and how long do they take"
    named = [
        n
        for n in brain.facets.names_topics(turn.text, affirmed=True)
        if brain.replies.has_service(n)
    ]
    treatments = [n for n in named if n not in AUDIENCE_TOPICS]
    chosen = treatments if len(treatments) > 1 else named
    return [Question(name) for name in chosen[:3]] if len(chosen) > 1 else []


def _services_asked_together(turn: Turn, text: str | None = None) -> list[Question]:
    """ "do you do root canals and crowns": each service, when none of its sides is asked."""
    brain = turn.brain
    text = turn.text if text is None else text
    if not asks_if_we_do(text) or brain.facets.match(text).facet is not None:
        return []
    if BOOK_WORDS.search(text):
        return []  # "can i book checkups for me and my 2 kids": one request, for both
    named = brain.facets.names_topics(text, affirmed=True)
    services = [name for name in named if brain.replies.has_service(name)]
    treatments = [name for name in services if name not in AUDIENCE_TOPICS]
    if len(treatments) == 1:
        return []  # "do you do sealants on kids teeth": the sealants, for a child
    return [Question(name) for name in services[:3]] if len(services) > 1 else []


def _only_small_talk(turn: Turn, clause: str) -> bool:
    """Whether a clause only greets or thanks ("hi new in town"), naming nothing."""
    if turn.brain.facets.names_topics(clause) or is_question(clause):
        return False
    return bool(_GREETS.match(clause)) or turn.brain.matcher.match(clause).intent in SMALL_TALK


#: A clause that opens with a greeting: "hi new in town", "hello there".
_GREETS = re.compile(
    r"^\W*(?:hi|hii+|hello|hey|heya|good\s+(?:morning|afternoon|evening))\b", re.I
)


def practical_pair(turn: Turn, text: str, match: Match) -> list[Question]:
    """ "any discounts or payment plans": two practical subjects joined in one question."""
    parts = _JOINED.split(text, maxsplit=1)
    if len(parts) != 2 or match.safety:
        return []
    first, second = (turn.brain.matcher.match(part) for part in parts)
    plainly = plainly_practical(turn, first) and plainly_practical(turn, second)
    if not plainly or first.intent == second.intent:
        return []
    return [Question(str(first.intent)), Question(str(second.intent))]


def plainly_practical(turn: Turn, match: Match) -> bool:
    """Whether a reading is a practical subject, sure and not a request (a booking)."""
    definition = turn.brain.knowledge.intents.get(match.intent or "")
    if definition is None or definition.kind != IntentKind.PRACTICAL or match.ambiguous:
        return False
    return match.score >= SURE_OF_A_CLAUSE and match.intent not in (BOOKING, "reschedule")


#: "or" and "and" joining two things asked about in one question.
_JOINED = re.compile(r"\s+(?:or|and|&)\s+", re.I)


def _asks_for_what_we_dont_do(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a clause asks if we do something no dentist does ("do u do botox"), naming it:
    not "do you do it on saturdays" or a treatment of ours."""
    if found.intent is not None or not found.off_topic or not asks_if_we_do(clause):
        return False
    if REFERS_BACK.search(clause) or extract_details(clause, turn.today):
        return False
    return named_service(turn, clause) is None


def _tells_of_a_treatment_needed(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a told clause says which treatment is to come ("my dentist says i need a root
    canal"), as the classifier reads it too; not one had before ("had a crown last year")."""
    if found.intent is None or not turn.brain.replies.has_facets(found.intent):
        return False
    if PAST_REPORT.search(clause) or not _NEEDED.search(clause):
        return False  # "i have two crowns at the front": no treatment to come
    if "weekdays" in turn.details or BOOK_WORDS.search(turn.text):
        return False  # "i need a tooth out. how much and can you do it tomorrow": a request
    return named_service(turn, clause) == found.intent


#: A treatment still to come: "i need", "my dentist says he needs", "was recommended".
_NEEDED = re.compile(
    r"\b(?:need|needs|needed|needing|recommend\w*|suggest\w*|ha(?:ve|s)\s+to\s+(?:get|have))\b",
    re.I,
)


def _price_fragment(turn: Turn, clause: str, topic: str | None) -> bool:
    """ "and the price" before another question: the topic's price, asked in passing."""
    if topic is None or not turn.brain.replies.has_facets(topic):
        return False
    return turn.brain.facets.match(clause).facet == "price" and not named_service(turn, clause)


def _fragment(clause: str) -> bool:
    """A few words that set up the next clause rather than ask: "and the anaesthetic"."""
    short = len(words(clause)) < 5 and "?" not in clause
    return short and LEAD_IN.match(clause) is not None


def _for_example(clause: str) -> bool:
    """Examples of what the clause before asked: "does that include everything? like the
    temporary one and xrays" asks one thing, not also about x-rays."""
    return EXAMPLES.match(clause) is not None and not is_question(clause)


def _asks_on_its_own(turn: Turn, clause: str, found: Match) -> bool:
    """Whether a clause is a question of its own: asked, and about what it names or plainly.

    "i think my teeth are already moving" asks nothing; "all 4 of them?" names no service, so
    the classifier's guess of one is no question about it.
    """
    intent = found.intent
    if intent is None or found.ambiguous or intent in HANDOFF_INTENTS or intent in SMALL_TALK:
        return False
    if not is_question(clause) and PAST_REPORT.search(clause):
        return False  # "tooth was pulled last month": what happened, no question about pulling
    if turn.brain.replies.has_service(intent):
        named = turn.brain.facets.names_topics(clause)
        if intent in AUDIENCE_TOPICS and intent not in named and not is_question(clause):
            return False  # "does it hurt? the little one hates the dentist": who, not what
        if intent in named or asks_if_we_do(clause) or found.score >= SURE_OF_A_CLAUSE:
            return True
        # "is the first checkup really free": a question naming a treatment, read as its kin
        kin = any(turn.brain.replies.has_service(name) for name in named)
        return kin and is_question(clause) and found.score >= SURE_OF_KIN
    return True


def is_acknowledgement(turn: Turn, text: str) -> bool:
    """ "ok", "sure", a thumbs-up: not a question, so neither a misunderstanding."""
    known = turn.brain.knowledge.vocabulary.acknowledgements
    stripped = text.strip().lower().strip(".!?")
    if bool(stripped) and not any(c.isalnum() for c in stripped):
        return True  # a thumbs-up alone
    return stripped in known or " ".join(words(stripped)) in known  # "ok 👍"
