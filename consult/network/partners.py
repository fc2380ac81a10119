"""The directory of partners: search, records, CSV import and export. No web framework here."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, col, delete, select

from analysis.exports import neutralise, restore
from consult.network.models import (
    Attendance,
    Commission,
    CommissionPartner,
    Partner,
    PartnerTheme,
    Plenary,
    Project,
    ProjectPartner,
)
from consult.network.themes import KINDS, THEMES
from surveys.models import Campaign, Response
from surveys.problems import Problem, ProblemsError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
RESERVED = {"new", "print", "import"}  # paths under /partners/
YES = {"oui", "yes", "o", "y", "1", "true", "vrai", "x"}
NO = {"non", "no", "n", "0", "false", "faux", ""}
LIMITS = {"slug": 80, "name": 200, "place": 300, "hours": 300}
CONTACT_FIELDS = ("name", "role", "phone", "email")
CSV_COLUMNS = (
    "slug",
    "name",
    "kind",
    "charter_signed",
    "charter_date",
    "themes",
    "objectives",
    "public",
    "access_conditions",
    "place",
    "hours",
    "contacts",
)


def channel_of(slug: str) -> str:
    """The channel tag of the responses a partner collected (set by the campaigns area)."""
    return f"partner:{slug}"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


@dataclass
class PartnerInput:
    """A partner as typed in a form or a CSV row: every value a plain string or list."""

    name: str = ""
    slug: str = ""
    kind: str = "association"
    charter_signed: bool = False
    charter_date: str = ""
    themes: list[str] = field(default_factory=list)
    objectives: str = ""
    public: str = ""
    access_conditions: str = ""
    place: str = ""
    hours: str = ""
    contacts: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, partner: Partner, themes: list[str]) -> "PartnerInput":
        return cls(
            name=partner.name,
            slug=partner.slug,
            kind=partner.kind,
            charter_signed=partner.charter_signed,
            charter_date=partner.charter_date.isoformat() if partner.charter_date else "",
            themes=list(themes),
            objectives=partner.objectives,
            public=partner.public,
            access_conditions=partner.access_conditions,
            place=partner.place,
            hours=partner.hours,
            contacts=[dict(c) for c in partner.contacts],
        )


@dataclass(frozen=True)
class PartnerEntry:
    partner: Partner
    themes: tuple[str, ...]


@dataclass(frozen=True)
class CollectedCampaign:
    slug: str
    name: str
    responses: int


@dataclass(frozen=True)
class PartnerPage:
    entry: PartnerEntry
    commissions: list[Commission]
    campaigns: list[CollectedCampaign]
    projects: list[Project]
    plenaries: list[Plenary]


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


# --- reading -----------------------------------------------------------------------------


def _themes_of(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        rows = session.exec(select(PartnerTheme).where(col(PartnerTheme.partner_id).in_(ids))).all()
        for row in rows:
            found[row.partner_id].append(row.theme)
    order = list(THEMES)
    return {i: tuple(sorted(t, key=order.index)) for i, t in found.items()}


def list_partners(
    session: Session, q: str = "", theme: str = "", kind: str = ""
) -> list[PartnerEntry]:
    """Partners matching a free-text search, a theme code and a kind (each optional)."""
    query = select(Partner).order_by(func.lower(Partner.name))
    words = q.strip()
    if words:
        pattern = f"%{words.lower()}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern)
                    for column in (Partner.name, Partner.objectives, Partner.public, Partner.place)
                )
            )
        )
    if theme in THEMES:
        query = query.where(
            col(Partner.id).in_(select(PartnerTheme.partner_id).where(PartnerTheme.theme == theme))
        )
    if kind in KINDS:
        query = query.where(Partner.kind == kind)
    partners = list(session.exec(query).all())
    themes = _themes_of(session, [p.id for p in partners])
    return [PartnerEntry(p, themes[p.id]) for p in partners]


def get_partner(session: Session, slug: str) -> PartnerEntry | None:
    partner = session.exec(select(Partner).where(Partner.slug == slug)).first()
    if partner is None:
        return None
    return PartnerEntry(partner, _themes_of(session, [partner.id])[partner.id])


def partner_page(session: Session, slug: str) -> PartnerPage | None:
    """A partner with its commissions, the campaigns it helped collect and its projects."""
    entry = get_partner(session, slug)
    if entry is None:
        return None
    pid = entry.partner.id
    commissions = session.exec(
        select(Commission)
        .join(CommissionPartner, CommissionPartner.commission_id == Commission.id)
        .where(CommissionPartner.partner_id == pid)
        .order_by(Commission.name)
    ).all()
    collected = session.exec(
        select(Campaign.slug, Campaign.name, func.count(Response.id))
        .join(Response, Response.campaign_id == Campaign.id)
        .where(Response.channel == channel_of(slug), col(Response.completed).is_(True))
        .group_by(Campaign.id, Campaign.slug, Campaign.name)
        .order_by(Campaign.slug)
    ).all()
    projects = session.exec(
        select(Project)
        .join(ProjectPartner, ProjectPartner.project_id == Project.id)
        .where(ProjectPartner.partner_id == pid)
        .order_by(col(Project.year).desc(), Project.title)
    ).all()
    plenaries = session.exec(
        select(Plenary)
        .join(Attendance, Attendance.plenary_id == Plenary.id)
        .where(Attendance.partner_id == pid)
        .order_by(col(Plenary.held_on).desc())
    ).all()
    return PartnerPage(
        entry,
        list(commissions),
        [CollectedCampaign(*row) for row in collected],
        list(projects),
        list(plenaries),
    )


def all_partners(session: Session) -> list[Partner]:
    return list(session.exec(select(Partner).order_by(func.lower(Partner.name))).all())


# --- checking and saving -----------------------------------------------------------------


def check_partner(data: PartnerInput) -> list[Problem]:
    """Problems of one partner's values, each pinned to its field name."""
    problems = []
    if not data.name.strip():
        problems.append(Problem("REQUIRED", "name"))
    for name, limit in LIMITS.items():
        if len(getattr(data, name)) > limit:
            problems.append(Problem("TOO_LONG", name, limit=limit))
    if data.slug and (not SLUG.match(data.slug) or data.slug in RESERVED):
        problems.append(Problem("BAD_SLUG", "slug", value=data.slug))
    if data.kind not in KINDS:
        problems.append(Problem("BAD_KIND", "kind", value=data.kind))
    if data.charter_date:
        try:
            date.fromisoformat(data.charter_date)
        except ValueError:
            problems.append(Problem("BAD_DATE", "charter_date", value=data.charter_date))
    for theme in data.themes:
        if theme not in THEMES:
            problems.append(Problem("BAD_THEME", "themes", value=theme, known=", ".join(THEMES)))
    for contact in data.contacts:
        email = contact.get("email", "")
        if email and not EMAIL.match(email):
            problems.append(Problem("BAD_EMAIL", "contacts", value=email))
    return problems


def _apply(partner: Partner, data: PartnerInput) -> None:
    partner.name = data.name.strip()
    partner.slug = data.slug or slugify(data.name)
    partner.kind = data.kind
    partner.charter_signed = data.charter_signed
    partner.charter_date = date.fromisoformat(data.charter_date) if data.charter_date else None
    for name in ("objectives", "public", "access_conditions", "place", "hours"):
        setattr(partner, name, getattr(data, name).strip())
    partner.contacts = [
        {k: c.get(k, "").strip() for k in CONTACT_FIELDS} for c in data.contacts if any(c.values())
    ]


def _write(session: Session, partner: Partner, data: PartnerInput) -> Partner:
    _apply(partner, data)
    session.add(partner)
    session.flush()
    session.exec(delete(PartnerTheme).where(PartnerTheme.partner_id == partner.id))
    for theme in dict.fromkeys(data.themes):
        session.add(PartnerTheme(partner_id=partner.id, theme=theme))
    session.flush()
    return partner


def _slug_owner(session: Session, slug: str) -> int | None:
    return session.exec(select(Partner.id).where(Partner.slug == slug)).first()


def save_partner(session: Session, data: PartnerInput, slug: str | None = None) -> Partner:
    """Create a partner (``slug`` None) or update the one with ``slug``; commits.

    Raises ProblemsError with coded problems and writes nothing when a value is wrong.
    """
    problems = check_partner(data)
    current = session.exec(select(Partner).where(Partner.slug == slug)).first() if slug else None
    wanted = data.slug or slugify(data.name)
    owner = _slug_owner(session, wanted) if wanted else None
    if owner is not None and (current is None or owner != current.id):
        problems.append(Problem("SLUG_TAKEN", "slug", value=wanted))
    if problems:
        raise ProblemsError(problems)
    partner = _write(session, current or Partner(slug=wanted, name=data.name), data)
    session.commit()
    return partner


# --- CSV ---------------------------------------------------------------------------------


def _contacts_cell(contacts: list[dict]) -> str:
    return "\n".join(" | ".join(c.get(k, "") for k in CONTACT_FIELDS) for c in contacts)


def export_partners_csv(session: Session) -> str:
    """Every partner, one row each, `;`-separated (what French spreadsheets expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in list_partners(session):
        data = PartnerInput.of(entry.partner, list(entry.themes))
        row = {f.name: getattr(data, f.name) for f in fields(PartnerInput)}
        row["charter_signed"] = "oui" if data.charter_signed else "non"
        row["themes"] = ", ".join(data.themes)
        row["contacts"] = _contacts_cell(data.contacts)
        writer.writerow([neutralise(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def _parse_contacts(cell: str, where: dict) -> tuple[list[dict], list[Problem]]:
    contacts, problems = [], []
    for line in cell.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > len(CONTACT_FIELDS):
            problems.append(Problem("BAD_CONTACT", "contacts", value=line.strip(), **where))
            continue
        parts += [""] * (len(CONTACT_FIELDS) - len(parts))
        contacts.append(dict(zip(CONTACT_FIELDS, parts, strict=True)))
    return contacts, problems


def _row_to_input(row: dict[str, str], number: int) -> tuple[PartnerInput, list[Problem]]:
    problems = []
    signed = row.get("charter_signed", "").strip().lower()
    if signed not in YES | NO:
        problems.append(
            Problem(
                "BAD_BOOLEAN",
                "charter_signed",
                value=row["charter_signed"],
                row=number,
                field="charter_signed",
            )
        )
    contacts, contact_problems = _parse_contacts(
        row.get("contacts", ""), {"row": number, "field": "contacts"}
    )
    data = PartnerInput(
        name=row.get("name", "").strip(),
        slug=row.get("slug", "").strip(),
        kind=row.get("kind", "").strip().lower() or "association",
        charter_signed=signed in YES,
        charter_date=row.get("charter_date", "").strip(),
        themes=[t.strip() for t in row.get("themes", "").split(",") if t.strip()],
        contacts=contacts,
        **{k: row.get(k, "") for k in ("objectives", "public", "access_conditions")},
        **{k: row.get(k, "").strip() for k in ("place", "hours")},
    )
    problems += contact_problems
    problems += [p.relocated(p.where, row=number, field=p.where) for p in check_partner(data)]
    return data, problems


def _read_rows(content: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    try:
        text = content.decode("utf-8-sig").replace("\x00", "")  # PostgreSQL refuses NUL
    except UnicodeDecodeError:
        return [], [Problem("CSV_NOT_UTF8")]
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows or not any(c.strip() for c in rows[0]):
        return [], [Problem("CSV_EMPTY")]
    header = [c.strip() for c in rows[0]]
    problems = [
        Problem("CSV_UNKNOWN_COLUMN", value=c, known=", ".join(CSV_COLUMNS), row=1, field=c)
        for c in header
        if c not in CSV_COLUMNS
    ]
    problems += [
        Problem("CSV_MISSING_COLUMN", value=c, row=1) for c in ("name",) if c not in header
    ]
    records = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem("CSV_BAD_ROW", found=len(cells), expected=len(header), row=number)
            )
            continue
        records.append((number, dict(zip(header, map(restore, cells), strict=True))))
    if not records and not problems:
        problems.append(Problem("CSV_EMPTY"))
    return records, problems


def import_partners_csv(session: Session, content: bytes) -> ImportReport:
    """Create or update (by slug) every partner of a CSV file, all or nothing; commits.

    Raises ProblemsError listing every bad row and column; then nothing is written.
    """
    records, problems = _read_rows(content)
    parsed: list[PartnerInput] = []
    seen: dict[str, int] = {}
    for number, row in records:
        data, row_problems = _row_to_input(row, number)
        data.slug = data.slug or slugify(data.name)
        if data.slug in seen:
            row_problems.append(
                Problem(
                    "DUPLICATE_SLUG",
                    value=data.slug,
                    first=seen[data.slug],
                    row=number,
                    field="slug",
                )
            )
        seen.setdefault(data.slug, number)
        problems += row_problems
        parsed.append(data)
    if problems:
        raise ProblemsError(problems)
    existing = {p.slug: p for p in session.exec(select(Partner)).all()}
    created = updated = 0
    try:
        for data in parsed:
            partner = existing.get(data.slug)
            created, updated = (created + 1, updated) if partner is None else (created, updated + 1)
            _write(session, partner or Partner(slug=data.slug, name=data.name), data)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ImportReport(created, updated)
