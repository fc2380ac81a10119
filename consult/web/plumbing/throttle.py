"""Login throttling: failed attempts per client, with a wait that doubles (never per account).

Keys are hashed, so the store never holds an e-mail address or an IP address in clear.
"""

import asyncio
import hashlib
import math
import time

from litestar import Request
from litestar.stores.base import Store

THROTTLE_STORE = "throttle"


def _key(kind: str, value: str, secret: str) -> str:
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), key=secret.encode()[:64], digest_size=16)
    return f"login:{kind}:{digest.hexdigest()}"


MAX_LOGIN_DELAY = 24 * 3600


class LoginThrottle:
    """Failed sign-ins per client address, never per account: an attacker's wrong passwords
    slow down the attacker only, and the account's owner signs in from anywhere else.

    The first ``attempts`` failures cost nothing; each one after that doubles the wait before
    the client may try again (1 s, 2 s, 4 s ... up to a day). The count is forgotten once
    the client has stayed quiet for ``window`` seconds past its wait; a success clears it.
    """

    def __init__(
        self, store: Store, secret: str, attempts: int, window_seconds: int, clock=time.time
    ) -> None:
        self.store = store
        self.secret = secret
        self.attempts = attempts
        self.window = window_seconds
        self.clock = clock

    def _key(self, client: str) -> str:
        return _key("client", client, self.secret)

    def _delay(self, failures: int) -> float:
        if failures < self.attempts:
            return 0
        return min(2.0 ** (failures - self.attempts), MAX_LOGIN_DELAY)

    async def _state(self, client: str) -> tuple[int, float]:
        raw = await self.store.get(self._key(client))
        if raw is None:
            return 0, 0.0
        failures, _, last = (raw.decode() if isinstance(raw, bytes) else raw).partition(":")
        return int(failures), float(last or 0)

    async def wait_seconds(self, client: str) -> int:
        """0 when this client may try a password now, else the whole seconds to wait."""
        failures, last = await self._state(client)
        remaining = last + self._delay(failures) - self.clock()
        return math.ceil(remaining) if remaining > 0 else 0

    async def record_failure(self, client: str) -> None:
        failures, _ = await self._state(client)
        failures += 1
        keep = int(self._delay(failures)) + self.window
        await self.store.set(self._key(client), f"{failures}:{self.clock()}", expires_in=keep)

    async def clear(self, client: str) -> None:
        await self.store.delete(self._key(client))


class CodeThrottle:
    """Wrong resume or receipt codes per client, so that nobody can try codes in bulk.

    The client address is kept only as a keyed hash, and only until the window ends.
    """

    def __init__(self, store: Store, secret: str, attempts: int, window_seconds: int) -> None:
        self.store = store
        self.secret = secret
        self.attempts = attempts
        self.window = window_seconds

    def _key(self, client: str) -> str:
        return _key("code-client", client, self.secret).replace("login:", "code:", 1)

    async def is_blocked(self, client: str) -> bool:
        raw = await self.store.get(self._key(client))
        return raw is not None and int(raw) >= self.attempts

    async def record_failure(self, client: str) -> None:
        key = self._key(client)
        raw = await self.store.get(key)
        count = int(raw) + 1 if raw is not None else 1
        expires = await self.store.expires_in(key) if raw is not None else None
        await self.store.set(key, str(count), expires_in=expires or self.window)


# --- submissions ---------------------------------------------------------------------------
# Respondents' pages, submissions and poll votes, per minute: per respondent (the draft token
# or the poll's voter cookie) and, as a ceiling, per client address. Only keyed hashes live
# in the throttle store, for a minute; nothing of this reaches the answers tables.

SUBMIT_WINDOW = 60
# Each handler named here is limited; tests/fuzz/test_submit_rate_limit.py checks they exist.
LIMITED_HANDLERS = {
    "RespondController.start",
    "RespondController.save_section",
    "RespondController.refresh_section",
    "RespondController.submit",
    "VoteController.vote",
}
RESPONDENT_COOKIES = ("consult_draft", "consult_vote_")


def _exempt_address(client: str) -> bool:
    # Loopback is the reverse proxy (uvicorn already took the real address from
    # X-Forwarded-For) or a load test on the machine itself: one address for everybody,
    # so only the per-respondent limit applies to it.
    return client == "unknown" or client.startswith("127.") or client == "::1"


class SubmitThrottle:
    def __init__(self, store: Store, secret: str, per_respondent: int, per_address: int) -> None:
        self.store = store
        self.secret = secret
        self.per_respondent = per_respondent
        self.per_address = per_address
        self._swept_window = 0
        self._sweeping: asyncio.Task | None = None

    def _sweep(self, window: int) -> None:
        # A file store only drops expired keys when they are read again, and each minute
        # brings new keys: once a minute per worker, clear them in the background (Redis
        # expires keys by itself).
        sweep = getattr(self.store, "delete_expired", None)
        if sweep is None or window == self._swept_window:
            return
        if self._sweeping is None or self._sweeping.done():
            self._swept_window = window
            self._sweeping = asyncio.get_running_loop().create_task(sweep())

    async def _hit(self, kind: str, value: str, window: int) -> int:
        key = _key(kind, value, self.secret).replace("login:", f"submit:{window}:", 1)
        raw = await self.store.get(key)
        count = int(raw) + 1 if raw is not None else 1
        # The window is in the key: no expiry to read back, and a race loses a count at most.
        await self.store.set(key, str(count), expires_in=SUBMIT_WINDOW)
        return count

    async def wait_seconds(self, respondent: str, client: str, now: float) -> int:
        """0 when this request may go on, else the seconds until the current window ends."""
        window = int(now // SUBMIT_WINDOW)
        self._sweep(window)
        over = False
        if respondent and self.per_respondent:
            over = await self._hit("respondent", respondent, window) > self.per_respondent
        if not over and self.per_address and not _exempt_address(client):
            over = await self._hit("address", client, window) > self.per_address
        return SUBMIT_WINDOW - int(now % SUBMIT_WINDOW) if over else 0


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"
