"""Retraining as a job: a candidate is promoted only if it reads the fixed held-out set better,
a failed or killed job leaves the served model alone, and one retrain runs at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ml.evaluation.evaluate import summarize
from ml.jobs.retrain import RetrainBusy, compare, exclusive, load_samples
from ml.jobs.retrain_job import RetrainConfig, status, submit, wait
from ml.reading.classifier import LiveClassifier
from ml.reading.registry import Registry

ENTRY_POINT = Path(sys.executable).with_name("hangul-ml")
TINY = {"synthetic_per_letter": 4, "epochs": 1, "held_out_per_letter": 4, "models": ["lenet"]}


def report(per_letter: dict[str, tuple[int, int]]):
    """An evaluation report from {letter: (right, asked)}."""
    truth, read = [], []
    for letter, (right, asked) in per_letter.items():
        truth += [letter] * asked
        read += [letter] * right + [None] * (asked - right)
    return summarize("m", truth, read, ["ok"] * len(truth))


def test_a_candidate_must_be_better_overall():
    before = report({"ㄱ": (9, 10), "ㄴ": (9, 10)})
    assert compare(before, report({"ㄱ": (9, 10), "ㄴ": (9, 10)}), 0.05)[0] is False
    assert compare(before, report({"ㄱ": (10, 10), "ㄴ": (9, 10)}), 0.05)[0] is True


def test_a_candidate_may_not_lose_a_letter_by_more_than_the_margin():
    before = report({"ㄱ": (10, 10), "ㄴ": (5, 10)})
    promoted, worst, reason = compare(before, report({"ㄱ": (8, 10), "ㄴ": (10, 10)}), 0.05)
    assert not promoted and worst == pytest.approx(0.2) and "ㄱ" in reason


def test_collected_samples_keep_a_fixed_slice_for_evaluation(tmp_path):
    path = tmp_path / "samples.npz"
    ids = np.arange(1, 11)
    images = np.zeros((10, 28, 28), np.uint8)
    np.savez(path, ids=ids, images=images, labels=np.array(["ㄱ"] * 10))
    train, held_out, used, skipped = load_samples(path)
    assert used == [1, 2, 3, 4, 6, 7, 8, 9] and len(train) == 8 and len(held_out) == 2
    assert skipped == 0


def test_samples_with_unknown_labels_are_skipped_and_counted(tmp_path):
    path = tmp_path / "samples.npz"
    labels = np.array(["ㄱ", "x", "ㅏ", "A"])
    np.savez(path, ids=np.arange(1, 5), images=np.zeros((4, 28, 28), np.uint8), labels=labels)
    train, held_out, used, skipped = load_samples(path)
    assert used == [1, 3] and skipped == 2


def test_only_one_retrain_runs_at_a_time(tmp_path):
    registry = Registry(tmp_path)
    with exclusive(registry), pytest.raises(RetrainBusy), exclusive(registry):
        pass


def test_a_worse_candidate_is_refused_and_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("HANGUL_MODEL_REGISTRY", str(tmp_path))
    done = subprocess.run(
        [str(ENTRY_POINT), "retrain", "--from-scratch", "--synthetic", "4", "--epochs", "1"]
        + ["--held-out-per-letter", "4", "--models", "lenet", "--wait", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["promoted"] is False and summary["version"] == {"lenet": "packaged"}
    assert summary["after"]["lenet"] < summary["before"]["lenet"]
    assert Registry(tmp_path).current("lenet").version == "packaged"
    [candidate] = Registry(tmp_path).versions("lenet")
    written = json.loads((tmp_path / "lenet" / candidate / "retrain_report.json").read_text())
    assert written["promoted"] is False and written["data"]["training_images"] > 0
    assert (tmp_path / "lenet" / candidate / "retrain_confusion.png").exists()


def test_a_better_candidate_is_promoted_and_served_without_restart(tmp_path, tiny_model_dir):
    registry = Registry(tmp_path)
    weak = registry.add("lenet", tiny_model_dir)  # trained on noise: reads almost nothing
    registry.promote("lenet", weak.version)
    served = LiveClassifier("lenet", registry, recheck=0)
    assert served.version == f"lenet:{weak.version}"
    config = RetrainConfig(
        **{**TINY, "synthetic_per_letter": 30, "epochs": 6, "max_letter_drop": 1.0}
    )
    final = wait(submit(config, registry), poll=0.2)
    assert final["state"] == "succeeded", final
    [verdict] = final["report"]["models"]
    assert verdict["promoted"], verdict["reason"]
    assert served.version == f"lenet:{verdict['after_version']}"
    registry.rollback("lenet")
    assert served.version == f"lenet:{weak.version}"


def test_a_killed_retrain_is_reported_failed_and_changes_nothing(tmp_path):
    registry = Registry(tmp_path)
    folder = submit(RetrainConfig(**TINY), registry)
    while status(folder)["state"] == "queued":
        time.sleep(0.1)
    os.killpg(status(folder)["pid"], signal.SIGKILL)
    final = wait(folder, poll=0.1)
    assert final["state"] == "failed" and "without finishing" in final["error"]
    assert registry.current("lenet").version == "packaged"
