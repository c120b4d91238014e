"""In-process fake Telegram Bot API server for running the real python-telegram-bot in tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Self, TypeVar

from aiohttp import web

JSONDict = dict[str, Any]
T = TypeVar("T")

DEFAULT_TOKEN = "123456789:TEST-fake_token"
TOKEN_PATTERN = re.compile(r"\d+:[\w-]+")

SEND_METHODS = frozenset({"sendMessage", "copyMessage", "forwardMessage"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})
# Methods that target a chat and therefore fail with 403 when that chat is blocked.
BLOCKABLE_METHODS = SEND_METHODS | EDIT_METHODS | {"sendChatAction"}

# Telegram counts these limits in UTF-16 code units (an emoji outside the BMP counts 2).
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Parameters the Bot API types as String: never JSON-decoded even if they look like numbers.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "name",
        "title",
        "description",
        "short_description",
        "action",
        "secret_token",
        "ip_address",
        "language_code",
        "icon_custom_emoji_id",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "first_name",
        "last_name",
    }
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: simulated failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class BotApiError(Exception):
    """A Bot API error response (ok=false) with its HTTP/error code."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        """Store the error code, description and optional ResponseParameters."""
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSONDict:
        """Return the JSON body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class UploadedFile:
    """A file part received in a multipart/form-data request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class CallRecord:
    """One Bot API request as received, successful or not."""

    method: str
    params: JSONDict
    token: str
    http_method: str = "POST"
    ok: bool = True
    error_code: int | None = None
    description: str | None = None
    result: Any = None


#: Message fields that a copy or forward does not take over from its source.
_NOT_COPIED = frozenset(
    {
        "message_id",
        "from",
        "date",
        "chat",
        "reply_to_message",
        "reply_markup",
        "edit_date",
        "forward_origin",
        "message_thread_id",
        "is_topic_message",
    }
)


@dataclass
class SentRecord:
    """One successful message-producing (send/copy/forward) or message-editing call."""

    method: str
    chat_id: int
    text: str | None
    reply_markup: JSONDict | None
    reply_to_message_id: int | None
    message_id: int
    params: JSONDict
    message_thread_id: int | None = None
    parse_mode: str | None = None
    plain_text: str | None = None
    message: JSONDict = field(default_factory=dict)
    #: When the fake accepted the call (time.monotonic()), to measure how long a user waited.
    at: float = field(default_factory=time.monotonic)

    @property
    def is_edit(self) -> bool:
        """Whether this record is an edit of an existing message."""
        return self.method in EDIT_METHODS

    @property
    def buttons(self) -> list[list[str]]:
        """Button labels of the inline or reply keyboard, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else str(b.get("text", "")) for b in r] for r in rows]

    @property
    def callback_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [str(b["callback_data"]) for r in rows for b in r if "callback_data" in b]


@dataclass
class _FailRule:
    """A queued failure for the next calls of one method."""

    code: int
    description: str
    retry_after: int | None
    remaining: int


@dataclass
class _ChatFailRule:
    """A queued failure for the next calls that target one chat."""

    chat_id: int
    methods: frozenset[str]
    code: int
    description: str
    retry_after: int | None
    remaining: int | None  # None: until clear_failures()


@dataclass
class _RandomFailures:
    """Configuration for random failures of some methods."""

    methods: frozenset[str]
    rate: float
    codes: tuple[int, ...]
    retry_after: int
    rng: random.Random


@dataclass
class _Queued:
    """An update waiting in the getUpdates queue."""

    update: JSONDict
    forced: bool = False

    @property
    def update_id(self) -> int:
        """The update's update_id."""
        return int(self.update["update_id"])


def _update_type(update: JSONDict) -> str | None:
    """Return the update's payload key (message, callback_query, ...)."""
    return next((k for k in update if k != "update_id"), None)


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (2 for a character outside the BMP)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    """Return the UTF-8 byte offset of a character index."""
    return len(text[:index].encode())


class _TelegramHtmlParser(HTMLParser):
    """Validate Telegram's HTML subset and collect the plain text."""

    TAGS = frozenset(
        {
            "b",
            "strong",
            "i",
            "em",
            "u",
            "ins",
            "s",
            "strike",
            "del",
            "a",
            "code",
            "pre",
            "span",
            "tg-spoiler",
            "tg-emoji",
            "blockquote",
        }
    )

    def __init__(self, source: str) -> None:
        """Prepare to parse ``source``."""
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.error: str | None = None

    def _offset(self) -> int:
        """Byte offset of the construct currently being parsed."""
        line, col = self.getpos()
        return _byte_offset(self.source, self.line_starts[line - 1] + col)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Push a supported tag or record an error."""
        if self.error:
            return
        if tag not in self.TAGS or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            self.error = f'Unsupported start tag "{tag}" at byte offset {self._offset()}'
        else:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing tags (e.g. <br/>) are not supported by Telegram."""
        if not self.error:
            self.error = f'Unsupported start tag "{tag}" at byte offset {self._offset()}'

    def handle_endtag(self, tag: str) -> None:
        """Pop the matching tag or record an error."""
        if self.error:
            return
        if not self.stack:
            self.error = f"Unexpected end tag at byte offset {self._offset()}"
        elif self.stack[-1] != tag:
            expected = self.stack[-1]
            self.error = (
                f"Unmatched end tag at byte offset {self._offset()}, "
                f'expected "</{expected}>", found "</{tag}>"'
            )
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        """Collect visible text."""
        self.parts.append(data)


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_ENTITY_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "[": "TextUrl",
}


def _render_markdown_v2(text: str) -> str:
    """Approximately validate MarkdownV2 like Telegram does and return the plain text."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)

    def fail(message: str) -> BotApiError:
        return BotApiError(400, f"Bad Request: can't parse entities: {message}")

    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n and 1 <= ord(text[i + 1]) <= 126:
                out.append(text[i + 1])
                i += 2
                continue
            raise fail("Character '\\' is reserved and must be escaped with the preceding '\\'")
        if c == "`":
            fence = "```" if text.startswith("```", i) else "`"
            j = i + len(fence)
            body: list[str] = []
            while j < n and not text.startswith(fence, j):
                if text[j] == "\\" and j + 1 < n:
                    body.append(text[j + 1])
                    j += 2
                else:
                    body.append(text[j])
                    j += 1
            if j >= n:
                name = "Pre" if fence == "```" else "Code"
                offset = _byte_offset(text, i)
                raise fail(f"Can't find end of {name} entity at byte offset {offset}")
            content = "".join(body)
            if fence == "```" and "\n" in content:
                content = content.split("\n", 1)[1]  # drop the language line
            out.append(content)
            i = j + len(fence)
            continue
        if c in "*_~|":
            delim = "__" if text.startswith("__", i) else "||" if text.startswith("||", i) else c
            if delim == "|":
                raise fail("Character '|' is reserved and must be escaped with the preceding '\\'")
            if stack and stack[-1][0] == delim:
                stack.pop()
            else:
                stack.append((delim, i))
            i += len(delim)
            continue
        if c == "[" or (c == "!" and text.startswith("![", i)):
            stack.append(("[", i))
            i += 1 if c == "[" else 2
            continue
        if c == "]" and stack and stack[-1][0] == "[":
            stack.pop()
            if not text.startswith("(", i + 1):
                raise fail("Character ']' is reserved and must be escaped with the preceding '\\'")
            j = i + 2
            while j < n and text[j] != ")":
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise fail(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
            i = j + 1
            continue
        at_line_start = i == 0 or text[i - 1] == "\n"
        if c == ">" and at_line_start:
            i += 1
            continue
        if c in _MDV2_RESERVED:
            raise fail(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        out.append(c)
        i += 1
    if stack:
        delim, pos = stack[-1]
        name = _MDV2_ENTITY_NAMES.get(delim, "Bold")
        raise fail(f"Can't find end of {name} entity at byte offset {_byte_offset(text, pos)}")
    return "".join(out)


def render_text(text: str, parse_mode: str | None, *, validate: bool = True) -> str:
    """Return the plain text Telegram would show, raising BotApiError on markup errors."""
    mode = (parse_mode or "").lower()
    if not validate or mode not in ("html", "markdownv2"):
        return text
    if mode == "markdownv2":
        return _render_markdown_v2(text)
    parser = _TelegramHtmlParser(text)
    parser.feed(text)
    parser.close()
    if not parser.error and parser.stack:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    if parser.error:
        raise BotApiError(400, f"Bad Request: can't parse entities: {parser.error}")
    return "".join(parser.parts)


def _decode_params(raw: JSONDict) -> JSONDict:
    """JSON-decode string values of non-string parameters (how PTB encodes form fields)."""
    decoded: JSONDict = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in STRING_PARAMS:
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = value
            if isinstance(parsed, dict | list | bool | int | float) or parsed is None:
                value = parsed
        if value is not None:
            decoded[key] = value
    return decoded


def _as_int(value: Any, default: int | None = None) -> int | None:
    """Coerce a parameter to int, or return default when absent/invalid."""
    if value is None or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_float(value: Any, default: float) -> float:
    """Coerce a parameter to float, or return default when absent/invalid."""
    if value is None or isinstance(value, bool):
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _inline_only(markup: JSONDict | None) -> JSONDict | None:
    """Return the markup if it is an inline keyboard (only those appear on Message objects)."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _validate_markup(markup: Any) -> JSONDict | None:
    """Validate reply_markup the way Telegram rejects common mistakes."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise BotApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Array')
    actions = (
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise BotApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text "
                    "buttons are unallowed in the inline keyboard",
                )
            if not any(k in button for k in actions):
                raise BotApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: Text "
                    "buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


class FakeBotApi:
    """Fake Telegram Bot API over HTTP on 127.0.0.1 with recording and failure injection."""

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_first_name: str = "Frontdesk Test Bot",
        bot_username: str = "frontdesk_test_bot",
        strict_chats: bool = False,
        validate_markup: bool = True,
    ) -> None:
        """Configure the fake; ``token=None`` accepts any well-formed token."""
        self.token = token
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.strict_chats = strict_chats
        self.validate_markup = validate_markup

        self.calls: list[CallRecord] = []
        self.sent: list[SentRecord] = []
        self.delivered_update_ids: list[int] = []
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.webhook: JSONDict | None = None
        self.topics: dict[tuple[int, int], JSONDict] = {}
        self.callback_answers: dict[str, JSONDict] = {}
        self.blocked: set[int] = set()
        self.internal_errors: list[Exception] = []

        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._raw_texts: dict[tuple[int, int], tuple[str | None, str | None]] = {}
        self._next_message_id: dict[int, int] = {}
        self._last_update_id = 0
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._queue: list[_Queued] = []
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._fail_rules: dict[str, list[_FailRule]] = {}
        self._chat_fail_rules: list[_ChatFailRule] = []
        self._random_failures: _RandomFailures | None = None
        self._event = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

        handlers: dict[str, Callable[[JSONDict, JSONDict], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "close": self._true,
            "logOut": self._true,
            "createForumTopic": self._create_forum_topic,
            "closeForumTopic": self._close_forum_topic,
            "reopenForumTopic": self._reopen_forum_topic,
        }
        # Telegram method names are case-insensitive.
        self._handlers = {name.lower(): (name, h) for name, h in handlers.items()}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on a random free port."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._closing = False
        address = runner.addresses[0]
        self._port = int(address[1])

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        if self._runner is None:
            return
        self._closing = True
        self._wake()
        runner, self._runner = self._runner, None
        await runner.cleanup()
        self._port = None

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    @property
    def url(self) -> str:
        """Root URL of the running server, e.g. http://127.0.0.1:12345."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not running; call start() first")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url / Bot(base_url=...)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url / Bot(base_file_url=...)."""
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------ HTTP layer

    def _wake(self) -> None:
        """Wake everything waiting for state changes."""
        self._event.set()
        self._event = asyncio.Event()

    def _token_ok(self, token: str) -> bool:
        """Check the token against the configured one or the default pattern."""
        if self.token is not None:
            return token == self.token
        return TOKEN_PATTERN.fullmatch(token) is not None

    def bot_user(self, token: str | None = None) -> JSONDict:
        """Return the bot's User object (id taken from the token)."""
        token = token or self.token or DEFAULT_TOKEN
        return {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _read_params(self, request: web.Request) -> JSONDict:
        """Read query, JSON, urlencoded or multipart parameters into one decoded dict."""
        raw: JSONDict = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                body = await request.read()
                if body.strip():
                    data = json.loads(body)
                    if not isinstance(data, dict):
                        raise ValueError("JSON body must be an object")
                    raw.update(data)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        raw[key] = UploadedFile(
                            value.filename, value.content_type, value.file.read()
                        )
                    else:
                        raw[key] = value
        return _decode_params(raw)

    async def _handle(self, request: web.Request) -> web.Response:
        """Dispatch one Bot API request."""
        token = request.match_info["token"]
        requested = request.match_info["method"]
        name, handler = self._handlers.get(requested.lower(), (requested, None))
        call = CallRecord(method=name, params={}, token=token, http_method=request.method)
        self.calls.append(call)
        try:
            try:
                call.params = await self._read_params(request)
            except ValueError as exc:
                raise BotApiError(400, "Bad Request: can't parse JSON") from exc
            if not self._token_ok(token):
                raise BotApiError(401, "Unauthorized")
            if handler is None:
                raise BotApiError(404, "Not Found: method not found")
            self._maybe_fail(name, call.params)
            try:
                result = await handler(call.params, self.bot_user(token))
            except BotApiError:
                raise
            except Exception as exc:  # a bug in the fake itself: surface it, don't hide it
                self.internal_errors.append(exc)
                raise BotApiError(500, f"Internal Server Error: fake failed with {exc!r}") from exc
        except BotApiError as exc:
            call.ok = False
            call.error_code = exc.code
            call.description = exc.description
            self._wake()
            return web.json_response(exc.payload(), status=exc.code)
        call.result = result
        self._wake()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        """File downloads are not supported: always 404."""
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``error_code``."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        text = description or DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}").format(
            retry_after=retry_after
        )
        name = self._canonical(method)
        self._fail_rules.setdefault(name, []).append(
            _FailRule(error_code, text, retry_after, times)
        )

    def fail_rate(
        self,
        methods: Iterable[str] = ("sendMessage",),
        rate: float = 0.3,
        codes: tuple[int, ...] = (429, 502),
        retry_after: int = 0,
        seed: int = 1,
    ) -> None:
        """Fail a random ``rate`` fraction of calls to ``methods`` with one of ``codes``."""
        self._random_failures = _RandomFailures(
            frozenset(self._canonical(m) for m in methods),
            rate,
            tuple(codes),
            retry_after,
            random.Random(seed),
        )

    def fail_chat(
        self,
        chat_id: int,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int | None = 1,
        methods: Iterable[str] = BLOCKABLE_METHODS,
    ) -> None:
        """Make the next ``times`` calls of ``methods`` that target ``chat_id`` fail.

        Only calls whose ``chat_id`` parameter is this chat are refused; every other chat is
        served normally (as when Telegram throttles one flooding chat with 429 retry_after).
        ``times=None`` keeps refusing until clear_failures(). Rules for one chat apply before
        fail_next and fail_rate rules; a 429 without ``retry_after`` gets retry_after=1.
        """
        if error_code == 429 and retry_after is None:
            retry_after = 1
        text = description or DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}").format(
            retry_after=retry_after
        )
        self._chat_fail_rules.append(
            _ChatFailRule(
                chat_id,
                frozenset(self._canonical(m) for m in methods),
                error_code,
                text,
                retry_after,
                times,
            )
        )

    def clear_failures(self) -> None:
        """Drop all fail_next, fail_chat rules and random failures."""
        self._fail_rules.clear()
        self._chat_fail_rules.clear()
        self._random_failures = None

    def block(self, chat_id: int) -> None:
        """Make sends to ``chat_id`` fail with 403 until unblock()."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Undo block()."""
        self.blocked.discard(chat_id)

    def _canonical(self, method: str) -> str:
        """Return the canonical spelling of a method name."""
        entry = self._handlers.get(method.lower())
        return entry[0] if entry else method

    @staticmethod
    def _error(code: int, description: str, retry_after: int | None) -> BotApiError:
        """Build an injected error (429 carries retry_after parameters)."""
        params = {"retry_after": retry_after} if code == 429 and retry_after is not None else None
        return BotApiError(code, description, params)

    def _maybe_fail(self, method: str, params: JSONDict) -> None:
        """Raise an injected failure for this call, if any is due."""
        target = _as_int(params.get("chat_id"))
        for chat_rule in self._chat_fail_rules:
            if chat_rule.chat_id == target and method in chat_rule.methods:
                if chat_rule.remaining is not None:
                    chat_rule.remaining -= 1
                    if chat_rule.remaining <= 0:
                        self._chat_fail_rules.remove(chat_rule)
                raise self._error(chat_rule.code, chat_rule.description, chat_rule.retry_after)
        rules = self._fail_rules.get(method)
        if rules:
            rule = rules[0]
            rule.remaining -= 1
            if rule.remaining <= 0:
                rules.pop(0)
            raise self._error(rule.code, rule.description, rule.retry_after)
        rnd = self._random_failures
        if rnd and method in rnd.methods and rnd.codes and rnd.rng.random() < rnd.rate:
            code = rnd.rng.choice(rnd.codes)
            text = DEFAULT_DESCRIPTIONS.get(code, f"Error {code}")
            raise self._error(code, text.format(retry_after=rnd.retry_after), rnd.retry_after)

    def _check_blocked(self, method: str, chat: JSONDict) -> None:
        """Raise 403 if the target chat is blocked."""
        if method in BLOCKABLE_METHODS and chat["id"] in self.blocked:
            if chat["type"] == "private":
                raise BotApiError(403, "Forbidden: bot was blocked by the user")
            raise BotApiError(403, f"Forbidden: bot was kicked from the {chat['type']} chat")

    # ------------------------------------------------------------------ chats and messages

    def _register_chat(self, chat: JSONDict) -> JSONDict:
        """Add or update a chat in the registry."""
        existing = self._chats.setdefault(int(chat["id"]), {})
        existing.update(chat)
        return existing

    def _resolve_chat(self, value: Any) -> JSONDict:
        """Find the chat for a chat_id parameter (auto-creating it unless strict_chats)."""
        if value is None or value == "":
            raise BotApiError(400, "Bad Request: chat_id is empty")
        if isinstance(value, str) and not re.fullmatch(r"-?\d+", value):
            name = value.lstrip("@").lower()
            for chat in self._chats.values():
                if str(chat.get("username", "")).lower() == name:
                    return chat
            raise BotApiError(400, "Bad Request: chat not found")
        chat_id = int(value)
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if self.strict_chats or chat_id == 0:
            raise BotApiError(400, "Bad Request: chat not found")
        if chat_id > 0:
            return self._register_chat(
                {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
            )
        return self._register_chat(
            {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        )

    def _new_message_id(self, chat_id: int) -> int:
        """Allocate the next message_id in a chat."""
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _store(self, message: JSONDict) -> JSONDict:
        """Remember a message and keep the chat's id counter ahead of it."""
        chat_id = int(message["chat"]["id"])
        message_id = int(message["message_id"])
        self._messages[(chat_id, message_id)] = message
        if self._next_message_id.get(chat_id, 1) <= message_id:
            self._next_message_id[chat_id] = message_id + 1
        return message

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """Return the current state of a stored message, if known."""
        return self._messages.get((chat_id, message_id))

    @staticmethod
    def _chat_ref(chat: JSONDict) -> JSONDict:
        """Return the Chat object embedded into messages."""
        keys = ("id", "type", "title", "username", "first_name", "last_name", "is_forum")
        return {k: chat[k] for k in keys if chat.get(k) is not None}

    def _reply_target(
        self, chat: JSONDict, params: JSONDict
    ) -> tuple[int | None, JSONDict | None]:
        """Resolve reply_parameters / reply_to_message_id into the replied message."""
        reply = params.get("reply_parameters")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        target_chat = chat["id"]
        if isinstance(reply, dict):
            message_id = _as_int(reply.get("message_id"))
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
            target_chat = _as_int(reply.get("chat_id"), chat["id"]) or chat["id"]
        else:
            message_id = _as_int(params.get("reply_to_message_id"))
        if message_id is None:
            return None, None
        original = self._messages.get((target_chat, message_id))
        if original is None:
            if allow_missing:
                return None, None
            raise BotApiError(400, "Bad Request: message to be replied not found")
        quoted = {k: v for k, v in original.items() if k != "reply_to_message"}
        return message_id, copy.deepcopy(quoted)

    def _bot_message(
        self,
        chat: JSONDict,
        bot: JSONDict,
        params: JSONDict,
        content: JSONDict,
    ) -> tuple[JSONDict, int | None]:
        """Build and store a new bot message in ``chat``; return it and the replied id."""
        reply_to_id, reply_to = self._reply_target(chat, params)
        message: JSONDict = {
            "message_id": self._new_message_id(chat["id"]),
            "from": bot,
            "date": int(time.time()),
            "chat": self._chat_ref(chat),
        }
        thread_id = _as_int(params.get("message_thread_id"))
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(content)
        markup = _inline_only(params.get("reply_markup"))
        if markup is not None:
            message["reply_markup"] = markup
        return self._store(message), reply_to_id

    def _record(
        self,
        method: str,
        params: JSONDict,
        message: JSONDict,
        *,
        text: str | None,
        reply_to_id: int | None = None,
    ) -> SentRecord:
        """Append a SentRecord for a successful send/edit and wake waiters."""
        record = SentRecord(
            method=method,
            chat_id=int(message["chat"]["id"]),
            text=text,
            reply_markup=params.get("reply_markup"),
            reply_to_message_id=reply_to_id,
            message_id=int(message["message_id"]),
            params=params,
            message_thread_id=_as_int(params.get("message_thread_id")),
            parse_mode=params.get("parse_mode"),
            plain_text=message.get("text", message.get("caption")),
            message=copy.deepcopy(message),
        )
        self.sent.append(record)
        self._wake()
        return record

    def _text_param(self, params: JSONDict, key: str = "text") -> tuple[str, str]:
        """Validate a text parameter; return (raw, plain)."""
        raw = params.get(key)
        if raw is None or str(raw) == "":
            raise BotApiError(400, "Bad Request: message text is empty")
        raw = str(raw)
        plain = render_text(raw, params.get("parse_mode"), validate=self.validate_markup)
        if not plain.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if utf16_length(plain) > MAX_TEXT_LENGTH:
            raise BotApiError(400, "Bad Request: message is too long")
        return raw, plain

    # ------------------------------------------------------------------ method handlers

    async def _true(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle methods that simply return True (close, logOut)."""
        return True

    async def _get_me(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle getMe."""
        return bot

    async def _get_updates(self, params: JSONDict, bot: JSONDict) -> list[JSONDict]:
        """Handle getUpdates with offset confirmation, limit and real long polling."""
        if self.webhook is not None:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = _as_int(params.get("offset"), 0) or 0
        limit = min(max(_as_int(params.get("limit"), 100) or 100, 1), 100)
        timeout = max(_as_float(params.get("timeout"), 0.0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list) and allowed:
            self._allowed_updates = [str(a) for a in allowed]
        elif isinstance(allowed, list):
            self._allowed_updates = None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # terminates an older long poll with 409, like Telegram does
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._closing:
                return []
            if generation != self._poll_generation:
                raise BotApiError(409, DEFAULT_DESCRIPTIONS[409])
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        """Forget updates confirmed by ``offset`` (negative: keep only the last -offset)."""
        if offset > 0:
            self._queue = [q for q in self._queue if q.forced or q.update_id >= offset]
        elif offset < 0:
            regular = [q for q in self._queue if not q.forced]
            keep = {id(q) for q in regular[offset:]}
            self._queue = [q for q in self._queue if q.forced or id(q) in keep]

    def _take(self, limit: int) -> list[JSONDict]:
        """Return up to ``limit`` pending updates; forced repeats are delivered only once."""
        allowed = self._allowed_updates
        if allowed is not None:
            self._queue = [q for q in self._queue if _update_type(q.update) in allowed]
        pending = sorted(self._queue, key=lambda q: q.update_id)[:limit]
        for q in pending:
            if q.forced:
                self._queue.remove(q)
        self.delivered_update_ids.extend(q.update_id for q in pending)
        return [copy.deepcopy(q.update) for q in pending]

    async def _delete_webhook(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle deleteWebhook (optionally dropping pending updates)."""
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _set_webhook(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle setWebhook (stores the config; getUpdates then returns 409)."""
        url = str(params.get("url") or "")
        if not url:
            self.webhook = None
        elif not url.startswith("https://"):
            raise BotApiError(
                400, "Bad Request: bad webhook: HTTPS url must be provided for webhook"
            )
        else:
            self.webhook = dict(params)
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle getWebhookInfo."""
        info: JSONDict = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": bool(self.webhook and self.webhook.get("certificate")),
            "pending_update_count": len(self._queue),
        }
        if self.webhook and self.webhook.get("allowed_updates"):
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        """Key for the command list of a scope + language."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle setMyCommands with Telegram's validation."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise BotApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise BotApiError(400, "Bad Request: too many commands specified")
        for cmd in commands:
            if not isinstance(cmd, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))
            ):
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise BotApiError(400, "Bad Request: command description is empty")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _delete_my_commands(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle deleteMyCommands."""
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _get_my_commands(self, params: JSONDict, bot: JSONDict) -> list[JSONDict]:
        """Handle getMyCommands."""
        return self.commands.get(self._commands_key(params), [])

    def _prepare_send(self, method: str, params: JSONDict) -> JSONDict:
        """Resolve the target chat, check blocking and validate reply_markup."""
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_blocked(method, chat)
        if self.validate_markup:
            _validate_markup(params.get("reply_markup"))
        elif params.get("reply_markup") is not None and not isinstance(
            params["reply_markup"], dict
        ):
            raise BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        return chat

    async def _send_message(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle sendMessage."""
        chat = self._prepare_send("sendMessage", params)
        raw, plain = self._text_param(params)
        message, reply_to_id = self._bot_message(chat, bot, params, {"text": plain})
        self._raw_texts[(chat["id"], message["message_id"])] = (raw, params.get("parse_mode"))
        self._record("sendMessage", params, message, text=raw, reply_to_id=reply_to_id)
        return message

    def _editable(self, params: JSONDict, bot: JSONDict, method: str) -> tuple[JSONDict, JSONDict]:
        """Find the bot message an edit method targets."""
        if params.get("inline_message_id") is not None:
            raise BotApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat = self._prepare_send(method, params)
        message_id = _as_int(params.get("message_id"))
        if message_id is None:
            raise BotApiError(400, "Bad Request: message identifier is not specified")
        message = self._messages.get((chat["id"], message_id))
        if message is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != bot["id"]:
            raise BotApiError(400, "Bad Request: message can't be edited")
        return chat, message

    async def _edit_message_text(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle editMessageText (400 'message is not modified' like Telegram)."""
        chat, message = self._editable(params, bot, "editMessageText")
        if "text" not in message:
            raise BotApiError(400, "Bad Request: there is no text in the message to edit")
        raw, plain = self._text_param(params)
        key = (chat["id"], int(message["message_id"]))
        new_markup = _inline_only(params.get("reply_markup"))
        raw_before = self._raw_texts.get(key, (message.get("text"), None))
        if raw_before == (raw, params.get("parse_mode")) and new_markup == message.get(
            "reply_markup"
        ):
            raise BotApiError(400, NOT_MODIFIED)
        message["text"] = plain
        message["edit_date"] = int(time.time())
        if new_markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = new_markup
        self._raw_texts[key] = (raw, params.get("parse_mode"))
        self._record("editMessageText", params, message, text=raw)
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle editMessageReplyMarkup (absent reply_markup removes the keyboard)."""
        chat, message = self._editable(params, bot, "editMessageReplyMarkup")
        new_markup = _inline_only(params.get("reply_markup"))
        if new_markup == message.get("reply_markup"):
            raise BotApiError(400, NOT_MODIFIED)
        if new_markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = new_markup
        message["edit_date"] = int(time.time())
        raw_text = self._raw_texts.get((chat["id"], int(message["message_id"])), (None, None))[0]
        self._record(
            "editMessageReplyMarkup", params, message, text=raw_text or message.get("text")
        )
        return copy.deepcopy(message)

    async def _answer_callback_query(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle answerCallbackQuery (each query can be answered once)."""
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise BotApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is "
                "invalid",
            )
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise BotApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = params
        return True

    def _source_message(self, params: JSONDict, what: str) -> JSONDict:
        """Find the message a copy/forward refers to."""
        source_chat = self._resolve_chat(params.get("from_chat_id"))
        message_id = _as_int(params.get("message_id"))
        source = self._messages.get((source_chat["id"], message_id or 0))
        if source is None:
            raise BotApiError(400, f"Bad Request: message to {what} not found")
        return source

    async def _copy_message(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle copyMessage (returns a MessageId)."""
        chat = self._prepare_send("copyMessage", params)
        source = self._source_message(params, "copy")
        content = {k: copy.deepcopy(v) for k, v in source.items() if k not in _NOT_COPIED}
        raw: str | None = content.get("text")
        if "caption" in params and "text" not in content:
            raw = str(params["caption"])
            content["caption"] = render_text(
                raw, params.get("parse_mode"), validate=self.validate_markup
            )
            if utf16_length(content["caption"]) > MAX_CAPTION_LENGTH:
                raise BotApiError(400, "Bad Request: message caption is too long")
        elif "text" not in content:
            raw = content.get("caption")
        message, reply_to_id = self._bot_message(chat, bot, params, content)
        self._record("copyMessage", params, message, text=raw, reply_to_id=reply_to_id)
        return {"message_id": message["message_id"]}

    async def _forward_message(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle forwardMessage."""
        chat = self._prepare_send("forwardMessage", params)
        source = self._source_message(params, "forward")
        content = {k: copy.deepcopy(v) for k, v in source.items() if k not in _NOT_COPIED}
        content["forward_origin"] = source.get("forward_origin") or {
            "type": "user",
            "sender_user": source.get("from", bot),
            "date": source["date"],
        }
        fwd_params = {k: v for k, v in params.items() if k not in ("reply_markup",)}
        message, _ = self._bot_message(chat, bot, fwd_params, content)
        self._record(
            "forwardMessage", params, message, text=content.get("text", content.get("caption"))
        )
        return message

    async def _send_chat_action(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle sendChatAction (recorded in calls only)."""
        chat = self._prepare_send("sendChatAction", params)
        if params.get("action") not in CHAT_ACTIONS:
            raise BotApiError(400, "Bad Request: wrong parameter action in request")
        del chat
        return True

    async def _get_chat(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle getChat (returns a ChatFullInfo)."""
        chat = self._resolve_chat(params.get("chat_id"))
        info = copy.deepcopy(chat)
        info.setdefault("accent_color_id", 0)
        info.setdefault("max_reaction_count", 11)
        info.setdefault(
            "accepted_gift_types",
            {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return info

    def _forum_chat(self, params: JSONDict) -> JSONDict:
        """Resolve a chat that must be a supergroup (forum)."""
        chat = self._resolve_chat(params.get("chat_id"))
        if chat["type"] != "supergroup":
            raise BotApiError(400, "Bad Request: the chat is not a forum")
        return chat

    def _topic(self, params: JSONDict) -> JSONDict:
        """Find the topic addressed by chat_id + message_thread_id."""
        chat = self._forum_chat(params)
        thread_id = _as_int(params.get("message_thread_id"))
        topic = self.topics.get((chat["id"], thread_id or 0))
        if topic is None:
            raise BotApiError(400, "Bad Request: TOPIC_ID_INVALID")
        return topic

    async def _create_forum_topic(self, params: JSONDict, bot: JSONDict) -> JSONDict:
        """Handle createForumTopic (thread id = id of the service message)."""
        chat = self._forum_chat(params)
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise BotApiError(400, "Bad Request: TOPIC_NAME_INVALID")
        chat["is_forum"] = True
        icon_color = _as_int(params.get("icon_color"), 7322096) or 7322096
        topic: JSONDict = {"name": name, "icon_color": icon_color}
        if params.get("icon_custom_emoji_id"):
            topic["icon_custom_emoji_id"] = params["icon_custom_emoji_id"]
        message, _ = self._bot_message(chat, bot, {}, {"forum_topic_created": dict(topic)})
        thread_id = int(message["message_id"])
        message["message_thread_id"] = thread_id
        message["is_topic_message"] = True
        self.topics[(chat["id"], thread_id)] = {**topic, "closed": False}
        return {"message_thread_id": thread_id, **topic}

    async def _close_forum_topic(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle closeForumTopic."""
        topic = self._topic(params)
        if topic["closed"]:
            raise BotApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = True
        return True

    async def _reopen_forum_topic(self, params: JSONDict, bot: JSONDict) -> bool:
        """Handle reopenForumTopic."""
        topic = self._topic(params)
        if not topic["closed"]:
            raise BotApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = False
        return True

    # ------------------------------------------------------------------ webhook delivery

    def undelivered(self) -> list[JSONDict]:
        """Updates not yet confirmed, oldest first (what a webhook delivery still owes; the
        caller only reads them)."""
        return [q.update for q in sorted(self._queue, key=lambda q: q.update_id)]

    def confirm_delivered(self, update_id: int) -> None:
        """The webhook answered 200 for this update: Telegram forgets it."""
        self._queue = [q for q in self._queue if q.update_id != update_id]
        self.delivered_update_ids.append(update_id)

    async def next_change(self, seconds: float) -> None:
        """Wait until an update is queued (or anything else changes), at most `seconds`."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    # ------------------------------------------------------------------ injecting updates

    def _enqueue(self, update: JSONDict, *, forced: bool = False) -> JSONDict:
        """Put an update into the getUpdates queue and wake long polls."""
        self._queue.append(_Queued(copy.deepcopy(update), forced))
        self._wake()
        return update

    def _next_update_id(self) -> int:
        """Allocate a fresh update_id."""
        self._last_update_id += 1
        return self._last_update_id

    def _file(self, kind: str) -> tuple[str, str]:
        """Allocate a fake (file_id, file_unique_id) pair."""
        n = next(self._file_ids)
        return f"fake-{kind}-{n}", f"u{kind}{n}"

    def user_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Pat",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        photo: bool = False,
        voice: bool = False,
        sticker: bool = False,
        document: bool = False,
        location: bool = False,
    ) -> JSONDict:
        """Queue an update with a message from a user; return the update dict."""
        if chat_type != "private" and chat_id is None:
            raise ValueError("group messages need an explicit (negative) chat_id")
        chat_id = user_id if chat_id is None else chat_id
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        if chat_type == "private":
            chat_info = {
                k: v for k, v in user.items() if k in ("first_name", "last_name", "username")
            }
            chat = self._register_chat({"id": chat_id, "type": "private", **chat_info})
        else:
            chat = self._register_chat(
                {"id": chat_id, "type": chat_type, "title": chat_title or f"Group {chat_id}"}
            )
        if message_thread_id is not None and chat_type == "supergroup":
            chat["is_forum"] = True
            self.topics.setdefault(
                (chat_id, message_thread_id),
                {"name": f"Topic {message_thread_id}", "icon_color": 7322096, "closed": False},
            )
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "from": user,
            "date": int(time.time()),
            "chat": self._chat_ref(chat),
        }
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        if reply_to_message_id is not None:
            original = self._messages.get((chat_id, reply_to_message_id))
            if original is None:
                original = {
                    "message_id": reply_to_message_id,
                    "date": int(time.time()),
                    "chat": self._chat_ref(chat),
                }
            message["reply_to_message"] = {
                k: copy.deepcopy(v) for k, v in original.items() if k != "reply_to_message"
            }
        media = photo or voice or sticker or document or location
        if photo:
            file_id, unique = self._file("photo")
            message["photo"] = [
                {
                    "file_id": f"{file_id}-s",
                    "file_unique_id": f"{unique}s",
                    "width": 90,
                    "height": 90,
                    "file_size": 1200,
                },
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": 800,
                    "height": 800,
                    "file_size": 54000,
                },
            ]
        if voice:
            file_id, unique = self._file("voice")
            message["voice"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 8000,
            }
        if sticker:
            file_id, unique = self._file("sticker")
            message["sticker"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "\N{THUMBS UP SIGN}",
            }
        if document:
            file_id, unique = self._file("document")
            message["document"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": "document.pdf",
                "mime_type": "application/pdf",
                "file_size": 20000,
            }
        if location:
            message["location"] = {"latitude": 52.5200, "longitude": 13.4050}
        if text is not None:
            key = "caption" if media and not location else "text"
            message[key] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                entity_key = "caption_entities" if key == "caption" else "entities"
                message[entity_key] = [
                    {
                        "type": "bot_command",
                        "offset": 0,
                        "length": len(command.encode("utf-16-le")) // 2,
                    }
                ]
        self._store(message)
        return self._enqueue({"update_id": self._next_update_id(), "message": message})

    def callback_query(
        self,
        user_id: int,
        data: str,
        *,
        message_chat_id: int | None = None,
        message_id: int,
        first_name: str = "Pat",
        username: str | None = None,
    ) -> JSONDict:
        """Queue a callback_query update for a button press on a (bot) message."""
        chat_id = user_id if message_chat_id is None else message_chat_id
        user: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "en",
        }
        if username is not None:
            user["username"] = username
        stored = self._messages.get((chat_id, message_id))
        if stored is not None:
            message = copy.deepcopy(stored)
        else:
            chat = self._chats.get(chat_id) or {
                "id": chat_id,
                "type": "private" if chat_id > 0 else "supergroup",
            }
            # Telegram sends an InaccessibleMessage (date 0) for unknown/old messages.
            message = {"chat": self._chat_ref(chat), "message_id": message_id, "date": 0}
        query_id = str(4_000_000_000_000 + next(self._callback_ids))
        self._open_callbacks.add(query_id)
        update = {
            "update_id": self._next_update_id(),
            "callback_query": {
                "id": query_id,
                "from": user,
                "message": message,
                "chat_instance": f"ci{chat_id}",
                "data": data,
            },
        }
        return self._enqueue(update)

    def edit_user_message(self, update: JSONDict, text: str) -> JSONDict:
        """Queue an ``edited_message`` update: the user edited the message of ``update``.

        ``update`` is what user_message() returned. The stored message takes the new text (or
        caption, for media) and an ``edit_date``, as Telegram shows it afterwards.
        """
        original = update.get("message") or update.get("edited_message")
        if not isinstance(original, dict):
            raise ValueError("only a message can be edited")
        key = (int(original["chat"]["id"]), int(original["message_id"]))
        stored = self._messages.get(key)
        if stored is None:
            raise ValueError(f"message {key} is unknown to the fake")
        field_name = "text" if "text" in stored or "caption" not in stored else "caption"
        stored[field_name] = text
        stored.pop("entities" if field_name == "text" else "caption_entities", None)
        stored["edit_date"] = max(int(time.time()), int(stored["date"]) + 1)
        return self._enqueue(
            {"update_id": self._next_update_id(), "edited_message": copy.deepcopy(stored)}
        )

    def raw_update(self, update: JSONDict) -> JSONDict:
        """Queue an arbitrary update (update_id assigned if missing); return it."""
        update = copy.deepcopy(update)
        if "update_id" in update:
            self._last_update_id = max(self._last_update_id, int(update["update_id"]))
        else:
            update = {"update_id": self._next_update_id(), **update}
        for key in ("message", "edited_message", "channel_post"):
            msg = update.get(key)
            if isinstance(msg, dict) and "chat" in msg and "message_id" in msg:
                self._register_chat(dict(msg["chat"]))
                self._store(copy.deepcopy(msg))
        if isinstance(update.get("callback_query"), dict) and "id" in update["callback_query"]:
            self._open_callbacks.add(str(update["callback_query"]["id"]))
        return self._enqueue(update)

    def repeat_update(self, update: JSONDict) -> JSONDict:
        """Queue an already-delivered update again with the same id (delivered once more)."""
        if "callback_query" in update:
            self._open_callbacks.add(str(update["callback_query"]["id"]))
        return self._enqueue(update, forced=True)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued but not yet confirmed by an offset."""
        return [copy.deepcopy(q.update) for q in self._queue]

    # ------------------------------------------------------------------ inspection helpers

    def messages_to(self, chat_id: int, *, include_edits: bool = False) -> list[SentRecord]:
        """Records of messages sent to ``chat_id`` (edits only if include_edits)."""
        return [r for r in self.sent if r.chat_id == chat_id and (include_edits or not r.is_edit)]

    def calls_of(self, method: str) -> list[CallRecord]:
        """All recorded calls of one method (any outcome)."""
        name = self._canonical(method)
        return [c for c in self.calls if c.method == name]

    async def _wait_until(self, check: Callable[[], T | None], limit_s: float, what: str) -> T:
        """Poll ``check`` on every state change until it returns non-None or time runs out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit_s
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                sent = [(r.method, r.chat_id, r.text) for r in self.sent]
                raise TimeoutError(f"timed out after {limit_s}s waiting for {what}; sent={sent}")
            event = self._event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def wait_for(
        self,
        predicate: Callable[[SentRecord], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the requested public API
        *,
        since: int = 0,
    ) -> SentRecord:
        """Wait until a record in ``sent[since:]`` satisfies ``predicate``; return it."""

        def check() -> SentRecord | None:
            return next((r for r in self.sent[since:] if predicate(r)), None)

        return await self._wait_until(check, timeout, "a matching sent record")

    async def wait_for_count(
        self,
        chat_id: int,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the requested public API
        *,
        include_edits: bool = False,
    ) -> list[SentRecord]:
        """Wait until at least ``n`` messages were sent to ``chat_id``; return them all."""

        def check() -> list[SentRecord] | None:
            records = self.messages_to(chat_id, include_edits=include_edits)
            return records if len(records) >= n else None

        return await self._wait_until(check, timeout, f"{n} messages to chat {chat_id}")

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[CallRecord], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - consistent with wait_for
        *,
        since: int = 0,
    ) -> CallRecord:
        """Wait until a call of ``method`` in ``calls[since:]`` (matching ``predicate``) exists."""
        name = self._canonical(method)

        def check() -> CallRecord | None:
            return next(
                (
                    c
                    for c in self.calls[since:]
                    if c.method == name and (predicate is None or predicate(c))
                ),
                None,
            )

        return await self._wait_until(check, timeout, f"a {name} call")

    async def wait_drained(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued update has been delivered and confirmed."""

        def check() -> bool | None:
            return True if not self._queue else None

        await self._wait_until(check, timeout, "the update queue to drain")
