"""Evaluation figures: rejected pictures count as wrong, confusions are counted per pair."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from conftest import draw_letter
from ml.evaluation.evaluate import evaluate_folder, summarize
from ml.evaluation.plots import plot_confusion
from ml.evaluation.text_evaluate import summarize_texts
from ml.reading.alphabet import DATASET30_LETTERS
from ml.reading.classifier import Classifier, Reading
from ml.reading.registry import ModelVersion, Registry
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from ml.training.export import save_model
from ml.training.models import build


def test_text_summary_counts_confident_wrong_readings_apart_from_unsure_and_refused_ones():
    letter = Reading(Verdict.OK)
    truth = ["가", "나무", "한", "한", "ㄱ", "ㄴ"]
    readings = [
        TextReading("syllable", Verdict.OK, "", "가", letter),
        TextReading("word", Verdict.OK, "", "너무", letter),  # read surely, and wrong
        TextReading("syllable", Verdict.UNSURE, "?", "할", letter),  # wrong, but says so
        TextReading(None, Verdict.BLANK, "blank", None, letter),
        TextReading("letter", Verdict.OK, "", "ㅋ", letter),  # read surely, and wrong
        TextReading("letter", Verdict.OK, "", "ㄴ", letter),
    ]
    report = summarize_texts("m", truth, readings)
    assert report.correct == 2 and report.confidently_wrong == 2
    assert report.as_json()["confidently_wrong_share"] == round(2 / 6, 4)


def test_summary_counts_rejections_as_wrong_and_pairs_confusions():
    truth = ["ㄱ", "ㄱ", "ㄱ", "ㄴ", "ㄴ", "ㅕ"]
    predicted = ["ㄱ", "ㅋ", None, "ㄴ", "ㄱ", "ㅓ"]
    verdicts = ["ok", "ok", "blank", "ok", "ok", "ok"]
    report = summarize("m", truth, predicted, verdicts, known_letters=DATASET30_LETTERS)
    assert report.n == 6 and report.correct == 2 and report.rejected == 1
    assert report.accuracy == 2 / 6
    assert report.per_letter == {"ㄱ": round(1 / 3, 4), "ㄴ": 0.5, "ㅕ": 0.0}
    assert report.rejected_by_reason == {"blank": 1}
    assert {"true": "ㄱ", "predicted": "ㅋ", "count": 1} in report.confused_pairs
    assert report.missing_letters == ["ㅕ"]
    assert report.confusion["ㄱ"] == {"ㄱ": 1, "ㅋ": 1, "rejected": 1}
    payload = report.as_json()
    assert {"accuracy", "n", "rejected", "per_letter"} <= set(payload)
    json.dumps(payload, ensure_ascii=False)


def test_letters_a_model_lacks_are_reported_not_fatal(tmp_path, korean_font):
    model30 = build("lenet", num_classes=30)
    folder = save_model(
        model30,
        tmp_path / "m30",
        name="old30",
        architecture="lenet",
        data={},
        metrics={},
        train_config={},
        letters=DATASET30_LETTERS,
    )
    data = tmp_path / "pictures"
    for name, letter in (("yeo", "ㅕ"), ("ㄱ", "ㄱ"), ("misc", "ㄱ")):
        (data / name).mkdir(parents=True)
        draw_letter(korean_font, letter).save(data / name / "1.png")
    (data / "ㄱ" / "broken.jpg").write_bytes(b"\xff\xd8 broken")
    report = evaluate_folder(Classifier.open(ModelVersion("old30", "x", folder)), data)
    assert report.missing_letters == ["ㅕ"]
    assert report.unknown_folders == ["misc"]
    assert report.n == 3 and report.rejected == 1
    assert report.per_letter["ㅕ"] == 0.0


def test_confusion_plot_is_written(tmp_path, korean_font):
    path = plot_confusion({"ㄱ": {"ㄱ": 3, "ㅋ": 1}, "ㅋ": {"ㅋ": 2}}, tmp_path / "cm.png")
    assert path.stat().st_size > 1000


def test_informal_styles_are_read_per_style_with_the_held_out_ones_pooled(registry_root):
    from ml.evaluation.quality import informal_pictures, informal_styles, junk_pictures
    from ml.writing.informal import HELD_OUT_STYLES, STYLES

    pictures = informal_pictures(per_letter=1, photos_per_letter=0)
    assert set(pictures) == set(STYLES) and all(len(p[0]) == 40 for p in pictures.values())
    classifier = Classifier.open(Registry(registry_root).current("lenet"))
    figures = informal_styles(classifier, pictures, junk_pictures(per_kind=2))
    assert figures["held_out_styles"] == list(HELD_OUT_STYLES)
    assert all(figures[style]["n"] == 40 for style in STYLES)
    held_out = np.mean([figures[style]["accuracy"] for style in HELD_OUT_STYLES])
    assert figures["held_out"] == pytest.approx(held_out, abs=1e-3)
    assert figures["held_out_photos"] is None and 0 <= figures["letters_rejected"] <= 1
    assert all(figures[style]["in_quiz"] >= figures[style]["accuracy"] for style in STYLES)
    junk = figures["junk"]
    assert set(junk["per_kind"]) >= {"blank_page", "doodle", "noise"}
    assert 0 <= junk["accepted_in_quiz_mean"] <= junk["accepted_in_quiz_worst_letter"] <= 1


def test_dev_letters_upscaled_with_soft_edges_are_read_as_the_originals(dev_data, registry_root):
    from ml.evaluation.quality import upscaled_agreement
    from ml.writing.picture_styles import upscaled

    files = sorted(str(f) for f in dev_data.glob("e/*.jpg"))[:5]
    assert Image.open(io.BytesIO(upscaled(np.full((28, 28), 255, np.uint8)))).size == (280, 280)
    classifier = Classifier.open(Registry(registry_root).current("lenet"))
    figures = upscaled_agreement(classifier, files, ["ㅔ"] * len(files))
    assert figures["n"] == 5 and figures["same"] == 5 - len(figures["differ"])
    assert figures["original_right"] >= 4 and figures["upscaled_right"] >= 4
    assert figures["bordered_same"] >= 4  # a white border alone changes next to nothing
