"""The admin who started a retrain is told how it goes, once per change, across restarts."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict

from bot.app.retrain_watch import RetrainWatcher
from bot.app.retraining import describe_job
from bot_fixtures import RecordingNotifier
from ml.jobs.retrain_job import CONFIG_FILE, CONFUSION_FILE, STATUS_FILE, RetrainConfig, jobs_root
from ml.reading.registry import Registry

REPORT = {
    "data": {
        "collected_for_training": 112,
        "learners_for_training": 4,
        "judging_folds": 4,
        "held_out_images": 2000,
    },
    "models": [
        {
            "name": "lenet",
            "promoted": True,
            "before_version": "packaged",
            "after_version": "v0001",
            "before": {"accuracy": 0.9, "per_letter": {"ㄱ": 0.9, "ㄴ": 1.0}},
            "after": {"accuracy": 0.95, "per_letter": {"ㄱ": 1.0, "ㄴ": 1.0}},
            "learners_before": {"accuracy": 0.5},
            "learners_after": {"accuracy": 0.75},
            "reason": "better overall (95.00% vs 90.00%)",
        }
    ],
}


def write_job(registry: Registry, requested_by: str | None, **state) -> str:
    """A job folder as ``ml.jobs.retrain_job`` writes it (its process: this one, alive)."""
    folder = jobs_root(registry) / "20260301T000000"
    folder.mkdir(parents=True, exist_ok=True)
    config = RetrainConfig(requested_by=requested_by)
    (folder / CONFIG_FILE).write_text(json.dumps(asdict(config)))
    status = {"pid": os.getpid(), "host": socket.gethostname(), **state}
    (folder / STATUS_FILE).write_text(json.dumps(status))
    return folder.name


async def test_each_new_stage_and_the_decision_reach_the_admin_once(tmp_path):
    registry = Registry(tmp_path)
    notifier = RecordingNotifier()
    watcher = RetrainWatcher(registry, {"test": notifier})
    job = write_job(
        registry, "test:admin", state="running", progress=0.25, message="training lenet"
    )
    assert await watcher.tick() == 1
    assert await watcher.tick() == 0
    confusion = registry.root / "lenet" / "v0001" / CONFUSION_FILE
    confusion.parent.mkdir(parents=True)
    confusion.write_bytes(b"PNG of the confusion matrix")
    write_job(
        registry, "test:admin", state="succeeded", progress=1.0, message="done", report=REPORT
    )
    assert await RetrainWatcher(registry, {"test": notifier}).tick() == 1  # after a restart too
    assert await watcher.tick() == 0
    (to, [first]), (_, [last]) = notifier.sent
    assert to.platform_id == "admin" and first.text == f"Retrain {job}: 25% (training lenet)."
    assert last.text.startswith(f"Retrain {job} finished.") and "serving v0001" in last.text
    assert "moved most: ㄱ 90% → 100%" in last.text and "ㄴ" not in last.text
    learned = "Learned from 112 pictures by 4 learners; judged on those pictures, each read by"
    assert learned in last.text
    assert "held-out learners 50.0% → 75.0%; fixed held-out set 90.0% → 95.0%" in last.text
    assert [p.data for p in last.images] == [b"PNG of the confusion matrix"]
    assert first.images == ()


def test_a_report_from_before_every_learner_judged_is_told_as_it_was_judged():
    data = {k: v for k, v in REPORT["data"].items() if k != "judging_folds"}
    older = {**REPORT, "data": data | {"collected_held_out": 28, "learners_held_out": 1}}
    told = describe_job("job0", {"state": "succeeded", "report": older})
    assert "judged on 28 pictures by 1 other learners and on 2000 fixed" in told


async def test_jobs_started_from_the_command_line_are_nobodys_to_tell(tmp_path):
    registry = Registry(tmp_path)
    notifier = RecordingNotifier()
    write_job(registry, None, state="running", progress=0.5, message="training mlp")
    assert await RetrainWatcher(registry, {"test": notifier}).tick() == 0
    assert notifier.sent == []
