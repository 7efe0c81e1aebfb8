"""Class folders, writer tags and writer-disjoint splits."""

import numpy as np
import pytest

from conftest import draw_letter
from ml.reading.alphabet import LETTERS
from ml.training.data import (
    LetterSet,
    load_folder,
    scan_folder,
    writer_folds,
    writer_of,
    writer_split,
)


def _make_tree(root, korean_font, names):
    for name, letter in names.items():
        (root / name).mkdir(parents=True)
        for i in range(3):
            draw_letter(korean_font, letter, offset=(i * 5, 0)).save(root / name / f"w{i}.png")


def test_folders_named_by_jamo_or_romanization_load_alike(tmp_path, korean_font):
    _make_tree(tmp_path / "jamo", korean_font, {"ㅛ": "ㅛ", "ㄲ": "ㄲ"})
    _make_tree(tmp_path / "roman", korean_font, {"yo": "ㅛ", "gg": "ㄲ"})
    by_jamo, by_roman = load_folder(tmp_path / "jamo"), load_folder(tmp_path / "roman")
    assert sorted(by_jamo.letters()) == sorted(by_roman.letters()) == ["ㄲ", "ㅛ"]
    assert by_jamo.images.shape == (6, 28, 28) and by_jamo.images.dtype == np.uint8
    assert np.array_equal(by_jamo.images, by_roman.images)


def test_unknown_folders_and_non_images_are_left_out(tmp_path, korean_font):
    _make_tree(tmp_path, korean_font, {"ya": "ㅑ"})
    (tmp_path / "notes").mkdir()
    (tmp_path / "ya" / "readme.txt").write_text("not a picture")
    (tmp_path / "ya" / "broken.png").write_bytes(b"not a png")
    scan = scan_folder(tmp_path)
    assert scan.unknown_folders == ["notes"]
    assert len(scan.files) == 4  # three drawings and the broken .png
    assert len(load_folder(tmp_path)) == 3


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        scan_folder(tmp_path / "nowhere")


def test_kaggle_file_names_carry_the_writer_block(tmp_path):
    assert writer_of(tmp_path / "ya" / "ya_25_3.jpg") == "block0"
    assert writer_of(tmp_path / "ya" / "ya_55_3.jpg") == "block1"
    assert writer_of(tmp_path / "yo" / "yo_88_19.jpg") == "block2"
    assert writer_of(tmp_path / "set7" / "ya" / "photo.png") == "set7"


def _toy_set() -> LetterSet:
    writers = np.array(["a", "a", "b", "b", "c", "c"])
    return LetterSet(np.zeros((6, 28, 28), np.uint8), np.arange(6), writers, list("uvwxyz"))


def test_writer_split_keeps_writers_apart():
    train, test = writer_split(_toy_set(), ["b"])
    assert set(train.writers) == {"a", "c"} and set(test.writers) == {"b"}
    assert test.files == ["w", "x"] and len(train) + len(test) == 6


def test_writer_folds_rotate_every_writer_out_once():
    folds = writer_folds(_toy_set())
    assert [w for w, _, _ in folds] == ["a", "b", "c"]
    for writer, train, test in folds:
        assert writer not in set(train.writers) and set(test.writers) == {writer}


def test_dev_data_has_three_writers_of_thirty_letters(dev_data):
    data = load_folder(dev_data)
    assert len(data) == 1800
    assert sorted(set(data.writers)) == ["block0", "block1", "block2"]
    assert len(data.letters()) == 30 and "ㅕ" not in data.letters()
    for _, _, test in writer_folds(data):
        assert len(test) == 600 and set(np.bincount(test.labels, minlength=40)) == {0, 20}
    assert set(data.labels.tolist()) <= set(range(len(LETTERS)))
