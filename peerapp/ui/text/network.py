"""The connection status, the network settings (direct or Tor) and Tor's progress."""

from __future__ import annotations

from peerapp import PRODUCT_NAME
from peerapp.ui.text.translation import tr, trn


def status_starting() -> str:
    return tr("network", "Starting…")


def status_stopped() -> str:
    return tr("network", "Offline")


def status_failed() -> str:
    return tr("network", "Offline · the engine stopped")


def status_online(connected: int) -> str:
    """The status bar while the engine runs, in plain words: how many members this
    computer is connected to now (the peer ids and counts are in "Connection details")."""
    if connected <= 0:
        return tr("network", "Not connected yet")
    return trn("network", "Connected to {n} member", "Connected to {n} members", connected).format(
        n=connected
    )


def connection_details_action() -> str:
    return tr("network", "Connection details…")


def connection_details_title() -> str:
    return tr("network", "Connection details")


def connection_details(
    status: str, identity: str, peer_id: str, connections: int
) -> tuple[str, ...]:
    """The details dialog's lines: the technical words kept out of the main window."""
    lines = [
        tr("network", "Status: {status}").format(status=status),
        tr("network", "Open connections: {n}").format(n=connections),
    ]
    if identity:
        lines.append(identity)
    if peer_id:
        lines.append(tr("network", "Your full peer id: {peer_id}").format(peer_id=peer_id))
    return tuple(lines)


def peer_id_label(short_peer_id: str) -> str:
    return tr("network", "You: {short_peer_id}").format(short_peer_id=short_peer_id)


def peer_id_tooltip(peer_id: str) -> str:
    return tr("network", "Your peer id: {peer_id}").format(peer_id=peer_id)


def network_action() -> str:
    return tr("network", "Network…")


def network_settings_button() -> str:
    return tr("network", "Network settings…")


def network_title() -> str:
    return tr("network", "Network")


def network_text() -> str:
    return tr(
        "network",
        (
            "How Hearth reaches the other members of your circles. Changes apply "
            "when Hearth reconnects."
        ),
    )


def network_mode_tor() -> str:
    return tr("network", "Tor (recommended)")


def network_mode_tor_note() -> str:
    return tr(
        "network", ("Members reach you through Tor: nobody in your circles learns where you are.")
    )


def network_mode_direct() -> str:
    return tr("network", "Direct")


def direct_mode_warning() -> str:
    return tr(
        "network",
        (
            "Members can see your IP address. Use this only with people you trust "
            "with where you are, e.g. on a home or office network."
        ),
    )


def own_tor() -> str:
    return tr("network", "Hearth's own Tor")


def extra_tor_label() -> str:
    return tr("network", "Bridges and extra Tor settings")


def extra_tor_hint() -> str:
    return tr(
        "network",
        (
            "Paste bridge lines here if Tor is blocked where you are (such as "
            "“Bridge obfs4 …”, with “UseBridges 1”), or other torrc lines. Leave it "
            "empty otherwise."
        ),
    )


def existing_tor() -> str:
    return tr("network", "An existing Tor (Tails, Whonix, a system tor)")


def tor_control_label() -> str:
    return tr("network", "Control address")


def tor_control_placeholder() -> str:
    return tr("network", "127.0.0.1:9051 or /run/tor/control")


def tor_socks_label() -> str:
    return tr("network", "SOCKS address")


def tor_socks_placeholder() -> str:
    return tr("network", "127.0.0.1:9050")


def save_network() -> str:
    return tr("network", "Save")


def saving_network() -> str:
    return tr("network", "Saving…")


def loading_network() -> str:
    return tr("network", "Reading the network settings…")


def to_save_network() -> str:
    return tr("network", "save the network settings")


def to_read_network() -> str:
    return tr("network", "read the network settings")


def network_saved_text() -> str:
    return tr(
        "network",
        (
            "Saved. Hearth uses the new settings once it reconnects: now, or the "
            "next time you unlock this profile."
        ),
    )


def reconnect_now() -> str:
    return tr("network", "Reconnect now")


def reconnect_later() -> str:
    return tr("network", "Later")


def network_applies_at_unlock() -> str:
    return tr("network", "The new network settings apply the next time you unlock.")


# the status bar in Tor mode (the rules: connection_status.TOR_LINES)
def tor_starting() -> str:
    return tr("network", "Starting Tor…")


def tor_reachable() -> str:
    return tr("network", "Reachable privately")


def tor_reachable_hint() -> str:
    return tr(
        "network", ("Members reach you through Tor; nobody in your circles sees your IP address.")
    )


def tor_stale() -> str:
    return tr("network", "Tor lost its connection; reconnecting…")


def tor_restarting() -> str:
    return tr("network", "Tor stopped; starting it again…")


def tor_failed() -> str:
    return tr("network", "Tor could not start")


def direct_mode_status() -> str:
    return tr("network", "Direct mode: members can see your IP address")


def delivery_waiting_for_tor() -> str:
    return tr("network", "Waiting for Tor…")


# Tor mode has no profile-wide peer id or address to show where direct mode shows "You: …"
def tor_identity_label() -> str:
    return tr("network", "You: a separate identity in each circle")


def tor_identity_hint() -> str:
    return tr(
        "network",
        (
            "In Tor mode each circle knows you by an onion address and peer id of "
            "its own, so members of different circles cannot tell it is you in both."
        ),
    )


def network_failed(message: str, chosen_at_start: bool = False) -> str:
    """The banner when the engine stopped because of the network settings (Tor);
    `chosen_at_start`: the network came from options given when starting Hearth."""
    if chosen_at_start:
        template = tr(
            "network",
            "{message} {app} is offline: fix that option and start {app} again, or start it "
            "without Tor options to use its network settings (the “{button}” button below).",
        )
    else:
        template = tr(
            "network",
            "{message} {app} is offline: change the network settings (the “{button}” button "
            "below), then reconnect.",
        )
    return template.format(message=message, app=PRODUCT_NAME, button=network_settings_button())


def run_differs(mode: str) -> str:
    """The network settings dialog, when this run was started with another mode."""
    if mode == "direct":
        return tr(
            "network",
            "Hearth was started in direct mode this time (a choice made when starting it), so "
            "the settings below apply when it is started without that choice.",
        )
    return tr(
        "network",
        "Hearth was started in Tor mode this time (a choice made when starting it), so the "
        "settings below apply when it is started without that choice.",
    )


def tor_connecting(progress: int) -> str:
    return tr("network", "Connecting to the Tor network: {progress}%").format(progress=progress)
