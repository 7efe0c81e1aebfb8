"""Per-learner flow control for the adapters, so that one learner's flood cannot starve others:
each learner gets a token bucket (a burst, then a steady rate) and one job at a time."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

BURST = 8
PER_SECOND = 1.0
REMEMBERED = 10_000
"""Learners whose buckets are kept (least recently seen forgotten first)."""


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class LearnerGate:
    """Token buckets and one-at-a-time locks, keyed by learner."""

    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND) -> None:
        self.burst = burst
        self.per_second = per_second
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        """Each learner's lock and how many messages hold or await it."""

    def admit(self, key: str) -> bool:
        """Whether the learner may be served now (takes a token if so)."""
        now = time.monotonic()
        bucket = self._buckets.pop(key, None) or _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        self._buckets[key] = bucket
        if len(self._buckets) > REMEMBERED:
            self._buckets.popitem(last=False)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        bucket.warned = False
        return True

    def first_refusal(self, key: str) -> bool:
        """True once per flood: whether to tell the learner to slow down."""
        bucket = self._buckets[key]
        first, bucket.warned = not bucket.warned, True
        return first

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Hold the learner's one slot (their messages are handled one after another)."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
