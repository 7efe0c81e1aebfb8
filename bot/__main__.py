"""``python -m bot`` is ``hangul-bot``."""

from bot.app.hangul_bot import main

raise SystemExit(main())
