"""Login throttling: a fixed window of failed attempts per account and per client.

Keys are hashed, so the store never holds an e-mail address or an IP address in clear.
"""

import asyncio
import hashlib

from litestar.stores.base import Store

THROTTLE_STORE = "throttle"


def _key(kind: str, value: str, secret: str) -> str:
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), key=secret.encode()[:64], digest_size=16)
    return f"login:{kind}:{digest.hexdigest()}"


class LoginThrottle:
    def __init__(self, store: Store, secret: str, attempts: int, window_seconds: int) -> None:
        self.store = store
        self.secret = secret
        self.attempts = attempts
        self.window = window_seconds

    def _keys(self, email: str, client: str) -> list[str]:
        return [
            _key("account", email.strip().lower(), self.secret),
            _key("client", client, self.secret),
        ]

    async def is_blocked(self, email: str, client: str) -> bool:
        for key in self._keys(email, client):
            raw = await self.store.get(key)
            if raw is not None and int(raw) >= self.attempts:
                return True
        return False

    async def record_failure(self, email: str, client: str) -> None:
        for key in self._keys(email, client):
            raw = await self.store.get(key)
            count = int(raw) + 1 if raw is not None else 1
            # The window starts at the first failure and is not extended by later ones.
            expires = await self.store.expires_in(key) if raw is not None else None
            await self.store.set(key, str(count), expires_in=expires or self.window)

    async def clear(self, email: str, client: str) -> None:
        await self.store.delete(self._keys(email, client)[0])


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
