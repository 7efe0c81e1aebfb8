"""Teaching, not just testing: lessons before questions, honest prompts, coaching after a miss,
disputes, stale buttons, the recap, /stop, the welcome and the small texts, on a real database and
the shipped model."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from bot.core import texts
from bot.core.drill_questions import (
    PAIR_LETTERS,
    DrillKind,
    letter_choices,
    pair_question,
    romanize,
    sound_alike,
    syllable_of,
)
from bot.core.lesson_content import LESSONS, contrast
from bot.core.quiz import question_reply
from bot.core.replies import Sender
from bot_fixtures import LEARNER, SPEAKS, letter_png
from ml.reading.alphabet import LETTERS
from storage import queries
from storage.tables import Attempt, Learner, Lesson, QuizSession, QuizStatus, ReviewCard, Sample

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
ISSUE_PAIRS = ("ㅏㅓ", "ㅗㅜ", "ㅑㅕ", "ㅛㅠ", "ㄷㄹ", "ㄱㅋ", "ㅇㅎ", "ㅐㅔ", "ㅁㅇ")


async def rows(db, table, **where):
    async with db.transaction() as session:
        return list(await session.scalars(select(table).filter_by(**where).order_by(table.id)))


async def quiz_on(db, letters: str, sender: Sender = LEARNER) -> None:
    """A running quiz of ``letters`` whose lessons the learner has had."""
    async with db.transaction() as session:
        learner = await queries.learner(session, sender.platform, sender.platform_id, "")
        session.add_all(Lesson(learner_id=learner.id, letter=letter) for letter in letters)
        session.add(QuizSession(learner_id=learner.id, letters=list(letters), position=0))


def test_no_question_shows_its_answer():
    for letter in LETTERS:
        asking = QuizSession(id=7, letters=[letter], position=0, correct=0)
        question = question_reply(asking)
        assert not HANGUL.search(question.text), question.text
        assert not any(HANGUL.search(b.label + b.command) for row in question.buttons for b in row)
        assert question.expected == letter


async def test_the_lesson_comes_before_the_first_question_and_is_given_once(tutor, db):
    lesson, question = await tutor.handle_text(LEARNER, "/quiz 1")
    assert lesson.text.startswith("New letter: ㅏ") and LESSONS["ㅏ"].example.word in lesson.text
    [gif] = lesson.images
    assert gif.filename.endswith(".gif") and gif.data.startswith(b"GIF")
    assert [s.filename for s in lesson.audio] == (["a-sound.ogg"] if SPEAKS else [])
    assert question.expected == "ㅏ" and not question.images
    [taught] = await rows(db, Lesson)
    assert taught.letter == "ㅏ"
    [again] = await tutor.handle_text(LEARNER, "/lesson a")
    assert again.text == lesson.text and [b.command for b in again.buttons[0]] == ["/quiz"]
    assert len(await rows(db, Lesson)) == 1


async def test_new_letters_a_day_are_capped(tutor, db, clock):
    for _ in range(5):
        await tutor.handle_text(LEARNER, "/lesson")
    assert len(await rows(db, Lesson)) == 5
    [capped] = await tutor.handle_text(LEARNER, "/lesson")
    assert capped.text == texts.LESSONS_CAPPED.format(most=5)
    replies = await tutor.handle_text(LEARNER, "/quiz 20")
    assert replies[0].text == texts.QUIZ_NEW_LETTERS_CAPPED.format(count=5, most=5)
    [quiz] = await rows(db, QuizSession)
    assert quiz.letters == ["ㅏ", "ㄴ", "ㅅ", "ㅇ", "ㅣ"]
    assert len(replies) == 2  # every letter was taught already: no lesson, straight to it
    await tutor.handle_text(LEARNER, "/stop")
    [named] = await tutor.handle_text(LEARNER, "/lesson ㅃ")  # by name: always given
    assert named.text.startswith("New letter: ㅃ")
    clock.advance(days=1)
    [fresh] = await tutor.handle_text(LEARNER, "/lesson")
    assert fresh.text.startswith("New letter: ㅗ")


@pytest.mark.parametrize("pair", ISSUE_PAIRS)
async def test_a_miss_between_look_alikes_says_what_tells_them_apart(tutor, db, pair):
    asked, written = pair
    await quiz_on(db, asked)
    [retry] = await tutor.handle_picture(LEARNER, letter_png(written))
    assert retry.read == written and retry.correct is False
    assert contrast(asked, written) in retry.text
    assert retry.images[0].filename.startswith("yours-and-")
    commands = [b.command for b in retry.buttons[0]]
    assert commands[0].startswith(f"/confirm {asked} a") and commands[1].startswith("/hint q")


async def test_a_learner_disputes_a_misreading_and_it_is_regraded(tutor, db):
    await tutor.handle_text(LEARNER, "/consent on")
    await quiz_on(db, "ㅏㄴ")
    [retry] = await tutor.handle_picture(LEARNER, letter_png("ㅓ"))
    dispute = retry.buttons[0][0]
    assert dispute.label == texts.BUTTON_I_WROTE.format(letter="ㅏ")
    regraded, question = await tutor.handle_text(LEARNER, dispute.command)
    assert regraded.text == texts.REGRADED.format(letter="ㅏ") and question.expected == "ㄴ"
    [attempt] = await rows(db, Attempt)
    assert attempt.correct is True
    [sample] = await rows(db, Sample)
    assert (sample.label, sample.label_source) == ("ㅏ", "learner_confirmed")
    [card] = await rows(db, ReviewCard)
    assert card.letter == "ㅏ" and card.correct == 1
    [quiz] = await rows(db, QuizSession)
    assert quiz.position == 1 and quiz.correct == 1
    [reply] = await tutor.handle_text(LEARNER, dispute.command)  # pressed twice: nothing more
    assert reply.text == texts.CONFIRMED.format(letter="ㅏ")
    [quiz] = await rows(db, QuizSession)
    assert quiz.position == 1 and quiz.correct == 1


async def test_a_dispute_after_the_quiz_moved_on_regrades_without_a_miss(tutor, db):
    await quiz_on(db, "ㅏ")
    await tutor.handle_picture(LEARNER, letter_png("ㅓ"))
    [missed, recap] = await tutor.handle_picture(LEARNER, letter_png("ㅓ"))
    assert "ㅏ (a)" in recap.text
    [reply] = await tutor.handle_text(LEARNER, missed.buttons[0][0].command)
    assert reply.text == texts.REGRADED.format(letter="ㅏ")
    [quiz] = await rows(db, QuizSession)
    assert quiz.status == QuizStatus.FINISHED and quiz.correct == 1
    [reply] = await tutor.handle_text(LEARNER, "/quiz again")
    assert reply.text == texts.QUIZ_NOTHING_AGAIN


async def test_a_stale_button_changes_nothing(tutor, db):
    await quiz_on(db, "ㅏㄴㅅ")
    [first] = await tutor.handle_text(LEARNER, "/quiz")  # shows the running question
    old_skip = first.buttons[0][1].command
    await tutor.handle_picture(LEARNER, letter_png("ㅏ"))
    [stale] = await tutor.handle_text(LEARNER, old_skip)
    assert stale.text.startswith("That button belongs to an earlier question")
    assert stale.expected == "ㄴ"
    [stale] = await tutor.handle_text(LEARNER, old_skip.replace("/skip", "/hint"))
    assert stale.expected == "ㄴ" and not stale.images
    [quiz] = await rows(db, QuizSession)
    assert quiz.position == 1 and not quiz.hinted
    assert [a.verdict for a in await rows(db, Attempt)] == ["ok"]
    current = stale.buttons[0][1].command
    skipped, question = await tutor.handle_text(LEARNER, current)
    assert skipped.verdict == "skipped" and question.expected == "ㅅ"
    await tutor.handle_text(LEARNER, "/stop")
    [over] = await tutor.handle_text(LEARNER, question.buttons[0][1].command)
    assert over.text == texts.STALE_BUTTON_NO_QUIZ


async def test_junk_in_a_quiz_is_not_a_miss(tutor, db):
    from test_tutor import spiral_png

    await quiz_on(db, "ㅏ")
    [reply] = await tutor.handle_picture(LEARNER, spiral_png())
    assert reply.verdict == "not_a_letter" and reply.correct is None
    assert await rows(db, ReviewCard) == []
    [stats] = await tutor.handle_text(LEARNER, "/stats")
    assert stats.text == texts.STATS_NOTHING


async def test_stop_ends_the_quiz_first_and_then_the_reminders(tutor, db):
    await tutor.handle_text(LEARNER, "/remind 19:30")
    await quiz_on(db, "ㅏ")
    stopped, reminders = await tutor.handle_text(LEARNER, "/stop")
    assert stopped.text.startswith("Quiz stopped") and reminders.text == texts.STOP_REMINDERS_STAY
    [quiz] = await rows(db, QuizSession)
    assert quiz.status == QuizStatus.STOPPED
    [learner] = await rows(db, Learner)
    assert learner.reminders_on
    [off] = await tutor.handle_text(LEARNER, "/stop")
    assert off.text == texts.REMIND_STOPPED
    [nothing] = await tutor.handle_text(LEARNER, "/stop")
    assert nothing.text == texts.STOP_NOTHING
    await tutor.handle_text(LEARNER, "/remind 07:00")
    [off] = await tutor.handle_text(LEARNER, "/remind off")
    assert off.text == texts.REMIND_STOPPED


async def test_aliases_learners_type_are_understood(tutor, db):
    [reply] = await tutor.handle_text(LEARNER, "/remind 08:00")
    assert reply.text == texts.REMIND_SET_UTC.format(time="08:00")  # no time zone told yet
    [reply] = await tutor.handle_text(LEARNER, "/timezone Seoul")
    assert "Asia/Seoul" in reply.text
    [reply] = await tutor.handle_text(LEARNER, "/timezone new york")
    assert "America/New_York" in reply.text
    [reply] = await tutor.handle_text(LEARNER, "/hint l")
    assert reply.text.startswith("ㄹ") and "r/l" in reply.text


async def test_confirm_without_consent_says_why_nothing_is_kept(tutor, db):
    [reading] = await tutor.handle_picture(LEARNER, letter_png("ㅛ"))
    assert "/confirm" not in reading.text
    [reply] = await tutor.handle_text(LEARNER, "/confirm ㅠ")
    assert reply.text == texts.CONFIRM_NOT_KEPT.format(letter="ㅠ")


async def test_the_confirm_example_is_never_the_letter_just_read(tutor, db):
    await tutor.handle_text(LEARNER, "/consent on")
    for letter in ("ㅓ", "ㅛ"):
        [reply] = await tutor.handle_picture(LEARNER, letter_png(letter))
        example = re.search(r"/confirm (\S+)\)", reply.text)[1]
        assert example != reply.read


async def test_the_stats_chart_fits_a_phone_and_shows_letters_never_right(tutor, db):
    await quiz_on(db, "ㅏㄴ")
    await tutor.handle_text(LEARNER, "/skip")
    await tutor.handle_picture(LEARNER, letter_png("ㄴ"))
    stats, chart = await tutor.handle_text(LEARNER, "/stats")
    assert "Needs work: ㅏ 0 of 1" in stats.text
    with Image.open(io.BytesIO(chart.images[0].data)) as picture:
        assert picture.width == 720 and picture.height < 1400
        pixels = np.asarray(picture.convert("RGB")).reshape(-1, 3)
    assert (pixels == (0xD0, 0x57, 0x4A)).all(axis=1).any()  # the 0% letter's red stub


async def test_a_reading_drill_is_answered_by_typing_or_with_the_buttons(tutor, db):
    [reply] = await tutor.handle_text(LEARNER, "/drill reading")
    assert reply.text == texts.DRILL_NOTHING_MET
    for command in ("/drill writing", "/drill reading 0", "/drill reading pairs"):
        [reply] = await tutor.handle_text(LEARNER, command)
        assert reply.text == texts.DRILL_USAGE, command
    for _ in range(3):
        await tutor.handle_text(LEARNER, "/lesson")
    [question] = await tutor.handle_text(LEARNER, "/drill reading 3")
    syllable = syllable_of(question.expected)
    assert syllable in question.text
    choices, [skip] = question.buttons
    assert len(choices) == 4 and skip.command.startswith("/skip q")
    right = romanize(syllable)
    assert right in [b.label for b in choices]
    [unclear] = await tutor.handle_text(LEARNER, "xyzzy")
    assert unclear.text.startswith("I didn't get “xyzzy”")
    graded, second = await tutor.handle_text(LEARNER, right.upper())
    assert graded.correct is True and graded.text.startswith("Right!")
    wrong = next(b for b in second.buttons[0] if not b.command.endswith(second.expected))
    graded, third = await tutor.handle_text(LEARNER, wrong.command)
    assert graded.correct is False and graded.text.startswith("Not quite")
    assert [a.verdict for a in await rows(db, Attempt)] == ["reading", "reading"]
    cards = {card.letter: card for card in await rows(db, ReviewCard)}
    assert cards[question.expected].correct == 1 and cards[second.expected].correct == 0
    [note, reading] = await tutor.handle_picture(LEARNER, letter_png("ㅛ"))
    assert note.text == texts.DRILL_NO_PICTURES and reading.read == "ㅛ"
    [quiz] = await rows(db, QuizSession)
    assert quiz.position == 2 and quiz.kind == "reading"


async def test_a_listening_drill_plays_the_sound_and_coaches_a_miss(tutor, db):
    if not SPEAKS:
        pytest.skip("espeak-ng is not installed: bash deploy/setup.sh installs it")
    for letter in "ㄱㅋ":
        await tutor.handle_text(LEARNER, f"/lesson {letter}")
    [question] = await tutor.handle_text(LEARNER, "/drill listening 2")
    assert len(question.audio) == 1 and not HANGUL.search(question.text)
    asked = question.expected
    wrong = next(b for b in question.buttons[0] if b.label != asked and b.label in "ㄱㅋ")
    graded, _ = await tutor.handle_text(LEARNER, wrong.command)
    assert graded.correct is False and len(graded.audio) == 2
    assert contrast(asked, wrong.label) in graded.text


async def test_a_minimal_pair_drill_asks_for_the_word_heard(tutor, db):
    if not SPEAKS:
        pytest.skip("espeak-ng is not installed: bash deploy/setup.sh installs it")
    await tutor.handle_text(LEARNER, "/lesson ㅍ")
    [question] = await tutor.handle_text(LEARNER, "/drill pairs 1")
    assert question.expected == "ㅍ" and len(question.audio) == 1
    labels = [b.label for b in question.buttons[0]]
    assert any(label.startswith(("풀", "팔")) for label in labels)
    right = next(b for b in question.buttons[0] if b.command.endswith("ㅍ"))
    graded, recap = await tutor.handle_text(LEARNER, right.command)
    assert graded.correct is True and recap.text.startswith("Quiz done: 1 of 1")


def test_listening_never_asks_to_tell_apart_what_sounds_alike():
    for letter in LETTERS:
        for seed in range(20):
            choices = letter_choices(letter, DrillKind.LISTENING, f"q{seed}.0")
            assert letter in choices and len(set(choices)) == len(choices) == 4
            assert not any(sound_alike(letter, c) for c in choices if c != letter)
            readings = letter_choices(letter, DrillKind.READING, f"q{seed}.0")
            assert len({romanize(syllable_of(c)) for c in readings}) == 4
    for letter in PAIR_LETTERS:
        said, words = pair_question(letter, "q1.0")
        assert said.letter == letter and said in words
        assert not any(sound_alike(w.letter, letter) for w in words if w is not said)
