"""A results cache the workers share (Redis when configured), behind each worker's own LRU.

Without it, N workers each load the responses and summarise them once per data version. With
it, the first worker to compute a campaign's :class:`ResultsData` stores it, and the
summaries and chart SVGs memoised on it, under a key made of the campaign ids, the language
and the data version: a new response changes the version, so a stale entry is never read and
simply expires (``ttl``). Values larger than ``max_bytes`` once compressed are not shared
(the worker keeps its own copy), so a huge campaign cannot fill the store.

The client is passed in (anything with ``get(key)`` and ``set(key, value, ex=seconds)``, as
``redis.Redis``); this module knows no Redis. Values are pickles, signed with the app's
secret (HMAC-SHA256) and refused unless the signature matches: whoever can write to the store
without the secret cannot make a worker unpickle their bytes. A store that fails (down,
full) is logged and skipped: the results are computed as without it.
"""

import copyreg
import hashlib
import hmac
import io
import logging
import pickle
import zlib
from collections.abc import Hashable, Mapping
from types import MappingProxyType
from typing import Any, Protocol

from surveys.results.cache import DataVersion, ResultsData

log = logging.getLogger(__name__)

SHARED_TTL = 3600  # seconds
SHARED_MAX_BYTES = 32 * 2**20  # compressed; larger values stay in the worker
# Memo entries worth sharing: costly to build, small to store. Filtered frames (cheap to
# rebuild, large) and matplotlib charts (large) stay in each worker.
SHARED_MEMO = frozenset(
    {"summaries", "public-summaries", "svg", "timeline-svg", "crosstab", "waves"}
)
_MAC = hashlib.sha256().digest_size


def _read_only(items: Mapping) -> MappingProxyType:
    return MappingProxyType(dict(items))


class _Pickler(pickle.Pickler):
    """Pickles the codebook too: its variables hold read-only mappings (mappingproxy), which
    pickle cannot name; they travel as dicts and are made read-only again."""

    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[MappingProxyType] = lambda proxy: (_read_only, (dict(proxy),))


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


class Client(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ex: int | None = None) -> Any: ...


class SharedResults:
    """Results data and memo entries in a key-value store shared by the workers."""

    def __init__(
        self,
        client: Client,
        secret: str | bytes,
        ttl: int = SHARED_TTL,
        max_bytes: int = SHARED_MAX_BYTES,
        prefix: str = "consult:results",
    ) -> None:
        self.client = client
        self._secret = secret.encode() if isinstance(secret, str) else secret
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.prefix = prefix

    def data_key(self, key: Hashable, version: DataVersion) -> str:
        """``prefix:<campaign ids>:<lang>:<digest of the data version>``."""
        ids, lang = key
        digest = hashlib.sha256(repr(tuple(version)).encode()).hexdigest()[:20]
        return f"{self.prefix}:{'-'.join(map(str, ids))}:{lang}:{digest}"

    def load(self, key: Hashable, version: DataVersion) -> ResultsData | None:
        fields = self._get(self.data_key(key, version))
        if fields is None:
            return None
        data = ResultsData(**fields)
        data.shared = self
        return data

    def store(self, key: Hashable, data: ResultsData) -> None:
        fields = {
            "campaigns": data.campaigns,
            "document": data.document,
            "frame": data.frame,
            "codebook": data.codebook,
            "version": data.version,
            "lang": data.lang,
            "drafts": data.drafts,
            "dropoff": data.dropoff,
        }
        data.shared = self
        self._set(self.data_key(key, data.version), fields)

    def memo_key(self, data: ResultsData, key: tuple) -> str:
        base = self.data_key((tuple(c.id for c in data.campaigns), data.lang), data.version)
        return f"{base}:memo:{hashlib.sha256(repr(key).encode()).hexdigest()[:20]}"

    def load_memo(self, data: ResultsData, key: tuple) -> tuple[bool, Any]:
        """(True, value) when another worker stored it; (False, None) otherwise."""
        if key[0] not in SHARED_MEMO:
            return False, None
        found = self._get(self.memo_key(data, key))
        return (True, found[0]) if found is not None else (False, None)

    def store_memo(self, data: ResultsData, key: tuple, value: Any) -> None:
        if key[0] in SHARED_MEMO:
            self._set(self.memo_key(data, key), (value,))

    # --- signed, compressed pickles -----------------------------------------------------

    def _get(self, name: str) -> Any:
        try:
            raw = self.client.get(name)
        except Exception:  # a cache must not break a page: compute as without it
            log.warning("shared results cache unavailable (get %s)", name, exc_info=True)
            return None
        if not raw or len(raw) <= _MAC:
            return None
        mac, body = raw[:_MAC], raw[_MAC:]
        if not hmac.compare_digest(mac, hmac.new(self._secret, body, hashlib.sha256).digest()):
            log.warning("shared results cache: %s has a bad signature, ignored", name)
            return None
        return pickle.loads(zlib.decompress(body))

    def _set(self, name: str, value: Any) -> None:
        try:
            body = zlib.compress(_dumps(value), 1)
        except (pickle.PicklingError, TypeError, AttributeError):
            log.warning("shared results cache: %s cannot be pickled, kept local", name)
            return
        if len(body) > self.max_bytes:
            return  # the size guard: this worker keeps its own copy
        mac = hmac.new(self._secret, body, hashlib.sha256).digest()
        try:
            self.client.set(name, mac + body, ex=self.ttl)
        except Exception:
            log.warning("shared results cache unavailable (set %s)", name, exc_info=True)
