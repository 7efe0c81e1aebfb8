"""The syllable readers measured: each architecture, trained on synthetic blocks (training
writers and fonts, with letters and junk for the kind head) and read on all 2,350 everyday
syllables by held-out stroke writers and in held-out fonts, and on single letters by held-out
informal writers (is each block's kind right?), with training time and reading speed.

``hangul-ml bench --only syllables`` runs it (``--quick``: a smoke run on a few syllables).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import torch

from ml.training.syllable_data import (
    held_out_letters,
    held_out_pictures,
    syllable_set,
    training_pictures,
)
from ml.training.syllable_models import (
    evaluate_syllables,
    predict_syllables,
    syllable_tensors,
    train_syllable_model,
)

log = logging.getLogger(__name__)

ARCHITECTURES = ("lenet", "mlp")


def syllable_bench(
    count: int = 3000,
    per_syllable: int = 16,
    epochs: int = 10,
    architectures: Sequence[str] = ARCHITECTURES,
    seed: int = 0,
    held_out: Sequence[str] | None = None,
) -> dict:
    """Held-out accuracies (writers, fonts, both, letters' kind) per architecture, on all
    everyday syllables (or ``held_out``), with the time spent making data, training, and reading
    (images per second)."""
    started = time.perf_counter()
    training = training_pictures(count, per_syllable, seed)
    made = time.perf_counter()
    held_out = held_out_pictures(syllables=held_out) + held_out_letters(2 if held_out else 10)
    timings = {
        "training_pictures_s": made - started,
        "held_out_pictures_s": time.perf_counter() - made,
    }
    log.info("pictures: %d training, %d held out (%s)", len(training), len(held_out), timings)
    runs = []
    train_set, test_set = syllable_set(training), syllable_set(held_out)
    groups = {
        "writers": test_set.from_source("strokes"),
        "fonts": test_set.from_source("font"),
        "letters": test_set.of_kind("letter"),
        "all": test_set,
    }
    for architecture in architectures:
        model, seconds = train_syllable_model(architecture, train_set, epochs=epochs, seed=seed)
        run = {
            "architecture": architecture,
            "train_seconds": seconds,
            "parameters": sum(p.numel() for p in model.parameters()),
            "train": evaluate_syllables(model, train_set),
            **{name: evaluate_syllables(model, group) for name, group in groups.items()},
            "images_per_second": _reading_speed(model, test_set),
        }
        log.info("%s", run)
        runs.append(run)
    return {
        "config": {
            "count": count,
            "per_syllable": per_syllable,
            "epochs": epochs,
            "seed": seed,
            "training_images": len(training),
            "held_out_images": len(held_out),
            "torch_threads": torch.get_num_threads(),
        },
        "timings": timings,
        "runs": runs,
    }


def _reading_speed(model: torch.nn.Module, data) -> float:
    """Canonical images read per second (batched, evaluation mode, the model's device)."""
    x, _ = syllable_tensors(data, next(model.parameters()).device)
    started = time.perf_counter()
    predict_syllables(model, x)
    return len(x) / (time.perf_counter() - started)
