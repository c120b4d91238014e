"""Options weighed against each other: each fairly, with its full price, and no push."""

from __future__ import annotations

from decimal import Decimal

from bot.core import Brain, FrontDesk, HandoffOpened, OfferShown, Outcome
from bot.pricing import format_range, quote_bundle, quote_together
from bot.replies import pick

PATIENT = "console:ines"


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def total(brain: Brain, service: str) -> str:
    """The service's full bundled price, as the clinic's data works it out."""
    knowledge = brain.knowledge
    bundle = knowledge.bundles[knowledge.services[service].bundle]
    quote = quote_bundle(bundle, knowledge.components)
    return format_range(quote.total, knowledge.clinic.currency)


def facet_wordings(brain: Brain, service: str, facet: str) -> list[str]:
    """Every wording of a service's facet, as a patient reads it."""
    wordings = brain.knowledge.facet_replies[service][facet]
    return [brain.replies.facet(service, facet, turn) or "" for turn in range(len(wordings))]


def opens_a_weighing(brain: Brain, text: str) -> bool:
    """Whether the reply opens the way a weighing of options does."""
    return any(
        text.startswith(pick(brain.knowledge.replies["weigh_opening"], turn))
        for turn in range(len(brain.knowledge.replies["weigh_opening"]))
    )


async def test_which_is_better_gives_each_option_with_its_full_price(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "whats better, a bridge or an implant?")
    reply = said(outcome)
    assert opens_a_weighing(brain, reply)
    assert total(brain, "bridges") in reply and total(brain, "implants") in reply
    for service in ("bridges", "implants"):
        assert any(offer[:60] in reply for offer in brain.knowledge.services[service].offer)
    assert reply.rstrip().endswith("?")  # one question about the patient's real problem
    assert not any(isinstance(effect, OfferShown) for effect in outcome.effects)
    assert outcome.answered == ["bridges", "implants"]


async def test_a_comparative_asks_the_same_fact_of_each_option(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "root canal or extraction, which hurts more?")
    reply = said(outcome)
    assert any(text in reply for text in facet_wordings(brain, "root_canal", "pain"))
    assert any(text in reply for text in facet_wordings(brain, "extraction", "pain"))


async def test_which_one_after_weighing_means_both_options(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "should I do veneers or just whitening?")
    outcome = await front_desk.handle_text(PATIENT, "which one lasts longer")
    reply = said(outcome)
    assert any(text in reply for text in facet_wordings(brain, "veneers", "longevity"))
    assert any(text in reply for text in facet_wordings(brain, "whitening", "longevity"))


async def test_full_and_partial_dentures_are_two_options(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "what's the difference between full and partial dentures?"
    )
    reply = said(outcome)
    assert total(brain, "dentures") in reply and total(brain, "partial_denture") in reply
    assert outcome.answered == ["dentures", "partial_denture"]


async def test_asking_whether_we_do_either_is_no_weighing(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "do you do implants or bridges?")
    assert not opens_a_weighing(brain, said(outcome))


async def test_which_one_with_nothing_weighed_before_is_no_weighing(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "how much is a crown?")
    outcome = await front_desk.handle_text(PATIENT, "which one is better?")
    assert not opens_a_weighing(brain, said(outcome))


async def test_the_same_fact_of_the_two_just_weighed_is_asked_of_each(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "should i get a crown or a filling on that molar?")
    longer = await front_desk.handle_text(PATIENT, "which lasts longer")
    for service in ("crowns", "filling"):  # each one's own words (the warranty list is shared)
        wordings = facet_wordings(brain, service, "longevity")
        assert any(text.split(". ")[0] in said(longer) for text in wordings)
    prices = await front_desk.handle_text(PATIENT, "whats the price difference between the two")
    assert total(brain, "crowns") in said(prices) and total(brain, "filling") in said(prices)


async def test_numbing_and_sedation_weighed_by_their_british_names(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "Local anaesthetic vs IV sedation, which costs more?"
    )
    assert outcome.answered == ["anesthesia", "sedation"]
    assert total(brain, "sedation") in said(outcome)


async def test_the_first_option_named_is_the_subject_after_weighing(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(
        PATIENT, "the dentist suggested sealants for my son. is that better than fillings later?"
    )
    outcome = await front_desk.handle_text(PATIENT, "does it hurt?")
    assert said(outcome) in facet_wordings(brain, "sealants", "pain")


async def test_the_other_option_s_price_after_weighing_is_its_price_not_its_script_again(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "braces or aligners, which do you recommend?")
    outcome = await front_desk.handle_text(PATIENT, "ok how much are aligners")
    assert (outcome.intent, outcome.facet) == ("aligners", "price")
    assert total(brain, "aligners") in said(outcome)


async def test_deciding_between_a_kind_and_its_narrower_kind_weighs_both(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "We are trying to decide between traditional braces and clear aligners. "
        "Which would you suggest for a teenager?",
    )
    assert outcome.answered == ["orthodontics", "aligners"]


async def test_an_option_chosen_before_a_question_is_what_the_question_is_about(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "should I do veneers or just whitening?")
    outcome = await front_desk.handle_text(
        PATIENT, "ok whitening then. does it make ur teeth sensitive"
    )
    assert (outcome.intent, outcome.facet) == ("whitening", "safety")
    await front_desk.handle_text(PATIENT, "bridge or implant, whats better")
    price = await front_desk.handle_text(
        PATIENT, "ok leaning to implant. how much for the one tooth"
    )
    assert (price.intent, price.facet) == ("implants", "price")


async def test_a_bare_choice_between_two_treatments_is_weighed(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "bridge or partial denture?")
    assert opens_a_weighing(brain, said(outcome))
    assert outcome.answered == ["bridges", "partial_denture"]


async def test_each_compared_treatment_s_own_warranty_period_is_listed_once(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "should i get a crown or a filling?")
    outcome = await front_desk.handle_text(PATIENT, "which one lasts longer")
    reply = said(outcome)
    for term in brain.knowledge.clinic.warranty.terms:
        own = term.service in ("Fillings", "Crowns")  # the two compared, not the implants'
        assert reply.count(f"• {term.service}: {term.period}") == (1 if own else 0)
    lines = reply.splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        assert not line.endswith(":") or following.startswith("•"), line  # no empty heading


async def test_numbing_or_sleep_for_a_treatment_weighs_the_two_and_keeps_the_treatment(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my 6 yr old needs a baby tooth pulled, would you just numb it or put him to sleep?",
    )
    assert outcome.answered == ["anesthesia", "sedation"]
    assert total(brain, "sedation") in said(outcome)
    how_long = await front_desk.handle_text(PATIENT, "how long does it take")
    assert (how_long.intent, how_long.facet) == ("extraction", "duration")


async def test_when_the_tooth_came_out_told_after_weighing_is_an_answer_not_a_complaint(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(
        PATIENT, "bridge vs implant for a missing premolar, pros and cons?"
    )
    outcome = await front_desk.handle_text(PATIENT, "it was pulled 3 weeks ago")
    assert outcome.route == "AnswerToQuestion"
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_will_one_help_or_do_i_need_the_other_weighs_the_two(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "my teeth are yellow from coffee. will a cleaning help or do i need whitening"
    )
    assert outcome.route == "Weighed"
    assert outcome.answered == ["hygiene", "whitening"]


async def test_the_price_of_the_other_option_asked_by_its_name_is_its_price(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "partial denture or bridge for 1 missing tooth?")
    await front_desk.handle_text(PATIENT, "lower left back")
    await front_desk.handle_text(PATIENT, "bridge price")
    outcome = await front_desk.handle_text(PATIENT, "partial price")
    assert (outcome.intent, outcome.facet) == ("partial_denture", "price")
    assert total(brain, "partial_denture") in said(outcome)


async def test_the_treatment_talked_about_is_weighed_against_one_named_after_than(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers?")
    outcome = await front_desk.handle_text(PATIENT, "is it better than whitening?")
    reply = said(outcome)
    assert opens_a_weighing(brain, reply)
    assert total(brain, "veneers") in reply and total(brain, "whitening") in reply
    assert outcome.answered == ["veneers", "whitening"]


async def test_a_treatment_added_to_the_one_talked_about_is_not_weighed_against_it(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "do you do veneers?")
    outcome = await front_desk.handle_text(PATIENT, "is it better to do whitening first?")
    assert not opens_a_weighing(brain, said(outcome))


async def test_a_missing_tooth_and_what_can_be_done_weighs_every_way_to_replace_it(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(PATIENT, "i have a missing tooth, what are my options?")
    assert opens_a_weighing(brain, said(outcome))
    assert outcome.answered == ["implants", "bridges", "partial_denture"]
    assert all(total(brain, name) in said(outcome) for name in outcome.answered)


async def test_most_teeth_missing_puts_the_dentures_first(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT, "im 67 and missing most of my bottom teeth, what can i do"
    )
    assert opens_a_weighing(brain, said(outcome))
    assert outcome.answered[0] == "dentures"


async def test_the_cheapest_option_after_a_weighing_is_the_one_that_costs_least(
    front_desk: FrontDesk, brain: Brain
) -> None:
    def middle(service: str) -> Decimal:
        knowledge = brain.knowledge
        bundle = knowledge.bundles[knowledge.services[service].bundle]
        price = quote_bundle(bundle, knowledge.components).total
        return price.low + price.high

    await front_desk.handle_text(
        PATIENT, "im 67 and missing most of my bottom teeth, what can i do"
    )
    outcome = await front_desk.handle_text(PATIENT, "how much would the cheapest option be")
    cheapest = min(["dentures", "partial_denture"], key=middle)
    assert outcome.intent == cheapest and total(brain, cheapest) in said(outcome)


async def test_the_cheaper_one_pointed_at_before_a_question_is_the_subject_of_it(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "whats better, a bridge or an implant?")
    outcome = await front_desk.handle_text(PATIENT, "the cheaper one, how long does it take")
    prices = {
        name: quote_bundle(
            brain.knowledge.bundles[brain.knowledge.services[name].bundle],
            brain.knowledge.components,
        ).total
        for name in ("bridges", "implants")
    }
    cheaper = min(prices, key=lambda name: prices[name].low + prices[name].high)
    assert (outcome.intent, outcome.facet) == (cheaper, "duration")


async def test_how_much_is_each_after_a_weighing_prices_each_option(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "whats better braces or invisalign")
    outcome = await front_desk.handle_text(PATIENT, "how much is each")
    assert sorted(outcome.answered) == ["aligners", "orthodontics"]
    assert total(brain, "aligners") in said(outcome)
    assert total(brain, "orthodontics") in said(outcome)


async def test_asked_to_pick_the_bot_says_honestly_the_doctor_decides_and_offers_a_visit(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "hi, i have a gap where i lost a molar last year")
    outcome = await front_desk.handle_text(PATIENT, "which one would you pick if it was you")
    wordings = brain.knowledge.replies["weigh_pick"]
    assert outcome.messages[0].text.split("\n\n")[0] in wordings
    assert "$" not in said(outcome)  # no quote again, and no person called in
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)
    assert "which days" in said(outcome).lower()  # the tooth is known: the consultation next


async def test_asked_what_we_recommend_about_one_treatment_the_problem_is_asked_first(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(PATIENT, "what are crowns made of")
    outcome = await front_desk.handle_text(PATIENT, "what would you recommend?")
    assert outcome.intent == "crowns"
    assert outcome.messages[0].text.split("\n\n")[0] in brain.knowledge.replies["weigh_pick"]


async def test_the_difference_between_the_two_talked_about_weighs_them_not_off_topic(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "do you do whitening")
    await front_desk.handle_text(PATIENT, "is the home kit cheaper")
    outcome = await front_desk.handle_text(PATIENT, "whats the difference in results")
    assert set(outcome.answered) == {"whitening", "take_home_whitening"}
    assert "dental clinic" not in said(outcome)


async def test_whether_it_will_be_one_treatment_or_another_weighs_both(
    front_desk: FrontDesk,
) -> None:
    await front_desk.handle_text(PATIENT, "i have a broken tooth")
    outcome = await front_desk.handle_text(
        PATIENT, "can it just be filled or does it need a crown, she doesnt want anything big"
    )
    assert set(outcome.answered) == {"filling", "crowns"}
    other = await front_desk.handle_text("console:other", "is it a filling or a crown i need")
    assert set(other.answered) == {"filling", "crowns"}


async def test_options_weighed_after_the_problem_was_told_offer_the_visit_not_the_question(
    front_desk: FrontDesk, brain: Brain
) -> None:
    await front_desk.handle_text(
        PATIENT, "hello my son is 13 and his teeth are really crooked, what are the options"
    )
    outcome = await front_desk.handle_text(
        PATIENT, "braces or aligners, which would you recommend for a 13 year old"
    )
    questions = brain.knowledge.services["orthodontics"].question
    assert not any(question in said(outcome) for question in questions)
    assert "crooked teeth" in said(outcome)


async def test_a_gap_where_a_tooth_was_taken_out_and_what_can_go_there_weighs_the_ways(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "theres a gap bottom left where a tooth was taken out and food gets stuck there every"
        " meal. can something go in there",
    )
    assert set(outcome.answered) == {"implants", "bridges", "partial_denture"}


async def test_two_paths_of_two_treatments_each_are_weighed_with_each_path_s_total(
    front_desk: FrontDesk, brain: Brain
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "my dentist gave me 2 options, root canal plus crown or pull it and get an implant."
        " what would u do",
    )
    assert outcome.route == "Weighed"
    assert outcome.answered == ["root_canal", "implants"]
    reply = said(outcome)
    knowledge = brain.knowledge
    for path in (("root_canal", "crowns"), ("extraction", "implants")):
        bundles = [(knowledge.bundles[knowledge.services[name].bundle], 1) for name in path]
        total = quote_together(bundles, knowledge.components).total
        assert format_range(total, knowledge.clinic.currency) in reply, path  # the crown too
    later = await front_desk.handle_text(PATIENT, "and which one lasts longer")
    assert set(later.answered) == {"root_canal", "implants"}


async def test_a_treatment_turned_down_on_price_gets_the_other_ways_not_an_apology(
    front_desk: FrontDesk,
) -> None:
    outcome = await front_desk.handle_text(
        PATIENT,
        "ive lost a few back teeth over the years and chewing is hard now. implants are way too"
        " expensive for me, is there anything else?",
    )
    assert outcome.route == "Weighed"
    assert "implants" not in outcome.answered and "partial_denture" in outcome.answered
    assert not any(isinstance(effect, HandoffOpened) for effect in outcome.effects)


async def test_metal_clips_name_the_partial_denture(brain: Brain) -> None:
    assert brain.facets.names_topics("would the metal clips show when i smile") == [
        "partial_denture"
    ]
