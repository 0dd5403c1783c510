"""The limits of private conversations (core/private_talk.py has the rules). The engine
enforces them on what it sends and on what arrives; the GUI pages within them."""

from __future__ import annotations

MAX_TEXT_CHARS = 4000  # as a circle message (core/circle_events.py MAX_TEXT_CHARS)
# private messages one member may hand us in 24 hours (then BUSY: the sender's app keeps
# them and retries with back-off, so an honest burst is slowed, never lost)
MAX_PER_SENDER_PER_DAY = 300
DEFAULT_PAGE = 50
MAX_PAGE = 500
