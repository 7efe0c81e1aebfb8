"""Load run: many simulated learners send pictures to the real ``hangul-bot run`` through the fake
Telegram Bot API server, all at once.

Each learner sends a picture, waits for the answer, and sends the next. Reported: replies per
second, p50/p95 latency (picture sent to answer received, as the fake server sees it), replies
lost or duplicated (each learner must get exactly one answer per picture), attempts stored in the
bot's database, and as the baseline measured in the same run, the classifier alone reading the
same pictures in this process. The bot runs in its own process with Telegram's 30 messages/s
limit lifted (``TELEGRAM_MAX_MESSAGES_PER_SECOND``), so the figures are the bot's own capacity.

Usage (from the repository root)::

    .venv/bin/python tests/load_telegram.py --learners 200 --pictures 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bot.benchmarks.tutor_load import bench_pictures, classifier_baseline
from bot_fixtures import start_hangul_bot
from fake_telegram import FakeTelegram
from ml.reading.classifier import Classifier

SETTLE_SECONDS = 2.0
"""How long to keep listening after the last answer, to catch duplicates."""


async def _start_bot(fake: FakeTelegram, folder: Path) -> asyncio.subprocess.Process:
    env = {
        "TELEGRAM_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
        "TELEGRAM_MAX_MESSAGES_PER_SECOND": "100000",
    }
    bot = await start_hangul_bot(folder, env)
    await fake.wait_for_request("getUpdates", timeout=120)
    return bot


async def _stop_bot(bot: asyncio.subprocess.Process) -> int:
    bot.send_signal(signal.SIGTERM)
    await asyncio.wait_for(bot.communicate(), 60)
    return bot.returncode


async def run_load(learners: int, pictures: int) -> dict:
    """Run the load and return its figures."""
    photos = bench_pictures(min(learners * pictures, 500))
    baseline = await classifier_baseline(Classifier.load("lenet"), photos)
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        async with FakeTelegram() as fake:
            bot = await _start_bot(fake, Path(folder))

            async def learner(n: int) -> None:
                chat = 10_000 + n
                for k in range(pictures):
                    sent = time.perf_counter()
                    fake.user_photo(chat, photos[(n * pictures + k) % len(photos)])
                    await fake.wait_for(chat, k + 1, timeout=120)
                    latencies.append(time.perf_counter() - sent)

            started = time.perf_counter()
            outcomes = await asyncio.gather(
                *(learner(n) for n in range(learners)), return_exceptions=True
            )
            seconds = time.perf_counter() - started
            await asyncio.sleep(SETTLE_SECONDS)
            received = [len(fake.messages_to(10_000 + n)) for n in range(learners)]
            exit_code = await _stop_bot(bot)
        with sqlite3.connect(Path(folder) / "bot.db") as db:
            stored = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    ms = sorted(1000 * x for x in latencies)
    answered = len(ms)
    return {
        "learners": learners,
        "pictures": learners * pictures,
        "seconds": round(seconds, 2),
        "replies_per_second": round(answered / seconds, 1),
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(ms[int(0.95 * (answered - 1))], 1) if ms else None,
        "lost": sum(max(0, pictures - r) for r in received),
        "duplicated": sum(max(0, r - pictures) for r in received),
        "learners_failed": sum(isinstance(o, BaseException) for o in outcomes),
        "attempts_stored": stored,
        "bot_exit_code": exit_code,
        "classifier_alone_pictures_per_second": round(baseline, 1),
        "vs_classifier_alone": round(answered / seconds / baseline, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--pictures", type=int, default=5, help="pictures per learner")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run_load(args.learners, args.pictures)), indent=2))


if __name__ == "__main__":
    main()
