"""`consult audit`: print the audit log of raw-answer access (exports, reports, API, free text)."""

import argparse
import sys

from sqlmodel import Session, select

from consult.accounts import audit
from consult.accounts.models import User
from consult.db import make_engine
from consult.settings import Settings


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            user_id = None
            if args.user:
                user_id = session.exec(
                    select(User.id).where(User.email == args.user.strip().lower())
                ).first()
                if user_id is None:
                    print(f"error: no user has the e-mail address {args.user}", file=sys.stderr)
                    return 2
            chosen = audit.AuditFilter(user_id, args.campaign or "", args.action or "")
            events = audit.list_events(session, chosen, limit=args.limit)
    finally:
        engine.dispose()
    for e in events:
        print(f"{e.at:%Y-%m-%d %H:%M:%S}\t{e.actor}\t{e.action}\t{e.campaign_slug}\t{e.detail}")
    if not events:
        print("no event", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit", help="who exported or read raw answers, most recent first"
    )
    parser.add_argument("--user", help="only this account (e-mail address)")
    parser.add_argument("--campaign", help="only this campaign (slug)")
    parser.add_argument("--action", choices=audit.ACTIONS)
    parser.add_argument("--limit", type=int, default=audit.PAGE_SIZE)
    parser.set_defaults(func=cmd_audit)
