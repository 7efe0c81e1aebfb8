"""Retraining on a real Ray cluster: with ``RAY_ADDRESS`` set, a retrain is a Ray job; once it
promotes a candidate, the running model worker serves it without restarting, and a job stopped
midway is reported failed with the served model untouched.

Starts a Ray head (``ray start --head``, with the dashboard, whose job API takes the jobs) with
token authentication on, as deployed, for the module and stops it afterwards; skips where Ray is
not installed.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app.retraining import tell_worker
from bot.app.settings import Settings
from bot_fixtures import free_port
from ml.jobs.ray_jobs import RayCluster, RayJobsError
from ml.jobs.retrain_job import RetrainConfig, status, submit, wait
from ml.reading.registry import Registry
from ml.reading.worker_client import WorkerClient, WorkerUnavailable

pytestmark = pytest.mark.filterwarnings(
    "ignore:Using extra keyword arguments on `Field`:DeprecationWarning"  # Ray's pydantic models
)

BIN = Path(sys.executable).parent
TINY = {"synthetic_per_letter": 30, "epochs": 6, "held_out_per_letter": 4, "models": ["lenet"]}


def ray_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "ray"), *args], env=env, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Ray head on this machine, and the environment that points at it."""
    if not (BIN / "ray").exists():
        pytest.skip("Ray is not installed: pip install 'hangul-tutor[worker]'")
    registry = tmp_path_factory.mktemp("registry")
    gcs, dashboard = free_port(), free_port()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",  # the job's `python` is this one
        "RAY_USAGE_STATS_ENABLED": "0",
        "HANGUL_MODEL_REGISTRY": str(registry),
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    env.pop("RAY_ADDRESS", None)
    started = ray_cli(
        "start",
        "--head",
        f"--port={gcs}",
        "--num-cpus=2",
        "--include-dashboard=true",
        "--dashboard-host=127.0.0.1",
        f"--dashboard-port={dashboard}",
        "--disable-usage-stats",
        env=env,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield {
            **env,
            "RAY_ADDRESS": f"127.0.0.1:{gcs}",
            "RAY_API_SERVER_ADDRESS": f"http://127.0.0.1:{dashboard}",
        }
    finally:
        ray_cli("stop", "--force", env=env)


@pytest.fixture(scope="module")
def served(cluster, tiny_model_dir):
    """``hangul-ml worker`` deployed on the cluster from its own process, serving a weak LeNet
    (trained on noise); this process talks to the cluster only over HTTP, as the bot does. Yields
    the registry, a client of the worker and the settings that point at the cluster."""
    settings = Settings.load(cluster)
    registry = settings.registry
    weak = registry.add("lenet", tiny_model_dir)
    registry.promote("lenet", weak.version)
    port = free_port()
    worker = subprocess.Popen(
        [str(BIN / "hangul-ml"), "worker", "--port", str(port)],
        env=cluster,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with WorkerClient(f"http://127.0.0.1:{port}", timeout=10.0) as client:
            deadline = time.monotonic() + 180
            while True:
                assert worker.poll() is None, "hangul-ml worker exited"
                try:
                    client.health()
                    break
                except WorkerUnavailable:
                    assert time.monotonic() < deadline, "the worker never answered"
                    time.sleep(1)
            yield registry, client, settings
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def test_a_retrain_runs_as_a_ray_job_and_the_worker_serves_its_model_in_place(served):
    registry, client, settings = served
    before = client.health()
    assert before["versions"]["lenet"] == registry.current("lenet").version
    config = RetrainConfig(**{**TINY, "max_letter_drop": 1.0})
    folder = submit(config, registry, settings.ray)
    job = status(folder, settings.ray)["ray_job"]
    assert settings.ray.state(job)["status"] in ("PENDING", "RUNNING", "SUCCEEDED")
    messages = []
    final = wait(
        folder, lambda s: messages.append(s.get("message")), poll=0.5, cluster=settings.ray
    )
    assert final["state"] == "succeeded", final
    [verdict] = final["report"]["models"]
    assert verdict["promoted"], verdict["reason"]
    assert "lenet: training the candidate on all the pictures" in messages
    after = client.health()
    assert after["versions"]["lenet"] == verdict["after_version"]
    assert after["replica"] == before["replica"]  # reconfigured in place, not restarted


def test_a_rollback_from_a_process_without_ray_reaches_the_worker_through_a_job(served):
    registry, client, settings = served
    only_the_job_api = replace(settings, ray=replace(settings.ray, address=None))  # as the bot
    restored = registry.rollback("lenet")
    tell_worker(only_the_job_api)
    deadline = time.monotonic() + 120
    while client.health()["versions"]["lenet"] != restored.version:
        assert time.monotonic() < deadline, "the worker never switched"
        time.sleep(0.5)


def test_a_ray_job_stopped_midway_is_reported_failed_and_changes_nothing(served):
    registry, client, settings = served
    serving = registry.current("lenet").version
    folder = submit(RetrainConfig(**TINY), registry, settings.ray)
    deadline = time.monotonic() + 120
    while status(folder, settings.ray)["state"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert settings.ray.stop(status(folder, settings.ray)["ray_job"])
    final = wait(folder, poll=0.2, cluster=settings.ray)
    assert final["state"] == "failed" and "STOPPED" in final["error"], final
    assert registry.current("lenet").version == serving
    assert client.health()["versions"]["lenet"] == serving


def test_a_cluster_that_does_not_answer_fails_the_submission_clearly(tmp_path):
    nobody = RayCluster(api_server=f"http://127.0.0.1:{free_port()}")
    registry = Registry(tmp_path)
    with pytest.raises(RayJobsError, match="unreachable"):
        submit(RetrainConfig(**TINY), registry, nobody)
    [folder] = [p.parent for p in (tmp_path / "jobs").glob("*/status.json")]
    assert status(folder)["state"] == "failed"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"RAY_API_SERVER_ADDRESS": "http://head:9000/"}, "http://head:9000"),
        ({"RAY_ADDRESS": "http://head:8265"}, "http://head:8265"),
        ({"RAY_ADDRESS": "ray-head:6379"}, "http://ray-head:8265"),
        ({"RAY_ADDRESS": "ray://ray-head:10001"}, "http://ray-head:8265"),
        ({"RAY_ADDRESS": "auto"}, "http://127.0.0.1:8265"),
    ],
)
def test_the_job_api_address_follows_rays_conventions(env, expected, tmp_path):
    cluster = Settings.load(env, tmp_path / "no.env").ray
    assert cluster.configured
    assert cluster.api_address == expected
