"""The command table: every command the tutor knows, once. The tutor dispatches from it; ``/help``,
Telegram's command menu and Discord's slash commands are all built from it.

A command's options say what it takes (for Discord's typed slash commands); whatever the
platform, a command reaches the tutor as text (``/quiz 5``), built by :meth:`Command.text`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core import (
    admin_commands,
    drill_commands,
    learner_commands,
    lessons,
    pictures,
    quiz,
    texts,
)
from bot.core.replies import Reply
from bot.core.turn import AdminHandler, Handler, Turn


@dataclass(frozen=True)
class Option:
    """One thing a command takes: text, a whole number, a yes/no flag (written as its name), or
    one of ``choices``."""

    name: str
    description: str
    kind: type = str
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    handler: Handler | AdminHandler
    usage: str = ""
    """What follows the name in ``/help`` (``[n]``, ``HH:MM``)."""
    options: tuple[Option, ...] = ()
    admin: bool = False

    @property
    def description(self) -> str:
        """The one line a command menu shows."""
        return f"Admins: {self.summary}" if self.admin else self.summary

    def text(self, values: Mapping[str, object]) -> str:
        """The command as typed, from option values (None and False are left out; a true flag is
        written as its name)."""
        words = [f"/{self.name}"]
        for option in self.options:
            value = values.get(option.name)
            if value is None or value is False:
                continue
            words.append(option.name if value is True else str(value))
        return " ".join(words)


async def show_help(turn: Turn, args: list[str]) -> list[Reply]:
    """/help: what the bot does and its commands, in the forms of the learner's platform (admins
    also see theirs)."""
    return [Reply(help_text(admin=turn.is_admin, platform=turn.sender.platform))]


def help_text(admin: bool = False, platform: str = "") -> str:
    """``/help``'s text, listing the learners' commands, and the admins' for an admin: Discord's
    slash commands with their option names, typed commands elsewhere."""
    slash = platform == "discord"

    def usage(command: Command) -> str:
        if slash:
            return "".join(
                f" {o.name}:" if o.required else f" [{o.name}:]" for o in command.options
            )
        return f" {command.usage}" if command.usage else ""

    def lines(commands: list[Command]) -> list[str]:
        return [f"/{c.name}{usage(c)} – {c.summary}" for c in commands]

    intro = texts.HELP_INTRO_DISCORD if slash else texts.HELP_INTRO
    text = [intro, "", *lines(LEARNER_COMMANDS)]
    if admin:
        text += ["", texts.HELP_ADMINS, *lines(ADMIN_COMMANDS)]
    return "\n".join(text)


LETTER = Option("letter", "A letter (ㄱ), its sound (g) or its name (giyeok)")
COUNT = Option("count", "How many questions (default 5)", int)
QUIZ_ACTION = Option(
    "action",
    "syllables or words (once open); again: what you missed last time; stop: end the quiz",
    choices=("syllables", "words", "again", "stop"),
)
DRILL_KIND = Option(
    "kind",
    "reading (default), listening, pairs or words (their meanings)",
    choices=("reading", "listening", "pairs", "words"),
)
CHOICE_TYPED = Option("choice", "Your answer, like ga", required=True)
TIME = Option("time", "Your local time, HH:MM (24-hour), or off")
ZONE = Option("zone", "Area/City, like Asia/Seoul")
CHOICE = Option(
    "choice",
    "on, off, or forget (delete the pictures kept)",
    choices=("on", "off", "forget"),
    required=True,
)
MODEL = Option("model", "lenet, mlp or syllable-lenet", choices=admin_commands.MODEL_NAMES)
ACTION = Option("action", "status or anyway", choices=("status", "anyway"))

# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("lesson", "Learn a new letter (or see a letter's lesson again)", lessons.lesson,
            "[letter]", (LETTER,)),
    Command("quiz", "Write a few letters (default 5), or syllables or words once you're ready",
            quiz.quiz, "[syllables|words] [n|again|stop]", (COUNT, QUIZ_ACTION)),
    Command("drill", "Practise without a camera: reading, listening, word pairs or meanings",
            drill_commands.drill, "[reading|listening|pairs|words] [n]", (DRILL_KIND, COUNT)),
    Command("answer", "Answer a drill question (the buttons do it for you)",
            drill_commands.answer, "choice", (CHOICE_TYPED,)),
    Command("hint", "How to write a letter (stroke by stroke) or a syllable or word",
            quiz.hint, "[letter]", (LETTER,)),
    Command("skip", "Skip the current quiz question", quiz.skip),
    Command("confirm", "Tell me which letter your last picture showed", pictures.confirm,
            "[letter]", (LETTER,)),
    Command("review", "What you miss most: letters, syllables and words", learner_commands.weakest),
    Command("stats", "Your progress per letter", learner_commands.stats),
    Command("remind", "A daily practice reminder at your local time (/remind 19:30, or off)",
            learner_commands.remind, "HH:MM|off", (TIME,)),
    Command("timezone", "Your time zone (/timezone Asia/Seoul)", learner_commands.timezone,
            "Area/City", (ZONE,)),
    Command("stop", "End the running quiz (with none running: no more reminders)",
            learner_commands.stop),
    Command("consent", "Let me keep your pictures to improve my reading (on/off/forget)",
            learner_commands.consent, "on|off|forget", (CHOICE,)),
    Command("deleteme", "Delete everything I know about you", learner_commands.delete_me),
    Command("start", "Welcome, and your first lesson", learner_commands.welcome),
    Command("help", "What I can do", show_help),
    Command("model", "The models and their figures", admin_commands.models, admin=True),
    Command("rollback", "Back to the previous model", admin_commands.rollback,
            "[lenet|mlp|syllable-lenet]", (MODEL,), admin=True),
    Command("retrain", "Retrain on collected samples (or: status, anyway)",
            admin_commands.retrain, "[status|anyway]", (ACTION,), admin=True),
)
# fmt: on
LEARNER_COMMANDS = [c for c in COMMANDS if not c.admin]
ADMIN_COMMANDS = [c for c in COMMANDS if c.admin]
ALIASES = {
    "learn": "lesson",
    "progress": "stats",
    "practice": "drill",
    "practise": "drill",
    "reminder": "remind",
}
"""Other names of commands, the ones learners coming from other apps type."""

_BY_NAME = {c.name: c for c in COMMANDS}


def find(name: str) -> Command | None:
    """The command called ``name`` (or one of its aliases)."""
    name = name.lower()
    return _BY_NAME.get(ALIASES.get(name, name))


QUIZ_KINDS = {"syllable": "syllables", "syllables": "syllables", "word": "words", "words": "words"}
"""Names a learner may type as a command that are kinds of quiz."""


def suggestion(name: str) -> str | None:
    """What a learner who typed the unknown command ``/name`` probably meant (``/quiz words`` for
    ``/words``, ``/lesson`` for ``/leson``), or None."""
    name = name.lower()
    if name in QUIZ_KINDS:
        return f"/quiz {QUIZ_KINDS[name]}"
    names = [c.name for c in LEARNER_COMMANDS] + list(ALIASES)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    return f"/{find(close[0]).name}" if close else None
