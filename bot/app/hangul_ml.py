"""``hangul-ml``: train, evaluate, predict, benchmark and manage the letter and syllable readers.

The command line of :mod:`ml`; it lives with the process because it reads the settings and,
for ``retrain --database``, the database. Examples::

    hangul-ml predict examples/yo.png
    hangul-ml evaluate ../shared/datasets/kaggle-hangul-30 --model lenet --json
    hangul-ml train --model lenet --data ../shared/datasets/kaggle-hangul-30 --out runs/lenet
    hangul-ml models list
    hangul-ml bench
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.settings import Settings, process_settings
from ml.jobs.ray_jobs import RayJobsError
from ml.reading.alphabet import letter_info
from ml.reading.registry import RegistryError
from ml.reading.verdicts import Verdict

if TYPE_CHECKING:
    from ml.reading.classifier import Classifier
    from ml.reading.text import TextReader, TextReading

log = logging.getLogger("hangul-ml")
SHEET_MOST = 400
"""Pictures on a syllable contact sheet (the folders hold them all)."""


def _print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False))


def _need(command: str, module: str, extra: str, what: str) -> None:
    """Exit with an install hint when ``module`` (from the ``extra`` extras) is missing."""
    if importlib.util.find_spec(module) is None:
        raise SystemExit(f"hangul-ml {command} needs {what}: pip install 'hangul-tutor[{extra}]'")


def _need_torch(command: str) -> None:
    _need(command, "torch", "train", "the training extras")


def cmd_predict(args: argparse.Namespace, settings: Settings) -> int:
    from ml.reading.classifier import Classifier
    from ml.reading.isolation import PicturePool

    with PicturePool() as pool:
        classifier = Classifier.load(args.model, settings.registry, preprocessor=pool)
        reader = _text_reader(args, settings, classifier)
        for name in args.files:
            _show_reading(name, _read_file(reader, name), args.json)
    return 0


def _text_reader(
    args: argparse.Namespace, settings: Settings, classifier: Classifier
) -> TextReader:
    """Letters with ``classifier``, syllables with the model ``--syllable-model`` names."""
    from ml.reading.syllables import SyllableModel
    from ml.reading.text import TextReader

    return TextReader(classifier, SyllableModel.load(args.syllable_model, settings.registry))


def _read_file(reader: TextReader, name: str) -> TextReading:
    """The reading of one picture file; a file that cannot be read gets a verdict too."""
    from ml.reading.classifier import Reading
    from ml.reading.decode import PictureError, read_picture_file
    from ml.reading.text import route

    try:
        return reader.read(read_picture_file(name))
    except PictureError as refused:
        return route(Reading(refused.code, refused.message), [])
    except OSError as error:
        return route(Reading(Verdict.UNREADABLE_FILE, error.strerror or str(error)), [])


def _show_reading(name: str, reading: TextReading, as_json: bool) -> None:
    if as_json:
        _print_json({"file": name, **reading.as_json()})
    elif reading.kind in ("syllable", "word") and reading.text:
        parts = "; ".join(
            f"{b.text} = {' + '.join(j[0][0] for j in b.jamo if j[0][0])} {b.confidence:.0%}"
            for b in reading.blocks
        )
        doubt = f" ({reading.verdict}: {reading.reason})" if reading.reason else ""
        print(f"{name}: {reading.kind} {reading.text}: {parts}{doubt}")
    elif not reading.letter.letter or reading.verdict != Verdict.OK:
        print(f"{name}: not read ({reading.verdict}): {reading.reason}")
    else:
        letter = reading.letter
        info = letter_info(letter.letter)
        others = ", ".join(f"{x} {p:.0%}" for x, p in letter.top[1:])
        print(
            f"{name}: {info.jamo} ({info.romanization}, {info.name}) "
            f"{letter.confidence:.0%}; then {others}"
        )


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from ml.evaluation.evaluate import evaluate_folder
    from ml.evaluation.text_evaluate import kind_of, text_of_folder
    from ml.reading.classifier import Classifier
    from ml.reading.isolation import PicturePool
    from ml.training.data import scan_folder

    files = scan_folder(args.folder, text_of_folder).files
    with PicturePool() as pool:
        classifier = Classifier.load(args.model, settings.registry, preprocessor=pool)
        if args.text or any(kind_of(text) != "letter" for _, text in files):
            return _evaluate_texts(args, settings, classifier)
        report = evaluate_folder(classifier, args.folder)
    if args.plot:
        from ml.evaluation.plots import plot_confusion

        plot_confusion(report.confusion, args.plot, title=f"{report.model} on {args.folder}")
    if args.json:
        _print_json(report.as_json())
        return 0
    print(
        f"model {report.model}: accuracy {report.accuracy:.2%} on {report.n} pictures "
        f"({report.rejected} rejected)"
    )
    for letter, acc in report.per_letter.items():
        print(
            f"  {letter} {letter_info(letter).romanization:>4}  {acc:7.2%}  "
            f"(n={report.per_letter_n[letter]})"
        )
    for pair in report.confused_pairs:
        print(f"  confused: {pair['true']} read as {pair['predicted']} x{pair['count']}")
    if report.missing_letters:
        print(f"  letters the model does not know: {' '.join(report.missing_letters)}")
    if report.unknown_folders:
        print(f"  folders skipped (not a letter): {', '.join(report.unknown_folders)}")
    return 0


def _evaluate_texts(args: argparse.Namespace, settings: Settings, classifier: Classifier) -> int:
    """``evaluate`` on a folder of syllables or words: whole texts and the letters inside."""
    from ml.evaluation.text_evaluate import evaluate_text_folder

    report = evaluate_text_folder(_text_reader(args, settings, classifier), args.folder)
    if args.json:
        _print_json(report.as_json())
        return 0
    print(
        f"models {report.model}: accuracy {report.accuracy:.2%} on {report.n} pictures "
        f"(best guesses {report.as_json()['best_guess_accuracy']:.2%})"
    )
    for part, accuracy in report.jamo_accuracy.items():
        print(f"  {part:>8} {accuracy:7.2%}")
    for kind, accuracy in report.per_kind.items():
        print(f"  {kind:>8} {accuracy:7.2%} (n={report.per_kind_n[kind]})")
    for row in report.confused:
        print(f"  {row['true']} read as {row['read']} x{row['count']}")
    return 0


def _held_out_syllables(every: int) -> tuple[str, ...] | None:
    """Every ``every``-th everyday syllable to measure a syllable reader on (None: all)."""
    from ml.reading.alphabet import everyday_syllables

    return tuple(everyday_syllables()[::every]) if every > 1 else None


def _register(settings: Settings, name: str, folder: Path) -> None:
    """Add the model folder to the registry as ``name`` and serve it."""
    registry = settings.registry
    version = registry.add(name, folder)
    registry.promote(version.name, version.version)
    print(f"registered and promoted {version.name}:{version.version}")


def cmd_train_syllables(args: argparse.Namespace, settings: Settings) -> int:
    _need_torch("train-syllables")
    from ml.reading.syllables import NAME_PREFIX
    from ml.training.syllable_pipeline import SyllableTraining, train_and_save_syllables

    config = SyllableTraining(
        architecture=args.model,
        syllables=args.syllables,
        per_syllable=args.per_syllable,
        epochs=args.epochs,
        seed=args.seed,
        **({} if args.pictured is None else {"pictured": args.pictured}),
        **({} if args.pictured_words is None else {"pictured_words": args.pictured_words}),
        held_out_syllables=_held_out_syllables(args.held_out_every),
        data=str(args.data) if args.data else None,
        test_writer=args.test_writer,
        real_per_writer=args.real_blocks,
    )
    meta = train_and_save_syllables(config, args.out)
    if args.register:
        _register(settings, NAME_PREFIX + args.model, args.out)
    _print_json({"out": str(args.out), **meta["metrics"]})
    return 0


def cmd_join_syllables(args: argparse.Namespace, settings: Settings) -> int:
    _need_torch("join-syllables")
    from ml.training.syllable_pipeline import join_syllable_readers

    meta = join_syllable_readers(args.readers, args.out, _held_out_syllables(args.held_out_every))
    if args.register:
        _register(settings, meta["name"], args.out)
    _print_json({"out": str(args.out), **meta["metrics"]})
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    _need_torch("train")
    from ml.evaluation.plots import plot_learning_curve
    from ml.training.data import writer_split
    from ml.training.pipeline import train_and_save
    from ml.training.recipe import assemble, load_real
    from ml.training.train import TrainConfig

    real = load_real(args.data)
    test = None
    if args.test_writer:
        real, test = writer_split(real, args.test_writer)
    elif args.test:
        test = load_real(args.test)
    recipe = assemble(real, args.synthetic, seed=args.seed, sources=[str(d) for d in args.data])
    overrides = {
        key: value
        for key in ("epochs", "batch_size", "lr")
        if (value := getattr(args, key)) is not None
    }
    config = TrainConfig(architecture=args.model, seed=args.seed, device=args.device, **overrides)
    saved = train_and_save(
        recipe, config, args.out, name=args.name, test=test, progress=not args.quiet
    )
    plot_learning_curve(saved.result.history, saved.path / "learning_curve.png", title=args.model)
    if args.register:
        _register(settings, args.name or args.model, saved.path)
    _print_json({"out": str(saved.path), **saved.metrics, **saved.rejection})
    return 0


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    registry = settings.registry
    if args.action == "list":
        for name in args.names or ["lenet", "mlp"]:
            current = registry.current(name)
            stored = registry.versions(name)
            print(
                f"{name}: current {current.version} ({current.path}); "
                f"stored: {', '.join(stored) or 'none'}"
            )
    elif args.action == "promote":
        model = registry.promote(args.names[0], args.version)
        print(f"promoted {model.name}:{model.version}")
    elif args.action == "rollback":
        _rollback(args.names[0], settings)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    _need("worker", "ray", "worker", "Ray Serve")
    import signal
    import threading

    from ml.jobs import worker

    settings.export_ray_environment()
    address = settings.ray.address
    if args.update:
        served = worker.update_versions(settings.model_registry, address=address)
        print(f"model worker now serves {served}")
        return 0
    stop = threading.Event()
    url = worker.deploy(
        settings.model_registry,
        port=args.port,
        host=args.host,
        replicas=args.replicas,
        address=address,
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"model worker at {url} (POST /classify, GET /health); stop with Ctrl-C", flush=True)
    while not stop.wait(1.0):
        pass
    worker.shutdown()
    print("model worker stopped", flush=True)
    return 0


def _rollback(name: str, settings: Settings) -> None:
    """Serve the previously promoted version of ``name``, on a Ray worker too."""
    from bot.app.retraining import tell_worker

    model = settings.registry.rollback(name)
    tell_worker(settings)
    print(f"{model.name} is now {model.version}")


def cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    _rollback(args.name, settings)
    return 0


def cmd_retrain(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.retraining import describe_job, submit_retrain
    from ml.jobs.retrain_job import RetrainConfig, default_epochs, jobs_root, wait

    if not settings.ray.configured:  # else the job runs on the cluster, which has torch
        _need_torch("retrain")

    database = args.database or settings.database
    samples = blocks = None
    if database:
        samples, blocks = asyncio.run(_export_samples(database, jobs_root(settings.registry)))
    config = RetrainConfig(
        real_folders=[str(d) for d in args.data],
        samples=str(samples) if samples else None,
        block_samples=str(blocks) if blocks else None,
        synthetic_per_letter=args.synthetic,
        synthetic_syllables=args.synthetic_syllables,
        fixed_syllables_every=args.fixed_syllables_every,
        epochs=args.epochs or default_epochs(fine_tune=not args.from_scratch),
        fine_tune=not args.from_scratch,
        held_out_per_letter=args.held_out_per_letter,
        max_letter_drop=args.max_letter_drop,
        models=args.models,
    )
    folder = submit_retrain(settings, config)
    if not args.wait:
        print(f"retrain job {folder.name} started; status: {folder / 'status.json'}")
        return 0
    say = (
        (lambda s: None)
        if args.json
        else (lambda s: print(f"{100 * s['progress']:3.0f}% {s['message']}"))
    )
    final = wait(folder, say, cluster=settings.ray)
    if final["state"] != "succeeded":
        print(f"hangul-ml retrain: the job failed: {final.get('error')}", file=sys.stderr)
        return 1
    report = final["report"]
    if database and report["promoted"]:
        asyncio.run(_mark_samples(database, report))
    models = report["models"]
    summary = {
        "promoted": report["promoted"],
        "refused": report.get("refused"),
        "skipped": report.get("skipped", {}),
        "data": report["data"],
        "syllable_data": report.get("syllable_data"),
        "before": {m["name"]: m["before"]["accuracy"] for m in models},
        "after": {m["name"]: m["after"]["accuracy"] for m in models},
        "learners_before": {m["name"]: _accuracy(m["learners_before"]) for m in models},
        "learners_after": {m["name"]: _accuracy(m["learners_after"]) for m in models},
        "version": {
            m["name"]: m["after_version"] if m["promoted"] else m["before_version"] for m in models
        },
        "reasons": {m["name"]: m["reason"] for m in models},
        "job": folder.name,
    }
    if args.json:
        _print_json(summary)
    else:
        print(describe_job(folder.name, final))
    return 0


def _accuracy(figures: dict | None) -> float | None:
    return figures["accuracy"] if figures else None


async def _export_samples(database_url: str, folder: Path) -> tuple[Path, Path]:
    """The trusted letter samples' export and the syllable blocks' export."""
    from bot.app.retraining import export_blocks, export_samples
    from storage.database import Database

    db = Database(database_url)
    try:
        async with db.transaction() as session:
            letters, _ = await export_samples(session, folder)
            blocks, _ = await export_blocks(session, folder)
        return letters, blocks
    finally:
        await db.close()


async def _mark_samples(database_url: str, report: dict) -> None:
    from bot.app.retraining import mark_samples_used
    from storage.database import Database

    db = Database(database_url)
    try:
        await mark_samples_used(db, report)
    finally:
        await db.close()


def cmd_synth(args: argparse.Namespace, settings: Settings) -> int:
    _need("synth", "fontTools", "train", "the training extras")
    from ml.training.data import LetterSet
    from ml.training.gallery import contact_sheet, write_letter_folders
    from ml.training.recipe import training_fonts
    from ml.training.synth import font_letters, informal_letters, stroke_letters

    if args.kind == "syllables":
        return _synth_syllables(args)
    parts = []
    if args.kind in ("fonts", "both", "all"):
        parts.append(font_letters(training_fonts(), args.per_letter, seed=args.seed))
    if args.kind in ("strokes", "both", "all"):
        parts.append(stroke_letters(args.per_letter, seed=args.seed))
    if args.kind in ("informal", "all"):
        parts.append(informal_letters(args.per_letter, seed=args.seed))
    data = LetterSet.concat(parts)
    written = write_letter_folders(data, args.out)
    sheet = contact_sheet(data, args.out / "contact_sheet.png")
    print(f"wrote {written} pictures under {args.out}/<letter>/ and {sheet}")
    return 0


def _synth_syllables(args: argparse.Namespace) -> int:
    from ml.training.recipe import training_fonts
    from ml.training.syllable_synth import pick_syllables, syllable_pictures, write_syllable_folders
    from ml.writing.syllables import contact_sheet

    syllables = pick_syllables(args.syllables, seed=args.seed)
    pictures = syllable_pictures(syllables, args.per_letter, training_fonts(), seed=args.seed)
    written = write_syllable_folders(pictures, args.out)
    shown = pictures[:SHEET_MOST]
    sheet = args.out / "contact_sheet.png"
    contact_sheet([p.image for p in shown], [p.syllable for p in shown], columns=20).save(sheet)
    print(
        f"wrote {written} pictures of {len(syllables)} syllables under {args.out}/<syllable>/ "
        f"and {sheet}"
    )
    return 0


def cmd_suite(args: argparse.Namespace, settings: Settings) -> int:
    from ml.evaluation.quality import letters_by_index
    from ml.evaluation.robustness import build_suite
    from ml.training.data import load_folder

    letters = letters_by_index(load_folder(args.data), args.per_letter, seed=args.seed)
    counts = build_suite(letters, args.out, seed=args.seed, junk_per_kind=args.junk_per_kind)
    _print_json(counts)
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    _need_torch("bench")
    from ml.evaluation.bench import run_bench

    figures = run_bench(Path(args.data), settings.registry, sections=args.only, quick=args.quick)
    if args.json:
        _print_json(figures)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hangul-ml", description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("predict", help="read letters, syllables and words from picture files")
    p.add_argument("files", nargs="+", help="picture files")
    p.add_argument("--model", default="lenet", help="lenet, mlp, name:version or a model folder")
    p.add_argument(
        "--syllable-model",
        default="syllable-lenet",
        help="the syllable reader: syllable-lenet, name:version or a model folder",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per file per line")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("evaluate", help="accuracy on a folder of class folders")
    p.add_argument(
        "folder",
        type=Path,
        help="folder of <letter>/<picture> (jamo or romanized), or of <syllable or word>/<picture>",
    )
    p.add_argument("--model", default="lenet", help="lenet, mlp, name:version or a model folder")
    p.add_argument(
        "--syllable-model", default="syllable-lenet", help="the syllable reader (for texts)"
    )
    p.add_argument(
        "--text",
        action="store_true",
        help="report as texts (kind, whole text, letters inside) even on a folder of letters",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", type=Path, help="write a confusion-matrix PNG here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="train a model and write it as a model folder")
    p.add_argument("--model", choices=["lenet", "mlp"], default="lenet")
    p.add_argument("--name", help="registry name (default: the architecture)")
    p.add_argument("--data", type=Path, action="append", default=[], help="class folder tree")
    p.add_argument("--test", type=Path, action="append", help="class folder tree to test on")
    p.add_argument("--test-writer", action="append", help="hold out this writer (e.g. block2)")
    p.add_argument("--synthetic", type=int, default=300, help="font renderings per letter")
    recipe_default = "default: ml.training.train.TrainConfig's"
    p.add_argument("--epochs", type=int, help=recipe_default)
    p.add_argument("--batch-size", type=int, help=recipe_default)
    p.add_argument("--lr", type=float, help=f"peak learning rate ({recipe_default})")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    p.add_argument("--out", type=Path, required=True, help="output model folder")
    p.add_argument("--register", action="store_true", help="add to the registry and promote")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "train-syllables", help="train a syllable reader on synthetic blocks and measure it"
    )
    p.add_argument("--model", choices=["lenet", "mlp"], default="lenet")
    p.add_argument("--syllables", type=int, default=3000, help="syllables drawn (80%% everyday)")
    p.add_argument("--per-syllable", type=int, default=16, help="pictures of each")
    p.add_argument(
        "--pictured",
        type=float,
        help="share of the training pictures sent as photos, screenshots or transparent PNGs "
        "first (default: a quarter)",
    )
    p.add_argument(
        "--pictured-words",
        type=float,
        help="words of 2-4 blocks sent as pictures and cut into blocks, as a share of the "
        "syllable pictures (default: 0.06)",
    )
    p.add_argument(
        "--data",
        type=Path,
        help="real letters (class folders, e.g. ../shared/datasets/kaggle-hangul-30): blocks "
        "made of each writer's own letters are trained on, but for --test-writer's",
    )
    p.add_argument(
        "--test-writer",
        default="block1",
        help="the writer of --data measured on, never trained on (default: block1, the dev "
        "writer whose blocks read worst)",
    )
    p.add_argument(
        "--real-blocks",
        type=int,
        default=1200,
        help="blocks made of each trained --data writer's letters, in each of 3 rounds "
        "(default: 1200)",
    )
    p.add_argument(
        "--held-out-every",
        type=int,
        default=1,
        help="measure on every Nth of the 2,350 everyday syllables (default: all)",
    )
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output model folder")
    p.add_argument("--register", action="store_true", help="add to the registry and promote")
    p.set_defaults(func=cmd_train_syllables)

    p = sub.add_parser(
        "join-syllables",
        help="join syllable readers trained apart into one that averages them, and measure it",
    )
    p.add_argument("readers", nargs="+", type=Path, help="model folders (2 or more)")
    p.add_argument(
        "--held-out-every",
        type=int,
        default=1,
        help="measure on every Nth of the 2,350 everyday syllables (default: all)",
    )
    p.add_argument("--out", type=Path, required=True, help="output model folder")
    p.add_argument("--register", action="store_true", help="add to the registry and promote")
    p.set_defaults(func=cmd_join_syllables)

    p = sub.add_parser("models", help="list, promote or roll back registry models")
    p.add_argument("action", choices=["list", "promote", "rollback"])
    p.add_argument("names", nargs="*", help="model name(s)")
    p.add_argument("--version", help="version to promote (e.g. v0002)")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "worker",
        help="serve the letter and syllable models over HTTP on Ray Serve (GPU if present)",
    )
    p.add_argument("--port", type=int, default=8000, help="HTTP port")
    p.add_argument("--host", default="127.0.0.1", help="HTTP address (0.0.0.0: all interfaces)")
    p.add_argument("--replicas", type=int, default=1, help="model replicas (one CPU each)")
    p.add_argument(
        "--update",
        action="store_true",
        help="make the running worker serve the registry's current versions in place, then exit",
    )
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("rollback", help="serve the previously promoted version of a model")
    p.add_argument("name", choices=["lenet", "mlp", "syllable-lenet", "syllable-mlp"])
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("retrain", help="retrain on collected samples; promote only if better")
    p.add_argument("--data", type=Path, action="append", default=[], help="base class folders")
    p.add_argument(
        "--database",
        default=None,
        help="database URL to take trusted, consented samples from (default: HANGUL_DATABASE_URL)",
    )
    p.add_argument("--synthetic", type=int, default=300, help="synthetic letters per letter")
    p.add_argument(
        "--from-scratch",
        action="store_true",
        help="train new models instead of fine-tuning the current ones",
    )
    p.add_argument("--epochs", type=int, help="default: 6 fine-tuning, 30 from scratch")
    p.add_argument("--held-out-per-letter", type=int, default=100)
    p.add_argument("--max-letter-drop", type=float, default=0.05)
    p.add_argument(
        "--synthetic-syllables",
        type=int,
        default=1000,
        help="syllables drawn for the syllable reader's synthetic base data (4 pictures each)",
    )
    p.add_argument(
        "--fixed-syllables-every",
        type=int,
        default=5,
        help="the syllable reader's fixed held-out set: every N-th everyday syllable",
    )
    p.add_argument(
        "--models",
        nargs="+",
        choices=["lenet", "mlp", "syllable-lenet", "syllable-mlp"],
        default=["lenet", "mlp", "syllable-lenet"],
    )
    p.add_argument("--wait", action="store_true", help="wait for the job, showing progress")
    p.add_argument(
        "--json",
        action="store_true",
        help="with --wait: print the data used, before/after on each held-out set, the versions",
    )
    p.set_defaults(func=cmd_retrain)

    p = sub.add_parser("synth", help="write synthetic letters as folders plus a contact sheet")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--per-letter", type=int, default=20, help="pictures per letter or syllable")
    p.add_argument(
        "--kind",
        choices=["fonts", "strokes", "informal", "both", "all", "syllables"],
        default="both",
        help="font renderings, stroke writers, informal writers (training styles), fonts and "
        "strokes, or all three; or syllable blocks (all three kinds of writing)",
    )
    p.add_argument(
        "--syllables", type=int, default=200, help="with --kind syllables: how many syllables"
    )
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("suite", help="write the robustness suite (photos, screens, junk, ...)")
    p.add_argument("--data", type=Path, required=True, help="class folders of clean letters")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--per-letter", type=int, default=5)
    p.add_argument("--junk-per-kind", type=int, default=40)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_suite)

    p = sub.add_parser("bench", help="training speed, writer-disjoint accuracy, inference speed")
    p.add_argument("--data", default="../shared/datasets/kaggle-hangul-30")
    p.add_argument(
        "--only",
        nargs="+",
        metavar="SECTION",
        help="speed, writers, inference, absent, informal, upscaled, robustness, hostile, "
        "syllables and/or text (default: all)",
    )
    p.add_argument("--quick", action="store_true", help="fewer epochs and repeats (smoke test)")
    p.add_argument("--json", action="store_true", help="also print all figures as JSON")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command == "models" and args.action in ("promote", "rollback") and not args.names:
        raise SystemExit("hangul-ml models: name the model, e.g. 'models rollback lenet'")
    if args.command == "models" and args.action == "promote" and not args.version:
        raise SystemExit("hangul-ml models promote: give --version")
    try:
        return args.func(args, process_settings())
    except (RegistryError, FileNotFoundError, ValueError, RayJobsError) as error:
        print(f"hangul-ml {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
