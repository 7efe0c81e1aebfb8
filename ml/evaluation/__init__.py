"""Measuring: evaluation on labelled folders, the quality figures (unseen writers, absent
letters, the robustness suite and its junk and hostile files), plots and ``hangul-ml bench``.

Imports :mod:`ml.reading`, :mod:`ml.writing` and :mod:`ml.training`."""
