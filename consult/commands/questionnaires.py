"""`consult questionnaire import|export|list`: questionnaires from and to files.

``import`` reads a Consult JSON document or an XLSForm workbook; on a problem it prints every
coded problem (sheet, row and column for XLSForm) in the default language, exits 2 and creates
nothing. ``export`` writes the latest version (or ``--version N``) as JSON or XLSForm.
"""

import argparse
import sys
from pathlib import Path

from sqlmodel import select

from consult.db import make_engine, session_scope
from consult.network.models import Commission
from consult.settings import Settings
from surveys import questionnaires as service
from surveys.document import to_json
from surveys.messages import render
from surveys.xlsform import export_xlsform

SUFFIXES = (".json", ".xlsx", ".xls")


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _commission_id(session, slug: str | None) -> tuple[int | None, str | None]:
    commissions = list(session.exec(select(Commission).order_by(Commission.slug)).all())
    if slug:
        found = [c for c in commissions if c.slug == slug]
        return (found[0].id, None) if found else (None, f"no commission has the slug {slug!r}")
    if len(commissions) == 1:
        return commissions[0].id, None
    slugs = ", ".join(c.slug for c in commissions) or "none yet"
    return None, f"choose the commission with --commission SLUG (commissions: {slugs})"


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.suffix.lower() not in SUFFIXES:
        return _error(f"{path.name}: expected a .json, .xlsx or .xls file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _error(f"cannot read {path}: {exc.strerror}")
    lang = settings.default_language
    with session_scope(make_engine(settings.database_url)) as session:
        commission_id, problem = _commission_id(session, args.commission)
        if problem:
            return _error(problem)
        created = service.import_questionnaire(session, commission_id, data, path.name, lang)
    for warning in created.warnings:
        print(f"warning: {render(warning, lang)}", file=sys.stderr)
    if created.questionnaire is None:
        for p in created.problems:
            print(f"{path.name}: {render(p, lang)}", file=sys.stderr)
        return 2
    print(created.questionnaire.id)
    return 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    with session_scope(make_engine(settings.database_url)) as session:
        if service.get_questionnaire(session, args.id) is None:
            return _error(f"no questionnaire has the id {args.id}")
        version = (
            service.get_version(session, args.id, args.version)
            if args.version
            else service.latest_version(session, args.id)
        )
        if version is None:
            return _error(f"questionnaire {args.id} has no version {args.version}")
        document = service.document_of(version)
    content = to_json(document).encode() if args.format == "json" else export_xlsform(document)
    Path(args.output).write_bytes(content)
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    with session_scope(make_engine(settings.database_url)) as session:
        slugs = {c.id: c.slug for c in session.exec(select(Commission)).all()}
        summaries = service.list_questionnaires(session, None)
    for s in sorted(summaries, key=lambda s: s.id):
        status = "published" if s.published else "draft"
        print(f"{s.id}\t{slugs.get(s.commission_id, '?')}\tv{s.latest_number}\t{status}\t{s.title}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("questionnaire", help="import, export and list questionnaires")
    sub = parser.add_subparsers(dest="questionnaire_command", required=True)

    imp = sub.add_parser("import", help="create a questionnaire from a .json or XLSForm file")
    imp.add_argument("file")
    imp.add_argument("--commission", help="commission slug (needed when there are several)")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="write a questionnaire as JSON or XLSForm")
    exp.add_argument("id", type=int)
    exp.add_argument("--format", choices=["json", "xlsform"], default="json")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument("--version", type=int, help="version number (default: the latest)")
    exp.set_defaults(func=cmd_export)

    sub.add_parser("list", help="id, commission, latest version, status, title").set_defaults(
        func=cmd_list
    )
