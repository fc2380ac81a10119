"""Login throttling: a fixed window of failed attempts per account and per client.

Keys are hashed, so the store never holds an e-mail address or an IP address in clear.
"""

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
