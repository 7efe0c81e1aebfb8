"""Reading untrusted pictures in worker processes, so that a decoder that crashes, runs away or
swallows memory costs one picture, never the process that asked for it.

A :class:`PicturePool` runs :func:`ml.reading.preprocess.canonical_from_bytes` in a few worker
processes (pebble's ``ProcessPool``), each capped at :data:`WORKER_MEMORY` bytes of data
(``RLIMIT_DATA``) and given :data:`DEADLINE_S` seconds per picture; a worker that dies or overruns
is replaced, and the picture gets the verdict ``error`` or ``too_slow``. Workers are forked from a
server process that has the decoding modules loaded, so a replacement starts in milliseconds.
:data:`IN_PROCESS` reads in the calling process instead (trusted data: training folders).
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
from collections.abc import Callable, Sequence
from concurrent.futures import TimeoutError as DeadlineExceeded
from typing import Protocol

import pebble

from ml.reading.preprocess import Canonical, canonical_from_bytes, canonical_with_blocks, refusal
from ml.reading.verdicts import Verdict

log = logging.getLogger(__name__)

WORKERS = 2
DEADLINE_S = 2.0
"""Far above any ordinary picture (a 12 MP photo takes ~40 ms, a 16 MP PNG ~0.3 s)."""
WORKER_MEMORY = 768 * 2**20
"""A worker's data segment (``RLIMIT_DATA``): ~250 MB of it are the loaded libraries' arenas;
the rest bounds one decode well above what the pixel limits allow."""


class Preprocessor(Protocol):
    """Turns picture bytes into canonical forms, never raising for bad input."""

    def canonicalize(self, pictures: Sequence[bytes], blocks: bool = False) -> list[Canonical]:
        """``blocks``: cut the writing into syllable blocks too (:attr:`Canonical.blocks`)."""
        ...


class InProcess:
    """Canonicalises in the calling process (for trusted pictures)."""

    def canonicalize(self, pictures: Sequence[bytes], blocks: bool = False) -> list[Canonical]:
        return [canonical_from_bytes(data, blocks) for data in pictures]


IN_PROCESS = InProcess()


def _cap_memory(data_bytes: int) -> None:
    """In a new worker: the memory cap, and one thread for OpenCV (the pool is the parallelism)."""
    import cv2

    resource.setrlimit(resource.RLIMIT_DATA, (data_bytes, data_bytes))
    cv2.setNumThreads(1)


class PicturePool:
    """Canonicalises untrusted pictures in capped worker processes (see the module docstring)."""

    def __init__(
        self,
        workers: int = WORKERS,
        deadline: float = DEADLINE_S,
        memory: int = WORKER_MEMORY,
        read: Callable[[bytes], Canonical] = canonical_from_bytes,
    ) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ml.reading.isolation"])
        self.deadline = deadline
        self.read = read
        """What a worker does with each picture (a module-level function)."""
        self._pool = pebble.ProcessPool(
            max_workers=workers, initializer=_cap_memory, initargs=(memory,), context=context
        )

    def canonicalize(self, pictures: Sequence[bytes], blocks: bool = False) -> list[Canonical]:
        """The canonical form of each picture, read in parallel by the workers (``blocks``: with
        the writing cut into syllable blocks, :func:`canonical_with_blocks`, whatever ``read``
        was given)."""
        read = canonical_with_blocks if blocks else self.read
        futures = [
            self._pool.schedule(read, args=(data,), timeout=self.deadline) for data in pictures
        ]
        return [
            self._outcome(future, len(data)) for future, data in zip(futures, pictures, strict=True)
        ]

    def _outcome(self, future, size: int) -> Canonical:
        try:
            return future.result()
        except DeadlineExceeded:
            log.warning("a %d-byte picture overran its %.1f s deadline", size, self.deadline)
            return refusal(Verdict.TOO_SLOW)
        except pebble.ProcessExpired as error:
            log.warning("a worker died reading a %d-byte picture (exit %s)", size, error.exitcode)
            return refusal(Verdict.ERROR)
        except MemoryError:
            log.warning("a %d-byte picture needed more memory than a worker has", size)
            return refusal(Verdict.TOO_MANY_PIXELS)
        except Exception:  # the reader's own bug: one picture lost, never the caller
            log.exception("reading a %d-byte picture failed", size)
            return refusal(Verdict.ERROR)

    def close(self) -> None:
        """Stop the workers (a picture being read is abandoned)."""
        self._pool.stop()
        self._pool.join()

    def __enter__(self) -> PicturePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
