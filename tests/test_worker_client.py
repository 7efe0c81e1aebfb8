"""The bot's side of the model worker against misbehaving servers on 127.0.0.1: a total deadline
(a reply trickled byte by byte is given up on), and a circuit breaker that stops paying the
timeout on every picture once the worker keeps failing, for letters and syllable blocks alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from ml.reading.classifier import OnnxModel, WorkerFallback
from ml.reading.registry import Registry
from ml.reading.syllables import SyllableModel
from ml.reading.worker_client import TRIPPING_FAILURES, WorkerClient, WorkerUnavailable


class Trickler(BaseHTTPRequestHandler):
    """Answers 200 at once, then one byte of the body every 0.2 s for ten seconds."""

    requests = 0

    def do_POST(self) -> None:
        type(self).requests += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(50):
            try:
                self.wfile.write(b" ")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trickling_worker() -> Iterator[str]:
    Trickler.requests = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_reply_trickled_byte_by_byte_is_given_up_on(trickling_worker):
    client = WorkerClient(trickling_worker, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(WorkerUnavailable, match="did not answer within"):
        client.probabilities("lenet", np.zeros((1, 28, 28), np.float32))
    assert time.monotonic() - started < 2 * 0.5 + 0.5


def test_a_failing_worker_is_left_alone_after_a_few_failures(trickling_worker, tmp_path):
    local = OnnxModel(Registry(tmp_path).current("lenet"))
    model = WorkerFallback(local, WorkerClient(trickling_worker, timeout=0.3), cool_down=60)
    images = np.zeros((2, 28, 28), np.float32)
    expected = local.probabilities(images)
    for _ in range(TRIPPING_FAILURES + 5):
        assert np.allclose(model.probabilities(images), expected)
    assert Trickler.requests == TRIPPING_FAILURES


def test_after_its_rest_the_worker_is_tried_once_more(trickling_worker, tmp_path):
    local = OnnxModel(Registry(tmp_path).current("lenet"))
    model = WorkerFallback(local, WorkerClient(trickling_worker, timeout=0.3), cool_down=0.5)
    images = np.zeros((1, 28, 28), np.float32)
    for _ in range(TRIPPING_FAILURES):
        model.probabilities(images)
    time.sleep(0.6)
    model.probabilities(images)
    model.probabilities(images)
    assert Trickler.requests == TRIPPING_FAILURES + 1


def test_a_syllable_reader_falls_back_on_a_failing_worker_and_then_rests_it(
    trickling_worker, tmp_path
):
    stored = Registry(tmp_path).current("syllable-lenet")
    local = SyllableModel(stored)
    model = SyllableModel(stored, worker=WorkerClient(trickling_worker, timeout=0.3), cool_down=60)
    blocks = np.random.default_rng(0).random((3, 32, 32), np.float32)
    expected = local.read(blocks)
    for _ in range(TRIPPING_FAILURES + 3):
        assert model.read(blocks) == expected
    assert Trickler.requests == TRIPPING_FAILURES
