"""What the sections of `make bench` share: the table of figures, databases to bench on, a
signed-in staff client, a respondent's draft, request bodies for wrk."""

import re
from pathlib import Path

import httpx

from consult.accounts.models import Role
from consult.accounts.services import create_user
from consult.db import make_engine, session_scope
from consult.migrations import upgrade
from consult.settings import Settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
STAFF = ("bench@consult.local", "bench-password-123")
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}

rows: list[tuple[str, str, str, str]] = []  # (measure, figure, ratio or target, verdict)


def record(measure: str, figure: str, compared: str = "", verdict: str = "") -> None:
    rows.append((measure, figure, compared, verdict))
    print(f"  {measure}: {figure} {compared} {verdict}", flush=True)


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def prepare_sqlite(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'bench.db'}"
    upgrade(Settings(var_dir=tmp, database_url=url))
    return url


def prepare_postgres(name: str, tmp: Path) -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"PostgreSQL not reachable ({exc}); its rows are skipped")
        return None
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    upgrade(Settings(var_dir=tmp, database_url=url))
    return url


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_staff(url: str) -> None:
    with session_scope(make_engine(url)) as session:
        create_user(session, STAFF[0], "Bench", STAFF[1], Role.COORDINATOR, ("bench",))


def staff_client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/login")
    client.post(
        "/login",
        data={
            "email": STAFF[0],
            "password": STAFF[1],
            "_csrf_token": client.cookies["consult_csrf"],
        },
    )
    return client


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)


def start_draft(base: str, slug: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    intro = client.get(f"/r/{slug}")
    token = re.search(r'name="token" value="([^"]+)"', intro.text).group(1)
    client.post(
        f"/r/{slug}/start",
        data={
            "token": token,
            "age_group": "15plus",
            "consent": "yes",
            "_csrf_token": client.cookies["consult_csrf"],
        },
    )
    return client


def paper_body(client: httpx.Client, questions: int = 10) -> str:
    fields = {f"s{i}": f"c{i % 5}" for i in range(questions)}
    fields["_csrf_token"] = client.cookies["consult_csrf"]
    return httpx.QueryParams(fields).__str__()


def get_lua(cookie: str) -> str:
    return f'wrk.headers["Cookie"] = [==[{cookie}]==]\nwrk.headers["Accept-Encoding"] = "gzip"\n'
