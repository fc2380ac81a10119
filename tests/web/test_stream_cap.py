"""A client may hold at most MAX_STREAMS_PER_CLIENT live-poll streams open at once (each one
holds a connection and re-reads the results); closing one frees its slot."""

import asyncio

from consult.web.areas import polls
from tests.web.conftest import login
from tests.web.test_polls import create_poll


def hold_streams(client, path: str, count: int) -> list[int]:
    """Open ``count`` streams at once, keep them open until all have answered, then close
    them: the status of each, in order."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)
    statuses: list[int] = []

    async def one(done: asyncio.Event, answered: asyncio.Event) -> None:
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver.local"), (b"cookie", cookie.encode())],
            "client": ("192.0.2.10", 50000),
            "server": ("testserver.local", 80),
            "extensions": {},
        }
        sent = False

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
                answered.set()

        await client.app(scope, receive, send)

    async def run() -> None:
        done = asyncio.Event()
        tasks = []
        for _ in range(count):  # one after the other, so that the order is known
            answered = asyncio.Event()
            tasks.append(asyncio.ensure_future(one(done, answered)))
            await asyncio.wait_for(answered.wait(), 10)
        done.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 15)

    with client.portal() as portal:
        portal.call(run)
    return statuses


def test_streams_past_the_cap_are_refused_and_slots_come_back(client, monkeypatch):
    monkeypatch.setattr(polls, "MAX_STREAMS_PER_CLIENT", 3)
    login(client, "member")
    path = f"/polls/{create_poll(client)}/stream"
    assert hold_streams(client, path, 5) == [200, 200, 200, 429, 429]
    # all closed: the client's slots are free again
    assert hold_streams(client, path, 3) == [200, 200, 200]
