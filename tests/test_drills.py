"""Choosing quiz letters: the teaching order for new learners, then due cards first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.drills import TEACHING_ORDER, Rating, pick_letters, rating, review
from bot.core.lesson_content import CONFUSABLE_PAIRS
from ml.reading.alphabet import LETTERS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_teaching_order_holds_every_letter_once():
    assert sorted(TEACHING_ORDER) == sorted(LETTERS)


def test_a_new_learner_starts_with_the_teaching_order():
    assert pick_letters({}, 4, NOW) == ["ㅏ", "ㄴ", "ㅅ", "ㅇ"]


def test_new_letters_are_capped_but_letters_already_taught_are_not():
    assert pick_letters({}, 5, NOW, new_allowed=2) == ["ㅏ", "ㄴ"]
    assert pick_letters({}, 5, NOW, taught={"ㅣ"}, new_allowed=2) == ["ㅣ", "ㅏ", "ㄴ"]
    assert pick_letters({}, 5, NOW, new_allowed=0) == []


def test_confusable_letters_are_not_taught_on_the_same_day():
    days = [set(TEACHING_ORDER[i : i + 5]) for i in range(0, len(TEACHING_ORDER), 5)]
    together = [pair for pair in CONFUSABLE_PAIRS if any(pair <= day for day in days)]
    assert together == []


def test_due_cards_come_before_new_letters_and_the_most_overdue_first():
    cards = {
        "ㄱ": review(None, 1, "ㄱ", Rating.Again, NOW - timedelta(hours=2)),
        "ㅎ": review(None, 1, "ㅎ", Rating.Again, NOW - timedelta(hours=5)),
        "ㅏ": review(None, 1, "ㅏ", Rating.Good, NOW),
    }
    assert pick_letters(cards, 3, NOW) == ["ㅎ", "ㄱ", "ㄴ"]


def test_a_learner_who_knows_every_letter_gets_the_soonest_due():
    cards = {
        x: review(None, 1, x, Rating.Easy, NOW + timedelta(minutes=i))
        for i, x in enumerate(LETTERS)
    }
    assert pick_letters(cards, 2, NOW) == list(LETTERS[:2])


def test_ratings_follow_the_answer_and_the_hint():
    assert rating(True, hinted=False) == Rating.Good
    assert rating(True, hinted=True) == Rating.Hard
    assert rating(False, hinted=False) == Rating.Again


def test_a_right_answer_schedules_the_letter_later_than_a_miss():
    right = review(None, 1, "ㄱ", Rating.Good, NOW)
    wrong = review(None, 1, "ㄱ", Rating.Again, NOW)
    assert right.due > wrong.due and (right.reviews, right.correct) == (1, 1)
    assert (wrong.reviews, wrong.correct) == (1, 0)
