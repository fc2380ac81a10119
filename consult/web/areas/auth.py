from dataclasses import dataclass

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.accounts.services import authenticate
from consult.web.plumbing.access import SESSION_USER_KEY, Access, current_user
from consult.web.plumbing.paths import is_safe_next, safe_next
from consult.web.plumbing.sessions import rotate_session
from consult.web.plumbing.throttle import client_key


@dataclass
class LoginForm:
    email: str = ""
    password: str = ""
    next: str = ""


def login_page(context: dict, status_code: int = 200, headers: dict | None = None) -> Template:
    return Template(
        "accounts/login.html", context=context, status_code=status_code, headers=headers
    )


class AuthController(Controller):
    @get("/login", opt={"access": Access.PUBLIC}, sync_to_thread=False)
    def show_login(self, request: Request, next: FromQuery[str] = "") -> Template | Redirect:
        if current_user(request):
            return Redirect(safe_next(next))
        return login_page({"next": next if is_safe_next(next) else "", "email": ""})

    @post("/login", opt={"access": Access.PUBLIC})
    async def login(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[LoginForm]
    ) -> Template | Redirect:
        throttle = request.app.state.login_throttle
        client = client_key(request)
        context = {"next": data.next if is_safe_next(data.next) else "", "email": data.email}
        if wait := await throttle.wait_seconds(client):
            headers = {"Retry-After": str(wait)}
            return login_page({**context, "error": "throttled"}, 429, headers)
        # argon2 takes tens of milliseconds on purpose: keep it off the event loop.
        user = await to_thread.run_sync(authenticate, db, data.email, data.password)
        if user is None:
            await throttle.record_failure(client)
            return login_page({**context, "error": "invalid"}, status_code=400)
        await throttle.clear(client)
        rotate_session(request)
        request.set_session({SESSION_USER_KEY: user.id})
        return Redirect(safe_next(data.next), status_code=303)

    @post("/logout", opt={"access": Access.PUBLIC}, sync_to_thread=False)
    def logout(self, request: Request) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=303)
