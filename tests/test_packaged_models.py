"""The weights shipped in the package: complete metadata, and reading works without torch."""

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from conftest import REPO
from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.preprocess import INPUT_CONTRACT
from ml.reading.registry import PACKAGED_ROOT, Registry
from ml.training.rejection import MIN_THRESHOLD
from ml.writing.fonts import plot_font

EXAMPLES = {"yo.jpg": "ㅛ", "rieul-dark-canvas.png": "ㄹ"}


@pytest.mark.parametrize("name", ["lenet", "mlp"])
def test_shipped_model_has_its_files_and_metadata(name):
    folder = PACKAGED_ROOT / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["architecture"] == name and tuple(meta["letters"]) == LETTERS
    assert meta["input_contract"] == INPUT_CONTRACT
    threshold, in_quiz = meta["not_a_letter_threshold"], meta["not_a_letter_threshold_in_context"]
    assert MIN_THRESHOLD <= threshold <= in_quiz < 1
    assert meta["data"]["synthetic_images"] > 0 and meta["data"]["real_images"] > 0
    assert (folder / "model.onnx").stat().st_size > 10_000
    assert (PACKAGED_ROOT / "MODEL_CARD.md").is_file()


@pytest.mark.parametrize("name", ["lenet", "mlp"])
def test_shipped_models_read_the_example_pictures(name, registry_root):
    classifier = Classifier.open(Registry(registry_root).current(name))
    for file, letter in EXAMPLES.items():
        reading = classifier.read((REPO / "examples" / file).read_bytes())
        assert reading.letter == letter, (file, reading.top)


def test_predict_needs_no_torch(registry_root):
    """The run-time install has no PyTorch: block its import and predict anyway."""
    code = (
        "import sys; sys.modules['torch'] = None; from bot.app.hangul_ml import main; "
        f"sys.exit(main(['predict', '--json', {str(REPO / 'examples' / 'yo.jpg')!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["letter"] == "ㅛ"


def _not_letters() -> dict[str, bytes]:
    """Hand-drawn things that are not one jamo: a spiral, a star, a word, a face."""
    pages = {}
    page = Image.new("L", (300, 300), 250)
    turns = np.linspace(0, 6 * np.pi, 300)
    spiral = [(150 + 8 * t * np.cos(t), 150 + 8 * t * np.sin(t)) for t in turns]
    ImageDraw.Draw(page).line(spiral, fill=20, width=6)
    pages["spiral"] = page
    page = Image.new("L", (300, 300), 250)
    angles = np.radians(np.arange(11) * 36 - 90)
    radii = np.where(np.arange(11) % 2 == 0, 120, 50)
    star = [(150 + r * np.cos(a), 150 + r * np.sin(a)) for a, r in zip(angles, radii, strict=True)]
    ImageDraw.Draw(page).line(star, fill=20, width=8)
    pages["star"] = page
    page = Image.new("L", (500, 260), 250)
    font = ImageFont.truetype(str(plot_font()), 150)
    ImageDraw.Draw(page).text((250, 130), "한글", font=font, fill=20, anchor="mm")
    pages["word"] = page
    page = Image.new("L", (300, 300), 250)
    draw = ImageDraw.Draw(page)
    draw.ellipse((60, 40, 240, 260), fill=180)
    draw.ellipse((100, 110, 130, 130), fill=30)
    draw.ellipse((170, 110, 200, 130), fill=30)
    draw.chord((110, 170, 190, 220), 0, 180, fill=40)
    pages["face"] = page
    encoded = {}
    for name, page in pages.items():
        out = io.BytesIO()
        page.save(out, "PNG")
        encoded[name] = out.getvalue()
    return encoded


def test_shipped_lenet_says_not_a_letter_to_doodles_words_and_faces(registry_root, korean_font):
    classifier = Classifier.open(Registry(registry_root).current("lenet"))
    assert MIN_THRESHOLD <= classifier.threshold < 1
    pictures = _not_letters()
    readings = classifier.read_many(list(pictures.values()))
    assert {name: r.verdict for name, r in zip(pictures, readings, strict=True)} == dict.fromkeys(
        pictures, "not_a_letter"
    )
