"""The circle controller without an engine: the message rules it asks of the core with the
facts it holds, its one error route, and what it signals (the features' view of it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject

from peerapp.core.api.moderation import CircleInfoView
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import MemberView, MessageView
from peerapp.ui.bridge import EngineBridge
from peerapp.ui.circle_controller import CircleController
from peerapp.ui.text import moderation
from tests.gui.helpers import circle_info

ME, FOUNDER, OTHER, GONE = "aa" * 32, "bb" * 32, "cc" * 32, "dd" * 32
# ms since the epoch a few years on: beyond a 32-bit int, as the engine's times are
LATER_MS = 1_900_000_000_000


def _info(**fields: Any) -> CircleInfoView:
    """The circle as its facilitator (ME, rank 1) of three sees it."""
    return circle_info(
        **({"my_id": ME, "my_role": "facilitator", "my_rank": 1, "members": 3} | fields)
    )


MEMBERS = (
    MemberView(FOUNDER, "Ash", "founder", True, rank=0),
    MemberView(ME, "Bee", "facilitator", True, rank=1),
    MemberView(OTHER, "", "member", False),
)


def _message(author: str, **fields: Any) -> MessageView:
    base: dict[str, Any] = {
        "id": "m-" + author[:4],
        "author": author,
        "author_name": "",
        "text": "hello",
        "ts": 1,
        "lamport": 1,
        "mine": author == ME,
    }
    return MessageView(**(base | fields))


@pytest.fixture
def controller(hearth_app: object) -> Iterator[CircleController]:
    def no_engine(_emit: Any) -> Any:
        raise AssertionError("the controller's rules need no engine")

    owner = QObject()
    made = CircleController(EngineBridge(no_engine), "c", owner)
    made.info = _info()
    made.members = MEMBERS
    yield made
    owner.deleteLater()


def test_the_message_rules_use_the_facts_held(controller: CircleController) -> None:
    plain, founders = _message(OTHER), _message(FOUNDER)
    assert controller.facilitating and controller.my_id == ME
    assert controller.may_delete(plain) and not controller.may_delete(founders)
    assert controller.may_delete(_message(ME))
    # the founder leads and is neither oneself nor the author: someone hears a report
    assert controller.may_report(plain) and controller.may_care(plain)
    # about the founder, only oneself leads besides: nobody to tell
    assert not controller.may_report(founders) and not controller.may_care(founders)
    assert not controller.may_care(_message(GONE))  # a former member: nobody to care for
    assert controller.may_flag(plain) and not controller.may_flag(_message(ME))
    assert controller.may_restore(_message(OTHER, hidden=True))
    assert controller.name_of(OTHER) == controller.name_of(GONE)  # the kind stand-in

    said: list[bool] = []
    controller.removedChanged.connect(lambda: said.append(controller.removed))
    controller.set_removed(banned=True)
    assert said == [True] and controller.banned and not controller.facilitating
    for rule in (
        controller.may_delete,
        controller.may_report,
        controller.may_care,
        controller.may_flag,
    ):
        assert not rule(_message(ME if rule is controller.may_delete else OTHER)), rule
    assert not controller.may_restore(_message(OTHER, hidden=True))


def test_one_error_route(controller: CircleController) -> None:
    shown: list[str] = []
    controller.errorReported.connect(shown.append)
    refusal = CommandError(Refusal.NO_FACILITATOR)
    controller.report_error(refusal, moderation.to_moderate(), shown=False)
    assert shown == []  # a read nobody waits on: logged only
    controller.report_error(refusal, moderation.to_moderate(), say=moderation.moderation_failed)
    assert shown == [moderation.moderation_failed(refusal.message)]
    controller.report_error(OSError(28, "No space left on device"), "save")
    assert shown[-1] == "Could not save: No space left on device."


def test_a_sends_hold_goes_out_with_times_beyond_a_qt_int(
    controller: CircleController,
) -> None:
    holds: list[tuple[int, int]] = []
    controller.holdChanged.connect(lambda muted, next_at: holds.append((muted, next_at)))
    controller.info = _info(muted_until=LATER_MS)
    controller.sent(LATER_MS + 1)
    assert holds == [(LATER_MS, LATER_MS + 1)]
    assert controller.info is not None and controller.info.next_send_at == LATER_MS + 1


def test_the_engines_changed_views_become_the_controllers_state(
    controller: CircleController,
) -> None:
    """circle_settings_changed and members_changed hand their views to the controller
    (`show_info`, `show_members`): its state follows and it signals as after a read."""
    settings: list[tuple[CircleInfoView, bool]] = []
    controller.settingsChanged.connect(
        lambda info: settings.append((info, controller.joins_may_differ))
    )
    members: list[tuple[MemberView, ...]] = []
    controller.membersChanged.connect(members.append)

    # new guidelines while facilitating, approval unchanged: the waiting people are not
    # asked for again
    guidelines = _info(guidelines="Be kind.")
    controller.show_info(guidelines)
    assert settings == [(guidelines, False)] and controller.info == guidelines
    # join approval turned: they may differ
    approval = _info(guidelines="Be kind.", join_approval=True)
    controller.show_info(approval)
    assert settings[-1] == (approval, True)
    # demoted, then made a facilitator again: only the second may bring people to answer
    controller.show_info(_info(my_role="member", my_rank=None))
    assert not controller.facilitating
    controller.show_info(_info())
    assert settings[-1][1] and controller.facilitating

    fewer = MEMBERS[:2]
    controller.show_members(list(fewer))
    assert members == [fewer] and controller.members == fewer
    assert controller.member(OTHER) is None

    # a view that says we were removed is the removal, as a read's is
    removed: list[bool] = []
    controller.removedChanged.connect(lambda: removed.append(controller.banned))
    controller.show_info(_info(my_role=None, my_rank=None, removed=True, banned=True))
    assert removed == [True] and controller.removed and not controller.facilitating
