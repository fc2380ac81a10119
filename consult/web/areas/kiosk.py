"""The kiosk link: a shared tablet on which respondents follow one another (see
respond_visit.is_kiosk for what the kiosk cookie changes)."""

import hmac

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from sqlmodel import Session

from consult.web.areas.respond_visit import DRAFT_COOKIE, KIOSK_COOKIE
from consult.web.plumbing.access import Access
from surveys import capture


class KioskController(Controller):
    """A shared tablet: staff open the kiosk link once; respondents then follow one another."""

    @get("/k/{slug:str}/{key:str}", opt={"access": Access.PUBLIC}, sync_to_thread=True)
    def kiosk(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        key: FromPath[str],
    ) -> Redirect:
        campaign = capture.find_campaign(db, slug)
        secret = request.app.state.settings.secret_key
        expected = capture.kiosk_key(secret, slug).encode()
        # bytes: compare_digest refuses a str with non-ASCII characters (a 500 before)
        if campaign is None or not hmac.compare_digest(key.encode(), expected):
            raise NotFoundException()
        response = Redirect(f"/r/{slug}", status_code=303)
        response.set_cookie(KIOSK_COOKIE, key, path=f"/r/{slug}", httponly=True, samesite="lax")
        response.delete_cookie(DRAFT_COOKIE, path=f"/r/{slug}")
        return response
