"""The syllable reader: canonical form, models with letter and kind heads, training and
measuring."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from ml.reading.alphabet import FINALS, INITIALS, MEDIALS
from ml.reading.blocks import KINDS
from ml.training.syllable_data import (
    NO_LABEL,
    SyllableSet,
    canonical_syllable,
    junk_pictures,
    letter_pictures,
    pictured_block,
    pictured_words,
    real_letter_pictures,
    syllable_labels,
    syllable_set,
)
from ml.training.syllable_models import (
    WIDTH,
    SyllableEnsemble,
    SyllableLeNet,
    build_syllable_model,
    evaluate_syllables,
    load_syllable_model,
    syllable_loss,
    train_syllable_model,
)
from ml.training.syllable_synth import syllable_pictures
from ml.writing.real_syllables import pieces_of


def test_canonical_form_crops_squares_and_centres_the_ink():
    image = np.full((64, 64), 255, np.uint8)
    image[5:15, 36:60] = 0  # a wide bar away from the edges
    canonical = canonical_syllable(image)
    assert canonical.shape == (32, 32) and canonical.dtype == np.float32
    assert canonical.min() == 0.0 and canonical.max() == pytest.approx(1.0)
    rows, cols = np.nonzero(canonical > 0.5)
    assert cols.min() <= 3 and cols.max() >= 28  # the longer side fills the frame, less margin
    assert abs((rows.min() + rows.max()) / 2 - 15.5) <= 1  # centred on the shorter side
    assert abs((cols.min() + cols.max()) / 2 - 15.5) <= 1
    assert canonical_syllable(np.full((64, 64), 255, np.uint8)) is None


def test_labels_index_the_three_letter_lists():
    assert syllable_labels("닭") == (INITIALS.index("ㄷ"), MEDIALS.index("ㅏ"), FINALS.index("ㄺ"))
    assert syllable_labels("가")[2] == 0


@pytest.mark.parametrize("architecture", ["lenet", "mlp"])
def test_each_model_has_three_letter_heads_and_a_kind_head(architecture):
    initial, medial, final, kind = build_syllable_model(architecture, 32)(torch.zeros(2, 1, 32, 32))
    assert initial.shape == (2, 19) and medial.shape == (2, 21) and final.shape == (2, 28)
    assert kind.shape == (2, len(KINDS))


def test_training_on_a_few_syllables_learns_them():
    pictures = syllable_pictures(["가", "닭", "읊", "뷁"], 8, fonts=[], seed=2)
    data = syllable_set(pictures)
    assert data.images.shape == (32, 32, 32) and data.labels.shape == (32, 3)
    model, _ = train_syllable_model("lenet", data, epochs=30, batch=8, lr=3e-3, seed=0)
    assert evaluate_syllables(model, data)["syllable"] >= 0.75  # chance: well under 1%
    again, _ = train_syllable_model("lenet", data, epochs=30, batch=8, lr=3e-3, seed=0)
    pairs = zip(model.state_dict().values(), again.state_dict().values(), strict=True)
    assert all(torch.equal(a, b) for a, b in pairs)


def test_fine_tuning_keeps_the_width_of_an_older_narrower_reader(tmp_path):
    older = SyllableLeNet(32, width=WIDTH // 2)
    torch.save(older.state_dict(), tmp_path / "model.pt")
    data = syllable_set(syllable_pictures(["가", "닭"], 2, fonts=[], seed=2))
    tuned, _ = train_syllable_model("lenet", data, epochs=1, initial_weights=tmp_path / "model.pt")
    assert tuned.features[0].out_channels == WIDTH // 2
    assert build_syllable_model("lenet", 32).features[0].out_channels == WIDTH


def test_an_ensemble_reads_the_mean_of_its_members_and_is_fine_tuned_as_one(tmp_path):
    torch.manual_seed(0)
    members = [SyllableLeNet(32, width=4).eval() for _ in range(2)]
    x = torch.rand(3, 1, 32, 32)
    averaged = SyllableEnsemble(members).eval()(x)
    for head, out in enumerate(averaged):
        mean = torch.stack([m(x)[head].softmax(1) for m in members]).mean(0)
        torch.testing.assert_close(out.softmax(1), mean)
    torch.save(SyllableEnsemble(members).state_dict(), tmp_path / "model.pt")
    loaded = load_syllable_model("lenet", tmp_path / "model.pt")
    assert isinstance(loaded, SyllableEnsemble) and len(loaded.members) == 2
    data = syllable_set(syllable_pictures(["가", "닭"], 2, fonts=[], seed=2))
    tuned, _ = train_syllable_model("lenet", data, epochs=1, initial_weights=tmp_path / "model.pt")
    assert isinstance(tuned, SyllableEnsemble)
    assert [m.features[0].out_channels for m in tuned.members] == [4, 4]
    before = members[0].features[0].weight
    assert not torch.equal(tuned.members[0].features[0].weight, before)  # each member learnt
    with pytest.raises(ValueError, match="two members"):
        SyllableEnsemble(members[:1])


class Fixed(nn.Module):
    """Always reads ㄱ, ㅏ, no final (가)."""

    def __init__(self) -> None:
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(torch.eye(n)[torch.zeros(len(x), dtype=torch.long)] for n in (19, 21, 28, 3))


def test_a_syllable_counts_as_read_only_when_all_three_letters_are():
    syllables = ["가", "각", "거", "나", "ㄱ"]
    labels = [syllable_labels(s) for s in syllables[:4]] + [(NO_LABEL,) * 3]
    data = SyllableSet(
        np.zeros((5, 32, 32), np.uint8),
        np.array(labels, np.int64),
        np.array([0, 0, 0, 0, KINDS.index("letter")], np.int64),
        syllables,
        ["strokes"] * 5,
    )
    figures = evaluate_syllables(Fixed(), data)  # always "syllable", so the letter's kind is wrong
    assert (
        figures["syllable"] == 0.25 and figures["n"] == 5 and figures["kind"] == pytest.approx(0.8)
    )
    assert figures["initial"] == 0.75 and figures["medial"] == 0.75 and figures["final"] == 0.75


def test_training_sets_teach_the_kind_head_letters_and_junk():
    pictures = letter_pictures(6, seed=3) + junk_pictures(4, seed=3)
    data = syllable_set(pictures)
    assert {KINDS[k] for k in data.kinds} == {"letter", "not_writing"}
    assert (data.labels == NO_LABEL).all()
    assert syllable_loss(
        tuple(torch.zeros(len(data), n) for n in (19, 21, 28, 3)),
        torch.from_numpy(np.concatenate([data.labels, data.kinds[:, None]], 1)),
    ).isfinite()


def test_real_letter_blocks_are_made_of_each_writers_own_letters_in_rounds():
    def letter(mark: int) -> np.ndarray:  # a 28 px picture: a bar at ``mark``
        picture = np.full((28, 28), 255, np.uint8)
        picture[6:22, mark : mark + 3] = 0
        return picture

    writers = {
        name: {x: [letter(6 + k), letter(12 + k)] for x in "ㄱㄴㅏㅗ"}
        for k, name in enumerate(("left", "right"))
    }
    pictures = real_letter_pictures(writers, per_writer=3, rounds=2, seed=1)
    assert len(pictures) == 2 * 2 * 3
    assert {p.source for p in pictures} == {"real:left", "real:right"}
    assert all(set(pieces_of(p.syllable)) <= set("ㄱㄴㅏㅗ") for p in pictures)
    first, second = pictures[:6], pictures[6:]
    assert [p.syllable for p in first] != [p.syllable for p in second]  # each round others
    again = real_letter_pictures(writers, per_writer=3, rounds=2, seed=1)
    assert all(np.array_equal(a.image, p.image) for a, p in zip(again, pictures, strict=True))


def test_a_pictured_syllable_is_read_back_through_the_learners_preprocessing():
    picture = syllable_pictures(["닭"], 1, fonts=[], seed=4)[0]
    block = pictured_block(picture.image, np.random.default_rng(0))
    clean = canonical_syllable(picture.image)
    assert block.shape == clean.shape == (32, 32) and block.dtype == np.float32
    assert 0.0 <= block.min() and block.max() <= 1.0
    overlap = np.minimum(block > 0.5, clean > 0.5).sum() / max((clean > 0.5).sum(), 1)
    assert overlap > 0.5  # the same writing, seen through a photo, a screenshot or a PNG
    assert pictured_block(np.full((64, 64), 255, np.uint8), np.random.default_rng(0)) is None


def test_a_share_of_a_set_is_pictured_the_same_in_parallel():
    pictures = syllable_pictures(["가", "한"], 6, fonts=[], seed=5)
    clean = syllable_set(pictures)
    alone = syllable_set(pictures, pictured=0.5, seed=1)
    together = syllable_set(pictures, pictured=0.5, seed=1, workers=2)
    assert np.array_equal(alone.images, together.images) and alone.syllables == together.syllables
    assert len(alone) == len(clean) == 12
    changed = (alone.images != clean.images).any(axis=(1, 2)).sum()
    assert 2 <= changed <= 10  # about half were sent as pictures


def test_pictured_words_are_cut_into_blocks_each_labelled_with_its_syllable():
    data = pictured_words(["가", "나", "닭", "모"], 4, seed=0)
    assert 4 <= len(data) <= 4 * 3  # words of 2-4 blocks; a word cut wrong is left out
    assert set(data.sources) == {"word"} and (data.kinds == KINDS.index("syllable")).all()
    assert [tuple(row) for row in data.labels] == [syllable_labels(s) for s in data.syllables]
    assert data.images.shape[1:] == (32, 32) and data.images.max() > 200
