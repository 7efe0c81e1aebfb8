"""Every sentence the tutor says to learners and admins, in one place so it can be translated."""

from __future__ import annotations

from ml.reading.alphabet import letter_info
from ml.reading.verdicts import Verdict

HELP_INTRO = """I teach the Korean alphabet by handwriting. Write a letter on paper or in a drawing
app and send me a photo or a screenshot: I'll tell you what I read and how sure I am."""
HELP_ADMINS = "For admins:"

NOT_A_COMMAND = (
    "Send me a photo of one handwritten letter, or try /quiz. /help lists what I can do."
)
UNKNOWN_COMMAND = "I don't know /{name}. /help lists what I can do."
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
        "I can't see any writing: the page looks blank or the ink is too faint. "
        "Write a little darker and send it again."
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
}
"""What to say to a learner for each verdict other than ``ok`` (one wording each; ``hangul-ml``
explains them in its own, :data:`ml.reading.verdicts.REASONS`)."""

UNSURE = "I'm not sure; it could also be {alternatives}."
WHAT_I_SAW = "Here is the letter as I saw it."
CONFIRM_ASK = "Is that what you wrote? Your answer helps me learn (if not, tell me: /confirm ㅓ)."
CONFIRM_YES = "Yes, {letter}"
CONFIRM_OTHER = "I meant {letter}"
CONFIRMED = "Thanks! I'll remember this picture as {letter}."
CONFIRM_REFUSED = (
    "If it is a letter after all, tell me which and I'll learn your way of writing it: "
    "/confirm ㅓ (with your letter)."
)
CONFIRM_WHICH = "Which letter did you write? Tell me with /confirm and the letter: /confirm ㅓ."
NOTHING_TO_CONFIRM = "There's no recent picture of yours to confirm."
NOT_A_KNOWN_LETTER = (
    "I don't know the letter {text!r}. Use a jamo like ㄱ or its romanization like g."
)

QUIZ_QUESTION = "Question {number} of {total}: write the letter {description}."
QUIZ_ALREADY_RUNNING = "A quiz is already running. {question}\nSend a photo, /skip, or /quiz stop."
QUIZ_BAD_COUNT = "Use /quiz with a number of letters from 1 to {most}, like /quiz 5."
QUIZ_NONE_RUNNING = "No quiz is running. Start one with /quiz."
QUIZ_RIGHT = "Right! That's {letter} ({romanization})."
QUIZ_RIGHT_UNSURE = (
    "That looks like {letter} ({romanization}), so I'll count it, but I'm not sure: it doesn't "
    "look much like the {letter} I know. Compare it with the strokes below and with what I saw."
)
QUIZ_WRONG = (
    "Not quite: I read {read}, but the letter was {letter} ({romanization}). "
    "Here's how to write it, and what I saw."
)
QUIZ_UNREADABLE = "{reason}\nThe question stands: write the letter {description}."
QUIZ_SKIPPED = "Skipped. The letter was {letter} ({romanization}); here's how to write it."
QUIZ_DONE = "Quiz done: {correct} of {total} right."
QUIZ_STOPPED = "Quiz stopped after {answered} of {total} questions: {correct} right."
BUTTON_HINT = "Hint"
BUTTON_SKIP = "Skip"
BUTTON_QUIZ = "Quiz me"

HINT_ASK = "Which letter? Try /hint ㄱ or /hint yo."
HINT = "{letter}: {name} ({name_romanized}), sounds like “{romanization}”. Strokes in order:"

REVIEW_NOTHING = "You haven't missed any letters yet. Try /quiz!"
REVIEW = "Your weakest letters:\n{lines}\nA /quiz brings them back when they're due."
REVIEW_LINE = "{letter} ({romanization}): {correct} of {attempts} right"

STATS_NOTHING = "No graded answers yet. Start with /quiz!"
STATS = (
    "{attempts} graded answers, {correct} right ({percent:.0f}%). Streak: {streak} day(s).\n"
    "Best: {best}\nNeeds work: {worst}"
)
STATS_CONFUSIONS = "Often mixed up: {pairs}"
STATS_CHART_TITLE = "Right answers per letter"

REMIND_USAGE = "Use /remind HH:MM (24-hour), like /remind 19:30."
REMIND_SET = "I'll remind you every day at {time} ({zone}). /stop turns reminders off."
REMIND_STOPPED = "Reminders are off. /remind HH:MM turns them back on."
REMINDER = "Time for your daily Hangul practice! Your streak: {streak} day(s)."
TIMEZONE_USAGE = "Use /timezone Area/City, like /timezone Asia/Seoul or /timezone Europe/Berlin."
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
    "Retrain {job} started with {samples} collected pictures from {learners} learners: some "
    "learners' pictures train the new models, the others judge them. I'll tell you here how it "
    "goes; /retrain status shows it any time."
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
    "on {collected_held_out} pictures by {learners_held_out} other learners and on "
    "{held_out_images} fixed held-out pictures."
)
RETRAIN_DATA_BASE_ONLY = (
    "No collected pictures: judged on {held_out_images} fixed held-out pictures."
)
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


def describe(jamo: str) -> str:
    """How a quiz asks for a letter without showing it: its sound and name."""
    info = letter_info(jamo)
    if info.name_romanized == info.romanization:
        return f"“{info.romanization}” ({info.name})"
    return f"“{info.romanization}” ({info.name}, {info.name_romanized})"


def percent(probability: float) -> str:
    return f"{probability:.0%}"


def reading(jamo: str, probability: float) -> str:
    """A free (non-quiz) reading: the letter, its name and sound, and confidence."""
    info = letter_info(jamo)
    return (
        f"I read {jamo}: {info.name} ({info.name_romanized}), sounds like “{info.romanization}”. "
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
