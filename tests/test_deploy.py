"""The deployment files in deploy/ (images, compose, Kubernetes) agree with the code and the docs.

Offline checks only: nothing is built or pulled. Where `docker compose` works, the compose file is
also validated by Compose itself.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILES = sorted(DEPLOY.glob("*.Dockerfile"))
YAML_FILES = sorted(DEPLOY.rglob("*.yaml"))
SECRET_KEY = re.compile(r"TOKEN|SECRET|PASSWORD")
PLACEHOLDER = "REPLACE_ME"
REGISTRY_PATH = "/var/lib/hangul/models"


def load_all(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def compose() -> dict:
    return load_all(COMPOSE)[0]


def manifests() -> list[tuple[Path, dict]]:
    return [(path, doc) for path in sorted(K8S.glob("*.yaml")) for doc in load_all(path)]


def rayservice() -> dict:
    return next(doc for _, doc in manifests() if doc["kind"] == "RayService")


def serve_config() -> dict:
    return yaml.safe_load(rayservice()["spec"]["serveConfigV2"])


def env_items(node) -> list[tuple[str, object]]:
    """Every (name, value) pair of an environment anywhere in a YAML tree: compose mappings
    and lists, Kubernetes env lists (value or valueFrom), ConfigMap/Secret data."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "environment" and isinstance(value, dict):
                found += value.items()
            elif key == "environment" and isinstance(value, list):
                found += [tuple(item.split("=", 1)) for item in value]
            elif key == "env" and isinstance(value, list):
                found += [(e["name"], e.get("value", e.get("valueFrom"))) for e in value]
            elif key in ("data", "stringData") and node.get("kind") in ("ConfigMap", "Secret"):
                found += value.items()
            else:
                found += env_items(value)
    elif isinstance(node, list):
        for item in node:
            found += env_items(item)
    return found


def env_file(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("=", 1)) for line in lines if line.strip() and not line[0] == "#"]


def is_reference_or_placeholder(value) -> bool:
    if not isinstance(value, str):  # valueFrom: secretKeyRef / configMapKeyRef
        return isinstance(value, dict) and set(value) <= {"secretKeyRef", "configMapKeyRef"}
    return value in ("", PLACEHOLDER) or value.startswith("${") or PLACEHOLDER in value


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path):
    assert load_all(path), f"{path} is empty"


def test_compose_dependencies_name_services():
    services = compose()["services"]
    for name, service in services.items():
        depends = service.get("depends_on", [])
        for dependency in depends if isinstance(depends, list) else depends.keys():
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_compose_bot_waits_for_the_migration_and_the_migration_for_postgres():
    services = compose()["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "healthcheck" in services["postgres"]


def test_compose_registry_volume_is_mounted_at_one_path_everywhere():
    config = compose()
    assert "registry" in config["volumes"]
    mounts = {
        name: volume.split(":")[1]
        for name, service in config["services"].items()
        for volume in service.get("volumes", [])
        if volume.split(":")[0] == "registry"
    }
    assert {"bot", "ray-head", "ray-gpu-worker"} <= set(mounts)
    assert set(mounts.values()) == {REGISTRY_PATH}
    for name in mounts:
        registry_env = config["services"][name]["environment"]["HANGUL_MODEL_REGISTRY"]
        assert registry_env == REGISTRY_PATH, name


def test_compose_publishes_nothing_but_ray_dashboard_on_loopback():
    published = {
        name: service["ports"]
        for name, service in compose()["services"].items()
        if service.get("ports")
    }
    assert published == {"ray-head": ["127.0.0.1:8265:8265"]}


def test_compose_gpu_worker_reserves_an_nvidia_gpu():
    worker = compose()["services"]["ray-gpu-worker"]
    devices = worker["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    assert "--address=ray-head:6379" in worker["command"]


def test_no_literal_secrets_in_compose_or_manifests():
    pairs = env_items(compose()) + [item for _, doc in manifests() for item in env_items(doc)]
    pairs += [item for path in DEPLOY.glob("*.env.example") for item in env_file(path)]
    secret_pairs = [(k, v) for k, v in pairs if SECRET_KEY.search(k)]
    assert secret_pairs
    for key, value in secret_pairs:
        assert is_reference_or_placeholder(value), f"{key} holds a literal value"
    # A database URL carries a password: interpolated, referenced or a placeholder.
    for key, value in pairs:
        if key == "HANGUL_DATABASE_URL" and isinstance(value, str):
            assert "${POSTGRES_PASSWORD" in value or PLACEHOLDER in value, value


def test_secrets_live_only_in_the_example_file():
    for path, doc in manifests():
        if doc["kind"] == "Secret":
            assert path.name == "secrets.example.yaml", path
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert "secrets.example.yaml" not in listed
    skip = ("kustomization.yaml", "secrets.example.yaml")
    assert sorted(listed) == sorted(p.name for p in K8S.glob("*.yaml") if p.name not in skip)


def test_manifests_have_api_version_kind_and_name():
    for path, doc in manifests():
        if path.name == "kustomization.yaml":
            continue
        assert doc.get("apiVersion") and doc.get("kind"), path
        assert doc.get("metadata", {}).get("name"), f"{path}: {doc['kind']} without a name"


def test_rayservice_serves_the_worker_application():
    source = (ROOT / "ml" / "jobs" / "worker.py").read_text(encoding="utf-8")
    constants = {
        node.targets[0].id: node.value.value
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    (app,) = serve_config()["applications"]
    module, _, attribute = app["import_path"].partition(":")
    assert module == "ml.jobs.worker" and re.search(rf"^{attribute} = ", source, re.M)
    assert app["name"] == constants["APP_NAME"]
    (deployment,) = app["deployments"]
    assert deployment["name"] == constants["DEPLOYMENT_NAME"]
    assert deployment["ray_actor_options"]["num_gpus"] == constants["GPU_PER_REPLICA"]
    assert deployment["user_config"]["versions"] == {}
    registry = yaml.safe_load((K8S / "configmap.yaml").read_text())["data"]
    assert deployment["user_config"]["registry"] == registry["HANGUL_MODEL_REGISTRY"]


def test_rayservice_serve_config_is_valid_for_ray_serve():
    schema = pytest.importorskip("ray.serve.schema")
    schema.ServeDeploySchema.model_validate(serve_config())


def test_rayservice_requests_a_gpu_and_matches_the_image_ray_version():
    cluster = rayservice()["spec"]["rayClusterConfig"]
    (group,) = cluster["workerGroupSpecs"]
    (container,) = group["template"]["spec"]["containers"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert container["image"].startswith("hangul-tutor/worker")
    dockerfile = (DEPLOY / "worker.Dockerfile").read_text(encoding="utf-8")
    ray_version = re.search(r"^ARG RAY_VERSION=(\S+)", dockerfile, re.M).group(1)
    assert cluster["rayVersion"] == ray_version


def test_registry_claim_is_shared_and_mounted_at_one_path():
    claim = next(doc for _, doc in manifests() if doc["kind"] == "PersistentVolumeClaim")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in K8S.glob("*.yaml"))
    # The Telegram and Discord bots and the Ray GPU workers.
    assert text.count(f"claimName: {claim['metadata']['name']}") == 3
    assert text.count(f"mountPath: {REGISTRY_PATH}") == 3


def test_dockerfiles_run_console_scripts_of_the_package():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for path in DOCKERFILES:
        text = path.read_text(encoding="utf-8")
        commands = re.findall(r"^(?:ENTRYPOINT|CMD) (\[.*\])$", text, re.M)
        programs = {ast.literal_eval(command)[0] for command in commands}
        hangul = {p for p in programs if p.startswith("hangul")}
        assert hangul and hangul <= set(scripts), f"{path.name}: {programs}"
        assert re.search(r"^USER (?!root)\S+", text, re.M), f"{path.name} runs as root"
        assert (DEPLOY / f"{path.name}.dockerignore").exists()


def test_compose_manifests_and_guide_run_console_scripts_of_the_package():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    paths = [COMPOSE, *K8S.glob("*.yaml"), DEPLOY / "OPERATIONS.md"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in paths)
    programs = set(re.findall(r"\b(hangul-[a-z]+) [a-z]", text))  # a command and its subcommand
    assert {"hangul-ml", "hangul-bot"} <= programs
    assert programs <= set(scripts), programs - set(scripts)


def test_every_environment_variable_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = {k for k, _ in env_items(compose())}
    names |= {k for _, doc in manifests() for k, _ in env_items(doc)}
    names |= {k for path in DEPLOY.glob("*.env.example") for k, _ in env_file(path)}
    # Settings of other programs, documented by them (PostgreSQL's image, Ray).
    foreign = {n for n in names if n.startswith(("POSTGRES_", "PG", "RAY_"))}
    missing = sorted(n for n in names - foreign if f"`{n}`" not in readme)
    assert not missing, f"not in README.md's Configuration: {missing}"


def _docker_compose() -> list[str] | None:
    if shutil.which("docker") is None:
        return None
    ok = subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    return ["docker", "compose"] if ok else None


def test_compose_config_is_valid_for_docker_compose(monkeypatch):
    command = _docker_compose()
    if command is None:
        pytest.skip("docker compose is not installed")
    monkeypatch.setenv("POSTGRES_PASSWORD", "test")
    monkeypatch.setenv("RAY_AUTH_TOKEN", "test")
    monkeypatch.setenv("HANGUL_BOT_ENV", "bot.env.example")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
