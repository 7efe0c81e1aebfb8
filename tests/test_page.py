"""Finding the sheet of paper in a photo that shows the desk around it, and only then."""

import cv2
import numpy as np

from ml.reading.page import sheet_mask
from ml.reading.preprocess import Ink, find_ink

HEIGHT, WIDTH = 240, 320
PAPER = 0.85


def _stripes(level: float) -> np.ndarray:
    """A desk of ``level`` with dark diagonal stripes (a cloth, wood grain)."""
    y, x = np.mgrid[:HEIGHT, :WIDTH]
    return (level + 0.15 * np.sin((x + y) / 3.0)).astype(np.float32)


def _sheet(angle: float) -> np.ndarray:
    """A sheet turned by ``angle`` degrees with the desk all round it (a pixel mask)."""
    corners = cv2.boxPoints(((WIDTH / 2, HEIGHT / 2), (220, 150), angle))
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.fillConvexPoly(mask, np.round(corners).astype(np.int32), 1)
    return mask.astype(bool)


def _pencil(picture: np.ndarray, level: float) -> np.ndarray:
    """Faint strokes of ``level`` written on the sheet (a pixel mask of them)."""
    strokes = np.zeros(picture.shape, np.uint8)
    for (x1, y1), (x2, y2) in (((120, 100), (200, 100)), ((160, 100), (160, 150))):
        cv2.line(strokes, (x1, y1), (x2, y2), 1, thickness=3)
    picture[strokes.astype(bool)] = level
    return strokes.astype(bool)


def _sheet_on_desk(angle: float = 12.0) -> tuple[np.ndarray, np.ndarray]:
    sheet = _sheet(angle)
    return np.where(sheet, PAPER, _stripes(0.25)).astype(np.float32), sheet


def test_the_sheet_on_a_striped_desk_is_found_and_the_desk_left_out():
    picture, sheet = _sheet_on_desk()
    found = sheet_mask(picture)
    assert found is not None
    assert not (found & ~sheet).any()
    assert found[sheet].mean() > 0.9


def test_faint_writing_beside_a_darker_desk_is_the_ink_and_the_desk_is_not():
    picture, sheet = _sheet_on_desk()
    strokes = _pencil(picture, 0.65)
    found = find_ink(picture)
    assert isinstance(found, Ink)
    assert not (found.mask & ~sheet).any()
    assert found.mask[strokes].mean() > 0.8


def test_a_page_that_fills_the_picture_has_no_desk():
    picture = np.full((HEIGHT, WIDTH), PAPER, np.float32)
    _pencil(picture, 0.2)
    assert sheet_mask(picture) is None


def test_a_soft_shadow_over_the_page_is_no_desk():
    picture = np.full((HEIGHT, WIDTH), PAPER, np.float32)
    _pencil(picture, 0.2)
    hand = np.zeros((HEIGHT, WIDTH), np.float32)
    cv2.fillConvexPoly(hand, np.array([[0, 40], [150, 90], [140, 200], [0, 230]], np.int32), 1.0)
    shade = 1 - 0.5 * cv2.GaussianBlur(hand, (0, 0), 0.04 * WIDTH)
    assert sheet_mask(picture * shade) is None


def test_light_falling_off_across_the_page_is_no_desk():
    picture = np.full((HEIGHT, WIDTH), PAPER, np.float32)
    _pencil(picture, 0.2)
    assert sheet_mask(picture * np.linspace(0.45, 1.0, WIDTH, dtype=np.float32)) is None


def test_writing_on_a_sheet_darker_than_the_table_is_still_found():
    """Brown paper at the frame's edge on a white table: the table is the light region, and
    nothing is written on it, so the whole picture is looked at."""
    picture = np.full((HEIGHT, WIDTH), 0.92, np.float32)
    picture[:, :230] = 0.5
    strokes = _pencil(picture, 0.1)
    assert sheet_mask(picture) is not None  # the table, taken for the sheet
    found = find_ink(picture)
    assert isinstance(found, Ink)
    assert found.mask[strokes].mean() > 0.8
