"""The seam between the core's admin commands and the process: work on the models that needs
more than the database (rolling back, retrain jobs). The process supplies an implementation
(:class:`bot.app.retraining.ProcessOperations`); the core only calls it and words the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class OperationRefused(Exception):
    """The operation cannot be done now; the message says why, in words for the admin."""


class RetrainProgress(Protocol):
    """How a retrain job is doing."""

    job: str
    finished: bool

    def describe(self) -> str:
        """Its progress, or once finished its decisions, in words for the admin."""
        ...


@dataclass(frozen=True)
class RetrainStarted:
    """A retrain job just submitted, and the collected samples it was given."""

    job: str
    samples: int
    learners: int
    skipped_corrupt: int


class ModelOperations(Protocol):
    async def rollback(self, name: str) -> str:
        """Make the version of ``name`` promoted before the current one the registry's current
        one, on the model worker too; returns it. Raises ``LookupError`` when there is nothing to
        roll back to."""
        ...

    async def latest_retrain(self) -> RetrainProgress | None:
        """The latest retrain job, or None if none has run."""
        ...

    async def start_retrain(self, session: AsyncSession, requested_by: str) -> RetrainStarted:
        """Export the trusted, consented samples in ``session`` and submit a retrain job that
        reports to ``requested_by`` (``platform:id``). Raises :class:`OperationRefused`."""
        ...
