"""The accelerator check's two steps on tiny data, on the CPU (CI has no GPU)."""

import json

import pytest
import torch

from ml.evaluation.device_check import main


@pytest.fixture(scope="module")
def check_data(tmp_path_factory):
    path = tmp_path_factory.mktemp("device_check") / "check.npz"
    args = ["prepare", "--out", str(path), "--letters-per", "4", "--syllables", "12"]
    assert main([*args, "--held-out-every", "200"]) == 0
    return path


def _run(data, out) -> dict:
    assert main(["run", "--data", str(data), "--out", str(out)]) == 0
    return json.loads((out / "device_check.json").read_text())


@pytest.fixture(scope="module")
def first_run(check_data, tmp_path_factory):
    return _run(check_data, tmp_path_factory.mktemp("first_run"))


def test_the_check_trains_both_readers_and_its_export_reads_as_the_model(first_run):
    assert first_run["letters"]["train"] == 4 * 40
    assert first_run["syllables"]["held_out"] > 0
    for reader in ("letters", "syllables"):
        assert first_run[reader]["cpu"]["seconds_per_epoch"] > 0
        assert ("cuda" in first_run[reader]) == torch.cuda.is_available()
    export = first_run["onnx_export"]
    assert export["same_top_letter"] == 1.0
    assert export["max_abs_logit_difference"] < 1e-3
    assert export["onnx_accuracy"] == export["model_accuracy"]


def test_one_seed_trains_the_same_weights_twice_on_the_cpu(check_data, first_run, tmp_path):
    second = _run(check_data, tmp_path)
    for reader in ("letters", "syllables"):
        assert second[reader]["cpu"]["weights"] == first_run[reader]["cpu"]["weights"]
