"""Links in message text (pure, no Qt): where they are, and what they really open.

A message is a member's words, and a link in it is a member's claim: "my-bank.example"
may be written with letters from another alphabet, carry a user name before an "@"
("https://trusted.example@elsewhere.example" opens elsewhere.example), or hide behind
right-to-left marks. So a link is never opened from what the text shows: `target_of`
takes it apart with the standard library and builds the address in plain ASCII (an
international host in its punycode form, "xn--...", everything else percent-encoded),
which is what the confirmation shows, with the host set apart, and what the browser gets.
The app fetches nothing itself (no previews): a link is opened only by the person's
browser, after the person confirmed it.

Found: http:// and https:// addresses, and bare "www." ones (opened as https). Trailing
punctuation a sentence puts after a link (".", ",", ")" without its "(") is not part of it.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

# an address ends at whitespace or at a character no address uses unencoded; the text is
# a member's, so the pattern is linear (no nested repetition)
_CANDIDATE = re.compile(r"(?:https?://|www\.)[^\s<>\"`{}|\\^]+", re.IGNORECASE)
_TRAILING = ".,;:!?'*"
_PAIRS = {")": "(", "]": "[", "}": "{"}
MAX_URL = 2048  # longer "links" are left as text: nobody checks a 2 kB address
# characters that reorder or hide text; never part of an address a person could check
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class LinkSpan:
    """A link in a text: characters [start, end) of it, and the address written there."""

    start: int
    end: int
    written: str


@dataclass(frozen=True)
class LinkTarget:
    """What a link really opens: `url` (ASCII, what the browser is given), its `scheme`,
    its `host` (ASCII; punycode for an international name) and the parts around the host
    (`before_host`: scheme and any user name; `after_host`: port, path, query), so a
    front can show the whole address with the host set apart. `host_letters`: the host
    in its own letters when it is an international name (else ""); `user_info`: a user
    name written before "@" (else ""), which some use to make a link read as another site."""

    url: str
    scheme: str
    host: str
    before_host: str
    after_host: str
    host_letters: str = ""
    user_info: str = ""


def _trim(written: str) -> str:
    """Drop what a sentence put after the link: punctuation, and a closing bracket whose
    opening one is not in the link."""
    while written:
        last = written[-1]
        unopened = last in _PAIRS and written.count(_PAIRS[last]) < written.count(last)
        if last in _TRAILING or unopened:
            written = written[:-1]
        else:
            break
    return written


def find_links(text: str) -> tuple[LinkSpan, ...]:
    """The links in `text`, in order; only those `target_of` can open."""
    found = []
    for match in _CANDIDATE.finditer(text):
        written = _trim(match.group(0))
        if written.lower() in ("www.", "http://", "https://") or len(written) > MAX_URL:
            continue
        if target_of(written) is None:
            continue
        found.append(LinkSpan(match.start(), match.start() + len(written), written))
    return tuple(found)


def link_at(text: str, position: int) -> LinkSpan | None:
    """The link that character `position` of `text` belongs to, if any."""
    for span in find_links(text):
        if span.start <= position < span.end:
            return span
    return None


def _ascii_host(host: str) -> str | None:
    """The host as the browser resolves it: international names in punycode; None for a
    host that is no name (empty, a label too long, letters IDNA refuses)."""
    host = host.rstrip(".").lower()
    if not host or len(host) > 253:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if not all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label) for label in labels):
        return None
    return ascii_host


def _letters_of(ascii_host: str) -> str:
    """An international host in its own letters ("" for a plain ASCII one)."""
    if "xn--" not in ascii_host:
        return ""
    try:
        return ascii_host.encode("ascii").decode("idna")
    except UnicodeError:
        return ""


def target_of(written: str) -> LinkTarget | None:
    """What `written` opens, made safe to show and to open; None when it is no web address
    a browser could open (another scheme, no host, a control character)."""
    if _INVISIBLE.search(written) or any(ord(c) < 0x20 or ord(c) == 0x7F for c in written):
        return None
    if written.lower().startswith("www."):
        written = "https://" + written
    try:
        parts = urllib.parse.urlsplit(written)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.hostname is None:
        return None
    host = _ascii_host(parts.hostname)
    if host is None:
        return None
    scheme = parts.scheme.lower()
    user_info = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    before = f"{scheme}://"
    if user_info:
        before += urllib.parse.quote(user_info, safe=":%") + "@"
    after = f":{port}" if port is not None else ""
    after += urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        after += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    if parts.fragment:
        after += "#" + urllib.parse.quote(parts.fragment, safe="/%:@!$&'()*+,;=-._~?")
    return LinkTarget(
        url=before + host + after,
        scheme=scheme,
        host=host,
        before_host=before,
        after_host=after,
        host_letters=_letters_of(host),
        user_info=user_info,
    )
