"""Our own robustness suite: realistic degraded pictures of clean letters, and junk to reject.

Every clean letter picture becomes a phone ``photo``, a drawing-app ``screen`` shot, a
transparent ``alpha`` PNG and a ``smooth`` one (drawn large, soft edges, clipped white)
(:mod:`ml.writing.picture_styles`); junk and hostile files come from
:mod:`ml.evaluation.suite_junk`.

:func:`build_suite` writes a browsable tree::

    out/clean/<jamo>/<n>.png      the source letter (4x, nearest neighbour)
    out/photo/<jamo>/<n>.jpg      photo_version of the same letter (same n)
    out/screen/<jamo>/<n>.png
    out/alpha/<jamo>/<n>.png
    out/smooth/<jamo>/<n>.<ext>   png, jpg or webp
    out/junk/<kind>/<n>.<ext>     ext from the content (jpg or png)
    out/hostile/<kind>/<n>.<ext>  jpg or png, as an upload would be named

File ``n`` of folder ``f`` is drawn from ``np.random.default_rng([seed, crc32(f), n])``, so a seed
gives the same bytes every time and adding a kind never changes the other folders.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from ml.evaluation.suite_junk import HOSTILE_KINDS, JUNK_KINDS
from ml.reading.alphabet import LETTERS
from ml.training.data import LetterSet
from ml.writing.picture_styles import (
    Rng,
    alpha_version,
    encode,
    photo_version,
    screen_version,
    smooth_version,
)


def file_rng(seed: int, folder: str, n: int) -> Rng:
    """The generator of file ``n`` of ``folder`` for ``seed``."""
    return np.random.default_rng([seed, zlib.crc32(folder.encode()), n])


STYLES = {"screen": screen_version, "alpha": alpha_version, "smooth": smooth_version}


def _image_extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    return "webp" if data[8:12] == b"WEBP" else "jpg"


def _extension(kind: str, data: bytes) -> str:
    if kind != "wrong_extension" and data.startswith(b"\x89PNG"):
        return "png"
    return "jpg"


def build_suite(
    letters: LetterSet,
    out: Path | str,
    seed: int = 0,
    junk_per_kind: int = 40,
    photo_12mp_every: int = 25,
) -> dict[str, int]:
    """Write the suite under ``out`` (see the module docstring) and return the number of files
    per folder (``photo``, ``junk/doodle``, ...). Every ``photo_12mp_every``-th photo is taken
    at the full 12 MP (0: never); each junk and hostile kind gets ``junk_per_kind`` files."""
    out = Path(out)
    counts: dict[str, int] = {}

    def write(folder: str, name: str, data: bytes) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts[folder] = counts.get(folder, 0) + 1

    variants = (("photo", "jpg"), ("screen", "png"), ("alpha", "png"), ("smooth", None))
    for n, (image, label) in enumerate(zip(letters.images, letters.labels, strict=True)):
        source = 255 - image  # canonical (ink = 255) back to dark ink on white
        jamo = LETTERS[int(label)]
        big = Image.fromarray(source).resize(
            (source.shape[1] * 4, source.shape[0] * 4), Image.Resampling.NEAREST
        )
        write("clean", f"clean/{jamo}/{n}.png", encode(big))
        full = photo_12mp_every > 0 and (n + 1) % photo_12mp_every == 0
        for folder, ext in variants:
            rng = file_rng(seed, folder, n)
            if folder == "photo":
                data = photo_version(source, rng, full_size=full)
            else:
                data = STYLES[folder](source, rng)
            write(folder, f"{folder}/{jamo}/{n}.{ext or _image_extension(data)}", data)
    for group, kinds in (("junk", JUNK_KINDS), ("hostile", HOSTILE_KINDS)):
        for kind, make in kinds.items():
            folder = f"{group}/{kind}"
            for n in range(junk_per_kind):
                data = make(file_rng(seed, folder, n))
                write(folder, f"{folder}/{n}.{_extension(kind, data)}", data)
    return counts
