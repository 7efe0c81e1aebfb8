"""The process around the core and the adapters: settings (the only reader of the environment),
the ``hangul-bot`` and ``hangul-ml`` commands, start-up and shutdown, the reminder scheduler,
and the retrain workflow (export samples, run the job, mark them used)."""
