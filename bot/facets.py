"""Follow-ups on the current topic: "how long does it take?", "does it hurt", "and the price?".

A message that names no service is read against the topic the patient is talking about, as a
facet of it. Facet phrasings are learned from examples shared by every service
(`intents/facets.yaml`), so a new service needs answers (`replies/facets.yaml`), not examples.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from bot.loader import Knowledge
from bot.matcher import IntentMatcher, Thresholds, remembered, topic_word_sets
from bot.models import Intent, IntentKind
from bot.text import words

PREFIX = "facet_"
#: Practical intents whose questions are facets too ("how much", "is there a warranty").
FACET_LIKE_INTENTS = frozenset({"prices", "warranty"})
AFTERCARE = "aftercare"
#: Words of the patient's own, recent treatment ("my new filling feels high", "had a tooth out
#: yesterday"): such an aftercare question is not a facet. A general one ("can i drink coffee
#: after a filling", "how long will the numbness last") asks about recovery from a treatment,
#: so it is not taught as "not a facet".
OWN_TREATMENT_WORDS = frozenset(
    words(
        "my mine had got yesterday today tonight ago since still new placed fitted put morning"
        " week hours monday tuesday wednesday thursday friday saturday sunday"
    )
)


@dataclass(frozen=True)
class FacetMatch:
    """Which facet a message asks about, and how sure the matcher is."""

    facet: str | None
    score: float


class FacetMatcher:
    """Learns the facets from their shared examples; every other example is "not a facet"."""

    def __init__(self, knowledge: Knowledge) -> None:
        facet_intents = {
            f"{PREFIX}{name}": Intent(
                name=f"{PREFIX}{name}",
                kind=IntentKind.PRACTICAL,
                description=f"asks about the {name} of the current topic",
                examples=list(examples),
            )
            for name, examples in knowledge.facet_examples.items()
        }
        # What is not a facet: small talk, hand-overs and practical questions. Service
        # questions are left out, as they often ask a facet of a named service.
        others = tuple(
            example
            for name, intent in knowledge.intents.items()
            if intent.kind != IntentKind.SERVICE and name not in FACET_LIKE_INTENTS
            for example in intent.examples
            if name != AFTERCARE or _about_own_treatment(example)
        )
        facet_knowledge = dataclasses.replace(
            knowledge,
            intents=facet_intents,
            out_of_scope=(*others, *knowledge.out_of_scope),
        )
        self._matcher = (
            IntentMatcher(facet_knowledge, Thresholds(accept=0.45)) if facet_intents else None
        )
        self._topic_words = topic_word_sets(knowledge)
        self._narrower = dict(knowledge.narrower_topics)
        self._topic_of: dict[str, str] = {}
        self._matched: dict[str, FacetMatch] = {}
        self._named: dict[str, tuple[str, ...]] = {}
        self._named_affirmed: dict[str, tuple[str, ...]] = {}
        for topic, names in self._topic_words.items():
            for name in names:
                self._topic_of.setdefault(name, topic)

    def match(self, text: str) -> FacetMatch:
        """The facet asked about, or None (the last few remembered: a turn asks it often)."""
        return remembered(self._matched, text, self._match)

    def _match(self, text: str) -> FacetMatch:
        """The facet asked about, or None."""
        if self._matcher is None:
            return FacetMatch(None, 0.0)
        found = self._matcher.match(text)
        if (found.intent is None or found.ambiguous) and self.names_topic(text) is not None:
            # The examples never name a treatment: "do implants hurt" is read as "do it hurt",
            # and "how much does sedation add" as "how much does it add", not as its pain.
            as_it = self._matcher.match(self._without_topic_words(text))
            if found.intent is None or (as_it.intent is not None and not as_it.ambiguous):
                found = as_it
        if (strong := _facet_by_strong_words(text)) is not None:
            return FacetMatch(strong, max(found.score, STRONG_WORDS_SCORE))
        means = MEANS_THE_TREATMENT.search(text)
        if means is not None and self.names_topic(means["what"]) is not None:
            return FacetMatch("suitability", max(found.score, STRONG_WORDS_SCORE))
        if found.intent is None or not found.intent.startswith(PREFIX) or found.ambiguous:
            within = HOW_MANY_UNITS.search(text) or DONE_WITHIN.search(text)
            if found.intent is None and (within or SAME_VISIT.match(text)):
                return FacetMatch("duration", found.score)  # "how many months until ..."
            unsure = found.intent is None or found.ambiguous
            if unsure and (facet := _facet_by_its_words(text)) is not None:
                return FacetMatch(facet, found.score)
            unnamed = self.names_topic(text) is None  # "how much is a root canal": the script
            if found.intent is None and unnamed and PRICE_ASKED.search(text):
                return FacetMatch("price", found.score)  # "price per tooth?"
            if found.intent is None and AGE_ASKED.search(text):
                return FacetMatch("suitability", found.score)  # "is 12 a good age to start"
            return FacetMatch(None, found.score)
        facet = found.intent.removeprefix(PREFIX)
        if RESTORATION_WHITENED.search(text):
            return FacetMatch("suitability", found.score)  # "will my crowns get whiter too?"
        if facet == "preparation" and BRING_IN.search(text):
            return FacetMatch(
                None, found.score
            )  # "could I bring him in": a visit, not what to bring
        if facet in ("preparation", "materials") and LIVING_WITH_IT.search(text):
            return FacetMatch("recovery", found.score)  # "can i drink coffee with them in"
        if facet == "longevity" and MONEY_ASKED.search(text):
            return FacetMatch("price", found.score)  # "how much to redo it": what it costs
        return FacetMatch(facet, found.score)

    def _without_topic_words(self, text: str) -> str:
        """The message with every word naming a service replaced by "it"."""
        out: list[str] = []
        tokens = words(text)
        for index, token in enumerate(tokens):
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if token in VARIANT_WORDS and self._names_a_topic(following):
                continue  # "normal braces": the braces, not "back to normal"
            word = "it" if self._names_a_topic(token) else token
            if not (word == "it" and out and out[-1] == "it"):
                out.append(word)
        return " ".join(out)

    def _names_a_topic(self, token: str) -> bool:
        """Whether a word, or its singular, names a service."""
        return token in self._topic_of or _plural(token) in self._topic_of

    def names_topics(self, text: str, affirmed: bool = False) -> list[str]:
        """Every topic the message names, in order; `affirmed`: not those denied ("no crowns")."""
        memory = self._named_affirmed if affirmed else self._named

        def find(said: str) -> tuple[str, ...]:
            return self._names_topics(said, affirmed)

        found: tuple[str, ...] = remembered(memory, text, find)
        return list(found)

    def _names_topics(self, text: str, affirmed: bool) -> tuple[str, ...]:
        """Every topic the message names, in order (see names_topics)."""
        named: list[str] = []
        where: dict[str, list[int]] = {}  # every place a named topic is named
        tokens = words(NO_CHILD_S_CARE.sub(" ", text))  # "went grey after a fall as a kid"
        second = -1  # the second word of a name of two ("root filling") names nothing itself
        for index, token in enumerate(tokens):
            topic = self._topic_word(token) if index != second else None
            verb = tokens[index + 1 : index + 3] == ["up", "on"]  # "check up on my order"
            if topic is None and index + 1 < len(tokens) and not verb:  # "check up", "x ray"
                topic = self._topic_word(token + tokens[index + 1])
                second = index + 1 if topic is not None else second
            if topic is None or _reports(tokens, index):
                continue
            if affirmed and NEGATIONS & set(tokens[max(0, index - 3) : index]):
                continue
            if topic not in named:
                named.append(topic)
            where.setdefault(topic, []).append(index)
        broader = {
            self._narrower[topic]
            for topic in named
            if topic in self._narrower
            and not self._set_apart(tokens, where[topic], where.get(self._narrower[topic], []))
        }
        kept: list[str] = []
        for topic in named:
            if topic in broader:
                continue  # "partial denture": one
            plain = self._narrower.get(topic)
            if plain in named and plain not in kept and _plain_kind_before(tokens, where[topic]):
                kept.append(plain)  # "full and partial dentures": the full ones first
            if topic not in kept:
                kept.append(topic)
        return tuple(kept)

    @staticmethod
    def _set_apart(tokens: list[str], narrower: list[int], broader: list[int]) -> bool:
        """Whether two named topics are weighed as two things: "braces vs invisalign", "a deep
        cleaning or a regular cleaning" (the second "cleaning" is the broader one)."""

        def apart(one: int, other: int) -> bool:
            between = set(tokens[min(one, other) + 1 : max(one, other)])
            # "between traditional braces and clear aligners": "and" sets them apart too
            chosen = "between" in tokens[max(0, min(one, other) - 3) : min(one, other)]
            return bool(WEIGHED_APART & between) or (chosen and "and" in between)

        return _plain_kind_before(tokens, narrower) or any(
            apart(one, other) for one in narrower for other in broader
        )

    def _topic_word(self, token: str) -> str | None:
        """The topic a word names, plural or hyphenated ("check-ups") alike."""
        for each in (token, token.replace("-", "")):
            topic = self._topic_of.get(each) or self._topic_of.get(_plural(each))
            if topic is not None:
                return topic
        return None

    def broader(self, topic: str) -> str | None:
        """The broader service a narrower one is a kind of (aligners: orthodontics), if any."""
        return self._narrower.get(topic)

    def names_topic(self, text: str) -> str | None:
        """A topic the message names by one of its words ("crown", "implants"), if any."""
        named = set(self.names_topics(text))
        return next((topic for topic in self._topic_words if topic in named), None)


#: "how many months until I have a proper tooth", "how many visits": how long it takes, when the
#: learned phrasings miss it ("how many years" is how long it lasts, and is left to them).
#: The price named outright, when the learned phrasings are unsure ("price per tooth?").
PRICE_ASKED = re.compile(r"\b(?:how\s+much|prices?|pricing|costs?)\b", re.IGNORECASE)
#: Whether it can be done within a time: "is possible to do all in 3 weeks?", "can they be
#: ready within a month".
DONE_WITHIN = re.compile(
    r"\b(?:do|done|finish\w*|ready|complete\w*|made|fitted|over\s+with)\b[^.?!]*"
    r"\b(?:in|within|under|before|by)\s+(?:\d+|a|an|one|two|three|four|five|six|a\s+few"
    r"|a\s+couple\s+of)\s+(?:days?|weeks?|months?)\b",
    re.IGNORECASE,
)
#: Words naming a kind of a treatment, not a facet: "normal braces", "regular cleaning".
VARIANT_WORDS = frozenset({"normal", "regular", "traditional", "standard", "usual", "classic"})
#: Only "same day?": whether it is all done at one visit ("can we all come on the same day"
#: asks for a visit).
SAME_VISIT = re.compile(
    r"^\W*(?:(?:and|so|ok|is\s+it|all|done|can\s+it\s+be\s+done"
    r"|(?:and\s+)?the\s+other\s+(?:side|ones?)\s+too)\W+)*(?:on\s+|in\s+)?(?:the\s+)?"
    # "same day possible?", "both at once?", "in one go?"
    r"(?:same\s+(?:day|visit|appointment)|one\s+(?:go|sitting)|(?:both|all)\s+at\s+once)"
    r"(?:\W+(?:possible|ok|okay|too|as\s+well))?\W*$",
    re.IGNORECASE,
)
#: What something costs, said so plainly that no other facet is meant ("how much to redo it",
#: not "how much longer does it last").
MONEY_ASKED = re.compile(
    r"\bhow\s+much\b(?!\s+(?:longer|time|more\s+time)\b)(?!.*\b(?:last|lasts|years?)\b)"
    r"|\b(?:prices?|costs?|\$)",
    re.IGNORECASE,
)
#: Whether an age suits, when the learned phrasings are unsure ("is 12 a good age to start").
AGE_ASKED = re.compile(
    r"\b(?:good|right|best|ideal|minimum|min|youngest|oldest)\s+age\b"
    r"|\btoo\s+(?:young|old|early|late)\b|\bage\s+(?:to\s+start|limit)\b"
    # "she is 78 is ok?", "hes 12, is that fine"
    r"|\b(?:is|im|i'?m|hes|he'?s|shes|she'?s|they'?re|theyre)\s+(?:only\s+|already\s+)?\d{1,2}\b"
    r"[^.?!]*\b(?:ok|okay|fine|alright|possible|allowed)\b",
    re.IGNORECASE,
)
#: The teeth shaped before the work: "do u have to shave my real teeth down for them",
#: "do they have to grind down the teeth either side" (grinding one's teeth is bruxism).
TEETH_SHAPED = re.compile(
    # "is a lot of the natural tooth removed?": how much of the tooth is taken off
    r"\b(?:much|lot|bit|part)\s+of\s+(?:the\s+|my\s+|your\s+)?(?:natural\s+|own\s+|real\s+)?"
    r"(?:tooth|teeth|enamel)\s+(?:is\s+|are\s+|gets?\s+|be\s+|do\s+you\s+)?(?:removed|remove"
    r"|taken\s+(?:off|away)|take\s+(?:off|away)|shaved|ground)\b"
    r"|\bshav\w*|\b(?:grind|ground|fil(?:e|ed|ing)|drill|sand|trim|cut)\w*\b[^.?!]{0,30}"
    r"\b(?:down|off|away)\b",
    re.IGNORECASE,
)
#: Discomfort asked about, when the learned phrasings are unsure: "are they sore at first?",
#: "how uncomfortable is it to wear?"; with "after" it is what to expect afterwards.
DISCOMFORT = re.compile(
    r"\b(?:sore|uncomfortable|discomfort|painful|hurts?|hurting|aches?|aching)\b", re.IGNORECASE
)
#: A sentence that asks: "are they sore at first", "and which of those lasts longer".
ASKS = re.compile(
    r"\W*(?:(?:and|so|but|ok|okay)\W+)?"
    r"(?:are|is|will|would|does|do|how|can|could|which|what|should|why"
    r"|can'?t|cannot|couldn'?t|wouldn'?t|isn'?t)\b",
    re.I,
)
#: Discomfort asked about afterwards is what to expect then: "will it be sore after".
AFTERWARDS = re.compile(r"\b(?:after|afterwards|next\s+day|days?\s+later)\b", re.IGNORECASE)
#: Whether crowns, fillings or veneers whiten too: whom whitening suits, with what in the mouth.
RESTORATION_WHITENED = re.compile(
    r"\b(?:crowns?|fillings?|veneers?|bonding|caps?)\b[^.?!]*"
    r"\b(?:(?:get|go|turn|become|be)\s+(?:whiter|white|whitened|lighter|bleached)|change\s+colou?r"
    r"|whiten(?:ed)?\s+too)",
    re.IGNORECASE,
)
#: Which lasts longer: "which of those lasts longer", "which one holds up longer?".
LASTS_LONGER = re.compile(
    r"\b(?:lasts?|holds?\s+up|wears?\s+better|survives?)\s+(?:the\s+)?long(?:er|est)\b"
    r"|\bmore\s+durable\b|\bmost\s+durable\b"
    # "teeth stay straight forever or can move back?": whether the result lasts
    r"|\b(?:stay|remain|keep)\s+(?:\w+\s+)?(?:forever|for\s+good|for\s+life|permanently)\b"
    r"|\b(?:move|moving|shift|shifting|drift|relapse)\s+back\b",  # not "come back after"
    re.IGNORECASE,
)
#: How long a treatment's result lasts: "How long would a custom one last compared to those?",
#: not how long a visit, the swelling or the numbness lasts.
HOW_LONG_IT_LASTS = re.compile(
    r"^(?!.*\b(?:procedure|appointment|visit|treatment|surgery|operation|session|swell\w*"
    r"|pain|numb\w*|sore\w*|bleed\w*|discomfort|recovery|heal\w*|sedation|effect)\b)"
    r".*\bhow\s+long\s+(?:would|will|does|do|did|can|could|should|is|are|might)\b[^.?!]*"
    r"\b(?:last|lasts|hold\s+up|holds\s+up)\b",
    re.IGNORECASE,
)
#: Everyday life while wearing it: "can she play trumpet with them?", "can i drink coffee with
#: them in": what to expect living with it.
LIVING_WITH_IT = re.compile(
    r"\b(?:can|could|will|would)\s+(?:i|he|she|we|they|you|my\s+\w+)\s+(?:still\s+)?"
    r"(?:play|eat|drink|chew|bite|sing|swim|run|kiss|smoke|work|exercise|train|box|dive|fly"
    r"|do\s+(?:sports?|\w+ing)|go\s+(?:to\s+)?(?:work|school|the\s+gym|swimming|running))\b"
    r"[^.?!]*\b(?:with|wearing)\s+(?:them|it|those|these|my|his|her|the|braces|aligners)\b"
    # "and rugby with them on, ok?", "what he cant eat with them", "how do i clean under it"
    r"|\b(?:rugby|football|soccer|hockey|boxing|basketball|sports?|gym|trumpet|flute|sax\w*"
    r"|clarinet|instruments?)\b[^.?!]*\bwith\s+(?:them|it|those|braces|aligners)\b"
    r"|\bwhat\s+(?:(?:can'?t|cannot|can|should(?:n'?t)?)\s+(?:i|he|she|we|they)"
    r"|(?:i|he|she|we|they)\s+(?:can'?t|cannot|can|should(?:n'?t)?))\s+(?:eat|drink)\b"
    r"|\bhow\s+(?:do|should|would|can|to)\s+(?:i\s+|you\s+|we\s+|he\s+|she\s+)?"
    r"(?:clean|brush|floss|care\s+for|look\s+after)\b",
    re.IGNORECASE,
)
#: How it is worn day to day: "do i have to wear them at night too", "at school as well", "can
#: i take them out for a wedding": what living with it means, not how long the treatment takes.
WORN_DAILY = re.compile(
    r"\b(?:have\s+to|need\s+to|must|should|do\s+i|does\s+(?:he|she))\s+wear\s+(?:them|it|those)"
    r"\s+(?:at\s+night|all\s+day|every\s+day|all\s+the\s+time|while|when|during|to\s+sleep"
    r"|at\s+(?:school|work|college|uni)|in\s+(?:school|class|public))\b"
    r"|\btake\s+(?:them|it|those)\s+out\s+(?:for|to|when|during|at|while|before)\b",
    re.IGNORECASE,
)
#: Harm to the teeth asked about: "its not bad for the teeth right", "does it damage enamel".
HARM_ASKED = re.compile(
    r"\bbad\s+for\s+(?:my\s+|the\s+|your\s+|his\s+|her\s+)?(?:teeth|tooth|enamel|gums)\b"
    r"|\b(?:damag|weaken|ruin|harm)\w*\s+(?:my\s+|the\s+)?(?:teeth|tooth|enamel|gums)\b",
    re.IGNORECASE,
)
#: How long until it must be made again: "and how many yrs before new ones".
RENEWED_AFTER = re.compile(
    r"\bhow\s+many\s+(?:years|yrs)\s+(?:before|until|till|til)\b"
    r"|\bbefore\s+(?:i|he|she|we|they)\s+need\s+(?:a\s+)?new\s+(?:ones?|set|pair)\b",
    re.IGNORECASE,
)
#: Whether a price is counted per unit: "is that per tooth", "per quadrant?", "each or both?".
PER_UNIT = re.compile(
    r"\bper\s+(?:tooth|teeth|quadrant|arch|jaw|side|implant|crown|veneer|filling|unit|tray"
    r"|set|session|visit|child|kid|person)\b|\bfor\s+(?:each|both|one\s+or\s+both)\b"
    # "so for the 4 its just 4 times that?"
    r"|\b(?:\d+|two|three|four|five|six)\s+times\s+(?:that|the\s+price|it)\b",
    re.IGNORECASE,
)
#: Something that stays in place asked for: "is there anything that doesnt move", "without
#: the glue": the kinds on offer (a denture held by implants).
STAYS_IN_PLACE = re.compile(
    r"\b(?:doesn'?t|does\s+not|won'?t|wouldn'?t|dont|don'?t)\s+(?:move|slip|wobble)\b"
    r"|\bstays?\s+(?:put|in\s+place|in)\b|\bmore\s+(?:stable|secure)\b"
    r"|\b(?:without|no\s+more)\s+(?:the\s+)?(?:glue|adhesive|paste|fixodent)\b",
    re.IGNORECASE,
)
#: Asking to bring someone in: "can I bring my daughter in for a cleaning" (not "in a
#: wheelchair", and not "should we bring her in or just wait").
BRING_IN = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we)\s+bring\s+(?:him|her|them|my\s+\w+|our\s+\w+|the\s+\w+)"
    r"\s+in\b(?!\s+(?:a|an|the)\b)",
    re.I,
)
#: A ready-made one from a shop against ours: "cant i just buy one at the pharmacy", "are the
#: boil and bite ones any good": the kinds there are, so materials and options.
SHOP_BOUGHT = re.compile(
    r"\bbuy\s+(?:one|them|it|some|a\s+\w+)\s+(?:at|from|in|on)\s+(?:the\s+|a\s+)?"
    r"(?:pharmacy|chemist|drug\s*store|shop|store|supermarket|amazon|internet|online)\b"
    r"|\b(?:shop|store)[-\s]bought\b|\bover\s+the\s+counter\b|\bboil[-\s]and[-\s]bite\b",
    re.IGNORECASE,
)
#: Whether it is all done at one visit: "do i leave with teeth the same day", "can it be
#: finished the same day".
DONE_SAME_DAY = re.compile(
    r"\b(?:leave|walk\s+out|go\s+home|done|finished|ready|fitted|made)\b[^.?!]*"
    r"\b(?:same|one)\s+(?:day|visit|appointment)\b",
    re.IGNORECASE,
)
#: Being without a tooth until the work is done: "will i be walking around without a tooth
#: while the new one gets made?", "can i have a temporary tooth while it heals?", "how long
#: until i get a tooth on it": the stages and what fills the gap meanwhile.
GAP_MEANWHILE = re.compile(
    r"\b(?:without|no)\s+(?:a\s+)?(?:tooth|teeth)\b[^.?!]*\b(?:while|meantime|meanwhile"
    r"|between|until|till|gets?\s+made|heals?)\b"
    r"|\b(?:while|meantime|meanwhile|between\s+(?:the\s+)?visits|in\s+between)\b[^.?!]*"
    r"\b(?:without|no)\s+(?:a\s+)?(?:tooth|teeth)\b"
    r"|\btemporary\s+(?:tooth|teeth|one|crown|bridge)\b"
    r"|\bhow\s+long\s+(?:will|would)\s+(?:i|he|she|we)\s+be\s+without\b"
    r"|\bhow\s+long\s+(?:until|till|til|before)\s+(?:i|he|she|we)\s+(?:get|have)\s+"
    r"(?:a\s+|the\s+|my\s+|real\s+|proper\s+)*(?:tooth|teeth)\b"
    r"|\bhow\s+long\b[^.?!]*\bfrom\s+(?:the\s+)?start\s+to\b",
    re.IGNORECASE,
)
#: Life in the days after: "work next day?", "will he miss much school", "how long until the
#: hole closes up", "every night he wears it?".
DAYS_AFTER = re.compile(
    r"\bmiss\w*\s+(?:much\s+|any\s+|a\s+lot\s+of\s+)?(?:school|work|class\w*|training)\b"
    r"|\bwork\s+(?:the\s+)?next\s+day\b|\b(?:days?|time)\s+off\s+(?:work|school)\b"
    r"|\b(?:hole|gap|socket|wound)\b[^.?!]*\b(?:close|closes|closed|heal|heals|healed|fill\s+in)\b"
    r"|\b(?:every|each)\s+(?:night|day)\b[^.?!]*\bwears?\b"
    r"|\bwears?\s+(?:it|them)\s+(?:every|each)\s+(?:night|day)\b",
    re.IGNORECASE,
)
#: Only "last?" or "lasts how long": how long it lasts.
LASTS_ALONE = re.compile(r"^\W*(?:and\s+|so\s+)?(?:it\s+|they\s+)?lasts?\W*$", re.IGNORECASE)
#: Whether the bone allows it: "will i need bone graft?", "do i have enough bone".
BONE_ASKED = re.compile(r"\bbone\s+graft\w*|\benough\s+bone\b", re.IGNORECASE)
#: A health matter asked about, whom the treatment suits: "even with diabetes?", "and if im
#: trying to get pregnant?", "ok for a smoker?".
HEALTH_ASKED = re.compile(
    r"\b(?:diabet\w*|pregnan\w*|breast\s*feed\w*|nursing|smok\w*|vap(?:e|ing)|asthma"
    r"|allerg\w*|osteoporosis|arthritis|blood\s+pressure|my\s+sugars?|health\s+problems?)\b",
    re.IGNORECASE,
)
#: Leaving it untreated: "and if i do nothing?", "what happens if i leave it".
LEFT_UNTREATED = re.compile(
    r"\bif\s+(?:i|we|he|she|you)\s+(?:just\s+)?(?:do(?:n'?t|\s+not)?\s+nothing|don'?t\s+"
    r"(?:do|treat|fix)\s+(?:it|anything)|leave\s+it|ignore\s+it|never\s+(?:do|treat|fix)\s+it"
    r"|put\s+it\s+off)\b",
    re.IGNORECASE,
)


#: Asking what waiting or not treating it would mean: "what happens if I just wait a few
#: months?", "What if she waits until spring?", "what happens if i dont replace it", "can it
#: wait?", "if i wait?". Not "do i have to wait" (how long before eating) nor "should we
#: wait" (whom it suits).
WAITING_ASKED = re.compile(
    r"\b(?:what\s+(?:happens?|would\s+happen|will\s+happen|if)|and\s+if|happens?\s+if)\b"
    r"[^.?!]*\b(?:wait\w*|leave\s+(?:it|them|this)|do(?:n'?t|\s+not)?\s+nothing|put\s+(?:it\s+)?off"
    r"|(?:don'?t|do\s+not|never)\s+(?:do|treat|fix|remove|replace|get|have|pull)\b|delay\w*"
    r"|postpone\w*|hold\s+off|ignore\s+it|skip\s+it)"
    r"|\bis\s+anything\s+lost\s+by\b|\bcan\s+(?:it|this|that)\s+wait\b"
    # "do we need to come in or wait", "should we bring her in or just wait and see"
    r"|\b(?:come\s+in|book\w*|bring\s+\w+\s+in|see\s+(?:a|the|you)\b[\w\s]{0,12}"
    r"|get\s+(?:it|him|her)\s+(?:checked|seen|looked\s+at))\s+(?:now\s+|soon\s+)?"
    r"or\s+(?:should\s+(?:i|we)\s+|can\s+(?:i|we|it)\s+|just\s+)?wait\b"
    r"(?:\s+(?:and\s+see|a\s+(?:bit|while)|for\s+now|longer|it\s+out))?\W*$"
    # "if i wait?", "if we just leave it?": the condition alone, asked
    r"|^\W*(?:and\s+|so\s+)?if\s+(?:i|we|he|she|they)\s+(?:just\s+)?(?:wait|leave\s+(?:it|them))"
    r"(?:\s+(?:a\s+(?:bit|while)|longer|for\s+now))?\W*$"
    # "is it bad that i waited this long", "did i leave it too long", "have i waited too long"
    r"|\bis\s+it\s+(?:bad|a\s+problem|too\s+late|ok(?:ay)?)\s+(?:that\s+)?(?:i|we|he|she|they)"
    r"\s+(?:have\s+|'ve\s+)?(?:waited|left\s+it|put\s+it\s+off|delayed)"
    r"|\b(?:did|have)\s+(?:i|we|he|she|they)\s+(?:waited|wait|left\s+it|leave\s+it)"
    r"\s+too\s+long\b",
    re.IGNORECASE,
)


#: Words of children that are no child's care: the patient's own childhood ("fell off a
#: trampoline as a kid", "since i was a child"), a grown son or daughter, or one who only comes
#: along.
NO_CHILD_S_CARE = re.compile(
    r"\b(?:as\s+a|when\s+i\s+was\s+a|since\s+i\s+was\s+a)\s+(?:little\s+|small\s+|young\s+)?"
    r"(?:kid|child|boy|girl|teen\w*)\b"
    # A grown son or daughter: "my son is 34 and ...", "my daughter (45)"; or one who only
    # comes along: "my son has to take time off work to drive me", "my daughter will bring me"
    r"|\b(?:my|our)\s+(?:son|daughter|boy|girl)s?\b(?=\W+(?:is\s+|who\s+is\s+|aged\s+)?"
    r"(?:1[89]|[2-9]\d)\b(?!\s*(?:months?|weeks?|days?)))"
    r"|\b(?:my|our)\s+(?:son|daughter|kids|children)\b(?=[^.?!]{0,40}\b(?:drive|drives|driving"
    r"|take|takes|taking|bring|brings|bringing|accompan\w*|(?:come|comes|coming)\s+(?:in\s+)?with"
    r"|(?:sit|sits|stay|stays|be)\s+(?:in\s+the\s+room\s+)?with)\s+(?:me|us)\b"
    r"(?!\s+(?:at\s+)?the\s+same\s+(?:time|day)))",  # (seen too: "... with me the same time")
    re.IGNORECASE,
)


#: Where one sentence of a message ends and the next begins.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


#: A statement turned into a question at its end: "its not bad for the teeth right".
TAG_ASKED = re.compile(r"\b(?:right|isn'?t\s+it|is\s+it|correct|yeah)\W*$", re.IGNORECASE)


def _asked(sentence: str) -> bool:
    """Whether a sentence asks something: a question mark, or a question's first word."""
    return (
        "?" in sentence
        or ASKS.match(sentence) is not None
        or TAG_ASKED.search(sentence) is not None
    )


def asks_about_waiting(text: str) -> bool:
    """Whether an asked sentence asks what waiting, or leaving it untreated, would mean."""
    return any(
        WAITING_ASKED.search(sentence)
        for sentence in _SENTENCE_BREAK.split(text)
        if _asked(sentence) or WAITING_ASKED.match(sentence)
    )


#: Phrasings plain enough to outweigh the learned reading of a message.
STRONG_WORDS_SCORE = 0.9
#: "how long would I be without it?": the time until the new teeth are in.
WITHOUT_HOW_LONG = re.compile(
    r"\bhow\s+long\s+(?:will|would|do|am)\s+(?:i|he|she|we|they)\s+(?:be|have\s+to\s+go|go)"
    r"\s+without\b",
    re.IGNORECASE,
)
#: "could they do it without numbing?": whether the numbing is needed at all.
WITHOUT_NUMBING = re.compile(
    r"\b(?:do|done|doing|it|work|treat\w*|fill\w*)\s+(?:\w+\s+){0,2}?without\s+(?:any\s+)?"
    r"(?:numb\w*|an?\s+injection|injections|anesthe\w*|anaesthe\w*|the\s+needle|a\s+needle"
    r"|freezing|a\s+jab|the\s+jab)\b",
    re.IGNORECASE,
)
#: "same for my husband?": whether it suits someone else too.
SAME_FOR_SOMEONE = re.compile(
    r"^\W*(?:and\s+|is\s+it\s+|would\s+it\s+be\s+)?(?:the\s+)?same\s+(?:for|with)\s+"
    r"(?:my\s+|our\s+)?(?:husband|wife|partner|boyfriend|girlfriend|son|daughter|kids?|child"
    r"|children|mum|mom|mother|dad|father|brother|sister|friend|him|her|them)\b",
    re.IGNORECASE,
)


#: "can they all be done at once?", "does she have to wear them for years??": how long it takes.
DONE_TOGETHER_OR_FOR_LONG = re.compile(
    r"\b(?:can|could|will|would)\s+(?:they|it|both|all|these|those)\s+(?:all\s+|both\s+)?be\s+"
    r"done\s+(?:at\s+once|together|in\s+one\s+(?:go|visit|sitting|appointment)"
    r"|(?:on\s+)?the\s+same\s+day)\b"
    r"|\b(?:wear|have)\s+(?:them|it|braces|aligners|the\s+\w+)\s+for\s+(?:years|ages|months)\b",
    re.IGNORECASE,
)


#: "my tooth hurts with cold, is that a root canal?": whether what is felt means the treatment.
MEANS_THE_TREATMENT = re.compile(
    r"\b(?:is\s+(?:that|this|it)|does\s+(?:that|this|it)\s+mean(?:\s+i\s+need)?)\s+"
    r"(?:a|an)\s+(?P<what>[\w\s-]{3,30}?)\s*(?:\?|$|\bthen\b|\bjob\b)",
    re.IGNORECASE,
)


#: How natural it looks: "do they look fake", "will it look like a real tooth" (what it is
#: made of, not how long it lasts).
LOOKS_REAL = re.compile(
    r"\b(?:look|looks|looking)\s+(?:fake|natural|real|false|obvious|artificial)\b"
    r"|\blook\s+like\s+(?:a\s+|my\s+)?(?:real|natural|own)\s+(?:teeth|tooth)\b",
    re.IGNORECASE,
)


#: "how long will the sensitivity last": how the healing goes, not how long the work lasts.
SYMPTOM_LASTS = re.compile(
    r"\bhow\s+long\s+(?:will|does|do|would|should|is|can|might)\s+(?:the\s+|that\s+|this\s+"
    r"|my\s+|his\s+|her\s+)?(?:sensitivity|pain|soreness|ache|aching|swelling|bleeding"
    r"|discomfort|tenderness|bruising)\s+(?:last|go\s+on|stay|take\s+to\s+(?:go|settle))\b",
    re.IGNORECASE,
)


#: "what is the permanent one made of": what it is made of, whatever else the words suggest.
MADE_OF = re.compile(
    r"\b(?:made|make\s+them|make\s+it)\s+(?:of|from|out\s+of)\b|\bwhat\s+materials?\b",
    re.IGNORECASE,
)


def _facet_by_strong_words(text: str) -> str | None:
    """A facet named so plainly that it outweighs the learned reading."""
    if SYMPTOM_LASTS.search(text):
        return "recovery"
    if MADE_OF.search(text):
        return "materials"
    if WITHOUT_HOW_LONG.search(text) or DONE_TOGETHER_OR_FOR_LONG.search(text):
        return "duration"
    if LOOKS_REAL.search(text):
        return "materials"
    if WITHOUT_NUMBING.search(text) or SAME_FOR_SOMEONE.match(text):
        return "suitability"
    return None


def _facet_by_its_words(text: str) -> str | None:
    """A facet its plain words name in a question, when the learned phrasings are unsure.

    Only asked sentences count: "id rather not file my teeth down. how much is it" asks the
    price, not how the teeth are prepared.
    """
    for sentence in _SENTENCE_BREAK.split(text):
        if not _asked(sentence):
            continue
        if TEETH_SHAPED.search(sentence):
            return "preparation"
        if LASTS_LONGER.search(sentence) or HOW_LONG_IT_LASTS.search(sentence):
            return "longevity"
        if LEFT_UNTREATED.search(sentence):
            return "safety"
        if PER_UNIT.search(sentence):
            return "price"
        if DONE_SAME_DAY.search(sentence) or GAP_MEANWHILE.search(sentence):
            return "duration"
        if STAYS_IN_PLACE.search(sentence) or SHOP_BOUGHT.search(sentence):
            return "materials"
        if HARM_ASKED.search(sentence):
            return "safety"
        if RENEWED_AFTER.search(sentence):
            return "longevity"
        if LIVING_WITH_IT.search(sentence) or WORN_DAILY.search(sentence):
            return "recovery"
        if DAYS_AFTER.search(sentence):
            return "recovery"
        if LASTS_ALONE.match(sentence):
            return "longevity"
        if BONE_ASKED.search(sentence):
            return "suitability"
        if HEALTH_ASKED.search(sentence):
            return "suitability"
        if DISCOMFORT.search(sentence):
            return "recovery" if AFTERWARDS.search(sentence) else "pain"
    return None


HOW_MANY_UNITS = re.compile(
    # "so 2 visits total?": the count of visits said back to be sure
    r"^\W*(?:so|ok|and)?\W*(?:\d+|one|two|three|four|five)\s+(?:visits|appointments|sessions)"
    r"(?:\s+(?:total|in\s+total|altogether|then|only))?\W*$"
    # "how long till i see a difference": how long until the result shows
    r"|\bhow\s+(?:long|soon|quickly)\b[^.?!]*\b(?:see|notice)\s+(?:a\s+|any\s+|the\s+)?"
    r"(?:difference|results?|change|improvement)\b"
    r"|\bhow\s+many\s+(?:more\s+)?(?:days|weeks|months|visits|appointments|sessions)\b"
    r"(?!.*\blast)|\bhow\s+many\s+hours\s+(?:a|per|each)\s+day\b"
    r"|\bhow\s+often\b[^.?!]*\b(?:tighten\w*|adjust\w*)",
    re.IGNORECASE,
)

#: Words for the ordinary kind of a service set beside a narrower kind: "full and partial
#: dentures", "regular or deep cleaning" name both.
PLAIN_KINDS = frozenset(
    {"full", "complete", "regular", "normal", "standard", "traditional", "usual"}
)


def _plain_kind_before(tokens: list[str], narrower: list[int]) -> bool:
    """Whether the ordinary kind is named just before a narrower kind ("full and partial")."""
    return any(
        tokens[max(0, one - 2) : one] in ([kind, "and"], [kind, "or"], [kind, "vs"])
        for one in narrower
        for kind in PLAIN_KINDS
    )


#: Words between two named treatments that make them two: "braces or aligners".
WEIGHED_APART = frozenset({"vs", "versus", "or", "than", "compared"})
#: Words that deny what follows: "no crowns", "never had a filling", "without braces".
NEGATIONS = frozenset(
    {"no", "not", "never", "without", "dont", "don't", "nothing", "neither", "nor"}
)


#: A specialist who only reports what another treatment needs: "our orthodontist has
#: recommended her wisdom teeth out", "seen on an x-ray taken by the orthodontist".
SPECIALISTS = frozenset({"orthodontist", "orthodontists"})
REPORTING = frozenset(
    {
        "recommended",
        "said",
        "says",
        "told",
        "referred",
        "suggested",
        "advised",
        "wants",
        "asked",
        "found",
        "thinks",
        "noticed",
        "saw",
        "took",
        "sent",
        "described",
    }
)


#: Where something was seen: "saw on the xray that my wisdom teeth are sideways".
SEEN_ON = (["on", "the"], ["on", "an"], ["on", "my"], ["on", "his"], ["on", "her"], ["on", "a"])
#: Words for an X-ray, the evidence something was seen on rather than a service asked for.
XRAY_WORDS = frozenset({"xray", "xrays", "x-ray", "x-rays", "x", "ray", "rays"})


def _reports(tokens: list[str], index: int) -> bool:
    """Whether the word at `index` is a specialist reporting on another treatment, or the
    X-ray something was seen on."""
    if tokens[index] in XRAY_WORDS:
        start = index - 1 if index and tokens[index - 1] == "x" else index  # "x", "ray"
        return tokens[max(0, start - 2) : start] in SEEN_ON
    if tokens[index] not in SPECIALISTS:
        return False
    after = [token for token in tokens[index + 1 : index + 3] if token not in ("has", "had")]
    return bool(after and after[0] in REPORTING) or tokens[max(0, index - 2) : index] in (
        ["by", "the"],
        ["by", "my"],
        ["by", "our"],
        ["by", "her"],
        ["by", "his"],
    )


def _about_own_treatment(text: str) -> bool:
    return not OWN_TREATMENT_WORDS.isdisjoint(words(text))


@functools.lru_cache(maxsize=4096)
def _plural(token: str) -> str:
    return re.sub(r"(?:es|s)$", "", token)
