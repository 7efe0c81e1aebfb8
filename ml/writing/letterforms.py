"""Handwritten letterforms: the other shapes people commonly give some letters.

The stroke writers (:data:`ml.writing.strokes.STROKES`) write each letter in one form, that of
the textbook stroke charts. Many people write a few letters differently, as the sans-serif
(gothic, 돋움/고딕) typefaces draw them and as the dev set's writers do
(``../shared/datasets/kaggle-hangul-30``): ㅈ as a bar with ㅅ hanging from it (not フ and a
stroke), the top of ㅊ and ㅎ as a short flat dash (not a tick), ㅍ with its uprights near the
ends of its bars, ㅌ with a short middle bar. A syllable reader that never saw them read these
writers' blocks as the neighbouring letter (ㅊ as ㅈ, ㅍ as ㅁ, ㅌ as ㄷ, ㅎ as ㅇ).

Writers with these habits (:class:`ml.writing.informal.Informal`, ``letterforms``) pick one of
:data:`LETTERFORMS` for a letter that has them. Lessons never draw them: they teach the
textbook strokes.
"""

from __future__ import annotations

from ml.writing.strokes import Glyph, glyph_from_specs, ring

LETTERFORMS: dict[str, tuple[Glyph, ...]] = {
    "ㅈ": (glyph_from_specs("16,20 - 84,20", "50,20 ~ 42,52 ~ 14,86", "42,52 ~ 62,70 ~ 86,86"),),
    "ㅊ": (
        glyph_from_specs("40,8 - 60,8", "18,28 - 80,28 ~ 54,58 ~ 14,88", "54,58 ~ 66,76 ~ 86,88"),
        glyph_from_specs(
            "38,6 - 62,6", "16,28 - 84,28", "50,28 ~ 42,56 ~ 14,88", "42,56 ~ 62,72 ~ 86,88"
        ),
    ),
    "ㅎ": (
        glyph_from_specs("38,6 - 62,6", "16,26 - 84,26", ring(50, 64, 26, 22)),
        glyph_from_specs("42,4 - 58,4", "32,18 - 68,18", ring(50, 60, 30, 28)),
    ),
    "ㅍ": (glyph_from_specs("16,18 - 84,18", "26,18 - 26,80", "74,18 - 74,80", "12,80 - 88,80"),),
    "ㅌ": (glyph_from_specs("20,14 - 80,14", "20,48 - 62,48", "20,14 - 20,84 - 86,84"),),
}
"""Other common shapes of some letters, strokes in writing order (percent of the unit box, as
:data:`ml.writing.strokes.STROKES`)."""
