"""A smoke run of ``hangul-ml bench --quick``: every section produces its figures."""

import json
import shutil

from ml.evaluation.bench import phone_photo_jpeg, run_bench
from ml.evaluation.text_bench import graded_right, rare_syllables, real_letter_figures
from ml.reading.alphabet import (
    COMPOUND_FINALS,
    MIXED_VOWELS,
    compose,
    decompose,
    everyday_syllables,
)
from ml.reading.classifier import Classifier, Reading
from ml.reading.decode import decode_greyscale
from ml.reading.registry import Registry
from ml.reading.syllables import BlockReading, SyllableModel
from ml.reading.text import TextReader, TextReading
from ml.reading.verdicts import Verdict


def test_quick_bench_reports_speed_and_inference(dev_data, registry_root):
    figures = run_bench(
        dev_data, Registry(registry_root), sections=["speed", "inference"], quick=True
    )
    speed = figures["speed"]
    assert speed["notebook_epochs"] == 5 and 0 < speed["notebook_final_accuracy"] <= 1
    assert {"ours_default", "ours_short"} <= set(speed)
    for name in ("lenet", "mlp"):
        row = figures["inference"][name]
        assert row["argmax_agreement"] == 1.0 and row["max_probability_difference"] < 1e-4
        assert row["photo_12mp_onnx"]["p50_ms"] > 0 and row["batch_onnx_images_per_s"] > 0


def test_phone_photo_is_twelve_megapixels(dev_data):
    photo = phone_photo_jpeg(str(next(dev_data.glob("yo/*.jpg"))))
    assert len(photo) > 1_000_000
    assert decode_greyscale(photo).shape == (240, 320)


def test_quick_bench_reports_absent_letters_and_robustness(dev_data, registry_root):
    figures = run_bench(
        dev_data, Registry(registry_root), sections=["absent", "robustness"], quick=True
    )
    for name in ("lenet", "mlp"):
        absent = figures["absent"][name]
        assert absent["letters"] == "ㄸㅉㅕㅘㅙㅚㅝㅞㅟㅢ"
        assert set(absent["held_out_fonts"]["per_letter"]) == set(absent["letters"])
        assert 0 <= absent["overall"] <= 1
    robust = figures["robustness"]
    assert robust["test_writer"] == "block2" and robust["clean"]["n"] == 60
    for style in ("photo", "screen", "alpha", "smooth"):
        assert robust[style]["n"] == 60 and f"{style}_minus_clean" in robust
    hostile = robust["hostile_verdicts"]
    assert hostile["bomb"] == {"too_many_pixels": 5} and hostile["empty"] == {"empty_file": 5}
    assert "error" not in {v for verdicts in hostile.values() for v in verdicts}


def test_quick_bench_reports_syllable_readers(dev_data, registry_root):
    figures = run_bench(dev_data, Registry(registry_root), sections=["syllables"], quick=True)
    [lenet, mlp] = figures["syllables"]["runs"]
    assert (lenet["architecture"], mlp["architecture"]) == ("lenet", "mlp")
    for run in (lenet, mlp):
        for group in ("writers", "fonts", "all"):
            row = run[group]
            assert 0 <= row["syllable"] <= min(row["initial"], row["medial"], row["final"]) <= 1
            assert 0 <= row["kind"] <= 1
        assert run["writers"]["n"] == 20 and run["images_per_second"] > 0
        assert run["letters"]["n"] == 80 and "syllable" not in run["letters"]


def test_quick_bench_reads_syllables_words_and_letters_end_to_end(dev_data, registry_root):
    figures = run_bench(dev_data, Registry(registry_root), sections=["text"], quick=True)["text"]
    assert figures["model"] == "lenet:packaged+syllable-lenet:packaged"
    assert set(figures["syllables"]) == {"clean", "photo", "screen", "alpha"}
    assert figures["syllables"]["clean"]["n"] == 10 and figures["words"]["clean"]["n"] == 8
    assert figures["syllables"]["clean"]["accuracy"] >= 0.8  # held-out writers, shipped reader
    assert set(figures["rare"]) == {"all", "dense"}
    for rare in figures["rare"].values():
        assert set(rare) == {"clean", "photo"} and rare["clean"]["n"] == 4
    quiz = figures["words"]["quiz"]
    assert quiz["right"]["n"] == 8 and 0 < quiz["mistaken"]["n"] <= 8
    for graded in quiz.values():  # the quiz's context can only accept more
        assert graded["strict"] <= graded["in_context"]
    real = figures["real_letters"]
    assert set(real) == {"held_out", "block0", "block1", "block2"}
    assert real["held_out"]["writers"] == ["block0", "block1", "block2"]  # shipped: synthetic only
    assert real["held_out"]["n"] == 12 and real["block1"]["n"] == 4
    assert figures["letters"]["n"] == 40
    separate = figures["separate_letters"]
    assert set(separate) == {"clean", "photo"} and separate["clean"]["n"] == 4
    assert separate["clean"]["accuracy"] <= separate["clean"]["seen_as_letters"]
    assert figures["speed"]["photo_12mp_word_ms"]["p50"] > 0
    assert figures["speed"]["blocks_per_second_batched"] > 0


def test_real_letter_blocks_pool_only_the_writers_the_reader_never_trained_on(dev_data, tmp_path):
    registry = Registry(tmp_path / "registry")
    folder = tmp_path / "trained-on-two"
    shutil.copytree(registry.current("syllable-lenet").path, folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["data"]["real_letter_writers"] = ["block0", "block2"]
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    reader = TextReader(
        Classifier.open(registry.current("lenet")),
        SyllableModel.load(str(folder)),
    )
    figures = real_letter_figures(reader, dev_data, per_writer=2)
    assert figures["held_out"]["writers"] == ["block1"]
    assert figures["held_out"]["n"] == figures["block1"]["n"] == 2


def test_a_quiz_grades_a_word_right_in_context_only_where_the_letter_asked_for_is_close():
    def word(*vowels: tuple[str, float, str]) -> TextReading:
        blocks = tuple(
            BlockReading(
                "syllable", 0.99, compose("ㄴ", best, ""), (
                    (("ㄴ", 0.99),), ((best, p), (rival, 1 - p)), (("", 0.99),)
                ), p,
            )
            for best, p, rival in vowels
        )  # fmt: skip
        text = "".join(b.text for b in blocks)
        return TextReading("word", Verdict.OK, "", text, Reading(Verdict.OK), blocks)

    close = word(("ㅏ", 0.9, "ㅓ"), ("ㅓ", 0.7, "ㅏ"))  # 나 asked for, read 너 at 0.7
    assert not graded_right("나나", close, context=False)
    assert graded_right("나나", close, context=True)
    far = word(("ㅏ", 0.9, "ㅓ"), ("ㅓ", 0.95, "ㅏ"))
    assert not graded_right("나나", far, context=True)
    assert graded_right("나너", far, context=False)
    assert not graded_right("나", close, context=True)  # blocks do not line up


def test_rare_syllables_are_outside_the_everyday_ones_and_the_dense_pack_two_of_each():
    picked = rare_syllables(50)
    everyday = set(everyday_syllables())
    assert all(len(set(group)) == 50 for group in picked.values())
    assert not everyday & (set(picked["all"]) | set(picked["dense"]))
    for syllable in picked["dense"]:
        _, medial, final = decompose(syllable)
        assert medial in MIXED_VOWELS and final in COMPOUND_FINALS
    assert picked == rare_syllables(50)  # a fixed sample
