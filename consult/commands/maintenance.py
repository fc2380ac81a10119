"""`consult backup` and `consult restore`: SQLite's online backup, safe while the app serves."""

import sqlite3
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from consult.settings import Settings


def _sqlite_path(settings: Settings) -> Path | None:
    if not settings.is_sqlite:
        return None
    return Path(settings.database_url.removeprefix("sqlite:///"))


def integrity_problem(path: Path) -> str | None:
    """None when the file is a sound SQLite database, else what is wrong with it."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if result == "ok" else result


def copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent snapshot, taken while writers keep going, and
    written through SQLite's own locking (so it also restores into a database in WAL mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def cmd_backup(settings: Settings, args) -> int:
    if _sqlite_path(settings) is None:
        print(
            "error: `consult backup` is for the SQLite database; on PostgreSQL use "
            "pg_dump --format=custom (see the README)",
            file=sys.stderr,
        )
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = Path(args.output or settings.var_dir / "backups" / f"consult-{stamp}.db")
    copy_database(_sqlite_path(settings), target)
    problem = integrity_problem(target)
    if problem:
        print(f"error: the backup {target} failed its integrity check: {problem}", file=sys.stderr)
        return 1
    print(target)
    return 0


def cmd_restore(settings: Settings, args) -> int:
    current = _sqlite_path(settings)
    if current is None:
        print("error: on PostgreSQL use pg_restore (see the README)", file=sys.stderr)
        return 2
    source = Path(args.file)
    if not source.exists():
        print(f"error: no file {source}", file=sys.stderr)
        return 2
    problem = integrity_problem(source)
    if problem:
        print(f"error: {source} is not a sound Consult database: {problem}", file=sys.stderr)
        return 2
    if current.exists():
        # Keep what was there: a restore must never be the thing that loses data.
        kept = current.with_suffix(f".before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}.db")
        copy_database(current, kept)
        print(f"the previous database is kept as {kept}")
    copy_database(source, current)
    print(f"restored {source} into {current}; restart the server")
    return 0


def register(subparsers) -> None:
    backup_parser = subparsers.add_parser(
        "backup", help="copy the SQLite database safely, even while the app serves"
    )
    backup_parser.add_argument("-o", "--output", help="file to write (default: var/backups/...)")
    backup_parser.set_defaults(func=cmd_backup)
    restore_parser = subparsers.add_parser(
        "restore", help="replace the SQLite database by a backup (stop the server first)"
    )
    restore_parser.add_argument("file")
    restore_parser.set_defaults(func=cmd_restore)
