"""Versioned model files with metadata: add, list, load by name, promote and roll back.

Layout under the registry root (the setting ``HANGUL_MODEL_REGISTRY``; default
``~/.local/share/hangul-tutor/models``)::

    <name>/v0001/{model.onnx, model.pt, meta.json}
    <name>/state.json      {"current": "v0002", "history": ["v0001", "v0002"]}

``history`` lists promotions in order; rolling back drops the newest and makes the one before it
current again. A name with nothing promoted falls back to the weights shipped in the package
(``ml/weights/<name>``), so prediction works right after install.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

PACKAGED_ROOT = Path(__file__).parents[1] / "weights"
META_FILE = "meta.json"
ONNX_FILE = "model.onnx"
TORCH_FILE = "model.pt"
STATE_FILE = "state.json"
PACKAGED_VERSION = "packaged"
RECHECK_SECONDS = 5.0
"""How often a :class:`CurrentVersion` looks for a newly promoted version."""

log = logging.getLogger(__name__)
Opened = TypeVar("Opened")


class RegistryError(LookupError):
    """A model name, version or path that the registry cannot resolve."""


@dataclass(frozen=True)
class ModelVersion:
    """One stored model: where its files are and what its metadata says."""

    name: str
    version: str
    path: Path

    @property
    def meta(self) -> dict:
        return json.loads((self.path / META_FILE).read_text(encoding="utf-8"))

    @property
    def onnx_path(self) -> Path:
        return self.path / ONNX_FILE

    @property
    def torch_path(self) -> Path:
        return self.path / TORCH_FILE


DEFAULT_ROOT = Path("~/.local/share/hangul-tutor/models")
"""The per-user registry folder, where none is configured."""


def _write_json_atomically(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        json.dump(payload, tmp, indent=2, ensure_ascii=False)
    os.replace(tmp.name, path)


class Registry:
    """A model registry rooted at a folder (see the module docstring for the layout)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root if root is not None else DEFAULT_ROOT).expanduser()

    def _state(self, name: str) -> dict:
        path = self.root / name / STATE_FILE
        if not path.exists():
            return {"current": None, "history": []}
        return json.loads(path.read_text(encoding="utf-8"))

    def versions(self, name: str) -> list[str]:
        """Stored versions of ``name``, oldest first."""
        folder = self.root / name
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / META_FILE).is_file())

    def get(self, name: str, version: str) -> ModelVersion:
        """A stored version (or ``"packaged"`` for the shipped weights)."""
        if version == PACKAGED_VERSION:
            path = PACKAGED_ROOT / name
        else:
            path = self.root / name / version
        if not (path / META_FILE).is_file():
            raise RegistryError(f"no model {name!r} version {version!r}")
        return ModelVersion(name, version, path)

    def current(self, name: str) -> ModelVersion:
        """The promoted version of ``name``, or the packaged weights if none was promoted."""
        version = self._state(name)["current"]
        return self.get(name, version or PACKAGED_VERSION)

    def add(self, name: str, source: Path | str) -> ModelVersion:
        """Copy a model folder (as written by :func:`ml.training.export.save_model`) in as a new
        version."""
        source = Path(source)
        if not (source / META_FILE).is_file():
            raise RegistryError(f"{source} holds no {META_FILE}")
        existing = self.versions(name)
        number = int(existing[-1][1:]) + 1 if existing else 1
        version = f"v{number:04d}"
        shutil.copytree(source, self.root / name / version)
        return ModelVersion(name, version, self.root / name / version)

    def promote(self, name: str, version: str) -> ModelVersion:
        """Make ``version`` the one served under ``name``."""
        model = self.get(name, version)
        state = self._state(name)
        state["current"] = version
        state["history"].append(version)
        _write_json_atomically(self.root / name / STATE_FILE, state)
        return model

    def rollback(self, name: str) -> ModelVersion:
        """Return to the version promoted before the current one (or to the packaged weights)."""
        state = self._state(name)
        if not state["history"]:
            raise RegistryError(f"nothing to roll back for {name!r}")
        state["history"].pop()
        state["current"] = state["history"][-1] if state["history"] else None
        _write_json_atomically(self.root / name / STATE_FILE, state)
        return self.current(name)

    def resolve(self, spec: str) -> ModelVersion:
        """A model from a name (``lenet``), ``name:version``, or a path to a model folder/file."""
        path = Path(spec)
        if path.exists():
            folder = path if path.is_dir() else path.parent
            if not (folder / META_FILE).is_file():
                raise RegistryError(f"{spec} is not a model folder (no {META_FILE})")
            return ModelVersion(folder.name, folder.name, folder)
        name, _, version = spec.partition(":")
        return self.get(name, version) if version else self.current(name)


class CurrentVersion(Generic[Opened]):
    """The registry's current version of model ``name``, opened by ``open`` and opened again
    when a promotion or rollback changes it (looked up at most every ``recheck`` seconds), so
    that a serving process needs no restart."""

    def __init__(
        self,
        name: str,
        registry: Registry,
        open: Callable[[ModelVersion], Opened],
        recheck: float = RECHECK_SECONDS,
    ) -> None:
        self.name = name
        self.registry = registry
        self.recheck = recheck
        self._open = open
        self._lock = threading.Lock()
        stored = registry.current(name)
        self._version, self._opened = stored.version, open(stored)
        self._checked = time.monotonic()

    def get(self) -> Opened:
        """The opened current version (opened again here when it changed)."""
        if time.monotonic() - self._checked >= self.recheck:
            self.refresh()
        return self._opened

    def refresh(self) -> None:
        """Look for a new current version now."""
        with self._lock:
            self._checked = time.monotonic()
            stored = self.registry.current(self.name)
            if stored.version != self._version:
                log.info("serving %s %s (was %s)", self.name, stored.version, self._version)
                self._version, self._opened = stored.version, self._open(stored)
