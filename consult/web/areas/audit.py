"""The audit log: handlers that hand out raw answers call ``log_access``; the coordinator reads
the log at /audit, filtered by user, campaign and action."""

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template
from sqlmodel import Session

from analysis.i18n import N_
from consult.accounts import audit
from consult.accounts.services import CurrentUser
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment

ACTION_LABELS = {
    audit.EXPORT: N_("Exported the answers"),
    audit.REPORT: N_("Opened the report"),
    audit.API: N_("Read results through the API"),
    audit.TEXT_ANSWERS: N_("Read free-text answers"),
    audit.DECK: N_("Opened the deck"),
}


def log_access(
    db: Session, who: CurrentUser | None, action: str, campaigns, detail: str = ""
) -> None:
    """One event per campaign whose answers were handed out (after access was granted)."""
    for campaign in campaigns:
        audit.record(
            db,
            action,
            who.email if who else "",
            user_id=who.id if who else None,
            campaign_id=campaign.id,
            campaign_slug=campaign.slug,
            detail=detail,
        )


def log_request(request: Request, db: Session, action: str, data, detail: str = "") -> None:
    log_access(db, current_user(request), action, data.campaigns, detail)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class AuditController(Controller):
    path = "/audit"

    @get("", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def events(self, request: HTMXRequest, db: NamedDependency[Session]) -> Template:
        params = request.query_params
        chosen = audit.AuditFilter(
            user_id=_int_or_none(params.get("user")),
            campaign_slug=params.get("campaign", ""),
            action=params.get("action", "") if params.get("action") in audit.ACTIONS else "",
        )
        context = {
            "user": current_user(request),
            "events": audit.list_events(db, chosen),
            "chosen": chosen,
            "actors": audit.actors(db),
            "campaigns": audit.campaign_slugs(db),
            "actions": ACTION_LABELS,
            "limit": audit.PAGE_SIZE,
        }
        return page_or_fragment(request, "audit/page.html", "audit/_events.html", context)
