"""Client for the model worker (``ml.jobs.worker``): canonical images out (28x28 letters, 32x32
syllable blocks), probabilities back.

Free of Ray: the bot imports only this. One pooled, keep-alive ``httpx.Client`` per
:class:`WorkerClient`, safe to share between threads. Every failure (nothing listening, timeout,
non-200 answer, malformed reply) raises :class:`WorkerUnavailable`, so that a caller can fall
back to its in-process model; a :class:`WorkerBreaker` stops asking a worker that keeps
failing. ``timeout`` bounds the whole answer, not just each read: a worker that trickles its
reply byte by byte is given up on once the answer is ``timeout`` late (at worst after twice
``timeout``: a read already waiting is let finish).

The bot builds one from ``HANGUL_WORKER_URL`` and ``HANGUL_WORKER_TIMEOUT`` (see
``bot.app.settings``)::

    client = WorkerClient("http://127.0.0.1:8000", timeout=2.0)
    version, probabilities = client.probabilities("lenet", images)  # images: (N, 28, 28)
    version, heads = client.outputs("syllable-lenet", blocks)  # {"initial": (N, 19), ...}
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import httpx
import numpy as np

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 2.0
TRIPPING_FAILURES = 3
"""Failures of the model worker in a row after which it is left alone for a while."""
COOL_DOWN_S = 30.0
Answer = TypeVar("Answer")


class WorkerUnavailable(RuntimeError):
    """The worker could not give an answer (unreachable, too slow, refused or garbled)."""


class WorkerClient:
    """Classifies canonical images on the worker at ``url``."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.Client(
            base_url=self.url,
            timeout=timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    def probabilities(self, model: str, images: np.ndarray) -> tuple[str, np.ndarray]:
        """The model version (``lenet:v0003``) and class probabilities (N, 41: the letters, then
        "not a letter") for canonical images shaped (N, 28, 28) or (N, 1, 28, 28)."""
        version, outputs = self.outputs(model, images)
        if "probabilities" not in outputs:
            raise WorkerUnavailable(f"worker sent no probabilities for {model}")
        return version, outputs["probabilities"]

    def outputs(self, model: str, images: np.ndarray) -> tuple[str, dict[str, np.ndarray]]:
        """The model version and its outputs by name for square canonical images shaped
        (N, side, side) or (N, 1, side, side): ``probabilities`` for a letter model, one
        output per head for a syllable model (``initial``, ``medial``, ``final``, ``kind``)."""
        batch = np.ascontiguousarray(images, dtype=np.float32)
        batch = batch.reshape(-1, batch.shape[-2], batch.shape[-1])
        body = {
            "model": model,
            "images": base64.b64encode(batch.tobytes()).decode("ascii"),
            "n": len(batch),
        }
        reply = self._post("/classify", body)
        return _parse(reply, len(batch))

    def health(self) -> dict:
        """The worker's ``/health`` answer: the versions it serves and its device."""
        return self._json(self._request("GET", "/health"))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WorkerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict) -> dict:
        return self._json(self._request("POST", path, json=body))

    def _request(self, method: str, path: str, **kwargs: object) -> bytes:
        """The body of a 200 answer, read within the deadline."""
        deadline = time.monotonic() + self.timeout
        body = bytearray()
        try:
            with self._http.stream(method, path, **kwargs) as response:
                for chunk in response.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:
                        raise WorkerUnavailable(
                            f"worker at {self.url} did not answer within {self.timeout:.1f} s"
                        )
        except httpx.HTTPError as error:
            raise WorkerUnavailable(f"worker at {self.url}: {type(error).__name__}") from error
        if response.status_code != 200:
            answer = bytes(body[:200]).decode("utf-8", "replace")
            raise WorkerUnavailable(
                f"worker at {self.url} answered {response.status_code}: {answer}"
            )
        return bytes(body)

    def _json(self, body: bytes) -> dict:
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise WorkerUnavailable(f"worker at {self.url} sent no JSON") from error
        if not isinstance(payload, dict):
            raise WorkerUnavailable(f"worker at {self.url} sent a {type(payload).__name__}")
        return payload


def _parse(reply: dict, n: int) -> tuple[str, dict[str, np.ndarray]]:
    """The version and outputs of a ``/classify`` reply for ``n`` images."""
    version = reply.get("model")
    if not isinstance(version, str):
        raise WorkerUnavailable("worker named no model version")
    outputs = {}
    for name, rows in reply.items():
        if name == "model":
            continue
        try:
            found = np.asarray(rows, dtype=np.float32)
        except (TypeError, ValueError) as error:
            raise WorkerUnavailable(f"worker sent malformed {name}") from error
        if found.ndim != 2 or len(found) != n:
            raise WorkerUnavailable(f"worker sent {found.shape} {name} for {n} images")
        outputs[name] = found
    return version, outputs


class WorkerBreaker:
    """A circuit breaker for a model worker: after :data:`TRIPPING_FAILURES` failures in a row
    the worker is left alone for ``cool_down`` seconds (one that hangs costs its timeout once,
    not on every picture); then one question tries it again. Safe to share between threads."""

    def __init__(self, cool_down: float = COOL_DOWN_S) -> None:
        self.cool_down = cool_down
        self._failures = 0
        self._resting_until = 0.0
        self._lock = threading.Lock()

    def ask(self, question: Callable[[], Answer]) -> Answer | None:
        """``question()``'s answer, or ``None`` when the worker is resting or fails to answer
        (:class:`WorkerUnavailable`, logged): the caller then computes it in-process."""
        if not self._worth_asking():
            return None
        try:
            answer = question()
        except WorkerUnavailable as error:
            self._failed(error)
            return None
        with self._lock:
            self._failures, self._resting_until = 0, 0.0
        return answer

    def _worth_asking(self) -> bool:
        with self._lock:
            if time.monotonic() < self._resting_until:
                return False
            if self._failures >= TRIPPING_FAILURES:  # the one trial after a rest
                self._resting_until = time.monotonic() + self.cool_down
            return True

    def _failed(self, error: WorkerUnavailable) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= TRIPPING_FAILURES:
                self._resting_until = time.monotonic() + self.cool_down
        log.warning("model worker unavailable (%s); computing in-process", error)
