"""The ``hangul-ml`` command as a user runs it: a real subprocess, real model files."""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, draw_letter, encode
from ml.reading.alphabet import is_syllables
from ml.training.rejection import MIN_THRESHOLD


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.app.hangul_ml", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=600,
    )


@pytest.fixture
def pictures(tmp_path, korean_font):
    good = tmp_path / "yo.png"
    draw_letter(korean_font, "ㅛ", size=(400, 300), font_size=200).save(good)
    corrupt = tmp_path / "corrupt.jpg"
    whole = encode(draw_letter(korean_font, "ㅛ", size=(600, 400), font_size=300), "JPEG")
    corrupt.write_bytes(whole[: len(whole) // 2])
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    blank = tmp_path / "blank.png"
    draw_letter(korean_font, " ").save(blank)
    return [good, corrupt, text, blank, tmp_path / "missing.png"]


def test_predict_json_answers_every_file_and_exits_zero(pictures, registry_root):
    result = run_cli("predict", "--json", *map(str, pictures))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["file"] for x in lines] == [str(p) for p in pictures]
    assert [x["verdict"] for x in lines] == [
        "ok",
        "truncated",
        "not_an_image",
        "blank",
        "unreadable_file",
    ]
    good = lines[0]
    assert good["letter"] == "ㅛ" and good["romanization"] == "yo" and good["kind"] == "letter"
    assert 0 < good["confidence"] <= 1 and len(good["top"]) == 3
    assert all(x["letter"] is None and x["reason"] for x in lines[1:])
    assert "Traceback" not in result.stderr


def test_predict_json_reads_syllables_and_words_with_each_letter_inside(
    tmp_path, korean_font, registry_root
):
    files = []
    for text in ("가", "닭", "나무"):
        files.append(tmp_path / f"{text}.png")
        draw_letter(korean_font, text, size=(600, 300), font_size=160).save(files[-1])
    result = run_cli("predict", "--json", *map(str, files))
    assert result.returncode == 0, result.stderr
    ga, dak, namu = [json.loads(line) for line in result.stdout.splitlines()]
    assert (ga["kind"], ga["text"], ga["letter"]) == ("syllable", "가", None)
    assert [jamo for jamo, _ in ga["blocks"][0]["jamo"]] == ["ㄱ", "ㅏ", ""]
    assert all(0 < p <= 1 for _, p in ga["blocks"][0]["jamo"])
    assert (dak["kind"], dak["text"]) == ("syllable", "닭")
    assert (namu["kind"], namu["text"], len(namu["blocks"])) == ("word", "나무", 2)


def test_predict_text_output_is_one_line_per_file(pictures, registry_root):
    result = run_cli("predict", "--model", "mlp", *map(str, pictures))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(pictures)
    assert lines[0].startswith(f"{pictures[0]}: ㅛ (yo, 요)")
    assert "not read" in lines[1] and "Traceback" not in result.stderr


def test_evaluate_json_has_the_fields_scripts_rely_on(tmp_path, korean_font, registry_root):
    for name, letter in (("ㅛ", "ㅛ"), ("a", "ㅏ")):
        (tmp_path / "set" / name).mkdir(parents=True)
        draw_letter(korean_font, letter).save(tmp_path / "set" / name / "1.png")
    (tmp_path / "set" / "a" / "2.png").write_bytes(b"junk")
    plot = tmp_path / "cm.png"
    result = run_cli("evaluate", str(tmp_path / "set"), "--json", "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 3 and report["rejected"] == 1
    assert set(report["per_letter"]) == {"ㅛ", "ㅏ"}
    assert report["correct"] == 2 and report["accuracy"] == round(2 / 3, 4)  # junk counts wrong
    assert plot.is_file()


def test_evaluate_json_on_syllable_and_word_folders(tmp_path, korean_font, registry_root):
    for text in ("가", "한", "나무", "ㅛ"):
        (tmp_path / "set" / text).mkdir(parents=True)
        draw_letter(korean_font, text, size=(600, 300), font_size=160).save(
            tmp_path / "set" / text / "1.png"
        )
    (tmp_path / "set" / "나무" / "2.png").write_bytes(b"junk")
    result = run_cli("evaluate", str(tmp_path / "set"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 5 and report["per_kind_n"] == {"syllable": 2, "word": 2, "letter": 1}
    assert report["correct"] == 4 and report["accuracy"] == 0.8  # the junk file counts wrong
    assert report["jamo_accuracy"]["initial"] == round(4 / 6, 4)  # the junk's 2 blocks unread
    assert set(report["jamo_accuracy"]) == {"initial", "medial", "final", "letter", "all"}
    assert report["rejected_by_reason"] == {"not_an_image": 1}


def test_evaluate_of_a_missing_folder_is_a_one_line_error(tmp_path):
    result = run_cli("evaluate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "not a folder" in result.stderr and "Traceback" not in result.stderr


def test_train_writes_a_model_that_predict_can_use(tmp_path, korean_font, registry_root):
    data = tmp_path / "data"
    for letter in ("ㄱ", "ㅏ"):
        (data / letter).mkdir(parents=True)
        for i in range(3):
            draw_letter(korean_font, letter, offset=(i * 4, 0)).save(data / letter / f"{i}.png")
    out = tmp_path / "model"
    result = run_cli(
        "train",
        "--data",
        str(data),
        "--synthetic",
        "1",
        "--epochs",
        "1",
        "--out",
        str(out),
        "--quiet",
        "--register",
    )
    assert result.returncode == 0, result.stderr
    assert {"model.pt", "model.onnx", "meta.json", "learning_curve.png"} <= {
        p.name for p in out.iterdir()
    }
    meta = json.loads((out / "meta.json").read_text())
    assert meta["data"]["real_images"] == 6 and meta["data"]["synthetic_images"] > 0
    assert meta["data"]["junk_images"] > 0
    assert MIN_THRESHOLD <= meta["not_a_letter_threshold"] <= 0.99
    assert meta["validation_letters"] > 0 and meta["validation_junk"] > 0
    assert "registered and promoted lenet:v0001" in result.stdout
    listing = run_cli("models", "list", "lenet")
    assert "current v0001" in listing.stdout
    rolled = run_cli("models", "rollback", "lenet")
    assert rolled.returncode == 0 and "lenet is now packaged" in rolled.stdout


def test_train_syllables_writes_a_reader_that_predict_can_use(tmp_path, korean_font, dev_data):
    out = tmp_path / "syllables"
    result = run_cli(
        "train-syllables", "--syllables", "12", "--per-syllable", "3", "--epochs", "1",
        "--held-out-every", "470", "--pictured-words", "0.5", "--out", str(out),
        "--data", str(dev_data), "--real-blocks", "4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["held_out_writers"]["n"] == 5 and 0 <= figures["held_out_letters"]["kind"] <= 1
    assert figures["held_out_real_writer"]["n"] == 400  # blocks of block1's letters
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["input_contract"]["size"] == [32, 32] and meta["kinds"][0] == "syllable"
    assert meta["train_config"]["pictured_words"] == 0.5
    assert meta["data"]["real_letter_writers"] == ["block0", "block2"]  # never the test writer
    assert meta["data"]["real_letter_blocks"] == 2 * 3 * 4
    picture = tmp_path / "ga.png"
    draw_letter(korean_font, "가", size=(300, 300), font_size=160).save(picture)
    read = run_cli("predict", "--json", "--syllable-model", str(out), str(picture))
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["verdict"]  # a barely trained reader answers, right or not
    joined = tmp_path / "joined"
    result = run_cli(
        "join-syllables", str(out), str(out), "--held-out-every", "470", "--out", str(joined)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["held_out_writers"]["n"] == 5
    meta = json.loads((joined / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["train_config"]["members"]) == 2
    assert meta["data"]["real_letter_writers"] == ["block0", "block2"]  # what its members know
    both = run_cli("predict", "--json", "--syllable-model", str(joined), str(picture))
    assert json.loads(both.stdout)["text"] == json.loads(read.stdout)["text"]  # it, averaged
    alone = run_cli("join-syllables", str(out), "--out", str(tmp_path / "alone"))
    assert alone.returncode == 2 and "at least two members" in alone.stderr


def test_wrong_usage_gets_a_message_not_a_traceback():
    result = run_cli("models", "promote", "lenet")
    assert result.returncode != 0 and "--version" in result.stderr
    result = run_cli("predict")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_synth_writes_browsable_letter_folders_and_a_contact_sheet(tmp_path):
    out = tmp_path / "synth"
    result = run_cli("synth", "--out", str(out), "--per-letter", "1", "--kind", "strokes")
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*/*.png"))) == 40 and (out / "contact_sheet.png").is_file()
    evaluated = run_cli("evaluate", str(out), "--json")
    assert json.loads(evaluated.stdout)["n"] == 40


def test_synth_writes_browsable_syllable_folders_and_a_contact_sheet(tmp_path):
    out = tmp_path / "syllables"
    result = run_cli(
        "synth", "--out", str(out), "--kind", "syllables", "--syllables", "10", "--per-letter", "3"
    )
    assert result.returncode == 0, result.stderr
    folders = [folder for folder in out.iterdir() if folder.is_dir()]
    assert len(folders) == 10 and all(is_syllables(folder.name) for folder in folders)
    assert len(list(out.glob("*/*.png"))) == 30 and (out / "contact_sheet.png").is_file()


def test_suite_writes_every_part_of_the_robustness_suite(tmp_path, korean_font):
    data = tmp_path / "clean"
    for letter in ("ㄱ", "ㅏ"):
        (data / letter).mkdir(parents=True)
        draw_letter(korean_font, letter).save(data / letter / "1.png")
    out = tmp_path / "suite"
    result = run_cli(
        "suite", "--data", str(data), "--out", str(out), "--per-letter", "1", "--junk-per-kind", "1"
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["photo"] == counts["screen"] == counts["alpha"] == 2
    assert {"clean", "photo", "screen", "alpha", "junk", "hostile"} <= {
        p.name for p in out.iterdir()
    }
