"""Ray Jobs through the cluster's job REST API (``/api/jobs/`` on the dashboard port).

Spoken with httpx rather than Ray's own ``JobSubmissionClient`` so that the bot, whose image has
neither Ray nor torch, can hand a retrain to the cluster. The API's address is
``api_server`` (the setting ``RAY_API_SERVER_ADDRESS``, ``http://ray-head:8265``) when given, as
for ``ray job submit``; else ``address`` (``RAY_ADDRESS``) when it is an HTTP URL; else the host
of ``address`` (``ray-head:6379``, ``ray://ray-head:10001``) on the dashboard's default port.
With token authentication on (``RAY_AUTH_MODE=token``), ``token`` (``RAY_AUTH_TOKEN``) is sent
as a bearer token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

DASHBOARD_PORT = 8265
TIMEOUT_S = 10.0
ENDED = ("SUCCEEDED", "FAILED", "STOPPED")
"""Ray's terminal job states."""


class RayJobsError(RuntimeError):
    """The job API refused a request or could not be reached."""


@dataclass(frozen=True)
class RayCluster:
    """Where a Ray cluster is, as the settings say; nothing set means there is none."""

    address: str | None = None
    api_server: str | None = None
    token: str | None = field(default=None, repr=False)

    @property
    def configured(self) -> bool:
        """Whether jobs go to a Ray cluster (an address or a job API address is set)."""
        return bool(self.api_server or self.address)

    @property
    def api_address(self) -> str:
        """The job API's base URL (see the module docstring)."""
        address = self.api_server or self.address or ""
        if address.startswith(("http://", "https://")):
            return address.rstrip("/")
        host = urlsplit(address if "://" in address else f"//{address}").hostname
        if not host or host in ("auto", "local"):
            host = "127.0.0.1"
        return f"http://{host}:{DASHBOARD_PORT}"

    def submit(
        self,
        entrypoint: str,
        submission_id: str,
        env_vars: dict[str, str] | None = None,
        num_gpus: float = 0.0,
    ) -> str:
        """Run the shell command ``entrypoint`` as a Ray job (on a node with ``num_gpus`` free
        GPUs when above 0); returns its submission id."""
        body = {
            "entrypoint": entrypoint,
            "submission_id": submission_id,
            "runtime_env": {"env_vars": dict(env_vars or {})},
            "metadata": {"job_submission_id": submission_id},
        }
        if num_gpus:
            body["entrypoint_num_gpus"] = num_gpus
        return self._request("POST", "", json=body)["submission_id"]

    def state(self, submission_id: str) -> dict:
        """The job's details; ``status`` is PENDING, RUNNING, SUCCEEDED, FAILED or STOPPED."""
        return self._request("GET", submission_id)

    def stop(self, submission_id: str) -> bool:
        """Ask Ray to stop the job; True if it was still running."""
        return bool(self._request("POST", f"{submission_id}/stop").get("stopped"))

    def _request(self, method: str, path: str, **kwargs) -> dict:
        import httpx  # only where a cluster is used

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        url = f"{self.api_address}/api/jobs/{path}"
        try:
            response = httpx.request(method, url, headers=headers, timeout=TIMEOUT_S, **kwargs)
        except httpx.HTTPError as error:
            raise RayJobsError(
                f"the Ray job API at {self.api_address} is unreachable: {error}"
            ) from None
        if response.status_code != 200:
            answer = response.text[:300]
            raise RayJobsError(f"the Ray job API answered {response.status_code}: {answer}")
        return response.json()


NO_CLUSTER = RayCluster()
"""Nothing configured: jobs run as local processes."""
