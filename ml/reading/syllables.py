"""Reading syllable blocks: a registry syllable model (``syllable-lenet``) on ONNX Runtime turns
canonical blocks (:mod:`ml.reading.blocks`) into a :class:`BlockReading` each: what kind of
thing the block is, and for a syllable its initial, medial and final letters, each with its own
probability.

Each head's probabilities are averaged over the block and its copies moved by one pixel
(:func:`shifted_copies`). A block is read as the syllable its three best letters compose; it is
*unsure* when any of the three is below :data:`PART_CONFIDENCE` (the reading names the position
and its rivals, so that a reply can say "the vowel could be ㅏ or ㅓ"), and its kind is what the
kind head finds likeliest.
In a quiz, a place may count as the letter asked for even when that letter is only the runner-up
(:func:`counts_as_asked`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml.reading.alphabet import compose, decompose
from ml.reading.blocks import BLOCK_CONTRACT, BLOCK_SIZE, KINDS
from ml.reading.classifier import CPU, onnx_session, softmax
from ml.reading.registry import RECHECK_SECONDS, CurrentVersion, ModelVersion, Registry
from ml.reading.worker_client import COOL_DOWN_S, WorkerBreaker, WorkerClient, WorkerUnavailable

NAME_PREFIX = "syllable-"
"""Registry names of syllable readers begin with it (``syllable-lenet``)."""
DEFAULT_MODEL = NAME_PREFIX + "lenet"
PARTS = ("initial", "medial", "final")
PART_CONFIDENCE = 0.5
"""A position whose best letter has a lower probability makes the block unsure. Measured on
validation writers (seeds 2000 / 3000): raising it turns about as many right readings unsure as
wrong ones, because the heads' probabilities tell right from wrong no better (error-detection
AUC 0.92-0.95 for the least sure part's probability, the three parts' product, or the best
letter's lead over the runner-up alike). Words as phone photos read ``ok`` and wrong 4.25 / 4.50%
at 0.5, 2.75 / 2.75% at 0.6, 2.00 / 2.00% at 0.7, while those read ``ok`` and right fall 90.50 /
90.25 -> 89.00 / 87.75 -> 87.25 / 86.25%; blocks of the dev writers' own letters 4.83 / 5.17%
-> 3.25 / 3.75% wrong at 0.7 for 94.25 / 93.92 -> 92.67 / 92.58% right. Kept at 0.5: a quiz
grades by the best letters whatever this says (it only names a place as hard to read), and a
free picture read unsure still shows its best guess."""
CONTEXT_PART = 0.15
"""In a quiz, a place whose best letter is not the one asked for still counts as it (unsure)
when the letter asked for has at least this probability there. Chosen on validation writers'
words as phone photos (seeds 2000 and 3000, 400 each), written right and written with one letter
as its look-alike (:mod:`ml.writing.mistakes`): the lowest bar at which no more than 1% of the
mistakes pass on either seed. Graded right 91.75 / 91.00% by the best letters alone, 94.00 /
94.25% with it; mistakes passed 0.25 / 0.50% alone, 0.50 / 1.00% with it (at 0.1: 0.75 / 1.50%).
Held-out figures: ``hangul-ml bench --only text`` (``quiz``)."""
TOP_K = 3
RUN_IMAGES = 1024
"""Pictures (blocks and their moved copies) given to ONNX Runtime at a time: 10,240 at once ran
the shipped two readers at 975 pictures a second on this CPU, runs of 64-1,024 at 1,640-1,760
(one reader: 3,213 against 3,495-3,782; 2026-12-05)."""


def is_syllable_model(name: str) -> bool:
    """Whether a registry name is a syllable reader's."""
    return name.startswith(NAME_PREFIX)


class SyllableContractError(ValueError):
    """A syllable model trained for another canonical block than this code produces."""


@dataclass(frozen=True)
class BlockReading:
    """What a syllable model made of one block."""

    kind: str
    """The likeliest of :data:`ml.reading.blocks.KINDS`."""
    kind_confidence: float
    text: str
    """The syllable the three best letters compose."""
    jamo: tuple[tuple[tuple[str, float], ...], ...]
    """For the initial, medial and final: the best letters with their probabilities, best
    first (``""`` is no final)."""
    confidence: float
    """The product of the three best letters' probabilities."""

    @property
    def unsure_parts(self) -> list[str]:
        """The positions whose best letter is below :data:`PART_CONFIDENCE`."""
        return [p for p, top in zip(PARTS, self.jamo, strict=True) if top[0][1] < PART_CONFIDENCE]

    @property
    def unsure(self) -> bool:
        return bool(self.unsure_parts)

    def as_json(self) -> dict:
        """``text``, ``kind``, ``confidence`` and ``jamo`` ([letter, probability] for the initial,
        medial and final) with ``jamo_top`` (the best few of each)."""
        return {
            "text": self.text,
            "kind": self.kind,
            "kind_confidence": round(self.kind_confidence, 4),
            "confidence": round(self.confidence, 4),
            "unsure": self.unsure_parts,
            "jamo": [[top[0][0], round(top[0][1], 4)] for top in self.jamo],
            "jamo_top": [[[j, round(p, 4)] for j, p in top] for top in self.jamo],
        }


class SyllableModel:
    """A registry syllable model on an in-process ONNX Runtime session (CUDA too, given its
    provider); with ``worker``, asked through the model worker first and computed in-process
    when it does not answer or rests after failing (:class:`WorkerBreaker`)."""

    def __init__(
        self,
        stored: ModelVersion,
        threads: int = 1,
        providers: Sequence[str] = CPU,
        worker: WorkerClient | None = None,
        cool_down: float = COOL_DOWN_S,
    ) -> None:
        meta = stored.meta
        contract = meta.get("input_contract", {})
        if contract.get("version") != BLOCK_CONTRACT["version"] or contract.get("size") != [
            BLOCK_SIZE,
            BLOCK_SIZE,
        ]:
            raise SyllableContractError(
                f"model {stored.name} {stored.version} expects block contract "
                f"{contract.get('version')}, this code produces {BLOCK_CONTRACT['version']}"
            )
        if tuple(meta.get("kinds", ())) != KINDS:
            raise SyllableContractError(f"model {stored.name} has other kinds: {meta.get('kinds')}")
        self._session = onnx_session(stored.onnx_path, threads, providers)
        self._input = self._session.get_inputs()[0].name
        self._outputs = list(meta["outputs"])
        self.heads = (tuple(meta["initials"]), tuple(meta["medials"]), tuple(meta["finals"]))
        self.stored = stored
        self.name = stored.name
        self.version = f"{stored.name}:{stored.version}"
        self.worker = worker
        self.breaker = WorkerBreaker(cool_down)

    @classmethod
    def load(cls, spec: str = DEFAULT_MODEL, registry: Registry | None = None) -> SyllableModel:
        """The model a registry name, ``name:version`` or folder path names."""
        return cls((registry or Registry()).resolve(spec))

    def refresh(self) -> None:
        """A model of one version has nothing to refresh."""

    def probabilities(self, blocks: np.ndarray) -> dict[str, np.ndarray]:
        """For canonical blocks (B, size, size): each head's probabilities, by output name."""
        batch = np.ascontiguousarray(blocks, np.float32).reshape(-1, BLOCK_SIZE, BLOCK_SIZE)
        found = None if self.worker is None else self.breaker.ask(lambda: self._asked(batch))
        return self.computed(batch) if found is None else found

    def computed(self, blocks: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`probabilities` computed in this process: each head's probabilities averaged
        over the block and its copies moved by one pixel (:func:`shifted_copies`)."""
        batch = np.ascontiguousarray(blocks, np.float32).reshape(-1, BLOCK_SIZE, BLOCK_SIZE)
        copies = shifted_copies(batch).reshape(-1, 1, BLOCK_SIZE, BLOCK_SIZE)
        runs = [
            self._session.run(self._outputs, {self._input: copies[start : start + RUN_IMAGES]})
            for start in range(0, max(len(copies), 1), RUN_IMAGES)
        ]
        return {
            name: softmax(np.concatenate(outs)).reshape(len(batch), -1, outs[0].shape[1]).mean(1)
            for name, *outs in zip(self._outputs, *runs, strict=True)
        }

    def _asked(self, blocks: np.ndarray) -> dict[str, np.ndarray]:
        """:meth:`probabilities` from the model worker."""
        assert self.worker is not None
        found = self.worker.outputs(self.name, blocks)[1]
        missing = set(self._outputs) - set(found)
        if missing:
            raise WorkerUnavailable(f"worker sent no {', '.join(sorted(missing))}")
        return found

    def read(self, blocks: np.ndarray) -> list[BlockReading]:
        """A :class:`BlockReading` for each canonical block."""
        if len(blocks) == 0:
            return []
        found = self.probabilities(blocks)
        readings = []
        for row in range(len(blocks)):
            jamo = tuple(
                _top(found[part][row], letters)
                for part, letters in zip(PARTS, self.heads, strict=True)
            )
            kind = found["kind"][row]
            readings.append(
                BlockReading(
                    kind=KINDS[int(kind.argmax())],
                    kind_confidence=float(kind.max()),
                    text=compose(*(top[0][0] for top in jamo)),
                    jamo=jamo,
                    confidence=float(np.prod([top[0][1] for top in jamo])),
                )
            )
        return readings


class LiveSyllableModel:
    """The registry's current version of a syllable reader
    (:class:`ml.reading.registry.CurrentVersion`): a promotion or rollback is served within
    ``recheck`` seconds, without a restart."""

    def __init__(
        self,
        name: str,
        registry: Registry,
        recheck: float = RECHECK_SECONDS,
        worker: WorkerClient | None = None,
    ) -> None:
        self.worker = worker
        self._current = CurrentVersion(name, registry, self._open, recheck)

    @property
    def version(self) -> str:
        return self._current.get().version

    def read(self, blocks: np.ndarray) -> list[BlockReading]:
        return self._current.get().read(blocks)

    def refresh(self) -> None:
        """Look for a new current version now."""
        self._current.refresh()

    def _open(self, stored: ModelVersion) -> SyllableModel:
        return SyllableModel(stored, worker=self.worker)


SyllableReader = SyllableModel | LiveSyllableModel


def live_syllable_model(
    spec: str = DEFAULT_MODEL,
    registry: Registry | None = None,
    worker: WorkerClient | None = None,
) -> SyllableReader:
    """A :class:`LiveSyllableModel` for a plain model name (``syllable-lenet``), else the pinned
    version or folder ``spec`` names; ``worker``: read blocks through that model worker when it
    answers."""
    registry = registry or Registry()
    if ":" in spec or Path(spec).exists():
        return SyllableModel(registry.resolve(spec), worker=worker)
    return LiveSyllableModel(spec, registry, worker=worker)


def counts_as_asked(top: Sequence[tuple[str, float]], asked: str) -> bool:
    """Whether a place read as ``top`` (letters with their probabilities, best first) counts as
    the letter ``asked`` in a quiz that asked for it: its best letter, or one with at least
    :data:`CONTEXT_PART` (the reader could not tell it from the best)."""
    return any(
        letter == asked and (rank == 0 or p >= CONTEXT_PART) for rank, (letter, p) in enumerate(top)
    )


def asked_places(
    expected: str, blocks: Sequence[BlockReading]
) -> Iterator[tuple[int, str, str, tuple[tuple[str, float], ...]]]:
    """Each letter's place where the syllables ``expected`` were asked for and ``blocks`` (one
    for each) were read: the block's index, the part (:data:`PARTS`), the letter asked for
    (``""``: no final) and the reader's best letters there."""
    for n, (block, syllable) in enumerate(zip(blocks, expected, strict=True)):
        for part, asked, top in zip(PARTS, decompose(syllable), block.jamo, strict=True):
            yield n, part, asked, top


def shifted_copies(blocks: np.ndarray) -> np.ndarray:
    """Blocks (B, size, size) as (B, 5, size, size): each block, then moved by one pixel left,
    right, up and down (the edge filled with background). Averaging a model's probabilities over
    them steadies a reading that sits at a boundary of the model: on validation writers (seed
    2000) the shipped reader read words as phone photos 88.25 -> 88.75%, blocks of the dev
    writers' own letters 92.42 -> 93.00%, and passed fewer look-alike mistakes in a quiz's
    context (1.25 -> 0.75%)."""
    padded = np.pad(blocks, ((0, 0), (1, 1), (1, 1)))
    size = blocks.shape[1]
    moves = ((1, 1), (1, 2), (1, 0), (2, 1), (0, 1))
    return np.stack([padded[:, r : r + size, c : c + size] for r, c in moves], axis=1)


def _top(probabilities: np.ndarray, letters: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    order = np.argsort(probabilities)[::-1][:TOP_K]
    return tuple((letters[i], float(probabilities[i])) for i in order)
