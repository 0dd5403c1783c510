"""Files in and out of the profile (issue 15): reading a person's file for sending
(a picture re-encoded without metadata), sealing it into chunks, and opening the chunks
again to write the file where the person chose. Pure work on bytes and paths, run in a
worker thread so the engine keeps answering; the refusals name what to fix.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from peerapp.core import attachment_policy as ap
from peerapp.core.api.refusals import Refusal
from peerapp.core.attachments import Manifest, chunk_hash, clean_file_name
from peerapp.core.errors import CommandError, StorageFull
from peerapp.crypto.attachment_cipher import (
    ChunkUnreadable,
    fresh_file_key,
    open_chunk,
    seal_chunk,
)
from peerapp.engine import images
from peerapp.storage.atomic import write_atomically


@dataclass(frozen=True, repr=False)
class Outgoing:
    manifest: Manifest
    chunks: tuple[bytes, ...]  # sealed, in order
    stripped: bool  # a picture re-encoded without its metadata


def _mime_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def read_for_sending(path: str, limit: int) -> Outgoing:
    """The file at `path`, ready to send: a picture (by its content, or by its name)
    decoded, turned upright and re-encoded without metadata, with a thumbnail; any other
    file as it is. Refused when unreadable, empty, over `limit`, or a broken picture."""
    source = Path(path).expanduser()
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise CommandError(Refusal.ATTACHMENT_UNREADABLE, path=path, reason="not a file")
        if size > limit:
            # before reading it: a huge file costs nothing to refuse
            raise CommandError(Refusal.ATTACHMENT_TOO_LARGE, size=str(size), limit=str(limit))
        data = source.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CommandError(Refusal.ATTACHMENT_UNREADABLE, path=path, reason=reason) from None
    if not data:
        raise CommandError(Refusal.ATTACHMENT_EMPTY, path=path)
    name = clean_file_name(source.name)
    mime = _mime_of(name)
    thumb = b""
    stripped = False
    if mime.startswith("image/") or images.is_picture(data):
        try:
            prepared = images.prepare(data)
        except images.BadImage as error:
            raise CommandError(Refusal.BAD_IMAGE, reason=str(error)) from None
        data, mime, thumb, stripped = prepared.data, prepared.mime, prepared.thumb, True
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = clean_file_name(stem + (".png" if mime == "image/png" else ".jpg"))
    if len(data) > limit:  # a re-encoded picture can come out larger
        raise CommandError(Refusal.ATTACHMENT_TOO_LARGE, size=str(len(data)), limit=str(limit))
    return seal(data, name=name, mime=mime, thumb=thumb, stripped=stripped)


def seal(
    data: bytes, *, name: str, mime: str, thumb: bytes = b"", stripped: bool = False
) -> Outgoing:
    """Seal `data` under a fresh key, chunk by chunk, and hash each sealed chunk."""
    key = fresh_file_key()
    count = ap.chunk_count(len(data))
    chunks = tuple(
        seal_chunk(key, index, count, data[index * ap.CHUNK_BYTES : (index + 1) * ap.CHUNK_BYTES])
        for index in range(count)
    )
    manifest = Manifest(
        name=name,
        size=len(data),
        mime=mime,
        key=key,
        chunk=ap.CHUNK_BYTES,
        hashes=tuple(chunk_hash(c) for c in chunks),
        thumb=thumb,
    )
    return Outgoing(manifest, chunks, stripped)


def assemble(manifest: Manifest, chunks: dict[int, bytes]) -> bytes:
    """The file from all its sealed chunks (ATTACHMENT_DAMAGED when one does not open:
    it matched its hash, so its author sealed it wrong)."""
    try:
        parts = [
            open_chunk(manifest.key, index, manifest.count, chunks[index])
            for index in range(manifest.count)
        ]
    except ChunkUnreadable:
        raise CommandError(Refusal.ATTACHMENT_DAMAGED) from None
    data = b"".join(parts)
    if len(data) != manifest.size:
        raise CommandError(Refusal.ATTACHMENT_DAMAGED)
    return data


def target_path(path: str, name: str) -> Path:
    """Where to write: `path`, or inside it under the file's cleaned name when it is a
    folder."""
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / clean_file_name(name)
    return target


def write_file(target: Path, data: bytes) -> None:
    try:
        write_atomically(target, data)  # 0o600: private by default
    except StorageFull:
        raise CommandError(
            Refusal.SAVE_FAILED, path=str(target), reason="the disk is full"
        ) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CommandError(Refusal.SAVE_FAILED, path=str(target), reason=reason) from None
