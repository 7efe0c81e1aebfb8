"""Throughput and latency of classifying canonical images in-process against the model worker.

Measures ``Classifier.probabilities`` on single images and on batches, then a local worker
(``ml.jobs.worker.deploy``) through :class:`ml.reading.worker_client.WorkerClient`, one image per
request, from 1 and from 8 client threads. Prints one JSON object. Needs Ray
(``hangul-tutor[worker]``)::

    python -m ml.jobs.worker_bench [--requests 2000] [--batch 64] [--port 8000]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.preprocess import canonicalize
from ml.reading.worker_client import WorkerClient
from ml.writing.strokes import render_letter

log = logging.getLogger(__name__)


def canonical_images(count: int, seed: int = 0) -> np.ndarray:
    """``count`` canonical images of letters drawn by random stroke writers."""
    rng = np.random.default_rng(seed)
    images = []
    while len(images) < count:
        canonical = canonicalize(render_letter(LETTERS[len(images) % len(LETTERS)], rng))
        if canonical.ok:
            images.append(canonical.image)
    return np.stack(images)


def measure(call: Callable[[int], object], requests: int, threads: int, images: int = 1) -> dict:
    """Requests/s, images/s and p50/p95 latency (ms) of ``requests`` calls over ``threads``."""

    def timed(i: int) -> float:
        start = time.perf_counter()
        call(i)
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = np.array(list(pool.map(timed, range(requests))))
    elapsed = time.perf_counter() - start
    return {
        "threads": threads,
        "requests": requests,
        "images_per_request": images,
        "requests_per_s": round(requests / elapsed, 1),
        "images_per_s": round(requests * images / elapsed, 1),
        "p50_ms": round(1000 * float(np.percentile(latencies, 50)), 3),
        "p95_ms": round(1000 * float(np.percentile(latencies, 95)), 3),
    }


def in_process(images: np.ndarray, requests: int, batch: int) -> dict:
    """``Classifier.probabilities`` on one image per call and on ``batch`` images per call."""
    classifier = Classifier.load("lenet")
    batches = len(images) // batch

    def single(i: int) -> object:
        return classifier.probabilities(images[i % len(images)][None])

    def batched(i: int) -> object:
        return classifier.probabilities(images[(i % batches) * batch :][:batch])

    return {
        "single": measure(single, requests, 1),
        "batched": measure(batched, max(20, requests // 10), 1, batch),
    }


def through_worker(images: np.ndarray, requests: int, port: int) -> dict:
    """One image per request through a local worker, from 1 and from 8 client threads."""
    from ml.jobs import worker

    start = time.perf_counter()
    url = worker.deploy(port=port)
    started = time.perf_counter() - start
    try:
        with WorkerClient(url, timeout=10.0) as client:

            def call(i: int) -> object:
                return client.probabilities("lenet", images[i % len(images)][None])

            measure(call, 50, 4)  # warm up connections and the replica
            figures = {f"threads_{n}": measure(call, requests, n) for n in (1, 8)}
    finally:
        worker.shutdown()
    return {"deploy_seconds": round(started, 1), **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    images = canonical_images(max(256, args.batch * 4))
    figures = {
        "cpus": os.cpu_count(),
        "model": "lenet",
        "in_process": in_process(images, args.requests, args.batch),
        "worker": through_worker(images, args.requests, args.port),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
