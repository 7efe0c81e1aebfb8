"""The classifier the bot and the CLI call: picture bytes in, a :class:`Reading` out.

Runs in-process on ONNX Runtime (no torch needed at run time). Models come from the registry by
name (``lenet``, ``mlp``), ``name:version``, or a path to a model folder.

A model has one output per letter plus, after them, "not a letter"; a picture whose "not a
letter" probability reaches the model's ``not_a_letter_threshold`` (tuned on validation data
when the model was trained, stored in its meta) gets the verdict ``not_a_letter``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnxruntime as ort

from ml.alphabet import letter_info
from ml.preprocess import INPUT_CONTRACT, SIZE, Canonical, canonical_from_bytes
from ml.registry import ModelVersion, Registry
from ml.worker_client import WorkerClient, WorkerUnavailable

log = logging.getLogger(__name__)


NOT_A_LETTER_REASON = (
    "This doesn't look like a Korean letter to me; please write one jamo, like ㄱ or ㅏ."
)


class ModelContractError(ValueError):
    """A model trained for a different canonical input than this code produces."""


@dataclass(frozen=True)
class Reading:
    """What the classifier made of one picture."""

    verdict: str
    reason: str = ""
    letter: str | None = None
    confidence: float = 0.0
    top: list[tuple[str, float]] = field(default_factory=list)
    canonical: np.ndarray | None = None

    def as_json(self) -> dict:
        """The machine-readable form used by ``hangul-ml predict --json``."""
        return {
            "verdict": self.verdict,
            "reason": self.reason or None,
            "letter": self.letter,
            "romanization": letter_info(self.letter).romanization if self.letter else None,
            "confidence": round(self.confidence, 4),
            "top": [[letter, round(p, 4)] for letter, p in self.top],
        }


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class Classifier:
    """An ONNX Runtime session over one registry model, with its letters."""

    def __init__(
        self, model: ModelVersion, threads: int = 1, remote: WorkerClient | None = None
    ) -> None:
        meta = model.meta
        contract_version = meta.get("input_contract", {}).get("version")
        if contract_version != INPUT_CONTRACT["version"]:
            raise ModelContractError(
                f"model {model.name} {model.version} expects input contract "
                f"{contract_version}, this code produces {INPUT_CONTRACT['version']}"
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(model.onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name
        self.model = model
        self.letters: tuple[str, ...] = tuple(meta["letters"])
        self.threshold: float = meta.get("not_a_letter_threshold", 0.5)
        self.remote = remote

    @classmethod
    def load(cls, spec: str = "lenet", registry: Registry | None = None, threads: int = 1):
        """The classifier for a registry name, ``name:version`` or a model folder path."""
        return cls((registry or Registry()).resolve(spec), threads=threads)

    @property
    def version(self) -> str:
        return f"{self.model.name}:{self.model.version}"

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for canonical images shaped (B, 28, 28) or (B, 1, 28, 28): one
        column per letter, then "not a letter". Through the model worker when one is set,
        in-process when there is none or it does not answer."""
        batch = np.ascontiguousarray(images, dtype=np.float32).reshape(-1, 1, SIZE, SIZE)
        if self.remote is not None:
            try:
                return self.remote.probabilities(self.model.name, batch.reshape(-1, SIZE, SIZE))[1]
            except WorkerUnavailable as error:
                log.warning("model worker unavailable (%s); classifying in-process", error)
        logits = self.session.run(None, {self.input_name: batch})[0]
        return softmax(logits)

    def letter_indices(self, probabilities: np.ndarray) -> np.ndarray:
        """For each row of :meth:`probabilities`, the index of the letter read, or -1 where the
        picture is judged not a letter."""
        letters = probabilities[:, : len(self.letters)].argmax(axis=1)
        return np.where(self.is_junk(probabilities), -1, letters)

    def is_junk(self, probabilities: np.ndarray) -> np.ndarray:
        """Which rows of :meth:`probabilities` the model judges not to show a letter."""
        if probabilities.shape[1] == len(self.letters):
            return np.zeros(len(probabilities), bool)
        return probabilities[:, len(self.letters)] >= self.threshold

    def reading(self, canonical: Canonical, probabilities: np.ndarray, top_k: int = 3) -> Reading:
        """A :class:`Reading` from a canonical picture and its row of probabilities."""
        letters = probabilities[: len(self.letters)]
        order = np.argsort(letters)[::-1][:top_k]
        top = [(self.letters[i], float(letters[i])) for i in order]
        if self.is_junk(probabilities[None])[0]:
            return Reading("not_a_letter", NOT_A_LETTER_REASON, None, 0.0, top, canonical.image)
        return Reading("ok", "", top[0][0], top[0][1], top, canonical.image)

    def read(self, data: bytes, top_k: int = 3) -> Reading:
        """Read one picture; bad input gives a non-``ok`` verdict with a reason, never raises."""
        return self.read_many([data], top_k)[0]

    def read_many(self, pictures: list[bytes], top_k: int = 3) -> list[Reading]:
        """Read several pictures, classifying the readable ones in one batch.

        A picture whose ink polarity preprocessing could not tell is read the likelier way first;
        only if that reading is refused is the opposite polarity (:attr:`Canonical.other`) read.
        """
        choices = [_readable_versions(canonical_from_bytes(data)) for data in pictures]
        usable = [c.image for versions in choices for c in versions if c.ok]
        probabilities = iter(self.probabilities(np.stack(usable)) if usable else [])
        readings = []
        for versions in choices:
            if not versions[0].ok:
                readings.append(Reading(versions[0].verdict, versions[0].reason))
                continue
            rows = np.stack([next(probabilities) for _ in versions])
            best = int(np.argmin(self.is_junk(rows)))  # the first not judged junk, else the first
            readings.append(self.reading(versions[best], rows[best], top_k))
        return readings


def _readable_versions(canonical: Canonical) -> list[Canonical]:
    """The versions of a picture worth classifying: the ``ok`` ones among it and its opposite
    polarity reading, or the picture's own refusal when neither is ``ok``."""
    versions = [c for c in (canonical, canonical.other) if c is not None and c.ok]
    return versions or [canonical]


RECHECK_SECONDS = 5.0
"""How often a :class:`LiveClassifier` looks for a newly promoted version."""


class LiveClassifier:
    """The registry's current version of a model, reloaded when a promotion or rollback changes
    it (looked up at most every ``recheck`` seconds), so that no restart is needed. Otherwise it
    behaves as the :class:`Classifier` it holds."""

    def __init__(
        self,
        name: str,
        registry: Registry | None = None,
        recheck: float = RECHECK_SECONDS,
        remote: WorkerClient | None = None,
    ) -> None:
        self.name = name
        self.registry = registry or Registry()
        self.recheck = recheck
        self.remote = remote
        self._lock = threading.Lock()
        self._loaded = Classifier(self.registry.current(name), remote=remote)
        self._checked = time.monotonic()

    @property
    def current(self) -> Classifier:
        """The classifier for the current version (reloaded here when it changed)."""
        if time.monotonic() - self._checked >= self.recheck:
            self.refresh()
        return self._loaded

    def refresh(self) -> None:
        """Look for a new current version now."""
        with self._lock:
            self._checked = time.monotonic()
            model = self.registry.current(self.name)
            if model.version != self._loaded.model.version:
                log.info("serving %s %s (was %s)", self.name, model.version, self._loaded.version)
                self._loaded = Classifier(model, remote=self.remote)

    def __getattr__(self, attribute: str):
        return getattr(self.current, attribute)


def live_classifier(
    spec: str, registry: Registry | None = None, remote: WorkerClient | None = None
) -> Classifier | LiveClassifier:
    """A :class:`LiveClassifier` for a plain model name (``lenet``), else the pinned version or
    folder ``spec`` names; ``remote``: classify through that model worker when it answers."""
    registry = registry or Registry()
    if ":" in spec or Path(spec).exists():
        return Classifier(registry.resolve(spec), remote=remote)
    return LiveClassifier(spec, registry, remote=remote)
