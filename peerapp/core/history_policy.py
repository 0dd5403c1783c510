"""How many messages one history request may ask for. The engine enforces the bound; the
GUI pages within it. Stated once here so the two cannot drift apart."""

from __future__ import annotations

DEFAULT_PAGE = 50  # when the request does not say
MAX_PAGE = 500  # the most messages the engine gives in one history answer
