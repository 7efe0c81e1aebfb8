"""Ray Jobs through the cluster's job REST API (``/api/jobs/`` on the dashboard port).

Spoken with httpx rather than Ray's own ``JobSubmissionClient`` so that the bot, whose image has
neither Ray nor torch, can hand a retrain to the cluster. The API's address is
``RAY_API_SERVER_ADDRESS`` (``http://ray-head:8265``) when set, as for ``ray job submit``; else
``RAY_ADDRESS`` when it is an HTTP URL; else the host of ``RAY_ADDRESS`` (``ray-head:6379``,
``ray://ray-head:10001``) on the dashboard's default port. With token authentication on
(``RAY_AUTH_MODE=token``), ``RAY_AUTH_TOKEN`` is sent as a bearer token.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import httpx

API_ENV = "RAY_API_SERVER_ADDRESS"
ADDRESS_ENV = "RAY_ADDRESS"
TOKEN_ENV = "RAY_AUTH_TOKEN"
DASHBOARD_PORT = 8265
TIMEOUT_S = 10.0
ENDED = ("SUCCEEDED", "FAILED", "STOPPED")
"""Ray's terminal job states."""


class RayJobsError(RuntimeError):
    """The job API refused a request or could not be reached."""


def configured() -> bool:
    """Whether jobs go to a Ray cluster (``RAY_API_SERVER_ADDRESS`` or ``RAY_ADDRESS`` is set)."""
    return bool(os.environ.get(API_ENV) or os.environ.get(ADDRESS_ENV))


def api_address() -> str:
    """The job API's base URL (see the module docstring)."""
    address = os.environ.get(API_ENV) or os.environ.get(ADDRESS_ENV) or ""
    if address.startswith(("http://", "https://")):
        return address.rstrip("/")
    host = urlsplit(address if "://" in address else f"//{address}").hostname
    if not host or host in ("auto", "local"):
        host = "127.0.0.1"
    return f"http://{host}:{DASHBOARD_PORT}"


def _request(method: str, path: str, **kwargs) -> dict:
    token = os.environ.get(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = f"{api_address()}/api/jobs/{path}"
    try:
        response = httpx.request(method, url, headers=headers, timeout=TIMEOUT_S, **kwargs)
    except httpx.HTTPError as error:
        raise RayJobsError(f"the Ray job API at {api_address()} is unreachable: {error}") from None
    if response.status_code != 200:
        answer = response.text[:300]
        raise RayJobsError(f"the Ray job API answered {response.status_code}: {answer}")
    return response.json()


def submit(
    entrypoint: str, submission_id: str, env_vars: dict[str, str], num_gpus: float = 0.0
) -> str:
    """Run the shell command ``entrypoint`` as a Ray job (on a node with ``num_gpus`` free GPUs
    when above 0); returns its submission id."""
    body = {
        "entrypoint": entrypoint,
        "submission_id": submission_id,
        "runtime_env": {"env_vars": env_vars},
        "metadata": {"job_submission_id": submission_id},
    }
    if num_gpus:
        body["entrypoint_num_gpus"] = num_gpus
    return _request("POST", "", json=body)["submission_id"]


def state(submission_id: str) -> dict:
    """The job's details; ``status`` is PENDING, RUNNING, SUCCEEDED, FAILED or STOPPED."""
    return _request("GET", submission_id)


def stop(submission_id: str) -> bool:
    """Ask Ray to stop the job; True if it was still running."""
    return bool(_request("POST", f"{submission_id}/stop").get("stopped"))
