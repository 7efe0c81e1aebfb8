"""The original notebook's training loop, kept as the baseline that benchmarks compare against.

A ``DataLoader`` over files decoded and transformed with PIL per item (greyscale, random rotation
of up to 20 degrees, ``ToTensor``), batch 40, Adam at 1e-3, LeNet-5 over the 30 dataset classes,
raw (uncanonicalised) pictures. Only :mod:`ml.evaluation.bench` uses it.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

from ml.training.models import LeNet5
from ml.training.train import EpochLog, accuracy


class FileDataset(Dataset):
    """Pictures decoded from disk on every access, as ``ImageFolder`` does."""

    def __init__(self, files: list[str], labels: list[int], transform) -> None:
        self.files, self.labels, self.transform = files, labels, transform

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, i: int):
        with Image.open(self.files[i]) as image:
            return self.transform(image.convert("RGB")), self.labels[i]


def train_notebook(
    train_files: list[str],
    train_labels: list[int],
    test_files: list[str],
    test_labels: list[int],
    num_classes: int = 30,
    epochs: int = 50,
    seed: int = 0,
) -> list[EpochLog]:
    """Train the notebook's way; returns the per-epoch log with test accuracy."""
    torch.manual_seed(seed)
    train_tf = transforms.Compose(
        [transforms.Grayscale(), transforms.RandomRotation(20), transforms.ToTensor()]
    )
    test_tf = transforms.Compose([transforms.Grayscale(), transforms.ToTensor()])
    loader = DataLoader(
        FileDataset(train_files, train_labels, train_tf), batch_size=40, shuffle=True
    )
    test_x = torch.stack([test_tf(Image.open(Path(f)).convert("RGB")) for f in test_files])
    test_y = torch.tensor(test_labels)
    model = LeNet5(num_classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history: list[EpochLog] = []
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        total, correct, seen = 0.0, 0, 0
        for x, y in loader:
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
        history.append(
            EpochLog(epoch, 0.0, total / seen, correct / seen, accuracy(model, test_x, test_y))
        )
        history[-1].seconds = time.perf_counter() - started
    return history
