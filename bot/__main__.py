"""``python -m bot`` is ``hangul-bot``."""

from bot.cli import main

raise SystemExit(main())
