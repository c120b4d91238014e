"""(intent, clinic facts, what this patient has seen) -> the text of a reply."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.loader import Knowledge
from bot.models import SCRIPT_PARTS, Clinic, Doctor, Offer
from bot.pricing import (
    BundleQuote,
    CombinedQuote,
    PriceRange,
    format_parts,
    format_range,
    format_together,
    quote_bundle,
    quote_together,
    with_discounts,
)


def clinic_facts(knowledge: Knowledge) -> dict[str, str]:
    """Every clinic placeholder, written out for a patient."""
    clinic = knowledge.clinic
    return {
        "clinic_name": clinic.name,
        "address": clinic.address,
        "directions": clinic.directions,
        "phone": clinic.phone,
        "email": clinic.email,
        "emergency_number": clinic.emergency_number,
        "hours": _hours(clinic),
        "specialist_hours": "\n".join(
            f"• {s.who}: {s.days}, {s.open}–{s.close}" for s in clinic.specialist_hours
        )
        or "All our doctors keep the clinic's regular hours.",
        "doctors": doctor_lines(clinic.doctors),
        "warranty_terms": "\n".join(f"• {t.service}: {t.period}" for t in clinic.warranty.terms),
        "warranty_conditions": "\n".join(f"• {c}" for c in clinic.warranty.conditions),
        "payment_methods": ", ".join(clinic.payment_methods),
        "insurance": clinic.insurance,
        "discounts": "\n".join(f"• {d.who}: {d.what}" for d in clinic.discounts)
        or "We don't run discounts; our prices are the same for everyone.",
        "services_list": _services_list(knowledge),
        "price_list": _price_list(knowledge),
    }


def doctor_lines(doctors: Iterable[Doctor]) -> str:
    """The doctors a line each: "• Dr. Priya Raman, endodontist: 12 years in practice, DDS"."""
    return "\n".join(
        f"• {d.name}, {d.role}: {d.years} years in practice, {d.degree}"
        + (f"; also speaks {' and '.join(d.languages)}" if d.languages else "")
        for d in doctors
    )


def _services_list(knowledge: Knowledge) -> str:
    """What the clinic does, a line per group: "• Replacing teeth: implant, bridge, dentures"."""
    grouped: dict[str, list[str]] = {}
    for script in knowledge.services.values():
        name = _ARTICLE.sub("", script.label) if script.label else script.bundle
        if name not in grouped.setdefault(script.group, []):
            grouped[script.group].append(name)
    return "\n".join(f"• {group}: {', '.join(names)}" for group, names in grouped.items())


_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
#: The placeholders a service's quote fills; a wording without them needs no quote worked out.
_PRICE_FIELDS = re.compile(r"\{(?:parts|total)\b")


def _price_list(knowledge: Knowledge) -> str:
    """Every treatment's all-in total, grouped, then every part as it appears on a bill."""
    currency = knowledge.clinic.currency
    grouped: dict[str, list[str]] = {}
    for script in knowledge.services.values():
        quote = quote_bundle(knowledge.bundles[script.bundle], knowledge.components)
        total = format_range(quote.total, currency)
        line = f"• {quote.name}: {total}" + ("" if quote.total.high == 0 else " all included")
        if line not in grouped.setdefault(script.group, []):
            grouped[script.group].append(line)
    blocks = [f"{group}:\n" + "\n".join(lines) for group, lines in grouped.items()]
    parts = "\n".join(
        f"• {component.name}: {format_range(PriceRange(component.low, component.high), currency)}"
        + (" per tooth" if component.per == "tooth" else "")
        for component in knowledge.components.values()
    )
    blocks.append(f"Each part on its own, as it appears on the bill:\n{parts}")
    return "\n\n".join(blocks)


def _hours(clinic: Clinic) -> str:
    lines = []
    for hours in clinic.hours:
        when = "closed" if hours.closed else f"{hours.open}–{hours.close}"
        lines.append(f"• {hours.days}: {when}")
    return "\n".join(lines)


def pick(wordings: Sequence[str], turn: int) -> str:
    """The wording for this turn: rotating, so a repeated question gets new words."""
    return wordings[turn % len(wordings)]


#: A safety question asked the other way round: "is it bad for my enamel?", "is it dangerous".
_ASKED_AS_HARM = re.compile(
    r"\b(?:bad|harm\w*|damag\w*|dangerous|risky|ruin\w*|weaken\w*|destroy\w*|toxic|unsafe)\b",
    re.I,
)
#: A wording that answers "is it safe?" with a yes first.
_OPENS_YES = re.compile(r"\s*yes\b", re.I)


def pick_for(wordings: Sequence[str], turn: int, asked: str) -> str:
    """The wording that shares the most telling words with the question, else the rotation."""
    wanted = _telling_words(asked)
    if wanted:
        shared = [len(wanted & _telling_words(wording)) for wording in wordings]
        best = max(shared)
        if best and shared.count(best) == 1:
            return wordings[shared.index(best)]
    return pick(wordings, turn)


def _telling_words(text: str) -> set[str]:
    """The stems of a text's longer words: "smoking" and "smoke" share "smok"."""
    return {word[:4] for word in re.findall(r"[a-z]+", text.lower()) if len(word) >= 4} - _COMMON


#: Stems too common in questions and answers to tell wordings apart.
_COMMON = frozenset(
    {"what", "when", "will", "with", "that", "this", "have", "your", "about", "afte", "long"}
    | {"does", "days", "some", "they", "then", "them", "from", "much", "many", "more", "need"}
    | {"after", "usua", "ther", "also", "into", "week", "most", "just", "tell"}
)


@dataclass(frozen=True)
class ReplyBook:
    """Renders replies from the loaded knowledge; built once per data version."""

    knowledge: Knowledge
    facts: dict[str, str]

    @classmethod
    def build(cls, knowledge: Knowledge) -> ReplyBook:
        """Precompute the clinic facts once."""
        return cls(knowledge, clinic_facts(knowledge))

    def label(self, intent: str) -> str:
        """How a service is named in a sentence ("a cleaning"); other words as they are."""
        script = self.knowledge.services.get(intent)
        if script is None:
            return intent
        return script.label or intent.replace("_", " ")

    def has_service(self, intent: str) -> bool:
        """Whether the intent is answered with a service script."""
        return intent in self.knowledge.services

    def service(
        self,
        intent: str,
        turn: int,
        opening: str = "yes",
        age: float | None = None,
        question: str | None = None,
        teeth: int = 1,
        offer: str | None = None,
    ) -> str:
        """The scripted service reply, the answer and total first, the itemised parts after,
        priced for `teeth` ("I need 3 crowns": per-tooth parts x 3, per-visit parts once).

        `opening` is "yes" for a "do you do X" question, "total" for a price question,
        "free" for "is it free?", and "" for anything else (no fixed "Yes, ...").
        `question` replaces the script's closing question (the problem is already told);
        `offer` replaces what we can do with the answer to what was asked of it ("what material
        looks most natural": the materials answer, not the same options said twice).
        """
        script = self.knowledge.services[intent]
        values = self._priced(intent, age, teeth)
        part = {
            name: pick(getattr(script, name), turn).format_map(values)
            for name in SCRIPT_PARTS
            if name != "question"
        }
        if offer is not None:
            part["offer"] = offer
        if teeth > 1:  # the wordings speak of one tooth: the count's own list instead
            part["cost"] = self._counted_cost(intent, age, teeth)
        if opening == "yes":
            first = part["yes"]
        elif opening == "total":
            noted = self._total_phrase(intent, age, teeth)
            first = self.text("total_first", turn, noted=noted)
        elif opening == "free":
            first = self._free_answer(intent, turn)
        else:
            first = ""
        note = self.age_note(intent, age)
        closing = (
            question if question is not None else self.question(intent, turn, age is not None)
        )
        return "\n\n".join(
            [
                f"{first} {part['offer']}".strip(),
                *([note] if note else []),
                part["cost"],
                f"{part['why_total']} {part['honesty']}",
                *([closing] if closing else []),  # none when a booking's question ends the reply
            ]
        )

    def option(self, intent: str, turn: int, age: float | None = None) -> str:
        """A service as one option weighed against another: what we can do, fairly, and its
        full price."""
        script = self.knowledge.services[intent]
        priced = self._priced(intent, age)
        offer = pick(script.offer, turn).format_map(priced)
        named_total = f"{self._quote(intent).name}: {priced['total']}"  # "Veneer: $820-$1,970"
        total = self.text("weigh_total", turn, noted=named_total)
        label = self.label(intent)
        return f"{label[:1].upper()}{label[1:]}:\n{offer} {total}"

    def age_note(self, intent: str, age: float | None) -> str | None:
        """What the doctor's view is for a patient of this age, if the clinic wrote one."""
        script = self.knowledge.services.get(intent)
        if age is None or script is None:
            return None
        return next((each.note for each in script.ages if each.fits(age)), None)

    def repeated(self, intent: str, turn: int) -> str:
        """A short answer to a service asked again: the total, pointing to the earlier reply."""
        return self.text("repeat_service", turn, noted=self._total_phrase(intent))

    def question(self, intent: str, turn: int, age_known: bool = False) -> str:
        """The script's one question about the patient's real problem (no age asked twice)."""
        wordings = self.knowledge.services[intent].question
        asked = self._filled(pick(wordings, turn), intent)
        if age_known and re.search(r"\b(?:old|age)\b", asked):
            return self.text("question_age_known", turn)
        return asked

    def _quote(self, service: str, teeth: int = 1) -> BundleQuote:
        """The service's bundle for `teeth` teeth, every part priced from clinic.yaml."""
        script = self.knowledge.services[service]
        bundle = self.knowledge.bundles[script.bundle]
        return quote_bundle(bundle, self.knowledge.components, teeth)

    def _counted_cost(self, intent: str, age: float | None, teeth: int) -> str:
        """The total for several teeth first, then every part with its count ("x 3")."""
        knowledge, clinic = self.knowledge, self.knowledge.clinic
        bundle = knowledge.bundles[knowledge.services[intent].bundle]
        shared = quote_together([(bundle, teeth)], knowledge.components).shared
        quote = with_discounts(self._quote(intent, teeth), clinic.discounts, age)
        return format_together(CombinedQuote((quote,), shared, quote.total), clinic.currency)

    def _total_phrase(self, intent: str, age: float | None = None, teeth: int = 1) -> str:
        clinic = self.knowledge.clinic
        quote = with_discounts(self._quote(intent, teeth), clinic.discounts, age)
        if quote.total.high == 0:
            return f"{quote.name.lower()} is free"
        total = format_range(quote.total, clinic.currency)
        discounted = " and the discount taken off" if quote.discounts else ""
        name = quote.name.lower() if teeth == 1 else f"{quote.name.lower()} x {teeth}"
        return f"{name} comes to {total}, every part included{discounted}"

    def part_included(self, intent: str, part_name: str, turn: int) -> str | None:
        """ "does that include the x-rays?": yes, that part with its price, and the total."""
        part = next((part for part in self._quote(intent).parts if part.name == part_name), None)
        if part is None:
            return None
        price = format_range(part.price, self.knowledge.clinic.currency)
        noted = f"{part.name}, {price}, is one of the parts, and the {self._total_phrase(intent)}"
        return self.text("price_part_included", turn, noted=noted)

    def part_separate(self, intent: str, other: str, turn: int) -> str:
        """ "does the cleaning include whitening?": no, and what each costs on its own."""
        noted = (
            f"{self.label(other)} isn't part of it: the {self._total_phrase(other)}, on its own, "
            f"and the {self._total_phrase(intent)}"
        )
        return self.text("price_part_separate", turn, noted=noted)

    def insured_price(self, intent: str, turn: int, age: float | None = None) -> str:
        """ "what would i pay after insurance?": the full price, and how the plan pays back."""
        noted = f"The {self._total_phrase(intent, age)}"
        return self.text("answer_insurance_price", turn, noted=noted)

    def total(self, intent: str) -> PriceRange:
        """The service's full price for one tooth, every part included."""
        return self._quote(intent).total

    def part_names(self, intent: str) -> list[str]:
        """The names of the parts a service's price is made of."""
        return [part.name for part in self._quote(intent).parts]

    def _free_answer(self, intent: str, turn: int) -> str:
        if self._quote(intent).total.high == 0:
            return self.text("price_free", turn)
        return self.text("price_not_free", turn, noted=self._total_phrase(intent))

    def has_facets(self, intent: str) -> bool:
        """Whether follow-ups about this service can be answered."""
        return intent in self.knowledge.facet_replies

    def facet(
        self, service: str, facet: str, turn: int, asked: str = "", age: float | None = None
    ) -> str | None:
        """A service's answer to one facet ("how long", "does it hurt"), priced from the data.

        Of the wordings, the one that speaks of what was `asked` ("can I smoke?": the one that
        mentions smoking) wins; otherwise they rotate.
        """
        wordings = self.knowledge.facet_replies.get(service, {}).get(facet)
        if not wordings:
            return None
        if facet == "safety" and _ASKED_AS_HARM.search(asked):
            # "is whitening bad for enamel?": a wording opening "Yes, ..." would say it is
            wordings = [w for w in wordings if not _OPENS_YES.match(w)] or wordings
        return self._filled(pick_for(wordings, turn, asked), service, age)

    def facet_speaking_of(self, service: str, facet: str, asked: str) -> str | None:
        """The one wording of a service's facet that speaks of what was `asked` ("can I
        smoke?": the one that mentions smoking), or None if none does."""
        wordings = self.knowledge.facet_replies.get(service, {}).get(facet) or []
        wanted = _telling_words(asked)
        shared = [len(wanted & _telling_words(wording)) for wording in wordings]
        if not shared or not max(shared) or shared.count(max(shared)) != 1:
            return None
        return self._filled(wordings[shared.index(max(shared))], service)

    def _filled(self, wording: str, service: str, age: float | None = None) -> str:
        """A service's wording with its placeholders filled; the quote is worked out only for
        a wording that shows it ("does it hurt" needs none). The warranty periods are the
        service's own line when the clinic lists one for it ("Implants: 10 years ...")."""
        facts = self.facts if not _PRICE_FIELDS.search(wording) else self._priced(service, age)
        if "{warranty_terms}" in wording and (own := self._own_warranty(service)):
            facts = {**facts, "warranty_terms": own}
        return wording.format_map(facts)

    def _own_warranty(self, service: str) -> str:
        """The warranty line whose service names this one ("Crowns" for crowns), if one does."""

        def stem(word: str) -> str:
            return word.lower().strip("(),").removesuffix("s")

        names = {stem(word) for word in self.knowledge.topic_words.get(service, ())}
        found = [
            term
            for term in self.knowledge.clinic.warranty.terms
            if names & {stem(word) for word in term.service.split()}
        ]
        return f"• {found[0].service}: {found[0].period}" if len(found) == 1 else ""

    def _priced(self, service: str, age: float | None = None, teeth: int = 1) -> dict[str, str]:
        """The clinic facts plus the service's itemised parts and total, from clinic.yaml,
        with the discounts the clinic set for a patient of this age taken off."""
        clinic = self.knowledge.clinic
        quote = with_discounts(self._quote(service, teeth), clinic.discounts, age)
        return self._with_prices(quote)

    def _with_prices(self, quote: BundleQuote) -> dict[str, str]:
        """The clinic facts plus a quote's itemised parts and total, as a patient reads them."""
        currency = self.knowledge.clinic.currency
        return {
            **self.facts,
            "parts": format_parts(quote, currency),
            "total": format_range(quote.total, currency),
        }

    def shared_parts(self, bundle: str, service: str) -> list[str]:
        """The parts a bundle of clinic.yaml and a service's bundle both hold (paid once)."""
        knowledge = self.knowledge
        theirs = set(knowledge.bundles[bundle].parts)
        ours = knowledge.bundles[knowledge.services[service].bundle].parts
        return [knowledge.components[part].name for part in ours if part in theirs]

    def bundle_text(self, key: str, bundle: str, turn: int = 0) -> str:
        """A conversation reply quoting a bundle of clinic.yaml ("how much is an urgent visit")."""
        quote = quote_bundle(self.knowledge.bundles[bundle], self.knowledge.components)
        return pick(self.knowledge.replies[key], turn).format_map(self._with_prices(quote))

    def is_medical(self, service: str, facet: str) -> bool:
        """Whether only a doctor can answer this (pregnancy, medicines...)."""
        return f"{service}.{facet}" in self.knowledge.medical_facets

    def text(self, key: str, turn: int = 0, **extra: str) -> str:
        """A practical or conversation reply by key."""
        return pick(self.knowledge.replies[key], turn).format_map({**self.facts, **extra})

    def offers_for(self, intent: str, today: dt.date) -> list[Offer]:
        """Active offers attached to an intent."""
        return [
            offer
            for offer in self.knowledge.offers
            if intent in offer.intents and offer.is_active(today)
        ]
