"""A smoke run of ``hangul-ml bench --quick``: every section produces its figures."""

from ml.bench import phone_photo_jpeg, run_bench
from ml.decode import decode_greyscale


def test_quick_bench_reports_speed_and_inference(dev_data, registry_root):
    figures = run_bench(dev_data, sections=["speed", "inference"], quick=True)
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
