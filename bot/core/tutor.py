"""The learning core's front door, free of any chat platform: commands and pictures in, Replies
out.

Every message is handled in one database transaction (the learner is created on first
contact); a quiz's question lives in the database, so any process can grade the answer.
Pictures are decoded and classified off the event loop, before the transaction opens. Commands
are dispatched from the command table (:mod:`bot.core.commands`); admin commands are checked
and audited here. A failure inside never escapes: the learner gets a friendly reply and the
transaction is rolled back, so nothing half-done is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import IntegrityError

from bot.core import commands, texts
from bot.core.drill_commands import not_a_command
from bot.core.operations import ModelOperations
from bot.core.pictures import answer_picture
from bot.core.replies import Reply, Sender
from bot.core.turn import Teaching, Turn
from ml.reading.classifier import LetterReader
from ml.reading.registry import Registry
from ml.reading.syllables import SyllableReader
from ml.reading.text import TextReader
from storage import queries
from storage.database import Database
from storage.queries import clean_text
from storage.tables import AdminOutcome, utcnow

log = logging.getLogger(__name__)

NO_SOUND = Teaching()
"""The default: five new letters a day, lessons without sound."""

MAX_TEXT = 1000
"""Longer messages are not read (no command is this long)."""
MAX_NAME_SHOWN = 32
"""An unknown command is named back at most this long."""
DELIVERIES_KEPT = timedelta(days=2)
"""How long an event's id is remembered (platforms redeliver within minutes)."""


class Tutor:
    """The platform-free bot: ``handle_text`` for commands, ``handle_picture`` for photos."""

    def __init__(
        self,
        db: Database,
        classifier: LetterReader,
        *,
        registry: Registry,
        admins: frozenset[str] = frozenset(),
        operations: ModelOperations | None = None,
        teaching: Teaching = NO_SOUND,
        clock: Callable[[], datetime] = utcnow,
        syllables: SyllableReader | None = None,
    ) -> None:
        self.db = db
        self.teaching = teaching
        self.classifier = classifier
        self.text_reader = TextReader(classifier, syllables) if syllables is not None else None
        """Reads syllables and words too, when the tutor has a syllable model."""
        self.registry = registry
        self.admins = admins
        """Admin accounts, ``platform:id``."""
        self.operations = operations
        self.clock = clock

    async def handle_text(self, sender: Sender, text: str) -> list[Reply]:
        """Answer a typed message (a command like ``/quiz 5``, or anything else)."""
        if len(text) > MAX_TEXT:
            return [Reply(texts.TOO_LONG.format(most=MAX_TEXT))]
        words = text.strip().split()
        if not words:
            return [Reply(texts.NOT_A_COMMAND)]
        if not words[0].startswith("/"):
            return await self._run(sender, partial(not_a_command, text=text))
        name, args = words[0][1:].lower(), words[1:]
        command = commands.find(name)
        if command is None:
            shown = clean_text(name, MAX_NAME_SHOWN)
            meant = commands.suggestion(name)
            if meant:
                return [Reply(texts.UNKNOWN_COMMAND_MEANT.format(name=shown, meant=meant))]
            return [Reply(texts.UNKNOWN_COMMAND.format(name=shown))]
        if command.admin:
            return await self._run(sender, partial(self._admin, command, args))
        return await self._run(sender, partial(command.handler, args=args))

    async def handle_picture(self, sender: Sender, data: bytes) -> list[Reply]:
        """Read a picture: a quiz answer when a quiz runs, else a free reading."""
        try:
            if self.text_reader is not None:
                text = await asyncio.to_thread(self.text_reader.read, data)
                reading = text.letter
            else:
                text, reading = None, await asyncio.to_thread(self.classifier.read, data)
        except Exception:
            log.exception("reading a picture failed")
            return [Reply(texts.INTERNAL_ERROR)]
        return await self._run(
            sender, partial(answer_picture, data=data, reading=reading, text=text)
        )

    async def first_delivery(self, platform: str, event_id: str) -> bool:
        """Whether the platform's event ``event_id`` (an update, an interaction) is new: a
        platform that delivers one twice (a retry, a webhook redelivery) gets it handled once, by
        whichever replica took it first."""
        try:
            async with self.db.transaction() as session:
                return await queries.first_delivery(session, platform, event_id, self.clock())
        except Exception:  # the database is the one to tell; handling it once more is no harm
            log.exception("could not record a %s event as taken in", platform)
            return True

    async def forget_old_deliveries(self) -> None:
        """Drop the record of events taken in over :data:`DELIVERIES_KEPT` ago."""
        async with self.db.transaction() as session:
            await queries.forget_deliveries(session, self.clock() - DELIVERIES_KEPT)

    def is_admin(self, sender: Sender) -> bool:
        """Whether ``sender`` may use admin commands (named in the settings, or vouched for by
        their platform)."""
        return sender.platform_admin or f"{sender.platform}:{sender.platform_id}" in self.admins

    async def _run(self, sender: Sender, work: Callable[[Turn], Awaitable[list[Reply]]]):
        """Run ``work`` in a transaction (retried once if it lost a race on a unique key), then
        the turn's after-commit work; any failure becomes a friendly reply."""
        try:
            for tries_left in (1, 0):
                try:
                    async with self.db.transaction() as session:
                        learner = await queries.learner(
                            session, sender.platform, sender.platform_id, sender.display_name
                        )
                        turn = Turn(
                            sender,
                            session,
                            learner,
                            self.clock(),
                            reader=self.classifier,
                            registry=self.registry,
                            text_reader=self.text_reader,
                            operations=self.operations,
                            is_admin=self.is_admin(sender),
                            teaching=self.teaching,
                        )
                        replies = await work(turn)
                    break
                except IntegrityError:
                    if not tries_left:
                        raise
            return replies + [await later() for later in turn.after_commit]
        except Exception:
            log.exception("handling a message from a %s learner failed", sender.platform)
            return [Reply(texts.INTERNAL_ERROR)]

    async def _admin(self, command: commands.Command, args: list[str], turn: Turn):
        """Run an admin command for an admin, refuse it to anyone else; audit either way."""
        if turn.is_admin:
            replies, outcome = await command.handler(turn, args)
        else:
            log.warning("refused /%s to a non-admin %s account", command.name, turn.sender.platform)
            replies = [Reply(texts.ADMIN_ONLY.format(name=command.name))]
            outcome = AdminOutcome.REFUSED
        detail = replies[0].text if replies and turn.is_admin else ""
        await queries.audit(
            turn.session,
            turn.sender.platform,
            turn.sender.platform_id,
            command.name,
            " ".join(args),
            outcome,
            detail,
        )
        return replies
