"""The learning core, free of any chat platform: the command table, the tutor, quizzes, spaced
repetition, progress, consent, admin commands and every sentence the bot says.

Imports :mod:`storage`, :mod:`ml.reading` and :mod:`ml.writing`; no chat library, scheduler,
torch or Ray."""
