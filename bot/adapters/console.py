"""The terminal adapter: try the bot, or script it, with no chat platform.

Each input line is a command (``/quiz 3``) or a picture's file path; each reply is printed, its
images saved to files whose paths are printed. With ``json_lines`` (``hangul-bot console --json``,
and whenever stdin is not a terminal) each reply is one JSON object per line: ``text``,
``images`` (PNG and GIF files), ``buttons``, ``audio`` (sound files, OGG/Opus) and, where they
apply, ``expected``, ``read``, ``verdict``, ``correct``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.core import texts
from bot.core.replies import Reply, Sender
from bot.core.tutor import Tutor

PLATFORM = "console"
PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic"}


class Console:
    """Reads lines, asks the tutor, prints replies."""

    def __init__(self, tutor: Tutor, user: str, images: Path, json_lines: bool, out: TextIO):
        self.tutor = tutor
        self.sender = Sender(PLATFORM, user, user)
        self.images = images
        self.json_lines = json_lines
        self.out = out
        self._numbers = itertools.count(1)

    async def answer(self, line: str) -> list[Reply]:
        """The tutor's replies to one input line."""
        line = line.strip()
        path = Path(line).expanduser()
        if line and path.is_file():
            data = await asyncio.to_thread(path.read_bytes)
            return await self.tutor.handle_picture(self.sender, data)
        if line.startswith("/") and "/" not in line.split()[0][1:]:  # a command, not a path
            return await self.tutor.handle_text(self.sender, line)
        if path.suffix.lower() in PICTURE_SUFFIXES or "/" in line:
            return [Reply(texts.NO_SUCH_PICTURE.format(path=line))]
        return await self.tutor.handle_text(self.sender, line)

    def show(self, reply: Reply) -> None:
        """Print one reply (saving its images)."""
        paths = [self._save(picture.data, picture.filename) for picture in reply.images]
        sounds = [self._save(sound.data, sound.filename) for sound in reply.audio]
        if self.json_lines:
            shown = _as_json(reply, paths, sounds)
            self.out.write(json.dumps(shown, ensure_ascii=False) + "\n")
        else:
            lines = [reply.text] if reply.text else []
            lines += [f"[image] {path}" for path in paths]
            lines += [f"[sound] {path}" for path in sounds]
            for row in reply.buttons:
                lines.append("  ".join(f"[{b.label}: {b.command}]" for b in row))
            self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()

    def _save(self, data: bytes, filename: str) -> str:
        self.images.mkdir(parents=True, exist_ok=True)
        path = self.images / f"{next(self._numbers):04d}-{filename}"
        path.write_bytes(data)
        return str(path)

    async def run(self, lines: TextIO) -> None:
        """Answer every line of ``lines`` until it ends."""
        prompt = lines.isatty() and not self.json_lines
        while True:
            if prompt:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                return
            if line.strip():
                for reply in await self.answer(line):
                    self.show(reply)


def _as_json(reply: Reply, paths: list[str], sounds: list[str]) -> dict:
    shown: dict = {
        "text": reply.text,
        "images": paths,
        "buttons": [
            [{"label": b.label, "command": b.command} for b in row] for row in reply.buttons
        ],
        "audio": sounds,
    }
    if reply.expected is not None:
        shown["expected"] = reply.expected
    if reply.verdict is not None:
        shown.update(
            expected=reply.expected, read=reply.read, verdict=reply.verdict, correct=reply.correct
        )
    return shown


async def run_console(tutor: Tutor, user: str, images: Path, json_lines: bool) -> None:
    """The console on stdin/stdout; JSON lines when asked or when stdin is not a terminal."""
    as_json = json_lines or not sys.stdin.isatty()
    await Console(tutor, user, images, as_json, sys.stdout).run(sys.stdin)
