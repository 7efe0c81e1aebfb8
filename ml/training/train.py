"""The training loop: whole datasets as tensors on the device, augmentation batched on the device.

Reads top to bottom: pick a device, move the data there once, then for each epoch shuffle,
augment each batch, step AdamW under a one-cycle schedule, and log loss and accuracy. The same
seed gives the same weights on the same device (:func:`seeded`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from ml.training.augment import Augmentation, augment
from ml.training.data import LetterSet
from ml.training.models import build

log = logging.getLogger(__name__)

DISTILLATION_TEMPERATURE = 2.0
"""Softens both models' outputs in the distillation loss, so that it keeps the starting model's
second guesses (and its "not a letter" probability) too, not only its top letter."""


@dataclass
class TrainConfig:
    """Every knob of a training run, with its default."""

    architecture: str = "lenet"
    epochs: int = 30
    batch_size: int = 128
    lr: float = 8e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.05
    warmup: float = 0.15
    seed: int = 0
    augmentation: Augmentation = field(default_factory=Augmentation)
    device: str = "auto"
    distillation: float = 0.0
    """When fine-tuning (``initial_weights``): weight of a loss that keeps the starting model's
    outputs on the training images it already reads right (learning without forgetting), so that
    a few new pictures teach their style without moving the letters they do not touch."""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class EpochLog:
    """One epoch's figures; ``seconds`` is the wall time since training started."""

    epoch: int
    seconds: float
    loss: float
    train_accuracy: float
    test_accuracy: float | None


@dataclass
class TrainResult:
    model: nn.Module
    history: list[EpochLog]
    device: str


def pick_device(name: str = "auto") -> torch.device:
    """CUDA when present (for ``auto``), otherwise the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seeded(seed: int, device: torch.device) -> torch.Generator:
    """Seed torch for a training run on ``device`` and return the run's random generator there.

    On CUDA it also makes cuDNN use deterministic algorithms: with its defaults, two runs from
    one seed trained different weights on an H200, and the deterministic ones cost about 1-3%
    (``ml.evaluation.device_check``, 2026-12-04)."""
    torch.manual_seed(seed)
    if device.type == "cuda":
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    return torch.Generator(device=device).manual_seed(seed)


def to_tensors(data: LetterSet, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Images as float (N, 1, 28, 28) in [0, 1] and labels as int64, on ``device``."""
    x = torch.from_numpy(data.images).to(device).float().div_(255.0).unsqueeze(1)
    return x, torch.from_numpy(data.labels).to(device)


@torch.no_grad()
def predict_logits(model: nn.Module, x: torch.Tensor, batch_size: int = 4096) -> torch.Tensor:
    """Logits for a tensor of canonical images, computed in evaluation mode."""
    was_training = model.training
    model.eval()
    out = torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    model.train(was_training)
    return out


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy of ``model`` on ``(x, y)``."""
    if len(y) == 0:
        return float("nan")
    return (predict_logits(model, x).argmax(1) == y).float().mean().item()


def kept_outputs_loss(
    teacher: nn.Module, inputs: torch.Tensor, logits: torch.Tensor, labels: torch.Tensor
) -> torch.Tensor:
    """How far ``logits`` moved from ``teacher``'s outputs, softened by
    :data:`DISTILLATION_TEMPERATURE`, on the images the teacher reads right (KL divergence,
    averaged over the whole batch; zero where the teacher is wrong, for those are to change)."""
    with torch.no_grad():
        taught = teacher(inputs)
    right = taught.argmax(1) == labels
    if not right.any():
        return logits.new_zeros(())
    t = DISTILLATION_TEMPERATURE
    divergence = F.kl_div(
        F.log_softmax(logits[right] / t, 1),
        F.log_softmax(taught[right] / t, 1),
        log_target=True,
        reduction="sum",
    )
    return divergence * t * t / len(labels)


def train(
    train_set: LetterSet,
    config: TrainConfig,
    test_set: LetterSet | None = None,
    stop: Callable[[EpochLog], bool] | None = None,
    progress: bool = True,
    initial_weights: Path | None = None,
) -> TrainResult:
    """Train a model on ``train_set``: a fresh one, or one starting from ``initial_weights`` (a
    ``model.pt`` of the same architecture); ``stop(epoch_log)`` returning true ends it early."""
    if len(train_set) == 0:
        raise ValueError("the training set is empty")
    device = pick_device(config.device)
    generator = seeded(config.seed, device)
    model = build(config.architecture)
    if initial_weights is not None:
        model.load_state_dict(torch.load(initial_weights, weights_only=True))
    model = model.to(device)
    teacher = None
    if initial_weights is not None and config.distillation > 0:
        teacher = build(config.architecture)
        teacher.load_state_dict(torch.load(initial_weights, weights_only=True))
        teacher = teacher.to(device).eval().requires_grad_(False)
    x, y = to_tensors(train_set, device)
    test = to_tensors(test_set, device) if test_set is not None and len(test_set) else None
    steps_per_epoch = math.ceil(len(y) / config.batch_size)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=config.lr,
        epochs=config.epochs,
        steps_per_epoch=steps_per_epoch,
        pct_start=config.warmup,
    )
    history: list[EpochLog] = []
    started = time.perf_counter()
    bar = tqdm(range(1, config.epochs + 1), desc=config.architecture, disable=not progress)
    for epoch in bar:
        model.train()
        order = torch.randperm(len(y), generator=generator, device=device)
        total_loss, correct = 0.0, 0
        for start in range(0, len(y), config.batch_size):
            batch = order[start : start + config.batch_size]
            inputs = augment(x[batch], config.augmentation, generator)
            logits = model(inputs)
            loss = F.cross_entropy(logits, y[batch], label_smoothing=config.label_smoothing)
            if teacher is not None:
                kept = kept_outputs_loss(teacher, inputs, logits, y[batch])
                loss = loss + config.distillation * kept
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total_loss += loss.item() * len(batch)
            correct += (logits.argmax(1) == y[batch]).sum().item()
        entry = EpochLog(
            epoch=epoch,
            seconds=0.0,
            loss=total_loss / len(y),
            train_accuracy=correct / len(y),
            test_accuracy=accuracy(model, *test) if test else None,
        )
        entry.seconds = time.perf_counter() - started
        history.append(entry)
        bar.set_postfix(loss=f"{entry.loss:.3f}", test=_percent(entry.test_accuracy))
        if stop is not None and stop(entry):
            break
    model.eval()
    return TrainResult(model, history, str(device))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"
