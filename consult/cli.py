"""The ``consult`` command: serve, database, demo data, accounts."""

import argparse
import gc
import getpass
import importlib
import sys
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from consult.accounts.models import Role
from consult.accounts.services import UnknownCommission, create_user
from consult.db import dispose_engines, make_engine, session_scope
from consult.settings import Settings

# Each area adds its sub-commands (`consult questionnaire ...`, `consult campaign ...`) from its
# own module in consult/commands/: a function register(subparsers) whose handlers take
# (settings, args) and return the exit code. Listed with the top-level commands it adds, so
# that `consult results report` imports the results area only (each area's module brings its
# services and their libraries: a quarter of a second for all of them); help, or a command
# not listed here, imports every area.
AREA_COMMANDS: dict[str, tuple[str, ...]] = {
    "consult.commands.maintenance": ("backup", "restore"),
    "consult.commands.results": ("results",),
    "consult.commands.questionnaires": ("questionnaire",),
    "consult.commands.campaigns": ("campaign",),
    "consult.commands.retention": ("retention",),  # privacy
    "consult.commands.audit": ("audit",),  # privacy
    "consult.commands.population": ("population",),  # representativeness
}
OWN_COMMANDS = ("serve", "db", "demo", "createuser")


def area_modules(argv: list[str]) -> list:
    """The modules of consult/commands/ that the command line needs."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command in OWN_COMMANDS and "-h" not in argv and "--help" not in argv:
        return []
    chosen = [m for m, names in AREA_COMMANDS.items() if command in names]
    return [importlib.import_module(m) for m in chosen or AREA_COMMANDS]


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import signal

    import uvicorn

    # uvicorn finishes the requests in flight on SIGTERM, then raises it again; a stop that
    # was asked for is then a clean exit (0) for the service manager, not a death by signal.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(
        "consult.app:app_from_env",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        proxy_headers=True,
        timeout_graceful_shutdown=20,
        # A worker importing pandas and WeasyPrint on a busy small server needs more than
        # uvicorn's 5 s to answer its first health check; it was killed and restarted in a loop.
        timeout_worker_healthcheck=60,
        # No access log: it would keep respondents' addresses (minors among them) next to
        # the times they answered, and it cost ~7 % of the server's CPU on the hot paths.
        access_log=False,
        log_level="info",
    )
    return 0


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from consult.migrations import upgrade

    upgrade(settings)
    print("database is up to date")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from consult.demo import DEMO_LOGINS, load_demo

    created = load_demo(make_engine(settings.database_url), seed=args.seed)
    print("demo data loaded" if created else "demo data already present")
    for email, password, role in DEMO_LOGINS:
        print(f"  {role:<12} {email:<32} {password}")
    return 0


def cmd_createuser(settings: Settings, args: argparse.Namespace) -> int:
    password = args.password or getpass.getpass("Password: ")
    if len(password) < 10:
        print("error: the password needs at least 10 characters", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            user = create_user(
                session, args.email, args.name, password, Role(args.role), tuple(args.commission)
            )
            user_id = user.id
    except IntegrityError:
        print(f"error: a user with the e-mail address {args.email} already exists", file=sys.stderr)
        return 2
    except UnknownCommission as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(user_id)
    return 0


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of those ``argv`` asks for (its area's only)."""
    parser = argparse.ArgumentParser(prog="consult", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in area_modules(sys.argv[1:] if argv is None else argv):
        module.register(sub)

    serve = sub.add_parser("serve", help="serve the web application")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the database").set_defaults(
        func=cmd_db_upgrade
    )

    demo = sub.add_parser(
        "demo", help="load the demo data (once; running it again changes nothing)"
    )
    demo.add_argument("--seed", type=int, default=2012)
    demo.set_defaults(func=cmd_demo)

    user = sub.add_parser("createuser", help="create an account")
    user.add_argument("email")
    user.add_argument("--name", required=True)
    user.add_argument("--role", choices=[r.value for r in Role], default=Role.MEMBER.value)
    user.add_argument("--commission", action="append", default=[], help="commission slug")
    user.add_argument("--password", help="read from the terminal when omitted")
    user.set_defaults(func=cmd_createuser)
    return parser


@contextmanager
def fewer_collections(argv: list[str]):
    """A command other than ``serve`` runs for seconds and allocates a great deal (its
    imports, a report's layout): Python's cyclic collector, run every 700 allocations and
    walking every object imported, took a sixth of `consult results report`. Inside, it
    runs every 10,000 and leaves what was imported aside (``gc.freeze``); as before after."""
    if "serve" in argv[:1]:
        yield lambda: None
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with fewer_collections(argv) as imported:
        args = build_parser(argv).parse_args(argv)
        imported()
        try:
            return args.func(Settings.from_env(), args)
        finally:
            dispose_engines()


if __name__ == "__main__":
    sys.exit(main())
