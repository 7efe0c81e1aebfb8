"""The classifier the bot and the CLI call: picture bytes in, a :class:`Reading` out.

A :class:`Model` turns canonical 28x28 images into class probabilities: :class:`OnnxModel` runs a
registry model in-process on ONNX Runtime (no torch needed at run time), and
:class:`WorkerFallback` asks the model worker first and falls back to it. A :class:`Classifier`
reads pictures with one model; a :class:`LiveClassifier` follows the registry's current version.
Both are :class:`LetterReader` s, which is all the bot needs.

A model has one output per letter plus, after them, "not a letter"; a picture whose "not a
letter" probability reaches the model's ``not_a_letter_threshold`` (tuned on validation data
when the model was trained, stored in its meta) gets the verdict ``not_a_letter``. In a quiz the
asked letter is known: a picture refused that way whose best letter is the asked one is accepted,
marked unsure, unless its "not a letter" probability also reaches the higher
``not_a_letter_threshold_in_context`` (tuned with it): :func:`in_quiz_context`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np
import onnxruntime as ort

from ml.reading.alphabet import letter_info
from ml.reading.isolation import IN_PROCESS, Preprocessor
from ml.reading.preprocess import INPUT_CONTRACT, SIZE, Canonical
from ml.reading.registry import RECHECK_SECONDS, CurrentVersion, ModelVersion, Registry
from ml.reading.verdicts import REASONS, Verdict
from ml.reading.worker_client import COOL_DOWN_S, WorkerBreaker, WorkerClient

CPU = ("CPUExecutionProvider",)


class ModelContractError(ValueError):
    """A model trained for a different canonical input than this code produces."""


@dataclass(frozen=True)
class Reading:
    """What the classifier made of one picture."""

    verdict: Verdict
    reason: str = ""
    letter: str | None = None
    confidence: float = 0.0
    top: list[tuple[str, float]] = field(default_factory=list)
    canonical: np.ndarray | None = None
    not_clearly_junk: bool = False
    """Refused as not a letter, but below the bar for a quiz that asks for its best letter."""
    unsure: bool = False
    """Accepted only because a quiz asked for this letter (:func:`in_quiz_context`)."""

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


def in_quiz_context(reading: Reading, expected: str) -> Reading:
    """``reading`` of a picture sent to a quiz that asks for ``expected``: a picture refused as
    not a letter whose best letter is ``expected`` is accepted as it, marked unsure, unless it is
    clearly junk (its "not a letter" probability reached the model's context threshold)."""
    if (
        reading.verdict != Verdict.NOT_A_LETTER
        or not reading.not_clearly_junk
        or not reading.top
        or reading.top[0][0] != expected
    ):
        return reading
    return replace(
        reading,
        verdict=Verdict.OK,
        reason="",
        letter=expected,
        confidence=reading.top[0][1],
        not_clearly_junk=False,
        unsure=True,
    )


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def onnx_session(
    path: Path, threads: int = 1, providers: Sequence[str] = CPU
) -> ort.InferenceSession:
    """An ONNX Runtime session on a model file, with ``threads`` threads for each operator and
    only errors logged."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=list(providers))


class Model(Protocol):
    """Canonical images in, class probabilities out: one column per letter in ``letters``, then
    "not a letter", judged so at ``threshold``."""

    name: str
    """The model's registry name, ``lenet``."""
    version: str
    """Name and version, ``lenet:v0003``."""
    letters: tuple[str, ...]
    threshold: float
    context_threshold: float
    """The bar for a picture whose best letter is the one a quiz asks for (>= ``threshold``)."""

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """For canonical images shaped (B, 28, 28) or (B, 1, 28, 28)."""
        ...


class OnnxModel:
    """A registry model on an in-process ONNX Runtime session (CUDA too, given its provider)."""

    def __init__(
        self, stored: ModelVersion, threads: int = 1, providers: Sequence[str] = CPU
    ) -> None:
        meta = stored.meta
        contract_version = meta.get("input_contract", {}).get("version")
        if contract_version != INPUT_CONTRACT["version"]:
            raise ModelContractError(
                f"model {stored.name} {stored.version} expects input contract "
                f"{contract_version}, this code produces {INPUT_CONTRACT['version']}"
            )
        self._session = onnx_session(stored.onnx_path, threads, providers)
        self._input = self._session.get_inputs()[0].name
        self.stored = stored
        self.name = stored.name
        self.version = f"{stored.name}:{stored.version}"
        self.letters: tuple[str, ...] = tuple(meta["letters"])
        self.threshold: float = meta.get("not_a_letter_threshold", 0.5)
        self.context_threshold: float = max(
            self.threshold, meta.get("not_a_letter_threshold_in_context", self.threshold)
        )

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        batch = np.ascontiguousarray(images, dtype=np.float32).reshape(-1, 1, SIZE, SIZE)
        return softmax(self._session.run(None, {self._input: batch})[0])


class WorkerFallback:
    """A model asked through the model worker (``hangul-ml worker``), and computed in-process
    when the worker does not answer or rests after failing (:class:`WorkerBreaker`)."""

    def __init__(
        self, local: OnnxModel, worker: WorkerClient, cool_down: float = COOL_DOWN_S
    ) -> None:
        self.local = local
        self.worker = worker
        self.breaker = WorkerBreaker(cool_down)
        self.name, self.version = local.name, local.version
        self.letters, self.threshold = local.letters, local.threshold
        self.context_threshold = local.context_threshold

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        batch = np.ascontiguousarray(images, dtype=np.float32).reshape(-1, SIZE, SIZE)
        found = self.breaker.ask(lambda: self.worker.probabilities(self.name, batch)[1])
        return self.local.probabilities(batch) if found is None else found


class LetterReader(Protocol):
    """What reads learners' pictures for the bot: a :class:`Classifier` or a
    :class:`LiveClassifier`."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def read(self, data: bytes, top_k: int = 3) -> Reading: ...

    def read_many(self, pictures: list[bytes], top_k: int = 3) -> list[Reading]: ...

    def refresh(self) -> None:
        """Serve the registry's current version now, if this reader follows it."""
        ...


class Classifier:
    """Reads pictures with one :class:`Model`, canonicalising them with ``preprocessor`` (in this
    process by default; a :class:`ml.reading.isolation.PicturePool` for untrusted pictures)."""

    def __init__(self, model: Model, preprocessor: Preprocessor = IN_PROCESS) -> None:
        self.model = model
        self.preprocessor = preprocessor
        self.name, self.version = model.name, model.version
        self.letters, self.threshold = model.letters, model.threshold
        self.context_threshold = model.context_threshold

    @classmethod
    def open(
        cls,
        stored: ModelVersion,
        threads: int = 1,
        worker: WorkerClient | None = None,
        preprocessor: Preprocessor = IN_PROCESS,
    ) -> Classifier:
        """The classifier for a stored model, in-process, or through ``worker`` when it
        answers."""
        model = OnnxModel(stored, threads=threads)
        return cls(model if worker is None else WorkerFallback(model, worker), preprocessor)

    @classmethod
    def load(
        cls,
        spec: str = "lenet",
        registry: Registry | None = None,
        threads: int = 1,
        preprocessor: Preprocessor = IN_PROCESS,
    ) -> Classifier:
        """The classifier for a registry name, ``name:version`` or a model folder path."""
        stored = (registry or Registry()).resolve(spec)
        return cls.open(stored, threads=threads, preprocessor=preprocessor)

    def refresh(self) -> None:
        """A classifier of one version has nothing to refresh."""

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Class probabilities for canonical images shaped (B, 28, 28) or (B, 1, 28, 28): one
        column per letter, then "not a letter"."""
        return self.model.probabilities(images)

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
            reason = REASONS[Verdict.NOT_A_LETTER]
            lenient = bool(probabilities[len(self.letters)] < self.context_threshold)
            return Reading(
                Verdict.NOT_A_LETTER,
                reason,
                None,
                0.0,
                top,
                canonical.image,
                not_clearly_junk=lenient,
            )
        return Reading(Verdict.OK, "", top[0][0], top[0][1], top, canonical.image)

    def read(self, data: bytes, top_k: int = 3) -> Reading:
        """Read one picture; bad input gives a non-``ok`` verdict with a reason, never raises."""
        return self.read_many([data], top_k)[0]

    def read_many(self, pictures: list[bytes], top_k: int = 3) -> list[Reading]:
        """Read several pictures, classifying the readable ones in one batch.

        A picture whose ink polarity preprocessing could not tell is read the likelier way first;
        only if that reading is refused is the opposite polarity (:attr:`Canonical.other`) read.
        """
        return self.read_canonicals(self.preprocessor.canonicalize(pictures), top_k)

    def read_canonicals(self, canonicals: Sequence[Canonical], top_k: int = 3) -> list[Reading]:
        """:meth:`read_many` for pictures already canonicalised."""
        choices = [_readable_versions(c) for c in canonicals]
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


class LiveClassifier:
    """The registry's current version of a model (:class:`ml.reading.registry.CurrentVersion`):
    a promotion or rollback is served within ``recheck`` seconds, without a restart."""

    def __init__(
        self,
        name: str,
        registry: Registry,
        recheck: float = RECHECK_SECONDS,
        worker: WorkerClient | None = None,
        preprocessor: Preprocessor = IN_PROCESS,
    ) -> None:
        self.registry = registry
        self.worker = worker
        self.preprocessor = preprocessor
        self._current = CurrentVersion(name, registry, self._open, recheck)

    @property
    def current(self) -> Classifier:
        """The classifier for the current version (reloaded here when it changed)."""
        return self._current.get()

    @property
    def name(self) -> str:
        return self._current.name

    @property
    def version(self) -> str:
        return self.current.version

    def read(self, data: bytes, top_k: int = 3) -> Reading:
        return self.current.read(data, top_k)

    def read_many(self, pictures: list[bytes], top_k: int = 3) -> list[Reading]:
        return self.current.read_many(pictures, top_k)

    def refresh(self) -> None:
        """Look for a new current version now."""
        self._current.refresh()

    def _open(self, stored: ModelVersion) -> Classifier:
        return Classifier.open(stored, worker=self.worker, preprocessor=self.preprocessor)


def live_classifier(
    spec: str,
    registry: Registry,
    worker: WorkerClient | None = None,
    preprocessor: Preprocessor = IN_PROCESS,
) -> LetterReader:
    """A :class:`LiveClassifier` for a plain model name (``lenet``), else the pinned version or
    folder ``spec`` names; ``worker``: classify through that model worker when it answers;
    ``preprocessor``: how pictures become canonical."""
    if ":" in spec or Path(spec).exists():
        return Classifier.open(registry.resolve(spec), worker=worker, preprocessor=preprocessor)
    return LiveClassifier(spec, registry, worker=worker, preprocessor=preprocessor)
