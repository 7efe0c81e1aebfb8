"""``hangul-bot console``: the terminal adapter, run as the real entry point in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile
from PIL import Image

from bot_fixtures import SPEAKS, letter_png

REPO = Path(__file__).resolve().parents[1]
ENTRY_POINT = Path(sys.executable).with_name("hangul-bot")


def run_console(tmp_path, lines: list[str], *options: str) -> list[dict]:
    env = {
        "HANGUL_DATABASE_URL": f"sqlite:///{tmp_path}/console.db",
        "HANGUL_MODEL_REGISTRY": str(tmp_path / "registry"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [str(ENTRY_POINT), "console", "--images", str(tmp_path / "images"), *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_new_learner_is_taught_the_first_letter_before_it_is_asked(tmp_path):
    welcome, consent, lesson, question = run_console(tmp_path, ["/start", "/quiz"])
    assert [b["command"] for b in welcome["buttons"][0]] == ["/quiz"]
    assert [b["command"] for b in consent["buttons"][0]] == ["/consent on", "/consent off"]
    assert lesson["text"].startswith("New letter: ㅏ") and "expected" not in lesson
    assert question["expected"] == "ㅏ" and question["text"].startswith("Question 1 of 5")
    [gif] = [path for path in lesson["images"] if path.endswith(".gif")]
    with Image.open(gif) as animation:
        assert animation.format == "GIF" and animation.n_frames > 1
    if not SPEAKS:
        pytest.skip("espeak-ng is not installed: bash deploy/setup.sh installs it")
    [sound] = lesson["audio"]
    assert sound.endswith(".ogg") and 0.2 <= soundfile.info(sound).duration <= 3.0


def test_a_scripted_quiz_prints_one_json_object_per_reply(tmp_path):
    picture = tmp_path / "a.png"
    picture.write_bytes(letter_png("ㅏ"))
    replies = run_console(tmp_path, ["/quiz 1", str(picture), "/hint ㅛ"], "--user", "alice")
    lesson, question, graded, summary, hint = replies
    assert lesson["text"].startswith("New letter: ㅏ")
    assert question["expected"] == "ㅏ" and question["audio"] == []
    asked = question["buttons"][0][0]["command"].split()[1]
    assert question["buttons"][0][0] == {"label": "Hint", "command": f"/hint {asked}"}
    assert {k: graded[k] for k in ("expected", "read", "verdict", "correct")} == {
        "expected": "ㅏ",
        "read": "ㅏ",
        "verdict": "ok",
        "correct": True,
    }
    assert summary["text"].startswith("Quiz done: 1 of 1")
    [image] = hint["images"]
    assert Path(image).read_bytes().startswith(b"\x89PNG")


def test_learners_are_kept_apart_and_remembered_between_runs(tmp_path):
    run_console(tmp_path, ["/quiz 2"], "--user", "alice")
    [running] = run_console(tmp_path, ["/quiz"], "--user", "alice")
    assert "already running" in running["text"]
    [lesson, fresh] = run_console(tmp_path, ["/quiz 1"], "--user", "bob")
    assert lesson["text"].startswith("New letter") and fresh["text"].startswith("Question 1 of 1")


def test_bad_lines_get_friendly_replies(tmp_path):
    missing, junk, plain = run_console(
        tmp_path, ["nowhere/letter.png", str(REPO / "pyproject.toml"), "hello"], "--json"
    )
    assert missing["text"] == "There is no picture at nowhere/letter.png."
    assert junk["verdict"] == "not_an_image" and junk["correct"] is None
    assert plain["text"].startswith("Send me a photo")
