"""The tutor, in three rooms (see README, "Architecture"):

- :mod:`bot.core`: the platform-free learning core (commands and pictures in, replies out);
- :mod:`bot.adapters`: Telegram, Discord and the console around the core;
- :mod:`bot.app`: the process: settings, the ``hangul-bot`` and ``hangul-ml`` commands, start-up,
  the reminder scheduler and the retrain workflow;

plus :mod:`bot.benchmarks`, measurements that drive the whole tutor.
"""
