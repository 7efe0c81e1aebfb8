"""Start-up: the tutor wired to its database, classifier and model operations
(:func:`open_tutor`, for ``hangul-bot run`` and ``console``), and ``hangul-bot run`` itself: the
configured chat adapters, the reminder scheduler and the retrain watcher (progress to the admin
who asked) in one process.

Starts whichever adapters have a token (Telegram, Discord, or both), gives each the same tutor,
registers them as the scheduler's notifiers, and shuts everything down in order on SIGTERM or
SIGINT. What stops it from starting is explained by :mod:`bot.app.startup`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from datetime import datetime

from bot.adapters.gate import LearnerGate
from bot.app.reminders import Reminders
from bot.app.retrain_watch import TICK_SECONDS as WATCH_SECONDS
from bot.app.retrain_watch import RetrainWatcher
from bot.app.retraining import ProcessOperations
from bot.app.settings import Settings
from bot.app.startup import check_configuration, explain
from bot.core.tutor import Tutor
from ml.reading.classifier import LetterReader, live_classifier
from ml.reading.isolation import IN_PROCESS, PicturePool, Preprocessor
from ml.reading.registry import RegistryError
from ml.reading.syllables import SyllableContractError, SyllableReader, live_syllable_model
from ml.reading.worker_client import WorkerClient
from storage.database import Database
from storage.tables import utcnow

log = logging.getLogger(__name__)


async def open_tutor(settings: Settings, pictures: Preprocessor = IN_PROCESS) -> Tutor:
    """The tutor for ``settings``: database migrated and writable, classifier loaded (through
    the model worker when one is configured, canonicalising with ``pictures``), admin operations
    on this process's registry and cluster."""
    db = Database(settings.database_url)
    try:
        await db.migrate()
        await db.check_writable()
    except BaseException:
        await db.close()
        raise
    worker = (
        WorkerClient(settings.worker_url, settings.worker_timeout) if settings.worker_url else None
    )
    classifier = await asyncio.to_thread(
        live_classifier, settings.model, settings.registry, worker, pictures
    )
    syllables = await asyncio.to_thread(syllable_model, settings, worker)
    return tutor_for(settings, db, classifier, syllables=syllables)


def syllable_model(settings: Settings, worker: WorkerClient | None = None) -> SyllableReader | None:
    """The syllable reader the settings name (through ``worker`` when it answers), or ``None``
    (letters only) when they turn it off or it cannot be loaded (said in the log: the bot still
    reads letters)."""
    if settings.syllable_model is None:
        return None
    try:
        return live_syllable_model(settings.syllable_model, settings.registry, worker)
    except (RegistryError, SyllableContractError, OSError, ValueError) as error:
        log.warning("no syllable reader (%s): pictures are read as single letters", error)
        return None


def tutor_for(
    settings: Settings,
    db: Database,
    classifier: LetterReader,
    clock: Callable[[], datetime] = utcnow,
    syllables: SyllableReader | None = None,
) -> Tutor:
    """The tutor of a process with ``settings``, on ``db``, reading with ``classifier`` (and
    ``syllables`` for syllables and words)."""
    return Tutor(
        db,
        classifier,
        registry=settings.registry,
        admins=settings.admins,
        operations=ProcessOperations(settings),
        teaching=settings.teaching,
        clock=clock,
        syllables=syllables,
    )


async def serve(settings: Settings) -> None:
    """Run until SIGTERM/SIGINT; raises :class:`bot.app.startup.StartupError` when it cannot
    start."""
    check_configuration(settings)
    with PicturePool() as pictures:
        try:
            tutor = await open_tutor(settings, pictures)
        except Exception as error:
            raise explain(error) from None
        try:
            await _run_adapters(settings, tutor)
        finally:
            await tutor.db.close()


async def _run_adapters(settings: Settings, tutor: Tutor) -> None:
    gate = LearnerGate()
    adapters = []
    if settings.telegram is not None:
        from bot.adapters.telegram_adapter import TelegramAdapter

        adapters.append(TelegramAdapter(tutor, settings.telegram, gate))
    if settings.discord is not None:
        from bot.adapters.discord_adapter import DiscordAdapter

        adapters.append(DiscordAdapter(tutor, settings.discord, gate))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    started = []
    scheduler = None
    try:
        for adapter in adapters:
            try:
                await adapter.start()
            except Exception as error:
                raise explain(error) from None
            started.append(adapter)
        notifiers = {a.platform: a for a in adapters}
        scheduler = Reminders(tutor.db, notifiers).schedule()
        watcher = RetrainWatcher(tutor.registry, notifiers, tutor.db, settings.ray)
        scheduler.add_job(watcher.tick, "interval", seconds=WATCH_SECONDS, max_instances=1)
        scheduler.add_job(tutor.forget_old_deliveries, "interval", hours=1)
        log.info("hangul-bot running: %s", ", ".join(a.platform for a in adapters))
        await stop.wait()
        log.info("shutting down")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        for adapter in reversed(started):
            await adapter.stop()
