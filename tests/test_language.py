"""A message in a language the assistant doesn't read: one note, in both languages, and a case."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import Brain, FrontDesk, HandoffOpened, Outcome
from bot.core.flows.language import LANGUAGE
from bot.language import CODES, foreign_language
from bot.loader import Knowledge
from bot.store import Store
from bot.telegram.casework import REASON_LABELS

PATIENT = "console:idioma"
DATA = Path(__file__).parent / "data"
CLINIC_ZONE = ZoneInfo("America/New_York")
#: A Tuesday morning, and a Sunday night, at the demo clinic.
OPEN_HOUR = dt.datetime(2026, 11, 24, 10, 0, tzinfo=CLINIC_ZONE).astimezone(dt.UTC)
CLOSED_HOUR = dt.datetime(2026, 11, 29, 23, 0, tzinfo=CLINIC_ZONE).astimezone(dt.UTC)
ENGLISH_NOTE = "only read English"
#: A typical first message in each language the assistant recognises.
FIRST_MESSAGES = {
    "es": "hola, necesito una cita para una limpieza",
    "ru": "здравствуйте, у меня болит зуб, можно записаться?",
    "uk": "добрий день, хочу записатися до лікаря",
    "zh": "我牙疼，可以预约吗？",
    "ja": "歯が痛いです。予約したいです",
    "ko": "안녕하세요, 이가 아파요",
    "ar": "مرحبا، أريد موعدا لتنظيف الأسنان",
    "fr": "bonjour, je voudrais un rendez-vous",
    "de": "Guten Tag, ich brauche einen Termin",
    "pt": "olá, estou com dor de dente",
    "it": "buongiorno, vorrei prenotare una visita",
    "pl": "dzień dobry, boli mnie ząb",
    "vi": "xin chào, tôi bị đau răng",
    "fil": "magandang umaga, masakit ang ngipin ko",
}
#: English as patients write it: typos, dental terms, names, numbers, emoji, one-word replies.
ENGLISH = [
    "ok",
    "okay 👍",
    "👍👍",
    "ok ty",
    "si si",
    "how mutch is a crwon",
    "toothe ache pls hlep",
    "appt pls",
    "periodontitis gingivitis",
    "invisalign price",
    "do u do implante",
    "Agnieszka Kowalczyk",
    "José García",
    "my name is Agnieszka Kowalczyk",
    "Anna Kowalska, it's just for a first consult. 9:30 ok?",
    "Dr Santos on saturday?",
    "Señor Martínez here, about my appointment",
    "123 456",
    "+1 413 555 0100",
    "9:30 ok?",
    "hola, how much is a cleaning?",
    "okay got it",
]


def said(outcome: Outcome) -> str:
    """Everything the bot said in one turn."""
    return "\n".join(message.text for message in outcome.messages)


def cases_opened(outcome: Outcome) -> list[str]:
    """The reasons of the cases a turn opened."""
    return [effect.reason for effect in outcome.effects if isinstance(effect, HandoffOpened)]


def english_lines(name: str) -> list[str]:
    """The patient messages of a test set (all written in English)."""
    with (DATA / name).open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


@pytest.fixture
def desk_open(brain: Brain, store: Store) -> FrontDesk:
    """The core during opening hours."""
    return FrontDesk(brain, store, clock=lambda: OPEN_HOUR)


@pytest.fixture
def desk_closed(brain: Brain, store: Store) -> FrontDesk:
    """The core on a Sunday night."""
    return FrontDesk(brain, store, clock=lambda: CLOSED_HOUR)


async def test_a_spanish_message_gets_one_note_in_english_and_spanish_and_one_case(
    desk_open: FrontDesk, store: Store
) -> None:
    outcome = await desk_open.handle_text(PATIENT, FIRST_MESSAGES["es"])
    assert len(outcome.messages) == 1
    assert ENGLISH_NOTE in said(outcome) and "solo puedo leer mensajes en inglés" in said(outcome)
    assert "shortly" in said(outcome)
    assert cases_opened(outcome) == [LANGUAGE]
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    assert len(await store.cases.cases_of(patient.id)) == 1


async def test_a_russian_message_at_night_names_the_opening_and_opens_one_case(
    desk_closed: FrontDesk, store: Store
) -> None:
    outcome = await desk_closed.handle_text(PATIENT, FIRST_MESSAGES["ru"])
    reply = said(outcome)
    assert len(outcome.messages) == 1
    assert ENGLISH_NOTE in reply and "только сообщения на английском" in reply
    assert "tomorrow at 08:00" in reply and "shortly" not in reply
    assert cases_opened(outcome) == [LANGUAGE]
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    assert len(await store.cases.cases_of(patient.id)) == 1


async def test_the_staff_see_the_message_and_its_language(
    desk_open: FrontDesk, store: Store
) -> None:
    await desk_open.handle_text(PATIENT, FIRST_MESSAGES["es"])
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    kept = await store.conversations.recent_messages(patient.id)
    assert [m.text for m in kept if m.direction == "in"] == [FIRST_MESSAGES["es"]]
    assert (await store.state.load(patient.id)).details == {"language": "Spanish"}
    assert LANGUAGE in REASON_LABELS


async def test_a_second_message_goes_to_the_person_without_another_note(
    desk_open: FrontDesk, store: Store
) -> None:
    await desk_open.handle_text(PATIENT, FIRST_MESSAGES["es"])
    outcome = await desk_open.handle_text(PATIENT, "¿a qué hora abren mañana?")
    assert outcome.messages == []
    assert cases_opened(outcome) == []
    patient = await store.patients.find(PATIENT)
    assert patient is not None
    assert len(await store.cases.cases_of(patient.id)) == 1


@pytest.mark.parametrize(("code", "message"), FIRST_MESSAGES.items())
def test_each_recognised_language_is_told_apart(code: str, message: str) -> None:
    spoken = foreign_language(message)
    assert spoken is not None and spoken.code == code


def test_every_recognised_language_has_its_note(knowledge: Knowledge) -> None:
    assert set(FIRST_MESSAGES) == set(CODES)
    for code in CODES:
        note = knowledge.replies[f"language_{code}"][0]
        assert "{" not in note and note.strip()


@pytest.mark.parametrize("message", ENGLISH)
async def test_english_never_gets_the_note(desk_open: FrontDesk, message: str) -> None:
    assert foreign_language(message) is None
    outcome = await desk_open.handle_text(PATIENT, message)
    assert ENGLISH_NOTE not in said(outcome)
    assert LANGUAGE not in cases_opened(outcome)


@pytest.mark.parametrize("name", ["fresh_set.jsonl", "holdout_set.jsonl"])
def test_no_english_line_of_the_test_sets_is_taken_for_another_language(name: str) -> None:
    lines = english_lines(name)
    taken = [line for line in lines if foreign_language(line) is not None]
    assert len(lines) > 200
    assert taken == []


@pytest.mark.parametrize("message", ["hola", "gracias", "merci", "danke"])
def test_a_single_foreign_word_is_no_reason_for_a_note(message: str) -> None:
    assert foreign_language(message) is None
