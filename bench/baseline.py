"""The bare baselines `make bench` compares against, served exactly like Consult (uvicorn,
same workers): a plain-text hello and a form POST stored by one SQLAlchemy Core insert."""

import os
from urllib.parse import parse_qs

from litestar import Litestar, Request, get, post
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert

from consult.db import make_engine

metadata = MetaData()
rows = Table(
    "bench_row",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), unique=True),
    Column("payload", Text),
)


def app_factory() -> Litestar:
    engine = make_engine(
        os.environ["BENCH_DATABASE_URL"], os.environ.get("BENCH_SYNCHRONOUS", "FULL")
    )
    metadata.create_all(engine)

    @get("/hello", sync_to_thread=False)
    def hello() -> str:
        return "Hello, world!"

    @post("/insert", status_code=200)
    async def store(request: Request) -> str:
        form = parse_qs((await request.body()).decode())
        with engine.begin() as conn:
            conn.execute(insert(rows).values(token=os.urandom(16).hex(), payload=repr(form)))
        return "ok"

    return Litestar(route_handlers=[hello, store], openapi_config=None)
