"""The rules between the rooms (README, "Architecture"), held by reading the code's imports and by
importing it in fresh interpreters."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import commands, texts
from ml.reading.verdicts import REASONS, Verdict

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("ml", "bot", "storage")


def modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def within(name: str, rooms: tuple[str, ...]) -> bool:
    return any(name == room or name.startswith(f"{room}.") for room in rooms)


def ours(name: str) -> bool:
    return within(name, PACKAGES)


ROOM_RULES = {
    "ml.reading": ("ml.reading",),
    "ml.writing": ("ml.reading", "ml.writing"),
    "ml.training": ("ml.reading", "ml.writing", "ml.training"),
    "ml.evaluation": ("ml.reading", "ml.writing", "ml.training", "ml.evaluation"),
    "ml.jobs": ("ml",),
    "storage": ("storage",),
    "bot.core": ("bot.core", "ml.reading", "ml.writing", "storage"),
}
"""What each room may import of the project."""


def broken_rules() -> list[str]:
    broken = []
    for room, allowed in ROOM_RULES.items():
        for path in modules(room.replace(".", "/")):
            for name in imported(path):
                if ours(name) and not within(name, allowed):
                    broken.append(f"{module_name(path)} imports {name}")
    return broken


def test_each_room_imports_only_what_it_may():
    assert broken_rules() == []


def test_ml_imports_neither_bot_nor_storage():
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in modules("ml")
        for name in imported(path)
        if within(name, ("bot", "storage"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("torch", ("ml.training", "ml.evaluation", "ml.jobs")),
        ("torchvision", ("ml.training",)),
        ("ray", ("ml.jobs",)),
        ("telegram", ("bot.adapters.telegram_adapter",)),
        ("discord", ("bot.adapters.discord_adapter",)),
        ("apscheduler", ("bot.app.reminders",)),
    ],
)
def test_heavy_libraries_are_imported_only_where_they_belong(library, allowed):
    offenders = [
        module_name(path)
        for package in PACKAGES
        for path in modules(package)
        if any(within(name, (library,)) for name in imported(path))
        and not within(module_name(path), allowed)
    ]
    assert offenders == []


def test_adapters_never_import_each_other():
    adapters = ("telegram_adapter", "discord_adapter", "console")
    offenders = [
        f"{path.stem} imports {name}"
        for path in modules("bot/adapters")
        for name in imported(path)
        for other in adapters
        if other != path.stem and within(name, (f"bot.adapters.{other}",))
    ]
    assert offenders == []


def test_only_the_settings_read_the_environment():
    readers = []
    for package in PACKAGES:
        for path in modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                    readers.append(module_name(path))
                elif isinstance(node, ast.ImportFrom) and node.module == "os":
                    if {a.name for a in node.names} & {"environ", "getenv"}:
                        readers.append(module_name(path))
    assert sorted(set(readers)) == ["bot.app.settings"]


def loaded_after_importing(targets: list[str]) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing ``targets``."""
    code = (
        f"import json, sys\nfor name in {targets!r}: __import__(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stdout))


def test_importing_the_core_loads_no_chat_library_scheduler_torch_or_ray():
    core = [module_name(path) for path in modules("bot/core")]
    loaded = loaded_after_importing(core)
    heavy = {"telegram", "discord", "apscheduler", "torch", "ray", "matplotlib", "alembic"}
    assert loaded & heavy == set()


def test_importing_the_reading_and_writing_paths_loads_no_torch():
    rooms = [module_name(path) for room in ("ml/reading", "ml/writing") for path in modules(room)]
    loaded = loaded_after_importing(rooms)
    assert loaded & {"torch", "torchvision", "ray", "bot", "storage"} == set()


def test_every_command_is_in_the_help_of_those_who_may_use_it():
    for_learners, for_admins = commands.help_text(), commands.help_text(admin=True)
    for command in commands.COMMANDS:
        assert f"/{command.name}" in for_admins
        assert (f"/{command.name}" in for_learners) is not command.admin


def test_a_commands_options_become_the_text_the_tutor_reads():
    quiz = commands.find("quiz")
    assert quiz.text({"count": 5, "action": None}) == "/quiz 5"
    assert quiz.text({"count": None, "action": "stop"}) == "/quiz stop"
    assert commands.find("START").name == "start" and commands.find("learn").name == "lesson"
    assert commands.find("progress").name == "stats" and commands.find("practice").name == "drill"
    assert commands.find("fly") is None


def test_every_verdict_is_worded_once_for_learners_and_once_for_the_command_line():
    refusals = set(Verdict) - {Verdict.OK}
    assert set(texts.VERDICTS) == refusals
    assert set(REASONS) == refusals - {Verdict.UNREADABLE_FILE}  # that one is the system's words
