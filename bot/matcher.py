"""Patient text -> Match(intent or None, score in [0, 1], alternatives).

A TF-IDF model over word and character n-grams with a linear SVM, trained at start-up from the
managers' examples (a fraction of a second), on text normalised by rapidfuzz-based typo snapping
and synonyms. Out-of-scope examples form their own class, so the model learns what the clinic
does not answer. Emergency phrases are checked first: safety before accuracy. Scores are a
softmax over the SVM's decision values, so they lie in [0, 1] and sum to one.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from bot.features import CompiledLinearModel, fit_features, fit_one_vs_rest
from bot.loader import Knowledge
from bot.models import HANDOFF_INTENTS, IntentKind
from bot.negation import affirmed_words
from bot.text import Normalizer, vocabulary_of, words

NONE_CLASS = "__none__"
#: A turn reads its text more than once (routing, facets, the opening): remember a few.
RECENT_MATCHES = 64
CHAR_NGRAMS = (3, 4)
EMERGENCY = "emergency"
AFTERCARE = "aftercare"
COMPLAINT = "complaint"


@dataclass(frozen=True)
class Thresholds:
    """Where the matcher stops being sure enough to answer."""

    accept: float = 0.40
    accept_handoff: float = 0.30
    #: A bare symptom ("the swelling is getting worse") with no dental word in the message is
    #: an emergency when the classifier gives the emergency intent at least this much, or is
    #: not sure (`accept`) that the message is something other than a dental matter.
    emergency_symptom: float = 0.25
    #: A treatment reason ("bleeding gums treatment") is a service's question, not an
    #: emergency, when the classifier gives that service at least this much.
    service_over_symptom: float = 0.70
    ambiguous_margin: float = 0.10
    alternative_floor: float = 0.12
    temperature: float = 5.0


@dataclass(frozen=True)
class Alternative:
    """A candidate intent and its score."""

    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    """What the matcher thinks a message means."""

    intent: str | None
    score: float
    alternatives: tuple[Alternative, ...] = ()
    ambiguous: bool = False
    safety: bool = False
    off_topic: bool = False
    upset: bool = False
    candidates: tuple[Alternative, ...] = field(default=(), compare=False)

    def as_dict(self, text: str) -> dict[str, object]:
        """The JSON shape printed by `frontdesk match`."""
        return {
            "text": text,
            "intent": self.intent,
            "score": round(self.score, 4),
            "ambiguous": self.ambiguous,
            "alternatives": [
                {"intent": alt.intent, "score": round(alt.score, 4)} for alt in self.alternatives
            ],
        }


class PhraseFinder:
    """Finds phrases (with `*` as a word-prefix wildcard) in normalised text.

    Up to two words may come between the words of a phrase ("knocked my tooth out").
    """

    def __init__(self, phrases: Sequence[str]) -> None:
        patterns = []
        for phrase in phrases:
            parts = []
            for token in phrase.lower().split():
                stem = re.escape("".join(words(token)))
                parts.append(rf"{stem}\w*" if token.endswith("*") else stem)
            if parts:
                patterns.append(r"\b" + r"\s+(?:\w+\s+){0,2}?".join(parts) + r"\b")
        self._pattern = re.compile("|".join(patterns)) if patterns else None

    def __call__(self, normalized_text: str) -> bool:
        """Whether the text has one of the phrases."""
        return bool(self._pattern and self._pattern.search(normalized_text))


#: Someone asking about what they heard ("people say root canals are the worst pain ever, is
#: that true?") reports no symptom of their own: a bare symptom word (one without the mouth in
#: the phrase) is then left to the classifier's ordinary decision.
HEARSAY = PhraseFinder(
    [
        "people say",
        "people said",
        "everyone says",
        "everybody says",
        "they say",
        "i heard",
        "ive heard",
        "i read",
        "is that true",
        "is it true",
        "is this true",
        "is that a myth",
        "is it a myth",
        "supposed to be",
    ]
)


#: A question about what to expect after a treatment ("will my face be swollen after?", "is
#: there bleeding afterwards", "how many days of swelling after") reports nothing happening
#: now: no emergency phrase counts in it.
#: Asking to be asleep for a treatment, not a knocked-out tooth: "can i be knocked out for
#: it?", "knock me out please".
ASLEEP_WISHED = re.compile(
    r"\b(?:can|could|will|would)\s+(?:i|you|he|she|they|we)\s+(?:be|get)\s+knocked\s+out\b"
    r"|\bknock\s+(?:me|him|her|them)\s+out\b|\bknocked\s+out\s+for\s+(?:it|the|this|that)\b"
)
#: Gums that bleed when brushed or flossed: "bleeding a lot when i brush" (gum disease).
BLEEDS_ON_BRUSHING = re.compile(
    r"\b(?:bleed\w*|blood)\b(?:\s+\w+){0,3}?\s+(?:when|while|after|if)\s+(?:i\s+|we\s+|he\s+|she\s+)?"
    r"(?:brush|floss)\w*"
)
EXPECTATION = re.compile(
    r"^(?:\w+\s+){0,2}?(?:will|would|is\s+there\s+going\s+to|am\s+i\s+going\s+to|does\s+it"
    r"|is\s+there|do\s+people|can\s+there\s+be)\b.*\bafter(?:wards?|\s+(?:it|that|the|a|an))?\b"
    r"|^(?:\w+\s+){0,2}?how\s+(?:long|many\s+days)\s+(?:does|will|do|would)\s+(?:the\s+)?"
    r"(?:\w+\s+){1,2}(?:last|go\s+on|take\s+to\s+go(?:\s+down|\s+away)?)\b(?!.*\bnow\b)"
    r"|^(?:\w+\s+){0,2}?how\s+many\s+(?:days|hours|weeks)\s+of\s+\w+\b(?!.*\bnow\b)"
    # "swelling after, how many days", "painful after? how long": the symptom, then how long
    r"|^(?:and\s+)?(?:\w+\s+){0,2}after(?:wards?)?\W+(?:\w+\s+){0,2}how\s+(?:long|many\s+days)\b"
    # "will my face swell up", "is my cheek going to swell": asked ahead, none of it happening
    r"|^(?:\w+\s+){0,2}?(?:will|is\s+(?:my|the|his|her)\s+\w+\s+going\s+to|am\s+i\s+going\s+to)"
    r"\s+(?:\w+\s+){0,2}(?:swell\w*|bleed\w*|bruis\w*)\b"
    r"(?!.*\b(?:stop\w*|now|already|more|worse|still|keeps?|been|hours?|since)\b)"
)


#: Where a sentence ends: the phrases of one thing said do not run across it.
_SENTENCE_END = re.compile(r"[.!?;\n]+")
#: Work said not to be ours: "even if they were not made in your clinic", "it wasn't done here".
_NOT_OURS = re.compile(
    r"\b(?:not|never|wasn'?t|weren'?t|isn'?t|aren'?t)\s+(?:\w+\s+)?"
    r"(?:made|done|fitted|placed|put\s+in|from|got|bought)\s+(?:(?:in|at|by|from|with)\s+)?"
    r"(?:your\s+(?:clinic|practice|office|surgery|dentists?|doctors?)|you|yours|you\s+guys"
    r"|here)\b",
    re.I,
)

#: Something that happened years ago ("knocked out years ago", "an abscess a few years back",
#: "as a kid", "broken in an old accident"): history, not an emergency, unless the message
#: also says what is happening now.
LONG_AGO = re.compile(
    r"\b(?:years?|yrs?|decades?)\s+(?:ago|back|before)\b|\blast\s+year\b"
    r"|\blong\s+(?:time\s+)?ago\b|\bold\s+(?:accident|injury|injuries|fall|trauma)\b"
    r"|\bas\s+a\s+(?:kid|child|teen|teenager|boy|girl)\b"
    r"|\bwhen\s+i\s+was\s+(?:a\s+)?(?:kid|child|teen|teenager|young|little|small|\d+)\b"
    # "one went darker after an accident": a tooth darkens over months, long after the blow
    r"|\b(?:went|turned|gone|got|has\s+become|became)\s+(?:(?:a\s+)?(?:bit|little|slightly)\s+)?"
    r"(?:darker|dark|grey|gray|greyish|grayish|black|brown|yellow)\b"
    # "knocked out playing hockey 3 months ago": months back, no longer urgent
    r"|\b(?:\d+|a|one|two|three|four|five|six|few|several|couple\s+of)\s+months?\s+(?:ago|back)\b"
)
#: "since" told of a time long past ("gone grey since she fell ... a month ago"), not of now.
SINCE_LONG_AGO = re.compile(r"\bsince\b(?=[^.?!]{0,60}\b(?:months?|years?|yrs?)\s+(?:ago|back)\b)")
HAPPENING_NOW = re.compile(
    r"\b(?:now(?!\s+that\b)|today|tonight|again|still|currently|anymore|yesterday|since|started|starting"
    r"|this\s+(?:morning|afternoon|evening|week)|last\s+night|at\s+the\s+moment"
    r"|hurts?|hurting|pain\w*|ache|aches|aching|sore|swollen|swell\w*|bleed\w*|throbb\w*"
    r"|fever|infected|pus|killing)\b"
)


def told_as_history(normalized_text: str) -> bool:
    """Whether the text tells of something years ago and of nothing happening now."""
    if not LONG_AGO.search(normalized_text):
        return False
    return not HAPPENING_NOW.search(SINCE_LONG_AGO.sub(" ", normalized_text))


#: "a back one", "the back teeth": teeth, although "back" is also another part of the body.
BACK_TEETH = re.compile(r"\bback\s+(?:one|ones|tooth|teeth|molar|molars)\b")

T = TypeVar("T")


def remembered(memory: dict[str, T], text: str, compute: Callable[[str], T]) -> T:
    """`compute(text)`, kept for the last RECENT_MATCHES texts (the oldest forgotten first)."""
    known = memory.get(text)
    if known is None:
        known = compute(text)
        if len(memory) >= RECENT_MATCHES:
            memory.pop(next(iter(memory)))
        memory[text] = known
    return known


class EmergencyDetector:
    """Finds a dental emergency in normalised text: safety before accuracy, but in context.

    A phrase that names the mouth itself ("face is swollen", "knocked out tooth", "hit in the
    mouth": it has one of the dental words) is an emergency on its own. A bare symptom
    ("swelling", "bleeding", "fever", "worst pain") is one in a message about the mouth, teeth,
    jaw, gums or face (a dental word in it). Without one, `symptom_only` tells the matcher to ask
    the classifier, which knows the emergency intent's examples: "the swelling is getting worse"
    is an emergency unless the classifier is sure it is something else; "my car broke down",
    "it's bleeding obvious you're overcharging" and "my knee is swollen" are not. A bare symptom
    in a question about what people say ("people say root canals are the worst pain ever... is
    that true?") is no report of one. Without dental words every phrase counts on its own. The
    parts near the mouth (the neck, the throat) are other parts of the body here: only a red
    flag that names one makes them dental (`IntentMatcher.red_flag_near_mouth`).
    """

    def __init__(
        self,
        phrases: Sequence[str],
        other_body_parts: Sequence[str] = (),
        dental_words: Sequence[str] = (),
        near_the_mouth: Sequence[str] = (),
    ) -> None:
        self._far_from_mouth = frozenset(words(" ".join(other_body_parts)))
        self._other_body_parts = self._far_from_mouth | frozenset(words(" ".join(near_the_mouth)))
        self._dental_words = frozenset(words(" ".join(dental_words)))
        alone = [p for p in phrases if not self._dental_words or self._names_mouth(p)]
        in_context = [p for p in phrases if p not in alone]
        self._alone = PhraseFinder(alone)
        self._in_context = PhraseFinder(in_context)

    def _names_mouth(self, phrase: str) -> bool:
        return any(word.rstrip("*") in self._dental_words for word in phrase.lower().split())

    def about_mouth(self, normalized_text: str) -> bool:
        """Whether the text mentions the mouth, teeth, jaw, gums, face or dental treatment."""
        return bool(set(normalized_text.split()) & self._dental_words)

    def other_body_part(self, normalized_text: str, *, near_the_mouth: bool = True) -> bool:
        """Whether the text is about another part of the body and not the mouth at all; with
        `near_the_mouth=False`, about one other than the neck or throat ("my knee")."""
        tokens = set(normalized_text.split())
        if BACK_TEETH.search(normalized_text):
            return False  # "snapped a corner off a back one"
        parts = self._other_body_parts if near_the_mouth else self._far_from_mouth
        return bool(tokens & parts) and not tokens & self._dental_words

    def __call__(self, normalized_text: str) -> bool:
        """Whether the text mentions a dental emergency, whatever the classifier thinks."""
        if EXPECTATION.search(normalized_text) or ASLEEP_WISHED.search(normalized_text):
            return False
        if told_as_history(normalized_text):
            return False  # "my front tooth was knocked out years ago, can i get an implant?"
        if self._alone(normalized_text):
            return not self.other_body_part(normalized_text)
        if not self._in_context(normalized_text):
            return False
        if not self._dental_words:
            return True
        return self.about_mouth(normalized_text) and not HEARSAY(normalized_text)

    def symptom_only(self, normalized_text: str) -> bool:
        """A bare symptom, in a message about no part of the body: the classifier decides."""
        return (
            bool(self._dental_words)
            and self._in_context(normalized_text)
            and not self.about_mouth(normalized_text)
            and not self.other_body_part(normalized_text)
            and not HEARSAY(normalized_text)
            and not EXPECTATION.search(normalized_text)
            and not ASLEEP_WISHED.search(normalized_text)
        )


class IntentMatcher:
    """Trained once from the examples; matching is a pure, fast function of the text."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self._recent: dict[str, Match] = {}
        self._normalized: dict[str, str] = {}
        self._affirmed: dict[str, str] = {}
        vocabulary = knowledge.vocabulary
        texts: list[str] = []
        labels: list[str] = []
        for name, intent in knowledge.intents.items():
            texts.extend(intent.examples)
            labels.extend([name] * len(intent.examples))
        texts.extend(knowledge.out_of_scope)
        labels.extend([NONE_CLASS] * len(knowledge.out_of_scope))
        tokens = [words(text) for text in texts]
        known_words = vocabulary_of(
            [
                *vocabulary.synonyms,
                *vocabulary.emergency_phrases,
                *vocabulary.red_flags,
                *vocabulary.medical_conditions,
                *vocabulary.our_work,
                *vocabulary.problem_with_our_work,
                *vocabulary.upset_phrases,
            ]
        )
        known_words.update(word for text_words in tokens for word in text_words)
        self.normalize = Normalizer(known_words, dict(vocabulary.synonyms))
        self.detect_emergency = EmergencyDetector(
            vocabulary.emergency_phrases,
            vocabulary.other_body_parts,
            vocabulary.dental_words,
            vocabulary.near_the_mouth,
        )
        self._topic_words = topic_word_sets(knowledge)
        reasons = set(vocabulary.treatment_reasons)
        self._detect_serious_emergency = EmergencyDetector(
            [phrase for phrase in vocabulary.emergency_phrases if phrase not in reasons],
            vocabulary.other_body_parts,
            vocabulary.dental_words,
            vocabulary.near_the_mouth,
        )
        self.detect_upset = PhraseFinder(vocabulary.upset_phrases)
        self._detect_impatience = PhraseFinder(vocabulary.impatience_phrases)
        self._detect_confusion = PhraseFinder(vocabulary.confusion_phrases)
        self._detect_red_flag = PhraseFinder(vocabulary.red_flags)
        near = set(words(" ".join(vocabulary.near_the_mouth)))
        #: "My neck is swelling up": where a tooth's infection spreads, no dental word needed.
        self._detect_red_flag_near_mouth = PhraseFinder(
            [flag for flag in vocabulary.red_flags if near & set(words(flag))]
        )
        self._detect_medical = PhraseFinder(vocabulary.medical_conditions)
        self._detect_our_work = PhraseFinder(vocabulary.our_work)
        self._detect_worse = PhraseFinder(vocabulary.getting_worse)
        self._detect_no_better = PhraseFinder(vocabulary.not_getting_better)
        self._detect_failure = PhraseFinder(vocabulary.problem_with_our_work)
        self._detect_problem = PhraseFinder(
            [*vocabulary.problem_with_our_work, *vocabulary.emergency_phrases]
        )
        self.intent_names = frozenset(knowledge.intents)
        self.handoff_intents = frozenset(HANDOFF_INTENTS) & self.intent_names
        #: Intents about the mouth itself: a bare symptom read as one of them is dental.
        self.service_intents = frozenset(
            name for name, intent in knowledge.intents.items() if intent.kind == IntentKind.SERVICE
        )
        self.dental_intents = self.service_intents | ({EMERGENCY, AFTERCARE} & self.intent_names)
        self.model = train(
            [self.normalize.from_words(text_words) for text_words in tokens],
            labels,
            self.thresholds.temperature,
        )
        self.classes = self.model.classes
        self._none_index = self.classes.index(NONE_CLASS) if NONE_CLASS in self.classes else -1

    def match(self, text: str) -> Match:
        """What the text most likely means, or no intent when unsure (the last few remembered)."""
        return remembered(self._recent, text, self.read)

    def read(self, text: str) -> Match:
        """Classify the text afresh, without the memory of recent texts."""
        normalized = self.normalize(text)
        if not normalized.strip():
            return Match(None, 0.0)
        probabilities, none_score, ranked = self._ranked(normalized)
        candidates = tuple(ranked[:5])
        if (
            self.detect_emergency(normalized)
            and not self._treatment_reason(normalized, ranked[:3])
            or (
                self.detect_emergency.symptom_only(normalized)
                and self._symptom_is_emergency(probabilities)
            )
            or self.red_flag_near_mouth(text)
        ):
            others = tuple(alt for alt in candidates if alt.intent != EMERGENCY)[:3]
            return Match(EMERGENCY, 1.0, others, safety=True, candidates=candidates)
        found = self._decide(ranked, none_score, candidates)
        if found.intent == COMPLAINT:
            found = self._complaint_denied(text, normalized) or found
        if found.intent in self.dental_intents and self.detect_emergency.other_body_part(
            normalized
        ):
            # "My feet swell up on long flights": about another part of the body, never teeth.
            return Match(
                None, found.score, found.alternatives, off_topic=True, candidates=candidates
            )
        if self.detect_upset(normalized):
            return dataclasses.replace(found, upset=True)
        return found

    def _complaint_denied(self, text: str, normalized: str) -> Match | None:
        """The reading without the words the patient denies, when that is no complaint
        ("its been like that 3 weeks, she doesnt complain"), else None."""
        affirmed = self.affirmed(text)
        if affirmed == normalized:
            return None
        _, none_score, ranked = self._ranked(affirmed)
        found = self._decide(ranked, none_score, tuple(ranked[:5]))
        return None if found.intent == COMPLAINT else found

    def _ranked(self, normalized: str) -> tuple[np.ndarray, float, list[Alternative]]:
        """The classifier's probabilities, the none class's score and the intents ranked."""
        probabilities = self.model.probabilities(normalized)
        none_score = float(probabilities[self._none_index]) if self._none_index >= 0 else 0.0
        ranked = [
            Alternative(self.classes[i], float(probabilities[i]))
            for i in np.argsort(probabilities)[::-1]
            if i != self._none_index
        ]
        return probabilities, none_score, ranked

    def topic_words(self, topic: str) -> frozenset[str]:
        """The single words that name a topic ("xray", "crown")."""
        return self._topic_words.get(topic, frozenset())

    def normalized(self, text: str) -> str:
        """The normalised text, remembered for the last few texts (a turn asks several times)."""
        return remembered(self._normalized, text, self.normalize)

    def expects(self, text: str) -> bool:
        """Whether the text asks what to expect after a treatment ("will it swell after?")."""
        return bool(EXPECTATION.search(self.normalized(text)))

    def getting_worse(self, text: str) -> bool:
        """Whether the patient says it is getting worse, or no better ("not getting worse" is
        neither: the denied words are blanked first)."""
        return self._detect_worse(self.affirmed(text)) or self._detect_no_better(
            self.normalized(text)
        )

    def our_work_failed(self, text: str) -> bool:
        """Whether the text reports a problem with the clinic's own earlier work (that work
        named within one sentence: not "... pleased with it. Could you tell me ...")."""
        if not self._detect_problem(self.normalized(text)):
            return False
        sentences = [part for part in _SENTENCE_END.split(text) if not _NOT_OURS.search(part)]
        return any(self._detect_our_work(self.normalized(sentence)) for sentence in sentences)

    def work_failed(self, text: str) -> bool:
        """Whether the text tells that a piece of work failed ("fell out", "loose", "still
        hurts"), not only a symptom that healing brings ("a bit of swelling")."""
        return self._detect_failure(self.normalized(text))

    def medical(self, text: str) -> bool:
        """Whether the text names a medicine, an allergy or a serious condition."""
        return self._detect_medical(self.normalized(text))

    def impatient(self, text: str) -> bool:
        """Whether the patient says they have been waiting for an answer ("i already asked")."""
        return self._detect_impatience(self.normalized(text))

    def confused(self, text: str) -> bool:
        """Whether the patient says they didn't follow ("i don't understand", "im confused")."""
        return self._detect_confusion(self.normalized(text))

    def elsewhere(self, text: str) -> bool:
        """Whether the text is about another part of the body, not the mouth ("my knee")."""
        return self.detect_emergency.other_body_part(self.normalized(text))

    def affirmed(self, text: str) -> str:
        """The normalised text with each word the patient denies blanked ("no fever")."""
        return remembered(
            self._affirmed, text, lambda said: self.normalize.from_words(affirmed_words(said))
        )

    def red_flag(self, text: str) -> bool:
        """Whether the text has a red flag (spreading swelling, fever, bleeding that won't stop)
        that the patient does not deny ("no swelling or fever" has none), happening now."""
        normalized = self.normalized(text)
        if told_as_history(normalized):
            return False  # "lost it in a car accident last year": history, not now
        return self._flagged(normalized) and self._flagged(self.affirmed(text))

    def _flagged(self, normalized_text: str) -> bool:
        """Whether the text names a red flag, gums that bleed on brushing aside ("my gums
        bleed a lot when i brush": gum disease, not bleeding that won't stop)."""
        return self._detect_red_flag(BLEEDS_ON_BRUSHING.sub(" ", normalized_text))

    def red_flag_near_mouth(self, text: str) -> bool:
        """Whether the text has a red flag that names the neck or throat (`near_the_mouth`), not
        denied, in no question about what people say or what to expect after a treatment, and
        about no part of the body far from the mouth: "the swelling is spreading down my neck"
        has one, "no swelling in my neck" and "my knee is swollen, my neck is stiff" do not."""
        normalized = self.normalized(text)
        return (
            self._detect_red_flag_near_mouth(normalized)
            and self._detect_red_flag_near_mouth(self.affirmed(text))
            and not self.detect_emergency.other_body_part(normalized, near_the_mouth=False)
            and not HEARSAY(normalized)
            and not EXPECTATION.search(normalized)
        )

    def _treatment_reason(self, normalized_text: str, ranked: list[Alternative]) -> bool:
        """Whether a mild symptom is only why the patient asks for a service it treats: the
        classifier is sure of the service, or a likely one is named ("can that be fixed with a
        filling?")."""
        if self._detect_serious_emergency(normalized_text) or self._flagged(normalized_text):
            return False
        said = normalized_text.split()
        # a name of two words is written joined in the topic words: "gum treatment"
        tokens = {*said, *(first + second for first, second in itertools.pairwise(said))}
        best = ranked[0] if ranked else None
        sure = self.thresholds.service_over_symptom
        if best and best.intent in self.service_intents and best.score >= sure:
            return True
        return any(
            alt.intent in self.service_intents
            and alt.score >= self.thresholds.alternative_floor
            and tokens & self._topic_words.get(alt.intent, frozenset())
            for alt in ranked
        )

    def _symptom_is_emergency(self, probabilities: np.ndarray) -> bool:
        """A bare symptom is an emergency unless the classifier is sure it is no dental matter.

        "The swelling keeps getting bigger" is, and so is "pus keeps coming out" (read as
        extraction: a dental matter). "It's bleeding obvious you're overcharging" (a complaint),
        "the traffic accident made me late" (reschedule) or off-topic text are not.
        """
        if EMERGENCY not in self.classes:
            return False
        if (
            float(probabilities[self.classes.index(EMERGENCY)])
            >= self.thresholds.emergency_symptom
        ):
            return True
        best = int(np.argmax(probabilities))
        sure = float(probabilities[best]) >= self.thresholds.accept
        return not sure or self.classes[best] in self.dental_intents

    def _decide(
        self,
        ranked: list[Alternative],
        none_score: float,
        candidates: tuple[Alternative, ...],
    ) -> Match:
        """The best intent by score, with the hand-over and threshold rules."""
        limits = self.thresholds
        best = ranked[0]
        handoff = [alt for alt in ranked if alt.intent in self.handoff_intents]
        handoff_mass = sum(alt.score for alt in handoff)
        if (
            handoff
            and best.intent not in self.handoff_intents
            and handoff_mass >= max(limits.accept_handoff, best.score)
        ):
            # Asking for a person, complaining or an emergency must never be missed: when the
            # hand-over intents together outweigh the best single guess, hand over.
            best = handoff[0]
        threshold = limits.accept_handoff if best.intent in self.handoff_intents else limits.accept
        others = tuple(
            alt for alt in ranked[:4] if alt != best and alt.score >= limits.alternative_floor
        )[:3]
        if best.score < threshold or none_score > best.score:
            # Confidently not the clinic's business ("where can I get botox"), or just unsure.
            off_topic = none_score > best.score and none_score >= limits.accept
            return Match(
                None, best.score, tuple(ranked[:3]), off_topic=off_topic, candidates=candidates
            )
        close = [alt for alt in others if best.score - alt.score < limits.ambiguous_margin]
        ambiguous = bool(close) and best.intent not in self.handoff_intents
        return Match(best.intent, best.score, others, ambiguous=ambiguous, candidates=candidates)


def topic_word_sets(knowledge: Knowledge) -> dict[str, frozenset[str]]:
    """The words that name each topic ("crown", "implants"), from intents/facets.yaml."""
    return {
        topic: frozenset(words(" ".join(names))) for topic, names in knowledge.topic_words.items()
    }


def train(texts: list[str], labels: list[str], temperature: float) -> CompiledLinearModel:
    """TF-IDF over word 1-2-grams and character 3-4-grams, then a linear SVM, one vs rest."""
    words, chars, features = fit_features(texts, CHAR_NGRAMS)
    classes, coefficients, intercepts = fit_one_vs_rest(features, labels)
    return CompiledLinearModel(
        words, chars, coefficients, intercepts, classes, temperature, CHAR_NGRAMS
    )
