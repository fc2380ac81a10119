"""Campaign pages for the staff of its commission: follow-up, links and QR codes, poster,
kiosk link, paper entry, and creating or editing a campaign from a published version."""

import io
from dataclasses import dataclass, fields
from datetime import UTC, datetime

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from analysis.i18n import N_
from consult.i18n import translator
from consult.web import campaign_lookup
from consult.web.access import Access, current_user
from consult.web.group_commit import commit_durably
from consult.web.htmx import page_or_fragment
from consult.web.respond import errors_by_question, form_lists
from consult.web.templating import request_language
from surveys import campaigns as service
from surveys import capture
from surveys.models import Campaign

RESULTS = {"access": Access.RESULTS}
DESIGN = {"access": Access.DESIGN}
POLL_SECONDS = 5


@dataclass
class CampaignForm:
    name: str = ""
    version_id: int | None = None
    slug: str = ""
    series: str = ""
    wave: str = ""
    opens: str = ""
    closes: str = ""
    quota: str = ""
    audience: str = ""
    consent_text: str = ""
    anonymous: str = ""
    draft_retention_days: str = "30"
    response_retention_years: str = "5"
    _csrf_token: str = ""

    def values(self) -> service.CampaignValues:
        given = self.as_dict()
        given.pop("_csrf_token")
        return service.CampaignValues(**given | {"anonymous": given["anonymous"] == "yes"})

    def as_dict(self) -> dict:
        # a form may leave a field out entirely: fall back on the field's default
        return {f.name: getattr(self, f.name, f.default) for f in fields(self)}


@dataclass
class ChannelForm:
    label: str = ""
    code: str = ""
    _csrf_token: str = ""


def visible_campaign(request: Request, db: Session, slug: str) -> Campaign:
    """The campaign, if the signed-in user is staff of its commission (else 403; 404 if none)."""
    campaign = capture.find_campaign(db, slug)
    if campaign is None:
        raise NotFoundException()
    if not current_user(request).sees_commission(capture.commission_id_of(db, campaign.version_id)):
        raise PermissionDeniedException()
    return campaign


def check_version_scope(request: Request, db: Session, version_id: int | None) -> None:
    """A campaign may run only a questionnaire of the user's commissions (403 otherwise)."""
    commission = service.commission_of_version(db, version_id) if version_id else None
    if commission is not None and not current_user(request).sees_commission(commission):
        raise PermissionDeniedException()


def public_url(request: Request, slug: str, via: str = "") -> str:
    base = str(request.base_url).rstrip("/")
    return f"{base}/r/{slug}" + (f"?via={via}" if via else "")


def commission_scope(request: Request) -> list[int] | None:
    user = current_user(request)
    return None if user.is_coordinator else list(user.commission_ids)


def form_page(request: Request, db: Session, form: dict, problems=(), campaign=None, status=200):
    versions = service.publishable_versions(db, commission_scope(request))
    return Template(
        "campaigns/form.html",
        context={
            "user": current_user(request),
            "form": form,
            "campaign": campaign,
            "versions": versions,
            "errors": errors_of(problems, request_language(request)),
        },
        status_code=status,
    )


CAMPAIGN_MESSAGES = {
    "K_NAME_MISSING": N_("Give the campaign a name."),
    "K_NOT_PUBLISHED": N_("Choose a published version of a questionnaire."),
    "K_BAD_SLUG": N_("The link “{slug}” may hold only lowercase letters, digits and dashes."),
    "K_SLUG_TAKEN": N_("The link “{slug}” is already used by another campaign."),
    "K_BAD_DATE": N_("“{value}” is not a date (day/month/year)."),
    "K_CLOSES_BEFORE_OPENS": N_("The closing date must come after the opening date."),
    "K_BAD_QUOTA": N_("“{value}” is not a positive whole number."),
    "K_BAD_RETENTION_DAYS": N_("“{value}” is not a number of days between 1 and {max}."),
    "K_BAD_RETENTION_YEARS": N_(
        "“{value}” is not a number of years between 1 and {max} (leave empty to keep the answers)."
    ),
}


def errors_of(problems, lang: str) -> dict[str, str]:
    gettext = translator(lang).gettext
    return {p.where: gettext(CAMPAIGN_MESSAGES[p.code]).format(**p.params) for p in problems}


class CampaignsController(Controller):
    path = "/campaigns"

    @get("", opt=RESULTS, sync_to_thread=True)
    def list_campaigns(self, request: Request, db: NamedDependency[Session]) -> Template:
        rows = service.summarise_campaigns(db, commission_scope(request))
        return Template(
            "campaigns/list.html", context={"user": current_user(request), "campaigns": rows}
        )

    @get("/new", opt=DESIGN, sync_to_thread=True)
    def new_campaign(
        self, request: Request, db: NamedDependency[Session], version: FromQuery[int | None] = None
    ) -> Template:
        defaults = {"version_id": version, "anonymous": "yes"}
        defaults |= {"draft_retention_days": "30", "response_retention_years": "5"}
        return form_page(request, db, defaults)

    @post("", opt=DESIGN, sync_to_thread=True)
    def create_campaign(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[CampaignForm]
    ) -> Template | Redirect:
        check_version_scope(request, db, data.version_id)
        campaign, problems = service.save_campaign(db, data.values())
        if problems:
            return form_page(request, db, data.as_dict(), problems, status=400)
        return Redirect(f"/campaigns/{campaign.slug}", status_code=303)

    @get("/{slug:str}", opt=RESULTS, sync_to_thread=True)
    def show_campaign(
        self, request: HTMXRequest, db: NamedDependency[Session], slug: str
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        now = datetime.now(UTC)
        counts = capture.count_responses(db, campaign.id)
        context = {
            "user": current_user(request),
            "campaign": campaign,
            "counts": counts,
            "state": capture.campaign_state(campaign, now, counts.completes),
            "channels": service.channels_of(db, campaign.id),
            "url": public_url(request, slug),
            "base_url": str(request.base_url).rstrip("/"),
            "kiosk_url": f"/k/{slug}/{capture.kiosk_key(request.app.state.settings.secret_key, slug)}",
            "poll": POLL_SECONDS,
            "updated": now,
        }
        return page_or_fragment(request, "campaigns/detail.html", "campaigns/_stats.html", context)

    @get("/{slug:str}/edit", opt=DESIGN, sync_to_thread=True)
    def edit_campaign(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        return form_page(request, db, campaign_form(campaign), campaign=campaign)

    @post("/{slug:str}/edit", opt=DESIGN, sync_to_thread=True)
    def update_campaign(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[CampaignForm],
    ) -> Template | Redirect:
        campaign = visible_campaign(request, db, slug)
        check_version_scope(request, db, data.version_id)
        saved, problems = service.save_campaign(db, data.values(), campaign)
        if problems:
            return form_page(request, db, data.as_dict(), problems, campaign, status=400)
        return Redirect(f"/campaigns/{saved.slug}", status_code=303)

    @post("/{slug:str}/channels", opt=DESIGN, sync_to_thread=True)
    def add_channel(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[ChannelForm],
    ) -> Redirect:
        campaign = visible_campaign(request, db, slug)
        service.add_channel(db, campaign.id, data.code, data.label)
        return Redirect(f"/campaigns/{slug}#links", status_code=303)

    @get("/{slug:str}/qr.svg", opt=RESULTS, sync_to_thread=True)
    def qr_svg(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        via: FromQuery[str] = "",
    ) -> Response:
        visible_campaign(request, db, slug)
        return qr_response(public_url(request, slug, via), "svg")

    @get("/{slug:str}/qr.png", opt=RESULTS, sync_to_thread=True)
    def qr_png(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        via: FromQuery[str] = "",
    ) -> Response:
        visible_campaign(request, db, slug)
        return qr_response(public_url(request, slug, via), "png")

    @get("/{slug:str}/poster", opt=RESULTS, sync_to_thread=True)
    def poster(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        via: FromQuery[str] = "",
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        context = {"campaign": campaign, "url": public_url(request, slug, via), "via": via}
        return Template("campaigns/poster.html", context=context)

    @get("/{slug:str}/entry", opt=RESULTS, sync_to_thread=True)
    def paper_entry(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        saved: FromQuery[int] = 0,
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        completes = capture.count_responses(db, campaign.id).completes if saved else 0
        return entry_page(request, db, campaign, saved=completes)

    @post("/{slug:str}/entry", opt=RESULTS)
    async def record_paper(self, request: Request, slug: str) -> Template | Redirect:
        # The hot path of a typing session: one indexed query on the event loop, then one
        # insert committed with the concurrent ones (consult.web.group_commit).
        form = await form_lists(request)
        engine = request.app.state.engine
        with engine.connect() as conn:
            found = campaign_lookup.find(conn, slug)
            if found is None:
                raise NotFoundException()
            if not current_user(request).sees_commission(found.commission_id):
                raise PermissionDeniedException()
            document = campaign_lookup.document(conn, found.campaign.version_id)
        checked = capture.check_paper(document, form)
        if checked.problems:
            with Session(engine) as db:
                return entry_page(
                    request, db, found.campaign, form=form, problems=checked.problems, status=400
                )
        now = datetime.now(UTC)
        await commit_durably(engine, capture.paper_insert(found.campaign, checked.answers, now))
        # The running count is shown by the page the browser is sent to, so that saving a
        # questionnaire costs one insert and no aggregate over the campaign.
        return Redirect(f"/campaigns/{slug}/entry?saved=1", status_code=303)


def qr_response(url: str, kind: str) -> Response:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind=kind, scale=10, border=2)
    media = "image/svg+xml" if kind == "svg" else "image/png"
    return Response(
        buffer.getvalue(), media_type=media, headers={"Cache-Control": "private, max-age=3600"}
    )


def entry_page(request, db, campaign, form=None, problems=(), saved=0, status=200) -> Template:
    document = capture.document_of(db, campaign.version_id)
    lang = request_language(request)
    return Template(
        "campaigns/entry.html",
        context={
            "user": current_user(request),
            "campaign": campaign,
            "document": document,
            "lang": lang,
            "form": form,
            "errors": errors_by_question(tuple(problems), lang),
            "saved": saved,
        },
        status_code=status,
    )


def campaign_form(campaign: Campaign) -> dict:
    def day(value):
        return value.date().isoformat() if value else ""

    return {
        **campaign.model_dump(),
        "opens": day(campaign.opens_at),
        "closes": day(campaign.closes_at),
        "quota": "" if campaign.quota is None else str(campaign.quota),
        "anonymous": "yes" if campaign.anonymous else "",
        "draft_retention_days": str(campaign.draft_retention_days),
        "response_retention_years": str(campaign.response_retention_years or ""),
    }
