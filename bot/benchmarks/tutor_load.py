"""Concurrency benchmark: many learners sending pictures at once through the tutor.

Each simulated learner starts a quiz and answers it with pictures of stroke-drawn letters, all
learners at the same time, with the in-process model and a real database. Reported per
database: pictures per second, p50/p95 latency of ``handle_picture``, attempts lost (pictures
answered minus attempts stored) and lock or other errors (error replies). The baseline,
measured in the same run, is the classifier alone reading the same pictures through the same
thread pool, without the tutor or a database.
"""

from __future__ import annotations

import asyncio
import io
import logging
import statistics
import time
import uuid
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image
from sqlalchemy import delete, func, select

from bot.core import texts
from bot.core.replies import Sender
from bot.core.tutor import Tutor
from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.registry import Registry
from ml.writing.strokes import render_letter
from storage.database import Database
from storage.tables import Attempt, Learner

log = logging.getLogger(__name__)


@dataclass
class Figures:
    database: str
    learners: int
    pictures: int
    seconds: float
    pictures_per_second: float
    p50_ms: float
    p95_ms: float
    attempts_stored: int
    attempts_lost: int
    error_replies: int


def bench_pictures(count: int, seed: int = 0) -> list[bytes]:
    """``count`` PNGs of random letters by random stroke writers."""
    rng = np.random.default_rng(seed)
    pictures = []
    for _ in range(count):
        letter = LETTERS[int(rng.integers(len(LETTERS)))]
        out = io.BytesIO()
        Image.fromarray(render_letter(letter, rng, size=128)).save(out, "PNG")
        pictures.append(out.getvalue())
    return pictures


async def classifier_baseline(classifier: Classifier, pictures: list[bytes]) -> float:
    """Pictures per second for the classifier alone, all at once through the thread pool."""
    started = time.perf_counter()
    await asyncio.gather(*(asyncio.to_thread(classifier.read, p) for p in pictures))
    return len(pictures) / (time.perf_counter() - started)


async def bench_tutor(
    url: str,
    classifier: Classifier,
    registry: Registry,
    learners: int,
    per_learner: int,
    pictures: list[bytes],
) -> Figures:
    """Run the learners against the database at ``url`` and count what was stored."""
    db = Database(url)
    await db.migrate()
    tutor = Tutor(db, classifier, registry=registry)
    platform = "bench"
    run = uuid.uuid4().hex[:8]
    latencies: list[float] = []
    errors = 0

    async def learner(n: int) -> None:
        nonlocal errors
        sender = Sender(platform, f"{run}-{n}", f"learner {n}")
        if n % 2:
            await tutor.handle_text(sender, "/consent on")
        await tutor.handle_text(sender, f"/quiz {per_learner}")
        for k in range(per_learner):
            started = time.perf_counter()
            replies = await tutor.handle_picture(
                sender, pictures[(n * per_learner + k) % len(pictures)]
            )
            latencies.append(time.perf_counter() - started)
            errors += sum(reply.text == texts.INTERNAL_ERROR for reply in replies)

    started = time.perf_counter()
    await asyncio.gather(*(learner(n) for n in range(learners)))
    seconds = time.perf_counter() - started
    async with db.transaction() as session:
        ours = select(Learner.id).where(
            Learner.platform == platform, Learner.platform_id.startswith(f"{run}-")
        )
        stored = await session.scalar(
            select(func.count()).select_from(Attempt).where(Attempt.learner_id.in_(ours))
        )
        await session.execute(delete(Learner).where(Learner.id.in_(ours)))
    await db.close()
    sent = learners * per_learner
    ms = sorted(1000 * x for x in latencies)
    return Figures(
        database=db.url.get_backend_name(),
        learners=learners,
        pictures=sent,
        seconds=round(seconds, 2),
        pictures_per_second=round(sent / seconds, 1),
        p50_ms=round(statistics.median(ms), 1),
        p95_ms=round(ms[int(0.95 * (len(ms) - 1))], 1),
        attempts_stored=stored,
        attempts_lost=sent - stored,
        error_replies=errors,
    )


async def run_bench(
    urls: list[str], registry: Registry, learners: int = 200, per_learner: int = 5
) -> dict:
    """The baseline and one :class:`Figures` per database URL, reading with the registry's
    current LeNet."""
    classifier = Classifier.load("lenet", registry)
    pictures = bench_pictures(min(learners * per_learner, 500))
    baseline = await classifier_baseline(classifier, pictures)
    log.info("classifier alone: %.1f pictures/s", baseline)
    results = []
    for url in urls:
        figures = await bench_tutor(url, classifier, registry, learners, per_learner, pictures)
        log.info("%s", figures)
        results.append(
            {
                **asdict(figures),
                "vs_classifier_alone": round(figures.pictures_per_second / baseline, 3),
            }
        )
    return {"classifier_alone_pictures_per_second": round(baseline, 1), "databases": results}
