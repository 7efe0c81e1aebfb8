"""Attack run: while several accounts flood the real ``hangul-bot run`` with the hostile-input
suite (decompression, memory and CPU bombs, broken files) through the fake Telegram Bot API
server, an ordinary learner sends photos of letters one at a time.

Reported: the ordinary learner's reply latency (p50, p95, worst; each photo sent, its answer
awaited), whether every hostile file was answered, the bot's peak memory (its process and the
picture readers it started, summed, as a container's limit counts it) and whether it was still
running at the end. The hostile files are the full-size ones unless ``--small``.

Usage (from the repository root)::

    .venv/bin/python tests/attack_telegram.py --attackers 6 --photos 40
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import tempfile
import time
from pathlib import Path

from bot_fixtures import letter_png, start_hangul_bot
from fake_telegram import FakeTelegram
from ml.evaluation.hostile import tree_memory_mb, write_hostile_suite
from ml.reading.alphabet import LETTERS

ORDINARY = 500
ATTACKER = 900_000


async def run_attack(attackers: int, photos: int, small: bool = False) -> dict:
    """Run the attack and return its figures."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        bombs = [p.read_bytes() for p in write_hostile_suite(Path(folder) / "bombs", full=not small)
                 if p.stat().st_size <= 20 * 2**20]  # fmt: skip
        async with FakeTelegram() as fake:
            env = {
                "TELEGRAM_TOKEN": fake.token,
                "TELEGRAM_BASE_URL": fake.base_url,
                "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
                "TELEGRAM_MAX_MESSAGES_PER_SECOND": "100000",
            }
            bot = await start_hangul_bot(Path(folder), env)
            await fake.wait_for_request("getUpdates", timeout=120)
            peak_mb, stop_watching = 0.0, asyncio.Event()

            async def watch_memory() -> None:
                nonlocal peak_mb
                while not stop_watching.is_set():
                    peak_mb = max(peak_mb, tree_memory_mb(bot.pid))
                    await asyncio.sleep(0.05)

            async def attack(n: int) -> None:
                chat = ATTACKER + n
                for k, bomb in enumerate(bombs):
                    fake.user_document(chat, bomb, f"bomb{k}.jpg", "image/jpeg")
                    await asyncio.sleep(0.05)

            async def learn() -> None:
                for k in range(photos):
                    sent = time.perf_counter()
                    fake.user_photo(ORDINARY, letter_png(LETTERS[k % len(LETTERS)], seed=k))
                    await fake.wait_for(ORDINARY, k + 1, timeout=120)
                    latencies.append(time.perf_counter() - sent)

            watcher = asyncio.create_task(watch_memory())
            attacks = [asyncio.create_task(attack(n)) for n in range(attackers)]
            await asyncio.sleep(0.5)  # the flood is under way
            await learn()
            await asyncio.gather(*attacks)
            answered = await _all_answered(fake, attackers, len(bombs))
            stop_watching.set()
            await watcher
            alive = bot.returncode is None
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.communicate(), 60)
    ms = sorted(1000 * x for x in latencies)
    return {
        "attackers": attackers,
        "hostile_files_each": len(bombs),
        "ordinary_photos": photos,
        "ordinary_p50_ms": round(statistics.median(ms), 1),
        "ordinary_p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "ordinary_worst_ms": round(ms[-1], 1),
        "every_hostile_file_answered": answered,
        "bot_peak_memory_mb": round(peak_mb, 1),
        "bot_alive_at_the_end": alive,
        "bot_exit_code": bot.returncode,
    }


async def _all_answered(fake: FakeTelegram, attackers: int, bombs: int) -> bool:
    """Whether each attacker got an answer to every file (or was told their queue is full)."""
    try:
        for n in range(attackers):
            await fake.wait_for(ATTACKER + n, 1, timeout=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            counts = [len(fake.messages_to(ATTACKER + n)) for n in range(attackers)]
            if min(counts) >= bombs:
                return True
            await asyncio.sleep(0.5)
    except TimeoutError:
        return False
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attackers", type=int, default=6)
    parser.add_argument("--photos", type=int, default=40, help="the ordinary learner's photos")
    parser.add_argument("--small", action="store_true", help="test-size hostile files")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run_attack(args.attackers, args.photos, args.small)), indent=2))


if __name__ == "__main__":
    main()
