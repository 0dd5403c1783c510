"""`crisis_resources` and `crisis_countries` on a real `peerapp node` process: the bundled
directory answers with no circle and no peer, and an unknown country is named."""

from __future__ import annotations

from typing import Any

from peerapp.engine.crisis_directory import load_bundled


def test_crisis_commands_answer_from_the_bundled_directory(start_node: Any) -> None:
    node = start_node()
    directory = load_bundled()

    countries = node.call("crisis_countries")
    assert countries["ok"] is True, countries
    listed = countries["countries"]
    assert len(listed) == len(directory.countries) >= 20
    assert {"code": "JP", "name": "Japan"} in listed

    reply = node.call("crisis_resources", country="gb")
    assert reply["ok"] is True, reply
    assert reply["country"] == "GB"
    assert reply["name"] == "United Kingdom"
    assert reply["emergency"] == "999"
    assert reply["checked"] == directory.checked
    assert "out of date" in reply["note"]
    samaritans = reply["services"][0]
    assert samaritans["phone"] == ["116 123"]
    assert samaritans["source"].startswith("http")
    assert samaritans["checked"] == "2026-11-21"

    # nobody was dialled for any of it
    assert node.call("status")["connected_peers"] == []


def test_an_unknown_country_is_refused_by_name(start_node: Any) -> None:
    node = start_node()

    reply = node.call("crisis_resources", country="XX")
    assert reply["ok"] is False
    assert "'XX'" in reply["error"]
    assert "crisis_countries" in reply["error"]

    missing = node.call("crisis_resources")
    assert missing == {
        "id": missing["id"],
        "ok": False,
        "code": "missing_argument",
        "error": "crisis_resources needs the argument 'country'",
    }
    # the node keeps serving after a refusal
    assert node.call("crisis_resources", country="AU")["emergency"] == "000"
