"""Charts: learning curves and confusion matrices, with a font that renders Hangul labels."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from ml.writing.fonts import plot_font  # noqa: E402


def hangul_font() -> FontProperties | None:
    """Font properties that render Hangul (None where no Korean font is installed)."""
    path = plot_font()
    return FontProperties(fname=str(path)) if path else None


def plot_learning_curve(history: list, path: Path | str, title: str = "") -> Path:
    """Loss and accuracy per epoch (``history`` items need epoch, loss, *_accuracy)."""
    epochs = [h.epoch for h in history]
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 4))
    loss_ax.plot(epochs, [h.loss for h in history])
    loss_ax.set(xlabel="epoch", ylabel="training loss", title="loss")
    acc_ax.plot(epochs, [h.train_accuracy for h in history], label="train (augmented)")
    tests = [h.test_accuracy for h in history]
    if any(t is not None for t in tests):
        acc_ax.plot(epochs, tests, label="test")
    acc_ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1))
    acc_ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def plot_confusion(confusion: dict[str, dict[str, int]], path: Path | str, title: str = "") -> Path:
    """A row-normalised confusion matrix: true letters down, predicted letters across."""
    rows = list(confusion)
    cols = rows + sorted({p for r in confusion.values() for p in r} - set(rows))
    matrix = np.array([[confusion[t].get(p, 0) for p in cols] for t in rows], dtype=float)
    matrix /= np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    font = hangul_font()
    size = max(6.0, 0.28 * len(cols) + 2)
    fig, ax = plt.subplots(figsize=(size, max(5.0, 0.28 * len(rows) + 2)))
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(cols)), cols, fontproperties=font, rotation=90)
    ax.set_yticks(range(len(rows)), rows, fontproperties=font)
    ax.set(xlabel="predicted", ylabel="true", title=title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)
