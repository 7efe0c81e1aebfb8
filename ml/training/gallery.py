"""Browsable folders and contact sheets of letter sets (for people, and for ``load_folder``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ml.reading.alphabet import LETTERS
from ml.training.data import LetterSet

SCALE = 3


def _paper(image: np.ndarray) -> Image.Image:
    """A canonical image as dark ink on white paper, enlarged for viewing."""
    return Image.fromarray(255 - image).resize((28 * SCALE, 28 * SCALE), Image.Resampling.NEAREST)


def write_letter_folders(data: LetterSet, out: Path | str) -> int:
    """Write ``out/<jamo>/<writer>_<n>.png`` for every image; returns how many were written."""
    out = Path(out)
    for n, (image, label, writer) in enumerate(
        zip(data.images, data.labels, data.writers, strict=True)
    ):
        folder = out / LETTERS[label]
        folder.mkdir(parents=True, exist_ok=True)
        safe_writer = "".join(c if c.isalnum() else "-" for c in str(writer))
        _paper(image).save(folder / f"{safe_writer}_{n}.png")
    return len(data)


def contact_sheet(data: LetterSet, path: Path | str, per_letter: int = 16) -> Path:
    """One row per letter present, up to ``per_letter`` samples each, saved as a PNG."""
    letters = sorted(set(data.labels.tolist()))
    sheet = np.full((28 * len(letters), 28 * per_letter), 0, np.uint8)
    for row, label in enumerate(letters):
        for col, index in enumerate(np.flatnonzero(data.labels == label)[:per_letter]):
            sheet[28 * row : 28 * (row + 1), 28 * col : 28 * (col + 1)] = data.images[index]
    Image.fromarray(255 - sheet).save(path)
    return Path(path)
