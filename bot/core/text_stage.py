"""After the letters: the syllable stage, then the word stage, each opened by what the learner has
learnt (a card is learnt once answered right past its first learning steps: twice in a row for a
new one, :func:`bot.core.drills.learnt`).

* Syllables open once :data:`SYLLABLE_STAGE_LETTERS` letters are learnt, consonants and vowels
  both; a syllable is asked only when every letter in it is learnt.
* Words open once :data:`WORD_STAGE_SYLLABLES` syllables are learnt; a word is asked only when
  every letter in it is learnt.

Each syllable and word has its own spaced-repetition card; a quiz asks the due ones first, then
new ones in the order of :func:`bot.core.text_items.syllable_ladder` and
:func:`~bot.core.text_items.word_ladder`, then those due soonest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core import texts
from bot.core.drills import learnt, pick_due
from bot.core.text_items import syllable_ladder, word_ladder, writable
from bot.core.turn import Turn
from ml.reading.alphabet import CONSONANTS, VOWELS
from storage import queries
from storage.tables import ReviewCard

SYLLABLES = "syllables"
WORDS = "words"
STAGES = (SYLLABLES, WORDS)
SYLLABLE_STAGE_LETTERS = 5
"""Letters learnt before syllables open (the first day's five make 나, 사, 아, 이, 시)."""
WORD_STAGE_SYLLABLES = 5
"""Syllables learnt before words open."""


@dataclass(frozen=True)
class Progress:
    """What a learner has learnt: letters, syllables and words (their cards learnt)."""

    letters: set[str]
    syllables: set[str]
    words: set[str]

    def opens(self, stage: str) -> bool:
        """Whether ``stage`` is open to this learner."""
        if stage == SYLLABLES:
            both = self.letters & set(CONSONANTS) and self.letters & set(VOWELS)
            return len(self.letters) >= SYLLABLE_STAGE_LETTERS and bool(both)
        return len(self.syllables) >= WORD_STAGE_SYLLABLES

    def ladder(self, stage: str) -> list[str]:
        """The syllables or words of ``stage`` this learner can write, in teaching order."""
        every = syllable_ladder() if stage == SYLLABLES else word_ladder()
        return [text for text in every if writable(text, self.letters)]


async def progress(turn: Turn) -> Progress:
    """The learner's :class:`Progress`."""
    letters = await queries.cards(turn.session, turn.learner.id)
    others = await queries.cards(turn.session, turn.learner.id, letters=False)
    known = {text for text, card in others.items() if learnt(card)}
    return Progress(
        letters={letter for letter, card in letters.items() if learnt(card)},
        syllables={text for text in known if len(text) == 1},
        words={text for text in known if len(text) > 1},
    )


async def items_for(turn: Turn, stage: str, count: int) -> tuple[list[str], str | None]:
    """The syllables or words of a new quiz of ``stage`` and, the first time, how the stage
    works; or none and why."""
    if turn.text_reader is None:
        return [], texts.TEXT_STAGE_NOT_HERE
    learner = await progress(turn)
    if not learner.opens(stage):
        return [], _locked(stage, learner)
    ladder = learner.ladder(stage)
    if not ladder:
        return [], texts.TEXT_STAGE_NOTHING_YET.format(stage=stage)
    cards = await queries.cards(turn.session, turn.learner.id, letters=False)
    first_time = not any((len(text) == 1) == (stage == SYLLABLES) for text in cards)
    intro = texts.SYLLABLES_INTRO if stage == SYLLABLES else texts.WORDS_INTRO
    return pick_texts(cards, count, turn.now, ladder), intro if first_time else None


def pick_texts(
    cards: dict[str, ReviewCard], count: int, now: datetime, ladder: Sequence[str]
) -> list[str]:
    """At most ``count`` of ``ladder``: due cards first (most overdue first), then ones never
    asked, in ladder order, then the cards due soonest."""
    mine = {text: card for text, card in cards.items() if text in set(ladder)}
    due, later = pick_due(mine, now)
    fresh = [text for text in ladder if text not in mine]
    return (due + fresh + later)[:count]


def _locked(stage: str, learner: Progress) -> str:
    if stage == SYLLABLES:
        return texts.SYLLABLES_LOCKED.format(
            learnt=len(learner.letters), needed=SYLLABLE_STAGE_LETTERS
        )
    return texts.WORDS_LOCKED.format(learnt=len(learner.syllables), needed=WORD_STAGE_SYLLABLES)
