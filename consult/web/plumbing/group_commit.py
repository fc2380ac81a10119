"""Durable writes of the respondent hot paths, committed in groups.

Statements sent while a commit is under way wait for it, then go together in one
transaction: one disk flush (SQLite synchronous=FULL, PostgreSQL's WAL) for the group instead
of one per answer. Nobody is answered before their group is committed, so an acknowledged
answer is as durable as with a commit of its own. The commit runs in a thread of its own, so
that the event loop goes on parsing and validating the next requests while the disk flushes.
"""

import asyncio
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine

from surveys.capture import Write

# One writer thread per process: a group's commit is short, and SQLite takes one writer at
# a time anyway.
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-commit")
# Bounds the wait of the last of a group behind the others' statements.
MAX_GROUP = 256

Unit = Sequence[Write]  # the statements of one request, applied together or not at all


class GroupCommit:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._pending: list[tuple[Unit, asyncio.Future]] = []
        self._draining = False
        # Test clients run an event loop each: callers may come from several threads.
        self._lock = threading.Lock()

    async def execute(self, *writes: Write) -> list[int]:
        """Apply the statements in one transaction shared with concurrent callers; their
        row counts once committed. A failing unit fails alone: the others are committed."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            self._pending.append((writes, future))
            start, self._draining = not self._draining, True
        if start:
            task = loop.create_task(self._drain())
            _TASKS.add(task)
            task.add_done_callback(_TASKS.discard)
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            with self._lock:
                if not self._pending:
                    self._draining = False
                    return
                group, self._pending = self._pending[:MAX_GROUP], self._pending[MAX_GROUP:]
            try:
                outcomes = await loop.run_in_executor(
                    _WRITER, self._commit, [unit for unit, _ in group]
                )
            except BaseException as exc:  # the loop is closing: let every caller know
                for _, future in group:
                    _settle(future, exc)
                with self._lock:
                    self._draining = False
                raise
            for (_, future), outcome in zip(group, outcomes, strict=True):
                _settle(future, outcome)

    def _commit(self, units: list[Unit]) -> list:
        try:
            with self.engine.begin() as conn:
                return [_apply(conn, unit) for unit in units]
        except Exception as exc:
            if len(units) == 1:
                return [exc]
        # Something in the group failed (a duplicate key, say): commit each unit alone so
        # that only the culprit gets the error.
        outcomes: list = []
        for unit in units:
            try:
                with self.engine.begin() as conn:
                    outcomes.append(_apply(conn, unit))
            except Exception as exc:  # noqa: BLE001 - handed to that unit's caller
                outcomes.append(exc)
        return outcomes


def _apply(conn, unit: Unit) -> list[int]:
    return [conn.execute(statement, params).rowcount for statement, params in unit]


_TASKS: set[asyncio.Task] = set()
_COMMITTERS: "weakref.WeakKeyDictionary[Engine, GroupCommit]" = weakref.WeakKeyDictionary()


def _settle(future: asyncio.Future, outcome) -> None:
    def settle() -> None:
        if future.done():  # the caller went away (client disconnected)
            return
        if isinstance(outcome, asyncio.CancelledError):
            future.cancel()
        elif isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)

    future_loop = future.get_loop()
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if future_loop is running:
        settle()
    elif not future_loop.is_closed():
        future_loop.call_soon_threadsafe(settle)


def group_commit(engine: Engine) -> GroupCommit:
    committer = _COMMITTERS.get(engine)
    if committer is None:
        committer = _COMMITTERS[engine] = GroupCommit(engine)
    return committer


async def commit_durably(engine: Engine, *writes: Write) -> list[int]:
    return await group_commit(engine).execute(*writes)
