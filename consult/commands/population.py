"""`consult population import|show`: a campaign's population margins from the command line."""

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from consult.db import make_engine
from consult.settings import Settings
from surveys import population as service
from surveys import results
from surveys.messages import render
from surveys.models import Campaign


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    lines: service.Lines = {}
    margins, problems = service.parse_margins_csv(Path(args.file).read_bytes(), lines)
    with Session(make_engine(settings.database_url), expire_on_commit=False) as session:
        info = results.find_campaign(session, args.slug)
        if info is None:
            print(f"error: there is no campaign {args.slug}", file=sys.stderr)
            return 2
        data = results.load_results(session, [info], args.lang)
        if not problems:
            _columns, _renamed, problems = service.margin_columns(
                data.frame, data.codebook, margins, lines
            )
        if problems:
            for problem in problems:
                print(f"error: {render(problem, args.lang)}", file=sys.stderr)
            return 2
        population = service.Population(margins, args.source, args.year, args.illustrative)
        campaign = session.get(Campaign, info.id)
        targets = service.series_campaign_ids(session, campaign) if args.series else [info.id]
        for campaign_id in targets:
            service.save_population(session, campaign_id, population)
        session.commit()
    print(f"{len(margins)} margins saved for {len(targets)} campaign(s)")
    return 0


def cmd_show(settings: Settings, args: argparse.Namespace) -> int:
    with Session(make_engine(settings.database_url)) as session:
        info = results.find_campaign(session, args.slug)
        if info is None:
            print(f"error: there is no campaign {args.slug}", file=sys.stderr)
            return 2
        population = service.population_of(session, info.id)
        if population is None:
            print(f"error: campaign {args.slug} has no population margins", file=sys.stderr)
            return 2
        data = results.load_results(session, [info], args.lang)
    note = " (illustrative)" if population.illustrative else ""
    print(f"source: {population.source} {population.year or ''}{note}".rstrip())
    table, _by_channel, problems = service.monitor(data.frame, data.codebook, population)
    for problem in problems:
        print(f"warning: {render(problem, args.lang)}", file=sys.stderr)
    print(
        f"{'variable':<20} {'category':<22} {'population':>10} {'sample':>8} {'n':>5} {'ratio':>6}"
    )
    for row in table.itertuples():
        flag = "  under" if row.under else ""
        print(
            f"{row.variable:<20} {row.category:<22} {row.population_share:>10.1%} "
            f"{row.sample_share:>8.1%} {row.respondents:>5} {row.ratio:>6.2f}{flag}"
        )
    return 0


def register(subparsers) -> None:
    population = subparsers.add_parser("population", help="population margins of a campaign")
    sub = population.add_subparsers(dest="population_command", required=True)
    importing = sub.add_parser("import", help="read margins from a CSV file")
    importing.add_argument("slug")
    importing.add_argument("file")
    importing.add_argument("--source", default="", help='e.g. "INSEE RP 2021, 15-24 ans"')
    importing.add_argument("--year", type=int, default=None)
    importing.add_argument("--illustrative", action="store_true")
    importing.add_argument("--series", action="store_true", help="for every wave of the series")
    importing.add_argument("--lang", default="fr", choices=["fr", "en"])
    importing.set_defaults(func=cmd_import)
    showing = sub.add_parser("show", help="margins against the respondents so far")
    showing.add_argument("slug")
    showing.add_argument("--lang", default="fr", choices=["fr", "en"])
    showing.set_defaults(func=cmd_show)
