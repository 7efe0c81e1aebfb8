"""Retraining as a job: a candidate is promoted only if it reads the fixed held-out set better,
a failed or killed job leaves the served model alone, and one retrain runs at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from ml.evaluation.evaluate import summarize
from ml.jobs.gate import Decision, compare, judge
from ml.jobs.retrain import (
    LetterRetrain,
    RetrainBusy,
    Steps,
    cross_fitted,
    exclusive,
    load_samples,
    retrain,
)
from ml.jobs.retrain_job import RetrainConfig, status, submit, wait, write_samples
from ml.reading.classifier import LiveClassifier
from ml.reading.registry import Registry
from ml.training import rejection
from ml.training.collected import learner_folds, weigh
from ml.training.data import LetterSet, empty_set
from ml.training.recipe import TrainingData

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


def write_collected(path: Path, learners: list[int], labels: list[str] | None = None) -> None:
    """One collected sample per entry of ``learners`` (ids from 1), each of ``ㄱ`` by default."""
    labels = labels or ["ㄱ"] * len(learners)
    write_samples(
        path,
        ids=np.arange(1, len(learners) + 1),
        images=np.zeros((len(learners), 28, 28), np.uint8),
        labels=np.array(labels),
        learners=np.array(learners),
        skipped=1,
    )


def test_collected_letters_keep_their_learners_and_skip_unknown_labels(tmp_path):
    path = tmp_path / "samples.npz"
    write_collected(path, [1, 1, 2, 2], ["ㄱ", "x", "ㅏ", "A"])
    collected = load_samples(path)
    assert len(collected.samples) == 2 and collected.skipped == 1 + 2  # the export's one too
    assert collected.ids == [1, 3] and collected.learner_count == 2
    assert list(collected.samples.writers) == ["learner:1", "learner:2"]
    assert collected.samples.letters() == ["ㄱ", "ㅏ"]


def test_no_judging_reader_reads_the_letters_of_a_learner_it_learned_from(tmp_path):
    path = tmp_path / "samples.npz"
    learners = [k for k in range(1, 6) for _ in range(3)]  # 5 learners, 3 pictures each
    write_collected(path, learners)
    collected = load_samples(path)
    learned: list[set[str]] = []

    @dataclass(frozen=True)
    class Recorded(LetterRetrain):
        def fit(self, current, training, out, notes):
            learned.append({w for w in training.data.writers if w.startswith("learner:")})
            return current

    job = Recorded(RetrainConfig(**TINY), TrainingData(empty_set(), {}), collected, empty_set())
    folds = learner_folds(collected.learners)
    current = Registry(tmp_path / "registry").current("lenet")
    judged = cross_fitted(job, current, folds)
    assert judged.n == 15 and judged.model == "lenet:cross-fitted"
    assert len(learned) == len(folds) == 4
    for fold, seen in zip(folds, learned, strict=True):
        judging = {f"learner:{k}" for k in collected.learners[fold].tolist()}
        assert seen and not seen & judging and seen | judging == set(collected.samples.writers)


def test_few_collected_pictures_are_weighted_to_their_share():
    few = LetterSet(
        np.zeros((10, 28, 28), np.uint8), np.zeros(10, np.int64), np.array(["learner:1"] * 10)
    )
    weighted = weigh(few, others=8000, share=0.2)
    assert len(weighted) == 2000 and weighted.images.shape == (2000, 28, 28)
    assert len(weigh(few, others=10, share=0.2)) == 10  # never fewer than once each


def test_a_candidate_must_read_the_held_out_learners_better():
    fixed = report({"ㄱ": (9, 10)}), report({"ㄱ": (9, 10)})
    same = report({"ㄴ": (1, 4)}), report({"ㄴ": (1, 4)})
    promoted, _, reason = judge(same, fixed, 0.05)
    assert not promoted and "held-out learners" in reason
    better = report({"ㄴ": (1, 4)}), report({"ㄴ": (3, 4)})
    promoted, _, reason = judge(better, fixed, 0.05)
    assert promoted and "25.0% → 75.0%" in reason


def test_the_fixed_set_guards_against_regression_overall_and_per_letter():
    better = report({"ㄴ": (1, 4)}), report({"ㄴ": (3, 4)})
    worse_overall = report({"ㄱ": (500, 500)}), report({"ㄱ": (495, 500)})
    promoted, _, reason = judge(better, worse_overall, 0.05)
    assert not promoted and "worse on the fixed held-out set" in reason
    one_letter = (
        report({"ㄱ": (100, 100), "ㅏ": (3000, 3000)}),
        report({"ㄱ": (90, 100), "ㅏ": (3000, 3000)}),
    )
    promoted, worst, reason = judge(better, one_letter, 0.05)
    assert not promoted and worst == pytest.approx(0.1) and reason.startswith("ㄱ fell by")


def test_every_learner_judges_a_letter_retrain_and_only_the_candidate_is_kept(
    tmp_path, monkeypatch
):
    registry = Registry(tmp_path / "registry")
    path = tmp_path / "samples.npz"
    write_collected(path, [1, 1, 2, 2])
    heard: list[tuple[str, float]] = []
    made, original = [], rejection.validation_data

    def counted(fonts):
        made.append(fonts)
        return original(fonts)

    monkeypatch.setattr(rejection, "validation_data", counted)
    rejection.standard_validation_data.cache_clear()
    report = retrain(
        RetrainConfig(**TINY, samples=str(path)),
        registry,
        lambda message, done: heard.append((message, done)),
    )
    assert [m for m, done in heard if done == 0.0][-3:] == [
        *(f"lenet: training judging reader {k} of 2 (without some learners)" for k in (1, 2)),
        "lenet: training the candidate on all the pictures",
    ]
    assert (report["data"]["learners_for_training"], report["data"]["judging_folds"]) == (2, 2)
    [decision] = report["models"]
    assert decision["learners_before"]["n"] == decision["learners_after"]["n"] == 4
    assert report["samples_used"] == [1, 2, 3, 4]  # every learner's pictures trained it
    [candidate] = registry.versions("lenet")  # the judging readers are not kept
    meta = registry.resolve(f"lenet:{candidate}").meta
    assert meta["data"]["collected_sample_ids"] == [1, 2, 3, 4]
    assert len(made) == 1  # the threshold's validation pictures, made once for three readers


@pytest.mark.parametrize(
    ("learners", "why"), [([], "no collected pictures"), ([3, 3, 3], "only one learner")]
)
def test_a_retrain_without_two_learners_trains_nothing_and_says_why(tmp_path, learners, why):
    registry = Registry(tmp_path / "registry")
    path = tmp_path / "samples.npz"
    write_collected(path, learners)
    report = retrain(RetrainConfig(**TINY, samples=str(path)), registry)
    assert why in report["refused"] and report["models"] == [] and not report["promoted"]
    assert registry.versions("lenet") == [] and registry.current("lenet").version == "packaged"


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


def test_a_retrains_progress_counts_the_models_done_while_one_trains():
    """A model's own messages while it trains (a syllable reader's folds) say the share of the
    models done before it, as its start does; its end counts it done."""
    said: list[tuple[str, float]] = []
    steps = Steps(lambda message, done: said.append((message, done)), total=4)

    def train(name: str) -> Decision:
        steps.say(f"{name}: fold 1")
        return Decision(name, "old", None, {}, {}, None, None, 0.0, False, "not better")

    steps.each(["lenet", "mlp"], train)
    steps.each(["syllable-lenet"], train)
    assert said[-3:] == [
        ("training syllable-lenet", 0.5),
        ("syllable-lenet: fold 1", 0.5),
        ("syllable-lenet: not better", 0.75),
    ]
