"""The two classifiers: the notebook's LeNet-5 and its MLP, both returning logits for the 40
letters and "not a letter" (:data:`ml.reading.alphabet.NUM_CLASSES`).

Input: a batch of canonical images, shape (B, 1, 28, 28) (see :mod:`ml.reading.preprocess`).
"""

from __future__ import annotations

import torch
from torch import nn

from ml.reading.alphabet import NUM_CLASSES


class LeNet5(nn.Module):
    """LeNet-5 as in the notebook: two 5x5 conv + pool stages, then 120-84-N."""

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


class MLP(nn.Module):
    """The notebook's 784-203-N perceptron, fixed to return logits (no sigmoid or softmax)."""

    def __init__(self, num_classes: int = NUM_CLASSES, hidden: int = 203) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, hidden),
            nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


ARCHITECTURES: dict[str, type[nn.Module]] = {"lenet": LeNet5, "mlp": MLP}


def build(architecture: str, num_classes: int = NUM_CLASSES) -> nn.Module:
    """A fresh, untrained model of the named architecture."""
    try:
        return ARCHITECTURES[architecture](num_classes)
    except KeyError:
        raise ValueError(
            f"unknown architecture {architecture!r}; choose from {sorted(ARCHITECTURES)}"
        ) from None
