"""Syllables and words sent to the tutor: read back letter by letter, and in a letter quiz not
graded as a miss (the question stands). Real pictures, the shipped models, both databases."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from sqlalchemy import select

from bot.core import texts
from bot_fixtures import LEARNER, letter_png
from ml.evaluation.text_bench import letters_side_by_side
from ml.reading.verdicts import Verdict
from ml.writing.syllables import render_syllable, render_word
from storage.tables import Attempt, Sample


def text_png(text: str, seed: int = 3) -> bytes:
    """``text`` written by one stroke writer (a block, or a word of blocks), as a PNG."""
    rng = np.random.default_rng([seed, len(text)])
    image = render_word(text, rng) if len(text) > 1 else render_syllable(text, rng, size=96)
    out = io.BytesIO()
    Image.fromarray(np.pad(image, 24, constant_values=255)).save(out, "PNG")
    return out.getvalue()


def letters_png(letters: str, gap: int = 12, seed: int = 1) -> bytes:
    """``letters`` written side by side rather than as one block, by one stroke writer."""
    row = letters_side_by_side(letters, gap, np.random.default_rng([3000, seed]))
    out = io.BytesIO()
    Image.fromarray(np.pad(row, 24, constant_values=255)).save(out, "PNG")
    return out.getvalue()


async def attempts(db):
    async with db.transaction() as session:
        return list(await session.scalars(select(Attempt).order_by(Attempt.id)))


async def test_a_syllable_outside_a_quiz_is_read_letter_by_letter(tutor, db):
    [reply] = await tutor.handle_picture(LEARNER, text_png("가"))
    assert reply.text.startswith("I read the syllable 가: ㄱ + ㅏ.") and reply.read == "가"
    [attempt] = await attempts(db)
    assert attempt.read == "가" and attempt.verdict == Verdict.OK and attempt.correct is None


async def test_a_word_outside_a_quiz_is_read_block_by_block(tutor, db):
    [reply] = await tutor.handle_picture(LEARNER, text_png("나무"))
    assert reply.text.startswith("I read the word 나무: ㄴ + ㅏ, ㅁ + ㅜ.")
    assert reply.text.endswith("나무 (namu) means “tree”.")
    [attempt] = await attempts(db)
    assert attempt.read is None and attempt.verdict == Verdict.OK


async def test_a_syllable_in_a_letter_quiz_is_no_miss_and_the_question_stands(tutor, db):
    await tutor.handle_text(LEARNER, "/consent on")
    replies = await tutor.handle_text(LEARNER, "/quiz 2")
    asked = replies[-1].expected
    [reply] = await tutor.handle_picture(LEARNER, text_png("기"))
    assert reply.correct is None and reply.expected == asked
    assert reply.verdict == Verdict.SEVERAL_LETTERS
    assert reply.text.startswith("That looks like the syllable 기 (ㄱ + ㅣ), not one letter.")
    assert texts.describe(asked) in reply.text
    assert [b.command.split()[0] for b in reply.buttons[0]] == ["/hint", "/skip"]
    [right, *_] = await tutor.handle_picture(LEARNER, letter_png(asked))
    assert right.correct is True and right.expected == asked  # the same question, now right
    graded = await attempts(db)
    assert [a.correct for a in graded] == [None, True]
    assert graded[0].verdict == Verdict.SEVERAL_LETTERS and graded[0].expected == asked
    async with db.transaction() as session:  # a syllable is no letter sample
        assert len(list(await session.scalars(select(Sample)))) == 1


async def test_a_line_of_text_is_refused_with_a_reason(tutor):
    [reply] = await tutor.handle_picture(LEARNER, text_png("가나다라마바"))
    assert reply.verdict == Verdict.TOO_MANY_BLOCKS
    assert reply.text == texts.VERDICTS[Verdict.TOO_MANY_BLOCKS]


async def test_separate_letters_are_named_and_shown_as_the_block_they_make(tutor, db):
    [reply] = await tutor.handle_picture(LEARNER, letters_png("ㄱㅗ"))
    assert reply.verdict == Verdict.SEVERAL_LETTERS
    assert reply.text.startswith(texts.TEXT_SEPARATE.format(letters="ㄱ ㅗ"))
    assert "they make 고 (go). 고 = ㄱ + ㅗ: ㅗ lies flat, so ㄱ goes on top of it." in reply.text
    assert [p.filename for p in reply.images] == ["how-it-looks.png"]
    [backwards] = await tutor.handle_picture(LEARNER, letters_png("ㅏㄴ", seed=2))
    assert backwards.text.endswith(texts.TEXT_SEPARATE_NO_BLOCK) and not backwards.images
    assert [a.verdict for a in await attempts(db)] == [Verdict.SEVERAL_LETTERS] * 2


async def test_separate_letters_in_a_letter_quiz_are_one_letter_asked_for(tutor):
    replies = await tutor.handle_text(LEARNER, "/quiz 2")
    asked = replies[-1].expected
    [reply] = await tutor.handle_picture(LEARNER, letters_png("ㄱㅗ"))
    assert reply.expected == asked and reply.correct is None  # no miss: the question stands
    assert reply.text == texts.QUIZ_GOT_LETTERS.format(
        letters="ㄱ ㅗ", description=texts.describe(asked)
    )
