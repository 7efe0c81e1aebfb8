"""Train a model, tune its "not a letter" threshold and write it as a registry folder, in one call:
what ``hangul-ml train``, a retrain and the benchmarks all do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ml.training.data import LetterSet
from ml.training.export import save_model
from ml.training.recipe import TrainingData
from ml.training.rejection import fit_threshold
from ml.training.train import TrainConfig, TrainResult, train


@dataclass(frozen=True)
class SavedModel:
    """A trained model written to ``path``, with its training run and figures."""

    path: Path
    result: TrainResult
    metrics: dict
    rejection: dict


def train_and_save(
    training: TrainingData,
    config: TrainConfig,
    out_dir: Path | str,
    *,
    name: str | None = None,
    test: LetterSet | None = None,
    initial_weights: Path | None = None,
    data_notes: dict | None = None,
    progress: bool = False,
) -> SavedModel:
    """Train ``config.architecture`` on ``training`` (from ``initial_weights`` when given; tested
    on ``test`` after each epoch when given), tune its threshold and write ``model.pt``,
    ``model.onnx`` and ``meta.json`` into ``out_dir``. ``name`` is its registry name (default: the
    architecture); ``data_notes`` are added to the data summary in its metadata."""
    result = train(training.data, config, test, progress=progress, initial_weights=initial_weights)
    rejection = fit_threshold(result.model)
    last = result.history[-1]
    metrics: dict = {
        "train_accuracy_augmented": round(last.train_accuracy, 4),
        "train_seconds": round(last.seconds, 1),
        "device": result.device,
    }
    if test is not None and last.test_accuracy is not None:
        metrics["test_accuracy"] = round(last.test_accuracy, 4)
        metrics["test_writers"] = sorted(set(test.writers.tolist()))
        metrics["test_images"] = len(test)
    path = save_model(
        result.model,
        out_dir,
        name=name or config.architecture,
        architecture=config.architecture,
        data={**training.summary, **(data_notes or {})},
        metrics=metrics,
        train_config=config.as_dict(),
        rejection=rejection,
    )
    return SavedModel(path, result, metrics, rejection)
