"""The `frontdesk` command as a user runs it: piped chat, match, check, eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def frontdesk(
    *arguments: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` like a user would run `frontdesk`."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or PROJECT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_piped_chat_prints_a_transcript_and_exits_at_eof(tmp_path: Path) -> None:
    result = frontdesk(
        "chat",
        "--patient",
        "piped",
        stdin="hello\nhow much is an implant\nasdfgh qwerty\n1\nare you there?\n",
        env={"DATABASE_PATH": str(tmp_path / "chat.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("you: hello") < out.index("assistant") < out.index("you: how much")
    assert "Panoramic X-ray" in out
    assert "  1. Talk to a person" in out
    assert "[handed over to the front desk: case #1, reason: human]" in out
    assert "[passed to the administrator on case #1]" in out
    assert (tmp_path / "chat.sqlite3").exists()


def test_chat_remembers_the_patient_between_runs(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "chat.sqlite3")}
    first = frontdesk("chat", stdin="root canal price\n", env=env)
    second = frontdesk("chat", stdin="root canal price\n", env=env)
    assert "gutta-percha" in first.stdout
    assert "gutta-percha" not in second.stdout


def test_match_with_text_prints_one_json_result() -> None:
    result = frontdesk("match", "do", "you", "do", "braces")
    answer = json.loads(result.stdout)
    assert answer["intent"] == "orthodontics"
    assert set(answer) >= {"text", "intent", "score", "alternatives"}


def test_match_reads_stdin_one_json_line_each() -> None:
    result = frontdesk("match", stdin="what time do you open\nzzzz qqqq\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["intent"] for line in lines] == ["hours", None]


def test_check_passes_on_shipped_data() -> None:
    result = frontdesk("check")
    assert result.returncode == 0, result.stdout
    assert "0 error(s)" in result.stderr


def test_check_names_file_and_line_and_fails(tmp_path: Path) -> None:
    replies = tmp_path / "replies"
    replies.mkdir()
    for name in (PROJECT / "replies").iterdir():
        (replies / name.name).write_text(name.read_text())
    lines = (replies / "offers.yaml").read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if "intents:" in line)
    lines[index] = lines[index].replace("root_canal", "root_canals")
    (replies / "offers.yaml").write_text("\n".join(lines) + "\n")
    result = frontdesk("check", env={"REPLIES_DIR": str(replies)})
    assert result.returncode == 1
    assert f"offers.yaml:{index + 1}:" in result.stdout
    assert "unknown intent 'root_canals'" in result.stdout


def test_eval_reports_the_figures() -> None:
    result = frontdesk("eval", "tests/data/dev_set.jsonl", "--json")
    figures = json.loads(result.stdout)
    assert {"in_scope_accuracy", "off_topic_false_accept", "wrong_among_answered"} <= set(figures)


def test_eval_plays_a_conversation_set_and_reports_the_untuned_part_apart(
    tmp_path: Path,
) -> None:
    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "conversations:\n"
        "  - id: dentures-1\n"
        "    untuned: true\n"
        "    turns:\n"
        "      - patient: do you make dentures?\n"
        "        expect: {kind: question, topic: dentures}\n"
        "      - patient: how long does it take to make them?\n"
        "        expect: {kind: followup, topic: dentures, facet: duration}\n"
    )
    result = frontdesk("eval", str(conversations))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "untuned (never tuned on): 1 conversations"
    assert "follow-ups resolved to the right topic and facet: 1/1 (100.0%)" in lines[1]
    assert "new questions to the right topic: 1/1 (100.0%)" in lines[2]


def test_eval_counts_a_denied_symptom_as_captured_only_if_none_was_noted(
    tmp_path: Path,
) -> None:
    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "conversations:\n"
        "  - id: cleaning-1\n"
        "    turns:\n"
        "      - patient: how much is a cleaning?\n"
        "        expect: {kind: question, topic: hygiene}\n"
        "      - patient: last one a year ago, nothing hurts\n"
        "        expect: {kind: answer, topic: hygiene, details: {symptom: none}}\n"
    )
    lines = frontdesk("eval", str(conversations)).stdout.splitlines()
    tuned = lines[lines.index("tuned: 1 conversations") :]
    assert any(
        "details captured (the kinds the bot extracts): 1/1 (100.0%)" in line for line in tuned
    )


def test_eval_scores_a_turn_for_a_person_by_the_hand_over_alone(tmp_path: Path) -> None:
    conversations = tmp_path / "conversations.yaml"
    conversations.write_text(
        "conversations:\n"
        "  - id: warfarin-1\n"
        "    turns:\n"
        "      - patient: do you do extractions?\n"
        "        expect: {kind: question, topic: extraction}\n"
        "      - patient: i'm on warfarin, do i have to stop it before?\n"
        "        expect: {kind: followup, topic: extraction, facet: preparation, handoff: true}\n"
        "  - id: warfarin-answer-1\n"
        "    turns:\n"
        "      - patient: do you do extractions?\n"
        "        expect: {kind: question, topic: extraction}\n"
        "      - patient: it's the lower left one, and i take warfarin\n"
        "        expect: {kind: answer, topic: extraction, handoff: true}\n"
    )
    lines = frontdesk("eval", str(conversations)).stdout.splitlines()
    tuned = lines[lines.index("tuned: 2 conversations") :]
    assert any("follow-ups resolved to the right topic and facet: 0/0" in line for line in tuned)
    assert any("answers to the bot's questions not failed: 0/0" in line for line in tuned)
    assert any("hand-overs where a person is needed: 2/2 (100.0%)" in line for line in tuned)


def test_run_without_a_token_says_so_in_one_line() -> None:
    result = frontdesk("run", env={"TELEGRAM_BOT_TOKEN": ""})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "frontdesk run: TELEGRAM_BOT_TOKEN is not set (see .env.example); for a console chat "
        "use `frontdesk chat`"
    ]


async def test_run_with_a_rejected_token_exits_with_one_clear_line(tmp_path: Path) -> None:
    import asyncio

    from tests.fake_bot_api import FakeBotApi

    async with FakeBotApi(token="111:the-real-token") as api:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=PROJECT,
            env={
                **os.environ,
                "TELEGRAM_BOT_TOKEN": "222:a-wrong-token",
                "TELEGRAM_BASE_URL": api.url,
                "DATABASE_PATH": str(tmp_path / "x.sqlite3"),
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1
    assert "Traceback" not in stderr.decode()
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in stderr.decode()


def test_a_bad_setting_is_named_not_a_traceback() -> None:
    result = frontdesk("chat", env={"TIMEZONE": "Mars/Base"})
    assert result.returncode == 2
    assert "setting TIMEZONE" in result.stderr and "Traceback" not in result.stderr


def test_a_copy_of_env_example_works_as_it_is(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((PROJECT / ".env.example").read_text())
    result = frontdesk("chat", stdin="hello\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "assistant" in result.stdout


def test_bad_settings_stop_run_with_one_line_each_and_no_traceback() -> None:
    result = frontdesk("run", env={"LOG_LEVEL": "LOUD", "MANAGER_IDS": "notjson"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "frontdesk: setting LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
        "not 'LOUD'",
        "frontdesk: setting MANAGER_IDS: 'notjson' is not a Telegram user id; write ids like "
        "1,2,3 or [1, 2, 3]",
    ]


def test_an_unwritable_database_path_stops_chat_with_one_line() -> None:
    result = frontdesk("chat", stdin="hello\n", env={"DATABASE_PATH": "/proc/x.sqlite3"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("frontdesk: setting DATABASE_PATH: cannot create files in /proc (")
    assert result.stdout == ""


async def test_run_at_debug_logs_neither_message_text_nor_names_nor_the_token(
    tmp_path: Path,
) -> None:
    import asyncio
    import signal

    from tests.fake_bot_api import FakeBotApi

    token = "7012345678:AAHk3xQ9vL2mN8pR4sT6uW1yZ0bC5dE7fG9"
    async with FakeBotApi(token=token) as api:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=PROJECT,
            env={
                **os.environ,
                "TELEGRAM_BOT_TOKEN": token,
                "TELEGRAM_BASE_URL": api.url,
                "DATABASE_PATH": str(tmp_path / "x.sqlite3"),
                "STAFF_CHAT_ID": "-1001234567890",
                "LOG_LEVEL": "DEBUG",
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            api.user_message(501, "how much is an implant", first_name="Zebedee")
            api.user_message(501, "Zebedee here, my face is swollen", first_name="Zebedee")
            await api.wait_for_count(501, 2, timeout=60)
            await api.wait_for_count(-1001234567890, 1, timeout=30)  # the case card
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    err = stderr.decode()
    assert "intent=implants" in err and "update=" in err
    assert "Zebedee" not in err
    assert "implant price" not in err and "swollen" not in err and "how much" not in err
    assert token not in err and token.partition(":")[2] not in err
