"""Path parameters the database can hold: an id no row can have is a 404, not a 500."""

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
