"""Splitting long texts for Telegram, which counts a message's length in UTF-16 code units."""

from __future__ import annotations

import unicodedata

TELEGRAM_TEXT_LIMIT = 4096
_BREAKS = ("\n\n", "\n", " ")
_ZWJ = "\u200d"


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units, 2 for a character outside the BMP."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_for_telegram(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` UTF-16 units, cut at a paragraph, line or space break."""
    if limit < 2:
        raise ValueError("limit must be at least 2 UTF-16 units (one emoji)")
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        cut = _cut(rest, _fitting(rest, limit))
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def _fitting(text: str, limit: int) -> int:
    """How many characters from the start fit in `limit` UTF-16 units."""
    if utf16_length(text[:limit]) <= limit:
        return limit
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut(text: str, end: int) -> int:
    """Where to end a part that may hold text[:end]: the latest good break, else a safe place."""
    found = [text.rfind(separator, 0, end) for separator in _BREAKS]
    for position in found:
        if position > 0 and position >= end // 2:  # a late paragraph break beats a later space
            return position
    if max(found) > 0:
        return max(found)
    return _between_characters(text, end)


def _between_characters(text: str, end: int) -> int:
    """The nearest place at or before `end` that keeps combined emoji and accents whole."""
    cut = end
    while cut > 0 and (_attaches(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    if cut > 0 and _regional_indicator(text[cut]):
        run = 0
        while cut - run > 0 and _regional_indicator(text[cut - run - 1]):
            run += 1
        cut -= run % 2  # flags are pairs of regional indicators
    return cut if cut > 0 else end


def _attaches(char: str) -> bool:
    """Whether a character belongs to the one before it (accents, ZWJ, skin tones, tags)."""
    code = ord(char)
    return (
        unicodedata.category(char) in {"Mn", "Mc", "Me"}
        or char == _ZWJ
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _regional_indicator(char: str) -> bool:
    """Whether a character is half of a flag."""
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
