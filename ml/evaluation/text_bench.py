"""The shipped letter and syllable readers together, measured on pictures, end to end (bytes
in, text out, :class:`ml.reading.text.TextReader`):

* **syllables** by held-out stroke writers (seed 1000), every ``stride``-th everyday syllable, as
  clean PNGs and as phone photos, drawing-app screenshots and transparent PNGs
  (:mod:`ml.writing.picture_styles`): whole syllable and each letter position;
* **rare syllables**: blocks outside the everyday 2,350 (a fifth of the reader's training
  syllables come from them) by the same writers, clean and as phone photos: a sample of all of
  them, and of the densest layout, a compound vowel over a double final (뷁, 꿻);
* **words** of 1-4 everyday syllables by held-out writers, as PNGs and as phone photos; and the
  photos sent to a quiz that asks for them, graded right by the best letters alone (``strict``)
  and with the quiz's context (``in_context``, :func:`ml.reading.syllables.counts_as_asked`),
  beside the same words written with one letter as its look-alike (``mistaken``,
  :func:`ml.writing.mistakes.mistaken`), which must still be graded wrong;
* **real letters**: blocks built from the dev writers' own letter pictures
  (:mod:`ml.writing.real_syllables`), per writer and pooled over the writers the syllable
  reader never trained on;
* **letters**: the held-out informal writers' single letters, which must still be read as
  letters (the router's kind);
* **separate letters**: a consonant, a vowel and sometimes a final written side by side rather
  than as one block (ㄱ ㅗ for 고, a beginner's mistake), by held-out stroke writers, clean and as
  phone photos: read as those letters, in order (kind ``letters``)?
* **speed**: a 12 MP phone photo of a word, p50/p95 from bytes to text; canonical blocks per
  second through the syllable model in batches.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.text_evaluate import summarize_texts
from ml.reading.alphabet import (
    ALL_SYLLABLES,
    COMPOUND_FINALS,
    INITIALS,
    LETTERS,
    MEDIALS,
    MIXED_VOWELS,
    decompose,
    everyday_syllables,
)
from ml.reading.blocks import BLOCK_SIZE
from ml.reading.syllables import asked_places, counts_as_asked
from ml.reading.text import TextReader, TextReading
from ml.training.data import letters_by_writer
from ml.writing.held_out import HELD_OUT_SEED
from ml.writing.informal import HELD_OUT_STYLES, informal_letter
from ml.writing.mistakes import mistaken
from ml.writing.picture_styles import alpha_version, photo_version, screen_version
from ml.writing.real_syllables import real_blocks
from ml.writing.strokes import render_letter
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
    keep = (
        "accuracy",
        "best_guess_accuracy",
        "confidently_wrong_share",
        "n",
        "jamo_accuracy",
        "kind_accuracy",
    )
    return {key: report[key] for key in keep} | {"confused": report["confused"][:5]}


def syllable_figures(reader: TextReader, stride: int) -> dict:
    """Held-out writers' syllables, clean and in each picture style."""
    return _styled_figures(reader, list(everyday_syllables()[::stride]), STYLES)


def rare_syllables(count: int) -> dict[str, list[str]]:
    """``count`` syllables outside the everyday 2,350 (``all``) and ``count`` of those with a
    compound vowel over a double final (``dense``), a fixed sample."""
    rng = np.random.default_rng([HELD_OUT_SEED, 11])
    rare = sorted(set(ALL_SYLLABLES) - set(everyday_syllables()))
    dense = [
        s for s in rare if decompose(s)[1] in MIXED_VOWELS and decompose(s)[2] in COMPOUND_FINALS
    ]
    return {
        "all": [str(s) for s in rng.choice(rare, count, replace=False)],
        "dense": [str(s) for s in rng.choice(dense, count, replace=False)],
    }


def rare_figures(reader: TextReader, count: int) -> dict:
    """Held-out writers' :func:`rare_syllables`, clean and as phone photos."""
    return {
        group: _styled_figures(reader, syllables, {"photo": photo_version})
        for group, syllables in rare_syllables(count).items()
    }


def _styled_figures(
    reader: TextReader,
    syllables: list[str],
    styles: dict[str, Callable[[np.ndarray, np.random.Generator], bytes]],
) -> dict:
    drawn = [
        render_syllable(s, np.random.default_rng([HELD_OUT_SEED, k, 9]), size=96)
        for k, s in enumerate(syllables)
    ]
    figures = {"clean": _score(reader, syllables, [png(d) for d in drawn])}
    for name, style in styles.items():
        pictures = [
            style(padded(d), np.random.default_rng([HELD_OUT_SEED, k])) for k, d in enumerate(drawn)
        ]
        figures[name] = _score(reader, syllables, pictures)
    return figures


def word_figures(reader: TextReader, count: int) -> dict:
    """Held-out writers' words of 1-4 blocks, as PNGs and as phone photos, and those photos in a
    quiz (:func:`quiz_figures`)."""
    words = random_words(count, HELD_OUT_SEED)
    drawn = [_drawn_word(w, k) for k, w in enumerate(words)]
    photos = reader.read_many([_word_photo(d, k) for k, d in enumerate(drawn)])
    return {
        "clean": _score(reader, words, [png(d) for d in drawn]),
        "photo": _summary(reader.version, words, photos),
        "quiz": quiz_figures(reader, words, photos),
    }


def quiz_figures(reader: TextReader, words: list[str], photos: list[TextReading]) -> dict:
    """The share of the word photos ``photos`` (read from ``words`` as :func:`word_figures`
    draws them) graded right in a quiz that asks for each word, and of the same words written
    with one letter as its look-alike by the same hands, strictly and in the quiz's context."""
    mistakes = [
        (k, wrong)
        for k, word in enumerate(words)
        if (wrong := mistaken(word, np.random.default_rng([HELD_OUT_SEED, k, 5]))) is not None
    ]
    pictures = [_word_photo(_drawn_word(wrong, k), k) for k, wrong in mistakes]
    mistaken_read = reader.read_many(pictures)
    asked = [words[k] for k, _ in mistakes]

    def shares(truth: list[str], readings: list[TextReading]) -> dict:
        return {
            "strict": _share(truth, readings, context=False),
            "in_context": _share(truth, readings, context=True),
            "n": len(truth),
        }

    return {"right": shares(words, photos), "mistaken": shares(asked, mistaken_read)}


def graded_right(asked: str, reading: TextReading, context: bool) -> bool:
    """Whether a quiz that asked for the syllables ``asked`` grades ``reading`` right, as
    ``bot.core.text_grading.grade`` does: block for block, each letter the best one read in its
    place or, with ``context``, one that counts as asked for there."""
    if reading.kind not in ("syllable", "word") or len(reading.blocks) != len(asked):
        return False
    return all(
        counts_as_asked(top, letter) if context else top[0][0] == letter
        for _, _, letter, top in asked_places(asked, reading.blocks)
    )


def _share(asked: list[str], readings: list[TextReading], context: bool) -> float:
    right = [graded_right(a, r, context) for a, r in zip(asked, readings, strict=True)]
    return float(np.mean(right)) if right else 0.0


def _drawn_word(word: str, k: int) -> np.ndarray:
    rng = np.random.default_rng([HELD_OUT_SEED, k, 3])
    return render_word(word, rng) if len(word) > 1 else render_syllable(word, rng)


def _word_photo(drawn: np.ndarray, k: int) -> bytes:
    return photo_version(padded(drawn), np.random.default_rng([7, k]))


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


SIMPLE_FINALS = tuple("ㄱㄴㄹㅁㅂㅅㅇ")
"""Finals a learner's separate letters end with (the commonest in everyday syllables)."""


def letters_in_a_row(count: int, seed: int = HELD_OUT_SEED) -> tuple[list[str], list[np.ndarray]]:
    """``count`` pictures of a consonant and a vowel (a third with a final) written side by side,
    each letter by a stroke writer of ``seed`` (held out by default), 4-30 px apart at 80 px
    high; and their letters."""
    truth, drawn = [], []
    for k in range(count):
        rng = np.random.default_rng([seed, k, 8])
        letters = [str(rng.choice(INITIALS)), str(rng.choice(MEDIALS))]
        if k % 3 == 0:
            letters.append(str(rng.choice(SIMPLE_FINALS)))
        drawn.append(letters_side_by_side("".join(letters), int(rng.integers(4, 31)), rng))
        truth.append("".join(letters))
    return truth, drawn


def letters_side_by_side(letters: str, gap: int, rng: np.random.Generator) -> np.ndarray:
    """``letters`` each drawn 80 px high by the stroke writer of ``rng``, in a row ``gap`` px
    apart (uint8, dark on white), as a beginner writes a syllable's letters apart."""
    space = np.full((80, gap), 255, np.uint8)
    drawn = [render_letter(x, rng, size=80) for x in letters]
    return np.hstack([part for d in drawn for part in (d, space)][:-1])


def separate_letter_figures(reader: TextReader, count: int) -> dict:
    """:func:`letters_in_a_row`, clean and as phone photos: the share read as those letters in
    order, the share seen as separate letters at all, and the commonest other readings."""
    truth, drawn = letters_in_a_row(count)
    figures = {}
    for style, pictures in (
        ("clean", [png(d) for d in drawn]),
        (
            "photo",
            [
                photo_version(padded(d), np.random.default_rng([HELD_OUT_SEED, k]))
                for k, d in enumerate(drawn)
            ],
        ),
    ):
        readings = reader.read_many(pictures)
        read = [r.kind == "letters" and r.text == t for t, r in zip(truth, readings, strict=True)]
        other = Counter(
            (t, r.text or r.verdict)
            for t, r, ok in zip(truth, readings, read, strict=True)
            if not ok
        )
        figures[style] = {
            "n": count,
            "accuracy": round(sum(read) / count, 4),
            "seen_as_letters": round(sum(r.kind == "letters" for r in readings) / count, 4),
            "confused": [[t, str(r), n] for (t, r), n in other.most_common(5)],
        }
    return figures


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
        "rare": rare_figures(reader, 4 if quick else 470),
        "words": word_figures(reader, 8 if quick else 400),
        "real_letters": real_letter_figures(reader, data_root, 4 if quick else 400),
        "letters": letter_figures(reader, 1 if quick else 10),
        "separate_letters": separate_letter_figures(reader, 4 if quick else 200),
        "speed": speed_figures(reader, 3 if quick else 30),
    }
