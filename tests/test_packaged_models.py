"""The weights shipped in the package: complete metadata, and reading works without torch."""

import json
import subprocess
import sys

import pytest

from conftest import REPO
from ml.alphabet import LETTERS
from ml.preprocess import INPUT_CONTRACT
from ml.registry import PACKAGED_ROOT, Registry
from ml.serve import Classifier

EXAMPLES = {"yo.jpg": "ㅛ", "rieul-dark-canvas.png": "ㄹ"}


@pytest.mark.parametrize("name", ["lenet", "mlp"])
def test_shipped_model_has_its_files_and_metadata(name):
    folder = PACKAGED_ROOT / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["architecture"] == name and tuple(meta["letters"]) == LETTERS
    assert meta["input_contract"] == INPUT_CONTRACT
    assert meta["data"]["synthetic_images"] > 0 and meta["data"]["real_images"] > 0
    assert (folder / "model.onnx").stat().st_size > 10_000
    assert (PACKAGED_ROOT / "MODEL_CARD.md").is_file()


@pytest.mark.parametrize("name", ["lenet", "mlp"])
def test_shipped_models_read_the_example_pictures(name, registry_root):
    classifier = Classifier(Registry().current(name))
    for file, letter in EXAMPLES.items():
        reading = classifier.read((REPO / "examples" / file).read_bytes())
        assert reading.letter == letter, (file, reading.top)


def test_predict_needs_no_torch(registry_root):
    """The run-time install has no PyTorch: block its import and predict anyway."""
    code = (
        "import sys; sys.modules['torch'] = None; from ml.cli import main; "
        f"sys.exit(main(['predict', '--json', {str(REPO / 'examples' / 'yo.jpg')!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["letter"] == "ㅛ"
