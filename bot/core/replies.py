"""What the tutor says: platform-neutral replies that each adapter turns into its own messages,
who it says them to, and how the process reaches a learner unprompted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Picture:
    """An image to send with a reply (PNG or GIF bytes)."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class Sound:
    """A sound clip to send with a reply (OGG/Opus bytes: a voice note on Telegram)."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class Button:
    """A button; pressing it is the same as typing ``command``."""

    label: str
    command: str


@dataclass(frozen=True)
class Reply:
    """One message. ``expected``/``read``/``verdict``/``correct`` describe a graded picture (and
    ``expected`` a quiz question) for adapters and scripts that want more than the text."""

    text: str
    images: tuple[Picture, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    audio: tuple[Sound, ...] = ()
    expected: str | None = None
    read: str | None = None
    verdict: str | None = None
    correct: bool | None = None


@dataclass(frozen=True)
class Sender:
    """Who wrote: a platform account, as the adapter knows it."""

    platform: str
    platform_id: str
    display_name: str = ""
    platform_admin: bool = False
    """The platform vouches for admin rights (a Discord member with a configured admin role)."""


class LearnerUnreachable(Exception):
    """The platform will not deliver to this learner (they blocked the bot or left)."""


class Notifier(Protocol):
    """What an adapter offers the process: push replies to a learner unprompted (reminders,
    retrain progress)."""

    async def send(self, learner: Sender, replies: list[Reply]) -> None:
        """Deliver ``replies``; raise :class:`LearnerUnreachable` if the learner blocked us."""
