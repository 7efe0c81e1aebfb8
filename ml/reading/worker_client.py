"""Client for the model worker (``ml.jobs.worker``): canonical 28x28 images out, probabilities back.

Free of Ray: the bot imports only this. One pooled, keep-alive ``httpx.Client`` per
:class:`WorkerClient`, safe to share between threads. Every failure (nothing listening, timeout,
non-200 answer, malformed reply) raises :class:`WorkerUnavailable`, so that a caller can fall
back to its in-process classifier. ``timeout`` bounds the whole answer, not just each read: a
worker that trickles its reply byte by byte is given up on once the answer is ``timeout`` late
(at worst after twice ``timeout``: a read already waiting is let finish).

The bot builds one from ``HANGUL_WORKER_URL`` and ``HANGUL_WORKER_TIMEOUT`` (see
``bot.app.settings``)::

    client = WorkerClient("http://127.0.0.1:8000", timeout=2.0)
    version, probabilities = client.probabilities("lenet", images)  # images: (N, 28, 28)
"""

from __future__ import annotations

import base64
import json
import time

import httpx
import numpy as np

DEFAULT_TIMEOUT = 2.0
SIZE = 28


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
        batch = np.ascontiguousarray(images, dtype=np.float32).reshape(-1, SIZE, SIZE)
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


def _parse(reply: dict, n: int) -> tuple[str, np.ndarray]:
    """The version and probabilities of a ``/classify`` reply for ``n`` images."""
    version = reply.get("model")
    try:
        probabilities = np.asarray(reply.get("probabilities"), dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise WorkerUnavailable("worker sent malformed probabilities") from error
    if not isinstance(version, str) or probabilities.ndim != 2 or len(probabilities) != n:
        raise WorkerUnavailable(f"worker sent {probabilities.shape} probabilities for {n} images")
    return version, probabilities
