"""What a respondent or paper-entry request needs, in one indexed query.

The campaign row is read on every request, so a campaign edited or closed through another
worker is seen at once: no cache can go stale. Only the Python object built from the row is
reused while the row is unchanged, and the parsed questionnaire is cached per version
(a published version never changes).
"""

import json
import threading
from dataclasses import dataclass, fields

from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from surveys import capture
from surveys.document import Document
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion, Response

_campaign = Campaign.__table__
_response = Response.__table__
_version = QuestionnaireVersion.__table__
_questionnaire = Questionnaire.__table__
_CAMPAIGN_COLUMNS = list(_campaign.columns)
_DRAFT_FIELDS = [f.name for f in fields(capture.Draft)]

_QUERY = (
    select(
        *_CAMPAIGN_COLUMNS,
        _questionnaire.c.commission_id,
        _questionnaire.c.formality,
        *(_response.c[name] for name in _DRAFT_FIELDS),
    )
    .select_from(
        _campaign.join(_version, _version.c.id == _campaign.c.version_id)
        .join(_questionnaire, _questionnaire.c.id == _version.c.questionnaire_id)
        .outerjoin(
            _response,
            and_(
                _response.c.campaign_id == _campaign.c.id,
                _response.c.token == bindparam("token"),
            ),
        )
    )
    .where(_campaign.c.slug == bindparam("slug"))
)


@dataclass(frozen=True)
class Found:
    campaign: Campaign  # shared between requests: read it, never change it
    commission_id: int
    draft: capture.Draft | None
    row: tuple  # the campaign's columns: part of the key of anything cached from it
    register: str = ""  # the questionnaire's chosen register (tu / vous), "" for the default


_objects: dict[str, tuple[tuple, Campaign, tuple]] = {}
_lock = threading.Lock()


def find(conn: Connection, slug: str, token: str | None = None) -> Found | None:
    """The campaign with this slug, its commission, and the draft holding ``token``."""
    token = token if capture.is_token(token) else None
    row = conn.execute(_QUERY, {"slug": slug, "token": token}).first()
    if row is None:
        return None
    width = len(_CAMPAIGN_COLUMNS)
    values = tuple(row[:width])
    draft_values = row[width + 2 :]
    draft = capture.Draft(*draft_values) if draft_values[0] is not None else None
    campaign, key = _campaign_object(slug, values)
    return Found(campaign, row[width], draft, key, row[width + 1])


def _frozen(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def _campaign_object(slug: str, values: tuple) -> tuple[Campaign, tuple]:
    """The campaign object of these column values, and the values as a cache key (JSON
    columns as text), both made once while the row is unchanged."""
    cached = _objects.get(slug)
    if cached is not None and cached[0] == values:
        return cached[1], cached[2]
    campaign = Campaign(
        **{column.key: v for column, v in zip(_CAMPAIGN_COLUMNS, values, strict=True)}
    )
    key = tuple(_frozen(v) for v in values)
    with _lock:
        if len(_objects) > 1024:
            _objects.clear()
        _objects[slug] = (values, campaign, key)
    return campaign, key


def document(conn: Connection, version_id: int) -> Document:
    """The parsed questionnaire of a version (read and parsed once per process)."""
    document = capture.cached_document(version_id)
    if document is None:
        with Session(bind=conn) as session:
            document = capture.document_of(session, version_id)
    return document
