"""Paths: parameters the database can hold (an id no row can have is a 404, not a 500), and
the same-site targets a redirect may go to."""

from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler

# SQLite and PostgreSQL BIGINT: a larger number in a URL overflows the driver.
LARGEST_ID = 2**63 - 1


async def ids_in_range(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    # async although it awaits nothing: Litestar runs a sync guard in the thread pool, a hop
    # that cost more than the rest of a respondent's page under load.
    for value in connection.path_params.values():
        if isinstance(value, int) and not -LARGEST_ID <= value <= LARGEST_ID:
            raise NotFoundException()


MAX_NEXT = 512  # longer than any page's address with its filters; a 100 KB one was copied


def safe_next(target: str | None) -> str:
    """Only a same-site path of reasonable length, so the login page cannot redirect
    anywhere else nor carry a huge address along (else the dashboard)."""
    if is_safe_next(target):
        return target
    return "/dashboard"


def is_safe_next(target: str | None) -> bool:
    if not target or len(target) > MAX_NEXT or not target.startswith("/"):
        return False
    if target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
