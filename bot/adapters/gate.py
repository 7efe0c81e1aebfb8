"""Per-learner flow control for the adapters, so that one learner's flood cannot starve others.

Each learner's messages are handled one at a time, in order. Typed messages and buttons take a
token from the learner's bucket (a burst, then a steady rate); a flood beyond it is dropped with
one "slow down". Pictures are not dropped but queued, up to :data:`MAX_QUEUED_PICTURES` a learner;
the learner hears once per burst that they will be read one at a time, and once if the queue is
full. Since each learner has at most one message being handled, the shared picture readers serve
learners in turn, however much one of them sends.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum

BURST = 8
PER_SECOND = 1.0
MAX_QUEUED_PICTURES = 30
"""Pictures one learner may have waiting or being read at once; more are refused."""
REMEMBERED = 10_000
"""Learners whose buckets are kept (least recently seen forgotten first)."""


class PictureAdmission(Enum):
    """What becomes of a picture that arrives."""

    NOW = "now"
    QUEUED = "queued"
    """Behind the learner's others; tell them it will be read in turn (once a burst)."""
    QUEUED_QUIETLY = "queued quietly"
    FULL = "full"
    """Refused: the learner's queue is full; tell them (once a burst)."""
    FULL_QUIETLY = "full quietly"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


@dataclass
class _Queue:
    lock: asyncio.Lock
    users: int = 0
    """Messages holding or awaiting the lock."""
    told_queued: bool = False
    told_full: bool = False


@dataclass
class LearnerGate:
    """Token buckets, picture queues and one-at-a-time locks, keyed by learner."""

    burst: int = BURST
    per_second: float = PER_SECOND
    max_queued_pictures: int = MAX_QUEUED_PICTURES
    _buckets: OrderedDict[str, _Bucket] = field(default_factory=OrderedDict)
    _queues: dict[str, _Queue] = field(default_factory=dict)

    def admit(self, key: str) -> bool:
        """Whether a typed message may be served now (takes a token if so)."""
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
        """True once per flood of typed messages: whether to tell the learner to slow down."""
        bucket = self._buckets[key]
        first, bucket.warned = not bucket.warned, True
        return first

    def admit_picture(self, key: str) -> PictureAdmission:
        """Whether a picture is read now, queued behind the learner's others, or refused because
        their queue is full; and whether to say so."""
        queue = self._queues.get(key)
        if queue is None or queue.users == 0:
            return PictureAdmission.NOW
        if queue.users >= self.max_queued_pictures:
            first, queue.told_full = not queue.told_full, True
            return PictureAdmission.FULL if first else PictureAdmission.FULL_QUIETLY
        first, queue.told_queued = not queue.told_queued, True
        return PictureAdmission.QUEUED if first else PictureAdmission.QUEUED_QUIETLY

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Hold the learner's one slot (their messages are handled one after another)."""
        queue = self._queues.setdefault(key, _Queue(asyncio.Lock()))
        queue.users += 1
        try:
            async with queue.lock:
                yield
        finally:
            queue.users -= 1
            if queue.users == 0:
                del self._queues[key]
