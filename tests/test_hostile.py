"""The hostile-input suite, at test size, through the real ``hangul-ml predict``: every file gets
an answer, fast and in bounded memory, and the legitimate odd pictures are read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ml.evaluation.hostile import LEGITIMATE, lossless_jpeg, measure_predict, write_hostile_suite
from ml.reading.decode import PictureError, decode_greyscale, jpeg_frame_marker
from ml.reading.verdicts import Verdict

PREDICT = [str(Path(sys.executable).with_name("hangul-ml")), "predict", "--json"]


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> list[Path]:
    return write_hostile_suite(tmp_path_factory.mktemp("hostile"), full=False)


def test_every_hostile_file_gets_a_verdict_and_the_odd_legitimate_ones_are_read(
    suite, registry_root
):
    done = subprocess.run([*PREDICT, *map(str, suite)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    verdicts = {
        Path(r["file"]).stem: r["verdict"] for r in map(json.loads, done.stdout.splitlines())
    }
    assert set(verdicts) == {path.stem for path in suite}
    for kind, verdict in verdicts.items():
        assert (verdict == Verdict.OK) is (kind in LEGITIMATE), (kind, verdict)
    assert verdicts["lossless_jpeg"] == verdicts["tiff_huge_tile"] == Verdict.UNSUPPORTED
    assert verdicts["two_gigabytes"] == Verdict.TOO_LARGE


def test_the_worst_files_cost_little_time_and_memory(suite, registry_root):
    worst = [p for p in suite if p.stem in ("png_80mp_rgba", "lossless_jpeg", "heic_80mp")]
    for figures in measure_predict(worst, PREDICT):
        assert figures.exit_code == 0 and figures.verdict != Verdict.OK, figures
        assert figures.seconds < 30 and figures.peak_mb < 500, figures


def test_a_real_lossless_jpeg_is_refused_before_any_pixel_is_decoded():
    import numpy as np

    data = lossless_jpeg(np.zeros((400, 400), np.uint8))
    assert jpeg_frame_marker(data) == 0xC3
    with pytest.raises(PictureError) as refused:
        decode_greyscale(data)
    assert refused.value.code == Verdict.UNSUPPORTED


def test_the_frame_marker_is_found_past_a_thumbnail_in_the_exif(suite):
    broken_exif = next(p for p in suite if p.stem == "broken_exif").read_bytes()
    assert jpeg_frame_marker(broken_exif) == 0xC0
