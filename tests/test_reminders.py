"""Daily reminders: claimed once per learner per day, in their time zone, across restarts and
several schedulers, with a recording notifier in place of a chat platform."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app.reminders import Reminders
from bot.core import texts
from bot.core.replies import Sender
from bot_fixtures import LEARNER, RecordingNotifier
from storage.tables import Learner


async def learners(db):
    async with db.transaction() as session:
        return {x.platform_id: x for x in await session.scalars(select(Learner))}


async def set_reminder(tutor, sender, zone, at):
    await tutor.handle_text(sender, f"/timezone {zone}")
    await tutor.handle_text(sender, f"/remind {at}")


async def test_a_due_learner_is_reminded_once_and_rescheduled_for_tomorrow(tutor, db, clock):
    await set_reminder(tutor, LEARNER, "Asia/Seoul", "07:30")
    notifier = RecordingNotifier()
    reminders = Reminders(db, {"test": notifier}, clock)
    assert (await reminders.tick()).sent == 0  # 18:00 in Seoul: not yet
    clock.now = clock.now.replace(hour=22, minute=30)  # 07:30 in Seoul
    report = await reminders.tick()
    assert report.sent == 1
    [(to, [message])] = notifier.sent
    assert to.platform_id == LEARNER.platform_id and message.buttons[0][0].command == "/quiz"
    assert (await reminders.tick()).sent == 0
    learner = (await learners(db))[LEARNER.platform_id]
    assert learner.next_reminder_at == clock.now + timedelta(days=1)


async def test_a_restarted_scheduler_does_not_send_again(tutor, db, clock):
    await set_reminder(tutor, LEARNER, "UTC", "09:30")
    clock.now = clock.now.replace(hour=9, minute=45)  # due a quarter of an hour ago
    notifier = RecordingNotifier()
    assert (await Reminders(db, {"test": notifier}, clock).tick()).sent == 1
    restarted = Reminders(db, {"test": notifier}, clock)
    assert (await restarted.tick()).sent == 0
    assert len(notifier.sent) == 1


async def test_reminders_missed_for_longer_than_the_grace_are_skipped(tutor, db, clock):
    await set_reminder(tutor, LEARNER, "UTC", "09:30")
    clock.now = clock.now.replace(hour=12)  # the bot was down from 09:00 to 12:00
    notifier = RecordingNotifier()
    report = await Reminders(db, {"test": notifier}, clock).tick()
    assert (report.sent, report.skipped) == (0, 1) and notifier.sent == []
    learner = (await learners(db))[LEARNER.platform_id]
    assert learner.reminders_on
    assert learner.next_reminder_at.isoformat() == "2026-03-03T09:30:00+00:00"


async def test_several_schedulers_ticking_at_once_send_each_reminder_once(tutor, db, clock):
    for n in range(30):
        await set_reminder(tutor, Sender("test", f"l{n}"), "UTC", "09:30")
    clock.now = clock.now.replace(hour=9, minute=30)
    notifier = RecordingNotifier()
    schedulers = [Reminders(db, {"test": notifier}, clock) for _ in range(4)]
    reports = await asyncio.gather(*(s.tick() for s in schedulers))
    assert sum(r.sent for r in reports) == 30
    assert sorted(to.platform_id for to, _ in notifier.sent) == sorted(f"l{n}" for n in range(30))


async def test_a_learner_who_blocked_the_bot_gets_reminders_turned_off(tutor, db, clock):
    await set_reminder(tutor, LEARNER, "UTC", "09:30")
    await set_reminder(tutor, Sender("test", "friend"), "UTC", "09:30")
    clock.now = clock.now.replace(hour=9, minute=30)
    notifier = RecordingNotifier(blocked={LEARNER.platform_id})
    report = await Reminders(db, {"test": notifier}, clock).tick()
    assert (report.sent, report.unreachable) == (1, 1)
    found = await learners(db)
    assert not found[LEARNER.platform_id].reminders_on
    assert found["friend"].reminders_on


async def test_the_apscheduler_job_ticks_on_its_own(tutor, db):
    await set_reminder(tutor, LEARNER, "UTC", "00:00")
    async with db.transaction() as session:
        learner = await session.scalar(select(Learner))
        learner.next_reminder_at = datetime.now(UTC) - timedelta(minutes=1)  # due, in real time
    notifier = RecordingNotifier()
    scheduler = Reminders(db, {"test": notifier}).schedule(seconds=1)
    try:
        for _ in range(50):
            if notifier.sent:
                break
            await asyncio.sleep(0.1)
    finally:
        scheduler.shutdown(wait=False)
    assert len(notifier.sent) == 1


async def test_a_scheduler_leaves_other_platforms_learners_to_their_own(tutor, db, clock):
    await set_reminder(tutor, LEARNER, "UTC", "09:30")
    await set_reminder(tutor, Sender("discord", "7"), "UTC", "09:30")
    clock.now = clock.now.replace(hour=9, minute=30)
    test_only, discord_only = RecordingNotifier(), RecordingNotifier()
    assert (await Reminders(db, {"test": test_only}, clock).tick()).sent == 1
    assert (await Reminders(db, {"discord": discord_only}, clock).tick()).sent == 1
    assert [to.platform for to, _ in discord_only.sent] == ["discord"]


async def test_a_reminder_says_what_is_due_and_a_streak_only_when_there_is_one(tutor, db, clock):
    other = Sender("test", "new")
    for sender in (LEARNER, other):
        await set_reminder(tutor, sender, "UTC", "09:30")
    replies = await tutor.handle_text(LEARNER, "/quiz 1")
    await tutor.handle_text(LEARNER, replies[-1].buttons[0][1].command)  # skipped: due soon
    clock.now = clock.now.replace(hour=9, minute=45)
    notifier = RecordingNotifier()
    assert (await Reminders(db, {"test": notifier}, clock).tick()).sent == 2
    said = {to.platform_id: message.text for to, [message] in notifier.sent}
    assert said[LEARNER.platform_id] == texts.REMINDER_DUE.format(letters="1 letter", shown="ㅏ")
    assert said["new"] == texts.REMINDER_NEW and "day" not in said["new"]
