"""Write a trained model as a registry folder: PyTorch weights, an ONNX export and metadata."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import warnings
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import torch
from torch import nn

from ml.reading.alphabet import LETTERS
from ml.reading.preprocess import INPUT_CONTRACT, SIZE
from ml.reading.registry import META_FILE, ONNX_FILE, TORCH_FILE

log = logging.getLogger(__name__)


def code_version() -> dict[str, str | bool | None]:
    """The package version; in a git checkout, also the commit and whether it had edits."""
    try:
        package = metadata.version("hangul-tutor")
    except metadata.PackageNotFoundError:
        package = None
    return {
        "package": package,
        "git": _git("rev-parse", "--short", "HEAD") or None,
        # Edited code counts; the shipped weight files that training rewrites do not.
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no", "--", *_CODE)),
    }


_CODE = (":(top)", ":(top,exclude)ml/weights")


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def export_onnx(
    model: nn.Module, path: Path, side: int = SIZE, outputs: tuple[str, ...] = ("logits",)
) -> None:
    """Export ``model`` to ONNX with a dynamic batch size (input ``image``, (B, 1, ``side``,
    ``side``); outputs named ``outputs``)."""
    model = model.cpu().eval()
    example = torch.zeros(2, 1, side, side)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model,
            (example,),
            input_names=["image"],
            output_names=list(outputs),
            dynamic_shapes=({0: torch.export.Dim("batch", min=1, max=65536)},),
            dynamo=True,
            verbose=False,
        )
    program.save(str(path))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(
    model: nn.Module,
    out_dir: Path | str,
    *,
    name: str,
    architecture: str,
    data: dict,
    metrics: dict,
    train_config: dict,
    letters: tuple[str, ...] = LETTERS,
    rejection: dict | None = None,
) -> Path:
    """Write ``model.pt``, ``model.onnx`` and ``meta.json`` into ``out_dir``; returns it.

    ``rejection`` (from :func:`ml.training.rejection.tune_threshold`) holds the "not a letter"
    threshold.
    """
    meta = {
        "name": name,
        "architecture": architecture,
        "letters": list(letters),
        "input_contract": INPUT_CONTRACT,
        **(rejection or {}),
        "data": data,
        "metrics": metrics,
        "train_config": train_config,
    }
    out = Path(out_dir)
    write_model_folder(model, out, meta)
    return out


def write_model_folder(
    model: nn.Module,
    out: Path,
    meta: dict,
    side: int = SIZE,
    outputs: tuple[str, ...] = ("logits",),
) -> dict:
    """Write ``model.pt``, ``model.onnx`` (:func:`export_onnx` with ``side`` and ``outputs``)
    and ``meta.json`` into ``out``: ``meta`` with the code version, the time and the files'
    hashes added. Returns the metadata written."""
    version = code_version()
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.cpu().state_dict(), out / TORCH_FILE)
    export_onnx(model, out / ONNX_FILE, side, outputs)
    meta = {
        **meta,
        "code_version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {f: sha256(out / f) for f in (TORCH_FILE, ONNX_FILE)},
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    log.info("saved %s model to %s", meta.get("architecture"), out)
    return meta
