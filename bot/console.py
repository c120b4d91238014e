"""The console adapter: a chat with the demo clinic in the terminal, or from a pipe."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.core import (
    BookingChanged,
    BookingRequested,
    FrontDesk,
    HandoffOpened,
    Outcome,
    RelayedToStaff,
)

BOOKING_CHANGES = {
    "accepted": "the patient accepted the proposed time",
    "another_time": "the patient asked for another time",
    "cancelled": "the patient cancelled it",
    "replaced": "the patient sent a newer request in its place",
}


def render(outcome: Outcome) -> list[str]:
    """The lines the console prints for an outcome."""
    lines: list[str] = []
    for message in outcome.messages:
        lines.append(f"bot: {message.text}")
        for number, choice in enumerate(message.choices, start=1):
            lines.append(f"  {number}. {choice.label}")
    for effect in outcome.effects:
        if isinstance(effect, HandoffOpened):
            lines.append(
                f"[handed over to the front desk: case #{effect.case_id}, reason: {effect.reason}]"
            )
        elif isinstance(effect, RelayedToStaff):
            lines.append(f"[passed to the administrator on case #{effect.case_id}]")
        elif isinstance(effect, BookingRequested):
            urgent = " (urgent)" if effect.urgency == "urgent" else ""
            lines.append(f"[booking request #{effect.request_id}{urgent} sent to the front desk]")
        elif isinstance(effect, BookingChanged):
            change = BOOKING_CHANGES.get(effect.what, effect.what)
            lines.append(f"[booking request #{effect.request_id}: {change}]")
    return lines


async def _read_line(stream: TextIO) -> str:
    return await asyncio.to_thread(stream.readline)


async def run_console(
    front_desk: FrontDesk,
    patient_id: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Chat until EOF; `/close` plays the administrator handing the patient back."""
    interactive = stdin.isatty()
    external_id = f"console:{patient_id}"
    if interactive:
        print("Chat with the demo clinic. Type a message; Ctrl-D to quit.", file=stdout)
        print("(`/close` plays the administrator handing a case back.)", file=stdout)
    while True:
        if interactive:
            print("you> ", end="", file=stdout, flush=True)
        line = await _read_line(stdin)
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        if not interactive:
            print(f"you: {text}", file=stdout)
        if text == "/close":
            print(await _close_case(front_desk, external_id), file=stdout)
            continue
        async with front_desk.store.unit_of_work():
            outcome = await front_desk.handle_text(external_id, text)
        if front_desk.store.database.checkpoint_wanted:
            await front_desk.store.database.checkpoint()
        for rendered in render(outcome):
            print(rendered, file=stdout)
        stdout.flush()


async def _close_case(front_desk: FrontDesk, external_id: str) -> str:
    patient = await front_desk.store.patients.find(external_id)
    case = await front_desk.store.cases.open_for_patient(patient.id) if patient else None
    if case is None:
        return "[no open case]"
    await front_desk.store.cases.close(case.id, None)
    return f"[case #{case.id} closed]\nbot: {front_desk.brain.replies.text('handback')}"
