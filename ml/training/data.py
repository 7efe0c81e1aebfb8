"""Letter datasets as canonical arrays: class folders on disk, writer-disjoint splits.

A :class:`LetterSet` holds canonical 28x28 images (uint8, ink = 255) with their letter indices
(positions in :data:`ml.reading.alphabet.LETTERS`) and a writer/source tag per image, so that splits
can keep writers apart. Folders follow ``torchvision.datasets.ImageFolder``'s layout,
``<class>/<file>``, with classes named by jamo (``ㅛ``) or romanization (``yo``, or the Kaggle set's
``gg``/``bb``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ml.reading.alphabet import LETTERS, index_of, letter_from_folder
from ml.reading.preprocess import canonical_from_bytes

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"}
KAGGLE_SHEETS_PER_BLOCK = 30
_KAGGLE_NAME = re.compile(r"^[a-z]+_(\d+)_\d+$")


@dataclass
class LetterSet:
    """Canonical images, their letter indices and a writer tag per image."""

    images: np.ndarray  # (N, 28, 28) uint8, ink = 255
    labels: np.ndarray  # (N,) int64 index into LETTERS
    writers: np.ndarray  # (N,) str
    files: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, mask: np.ndarray) -> LetterSet:
        """The images where ``mask`` is true."""
        files = [f for f, keep in zip(self.files, mask, strict=True) if keep] if self.files else []
        return LetterSet(self.images[mask], self.labels[mask], self.writers[mask], files)

    def letters(self) -> list[str]:
        """The distinct letters present, in alphabet order."""
        return [LETTERS[i] for i in sorted(set(self.labels.tolist()))]

    @staticmethod
    def concat(parts: Sequence[LetterSet]) -> LetterSet:
        """One set holding all images of ``parts``, in order."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return empty_set()
        return LetterSet(
            np.concatenate([p.images for p in parts]),
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.writers for p in parts]),
            [f for p in parts for f in p.files],
        )


def empty_set() -> LetterSet:
    """A set with no images."""
    return LetterSet(
        np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64), np.zeros(0, dtype="<U1"), []
    )


@dataclass
class FolderScan:
    """What a class-folder tree holds: usable image files and what had to be left out."""

    files: list[tuple[Path, str]]  # (path, class: the jamo, or what ``label`` named)
    unknown_folders: list[str]


def scan_folder(
    root: Path | str, label: Callable[[str], str | None] = letter_from_folder
) -> FolderScan:
    """List ``root/<class>/<image>`` files whose class folder ``label`` names (by default: one
    of the 40 letters, as jamo or romanized)."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder")
    files: list[tuple[Path, str]] = []
    unknown: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        named = label(folder.name)
        if named is None:
            unknown.append(folder.name)
            continue
        files.extend(
            (path, named)
            for path in sorted(folder.iterdir())
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()
        )
    return FolderScan(files, unknown)


def writer_of(path: Path) -> str:
    """The writer tag of a file: ``block<k>`` for the Kaggle naming scheme, else the folder's."""
    match = _KAGGLE_NAME.match(path.stem)
    if match:
        return f"block{int(match.group(1)) // KAGGLE_SHEETS_PER_BLOCK}"
    return f"{path.parent.parent.name}"


def letters_by_writer(root: Path | str) -> dict[str, dict[str, list[np.ndarray]]]:
    """Every picture under ``root`` as it is (uint8 grey, dark on white), by writer
    (:func:`writer_of`) and letter."""
    writers: dict[str, dict[str, list[np.ndarray]]] = {}
    for path, letter in scan_folder(root).files:
        picture = np.asarray(Image.open(path).convert("L"))
        writers.setdefault(writer_of(path), {}).setdefault(letter, []).append(picture)
    return writers


def load_folder(root: Path | str) -> LetterSet:
    """Load and canonicalise every readable image under ``root``; unreadable ones are logged."""
    scan = scan_folder(root)
    for name in scan.unknown_folders:
        log.warning("skipping folder %r: not one of the 40 letters", name)
    images, labels, writers, files = [], [], [], []
    for path, jamo in scan.files:
        canonical = canonical_from_bytes(path.read_bytes())
        if not canonical.ok:
            log.warning("skipping %s: %s", path, canonical.verdict)
            continue
        images.append(to_uint8(canonical.image))
        labels.append(index_of(jamo))
        writers.append(writer_of(path))
        files.append(str(path))
    if not images:
        return empty_set()
    return LetterSet(np.stack(images), np.array(labels, np.int64), np.array(writers), files)


def to_uint8(image: np.ndarray) -> np.ndarray:
    """A canonical float image stored compactly as uint8."""
    return np.round(np.clip(image, 0.0, 1.0) * 255).astype(np.uint8)


def writer_split(data: LetterSet, test_writers: Iterable[str]) -> tuple[LetterSet, LetterSet]:
    """Split into (train, test) so that no writer appears on both sides."""
    test = np.isin(data.writers, list(test_writers))
    return data.subset(~test), data.subset(test)


def writer_folds(data: LetterSet) -> list[tuple[str, LetterSet, LetterSet]]:
    """Leave-one-writer-out folds: (held-out writer, train, test) for each writer."""
    return [(w, *writer_split(data, [w])) for w in sorted(set(data.writers.tolist()))]
