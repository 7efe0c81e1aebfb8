"""The data flywheel, measured at a real bot's size: does retraining on the few pictures that a
handful of learners sent make the bot read them better, without reading anything else worse?

Simulated learners write in a style that no training data has: most strokes end in a long flick of
the pen (``ml.writing.strokes.render_letter(flick=True)``). By default 4 learners each send 2
pictures of each of the 14 basic consonants (112 pictures) to the tutor with ``/consent on`` and,
whatever the bot read, say what they wrote with ``/confirm`` (a trusted label). The samples the
tutor kept are exported as ``/retrain`` exports them and a retrain runs on them as ``/retrain``
runs it (base data + synthetic letters + the samples weighted, every learner's pictures read
by a reader trained without them; see :mod:`ml.jobs.retrain`). Reported per model, for the model
before and the candidate after (whether or not the retrain promoted it):

- accuracy on pictures of the same letters in the same style by other learners (none of whom sent
  anything), read as the bot reads a picture (decode, canonicalise, classify; a refusal counts as
  wrong);
- per-letter accuracy on ordinary handwriting and fonts that no model trained on (stroke writers
  of their own seed and the held-out fonts, all 40 letters), and the largest drop on any letter.

``hangul-bot flywheel`` runs it (about 10 minutes on 2 CPU cores for both models).
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from bot.app.retraining import export_samples
from bot.core.replies import Sender
from bot.core.tutor import Tutor
from ml.jobs.retrain_job import DISTILLATION, FINE_TUNE_EPOCHS, FINE_TUNE_LR, LETTER_MODELS
from ml.reading.alphabet import CONSONANTS, LETTERS, index_of
from ml.reading.classifier import Classifier
from ml.reading.registry import Registry
from ml.training.collected import COLLECTED_SHARE
from ml.writing.strokes import render_letter
from storage.database import Database

log = logging.getLogger(__name__)

TUTOR_MODEL = "lenet"
"""The tutor's default model, the one that reads the pictures as they are sent."""
COLLECTING_SEED = 7100
TESTING_SEED = 7900
ORDINARY_SEED = 4242
"""Seeds of this measurement's learners and ordinary test writers: no training run uses them."""
TUNING_OFFSET = 500


BASIC_CONSONANTS = tuple(c for c in CONSONANTS if c not in "ㄲㄸㅃㅆㅉ")
"""The 14 plain consonants, the first letters a learner writes."""


@dataclass
class FlywheelConfig:
    learners: int = 4
    """Learners who send pictures and confirm them."""
    pictures_per_letter: int = 2
    """Pictures of each letter each of them sends."""
    letters: str = "".join(BASIC_CONSONANTS)
    """The letters they send (and the other learners are tested on)."""
    test_learners: int = 8
    test_pictures_per_letter: int = 5
    ordinary_per_letter: int = 200
    """Ordinary test pictures per letter (half stroke writers, half held-out fonts)."""
    base_data: list[str] = field(default_factory=list)
    synthetic_per_letter: int = 300
    epochs: int = FINE_TUNE_EPOCHS
    fine_tune: bool = True
    fine_tune_lr: float = FINE_TUNE_LR
    distillation: float = DISTILLATION
    collected_share: float = COLLECTED_SHARE
    models: list[str] = field(default_factory=lambda: list(LETTER_MODELS))
    learner_offset: int = 0
    """Added to the learners' and the ordinary test writers' seeds: the schedule was chosen with
    others (offset :data:`TUNING_OFFSET`) than those the README reports (offset 0)."""


def style_picture(learner: int, letter: str, n: int) -> bytes:
    """Picture ``n`` of ``letter`` by flicking learner ``learner``, as a PNG."""
    rng = np.random.default_rng([learner, index_of(letter), n])
    out = io.BytesIO()
    Image.fromarray(render_letter(letter, rng, size=128, flick=True)).save(out, "PNG")
    return out.getvalue()


async def collect(tutor: Tutor, config: FlywheelConfig) -> dict:
    """Every learner sends their pictures of each letter and confirms each one."""
    sent = read_right = refused = 0
    for k in range(config.learners):
        sender = Sender("flywheel", f"learner-{k}")
        await tutor.handle_text(sender, "/consent on")
        for letter in config.letters:
            for n in range(config.pictures_per_letter):
                [reply, *_] = await tutor.handle_picture(
                    sender, style_picture(COLLECTING_SEED + config.learner_offset + k, letter, n)
                )
                sent += 1
                read_right += reply.read == letter
                refused += reply.verdict != "ok"
                await tutor.handle_text(sender, f"/confirm {letter}")
    return {"pictures_sent": sent, "read_right_when_sent": read_right, "refused": refused}


def style_accuracy(classifier: Classifier, pictures: list[tuple[str, bytes]]) -> float:
    """How often ``classifier`` reads the pictures' letters as the bot would."""
    right = sum(classifier.read(data).letter == letter for letter, data in pictures)
    return right / len(pictures)


def ordinary_set(per_letter: int, offset: int = 0):
    """Ordinary handwriting and held-out fonts, canonical, that no training run uses (writers
    and renderings of another seed with an ``offset``, for tuning)."""
    from ml.training.data import LetterSet
    from ml.training.recipe import held_out_fonts
    from ml.training.synth import font_letters, stroke_letters

    half = per_letter // 2
    return LetterSet.concat(
        [
            stroke_letters(per_letter - half, seed=ORDINARY_SEED + offset),
            font_letters(held_out_fonts(), half, seed=ORDINARY_SEED + offset),
        ]
    )


def _figures(classifier: Classifier, style: list[tuple[str, bytes]], ordinary) -> dict:
    from ml.evaluation.quality import score

    report = score(classifier, ordinary)
    return {
        "version": classifier.version,
        "style_accuracy": round(style_accuracy(classifier, style), 4),
        "ordinary_accuracy": round(report.accuracy, 4),
        "ordinary_per_letter": report.per_letter,
    }


def _compare(before: dict, after: dict, verdict: dict) -> dict:
    """One model's figures before and after, and what the retrain decided."""
    drops = {
        letter: before["ordinary_per_letter"][letter] - after["ordinary_per_letter"][letter]
        for letter in LETTERS
    }
    worst = max(drops, key=drops.get)
    return {
        "before": {k: v for k, v in before.items() if k != "ordinary_per_letter"},
        "after": {k: v for k, v in after.items() if k != "ordinary_per_letter"},
        "style_gain_points": round(100 * (after["style_accuracy"] - before["style_accuracy"]), 2),
        "largest_ordinary_letter_drop": {"letter": worst, "points": round(100 * drops[worst], 2)},
        "ordinary_letters_worse": sum(d > 0 for d in drops.values()),
        "ordinary_letters_better": sum(d < 0 for d in drops.values()),
        "retrain": {
            **{k: verdict[k] for k in ("promoted", "reason", "worst_letter_drop")},
            "learners_judged": [
                (verdict[k] or {}).get("accuracy") for k in ("learners_before", "learners_after")
            ],
        },
    }


async def run_flywheel(config: FlywheelConfig, workdir: Path | None = None) -> dict:
    """Collect, retrain and measure (see the module docstring); the figures as a dict."""
    from ml.jobs.retrain import retrain
    from ml.jobs.retrain_job import RetrainConfig

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(workdir or scratch)
        registry = Registry(folder / "registry")
        style = [
            (letter, style_picture(TESTING_SEED + config.learner_offset + k, letter, n))
            for k in range(config.test_learners)
            for letter in config.letters
            for n in range(config.test_pictures_per_letter)
        ]
        ordinary = ordinary_set(config.ordinary_per_letter, config.learner_offset)
        before = {
            name: _figures(Classifier.open(registry.current(name)), style, ordinary)
            for name in config.models
        }
        url = f"sqlite:///{folder}/flywheel.db"
        db = Database(url)
        await db.migrate()
        tutor = Tutor(db, Classifier.open(registry.current(TUTOR_MODEL)), registry=registry)
        collected = await collect(tutor, config)
        async with db.transaction() as session:
            samples, exported = await export_samples(session, folder)
        collected["samples_exported"] = len(exported)
        await db.close()
        log.info("collected %s", collected)

        retrain_config = RetrainConfig(
            real_folders=config.base_data,
            samples=str(samples),
            synthetic_per_letter=config.synthetic_per_letter,
            epochs=config.epochs,
            models=config.models,
            fine_tune=config.fine_tune,
            fine_tune_lr=config.fine_tune_lr,
            distillation=config.distillation,
            collected_share=config.collected_share,
        )
        report = retrain(retrain_config, registry, lambda m, d: log.info("%3.0f%% %s", 100 * d, m))
        models = {}
        for verdict in report["models"]:
            name = verdict["name"]
            after = Classifier.open(registry.get(name, verdict["after_version"]))
            models[name] = _compare(before[name], _figures(after, style, ordinary), verdict)
    return {
        "config": asdict(config),
        "collected": collected,
        "style_test_pictures": len(style),
        "ordinary_test_pictures": len(ordinary),
        "models": models,
        "retrain_refused": report["refused"],
        "retrain_data": report["data"],
        "seconds": round(time.perf_counter() - started, 1),
    }
