"""The `frontdesk` command: chat, match, check, eval, run, unmatched, web, web-link, migrate-db."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.config import PROJECT_ROOT, Settings, database_path_problem
from bot.loader import Knowledge, KnowledgeError, Problem, load_or_raise
from bot.logs import configure_logging

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontdesk", description="A dental clinic's honest front-desk assistant."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="chat with the demo clinic in the console")
    chat.add_argument("--patient", default="demo", help="patient id to chat as (default: demo)")
    match = commands.add_parser("match", help="show which intent a message matches")
    match.add_argument("text", nargs="*", help="the message; without it, one per stdin line")
    commands.add_parser("check", help="validate intents/ and replies/")
    evaluate = commands.add_parser("eval", help="measure the matcher on a labelled JSONL set")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a report")
    evaluate.add_argument(
        "--dev",
        type=Path,
        default=PROJECT_ROOT / "tests" / "data" / "dev_set.jsonl",
        help="labelled set the baseline's threshold is tuned on (default: the dev set)",
    )
    commands.add_parser("run", help="run the Telegram bot")
    unmatched = commands.add_parser(
        "unmatched", help="group the questions the bot did not understand or barely matched"
    )
    unmatched.add_argument("--since", default="7d", help="how far back, e.g. 7d, 12h, 2w")
    commands.add_parser("web", help="serve the managers' web page (WEB_HOST, WEB_PORT)")
    web_link = commands.add_parser(
        "web-link", help="print a one-time sign-in link to the web page for a manager"
    )
    web_link.add_argument(
        "--manager", type=int, required=True, help="the manager's Telegram id (in MANAGER_IDS)"
    )
    migrate_db = commands.add_parser(
        "migrate-db",
        help="copy the SQLite database (DATABASE_PATH or DATABASE_URL) into a new PostgreSQL one",
    )
    migrate_db.add_argument(
        "--to", required=True, metavar="URL", help="postgresql://user:password@host/database"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `frontdesk` command."""
    arguments = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for detail in error.errors():
            name, message = _setting_problem(detail["loc"], detail["msg"])
            print(f"frontdesk: setting {name}: {message}", file=sys.stderr)
        return 2
    except SettingsError as error:
        found = re.search(r'field "([^"]+)"', str(error))
        name = found[1].upper() if found else "?"
        reason = error.__cause__ or error
        print(f"frontdesk: setting {name}: cannot be read ({reason})", file=sys.stderr)
        return 2
    if arguments.command in {"chat", "run", "unmatched", "web", "web-link"}:
        database = settings.database
        problem = database_path_problem(database) if isinstance(database, Path) else None
        if problem is not None:
            name = "DATABASE_URL" if settings.database_url else "DATABASE_PATH"
            print(f"frontdesk: setting {name}: {problem}", file=sys.stderr)
            return 2
    configure_logging(
        settings.log_level if arguments.command in {"run", "web"} else "WARNING",
        settings.telegram_bot_token.get_secret_value(),
        settings.library_log_level,
    )
    try:
        if arguments.command == "check":
            return _check(settings)
        if arguments.command == "unmatched":
            return asyncio.run(_unmatched(settings, arguments.since))
        if arguments.command == "web":
            from bot.web.server import serve_alone

            return asyncio.run(serve_alone(settings))
        if arguments.command == "web-link":
            return asyncio.run(_web_link(settings, arguments.manager))
        if arguments.command == "migrate-db":
            return asyncio.run(_migrate_db(settings, arguments.to))
        knowledge = load_or_raise(settings.intents_dir, settings.replies_dir)
        if arguments.command == "chat":
            return asyncio.run(_chat(settings, knowledge, arguments.patient))
        if arguments.command == "match":
            return _match(knowledge, " ".join(arguments.text))
        if arguments.command == "eval":
            return _eval(knowledge, arguments.file, arguments.json, arguments.dev)
        if arguments.command == "run":
            from bot.checks import load_checked
            from bot.language import warm_up as warm_up_language
            from bot.telegram.app import run_bot

            warm_up_language()  # before the first patient, not during their message

            checked, problems = load_checked(settings.intents_dir, settings.replies_dir)
            if checked is None:
                raise KnowledgeError([p for p in problems if p.severity == "error"])
            return int(run_bot(settings, checked))
    except KnowledgeError as error:
        _print_problems(error.problems)
        print(
            f"frontdesk: the data has {len(error.problems)} error(s); run `frontdesk check`",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


def _setting_problem(location: tuple[int | str, ...], message: str) -> tuple[str, str]:
    """The environment variable's name and a readable reason from one validation error."""
    name = str(location[0]).upper() if location else "?"
    message = message.removeprefix("Value error, ")
    if len(location) > 1 and isinstance(location[1], int):
        message = f"entry {location[1] + 1}: {message}"
    return name, message


def _eval_conversations(knowledge: Knowledge, path: Path) -> int:
    from bot.conversation_eval import evaluate_conversations, read_conversations, report
    from bot.core import Brain

    try:
        conversations = read_conversations(path)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"frontdesk eval: {error}", file=sys.stderr)
        return 1
    tuned, untuned = asyncio.run(evaluate_conversations(Brain.build(knowledge), conversations))
    print(report(tuned, untuned, misses=15))
    return 0


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)


def _check(settings: Settings) -> int:
    from bot.checks import load_checked

    _, problems = load_checked(settings.intents_dir, settings.replies_dir)
    for problem in problems:
        print(problem)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


async def _chat(settings: Settings, knowledge: Knowledge, patient: str) -> int:
    from bot.console import run_console
    from bot.core import Brain, FrontDesk
    from bot.language import warm_up as warm_up_language
    from bot.store import Database, Store

    store = Store(Database(settings.database))
    await store.open()
    await asyncio.to_thread(warm_up_language)
    try:
        front_desk = FrontDesk(
            Brain.build(knowledge),
            store,
            settings.timezone,
            dt.timedelta(minutes=settings.topic_minutes),
        )
        return await run_console(front_desk, patient)
    finally:
        await store.close()


async def _unmatched(settings: Settings, since_text: str) -> int:
    from bot.store import Database
    from bot.unmatched import format_groups, parse_since, unmatched_questions

    try:
        since = parse_since(since_text)
    except ValueError as error:
        print(f"frontdesk unmatched: {error}", file=sys.stderr)
        return 2
    if isinstance(settings.database, Path) and not settings.database.exists():
        print(f"No conversations yet (no database at {settings.database}).")
        return 0
    database = Database(settings.database)
    await database.open()
    try:
        groups = await unmatched_questions(database, since, settings.message_retention_days)
    finally:
        await database.close()
    print(format_groups(groups))
    return 0


async def _web_link(settings: Settings, manager_id: int) -> int:
    from bot.store import Database
    from bot.store.web import WebRepository
    from bot.web.links import new_sign_in_link, public_base_url

    if manager_id not in settings.manager_ids:
        print(
            f"frontdesk web-link: {manager_id} is not in MANAGER_IDS; only clinic managers "
            "may sign in to the web page",
            file=sys.stderr,
        )
        return 2
    async with Database(settings.database) as database:
        link = await new_sign_in_link(
            WebRepository(database), manager_id, public_base_url(settings)
        )
    print(link)
    print("It works once, within 10 minutes.", file=sys.stderr)
    return 0


async def _migrate_db(settings: Settings, target: str) -> int:
    from bot.store import DatabaseUnwritable
    from bot.store.copy import CopyRefused, copy_sqlite_to_postgresql

    source = settings.database
    if not isinstance(source, Path):
        print(
            "frontdesk migrate-db: the configured database is not SQLite; set DATABASE_URL "
            "(or DATABASE_PATH) to the SQLite file to copy",
            file=sys.stderr,
        )
        return 2
    try:
        copied = await copy_sqlite_to_postgresql(source, target)
    except (CopyRefused, DatabaseUnwritable, ValueError) as error:
        print(f"frontdesk migrate-db: {error}", file=sys.stderr)
        return 1
    for table in copied:
        print(f"{table.table}: {table.rows} row(s)")
    total = sum(table.rows for table in copied)
    print(f"Copied {total} row(s) of {source} into PostgreSQL.", file=sys.stderr)
    return 0


def _match(knowledge: Knowledge, text: str) -> int:
    from bot.matcher import IntentMatcher

    matcher = IntentMatcher(knowledge)
    if text:
        print(json.dumps(matcher.match(text).as_dict(text), ensure_ascii=False))
        return 0
    for line in sys.stdin:
        line = line.rstrip("\n")
        print(json.dumps(matcher.match(line).as_dict(line), ensure_ascii=False), flush=True)
    return 0


def _eval(knowledge: Knowledge, path: Path, as_json: bool, dev_path: Path) -> int:
    from bot.baseline import BaselineMatcher
    from bot.evaluation import evaluate, read_labelled, report, side_by_side
    from bot.matcher import IntentMatcher

    if path.suffix in {".yaml", ".yml"}:
        return _eval_conversations(knowledge, path)

    try:
        messages = read_labelled(path)
    except (OSError, ValueError) as error:
        print(f"frontdesk eval: {error}", file=sys.stderr)
        return 1
    examples = [text for intent in knowledge.intents.values() for text in intent.examples]
    training = [*examples, *knowledge.out_of_scope]
    result = evaluate(IntentMatcher(knowledge), messages, training)
    try:
        dev = read_labelled(dev_path)
    except (OSError, ValueError) as error:
        print(
            f"frontdesk eval: baseline skipped, no dev set to tune it on: {error}", file=sys.stderr
        )
        print(json.dumps(result.as_dict(), indent=2) if as_json else report(result))
        return 0
    baseline = BaselineMatcher(knowledge)
    tuning = baseline.tune(dev)
    compared = evaluate(baseline, messages, training)
    same_set = path.resolve() == dev_path.resolve()
    if as_json:
        figures = {
            **result.as_dict(),
            "baseline": {
                "model": "TF-IDF word 1-2-grams + logistic regression, no none class",
                "threshold": round(tuning.threshold, 4),
                "tuned_on": str(dev_path),
                "tuned_on_this_set": same_set,
                "dev_off_topic_limit_met": tuning.met_limit,
                **compared.as_dict(),
            },
        }
        print(json.dumps(figures, indent=2))
        return 0
    limit = f"{tuning.max_off_topic:.0%}"
    lines = [
        "our matcher: TF-IDF word+char n-grams + linear SVM with a none class (bot/matcher.py)",
        report(result),
        "",
        f"baseline: TF-IDF + logistic regression, threshold {tuning.threshold:.3f} tuned on dev "
        f"({dev_path.name}: in-scope top-1 {tuning.accuracy:.1%}, off-topic accepted "
        f"{tuning.off_topic_rate:.1%}, limit {limit})",
    ]
    if not tuning.met_limit:
        lines.append(
            f"  no threshold keeps off-topic accepted <= {limit} on dev: took the one with the "
            f"lowest off-topic acceptance ({tuning.off_topic_rate:.1%})"
        )
    if same_set:
        lines.append("  (this is the set the threshold was tuned on)")
    lines.append(f"{path.name}, our matcher and the baseline side by side:")
    lines.append(side_by_side([("our matcher", result), ("baseline", compared)]))
    for text, expected, got in compared.critical_missed[:10]:
        lines.append(f"  baseline missed {expected} -> {got}: {text!r}")
    if len(compared.critical_missed) > 10:
        lines.append(f"  ... and {len(compared.critical_missed) - 10} more (--json lists them)")
    print("\n".join(lines))
    return 0
