"""Syllable pictures as model inputs: labelled sets for training and measuring, in the served
canonical form (:mod:`ml.reading.blocks`), reached through the same ink finding as pictures
learners send (:func:`ml.reading.preprocess.find_ink`).

A :class:`SyllableSet` stores the canonical blocks as uint8 (ink = 255) with labels ``(initial,
medial, final)``, indices into :data:`~ml.reading.alphabet.INITIALS`,
:data:`~ml.reading.alphabet.MEDIALS` and :data:`~ml.reading.alphabet.FINALS`, and a kind (an index
into :data:`ml.reading.blocks.KINDS`): besides syllables, single letters and junk teach the kind
head what is not a syllable (their letter labels are :data:`NO_LABEL`, which the loss skips).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from ml.reading.alphabet import FINALS, INITIALS, LETTERS, MEDIALS, decompose, everyday_syllables
from ml.reading.blocks import BLOCK_SIZE, KINDS, Blocks, canonical_block
from ml.reading.ink import grow
from ml.reading.preprocess import canonical_from_bytes, dark_ink
from ml.training import junk
from ml.training.recipe import held_out_fonts, training_fonts
from ml.training.rejection import PICTURE_STYLES
from ml.training.syllable_synth import (
    SIZE,
    SyllablePicture,
    font_picture,
    pick_syllables,
    syllable_pictures,
)
from ml.writing.fonts import covers
from ml.writing.held_out import HELD_OUT_SEED
from ml.writing.informal import HELD_OUT_STYLES, TRAINING_STYLES, informal_letter
from ml.writing.real_syllables import real_blocks
from ml.writing.strokes import render_letter
from ml.writing.syllables import font_syllable, render_syllable, render_word

NO_LABEL = -100
JUNK_KINDS = ("symbols", "doodles", "blobs", "textures", "scenes", "arcs", "faces", "noise")
"""The letter training's junk kinds that are junk for a syllable reader too (its font syllables
and side-by-side jamo are not)."""
KIND_SHARE = 0.25
"""Letters and junk added to a training set, as a share of its syllables (half each)."""
PICTURED_SHARE = 0.25
"""Share of a training set's pictures (syllables, letters and junk alike) sent as a phone photo,
a drawing app's screenshot or a transparent PNG and read back through the preprocessing, as a
learner's picture is (:func:`pictured_block`)."""
PICTURED_STYLE_ODDS = (0.6, 0.2, 0.2)
"""How often a pictured block is a phone photo, a screenshot or a transparent PNG
(:data:`ml.training.rejection.PICTURE_STYLES`): photos, the farthest from clean drawings, most."""
PICTURE_PAD = 24
"""White border around a drawn block sent as a picture (a learner leaves room around it)."""
PICTURED_WORDS = 0.06
"""Words of 2-4 syllables sent as pictures and cut into blocks (:func:`pictured_words`), as a
share of a training set's syllable pictures: blocks as small as a word's in a photo."""
REAL_PER_WRITER = 1200
"""Blocks made of each training writer's own letter pictures in one round
(:func:`real_letter_pictures`)."""
REAL_ROUNDS = 3
"""Rounds of such blocks: each round other syllables and other pictures of their letters."""
Writers = dict[str, dict[str, list[np.ndarray]]]
"""Real letter pictures (uint8, dark on white) by writer and letter."""


def canonical_syllable(image: np.ndarray) -> np.ndarray | None:
    """The canonical block (float32, ink = 1) of a picture of one block (uint8, dark ink on
    white), or ``None`` when preprocessing finds no writing in it."""
    found = dark_ink(image)
    if not hasattr(found, "mask"):
        return None
    return canonical_block(np.where(grow(found.mask, 1), found.ink, 0.0))


def pictured_block(image: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """The canonical block of all the writing in ``image`` (uint8, dark ink on white) sent in a
    picture style chosen by ``rng`` and read back as the reader reads learners' pictures
    (:func:`ml.reading.preprocess.canonical_from_bytes` with blocks): blurred or thickened
    strokes, page edges and shadows next to the writing. ``None`` when no writing is found."""
    found = _pictured_writing(lambda _: image, rng)
    return None if found is None else found.whole


def _pictured_writing(
    draw: Callable[[np.random.Generator], np.ndarray], rng: np.random.Generator
) -> Blocks | None:
    """The writing ``draw(rng)`` makes (uint8, dark ink on white), sent in a picture style
    chosen by ``rng`` first (:data:`PICTURED_STYLE_ODDS`, with a :data:`PICTURE_PAD` border)
    and found again, cut into blocks, by the reader's preprocessing."""
    style = PICTURE_STYLES[int(rng.choice(len(PICTURE_STYLES), p=PICTURED_STYLE_ODDS))]
    picture = style(np.pad(draw(rng), PICTURE_PAD, constant_values=255), rng)
    return canonical_from_bytes(picture, blocks=True).writing


def pictured_word(
    syllables: Sequence[str], rng: np.random.Generator
) -> list[tuple[str, np.ndarray]]:
    """A word of ``syllables`` drawn by a stroke writer from ``rng``, sent as a picture
    (:func:`pictured_block`'s styles) and cut into blocks as the reader cuts learners' words:
    each block with its syllable, or none when the cut finds another number of blocks."""
    word = "".join(syllables)
    found = _pictured_writing(lambda chosen: render_word(word, chosen), rng)
    if found is None or len(found.images) != len(word):
        return []
    return list(zip(word, found.images, strict=True))


def syllable_labels(syllable: str) -> tuple[int, int, int]:
    """Indices of the syllable's initial, medial and final (0 = none)."""
    initial, medial, final = decompose(syllable)
    return INITIALS.index(initial), MEDIALS.index(medial), FINALS.index(final)


def _labels(picture: SyllablePicture) -> tuple[int, int, int]:
    if picture.kind == "syllable":
        return syllable_labels(picture.syllable)
    return NO_LABEL, NO_LABEL, NO_LABEL


@dataclass
class SyllableSet:
    """Canonical syllable pictures with their letters."""

    images: np.ndarray
    """uint8 (n, size, size), ink = 255."""
    labels: np.ndarray
    """int64 (n, 3): initial, medial and final indices."""
    kinds: np.ndarray
    """int64 (n,): index into :data:`ml.reading.blocks.KINDS`."""
    syllables: list[str]
    sources: list[str]
    """What drew each picture: ``strokes``, ``informal:<style>``, ``font:<file name>``."""

    def __len__(self) -> int:
        return len(self.labels)

    def subset(self, keep: np.ndarray) -> SyllableSet:
        """The pictures where the boolean mask ``keep`` is true."""
        return SyllableSet(
            self.images[keep],
            self.labels[keep],
            self.kinds[keep],
            [s for s, k in zip(self.syllables, keep, strict=True) if k],
            [s for s, k in zip(self.sources, keep, strict=True) if k],
        )

    @staticmethod
    def concat(sets: Sequence[SyllableSet]) -> SyllableSet:
        """The pictures of ``sets``, one after another."""
        return SyllableSet(
            np.concatenate([s.images for s in sets]),
            np.concatenate([s.labels for s in sets]),
            np.concatenate([s.kinds for s in sets]),
            [x for s in sets for x in s.syllables],
            [x for s in sets for x in s.sources],
        )

    def from_source(self, kind: str) -> SyllableSet:
        """The pictures whose source is ``kind`` (``strokes``, ``informal`` or ``font``)."""
        return self.subset(np.array([s.split(":")[0] == kind for s in self.sources], bool))

    def of_kind(self, kind: str) -> SyllableSet:
        """The pictures of one kind (``syllable``, ``letter``, ``not_writing``)."""
        return self.subset(self.kinds == KINDS.index(kind))


def syllable_set(
    pictures: Sequence[SyllablePicture], pictured: float = 0.0, seed: int = 0, workers: int = 1
) -> SyllableSet:
    """The canonical form of each picture, with its labels; ``pictured``: the share of them
    (chosen at random from ``seed``) sent as pictures first (:func:`pictured_block`, in
    ``workers`` processes); pictures in which preprocessing finds no writing are left out."""
    rngs = [np.random.default_rng([seed, i, 11]) for i in range(len(pictures))]
    sent = [i for i, rng in enumerate(rngs) if rng.random() < pictured]
    drawn = [pictures[i].image for i in sent]
    chosen = [rngs[i] for i in sent]
    read_back = _mapped(pictured_block, drawn, chosen, workers=workers, chunksize=32)
    blocks = dict(zip(sent, read_back, strict=True))
    kept, images = [], []
    for i, picture in enumerate(pictures):
        image = blocks[i] if i in blocks else canonical_syllable(picture.image)
        if image is not None:
            kept.append(picture)
            images.append(np.round(image * 255).astype(np.uint8))
    stacked = np.stack(images) if images else np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.uint8)
    labels = np.array([_labels(p) for p in kept], np.int64).reshape(-1, 3)
    kinds = np.array([KINDS.index(p.kind) for p in kept], np.int64)
    return SyllableSet(stacked, labels, kinds, [p.syllable for p in kept], [p.source for p in kept])


def pictured_words(
    syllables: Sequence[str], count: int, seed: int = 0, workers: int = 1
) -> SyllableSet:
    """The blocks of ``count`` words of 2-4 of ``syllables`` (:func:`pictured_word`, in
    ``workers`` processes), each labelled with its syllable; source ``word``."""
    rngs = [np.random.default_rng([seed, i, 13]) for i in range(count)]
    words = [list(rng.choice(syllables, 2 + i % 3)) for i, rng in enumerate(rngs)]
    cut = _mapped(pictured_word, words, rngs, workers=workers, chunksize=8)
    blocks = [block for word in cut for block in word]
    images = [np.round(image * 255).astype(np.uint8) for _, image in blocks]
    return SyllableSet(
        np.stack(images) if images else np.zeros((0, BLOCK_SIZE, BLOCK_SIZE), np.uint8),
        np.array([syllable_labels(s) for s, _ in blocks], np.int64).reshape(-1, 3),
        np.full(len(blocks), KINDS.index("syllable"), np.int64),
        [s for s, _ in blocks],
        ["word"] * len(blocks),
    )


def real_letter_pictures(
    writers: Writers, per_writer: int = REAL_PER_WRITER, rounds: int = REAL_ROUNDS, seed: int = 0
) -> list[SyllablePicture]:
    """Everyday syllables made of real writers' own letter pictures
    (:func:`ml.writing.real_syllables.real_blocks`), up to ``per_writer`` of each writer in each
    of ``rounds`` rounds; source ``real:<writer>``."""
    return [
        SyllablePicture(block.syllable, f"real:{block.writer}", block.image)
        for r in range(rounds)
        for block in real_blocks(writers, per_writer, seed=seed * rounds + r)
    ]


def training_set(
    count: int,
    per_syllable: int,
    seed: int = 0,
    pictured: float = PICTURED_SHARE,
    word_share: float = PICTURED_WORDS,
    workers: int = 1,
    real: Sequence[SyllablePicture] = (),
) -> SyllableSet:
    """:func:`training_pictures` and ``real`` (blocks of real letters,
    :func:`real_letter_pictures`) in canonical form, ``pictured`` of them sent as pictures
    first, with the blocks of ``word_share`` as many pictured words (``pictured`` 0: none)
    of the drawn syllables."""
    pictures = training_pictures(count, per_syllable, seed)
    syllables = sorted({p.syllable for p in pictures if p.kind == "syllable"})
    pictures += real
    drawn = syllable_set(pictures, pictured, seed, workers)
    words = round(word_share * count * per_syllable) if pictured > 0 else 0
    return SyllableSet.concat([drawn, pictured_words(syllables, words, seed, workers)])


def _mapped(function: Callable, *arguments: Sequence, workers: int, chunksize: int) -> list:
    """``function`` over ``arguments`` in order, in ``workers`` processes when that many have
    more than one job each."""
    if workers > 1 and len(arguments[0]) > workers:
        with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
            return list(pool.map(function, *arguments, chunksize=chunksize))
    return list(map(function, *arguments))


def letter_pictures(
    count: int, seed: int, styles: Sequence[str] = TRAINING_STYLES
) -> list[SyllablePicture]:
    """``count`` pictures of single letters (kind ``letter``), by stroke writers, informal
    writers of ``styles`` and training fonts in turn."""
    fonts = training_fonts()
    pictures = []
    for i in range(count):
        rng = np.random.default_rng([seed, i, 7])
        letter = LETTERS[i % len(LETTERS)]
        turn = i // len(LETTERS) % 3
        if turn == 1 and styles:
            image, source = informal_letter(letter, styles[i % len(styles)], rng), "informal"
        elif turn == 2 and fonts:
            font = fonts[i % len(fonts)]
            image, source = font_syllable(letter, font, rng, size=SIZE), f"font:{font.name}"
        else:
            image, source = render_letter(letter, rng, size=SIZE), "strokes"
        pictures.append(SyllablePicture(letter, f"letter:{source}", image, kind="letter"))
    return pictures


def junk_pictures(count: int, seed: int) -> list[SyllablePicture]:
    """``count`` pictures of things that are no writing (kind ``not_writing``), the letter
    training's :data:`JUNK_KINDS` in turn."""
    fonts = training_fonts()
    pictures = []
    for i in range(count):
        name = JUNK_KINDS[i % len(JUNK_KINDS)]
        image = junk.KINDS[name](np.random.default_rng([seed, i, 8]), fonts)
        if image is not None:
            pictures.append(SyllablePicture("", f"junk:{name}", image, kind="not_writing"))
    return pictures


def training_pictures(count: int, per_syllable: int, seed: int = 0) -> list[SyllablePicture]:
    """``per_syllable`` pictures of each of ``count`` picked syllables (mostly everyday ones),
    by stroke writers, informal writers and training fonts in turn, and :data:`KIND_SHARE` as
    many letters and junk."""
    syllables = syllable_pictures(pick_syllables(count, seed), per_syllable, training_fonts(), seed)
    others = round(KIND_SHARE * len(syllables) / 2)
    return syllables + letter_pictures(others, seed) + junk_pictures(others, seed)


def held_out_pictures(
    per_syllable: int = 1, syllables: Sequence[str] | None = None
) -> list[SyllablePicture]:
    """All 2,350 everyday syllables (or ``syllables``), ``per_syllable`` times by held-out stroke
    writers (:data:`HELD_OUT_SEED`) and ``per_syllable`` times in a held-out font that covers it
    (the fonts taken in turn)."""
    fonts = held_out_fonts()
    pictures = []
    for k, syllable in enumerate(everyday_syllables() if syllables is None else syllables):
        covering = [font for font in fonts if covers(font, syllable)]
        for i in range(per_syllable):
            rng = np.random.default_rng([HELD_OUT_SEED, k, i])
            image = render_syllable(syllable, rng, size=SIZE)
            pictures.append(SyllablePicture(syllable, "strokes", image))
            if covering:
                font = covering[(k * per_syllable + i) % len(covering)]
                in_font = font_picture(syllable, font, rng)
                if in_font is not None:
                    pictures.append(in_font)
    return pictures


def held_out_syllables(per_syllable: int = 1) -> SyllableSet:
    """:func:`held_out_pictures` in canonical form."""
    return syllable_set(held_out_pictures(per_syllable))


def held_out_letters(per_letter: int = 10) -> list[SyllablePicture]:
    """Single letters by held-out writers, in the informal styles never trained on among them
    (kind ``letter``), to measure the kind head by."""
    return letter_pictures(per_letter * len(LETTERS), HELD_OUT_SEED, HELD_OUT_STYLES)
