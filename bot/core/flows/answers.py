"""Answers: a service's script, a practical fact, small talk, and what to do when unsure."""

from __future__ import annotations

import datetime as dt
import logging
import re

from bot.core.flows import aftercare, booking, consent, erasure, triage
from bot.core.flows.handoff import ABOUT_A_PROBLEM, EMERGENCY, hand_over, person_choice
from bot.core.outcome import Choice, OfferShown
from bot.core.pending import AskAbout, AskedBooking, AskedDay, AskedProblem
from bot.core.turn import ASKED_ABOUT, HANDED_OVER, MarkOffer, Turn, choice
from bot.details import (
    ALREADY_MISSING,
    ASKED_SENTENCE,
    MOST_TEETH,
    asks_if_free,
    asks_if_price,
    asks_if_we_do,
    extract_quantities,
    first_age,
    said_back,
    split_questions,
)
from bot.hours import hours_on, specialists_on
from bot.loader import COMPARE_QUOTE
from bot.matcher import Match
from bot.models import IntentKind
from bot.pricing import format_together, quote_together
from bot.replies import doctor_lines

log = logging.getLogger(__name__)

OFF_TOPIC = "off_topic"
HOURS = "hours"
INSURANCE = "insurance"
#: The practical reply with the clinic's written warranty periods and conditions.
WARRANTY_TERMS = "warranty"
#: What a plan pays for: "does it cover cleanings", "will it cover a crown do you think".
COVERS = re.compile(r"\b(?:covers?|covered|coverage|reimburse\w*|pay\s+(?:for|back))\b", re.I)
#: The practical reply listing the clinic's doctors.
DOCTORS = "doctors"
#: A service asked about again within this time gets a short answer, not the script again.
REPEAT_WITHIN = dt.timedelta(hours=12)
UPSET = "upset"
#: Topics that say who the care is for rather than what it is: another service named wins.
AUDIENCE_TOPICS = frozenset({"children"})
#: Details that tell the patient's real problem, so the script need not ask it.
PROBLEM_TOLD = ("tooth", "symptom")


def answer_intent(turn: Turn, intent: str, score: float) -> None:
    """Answer what the patient asked, the way the clinic's replies say it."""
    turn.outcome.intent = intent
    rotation = turn.record(intent, score)
    patient = turn.patient
    if patient.misunderstood_streak or patient.pending_choices or patient.pending_step:
        turn.update_patient(misunderstood_streak=0, pending_choices=None, pending_step=None)
    definition = turn.brain.knowledge.intents.get(intent)
    kind = definition.kind if definition is not None else IntentKind.CONVERSATION
    replies = turn.brain.replies
    if intent == EMERGENCY:
        triage.respond(turn, rotation)
    elif intent == aftercare.AFTERCARE:
        aftercare.answer(turn, rotation)
    elif kind == IntentKind.HANDOFF:
        hand_over(turn, intent)
    elif intent == "greeting":
        turn.say(replies.text("greeting" if patient.greeted else "greeting_first", rotation))
        if not patient.greeted:
            turn.update_patient(greeted=True)
    elif intent == "opt_out":
        consent.opt_out(turn, rotation)
    elif intent == "reminders":
        consent.menu(turn, rotation)
    elif intent == "forget_me":
        erasure.ask_to_erase(turn, rotation)
    elif replies.has_service(intent):
        service(turn, intent, rotation)
    elif intent == booking.BOOKING:
        booking.start(turn, rotation)
    elif intent == booking.RESCHEDULE:
        booking.change(turn, rotation)
    elif intent == INSURANCE and COVERS.search(turn.text) and (about := _insured(turn)):
        label = turn.brain.knowledge.services[about].label or about
        turn.say(replies.text("answer_insurance_covers", rotation, noted=label))
        turn.open_topic(intent, about)
    elif intent == INSURANCE and _PAID_ASKED.search(turn.text) and (about := _insured(turn)):
        age = first_age(turn.state.details)  # "what would i pay after insurance" on a crown:
        turn.say(replies.insured_price(about, rotation, age))  # its total, and what comes back
        turn.open_topic(intent, about)
    elif intent == INSURANCE and turn.details.get("insurer"):
        noted = turn.details["insurer"]  # "do you take Cigna?": Cigna, named back
        turn.say(replies.text("answer_insurance_named", rotation, noted=noted))
        turn.open_topic(intent)
    elif intent == WARRANTY_TERMS and (about := _warranty_service(turn)) is not None:
        term = _warranty_term(turn, about)
        if term is None:
            turn.say(replies.text(intent, rotation))
        else:
            turn.say(replies.text("answer_warranty_named", rotation, noted=term))
        turn.open_topic(intent, about)
    elif intent == DOCTORS and (spoken := language_asked(turn.text)) is not None:
        turn.say(_who_speaks(turn, spoken, rotation))  # "is there anyone who speaks polish"
    elif intent == DOCTORS and (named := doctors_named(turn, rotation)) is not None:
        text, about = named
        turn.say(text)
        turn.open_topic(about)  # "who would do it?" ... "how long does it take": the treatment
    elif intent == HOURS and turn.details.get("weekdays"):
        hours_on_days(turn, turn.details["weekdays"].split(","), rotation)
        turn.open_topic(intent)
    elif intent in turn.brain.knowledge.replies:
        turn.say(replies.text(intent, rotation))
        current = turn.topic
        # "ok on our way whats the address" after an emergency went to a person: the
        # emergency stays what is talked about ("please hurry what do we do" goes to them)
        in_emergency = current == EMERGENCY and turn.state.details.get(HANDED_OVER) == EMERGENCY
        on_a_service = current is not None and replies.has_facets(current)
        if kind == IntentKind.PRACTICAL and not on_a_service and not in_emergency:
            # "what about pensioners?" right after the discounts; "do you have payment plans
            # for implants": implants kept for "and the total would be roughly?"
            turn.open_topic(intent, turn.service_named())
    else:
        turn.say(replies.text("not_understood", rotation), (person_choice(),))


def language_asked(text: str) -> str | None:
    """The language a patient asks a doctor to speak ("anyone who speaks polish", "a
    spanish-speaking dentist"), capitalised, or None."""
    found = _LANGUAGE_ASKED.search(text)
    return (found["spoken"] or found["before"]).capitalize() if found else None


def _who_speaks(turn: Turn, language: str, rotation: int) -> str:
    """Which doctors speak the language asked, or honestly that none on our list does."""
    doctors = [
        doctor.name
        for doctor in turn.brain.knowledge.clinic.doctors
        if language.lower() in (spoken.lower() for spoken in doctor.languages)
    ]
    if doctors:
        noted = f"{' and '.join(doctors)} {'speak' if len(doctors) > 1 else 'speaks'} {language}"
        return turn.brain.replies.text("answer_language_spoken", rotation, noted=noted)
    return turn.brain.replies.text("answer_language_not_spoken", rotation, noted=language)


#: Languages a patient may ask a doctor to speak (English is what everyone here speaks).
_LANGUAGES = (
    "spanish|portuguese|french|german|italian|polish|russian|ukrainian|romanian|greek|turkish"
    "|arabic|hebrew|farsi|persian|hindi|urdu|bengali|punjabi|tamil|gujarati|chinese|mandarin"
    "|cantonese|japanese|korean|vietnamese|tagalog|thai|somali|amharic|swahili|haitian\\s+creole"
    "|creole|albanian|serbian|croatian|bosnian|czech|slovak|hungarian|dutch|swedish|armenian"
)
#: A language asked for: "speaks polish", "speak any spanish", "a russian-speaking doctor".
_LANGUAGE_ASKED = re.compile(
    rf"\b(?:speaks?|speaking|talks?)\s+(?:any\s+|some\s+|a\s+bit\s+of\s+)?(?P<spoken>{_LANGUAGES})\b"
    rf"|\b(?P<before>{_LANGUAGES})[\s-]speaking\b",
    re.I,
)


def doctors_named(turn: Turn, rotation: int) -> tuple[str, str] | None:
    """The doctors who do the treatment asked about, and that treatment, if any do."""
    about = _doctors_service(turn)
    doctors = doctors_for(turn, about) if about is not None else None
    if about is None or not doctors:
        return None
    return turn.brain.replies.text("answer_doctors_named", rotation, noted=doctors), about


#: What the patient would pay or get back: "what would i pay after insurance", "how much
#: comes back", "out of pocket".
_PAID_ASKED = re.compile(
    r"\bhow\s+much\b|\bwhat\s+(?:would|will|do|does|should)\s+(?:i|we|it)\s+(?:pay|cost)\b"
    r"|\bout\s+of\s+pocket\b|\b(?:prices?|costs?)\b|\b(?:get|comes?)\s+back\b|\brefund\w*"
    r"|\bmy\s+(?:part|share|portion)\b|\bco-?pay\w*",
    re.I,
)


def _insured(turn: Turn) -> str | None:
    """The treatment an insurance question about paying is about: named, or the one the
    insurance talk is about, or the one talked about just before."""
    has_facets = turn.brain.replies.has_facets
    kept = turn.state.details.get(ASKED_ABOUT) if turn.topic == INSURANCE else turn.topic
    return turn.service_named() or (kept if kept and has_facets(kept) else None)


def _warranty_service(turn: Turn) -> str | None:
    """The service a warranty question is about: named, or the one asked about just before
    ("how many years" after "do you give a guarantee on crowns")."""
    named = turn.service_named()
    asks_years = turn.brain.facets.match(turn.text).facet == "longevity"
    if named is None and turn.topic == WARRANTY_TERMS and asks_years:
        return turn.state.details.get(ASKED_ABOUT)
    if named is None and turn.topic in ABOUT_A_PROBLEM:
        return turn.state.details.get(ASKED_ABOUT)  # "will i have to pay again?" after a claim
    return named


def _warranty_term(turn: Turn, service: str) -> str | None:
    """ "crowns: 5 years": the clinic's written period for one service, if it lists one."""
    facets = turn.brain.facets
    terms = turn.brain.knowledge.clinic.warranty.terms
    found = [term for term in terms if service in facets.names_topics(term.service)]
    if len(found) != 1:
        return None
    said = found[0].service
    return f"{said[:1].lower()}{said[1:]}: {found[0].period}"


def _doctors_service(turn: Turn) -> str | None:
    """The treatment a question about the doctors is about: named ("who does the implants"),
    or the one being talked about ("who would do it?" after the root canal)."""
    named = turn.service_named()
    if named is None and turn.topic is not None and turn.brain.replies.has_facets(turn.topic):
        return turn.topic
    return named


def doctors_for(turn: Turn, service: str) -> str:
    """The doctors whose role in clinic.yaml names the treatment (or the broader one it is a
    kind of: aligners, orthodontics), one line each; empty when no role names it."""
    facets = turn.brain.facets
    for wanted in (service, facets.broader(service)):
        doctors = [
            doctor
            for doctor in turn.brain.knowledge.clinic.doctors
            if wanted is not None and wanted in facets.names_topics(doctor.role)
        ]
        if doctors:
            return doctor_lines(doctors)
    return ""


#: Asking if we take new patients: "are you taking new patients", "do u accept new patients"
#: (not "do you have a gynecologist taking new patients").
NEW_PATIENTS = re.compile(
    r"\b(?:are|r)\s+(?:you|u|ya)\s+(?:still\s+|currently\s+)?(?:taking|accepting|seeing|open\s+to)"
    r"\s+(?:on\s+|any\s+)?new\s+patients\b"
    r"|\b(?:do|can|will)\s+(?:you|u)\s+(?:still\s+|currently\s+)?(?:take|accept|see)\s+(?:on\s+|any\s+)?"
    r"new\s+patients\b",
    re.I,
)


def service(turn: Turn, intent: str, rotation: int, with_offer: bool = True) -> None:
    """The service's script with the full bundled cost, then one "new in our clinic" item."""
    replies = turn.brain.replies
    age = first_age(turn.state.details)
    teeth = teeth_counted(turn, intent)
    # asked again, for the same one tooth or jaw ("and for top and bottom?" is a new total)
    repeated = turn.asked_before(intent, REPEAT_WITHIN) and teeth == 1
    # Asked while a request is being made: the request's own question ends the reply.
    in_request = isinstance(turn.asked, AskedBooking) and bool(turn.state.booking)
    question = "" if in_request else closing_question(turn, intent, rotation)
    sorry = ""
    if turn.brain.matcher.impatient(turn.text):  # "i asked a simple question. how much..."
        sorry = replies.text("sorry_for_the_wait", rotation) + " "
        with_offer = False
    if repeated:
        turn.say(f"{sorry}{replies.repeated(intent, rotation)}\n\n{question}".strip())
    else:
        opens = opening(turn)
        if NEW_PATIENTS.search(turn.text):  # "are you taking new patients?": yes, first
            sorry += replies.text("new_patients", rotation) + " "
            opens = "" if opens == "yes" else opens
        turn.say(sorry + replies.service(intent, rotation, opens, age, question, teeth))
        if opens == "total":
            turn.outcome.facet = "price"  # "roughly how much is an extraction": the total first
    turn.open_topic(intent)
    if with_offer:
        offer_news(turn, intent)


def teeth_counted(turn: Turn, intent: str) -> int:
    """How many teeth the patient says the service is for ("need 3 crowns"), else one."""
    if not turn.counted_by_the_unit(intent):
        return 1  # "braces for all 4 of us": a course each, not one priced four times
    names = turn.brain.facets.names_topic
    for count, noun in extract_quantities(turn.text):
        if names(noun) == intent and 1 < count <= MOST_TEETH:
            return count
    unnamed = turn.details.get("quantity", "")  # "do you do fillings? i need three"
    if unnamed.isdigit() and intent in turn.brain.facets.names_topics(turn.text):
        return max(1, min(int(unnamed), MOST_TEETH))
    return turn.count_told(intent) or turn.jaws_told(intent) or 1


def price_together(
    turn: Turn, items: list[tuple[str, int]], besides: list[str] | None = None
) -> None:
    """One total for several services or several teeth; a shared visit part counted once;
    then the practical subjects asked beside it ("and do you have payment plans?")."""
    knowledge = turn.brain.knowledge
    bundles = [
        (knowledge.bundles[knowledge.services[name].bundle], count) for name, count in items
    ]
    combined = quote_together(bundles, knowledge.components)
    rotation = turn.record("+".join(f"{name}x{count}" for name, count in items))
    turn.say(format_together(combined, knowledge.clinic.currency))
    turn.outcome.intent = items[0][0]
    turn.outcome.facet = "price"
    turn.outcome.answered.extend(name for name, _ in items)
    last = items[-1][0]
    # "and for 2?" right after the question, or once it was answered: not asked again
    already_asked = turn.topic == last and turn.asked in (AskedProblem(last), AskedDay())
    for name, _ in items:  # the one before the last is kept: "ok skip the xray, can i come wed"
        turn.open_topic(name)
    _say_besides(turn, besides or [])
    if not already_asked:
        turn.say(closing_question(turn, last, rotation))


def _say_besides(turn: Turn, besides: list[str]) -> None:
    """The practical subjects asked beside a price or a complaint ("and do you have payment
    plans?"), each recorded as asked, so "how many months?" next goes on about it."""
    for intent in besides:
        if intent in turn.brain.knowledge.replies:
            turn.say(turn.brain.replies.text(intent, turn.record(intent)))
            turn.outcome.answered.append(intent)


def problem_told(details: dict[str, str]) -> dict[str, str]:
    """The details that tell the patient's real problem (a tooth still to come out tells the
    service, not yet the problem: "i need a wisdom tooth out")."""
    told = {name: details[name] for name in PROBLEM_TOLD if name in details}
    if told.get("tooth", ALREADY_MISSING) != ALREADY_MISSING:
        del told["tooth"]
    return told


def consultation_or_question(turn: Turn, intent: str, rotation: int, told: bool) -> str:
    """The next step after an answer that quotes nothing: the consultation offered when the
    problem was told, else the script's question about it."""
    if told:
        turn.ask(AskedDay())
        return turn.brain.replies.text("answer_next_service", rotation)
    return closing_question(turn, intent, rotation)


def closing_question(turn: Turn, intent: str, rotation: int) -> str:
    """The script's question about the real problem, and the bot waits for its answer; when
    this message already told the problem ("i lost a tooth, what are my options?"), the next
    step instead: which days suit for a consultation."""
    replies = turn.brain.replies
    told = problem_told(turn.details)
    if told:
        turn.ask(AskedDay())
        return replies.text("question_problem_known", rotation, noted=said_back(told))
    turn.ask(AskedProblem(intent))
    return replies.question(intent, rotation, "age" in turn.state.details)


#: "can I whiten my teeth", "could we straighten them": asking for a service by its verb.
_CAN_I = re.compile(r"\b(?:can|could|may)\s+(?:i|we|he|she|they|my\s+\w+)\s+(?P<verb>\w+)", re.I)


def asks_for_service(turn: Turn, text: str) -> bool:
    """Whether the message asks for a service itself: "can I get implants", "can I whiten"."""
    if asks_if_we_do(text):
        return True
    found = _CAN_I.search(text)
    return found is not None and turn.brain.facets.names_topic(found["verb"]) is not None


def opening(turn: Turn) -> str:
    """How a service reply opens: a true "yes" only to "do you do X?", a price question's
    total, a plain "no, it isn't free", or straight to what we do."""
    if asks_if_free(turn.text):
        return "free"
    price = asks_if_price(turn.text) or turn.brain.facets.match(turn.text).facet == "price"
    # "how much is a root canal and do you work saturdays": the "do you" is the second question's
    asks_for = asks_for_service(turn, _first_clause(turn.text))
    # "my son is 8 and has a cavity. do you see kids?": the sentence asked is the one to read
    asked = ASKED_SENTENCE.search(turn.text)
    asks_for = asks_for or (
        asked is not None
        and bool(turn.brain.facets.names_topics(asked[0]))  # (not "could you tell me the price")
        and asks_for_service(turn, _first_clause(asked[0]))
    )
    if price and not asks_for:
        return "total"  # "invisalign price": the total first
    if asks_for or len(turn.text.split()) <= 2:
        return "yes"
    return "total" if price else ""


def _first_clause(text: str) -> str:
    """A message's first question or statement: "how much is a root canal" of two."""
    return (split_questions(text) or [text])[0]


def hours_on_days(turn: Turn, weekdays: list[str], rotation: int) -> None:
    """The hours of the days asked about ("do you work weekends?"), and who is in."""
    turn.say(hours_text(turn, weekdays, rotation))


def hours_text(turn: Turn, weekdays: list[str], rotation: int) -> str:
    """The hours of those days, each with the part-time specialists in (for one or two)."""
    replies, clinic = turn.brain.replies, turn.brain.knowledge.clinic
    lines = []
    for weekday in weekdays[:7]:
        day = weekday.capitalize()
        hours = hours_on(clinic, weekday)
        if hours is None:
            lines.append(replies.text("hours_day_closed", rotation, noted=day))
            continue
        open_, close = hours
        lines.append(replies.text("hours_day_open", rotation, noted=day, open=open_, close=close))
        if len(weekdays) <= 2:
            specialists = specialists_on(clinic, weekday)
            if specialists:
                listed = "\n".join(f"• {who}" for who in specialists)
                lines.append(replies.text("hours_day_specialists", rotation, noted=listed))
    return "\n".join(lines)


def offer_news(turn: Turn, intent: str) -> None:
    """Show one active offer for this service that the patient has not seen yet."""
    for offer in turn.brain.replies.offers_for(intent, turn.today):
        if offer.id in turn.offers_seen:
            continue
        turn.offers_seen = turn.offers_seen | {offer.id}
        turn.writes.append(MarkOffer(offer.id))
        turn.say(offer.text)
        turn.outcome.effects.append(OfferShown(offer.id))
        log.info("patient=%s offer=%s shown", turn.patient.id, offer.id)
        return


def calm(turn: Turn, besides: list[str] | None = None) -> None:
    """An upset patient: an apology and the offer of a person; no script, no offer; then
    the practical subjects asked beside it ("do you have payment plans?")."""
    rotation = turn.record(UPSET)
    person = person_choice()
    turn.update_patient(pending_choices=[person.value])
    turn.outcome.intent = UPSET
    apology = turn.brain.replies.text(UPSET, rotation)
    about = turn.service_named()
    compared = compare_quote(turn, about or turn.topic) if quoted_elsewhere(turn.text) else ""
    turn.say(f"{apology}\n\n{compared}" if compared else apology, (person,))
    if about is not None:
        turn.open_topic(about)  # "1800 for a root canal??" then "does it include the crown"
    _say_besides(turn, besides or [])
    log.info("patient=%s upset: apology and a person offered", turn.patient.id)


def compared(turn: Turn, service: str) -> None:
    """ "another clinic quoted me 2500 for the same thing": what to check in that quote, and
    our total again, with nothing pushed."""
    turn.outcome.intent, turn.outcome.facet = service, "price"
    turn.open_topic(service)
    turn.say(compare_quote(turn, service))
    log.info("patient=%s quote from elsewhere compared: %s", turn.patient.id, service)


def compare_quote(turn: Turn, service: str | None) -> str:
    """What to check in another clinic's quote for this service: each part ours includes
    ("the exam, the panoramic X-ray, ..., the crown"); "" for a subject with no price."""
    bundle = turn.brain.knowledge.bundle_of(service) if service else None
    if bundle is None:
        return ""
    components = turn.brain.knowledge.components
    names = [components[key].name for key in bundle.parts if key in components]
    checklist = "; ".join(names)
    return turn.brain.replies.text(COMPARE_QUOTE, turn.record(COMPARE_QUOTE), noted=checklist)


def quoted_elsewhere(text: str) -> bool:
    """Whether the message sets a price from elsewhere against ours: "my cousin paid half that
    in turkey", "my old dentist charged 60", "another clinic quoted me 2500"."""
    return all(found.search(text) for found in (_ELSEWHERE, _PRICED, _AMOUNT))


#: Another place: "another clinic", "my old dentist", "in turkey", "across town".
_ELSEWHERE = re.compile(
    r"\b(?:another|other|different|a\s+second)\s+(?:clinic|dentist|place|office|practice|surgery)"
    r"|\belsewhere\b|\bsomewhere\s+else\b|\bmy\s+(?:old|previous|last|usual|former|regular)\s+"
    r"(?:dentist|clinic|practice)|\b(?:in|from)\s+(?:turkey|mexico|poland|hungary|thailand|abroad"
    r"|costa\s+rica|colombia|india)\b|\bacross\s+town\b|\bdown\s+the\s+(?:street|road)\b",
    re.I,
)
#: A price given or paid: "quoted", "charged", "paid", "the price was".
_PRICED = re.compile(r"\b(?:quot\w*|charg\w*|paid|pays?|pric\w*|costs?|estimate\w*)\b", re.I)
#: An amount: "$6000", "2500", "half that", "less", "cheaper".
_AMOUNT = re.compile(
    r"\$\s?\d|\b\d{2,}[\d,.]*\s*k?\b|\bhalf\b|\bless\b|\bcheaper\b|\bthird\b", re.I
)


#: The service a first visit is.
FIRST_VISIT = "checkup"
#: Asking what the problem is: "could it be a cavity?", "is it an infection?", "do you think
#: its cracked": a diagnosis no one can give before the exam.
DIAGNOSIS_ASKED = re.compile(
    r"\b(?:could|can|might|would|is|does)\s+(?:it|this|that)\s+(?:be\s+|mean\s+)?(?:a\s+|an\s+)?"
    r"(?:cavity|cavities|decay|infection|infected|abscess|crack|cracked|the\s+nerve"
    r"|nerve\s+damage|sinus\w*|grinding|enamel\s+erosion|dry\s+socket|wisdom\s+tooth)\b"
    r"|\bdo\s+you\s+think\s+(?:it'?s|its|it\s+is)\s+(?:a\s+|an\s+)?"
    r"(?:cavity|decay|infection|infected|abscess|crack|cracked|the\s+nerve)\b",
    re.I,
)


def diagnosis(turn: Turn) -> None:
    """ "could it be a cavity?": honestly, it can't be told from here; the exam shows it, and
    then the consultation is offered (or the problem asked, if it isn't known)."""
    replies = turn.brain.replies
    rotation = turn.record("diagnosis")
    topic = turn.topic if turn.topic and replies.has_facets(turn.topic) else FIRST_VISIT
    told = any(name in turn.state.details or name in turn.details for name in PROBLEM_TOLD)
    after = consultation_or_question(turn, topic, rotation, told)
    turn.say(f"{replies.text('diagnosis_unseen', rotation)}\n\n{after}")
    turn.outcome.intent = topic
    turn.open_topic(topic)
    log.info("patient=%s diagnosis asked topic=%s", turn.patient.id, topic)


def acknowledge(turn: Turn) -> None:
    """ "ok", a thumbs-up: a one-line acknowledgement, never a misunderstanding; details told
    alone ("he's 7") are said back first."""
    rotation = int(turn.now.timestamp())
    replies = turn.brain.replies
    text = replies.text("acknowledged", rotation)
    if turn.details:
        text = f"{replies.text('answer_noted', rotation, noted=said_back(turn.details))} {text}"
    turn.say(text)


def off_topic(turn: Turn, score: float) -> None:
    """A question for someone else: say what the clinic does; never a case for the staff."""
    rotation = turn.record(OFF_TOPIC, score)
    turn.outcome.intent = OFF_TOPIC
    turn.say(turn.brain.replies.text(OFF_TOPIC, rotation))


def did_you_mean(turn: Turn, match: Match) -> None:
    """Two readings are close: let the patient pick."""
    choices = did_you_mean_choices(turn, match)
    turn.wait_for(None, choices)
    turn.say(turn.brain.replies.text("did_you_mean"), choices)


def did_you_mean_choices(turn: Turn, match: Match) -> tuple[Choice, ...]:
    """Up to three intents to choose from, each named by its label (else its description)."""
    intents = turn.brain.knowledge.intents
    options = [match.intent, *(alt.intent for alt in match.alternatives)][:3]
    return tuple(
        choice(intents[name].button_label, AskAbout(name)) for name in options if name is not None
    )
