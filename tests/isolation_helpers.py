"""Picture readers that misbehave on cue, for the worker-process tests (module-level, so that the
workers can import them)."""

from __future__ import annotations

import os
import time

from ml.reading.preprocess import Canonical, canonical_from_bytes


def misbehave(data: bytes) -> Canonical:
    """Crash on ``b"crash"``, hang on ``b"hang"``, swallow memory on ``b"hog"``; read the rest."""
    if data == b"crash":
        os.abort()
    if data == b"hang":
        time.sleep(600)
    if data == b"hog":
        hoard = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GB, a page at a time
        return Canonical(len(hoard))
    return canonical_from_bytes(data)
