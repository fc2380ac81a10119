from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlmodel import Session

from consult.accounts.services import list_users, visible_commissions
from consult.web.plumbing.access import Access, current_user
from surveys.campaigns import summarise_campaigns


class HomeController(Controller):
    @get("/", opt={"access": Access.PUBLIC}, sync_to_thread=False)
    def home(self, request: Request) -> Template:
        return Template("home/index.html", context={"user": current_user(request)})

    @get("/dashboard", opt={"access": Access.USER}, sync_to_thread=True)
    def dashboard(self, request: Request, db: NamedDependency[Session]) -> Template:
        user = current_user(request)
        commissions = visible_commissions(db, user)
        campaigns = summarise_campaigns(
            db, None if user.is_coordinator else list(user.commission_ids)
        )
        by_commission = {
            c.id: [k for k in campaigns if k.commission_id == c.id] for c in commissions
        }
        return Template(
            "home/dashboard.html",
            context={"user": user, "commissions": commissions, "campaigns": by_commission},
        )

    @get("/users", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def users(self, request: Request, db: NamedDependency[Session]) -> Template:
        return Template(
            "accounts/users.html", context={"user": current_user(request), "users": list_users(db)}
        )
