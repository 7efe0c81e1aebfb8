"""Korean fonts on this machine, chosen by their character maps (not by how they look).

The project's set-up installs Debian's Korean font packages (see ``.ci/run`` and the README).
The process adds the folders of the setting ``HANGUL_FONT_DIRS`` once at start
(:func:`use_extra_font_dirs`); a retrain job is handed them in its configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from ml.reading.alphabet import LETTERS

FONT_SUFFIXES = {".ttf", ".otf", ".woff"}
_SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_PLOT_FONT_PREFERENCE = ("NanumGothic.ttf", "NanumBarunGothic.ttf", "UnDotum.ttf")


_extra_dirs: tuple[Path, ...] = ()


def use_extra_font_dirs(folders: Sequence[Path | str]) -> None:
    """Search ``folders`` for fonts before the system's, from now on in this process."""
    global _extra_dirs
    _extra_dirs = tuple(Path(folder).expanduser() for folder in folders)
    korean_fonts.cache_clear()


def font_dirs() -> list[Path]:
    """Folders searched for fonts: the extra ones first, then the system's."""
    return [*_extra_dirs, *(Path(p).expanduser() for p in _SYSTEM_DIRS)]


def font_files() -> list[Path]:
    """Every TrueType/OpenType file in :func:`font_dirs`, sorted by file name."""
    found = {
        path.resolve()
        for folder in font_dirs()
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix.lower() in FONT_SUFFIXES
    }
    return sorted(found, key=lambda p: (p.name, str(p)))


def covers(path: Path, letters: Iterable[str] = LETTERS) -> bool:
    """Whether the font's character map has a glyph for every one of ``letters``."""
    cmap = _characters(path)
    return all(ord(letter) in cmap for letter in letters)


@lru_cache(maxsize=256)
def _characters(path: Path) -> frozenset[int]:
    """The code points the font's character map covers (none for a file fontTools cannot read)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except (TTLibError, OSError, AssertionError, KeyError):
        return frozenset()


@lru_cache(maxsize=4)
def korean_fonts(letters: tuple[str, ...] = LETTERS) -> tuple[Path, ...]:
    """Fonts that cover all of ``letters``, sorted by file name."""
    return tuple(path for path in font_files() if covers(path, letters))


def is_held_out(path: Path, fraction: float) -> bool:
    """A stable, content-free split of fonts: held out iff the name's hash falls in ``fraction``."""
    digest = hashlib.sha256(path.name.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < fraction


def plot_font() -> Path | None:
    """A font file that renders Hangul, for chart labels; ``None`` if none is installed."""
    files = font_files()
    by_name = {p.name: p for p in files}
    for name in _PLOT_FONT_PREFERENCE:
        if name in by_name:
            return by_name[name]
    return next((p for p in files if "Nanum" in p.name or "Un" in p.name[:2]), None)
