"""Korean speech clips of a letter's sound, made offline by espeak-ng's Korean voice, encoded as
OGG/Opus (what Telegram's sendVoice takes) and cached on disk. docs/speech.md says why this
engine and what it does not pronounce well."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np
import soundfile as sf

log = logging.getLogger(__name__)

ENGINE = "espeak-ng"
VOICE = "ko"
SPEED = 130
"""Words a minute (espeak-ng's default is 175): slow enough for a learner to hear each sound."""
TIMEOUT_S = 10.0
"""The longest one synthesis may take; a clip takes some milliseconds."""
MAX_TEXT = 100
"""Longest text spoken, in characters: clips are a syllable or two."""
OPUS_RATE = 24_000
"""Opus takes 8, 12, 16, 24 or 48 kHz; espeak-ng speaks at 22.05 kHz, all below 11 kHz."""
PEAK_DBFS = -3.0
"""Every clip is scaled to this peak, leaving headroom for the Opus coder."""
SILENCE_DBFS = -40.0
"""Below this, relative to the clip's peak, the ends of a clip count as silence and are cut..."""
LEAD_S, TAIL_S, FADE_S = 0.05, 0.15, 0.005
"""...down to this much before and after the speech, with short fades against clicks."""
FORMAT = 1
"""Part of the cache key: raise it when the processing here changes, to renew cached clips."""


class SpeechError(Exception):
    """Why the engine gave no clip."""


class Speaker:
    """Korean speech clips, OGG/Opus, made by espeak-ng (a subprocess) and cached on disk."""

    def __init__(
        self,
        cache_dir: Path,
        executable: str = ENGINE,
        *,
        voice: str = VOICE,
        speed: int = SPEED,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.executable = executable
        self.voice = voice
        self.speed = speed
        self.timeout = timeout
        self._lock = threading.Lock()
        self._probed = False
        self._path: str | None = None
        self._version: str | None = None
        self._told: set[str] = set()

    @property
    def available(self) -> bool:
        """Whether the engine is present (probed once: its path and ``--version``)."""
        return self._probe() is not None

    def say(self, text: str) -> bytes | None:
        """OGG/Opus bytes of ``text`` spoken in Korean; None (logged once, with why) when the
        engine is absent or fails. Cached in cache_dir by a hash of engine version, voice,
        settings and text; a second call reads the file. Safe to call from several threads."""
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            self._tell(f"speech: not spoken, text must be 1-{MAX_TEXT} characters: {text[:20]!r}")
            return None
        version = self._probe()
        if version is None:
            return None
        path = self.cache_dir / f"{self._key(version, text)}.ogg"
        cached = _read(path)
        if cached:
            return cached
        with self._lock:  # one synthesis at a time; another thread may have made it meanwhile
            cached = _read(path)
            if cached:
                return cached
            try:
                data = self._make(text)
            except SpeechError as error:
                self._tell(f"speech: {self.executable} gave no clip: {error}")
                return None
            try:
                _write_atomically(path, data)
            except OSError as error:
                self._tell(f"speech: cannot cache clips in {self.cache_dir}: {error}")
            return data

    def _key(self, version: str, text: str) -> str:
        settings = [FORMAT, version, self.voice, self.speed, OPUS_RATE, PEAK_DBFS, text]
        return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:32]

    def _probe(self) -> str | None:
        """The engine's version line, or None when it is missing or broken (logged once)."""
        with self._lock:
            if not self._probed:
                self._probed = True
                self._path, self._version = self._find()
            return self._version

    def _find(self) -> tuple[str | None, str | None]:
        path = shutil.which(self.executable)
        if path is None:
            self._tell(
                f"speech: {self.executable} is not installed (bash deploy/setup.sh installs "
                "it); letters are sent without sound"
            )
            return None, None
        try:
            done = subprocess.run(
                [path, "--version"], capture_output=True, timeout=self.timeout, check=True
            )
        except (OSError, subprocess.SubprocessError) as error:
            self._tell(f"speech: {path} --version failed: {error}")
            return None, None
        version = done.stdout.decode(errors="replace").strip()
        log.info("speech: %s", version)
        return path, version or path

    def _make(self, text: str) -> bytes:
        """Speak ``text``, trim, level, resample and encode it as OGG/Opus."""
        if self._path is None:
            raise SpeechError("engine not probed")
        command = [self._path, "-v", self.voice, "-s", str(self.speed), "-b", "1", "--stdin"]
        try:  # the text goes by stdin, so none can pass for an option
            done = subprocess.run(
                [*command, "--stdout"],
                input=text.encode(),
                capture_output=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise SpeechError(f"took over {self.timeout:g} s") from error
        except OSError as error:
            raise SpeechError(str(error)) from error
        if done.returncode != 0 or not done.stdout:
            said = done.stderr.decode(errors="replace").strip()[-200:]
            raise SpeechError(f"exit status {done.returncode}: {said or 'no audio'}")
        try:
            samples, rate = sf.read(io.BytesIO(done.stdout), dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError) as error:
            raise SpeechError(f"unreadable WAV: {error}") from error
        samples = _trim(samples.mean(axis=1), rate)
        peak = float(np.abs(samples).max()) if samples.size else 0.0
        if peak < 1e-4:
            raise SpeechError("silent clip")
        samples = _resample(samples * (10 ** (PEAK_DBFS / 20) / peak), rate, OPUS_RATE)
        out = io.BytesIO()
        try:
            sf.write(out, np.clip(samples, -1, 1), OPUS_RATE, format="OGG", subtype="OPUS")
        except (sf.LibsndfileError, RuntimeError) as error:
            raise SpeechError(f"cannot encode OGG/Opus: {error}") from error
        return out.getvalue()

    def _tell(self, message: str) -> None:
        """Log a warning the first time, and only at debug level after."""
        with_warning = message not in self._told
        self._told.add(message)
        log.log(logging.WARNING if with_warning else logging.DEBUG, message)


def clip_seconds(data: bytes) -> float:
    """Duration of an encoded clip (decodes it)."""
    samples, rate = sf.read(io.BytesIO(data), dtype="float32")
    return len(samples) / rate


def _trim(samples: np.ndarray, rate: int) -> np.ndarray:
    """Cut silence at both ends down to LEAD_S and TAIL_S, fading the new ends."""
    if not samples.size:
        return samples
    floor = np.abs(samples).max() * 10 ** (SILENCE_DBFS / 20)
    loud = np.flatnonzero(np.abs(samples) > floor)
    if not loud.size:
        return samples[:0]
    start = max(0, loud[0] - int(LEAD_S * rate))
    end = min(len(samples), loud[-1] + int(TAIL_S * rate))
    clip = samples[start:end].astype(np.float64)
    fade = min(int(FADE_S * rate), len(clip) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        clip[:fade] *= ramp
        clip[-fade:] *= ramp[::-1]
    return clip


def _resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling by the FFT: exact for a clip that starts and ends in silence,
    as a trimmed one does (the transform treats it as periodic)."""
    if rate_in == rate_out or not samples.size:
        return samples
    size = max(1, round(len(samples) * rate_out / rate_in))
    spectrum = np.fft.rfft(samples)
    shared = min(len(spectrum), size // 2 + 1)
    resampled = np.zeros(size // 2 + 1, dtype=complex)
    resampled[:shared] = spectrum[:shared]
    return np.fft.irfft(resampled, size) * (size / len(samples))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it: readers, even in other
    processes, see the whole clip or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
