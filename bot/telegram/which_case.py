"""Which case a staff command is about: the number it names, or the case message it answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import Message

from bot.store import HandoffCase
from bot.telegram.arguments import ArgumentProblem, close_arguments
from bot.telegram.runtime import Runtime

# staff.case_of, passed in: this module is imported by staff.py and cannot import it back.
RepliedCase = Callable[[Runtime, Message], Awaitable[int | None]]


async def tell(runtime: Runtime, message: Message, text: str) -> None:
    """Answer a staff command in the staff chat, in reply to it."""
    await runtime.courier.send(
        message.chat_id, text, "staff_note", reply_to_message_id=message.message_id
    )


async def named_case(
    runtime: Runtime,
    message: Message,
    case_id: int | None,
    replied: RepliedCase,
    unnamed: str,
) -> HandoffCase | None:
    """The existing case named by number, else the one replied to; else None, once told why."""
    if case_id is None:
        case_id = await replied(runtime, message)
        if case_id is None:
            await tell(runtime, message, unnamed)
            return None
    case = await runtime.store.cases.get(case_id)
    if case is None:
        await tell(runtime, message, f"There is no case #{case_id}; /cases lists the open ones.")
    return case


async def case_to_close(
    runtime: Runtime, message: Message, arguments: Sequence[str], replied: RepliedCase
) -> int | None:
    """/close [#12]: the number of an existing case, or None once the staff chat was told why."""
    try:
        case_id = close_arguments(arguments)
    except ArgumentProblem as problem:
        await tell(runtime, message, str(problem))
        return None
    case = await named_case(
        runtime,
        message,
        case_id,
        replied,
        "Which case? Reply /close to a case message, or write /close #12.",
    )
    return case.id if case is not None else None
