"""Speech clips of a letter's sound (bot.core.speech): espeak-ng's Korean voice as OGG/Opus."""

from __future__ import annotations

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import soundfile as sf

from bot.core import speech
from bot.core.speech import Speaker, clip_seconds

TEXTS = ["가", "아", "악", "아. 앙", "까", "외"]
RMS_FLOOR = 0.01
"""About -40 dBFS: a clip quieter than this over its whole length is as good as silent."""

needs_espeak = pytest.mark.skipif(
    shutil.which(speech.ENGINE) is None,
    reason="espeak-ng is not installed: bash deploy/setup.sh installs it",
)


@pytest.fixture
def speaker(tmp_path) -> Speaker:
    found = Speaker(tmp_path / "speech")
    if not found.available:
        pytest.skip("espeak-ng is not installed: bash deploy/setup.sh installs it")
    return found


@pytest.fixture
def engine_runs(monkeypatch) -> list[list[str]]:
    """The commands the module runs, recorded as they go through."""
    runs: list[list[str]] = []
    real = subprocess.run

    def recording(command, *args, **kwargs):
        runs.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(speech.subprocess, "run", recording)
    return runs


def synthesis(runs: list[list[str]]) -> list[list[str]]:
    return [command for command in runs if "--stdout" in command]


@needs_espeak
@pytest.mark.parametrize("text", TEXTS)
def test_a_clip_is_a_short_audible_ogg_opus_voice_note(speaker, text):
    data = speaker.say(text)
    assert data is not None
    assert data.startswith(b"OggS") and b"OpusHead" in data[:100]
    info = sf.info(io.BytesIO(data))
    assert (info.format, info.subtype, info.channels) == ("OGG", "OPUS", 1)
    assert info.samplerate in (8000, 12000, 16000, 24000, 48000)
    assert 0.2 <= clip_seconds(data) <= 3.0
    samples, _ = sf.read(io.BytesIO(data), dtype="float32")
    assert np.sqrt(np.mean(samples**2)) > RMS_FLOOR
    assert np.abs(samples).max() <= 1.0


@needs_espeak
def test_two_syllables_take_longer_than_one(speaker):
    assert clip_seconds(speaker.say("아. 앙")) > clip_seconds(speaker.say("아")) + 0.3


@needs_espeak
def test_a_second_call_reads_the_cache_without_running_the_engine(speaker, engine_runs):
    first = speaker.say("가")
    assert len(synthesis(engine_runs)) == 1
    cached = list(speaker.cache_dir.glob("*.ogg"))
    assert len(cached) == 1 and cached[0].read_bytes() == first
    assert speaker.say("가") == first
    assert Speaker(speaker.cache_dir).say("가") == first  # another instance, after a restart
    assert len(synthesis(engine_runs)) == 1
    assert not list(speaker.cache_dir.glob("*.tmp"))


@needs_espeak
def test_different_texts_give_different_clips_and_files(speaker):
    clips = {text: speaker.say(text) for text in TEXTS}
    assert len(set(clips.values())) == len(TEXTS)
    assert len(list(speaker.cache_dir.glob("*.ogg"))) == len(TEXTS)


@needs_espeak
def test_settings_are_part_of_the_cache_key(tmp_path, engine_runs):
    slow = Speaker(tmp_path).say("가")
    fast = Speaker(tmp_path, speed=220).say("가")
    assert slow != fast and clip_seconds(fast) < clip_seconds(slow)
    assert len(synthesis(engine_runs)) == 2


@needs_espeak
def test_several_threads_get_one_clip_made_once(speaker, engine_runs):
    with ThreadPoolExecutor(8) as pool:
        clips = list(pool.map(speaker.say, ["아"] * 16))
    assert clips[0] is not None and len(set(clips)) == 1
    assert len(synthesis(engine_runs)) == 1


@needs_espeak
def test_text_that_looks_like_an_option_is_spoken_not_obeyed(speaker):
    assert speaker.say("--version") is not None


@needs_espeak
@pytest.mark.parametrize("text", ["", "   ", "가" * (speech.MAX_TEXT + 1)])
def test_empty_or_overlong_text_is_not_spoken(speaker, engine_runs, text):
    assert speaker.say(text) is None
    assert synthesis(engine_runs) == []


def test_a_missing_engine_gives_no_clip_and_says_why_once(tmp_path, caplog):
    absent = Speaker(tmp_path, executable=str(tmp_path / "no-such-espeak-ng"))
    assert absent.available is False
    with caplog.at_level("DEBUG", logger="bot.core.speech"):
        assert absent.say("가") is None
        assert absent.say("아") is None
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) <= 1  # the probe by `available` above already warned
    assert not list(tmp_path.glob("*.ogg"))


def test_an_engine_missing_from_the_path_gives_no_clip(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    with caplog.at_level("WARNING", logger="bot.core.speech"):
        absent = Speaker(tmp_path)
        assert absent.say("가") is None
        assert absent.available is False
    assert ["deploy/setup.sh" in r.getMessage() for r in caplog.records] == [True]


def fake_engine(tmp_path, then: str):
    """An executable that answers ``--version`` and otherwise runs the shell line ``then``."""
    fake = tmp_path / "espeak-ng"
    fake.write_text(f'#!/bin/sh\n[ "$1" = --version ] && echo fake 1.0 && exit 0\n{then}\n')
    fake.chmod(0o755)
    return fake


def test_an_engine_that_fails_gives_no_clip(tmp_path):
    broken = fake_engine(tmp_path, "exit 3")
    failing = Speaker(tmp_path / "cache", executable=str(broken))
    assert failing.available is True
    assert failing.say("가") is None
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_an_engine_that_hangs_is_stopped(tmp_path):
    hanging = fake_engine(tmp_path, "exec sleep 30")
    assert Speaker(tmp_path, executable=str(hanging), timeout=0.5).say("가") is None


def test_clip_seconds_decodes_an_opus_clip():
    out = io.BytesIO()
    sf.write(out, np.zeros(24_000, dtype="float32"), 24_000, format="OGG", subtype="OPUS")
    assert clip_seconds(out.getvalue()) == pytest.approx(1.0, abs=0.03)


def test_resampling_keeps_a_tone_and_the_length():
    rate_in, rate_out = 22_050, 24_000
    t = np.arange(rate_in) / rate_in
    tone = np.sin(2 * np.pi * 440 * t)
    out = speech._resample(tone, rate_in, rate_out)
    assert len(out) == rate_out
    expected = np.sin(2 * np.pi * 440 * np.arange(rate_out) / rate_out)
    assert np.abs(out - expected).max() < 1e-6
