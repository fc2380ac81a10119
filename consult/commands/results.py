"""`consult results ...`: export a campaign's responses, render its report, create API tokens."""

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from consult.accounts import audit
from consult.accounts.tokens import SCOPES, create_token_for_email
from consult.db import make_engine, session_scope
from consult.settings import Settings
from consult.web.results_report import report_pdf
from surveys import results as service
from surveys.results_exports import FORMATS, export_responses


def _k(settings: Settings) -> int:
    return settings.suppression_k


def _load(settings: Settings, slug: str, lang: str):
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        campaign = service.find_campaign(session, slug)
        if campaign is None:
            return None
        return service.load_results(session, [campaign], lang, cache=None)


def _log(settings: Settings, action: str, data, detail: str) -> None:
    with Session(make_engine(settings.database_url)) as session:
        for campaign in data.campaigns:
            audit.record(
                session,
                action,
                audit.COMMAND_LINE,
                campaign_id=campaign.id,
                campaign_slug=campaign.slug,
                detail=detail,
            )


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    data = _load(settings, args.slug, args.lang)
    if data is None:
        print(f"error: no campaign has the slug {args.slug!r}", file=sys.stderr)
        return 2
    k = _k(settings) if args.public else None
    file = export_responses(data, args.format, k=k, separator=args.separator)
    output = Path(args.output or file.filename)
    output.write_bytes(file.content)
    _log(settings, audit.EXPORT, data, f"{args.format}{' public' if args.public else ''}")
    print(f"{len(data.frame)} responses written to {output}")
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    data = _load(settings, args.slug, args.lang)
    if data is None:
        print(f"error: no campaign has the slug {args.slug!r}", file=sys.stderr)
        return 2
    report = service.campaign_report(data, _k(settings), public=args.public)
    output = Path(args.output or f"{args.slug}-report.pdf")
    output.write_bytes(report_pdf(report, args.lang))
    _log(settings, audit.REPORT, data, f"pdf{' public' if args.public else ''}")
    print(f"report written to {output}")
    return 0


def cmd_token(settings: Settings, args: argparse.Namespace) -> int:
    with session_scope(make_engine(settings.database_url)) as session:
        token = create_token_for_email(session, args.email, args.name, args.scope)
    if token is None:
        print(f"error: no user has the e-mail address {args.email}", file=sys.stderr)
        return 2
    print(token)
    return 0


def register(subparsers) -> None:
    results = subparsers.add_parser("results", help="campaign results: exports, report, API tokens")
    sub = results.add_subparsers(dest="results_command", required=True)

    export = sub.add_parser("export", help="a campaign's complete responses as a file")
    export.add_argument("slug")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--public", action="store_true", help="hide values of fewer than k people")
    export.add_argument("--separator", choices=[",", ";"], default=",", help="CSV separator")
    export.add_argument("--lang", choices=["fr", "en"], default="fr")
    export.add_argument("-o", "--output", help="file to write (default: <slug>.<format>)")
    export.set_defaults(func=cmd_export)

    report = sub.add_parser("report", help="a campaign's results report as PDF")
    report.add_argument("slug")
    report.add_argument("--public", action="store_true", help="hide figures of fewer than k")
    report.add_argument("--lang", choices=["fr", "en"], default="fr")
    report.add_argument("-o", "--output", help="file to write (default: <slug>-report.pdf)")
    report.set_defaults(func=cmd_report)

    token = sub.add_parser("token", help="create a read-only API token for a user")
    token.add_argument("email")
    token.add_argument("--name", default="", help="what the token is for")
    token.add_argument("--scope", choices=SCOPES, default="commission")
    token.set_defaults(func=cmd_token)
