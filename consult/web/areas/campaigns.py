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
from consult.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from consult.network.models import Commission
from consult.web.areas.hub import hub_context
from consult.web.areas.respond import errors_by_question, form_lists
from consult.web.plumbing import campaign_lookup
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.group_commit import commit_durably
from consult.web.plumbing.htmx import page_or_fragment
from consult.web.plumbing.templating import request_language
from surveys import campaigns as service
from surveys import capture
from surveys.channels import channel_name
from surveys.models import Campaign

OTHER_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
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
    pitch: str = ""
    anonymous: str = ""
    draft_retention_days: str = "30"
    response_retention_years: str = "5"
    # the consent text and the audience in the other language (consent_text/audience: French)
    consent_text_en: str = ""
    audience_en: str = ""
    _csrf_token: str = ""

    def values(self, start_as_draft: bool = False) -> service.CampaignValues:
        given = self.as_dict()
        given.pop("_csrf_token")
        translations = {
            lang: {"consent_text": given.pop(f"consent_text_{lang}", ""),
                   "audience": given.pop(f"audience_{lang}", "")}
            for lang in OTHER_LANGUAGES
        }  # fmt: skip
        return service.CampaignValues(
            **given | {"anonymous": given["anonymous"] == "yes"},
            translations=translations,
            start_as_draft=start_as_draft,
        )

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
    "K_SERIES_TAKEN": N_(
        "The series “{series}” belongs to another commission: choose another name."
    ),
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
        campaign, problems = service.save_campaign(db, data.values(start_as_draft=True))
        if problems:
            return form_page(request, db, data.as_dict(), problems, status=400)
        return Redirect(f"/campaigns/{campaign.slug}", status_code=303)

    @get("/{slug:str}", opt=RESULTS, sync_to_thread=True)
    def show_campaign(
        self, request: HTMXRequest, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        now = datetime.now(UTC)
        counts = capture.count_responses(db, campaign.id)
        gettext = translator(request_language(request)).gettext
        context = {
            "user": current_user(request),
            "campaign": campaign,
            "counts": counts,
            "channel_names": {c: channel_name(c, gettext) for c, _, _ in counts.by_channel},
            "state": capture.campaign_state(campaign, now, counts.completes),
            "channels": service.channels_of(db, campaign.id),
            "url": public_url(request, slug),
            "base_url": str(request.base_url).rstrip("/"),
            "kiosk_url": f"/k/{slug}/{capture.kiosk_key(request.app.state.settings.secret_key, slug)}",
            "poll": POLL_SECONDS,
            "updated": now,
            **launch_context(request, db, campaign),
        } | hub_context(db, campaign, "fieldwork")
        return page_or_fragment(request, "campaigns/detail.html", "campaigns/_stats.html", context)

    @post("/{slug:str}/open", opt=DESIGN, sync_to_thread=True)
    def open_campaign(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        campaign = visible_campaign(request, db, slug)
        if campaign.draft and service.open_campaign(db, campaign):
            context = {
                "user": current_user(request),
                "campaign": campaign,
                "refused": True,
                **launch_context(request, db, campaign),
            }
            return Template("campaigns/launch.html", context=context, status_code=400)
        return Redirect(f"/campaigns/{slug}", status_code=303)

    @get("/{slug:str}/edit", opt=DESIGN, sync_to_thread=True)
    def edit_campaign(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        return form_page(request, db, campaign_form(db, campaign), campaign=campaign)

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
        commission = db.get(Commission, capture.commission_id_of(db, campaign.version_id))
        context = {
            "campaign": campaign,
            "url": public_url(request, slug, via),
            "via": via,
            "commission": commission.name if commission else "",
        }
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
    async def record_paper(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        # The hot path of a typing session: one indexed query on the event loop, then one
        # insert committed with the concurrent ones (consult.web.plumbing.group_commit).
        form = await form_lists(request)
        engine = request.app.state.engine
        with request.app.state.reader.connect() as conn:
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


LAUNCH_MESSAGES = {
    "K_NO_CONSENT": N_("Write the consent text in {language}."),
    "K_NO_INTRODUCTION": N_("Write the introduction of the questionnaire in {language}."),
    "K_NO_CLOSING_DATE": N_("Choose the closing date."),
    "K_NO_RETENTION": N_("Say after how many years the answers are deleted."),
}
LANGUAGE_NAMES = {"fr": N_("French"), "en": N_("English")}


def launch_context(request: Request, db: Session, campaign: Campaign) -> dict:
    """The launch checklist of a draft campaign: what is missing, where to fix it, the test
    link (its answers are kept apart and deleted at the opening)."""
    if not campaign.draft:
        return {"launch": None}
    gettext = translator(request_language(request)).gettext
    missing = []
    questionnaire_id = service.questionnaire_of_version(db, campaign.version_id)
    for problem in service.launch_problems(db, campaign):
        lang = problem.params.get("lang", "")
        language = gettext(LANGUAGE_NAMES[lang]) if lang in LANGUAGE_NAMES else lang.upper()
        fix = (
            f"/questionnaires/{questionnaire_id}#settings"
            if problem.code == "K_NO_INTRODUCTION"
            else f"/campaigns/{campaign.slug}/edit#f-{problem.where}"
        )
        missing.append((gettext(LAUNCH_MESSAGES[problem.code]).format(language=language), fix))
    key = service.test_key(request.app.state.settings.secret_key, campaign.slug)
    test_url = public_url(request, campaign.slug) + f"?test={key}"
    return {"launch": {"missing": missing, "test_url": test_url}}


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
        }
        | hub_context(db, campaign, "entry"),
        status_code=status,
    )


def campaign_form(db: Session, campaign: Campaign) -> dict:
    def day(value):
        return value.date().isoformat() if value else ""

    translations = service.translations_of(db, campaign.id)
    texts = {}
    for lang in OTHER_LANGUAGES:
        row = translations.get(lang)
        texts[f"consent_text_{lang}"] = row.consent_text if row else ""
        texts[f"audience_{lang}"] = row.audience if row else ""
    return {
        **texts,
        **campaign.model_dump(),
        "opens": day(campaign.opens_at),
        "closes": day(campaign.closes_at),
        "quota": "" if campaign.quota is None else str(campaign.quota),
        "anonymous": "yes" if campaign.anonymous else "",
        "draft_retention_days": str(campaign.draft_retention_days),
        "response_retention_years": str(campaign.response_retention_years or ""),
    }
