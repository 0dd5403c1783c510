"""The node commands of pictures and files (issue 15): attach, save_attachment, picture,
media, clear_media (the work is engine/attachments.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from peerapp.core.api.attachments import (
    Attach,
    AttachmentSaved,
    ClearMedia,
    Media,
    MediaCleared,
    MediaView,
    Picture,
    PictureView,
    SaveAttachment,
)
from peerapp.core.api.messages import MessageSent
from peerapp.engine.dispatch import Handlers

if TYPE_CHECKING:
    from peerapp.engine.circle_service import CircleService


def attachment_handlers(service: Callable[[], CircleService]) -> Handlers:
    async def attach(command: Attach) -> MessageSent:
        view = await service().attachments.attach(
            command.circle, command.path, command.text or "", command.cw
        )
        next_send_at = service().moderation.next_send_at(command.circle)
        return MessageSent(message=view.id, view=view, next_send_at=next_send_at)

    async def save_attachment(command: SaveAttachment) -> AttachmentSaved:
        path, size = await service().attachments.save(command.circle, command.message, command.path)
        return AttachmentSaved(path=path, size=size)

    async def picture(command: Picture) -> PictureView:
        return await service().attachments.picture(command.circle, command.message)

    async def media(command: Media) -> MediaView:
        return service().attachments.media(command.circle)

    async def clear_media(command: ClearMedia) -> MediaCleared:
        count, freed = service().attachments.clear(command.circle, command.before, command.message)
        return MediaCleared(attachments=count, bytes=freed)

    handlers = Handlers()
    handlers.add(Attach, attach)
    handlers.add(SaveAttachment, save_attachment)
    handlers.add(Picture, picture)
    handlers.add(Media, media)
    handlers.add(ClearMedia, clear_media)
    return handlers
