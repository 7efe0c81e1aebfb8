"""Learners' own clocks: reminder times, time zones, and streaks counted in local days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_HH_MM = re.compile(r"(\d{1,2}):(\d{2})")


def parse_time(text: str) -> time | None:
    """``HH:MM`` (24-hour) as a time, or None when it is not one (``25:99``, ``7pm``)."""
    match = _HH_MM.fullmatch(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_zone(name: str) -> ZoneInfo | None:
    """An IANA time zone, ``Area/Location`` (``Asia/Seoul``, any case), its city alone when only
    one zone has it (``Seoul``, ``new york``) or ``UTC``; None for anything else (the machine's
    ``localtime``, ``Factory``, ``posix/...``)."""
    wanted = "_".join(name.strip().lower().split())
    key = _zones().get(wanted) or _cities().get(wanted)
    if key is None:
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Real IANA zones by their lower-case name."""
    found = {
        zone
        for zone in available_timezones()
        if "/" in zone and not zone.startswith(("posix/", "right/", "SystemV/"))
    }
    return {zone.lower(): zone for zone in (*found, "UTC")}


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Zones by their city (the last part of the name), for cities only one zone names."""
    by_city: dict[str, list[str]] = {}
    for zone in _zones().values():
        by_city.setdefault(zone.rsplit("/", 1)[-1].lower(), []).append(zone)
    return {city: zones[0] for city, zones in by_city.items() if len(zones) == 1}


def local_day(now: datetime, zone: str) -> date:
    """The learner's calendar date at ``now``."""
    return now.astimezone(ZoneInfo(zone)).date()


def next_occurrence(now: datetime, zone: str, at: str) -> datetime:
    """The first moment after ``now`` when the learner's clock shows ``at`` (``HH:MM``), in UTC."""
    tz = ZoneInfo(zone)
    wanted = parse_time(at)
    if wanted is None:
        raise ValueError(f"not a time of day: {at!r}")
    day = now.astimezone(tz).date()
    while True:
        candidate = datetime.combine(day, wanted, tzinfo=tz).astimezone(UTC)
        if candidate > now:
            return candidate
        day += timedelta(days=1)


def streak_after_practice(streak: int, last_day: date | None, today: date) -> int:
    """The streak once the learner practises on ``today``."""
    if last_day == today:
        return max(streak, 1)
    if last_day == today - timedelta(days=1):
        return streak + 1
    return 1


def current_streak(streak: int, last_day: date | None, today: date) -> int:
    """The streak as it stands on ``today``: broken once a whole local day passed without
    practice."""
    if last_day is not None and today - last_day <= timedelta(days=1):
        return streak
    return 0
