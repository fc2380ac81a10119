"""The campaign hub: what every page of a campaign shows above its content — breadcrumbs
(Dashboard › Commission › Campaign › Tab) and the tabs to every view of the campaign.

Handlers add ``hub_context(db, campaign, active)`` to their context; the template calls the
``hub_header`` macro of ``templates/macros/hub.html``."""

from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session

from consult.network.models import Commission
from surveys import capture


class _Campaign(Protocol):
    slug: str
    name: str
    series: str
    version_id: int


@dataclass(frozen=True)
class Hub:
    slug: str
    name: str
    series: str
    commission_slug: str
    commission_name: str
    active: str  # fieldwork | results | crosstab | waves | text | deck | public | exports


def hub_of(db: Session, campaign: _Campaign, active: str) -> Hub:
    commission_id = getattr(campaign, "commission_id", None) or capture.commission_id_of(
        db, campaign.version_id
    )
    commission = db.get(Commission, commission_id) if commission_id else None
    return Hub(
        slug=campaign.slug,
        name=campaign.name,
        series=campaign.series or "",
        commission_slug=commission.slug if commission else "",
        commission_name=commission.name if commission else "",
        active=active,
    )


def hub_context(db: Session, campaign: _Campaign, active: str) -> dict[str, Any]:
    return {"hub": hub_of(db, campaign, active)}
