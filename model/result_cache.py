"""A bounded per-process cache of the results of strings already normalized."""

import itertools
from typing import Dict, Optional, Sequence

import numpy as np

from model.results import Results


class ResultCache:
    """A bounded map from strings to their Results, stored as columns.

    When full, the least recently used tenth is evicted at once, so a
    batch's lookups and inserts stay numpy operations plus one dict access
    per string.
    """

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._slots: Dict[str, int] = {}
        self._keys = np.full(capacity, None, object)
        self._last_used = np.full(capacity, np.iinfo(np.int64).max)
        self._free = np.arange(capacity)
        self._store: Optional[Results] = None
        self._clock = 0

    def __len__(self):
        return len(self._slots)

    def lookup(self, texts: Sequence[str]) -> np.ndarray:
        """Slots of `texts` (-1 where not cached); marks the found ones used."""
        self._clock += 1
        slots = np.fromiter(map(self._slots.get, texts, itertools.repeat(-1)), np.int64,
                            len(texts))
        self._last_used[slots[slots >= 0]] = self._clock
        return slots

    def take(self, slots: np.ndarray) -> Results:
        return self._store.take(slots)

    def insert(self, texts: Sequence[str], results: Results) -> None:
        """Caches `texts` (none of them cached yet) and their results."""
        if self.capacity == 0 or not texts:
            return
        if len(texts) > self.capacity:
            texts = texts[-self.capacity:]
            results = results.take(np.arange(len(results) - self.capacity, len(results)))
        if len(texts) > len(self._free):
            occupied = self.capacity - len(self._free)
            self._evict(min(occupied, max(len(texts) - len(self._free), self.capacity // 10)))
        if self._store is None:
            self._store = results.take(np.zeros(self.capacity, np.int64))
        slots, self._free = self._free[:len(texts)], self._free[len(texts):]
        self._store.put(slots, results)
        self._keys[slots] = texts
        self._last_used[slots] = self._clock
        self._slots.update(zip(texts, slots.tolist()))

    def _evict(self, count: int) -> None:
        oldest = np.argpartition(self._last_used, count - 1)[:count]
        for key in self._keys[oldest]:
            del self._slots[key]
        self._keys[oldest] = None
        self._last_used[oldest] = np.iinfo(np.int64).max
        self._free = np.concatenate([self._free, oldest])
