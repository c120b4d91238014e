"""Details a patient gives in passing: when, an age, for whom, how many, an insurer, a tooth."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA
from text_to_num import alpha2digit
from wordfreq import zipf_frequency

from bot.text import words

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_OF = {
    **{day: index for index, day in enumerate(WEEKDAYS)},
    **{day[:3]: index for index, day in enumerate(WEEKDAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
#: Abbreviations that are also ordinary words ("I sat there"): a day only in a day's company.
_AMBIGUOUS_DAYS = frozenset({"sat", "sun"})
_MONTHS = "january february march april may june july august september october november december"
MONTH_NAMES = tuple(name.capitalize() for name in _MONTHS.split())
_TOMORROW = {"tomorrow", "tmrw", "tmr", "tomorow", "tommorow", "tommorrow"}
#: Parts of the day, as the "time" detail and as said back after the day ("tuesday lunchtime").
_PARTS = {
    "morning": "morning",
    "mornings": "morning",
    "afternoon": "afternoon",
    "afternoons": "afternoon",
    "evening": "evening",
    "evenings": "evening",
    "tonight": "evening",
    "lunch": "lunchtime",
    "lunchtime": "lunchtime",
    "first thing": "morning",
    "after work": "after work",
    "after school": "after school",
}
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
        "whats",
        "what's",
        "hows",
        "how's",
        "wheres",
        "where's",
        "whens",
        "when's",
        "whos",
        "who's",
    ]
)

_DAY = re.compile(
    r"\b(?P<rel>(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tmrw|tmr|tomorow|tommorr?ow|today"
    r"|tonight|right\s+now|right\s+away)\b"
    r"|\b(?P<working>any\s+weekday|weekdays|during\s+the\s+week"
    r"|mon(?:day)?\s*(?:-|to|through|thru)\s*fri(?:day)?)\b"
    r"|\b(?:(?P<qual>next|this|coming)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)(?P<plural>s)?\b"
    r"(?P<nextweek>\s+next\s+week\b)?"
    r"|\b(?:(?P<wequal>next|this|the)\s+)?(?P<weekend>weekend)(?P<wplural>s)?\b"
    r"|\b(?P<anyday>any\s+day)\b"
    r"|\b(?P<week>(?:next|this)\s+week)\b"
)
_NEGATED = re.compile(
    r"(?:\bnot|\bexcept(?:\s+for)?|\banything\s+but|\bbut\s+not|\bother\s+than|\bapart\s+from"
    r"|\bany\s*(?:day|weekday|time)s?\s+but"
    r"|n't\s+(?:do|make)|\bcannot\s+(?:do|make)|\bno)\s+(?:(?:on|a|the)\s+)?$"
)
_LIST_GLUE = re.compile(r"\s*(?:or|nor|and|&|/|,\s*(?:or|nor))?\s*")
_DAY_COMPANY_BEFORE = re.compile(r"(?:\b(?:on|by|until|till|or|and)|[,/])\s*$")
_DAY_COMPANY_AFTER = re.compile(
    r"\s*(?:morning|afternoon|evening|at\s*\d|\d|or\b|and\b|[,./?!]|$)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
#: Calendar dates; a month name counts only next to a day number ("may" is mostly a verb).
_CALENDAR = re.compile(
    rf"\b{_MONTH}\.?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
    rf"|\b(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+\d{{4}}\b)?"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|(?<![\d$/.])\b\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?\b(?![/\d])"
)
#: "on the 3rd": a day of the month, when nothing after it makes it "the 3rd molar".
_ORDINAL_DAY = re.compile(
    r"\b(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?=\s*(?:$|[,.!?;)]|(?:at|in|or|and|if|would|works?|is|please|then|maybe|around|after"
    r"|before|by|from|morning|afternoon|evening|ok|okay|possible|too|instead)\b))"
)
_PART = re.compile(
    r"\b(?:mornings?|afternoons?|evenings?|tonight|lunch(?:time)?|after work|after school"
    r"|first thing(?=\s+(?:in|on|tomorrow|tmrw|next|this|mon|tue|wed|thu|fri|sat)))\b"
)
#: "sore most mornings", "every evening": when something happens, not when to come; unless
#: the times are offered ("most mornings work for me").
_HABIT_BEFORE = re.compile(
    r"\b(?:most|every|each)\s+(?:single\s+)?$"
    # a symptom said of that time: "headaches in the morning", "my jaw aches in the mornings"
    r"|\b(?:aches?|aching|achy|headaches?|hurts?|hurting|pain|painful|sore|stiff|tight|tired"
    r"|sensitive|bleeds?|bleeding|clench\w*|grind\w*|wake\s+up|waking\s+up)"
    r"(?:\s+(?:too|also|a\s+lot|badly))?\s+(?:in|during)\s+the\s+$"
)
_OFFERED_AFTER = re.compile(r"\s*(?:work|suit|are|is|ok|okay|fine|good|free|i\s*'?m\s+free)\b")


def _habitual(lowered: str, part: re.Match[str]) -> bool:
    """Whether a part of the day is said of a habit ("my jaw aches most mornings")."""
    return bool(_HABIT_BEFORE.search(lowered[: part.start()])) and not _OFFERED_AFTER.match(
        lowered, part.end()
    )


_AMPM = r"(?P<ampm>[ap]\.?m\b\.?|o'?clock\b)"
#: A clock time: "3pm", "15:00", "9.30am", "after 5", "around 9ish", "noon".
_CLOCK = re.compile(
    r"(?:\b(?P<prep>after|from|before|by|until|till|til|around|about|at)\s*)?"
    r"(?:(?<![\d$£€.:/])(?P<hour>\d{1,2})(?:(?P<sep>[:.])(?P<minute>[0-5]\d))?\s*"
    rf"(?:{_AMPM}|(?P<ish>ish)\b)?(?![\d:])|\b(?P<noon>noon|midday)\b)"
)
#: Hours the patient is busy, not free: "i work 9 to 5", "my shift is 7-3".
_BUSY_HOURS = re.compile(r"\b(?:work|working|shifts?|busy|at\s+school|in\s+class)\b")
_RANGE = re.compile(
    r"\bbetween\s+(?P<first>\d{1,2})(?::(?P<fmin>[0-5]\d))?\s*(?P<fampm>[ap]m)?\s+and\s+"
    r"(?P<second>\d{1,2})(?::(?P<smin>[0-5]\d))?\s*(?P<sampm>[ap]m)?\b"
    # "2-4pm"; "12 to 2", "10-12" only beside a day ("wednesdays 12 to 2 im free")
    r"|\b(?P<first2>\d{1,2})\s*(?:-|to|till|til|until)\s*(?P<second2>\d{1,2})\s*"
    r"(?P<ampm2>[ap]m)?(?![\d:.])"
)
#: What a number followed by one of these is: an amount of time, money or things, not an hour
#: or an age ("after 5 years", "I'm 45 minutes away", "she's 2 weeks post-op").
_NOT_AN_HOUR_OR_AGE = re.compile(
    r"\s*(?:[%$/]|[.,:]\d|(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|mos?"
    r"|years?|yrs?|miles?|mi|km|blocks?|times|dollars?|bucks|usd|k|percent|ft|feet|inches"
    r"|foot|lbs?|pounds?|kg|implants?|teeth|tooth|fillings?|crowns?|veneers?|visits?|people"
    r"|kids|children|of|cavity|cavities|holes?|molars?|extractions?|sealants?|caps?)\b)"
)
_PREPOSITIONS = {
    "after": "after",
    "from": "after",
    "before": "before",
    "by": "before",
    "until": "before",
    "till": "before",
    "til": "before",
    "around": "around",
    "about": "around",
}
#: Words that make a bare "at 5" an hour: the message is about coming in.
_VISIT_WORDS = re.compile(
    r"\b(?:come|coming|book|booking|appointment|appt|slot|slots|available|free|visit|see|open"
    r"|pop|drop|make\s+it|works?|suits?)\b"
)
_NUMBER_WORD = re.compile(
    r"\b(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety|hundred)\b"
)
_PERSON = (
    r"(?:sons?|daughters?|kids?|child|children|boys?|girls?|baby|toddler|teen(?:ager)?|twins"
    r"|father|mother|dad|daddy|mom|mommy|mum|mummy|mama|papa|parents?|grand(?:ma|pa|mother"
    r"|father|son|daughter)|wife|husband|partner|spouse|sister|brother|patient|friend"
    r"|little\s+one)"
)
_AGES = r"(?P<ages>\d{1,3}(?:\s*(?:,|and|&|or)\s*\d{1,3})*)(?!\d)"
#: "I'm 45", "she's 15", "my kids are 5 and 8", "my father who is 78", "aged 6", "turned 7".
_AGE_SAID = re.compile(
    r"(?:\b(?:i'?m|i\s+am|(?:s?he|they)(?:'s|'re|\s+is|\s+are)|s?hes|who(?:'s|\s+is|\s+are))"
    rf"|\b{_PERSON}(?:'s|'re|\s+is|\s+are|,)|\b(?:aged?|turned|turning|turns)"
    rf"|\bmy\s+{_PERSON}(?=\s+\d)|\bfor\s+(?:me|myself)\s*,)"  # "my son 7", "for me, 28"
    rf"\s+(?:about|almost|nearly|just|only|now)?\s*{_AGES}"
)
#: "my daughter (16)": the age in brackets after the person.
_AGE_IN_BRACKETS = re.compile(rf"\b{_PERSON}\s*\(\s*(?P<age>\d{{1,3}})\s*\)")
_MONTHS_OLD = re.compile(
    r"\s*(?:-\s*)?months?\b(?!\s+(?:ago|since|later|after|before|post|pregnant|into|in\b|along))"
)
_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b")
_YEARS_OLD = re.compile(
    r"\b(?P<years>\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|yr)(?:\s*-\s*|\s+)old\b"
    r"|\b(?P<yo>\d{1,3})\s*(?:yo|y/o|y\.o\.)(?!\w)"
    r"|\b(?P<months>\d{1,2})\s*(?:-\s*)?months?(?:\s*-\s*|\s+)old\b"
    r"|\b(?P<tooold>\d{1,3})\s+(?:is\s+)?too\s+(?:old|young)\b"
    # "I have 27 years", "he has 7 years": the age as other languages say it
    r"|\b(?:i|s?he)\s+(?:have|has)\s+(?P<have>\d{1,3})\s*(?:years?|yrs?)\b"
    r"(?!\s+(?:ago|of|left|since|with|to|now|for|in|on|at|back|before|after|already|more))"
)
#: "braces at 28", "at the age of 12": an age after "at" (an hour is never 24 or more).
_AT_AN_AGE = re.compile(
    r"\bat\s+(?:the\s+age\s+of\s+(?P<any>\d{1,3})|(?P<grown>[2-9]\d)"
    r"(?=\s*(?:$|[,;!?]|\.(?!\d)|\s+(?:is|do|does|will|would|can|could|should|and|or|but|too"
    r"|still|already|it|they|with|without|if|am|i)\b)))"
)
#: "my son, 13 years": an age in years without "old" ("is 2 years late" is none).
_IN_YEARS = re.compile(
    r"\s*(?:years?|yrs?)\b(?!\s+(?:ago|since|later|before|after|of|into|now|late|early|back))"
)
_OLD = re.compile(r"\s*(?:-\s*)?(?:(?:years?|yrs?|yr)(?:\s*-\s*|\s+)old\b|yo\b|y/o)")
#: "the filling is 10 years old", "a bridge thats 15 yrs old": the age of a thing, not a patient.
_THING_BEFORE = re.compile(
    r"(?:\b(?:filling|crown|implant|tooth|teeth|bridge|dentures?|veneers?|braces|it|this|that)s?"
    r"\s*(?:'s|is|are|was|were)|\b(?:thats|its)"
    # "I need new lower dentures, mine are 15 years old": the thing, said again as mine
    r"|\b(?:fillings?|crowns?|implants?|bridges?|dentures?|plates?|veneers?|braces)\b[^.?!]{0,24}"
    r"\b(?:mine|ours|the\s+old\s+ones?|the\s+ones?\s+i\s+have)\s*(?:'s|is|are|was|were))"
    r"\s*(?:about|around|almost|over|like)?\s*$"
)
_CHILD_WORDS = (
    r"(?:sons?|daughters?|kids?|child|children|boys?|girls?|twins|baby|toddler"
    r"|teen(?:ager)?s?|little\s+one)"
)
#: Up to three words between "my" and who: "my elderly father", "my 45 year old husband".
_ON_THE_WAY = rf"(?:(?!{_CHILD_WORDS}\b|and\b|or\b)[\w-]+\s+){{0,3}}?"
_WHO = re.compile(
    rf"\b(?<!as a )(?<!was a )(?P<child>{_CHILD_WORDS})\b"  # not "had braces as a kid"
    rf"|\b(?:my|our|for)\s+{_ON_THE_WAY}(?P<parent>father|mother|dad|daddy|mom|mommy|mum"
    r"|mummy|mama|papa|parents?)\b"
    rf"|\b(?:my|our|for)\s+{_ON_THE_WAY}(?P<partner>wife|husband|partner|spouse|girlfriend"
    r"|boyfriend|fianc[eé]e?)\b"
    r"|\b(?P<self>for\s+(?:me|myself)|just\s+me|only\s+me)\b"
    r"|^\W*(?:(?:it'?s|its)\s+)?(?P<alone>me|myself)\W*$"  # "me", in reply to who it is for
    r"|\b(?:my|our|a|an)\s+(?P<young>\d{1,2})\s*-?\s*(?:years?|yrs?|yr|y/?o)(?:\s*-?\s*old)?\b"
)
ADULT_AGE = 18
MOST_TEETH = 32
#: How many: a number 1-32, or words that mean one or two ("both front teeth").
_COUNT = (
    r"(?P<count>(?<![\d$£€.:/,-])\d{1,2}(?![\d.,:/%-])|one|two|single|a\s+single"
    r"|(?:a\s+)?couple(?:\s+of)?|(?:a\s+)?pair\s+of|both(?:\s+of)?)"
)
_COUNT_WORDS = {"one": 1, "two": 2, "single": 1, "couple": 2, "pair": 2, "both": 2}
_COUNTED_NOUN = (
    r"(?P<noun>teeth|tooth|implants?|fillings?|crowns?|veneers?|molars?|premolars?|incisors?"
    r"|canines?|cavities|cavity|extractions?|root\s+canals?|bridges?|dentures?|cleanings?"
    r"|x-?rays?|aligners?|inlays?|onlays?|sealants?|caps?|abutments?"
    r"|people|persons|adults|kids|children)"  # a family: "our 2 kids"
)
_MODIFIER = (
    r"(?:front|back|upper|lower|top|bottom|left|right|wisdom|baby|adult|missing|broken|cracked"
    r"|chipped|decayed|rotten|loose|damaged|bad|new|old|more|extra|porcelain|ceramic|zirconia"
    r"|gold|metal|composite|white|silver|dental|permanent|temporary)"
)
_QUANTITY = re.compile(
    rf"\b{_COUNT}\s+(?:(?:of|my|the|his|her|their|our|these|those)\s+)*"
    rf"(?P<mods>(?:{_MODIFIER}[\s-]+){{0,3}}){_COUNTED_NOUN}\b"
)
_FILLER_MODIFIERS = frozenset({"more", "extra"})
#: One of a thing in a price question: "how much is an implant", "price per tooth".
_ONE_PRICED = re.compile(
    rf"\b(?:a|an|one|per|each)\s+(?:{_MODIFIER}[\s-]+){{0,2}}{_COUNTED_NOUN}\b"
    r"(?<!people)(?<!persons)(?<!adults)(?<!kids)(?<!children)"
)
_AREA_BOTH = re.compile(
    r"\b(?P<v>upper|lower|top|bottom)[\s-]*(?P<h>left|right|front|back)\b"
    r"|\b(?P<h2>left|right)[\s-]*(?P<v2>upper|lower|top|bottom)\b"
)
_AREA_NOUN = r"(?:tooth|teeth|molars?|ones?|side|gums?|jaw|row|dentures?|plates?|partials?)"
_AREA_PART = re.compile(
    rf"\b(?P<fb>front|back)\s+(?:(?P<v5>upper|lower|top|bottom)\s+)?{_AREA_NOUN}\b"
    rf"|\b(?P<v>upper|lower|top|bottom)\s+(?:(?:left|right|front|back)\s+)?{_AREA_NOUN}\b"
    r"|\b(?P<h>left|right)(?:\s+|-)(?:hand\s+)?side\b"
    r"|\b(?:(?:on|in|at)\s+the|(?:on|in)(?=\s+(?:top|bottom)\b(?!\s+of\b)))"  # "6 on top"
    r"\s+(?P<v2>top|bottom|upper|lower)\b"
    r"|\b(?:on|in)\s+the\s+(?P<h2>left|right)\b"
    r"|\bback\s+of\s+(?:my|the|his|her)\s+(?P<fb2>mouth)\b"
    r"|\b(?P<fb3>front|back)[\s-]+(?P<v3>top|bottom|upper|lower)\b"
    r"|\b(?:at|in)\s+the\s+(?P<fb4>front|back)\b"
    r"(?!\s+(?:desk|door|entrance|of the|top|bottom|upper|lower))"
    r"|\b(?P<wisdom>wisdom)\b"
    r"|^\W*(?:(?:just|only|yes|yeah)\W+)?(?:the\s+)?(?P<v4>top|bottom|upper|lower)(?:\s+ones?)?"
    r"\s*(?:$|[,.!;])"  # "top, both", "just the bottom, i still have my top ones"
)
_DENTAL_CONTEXT = re.compile(
    r"\b(?:tooth|teeth|molars?|wisdom|gums?|jaw|mouth|filling|crown|implant|cavity|bite|chew"
    r"|missing|pulled|extracted|smile|dentures?|partials?|bridge|veneers?|gap|nothing\s+left)"
    r"|\b\d{1,2}\s+on\s+(?:the\s+)?(?:top|bottom)\b"  # "6 on top": a count of teeth
)
_VERTICAL = {"upper": "upper", "top": "upper", "lower": "lower", "bottom": "lower"}
_MISSING = re.compile(
    r"\b(?:missing|lost|pulled|extracted|removed|fell out|knocked out|taken out)\b"
    # (not "it's gone a bit darker", "gone grey": changed, still there)
    r"|\bgone\b(?!\s+(?:(?:a\s+)?(?:bit|little|lot|quite|really|slightly|kind\s+of|kinda|all)\s+)?"
    r"(?:dark\w*|gr[ae]y\w*|black|brown|yellow\w*|discolou?red|soft|sensitive|loose|wobbly|numb"
    r"|bad|off|weird|funny|sore|rough|sharp)\b)"
    r"|\bno\s+(?:\w+\s+)?teeth\s+left\b"  # "I have no upper teeth left"
)
_TO_REMOVE = re.compile(
    r"\b(?:still there|still in there|needs? to (?:come|be) (?:out|removed)|to remove"
    r"|needs?\s+remov\w*"  # "broken, need remove first"
    r"|(?:has|have|needs?) to be (?:pulled|extracted|removed|taken out)|has to come out"
    r"|(?:should|must|will) (?:it|they) (?:be pulled|come out))\b"
    r"|\b(?:it|they|tooth|teeth|ones?)\s+(?:(?:should|must|will|would|need\w*|ha(?:ve|s)) to"
    r"|should|must)\s+(?:go|come out|be (?:pulled|extracted|removed|taken out))\b"
    r"|\bneed\w*\s+(?:a|the|my|his|her|this|that|one|\d)\s+(?:\w+\s+)?(?:tooth|teeth) out\b"
    r"|\b(?:needs?|wants?|get|getting|to\s+have)\s+(?:(?:a|the|my|his|her|this|that|one|two"
    r"|three|\d)\s+)?(?:\w+\s+)?(?:tooth|teeth|it|them)\s+(?:pulled|extracted|removed|taken out)\b"
    r"|\b(?:can'?t|cannot|can not|couldn'?t|won'?t)\s+be\s+(?:saved|fixed|repaired|kept)\b"
    r"|\bmust\s+(?:be\s+)?(?:(?:take|taken|pull|pulled|come)(?:\s+(?:it|them))?\s+out"
    r"|removed?|extracted)\b"
    # "a loose tooth which I believe should be removed": to be done, whoever says it
    r"|\b(?:should|must|needs?\s+to|ha(?:s|ve)\s+to|ought\s+to)\s+be\s+(?:pulled|extracted"
    r"|removed|taken\s+out)\b"
    # "can my wisdom tooth be taken out under sedation": to be done, not done
    r"|\b(?:tooth|teeth|it|them|they|one|ones)\s+be\s+(?:pulled|extracted|removed|taken\s+out)\b"
    # "recommended that she has all four wisdom teeth removed before she leaves"
    r"|\b(?:has|have|having)\s+(?:all\s+)?(?:(?:the|my|his|her|both|two|three|four|\d)\s+)?"
    r"(?:\w+\s+)?(?:tooth|teeth)\s+(?:pulled|extracted|removed|taken out)\s+"
    r"(?:before|by|soon|first|next|this|asap)\b"
)
#: A filling, crown or retainer lost is no tooth missing: "my filling fell out".
_RESTORATION_LOST = re.compile(
    r"\b(?:filling|crown|cap|veneer|retainer|bridge|denture)s?\b[\w\s]{0,25}?"
    r"\b(?:fell|fallen|came|come|falling|coming) (?:out|off)\b"
    r"|\blost (?:my|a|the|his|her) (?:filling|crown|cap|veneer|retainer|bridge|denture)s?\b"
)
#: "she's 6", "he is four" (words already digits): an age that says the visit is for a child.
_PRONOUN_AGE = re.compile(
    r"\b(?:he|she)(?:'s|s|\s+is)\s+(?:only\s+|just\s+)?(\d{1,2})\b"
    r"(?!\s*(?:weeks?|days?|hours?|months?\s+(?:post|pregnant|into|along|in\b)))"
)
#: wordfreq Zipf frequency from which a word is ordinary English ("delta", "guardian", "human").
_COMMON_ZIPF = 3.0
#: Words of insurers' names too general to name one on their own ("united", "dental").
_GENERIC_NAME_WORDS = frozenset(
    [
        *("dental", "health", "healthcare", "life", "insurance", "financial", "mutual"),
        *("united", "blue", "first", "national", "american", "the", "of", "and", "plan"),
        *("plans", "care", "group", "company", "co", "inc"),
    ]
)
#: An insurer whose name is an ordinary word ("delta", "guardian") counts only in a message
#: about insurance, or right after one of _HOLDING ("I have delta", not "my legal guardian").
_INSURANCE_CUE = re.compile(
    r"\b(?:insurance|insured|insurer|insurers|plan|plans|ppo|hmo|coverage|cover|covers|covered"
    r"|network|accept|accepts|take|takes|provider|carrier|policy|benefits)\b"
)
_HOLDING = frozenset({"have", "got", "with", "through", "under", "via", "use", "using"})


#: A sentence ending in a question mark: "do you see kids?" of "my son has a cavity. do ...?".
ASKED_SENTENCE = re.compile(r"[^.!?\n]*\?")


def sentences_asked(text: str) -> list[str]:
    """The sentences of a message that end in "?" and have words ("?" of "??" has none)."""
    return [sentence for sentence in ASKED_SENTENCE.findall(text) if words(sentence)]


def is_question(text: str) -> bool:
    """Whether the message asks something (rather than tells)."""
    lowered = _AGE_FIRST.sub("", text.strip().lower())  # "im 34 is it too late for me"
    if "?" in lowered:
        return True
    for sentence in _SENTENCE_BREAK.split(lowered):  # "ok that's for later. how long ..."
        tokens = re.findall(r"[a-z0-9':]+", sentence)  # "1:15 is fine" tells
        while tokens and (tokens[0] in _LEAD_WORDS or tuple(tokens[:2]) in _GREETING_PAIRS):
            tokens = tokens[2:] if tuple(tokens[:2]) in _GREETING_PAIRS else tokens[1:]
        if (
            tokens[:1]
            and tokens[0] in _QUESTION_PREPOSITIONS
            and tokens[1:2]
            and tokens[1] in _WH_WORDS
        ):
            tokens = tokens[1:]  # "for how many days", "until when", "from what age"
        if tokens[:2] and tokens[0] in _IS_WAS and tokens[1] in _TOLD_STATE:
            continue  # "is missing since two years", "was broken already": "it" left out
        if tokens[:3] and tokens[0] in _IS_WAS and tokens[1] == "for" and tokens[2] in _WHOSE:
            continue  # "Is for me, I am 34": whom it is for, "it" left out
        if tokens and tokens[0] in QUESTION_WORDS:
            return True
        if tokens[:1] == ["if"] and _ASKED_AFTER_IF.search(" ".join(tokens[2:])):
            return True  # "if it cant be used again how much is a new crown"
    return _ASKED_INDIRECTLY.search(lowered) is not None


#: A question asked in other words: "my wife wants to know if shes too old for aligners",
#: "i was wondering whether you do sedation".
_ASKED_INDIRECTLY = re.compile(
    r"\b(?:wants?|wanted|would\s+like|'d\s+like|like)\s+to\s+know\s+(?:if|whether|how|what|when)\b"
    r"|\bwondering\s+(?:if|whether|how|what|when)\b"
)


#: The question after a condition with no comma between them: "if ... how much is a new one".
_ASKED_AFTER_IF = re.compile(
    r"\bhow (?:much|long|many|soon|often)\b|\b(?:what|which) (?:is|are)\b"
)


_IS_WAS = frozenset({"is", "was", "are", "were"})
#: What follows "is" in a statement whose "it" was left out, never the subject of a question.
_TOLD_STATE = frozenset(
    {"missing", "gone", "broken", "cracked", "chipped", "loose", "already", "still", "since"}
)
#: Whom a statement with "it" left out says it is for: "is for my daughter".
_WHOSE = frozenset({"me", "myself", "my", "him", "her", "us", "our", "them", "their"})


#: Emoji and pictographs, which end a thought as a full stop does: "cracked in half 😩 can you".
_EMOJI = "[\U0001f300-\U0001faff\u2600-\u27bf]+"
_SENTENCE_BREAK = re.compile(
    r"[.!;:]+\s+|(?:,|\s*" + _EMOJI + r")\s+(?=(?:and\s+|so\s+|also\s+)?(?:how|what|when|where"
    r"|why|which|is|are|can|could|will|would|should)\b)"
)
#: Whose age a message starts with, before its question: "im 34", "she's 7 years old".
_AGE_FIRST = re.compile(
    r"^(?:i'?m|i am|she'?s|shes|he'?s|hes|they'?re|theyre|my \w+ is)\s+\d{1,2}"
    r"(?:\s*(?:years?|yrs?)(?:\s+old)?)?[\s,]+"
)


#: Words a question may start with before its question word.
_LEAD_WORDS = frozenset(
    {"and", "so", "ok", "okay", "also", "but", "then", "oh", "hi", "hey", "well", "btw", "plus"}
    | {"hmm", "right", "alright", "sorry", "wait", "thanks", "thx", "great", "cool", "fine"}
    | {"hello", "hiya", "hallo", "um", "umm", "uh", "anyway", "anyways"}
)
#: A greeting of two words before a question: "good morning, do you do braces".
_GREETING_PAIRS = frozenset({("good", "morning"), ("good", "afternoon"), ("good", "evening")})
#: A question may open with a preposition before its question word: "for how long".
_QUESTION_PREPOSITIONS = frozenset(
    {"for", "until", "till", "by", "at", "from", "in", "with", "since", "after", "to"}
)
_WH_WORDS = frozenset({"how", "what", "when", "where", "which", "who", "whom", "why"})


#: The details extract_details() may find, each only when the message says it, with examples.
ALREADY_MISSING = "already missing"
DETAIL_KEYS = {
    "day": "what was said, to say back: tuesday afternoon, tomorrow, Thursday 3 December",
    "weekdays": "the weekdays asked about: saturday,sunday",
    "date": "an ISO date the message pins, from today on: 2026-12-03",
    "time": "morning, afternoon, evening, lunchtime, 15:00, after 17:00, around 09:00",
    "age": "ages of the patients, in order: 6 or 5, 8 or 18 months",
    "who": "child, parent, partner or self (only when said: for me)",
    "quantity": "the first count of extract_quantities(): 2 implants",
    "insurer": "the insurer named, as written in the insurers given: Delta Dental",
    "tooth": "already missing, or still there, may need to come out",
    "area": "upper left, lower right wisdom tooth, front, back",
    "symptom": "pain, sensitivity, broken, a dark spot",
}


#: A greeting naming a part of the day, which is no time wished for a visit.
_GREETING_TIME = re.compile(r"\bgood\s+(?:morning|afternoon|evening|day)\b")


def extract_details(
    text: str,
    today: dt.date | None = None,
    insurers: Sequence[str] = (),
    about_time: bool = False,
    symptoms: Mapping[str, Sequence[str]] | None = None,
    about_insurance: bool = False,
) -> dict[str, str]:
    """The DETAIL_KEYS found in a message (dates from today, the real date if None).

    `about_time`: the bot has just asked when, so a bare "after 5" is an hour. `symptoms`:
    each symptom's words (`symptoms` in intents/vocabulary.yaml), `*` ending a word stem.
    `about_insurance`: insurance is the subject, so "is on Guardian" names the insurer.
    """
    lowered = text.lower().replace("\u2019", "'").replace("`", "'")
    numeric = _numbers_as_digits(lowered)  # "my kid is six" -> "my kid is 6"
    unhailed = _GREETING_TIME.sub("", lowered)  # "Good afternoon. I'd like ...": no time
    found = _when(unhailed, _GREETING_TIME.sub("", numeric), today or dt.date.today(), about_time)
    ages = _ages(numeric)
    if ages:
        found["age"] = ", ".join(ages)
    who = _who(numeric)
    young = _PRONOUN_AGE.search(numeric)
    if who is None and young is not None and int(young[1]) < ADULT_AGE:
        who = "child"
    if who:
        found["who"] = who
    quantities = _quantities(numeric)
    if quantities:
        count, noun = quantities[0]
        found["quantity"] = f"{count} {noun}"
    elif (unnamed := _unnamed_count(numeric)) is not None:
        found["quantity"] = str(unnamed)
    elif _PRICE_WORDS.search(numeric) and (one := _ONE_PRICED.search(numeric)) is not None:
        found["quantity"] = f"1 {_singular(' '.join(one['noun'].split()))}"
    if insurers:
        insurer = _insurer(lowered, tuple(insurers), about_insurance)
        if insurer:
            found["insurer"] = insurer
    if _TO_REMOVE.search(lowered):
        found["tooth"] = "still there, may need to come out"
    elif _MISSING.search(lowered) and not _RESTORATION_LOST.search(lowered):
        found["tooth"] = ALREADY_MISSING
    area = _area(lowered)
    if area:
        found["area"] = area
    felt = [name for name, pattern in _symptom_patterns(symptoms) if _felt(pattern, lowered)]
    if felt:
        found["symptom"] = ", ".join(felt)
    return found


#: "not", "no", "doesn't", "never", "without" just before a symptom: "they aren't hurting"
#: ("no fever just pain": the pain is felt).
_DENIED_BEFORE = re.compile(
    r"(?:\b(?:not|no|never|without|nor|(?:does|do|is|are|was|were|did|has|have|wo)nt)|n't)"
    r"\s+(?:(?!just\b|only\b|but\b)\w+\s+){0,2}$"
    # "not causing her any pain": "any" just before, a little further from the cue
    r"|(?:\b(?:not|no|never|without|(?:does|do|is|are|was|were|did|has|have|wo)nt)|n't)"
    r"\s+(?:(?!just\b|only\b|but\b)\w+\s+){0,3}any\s+$"
    # "nothing really hurts", "nothing is hurting" (not "nothing helps the pain")
    r"|\bnothing\s+(?:(?:really|actually|currently|is|really\s+is)\s+)?$"
)
# "pain-free", "painless", "swelling going down", "the pain is easing"
_DENIED_AFTER = re.compile(
    r"[\s-]*(?:free|less)\b"
    r"|\s+(?:is\s+|has\s+)?(?:going|gone|went|coming|come)\s+down\b"
    r"(?!\s+(?:to|into|towards|in|my|the|his|her|past|further))"  # not "down to my neck"
    r"|\s+(?:is\s+)?(?:easing|settling|subsiding|better\s+now|much\s+better)\b"
)
#: A question about how a treatment feels, not a symptom felt: "does the injection hurt",
#: "braces at 28, do they hurt", "is it painful" ("why does it hurt" stays a symptom).
_ASKED_BEFORE = re.compile(
    r"(?:^|[,.;:!?]\s*|\b(?:and|so|but|ok|okay|also|then|honestly|be honest)\s+)"
    r"(?:does|do|will|would|can|could|is|are|might|may)\s+(?:[\w']+\s+){0,4}$"
)

#: Words of a pain expected, not felt ("scared it'll hurt"); the router reads them too.
FEAR_WORDS = r"scared|afraid|worried|nervous|terrified|anxious|heard|sounds?"
#: Pain expected, not felt: "scared it'll hurt", "i've heard they're really sore", "sounds
#: painful", "worried they'll make my gums sore".
_FEARED_BEFORE = re.compile(
    rf"\b(?:{FEAR_WORDS}|fear|seems?|looks?)"
    r"\b(?:\s+(?:that|of|about))?\s+(?:(?!but\b|now\b|still\b|because\b|since\b|cause\b|cuz\b)"
    r"[\w']+\s+){0,6}$"
    r"|(?:'ll|\b(?:it|they|you|i|we|she|he)ll|\bwill|\bgonna|\bgoing\s+to|\bmight|\bmay)"
    r"\s+(?:\w+\s+){0,3}$"
)


def _symptom_patterns(
    symptoms: Mapping[str, Sequence[str]] | None,
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each symptom with one pattern for its words (cached per vocabulary)."""
    if not symptoms:
        return ()
    return _compiled_symptoms(tuple((name, tuple(said)) for name, said in symptoms.items()))


@lru_cache(maxsize=8)
def _compiled_symptoms(
    symptoms: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A pattern per symptom: its phrases, with up to three words between a phrase's words."""
    compiled = []
    for name, phrases in symptoms:
        alternatives = []
        for phrase in phrases:
            parts = [
                re.escape(token.rstrip("*")) + (r"\w*" if token.endswith("*") else "")
                for token in phrase.lower().split()
            ]
            if parts:
                alternatives.append(r"\b" + r"\W+(?:[\w']+\W+){0,3}?".join(parts) + r"\b")
        if alternatives:
            compiled.append((name, re.compile("|".join(alternatives))))
    return tuple(compiled)


def _felt(pattern: re.Pattern[str], lowered: str) -> bool:
    """Whether a symptom is said and not denied ("no pain, only a check-up" is no pain)."""
    for match in pattern.finditer(lowered):
        before = lowered[max(0, match.start() - 30) : match.start()]
        asked = _ASKED_BEFORE.search(lowered, 0, match.start())
        word = match.group().removesuffix("less").removesuffix("free")
        denied_after = word != match.group() or _DENIED_AFTER.match(lowered, match.end())
        feared = _FEARED_BEFORE.search(lowered[max(0, match.start() - 50) : match.start()])
        if _DENIED_BEFORE.search(before) or denied_after or asked or feared:
            continue
        return True
    return False


#: How each detail a patient gave is said back to them.
NOTED = {
    "day": "{}",
    "age": "age {}",
    "who": "for your {}",
    "tooth": "the tooth {}",
    "symptom": "{}",
    "area": "{}",
    "quantity": "{}",
    "insurer": "insured with {}",
}


def said_back(details: dict[str, str]) -> str:
    """The details, as said back to the patient: "tuesday afternoon, age 6", "ages 6 and 9"."""
    said = []
    for name, value in details.items():
        if name == "age" and "," in value:
            *first, last = [age.strip() for age in value.split(",")]
            said.append(f"ages {', '.join(first)} and {last}")
        elif name == "quantity" and value == "1" and "tooth" in details:
            continue  # "the tooth already missing" says it is one
        elif name == "quantity" and value.isdigit():
            said.append("one tooth" if value == "1" else f"{value} teeth")
        elif name == "tooth" and details.get("quantity", "1") != "1":
            said.append(value)  # "3 teeth, already missing", not "the tooth already missing"
        elif name == "who" and value == "self":
            said.append("for you")  # not "for your self"
        elif name in NOTED:
            said.append(NOTED[name].format(value))
    return ", ".join(said)


def first_age(details: dict[str, str]) -> float | None:
    """The first age the patient gave, in years ("18 months" is 1.5), if any."""
    said = details.get("age", "").split(",")[0].strip()
    number = re.match(r"(\d+(?:\.\d+)?)\s*(months?)?", said)
    if number is None:
        return None
    years = float(number[1])
    return years / 12 if number[2] else years


_HOW_MANY_MORE = re.compile(
    r"^\W*(?:and|so|ok|what about|how about)?\s*(?:how much|what(?:'s| is| would it be))?"
    r"\s*(?:the\s+)?(?:price|cost|total)?\s*(?:for|of|with)\s+(?P<count>\d{1,2})"
    r"(?:\s+(?:of them|teeth|tooth|please|then|together|in total))?\W*$"
)


#: "what if i need 2", "and if we needed three?": the same service again, several of it.
_IF_SEVERAL = re.compile(
    r"^\W*(?:and|so|ok|okay|but)?\W*(?:and|so)?\s*(?:what|how much|how about)?\s*(?:if|when)\s+"
    r"(?:(?:i|we|he|she|they|you)\s+(?:need|needed|have|had|want|wanted|get|got)"
    r"|it\s+(?:was|were|is)|there\s+(?:was|were|are))\s+(?:just|only)?\s*"
    r"(?P<count>\d{1,2})(?:\s+(?:of them|teeth|tooth|done|please|then|together|in total))?"
    r"\W*$"
)


_NOT_A_COUNT_AFTER = (
    r"(?!\s*(?:[ap]\.?m\b|o'?clock|[:.,]?\d|%|\$|years?|yrs?|months?|weeks?|days?|hours?"
    r"|hrs?|min|minutes?|times?|visits?|sessions?|appointments?)\b)"
)
#: A count whose noun is the topic: "all 4", "the 3 of us", "4 of them", "how much for one".
_UNNAMED_COUNT = re.compile(
    rf"\ball\s+(?:of\s+)?(?:the\s+|my\s+|them\s+)?(?P<all>\d{{1,2}}){_NOT_A_COUNT_AFTER}"
    r"|\b(?P<of>\d{1,2}|one|two)\s+of\s+(?P<whom>them|those|these|em|us|you)\b"
    rf"|\b(?:for|would)\s+(?:the\s+)?(?P<priced>\d{{1,2}}|one|two){_NOT_A_COUNT_AFTER}"
    r"(?!\s+of\b)"
    # teeth counted where they are: "missing 3 on the bottom", "2 missing", "6 on top",
    # "the top 4", "I need 3, lower jaw", "just one, pulled last year"
    rf"|\bmissing\s+(?:about\s+|around\s+|like\s+)?(?P<missing>\d{{1,2}}|one|two)"
    rf"{_NOT_A_COUNT_AFTER}"
    r"|\b(?P<gone>\d{1,2}|one|two)\s+(?:(?:are|r|is)\s+)?(?:missing|gone)\b"
    # "just 2 front ones", "3 in a row gone"
    r"|\b(?P<ones>\d{1,2}|two)\s+(?:(?:front|back|top|bottom|upper|lower|side)\s+)?ones\b"
    r"|\b(?P<inarow>\d{1,2}|two)\s+in\s+a\s+row\b"
    r"|(?<![:.$£€])\b(?P<placed>\d{1,2}|two)\s+(?:(?:on|at|in)\s+(?:the\s+)?)?"
    r"(?:top|bottom|upper|lower)\b(?!\s+(?:floor|shelf))"
    r"|\b(?:the\s+)?(?:top|bottom|upper|lower)(?:\s+front)?\s+(?P<row>\d{1,2})"
    r"(?![\d:.]|\s*[ap]\.?m\b)"
    r"(?!\s+(?:years?|months?|weeks?|days?))"
    r"|\b(?:i|we|he|she|they|would|will|probably|maybe)\s+(?:need|needs|want|wants)\s+"
    r"(?P<need>\d{1,2}|two)(?=\s*(?:[,.!?;]|$|done\b|more\b|in total\b|of them\b))"
    r"|\b(?:probably|prob|maybe)\s+(?P<guess>\d{1,2}|two)(?=\s*(?:[,.!?;]|$))"
    r"|^\W*(?:just|only)\s+(?P<just>one|1)\b(?!\s+(?:question|thing|more|sec|second|minute))"
    # "the zirconia ones x3", "3x": a count only in a price question
    r"|(?<![\w$£€])x\s?(?P<times>\d{1,2})\b|\b(?P<timed>\d{1,2})\s?x(?![\w-])"
)
#: Which of the counts above was said: the group names, in the order tried.
_COUNT_GROUPS = (
    "all",
    "of",
    "priced",
    "missing",
    "gone",
    "ones",
    "inarow",
    "placed",
    "row",
    "need",
    "guess",
    "just",
    "times",
    "timed",
)
_PRICE_WORDS = re.compile(r"\b(?:how much|cost\w*|price\w*|total|pay|quote|charge)\b")


def how_many_more(text: str) -> int | None:
    """The count of a bare "and for 2?", "how much would 3 be?", "what if i need 2" (the
    service unsaid)."""
    numeric = _numbers_as_digits(text.lower().replace("\u2019", "'"))
    found = _HOW_MANY_MORE.match(numeric) or _IF_SEVERAL.match(numeric)
    count = int(found["count"]) if found else None
    if count is None and _PRICE_WORDS.search(numeric) and not _quantities(numeric):
        count = _unnamed_count(numeric)
    return count if count is not None and 1 < count <= MOST_TEETH else None


def _unnamed_count(numeric: str) -> int | None:
    """The count of "all 4", "the 3 of us", "4 of them"; "for 3" only in a price question."""
    for match in _UNNAMED_COUNT.finditer(numeric):
        said = next(match[name] for name in _COUNT_GROUPS if match[name])
        priced = match["priced"] or match["times"] or match["timed"]
        if priced and not _PRICE_WORDS.search(numeric):
            continue
        count = int(said) if said.isdigit() else _COUNT_WORDS[said]
        if 1 <= count <= MOST_TEETH:
            return count
    return None


def extract_quantities(text: str) -> list[tuple[int, str]]:
    """How many of which dental things a message names: "2 implants" -> [(2, "implants")]."""
    lowered = text.lower().replace("\u2019", "'")
    return _quantities(_numbers_as_digits(lowered))


def warm_up() -> None:
    """Import and prime dateparser (about 0.2 s once), so no patient's turn pays for it."""
    _parsed_date("tomorrow", dt.date.today())


# -- days, dates and times -------------------------------------------------------------------


@dataclass(frozen=True)
class _DayWord:
    """One mention of a day: where, how to say it back, which weekdays and date it means."""

    start: int
    said: str
    weekdays: tuple[int, ...]
    date: dt.date | None = None
    negated: bool = False
    plural: bool = False


def _when(lowered: str, numeric: str, today: dt.date, about_time: bool) -> dict[str, str]:
    """The day, weekdays, date and time a message asks about."""
    found: dict[str, str] = {}
    mentions = sorted(
        [*_day_words(lowered, today), *_calendar_dates(lowered, today)], key=lambda m: m.start
    )
    wanted = [mention for mention in mentions if not mention.negated]
    excluded = {day for mention in mentions if mention.negated for day in mention.weekdays}
    part_match = next((m for m in _PART.finditer(lowered) if not _habitual(lowered, m)), None)
    part = _PARTS[part_match[0]] if part_match else None
    spoken = [mention for mention in wanted if not mention.plural]
    if spoken:
        first = spoken[0]
        if first.date is None:  # "tuesday the 1st": the date says the weekday and more
            first = next(
                (
                    mention
                    for mention in wanted
                    if mention.date is not None and mention.date.weekday() in first.weekdays
                ),
                first,
            )
        said = first.said
        if excluded and first.said.startswith("any "):
            said += " except " + " or ".join(WEEKDAYS[day] for day in sorted(excluded))
        if part and first.said != "tonight":
            said = _with_part(said, part, first.date is not None and first.said[0].isupper())
        found["day"] = said
    weekdays = sorted({day for mention in wanted for day in mention.weekdays} - excluded)
    if weekdays:
        found["weekdays"] = ",".join(WEEKDAYS[day] for day in weekdays)
    dates = [mention.date for mention in wanted if mention.date is not None]
    if dates:
        found["date"] = dates[0].isoformat()
    context = about_time or bool(mentions) or bool(part) or _visit(lowered)
    clock = _clock_time(numeric, part, context)
    agreed = _HOUR_AGREED.search(numeric) if about_time and clock is None else None
    if agreed is not None:  # "10 is perfect", when we asked when: ten o'clock
        clock = _hour(int(agreed["hour"]), None, None, part)
    if clock or part:
        found["time"] = clock or part or ""
    return found


def _with_part(said: str, part: str, calendar: bool) -> str:
    """The day with its part: "tuesday afternoon", "Thursday morning, 3 December"."""
    if calendar:
        weekday, _, rest = said.partition(" ")
        return f"{weekday} {part}, {rest}"
    return f"{said} {part}"


def _visit(lowered: str) -> bool:
    """Whether the message is about coming in (so a bare "at 5" is an hour)."""
    return _VISIT_WORDS.search(lowered) is not None


#: A day something began or happened on, just before it: "since monday", "ever since friday",
#: "a piece broke off on sunday", "my filling fell out last friday".
_HAPPENED_ON = re.compile(
    r"\bsince\s+(?:last\s+|this\s+past\s+)?$"
    r"|(?:\b(?:broke|fell|came|cracked|chipped|snapped|started|began|happened|knocked|hit|lost)"
    r"|\b(?:i|we|he|she|they)\s+(?:only\s+|just\s+)?(?:had|got))\b"
    r"(?:\s+[\w']+){0,3}?\s+(?:on\s+)?(?:last\s+|this\s+past\s+)?$"
)


def _day_words(lowered: str, today: dt.date) -> Iterator[_DayWord]:
    """Each day named in words: "tomorrow", "next tuesday", "the weekend", "any weekday"."""
    negated_until = -1  # where the last refused day ends: "not monday or tuesday"
    for match in _DAY.finditer(lowered):
        start = match.start()
        if _HAPPENED_ON.search(lowered, max(0, start - 40), start):
            continue  # "a toothache since monday": when it began, not a day wished
        negated = _NEGATED.search(lowered, max(0, start - 30), start) is not None or (
            negated_until >= 0 and _LIST_GLUE.fullmatch(lowered, negated_until, start) is not None
        )
        negated_until = match.end() if negated else -1
        if match["rel"]:
            word = " ".join(match["rel"].split()).removeprefix("the ")
            offset = 2 if word.startswith("day after") else 1 if word in _TOMORROW else 0
            said = (
                "tomorrow" if word in _TOMORROW else "today" if word.startswith("right") else word
            )
            pinned = _parsed_date(_DATEPARSER_WORDS.get(said, said), today)
            if pinned is None:  # dateparser failed us: the arithmetic is plain
                pinned = today + dt.timedelta(days=offset)
            yield _DayWord(start, said, (pinned.weekday(),), pinned, negated)
        elif match["working"]:
            habit = match["working"].startswith(("weekdays", "during"))  # "open weekdays?"
            yield _DayWord(start, "any weekday", tuple(range(5)), None, negated, habit)
        elif match["wd"]:
            name = match["wd"]
            if name in _AMBIGUOUS_DAYS and not _keeps_day_company(lowered, match):
                continue
            index = _WEEKDAY_OF[name]
            qualifier = match["qual"]
            said = WEEKDAYS[index]
            date: dt.date | None = None  # a bare "friday" may mean any friday: no date
            if match["nextweek"]:
                said = f"{said} next week"
                date = today + dt.timedelta(days=7 - today.weekday() + index)
            elif qualifier:
                said = f"{qualifier} {said}"
                asked = "this" if qualifier == "coming" else qualifier
                date = _parsed_date(f"{asked} {WEEKDAYS[index]}", today)
            plural = bool(match["plural"]) and not qualifier
            yield _DayWord(start, said, (index,), date, negated, plural)
        elif match["weekend"]:
            qualifier = match["wequal"]
            said = f"{qualifier or 'the'} weekend"
            yield _DayWord(start, said, (5, 6), None, negated, plural=bool(match["wplural"]))
        elif match["anyday"]:
            yield _DayWord(start, "any day", tuple(range(7)), None, negated)
        elif match["week"] and not negated:
            yield _DayWord(start, " ".join(match["week"].split()), ())


#: What dateparser is given for a word it does not read itself.
_DATEPARSER_WORDS = {
    "tonight": "today",
    "right now": "today",
    "right away": "today",
    "day after tomorrow": "in 2 days",
}


def _keeps_day_company(lowered: str, match: re.Match[str]) -> bool:
    """Whether "sat" or "sun" is a day here ("sat morning", "on sun"), not a word ("I sat")."""
    if match["qual"] or match["plural"]:
        return bool(match["qual"])
    before = _DAY_COMPANY_BEFORE.search(lowered, 0, match.start())
    return before is not None or _DAY_COMPANY_AFTER.match(lowered, match.end()) is not None


def _calendar_dates(lowered: str, today: dt.date) -> Iterator[_DayWord]:
    """Each date on the calendar: "dec 3", "3 december", "12/3", "on the 3rd"."""
    for match in _CALENDAR.finditer(lowered):
        phrase = match[0].replace("the ", "")
        date = _parsed_date(phrase, today)
        if date is not None:
            negated = _NEGATED.search(lowered, max(0, match.start() - 30), match.start())
            said = _calendar_said(date, today)
            yield _DayWord(match.start(), said, (date.weekday(),), date, negated is not None)
    for match in _ORDINAL_DAY.finditer(lowered):
        if _CALENDAR.search(lowered, match.start(), match.end() + 12):
            continue  # "the 3rd of december" was read above
        date = _next_day_of_month(int(match["day"]), today)
        if date is not None:
            said = _calendar_said(date, today)
            yield _DayWord(match.start(), said, (date.weekday(),), date)


def _calendar_said(date: dt.date, today: dt.date) -> str:
    """A date as said back: "Thursday 3 December" (with the year only when not this year's)."""
    said = f"{WEEKDAYS[date.weekday()].capitalize()} {date.day} {MONTH_NAMES[date.month - 1]}"
    return said if date.year == today.year else f"{said} {date.year}"


def _next_day_of_month(day: int, today: dt.date) -> dt.date | None:
    """The first date from today on with this day of the month ("the 3rd")."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


@lru_cache(maxsize=1024)
def _parsed_date(phrase: str, today: dt.date) -> dt.date | None:
    """dateparser's reading of a date phrase, in English, from today on; None if it has none."""
    # Imported here: dateparser costs about 50 ms to import and 100 ms more on its first
    # parse, and only a message with a date cue (a weekday, a month next to a day number,
    # "tomorrow", "the 3rd", 12/3) gets here. Dates are read month first (12/3 is 3 December),
    # as written in the US.
    import dateparser

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed: dt.datetime | None = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:  # dateparser trips on odd input; a detail is never worth a crash
        return None
    return parsed.date() if parsed is not None else None


# Hours without am/pm are read as a clinic's day is: with "morning" they are am, with
# "afternoon" or "evening" pm; otherwise 7 to 11 are am, 12 is noon and 1 to 6 are pm
# ("after 5" is 17:00), and 13 to 23 are as written. A bare number ("at 5", "after 5") is an
# hour only with a day, a part of day or a visit ("come", "book", "free"...) in the message,
# and never before a unit ("after 5 years"). dateparser is not asked: it reads "after 5" as May.
_OPPOSITE = {"before": "after", "after": "before"}
_BOUNDS = frozenset({"after", "before", "until", "till", "til"})


def _clock_time(lowered: str, part: str | None, about_a_day: bool) -> str | None:
    """The hour wished, as "15:00", "after 17:00", "around 09:00" or "between 14:00 and 16:00"."""
    between = _RANGE.search(lowered)
    if between is not None:
        if between["first"]:
            first = _hour(int(between["first"]), between["fmin"], between["fampm"], part)
            second = _hour(int(between["second"]), between["smin"], between["sampm"], part)
        else:
            ampm = between["ampm2"]
            first = _hour(int(between["first2"]), None, ampm, part)
            second = _hour(int(between["second2"]), None, ampm, part)
        precise = between["fampm"] or between["sampm"] or between["ampm2"]
        counted = _NOT_AN_HOUR_OR_AGE.match(lowered, between.end())  # "2-3 fillings"
        busy = not precise and _BUSY_HOURS.search(lowered)  # "i work 9 to 5": not the wish
        wished = (precise or about_a_day) and not counted and not busy
        if first and second and first < second and wished:
            return f"between {first} and {second}"
    busy_until: str | None = None
    for match in _CLOCK.finditer(lowered):
        if match["noon"]:
            hour: str | None = "12:00"
        else:
            if match["hour"] is None:
                continue
            precise = match["ampm"] or match["sep"] == ":" or match["ish"]
            if match["sep"] == "." and not (match["ampm"] or match["prep"]):
                continue  # "9.30" alone may be a price
            bounded = match["prep"] in _BOUNDS  # "after 5": an hour, said in any message
            if not precise and not (match["prep"] and (about_a_day or bounded)):
                continue
            if _NOT_AN_HOUR_OR_AGE.match(lowered, match.end()):
                continue
            hour = _hour(int(match["hour"]), match["minute"], match["ampm"], part)
        if hour is None:
            continue
        if match["prep"] and _BUSY_UNTIL.search(lowered, 0, match.start()):
            busy_until = busy_until or f"after {hour}"  # "she finishes work at 4": free after
            continue
        relation = "around" if match["ish"] else _PREPOSITIONS.get(match["prep"] or "")
        if relation in _OPPOSITE and lowered[: match.start()].rstrip().endswith("not"):
            relation = _OPPOSITE[relation]  # "not before 2": after 14:00
        return f"{relation} {hour}" if relation else hour
    return busy_until


#: A bare hour agreed to when asked when: "10 is perfect", "saturday, 8 would be great".
_HOUR_AGREED = re.compile(
    r"(?:^|[,;.!]\s)\W*(?:(?:ok(?:ay)?|yes|yeah|great)\W+)?(?:at\s+)?(?P<hour>\d{1,2})\s+"
    r"(?:(?:is|would\s+be|sounds)\s+(?:perfect|fine|good|great|ok|okay|better|best)|works?"
    r"|suits)\b"
)


#: The end of the patient's busy hours, just before an hour: "she finishes work at 4", "i work
#: till 5.30", "school ends at 3", "i get off at 6" (the wish is after it).
_BUSY_UNTIL = re.compile(
    r"\b(?:finish(?:es|ed)?|get(?:s|ting)?\s+off|off\s+work|work(?:s|ing)?|(?:school|class"
    r"|work|shift)\s+(?:ends?|finish(?:es)?|is\s+out|is\s+over)|busy|done)"
    r"(?:\s+(?:work|school|class|here|there))?\s*$"
)


def _hour(hour: int, minute: str | None, ampm: str | None, part: str | None) -> str | None:
    """An hour as HH:MM, by the rule in _clock_time; None if it is no time of day."""
    if hour > 23 or (hour == 0 and minute is None):
        return None
    marker = (ampm or "").replace(".", "")
    if marker.startswith(("am", "pm")) and hour > 12:
        return None
    if marker.startswith("pm") and hour < 12:
        hour += 12
    elif marker.startswith("am") and hour == 12:
        hour = 0
    elif (
        not marker.startswith("am")
        and 1 <= hour <= 11
        and (part in ("afternoon", "evening") or (part != "morning" and hour <= 6))
    ):
        hour += 12
    return f"{hour:02d}:{minute or '00'}"


# -- people and numbers ----------------------------------------------------------------------


def _numbers_as_digits(lowered: str) -> str:
    """The text with number words as digits ("seventy-eight" -> "78"), when it has any."""
    if _NUMBER_WORD.search(lowered) is None:
        return lowered
    try:
        return str(alpha2digit(lowered, "en"))
    except Exception:  # text2num's parser is not ours to trust on every input
        return lowered


def _ages(numeric: str) -> list[str]:
    """The ages said, in order: ["5", "8"], ["18 months"]."""
    found: list[tuple[int, int, str]] = []  # where, which of a list ("5, 8 and 11"), age
    for match in _AGE_SAID.finditer(numeric):
        numbers = re.findall(r"\d+", match["ages"])
        months = _MONTHS_OLD.match(numeric, match.end())
        unit = _NOT_AN_HOUR_OR_AGE.match(numeric, match.end())
        last = ""
        if months is not None:
            last = f"{int(numbers.pop())} months"  # "she is 14 months"
        elif (
            unit is not None
            and not _OLD.match(numeric, match.end())
            and not _IN_YEARS.match(numeric, match.end())
        ):
            numbers.pop()  # "they are 5 and 8, 2 fillings": the last is a count, not an age
        elif _AND_A_HALF.match(numeric, match.end()):
            last = f"{int(numbers.pop())}.5"  # "he's 2 and a half"
        for order, number in enumerate(numbers):
            if 1 <= int(number) <= 120:
                found.append((match.start("ages"), order, str(int(number))))
        if last:
            found.append((match.start("ages"), len(numbers), last))
    for match in _YEARS_OLD.finditer(numeric):
        if _THING_BEFORE.search(numeric, max(0, match.start() - 40), match.start()):
            continue
        if match["months"]:
            found.append((match.start(), 0, f"{int(match['months'])} months"))
        else:
            number = int(match["years"] or match["yo"] or match["tooold"] or match["have"])
            if 1 <= number <= 120:
                found.append((match.start(), 0, str(number)))
    for match in _AGE_IN_BRACKETS.finditer(numeric):
        if 1 <= int(match["age"]) <= 120:
            found.append((match.start("age"), 0, str(int(match["age"]))))
    for match in _AT_AN_AGE.finditer(numeric):
        number = int(match["any"] or match["grown"])
        if 1 <= number <= 120:
            found.append((match.start(), 0, str(number)))  # "braces at 28, do they hurt"
    ages: list[str] = []
    for _, _, age in sorted(found):
        if age not in ages:
            ages.append(age)
    return ages


#: Someone who only witnessed the patient's problem: "my wife hears it", "my husband says i
#: snore and grind", "my mum noticed i'm clenching".
_BYSTANDER = re.compile(
    r"\s+(?:(?:can|could)\s+)?(?:hears?|heard|notice[sd]?|sees|saw)\s+(?:it|this|that|the\s+noise"
    r"|the\s+grinding|me|my|i)\b"
    r"|\s+(?:says?|said|thinks|told\s+me|tells\s+me|complains?|complained)\s+(?:that\s+)?"
    r"(?:i|i'?m|me|my)\b",
    re.I,
)


def _who(numeric: str) -> str | None:
    """Who the visit is for, first mentioned: child, parent, partner or self."""
    for match in _WHO.finditer(numeric):
        if match["young"] is not None:
            if int(match["young"]) < ADULT_AGE:
                return "child"
            continue
        if _BYSTANDER.match(numeric, match.end()):
            continue  # "i grind at night, my wife hears it": the patient's own
        found = next(name for name, value in match.groupdict().items() if value)
        return "self" if found == "alone" else found
    return None


def _quantities(numeric: str) -> list[tuple[int, str]]:
    """(count, noun) pairs of a text whose number words are already digits."""
    found: list[tuple[int, str]] = []
    for match in _QUANTITY.finditer(numeric):
        said = match["count"].split()
        if said[0].isdigit():
            count = int(said[0])
        else:
            count = next(_COUNT_WORDS[word] for word in said if word in _COUNT_WORDS)
        if not 1 <= count <= MOST_TEETH:
            continue
        modifiers = [
            word
            for word in re.split(r"[\s-]+", match["mods"])
            if word and word not in _FILLER_MODIFIERS
        ]
        noun = " ".join(match["noun"].split())
        if count == 1:
            noun = _singular(noun)
        found.append((count, " ".join([*modifiers, noun])))
    return found


def _singular(noun: str) -> str:
    """One of a counted noun: "teeth" -> "tooth", "cavities" -> "cavity"."""
    if noun == "teeth":
        return "tooth"
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun.removesuffix("s")


# -- insurers and teeth ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Insurers:
    """Ways a patient writes each insurer: exact aliases, and which need an insurance cue."""

    aliases: dict[str, tuple[str, bool]]
    longest: int


@lru_cache(maxsize=8)
def _insurer_aliases(insurers: tuple[str, ...]) -> _Insurers:
    """Aliases of each insurer: its name, joined up, its distinctive first word, "bcbs"."""
    aliases: dict[str, tuple[str, bool]] = {}

    def add(alias: str, canonical: str) -> None:
        """Record an alias; a lone ordinary word ("delta") is weak: it needs an insurance cue."""
        weak = " " not in alias and zipf_frequency(alias, "en") >= _COMMON_ZIPF
        aliases.setdefault(alias, (canonical, weak))

    for canonical in insurers:
        tokens = re.findall(r"[a-z0-9]+", canonical.lower())
        if not tokens:
            continue
        add(" ".join(tokens), canonical)
        add("".join(tokens), canonical)
        if len(tokens) > 1 and len(tokens[0]) >= 4 and tokens[0] not in _GENERIC_NAME_WORDS:
            add(tokens[0], canonical)
        if len(tokens) >= 3 and not {"of", "the", "and"} & set(tokens):
            add(" ".join(tokens[:2]), canonical)
            add(" ".join(tokens[-2:]), canonical)
            add("".join(token[0] for token in tokens), canonical)
    longest = max((alias.count(" ") + 1 for alias in aliases), default=1)
    return _Insurers(aliases, longest)


def _insurer(lowered: str, insurers: tuple[str, ...], cue: bool = False) -> str | None:
    """The insurer a message names, by its canonical name; small typos are forgiven."""
    known = _insurer_aliases(insurers)
    tokens = re.findall(r"[a-z0-9]+", lowered)
    cue = cue or _INSURANCE_CUE.search(lowered) is not None
    typos = {token for token in tokens if len(token) >= 4 and _looks_misspelled(token)}
    for start in range(len(tokens)):
        held = start > 0 and tokens[start - 1] in _HOLDING
        for size in range(min(known.longest, len(tokens) - start), 0, -1):
            window = tokens[start : start + size]
            for alias in (" ".join(window), "".join(window)):
                entry = known.aliases.get(alias)
                if entry is not None and (cue or held or not entry[1]):
                    return entry[0]
            if typos.intersection(window):
                typo = _closest_alias(" ".join(window), known)
                if typo is not None:
                    return typo
    return None


@lru_cache(maxsize=16384)
def _looks_misspelled(token: str) -> bool:
    """Whether a word is no ordinary English word ("metlfe" is, "human" is not)."""
    return not token.isdigit() and zipf_frequency(token, "en") < _COMMON_ZIPF


def _closest_alias(window: str, known: _Insurers) -> str | None:
    """The insurer whose distinctive alias is one typo (two if long) from the words."""
    allowed = 1 if len(window) < 8 else 2
    for alias, (canonical, weak) in known.aliases.items():
        if weak or len(alias) < 5 or abs(len(alias) - len(window)) > allowed:
            continue
        if OSA.distance(window, alias, score_cutoff=allowed) <= allowed:
            return canonical
    return None


#: Both jaws named together: "top and bottom", "upper & lower", "both jaws".
_BOTH_JAWS = re.compile(
    r"\b(?:top|upper)\s+(?:and|&|n|\+)\s+(?:bottom|lower)\b"
    r"|\b(?:bottom|lower)\s+(?:and|&|n|\+)\s+(?:top|upper)\b|\bboth\s+jaws\b"
)


#: The area said for both jaws, which counts two units of a service priced per jaw.
BOTH_JAWS = "upper and lower"


def _area(lowered: str) -> str | None:
    """Where in the mouth: "upper left", "lower front", "back", "wisdom tooth"."""
    if _BOTH_JAWS.search(lowered):
        return BOTH_JAWS  # "top and bottom, shes 79"
    both: list[str] = []
    for match in _AREA_BOTH.finditer(lowered):
        area = f"{_VERTICAL[match['v'] or match['v2']]} {match['h'] or match['h2']}"
        if area not in both:
            both.append(area)
    vertical: str | None = None
    horizontal: str | None = None
    side: str | None = None
    wisdom = False
    molar = re.search(r"\bmolars?\b", lowered) is not None
    dental = _DENTAL_CONTEXT.search(lowered) is not None
    for match in _AREA_PART.finditer(lowered):
        if match["wisdom"]:
            wisdom = True
        elif match["fb"] or match["fb2"]:
            side = side or ("front" if match["fb"] == "front" else "back")
            if match["v5"]:  # "front top tooth"
                vertical = vertical or _VERTICAL[match["v5"]]
        elif match["fb3"]:
            side = side or match["fb3"]
            vertical = vertical or _VERTICAL[match["v3"]]
        elif dental and match["fb4"]:
            side = side or match["fb4"]
        elif match["v"] or match["v4"]:
            vertical = vertical or _VERTICAL[match["v"] or match["v4"]]
        elif dental and match["v2"]:
            vertical = vertical or _VERTICAL[match["v2"]]
        elif dental and (match["h"] or match["h2"]):
            horizontal = horizontal or match["h"] or match["h2"]
    if len(both) > 1:
        found = ", ".join(both)
    elif both:
        found = both[0]
        if side and side not in found:
            found = f"{found} {side}"
    else:
        found = " ".join(word for word in (vertical, horizontal, side) if word)
    if wisdom:
        found = f"{found} wisdom tooth".strip()
    elif molar:
        found = f"{found} molar".strip()
    return found or None


_QUESTION_START = (
    r"(?:how|what|whats|what's|when|where|which|who|do|does|can|could|is|are|will|would"
    r"|should|any|r(?=\s+(?:u|ya|you|they|we)\b))\b"  # "r u open": chat for "are you"
)
_CLAUSE_BREAK = re.compile(
    r"\?+\s*|;\s*|,?\s+(?:and|also|plus|but|\+|&|n)\s+(?:also\s+)?(?="
    + _QUESTION_START
    + r"|(?:whether|if)\s+(?:you|u|your|the\s+clinic)\b)"
    r"|(?:,|\s*" + _EMOJI + r")\s*(?=" + _QUESTION_START + r")"
    r"|(?<=[a-z])\.\s+(?=[a-z])"
    r"|!+\s*(?=" + _QUESTION_START + r")",  # "just got my braces off!! can i whiten now"
    re.IGNORECASE,
)


#: A line that only addresses, thanks or announces: "Dear Bright Smile team,", "Thank you in
#: advance.", "I would like to ask two things." (a letter's frame, no question of its own).
_COURTESY_LINE = re.compile(
    r"^\s*(?:dear\b[^?\n]*|(?:hi|hello|hey|good\s+(?:morning|afternoon|evening))\b[^?\n]*"
    r"|(?:many\s+)?thanks?\b[^?\n]*|thank\s+you\b[^?\n]*|(?:best|kind)?\s*regards\b[^?\n]*"
    r"|i\s+(?:would\s+like|want|wanted|have)\s+(?:to\s+ask\s+)?(?:a\s+few|two|three|some"
    r"|several|\d)\s+(?:things|questions)\b[^?\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
#: A list's mark at the start of a line: "1)", "2.", "-", "•".
_LIST_MARK = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[-•*])\s*", re.MULTILINE)


def split_questions(text: str, most: int = 4) -> list[str]:
    """The questions in one message ("how much is whitening and do you work saturdays").

    Written as a letter, each line is a part of its own, and its frame is dropped: "Dear
    team, / 1) What is the price of an implant? / 2) Is it done asleep? / Thank you".
    """
    if "\n" in text.strip():
        text = _LIST_MARK.sub("", _COURTESY_LINE.sub("", text)).strip()
        text = re.sub(r"\s*\n\s*", "; ", text)
    clauses = [part.strip(" ,.!") for part in _CLAUSE_BREAK.split(text)]
    return [clause for clause in clauses if len(clause) > 2][:most]


_DO_YOU = re.compile(
    r"(?:^|[,.!?;]\s*|\band\s+)"
    r"(?:\W*(?:hi|hello|hey|ok|okay|so|and|also|please)\b[\s,!.]*)*"
    r"(?:(?:do|does|can|could|would|will)\s+(?:you|u|ya|your clinic|the clinic|you guys)\b"
    r"|(?:can|could|may)\s+(?:i|we|my\s+\w+|he|she|they)\s+(?:get|have|do|book|come)\b"
    r"|is\s+it\s+possible\b|are\s+you\s+able\b|(?:you|u)\s+(?:do|offer|treat|make|place)\b"
    r"|\b(?:if|whether)\s+(?:you|u)\s+(?:do|offer|treat|make|place|have)\b)",
    re.IGNORECASE,
)
_FREE = re.compile(r"\b(?:free|free of charge|no charge|cost anything|complimentary)\b", re.I)


def asks_if_we_do(text: str) -> bool:
    """Whether the message asks if the clinic does something ("do you make crowns?")."""
    return bool(_DO_YOU.search(text.strip()))


def asks_if_price(text: str) -> bool:
    """Whether the message asks what something costs ("how much is a root canal")."""
    return bool(_PRICE_WORDS.search(text.lower()))


def asks_if_free(text: str) -> bool:
    """Whether the message asks whether something is free ("is the consultation free?")."""
    return bool(_FREE.search(text)) and is_question(text)
