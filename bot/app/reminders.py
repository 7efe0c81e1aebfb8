"""Daily reminders: a tick every minute claims the learners who are due and invites them back.

Claiming moves a learner's ``next_reminder_at`` to their next local reminder time in the same
transaction that selects them (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock),
so several schedulers, or a restarted one, never send the same reminder twice. The rule for
reminders that fell due while no scheduler ran: one missed by at most ``grace`` (an hour) is
sent late, once; an older one is skipped and the next day's is scheduled. A reminder is sent
at most once: if the process dies between claiming and sending, that day's reminder is lost.
A learner whose platform says they blocked the bot gets reminders turned off. A scheduler claims
only the learners of the platforms it has notifiers for, so that a Telegram-only and a
Discord-only process can run side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import update

from bot.core import texts
from bot.core.local_time import current_streak, local_day, next_occurrence
from bot.core.replies import Button, LearnerUnreachable, Notifier, Reply, Sender
from bot.core.text_items import is_letter
from storage.database import Database
from storage.queries import claim_due_reminders, due_letters
from storage.tables import Learner, utcnow

log = logging.getLogger(__name__)

GRACE = timedelta(hours=1)
TICK_SECONDS = 60
CONCURRENT_SENDS = 20
REMINDER_LETTERS_SHOWN = 5


@dataclass
class TickReport:
    sent: int = 0
    skipped: int = 0
    unreachable: int = 0
    failed: int = 0


def reminder(learner: Learner, now: datetime, due: list[str]) -> Reply:
    """The reminder for ``learner``: the letters, syllables and words due for review (or that a
    new letter waits), and their streak when they have one."""
    letters = [item for item in due if is_letter(item)]
    others = [item for item in due if not is_letter(item)]
    lines = []
    if letters:
        lines.append(
            texts.REMINDER_DUE.format(
                letters=texts.plural(len(letters), "letter"), shown=_listed(letters)
            )
        )
    if others:
        lines.append(texts.REMINDER_DUE_TEXTS.format(shown=_listed(others)))
    if not due:
        lines.append(texts.REMINDER_NEW)
    today = local_day(now, learner.time_zone)
    streak = current_streak(learner.streak, learner.last_practice_day, today)
    if streak:
        lines.append(texts.REMINDER_STREAK.format(days=texts.plural(streak, "day")))
    return Reply("\n".join(lines), buttons=((Button(texts.BUTTON_QUIZ, "/quiz"),),))


def _listed(items: list[str]) -> str:
    """The first few of ``items``, "…" for the rest."""
    shown = ", ".join(items[:REMINDER_LETTERS_SHOWN])
    return shown + ("…" if len(items) > REMINDER_LETTERS_SHOWN else "")


@dataclass
class Reminders:
    """The reminder tick over a database and one notifier per platform."""

    db: Database
    notifiers: Mapping[str, Notifier]
    clock: Callable[[], datetime] = utcnow
    grace: timedelta = GRACE

    async def tick(self) -> TickReport:
        """Claim every due learner, then send their reminders."""
        now = self.clock()
        report = TickReport()
        outbox: list[tuple[int, Sender, Reply]] = []
        async with self.db.transaction() as session:
            claimed = await claim_due_reminders(session, now, list(self.notifiers))
            due = await due_letters(session, [learner.id for learner in claimed], now)
            for learner in claimed:
                late = now - learner.next_reminder_at
                learner.next_reminder_at = next_occurrence(
                    now, learner.time_zone, learner.reminder_time
                )
                if late > self.grace:
                    report.skipped += 1
                    continue
                address = Sender(learner.platform, learner.platform_id, learner.display_name)
                message = reminder(learner, now, due.get(learner.id, []))
                outbox.append((learner.id, address, message))
        gate = asyncio.Semaphore(CONCURRENT_SENDS)

        async def deliver(learner_id: int, address: Sender, message: Reply) -> None:
            async with gate:
                try:
                    await self.notifiers[address.platform].send(address, [message])
                    report.sent += 1
                except LearnerUnreachable:
                    report.unreachable += 1
                    await self._turn_off(learner_id)
                except Exception:
                    report.failed += 1
                    log.exception("sending a reminder through %s failed", address.platform)

        await asyncio.gather(*(deliver(*item) for item in outbox))
        if outbox or report.skipped:
            log.info("reminder tick: %s", report)
        return report

    async def _turn_off(self, learner_id: int) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(Learner)
                .where(Learner.id == learner_id)
                .values(reminders_on=False, next_reminder_at=None)
            )

    def schedule(self, seconds: int = TICK_SECONDS) -> AsyncIOScheduler:
        """A started APScheduler that ticks every ``seconds`` on the running event loop (one
        tick at a time; a late tick is merged with the next)."""
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=seconds,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
        scheduler.start()
        return scheduler
