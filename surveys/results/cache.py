"""What a load of results keeps: :class:`ResultsData` (frame, codebook, memoised summaries and
charts) and the in-process LRU :data:`CACHE` of them, checked against the data version.

A :class:`ResultsCache` may have a shared tier behind it (:mod:`surveys.results.shared`, Redis
when configured): what one worker computed, the others read instead of computing it again."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import pandas as pd

from analysis.codebook import Codebook
from surveys.document import Document
from surveys.results.campaigns import CampaignInfo

CACHE_SIZE = 16
MEMO_SIZE = 256


class DataVersion(NamedTuple):
    responses: int
    completes: int
    last_id: int | None
    last_submitted: str | None


class Shared(Protocol):
    """A tier shared by the workers (:class:`surveys.results.shared.SharedResults`)."""

    def load(self, key: Hashable, version: DataVersion) -> "ResultsData | None": ...

    def store(self, key: Hashable, data: "ResultsData") -> None: ...

    def load_memo(self, data: "ResultsData", key: tuple) -> tuple[bool, Any]: ...

    def store_memo(self, data: "ResultsData", key: tuple, value: Any) -> None: ...


@dataclass
class ResultsData:
    """The complete responses of one campaign (or of a series' waves) as a frame + codebook,
    the drafts' progress, and memoised summaries and charts for each filter set."""

    campaigns: tuple[CampaignInfo, ...]
    document: Document
    frame: pd.DataFrame
    codebook: Codebook
    version: DataVersion
    lang: str
    drafts: int
    dropoff: tuple[tuple[str, str, int], ...]  # (section name, title, drafts that stopped there)
    quick: tuple = ()  # the last quick_version seen with this version
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    shared: Shared | None = field(default=None, repr=False, compare=False)

    @property
    def campaign(self) -> CampaignInfo:
        return self.campaigns[-1]

    @property
    def etag(self) -> str:
        """A short tag of the data version, for cache headers and chart URLs."""
        # a digest, not hash(): the same in every worker (hash() of text is salted per process)
        return hashlib.sha256(repr((tuple(self.version), self.lang)).encode()).hexdigest()[:10]

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        found, value = (
            self.shared.load_memo(self, key) if self.shared is not None else (False, None)
        )
        if not found:
            value = build()
            if self.shared is not None:
                self.shared.store_memo(self, key, value)
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value


class ResultsCache:
    """A small thread-safe LRU of :class:`ResultsData` per (campaigns, language), in front
    of an optional tier shared by the workers."""

    def __init__(self, size: int = CACHE_SIZE, shared: Shared | None = None) -> None:
        self.size = size
        self.shared = shared
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: DataVersion) -> ResultsData | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None and data.version == version:
                self._items.move_to_end(key)
                return data
        if self.shared is None or (data := self.shared.load(key, version)) is None:
            return None
        self._keep(key, data)
        return data

    def get_quick(self, key: Hashable, quick: tuple) -> ResultsData | None:
        with self._lock:
            data = self._items.get(key)
            return data if data is not None and data.quick == quick else None

    def put(self, key: Hashable, data: ResultsData) -> None:
        if self.shared is not None:
            self.shared.store(key, data)
        self._keep(key, data)

    def _keep(self, key: Hashable, data: ResultsData) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = ResultsCache()
