"""Retraining the syllable reader on learners' syllables and words: blocks exported from the
database, a candidate trained on all of them, judged on every learner's blocks as read by readers
trained without that learner and on a fixed set, promoted only if better and then served without
a restart; a family without two learners is left out and says why."""

from __future__ import annotations

import json
import os
import signal
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch

from bot.app.retraining import describe_job
from bot.benchmarks.syllable_flywheel import SyllableFlywheel, halves, run_flywheel
from bot_fixtures import ADMIN
from ml.jobs.retrain import load_samples, retrain
from ml.jobs.retrain_job import CONFIG_FILE, RetrainConfig, jobs_root, status, wait, write_samples
from ml.jobs.syllable_retrain import SyllableRetrain, cross_fitted, fixed_blocks, load_blocks
from ml.reading.blocks import BLOCK_SIZE
from ml.reading.registry import Registry
from ml.reading.syllables import LiveSyllableModel, live_syllable_model
from ml.training.collected import learner_folds
from ml.training.export import write_model_folder
from ml.training.syllable_data import SyllablePicture, syllable_set
from ml.training.syllable_models import OUTPUTS, build_syllable_model
from ml.training.syllable_pipeline import syllable_meta
from ml.writing.syllables import render_syllable
from storage import queries
from storage.exports import block_arrays
from storage.tables import LabelSource, Sample

SYLLABLES = list("가나다라마바사아자하")
TINY = {
    "synthetic_syllables": 20,
    "epochs": 1,
    "fixed_syllables_every": 100,
    "models": ["syllable-lenet"],
    "max_letter_drop": 1.0,
}


def write_blocks(path: Path, learners: list[int]) -> Path:
    """The ten :data:`SYLLABLES` by each of ``learners`` (a stroke writer each), as a retrain's
    block export."""
    pictures = [
        SyllablePicture(s, "strokes", render_syllable(s, np.random.default_rng([5, k, i]), size=64))
        for k in learners
        for i, s in enumerate(SYLLABLES)
    ]
    blocks = syllable_set(pictures)
    write_samples(
        path,
        ids=np.arange(len(blocks)),
        images=blocks.images,
        labels=np.array(blocks.syllables),
        learners=np.repeat(learners, len(SYLLABLES)),
    )
    return path


def test_every_learner_judges_in_one_fold_the_same_every_time(tmp_path):
    path = write_blocks(tmp_path / "blocks.npz", [1, 2, 3, 4, 5, 6])
    collected = load_blocks(path)
    assert (collected.learner_count, len(collected.blocks), len(collected.ids)) == (6, 60, 60)
    assert (collected.blocks.kinds == 0).all()  # syllables, with their three letters as labels
    folds = learner_folds(collected.learners)
    assert len(folds) == 4 and (np.sum(folds, axis=0) == 1).all()  # each block in one fold
    for fold in folds:  # whole learners: none of a fold's learners is outside it
        inside = set(collected.learners[fold].tolist())
        assert inside and not inside & set(collected.learners[~fold].tolist())
    assert [len(set(collected.learners[f].tolist())) for f in folds] == [2, 2, 1, 1]
    again = learner_folds(load_blocks(path).learners)
    assert all((a == b).all() for a, b in zip(folds, again, strict=True))
    assert len(learner_folds(np.array([7, 7, 9]))) == 2
    assert learner_folds(np.array([7, 7])) == [] and learner_folds(np.array([], np.int64)) == []


def test_no_judging_reader_reads_the_blocks_of_a_learner_it_learned_from(tmp_path):
    collected = load_blocks(write_blocks(tmp_path / "blocks.npz", [1, 2, 3, 4, 5]))
    learned: list[set[str]] = []

    @dataclass(frozen=True)
    class Recorded(SyllableRetrain):
        def fit(self, current, training):
            learned.append({s for s in training.sources if s.startswith("learner:")})
            return build_syllable_model("lenet", BLOCK_SIZE), 0.0

    job = Recorded(RetrainConfig(**TINY), collected, fixed_blocks(100))
    folds = learner_folds(collected.learners)
    current = Registry(tmp_path / "registry").current("syllable-lenet")
    judged = cross_fitted(job, current, job.base(), folds)
    assert judged.n == 50 and judged.model == "syllable-lenet:cross-fitted"
    assert len(learned) == len(folds) == 4
    for fold, seen in zip(folds, learned, strict=True):
        judging = {f"learner:{k}" for k in collected.learners[fold].tolist()}
        assert seen and not seen & judging and seen | judging == set(collected.blocks.sources)


def test_the_shipped_reader_fine_tuned_is_judged_and_kept_when_not_better(tmp_path):
    registry = Registry(tmp_path / "registry")
    config = RetrainConfig(**TINY, block_samples=str(write_blocks(tmp_path / "b.npz", [1, 2, 3])))
    heard: list[tuple[str, float]] = []
    report = retrain(config, registry, lambda message, done: heard.append((message, done)))
    trainings = [m.removeprefix("syllable-lenet: ") for m, done in heard if done == 0.0][2:]
    assert trainings == [
        *(f"training judging reader {k} of 3 (without some learners)" for k in (1, 2, 3)),
        "training the candidate on all the blocks",
    ]
    [decision] = report["models"]
    assert report["syllable_data"]["learners_for_training"] == 3
    assert report["syllable_data"]["judging_folds"] == 3
    assert decision["learners_before"] == {
        "accuracy": 1.0,
        "n": 30,
        "per_letter": {"(no final)": 1.0, "ㅏ": 1.0},
    }
    assert not decision["promoted"] and "not better on the held-out learners" in decision["reason"]
    assert registry.current("syllable-lenet").version == "packaged"
    [candidate] = registry.versions("syllable-lenet")  # the judging readers are not kept
    assert (tmp_path / "registry" / "syllable-lenet" / candidate / "retrain_report.json").exists()
    # fine-tuned, it claims the real writers its base learned from: the shipped reader, none
    meta = registry.resolve(f"syllable-lenet:{candidate}").meta
    assert meta["data"]["real_letter_writers"] == []
    assert meta["data"]["collected_sample_ids"] == list(range(30))  # learnt from every learner


@pytest.fixture
def weak_reader(tmp_path) -> Registry:
    """A registry serving an untrained syllable reader, which reads nothing right."""
    registry = Registry(tmp_path / "registry")
    torch.manual_seed(0)
    folder = tmp_path / "weak"
    model = build_syllable_model("lenet", BLOCK_SIZE)
    meta = syllable_meta("lenet", {"real_letter_writers": ["block0"]}, {}, {})
    write_model_folder(model, folder, meta, side=BLOCK_SIZE, outputs=OUTPUTS)
    weak = registry.add("syllable-lenet", folder)
    registry.promote("syllable-lenet", weak.version)
    return registry


def test_a_better_reader_is_promoted_served_without_restart_and_reported(tmp_path, weak_reader):
    assert isinstance(live_syllable_model("syllable-lenet", weak_reader), LiveSyllableModel)
    served = LiveSyllableModel("syllable-lenet", weak_reader, recheck=0)
    weak = served.version
    blocks = write_blocks(tmp_path / "b.npz", [1, 2])
    config = RetrainConfig(
        **{**TINY, "epochs": 30, "fine_tune": False, "collected_share": 0.6},
        block_samples=str(blocks),
    )
    report = retrain(config, weak_reader)
    [decision] = report["models"]
    assert decision["promoted"], decision["reason"]
    trained = weak_reader.resolve(f"syllable-lenet:{decision['after_version']}").meta["data"]
    assert trained["real_letter_writers"] == []  # from scratch: not the weak reader's block0
    assert decision["learners_before"]["accuracy"] < decision["learners_after"]["accuracy"]
    assert served.version == f"syllable-lenet:{decision['after_version']}"
    assert report["samples_used"] == sorted(report["samples_used"]) and report["samples_used"]
    told = describe_job("job1", {"state": "succeeded", "report": report})
    assert "Syllable reader: learned from 20 blocks in 20 pictures by 2 learners" in told
    assert "each read by a reader trained without its learner" in told
    assert f"syllable-lenet: serving {decision['after_version']}" in told
    weak_reader.rollback("syllable-lenet")
    assert served.version == weak


def write_letters(path: Path, learners: list[int]) -> Path:
    """One blank ㄱ per entry of ``learners``, as a retrain's letter export."""
    write_samples(
        path,
        ids=np.arange(len(learners)),
        images=np.zeros((len(learners), 28, 28), np.uint8),
        labels=np.array(["ㄱ"] * len(learners)),
        learners=np.array(learners),
    )
    return path


def test_each_family_needs_two_learners_and_says_why_it_was_left_out(tmp_path):
    registry = Registry(tmp_path / "registry")
    two = write_letters(tmp_path / "two.npz", [1, 2])
    one_writer = write_blocks(tmp_path / "b.npz", [7])
    config = RetrainConfig(**TINY, samples=str(two), block_samples=str(one_writer))
    report = retrain(config, registry)  # only the syllable reader was asked for
    assert "only one learner" in report["refused"] and report["models"] == []
    assert list(report["skipped"]) == ["syllables"]
    nothing = write_blocks(tmp_path / "none.npz", [])
    both = {**TINY, "models": ["lenet", "syllable-lenet"]}
    one = write_letters(tmp_path / "one.npz", [3, 3])
    config = RetrainConfig(**both, samples=str(one), block_samples=str(nothing))
    refused = retrain(config, registry)["refused"]
    assert refused.startswith("letters: pictures from only one learner")
    assert "; syllables: no collected pictures" in refused
    assert registry.versions("syllable-lenet") == [] and registry.versions("lenet") == []


async def test_a_sample_whose_blocks_do_not_match_its_label_is_left_out(db):
    side = BLOCK_SIZE * BLOCK_SIZE
    async with db.transaction() as session:
        learner = await queries.learner(session, "test", "1")
        for label, blocks in [("나무", 2), ("나무", 1), ("가", 1), ("ㄱ", 1)]:
            session.add(
                Sample(
                    learner_id=learner.id,
                    picture=b"p",
                    canonical=bytes(side * blocks),
                    label=label,
                    label_source=LabelSource.QUIZ_AGREED,
                    consent=True,
                )
            )
    async with db.transaction() as session:
        exported = await block_arrays(session)
    assert list(exported.labels) == ["나", "무", "가"] and exported.skipped == 1
    assert exported.pictures == 2 and exported.images.shape == (3, BLOCK_SIZE, BLOCK_SIZE)


def test_the_syllable_flywheel_learns_from_one_half_and_measures_on_the_other(dev_data):
    taught, unseen = halves(dev_data, "block1")
    assert set(taught) == set(unseen) and all(
        len(taught[x]) + len(unseen[x]) > 1 and len(taught[x]) >= len(unseen[x]) for x in taught
    )
    tiny = SyllableFlywheel(
        learners=2, per_learner=6, measure=20, synthetic_syllables=20, fixed_syllables_every=100
    )
    figures = run_flywheel(dev_data, tiny)
    assert figures["collected_blocks"] == 12 and figures["style_blocks"] == 20
    assert figures["syllable_data"]["learners_for_training"] == 2
    expected = figures["style_candidate"] if figures["promoted"] else figures["style_before"]
    assert figures["style_after"] == expected


async def test_an_admin_retrain_starts_on_syllables_alone_and_exports_their_blocks(tutor, db):
    side = BLOCK_SIZE * BLOCK_SIZE
    async with db.transaction() as session:
        for account in ("1", "2"):
            learner = await queries.learner(session, "test", account)
            session.add(
                Sample(
                    learner_id=learner.id,
                    picture=b"p",
                    canonical=bytes(2 * side),
                    label="나무",
                    label_source=LabelSource.LEARNER_CONFIRMED,
                    consent=True,
                )
            )
    [listed] = await tutor.handle_text(ADMIN, "/model")
    assert "syllable-lenet packaged (serving)" in listed.text
    assert "samples ready for the next retrain: 2" in listed.text
    [started] = await tutor.handle_text(ADMIN, "/retrain")
    assert "with 2 collected pictures from 2 learners" in started.text
    [folder] = [p.parent for p in jobs_root(tutor.registry).glob("*/status.json")]
    os.killpg(status(folder)["pid"], signal.SIGKILL)  # the job itself is tested above
    wait(folder, poll=0.1)
    config = json.loads((folder / CONFIG_FILE).read_text())
    assert config["models"] == ["lenet", "mlp", "syllable-lenet"]
    exported = load_blocks(config["block_samples"])
    assert exported.learner_count == 2 and len(exported.blocks) == 4  # two blocks each
    assert load_samples(config["samples"]).learner_count == 0  # no letters
