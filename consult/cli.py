"""The ``consult`` command: serve, database, demo data, accounts."""

import argparse
import getpass
import sys

from sqlalchemy.exc import IntegrityError

from consult.accounts.models import Role
from consult.accounts.services import UnknownCommission, create_user
from consult.commands import audit as audit_commands
from consult.commands import campaigns as campaign_commands
from consult.commands import maintenance
from consult.commands import questionnaires as questionnaire_commands
from consult.commands import results as results_commands
from consult.commands import retention as retention_commands
from consult.db import make_engine, session_scope
from consult.settings import Settings

# Each area adds its sub-commands (`consult questionnaire ...`, `consult campaign ...`) from its
# own module in consult/commands/: a function register(subparsers) whose handlers take
# (settings, args) and return the exit code.
AREA_COMMANDS: list = [maintenance.register]
AREA_COMMANDS.append(results_commands.register)
AREA_COMMANDS.append(questionnaire_commands.register)
AREA_COMMANDS.append(campaign_commands.register)
AREA_COMMANDS += [retention_commands.register, audit_commands.register]  # privacy


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="consult", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for register in AREA_COMMANDS:
        register(sub)

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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(Settings.from_env(), args)


if __name__ == "__main__":
    sys.exit(main())
