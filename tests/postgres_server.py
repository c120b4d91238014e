"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a unix socket.

The server listens on no TCP port at all, only on a socket in its own folder, so parallel runs
and a server already on the machine never collide. As root, initdb and the server run as the
`postgres` user (initdb refuses root); the folder is handed to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

#: Where Debian and the official images put the binaries, newest version first.
SEARCHED = ("/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
USER = "frontdesk"
TEMPLATE = "frontdesk_template"


def find_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None when PostgreSQL is not here."""
    on_path = shutil.which("initdb")
    candidates = [*SEARCHED, *([str(Path(on_path).parent)] if on_path else [])]
    for folder in candidates:
        if all(os.access(Path(folder) / name, os.X_OK) for name in ("initdb", "pg_ctl")):
            # /usr/local/bin may hold links to a few of them: psql is beside the real initdb.
            return Path(os.path.realpath(Path(folder) / "initdb")).parent
    return None


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return command if owner is None else ["runuser", "-u", owner, "--", *command]


@dataclass
class PostgresServer:
    """A running throwaway cluster; `url(name)` addresses one of its databases."""

    folder: Path
    binaries: Path
    owner: str | None

    @property
    def socket_folder(self) -> Path:
        """Where the server's unix socket is."""
        return self.folder / "socket"

    def url(self, database: str = "postgres") -> str:
        """A `postgresql://` address of one database, over the socket."""
        return f"postgresql://{USER}@/{database}?host={self.socket_folder}"

    @classmethod
    def start(cls) -> PostgresServer:
        """initdb into a new temporary folder and start the server on a socket there."""
        binaries = find_binaries()
        if binaries is None:
            raise FileNotFoundError("no PostgreSQL binaries (initdb, pg_ctl) found")
        folder = Path(tempfile.mkdtemp(prefix="frontdesk-pg-"))
        owner = None
        if os.geteuid() == 0:
            owner = "postgres"
            user = pwd.getpwnam(owner)
            os.chown(folder, user.pw_uid, user.pw_gid)
        (folder / "socket").mkdir()
        if owner is not None:
            user = pwd.getpwnam(owner)
            os.chown(folder / "socket", user.pw_uid, user.pw_gid)
        data = folder / "data"
        subprocess.run(
            _as_owner(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ],
                owner,
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses='' -k {folder / 'socket'} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        started = subprocess.run(
            _as_owner(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ],
                owner,
            ),
            check=False,
            # The server inherits pg_ctl's output: a pipe would never reach its end.
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = cls(folder, binaries, owner)
        if started.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"PostgreSQL did not start:\n{log}")
        return server

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        subprocess.run(
            _as_owner(
                [str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate"]
                + ["-w", "stop"],
                self.owner,
            ),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL with psql (as the cluster's superuser), returning its output."""
        done = subprocess.run(
            [
                str(self.binaries / "psql"),
                "-h",
                str(self.socket_folder),
                "-U",
                USER,
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-Atqc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def fresh_database(self, template: str | None = None) -> str:
        """A new empty database (copied from `template` if given); returns its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        clause = f" TEMPLATE {template}" if template else ""
        for attempt in range(20):  # a template still in use by a closing connection: retry
            try:
                self.psql(f"CREATE DATABASE {name}{clause}")
                return name
            except subprocess.CalledProcessError:
                if attempt == 19:
                    raise
                time.sleep(0.1)
        return name
