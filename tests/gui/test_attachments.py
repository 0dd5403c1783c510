"""Pictures and files through the widgets (issue 15), on real engines on 127.0.0.1: Ash
attaches a picture from the composer; Bee's bubble shows a button for it; its dialog
shows the preview, follows the chunks as they arrive, saves the file where asked and
opens the picture at full size; under a content warning the preview is blurred until
"Show picture"; the storage view lists the circle's files and clears them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from peerapp.core.events import AttachmentView, MessageView
from peerapp.ui.dialogs.attachment import AttachmentDialog
from peerapp.ui.dialogs.media import MediaDialog
from peerapp.ui.dialogs.picture_viewer import PictureViewerDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import attachments
from peerapp.ui.widgets.message_model import Button, presentation
from tests.gui.circle_steps import DELIVERY_WAIT_MS, Circle, wait_for_text
from tests.gui.helpers import WAIT_MS, click

CAPTION = "the sea this morning"


@pytest.fixture
def circle(two_members: tuple[MainWindow, MainWindow, str]) -> Circle:
    return Circle(*two_members)


def a_photo(folder: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 90, 160)).save(out, "JPEG")
    path = folder / "sea.jpg"
    path.write_bytes(out.getvalue())
    return path


def _thumb() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_a_bubble_offers_its_file_and_a_warning_blurs_the_preview(
    qtbot: QtBot, circle: Circle
) -> None:
    attachment = AttachmentView("sea.jpg", 5000, "image/jpeg", 1000, "wanted", _thumb())
    message = MessageView("ab" * 32, "cd" * 32, "Ash", "", 1, False, cw="self_harm")
    message = MessageView(**{**message.__dict__, "attachment": attachment})
    shown = presentation(message, revealed=True, reviewer=False)
    assert (Button.ATTACHMENT, attachments.bubble_button("sea.jpg", True)) in shown.buttons
    assert shown.picture == attachment.thumb and not shown.blurred  # Show was pressed
    # the filter shows the words, but a warned picture stays blurred until Show
    assert presentation(message, revealed=False, reviewer=False).blurred
    plain = MessageView(**{**message.__dict__, "cw": ""})
    assert not presentation(plain, revealed=False, reviewer=False).blurred

    dialog = AttachmentDialog(circle.ash.bridge, circle.id, message, circle.ash)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.blurred and dialog.show_button.isVisible()
    click(dialog.show_button)
    assert not dialog.blurred and not dialog.show_button.isVisible()
    assert dialog.progress.isVisible() and dialog.progress.value() == 1000
    dialog.show_progress(5000)
    assert not dialog.progress.isVisible()
    assert dialog.state_label.text() == attachments.complete()

    over = MessageView(
        **{**message.__dict__, "attachment": AttachmentView("big.bin", 9, "a/b", 0, "over_limit")}
    )
    refused = AttachmentDialog(circle.ash.bridge, circle.id, over, circle.ash)
    qtbot.addWidget(refused)
    assert not refused.save_button.isEnabled()
    assert refused.state_label.text() == attachments.over_limit()


def test_a_picture_goes_from_the_composer_to_a_members_dialog_and_disk(
    qtbot: QtBot, circle: Circle, tmp_path: Path
) -> None:
    ash_pane, bee_pane = circle.pane(circle.ash), circle.pane(circle.bee)
    assert ash_pane.attachments.attach_button.parent() is not None  # in the composer's tools
    ash_pane.composer.edit.setPlainText(CAPTION)
    ash_pane.attachments.send_file(str(a_photo(tmp_path)))
    qtbot.waitUntil(lambda: ash_pane.composer.text() == "", timeout=WAIT_MS)
    assert not ash_pane.attachments.stripped_note.isHidden()  # "sent without location..."

    received = wait_for_text(qtbot, circle.bee, circle.id, CAPTION)
    assert received.attachment is not None and received.attachment.name == "sea.jpg"
    # its preview is drawn inline, above the caption: the row is taller than a line
    row = bee_pane.model.row_of(received.id)
    assert row is not None
    height = bee_pane.message_list.visualRect(bee_pane.model.index(row, 0)).height()
    assert height > 100, height
    with qtbot.waitSignal(bee_pane.message_list.attachmentRequested, timeout=WAIT_MS):
        bee_pane.message_list.press(received.id, Button.ATTACHMENT)
    dialog = bee_pane.attachments.dialogs[received.id]
    assert isinstance(dialog, AttachmentDialog)
    # the chunks arrive by themselves; the dialog follows the engine's progress events
    qtbot.waitUntil(
        lambda: dialog.state_label.text() == attachments.complete(), timeout=DELIVERY_WAIT_MS
    )

    target = tmp_path / "saved.jpg"
    dialog.save_to(str(target))
    qtbot.waitUntil(dialog.status_label.isVisible, timeout=WAIT_MS)
    with Image.open(target) as saved:
        assert saved.size == (800, 600)

    dialog.view()
    qtbot.waitUntil(lambda: dialog.viewer is not None, timeout=WAIT_MS)
    assert isinstance(dialog.viewer, PictureViewerDialog) and dialog.viewer.readable
    dialog.viewer.accept()
    dialog.accept()

    media = bee_pane.attachments.open_media()
    assert isinstance(media, MediaDialog)
    qtbot.waitUntil(lambda: media.media is not None, timeout=WAIT_MS)
    assert media.media is not None and [i.name for i in media.media.items] == ["sea.jpg"]
    click(media.secondary_button)  # "Clear all"
    qtbot.waitUntil(lambda: media.media is not None and media.media.bytes == 0, timeout=WAIT_MS)
    media.accept()
