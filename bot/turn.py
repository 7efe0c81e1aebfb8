"""One message being handled: who sent it, their learner row, the open transaction, the time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.replies import Reply, Sender
from storage.tables import Learner


@dataclass
class Turn:
    sender: Sender
    session: AsyncSession
    learner: Learner
    now: datetime
    after_commit: list[Callable[[], Awaitable[Reply]]] = field(default_factory=list)
    """Slow work (charts) run once the transaction is committed; each adds a reply."""


Handler = Callable[[Turn, list[str]], Awaitable[list[Reply]]]
AdminHandler = Callable[[Turn, list[str]], Awaitable[tuple[list[Reply], str]]]
"""An admin command: its replies and the outcome to audit (``done`` or ``failed``)."""
