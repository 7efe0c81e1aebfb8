"""Fixtures for the learning core: a real database (a SQLite file, and the PostgreSQL server at
``HANGUL_TEST_POSTGRES_URL``, default 127.0.0.1:5432/test, each test in its own schema), the
shipped model, pictures of letters, a settable clock and a recording notifier."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import socket
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from PIL import Image

from bot.core.replies import LearnerUnreachable, Reply, Sender
from bot.core.speech import Speaker
from bot.core.turn import Teaching
from bot.core.tutor import Tutor
from ml.reading.classifier import Classifier
from ml.reading.registry import Registry
from ml.reading.syllables import SyllableModel
from ml.writing.strokes import render_letter
from storage.database import Database

POSTGRES_URL = os.environ.get(
    "HANGUL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
ADMIN = Sender("test", "admin", "Admin")
LEARNER = Sender("test", "learner-1", "Learner")


async def _postgres_reachable() -> str | None:
    try:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({error.__class__.__name__}: {error})"
    await connection.close()
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request, tmp_path):
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path}/tutor.db")
        await database.migrate()
        yield database
        await database.close()
        return
    problem = await _postgres_reachable()
    if problem:
        pytest.skip(problem)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_URL)
    await admin.execute(f"CREATE SCHEMA {schema}")
    database = Database(
        POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}, pool_size=20
    )
    try:
        await database.migrate()
        yield database
    finally:
        await database.close()
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()


class Clock:
    """A clock the test sets and moves."""

    def __init__(self, now: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class RecordingNotifier:
    """A notifier that records what it was asked to send; ``blocked`` learners raise."""

    def __init__(self, blocked: set[str] = frozenset()) -> None:
        self.sent: list[tuple[Sender, list[Reply]]] = []
        self.blocked = blocked

    async def send(self, learner: Sender, replies: list[Reply]) -> None:
        if learner.platform_id in self.blocked:
            raise LearnerUnreachable(learner.platform_id)
        self.sent.append((learner, replies))


@pytest.fixture(scope="session")
def classifier(tmp_path_factory) -> Classifier:
    """The shipped LeNet (an empty registry falls back to the packaged weights)."""
    return Classifier.open(Registry(tmp_path_factory.mktemp("registry")).current("lenet"))


@pytest.fixture(scope="session")
def syllable_model(tmp_path_factory) -> SyllableModel:
    """The shipped syllable reader (an empty registry falls back to the packaged weights)."""
    return SyllableModel(Registry(tmp_path_factory.mktemp("registry")).current("syllable-lenet"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def sound_cache(tmp_path_factory) -> Path:
    """One folder of letter sounds for the whole run (each clip is made once)."""
    return tmp_path_factory.mktemp("sounds")


@pytest.fixture
def tutor(db, classifier, syllable_model, clock, tmp_path, sound_cache) -> Tutor:
    """A tutor on ``db`` whose admin is ``test:admin``, with the process's model operations
    on an empty registry of its own, reading letters, syllables and words with the shipped
    models."""
    from bot.app.service import tutor_for
    from bot.app.settings import Settings

    settings = Settings(
        model_registry=tmp_path / "registry",
        admins=frozenset({"test:admin"}),
        sound_cache=sound_cache,
    )
    return tutor_for(settings, db, classifier, clock, syllables=syllable_model)


ENTRY_POINT = Path(sys.executable).with_name("hangul-bot")


async def start_hangul_bot(folder: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """The real ``hangul-bot run`` in a subprocess, on a SQLite file and an empty registry in
    ``folder``, with the platform settings in ``env``; its output (stdout and stderr) piped."""
    return await asyncio.create_subprocess_exec(
        str(ENTRY_POINT),
        "run",
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(folder),
            "HANGUL_DATABASE_URL": f"sqlite:///{folder}/bot.db",
            "HANGUL_MODEL_REGISTRY": str(folder / "registry"),
            **env,
        },
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


def letter_png(letter: str, seed: int | None = None) -> bytes:
    """A picture of ``letter`` as a learner might draw it (``seed=None``: the clean writer)."""
    import numpy as np

    rng = None if seed is None else np.random.default_rng(seed)
    out = io.BytesIO()
    Image.fromarray(render_letter(letter, rng, size=128)).save(out, "PNG")
    return out.getvalue()


SPEAKS = shutil.which("espeak-ng") is not None
"""Whether lessons come with their sound here (deploy/setup.sh installs espeak-ng)."""
LESSON_MESSAGES = 2 if SPEAKS else 1
"""Chat messages a lesson takes: its text on the animated stroke order, then its voice note."""


@pytest.fixture
async def chat_tutor(classifier, syllable_model, clock, tmp_path, sound_cache):
    """A tutor on a SQLite file for the chat adapters' end-to-end tests (the database layer
    itself is tested on both databases elsewhere)."""
    database = Database(f"sqlite:///{tmp_path}/chat.db")
    await database.migrate()
    admins = frozenset({"telegram:1", "discord:1"})
    registry = Registry(tmp_path / "registry")
    teaching = Teaching(speaker=Speaker(sound_cache))
    yield Tutor(
        database,
        classifier,
        registry=registry,
        admins=admins,
        teaching=teaching,
        clock=clock,
        syllables=syllable_model,
    )
    await database.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
