"""Settings from environment variables and an optional ``.env`` file (never logged).

``HANGUL_DATABASE_URL``  database URL (default: a SQLite file under ``~/.local/share``)
``HANGUL_ADMINS``        admins, comma-separated ``platform:id`` (``telegram:123,discord:456``)
``HANGUL_MODEL``         classifier: ``lenet``, ``mlp``, ``name:version`` or a model folder
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from storage.database import default_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    admins: frozenset[str] = frozenset()
    model: str = "lenet"

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, env_file: Path = Path(".env")):
        """Settings from ``environ`` (default: the process environment) over ``env_file``."""
        values = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
        values.update(os.environ if environ is None else environ)
        admins = {a.strip() for a in values.get("HANGUL_ADMINS", "").split(",") if a.strip()}
        return cls(
            database_url=values.get("HANGUL_DATABASE_URL") or default_url(),
            admins=frozenset(admins),
            model=values.get("HANGUL_MODEL") or "lenet",
        )

    def is_admin(self, platform: str, platform_id: str) -> bool:
        return f"{platform}:{platform_id}" in self.admins
