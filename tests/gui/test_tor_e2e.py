"""The GUI in Tor mode, end to end: real windows on real engines whose own tor joins the
private Tor network (tests/tor/fixtures.py), and a real `peerapp node` in Tor mode as the
other member. Nothing here is simulated: every Tor state the window shows came from the
engine's own tor.

- A window's status bar first shows Tor's bootstrap progress ("Connecting to the Tor
  network: N%" and its bar), then "Reachable privately"; nowhere does it show a
  profile-wide peer id or address (there is none in Tor mode).
- A member who joined by an invite (onion addresses only) through the join dialog, its
  engine restarted (Tor starts again, from its cached state), sends at once: the message
  is stored and shown at once, waiting for Tor or already on its way, and then held by
  the node, which has it in its history.
- Locking while Tor still connects stops the engine and its tor at once (no tor left
  for the profile); unlocking starts Tor again.

A leak monitor samples every socket of this test process (the GUI's engines run in it)
and of its children (the GUI's own tors, the node and its tor, the private network) for
the whole module: all on 127.0.0.1.

The seconds from the engine's start to "Reachable privately" are printed (first start,
and the restart with Tor's state cached).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from peerapp.core.network_mode import ASLEEP_CIRCLE, DIRECT_RUN, NetworkMode, NetworkOptions
from peerapp.engine.engine import Engine
from peerapp.engine.thread import EngineThread
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import unlock_profile
from peerapp.ui.connection_status import NetworkLine
from peerapp.ui.dialogs.join_circle import Step
from peerapp.ui.dialogs.unlock import UnlockDialog
from peerapp.ui.main_window import MainWindow
from peerapp.ui.text import conversation, network
from peerapp.ui.widgets.network_status import NetworkStatus
from tests.gui.circle_steps import join_by_pasting, send_by_typing, wait_answer, wait_showing
from tests.gui.helpers import LOOPBACK, PASSPHRASES, WAIT_MS, SessionDriver, StartSession, click
from tests.tor.fixtures import TOR_GROUP
from tests.tor.leaks import LeakMonitor, descendants
from tests.tor.onion_nodes import OnionNode, poll
from tests.tor.private_network import PrivateTorNetwork

# the session's private network (bounded at 150 s) may start inside the first test
pytestmark = [pytest.mark.timeout(420), pytest.mark.xdist_group(TOR_GROUP)]

# Hearth's own tor on the private network is ready in 2-3 s; the bounds leave room for
# two loaded cores. Joining and delivering wait for onion descriptors (a few seconds).
TOR_READY_MS = 90_000
JOIN_MS = 90_000
DELIVERY_MS = 90_000
CONNECTING = "Connecting to the Tor network: "

StartTorSession = Callable[[Path], SessionDriver]


@dataclass(frozen=True)
class Shown:
    """One network line a window's status bar showed, and when."""

    at: float
    line: NetworkLine
    bar_shown: bool
    bar_value: int


class LineLog:
    """Every line every NetworkStatus showed, in order, from its construction on: the
    real widget's own drawing method, recorded as it runs (nothing is replaced)."""

    def __init__(self) -> None:
        self.shown: dict[int, list[Shown]] = {}

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        draw = NetworkStatus.show_line
        log = self

        def recorded(widget: NetworkStatus, line: NetworkLine) -> None:
            draw(widget, line)
            bar = widget.bar
            entry = Shown(time.monotonic(), line, bar.isVisibleTo(widget), bar.value())
            log.shown.setdefault(id(widget), []).append(entry)

        monkeypatch.setattr(NetworkStatus, "show_line", recorded)

    def of(self, window: MainWindow) -> list[Shown]:
        return self.shown.get(id(window.network_status), [])

    def seconds_to_reachable(self, window: MainWindow) -> float:
        """From the window's construction (the engine starts right after) to the first
        "Reachable privately"."""
        shown = self.of(window)
        reachable = [s.at for s in shown if s.line.text == network.tor_reachable()]
        assert shown and reachable, [s.line.text for s in shown]
        return reachable[0] - shown[0].at


@pytest.fixture
def line_log(monkeypatch: pytest.MonkeyPatch) -> LineLog:
    log = LineLog()
    log.install(monkeypatch)
    return log


@pytest.fixture(scope="module")
def leaks(private_tor_network: PrivateTorNetwork) -> Iterator[LeakMonitor]:
    monitor = LeakMonitor()
    monitor.watch(os.getpid())
    # this process may have started the private network: its relays are not Hearth's
    monitor.ignore(private_tor_network.pids())
    monitor.start()
    try:
        yield monitor
    finally:
        monitor.stop()


def assert_no_leaks(monitor: LeakMonitor) -> None:
    # one more sample while everything still runs (the GUI's engine and its tor included)
    assert monitor.wait_for_samples(1, timeout=60), "the leak monitor took no sample"
    report = monitor.report()
    print(f"leak monitor: {report.summary()}")
    assert report.samples > 0 and report.complete, report.summary()
    assert not report.leaks, "\n".join(str(leak) for leak in report.leaks)


@pytest.fixture(scope="module")
def node(
    leaks: LeakMonitor, private_tor_config: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OnionNode]:
    """Ash: a `peerapp node` in Tor mode, its tor ready (a child of this process: the
    leak monitor watches it)."""
    ash = OnionNode(tmp_path_factory.mktemp("tor-gui") / "ash", private_tor_config)
    try:
        assert ash.ready["mode"] == "tor", ash.ready
        ash.wait_tor_ready()
        yield ash
    finally:
        ash.kill()


@pytest.fixture
def start_tor_session(start_session: StartSession, private_tor_config: Path) -> StartTorSession:
    """start(profile) -> a SessionDriver whose engines run in Tor mode on the private
    network (shut down, engine and tor, at teardown by `start_session`)."""
    options = NetworkOptions(tor_config_file=str(private_tor_config))
    return lambda folder: start_session(folder, network=options)


def wait_reachable(qtbot: QtBot, window: MainWindow) -> None:
    line = window.network_status
    failed = []

    def reachable() -> bool:
        if line.settings_button.isVisible():  # Tor failed: say so now, not at the bound
            failed.append(line.text)
            return True
        return line.text == network.tor_reachable()

    qtbot.waitUntil(reachable, timeout=TOR_READY_MS)
    assert not failed, f"Tor failed: {failed[0]}"


def visible_texts(window: MainWindow) -> list[str]:
    """The text and tooltip of every label in the window."""
    return [
        text
        for label in window.findChildren(QLabel)
        for text in (label.text(), label.toolTip())
        if text
    ]


def test_a_tor_window_shows_bootstrap_progress_then_reachable_privately(
    qtbot: QtBot,
    start_tor_session: StartTorSession,
    *,
    line_log: LineLog,
    profile: Path,
    leaks: LeakMonitor,
) -> None:
    driver = start_tor_session(profile)
    window = driver.unlock()
    wait_reachable(qtbot, window)
    shown = line_log.of(window)
    texts = [s.line.text for s in shown]
    print(f"first start: 'Reachable privately' {line_log.seconds_to_reachable(window):.2f} s")
    print(f"lines shown: {texts}")

    # Tor's own progress first, with its bar; then reachable, the bar gone
    first_reachable = texts.index(network.tor_reachable())
    connecting = [s for s in shown[:first_reachable] if s.line.text.startswith(CONNECTING)]
    assert connecting, texts
    for entry in connecting:
        percent = int(entry.line.text.removeprefix(CONNECTING).removesuffix("%"))
        assert entry.line.progress == percent == entry.bar_value and entry.bar_shown
        assert 0 <= percent <= 100
    assert all(s.line.progress is None and not s.bar_shown for s in shown[first_reachable:])
    assert not window.network_status.bar.isVisible()
    assert window.online

    # Tor mode has no profile-wide peer id or address: none is shown, and the identity
    # line says why
    assert window._status.peer_id == ""
    assert network.tor_identity_hint() in window.connection_details()
    assert "12D3KooW" not in window.connection_details()
    shown_text = " ".join(visible_texts(window))
    for forbidden in ("12D3KooW", "/ip4/", "/ip6/", "/onion3/", "127.0.0.1"):
        assert forbidden not in shown_text, forbidden
    assert_no_leaks(leaks)


def join_by_code(qtbot: QtBot, window: MainWindow, code: str, name: str) -> str:
    """Paste `code` into the join dialog, read the guidelines, agree; the circle's id
    once it is shown. Each step bounded; a refusal fails the test with its words."""
    QGuiApplication.clipboard().setText(code)
    dialog = join_by_pasting(qtbot, window, name)
    assert wait_answer(qtbot, dialog, lambda: dialog.step is Step.PREVIEW, JOIN_MS) is None
    click(dialog.primary_button)
    assert wait_answer(qtbot, dialog, lambda: dialog.result_data is not None, JOIN_MS) is None
    circle = dialog.result_circle()
    assert circle is not None
    wait_showing(qtbot, window, circle)
    return circle


def test_a_message_sent_as_tor_starts_again_is_shown_at_once_and_delivered(
    qtbot: QtBot,
    start_tor_session: StartTorSession,
    *,
    line_log: LineLog,
    second_profile: Path,
    node: OnionNode,
    leaks: LeakMonitor,
) -> None:
    circle = node.ok("create_circle", name="Tor circle", member_name="Ash")["circle"]
    code = node.invite_code(circle)
    driver = start_tor_session(second_profile)
    first = driver.unlock()
    wait_reachable(qtbot, first)
    print(f"first start: 'Reachable privately' {line_log.seconds_to_reachable(first):.2f} s")
    began = time.monotonic()
    assert join_by_code(qtbot, first, code, "Bee") == circle
    print(f"joined over Tor in {time.monotonic() - began:.2f} s")

    # the engine starts again on the same profile: Tor bootstraps again, from its cache
    first.reconnectRequested.emit()
    qtbot.waitUntil(
        lambda: driver.session.window not in (None, first) or driver.session.dialog is not None,
        timeout=WAIT_MS,
    )
    assert driver.session.dialog is None, "the old engine did not stop in time"
    window = driver.window
    pane = wait_showing(qtbot, window, circle)
    text = "sent while Tor starts again"
    send_by_typing(qtbot, window, text)
    waiting_then = pane.model.waiting_for_tor
    (sent,) = [m for m in pane.model.messages() if m.text == text]
    assert sent.mine
    told = pane.model.delivery_text(sent.id)
    print(f"at sending: Tor {'not ' if waiting_then else ''}ready; the message says {told!r}")
    if waiting_then:
        assert told == network.delivery_waiting_for_tor()
        assert pane.model.presentation_of(sent).note == network.delivery_waiting_for_tor()
    else:
        assert told != network.delivery_waiting_for_tor()

    wait_reachable(qtbot, window)
    print(f"restart: 'Reachable privately' {line_log.seconds_to_reachable(window):.2f} s")
    qtbot.waitUntil(
        lambda: pane.model.delivery_text(sent.id) == conversation.held_by(1, 1), timeout=DELIVERY_MS
    )
    assert pane.model.presentation_of(sent).note != network.delivery_waiting_for_tor()
    took = poll(lambda: text in node.history_texts(circle), "the node has the message", node)
    print(f"the node had the message {took:.2f} s after the GUI saw it held")
    assert network.tor_identity_hint() in window.connection_details()
    assert_no_leaks(leaks)


def tors_of(profile: Path) -> set[int]:
    """Every running tor whose configuration is in `profile` (Hearth's own tor for it)."""
    found: set[int] = set()
    for pid in descendants([os.getpid()]):
        try:
            words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # it ended meanwhile
        if (
            words
            and Path(os.fsdecode(words[0])).name == "tor"
            and str(profile).encode() in b" ".join(words)
        ):
            found.add(pid)
    return found


def test_locking_while_tor_connects_stops_it_and_unlocking_starts_it_again(
    qtbot: QtBot,
    start_tor_session: StartTorSession,
    *,
    line_log: LineLog,
    third_profile: Path,
    leaks: LeakMonitor,
) -> None:
    driver = start_tor_session(third_profile)
    window = driver.unlock()
    qtbot.waitUntil(lambda: bool(tors_of(third_profile)), timeout=TOR_READY_MS)
    state = window.network_status.text
    began = time.monotonic()
    window.lock_action.trigger()  # the session stops the engine (bounded) and asks again
    stopped_in = time.monotonic() - began
    assert isinstance(driver.session.dialog, UnlockDialog)
    assert driver.session.window is None
    qtbot.waitUntil(lambda: not tors_of(third_profile), timeout=WAIT_MS)
    print(f"locked while the line said {state!r}: engine stopped in {stopped_in:.2f} s")

    again = driver.unlock()
    wait_reachable(qtbot, again)
    print(f"unlocked again: 'Reachable privately' {line_log.seconds_to_reachable(again):.2f} s")
    assert len(tors_of(third_profile)) == 1
    assert_no_leaks(leaks)


def test_a_circle_made_in_direct_mode_sleeps_visibly_in_a_tor_window(
    qtbot: QtBot, start_tor_session: StartTorSession, profile: Path, leaks: LeakMonitor
) -> None:
    unlocked = unlock_profile(profile, PASSPHRASES.good)
    direct = EngineThread(
        lambda emit: Engine(unlocked, LOOPBACK, emit, network=DIRECT_RUN), lambda event: None
    )
    direct.start().result(WAIT_MS / 1000)
    try:
        circle = request_json(direct, "create_circle", name="Made in direct mode").result(
            WAIT_MS / 1000
        )["circle"]
    finally:
        assert direct.stop(), "the direct-mode engine did not stop"

    window = start_tor_session(profile).unlock()
    qtbot.waitUntil(lambda: window.circle_list.select(circle), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: circle in window.panes, timeout=WAIT_MS)
    strip = window.panes[circle].asleep
    qtbot.waitUntil(strip.isVisible, timeout=WAIT_MS)
    assert strip.text == ASLEEP_CIRCLE[NetworkMode.DIRECT]
