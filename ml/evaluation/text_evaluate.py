"""Reading quality on a folder of pictures of letters, syllables and words (``가/``, ``나무/``,
``ㄱ/`` or ``g/``): how often the whole text is read, and how often each letter inside it.

``accuracy`` counts whole texts read with the verdict ``ok`` (an ``unsure`` reading, a refusal
or a wrong kind count as wrong); ``best_guess_accuracy`` also counts unsure readings whose best
guess was right; ``confidently_wrong_share`` is the share read ``ok`` as another text (a
confident wrong answer, which an ``unsure`` verdict or a refusal would have spared the learner).
``jamo_accuracy`` compares each block's initial, medial and final with the truth's (a picture
cut into the wrong number of blocks gets none of them), a letter as one part (``letter``), and
``all`` pools them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ml.evaluation.evaluate import file_contents
from ml.reading.alphabet import decompose, is_syllables, letter_from_folder
from ml.reading.classifier import Reading
from ml.reading.syllables import PARTS
from ml.reading.text import TextReader, TextReading, route
from ml.reading.verdicts import Verdict
from ml.training.data import scan_folder


@dataclass
class TextReport:
    """Evaluation figures of a text folder; :meth:`as_json` is the stable form scripts read."""

    model: str
    n: int
    correct: int
    best_guess_correct: int
    confidently_wrong: int
    """Pictures read with the verdict ``ok`` as another text than theirs."""
    jamo_accuracy: dict[str, float]
    per_kind: dict[str, float]
    per_kind_n: dict[str, int]
    kind_accuracy: float
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    confused: list[dict] = field(default_factory=list)
    unknown_folders: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def as_json(self) -> dict:
        best = self.best_guess_correct / self.n if self.n else 0.0
        wrong = self.confidently_wrong / self.n if self.n else 0.0
        return {
            "accuracy": round(self.accuracy, 4),
            "best_guess_accuracy": round(best, 4),
            "confidently_wrong_share": round(wrong, 4),
            **asdict(self),
        }


def text_of_folder(name: str) -> str | None:
    """The text a class folder stands for: syllables or a word in Hangul, or a letter (jamo or
    romanized name); ``None`` for anything else."""
    name = name.strip()
    if is_syllables(name):
        return name
    return letter_from_folder(name)


def kind_of(text: str) -> str:
    """``letter``, ``syllable`` or ``word``."""
    if not is_syllables(text):
        return "letter"
    return "syllable" if len(text) == 1 else "word"


def evaluate_text_folder(reader: TextReader, root: Path | str, batch: int = 64) -> TextReport:
    """Read every picture under ``root/<text>/`` and compare with its folder's text."""
    scan = scan_folder(root, text_of_folder)
    readings = []
    for start in range(0, len(scan.files), batch):
        readings += _read(reader, [path for path, _ in scan.files[start : start + batch]])
    truth = [text for _, text in scan.files]
    return summarize_texts(reader.version, truth, readings, scan.unknown_folders)


def summarize_texts(
    model: str, truth: list[str], readings: list[TextReading], unknown: list[str] = ()
) -> TextReport:
    """A :class:`TextReport` from the true texts and the readings."""
    right = [r.verdict == Verdict.OK and r.text == t for t, r in zip(truth, readings, strict=True)]
    guessed = [
        r.verdict in (Verdict.OK, Verdict.UNSURE) and r.text == t
        for t, r in zip(truth, readings, strict=True)
    ]
    kinds = [kind_of(t) for t in truth]
    per_kind_n = Counter(kinds)
    per_kind_right = Counter(k for k, ok in zip(kinds, right, strict=True) if ok)
    positions: Counter = Counter()
    for t, kind, r in zip(truth, kinds, readings, strict=True):
        if kind == "letter":
            positions["letter", "n"] += 1
            positions["letter", "right"] += r.kind == "letter" and r.text == t
            continue
        same = len(r.blocks) == len(t)
        for k, syllable in enumerate(t):
            for p, part in enumerate(decompose(syllable)):
                positions[PARTS[p], "n"] += 1
                positions[PARTS[p], "right"] += same and r.blocks[k].jamo[p][0][0] == part
    counted = [name for name in (*PARTS, "letter") if positions[name, "n"]]
    jamo = {name: round(positions[name, "right"] / positions[name, "n"], 4) for name in counted}
    total = sum(positions[name, "n"] for name in counted)
    jamo["all"] = (
        round(sum(positions[name, "right"] for name in counted) / total, 4) if total else 0.0
    )
    confused = Counter(
        (t, r.text or r.verdict) for t, r, ok in zip(truth, readings, right, strict=True) if not ok
    )
    return TextReport(
        model=model,
        n=len(truth),
        correct=sum(right),
        best_guess_correct=sum(guessed),
        confidently_wrong=sum(
            r.verdict == Verdict.OK and r.text != t for t, r in zip(truth, readings, strict=True)
        ),
        jamo_accuracy=jamo,
        per_kind={k: round(per_kind_right[k] / n, 4) for k, n in per_kind_n.items()},
        per_kind_n=dict(per_kind_n),
        kind_accuracy=round(
            sum(r.kind == k for k, r in zip(kinds, readings, strict=True)) / max(len(truth), 1), 4
        ),
        rejected_by_reason=dict(Counter(str(r.verdict) for r in readings if r.verdict != "ok")),
        confused=[
            {"true": t, "read": str(p), "count": c} for (t, p), c in confused.most_common(10)
        ],
        unknown_folders=list(unknown),
    )


def _read(reader: TextReader, paths: list[Path]) -> list[TextReading]:
    contents = file_contents(paths)
    readable = iter(reader.read_many([c for c in contents if isinstance(c, bytes)]))
    return [
        next(readable) if isinstance(c, bytes) else route(Reading(c.code, c.message), [])
        for c in contents
    ]
