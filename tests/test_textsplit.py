"""Text safety: parts that fit Telegram's UTF-16 limit, and no lone surrogates for SQLite."""

from __future__ import annotations

import sqlite3

import pytest

from bot.telegram.textsplit import split_for_telegram, utf16_length
from bot.text import without_lone_surrogates

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of 5 code points, 8 units
FLAG = "\U0001f1eb\U0001f1f7"  # two regional indicators, 4 units


def test_utf16_length_counts_a_character_outside_the_bmp_as_two() -> None:
    assert utf16_length("") == 0
    assert utf16_length("aé€") == 3
    assert utf16_length("a😀") == 3
    assert utf16_length(FAMILY) == 8
    assert utf16_length("\ud83d") == 1  # a lone surrogate counts without an error


def test_short_and_empty_texts_come_back_as_one_part_unchanged() -> None:
    assert split_for_telegram("") == [""]
    assert split_for_telegram("  hello  ") == ["  hello  "]
    assert split_for_telegram("😀" * 2048) == ["😀" * 2048]


def test_an_emoji_heavy_text_of_4096_characters_splits_within_4096_utf16_units() -> None:
    words = [f"tooth{i}😀🦷✨" for i in range(2000)]
    text = " ".join(words)[:4096].rsplit(" ", 1)[0]
    assert len(text) <= 4096 < utf16_length(text)  # counting characters would send it whole
    parts = split_for_telegram(text)
    assert len(parts) == 2
    assert all(0 < utf16_length(part) <= 4096 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_a_long_emoji_heavy_text_keeps_every_word_in_order() -> None:
    text = "\n\n".join(
        f"Paragraph {p}\n" + " ".join(f"word{w}😀" for w in range(300)) for p in range(20)
    )
    parts = split_for_telegram(text)
    assert len(parts) > 3
    assert all(0 < utf16_length(part) <= 4096 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_a_text_without_breaks_is_cut_between_characters_never_inside_one() -> None:
    text = "😀" * 2048 + "a" + "😀" * 3000
    parts = split_for_telegram(text)
    # "a" and 2,047 emoji make 4,095 units; half of the next emoji would make 4,096
    assert [utf16_length(part) for part in parts] == [4096, 4095, 1906]
    assert "".join(parts) == text
    for part in parts:
        part.encode("utf-8")  # a half surrogate pair would fail here


def test_a_paragraph_break_in_the_second_half_is_preferred_to_a_later_space() -> None:
    first = "a" * 3000
    parts = split_for_telegram(first + "\n\n" + "b c " * 500)
    assert parts[0] == first


def test_joined_emoji_and_flags_are_not_cut_apart() -> None:
    for unit, size in ((FAMILY, 8), (FLAG, 4)):
        text = "x" + unit * 3000
        parts = split_for_telegram(text)
        assert "".join(parts) == text
        assert all(utf16_length(part) <= 4096 for part in parts)
        assert all(part.lstrip("x").replace(unit, "") == "" for part in parts), unit
        assert all(utf16_length(part.lstrip("x")) % size == 0 for part in parts)


def test_no_part_is_empty_or_only_whitespace() -> None:
    parts = split_for_telegram("\n\n" + "x " * 3000 + " " * 5000 + "end")
    assert all(part.strip() for part in parts)
    assert parts[-1] == "end"


def test_a_smaller_limit_is_respected() -> None:
    parts = split_for_telegram("ab 😀😀 cd", limit=4)
    assert parts == ["ab", "😀😀", "cd"]
    with pytest.raises(ValueError, match="at least 2"):
        split_for_telegram("abc", limit=1)


def test_lone_surrogates_are_replaced_so_sqlite_can_store_the_text() -> None:
    received = "my tooth \ud83d hurts \ude00"
    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE TABLE messages (text TEXT)")
        with pytest.raises(UnicodeEncodeError):
            connection.execute("INSERT INTO messages VALUES (?)", (received,))
        cleaned = without_lone_surrogates(received)
        connection.execute("INSERT INTO messages VALUES (?)", (cleaned,))
        stored = connection.execute("SELECT text FROM messages").fetchone()[0]
    assert stored == "my tooth \ufffd hurts \ufffd"


def test_valid_text_is_returned_as_it_is() -> None:
    text = "Hello 😀, ça va? 你好 " + FAMILY
    assert without_lone_surrogates(text) is text


def test_a_surrogate_pair_split_into_two_characters_is_joined_back() -> None:
    assert without_lone_surrogates("a\ud83d\ude00b") == "a😀b"
    assert without_lone_surrogates("\ude00\ud83d") == "\ufffd\ufffd"
