"""Restoring the global logging set-up that `configure_logging` changes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.logs import LIBRARY_LOGGERS, StderrHandler, TokenRedactor


@contextmanager
def logging_left_as_found() -> Iterator[None]:
    """Undo configure_logging: our handler, our filters and the levels it set."""
    root = logging.getLogger()
    level = root.level
    libraries = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if isinstance(handler, StderrHandler):
                root.removeHandler(handler)
                handler.close()
            for redactor in [f for f in handler.filters if isinstance(f, TokenRedactor)]:
                handler.removeFilter(redactor)
        root.setLevel(level)
        for name, library_level in libraries.items():
            logging.getLogger(name).setLevel(library_level)
