"""Which letters to ask next: spaced repetition with the ``fsrs`` package, one card per letter.

A new learner meets letters in a teaching order (simple vowels, basic consonants, y-vowels,
aspirated consonants, ae/e vowels, tense consonants, compound vowels); after that, cards that
are due come first. A right answer rates the card Good (Hard after a hint), a miss or a skip
rates it Again.
"""

from __future__ import annotations

from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from storage.tables import ReviewCard

TEACHING_ORDER = tuple(
    "ㅏㅓㅗㅜㅡㅣㄱㄴㄷㄹㅁㅂㅅㅇㅈㅎㅑㅕㅛㅠㅋㅌㅍㅊㅐㅔㅒㅖㄲㄸㅃㅆㅉㅘㅙㅚㅝㅞㅟㅢ"
)

SCHEDULER = Scheduler(enable_fuzzing=False)


def pick_letters(cards: dict[str, ReviewCard], count: int, now: datetime) -> list[str]:
    """``count`` letters for a quiz: due cards (most overdue first), then new letters in
    teaching order, then the cards due soonest."""
    due = sorted((c for c in cards.values() if c.due <= now), key=lambda c: c.due)
    picked = [c.letter for c in due][:count]
    picked += [letter for letter in TEACHING_ORDER if letter not in cards][: count - len(picked)]
    later = sorted((c for c in cards.values() if c.letter not in picked), key=lambda c: c.due)
    picked += [c.letter for c in later][: count - len(picked)]
    return picked


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
