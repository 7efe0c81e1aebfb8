"""Syllable blocks: Unicode composition, the layout of a block's letters, and pictures of blocks,
words and font renderings."""

import re
import time
import unicodedata
from dataclasses import replace

import numpy as np
import pytest

from ml.reading.alphabet import (
    ALL_SYLLABLES,
    COMPOUND_FINALS,
    FINALS,
    INITIALS,
    LETTERS,
    MEDIALS,
    compose,
    decompose,
    everyday_syllables,
    is_syllables,
    vowel_kind,
)
from ml.writing.fonts import korean_fonts
from ml.writing.informal import STYLES, Informal
from ml.writing.mistakes import look_alikes, mistaken
from ml.writing.syllables import (
    CLEAN_PROPORTIONS,
    Proportions,
    contact_sheet,
    font_syllable,
    layout,
    render_syllable,
    render_word,
    syllable_strokes,
)

# Every layout: vertical, horizontal and mixed vowels, without a final, with one, with two.
EVERY_LAYOUT = list("가고과각곡곽닭읊핥쾅곬뉑")


def ink_box(picture: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.nonzero(picture < 128)
    return rows.min(), rows.max(), cols.min(), cols.max()


def has_a_white_margin(picture: np.ndarray) -> bool:
    border = np.concatenate([picture[0], picture[-1], picture[:, 0], picture[:, -1]])
    return bool((border == 255).all())


def strokes_of(syllable: str, seed: int | None) -> dict[str, np.ndarray]:
    """The points of each role's strokes (unit square) for a random writer (or the clean one)."""
    rng = None if seed is None else np.random.default_rng([seed, 5])
    points: dict[str, list[np.ndarray]] = {}
    for piece, paths in syllable_strokes(syllable, rng):
        role = f"{piece.role}:{piece.letter}" if piece.role == "vowel" else piece.role
        points.setdefault(role, []).extend(paths)
    return {role: np.vstack(paths) for role, paths in points.items()}


def test_the_jamo_tables_follow_unicode():
    assert (len(INITIALS), len(MEDIALS), len(FINALS)) == (19, 21, 28)
    assert FINALS[0] == "" and FINALS[1] == "ㄱ" and FINALS[-1] == "ㅎ"
    assert len(ALL_SYLLABLES) == 11172
    assert ALL_SYLLABLES[0] == "가" and ALL_SYLLABLES[-1] == "힣"


def _compatibility(conjoining: str) -> str:
    """The compatibility jamo for a conjoining one, through their Unicode names."""
    name = unicodedata.name(conjoining)
    return unicodedata.lookup(re.sub("CHOSEONG|JUNGSEONG|JONGSEONG", "LETTER", name))


@pytest.mark.parametrize("code", range(0xAC00, 0xD7A4, 97))
def test_decompose_agrees_with_unicode_normalization(code):
    syllable = chr(code)
    expected = [_compatibility(c) for c in unicodedata.normalize("NFD", syllable)]
    assert [j for j in decompose(syllable) if j] == expected


def test_only_syllable_blocks_are_syllables():
    assert is_syllables("나무") and is_syllables("힣")
    assert not any(map(is_syllables, ("", "ㄱ", "na", "나 무", "나1")))


def test_compose_and_decompose_round_trip_over_every_syllable():
    for syllable in ALL_SYLLABLES:
        assert compose(*decompose(syllable)) == syllable


def test_compose_builds_the_blocks_people_know():
    assert compose("ㄱ", "ㅏ") == "가"
    assert compose("ㅎ", "ㅏ", "ㄴ") == "한"
    assert compose("ㄷ", "ㅏ", "ㄺ") == "닭"
    assert decompose("읊") == ("ㅇ", "ㅡ", "ㄿ")


@pytest.mark.parametrize("text", ["a", "ㄱ", "가나", ""])
def test_decompose_refuses_what_is_not_one_syllable(text):
    with pytest.raises(ValueError):
        decompose(text)


def test_compose_refuses_jamo_in_the_wrong_place():
    with pytest.raises(ValueError):
        compose("ㄳ", "ㅏ")  # a compound final is never an initial
    with pytest.raises(ValueError):
        compose("ㄱ", "ㄱ")


def test_the_everyday_syllables_are_the_2350_of_ks_x_1001():
    assert len(everyday_syllables()) == 2350
    assert {"가", "한", "닭", "곬", "읊", "핥", "쾅"} <= set(everyday_syllables())
    assert not {"똠", "뉑", "펲"} & set(everyday_syllables())  # real blocks, but not in KS X 1001


def test_compound_finals_split_into_two_of_the_40_letters():
    assert len(COMPOUND_FINALS) == 11 and set(COMPOUND_FINALS) <= set(FINALS)
    assert COMPOUND_FINALS["ㄳ"] == ("ㄱ", "ㅅ") and COMPOUND_FINALS["ㄺ"] == ("ㄹ", "ㄱ")
    assert all(set(pair) <= set(LETTERS) for pair in COMPOUND_FINALS.values())


def test_every_block_is_laid_out_in_the_40_letters_in_writing_order():
    for syllable in ALL_SYLLABLES:
        pieces = layout(syllable)
        assert all(piece.letter in LETTERS for piece in pieces)
        roles = [piece.role for piece in pieces]
        assert roles == sorted(roles, key=["initial", "vowel", "final"].index)
        final = decompose(syllable)[2]
        assert roles.count("final") == (2 if final in COMPOUND_FINALS else int(final != ""))


def test_vowels_are_vertical_horizontal_or_mixed():
    assert [vowel_kind(v) for v in "ㅏㅗㅘㅣㅡㅢ"] == [
        "vertical", "horizontal", "mixed", "vertical", "horizontal", "mixed",
    ]  # fmt: skip


@pytest.mark.parametrize("syllable", EVERY_LAYOUT)
def test_every_layout_renders_with_ink_inside_the_frame(syllable):
    for rng in (None, np.random.default_rng(11), np.random.default_rng(12)):
        picture = render_syllable(syllable, rng, size=64)
        assert picture.shape == (64, 64) and picture.dtype == np.uint8
        assert picture.min() < 40 and (picture < 128).sum() > 40
        assert has_a_white_margin(picture)


@pytest.mark.parametrize("syllable", ["가", "개", "거", "계", "이", "각", "닭", "핥"])
def test_the_initial_is_left_of_a_vertical_vowel(syllable):
    vowel = f"vowel:{decompose(syllable)[1]}"
    for seed in [None, *range(20)]:
        points = strokes_of(syllable, seed)
        assert points["initial"][:, 0].mean() < points[vowel][:, 0].min(), seed
        assert points["initial"][:, 0].max() < points[vowel][:, 0].max(), seed


@pytest.mark.parametrize("syllable", ["고", "구", "그", "곡", "읊", "곬"])
def test_the_initial_is_above_a_horizontal_vowel(syllable):
    vowel = f"vowel:{decompose(syllable)[1]}"
    for seed in [None, *range(20)]:
        points = strokes_of(syllable, seed)
        assert points["initial"][:, 1].mean() < points[vowel][:, 1].min(), seed


@pytest.mark.parametrize("syllable", ["과", "워", "왜", "의", "곽", "뉑"])
def test_a_mixed_vowel_wraps_the_initial_below_and_on_the_right(syllable):
    across, down = {
        "과": "ㅗㅏ",
        "워": "ㅜㅓ",
        "왜": "ㅗㅐ",
        "의": "ㅡㅣ",
        "곽": "ㅗㅏ",
        "뉑": "ㅜㅔ",
    }[syllable]
    for seed in [None, *range(20)]:
        points = strokes_of(syllable, seed)
        initial = points["initial"].mean(axis=0)
        assert initial[1] < points[f"vowel:{across}"][:, 1].min(), seed
        assert initial[0] < points[f"vowel:{down}"][:, 0].min(), seed


@pytest.mark.parametrize("syllable", ["각", "곡", "곽", "닭", "읊", "뉑"])
def test_the_final_is_in_the_bottom_band(syllable):
    for seed in [None, *range(20)]:
        points = strokes_of(syllable, seed)
        final = points.pop("final")
        assert final[:, 1].min() > 0.45, seed
        assert all(final[:, 1].mean() > other[:, 1].mean() for other in points.values()), seed


def test_a_compound_final_is_two_consonants_side_by_side():
    left, right = [p for p in layout("닭") if p.role == "final"]
    assert (left.letter, right.letter) == ("ㄹ", "ㄱ")
    assert left.box[2] <= right.box[0] and left.box[1] == right.box[1]


def test_writers_proportion_blocks_differently():
    boxes = {layout("닭", Proportions.draw(np.random.default_rng(k))) for k in range(10)}
    assert len(boxes) == 10 and layout("닭") == layout("닭", CLEAN_PROPORTIONS)


TUCKED_WRITER = replace(CLEAN_PROPORTIONS, tuck=0.4)


@pytest.mark.parametrize("syllable", ["과", "뒤", "왠"])
def test_a_tucking_writer_writes_a_compound_vowels_o_or_u_small_against_its_stem(syllable):
    usual = {piece.role + piece.letter: piece.box for piece in layout(syllable)}
    small = {piece.role + piece.letter: piece.box for piece in layout(syllable, TUCKED_WRITER)}
    across = next(key for key in usual if key[-1] in "ㅗㅜ")
    width = usual[across][2] - usual[across][0]
    assert small[across][2] == usual[across][2]  # against the vertical part
    assert small[across][2] - small[across][0] == pytest.approx(0.4 * width)
    assert small[across][3] == usual[across][3] and small[across][1] > usual[across][1]


def test_a_tucking_writer_still_writes_ui_s_eu_across_the_initial():
    assert layout("의", TUCKED_WRITER) == layout("의")


def test_same_seed_same_picture_other_seed_other_picture():
    first = render_syllable("닭", np.random.default_rng(3))
    assert np.array_equal(first, render_syllable("닭", np.random.default_rng(3)))
    assert not np.array_equal(first, render_syllable("닭", np.random.default_rng(4)))


def test_the_clean_picture_is_always_the_same():
    assert np.array_equal(render_syllable("왜", None), render_syllable("왜", None))
    assert np.array_equal(render_word("한글", None), render_word("한글", None))


@pytest.mark.parametrize("style", list(STYLES))
def test_informal_writers_write_blocks_too(style):
    rng = np.random.default_rng([4, len(style)])
    picture = render_syllable("닭", rng, size=128, informal=Informal.draw(rng, style))
    assert picture.shape == (128, 128) and picture.min() < 60 and has_a_white_margin(picture)


@pytest.mark.parametrize("word", ["한글", "사랑해", "감사해요"])
def test_words_are_blocks_side_by_side_wider_than_tall(word):
    for rng in (None, np.random.default_rng(1), np.random.default_rng(2)):
        picture = render_word(word, rng, size_per_block=48)
        assert picture.shape == (48, 48 * len(word)) and picture.dtype == np.uint8
        top, bottom, left, right = ink_box(picture)
        assert right - left > 1.5 * (bottom - top)
        assert has_a_white_margin(picture)


def test_font_syllables_vary_in_size_place_and_tilt():
    fonts = korean_fonts()
    if not fonts:
        pytest.skip("no Korean font installed")
    pictures = [font_syllable("닭", fonts[0], np.random.default_rng(k)) for k in range(3)]
    for picture in pictures:
        assert picture.shape == (64, 64) and picture.dtype == np.uint8
        assert picture.min() < 60 and has_a_white_margin(picture)
    assert not np.array_equal(pictures[0], pictures[1])


@pytest.mark.parametrize("word", ["나무", "닭", "고양이", "쯔아"])
def test_a_mistake_writes_one_letter_as_a_look_alike(word):
    rng = np.random.default_rng(0)
    for _ in range(20):
        wrong = mistaken(word, rng)
        assert wrong is not None and len(wrong) == len(word)
        changed = [
            (asked, written)
            for a, b in zip(word, wrong, strict=True)
            for asked, written in zip(decompose(a), decompose(b), strict=True)
            if asked != written
        ]
        assert len(changed) == 1 and changed[0][1] in look_alikes(changed[0][0])


def test_a_word_of_letters_without_look_alikes_has_no_mistake_to_make():
    assert look_alikes("") == [] and look_alikes("ㅉ") == []
    assert mistaken("쯔", np.random.default_rng(0)) is None


def test_a_contact_sheet_lays_pictures_out_in_a_grid():
    pictures = [render_syllable(s, None, size=32) for s in "가나다라마"]
    sheet = contact_sheet(pictures, list("가나다라마"), columns=3)
    assert sheet.size[0] == 3 * (32 + 4) and sheet.size[1] == 2 * (32 + 16 + 4)


def test_a_few_hundred_random_syllables_render_in_reasonable_time():
    rng = np.random.default_rng(0)
    chosen = [ALL_SYLLABLES[int(k)] for k in rng.integers(len(ALL_SYLLABLES), size=200)]
    start = time.perf_counter()
    for k, syllable in enumerate(chosen):
        render_syllable(syllable, np.random.default_rng(k))
    seconds = time.perf_counter() - start
    print(f"{len(chosen) / seconds:.0f} syllables/s at 64 px")
    assert seconds < 60
