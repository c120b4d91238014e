"""Settings: every bad value is named in one line, and the database folder must be writable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings, database_path_problem
from tests.logging_state import logging_left_as_found

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "7012345678:AAHk3xQ9vL2mN8pR4sT6uW1yZ0bC5dE7fG9"
RETENTION_SETTINGS = (
    "MESSAGE_RETENTION_DAYS",
    "OUTBOX_RETENTION_DAYS",
    "MATCH_RETENTION_DAYS",
    "CASE_MESSAGE_RETENTION_DAYS",
    "AUDIT_RETENTION_DAYS",
    "INBOX_RETENTION_DAYS",
)
NEW_SETTINGS = ("LIBRARY_LOG_LEVEL", *RETENTION_SETTINGS)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No setting from the developer's shell or .env leaks in; logging is left as found."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    with logging_left_as_found():
        yield


def run_main(
    arguments: list[str], capsys: pytest.CaptureFixture[str], **settings: str
) -> tuple[int, list[str]]:
    """`frontdesk ARGUMENTS` in this process with the settings in the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        code = main(arguments)
    return code, capsys.readouterr().err.strip().splitlines()


def test_new_settings_have_their_documented_defaults() -> None:
    settings = Settings()
    assert settings.library_log_level == "WARNING"
    assert settings.outbox_retention_days == 30
    assert settings.match_retention_days == 180
    assert settings.case_message_retention_days == 180
    assert settings.audit_retention_days == 730
    assert settings.inbox_retention_days == 7
    assert settings.telegram_bot_token.get_secret_value() == ""


def test_every_setting_is_documented_in_env_example_and_the_new_ones_in_the_readme() -> None:
    example = (PROJECT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"{name.upper()}=" in example, name
    readme = (PROJECT / "README.md").read_text()
    for name in NEW_SETTINGS:
        assert f"`{name}`" in readme, name


def test_log_levels_are_accepted_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("LIBRARY_LOG_LEVEL", " Info ")
    settings = Settings()
    assert (settings.log_level, settings.library_log_level) == ("DEBUG", "INFO")


def test_a_loud_log_level_stops_run_with_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, lines = run_main(["run"], capsys, LOG_LEVEL="LOUD", TELEGRAM_BOT_TOKEN=TOKEN)
    assert code == 2
    assert lines == [
        "frontdesk: setting LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
        "not 'LOUD'"
    ]


@pytest.mark.parametrize("value", ["notjson", "[1, 2", "1,two,3", "-1001234567890"])
def test_unreadable_manager_ids_give_one_line_naming_the_setting(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_main(["chat"], capsys, MANAGER_IDS=value)
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("frontdesk: setting MANAGER_IDS: ")


@pytest.mark.parametrize(
    ("value", "ids"),
    [("1,2,3", [1, 2, 3]), (" 4, 5 ", [4, 5]), ("6 7", [6, 7]), ("8", [8]), ("[9, 10]", [9, 10])],
)
def test_manager_ids_may_be_comma_separated_or_a_json_list(
    value: str, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MANAGER_IDS", value)
    assert Settings().manager_ids == ids


@pytest.mark.parametrize("name", RETENTION_SETTINGS)
@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_retention_days_must_be_a_positive_whole_number(
    name: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_main(["chat"], capsys, **{name: value})
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"frontdesk: setting {name}: ")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_PORT", "0"),
        ("WEBHOOK_PORT", "70000"),
        ("STAFF_CHAT_ID", "the staff group"),
        ("QUIET_HOURS_START", "25:00"),
        ("QUIET_HOURS_END", "9am"),
        ("WEBHOOK_URL", "http://bot.clinic.example/telegram"),
        ("WEBHOOK_SECRET", "has spaces and a ; in it"),
        ("TELEGRAM_BASE_URL", "localhost:8081"),
        ("LIBRARY_LOG_LEVEL", "chatty"),
    ],
)
def test_each_bad_value_gives_one_line_naming_its_setting(
    name: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_main(["run"], capsys, **{name: value})
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"frontdesk: setting {name}: ")


def test_a_malformed_token_is_named_but_never_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_main(["run"], capsys, TELEGRAM_BOT_TOKEN='"7012345678:AAHk3xQ9vL2m" x')
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("frontdesk: setting TELEGRAM_BOT_TOKEN: ")
    assert "AAHk3xQ9vL2m" not in lines[0]


def test_the_token_is_hidden_when_settings_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f" {TOKEN}\n")
    settings = Settings()
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


def test_a_writable_database_path_has_no_problem_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "frontdesk.sqlite3"
    assert database_path_problem(path) is None
    assert os.listdir(tmp_path) == []
    assert database_path_problem(Path(":memory:")) is None


def test_a_database_path_under_a_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    problem = database_path_problem(tmp_path / "notes.txt" / "db" / "frontdesk.sqlite3")
    notes = tmp_path / "notes.txt"
    assert problem == f"{notes} is a file, so {notes / 'db'} cannot be a folder"


def test_a_database_path_in_proc_is_a_problem_even_for_root() -> None:
    problem = database_path_problem(Path("/proc/frontdesk.sqlite3"))
    assert problem is not None and problem.startswith("cannot create files in /proc")


def test_a_folder_given_as_the_database_path_is_a_problem(tmp_path: Path) -> None:
    problem = database_path_problem(tmp_path)
    assert problem is not None and "is a folder" in problem


@pytest.mark.parametrize("command", ["chat", "run", "unmatched"])
@pytest.mark.parametrize("where", ["under a file", "in /proc"])
def test_an_unwritable_database_path_stops_the_command_with_one_line(
    command: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("a file")
    path = tmp_path / "notes.txt" / "x.sqlite3" if where == "under a file" else "/proc/x.sqlite3"
    code, lines = run_main([command], capsys, DATABASE_PATH=str(path), TELEGRAM_BOT_TOKEN=TOKEN)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("frontdesk: setting DATABASE_PATH: ")


def test_unmatched_without_a_database_yet_still_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "frontdesk.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_PATH", str(path))
        assert main(["unmatched"]) == 0
    assert "No conversations yet" in capsys.readouterr().out
    assert not (tmp_path / "data").exists()


def test_without_database_url_the_store_is_the_sqlite_file_at_database_path() -> None:
    assert Settings().database == Path("data/frontdesk.sqlite3")
    assert Settings(database_path=Path("x/y.sqlite3")).database == Path("x/y.sqlite3")


def test_database_url_wins_over_database_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_PATH", "old/frontdesk.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://frontdesk:secret@db.clinic.lan/frontdesk")
    assert Settings().database == "postgresql://frontdesk:secret@db.clinic.lan/frontdesk"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/other.sqlite3")
    assert Settings().database == Path("data/other.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/frontdesk.sqlite3")
    assert Settings().database == Path("/srv/frontdesk.sqlite3")


def test_a_database_url_of_another_kind_is_named_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, lines = run_main(["chat"], capsys, DATABASE_URL="mysql://root@localhost/clinic")
    assert code == 2
    assert lines == [
        "frontdesk: setting DATABASE_URL: must start with sqlite:/// (a file) or postgresql:// "
        "(a server), e.g. sqlite:///data/frontdesk.sqlite3"
    ]
