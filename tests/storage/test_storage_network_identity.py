"""Per-membership network identities and the network settings, on real SQLCipher files:
each circle gets its own peer seed and onion key, kept across a reopen and erased with
the circle; a profile made before schema 11 migrates with its circles intact."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from peerapp.core.network_mode import NetworkMode
from peerapp.crypto.identity import PEER_KEY
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.network.tor.onion import OnionKey
from peerapp.storage import migrations
from peerapp.storage.circle_store import CircleStore, Membership
from peerapp.storage.database import Database
from peerapp.storage.network_identity_store import NetworkIdentityStore, OnionKeyTaken
from peerapp.storage.network_settings import NetworkSettings, TorSettings
from peerapp.storage.profile import UnlockedProfile, create_profile

KEY = bytes(range(32))
CIRCLE, OTHER_CIRCLE, JOINING = b"\x01" * 16, b"\x02" * 16, b"\x03" * 16
ME = b"\xaa" * 32
# fixed keys in tor's format (base64 of a 64-byte expanded ed25519 key) and addresses
ONION_KEY = OnionKey("a" * 56, base64.b64encode(bytes(range(64))).decode("ascii"))
OTHER_ONION_KEY = OnionKey("b" * 56, base64.b64encode(bytes(range(64, 128))).decode("ascii"))
OUR_VERSION = 11


def _membership(circle: bytes) -> Membership:
    return Membership(circle, "Circle", ME, b"\x00" * 32, b"\x00" * 32, 0, 0)


def _new_database(path: Path) -> Database:
    database = Database.open(path, KEY, create=True)
    store = CircleStore(database)
    store.add_membership(_membership(CIRCLE))
    store.add_membership(_membership(OTHER_CIRCLE))
    return database


def test_each_circle_has_its_own_identity_and_it_survives_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "identities.db"
    database = _new_database(path)
    try:
        store = NetworkIdentityStore(database)
        assert store.find(CIRCLE) is None
        first, other = store.identity(CIRCLE), store.identity(OTHER_CIRCLE)
        joining = store.identity(JOINING)  # a join under way: no circle row yet
        assert store.identity(CIRCLE) == first  # made once, then kept
        profile_keys = database.keys()
        assert len({first.peer_seed, other.peer_seed, joining.peer_seed}) == 3
        assert all(len(seed) == 32 for seed in (first.peer_seed, other.peer_seed))
        assert first.onion_key is None and first.onion_address is None
        store.keep_onion(CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        store.keep_onion(OTHER_CIRCLE, OTHER_ONION_KEY.address, OTHER_ONION_KEY.blob)
    finally:
        database.close()

    database = Database.open(path, KEY)
    try:
        store = NetworkIdentityStore(database)
        again = store.find(CIRCLE)
        assert again is not None and again.peer_seed == first.peer_seed
        assert store.identity(OTHER_CIRCLE).peer_seed == other.peer_seed
        assert store.circles() == [CIRCLE, OTHER_CIRCLE, JOINING]
        assert database.keys() == profile_keys  # the profile's own keys are untouched
    finally:
        database.close()


def test_the_onion_key_blob_round_trips_and_the_first_one_kept_stays(tmp_path: Path) -> None:
    database = _new_database(tmp_path / "onion.db")
    try:
        store = NetworkIdentityStore(database)
        kept = store.keep_onion(CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        assert kept.onion_address is not None and kept.onion_key is not None
        assert OnionKey(kept.onion_address, kept.onion_key) == ONION_KEY
        # a second key (tor made another service meanwhile) does not move the address
        again = store.keep_onion(CIRCLE, OTHER_ONION_KEY.address, OTHER_ONION_KEY.blob)
        assert (again.onion_address, again.onion_key) == (ONION_KEY.address, ONION_KEY.blob)
    finally:
        database.close()


def test_one_onion_key_is_never_kept_for_two_circles(tmp_path: Path) -> None:
    database = _new_database(tmp_path / "shared.db")
    try:
        store = NetworkIdentityStore(database)
        store.keep_onion(CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        with pytest.raises(OnionKeyTaken, match="another circle"):
            store.keep_onion(OTHER_CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        assert store.identity(OTHER_CIRCLE).onion_key is None
    finally:
        database.close()


def test_keys_stay_out_of_reprs(tmp_path: Path) -> None:
    database = _new_database(tmp_path / "repr.db")
    try:
        kept = NetworkIdentityStore(database).keep_onion(CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        shown = repr(kept)
        assert ONION_KEY.blob not in shown
        assert kept.peer_seed.hex() not in shown and repr(kept.peer_seed) not in shown
        assert "obfs4" not in repr(TorSettings(config="Bridge obfs4 192.0.2.1:443 X"))
    finally:
        database.close()


def test_forgetting_a_circle_erases_its_identity_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "forget.db"
    database = _new_database(path)
    try:
        store = NetworkIdentityStore(database)
        store.keep_onion(CIRCLE, ONION_KEY.address, ONION_KEY.blob)
        kept_other = store.identity(OTHER_CIRCLE)
        seed = store.identity(CIRCLE).peer_seed
        CircleStore(database).forget_circle(CIRCLE)
        assert store.find(CIRCLE) is None
        assert store.find(OTHER_CIRCLE) == kept_other
        store.identity(JOINING)
        store.forget(JOINING)  # a join given up
        assert store.circles() == [OTHER_CIRCLE]
        # back as a new membership: a new identity, nothing linking it to the old one
        assert store.identity(CIRCLE).peer_seed != seed
    finally:
        database.close()


def test_a_database_made_before_schema_11_migrates_with_its_circles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert migrations.MIGRATIONS[OUR_VERSION - 1][0] == OUR_VERSION
    older = tuple(m for m in migrations.MIGRATIONS if m[0] < OUR_VERSION)
    folder = tmp_path / "profile"
    with monkeypatch.context() as patched:
        # the current code, as it was before this migration
        patched.setattr(migrations, "MIGRATIONS", older)
        patched.setattr(migrations, "LATEST_VERSION", OUR_VERSION - 1)
        unlocked = create_profile(folder, "kettle river moon lantern", TEST_KDF)
        database = unlocked.open_database()
        try:
            assert database.schema_version == OUR_VERSION - 1
            CircleStore(database).add_membership(_membership(CIRCLE))
            database.set_setting("unrelated", "kept")
            profile_keys = database.keys()
        finally:
            database.close()

    database = UnlockedProfile(folder, unlocked.database_key).open_database()
    try:
        assert database.schema_version == migrations.LATEST_VERSION >= OUR_VERSION
        assert [m.circle_id for m in CircleStore(database).memberships()] == [CIRCLE]
        assert database.keys() == profile_keys and PEER_KEY in profile_keys
        assert database.setting("unrelated") == "kept"
        store = NetworkIdentityStore(database)
        assert store.circles() == []
        assert store.identity(CIRCLE).peer_seed != profile_keys[PEER_KEY]
        settings = NetworkSettings(database)
        assert (settings.mode(), settings.tor()) == (NetworkMode.TOR, TorSettings())
    finally:
        database.close()


def test_network_settings_default_set_clear_and_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "settings.db"
    database = _new_database(path)
    chosen = TorSettings(
        control="/run/tor/control",
        socks="127.0.0.1:9050",
        config="UseBridges 1\nBridge obfs4 192.0.2.1:443 0123456789ABCDEF cert=x iat-mode=0\n",
    )
    try:
        settings = NetworkSettings(database)
        assert settings.mode() is NetworkMode.TOR
        assert settings.tor() == TorSettings()
        settings.set_mode(NetworkMode.DIRECT)
        settings.set_tor(chosen)
    finally:
        database.close()

    database = Database.open(path, KEY)
    try:
        settings = NetworkSettings(database)
        assert settings.mode() is NetworkMode.DIRECT
        assert settings.tor() == chosen
        settings.set_tor(TorSettings(socks="127.0.0.1:9150", config=""))
        assert settings.tor() == TorSettings(socks="127.0.0.1:9150")
        settings.set_mode(NetworkMode.TOR)
        assert settings.mode() is NetworkMode.TOR
    finally:
        database.close()


def test_an_unreadable_mode_setting_counts_as_tor(tmp_path: Path) -> None:
    database = _new_database(tmp_path / "mode.db")
    try:
        database.set_setting("network_mode", "direct\x00?")
        assert NetworkSettings(database).mode() is NetworkMode.TOR
    finally:
        database.close()
