"""Reading quality on a folder of labelled pictures: overall and per-letter accuracy, confusions.

A rejected picture (blank, unreadable, ...) counts as wrong; a picture of a letter the model does
not know counts as wrong and its letter is listed under ``missing_letters``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier, Reading
from ml.reading.decode import PictureError, read_picture_file
from ml.training.data import scan_folder


@dataclass
class Report:
    """Evaluation figures; :meth:`as_json` is the stable form scripts read."""

    model: str
    n: int
    correct: int
    rejected: int
    per_letter: dict[str, float]
    per_letter_n: dict[str, int]
    confused_pairs: list[dict]
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    missing_letters: list[str] = field(default_factory=list)
    unknown_folders: list[str] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def as_json(self) -> dict:
        return {"accuracy": round(self.accuracy, 4), **asdict(self)}


def summarize(
    model: str,
    truth: list[str],
    predicted: list[str | None],
    verdicts: list[str],
    known_letters: tuple[str, ...] = LETTERS,
    top_pairs: int = 10,
) -> Report:
    """A :class:`Report` from true letters, predictions (``None`` = rejected) and verdicts."""
    per_letter_n = Counter(truth)
    per_letter_correct = Counter(t for t, p in zip(truth, predicted, strict=True) if t == p)
    pairs = Counter(
        (t, p) for t, p in zip(truth, predicted, strict=True) if p is not None and t != p
    )
    confusion: dict[str, dict[str, int]] = {}
    for t, p in zip(truth, predicted, strict=True):
        row = confusion.setdefault(t, {})
        row[p or "rejected"] = row.get(p or "rejected", 0) + 1
    order = {letter: i for i, letter in enumerate(LETTERS)}
    letters = sorted(per_letter_n, key=lambda x: order.get(x, len(order)))
    return Report(
        model=model,
        n=len(truth),
        correct=sum(per_letter_correct.values()),
        rejected=sum(p is None for p in predicted),
        per_letter={x: round(per_letter_correct[x] / per_letter_n[x], 4) for x in letters},
        per_letter_n={x: per_letter_n[x] for x in letters},
        confused_pairs=[
            {"true": t, "predicted": p, "count": c} for (t, p), c in pairs.most_common(top_pairs)
        ],
        rejected_by_reason=dict(Counter(v for v in verdicts if v != "ok")),
        missing_letters=[x for x in letters if x not in known_letters],
        confusion={x: confusion[x] for x in letters},
    )


def evaluate_folder(classifier: Classifier, root: Path | str, batch_size: int = 256) -> Report:
    """Read every picture under ``root/<letter>/`` and compare with its folder's letter."""
    scan = scan_folder(root)
    truth, predicted, verdicts = [], [], []
    for start in range(0, len(scan.files), batch_size):
        chunk = scan.files[start : start + batch_size]
        readings = _read_files(classifier, [path for path, _ in chunk])
        for (_, letter), reading in zip(chunk, readings, strict=True):
            truth.append(letter)
            predicted.append(reading.letter)
            verdicts.append(reading.verdict)
    report = summarize(classifier.version, truth, predicted, verdicts, classifier.letters)
    report.unknown_folders = scan.unknown_folders
    return report


def file_contents(paths: list[Path]) -> list[bytes | PictureError]:
    """Each file's bytes, or why it is refused unread (too large, unreadable)."""
    contents: list[bytes | PictureError] = []
    for path in paths:
        try:
            contents.append(read_picture_file(path))
        except PictureError as refused:
            contents.append(refused)
    return contents


def _read_files(classifier: Classifier, paths: list[Path]) -> list[Reading]:
    """Read the pictures at ``paths`` in one batch; a file too large to read is refused unread."""
    contents = file_contents(paths)
    readable = iter(classifier.read_many([c for c in contents if isinstance(c, bytes)]))
    return [
        next(readable) if isinstance(c, bytes) else Reading(c.code, c.message) for c in contents
    ]
