"""Which letters to ask next: spaced repetition with the ``fsrs`` package, one card per letter
(and one per syllable or word, :mod:`bot.core.text_stage`).

A new learner meets letters in a teaching order, each taught by its lesson before it is asked
and a few new ones a day. The order mixes vowels and consonants from the first day, so that real
syllables can be read early (ㅏ ㄴ ㅅ ㅇ ㅣ already make 나, 사, 이, 산, 나이), and teaches the
two letters of every confusable pair (:data:`bot.core.lesson_content.CONFUSABLE_PAIRS`) on
different days at the default five a day; then y-vowels, aspirated consonants, ㅐ/ㅔ, tense
consonants and compound vowels. After that, cards that are due come first. A right answer rates
the card Good (Hard after a hint or a second try), a miss or a skip rates it Again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from storage.tables import ReviewCard

TEACHING_ORDER = tuple(
    "ㅏㄴㅅㅇㅣㅗㅁㄷㅡㄱㅓㄹㅂㅜㅈㅎㅑㅛㅍㅐㅋㅕㅠㅌㅊㅔㄲㄸㅒㅚㅖㅃㅆㅘㅞㅉㅝㅙㅟㅢ"
)

SCHEDULER = Scheduler(enable_fuzzing=False)


def pick_letters(
    cards: dict[str, ReviewCard],
    count: int,
    now: datetime,
    taught: Collection[str] = (),
    new_allowed: int = len(TEACHING_ORDER),
) -> list[str]:
    """At most ``count`` letters for a quiz: due cards (most overdue first), letters already
    ``taught`` but never asked, then at most ``new_allowed`` letters not taught yet, in
    teaching order, then the cards due soonest."""
    due, later = pick_due(cards, now)
    unasked = [letter for letter in TEACHING_ORDER if letter not in cards]
    picked = due + [letter for letter in unasked if letter in taught]
    picked += [letter for letter in unasked if letter not in taught][:new_allowed]
    return (picked + later)[:count]


def pick_due(cards: dict[str, ReviewCard], now: datetime) -> tuple[list[str], list[str]]:
    """What ``cards`` practise, split into those due at ``now`` (most overdue first) and the rest
    (due soonest first)."""
    ranked = sorted(cards.values(), key=lambda c: c.due)
    return [c.letter for c in ranked if c.due <= now], [c.letter for c in ranked if c.due > now]


MASTERED_DAYS = 21
"""A letter is mastered once its memory is expected to last this long (``fsrs`` stability in
days; Anki calls such a card "mature")."""


def mastered(card: ReviewCard) -> bool:
    """Whether the learner has mastered the letter of ``card``."""
    return card.state == State.Review and (card.stability or 0) >= MASTERED_DAYS


def learnt(card: ReviewCard) -> bool:
    """Whether ``card`` has left its learning steps and not been missed since (``fsrs``'s Review
    state: a new card answered right twice in a row), which opens the next stage."""
    return card.state == State.Review


def rating(correct: bool, hinted: bool) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hinted else Rating.Good


def review(
    row: ReviewCard | None, learner_id: int, letter: str, rated: Rating, now: datetime
) -> ReviewCard:
    """The card ``row`` (a new one when None) after a review rated ``rated`` at ``now``."""
    if row is None:
        row = ReviewCard(learner_id=learner_id, letter=letter, reviews=0, correct=0)
        card = Card(due=now)
    else:
        card = Card(
            state=State(row.state),
            step=row.step,
            stability=row.stability,
            difficulty=row.difficulty,
            due=row.due,
            last_review=row.last_review,
        )
    card, _ = SCHEDULER.review_card(card, rated, review_datetime=now)
    row.state = int(card.state)
    row.step = card.step
    row.stability = card.stability
    row.difficulty = card.difficulty
    row.due = card.due
    row.last_review = card.last_review
    row.reviews += 1
    row.correct += rated != Rating.Again
    return row
