"""The model worker on a real local Ray: same answers as in-process, batching, bad requests,
versions switched in place, and a client that fails fast when no worker listens.

Starts one Ray instance (two CPUs, no dashboard) for the whole module; skips where Ray is not
installed (``pip install 'hangul-tutor[worker]'``).
"""

from __future__ import annotations

import base64
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

from bot_fixtures import free_port, letter_png
from ml.reading.alphabet import LETTERS
from ml.reading.classifier import Classifier
from ml.reading.preprocess import canonicalize
from ml.reading.registry import PACKAGED_ROOT, Registry, RegistryError
from ml.reading.syllables import SyllableModel
from ml.reading.worker_client import WorkerClient, WorkerUnavailable
from ml.writing.strokes import render_letter

pytestmark = pytest.mark.filterwarnings(
    "ignore:Using extra keyword arguments on `Field`:DeprecationWarning"  # Ray's pydantic models
)


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    return Registry(tmp_path_factory.mktemp("registry"))


@pytest.fixture(scope="module")
def worker_url(registry: Registry):
    """A worker deployed on a fresh local Ray, serving from ``registry``."""
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'ray[serve]'")
    from ray import serve

    from ml.jobs import worker

    with pytest.MonkeyPatch.context() as env:
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        env.delenv("RAY_ADDRESS", raising=False)
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            yield worker.deploy(registry.root, port=free_port())
        finally:
            serve.shutdown()
            ray.shutdown()


@pytest.fixture(scope="module")
def client(worker_url: str):
    with WorkerClient(worker_url, timeout=10.0) as client:
        yield client


@pytest.fixture(scope="module")
def images() -> np.ndarray:
    """Canonical 28x28 images of 16 letters drawn by random stroke writers."""
    rng = np.random.default_rng(7)
    canonicals = [canonicalize(render_letter(letter, rng)) for letter in LETTERS[:16]]
    return np.stack([c.image for c in canonicals if c.ok])


def post(url: str, body: object) -> httpx.Response:
    return httpx.post(f"{url}/classify", json=body, timeout=10.0)


def encoded(images: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(images, np.float32).tobytes()).decode()


@pytest.mark.parametrize("model", ["lenet", "mlp"])
def test_worker_gives_the_in_process_probabilities(client, images, model):
    version, probabilities = client.probabilities(model, images)
    expected = Classifier.load(model).probabilities(images)
    assert version == f"{model}:packaged"
    assert probabilities.shape == (len(images), 41)
    assert np.allclose(probabilities, expected, atol=1e-5)


def test_worker_reads_syllable_blocks_as_in_process(worker_url, client, registry):
    blocks = np.random.default_rng(3).random((5, 32, 32), np.float32)
    local = SyllableModel(registry.current("syllable-lenet"))
    version, heads = client.outputs("syllable-lenet", blocks)
    expected = local.computed(blocks)
    assert version == "syllable-lenet:packaged" and set(heads) == set(expected)
    for name, rows in expected.items():
        assert np.allclose(heads[name], rows, atol=1e-5)
    remote = SyllableModel(registry.current("syllable-lenet"), worker=WorkerClient(worker_url))
    assert [r.text for r in remote.read(blocks)] == [r.text for r in local.read(blocks)]
    wrong_size = {"model": "syllable-lenet", "images": encoded(np.zeros((1, 28, 28))), "n": 1}
    answer = post(worker_url, wrong_size)
    assert answer.status_code == 400 and "32x32" in answer.json()["error"]


def test_concurrent_requests_are_all_answered_correctly(client, images):
    expected = Classifier.load("lenet").probabilities(images)
    jobs = [i % len(images) for i in range(64)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: client.probabilities("lenet", images[i : i + 1]), jobs))
    for i, (_, probabilities) in zip(jobs, answers, strict=True):
        assert np.allclose(probabilities[0], expected[i], atol=1e-5)


@pytest.mark.parametrize(
    "body, message",
    [
        ({"model": "resnet", "images": "", "n": 1}, "unknown model"),
        ({"model": "lenet", "images": encoded(np.zeros((2, 28, 28))), "n": 3}, "bytes"),
        ({"model": "lenet", "images": encoded(np.zeros((1, 27, 28))), "n": 1}, "bytes"),
        ({"model": "lenet", "images": "%%%", "n": 1}, "base64"),
        ({"model": "lenet", "images": encoded(np.full((1, 28, 28), np.nan)), "n": 1}, "NaN"),
        ({"model": "lenet", "images": "", "n": 0}, "'n'"),
        ({"model": "lenet", "images": "", "n": "1"}, "'n'"),
        (["lenet"], "JSON object"),
    ],
)
def test_malformed_requests_get_400_and_the_worker_keeps_answering(
    worker_url, client, images, body, message
):
    answer = post(worker_url, body)
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client.probabilities("lenet", images[:1])[1].shape == (1, 41)


def test_a_body_that_is_not_json_gets_400(worker_url):
    answer = httpx.post(f"{worker_url}/classify", content=b"\xff not json", timeout=10.0)
    assert answer.status_code == 400


def test_a_refused_request_raises_worker_unavailable(client, images):
    with pytest.raises(WorkerUnavailable, match="400"):
        client.probabilities("resnet", images)


def test_update_versions_switches_a_model_in_place(client, registry, images):
    from ml.jobs import worker

    added = registry.add("lenet", PACKAGED_ROOT / "lenet")
    registry.promote("lenet", added.version)
    replica = client.health()["replica"]
    try:
        served = worker.update_versions(registry.root)
        both = {"lenet": added.version, "mlp": "packaged", "syllable-lenet": "packaged"}
        assert served == both
        health = client.health()
        assert health["versions"] == both
        assert health["replica"] == replica, "the replica was restarted"
        assert client.probabilities("lenet", images)[0] == f"lenet:{added.version}"
        worker.update_versions(registry.root, {"lenet": "packaged"})
        assert client.health()["versions"]["lenet"] == "packaged"
    finally:
        registry.rollback("lenet")
        worker.update_versions(registry.root)


def test_update_versions_refuses_a_version_the_registry_lacks(client, registry):
    from ml.jobs import worker

    with pytest.raises(RegistryError):
        worker.update_versions(registry.root, {"lenet": "v0099"})
    assert client.health()["versions"]["lenet"] == "packaged"


def test_replicas_ask_for_a_gpu_fraction_only_where_the_cluster_has_gpus():
    pytest.importorskip("ray", reason="Ray is not installed: pip install 'ray[serve]'")
    from ml.jobs import worker

    def actor_options(gpu: bool) -> dict:
        return worker._app_config({}, 2, gpu)["deployments"][0]["ray_actor_options"]

    assert actor_options(False) == {"num_cpus": 1}
    assert actor_options(True) == {"num_cpus": 1, "num_gpus": worker.GPU_PER_REPLICA}


def test_client_fails_fast_when_nothing_listens(images):
    client = WorkerClient(f"http://127.0.0.1:{free_port()}", timeout=0.5)
    start = time.monotonic()
    with pytest.raises(WorkerUnavailable):
        client.probabilities("lenet", images[:1])
    assert time.monotonic() - start < 0.5 + 0.2


def test_a_classifier_reads_through_the_worker_as_in_process(worker_url, registry):
    picture = letter_png("ㅛ")
    local = Classifier.open(registry.current("lenet"))
    remote = Classifier.open(registry.current("lenet"), worker=WorkerClient(worker_url))
    here, there = local.read(picture), remote.read(picture)
    assert (there.verdict, there.letter) == (here.verdict, here.letter) == ("ok", "ㅛ")
    assert there.confidence == pytest.approx(here.confidence, abs=1e-5)


def test_a_rollback_on_a_ray_cluster_reaches_the_worker(client, registry):
    from bot.app.retraining import tell_worker
    from bot.app.settings import Settings
    from ml.jobs.ray_jobs import RayCluster

    # This process is already connected to the cluster ("auto").
    settings = Settings(model_registry=registry.root, ray=RayCluster(address="auto"))
    added = registry.add("lenet", PACKAGED_ROOT / "lenet")
    registry.promote("lenet", added.version)
    tell_worker(settings)
    assert client.health()["versions"]["lenet"] == added.version
    registry.rollback("lenet")
    tell_worker(settings)
    assert client.health()["versions"]["lenet"] == "packaged"
