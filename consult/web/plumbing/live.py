"""Live fan-out: "poll X changed" reaches every open results stream, in every worker.

A vote (or a reveal, a close, an approval) *publishes* the poll's id; each Server-Sent Events
stream *subscribes* to it and, when told, re-reads the counts from the database — the database
stays the only source of truth, the message carries no numbers. Three transports, one
interface:

- :class:`InProcessBroker` — one process (the default with SQLite and no Redis);
- :class:`RedisBroker` — Redis pub/sub, when ``CONSULT_REDIS_URL`` is set (several machines);
- :class:`PostgresBroker` — PostgreSQL ``LISTEN/NOTIFY``, when the database is PostgreSQL.

Each worker holds one listening connection at most (started on the first subscription) and
dispatches to its own streams through a :class:`Hub`. ``publish`` is synchronous and
thread-safe, so sync handlers (run in the thread pool) call it directly.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from sqlalchemy import Engine, text

from consult.settings import Settings

log = logging.getLogger(__name__)
CHANNEL = "consult_polls"
EVERYTHING = 0  # published after a reconnection: every stream re-reads


class Hub:
    """The streams of this process, by poll id; safe to call from any thread."""

    def __init__(self) -> None:
        self._queues: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = {}

    @contextlib.contextmanager
    def subscription(self, poll_id: int):
        entry = (asyncio.get_running_loop(), asyncio.Queue())
        self._queues.setdefault(poll_id, set()).add(entry)
        try:
            yield entry[1]
        finally:
            self._queues.get(poll_id, set()).discard(entry)

    def dispatch(self, poll_id: int) -> None:
        targets = (
            [e for entries in list(self._queues.values()) for e in list(entries)]
            if poll_id == EVERYTHING
            else list(self._queues.get(poll_id, ()))
        )
        for loop, queue in targets:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(queue.put_nowait, poll_id)

    def subscribers(self, poll_id: int) -> int:
        return len(self._queues.get(poll_id, ()))


class Broker:
    """Publish "poll X changed"; subscribe to the changes of one poll."""

    name = "abstract"

    def __init__(self) -> None:
        self.hub = Hub()

    def publish(self, poll_id: int) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        """Make sure this worker listens (idempotent); called before each subscription."""

    async def stop(self) -> None:
        """Release the listening connection (app shutdown)."""

    @contextlib.asynccontextmanager
    async def subscribe(self, poll_id: int) -> AsyncIterator[asyncio.Queue]:
        await self.start()
        with self.hub.subscription(poll_id) as queue:
            yield queue


class InProcessBroker(Broker):
    name = "in-process"

    def publish(self, poll_id: int) -> None:
        self.hub.dispatch(poll_id)


class _ListeningBroker(Broker):
    """A broker with one background task per worker that feeds the hub."""

    RETRY_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self._task: asyncio.Task | None = None
        self._ready: asyncio.Event | None = None

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._ready = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=2)

    async def _run(self) -> None:
        while True:
            try:
                await self._listen(self._ready)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the connection dropped: streams fall back on timeouts
                log.warning("%s broker lost its connection (%s); retrying", self.name, exc)
            await asyncio.sleep(self.RETRY_SECONDS)

    async def _listen(self, ready: asyncio.Event) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


class RedisBroker(_ListeningBroker):
    name = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self.url = url
        # Pub/sub channels are global to a Redis server, not per database: name the database.
        self.channel = f"{CHANNEL}:{urlsplit(url).path.strip('/') or '0'}"
        self._client = redis.Redis.from_url(url)

    def publish(self, poll_id: int) -> None:
        self._client.publish(self.channel, str(poll_id))

    async def _listen(self, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        client = aioredis.from_url(self.url)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            ready.set()
            self.hub.dispatch(EVERYTHING)  # something may have changed while disconnected
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self.hub.dispatch(int(message["data"]))
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()
                await client.aclose()

    async def stop(self) -> None:
        await super().stop()
        self._client.close()


class PostgresBroker(_ListeningBroker):
    name = "postgresql"

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    def publish(self, poll_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {
                    "channel": CHANNEL,
                    "payload": str(poll_id),
                },
            )

    async def _listen(self, ready: asyncio.Event) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            ready.set()
            self.hub.dispatch(EVERYTHING)
            async for notify in conn.notifies():
                self.hub.dispatch(int(notify.payload))


def make_broker(settings: Settings, engine: Engine) -> Broker:
    """Redis when configured (it reaches every machine), else PostgreSQL's own channel, else
    this process only."""
    if settings.redis_url:
        return RedisBroker(settings.redis_url)
    if engine.dialect.name == "postgresql":
        return PostgresBroker(engine)
    return InProcessBroker()
