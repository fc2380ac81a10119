"""`consult campaign open|list`: run a questionnaire as a campaign from the command line."""

import argparse
import sys
from datetime import UTC, datetime

from sqlmodel import Session

from consult.db import make_engine
from consult.settings import Settings
from surveys import campaigns as service
from surveys import capture
from surveys.models import Questionnaire


def cmd_open(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        if session.get(Questionnaire, args.questionnaire_id) is None:
            print(f"error: there is no questionnaire {args.questionnaire_id}", file=sys.stderr)
            return 2
        version = service.latest_published(session, args.questionnaire_id)
        if version is None:
            print(
                f"error: questionnaire {args.questionnaire_id} has no published version; "
                "publish one first",
                file=sys.stderr,
            )
            return 2
        values = service.CampaignValues(
            name=args.name, version_id=version.id, slug=args.slug or "", closes=args.closes or ""
        )
        campaign, problems = service.save_campaign(session, values)
        if problems:
            for problem in problems:
                print(f"error: {problem.where}: {problem.code} {problem.params}", file=sys.stderr)
            return 2
        base = args.base_url or f"http://{settings.host}:{settings.port}"
        print(f"{base.rstrip('/')}/r/{campaign.slug}")
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(settings.database_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        print(f"{'slug':<32} {'status':<10} {'completes':>9} {'drafts':>7}")
        for row in service.summarise_campaigns(session, None):
            campaign = capture.find_campaign(session, row.slug)
            state = capture.campaign_state(campaign, now, row.completes)
            print(f"{row.slug:<32} {state:<10} {row.completes:>9} {row.drafts:>7}")
    return 0


def register(subparsers) -> None:
    campaign = subparsers.add_parser("campaign", help="campaigns: open one, list them")
    sub = campaign.add_subparsers(dest="campaign_command", required=True)
    opening = sub.add_parser("open", help="open a campaign on the latest published version")
    opening.add_argument("questionnaire_id", type=int)
    opening.add_argument("--name", required=True)
    opening.add_argument("--slug", help="short link; made from the name when omitted")
    opening.add_argument("--closes", help="closing day, YYYY-MM-DD or DD/MM/YYYY")
    opening.add_argument("--base-url", help="public address of the site, for the printed link")
    opening.set_defaults(func=cmd_open)
    sub.add_parser("list", help="slug, status and counts of every campaign").set_defaults(
        func=cmd_list
    )
