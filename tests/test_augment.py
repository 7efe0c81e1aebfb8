import torch

from ml.training.augment import Augmentation, augment, dilate, ink_breaks


def _batch() -> torch.Tensor:
    x = torch.zeros(8, 1, 28, 28)
    x[:, :, 6:22, 12:16] = 1.0
    return x


def test_augmentation_keeps_shape_and_range_and_changes_images():
    x = _batch()
    out = augment(x, Augmentation(), torch.Generator().manual_seed(0))
    assert out.shape == x.shape and out.min() >= 0 and out.max() <= 1
    assert (out - x).abs().mean() > 0.01
    assert not torch.equal(out[0], out[1])  # each image gets its own distortion


def test_augmentation_is_reproducible_from_the_seed():
    a = augment(_batch(), Augmentation(), torch.Generator().manual_seed(5))
    b = augment(_batch(), Augmentation(), torch.Generator().manual_seed(5))
    assert torch.equal(a, b)


def test_no_augmentation_is_identity():
    x = _batch()
    out = augment(x, Augmentation.none(), torch.Generator().manual_seed(0))
    assert torch.allclose(out, x, atol=1e-5)


def test_rotation_stays_within_its_bound():
    x = _batch()
    aug = Augmentation(
        rotation_deg=20,
        scale=(1, 1),
        aspect=0,
        shear=0,
        shift=0,
        elastic=0,
        thicken_p=0,
        thin_p=0,
        noise=0,
    )
    out = augment(x.repeat(32, 1, 1, 1), aug, torch.Generator().manual_seed(1))
    # A vertical bar rotated by at most 20 degrees stays within tan(20)*8 px of the centre column.
    cols = torch.nonzero(out[:, 0].amax(dim=1) > 0.5)[:, 1].float()
    assert cols.min() >= 14 - 8 * 0.37 - 2.5 and cols.max() <= 14 + 8 * 0.37 + 2.5


def test_dilate_equals_a_3x3_max_filter():
    x = torch.rand(4, 1, 28, 28)
    assert torch.equal(dilate(x), torch.nn.functional.max_pool2d(x, 3, stride=1, padding=1))


def test_ink_breaks_cut_short_gaps_in_the_middle_only_for_the_chosen_share():
    x = _batch().repeat(8, 1, 1, 1)
    always = ink_breaks(x, 1.0, torch.Generator().manual_seed(2))
    assert always.shape == x.shape and set(always.unique().tolist()) <= {0.0, 1.0}
    cut = always.sum(dim=(1, 2, 3))
    assert (cut > 0).all() and (cut <= 30).all()  # about 1.5 x 10 px at most
    rows, cols = torch.nonzero(always[:, 0])[:, 1:].T
    assert rows.min() >= 3 and cols.max() <= 24
    assert ink_breaks(x, 0.0, torch.Generator().manual_seed(2)).sum() == 0
