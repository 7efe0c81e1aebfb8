"""``hangul-bot``: the tutor's command line.

Examples::

    hangul-bot run                          # Telegram and/or Discord (tokens from the environment)
    hangul-bot console                      # talk to the tutor in the terminal
    hangul-bot console --json --user alice  # one JSON object per reply, for scripts
    hangul-bot migrate                      # apply database migrations
    hangul-bot bench --database postgresql://127.0.0.1/test
    hangul-bot flywheel --data ../shared/datasets/kaggle-hangul-30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from pathlib import Path

from bot.app.settings import Settings, process_settings


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.redaction import protect_output
    from bot.app.service import serve
    from bot.app.startup import StartupError

    redact = protect_output(settings)
    try:
        asyncio.run(serve(settings))
    except StartupError as failure:
        print(redact(f"hangul-bot: {failure}"), file=sys.stderr)
        return failure.code
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.console import run_console
    from bot.app.service import open_tutor
    from ml.reading.isolation import PicturePool

    async def main() -> None:
        with PicturePool() as pictures:
            tutor = await open_tutor(settings, pictures)
            try:
                await run_console(tutor, args.user, args.images, args.json)
            finally:
                await tutor.db.close()

    asyncio.run(main())
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from storage.database import Database

    async def main() -> None:
        db = Database(settings.database_url)
        try:
            await db.migrate()
        finally:
            await db.close()

    asyncio.run(main())
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from bot.benchmarks.tutor_load import run_bench

    with tempfile.TemporaryDirectory() as folder:
        urls = args.database or [f"sqlite:///{folder}/bench.db"]
        figures = asyncio.run(run_bench(urls, settings.registry, args.learners, args.pictures))
    print(json.dumps(figures, indent=2))
    return 0


def cmd_flywheel(args: argparse.Namespace, settings: Settings) -> int:
    from bot.benchmarks.flywheel import TUNING_OFFSET, FlywheelConfig, run_flywheel
    from ml.jobs.retrain_job import default_epochs

    config = FlywheelConfig(
        learners=args.learners,
        pictures_per_letter=args.pictures_per_letter,
        base_data=[str(d) for d in args.data],
        synthetic_per_letter=args.synthetic_per_letter,
        epochs=args.epochs or default_epochs(fine_tune=not args.from_scratch),
        fine_tune=not args.from_scratch,
        models=args.models,
    )
    if args.letters:
        config.letters = args.letters
    if args.collected_share is not None:
        config.collected_share = args.collected_share
    if args.distillation is not None:
        config.distillation = args.distillation
    if args.lr is not None:
        config.fine_tune_lr = args.lr
    if args.tuning:
        config.learner_offset = TUNING_OFFSET
    print(json.dumps(asyncio.run(run_flywheel(config, args.workdir)), indent=2, ensure_ascii=False))
    return 0


def cmd_syllable_flywheel(args: argparse.Namespace, settings: Settings) -> int:
    from bot.benchmarks.syllable_flywheel import SyllableFlywheel, run_flywheel

    config = SyllableFlywheel(
        learners=args.learners,
        per_learner=args.per_learner,
        measure=args.measure,
        writer=args.writer,
        tuning=args.tuning,
        **{k: v for k, v in vars(args).items() if k in SCHEDULE and v is not None},
    )
    print(json.dumps(run_flywheel(args.data, config), indent=2, ensure_ascii=False))
    return 0


SCHEDULE = ("collected_share", "fine_tune_lr", "epochs")
"""A syllable flywheel's retrain schedule options: the retrain's own when not given."""

_QUIET = {cmd_console: logging.WARNING, cmd_bench: logging.WARNING}
"""Commands whose output is the point log only warnings unless ``-v``."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hangul-bot", description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command")

    p = commands.add_parser("run", help="run the Telegram and/or Discord bot and reminders")
    p.set_defaults(run=cmd_run)

    p = commands.add_parser("console", help="talk to the tutor in the terminal")
    p.add_argument("--user", default="me", help="who you are (one learner per name)")
    p.add_argument("--json", action="store_true", help="one JSON object per reply")
    p.add_argument(
        "--images",
        type=Path,
        default=Path(tempfile.gettempdir()) / "hangul-console",
        help="folder for the images replies carry",
    )
    p.set_defaults(run=cmd_console)

    p = commands.add_parser("migrate", help="apply database migrations (HANGUL_DATABASE_URL)")
    p.set_defaults(run=cmd_migrate)

    p = commands.add_parser("bench", help="many learners sending pictures at once")
    p.add_argument("--learners", type=int, default=200)
    p.add_argument("--pictures", type=int, default=5, help="pictures per learner")
    p.add_argument(
        "--database",
        action="append",
        help="database URL (repeatable; default: a temporary SQLite file)",
    )
    p.set_defaults(run=cmd_bench)

    p = commands.add_parser(
        "flywheel",
        help="measure a retrain on samples from learners the model reads poorly (needs [train])",
    )
    p.add_argument("--learners", type=int, default=4, help="learners who send and confirm")
    p.add_argument("--pictures-per-letter", type=int, default=2, help="per learner")
    p.add_argument("--letters", help="the letters they send (default: the 14 plain consonants)")
    p.add_argument("--models", nargs="+", choices=["lenet", "mlp"], default=["lenet", "mlp"])
    p.add_argument(
        "--distillation", type=float, help="keeping the current model's outputs (default: 1)"
    )
    p.add_argument("--lr", type=float, help="fine-tuning learning rate (default: the retrain's)")
    p.add_argument(
        "--tuning",
        action="store_true",
        help="with other learners than the reported figures (for choosing a schedule)",
    )
    p.add_argument(
        "--collected-share",
        type=float,
        help="share of the training set the collected pictures are weighted to (default: 0.2)",
    )
    p.add_argument("--data", type=Path, action="append", default=[], help="base class folders")
    p.add_argument("--synthetic-per-letter", type=int, default=300)
    p.add_argument(
        "--from-scratch", action="store_true", help="retrain from scratch, not fine-tuning"
    )
    p.add_argument("--epochs", type=int, help="default: 6 fine-tuning, 30 from scratch")
    p.add_argument("--workdir", type=Path, help="keep the database, samples and registry here")
    p.set_defaults(run=cmd_flywheel)

    p = commands.add_parser(
        "syllable-flywheel",
        help="measure a retrain of the syllable reader on syllables of the style it reads worst",
    )
    p.add_argument("--data", type=Path, required=True, help="the dev set's class folders")
    p.add_argument("--learners", type=int, default=4)
    p.add_argument("--per-learner", type=int, default=28, help="syllables each learner sends")
    p.add_argument("--measure", type=int, default=300, help="blocks of the style measured on")
    p.add_argument("--writer", default="block1", help="the dev writer whose letters make blocks")
    p.add_argument(
        "--tuning",
        action="store_true",
        help="measure on the learners' half of the pictures (for choosing a schedule)",
    )
    p.add_argument("--collected-share", type=float)
    p.add_argument("--fine-tune-lr", type=float)
    p.add_argument("--epochs", type=int)
    p.set_defaults(run=cmd_syllable_flywheel)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:  # plain `hangul-bot` runs the bot
        args.run = cmd_run
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else _QUIET.get(args.run, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return args.run(args, process_settings())


if __name__ == "__main__":
    raise SystemExit(main())
