"""Every sentence the tutor says to learners and admins, in one place so it can be translated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core import text_items
from bot.core.text_items import is_letter
from ml.reading.alphabet import letter_info
from ml.reading.verdicts import Verdict

if TYPE_CHECKING:
    from ml.reading.syllables import BlockReading

WELCOME = (
    "안녕하세요! Hello! I'm your Hangul tutor. I teach the Korean alphabet by handwriting, a few "
    "letters a day: for each one I show how it's written and let you hear it; then you write it "
    "on paper or in a drawing app and send me a photo, and I tell you what I read and how to make "
    "it better. Letters come back for review just before you'd forget them. Once you know a few, "
    "we go on to whole syllables (가, 한) and then words (나무, 고양이)."
)
WELCOME_CONSENT = (
    "One question before we start. May I keep the photos you send, to get better at reading "
    "handwriting? They're used only to train my reading, never shown to anyone else. Say no and "
    "everything still works. You can change your mind any time with /consent off, and /deleteme "
    "deletes everything I know about you."
)
BUTTON_FIRST_LESSON = "First lesson"
BOT_DESCRIPTION = (
    "Learn to write the Korean alphabet, Hangul, by hand. Each letter comes with its stroke order "
    "as an animation and its sound; write it on paper, send a photo, and I'll read it, tell you "
    "how sure I am and coach you on mistakes. Reviews come back just before you'd forget."
)
BOT_SHORT_DESCRIPTION = (
    "Learn to write Hangul by hand: lessons, sound, and feedback on your photos."
)

HELP_INTRO = """I teach the Korean alphabet by handwriting. Write a letter on paper or in a drawing
app and send me a photo or a screenshot: I'll tell you what I read and how sure I am. I read
syllables (가, 한) and short words (나무) too, letter by letter; once you have learnt a few
letters, /quiz syllables and then /quiz words ask for them."""
HELP_INTRO_DISCORD = (
    "I teach the Korean alphabet by handwriting. Write a letter on paper or in a drawing app and "
    "send me a photo or a screenshot in a direct message; in a server, use /check with the "
    "picture, or mention me when you post it. I'll tell you what I read and how sure I am. I "
    "read syllables (가, 한) and short words (나무) too, letter by letter; once you have learnt a "
    "few letters, /quiz syllables and then /quiz words ask for them."
)
HELP_ADMINS = "For admins:"

NOT_A_COMMAND = (
    "Send me a photo of one handwritten letter, or try /quiz. /help lists what I can do."
)
UNKNOWN_COMMAND = "I don't know /{name}. /help lists what I can do."
UNKNOWN_COMMAND_MEANT = "I don't know /{name}. Did you mean {meant}? /help lists what I can do."
TOO_LONG = "That message is too long for me (at most {most} characters). /help lists what I can do."
INTERNAL_ERROR = (
    "Sorry, something went wrong on my side. Nothing you did was lost; please try again."
)
ADMIN_ONLY = "Sorry, /{name} is for admins only."

VERDICTS: dict[Verdict, str] = {
    Verdict.EMPTY_FILE: "That file is empty. Please send a photo of your letter.",
    Verdict.NOT_AN_IMAGE: (
        "I couldn't open that as a picture. Please send a photo or a PNG/JPEG image."
    ),
    Verdict.TRUNCATED: "That picture seems cut off (the file is incomplete). Please send it again.",
    Verdict.UNREADABLE_FILE: (
        "I couldn't open that picture. Please send a photo or a PNG/JPEG image."
    ),
    Verdict.ERROR: "I couldn't open that picture. Please send a photo or a PNG/JPEG image.",
    Verdict.TOO_LARGE: "That picture is too big for me (over 20 MB). Please send a smaller photo.",
    Verdict.TOO_MANY_PIXELS: (
        "That picture has too many pixels for me. Please send a smaller photo."
    ),
    Verdict.ODD_SHAPE: "That picture is a thin strip. Please send a photo of your letter.",
    Verdict.UNSUPPORTED: (
        "I can't open that kind of picture file. Please send a photo, a screenshot or a PNG/JPEG."
    ),
    Verdict.TOO_SLOW: (
        "That picture took me too long to open. Please send an ordinary photo or screenshot."
    ),
    Verdict.BLANK: (
        "I can't see a letter: the page looks blank, the ink is too faint, or the letter touches "
        "the edge of the picture. Write it clearly, in the middle with some space around it, and "
        "send it again."
    ),
    Verdict.TOO_SMALL: (
        "The letter is too small for me to read. Take the photo closer, so the letter "
        "fills most of the picture."
    ),
    Verdict.SEVERAL_LETTERS: (
        "That looks like several letters or a whole word. Please send one letter at a time."
    ),
    Verdict.NOT_A_LETTER: (
        "That doesn't look like a Korean letter to me. Please write one letter, like ㄱ or ㅏ."
    ),
    Verdict.TOO_MANY_BLOCKS: (
        "That looks like a whole line of writing. Please send one letter, one syllable or a "
        "short word (up to 4 blocks)."
    ),
    Verdict.UNSURE: "I can't read every letter of that clearly. Please write it again, larger.",
}
"""What to say to a learner for each verdict other than ``ok`` (one wording each; ``hangul-ml``
explains them in its own, :data:`ml.reading.verdicts.REASONS`)."""

TEXT_VERDICTS = {
    Verdict.NOT_A_LETTER: (
        "I can't find Korean writing in that picture. Write it clearly, each syllable as one "
        "block, with some space around, and send it again."
    ),
    Verdict.SEVERAL_LETTERS: (
        "I can't tell the blocks apart in that picture. Write each syllable as one block, with a "
        "little space between blocks, and send it again."
    ),
    Verdict.BLANK: (
        "I can't see any writing: the page looks blank, the ink is too faint, or the writing "
        "touches the edge of the picture. Write it clearly, in the middle, and send it again."
    ),
    Verdict.TOO_SMALL: "The writing is too small for me to read. Take the photo closer.",
}
"""What to say instead of :data:`VERDICTS` when a syllable or a word was asked for."""
UNSURE = "I'm not sure; it could also be {alternatives}."
WHAT_I_SAW = "Here is the letter as I saw it."
CONFIRM_ASK = (
    "Is that what you wrote? Your answer helps me learn (if not, tell me which: /confirm {other})."
)
CONFIRM_YES = "Yes, {letter}"
CONFIRM_OTHER = "I meant {letter}"
CONFIRMED = "Thanks! I'll remember this picture as {letter}."
CONFIRM_REFUSED = (
    "If it is a letter after all, tell me which and I'll learn your way of writing it: "
    "/confirm ㅓ (with your letter)."
)
CONFIRM_WHICH = "Which letter did you write? Tell me with /confirm and the letter: /confirm ㅓ."
NOTHING_TO_CONFIRM = "There's no recent picture of yours to confirm."
CONFIRM_NOT_KEPT = (
    "Thanks, noted: {letter}. I don't keep your pictures (/consent is off), so I can't learn "
    "from this one; /consent on lets me."
)
REGRADED = "Sorry, I misread your {letter}! It counts as right, and it isn't a miss."
NOT_A_KNOWN_LETTER = (
    "I don't know the letter {text!r}. Use a jamo like ㄱ or its romanization like g."
)
LESSON_OF_SYLLABLES = (
    "Lessons teach one letter at a time; {text} is written with {letters}, and /lesson {first} "
    "teaches the first. How it goes together:\n{how}\n/quiz syllables asks you to write "
    "syllables once you know a few letters."
)

QUIZ_QUESTION = "Question {number} of {total}: write the {description}."
QUIZ_ALREADY_RUNNING = "A quiz is already running. {question}\nSend a photo, /skip, or /quiz stop."
QUIZ_BAD_COUNT = (
    "Use /quiz with a number of questions from 1 to {most}, like /quiz 5 or /quiz syllables 5 "
    "(or /quiz again for what you missed last time)."
)
QUIZ_NONE_RUNNING = "No quiz is running. Start one with /quiz."
QUIZ_NEW_LETTERS_CAPPED = (
    "A quiz of {count}: every letter you have met, and today's new ones (up to {most} a day; "
    "/lesson ㅂ teaches any letter now)."
)
QUIZ_NOTHING_AGAIN = "Your last quiz had no misses to practise again. Try /quiz!"
QUIZ_RIGHT = "Right! That's {letter} ({romanization})."
QUIZ_RIGHT_UNSURE = (
    "That looks like {letter} ({romanization}), so I'll count it, but I'm not sure: it doesn't "
    "look much like the {letter} I know. Compare it with the strokes below and with what I saw."
)
QUIZ_WRONG = "Not quite: I read {read}, but the letter was {letter} ({romanization})."
QUIZ_TRY_AGAIN = "Have another go: write the {description}."
QUIZ_MOVING_ON = "We'll come back to {letter} soon."
COACH_SIDE_BY_SIDE = "Yours and the letter, side by side:"
COACH_STROKES = "Here's how to write {letter}, and what I saw."
QUIZ_UNREADABLE = "{reason}\nThe question stands: write the {description}."
QUIZ_GOT_TEXT = (
    "That looks like the {kind} {text} ({spelled}), not one letter. This question asks for one "
    "letter on its own: write the {description}."
)
QUIZ_GOT_LETTERS = (
    "That looks like separate letters ({letters}), not one letter. This question asks for one "
    "letter on its own: write the {description}."
)
TEXT_READ = "I read the {kind} {text}: {spelled}. I'm {sure} sure."
TEXT_MEANING = "{text} ({romanization}) means “{meaning}”."
TEXT_UNSURE = "I'm not sure what this says. {reason} My best guess: {text} ({spelled})."
TEXT_GOT_LETTER = "I read just one letter, {read}. {text} is a whole block: {spelled}."
TEXT_BLOCKS_DIFFER = "That's {count}; {text} has {expected}: {spelled}."
TEXT_SEPARATE = (
    "I see separate letters: {letters}. In Korean, the letters of one syllable are written "
    "together in one block."
)
TEXT_SEPARATE_MAKE = "Written as one block, they make {syllable} ({romanization}). {how}"
TEXT_SEPARATE_NO_BLOCK = (
    "A block starts with a consonant, then a vowel beside it or under it (가, 고), sometimes with "
    "a final consonant underneath (각)."
)
TEXT_SEPARATE_RIGHT_LETTERS = "They are the right letters: now put them together."
TEXT_SEPARATE_ASKED = (
    "You wrote {letters} as separate letters; each syllable's letters go together in one block."
)
SILENT_FIRST_IEUNG = (
    "ㅇ (silent at the start: a block that starts with a vowel sound starts with ㅇ)"
)
TEXT_HOW_IT_LOOKS = "Here's how it looks, each letter in its place:"
TEXT_TOO_MANY = "Keep the letters of one syllable close together, in one square."
TEXT_TOO_FEW = "Leave a little space between the syllables."
TEXT_RIGHT_LETTERS = "Your {letters}: right."
TEXT_WRONG_LETTER = "the {place} reads as {read}; it should be {letter}."
TEXT_EXTRA_FINAL = "I see a final consonant {read} underneath; there should be none."
TEXT_MISSING_FINAL = "the final {letter} underneath is missing."
TEXT_HARD_TO_READ = "I could only just read {places}: make it clearer next time."
TEXT_LOOKS_LIKE = " (it looks a little like {read})"
TEXT_LOOKS_MISSING = " (it almost looks missing)"
TEXT_NO_FINAL_UNSURE = "that {syllable} has no final consonant"
TEXT_MAYBE_FINAL = " (I may see a {read} underneath)"
QUIZ_SKIPPED_TEXT = "Skipped. It was {text} ({romanization}). Here's how to write it:\n{how}"
TEXT_NEW = "New {what}: {text} ({romanization}){meaning}.\n{how}"
TEXT_HINT = "{text} ({romanization}):\n{how}"
QUIZ_RIGHT_TEXT = "Right! That's {text} ({romanization}): {spelled}."
QUIZ_RIGHT_WORD = "Right! That's {text} ({romanization}), “{meaning}”: {spelled}."
QUIZ_WRONG_TEXT = "Not quite: I read {read}, but it was {text} ({romanization})."
TEXT_STAGE_NOT_HERE = (
    "Reading syllables and words is switched off on this bot, so I can only quiz you on letters: "
    "/quiz."
)
TEXT_STAGE_NOTHING_YET = (
    "None of my {stage} are made only of letters you have learnt yet. A few more letters first: "
    "/quiz."
)
SYLLABLES_LOCKED = (
    "Syllables open once you have learnt {needed} letters, consonants and vowels both (a letter "
    "is learnt when you have written it right twice in a row). You have {learnt} so far: /quiz "
    "gets you there."
)
WORDS_LOCKED = (
    "Words open once you have learnt {needed} syllables (written right twice in a row). You "
    "have {learnt} so far: /quiz syllables gets you there."
)
SYLLABLES_INTRO = (
    "Syllables! Korean is written in blocks, one block per syllable: a consonant, then a vowel "
    "beside it (ㅏ ㅓ ㅣ stand upright, so the consonant goes on their left) or under it (ㅗ ㅜ ㅡ "
    "lie flat, so the consonant goes on top), and sometimes a final consonant (batchim) "
    "underneath. Each block fills one square. I'll say a syllable; write it as one block and "
    "send a photo, and I'll check every letter in it. /hint shows where each letter goes."
)
WORDS_INTRO = (
    "Words! Write each syllable as its own block, left to right, with a little space between "
    "blocks, and send a photo. I'll tell you what each word means and check every letter."
)
BUTTON_SYLLABLES = "Try syllables"
BUTTON_WORDS = "Try words"
QUIZ_SKIPPED = "Skipped. The letter was {letter} ({romanization}); here's how to write it."
QUIZ_DONE = "Quiz done: {correct} of {total} right."
QUIZ_ALL_RIGHT = "Every letter right!"
RECAP_MISSED = "To practise:"
RECAP_LINE = "{letter} ({romanization}): back {when}"
QUIZ_STOPPED = "Quiz stopped after {answered} of {total} questions: {correct} right."
STALE_BUTTON = "That button belongs to an earlier question, so I did nothing. {question}"
STALE_BUTTON_NO_QUIZ = (
    "That button belongs to a quiz that is over, so I did nothing. /quiz starts a new one."
)
BUTTON_HINT = "Hint"
BUTTON_SKIP = "Skip"
BUTTON_QUIZ = "Quiz me"
BUTTON_AGAIN = "Again, now"
BUTTON_PRACTISE = "Practise it"
BUTTON_I_WROTE = "I wrote {letter}"

DRILL_READING = (
    "Question {number} of {total}: how do you read {syllable}? Type it in Latin letters, or choose:"
)
DRILL_LISTENING = "Question {number} of {total}: listen, and choose the letter you hear."
DRILL_PAIRS = "Question {number} of {total}: listen, and choose the word you hear."
DRILL_WORDS = "Question {number} of {total}: what does {word} mean? Choose:"
DRILL_WORD_MEANS = "{word} ({romanization}) means “{meaning}”"
DRILL_RIGHT_WORD = "Right! {said}."
DRILL_WRONG_WORD = "Not quite: {said}; {other}."
DRILL_NO_WORDS = (
    "No words are made only of letters you have learnt yet (a letter is learnt when you have "
    "written it right twice in a row). /quiz gets you there."
)
DRILL_USAGE = (
    "Use /drill reading, /drill listening, /drill pairs or /drill words, with how many "
    "questions if you like (/drill reading 5). No camera needed: answer with the buttons."
)
DRILL_NOTHING_MET = (
    "Drills practise the letters you have met, and you haven't met any yet: /lesson teaches your "
    "first one."
)
DRILL_NO_PAIRS = (
    "None of the letters you have met is in my word pairs yet; try /drill reading or /drill "
    "listening."
)
DRILL_NEEDS_SOUND = (
    "Listening drills need my speech engine, which isn't installed here; try /drill reading."
)
DRILL_RIGHT_READING = "Right! {syllable} is “{reading}”."
DRILL_RIGHT_HEARD = "Right! That was {shown}."
DRILL_WRONG_READING = "Not quite: {syllable} is “{reading}”; “{chosen}” would be {other}."
DRILL_WRONG_HEARD = "Not quite: that was {shown}, not {chosen}. Listen to both: first {shown}."
DRILL_NOT_UNDERSTOOD = "I didn't get “{typed}”. {question}"
DRILL_ANSWER_A_PHOTO = (
    "This question wants your handwriting: send a photo of the letter (or /skip)."
)
DRILL_NO_PICTURES = (
    "This drill is answered with the buttons (or by typing), not with a photo; here's what I read "
    "anyway."
)

LESSON = (
    "New letter: {letter}, the {kind} “{romanization}”. Its name is {name} ({name_romanized}).\n"
    "Sound: {sound}\n"
    "Remember it: {mnemonic}\n"
    "In a word: {word} ({word_romanized}), “{meaning}”.\n"
    "Watch the strokes and listen; then write it on paper and send me a photo."
)
LESSONS_ALL_TAUGHT = "You have met all 40 letters! /lesson ㅂ shows any letter's lesson again."
LESSONS_CAPPED = (
    "That's today's {most} new letters: practise them with /quiz, and more come tomorrow. "
    "/lesson ㅂ shows any letter's lesson now."
)
KINDS = {"consonant": "consonant", "vowel": "vowel"}

HINT_ASK = "Which letter? Try /hint ㄱ or /hint yo."
HINT = (
    "{letter}: its name is {name} ({name_romanized}); it sounds like “{romanization}”. "
    "Strokes in order:"
)

REVIEW_NOTHING = "You haven't missed anything yet. Try /quiz!"
REVIEW = "Your weakest letters:\n{lines}"
REVIEW_TEXTS = "Syllables and words you missed:\n{lines}"
REVIEW_INSIDE = "Letters you wrote wrong inside them: {weak}"
REVIEW_DUE = "A quiz brings each back when it's due."
REVIEW_LINE = "{letter} ({romanization}): {correct} of {attempts} right"

STATS_NOTHING = "No graded answers yet. Start with /quiz!"
STATS = "{attempts}, {correct} right ({percent:.0f}%)."
STATS_LETTERS = "Letters met: {met} of 40; mastered: {mastered}."
STATS_BEST = "Best: {letters}"
STATS_WORST = "Needs work: {letters}"
STATS_STREAK = "Streak: {days} in a row."
STATS_CONFUSIONS = "Often mixed up: {pairs}"
STATS_TEXTS = "Syllables learnt: {syllables}; words learnt: {words}."
STATS_INSIDE = "Letters inside syllables and words: {correct} of {total} right; needs work: {weak}"
STATS_INSIDE_ALL_RIGHT = "Letters inside syllables and words: all {total} right."
STATS_CHART_TITLE = "Right answers per letter"

REMIND_USAGE = "Use /remind HH:MM (24-hour), like /remind 19:30, or /remind off."
REMIND_SET = "I'll remind you every day at {time} ({zone}). /remind off turns reminders off."
REMIND_SET_UTC = (
    "I'll remind you every day at {time} UTC, since I don't know your time zone: tell me with "
    "/timezone and your city (/timezone Seoul). /remind off turns reminders off."
)
REMIND_STOPPED = "Reminders are off. /remind HH:MM turns them back on."
STOP_REMINDERS_STAY = "Your daily reminders stay on (/remind off turns them off)."
STOP_NOTHING = "Nothing to stop: no quiz is running and reminders are off."
REMINDER_DUE = "Time for your daily Hangul practice! {letters} due for review: {shown}."
REMINDER_DUE_TEXTS = "Syllables and words to write again: {shown} (/quiz syllables, /quiz words)."
REMINDER_NEW = "Time for your daily Hangul practice! A new letter is waiting for you."
REMINDER_STREAK = "Your streak: {days} in a row. Keep it going!"
TIMEZONE_USAGE = (
    "Use /timezone with your city or Area/City, like /timezone Seoul or /timezone Europe/Berlin."
)
TIMEZONE_UNKNOWN = "I don't know the time zone {name!r}. " + TIMEZONE_USAGE
TIMEZONE_SET = "Your time zone is now {zone}; it's {local} there."

CONSENT_USAGE = (
    "Use /consent on or /consent off (/consent forget deletes the pictures I kept). It is now "
    "{state}."
)
CONSENT_YES = "Yes, keep my pictures"
CONSENT_NO = "No"
CONSENT_ON = "Thank you! I'll keep your pictures to improve my reading. /consent off stops it."
CONSENT_OFF = (
    "I won't keep your pictures any more, and the {count} I kept won't be used for training. "
    "I still keep your answers (which letter, right or not) for your progress and reviews. "
    "Shall I delete those {count} pictures too? (/consent forget does it any time; /deleteme "
    "deletes everything.)"
)
CONSENT_OFF_NOTHING_KEPT = (
    "I won't keep your pictures. I kept none so far; I keep only your answers (which letter, "
    "right or not) for your progress and reviews."
)
CONSENT_FORGET = "Yes, delete my pictures"
CONSENT_FORGOTTEN = (
    "Deleted the {count} pictures I kept. Your answers and progress stay; /deleteme deletes "
    "everything."
)

DELETE_ASK = "This deletes your progress, answers and pictures for good. Are you sure?"
DELETE_YES = "Yes, delete everything"
DELETE_NO = "No, keep it"
DELETE_DONE = "Everything I knew about you is deleted. Send anything to start afresh."
DELETE_KEPT = "Nothing was deleted."
DELETE_EXPIRED = "Please ask with /deleteme first, then confirm."

MODEL_LINE = "{name} {version}{serving}: created {created}; {detail}"
MODEL_SERVING = " (serving)"
MODEL_SAMPLES = "Trusted, consented samples ready for the next retrain: {count}."
ROLLED_BACK = "Rolled back {name} to {version}."
NOT_HERE = "That needs the running bot (hangul-bot run); it can't be done from here."
ROLLBACK_FAILED = "Could not roll back: {error}"
RETRAIN_STARTED = (
    "Retrain {job} started with {samples} collected pictures from {learners} learners: they all "
    "train the new models, and each learner's pictures judge them as read by a model trained "
    "without that learner. I'll tell you here how it goes; /retrain status shows it any time."
)
RETRAIN_NO_SAMPLES = (
    "There are no trusted samples to learn from yet, so no retrain started and nothing changed. "
    "Samples come from learners with /consent on: quiz answers I read right, and free pictures "
    "they confirmed."
)
RETRAIN_ONE_LEARNER = (
    "All {samples} trusted samples come from one learner, so no retrain started and nothing "
    "changed: a retrain needs pictures from at least two learners, some to learn from and one to "
    "judge the new models by (a model judged on the learner it learned from looks better than it "
    "is)."
)
RETRAIN_SKIPPED_CORRUPT = (
    "{count} stored samples were corrupt and left out (the retrain report counts them)."
)
RETRAIN_USAGE = (
    "Use /retrain to start one, /retrain status to see how it goes, or /retrain anyway to "
    "retrain without new samples."
)
RETRAIN_NO_NEW_SAMPLES = (
    "No new trusted samples since the last retrain that promoted a model, so there is nothing new "
    "to learn from. Samples come from learners with /consent on: quiz answers I read right, and "
    "free pictures they confirmed. /retrain anyway starts one regardless."
)
RETRAIN_NONE = "No retrain has run yet. /retrain starts one."
RETRAIN_RUNNING = "Retrain {job}: {percent:.0f}% ({message})."
RETRAIN_FAILED = "Retrain {job} failed: {error}. The models in use did not change."
RETRAIN_DONE = "Retrain {job} finished.\n{data}\n{decisions}"
RETRAIN_REFUSED = "Retrain {job} trained nothing: {reason}. The models in use did not change."
RETRAIN_DATA = (
    "Learned from {collected_for_training} pictures by {learners_for_training} learners; judged "
    "on those pictures, each read by a reader trained without its learner, and on "
    "{held_out_images} fixed held-out pictures."
)
RETRAIN_DATA_HELD_OUT = (
    "Learned from {collected_for_training} pictures by {learners_for_training} learners; judged "
    "on {collected_held_out} pictures by {learners_held_out} other learners and on "
    "{held_out_images} fixed held-out pictures."
)
"""A report written before every learner judged (2026-12-05) names the learners held out."""
RETRAIN_DATA_BASE_ONLY = (
    "No collected pictures: judged on {held_out_images} fixed held-out pictures."
)
RETRAIN_SYLLABLE_DATA = (
    "Syllable reader: learned from {blocks_for_training} blocks in {pictures_for_training} "
    "pictures by {learners_for_training} learners; judged on those blocks, each read by a "
    "reader trained without its learner, and on {fixed_blocks} fixed held-out blocks."
)
RETRAIN_SYLLABLE_DATA_BASE_ONLY = (
    "Syllable reader: no collected syllables; judged on {fixed_blocks} fixed held-out blocks."
)
RETRAIN_SKIPPED = "The {family} not retrained: {reason}."
MODEL_FAMILIES = {"letters": "letter readers were", "syllables": "syllable reader was"}
RETRAIN_DECISION = "{name}: serving {outcome} ({reason})"
RETRAIN_SETS = "  held-out learners {learners}; fixed held-out set {before:.1%} → {after:.1%}"
RETRAIN_MOVED = "  letters that moved most: {letters}"
RETRAIN_NONE_MOVED = "  no letter moved"
RETRAIN_NEEDS_TORCH = (
    "Retraining needs the training extras on this machine (pip install 'hangul-tutor[train]') "
    "or a Ray cluster to run on (RAY_ADDRESS)."
)
RETRAIN_NOT_SUBMITTED = (
    "The Ray cluster did not take the retrain (the log says why). The models in use did not "
    "change; try /retrain again later."
)


PROMPT_NOTES = {
    "ㅇ": "silent at the start of a syllable, “ng” at the end",
    "ㄹ": "between an r and an l",
}
"""Where a letter's romanization alone would mislead a quiz question."""
_SHOWN_ROMANIZATION = {"ㄹ": "r/l"}


def romanized(jamo: str) -> str:
    """A letter's romanization as the tutor shows it (ㄹ is "r/l"); a syllable's or word's
    sound (:func:`bot.core.text_items.romanize`)."""
    if not is_letter(jamo):
        return text_items.romanize(jamo)
    return _SHOWN_ROMANIZATION.get(jamo, letter_info(jamo).romanization)


def describe(jamo: str) -> str:
    """How a quiz asks for a letter without showing it: its kind and sound, in Latin letters
    only (its Korean name would give it away, so that goes in the hint). A syllable or word:
    :func:`bot.core.text_items.describe`."""
    if not is_letter(jamo):
        return text_items.describe(jamo)
    info = letter_info(jamo)
    note = PROMPT_NOTES.get(jamo)
    sound = f"{KINDS[info.kind]} “{romanized(jamo)}”"
    return f"{sound} ({note})" if note else sound


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def time_until(when: datetime, now: datetime) -> str:
    """When something comes back, in words: "in 10 minutes", "tomorrow", "in 4 days"."""
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 3600:
        return f"in {plural(max(round(seconds / 60), 1), 'minute')}"
    if seconds < 20 * 3600:
        return f"in {plural(round(seconds / 3600), 'hour')}"
    days = max(round(seconds / 86400), 1)
    return "tomorrow" if days == 1 else f"in {plural(days, 'day')}"


def spelled(blocks: Sequence[BlockReading]) -> str:
    """The letters read in each block: "ㄴ + ㅏ, ㅁ + ㅜ" (a final as a third part)."""
    return text_items.spell([tuple(top[0][0] for top in block.jamo) for block in blocks])


def percent(probability: float) -> str:
    return f"{probability:.0%}"


def reading(jamo: str, probability: float) -> str:
    """A free (non-quiz) reading: the letter, its name and sound, and confidence."""
    info = letter_info(jamo)
    return (
        f"I read {jamo}: {info.name} ({info.name_romanized}), sounds like “{romanized(jamo)}”. "
        f"I'm {percent(probability)} sure."
    )


NO_SUCH_PICTURE = "There is no picture at {path}."

SLOW_DOWN = "You're sending faster than I can read. Please wait a moment, then send one picture."
ONE_AT_A_TIME = "Got them! I'll read your pictures one at a time, in the order you sent them."
QUEUE_FULL = (
    "That's more pictures than I can keep waiting ({most}). I'll read the ones I have; send the "
    "rest after my answers."
)
UNSUPPORTED_MESSAGE = (
    "I can only read pictures of handwritten letters and commands. Send a photo of one letter, "
    "or /help."
)
NOT_AN_IMAGE_FILE = "That file isn't a picture. Please send a photo or an image file (PNG, JPEG)."
TOO_BIG_TO_DOWNLOAD = (
    "That file is too big for me ({megabytes:.0f} MB; at most 20 MB). Please send a smaller photo."
)
PLATFORM_TROUBLE = "I'm having trouble reaching the chat service; please try again in a minute."
