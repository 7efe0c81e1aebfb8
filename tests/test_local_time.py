"""Learners' clocks: parsing times and zones, next reminder times across DST, streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.local_time import (
    current_streak,
    next_occurrence,
    parse_time,
    parse_zone,
    streak_after_practice,
)


def test_times_are_24_hour_hh_mm():
    assert parse_time("07:30").isoformat() == "07:30:00"
    assert parse_time("7:05").isoformat() == "07:05:00"
    for bad in ("25:99", "24:00", "12:60", "7pm", "", "12:3", "-1:00"):
        assert parse_time(bad) is None, bad


def test_zones_are_iana_names():
    assert parse_zone("Asia/Seoul").key == "Asia/Seoul"
    assert parse_zone("UTC").key == "UTC"
    assert parse_zone("asia/seoul").key == "Asia/Seoul"  # any case
    for bad in ("Mars/Base", "../etc/passwd", "", "localtime", "Factory", "posix/Asia/Seoul"):
        assert parse_zone(bad) is None, bad


def test_the_next_reminder_keeps_local_time_across_a_dst_change():
    # New York moves its clocks forward on 2026-03-08: 08:00 local is 13:00 UTC before, 12:00 after
    before = next_occurrence(datetime(2026, 3, 7, 14, tzinfo=UTC), "America/New_York", "08:00")
    assert before == datetime(2026, 3, 8, 12, tzinfo=UTC)
    earlier = next_occurrence(datetime(2026, 3, 6, 14, tzinfo=UTC), "America/New_York", "08:00")
    assert earlier == datetime(2026, 3, 7, 13, tzinfo=UTC)


def test_the_next_reminder_is_strictly_later():
    now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert next_occurrence(now, "UTC", "09:30") == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def test_streaks_grow_on_consecutive_days_and_break_after_a_missed_day():
    day = date(2026, 3, 2)
    assert streak_after_practice(0, None, day) == 1
    assert streak_after_practice(3, day, day) == 3
    assert streak_after_practice(3, date(2026, 3, 1), day) == 4
    assert streak_after_practice(3, date(2026, 2, 27), day) == 1
    assert current_streak(4, date(2026, 3, 1), day) == 4
    assert current_streak(4, date(2026, 2, 28), day) == 0
    assert current_streak(0, None, day) == 0
