"""The shipped letter and syllable readers together, measured on pictures, end to end (bytes
in, text out, :class:`ml.reading.text.TextReader`):

* **syllables** by held-out stroke writers (seed 1000), every ``stride``-th everyday syllable, as
  clean PNGs and as phone photos, drawing-app screenshots and transparent PNGs
  (:mod:`ml.writing.picture_styles`): whole syllable and each letter position;
* **words** of 1-4 everyday syllables by held-out writers, as PNGs and as phone photos;
* **real letters**: blocks built from the dev writers' own letter pictures
  (:mod:`ml.writing.real_syllables`), per writer and pooled over the writers the syllable
  reader never trained on;
* **letters**: the held-out informal writers' single letters, which must still be read as
  letters (the router's kind);
* **speed**: a 12 MP phone photo of a word, p50/p95 from bytes to text; canonical blocks per
  second through the syllable model in batches.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.text_evaluate import summarize_texts
from ml.reading.alphabet import LETTERS, everyday_syllables
from ml.reading.blocks import BLOCK_SIZE
from ml.reading.text import TextReader, TextReading
from ml.training.data import letters_by_writer
from ml.writing.held_out import HELD_OUT_SEED
from ml.writing.informal import HELD_OUT_STYLES, informal_letter
from ml.writing.picture_styles import alpha_version, photo_version, screen_version
from ml.writing.real_syllables import real_blocks
from ml.writing.syllables import render_syllable, render_word

PAD = 24
"""White border around a drawn block or word (a learner leaves room around their writing)."""
STYLES: dict[str, Callable[[np.ndarray, np.random.Generator], bytes]] = {
    "photo": photo_version,
    "screen": screen_version,
    "alpha": alpha_version,
}


def padded(image: np.ndarray) -> np.ndarray:
    """``image`` (uint8, dark on white) with a white border of :data:`PAD` px."""
    return np.pad(image, PAD, constant_values=255)


def png(image: np.ndarray) -> bytes:
    """:func:`padded` ``image`` as PNG bytes."""
    out = io.BytesIO()
    Image.fromarray(padded(image)).save(out, "PNG")
    return out.getvalue()


def random_words(count: int, seed: int) -> list[str]:
    """``count`` words of 1-4 everyday syllables (a quarter of each length)."""
    rng = np.random.default_rng(seed)
    syllables = everyday_syllables()
    return ["".join(rng.choice(syllables, 1 + i % 4)) for i in range(count)]


def _score(reader: TextReader, truth: list[str], pictures: list[bytes]) -> dict:
    return _summary(reader.version, truth, reader.read_many(pictures))


def _summary(version: str, truth: list[str], readings: list[TextReading]) -> dict:
    report = summarize_texts(version, truth, readings).as_json()
    keep = ("accuracy", "best_guess_accuracy", "n", "jamo_accuracy", "kind_accuracy")
    return {key: report[key] for key in keep} | {"confused": report["confused"][:5]}


def syllable_figures(reader: TextReader, stride: int) -> dict:
    """Held-out writers' syllables, clean and in each picture style."""
    syllables = everyday_syllables()[::stride]
    drawn = [
        render_syllable(s, np.random.default_rng([HELD_OUT_SEED, k, 9]), size=96)
        for k, s in enumerate(syllables)
    ]
    figures = {"clean": _score(reader, syllables, [png(d) for d in drawn])}
    for name, style in STYLES.items():
        pictures = [
            style(padded(d), np.random.default_rng([HELD_OUT_SEED, k])) for k, d in enumerate(drawn)
        ]
        figures[name] = _score(reader, syllables, pictures)
    return figures


def word_figures(reader: TextReader, count: int) -> dict:
    """Held-out writers' words of 1-4 blocks, as PNGs and as phone photos."""
    words = random_words(count, HELD_OUT_SEED)
    drawn = [
        render_word(w, np.random.default_rng([HELD_OUT_SEED, k, 3]))
        if len(w) > 1
        else render_syllable(w, np.random.default_rng([HELD_OUT_SEED, k, 3]))
        for k, w in enumerate(words)
    ]
    photos = [photo_version(padded(d), np.random.default_rng([7, k])) for k, d in enumerate(drawn)]
    return {
        "clean": _score(reader, words, [png(d) for d in drawn]),
        "photo": _score(reader, words, photos),
    }


def real_letter_figures(reader: TextReader, data_root: Path, per_writer: int) -> dict:
    """Blocks made of the dev writers' own letters, per writer, and pooled over the writers
    whose letters the syllable reader was not trained on (``held_out``; its metadata names
    those it was: ``data.real_letter_writers``)."""
    writers = letters_by_writer(data_root)
    blocks = real_blocks(writers, per_writer, seed=HELD_OUT_SEED)
    trained = set(reader.syllables.stored.meta.get("data", {}).get("real_letter_writers", []))
    read = list(zip(blocks, reader.read_many([png(b.image) for b in blocks]), strict=True))

    def score(names: set[str]) -> dict:
        picked = [(b.syllable, r) for b, r in read if b.writer in names]
        return _summary(reader.version, [s for s, _ in picked], [r for _, r in picked])

    held_out = set(writers) - trained
    figures = {w: score({w}) for w in sorted(writers)}
    figures["held_out"] = score(held_out) | {"writers": sorted(held_out)}
    return figures


def letter_figures(reader: TextReader, per_letter: int) -> dict:
    """Held-out informal writers' single letters: still read as letters?"""
    truth, pictures = [], []
    for label, letter in enumerate(LETTERS):
        for i in range(per_letter):
            rng = np.random.default_rng([HELD_OUT_SEED, label, i, 2])
            style = HELD_OUT_STYLES[i % len(HELD_OUT_STYLES)]
            truth.append(letter)
            pictures.append(png(informal_letter(letter, style, rng)))
    return _score(reader, truth, pictures)


def speed_figures(reader: TextReader, repeats: int) -> dict:
    """p50/p95 ms of a 12 MP phone photo of a word, bytes to text; batched blocks per second."""
    rng = np.random.default_rng(HELD_OUT_SEED)
    word = padded(render_word("나무", rng))
    photo = photo_version(word, rng, full_size=True)
    reader.read(photo)  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        reader.read(photo)
        times.append(1000 * (time.perf_counter() - started))
    blocks = np.random.default_rng(0).random((2048, BLOCK_SIZE, BLOCK_SIZE), np.float32)
    started = time.perf_counter()
    reader.syllables.read(blocks)
    per_second = len(blocks) / (time.perf_counter() - started)
    return {
        "photo_12mp_word_ms": {
            "p50": round(float(np.percentile(times, 50)), 1),
            "p95": round(float(np.percentile(times, 95)), 1),
            "bytes": len(photo),
        },
        "blocks_per_second_batched": round(per_second),
    }


def text_bench(reader: TextReader, data_root: Path, quick: bool = False) -> dict:
    """Every figure of the module docstring (``quick``: a few of each, for a smoke run)."""
    return {
        "model": reader.version,
        "syllables": syllable_figures(reader, stride=235 if quick else 5),
        "words": word_figures(reader, 8 if quick else 400),
        "real_letters": real_letter_figures(reader, data_root, 4 if quick else 400),
        "letters": letter_figures(reader, 1 if quick else 10),
        "speed": speed_figures(reader, 3 if quick else 30),
    }
