from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from consult.app import create_app
from consult.settings import Settings

DEMO = {
    "coordinator": ("coordination@consult.demo", "demo-coordination"),
    "member": ("jeunesse@consult.demo", "demo-jeunesse"),
    "facilitator": ("animation@consult.demo", "demo-animation"),
    "other_member": ("emploi@consult.demo", "demo-emploi"),
}


def make_client(url: str, var_dir, base_url="http://testserver.local", **overrides) -> TestClient:
    settings = Settings(var_dir=var_dir, database_url=url, **overrides)
    return TestClient(create_app(settings), base_url=base_url)


@pytest.fixture
def client(sqlite_demo_url, tmp_path) -> Iterator[TestClient]:
    with make_client(sqlite_demo_url, tmp_path) as c:
        yield c


@pytest.fixture
def any_db_client(demo_database_url, tmp_path) -> Iterator[TestClient]:
    """The same app on SQLite and on PostgreSQL."""
    with make_client(demo_database_url, tmp_path) as c:
        yield c


def html(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "lxml")


def csrf_token(client: TestClient) -> str:
    if not client.cookies.get("consult_csrf"):
        client.get("/login")
    return client.cookies.get("consult_csrf")


def login(client: TestClient, role: str = "member", password: str | None = None):
    email, demo_password = DEMO[role]
    return client.post(
        "/login",
        data={
            "email": email,
            "password": password or demo_password,
            "_csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
