"""Reading quality where it matters: unseen writers and fonts, phone photos, screens, junk.

* :func:`absent_letters`: the 10 letters the real data lacks, read from synthetic writers and
  fonts that training never saw (stroke writers from another seed, the held-out fonts).
* :func:`informal_styles`: pictures by held-out stroke writers with informal habits
  (:mod:`ml.writing.informal`), in the styles training draws from and in the held-out ones, read
  as pictures; and the robustness suite's junk, which must still be refused.
* :func:`upscaled_agreement`: every letter of a folder read as it is and upscaled ten times with
  soft edges on clipped white (:func:`ml.writing.picture_styles.upscaled`): the readings must
  agree; as a baseline in the same run, how many agree when the picture only gains a thin white
  border (what a change of the picture too small to lose a stroke flips at the models'
  boundaries).
* :func:`robustness`: a model trained without one writer block reads that block's letters as
  clean crops and as phone photos, drawing-app screenshots and transparent PNGs (from
  :mod:`ml.evaluation.robustness`), must refuse junk, and must answer every hostile file with a
  verdict.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.evaluate import Report, evaluate_folder, summarize
from ml.evaluation.robustness import build_suite, file_rng
from ml.evaluation.suite_junk import JUNK_KINDS
from ml.reading.alphabet import DATASET30_LETTERS, LETTERS
from ml.reading.classifier import Classifier, in_quiz_context
from ml.training.data import LetterSet
from ml.training.recipe import held_out_fonts
from ml.training.synth import font_letters, stroke_letters
from ml.writing.held_out import HELD_OUT_SEED
from ml.writing.informal import HELD_OUT_STYLES, informal_letter
from ml.writing.informal import STYLES as INFORMAL_STYLES
from ml.writing.picture_styles import encode, photo_version, upscaled

STYLES = ("clean", "photo", "screen", "alpha", "smooth")
"""The robustness suite's versions of each letter."""
ABSENT_LETTERS = tuple(x for x in LETTERS if x not in DATASET30_LETTERS)
BORDER = 2
"""The white border (px) of :func:`upscaled_agreement`'s baseline."""


def score(classifier: Classifier, data: LetterSet) -> Report:
    """How ``classifier`` reads canonical images ("not a letter" counts as wrong)."""
    read = read_letters(classifier, data)
    return score_readings(classifier.version, read, data, classifier.letters)


def read_letters(classifier: Classifier, data: LetterSet) -> list[str | None]:
    """The letter ``classifier`` reads in each canonical image of ``data`` (None: not a letter)."""
    probabilities = classifier.probabilities(data.images.astype(np.float32) / 255.0)
    indices = classifier.letter_indices(probabilities)
    return [classifier.letters[i] if i >= 0 else None for i in indices]


def score_readings(
    version: str, read: list[str | None], data: LetterSet, known: tuple[str, ...] = LETTERS
) -> Report:
    """How right the letters ``read`` in ``data`` are ("not a letter", None, counts as wrong);
    ``known``: the letters the reader knows."""
    truth = [LETTERS[i] for i in data.labels]
    verdicts = ["ok" if letter else "not_a_letter" for letter in read]
    return summarize(version, truth, read, verdicts, known)


def _accuracy(classifier: Classifier, data: LetterSet) -> dict:
    """Accuracy, count and per-letter accuracy of ``classifier`` on canonical images."""
    report = score(classifier, data)
    return {
        "accuracy": round(report.accuracy, 4),
        "n": report.n,
        "rejected": report.rejected,
        "per_letter": report.per_letter,
    }


def absent_letters(classifier: Classifier, per_letter: int = 100) -> dict:
    """Accuracy on the 10 absent letters from held-out stroke writers and held-out fonts."""
    writers = stroke_letters(per_letter, ABSENT_LETTERS, seed=HELD_OUT_SEED)
    fonts = font_letters(held_out_fonts(), per_letter, ABSENT_LETTERS, seed=HELD_OUT_SEED)
    both = LetterSet.concat([writers, fonts])
    return {
        "letters": "".join(ABSENT_LETTERS),
        "held_out_stroke_writers": _accuracy(classifier, writers),
        "held_out_fonts": _accuracy(classifier, fonts),
        "overall": _accuracy(classifier, both)["accuracy"],
    }


def informal_pictures(
    per_letter: int = 10, photos_per_letter: int = 3
) -> dict[str, tuple[list[bytes], list[str]]]:
    """The informal test pictures: for each style of :data:`ml.writing.informal.STYLES`,
    ``per_letter`` PNG pictures of each of the 40 letters by writers of the held-out seed
    (``"<style>"``) and ``photos_per_letter`` phone photos of them (``"<style>/photo"``, only
    when asked for)."""
    sets: dict[str, tuple[list[bytes], list[str]]] = {}
    for style in INFORMAL_STYLES:
        sets[style] = ([], [])
        if photos_per_letter > 0:
            sets[f"{style}/photo"] = ([], [])
        for label, letter in enumerate(LETTERS):
            for i in range(max(per_letter, photos_per_letter)):
                rng = np.random.default_rng([HELD_OUT_SEED, label, i, 2])
                picture = informal_letter(letter, style, rng)
                if i < per_letter:
                    sets[style][0].append(encode(Image.fromarray(picture)))
                    sets[style][1].append(letter)
                if i < photos_per_letter:
                    sets[f"{style}/photo"][0].append(photo_version(picture, rng))
                    sets[f"{style}/photo"][1].append(letter)
    return sets


def junk_pictures(per_kind: int = 40) -> dict[str, list[bytes]]:
    """``per_kind`` pictures of each of the robustness suite's junk kinds, from the held-out
    seed."""
    return {
        kind: [make(file_rng(HELD_OUT_SEED, kind, n)) for n in range(per_kind)]
        for kind, make in JUNK_KINDS.items()
    }


def informal_styles(
    classifier: Classifier,
    pictures: dict[str, tuple[list[bytes], list[str]]],
    junk: dict[str, list[bytes]],
) -> dict:
    """How ``classifier`` reads the :func:`informal_pictures`: accuracy per style and as
    photos (``in_quiz``: sent to a quiz asking for the letter, :func:`in_quiz_context`), the
    held-out styles and the training styles together, the share of letters refused, and the
    :func:`junk_pictures`: the share refused, and the share a quiz would accept as the letter it
    asks (the worst letter, and the mean over letters)."""
    figures: dict = {"held_out_styles": list(HELD_OUT_STYLES)}
    for name, (data, truth) in pictures.items():
        readings = classifier.read_many(data)
        read = [r.letter for r in readings]
        verdicts = [r.verdict for r in readings]
        report = summarize(classifier.version, truth, read, verdicts, top_pairs=5)
        in_quiz = [in_quiz_context(r, t).letter == t for r, t in zip(readings, truth, strict=True)]
        figures[name] = {
            "accuracy": round(report.accuracy, 4),
            "in_quiz": round(float(np.mean(in_quiz)), 4),
            "n": report.n,
            "rejected": report.rejected,
            "rejected_by_reason": report.rejected_by_reason,
            "confused_pairs": report.confused_pairs,
        }

    def pooled(names: list[str], key: str = "accuracy") -> float | None:
        rows = [figures[n] for n in names if n in figures]
        if not rows:
            return None
        return round(sum(r[key] * r["n"] for r in rows) / sum(r["n"] for r in rows), 4)

    trained = [s for s in INFORMAL_STYLES if s not in HELD_OUT_STYLES]
    figures["held_out"] = pooled(list(HELD_OUT_STYLES))
    figures["held_out_in_quiz"] = pooled(list(HELD_OUT_STYLES), "in_quiz")
    figures["held_out_photos"] = pooled([f"{s}/photo" for s in HELD_OUT_STYLES])
    figures["training_styles"] = pooled(trained)
    figures["training_styles_photos"] = pooled([f"{s}/photo" for s in trained])
    figures["letters_rejected"] = round(
        sum(figures[n]["rejected"] for n in pictures) / sum(figures[n]["n"] for n in pictures), 4
    )
    figures["junk"] = _junk_rejection(classifier, junk)
    return figures


def upscaled_agreement(classifier: Classifier, files: list[str], truth: list[str]) -> dict:
    """How many of the pictures in ``files`` (true letters ``truth``) ``classifier`` reads the
    same as they are and upscaled (:func:`ml.writing.picture_styles.upscaled`), and the ones it
    reads differently: file, truth, reading of each (``None``: refused); ``bordered_same``: how
    many it reads the same with a white border of :data:`BORDER` px around them."""
    originals = [Path(f).read_bytes() for f in files]
    greys = [np.asarray(Image.open(io.BytesIO(data)).convert("L")) for data in originals]
    as_they_are = classifier.read_many(originals)
    enlarged = classifier.read_many([upscaled(g) for g in greys])
    bordered = classifier.read_many(
        [encode(Image.fromarray(np.pad(g, BORDER, constant_values=255))) for g in greys]
    )
    differ = [
        {"file": f, "truth": t, "original": a.letter, "upscaled": b.letter}
        for f, t, a, b in zip(files, truth, as_they_are, enlarged, strict=True)
        if a.letter != b.letter
    ]
    return {
        "n": len(files),
        "same": len(files) - len(differ),
        "original_right": sum(a.letter == t for a, t in zip(as_they_are, truth, strict=True)),
        "upscaled_right": sum(b.letter == t for b, t in zip(enlarged, truth, strict=True)),
        "differ": differ,
        "bordered_same": sum(
            a.letter == b.letter for a, b in zip(as_they_are, bordered, strict=True)
        ),
    }


def _junk_rejection(classifier: Classifier, junk: dict[str, list[bytes]]) -> dict:
    """Junk pictures by kind: the share refused, per kind and overall, and the share a quiz
    would accept as the letter it asks for."""
    refused: dict[str, float] = {}
    accepted_in_quiz = np.zeros(len(LETTERS))
    total = 0
    for kind, data in junk.items():
        readings = classifier.read_many(data)
        refused[kind] = round(float(np.mean([r.verdict != "ok" for r in readings])), 4)
        for reading in readings:
            best = reading.top[0][0] if reading.top else None
            if best and in_quiz_context(reading, best).verdict == "ok":
                accepted_in_quiz[LETTERS.index(best)] += 1
        total += len(readings)
    return {
        "rejected": round(float(np.mean(list(refused.values()))), 4),
        "per_kind": refused,
        "accepted_in_quiz_worst_letter": round(float(accepted_in_quiz.max() / total), 4),
        "accepted_in_quiz_mean": round(float(accepted_in_quiz.mean() / total), 4),
    }


def _verdicts(classifier: Classifier, root: Path) -> dict[str, dict[str, int]]:
    """For each ``root/<kind>/`` folder, how many of its files got each verdict."""
    per_kind = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        readings = classifier.read_many([f.read_bytes() for f in sorted(folder.iterdir())])
        per_kind[folder.name] = dict(Counter(r.verdict for r in readings))
    return per_kind


def _rejection(classifier: Classifier, root: Path) -> dict:
    """Share of pictures under ``root/<kind>/`` that get a verdict other than ``ok``."""
    per_kind = {
        kind: round(1 - verdicts.get("ok", 0) / sum(verdicts.values()), 4)
        for kind, verdicts in _verdicts(classifier, root).items()
    }
    return {"rejected": round(float(np.mean(list(per_kind.values()))), 4), "per_kind": per_kind}


def robustness(
    classifier: Classifier,
    letters: LetterSet,
    seed: int = 0,
    junk_per_kind: int = 40,
) -> dict:
    """Build the suite from ``letters`` (unseen by ``classifier``) and read every part of it."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        counts = build_suite(letters, root, seed=seed, junk_per_kind=junk_per_kind)
        figures: dict = {"counts": counts}
        for style in STYLES:
            report = evaluate_folder(classifier, root / style)
            figures[style] = {
                "accuracy": round(report.accuracy, 4),
                "n": report.n,
                "rejected": report.rejected,
                "rejected_by_reason": report.rejected_by_reason,
            }
        real = sum(figures[s]["rejected"] for s in STYLES)
        pictures = sum(figures[s]["n"] for s in STYLES)
        figures["letters_rejected"] = round(real / pictures, 4)
        figures["junk"] = _rejection(classifier, root / "junk")
        figures["hostile_verdicts"] = _verdicts(classifier, root / "hostile")
        for style in STYLES[1:]:
            figures[f"{style}_minus_clean"] = round(
                figures[style]["accuracy"] - figures["clean"]["accuracy"], 4
            )
    return figures


def letters_by_index(data: LetterSet, per_letter: int, seed: int = 0) -> LetterSet:
    """Up to ``per_letter`` images of each letter in ``data``, chosen at random."""
    rng = np.random.default_rng(seed)
    keep = np.concatenate(
        [
            rng.permutation(np.flatnonzero(data.labels == label))[:per_letter]
            for label in np.unique(data.labels)
        ]
    )
    mask = np.zeros(len(data), bool)
    mask[keep] = True
    return data.subset(mask)
