"""Train a syllable reader and write it as a registry folder (``model.pt``, ``model.onnx``,
``meta.json``), measured on held-out writers, fonts and letters: what ``hangul-ml
train-syllables`` does; or join readers trained apart into one (``hangul-ml join-syllables``).
Its registry name is ``syllable-<architecture>``; the metadata carries the block contract
(:data:`ml.reading.blocks.BLOCK_CONTRACT`) and the letters of each head."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from torch import nn

from ml.reading.alphabet import FINALS, INITIALS, MEDIALS
from ml.reading.blocks import BLOCK_CONTRACT, BLOCK_SIZE, KINDS
from ml.reading.registry import ModelVersion
from ml.reading.syllables import NAME_PREFIX
from ml.training.data import letters_by_writer
from ml.training.export import write_model_folder
from ml.training.syllable_data import (
    PICTURED_SHARE,
    PICTURED_WORDS,
    REAL_PER_WRITER,
    SyllableSet,
    held_out_letters,
    held_out_pictures,
    real_letter_pictures,
    syllable_set,
    training_set,
)
from ml.training.syllable_models import (
    OUTPUTS,
    SyllableEnsemble,
    evaluate_syllables,
    load_syllable_model,
    train_syllable_model,
)
from ml.writing.held_out import HELD_OUT_SEED

log = logging.getLogger(__name__)

TEST_WRITER = "block1"
"""The dev writer left out when training on real letters (:attr:`SyllableTraining.data`) and
measured on: the one whose blocks a reader trained on none reads worst (87.75% against 98.75
and 94.00)."""


@dataclass(frozen=True)
class SyllableTraining:
    """How a syllable reader is trained (the defaults make the shipped one)."""

    architecture: str = "lenet"
    syllables: int = 3000
    per_syllable: int = 16
    epochs: int = 10
    seed: int = 0
    pictured: float = PICTURED_SHARE
    """Share of the training pictures sent as photos, screenshots or transparent PNGs first
    (with pictured words: :func:`ml.training.syllable_data.training_set`)."""
    pictured_words: float = PICTURED_WORDS
    """Words sent as pictures and cut into blocks, as a share of the syllable pictures."""
    held_out_syllables: tuple[str, ...] | None = None
    """Measure on these instead of all 2,350 everyday syllables (tests)."""
    data: str | None = None
    """A class-folder dataset of real letters (the dev set): blocks made of its writers' own
    letters are trained on, but for :attr:`test_writer`'s, which are measured on."""
    test_writer: str = TEST_WRITER
    real_per_writer: int = REAL_PER_WRITER
    """Blocks of each other writer's letters in each round
    (:data:`ml.training.syllable_data.REAL_ROUNDS` rounds)."""
    real_blocks_measured: int = 400
    """Blocks of the test writer's letters measured on."""


def train_and_save_syllables(config: SyllableTraining, out_dir: Path | str) -> dict:
    """Train a syllable reader as ``config`` says, measure it and write it into ``out_dir``;
    the metadata written."""
    out = Path(out_dir)
    writers = letters_by_writer(config.data) if config.data else {}
    taught = sorted(w for w in writers if w != config.test_writer)
    real = real_letter_pictures(
        {w: writers[w] for w in taught}, config.real_per_writer, seed=config.seed
    )
    training = training_set(
        config.syllables,
        config.per_syllable,
        config.seed,
        config.pictured,
        config.pictured_words,
        workers=os.cpu_count() or 1,
        real=real,
    )
    log.info("training a syllable %s on %d blocks", config.architecture, len(training))
    model, seconds = train_syllable_model(
        config.architecture, training, epochs=config.epochs, seed=config.seed
    )
    held_out = held_out_set(config.held_out_syllables)
    metrics = {"train_seconds": round(seconds, 1), **held_out_metrics(model, held_out)}
    if config.test_writer in writers:
        # made among all the writers, as the text bench makes them: the same blocks it reads
        every = real_letter_pictures(writers, config.real_blocks_measured, 1, HELD_OUT_SEED)
        measured = [p for p in every if p.source == f"real:{config.test_writer}"]
        metrics["held_out_real_writer"] = evaluate_syllables(model, syllable_set(measured))
    meta = syllable_meta(
        config.architecture,
        {
            "training_blocks": len(training),
            "real_letter_blocks": len(real),
            "real_letter_writers": taught,
            "held_out_blocks": len(held_out),
        },
        metrics,
        asdict(config),
    )
    return write_model_folder(model, out, meta, side=BLOCK_SIZE, outputs=OUTPUTS)


def held_out_set(syllables: tuple[str, ...] | None = None) -> SyllableSet:
    """What a trained reader is measured on: ``syllables`` (default: all 2,350 everyday ones)
    by held-out stroke writers and in held-out fonts, and held-out single letters."""
    return syllable_set(
        held_out_pictures(syllables=syllables) + held_out_letters(2 if syllables else 10)
    )


def held_out_metrics(model: nn.Module, held_out: SyllableSet) -> dict:
    """How ``model`` reads the :func:`held_out_set` ``held_out``: its writers, fonts and
    letters."""
    return {
        "held_out_writers": evaluate_syllables(model, held_out.from_source("strokes")),
        "held_out_fonts": evaluate_syllables(model, held_out.from_source("font")),
        "held_out_letters": evaluate_syllables(model, held_out.of_kind("letter")),
    }


def join_syllable_readers(
    folders: Sequence[Path], out_dir: Path | str, held_out_syllables: tuple[str, ...] | None = None
) -> dict:
    """Syllable readers trained apart (model folders of one architecture) joined into one
    :class:`~ml.training.syllable_models.SyllableEnsemble`, measured on the :func:`held_out_set`
    and written into ``out_dir``; the metadata written, each member's training in it."""
    members = [ModelVersion("member", str(k), Path(f)) for k, f in enumerate(folders)]
    metas = [m.meta for m in members]
    architectures = {meta.get("architecture") for meta in metas}
    if len(architectures) != 1 or any(m.get("input_contract") != BLOCK_CONTRACT for m in metas):
        raise ValueError("the readers joined must share one architecture and block contract")
    [architecture] = architectures
    model = SyllableEnsemble([load_syllable_model(architecture, m.torch_path) for m in members])
    held_out = held_out_set(held_out_syllables)
    taught = sorted({w for m in metas for w in m.get("data", {}).get("real_letter_writers", [])})
    meta = syllable_meta(
        architecture,
        {"real_letter_writers": taught, "held_out_blocks": len(held_out)},
        held_out_metrics(model, held_out),
        {
            "members": [
                {key: meta.get(key) for key in ("train_config", "data", "metrics", "code_version")}
                for meta in metas
            ]
        },
    )
    return write_model_folder(model, Path(out_dir), meta, side=BLOCK_SIZE, outputs=OUTPUTS)


def syllable_meta(architecture: str, data: dict, metrics: dict, train_config: dict) -> dict:
    """The registry metadata of a syllable reader: its name, heads, kinds, outputs and block
    contract, with what it was trained on and how it measured."""
    return {
        "name": NAME_PREFIX + architecture,
        "architecture": architecture,
        "reads": "syllable blocks",
        "initials": list(INITIALS),
        "medials": list(MEDIALS),
        "finals": list(FINALS),
        "kinds": list(KINDS),
        "outputs": list(OUTPUTS),
        "input_contract": BLOCK_CONTRACT,
        "data": data,
        "metrics": metrics,
        "train_config": train_config,
    }
