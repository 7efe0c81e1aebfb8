"""One message being handled: who sent it, their learner row, the open transaction, the time, and
what the handlers may use besides the database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.operations import ModelOperations
from bot.core.replies import Reply, Sender, Sound
from bot.core.speech import Speaker
from ml.reading.classifier import LetterReader
from ml.reading.registry import Registry
from ml.reading.text import TextReader
from storage.tables import AdminOutcome, Learner


@dataclass(frozen=True)
class Teaching:
    """How the tutor teaches: how many new letters a day, and what speaks the letters' sounds
    (None: lessons come without sound)."""

    new_letters_per_day: int = 5
    speaker: Speaker | None = None

    @property
    def speaks(self) -> bool:
        """Whether lessons and listening drills have sound here."""
        return self.speaker is not None and self.speaker.available

    async def sound(self, text: str, filename: str) -> tuple[Sound, ...]:
        """``text`` spoken (off the event loop), as a clip called ``filename``; none when there
        is no speech engine or it gave no clip."""
        if self.speaker is None:
            return ()
        clip = await asyncio.to_thread(self.speaker.say, text)
        return (Sound(clip, filename),) if clip else ()


@dataclass
class Turn:
    sender: Sender
    session: AsyncSession
    learner: Learner
    now: datetime
    reader: LetterReader
    """What reads pictures (its version is stored with each attempt)."""
    registry: Registry
    text_reader: TextReader | None = None
    """What reads syllables and words (None: this tutor reads letters only)."""
    operations: ModelOperations | None = None
    """The process's model operations (None where there is no process around the core)."""
    is_admin: bool = False
    teaching: Teaching = field(default_factory=Teaching)
    after_commit: list[Callable[[], Awaitable[Reply]]] = field(default_factory=list)
    """Slow work (charts) run once the transaction is committed; each adds a reply."""


Handler = Callable[[Turn, list[str]], Awaitable[list[Reply]]]
"""A learner's command: its replies."""
AdminHandler = Callable[[Turn, list[str]], Awaitable[tuple[list[Reply], AdminOutcome]]]
"""An admin command: its replies and the outcome to audit."""
