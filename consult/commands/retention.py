"""`consult retention [--dry-run]`: delete expired drafts and responses, per campaign.

Each campaign says how long it keeps unfinished drafts (days since their last change) and
sent responses (years since submission). Run it daily (cron or a systemd timer); running it
twice in a row deletes nothing the second time.
"""

import argparse
from datetime import UTC, datetime

from sqlmodel import Session

from consult.db import make_engine
from consult.settings import Settings
from surveys import privacy


def _line(item: privacy.Expired, verb: str) -> str:
    kept = (
        f"sent before {item.responses_before:%Y-%m-%d}"
        if item.responses_before is not None
        else "kept (no limit)"
    )
    return (
        f"{item.slug}: {verb} {item.drafts} draft(s) untouched since "
        f"{item.drafts_before:%Y-%m-%d}, {item.responses} response(s) {kept}"
    )


def cmd_retention(settings: Settings, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            if args.dry_run:
                items, verb = privacy.expired(session, now), "would delete"
            else:
                items, verb = privacy.apply_retention(session, now), "deleted"
    finally:
        engine.dispose()
    for item in items:
        print(_line(item, verb))
    drafts = sum(i.drafts for i in items)
    responses = sum(i.responses for i in items)
    print(f"total: {verb} {drafts} draft(s) and {responses} response(s)")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "retention", help="delete drafts and responses kept longer than their campaign allows"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be deleted, delete nothing"
    )
    parser.set_defaults(func=cmd_retention)
