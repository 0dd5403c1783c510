"""Removal and coming back, with real `peerapp node` processes (issue 14).

- A removed member who asks to come back at once with a new invite gets in: the member
  that removed it closes the removed peer's connections a little after the removal (the
  notice's time, or once it synced up to its removal), and did so even while the same
  peer, back as a joiner, was previewing or joining (invite_unreachable, ~10 s after the
  removal with the app's timings).
- A removal made while the member's node is down reaches it when it next connects.
"""

from __future__ import annotations

import time

from peerapp.engine.context import QUICK_TIMINGS
from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle, poll

# the removal's delayed disconnect: two of the nodes' sync rounds (PEERAPP_TIMINGS=quick)
REMOVAL_NOTICE = 2 * QUICK_TIMINGS.sync_interval


def _ids(node: Node, circle: str) -> dict[str, str]:
    return {m["name"]: m["id"] for m in node.call("members", circle=circle)["members"]}


def test_a_removed_member_comes_back_at_once_with_a_new_invite(start_node: StartNode) -> None:
    ash, cy = start_node(), start_node()
    circle = form_circle(ash, [(cy, "Cy")], name="Back at once")
    assert ash.call("send", circle=circle, text="before")["ok"]
    removed_at = time.monotonic()
    assert ash.call("remove_member", circle=circle, member=_ids(ash, circle)["Cy"])["ok"]
    cy.wait_event("removed_from_circle")
    code = ash.call("invite", circle=circle)["code"]
    # at once, while Ash closes the removed member's connections (after its sync up to
    # the removal, and two sync rounds after the removal): Cy reads the new invite's
    # preview (as the join dialog does) and joins
    preview = cy.call("preview_invite", code=code)
    assert preview["ok"], preview
    joined = cy.call("join", code=code, name="Cy again")
    assert joined["ok"], joined
    print(f"previewed and joined {time.monotonic() - removed_at:.2f} s after the removal")
    poll(lambda: sorted(_ids(ash, circle)) == ["Ash", "Cy again"], "Cy again at Ash", pace=[ash])
    assert cy.call("circle_info", circle=circle)["removed"] is False
    # and stays: what Cy sends once the removal's disconnects are long due reaches Ash
    poll(
        lambda: time.monotonic() - removed_at > 2 * REMOVAL_NOTICE,
        "the removal's disconnects due",
        pace=[ash],
    )
    assert cy.call("send", circle=circle, text="back again")["ok"]
    poll(
        lambda: "back again" in [m["text"] for m in ash.call("history", circle=circle)["messages"]],
        "Cy's message at Ash",
        pace=[ash],
    )


def test_a_removal_made_while_the_member_is_away_reaches_it(start_node: StartNode) -> None:
    ash, cy = start_node(), start_node()
    circle = form_circle(ash, [(cy, "Cy")], name="Away")
    cy_id = _ids(ash, circle)["Cy"]
    assert cy.call("quit")["ok"]
    assert cy.wait_exit() == 0
    cy.kill()  # closes its pipes
    assert ash.call("remove_member", circle=circle, member=cy_id)["ok"]
    assert ash.call("send", circle=circle, text="after the removal")["ok"]
    started = time.monotonic()
    cy = start_node(cy.profile)
    ready = time.monotonic()
    removed = cy.wait_event("removed_from_circle", timeout=15)
    print(
        f"restart to ready {ready - started:.2f} s, "
        f"ready to removed_from_circle {time.monotonic() - ready:.2f} s"
    )
    assert removed["circle"] == circle and removed["by_name"] == "Ash"
    assert cy.call("circle_info", circle=circle)["removed"] is True
    # it reads up to its removal, nothing after
    texts = [m["text"] for m in cy.call("history", circle=circle)["messages"]]
    assert "after the removal" not in texts
