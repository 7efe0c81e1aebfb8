"""Check training on an accelerator: speed against the CPU, same seed same weights, export.

Two steps, so that the accelerator's time goes to training alone:

    python -m ml.evaluation.device_check prepare --out check.npz    # any machine: draws the data
    python -m ml.evaluation.device_check run --data check.npz --out DIR   # the GPU node

``run`` trains the letter LeNet (:func:`ml.training.train.train`) and the syllable reader
(:func:`ml.training.syllable_models.train_syllable_model`) with their shipped recipes on the same
drawn data on the CPU and twice on CUDA, and reports seconds per epoch (CUDA as a ratio of the
CPU's), held-out accuracy of each, whether the two CUDA runs from one seed trained the same
weights, and how far the ONNX export of the CUDA-trained LeNet reads from the model itself. The
figures are printed and written to ``DIR/device_check.json``. Without CUDA it measures the CPU
alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn

from ml.reading.alphabet import everyday_syllables
from ml.training.data import LetterSet
from ml.training.export import export_onnx
from ml.training.syllable_data import SyllableSet, held_out_pictures, syllable_set, training_set
from ml.training.syllable_models import evaluate_syllables, train_syllable_model
from ml.training.synth import stroke_letters
from ml.training.train import TrainConfig, accuracy, predict_logits, to_tensors, train
from ml.writing.held_out import HELD_OUT_SEED

log = logging.getLogger(__name__)

LETTER_EPOCHS = 6
SYLLABLE_EPOCHS = 3


def prepare(
    out: Path, letters_per: int = 150, syllables: int = 1500, held_out_every: int = 5
) -> dict[str, int]:
    """Draw the check's data into ``out`` (an ``.npz``): stroke-written letters (``letters_per``
    of each, and a quarter as many by held-out writers) and the syllable training set of
    ``syllables`` syllables, 4 pictures each, with every ``held_out_every``-th everyday syllable
    by held-out writers and fonts."""
    letters = stroke_letters(letters_per, seed=0)
    letters_test = stroke_letters(max(1, letters_per // 4), seed=HELD_OUT_SEED)
    blocks = training_set(syllables, 4, seed=0)
    blocks_test = syllable_set(held_out_pictures(1, everyday_syllables()[::held_out_every]))
    np.savez_compressed(
        out,
        letters_x=letters.images,
        letters_y=letters.labels,
        letters_test_x=letters_test.images,
        letters_test_y=letters_test.labels,
        **{f"blocks_{k}": v for k, v in _block_arrays(blocks).items()},
        **{f"blocks_test_{k}": v for k, v in _block_arrays(blocks_test).items()},
    )
    return {
        "letters": len(letters),
        "letters_test": len(letters_test),
        "blocks": len(blocks),
        "blocks_test": len(blocks_test),
    }


def _block_arrays(data: SyllableSet) -> dict[str, np.ndarray]:
    return {"x": data.images, "y": data.labels, "kinds": data.kinds}


def _letters(saved, name: str) -> LetterSet:
    labels = saved[f"{name}_y"]
    return LetterSet(saved[f"{name}_x"], labels, np.array(["check"] * len(labels)))


def _blocks(saved, name: str) -> SyllableSet:
    labels = saved[f"{name}_y"]
    sources = ["check"] * len(labels)
    return SyllableSet(saved[f"{name}_x"], labels, saved[f"{name}_kinds"], sources, sources)


def weights_digest(model: nn.Module) -> str:
    """A hash of the model's weights, the same for the same values on any device."""
    digest = hashlib.sha256()
    for name, value in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(value.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def _letter_run(train_set: LetterSet, test_set: LetterSet, device: str) -> tuple[nn.Module, dict]:
    config = TrainConfig(epochs=LETTER_EPOCHS, device=device)
    result = train(train_set, config, test_set, progress=False)
    last = result.history[-1]
    return result.model, {
        "seconds_per_epoch": round(last.seconds / last.epoch, 3),
        "held_out_accuracy": round(last.test_accuracy, 4),
        "weights": weights_digest(result.model),
    }


def _syllable_run(
    train_set: SyllableSet, test_set: SyllableSet, device: str
) -> tuple[nn.Module, dict]:
    model, seconds = train_syllable_model("lenet", train_set, epochs=SYLLABLE_EPOCHS, device=device)
    figures = evaluate_syllables(model, test_set)
    return model, {
        "seconds_per_epoch": round(seconds / SYLLABLE_EPOCHS, 3),
        "held_out_syllable_accuracy": round(float(figures["syllable"]), 4),
        "weights": weights_digest(model),
    }


def _on_devices(run: Callable[[str], tuple[nn.Module, dict]], cuda: bool) -> tuple[dict, nn.Module]:
    """``run`` on the CPU, and twice on CUDA, with the CUDA figures' ratio to the CPU's time;
    and the model trained last (on CUDA when present)."""
    figures: dict = {}
    model, figures["cpu"] = run("cpu")
    if not cuda:
        return figures, model
    _, first = run("cuda")
    model, second = run("cuda")
    first["same_weights_twice"] = first["weights"] == second["weights"]
    # The first run also pays for CUDA's start; the faster of the two is the steady rate.
    first["seconds_per_epoch"] = min(first["seconds_per_epoch"], second["seconds_per_epoch"])
    first["speedup_vs_cpu"] = round(
        figures["cpu"]["seconds_per_epoch"] / first["seconds_per_epoch"], 1
    )
    figures["cuda"] = first
    return figures, model


def _onnx_agreement(model: nn.Module, test_set: LetterSet) -> dict:
    """How the ONNX export of ``model`` reads ``test_set`` next to the model on its device, and
    the model moved to the CPU."""
    device = next(model.parameters()).device
    x, y = to_tensors(test_set, device)
    logits, labels = predict_logits(model, x).cpu().numpy(), y.cpu().numpy()
    on_cpu = accuracy(model.cpu(), *to_tensors(test_set, torch.device("cpu")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.onnx"
        export_onnx(model, path)
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        exported = session.run(None, {"image": x.cpu().numpy()})[0]
    return {
        "model_device": str(device),
        "max_abs_logit_difference": float(np.abs(exported - logits).max()),
        "same_top_letter": round(float((exported.argmax(1) == logits.argmax(1)).mean()), 4),
        "model_accuracy": round(float((logits.argmax(1) == labels).mean()), 4),
        "onnx_accuracy": round(float((exported.argmax(1) == labels).mean()), 4),
        "model_moved_to_cpu_accuracy": round(on_cpu, 4),
    }


def _sizes(
    train_set: LetterSet | SyllableSet, test_set: LetterSet | SyllableSet, epochs: int
) -> dict[str, int]:
    return {"train": len(train_set), "held_out": len(test_set), "epochs": epochs}


def run(data: Path, out: Path) -> dict:
    """Train both recipes on the CPU and on CUDA (when present) and compare; see the module."""
    cuda = torch.cuda.is_available()
    saved = np.load(data)
    letters, letters_test = _letters(saved, "letters"), _letters(saved, "letters_test")
    blocks, blocks_test = _blocks(saved, "blocks"), _blocks(saved, "blocks_test")
    figures: dict = {
        "torch": torch.__version__,
        "cpu_threads": torch.get_num_threads(),
        "cuda": torch.cuda.get_device_name(0) if cuda else None,
        "letters": _sizes(letters, letters_test, LETTER_EPOCHS),
        "syllables": _sizes(blocks, blocks_test, SYLLABLE_EPOCHS),
    }
    started = time.perf_counter()
    on_devices, model = _on_devices(lambda d: _letter_run(letters, letters_test, d), cuda)
    figures["letters"].update(on_devices)
    on_devices, _ = _on_devices(lambda d: _syllable_run(blocks, blocks_test, d), cuda)
    figures["syllables"].update(on_devices)
    figures["onnx_export"] = _onnx_agreement(model, letters_test)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "device_check.json").write_text(json.dumps(figures, indent=2) + "\n")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ml.evaluation.device_check", description=__doc__
    )
    steps = parser.add_subparsers(dest="step", required=True)
    draw = steps.add_parser("prepare", help="draw the check's data into an .npz")
    draw.add_argument("--out", type=Path, required=True)
    draw.add_argument("--letters-per", type=int, default=150)
    draw.add_argument("--syllables", type=int, default=1500)
    draw.add_argument("--held-out-every", type=int, default=5)
    measure = steps.add_parser("run", help="train on the CPU and CUDA and compare")
    measure.add_argument("--data", type=Path, required=True)
    measure.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.step == "prepare":
        figures = prepare(args.out, args.letters_per, args.syllables, args.held_out_every)
    else:
        figures = run(args.data, args.out)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
