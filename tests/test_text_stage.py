"""The syllable and word stages: what a syllable is made of and how it sounds, grading letter by
letter, opening the stages by what was learnt, and whole quizzes of syllables and words through
the tutor (real pictures, the shipped models, both databases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select
from test_text_pictures import letters_png, text_png

from bot.app.reminders import reminder
from bot.core import texts
from bot.core.drill_questions import word_choices
from bot.core.drills import review
from bot.core.lesson_content import contrast
from bot.core.text_grading import feedback, grade, letters_inside
from bot.core.text_items import (
    describe,
    how_to_write,
    letters_in,
    romanize_syllable,
    syllable_ladder,
    syllable_of_letters,
    word_ladder,
    writable,
)
from bot.core.text_stage import (
    SYLLABLES,
    WORDS,
    Progress,
    pick_texts,
)
from bot.core.tutor import Tutor
from bot.core.vocabulary import WORDS as VOCABULARY
from bot_fixtures import LEARNER, letter_png
from ml.reading.alphabet import FINALS, INITIALS, MEDIALS, decompose
from ml.reading.blocks import BLOCK_CONTRACT
from ml.reading.classifier import Reading
from ml.reading.syllables import CONTEXT_PART, BlockReading
from ml.reading.text import TextReading
from ml.reading.verdicts import Verdict
from storage import queries
from storage.exports import block_arrays
from storage.tables import Attempt, LabelSource, Learner, Sample

FIRST_DAY = "ㅏㄴㅅㅇㅣ"
"""The letters the teaching order starts with."""


def block(syllable: str, sure: float = 0.95, kind: str = "syllable") -> BlockReading:
    """A syllable model's reading of one block: ``syllable`` with every letter at ``sure``."""
    parts = decompose(syllable)
    rivals = (INITIALS[0], MEDIALS[0], FINALS[1])
    jamo = tuple(
        ((part, sure), (rival if rival != part else "ㅎ", 1 - sure))
        for part, rival in zip(parts, rivals, strict=True)
    )
    return BlockReading(kind, 0.99, syllable, jamo, sure**3)


def read_as(*syllables: str, sure: float = 0.95) -> TextReading:
    """A picture read as these blocks."""
    blocks = tuple(block(s, sure) for s in syllables)
    kind = "syllable" if len(blocks) == 1 else "word"
    verdict = Verdict.OK if sure >= 0.5 else Verdict.UNSURE
    return TextReading(kind, verdict, "", "".join(syllables), Reading(Verdict.OK), blocks)


# --- what a syllable is made of, and how a quiz asks for it -------------------------------------


def test_letters_written_apart_make_the_syllable_of_their_order_or_none():
    made = [
        syllable_of_letters(x)
        for x in ("ㄱㅗ", "ㅎㅏㄴ", "ㄷㅏㄹㄱ", "ㅏㄴ", "ㄱㄱ", "ㄴㅏㄸ", "ㄱ")
    ]
    assert made == ["고", "한", "닭", None, None, None, None]


def test_a_syllable_said_alone_sounds_its_final_as_one_of_seven():
    assert [romanize_syllable(s) for s in "나닭값읊낮앉아"] == [
        "na", "dak", "gap", "eup", "nat", "an", "a",
    ]  # fmt: skip


def test_a_question_names_a_final_its_sound_does_not_tell():
    assert describe("나") == "syllable “na”"
    assert describe("산") == "syllable “san”"  # n can only be ㄴ
    assert describe("낮") == "syllable “nat”, ending in ㅈ"  # t is ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ or ㅎ
    assert describe("나무") == "word for “tree” (“namu”)"


def test_how_to_write_places_every_letter():
    assert how_to_write("나") == "나 = ㄴ + ㅏ: ㅏ stands upright, so ㄴ goes on its left."
    assert "ㅜ lies flat, so ㅁ goes on top of it." in how_to_write("무")
    assert "ㅘ is ㅗ and ㅏ together: ㄱ goes on top of ㅗ, and ㅏ stands on the right." in (
        how_to_write("과")
    )
    assert how_to_write("닭").endswith("ㄹ and ㄱ sit side by side underneath, as the final ㄺ.")
    assert how_to_write("나무").count("\n") == 1


def test_the_letters_a_block_needs_split_a_two_letter_final():
    assert letters_in("닭") == {"ㄷ", "ㅏ", "ㄹ", "ㄱ"}
    assert writable("나", set(FIRST_DAY)) and not writable("나무", set(FIRST_DAY))


def test_the_ladders_hold_the_vocabulary_simplest_first():
    ladder = syllable_ladder()
    assert set(ladder) == {s for w in VOCABULARY for s in w.text}
    assert len(ladder) == len(set(ladder))
    assert not decompose(ladder[0])[2]  # a block without a final comes first
    words = word_ladder()
    assert all(len(w) > 1 for w in words) and len(words) > 300
    levels = [next(v.level for v in VOCABULARY if v.text == w) for w in words]
    assert levels == sorted(levels)


# --- grading letter by letter ------------------------------------------------------------------


def test_a_right_word_is_right_with_nothing_to_say():
    graded = grade("나무", read_as("나", "무"))
    assert graded.correct and feedback(graded) == ""


def test_a_wrong_vowel_is_named_in_its_block_and_the_rest_praised():
    graded = grade("나무", read_as("너", "무"))
    assert not graded.correct and graded.read == "너무"
    assert feedback(graded) == (
        "Your ㄴ ㅁ ㅜ: right. In 나, the vowel reads as ㅓ; it should be ㅏ (a).\n"
        + contrast("ㅏ", "ㅓ")
    )


def test_a_missing_or_extra_final_is_named():
    assert feedback(grade("산", read_as("사"))) == (
        "Your ㅅ ㅏ: right. The final ㄴ underneath is missing."
    )
    assert feedback(grade("사", read_as("산"))) == (
        "Your ㅅ ㅏ: right. I see a final consonant ㄴ underneath; there should be none."
    )


def test_blocks_that_do_not_line_up_are_counted():
    said = feedback(grade("나", read_as("느", "아")))
    assert said.startswith("That's 2 blocks; 나 has 1 block: ㄴ + ㅏ.")
    assert said.endswith(texts.TEXT_TOO_MANY)
    assert feedback(grade("나무", read_as("남"))).endswith(texts.TEXT_TOO_FEW)


def test_a_silent_first_consonant_is_explained():
    assert texts.SILENT_FIRST_IEUNG in feedback(grade("아", read_as("사")))


def test_one_letter_where_a_block_was_asked_for():
    letter = TextReading("letter", Verdict.OK, "", "ㄴ", Reading(Verdict.OK, letter="ㄴ"))
    graded = grade("나", letter)
    assert graded.gradable and not graded.correct
    assert feedback(graded) == "I read just one letter, ㄴ. 나 is a whole block: ㄴ + ㅏ."


def test_a_letter_barely_read_right_counts_and_is_named():
    graded = grade("나", read_as("나", sure=0.45))
    assert graded.correct
    assert "I could only just read the first consonant ㄴ; the vowel ㅏ" in feedback(graded)


def test_a_letter_asked_for_that_is_a_close_runner_up_counts_and_is_named():
    close = read_as("너", sure=1 - CONTEXT_PART - 0.01)  # ㅏ, the vowel asked for, is the rival
    graded = grade("나", close)
    assert graded.correct and graded.read == "너"
    assert feedback(graded) == (
        texts.TEXT_HARD_TO_READ.format(places="the vowel ㅏ (it looks a little like ㅓ)")
        + "\n"
        + contrast("ㅏ", "ㅓ")
    )
    far = read_as("너", sure=1 - CONTEXT_PART + 0.01)
    assert not grade("나", far).correct


def test_a_final_barely_there_or_barely_missing_is_named_so():
    missing = grade("삭", read_as("사", sure=0.8))  # ㄱ, the final asked for, is the rival
    assert missing.correct
    assert "the final consonant ㄱ (it almost looks missing)" in feedback(missing)
    jamo = ((("ㅅ", 0.99),), (("ㅏ", 0.99),), (("ㄴ", 0.8), ("", 0.2)))
    blocks = (BlockReading("syllable", 0.99, "산", jamo, 0.8),)
    extra = grade("사", replace(read_as("산"), blocks=blocks))
    assert extra.correct
    assert "that 사 has no final consonant (I may see a ㄴ underneath)" in feedback(extra)


def test_a_blank_picture_or_a_line_cannot_be_graded():
    blank = TextReading(None, Verdict.BLANK, "", None, Reading(Verdict.BLANK))
    assert not grade("나", blank).gradable
    line = TextReading("word", Verdict.TOO_MANY_BLOCKS, "", None, Reading(Verdict.OK))
    assert not grade("나", line).gradable


def test_letters_inside_count_each_place_and_both_letters_of_a_double_final():
    scores = {s.letter: (s.correct, s.attempts) for s in letters_inside(
        [("나무", "너무"), ("닭", "닥"), ("나무", "남")]  # the last does not line up
    )}  # fmt: skip
    assert scores["ㅏ"] == (1, 2) and scores["ㄴ"] == (1, 1) and scores["ㅜ"] == (1, 1)
    assert scores["ㄹ"] == (0, 1) and scores["ㄱ"] == (0, 1) and scores["ㄷ"] == (1, 1)
    assert list(scores)[0] in "ㄹㄱ"  # weakest first


# --- opening the stages, picking what to ask ----------------------------------------------------


def test_syllables_open_with_five_letters_of_both_kinds_and_words_with_five_syllables():
    assert Progress(set(FIRST_DAY), set(), set()).opens(SYLLABLES)
    assert not Progress(set("ㄱㄴㄷㄹㅁ"), set(), set()).opens(SYLLABLES)  # no vowel
    assert not Progress(set("ㅏㄴㅅㅇ"), set(), set()).opens(SYLLABLES)
    assert not Progress(set(FIRST_DAY), set("나사아이"), set()).opens(WORDS)
    assert Progress(set(FIRST_DAY), set("나사아이시"), set()).opens(WORDS)
    ladder = Progress(set(FIRST_DAY), set(), set()).ladder(SYLLABLES)
    assert ladder and all(writable(s, set(FIRST_DAY)) for s in ladder)


def test_due_syllables_come_first_then_new_ones_then_the_soonest(clock):
    now = clock()
    cards = {
        "나": review(None, 1, "나", Rating.Good, now - timedelta(days=3)),
        "사": review(None, 1, "사", Rating.Good, now),
    }
    assert pick_texts(cards, 3, now, ["나", "사", "아", "이"]) == ["나", "아", "이"]
    assert pick_texts(cards, 5, now, ["나", "사", "아"]) == ["나", "아", "사"]


# --- through the tutor ---------------------------------------------------------------------------


async def learn(db, clock, letters: str) -> None:
    """The learner has learnt ``letters`` (each answered right twice, ten minutes apart)."""
    async with db.transaction() as session:
        learner = await queries.learner(session, LEARNER.platform, LEARNER.platform_id)
        for item in letters.split() if " " in letters else letters:
            card = review(None, learner.id, item, Rating.Good, clock() - timedelta(hours=1))
            session.add(review(card, learner.id, item, Rating.Good, clock() - timedelta(hours=1)))


async def test_syllables_stay_closed_until_letters_are_learnt(tutor, db, clock):
    [reply] = await tutor.handle_text(LEARNER, "/quiz syllables")
    assert reply.text == texts.SYLLABLES_LOCKED.format(learnt=0, needed=5)
    [reply] = await tutor.handle_text(LEARNER, "/quiz words")
    assert reply.text == texts.WORDS_LOCKED.format(learnt=0, needed=5)


async def test_a_syllable_quiz_grades_letter_by_letter(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    intro, shown, question = await tutor.handle_text(LEARNER, "/quiz syllables 2")
    assert intro.text == texts.SYLLABLES_INTRO
    first = question.expected
    assert writable(first, set(FIRST_DAY)) and len(first) == 1
    assert shown.text.startswith(f"New syllable: {first} (") and how_to_write(first) in shown.text
    assert [p.filename for p in shown.images] == ["how-it-looks.png"]
    assert question.text == f"Question 1 of 2: write the {describe(first)}."
    right, _, second = await tutor.handle_picture(LEARNER, text_png(first))
    assert right.correct is True and right.text.startswith(f"Right! That's {first} (")
    asked = second.expected
    initial, medial, final = decompose(asked)
    other = "ㅓ" if medial != "ㅓ" else "ㅏ"
    wrong_vowel = "".join(
        chr(0xAC00 + (INITIALS.index(initial) * 21 + MEDIALS.index(other)) * 28
            + FINALS.index(final))
    )  # fmt: skip
    [miss] = await tutor.handle_picture(LEARNER, text_png(wrong_vowel))
    assert miss.correct is False and miss.read == wrong_vowel
    assert f"the vowel reads as {other}; it should be {medial}" in miss.text.lower()
    assert texts.QUIZ_TRY_AGAIN.format(description=describe(asked)) in miss.text
    assert miss.buttons[0][0].command.startswith(f"/confirm {asked} a")
    assert texts.TEXT_HOW_IT_LOOKS in miss.text and len(miss.images) == 1
    [hint] = await tutor.handle_text(LEARNER, "/hint")
    assert how_to_write(asked) in hint.text and hint.images == miss.images
    missed_again, recap = await tutor.handle_picture(LEARNER, text_png(wrong_vowel))
    assert missed_again.correct is False
    assert texts.QUIZ_MOVING_ON.format(letter=asked) in missed_again.text
    assert recap.text.startswith(texts.QUIZ_DONE.format(correct=1, total=2))
    assert f"{asked} (" in recap.text
    async with db.transaction() as session:
        learner = await queries.learner(session, LEARNER.platform, LEARNER.platform_id)
        cards = await queries.cards(session, learner.id, letters=False)
        graded = list(await session.scalars(select(Attempt).where(Attempt.correct.is_not(None))))
    assert set(cards) == {first, asked} and cards[first].correct == 1 and cards[asked].correct == 0
    assert [(a.expected, a.read, a.correct) for a in graded] == [
        (first, first, True), (asked, wrong_vowel, False), (asked, wrong_vowel, False),
    ]  # fmt: skip
    again = await tutor.handle_text(LEARNER, "/quiz again")
    assert [r.expected for r in again] == [asked]  # the missed syllable, at once, not new now


async def test_a_misread_syllable_can_be_disputed(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    *_, question = await tutor.handle_text(LEARNER, "/quiz syllables 1")
    asked = question.expected
    [miss] = await tutor.handle_picture(LEARNER, text_png("머"))
    assert miss.correct is False
    regraded, recap = await tutor.handle_text(LEARNER, miss.buttons[0][0].command)
    assert regraded.text == texts.REGRADED.format(letter=asked)
    assert recap.text.startswith(texts.QUIZ_DONE.format(correct=1, total=1))


async def test_a_blank_page_or_a_skip_in_a_syllable_quiz(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    *_, question = await tutor.handle_text(LEARNER, "/quiz syllables 1")
    asked = question.expected
    [blank] = await tutor.handle_picture(LEARNER, _white_png())
    assert blank.correct is None and texts.describe(asked) in blank.text
    assert blank.text.startswith(texts.TEXT_VERDICTS[Verdict.BLANK])
    skipped, recap = await tutor.handle_text(LEARNER, "/skip")
    assert skipped.text.startswith(f"Skipped. It was {asked} (") and how_to_write(asked) in (
        skipped.text
    )
    assert recap.text.startswith(texts.QUIZ_DONE.format(correct=0, total=1))


def _white_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (200, 200), 255).save(out, "PNG")
    return out.getvalue()


async def test_words_open_after_syllables_and_are_graded_with_their_meaning(tutor, db, clock):
    await learn(db, clock, FIRST_DAY + "ㅗㅁㄷㅜ")
    await learn(db, clock, "나 사 아 이 시")
    intro, shown, question = await tutor.handle_text(LEARNER, "/quiz words 1")
    assert intro.text == texts.WORDS_INTRO
    word = question.expected
    meaning = next(w.meaning for w in VOCABULARY if w.text == word)
    assert shown.text.startswith(f"New word: {word} ({texts.romanized(word)}), “{meaning}”.")
    assert len(word) > 1 and question.text.endswith(f"write the {describe(word)}.")
    right, recap = await tutor.handle_picture(LEARNER, text_png(word))
    assert right.correct is True and f"“{meaning}”" in right.text
    [stats, *_] = await tutor.handle_text(LEARNER, "/stats")
    assert texts.STATS_TEXTS.format(syllables=5, words=0) in stats.text
    assert "Letters inside syllables and words: all" in stats.text


async def test_a_finished_letter_quiz_offers_syllables_once_they_open(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    replies = await tutor.handle_text(LEARNER, "/quiz 1")
    asked = replies[-1].expected
    right, recap = await tutor.handle_picture(LEARNER, letter_png(asked))
    assert right.correct is True
    assert ("/quiz syllables",) in [tuple(b.command for b in row) for row in recap.buttons]


async def test_without_a_syllable_reader_the_stage_says_so(db, classifier, clock):
    from bot.app.service import tutor_for
    from bot.app.settings import Settings

    letters_only = tutor_for(Settings(), db, classifier, clock, syllables=None)
    assert isinstance(letters_only, Tutor) and letters_only.text_reader is None
    await learn(db, clock, FIRST_DAY)
    [reply] = await letters_only.handle_text(LEARNER, "/quiz syllables")
    assert reply.text == texts.TEXT_STAGE_NOT_HERE


def test_a_reminder_lists_syllables_and_words_due(clock):
    learner = Learner(time_zone="UTC", streak=0)
    said = reminder(learner, clock(), ["ㄱ", "나", "나무"]).text
    assert texts.REMINDER_DUE.format(letters="1 letter", shown="ㄱ") in said
    assert texts.REMINDER_DUE_TEXTS.format(shown="나, 나무") in said


@pytest.mark.parametrize("typed", ["/hint 나무", "/hint 닭"])
async def test_hint_spells_out_a_typed_syllable_or_word(tutor, typed):
    [reply] = await tutor.handle_text(LEARNER, typed)
    text = typed.split()[1]
    assert reply.text == texts.TEXT_HINT.format(
        text=text, romanization=texts.romanized(text), how=how_to_write(text)
    )


async def test_letter_stats_leave_syllables_out(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    await tutor.handle_text(LEARNER, "/quiz syllables 1")
    await tutor.handle_picture(LEARNER, text_png("머"))
    async with db.transaction() as session:
        learner = await queries.learner(session, LEARNER.platform, LEARNER.platform_id)
        assert await queries.letter_scores(session, learner.id) == []
        assert await queries.confusions(session, learner.id) == []
        [(asked, read)] = await queries.text_answers(session, learner.id)
    assert read == "머" and asked != read


async def test_a_syllable_written_as_separate_letters_is_a_miss_that_shows_the_block(
    tutor, db, clock
):
    await learn(db, clock, FIRST_DAY)
    *_, question = await tutor.handle_text(LEARNER, "/quiz syllables 1")
    asked = question.expected
    initial, medial, _ = decompose(asked)
    [miss, *_] = await tutor.handle_picture(LEARNER, letters_png(initial + medial))
    assert miss.correct is False and miss.read == initial + medial
    assert miss.text.startswith(f"Not quite: I read {initial} {medial}, but it was {asked}")
    separate = texts.TEXT_SEPARATE_ASKED.format(letters=f"{initial} {medial}")
    assert f"{separate} {texts.TEXT_SEPARATE_RIGHT_LETTERS}\n{how_to_write(asked)}" in miss.text
    assert [p.filename for p in miss.images] == ["how-it-looks.png"]


async def test_review_names_the_syllables_missed_and_the_letters_wrong_inside(tutor, db, clock):
    await learn(db, clock, FIRST_DAY)
    *_, question = await tutor.handle_text(LEARNER, "/quiz syllables 1")
    asked = question.expected
    wrong = "머" if asked != "머" else "너"
    await tutor.handle_picture(LEARNER, text_png(wrong))
    [reply] = await tutor.handle_text(LEARNER, "/review")
    line = texts.REVIEW_LINE.format(
        letter=asked, romanization=romanize_syllable(asked), correct=0, attempts=1
    )
    assert texts.REVIEW_TEXTS.format(lines=line) in reply.text
    wrong_inside = {a for a, r in zip(decompose(asked), decompose(wrong), strict=True) if a != r}
    weak = reply.text.split(texts.REVIEW_INSIDE.format(weak=""))[1].split("\n")[0]
    assert {part.split()[0] for part in weak.split(", ")} == wrong_inside
    assert "Your weakest letters" not in reply.text  # no letter question was missed
    assert [b.command for b in reply.buttons[0]] == ["/quiz syllables"]


async def samples(db) -> list[Sample]:
    async with db.transaction() as session:
        return list(await session.scalars(select(Sample).order_by(Sample.id)))


async def test_with_consent_a_syllable_answer_is_kept_block_by_block(tutor, db, clock):
    await tutor.handle_text(LEARNER, "/consent on")
    await learn(db, clock, FIRST_DAY)
    *_, question = await tutor.handle_text(LEARNER, "/quiz syllables 2")
    first = question.expected
    *_, second = await tutor.handle_picture(LEARNER, text_png(first))
    [miss] = await tutor.handle_picture(LEARNER, text_png("머"))
    await tutor.handle_text(LEARNER, miss.buttons[0][0].command)  # "I wrote …"
    kept = await samples(db)
    assert [(s.label, s.label_source) for s in kept] == [
        (first, LabelSource.QUIZ_AGREED),
        (second.expected, LabelSource.LEARNER_CONFIRMED),
    ]
    side = BLOCK_CONTRACT["size"][0]
    assert all(len(s.canonical) == side * side and s.consent for s in kept)
    async with db.transaction() as session:  # the letter readers' retraining leaves them out
        assert await queries.training_samples(session) == []
        assert await queries.new_training_sample_count(session) == 2  # the syllable reader's
        blocks = await block_arrays(session)
    assert list(blocks.labels) == [first, second.expected] and blocks.pictures == 2
    assert blocks.images.shape == (2, side, side) and blocks.skipped == 0
    assert (blocks.images.reshape(2, -1).tobytes()) == b"".join(s.canonical for s in kept)


async def test_a_word_is_kept_as_its_blocks_and_without_consent_nothing_is(tutor, db, clock):
    await learn(db, clock, FIRST_DAY + "ㅗㅁㄷㅜ")
    await learn(db, clock, "나 사 아 이 시")
    *_, question = await tutor.handle_text(LEARNER, "/quiz words 2")
    *_, second = await tutor.handle_picture(LEARNER, text_png(question.expected))
    assert await samples(db) == []
    await tutor.handle_text(LEARNER, "/consent on")
    # a writer whose blocks stand apart (seed 3's runs 누나's two together: read as one block)
    await tutor.handle_picture(LEARNER, text_png(second.expected, seed=4))
    [kept] = await samples(db)
    side = BLOCK_CONTRACT["size"][0]
    assert kept.label == second.expected
    assert len(kept.canonical) == len(second.expected) * side * side
    async with db.transaction() as session:  # exported for the syllable reader block by block
        blocks = await block_arrays(session)
    assert list(blocks.labels) == list(second.expected) and blocks.pictures == 1
    assert list(blocks.ids) == [kept.id] * len(second.expected)
    assert blocks.images.shape == (len(second.expected), side, side)


# --- word meanings, without a camera -----------------------------------------------------------


def test_a_word_question_offers_its_meaning_among_others_the_same_each_time():
    choices = word_choices("나무", "q1.0")
    assert "나무" in choices and len(choices) == 4 and choices == word_choices("나무", "q1.0")
    meanings = [next(w.meaning for w in VOCABULARY if w.text == c) for c in choices]
    assert len(set(meanings)) == 4


async def test_a_word_drill_asks_meanings_of_words_of_learnt_letters(tutor, db, clock):
    [closed] = await tutor.handle_text(LEARNER, "/drill words")
    assert closed.text == texts.DRILL_NO_WORDS
    await learn(db, clock, FIRST_DAY + "ㅗㅁㄷㅜ")
    [question] = await tutor.handle_text(LEARNER, "/drill words 2")
    word = question.expected
    assert writable(word, set(FIRST_DAY + "ㅗㅁㄷㅜ")) and len(word) > 1
    assert question.text == f"Question 1 of 2: what does {word} mean? Choose:"
    meaning = next(w.meaning for w in VOCABULARY if w.text == word)
    labels = {b.label: b.command for b in question.buttons[0]}
    wrong = next(label for label in labels if label != meaning)
    missed, second = await tutor.handle_text(LEARNER, labels[wrong])
    assert missed.correct is False and missed.text.startswith(
        f"Not quite: {word} ({texts.romanized(word)}) means “{meaning}”; "
    )
    assert f"means “{wrong}”" in missed.text
    labels = {b.label: b.command for b in second.buttons[0]}
    other = next(w for w in VOCABULARY if w.text == second.expected).meaning
    right, recap = await tutor.handle_text(LEARNER, labels[other])
    assert right.correct is True and right.text.startswith("Right!")
    assert recap.text.startswith(texts.QUIZ_DONE.format(correct=1, total=2))
    async with db.transaction() as session:
        learner = await queries.learner(session, LEARNER.platform, LEARNER.platform_id)
        cards = await queries.cards(session, learner.id, letters=False)
    assert set(cards) == {word, second.expected}  # the words' own cards
