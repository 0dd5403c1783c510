"""Crisis-language check figures: the time to check a 4,000-character draft (the longest
a message may be) against the bundled phrase lists, as the composer does ~300 ms after
each pause in typing; and the one-off cost of loading the lists. Prints figures; asserts
nothing. The drafts are made-up filler text, never real messages.

Run: .venv/bin/python bench/bench_crisis_language.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from peerapp.core.circle_events import MAX_TEXT_CHARS
from peerapp.engine.crisis_phrases import bundled_matcher, usable_lists

ROUNDS = 2000
FILLER = (
    "Today was long. I went for a walk after work, it's cold and I can't stop thinking "
    "about what my sister said, but I'm glad I came to the circle tonight. "
)


def draft(ending: str = "") -> str:
    """About MAX_TEXT_CHARS characters of ordinary writing, with `ending` at the end."""
    body = (FILLER * (MAX_TEXT_CHARS // len(FILLER) + 1))[: MAX_TEXT_CHARS - len(ending)]
    return body + ending


def per_call_us(action: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """(median, 99th percentile) of one call, in microseconds."""
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def main() -> None:
    began = time.perf_counter()
    lists = usable_lists()
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    matcher = bundled_matcher()
    built = time.perf_counter() - began
    phrases = sum(len(item.phrases) for item in lists)
    print(
        f"lists: {len(lists)} language(s), {phrases} phrases; load {loaded * 1000:.1f} ms, "
        f"matcher built {built * 1000:.1f} ms (once per process)"
    )
    no_match = draft()
    match_at_end = draft(" no way out")
    assert len(no_match) == len(match_at_end) == MAX_TEXT_CHARS
    assert not matcher.matches(no_match) and matcher.matches(match_at_end)
    for label, text in (("no match", no_match), ("match at the end", match_at_end)):
        median, p99 = per_call_us(lambda text=text: matcher.find(text))  # type: ignore[misc]
        print(
            f"check of a {len(text):,}-character draft ({label}): median {median:.0f} µs, "
            f"p99 {p99:.0f} µs over {ROUNDS} runs (debounced 300 ms; budget < 16 ms)"
        )
    short = "I had a hard day but the circle helped."
    median, p99 = per_call_us(lambda: matcher.find(short))
    print(f"check of a {len(short)}-character draft: median {median:.0f} µs, p99 {p99:.0f} µs")


if __name__ == "__main__":
    main()
