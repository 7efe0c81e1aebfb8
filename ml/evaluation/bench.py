"""``hangul-ml bench``: the figures the project is judged by, each against a baseline run alongside.

Sections:

* ``speed``: the notebook's training loop (PIL transforms in a DataLoader, batch 40, 50 epochs)
  and ours on the same writer-disjoint split; wall time until ours reaches the notebook's final
  test accuracy, as a ratio.
* ``writers``: leave-one-writer-out accuracy on the dev data (train on two writer blocks, test on
  the third, all three rotations) for the notebook's recipe, our LeNet and our MLP.
* ``inference``: eager PyTorch against ONNX Runtime on the same weights: single-picture latency
  from picture bytes (a 12 MP phone photo JPEG, a 1 MP PNG and a 28x28 crop) to letter, p50/p95,
  and batch throughput of canonical images; plus their agreement on the dev data.
* ``absent``: the shipped models on the 10 letters the real data lacks, drawn by held-out
  synthetic writers and fonts (:func:`ml.evaluation.quality.absent_letters`).
* ``informal``: the shipped models on informal handwriting by held-out writers, in the styles
  training draws from and in styles it never sees, as pictures and as phone photos, and the
  robustness suite's junk (:func:`ml.evaluation.quality.informal_styles`).
* ``upscaled``: the shipped models read every dev letter as it is and upscaled ten times with soft
  edges on clipped white; the readings must agree
  (:func:`ml.evaluation.quality.upscaled_agreement`).
* ``hostile``: every file of the hostile-input suite (:mod:`ml.evaluation.hostile`, full size)
  through ``hangul-ml predict`` in a process of its own: verdict, wall time, peak memory.
* ``robustness``: a LeNet trained without writer block2 reads block2's letters clean and as
  photos, screenshots and transparent PNGs, and refuses junk
  (:func:`ml.evaluation.quality.robustness`).
* ``syllables``: syllable readers (heads for the initial, medial and final, and the block's
  kind) trained on synthetic blocks, read on all 2,350 everyday syllables by held-out writers
  and in held-out fonts, and on held-out letters (:mod:`ml.evaluation.syllable_bench`).
* ``text``: the shipped letter and syllable readers together on pictures of syllables (clean,
  photo, screen, alpha), words, blocks made of the dev writers' real letters, and single
  letters; and the speed of a 12 MP photo of a word (:mod:`ml.evaluation.text_bench`).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageFilter

from ml.evaluation.hostile import measure_predict, write_hostile_suite
from ml.evaluation.quality import (
    BORDER,
    STYLES,
    absent_letters,
    informal_pictures,
    informal_styles,
    junk_pictures,
    letters_by_index,
    robustness,
    upscaled_agreement,
)
from ml.evaluation.syllable_bench import syllable_bench
from ml.evaluation.text_bench import text_bench
from ml.reading.alphabet import DATASET30_LETTERS, LETTERS, everyday_syllables
from ml.reading.classifier import Classifier, softmax
from ml.reading.isolation import PicturePool
from ml.reading.preprocess import canonical_from_bytes
from ml.reading.registry import ModelVersion, Registry
from ml.reading.syllables import DEFAULT_MODEL as SYLLABLES
from ml.reading.syllables import SyllableModel
from ml.reading.text import TextReader
from ml.training.data import LetterSet, load_folder, writer_folds, writer_split
from ml.training.models import build
from ml.training.notebook_baseline import train_notebook
from ml.training.pipeline import train_and_save
from ml.training.recipe import assemble
from ml.training.train import EpochLog, TrainConfig, train

SECTIONS = (
    "speed",
    "writers",
    "inference",
    "absent",
    "informal",
    "upscaled",
    "robustness",
    "hostile",
    "syllables",
    "text",
)


def _say(text: str) -> None:
    print(text, flush=True)


def _notebook_run(fold_train: LetterSet, fold_test: LetterSet, epochs: int) -> list[EpochLog]:
    index30 = {letter: i for i, letter in enumerate(DATASET30_LETTERS)}

    def labels(data: LetterSet) -> list[int]:
        return [index30[LETTERS[i]] for i in data.labels]

    return train_notebook(
        fold_train.files, labels(fold_train), fold_test.files, labels(fold_test), epochs=epochs
    )


def bench_speed(real: LetterSet, test_writer: str, load_seconds: float, quick: bool) -> dict:
    """Notebook loop vs ours, same split, same process; time to the notebook's final accuracy.

    ``load_seconds`` is what decoding and canonicalising the dev data once took; the notebook
    pays its decoding inside every epoch, ours before the first, so both ratios are reported.
    """
    fold_train, fold_test = writer_split(real, [test_writer])
    nb_epochs = 5 if quick else 50
    _say(f"[speed] notebook loop: {nb_epochs} epochs, test writer {test_writer} ...")
    notebook = _notebook_run(fold_train, fold_test, nb_epochs)
    target = notebook[-1].test_accuracy
    nb_reach = next(h for h in notebook if h.test_accuracy >= target)
    figures = {
        "test_writer": test_writer,
        "notebook_epochs": nb_epochs,
        "notebook_total_s": round(notebook[-1].seconds, 2),
        "notebook_final_accuracy": round(target, 4),
        "notebook_s_to_final_accuracy": round(nb_reach.seconds, 2),
        "ours_data_load_s": round(load_seconds, 2),
    }
    schedules = {"default": TrainConfig(), "short": TrainConfig(epochs=10, batch_size=64)}
    for label, config in schedules.items():
        if quick:
            config.epochs = min(config.epochs, 10)
        _say(
            f"[speed] ours ({label}: {config.epochs} epochs, batch {config.batch_size}) "
            f"until test accuracy >= {target:.2%} ..."
        )
        ours = train(
            fold_train, config, fold_test, stop=lambda h: h.test_accuracy >= target, progress=False
        )
        hit = next((h for h in ours.history if h.test_accuracy >= target), None)
        row: dict = {
            "epochs_planned": config.epochs,
            "batch_size": config.batch_size,
            "reached": hit is not None,
        }
        if hit is not None:
            row.update(
                epochs=hit.epoch,
                seconds=round(hit.seconds, 2),
                accuracy=round(hit.test_accuracy, 4),
                speedup=round(nb_reach.seconds / hit.seconds, 1),
                speedup_including_data_load=round(
                    nb_reach.seconds / (hit.seconds + load_seconds), 1
                ),
            )
        figures[f"ours_{label}"] = row
    _say(f"[speed] {figures}")
    return figures


def bench_writers(real: LetterSet, synthetic_per_letter: int, quick: bool) -> dict:
    """Leave-one-writer-out accuracy: the notebook's recipe, our LeNet and our MLP."""
    epochs = 5 if quick else 30
    rows: dict[str, dict[str, float]] = {"notebook_lenet": {}, "lenet": {}, "mlp": {}}
    for writer, fold_train, fold_test in writer_folds(real):
        notebook = _notebook_run(fold_train, fold_test, 5 if quick else 50)
        rows["notebook_lenet"][writer] = notebook[-1].test_accuracy
        recipe = assemble(fold_train, synthetic_per_letter)
        for arch in ("lenet", "mlp"):
            result = train(
                recipe.data,
                TrainConfig(architecture=arch, epochs=epochs),
                fold_test,
                progress=False,
            )
            rows[arch][writer] = result.history[-1].test_accuracy
        _say(
            f"[writers] held out {writer}: "
            + ", ".join(f"{name} {accs[writer]:.2%}" for name, accs in rows.items())
        )
    figures = {
        name: {
            "per_writer": {w: round(a, 4) for w, a in accs.items()},
            "mean": round(float(np.mean(list(accs.values()))), 4),
        }
        for name, accs in rows.items()
    }
    figures["synthetic_per_letter"] = synthetic_per_letter
    _say(
        "[writers] means: "
        + ", ".join(f"{name} {f['mean']:.2%}" for name, f in figures.items() if isinstance(f, dict))
    )
    return figures


def phone_photo_jpeg(letter_file: str, size: tuple[int, int] = (4032, 3024)) -> bytes:
    """A 12 MP JPEG of a dev letter written large on unevenly lit paper, with sensor noise."""
    letter = Image.open(letter_file).convert("L").resize((1400, 1400), Image.Resampling.BICUBIC)
    page = Image.linear_gradient("L").rotate(90).resize(size).point(lambda v: 190 + v // 5)
    page.paste(Image.new("L", letter.size, 30), (1300, 800), Image.eval(letter, lambda v: 255 - v))
    pixels = np.asarray(page.filter(ImageFilter.GaussianBlur(1.5)), dtype=np.int16)
    noise = np.random.default_rng(0).normal(0, 6, pixels.shape).astype(np.int16)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=92)
    return out.getvalue()


def _png_1mp(letter_file: str) -> bytes:
    """A 1 MP (1155x866) PNG screenshot-like picture of a dev letter."""
    letter = Image.open(letter_file).convert("L").resize((600, 600), Image.Resampling.BICUBIC)
    page = Image.new("L", (1155, 866), 250)
    page.paste(letter, (280, 130))
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def _percentiles(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(float(np.percentile(times, 50)), 3),
        "p95_ms": round(float(np.percentile(times, 95)), 3),
    }


def bench_inference(real: LetterSet, quick: bool, registry: Registry) -> dict:
    """Eager PyTorch vs ONNX Runtime: latency from bytes, batch throughput, agreement."""
    pictures = {
        "photo_12mp": phone_photo_jpeg(real.files[0]),
        "png_1mp": _png_1mp(real.files[0]),
        "crop_28px": Path(real.files[0]).read_bytes(),
    }
    figures: dict = {"torch_threads": torch.get_num_threads()}
    for name in ("lenet", "mlp"):
        figures[name] = _bench_model(registry.current(name), pictures, real, quick)
        _say(f"[inference] {name}: {figures[name]}")
    return figures


def _bench_model(version: ModelVersion, pictures: dict[str, bytes], real: LetterSet, quick: bool):
    model = build(version.meta["architecture"])
    model.load_state_dict(torch.load(version.torch_path, weights_only=True))
    model.eval()
    single = Classifier.open(version, threads=1)
    batched = Classifier.open(version, threads=torch.get_num_threads())
    pool = PicturePool(workers=1)
    isolated = Classifier.open(version, threads=1, preprocessor=pool)

    def torch_read(data: bytes) -> int:
        canonical = canonical_from_bytes(data)
        with torch.inference_mode():
            logits = model(torch.from_numpy(canonical.image)[None, None])
        return int(logits.argmax())

    repeats = 10 if quick else 100
    row: dict = {}
    for label, data in pictures.items():
        row[f"{label}_preprocess"] = _percentiles(lambda d=data: canonical_from_bytes(d), repeats)
        row[f"{label}_torch"] = _percentiles(lambda d=data: torch_read(d), repeats)
        row[f"{label}_onnx"] = _percentiles(lambda d=data: single.read(d), repeats)
        row[f"{label}_isolated"] = _percentiles(lambda d=data: isolated.read(d), repeats)
    pool.close()
    x = torch.from_numpy(real.images).float().div(255).unsqueeze(1)
    batch = x[:1024].repeat(4, 1, 1, 1)
    rounds = 3 if quick else 20
    with torch.inference_mode():
        row["batch_torch_images_per_s"] = _throughput(lambda: model(batch), len(batch), rounds)
        torch_logits = model(x).numpy()
    numpy_batch = batch.numpy()
    row["batch_onnx_images_per_s"] = _throughput(
        lambda: batched.probabilities(numpy_batch), len(batch), rounds
    )
    onnx_probs = batched.probabilities(x.numpy())
    row["argmax_agreement"] = float((onnx_probs.argmax(1) == torch_logits.argmax(1)).mean())
    row["max_probability_difference"] = float(np.abs(onnx_probs - softmax(torch_logits)).max())
    row["dev_accuracy_onnx"] = round(float((onnx_probs.argmax(1) == real.labels).mean()), 4)
    return row


def _throughput(fn: Callable[[], object], batch: int, repeats: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return round(batch * repeats / (time.perf_counter() - start))


def bench_absent(quick: bool, registry: Registry) -> dict:
    """The current models on held-out writers and fonts of the 10 letters without real data."""
    figures = {}
    for name in ("lenet", "mlp"):
        figures[name] = absent_letters(
            Classifier.open(registry.current(name)), 10 if quick else 100
        )
        _say(f"[absent] {name}: {figures[name]}")
    return figures


def bench_informal(quick: bool, registry: Registry) -> dict:
    """The current models on informal handwriting (pictures and photos) and on junk."""
    pictures = informal_pictures(2 if quick else 10, 1 if quick else 3)
    junk = junk_pictures(5 if quick else 40)
    figures = {}
    for name in ("lenet", "mlp"):
        classifier = Classifier.open(registry.current(name))
        figures[name] = informal_styles(classifier, pictures, junk)
        _say(f"[informal] {name}: {figures[name]}")
    return figures


def bench_upscaled(real: LetterSet, quick: bool, registry: Registry) -> dict:
    """The current models on every dev letter (20 with ``quick``), as it is and upscaled."""
    picked = letters_by_index(real, 1) if quick else real
    truth = [LETTERS[i] for i in picked.labels]
    figures = {}
    for name in ("lenet", "mlp"):
        classifier = Classifier.open(registry.current(name))
        figures[name] = upscaled_agreement(classifier, list(picked.files), truth)
        f = figures[name]
        _say(
            f"[upscaled] {name}: {f['same']} of {f['n']} read the same "
            f"(with a white border alone: {f['bordered_same']})"
        )
    return figures


def bench_robustness(real: LetterSet, quick: bool, test_writer: str = "block2") -> dict:
    """Train LeNet without ``test_writer``, then run the robustness suite on that writer."""
    fold_train, fold_test = writer_split(real, [test_writer])
    recipe = assemble(fold_train, 20 if quick else 300)
    config = TrainConfig(epochs=3 if quick else 30)
    with tempfile.TemporaryDirectory() as folder:
        saved = train_and_save(recipe, config, Path(folder) / "lenet", test=fold_test)
        model = ModelVersion("lenet", f"without-{test_writer}", saved.path)
        classifier = Classifier.open(model)
        letters = letters_by_index(fold_test, 2 if quick else 10)
        figures = robustness(classifier, letters, junk_per_kind=5 if quick else 40)
    figures["test_writer"] = test_writer
    figures["rejection_tuning"] = saved.rejection
    _say(f"[robustness] {figures}")
    return figures


def bench_hostile(quick: bool) -> dict:
    """The hostile-input suite (test size with ``quick``) through ``hangul-ml predict``."""
    command = [str(Path(sys.executable).with_name("hangul-ml")), "predict", "--json"]
    with tempfile.TemporaryDirectory() as folder:
        figures = measure_predict(write_hostile_suite(folder, full=not quick), command)
    slowest = max(figures, key=lambda f: f.seconds)
    largest = max(figures, key=lambda f: f.peak_mb)
    result = {
        "files": {f.file: asdict(f) for f in figures},
        "all_exited_zero": all(f.exit_code == 0 for f in figures),
        "slowest": asdict(slowest),
        "largest": asdict(largest),
    }
    _say(f"[hostile] slowest {asdict(slowest)}; largest {asdict(largest)}")
    return result


def bench_syllables(quick: bool) -> dict:
    """The syllable readers (:mod:`ml.evaluation.syllable_bench`): LeNet and MLP on 48,000
    training syllables (and letters and junk), read on all 2,350 everyday syllables by held-out
    writers and fonts and on held-out letters (``quick``: one small run on a few syllables)."""
    if not quick:
        return syllable_bench()
    return syllable_bench(count=30, per_syllable=3, epochs=1, held_out=everyday_syllables()[::120])


def bench_text(data_root: Path, quick: bool, registry: Registry) -> dict:
    """The registry's current LeNet and syllable reader together, on pictures
    (:func:`ml.evaluation.text_bench.text_bench`)."""
    reader = TextReader(
        Classifier.open(registry.current("lenet")), SyllableModel(registry.current(SYLLABLES))
    )
    figures = text_bench(reader, data_root, quick)
    _say(f"[text] {figures}")
    return figures


def run_bench(
    data_root: Path,
    registry: Registry,
    sections: list[str] | None = None,
    quick: bool = False,
) -> dict:
    """Run the chosen sections (all by default) and return their figures; ``inference`` and
    ``absent`` measure the registry's current models."""
    if not data_root.is_dir():
        raise FileNotFoundError(f"dev data not found at {data_root}")
    sections = sections or list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown bench sections {sorted(unknown)}; choose from {SECTIONS}")
    started = time.perf_counter()
    real = load_folder(data_root)
    load_seconds = time.perf_counter() - started
    figures: dict = {"device": "cuda" if torch.cuda.is_available() else "cpu"}
    if "speed" in sections:
        figures["speed"] = bench_speed(real, "block2", load_seconds, quick)
    if "writers" in sections:
        figures["writers"] = bench_writers(real, 20 if quick else 300, quick)
    if "inference" in sections:
        figures["inference"] = bench_inference(real, quick, registry)
    if "absent" in sections:
        figures["absent"] = bench_absent(quick, registry)
    if "informal" in sections:
        figures["informal"] = bench_informal(quick, registry)
    if "upscaled" in sections:
        figures["upscaled"] = bench_upscaled(real, quick, registry)
    if "robustness" in sections:
        figures["robustness"] = bench_robustness(real, quick)
    if "hostile" in sections:
        figures["hostile"] = bench_hostile(quick)
    if "syllables" in sections:
        figures["syllables"] = bench_syllables(quick)
    if "text" in sections:
        figures["text"] = bench_text(data_root, quick, registry)
    for line in summary_lines(figures):
        _say(line)
    return figures


def summary_lines(figures: dict) -> list[str]:
    """The headline figures, one per line."""
    lines = ["== summary"]
    if "speed" in figures:
        s = figures["speed"]
        lines.append(
            f"notebook loop: {s['notebook_final_accuracy']:.2%} after "
            f"{s['notebook_s_to_final_accuracy']} s"
        )
        for label in ("default", "short"):
            row = s[f"ours_{label}"]
            lines.append(
                f"ours ({label}): "
                + (
                    f"{row['accuracy']:.2%} after {row['seconds']} s = "
                    f"{row['speedup']}x sooner ({row['speedup_including_data_load']}x counting "
                    "data loading)"
                    if row["reached"]
                    else "did not reach it"
                )
            )
    if "writers" in figures:
        w = figures["writers"]
        lines.append(
            "writer-disjoint mean: "
            + ", ".join(
                f"{name} {w[name]['mean']:.2%}" for name in ("notebook_lenet", "lenet", "mlp")
            )
        )
    if "absent" in figures:
        lines.append(
            "absent letters on held-out writers+fonts: "
            + ", ".join(
                f"{name} {figures['absent'][name]['overall']:.2%}" for name in ("lenet", "mlp")
            )
        )
    if "informal" in figures:
        for name in ("lenet", "mlp"):
            f = figures["informal"][name]
            lines.append(
                f"informal handwriting, {name}: held-out styles {f['held_out']:.2%} (photos "
                f"{f['held_out_photos'] or 0:.2%}; in a quiz asking for the letter "
                f"{f['held_out_in_quiz']:.2%}), training styles by unseen writers "
                f"{f['training_styles']:.2%} (photos {f['training_styles_photos'] or 0:.2%}); "
                f"letters rejected {f['letters_rejected']:.2%}; junk rejected "
                f"{f['junk']['rejected']:.2%}, accepted by a quiz asking its best letter "
                f"{f['junk']['accepted_in_quiz_worst_letter']:.2%} (worst letter)"
            )
    if "upscaled" in figures:
        u = figures["upscaled"]
        lines.append(
            "dev letters upscaled 10x read as the originals: "
            + ", ".join(
                f"{name} {u[name]['same']} of {u[name]['n']} "
                f"(baseline, a {BORDER} px white border alone: {u[name]['bordered_same']})"
                for name in ("lenet", "mlp")
            )
        )
    if "robustness" in figures:
        r = figures["robustness"]
        lines.append(
            "robustness (lenet without "
            + r["test_writer"]
            + "): "
            + ", ".join(f"{s} {r[s]['accuracy']:.2%}" for s in STYLES)
            + f"; letters rejected {r['letters_rejected']:.2%}; junk rejected "
            f"{r['junk']['rejected']:.2%}; hostile files: "
            + ", ".join(f"{kind} -> {'/'.join(v)}" for kind, v in r["hostile_verdicts"].items())
        )
    if "syllables" in figures:
        for run in figures["syllables"]["runs"]:
            lines.append(
                f"syllables {run['architecture']}: "
                + "; ".join(
                    f"{group} {run[group]['syllable']:.2%} (initial {run[group]['initial']:.2%}, "
                    f"medial {run[group]['medial']:.2%}, final {run[group]['final']:.2%})"
                    for group in ("writers", "fonts")
                )
                + f"; letters' kind {run['letters']['kind']:.2%}"
                + f"; trained in {run['train_seconds']:.0f} s"
            )
    if "text" in figures:
        t = figures["text"]
        styles = ", ".join(f"{k} {v['accuracy']:.2%}" for k, v in t["syllables"].items())
        rare = ", ".join(
            f"{group} {t['rare'][group]['clean']['accuracy']:.2%} "
            f"(photos {t['rare'][group]['photo']['accuracy']:.2%})"
            for group in ("all", "dense")
        )
        words = ", ".join(f"{k} {t['words'][k]['accuracy']:.2%}" for k in ("clean", "photo"))
        quiz = t["words"]["quiz"]
        speed = t["speed"]["photo_12mp_word_ms"]
        lines.append(
            f"text: syllables {styles}; rare syllables {rare}; words {words}; in a quiz, word "
            f"photos graded right "
            f"{quiz['right']['strict']:.2%} (in context {quiz['right']['in_context']:.2%}), "
            f"with a look-alike letter {quiz['mistaken']['strict']:.2%} "
            f"({quiz['mistaken']['in_context']:.2%}); real letters' blocks by writers never "
            f"trained on ({', '.join(t['real_letters']['held_out']['writers'])}) "
            f"{t['real_letters']['held_out']['accuracy']:.2%}; "
            f"letters {t['letters']['accuracy']:.2%}; "
            f"12 MP word photo p50 {speed['p50']} ms"
        )
    if "hostile" in figures:
        h = figures["hostile"]
        lines.append(
            f"hostile files: {len(h['files'])}, all exit 0: {h['all_exited_zero']}; slowest "
            f"{h['slowest']['file']} {h['slowest']['seconds']} s; largest {h['largest']['file']} "
            f"{h['largest']['peak_mb']} MB"
        )
    if "inference" in figures:
        for name in ("lenet", "mlp"):
            row = figures["inference"][name]

            def p(key: str, row=row) -> str:
                return f"{row[key]['p50_ms']}/{row[key]['p95_ms']} ms"

            lines.append(
                f"{name} p50/p95: 12 MP JPEG onnx {p('photo_12mp_onnx')}, in a worker process "
                f"{p('photo_12mp_isolated')}, torch "
                f"{p('photo_12mp_torch')} (preprocessing {p('photo_12mp_preprocess')}); 1 MP PNG "
                f"onnx {p('png_1mp_onnx')} (preprocessing {p('png_1mp_preprocess')}); "
                f"28x28 JPEG onnx {p('crop_28px_onnx')}, torch "
                f"{p('crop_28px_torch')}; batch onnx {row['batch_onnx_images_per_s']}/s, "
                f"torch {row['batch_torch_images_per_s']}/s"
            )
    return lines
