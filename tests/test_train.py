"""The training loop on tiny data: it learns, it is deterministic, it can stop early."""

import numpy as np
import pytest
import torch

from ml.training.augment import Augmentation
from ml.training.data import LetterSet, empty_set
from ml.training.recipe import balance_real_and_synthetic
from ml.training.train import TrainConfig, accuracy, kept_outputs_loss, to_tensors, train


def _toy_letters(n_per_class: int = 40, seed: int = 0) -> LetterSet:
    """Three separable 'letters': a vertical bar, a horizontal bar, a box."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label in range(3):
        for _ in range(n_per_class):
            img = np.zeros((28, 28), np.uint8)
            o = rng.integers(-2, 3)
            if label == 0:
                img[4:24, 12 + o : 16 + o] = 255
            elif label == 1:
                img[12 + o : 16 + o, 4:24] = 255
            else:
                img[6:22, 6:22] = 255
                img[10:18, 10:18] = 0
            images.append(img)
            labels.append(label)
    n = len(labels)
    return LetterSet(np.stack(images), np.array(labels), np.array(["toy"] * n), [])


@pytest.mark.parametrize("architecture", ["lenet", "mlp"])
def test_training_learns_separable_letters(architecture):
    data = _toy_letters()
    result = train(
        data, TrainConfig(architecture=architecture, epochs=12, batch_size=32), data, progress=False
    )
    assert result.history[-1].test_accuracy >= 0.95
    assert result.history[-1].loss < result.history[0].loss


def test_same_seed_gives_the_same_weights():
    data = _toy_letters()
    config = TrainConfig(epochs=2, batch_size=32, seed=7)
    a = train(data, config, progress=False).model.state_dict()
    b = train(data, config, progress=False).model.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_fine_tuning_starts_from_the_given_weights(tmp_path):
    data = _toy_letters()
    trained = train(data, TrainConfig(epochs=12, batch_size=32), progress=False).model
    torch.save(trained.state_dict(), tmp_path / "model.pt")
    still = TrainConfig(epochs=1, batch_size=32, lr=1e-12, weight_decay=0.0)
    tuned = train(data, still, data, progress=False, initial_weights=tmp_path / "model.pt")
    fresh = train(data, still, data, progress=False)
    assert tuned.history[-1].test_accuracy >= 0.95  # it kept what it knew
    assert fresh.history[-1].test_accuracy < 0.9
    for name, value in tuned.model.named_parameters():
        assert torch.allclose(value, trained.state_dict()[name], atol=1e-6)


def test_stop_callback_ends_training_early():
    data = _toy_letters()
    result = train(
        data,
        TrainConfig(epochs=20, batch_size=32),
        data,
        stop=lambda h: h.epoch == 3,
        progress=False,
    )
    assert [h.epoch for h in result.history] == [1, 2, 3]
    assert all(h.seconds > 0 for h in result.history)


def test_empty_training_set_is_refused():
    with pytest.raises(ValueError):
        train(empty_set(), TrainConfig(epochs=1), progress=False)


def test_accuracy_matches_a_hand_count():
    data = _toy_letters(10)
    result = train(data, TrainConfig(epochs=1, augmentation=Augmentation.none()), progress=False)
    x, y = to_tensors(data, torch.device("cpu"))
    with torch.no_grad():
        expected = (result.model(x).argmax(1) == y).float().mean().item()
    assert accuracy(result.model, x, y) == pytest.approx(expected)


def test_real_images_are_repeated_to_weigh_like_synthetic_ones():
    real, synthetic = _toy_letters(10), _toy_letters(50, seed=1)
    mixed = balance_real_and_synthetic(real, synthetic)
    assert len(mixed) == 5 * len(real) + len(synthetic)
    assert len(balance_real_and_synthetic(real, empty_set())) == len(real)


def test_distillation_keeps_only_what_the_starting_model_reads_right():
    torch.manual_seed(0)
    teacher = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(28 * 28, 4))
    inputs = torch.rand(6, 1, 28, 28)
    with torch.no_grad():
        taught = teacher(inputs)
    read = taught.argmax(1)
    assert kept_outputs_loss(teacher, inputs, taught.clone(), read).item() == pytest.approx(0.0)
    moved = taught + torch.randn_like(taught)
    assert kept_outputs_loss(teacher, inputs, moved, read).item() > 0
    assert kept_outputs_loss(teacher, inputs, moved, (read + 1) % 4).item() == 0.0
    half_right = torch.where(torch.arange(6) < 3, read, (read + 1) % 4)
    half = kept_outputs_loss(teacher, inputs, moved, half_right).item()
    assert 0 < half < kept_outputs_loss(teacher, inputs, moved, read).item()
