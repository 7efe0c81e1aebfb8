"""The model worker: both letter models (``lenet`` and ``mlp``) and the syllable reader
(``syllable-lenet``) behind one Ray Serve application.

The bot canonicalises pictures itself; only canonical float32 images travel here: 28x28 letters
(``ml.reading.preprocess``) and 32x32 syllable blocks (``ml.reading.blocks``). Concurrent requests
are gathered by ``@serve.batch`` and read with one ONNX Runtime call per model, on CUDA when the
replica has a GPU, else on the CPU.

HTTP interface (``ml.reading.worker_client.WorkerClient`` speaks it)::

    POST /classify  {"model": "lenet", "images": "<base64 float32 (N, 28, 28), C order>", "n": N}
                    -> {"model": "lenet:v0003", "probabilities": [[41 floats], ...]}
    POST /classify  {"model": "syllable-lenet", "images": "<base64 float32 (N, 32, 32)>", "n": N}
                    -> {"model": "syllable-lenet:packaged", "initial": [[19 floats], ...],
                        "medial": [[21 floats], ...], "final": [[28 floats], ...],
                        "kind": [[3 floats], ...]}
    GET  /health    -> {"versions": {"lenet": "v0003", "mlp": "packaged",
                        "syllable-lenet": "packaged"}, "device": "cpu", "replica": "<replica id>"}

Bad requests get 400 and ``{"error": "..."}``. The registry and the model versions are the
Serve ``user_config`` (``{"registry": "/var/lib/hangul/models", "versions": {"lenet": "v0003"}}``;
a model left out gets the registry's current version, a registry left out the per-user default),
so :func:`update_versions` switches them in place, without restarting replicas.

Run it with ``hangul-ml worker`` or from Python::

    from ml.jobs import worker
    url = worker.deploy(registry_root, port=8000)       # joins ``address``, or a local Ray
    worker.update_versions(registry_root, {"lenet": "v0003"})
    worker.update_versions(registry_root)   # after a promotion: the registry's current versions
    worker.shutdown()

The application is deployed from a Serve config (import path ``ml.jobs.worker:app``), as
``serve deploy`` would, because only config deployments update ``user_config`` in place;
``serve run ml.jobs.worker:app`` works too.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import ray
from ray import serve
from ray.serve.context import _get_global_client
from ray.serve.schema import ServeDeploySchema
from starlette.requests import Request
from starlette.responses import JSONResponse

from ml.reading.blocks import BLOCK_SIZE
from ml.reading.classifier import CPU, OnnxModel
from ml.reading.preprocess import SIZE
from ml.reading.registry import ModelVersion, Registry, RegistryError
from ml.reading.syllables import DEFAULT_MODEL as SYLLABLE_MODEL
from ml.reading.syllables import SyllableModel, is_syllable_model

log = logging.getLogger(__name__)

APP_NAME = "hangul-letters"
DEPLOYMENT_NAME = "LetterModels"
MODEL_NAMES = ("lenet", "mlp", SYLLABLE_MODEL)
MAX_IMAGES = 256
"""The most images one request may carry."""
MAX_BATCH_REQUESTS = 64
BATCH_WAIT_S = 0.0
"""No waiting for a fuller batch: requests that queue while the replica is busy are batched
(measured on 2 CPUs: a 2 ms wait only added latency). Worth raising on a GPU under load."""
GPU_PER_REPLICA = 0.25
CUDA = "CUDAExecutionProvider"
READY_TIMEOUT_S = 120.0


class BadRequest(ValueError):
    """A request the worker refuses (answered with 400 and this message)."""


ServedModel = OnnxModel | SyllableModel


def load_model(stored: ModelVersion) -> ServedModel:
    """``stored`` (a letter model or a syllable reader) on ONNX Runtime, on CUDA when ONNX
    Runtime has it."""
    providers = (CUDA, *CPU) if CUDA in ort.get_available_providers() else CPU
    if is_syllable_model(stored.name):
        return SyllableModel(stored, providers=providers)
    return OnnxModel(stored, providers=providers)


def image_side(name: str) -> int:
    """The side of the canonical images the model ``name`` reads."""
    return BLOCK_SIZE if is_syllable_model(name) else SIZE


def outputs(model: ServedModel, images: np.ndarray) -> dict[str, np.ndarray]:
    """The model's outputs by name: ``probabilities`` for a letter model, each head's for a
    syllable reader."""
    if isinstance(model, SyllableModel):
        return model.computed(images)
    return {"probabilities": model.probabilities(images)}


def decode_request(payload: Any, known: set[str] | frozenset[str]) -> tuple[str, np.ndarray]:
    """The model name and (N, side, side) float32 images (:func:`image_side`) of a
    ``/classify`` body, or :class:`BadRequest`."""
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    model, images, n = payload.get("model"), payload.get("images"), payload.get("n")
    if model not in known:
        raise BadRequest(f"unknown model {model!r}; known: {', '.join(sorted(known))}")
    side = image_side(model)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_IMAGES:
        raise BadRequest(f"'n' must be an integer from 1 to {MAX_IMAGES}")
    if not isinstance(images, str):
        raise BadRequest("'images' must be a base64 string")
    try:
        raw = base64.b64decode(images, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("'images' is not valid base64") from None
    expected = n * side * side * 4
    if len(raw) != expected:
        raise BadRequest(
            f"'images' holds {len(raw)} bytes; {n} float32 images of {side}x{side} take {expected}"
        )
    array = np.frombuffer(raw, dtype=np.float32).reshape(n, side, side)
    if not np.isfinite(array).all():
        raise BadRequest("'images' holds NaN or infinite values")
    return model, array


@serve.deployment(name=DEPLOYMENT_NAME, max_ongoing_requests=256)
class LetterModels:
    """One replica: each model of :data:`MODEL_NAMES` (the letter models and the syllable
    reader), requests batched per model."""

    def __init__(self) -> None:
        self.models: dict[str, ServedModel] = {}
        self.device = "cuda" if CUDA in ort.get_available_providers() else "cpu"
        self.reconfigure({})

    def reconfigure(self, config: dict) -> None:
        """Load the versions named in ``config["versions"]`` from the registry at
        ``config["registry"]`` (the registry's current version for a model left out), then swap
        them in at once. A version that fails to load raises, and Serve replaces the replica:
        :func:`deploy` and :func:`update_versions` check first."""
        registry = Registry(config.get("registry"))
        versions = config.get("versions") or {}
        loaded = {}
        for name in MODEL_NAMES:
            version = versions.get(name)
            stored = registry.get(name, version) if version else registry.current(name)
            current = self.models.get(name)
            same = current is not None and current.stored.path == stored.path
            loaded[name] = current if same else load_model(stored)
        self.models = loaded
        log.info("serving %s on %s", ", ".join(m.version for m in loaded.values()), self.device)

    @serve.batch(max_batch_size=MAX_BATCH_REQUESTS, batch_wait_timeout_s=BATCH_WAIT_S)
    async def classify(
        self, requests: list[tuple[str, np.ndarray]]
    ) -> list[tuple[str, dict[str, np.ndarray]]]:
        """Outputs for a batch of requests: one ONNX Runtime call per model named."""
        results: list[tuple[str, dict[str, np.ndarray]] | None] = [None] * len(requests)
        for name in {model for model, _ in requests}:
            indices = [i for i, (model, _) in enumerate(requests) if model == name]
            model = self.models[name]
            found = outputs(model, np.concatenate([requests[i][1] for i in indices]))
            bounds = np.cumsum([len(requests[i][1]) for i in indices])[:-1]
            parts = {key: np.split(rows, bounds) for key, rows in found.items()}
            for k, i in enumerate(indices):
                results[i] = (model.version, {key: rows[k] for key, rows in parts.items()})
        return results

    def health(self) -> dict:
        """The versions served, the device and this replica's id."""
        return {
            "versions": {name: m.stored.version for name, m in self.models.items()},
            "device": self.device,
            "replica": serve.get_replica_context().replica_id.unique_id,
        }

    async def __call__(self, request: Request) -> JSONResponse:
        path = request.url.path.rstrip("/")
        if request.method == "GET" and path.endswith("/health"):
            return JSONResponse(self.health())
        if request.method != "POST" or not path.endswith("/classify"):
            return JSONResponse({"error": "use POST /classify or GET /health"}, status_code=404)
        try:
            model, images = decode_request(await _json(request), frozenset(self.models))
        except BadRequest as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        version, found = await self.classify((model, images))
        return JSONResponse({"model": version} | {k: rows.tolist() for k, rows in found.items()})


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the body is not JSON") from None


def build_app(versions: dict | None = None) -> serve.Application:
    """The worker application, serving ``versions`` (``{"lenet": "v0003"}``; the registry's
    current version for a model left out) from the per-user registry; a config deployment sets
    its own registry and versions."""
    return LetterModels.options(user_config={"versions": dict(versions or {})}).bind()


app = build_app()
"""The default application, for ``serve run ml.jobs.worker:app`` and config deployments."""


def _connect(address: str | None) -> None:
    """Join the cluster at ``address``, or start a local Ray with this machine's CPUs."""
    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(
            address="local", num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False
        )


def _actor_options(gpu: bool) -> dict:
    options: dict[str, Any] = {"num_cpus": 1}
    if gpu:
        options["num_gpus"] = GPU_PER_REPLICA
    return options


def _resolve_versions(registry: Registry, versions: dict) -> dict[str, str]:
    """Every model's version: the one asked for, else the registry's current one. Raises
    :class:`ml.reading.registry.RegistryError` for a version the registry lacks (a replica failing
    to load one would be restarted with it until Serve gives up)."""
    unknown = set(versions) - set(MODEL_NAMES)
    if unknown:
        raise RegistryError(f"the worker serves {', '.join(MODEL_NAMES)}, not {sorted(unknown)}")
    return {
        name: registry.get(name, versions[name]).version
        if versions.get(name)
        else registry.current(name).version
        for name in MODEL_NAMES
    }


def _user_config(registry: Registry, versions: dict) -> dict:
    return {"registry": str(registry.root), "versions": dict(versions)}


def _app_config(user_config: dict, replicas: int, gpu: bool) -> dict:
    return {
        "name": APP_NAME,
        "route_prefix": "/",
        "import_path": "ml.jobs.worker:app",
        "deployments": [
            {
                "name": DEPLOYMENT_NAME,
                "num_replicas": replicas,
                "user_config": user_config,
                "ray_actor_options": _actor_options(gpu),
            }
        ],
    }


def _apply(app_config: dict, host: str, port: int) -> None:
    """Deploy ``app_config`` as ``serve deploy`` would and wait until every replica runs it."""
    config = ServeDeploySchema(http_options={"host": host, "port": port}, applications=[app_config])
    _get_global_client().deploy_apps(config)
    _wait_until_running(app_config["deployments"][0]["user_config"])


def _wait_until_running(user_config: dict) -> None:
    """Wait until the deployment is healthy with ``user_config`` on all its replicas."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        details = _get_global_client().get_serve_details()
        app_details = details.get("applications", {}).get(APP_NAME, {})
        deployment = app_details.get("deployments", {}).get(DEPLOYMENT_NAME, {})
        if app_details.get("status") == "DEPLOY_FAILED" or deployment.get("status") in (
            "UNHEALTHY",
            "DEPLOY_FAILED",
        ):
            raise RuntimeError(f"the worker failed to deploy: {deployment.get('message', '')}")
        # The application turns DEPLOYING as the config is applied, RUNNING once every replica
        # has been reconfigured.
        running = app_details.get("status") == "RUNNING" and deployment.get("status") == "HEALTHY"
        if running and _deployed_user_config(app_details) == user_config:
            return
        time.sleep(0.2)
    raise TimeoutError(f"the worker was not running after {READY_TIMEOUT_S:.0f} s")


def _deployed_user_config(app_details: dict) -> dict | None:
    deployments = (app_details.get("deployed_app_config") or {}).get("deployments", [])
    return next((d.get("user_config") for d in deployments if d["name"] == DEPLOYMENT_NAME), None)


def deploy(
    registry_root: Path | str,
    port: int = 8000,
    host: str = "127.0.0.1",
    replicas: int = 1,
    versions: dict | None = None,
    address: str | None = None,
) -> str:
    """Deploy the worker serving the registry at ``registry_root`` (joining the cluster at
    ``address`` if given, else on a local Ray); its URL.

    Each replica takes one CPU and, where the cluster has GPUs, a fraction of one."""
    registry = Registry(registry_root)
    pinned = _resolve_versions(registry, versions or {})
    _connect(address)
    gpu = ray.cluster_resources().get("GPU", 0) > 0
    serve.start(http_options={"host": host, "port": port})
    # A Serve instance already running on the cluster keeps its own address.
    http = _get_global_client().get_serve_details()["http_options"]
    if (http["host"], http["port"]) != (host, port):
        log.warning("Serve already listens on %s:%s; deploying there", http["host"], http["port"])
    _apply(_app_config(_user_config(registry, pinned), replicas, gpu), http["host"], http["port"])
    url = f"http://{http['host']}:{http['port']}"
    log.info("model worker at %s (%d replica(s), %s)", url, replicas, "GPU" if gpu else "CPU")
    return url


def update_versions(
    registry_root: Path | str, versions: dict | None = None, address: str | None = None
) -> dict[str, str]:
    """Serve ``versions`` (``{"lenet": "v0003"}``; a model left out: the registry's current
    version, so that ``update_versions(root)`` after a promotion or rollback serves it) from the
    registry at ``registry_root`` on the running worker (on the cluster at ``address``), in
    place: replicas reload their models without restarting. Returns the versions now served.

    Versions are resolved here, against that registry, which must be the one the replicas can
    read (the same path on a shared volume)."""
    registry = Registry(registry_root)
    pinned = _resolve_versions(registry, versions or {})
    _connect(address)
    details = _get_global_client().get_serve_details()
    app_config = details["applications"][APP_NAME]["deployed_app_config"]
    app_config["deployments"][0]["user_config"] = _user_config(registry, pinned)
    http = details["http_options"]
    _apply(app_config, http["host"], http["port"])
    log.info("model worker now serves %s", pinned)
    return pinned


def shutdown() -> None:
    """Stop the worker and its HTTP proxy, then leave Ray (stopping the local Ray that
    :func:`deploy` started; a cluster it joined keeps running)."""
    serve.shutdown()
    ray.shutdown()
