"""`consult results ...`: export a campaign's responses, render its report, create API tokens."""

import argparse
import json
import sys
from pathlib import Path

from sqlmodel import Session

from consult.accounts import audit
from consult.accounts.tokens import SCOPES, create_token_for_email
from consult.db import make_engine, session_scope
from consult.settings import Settings
from consult.web.areas.results_report import report_pdf
from surveys import results as service
from surveys.messages import render, render_import
from surveys.problems import Problem
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


NO_PUBLIC_ROWS = (
    "error: a file with one row per respondent is never made public (age, gender and "
    "neighbourhood are enough to recognise a young person); share the public summaries "
    "instead: /campaigns/{slug}/results/summaries.xlsx?public=1, or `consult results report "
    "{slug} --public`"
)


NO_PUBLIC_WEIGHTS = (
    "error: a public report is never weighted (its small numbers are judged on the people "
    "who answered); leave out --public for a weighted report, or --weighted for a public one"
)


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    if args.public:
        print(NO_PUBLIC_ROWS.format(slug=args.slug), file=sys.stderr)
        return 2
    data = _load(settings, args.slug, args.lang)
    if data is None:
        print(f"error: no campaign has the slug {args.slug!r}", file=sys.stderr)
        return 2
    weights = None
    if args.weighted:
        weights, problems = _weights(settings, data, args.lang)
        if problems:
            for problem in problems:
                print(f"error: {render(problem, args.lang)}", file=sys.stderr)
            return 2
    file = export_responses(
        data,
        args.format,
        separator=args.separator,
        weights=weights,
        labels=args.labels,
    )
    output = Path(args.output or file.filename)
    output.write_bytes(file.content)
    _log(settings, audit.EXPORT, data, args.format)
    print(f"{len(data.frame)} responses written to {output}")
    return 0


def _weights(settings: Settings, data, lang: str):
    """Raking weights of the campaign's respondents to its population margins."""
    from surveys import population  # imported by the commands that use them only

    with Session(make_engine(settings.database_url)) as session:
        found = population.population_of(session, data.campaign.id)
    if found is None:
        return None, [Problem("P_NO_MARGINS")]
    raking, problems = population.weights_for(data.frame, data.codebook, found)
    return (raking.weights if raking else None), problems


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 0 with the count stored; exit 2 with coded problems and nothing stored."""
    from surveys.capture import document_of
    from surveys.response_import import import_responses

    path = Path(args.file)
    try:
        data = path.read_bytes()
        mapping = json.loads(Path(args.mapping).read_text()) if args.mapping else None
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lang = settings.default_language
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            campaign = service.find_campaign(session, args.slug)
            if campaign is None:
                print(f"error: no campaign has the slug {args.slug!r}", file=sys.stderr)
                return 2
            document = document_of(session, campaign.version_id)
            outcome = import_responses(
                session, campaign, document, data, path.name, mapping=mapping, dry_run=args.dry_run
            )
    finally:
        engine.dispose()
    for warning in outcome.warnings:
        print(f"warning: {render_import(warning, lang)}", file=sys.stderr)
    if outcome.problems:
        for problem in outcome.problems:
            print(f"{path.name}: {render_import(problem, lang)}", file=sys.stderr)
        print(f"{len(outcome.problems)} problem(s): nothing stored", file=sys.stderr)
        return 2
    verb = "would be stored" if args.dry_run else "stored"
    print(f"{outcome.stored} responses {verb}, {outcome.skipped} already imported")
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    data = _load(settings, args.slug, args.lang)
    if data is None:
        print(f"error: no campaign has the slug {args.slug!r}", file=sys.stderr)
        return 2
    weighting = None
    if args.weighted:
        if args.public:
            print(NO_PUBLIC_WEIGHTS, file=sys.stderr)
            return 2
        from surveys.results.weighting import weighting_of  # raking: this command's only

        with Session(make_engine(settings.database_url)) as session:
            weighting, problems = weighting_of(session, data)
        if weighting is None:
            for problem in problems:
                print(f"error: {render(problem, args.lang)}", file=sys.stderr)
            return 2
    report = service.campaign_report(data, _k(settings), public=args.public, weighting=weighting)
    output = Path(args.output or f"{args.slug}-report.pdf")
    output.write_bytes(report_pdf(report, args.lang))
    kind = " public" if args.public else (" weighted" if weighting else "")
    _log(settings, audit.REPORT, data, f"pdf{kind}")
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
    export.add_argument(
        "--public",
        action="store_true",
        help="refused: row-level data is never public (use the public summaries)",
    )
    export.add_argument(
        "--weighted", action="store_true", help="add a weight column (raking to the margins)"
    )
    export.add_argument("--separator", choices=[",", ";"], default=",", help="CSV separator")
    export.add_argument(
        "--labels", action="store_true", help="CSV/XLSX: choice labels instead of codes"
    )
    export.add_argument("--lang", choices=["fr", "en"], default="fr")
    export.add_argument("-o", "--output", help="file to write (default: <slug>.<format>)")
    export.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help="responses from a CSV or XLSX file (Kobo, LimeSurvey...)")
    imp.add_argument("slug")
    imp.add_argument("file")
    imp.add_argument("--mapping", help='JSON file: {column: question name or ""}')
    imp.add_argument("--dry-run", action="store_true", help="check everything, store nothing")
    imp.set_defaults(func=cmd_import)

    report = sub.add_parser("report", help="a campaign's results report as PDF")
    report.add_argument("slug")
    report.add_argument("--public", action="store_true", help="hide figures of fewer than k")
    report.add_argument(
        "--weighted",
        action="store_true",
        help="weighted shares with their 95%% intervals, and how the weights were made",
    )
    report.add_argument("--lang", choices=["fr", "en"], default="fr")
    report.add_argument("-o", "--output", help="file to write (default: <slug>-report.pdf)")
    report.set_defaults(func=cmd_report)

    token = sub.add_parser("token", help="create a read-only API token for a user")
    token.add_argument("email")
    token.add_argument("--name", default="", help="what the token is for")
    token.add_argument("--scope", choices=SCOPES, default="commission")
    token.set_defaults(func=cmd_token)
