"""`consult questionnaire import|export|list`: questionnaires from and to files.

``import`` reads a Consult JSON document, an XLSForm workbook (alone, or in a .zip with the
pictures of its choices) or a LimeSurvey .lss; on a problem it prints every coded problem
(sheet, row and column for XLSForm) in the default language, exits 2 and creates nothing.
``export`` writes the latest version (or ``--version N``) as JSON, XLSForm, or a .zip of the
XLSForm and its pictures.
"""

import argparse
import sys
from pathlib import Path

from sqlmodel import select

from consult.db import make_engine, session_scope
from consult.network.models import Commission
from consult.settings import Settings
from surveys import image_store, xlsform_media
from surveys import questionnaires as service
from surveys.document import to_json
from surveys.messages import render
from surveys.xlsform_export import export_xlsform

SUFFIXES = (".json", ".xlsx", ".xls", ".lss", ".zip")


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
        return _error(f"{path.name}: expected a .json, .xlsx, .xls, .lss or .zip file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _error(f"cannot read {path}: {exc.strerror}")
    lang = settings.default_language
    with session_scope(make_engine(settings.database_url)) as session:
        commission_id, problem = _commission_id(session, args.commission)
        if problem:
            return _error(problem)
        created = service.import_questionnaire(
            session, commission_id, data, path.name, lang, settings.max_questions
        )
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
        if args.format == "json":
            content = to_json(document).encode()
        elif args.format == "zip":  # the workbook and its choices' pictures, as ODK has them
            stem = f"questionnaire-{args.id}"
            pictures = image_store.pictures_of(session, document)
            content = xlsform_media.bundle(export_xlsform(document), stem, pictures)
        else:
            content = export_xlsform(document)
    Path(args.output).write_bytes(content)
    return 0


def cmd_publish(settings: Settings, args: argparse.Namespace) -> int:
    """Publish the draft of an (imported) questionnaire: import -> publish -> campaign."""
    lang = settings.default_language
    with session_scope(make_engine(settings.database_url)) as session:
        if service.get_questionnaire(session, args.id) is None:
            return _error(f"no questionnaire has the id {args.id}")
        published = service.publish(session, args.id)
        number = published.version.number if published.version else None
    if published.version is None:
        for p in published.problems:
            print(f"{args.id}: {render(p, lang)}", file=sys.stderr)
        return 2
    print(f"questionnaire {args.id} version {number} published")
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

    imp = sub.add_parser(
        "import",
        help="create a questionnaire from a .json, XLSForm (.xlsx, .xls, or .zip with its "
        "pictures) or LimeSurvey .lss file",
    )
    imp.add_argument("file")
    imp.add_argument("--commission", help="commission slug (needed when there are several)")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser(
        "export", help="write a questionnaire as JSON, XLSForm, or XLSForm and pictures (.zip)"
    )
    exp.add_argument("id", type=int)
    exp.add_argument("--format", choices=["json", "xlsform", "zip"], default="json")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument("--version", type=int, help="version number (default: the latest)")
    exp.set_defaults(func=cmd_export)

    pub = sub.add_parser("publish", help="publish the draft of a questionnaire")
    pub.add_argument("id", type=int)
    pub.set_defaults(func=cmd_publish)

    sub.add_parser("list", help="id, commission, latest version, status, title").set_defaults(
        func=cmd_list
    )
