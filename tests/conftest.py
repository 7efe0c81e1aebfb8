"""Shared fixtures: the dev dataset (skipped where absent), fonts, drawings, a temp registry."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
DEV_DATA = REPO.parent / "shared" / "datasets" / "kaggle-hangul-30"


@pytest.fixture(scope="session")
def dev_data() -> Path:
    """The real development dataset; tests needing it skip where ../shared is absent."""
    if not DEV_DATA.is_dir():
        pytest.skip(f"dev dataset not found at {DEV_DATA} (read-only ../shared is absent)")
    return DEV_DATA


@pytest.fixture(scope="session")
def korean_font() -> Path:
    """A font that renders Hangul; tests needing one skip where none is installed."""
    from ml.writing.fonts import plot_font

    path = plot_font()
    if path is None:
        pytest.skip("no Korean font installed (run the set-up in .ci/run)")
    return path


def draw_letter(
    font: Path,
    letter: str,
    size: tuple[int, int] = (200, 160),
    ink: int = 20,
    paper: int = 240,
    font_size: int = 90,
    offset: tuple[int, int] = (0, 0),
) -> Image.Image:
    """A greyscale picture of one letter drawn with ``font``."""
    page = Image.new("L", size, paper)
    centre = (size[0] / 2 + offset[0], size[1] / 2 + offset[1])
    font_obj = ImageFont.truetype(str(font), font_size)
    ImageDraw.Draw(page).text(centre, letter, font=font_obj, fill=ink, anchor="mm")
    return page


def dim_page_on_dark_desk(font: Path, letter: str) -> Image.Image:
    """A dimly lit sheet with grey ink, on a darker desk that frames the picture: the light
    sheet outnumbers the ink, so the picture looks like light strokes on a dark canvas, and
    read that way it holds none."""
    desk = Image.new("L", (400, 400), 40)
    sheet = draw_letter(font, letter, size=(200, 260), ink=45, paper=95, font_size=110)
    desk.paste(sheet, (120, 90))
    return desk


def encode(image: Image.Image, fmt: str = "PNG", **kwargs) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def registry_root(tmp_path, monkeypatch) -> Path:
    """An empty model registry folder, also the commands' (``HANGUL_MODEL_REGISTRY``) in the
    test."""
    root = tmp_path / "registry"
    monkeypatch.setenv("HANGUL_MODEL_REGISTRY", str(root))
    return root


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    return float((ys * image).sum() / image.sum()), float((xs * image).sum() / image.sum())


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A real model folder (weights, ONNX, metadata) from a one-epoch run on random letters."""
    from ml.training.data import LetterSet
    from ml.training.export import save_model
    from ml.training.train import TrainConfig, train

    rng = np.random.default_rng(0)
    images = (rng.random((80, 28, 28)) > 0.8).astype(np.uint8) * 255
    data = LetterSet(images, rng.integers(0, 40, 80), np.array(["toy"] * 80), [])
    config = TrainConfig(epochs=1)
    result = train(data, config, progress=False)
    out = tmp_path_factory.mktemp("models") / "tiny"
    return save_model(
        result.model,
        out,
        name="lenet",
        architecture="lenet",
        data={"toy": True},
        metrics={},
        train_config=config.as_dict(),
    )


pytest_plugins = ["bot_fixtures"]
