"""The ONNX Runtime classifier: same answers as the PyTorch model, friendly verdicts."""

import json

import numpy as np
import pytest
import torch

from conftest import dim_page_on_dark_desk, draw_letter, encode
from ml.reading.classifier import Classifier, ModelContractError, in_quiz_context, softmax
from ml.reading.preprocess import canonical_from_bytes
from ml.reading.registry import ModelVersion
from ml.training.models import build


def test_onnx_runtime_matches_pytorch(tiny_model_dir):
    model = build("lenet")
    model.load_state_dict(torch.load(tiny_model_dir / "model.pt", weights_only=True))
    model.eval()
    x = np.random.default_rng(1).random((16, 28, 28), dtype=np.float32)
    with torch.no_grad():
        expected = softmax(model(torch.from_numpy(x)[:, None]).numpy())
    got = Classifier.open(ModelVersion("lenet", "t", tiny_model_dir)).probabilities(x)
    assert np.abs(got - expected).max() < 1e-5


def test_reading_gives_letter_confidence_and_sorted_top3(tiny_model_dir, korean_font):
    classifier = Classifier.open(ModelVersion("lenet", "t", tiny_model_dir))
    reading = classifier.read(encode(draw_letter(korean_font, "ㅛ")))
    assert reading.verdict == "ok" and reading.letter in classifier.letters
    assert len(reading.top) == 3 and reading.top[0] == (reading.letter, reading.confidence)
    probs = [p for _, p in reading.top]
    assert probs == sorted(probs, reverse=True) and 0 < probs[0] <= 1
    assert reading.canonical.shape == (28, 28)
    assert json.dumps(reading.as_json(), ensure_ascii=False)


def test_bad_pictures_get_verdicts_and_do_not_stop_a_batch(tiny_model_dir, korean_font):
    classifier = Classifier.open(ModelVersion("lenet", "t", tiny_model_dir))
    good = encode(draw_letter(korean_font, "ㄱ"))
    readings = classifier.read_many([b"", good, b"junk", encode(draw_letter(korean_font, " "))])
    assert [r.verdict for r in readings] == ["empty_file", "ok", "not_an_image", "blank"]
    assert readings[0].letter is None and readings[0].reason


def test_a_model_for_another_input_contract_is_refused(tmp_path, tiny_model_dir):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "model.onnx").write_bytes((tiny_model_dir / "model.onnx").read_bytes())
    meta = json.loads((tiny_model_dir / "meta.json").read_text())
    meta["input_contract"]["version"] = 0
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelContractError):
        Classifier.open(ModelVersion("lenet", "old", folder))


def _with_threshold(
    tmp_path, tiny_model_dir, threshold: float, in_context: float | None = None
) -> Classifier:
    folder = tmp_path / f"t{threshold}-{in_context}"
    folder.mkdir()
    (folder / "model.onnx").write_bytes((tiny_model_dir / "model.onnx").read_bytes())
    meta = json.loads((tiny_model_dir / "meta.json").read_text())
    meta["not_a_letter_threshold"] = threshold
    if in_context is not None:
        meta["not_a_letter_threshold_in_context"] = in_context
    (folder / "meta.json").write_text(json.dumps(meta))
    return Classifier.open(ModelVersion("lenet", "t", folder))


def test_not_a_letter_verdict_follows_the_models_threshold(tmp_path, tiny_model_dir, korean_font):
    picture = encode(draw_letter(korean_font, "ㅎ"))
    rejecting = _with_threshold(tmp_path, tiny_model_dir, 0.0)
    reading = rejecting.read(picture)
    assert reading.verdict == "not_a_letter" and reading.letter is None
    assert reading.reason and len(reading.top) == 3 and reading.canonical is not None
    probabilities = rejecting.probabilities(np.zeros((2, 28, 28)))
    assert probabilities.shape == (2, 41)
    assert rejecting.letter_indices(probabilities).tolist() == [-1, -1]
    accepting = _with_threshold(tmp_path, tiny_model_dir, 1.01)
    reading = accepting.read(picture)
    assert reading.verdict == "ok" and reading.letter == reading.top[0][0]
    assert (accepting.letter_indices(probabilities) >= 0).all()


def test_a_quiz_context_accepts_a_refusal_whose_best_letter_was_asked_unless_clearly_junk(
    tmp_path, tiny_model_dir, korean_font
):
    picture = encode(draw_letter(korean_font, "ㅎ"))
    plain = _with_threshold(tmp_path, tiny_model_dir, 0.0)  # no context threshold in its meta
    assert plain.context_threshold == plain.threshold
    refused = plain.read(picture)
    assert not refused.not_clearly_junk
    assert in_quiz_context(refused, refused.top[0][0]) is refused
    lenient = _with_threshold(tmp_path, tiny_model_dir, 0.0, in_context=1.01)
    refused = lenient.read(picture)
    assert refused.verdict == "not_a_letter" and refused.not_clearly_junk
    best, probability = refused.top[0]
    other = next(letter for letter, _ in refused.top[1:])
    assert in_quiz_context(refused, other) is refused
    accepted = in_quiz_context(refused, best)
    assert accepted.verdict == "ok" and accepted.letter == best and accepted.unsure
    assert accepted.confidence == probability and accepted.canonical is refused.canonical
    reading = _with_threshold(tmp_path, tiny_model_dir, 1.01, in_context=0.5).read(picture)
    assert reading.verdict == "ok" and in_quiz_context(reading, best) is reading


def test_the_other_polarity_is_read_when_the_likelier_one_is_refused(
    tmp_path, tiny_model_dir, korean_font
):
    data = encode(dim_page_on_dark_desk(korean_font, "ㅂ"))
    picture = canonical_from_bytes(data)
    assert not picture.ok and picture.other.ok
    reading = _with_threshold(tmp_path, tiny_model_dir, 1.01).read(data)
    assert reading.verdict == "ok"
    assert np.array_equal(reading.canonical, picture.other.image)
