"""Syllable readers: one network, four heads (initial, medial, final, and the block's kind),
trained together.

Input: canonical blocks (:mod:`ml.reading.blocks`), shape (B, 1, size, size) with ``size`` a
multiple of 8. Output: four logit tensors, (B, 19), (B, 21), (B, 28) and (B, 3) (syllable,
letter, not writing). Training minimises the sum of the heads' cross-entropies (the letter heads
only on syllables) with Adam under a one-cycle schedule, on batches lightly shifted and scaled;
the same seed gives the same weights on the same device. Readers trained apart can be served as
one, an ensemble averaging their probabilities (:class:`SyllableEnsemble`).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ml.reading.alphabet import FINALS, INITIALS, MEDIALS
from ml.reading.blocks import BLOCK_SIZE, KINDS
from ml.training.syllable_data import NO_LABEL, SyllableSet
from ml.training.train import pick_device, seeded

HEADS = (len(INITIALS), len(MEDIALS), len(FINALS), len(KINDS))
PARTS = ("initial", "medial", "final")
OUTPUTS = (*PARTS, "kind")
LEARNING_RATE = 3e-3
"""Peak learning rate of training from scratch."""
WIDTH = 32
"""Channels of a fresh :class:`SyllableLeNet`'s first stage (chosen on validation writers)."""
Logits = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


class Heads(nn.Module):
    """A linear head per letter position, and one for the kind, over a shared feature vector."""

    def __init__(self, features: int) -> None:
        super().__init__()
        self.heads = nn.ModuleList(nn.Linear(features, n) for n in HEADS)

    def forward(self, x: torch.Tensor) -> Logits:
        initial, medial, final, kind = (head(x) for head in self.heads)
        return initial, medial, final, kind


class SyllableLeNet(nn.Module):
    """LeNet in spirit, grown for blocks: three conv + batch-norm + pool stages (``width``, 2x
    and 4x channels), a 256-wide hidden layer, then the heads."""

    def __init__(self, size: int = BLOCK_SIZE, width: int = WIDTH) -> None:
        super().__init__()
        if size % 8:
            raise ValueError(f"the input size must be a multiple of 8, not {size}")
        layers: list[nn.Module] = []
        channels = 1
        for out, kernel in ((width, 5), (2 * width, 5), (4 * width, 3)):
            layers += [
                nn.Conv2d(channels, out, kernel, padding=kernel // 2, bias=False),
                nn.BatchNorm2d(out),
                nn.ReLU(),
                nn.MaxPool2d(2),
            ]
            channels = out
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.hidden = nn.Sequential(
            nn.Linear(channels * (size // 8) ** 2, 256), nn.ReLU(), nn.Dropout(0.2)
        )
        self.heads = Heads(256)

    def forward(self, x: torch.Tensor) -> Logits:
        return self.heads(self.hidden(self.features(x)))


class SyllableMLP(nn.Module):
    """The baseline: two hidden layers (512, 256) on the raw pixels, then the heads."""

    def __init__(self, size: int = BLOCK_SIZE) -> None:
        super().__init__()
        self.hidden = nn.Sequential(
            nn.Flatten(), nn.Linear(size * size, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU()
        )
        self.heads = Heads(256)

    def forward(self, x: torch.Tensor) -> Logits:
        return self.heads(self.hidden(x))


class SyllableEnsemble(nn.Module):
    """Readers trained apart, read as one: each head gives the log of its members' mean
    probabilities, so that a softmax over it is their average."""

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least two members, not {len(members)}")
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> Logits:
        outputs = [member(x) for member in self.members]
        count = math.log(len(outputs))
        initial, medial, final, kind = (
            torch.logsumexp(torch.stack([F.log_softmax(out[i], 1) for out in outputs]), 0) - count
            for i in range(len(OUTPUTS))
        )
        return initial, medial, final, kind


ARCHITECTURES: dict[str, type[nn.Module]] = {"lenet": SyllableLeNet, "mlp": SyllableMLP}
MEMBER = re.compile(r"members\.(\d+)\.(.+)")


def build_syllable_model(
    architecture: str, size: int, state: dict[str, torch.Tensor] | None = None
) -> nn.Module:
    """A fresh, untrained syllable reader for ``size`` x ``size`` inputs, shaped to take the
    weights ``state`` when given (a LeNet of another :data:`WIDTH`: an older version; an
    ensemble's: a :class:`SyllableEnsemble` of as many members)."""
    if architecture not in ARCHITECTURES:
        raise ValueError(
            f"unknown architecture {architecture!r}; choose from {sorted(ARCHITECTURES)}"
        )
    if state is not None and (members := member_states(state)):
        return SyllableEnsemble([build_syllable_model(architecture, size, s) for s in members])
    if architecture == "lenet" and state is not None:
        return SyllableLeNet(size, width=state["features.0.weight"].shape[0])
    return ARCHITECTURES[architecture](size)


def load_syllable_model(architecture: str, path: Path, size: int = BLOCK_SIZE) -> nn.Module:
    """The syllable reader whose weights the ``model.pt`` at ``path`` holds, in evaluation
    mode."""
    state = torch.load(path, weights_only=True)
    model = build_syllable_model(architecture, size, state)
    model.load_state_dict(state)
    return model.eval()


def member_states(state: dict[str, torch.Tensor]) -> list[dict[str, torch.Tensor]]:
    """An ensemble's weights split into its members' (none for a single reader's)."""
    members: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in state.items():
        if match := MEMBER.fullmatch(key):
            members.setdefault(int(match[1]), {})[match[2]] = value
    return [members[i] for i in sorted(members)]


def readers_of(model: nn.Module) -> list[nn.Module]:
    """The readers trained apart inside ``model``: an ensemble's members (each learns from its
    own heads, as when it was trained alone), or the model itself."""
    return list(model.members) if isinstance(model, SyllableEnsemble) else [model]


def syllable_tensors(data: SyllableSet, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Images as float (N, 1, size, size) in [0, 1] and labels as int64 (N, 4): initial, medial,
    final, kind; on ``device``."""
    x = torch.from_numpy(data.images).to(device).float().div_(255.0).unsqueeze(1)
    labels = np.concatenate([data.labels, data.kinds[:, None]], axis=1)
    return x, torch.from_numpy(labels).to(device)


def jitter(
    x: torch.Tensor, g: torch.Generator, shift: float = 0.06, scale: float = 0.1
) -> torch.Tensor:
    """Each picture moved by up to ``shift`` of its side and scaled by up to ``scale``."""
    n = len(x)
    zoom = 1 + (torch.rand(n, generator=g, device=x.device) * 2 - 1) * scale
    moves = (torch.rand(n, 2, generator=g, device=x.device) * 2 - 1) * 2 * shift
    theta = torch.zeros(n, 2, 3, device=x.device)
    theta[:, 0, 0] = theta[:, 1, 1] = 1 / zoom
    theta[:, :, 2] = moves
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="zeros", align_corners=False)


def syllable_loss(logits: Logits, labels: torch.Tensor) -> torch.Tensor:
    """The sum of the heads' mean cross-entropies, each over the pictures it has labels for
    (letter positions: syllables only)."""
    total = logits[0].new_zeros(())
    for i, out in enumerate(logits):
        losses = F.cross_entropy(out, labels[:, i], ignore_index=NO_LABEL, reduction="sum")
        total = total + losses / (labels[:, i] != NO_LABEL).sum().clamp(min=1)
    return total


def train_syllable_model(
    architecture: str,
    data: SyllableSet,
    epochs: int = 8,
    batch: int = 128,
    lr: float = LEARNING_RATE,
    seed: int = 0,
    augment: bool = True,
    device: str = "auto",
    initial_weights: Path | None = None,
) -> tuple[nn.Module, float]:
    """A syllable reader trained on ``data`` (a fresh one, or one starting from
    ``initial_weights``, a ``model.pt`` of the same architecture and size, of any width, or an
    ensemble's: its members are each trained on their own heads), and the seconds training
    took."""
    if len(data) == 0:
        raise ValueError("the training set is empty")
    where = pick_device(device)
    g = seeded(seed, where)
    size = data.images.shape[1]
    model = (
        build_syllable_model(architecture, size)
        if initial_weights is None
        else load_syllable_model(architecture, initial_weights, size)
    ).to(where)
    x, y = syllable_tensors(data, where)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, epochs=epochs, steps_per_epoch=math.ceil(len(y) / batch)
    )
    started = time.perf_counter()
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(y), generator=g, device=where)
        for start in range(0, len(y), batch):
            picked = order[start : start + batch]
            inputs = jitter(x[picked], g) if augment else x[picked]
            loss = sum(syllable_loss(reader(inputs), y[picked]) for reader in readers_of(model))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
    model.eval()
    return model, time.perf_counter() - started


@torch.no_grad()
def predict_syllables(model: nn.Module, x: torch.Tensor, batch: int = 1024) -> torch.Tensor:
    """Predicted (initial, medial, final, kind) indices, int64 (N, 4), in evaluation mode."""
    was_training = model.training
    model.eval()
    parts = []
    for start in range(0, len(x), batch):
        parts.append(torch.stack([out.argmax(1) for out in model(x[start : start + batch])], 1))
    model.train(was_training)
    return torch.cat(parts) if parts else torch.zeros(0, len(OUTPUTS), dtype=torch.int64)


def evaluate_syllables(model: nn.Module, data: SyllableSet) -> dict[str, float | int]:
    """On the syllables (if any): accuracy of each position and of whole syllables (all three
    right); on everything: of the kind; and ``n``."""
    device = next(model.parameters()).device
    x, y = syllable_tensors(data, device)
    right = predict_syllables(model, x) == y
    syllables = y[:, 3] == KINDS.index("syllable")
    result: dict[str, float | int] = {}
    if syllables.any():
        result["syllable"] = right[syllables, :3].all(1).float().mean().item()
        for i, part in enumerate(PARTS):
            result[part] = right[syllables, i].float().mean().item()
    result["kind"] = right[:, 3].float().mean().item() if len(right) else 0.0
    result["n"] = len(data)
    return result
