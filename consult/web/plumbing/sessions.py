"""Server-side sessions in a shared store, with the session id rotated at login.

The store is a file store under var/ by default (shared by every worker of one machine) and
Redis when ``CONSULT_REDIS_URL`` is set (shared by every machine).
"""

import os
from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import StorageObject, Store
from litestar.stores.file import FileStore
from litestar.stores.redis import RedisStore

from consult.settings import Settings

SESSION_COOKIE = "consult_session"
SESSION_STORE = "sessions"
ROTATE_KEY = "rotate_session"
SESSION_MAX_AGE = 8 * 3600


class LocalFileStore(FileStore):
    """A file store that reads and writes on the event loop: a file of a few hundred bytes
    on the local disk (no fsync) is read or replaced faster than the hops to worker threads
    that FileStore makes (two per write), on every request of a signed-in user and on every
    throttled respondent POST."""

    _directory_made = False

    @staticmethod
    async def _load_from_path(path) -> StorageObject | None:
        try:
            with open(path, "rb") as file:  # noqa: ASYNC230 - see the class docstring
                return StorageObject.from_bytes(file.read())
        except FileNotFoundError:
            return None

    async def set(self, key: str, value: str | bytes, expires_in=None) -> None:
        if not self._directory_made:
            os.makedirs(self.path, exist_ok=True)
            self._directory_made = True
        data = value.encode() if isinstance(value, str) else value
        self._write_sync(self._path_from_key(key), StorageObject.new(data, expires_in))


def make_store(settings: Settings, namespace: str) -> Store:
    if settings.redis_url:
        return RedisStore.with_client(url=settings.redis_url, namespace=f"consult:{namespace}")
    return LocalFileStore(path=settings.var_dir / "store" / namespace, create_directories=True)


def rotate_session(connection: ASGIConnection) -> None:
    """Ask for a fresh session id on this response (call at login, against fixation)."""
    connection.scope.setdefault("state", {})[ROTATE_KEY] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})["loaded_session"] = dict(data)
        return data

    def get_session_id(self, connection: ASGIConnection) -> str:
        state = connection.scope.setdefault("state", {})
        if state.get(ROTATE_KEY):
            if "rotated_session_id" not in state:
                state["rotated_session_id"] = self.generate_session_id()
            return state["rotated_session_id"]
        return super().get_session_id(connection)

    async def store_in_message(self, scope_session, message, connection) -> None:
        state = connection.scope.setdefault("state", {})
        old_id = connection.cookies.get(self.config.key)
        if not scope_session and (not old_id or old_id == "null"):
            # A visitor without a session (every respondent) costs no store write and
            # gets no cookie.
            return
        if (
            not state.get(ROTATE_KEY)
            and old_id
            and isinstance(scope_session, dict)
            and scope_session == state.get("loaded_session")
        ):
            # Unchanged: the stored copy and the cookie are already right. Sessions then last
            # SESSION_MAX_AGE from sign-in, not from the last request.
            return
        if state.get(ROTATE_KEY) and old_id and old_id != "null":
            await self.delete(old_id, store=self.config.get_store_from_app(connection.app))
        await super().store_in_message(scope_session, message, connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend  # type: ignore[assignment]


def session_config(settings: Settings) -> RotatingSessionConfig:
    return RotatingSessionConfig(
        key=SESSION_COOKIE,
        store=SESSION_STORE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        renew_on_access=False,
    )
