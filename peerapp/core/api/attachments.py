"""Pictures and files (issue 15, docs/node.md "Pictures and files")."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command
from peerapp.core.api.messages import MessageSent


@command(
    "attach",
    "Send a picture or file (a path on this machine), with optional text; pictures are "
    "re-encoded without their metadata.",
)
@dataclass(frozen=True, kw_only=True)
class Attach(Command[MessageSent]):
    circle: str
    path: str
    text: str | None = None
    cw: str | None = None


@dataclass(frozen=True)
class AttachmentSaved(Result):
    path: str
    size: int


@command(
    "save_attachment",
    "Write a message's picture or file to a path; waits for its chunks from members.",
)
@dataclass(frozen=True, kw_only=True)
class SaveAttachment(Command[AttachmentSaved]):
    circle: str
    message: str
    path: str


@dataclass(frozen=True)
class PictureView(Result):
    """A received picture, decoded behind Pillow's guards, for a viewer."""

    name: str
    mime: str
    width: int
    height: int
    data: bytes = b""  # the picture's bytes (in process only)

    IN_PROCESS = frozenset({"data"})


@command("picture", "A message's picture at full size, once all of it is held.")
@dataclass(frozen=True, kw_only=True)
class Picture(Command[PictureView]):
    circle: str
    message: str


@dataclass(frozen=True)
class MediaItemView:
    message: str
    name: str
    mime: str
    size: int
    have: int  # bytes held
    state: str  # "wanted" | "over_limit" | "cleared"
    ts: int  # the message's time (ms)
    author_name: str
    mine: bool


@dataclass(frozen=True)
class MediaView(Result):
    """A circle's pictures and files as this profile stores them."""

    circle: str
    bytes: int  # held, sealed, in the encrypted profile
    limit: int  # the circle's size limit per file
    items: tuple[MediaItemView, ...]  # newest first


@command("media", "A circle's pictures and files and the space they take here.")
@dataclass(frozen=True, kw_only=True)
class Media(Command[MediaView]):
    circle: str


@dataclass(frozen=True)
class MediaCleared(Result):
    attachments: int
    bytes: int


@command(
    "clear_media",
    "Free the space a circle's pictures and files take here (older than `before`, ms, "
    "or one `message`); the messages stay and can be fetched again.",
)
@dataclass(frozen=True, kw_only=True)
class ClearMedia(Command[MediaCleared]):
    circle: str
    before: int | None = None
    message: str | None = None
