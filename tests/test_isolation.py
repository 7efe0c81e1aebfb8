"""Pictures are read in worker processes: a crash, a hang or a memory bomb costs one picture, and
the pool goes on reading."""

from __future__ import annotations

import time

import pytest

from bot_fixtures import letter_png
from isolation_helpers import misbehave
from ml.reading.isolation import PicturePool
from ml.reading.verdicts import Verdict


@pytest.fixture(scope="module")
def pool():
    with PicturePool(workers=2, deadline=1.5, memory=768 * 2**20, read=misbehave) as pool:
        yield pool


def test_an_ordinary_picture_is_read_in_a_worker(pool):
    [picture] = pool.canonicalize([letter_png("ㅛ")])
    assert picture.ok and picture.image.shape == (28, 28)


@pytest.mark.parametrize(
    ("cue", "verdict"),
    [(b"crash", Verdict.ERROR), (b"hang", Verdict.TOO_SLOW), (b"hog", Verdict.TOO_MANY_PIXELS)],
)
def test_a_misbehaving_read_costs_one_picture_and_the_pool_goes_on(pool, cue, verdict):
    started = time.monotonic()
    bad, good = pool.canonicalize([cue, letter_png("ㅏ")])
    assert bad.verdict == verdict and not bad.ok
    assert good.ok
    assert time.monotonic() - started < 10
    [again] = pool.canonicalize([letter_png("ㅗ")])
    assert again.ok
