"""``hangul-bot console``: the terminal adapter, run as the real entry point in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot_fixtures import letter_png

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


def test_a_scripted_quiz_prints_one_json_object_per_reply(tmp_path):
    picture = tmp_path / "a.png"
    picture.write_bytes(letter_png("ㅏ"))
    replies = run_console(tmp_path, ["/quiz 1", str(picture), "/hint ㅛ"], "--user", "alice")
    question, graded, summary, hint = replies
    assert question["expected"] == "ㅏ"
    assert question["buttons"][0][0] == {"label": "Hint", "command": "/hint"}
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
    [fresh] = run_console(tmp_path, ["/quiz 1"], "--user", "bob")
    assert fresh["text"].startswith("Question 1 of 1")


def test_bad_lines_get_friendly_replies(tmp_path):
    missing, junk, plain = run_console(
        tmp_path, ["nowhere/letter.png", str(REPO / "pyproject.toml"), "hello"], "--json"
    )
    assert missing["text"] == "There is no picture at nowhere/letter.png."
    assert junk["verdict"] == "not_an_image" and junk["correct"] is None
    assert plain["text"].startswith("Send me a photo")
