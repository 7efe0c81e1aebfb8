"""One message being handled: who sent it, their learner row, the open transaction, the time, and
what the handlers may use besides the database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.operations import ModelOperations
from bot.core.replies import Reply, Sender
from ml.reading.classifier import LetterReader
from ml.reading.registry import Registry
from storage.tables import AdminOutcome, Learner


@dataclass
class Turn:
    sender: Sender
    session: AsyncSession
    learner: Learner
    now: datetime
    reader: LetterReader
    """What reads pictures (its version is stored with each attempt)."""
    registry: Registry
    operations: ModelOperations | None = None
    """The process's model operations (None where there is no process around the core)."""
    is_admin: bool = False
    after_commit: list[Callable[[], Awaitable[Reply]]] = field(default_factory=list)
    """Slow work (charts) run once the transaction is committed; each adds a reply."""


Handler = Callable[[Turn, list[str]], Awaitable[list[Reply]]]
"""A learner's command: its replies."""
AdminHandler = Callable[[Turn, list[str]], Awaitable[tuple[list[Reply], AdminOutcome]]]
"""An admin command: its replies and the outcome to audit."""
