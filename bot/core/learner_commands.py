"""A learner's own commands: the welcome, progress (/review, /stats), reminders and time zone,
/stop, consent, and deleting their data."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, update

from bot.core import texts
from bot.core.charts import accuracy_chart
from bot.core.drills import mastered
from bot.core.local_time import current_streak, local_day, next_occurrence, parse_time, parse_zone
from bot.core.quiz import stop_quiz
from bot.core.replies import Button, Picture, Reply
from bot.core.text_grading import letters_inside, texts_missed
from bot.core.text_items import romanize
from bot.core.text_stage import progress
from bot.core.turn import Turn
from ml.reading.alphabet import letter_info
from storage import queries
from storage.tables import Sample

WEAKEST_SHOWN = 5
DELETE_CONFIRM_WINDOW = timedelta(minutes=10)


async def welcome(turn: Turn, args: list[str]) -> list[Reply]:
    """/start (a learner's first contact on Telegram): what the tutor does, a button to the first
    lesson, and consent in plain words."""
    first = ((Button(texts.BUTTON_FIRST_LESSON, "/quiz"),),)
    consent_buttons = (
        (Button(texts.CONSENT_YES, "/consent on"), Button(texts.CONSENT_NO, "/consent off")),
    )
    return [
        Reply(texts.WELCOME, buttons=first),
        Reply(texts.WELCOME_CONSENT, buttons=consent_buttons),
    ]


async def weakest(turn: Turn, args: list[str]) -> list[Reply]:
    """/review: the letters the learner misses most, the syllables and words missed and the
    letters written wrong inside them, with a button to the quiz that brings each back."""
    scores = await queries.letter_scores(turn.session, turn.learner.id)
    missed = sorted(
        (s for s in scores if s.correct < s.attempts), key=lambda s: (s.accuracy, -s.attempts)
    )[:WEAKEST_SHOWN]
    answers = await queries.text_answers(turn.session, turn.learner.id)
    texts_wrong = texts_missed(answers)[:WEAKEST_SHOWN]
    inside = [s for s in letters_inside(answers) if s.correct < s.attempts][:WEAKEST_SHOWN]
    sections, buttons = [], []
    if missed:
        sections.append(texts.REVIEW.format(lines=_review_lines(missed, _letter_romanized)))
        buttons.append(Button(texts.BUTTON_QUIZ, "/quiz"))
    if texts_wrong:
        sections.append(texts.REVIEW_TEXTS.format(lines=_review_lines(texts_wrong, romanize)))
        if any(len(s.letter) == 1 for s in texts_wrong):
            buttons.append(Button(texts.BUTTON_SYLLABLES, "/quiz syllables"))
        if any(len(s.letter) > 1 for s in texts_wrong):
            buttons.append(Button(texts.BUTTON_WORDS, "/quiz words"))
    if inside:
        sections.append(texts.REVIEW_INSIDE.format(weak=_scored(inside)))
    if not sections:
        return [Reply(texts.REVIEW_NOTHING)]
    text = "\n\n".join(sections) + "\n" + texts.REVIEW_DUE
    return [Reply(text, buttons=(tuple(buttons),))]


def _letter_romanized(letter: str) -> str:
    """A letter's romanization."""
    return letter_info(letter).romanization


def _review_lines(scores: list[queries.LetterScore], romanized: Callable[[str], str]) -> str:
    return "\n".join(
        texts.REVIEW_LINE.format(
            letter=s.letter,
            romanization=romanized(s.letter),
            correct=s.correct,
            attempts=s.attempts,
        )
        for s in scores
    )


async def stats(turn: Turn, args: list[str]) -> list[Reply]:
    """/stats: totals, best and weakest letters, confusions, streak, the syllables and words
    learnt with the letters inside them, and a chart."""
    learner = turn.learner
    scores = await queries.letter_scores(turn.session, learner.id)
    beyond_letters = await _text_stats(turn)
    if not scores:
        return [Reply("\n".join(beyond_letters) or texts.STATS_NOTHING)]
    attempts = sum(s.attempts for s in scores)
    correct = sum(s.correct for s in scores)
    ranked = sorted(scores, key=lambda s: (-s.accuracy, -s.attempts, s.letter))
    streak = current_streak(
        learner.streak, learner.last_practice_day, local_day(turn.now, learner.time_zone)
    )
    cards = await queries.cards(turn.session, learner.id)
    met = set(cards) | set(await queries.lessons(turn.session, learner.id))
    lines = [
        texts.STATS.format(
            attempts=texts.plural(attempts, "graded answer"),
            correct=correct,
            percent=100 * correct / attempts,
        ),
        texts.STATS_LETTERS.format(
            met=len(met), mastered=sum(mastered(card) for card in cards.values())
        ),
        texts.STATS_BEST.format(letters=_scored(ranked[:3])),
    ]
    weak = [s for s in ranked[::-1] if s.correct < s.attempts][:3]
    if weak:
        lines.append(texts.STATS_WORST.format(letters=_scored(weak)))
    if streak:
        lines.append(texts.STATS_STREAK.format(days=texts.plural(streak, "day")))
    mixed = await queries.confusions(turn.session, learner.id)
    if mixed:
        pairs = ", ".join(f"{asked}→{read} ×{n}" for asked, read, n in mixed)
        lines.append(texts.STATS_CONFUSIONS.format(pairs=pairs))
    lines += beyond_letters

    async def chart() -> Reply:
        png = await asyncio.to_thread(accuracy_chart, scores, texts.STATS_CHART_TITLE)
        return Reply("", (Picture(png, "stats.png"),))

    turn.after_commit.append(chart)
    return [Reply("\n".join(lines))]


async def _text_stats(turn: Turn) -> list[str]:
    """The syllables and words learnt, and how the letters inside them were written."""
    learnt = await progress(turn)
    inside = letters_inside(await queries.text_answers(turn.session, turn.learner.id))
    if not inside and not learnt.syllables:
        return []
    lines = [texts.STATS_TEXTS.format(syllables=len(learnt.syllables), words=len(learnt.words))]
    total, correct = sum(s.attempts for s in inside), sum(s.correct for s in inside)
    weak = [s for s in inside if s.correct < s.attempts][:3]
    if weak:
        lines.append(texts.STATS_INSIDE.format(correct=correct, total=total, weak=_scored(weak)))
    elif inside:
        lines.append(texts.STATS_INSIDE_ALL_RIGHT.format(total=total))
    return lines


def _scored(scores: list[queries.LetterScore]) -> str:
    return ", ".join(f"{s.letter} {s.correct} of {s.attempts}" for s in scores)


async def remind(turn: Turn, args: list[str]) -> list[Reply]:
    """/remind HH:MM: a daily reminder at the learner's local time; /remind off: none."""
    if [a.lower() for a in args] == ["off"]:
        return reminders_off(turn)
    at = parse_time(args[0]) if len(args) == 1 else None
    if at is None:
        return [Reply(texts.REMIND_USAGE)]
    learner = turn.learner
    learner.reminder_time = at.strftime("%H:%M")
    learner.reminders_on = True
    learner.next_reminder_at = next_occurrence(turn.now, learner.time_zone, learner.reminder_time)
    if learner.time_zone == "UTC":
        return [Reply(texts.REMIND_SET_UTC.format(time=learner.reminder_time))]
    return [Reply(texts.REMIND_SET.format(time=learner.reminder_time, zone=learner.time_zone))]


async def timezone(turn: Turn, args: list[str]) -> list[Reply]:
    """/timezone Area/City (or the city alone): the learner's time zone (reminders and streaks
    follow it)."""
    if not args:
        return [Reply(texts.TIMEZONE_USAGE)]
    zone = parse_zone(" ".join(args))
    if zone is None:
        return [Reply(texts.TIMEZONE_UNKNOWN.format(name=" ".join(args)))]
    learner = turn.learner
    learner.time_zone = zone.key
    if learner.reminders_on and learner.reminder_time:
        learner.next_reminder_at = next_occurrence(turn.now, zone.key, learner.reminder_time)
    local = turn.now.astimezone(zone).strftime("%H:%M")
    return [Reply(texts.TIMEZONE_SET.format(zone=zone.key, local=local))]


async def stop(turn: Turn, args: list[str]) -> list[Reply]:
    """/stop: ends the running quiz (reminders stay as they are); with no quiz running, turns
    reminders off."""
    running = await queries.active_quiz(turn.session, turn.learner.id)
    if running is not None:
        replies = stop_quiz(turn, running)
        if turn.learner.reminders_on:
            replies.append(Reply(texts.STOP_REMINDERS_STAY))
        return replies
    if not turn.learner.reminders_on:
        return [Reply(texts.STOP_NOTHING)]
    return reminders_off(turn)


def reminders_off(turn: Turn) -> list[Reply]:
    turn.learner.reminders_on = False
    turn.learner.next_reminder_at = None
    return [Reply(texts.REMIND_STOPPED)]


async def consent(turn: Turn, args: list[str]) -> list[Reply]:
    """/consent on|off|forget. Off withdraws the pictures already kept from future training and
    offers to delete them; forget deletes them (the answers and progress stay)."""
    choice = args[0].lower() if len(args) == 1 else ""
    if choice not in ("on", "off", "forget"):
        state = "on" if turn.learner.consent else "off"
        buttons = (
            (Button(texts.CONSENT_YES, "/consent on"), Button(texts.CONSENT_NO, "/consent off")),
        )
        return [Reply(texts.CONSENT_USAGE.format(state=state), buttons=buttons)]
    if choice == "on":
        turn.learner.consent = True
        return [Reply(texts.CONSENT_ON)]
    kept = await queries.sample_count(turn.session, turn.learner.id)
    if choice == "forget":
        await turn.session.execute(delete(Sample).where(Sample.learner_id == turn.learner.id))
        return [Reply(texts.CONSENT_FORGOTTEN.format(count=kept))]
    turn.learner.consent = False
    await turn.session.execute(
        update(Sample).where(Sample.learner_id == turn.learner.id).values(consent=False)
    )
    if not kept:
        return [Reply(texts.CONSENT_OFF_NOTHING_KEPT)]
    buttons = ((Button(texts.CONSENT_FORGET, "/consent forget"),),)
    return [Reply(texts.CONSENT_OFF.format(count=kept), buttons=buttons)]


async def delete_me(turn: Turn, args: list[str]) -> list[Reply]:
    """/deleteme asks; ``/deleteme confirm`` (within ten minutes) deletes the learner with their
    attempts, samples, cards and quizzes; ``/deleteme cancel`` keeps everything."""
    learner = turn.learner
    choice = args[0].lower() if args else ""
    if choice == "cancel":
        learner.delete_requested_at = None
        return [Reply(texts.DELETE_KEPT)]
    if choice == "confirm":
        asked = learner.delete_requested_at
        if asked is None or turn.now - asked > DELETE_CONFIRM_WINDOW:
            return [Reply(texts.DELETE_EXPIRED)]
        await queries.delete_learner(turn.session, learner.id)
        return [Reply(texts.DELETE_DONE)]
    learner.delete_requested_at = turn.now
    buttons = (
        (
            Button(texts.DELETE_YES, "/deleteme confirm"),
            Button(texts.DELETE_NO, "/deleteme cancel"),
        ),
    )
    return [Reply(texts.DELETE_ASK, buttons=buttons)]
