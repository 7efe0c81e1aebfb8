"""Letters as images, in four rooms (see README, "Architecture"):

- :mod:`ml.reading`: picture bytes to a letter, torch-free (the bot's run time);
- :mod:`ml.writing`: letters to pictures (stroke definitions, stroke writers, fonts, photo and
  screenshot styles), torch-free;
- :mod:`ml.training`: data, synthetic letters, models, the training loop, export;
- :mod:`ml.evaluation`: evaluation, benchmarks and the robustness suite;
- :mod:`ml.jobs`: the Ray Serve model worker and the retrain job.

``ml`` imports neither ``bot`` nor ``storage``, and reads no environment variable: its callers
hand it paths and addresses.
"""
